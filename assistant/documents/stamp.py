"""The parser's stamp: a digest of the code and data that turn a file into stored chunks and units.

Each indexed document records the stamp it was parsed with; after an upgrade that changes how
documents are read, cleaned, chunked or split into units, the next ingest parses every document
again (one at a time, each replacing its old version atomically) instead of keeping chunks that
the new code would cut differently. Nothing else (answering, vocabulary of questions) is part of it.
"""

from __future__ import annotations

from assistant.stamps import source_stamp

__all__ = ["parser_stamp"]

_SOURCES = (
    "documents",
    "text/units.py",
    "text/sentences.py",
    "text/tokens.py",
    "vocabulary/documents.json",
)


def parser_stamp() -> str:
    """16 hex digits naming this version of the parsing code."""
    return source_stamp(*_SOURCES)
