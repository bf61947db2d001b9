"""The parser's stamp: a digest of the code and data that turn a file into stored chunks and units.

Each indexed document records the stamp it was parsed with; after an upgrade that changes how
documents are read, cleaned, chunked or split into units, the next ingest parses every document
again (one at a time, each replacing its old version atomically) instead of keeping chunks that
the new code would cut differently. Nothing else (answering, vocabulary of questions) is part of it.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path

__all__ = ["parser_stamp"]

_PACKAGE = Path(__file__).resolve().parent.parent
_SOURCES = (
    "documents",
    "text/units.py",
    "text/sentences.py",
    "text/tables.py",
    "text/tokens.py",
    "vocabulary/documents.json",
)


@lru_cache(maxsize=1)
def parser_stamp() -> str:
    """16 hex digits naming this version of the parsing code (files read once per process)."""
    digest = hashlib.sha256()
    for name in _SOURCES:
        path = _PACKAGE / name
        files = sorted(path.glob("*.py")) if path.is_dir() else [path]
        for file in files:
            digest.update(file.relative_to(_PACKAGE).as_posix().encode())
            digest.update(file.read_bytes())
    return digest.hexdigest()[:16]
