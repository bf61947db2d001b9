"""The shared catalogue: what replicas on one Chroma server need to answer, kept on that server.

With ``ASSISTANT_CHROMA_HOST`` set, several app processes (replicas) share one Chroma
server. The chunk vectors live there already; this module puts there, beside them, what
each replica's local catalogue holds (each document's record and cleaned text, its
chunks, their evidence units with vectors), so that a replica's data folder is only a
cache: rebuilt from the server at start and refreshed when the corpus changes.

Records (plain text payloads in a second collection of the server):

- ``part:<doc_id>:<n>``: a JSON list of up to :data:`CHUNKS_PER_PART` chunks with units;
- ``document:<doc_id>``: the document's record and text; written after its parts, it is
  the commit point (a replica takes only documents whose record exists);
- ``corpus``: a token that changes with every published change, and the index format
  (embedding model and chunking) that every replica must share.

A replica checks the token at most every ``replica_refresh_s`` seconds; when it changed,
it removes the documents no longer published and fetches the new ones. Publishing and
syncing hold one lock, so a document committed locally is never dropped by a sync
before it is published.
"""

from __future__ import annotations

import base64
import json
import logging
import threading
import time
import uuid
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from assistant.errors import IndexError_
from assistant.index.catalog import Catalog, UnitVectors
from assistant.index.vectorstore import VectorStore
from assistant.models import Chunk, Document
from assistant.text.units import Unit

__all__ = ["CHUNKS_PER_PART", "SharedCatalogue"]

log = logging.getLogger(__name__)

CHUNKS_PER_PART = 20
_CORPUS = "corpus"


class SharedCatalogue:
    """Publishes local commits to the server and brings the local catalogue in line with it."""

    def __init__(self, store: VectorStore, catalog: Catalog, *, index_format: str, refresh_s: float) -> None:
        self._store = store
        self._catalog = catalog
        self._format = index_format
        self._refresh_s = refresh_s
        self._seen: str | None = None
        self._checked = float("-inf")
        self.lock = threading.RLock()

    # -- writing ------------------------------------------------------------------------------

    def publish(self, document: Document, chunks: Sequence[Chunk], units: Sequence[UnitVectors], mtime_ns: int) -> None:
        """Put a committed document on the server (parts first, then its record)."""
        parts = [
            (
                f"part:{document.doc_id}:{n}",
                json.dumps(
                    [
                        _chunk_payload(c, u)
                        for c, u in zip(chunks[i : i + CHUNKS_PER_PART], units[i : i + CHUNKS_PER_PART], strict=False)
                    ]
                ),
                {"kind": "part", "doc_id": document.doc_id},
            )
            for n, i in enumerate(range(0, len(chunks), CHUNKS_PER_PART))
        ]
        record = {
            "path": str(document.path),
            "file_name": document.file_name,
            "title": document.title,
            "format": document.format,
            "size": document.size,
            "mtime_ns": mtime_ns,
            "page_count": document.page_count,
            "text": document.text,
            "publisher": document.publisher,
            "date": document.date,
            "genre": document.genre,
            "manifest_digest": document.manifest_digest,
            "parser": document.parser,
        }
        with self.lock:
            self._store.put_records(parts)
            self._store.put_records(
                [
                    (
                        f"document:{document.doc_id}",
                        json.dumps(record),
                        {
                            "kind": "document",
                            "doc_id": document.doc_id,
                            "parts": len(parts),
                            "path": str(document.path),
                        },
                    )
                ]
            )
            self._changed()

    def withdraw(self, doc_ids: Sequence[str]) -> None:
        """Take documents off the server (their record first, so no replica takes half of one)."""
        if not doc_ids:
            return
        with self.lock:
            self._store.delete_records([f"document:{d}" for d in doc_ids])
            for doc_id in doc_ids:
                self._store.delete_records(where={"doc_id": doc_id})
            self._changed()

    def _changed(self) -> None:
        self._store.put_records([(_CORPUS, "", {"kind": "corpus", "token": uuid.uuid4().hex, "format": self._format})])

    # -- reading ------------------------------------------------------------------------------

    def refresh(self, *, force: bool = False) -> bool:
        """Sync if the server's corpus changed (checked at most every ``refresh_s``); True if anything changed."""
        now = time.monotonic()
        if not force and now - self._checked < self._refresh_s:
            return False
        with self.lock:
            self._checked = time.monotonic()
            corpus = self._store.record_metadata(ids=[_CORPUS]).get(_CORPUS)
            if corpus is None:
                return False  # nothing published yet: the local catalogue is all there is
            if corpus.get("format") not in (None, self._format):
                raise IndexError_(
                    f"the index on the Chroma server was built with {corpus.get('format')}, this app uses "
                    f"{self._format}: give every replica the same embedding and chunking settings"
                )
            token = str(corpus.get("token"))
            if token == self._seen:
                return False
            changed = self._sync()
            self._seen = token
            return changed

    def _sync(self) -> bool:
        remote = {m["doc_id"]: m for m in self._store.record_metadata(where={"kind": "document"}).values()}
        local = {r.doc_id for r in self._catalog.documents()}
        gone = sorted(local - set(remote))
        if gone:
            self._catalog.remove_documents(gone)
        added = 0
        for doc_id in sorted(set(remote) - local):
            added += self._fetch(doc_id, int(remote[doc_id].get("parts", 0)))
        if gone or added:
            log.info("synced with the Chroma server: %d document(s) added, %d removed", added, len(gone))
        return bool(gone or added)

    def _fetch(self, doc_id: str, parts: int) -> int:
        ids = [f"document:{doc_id}", *(f"part:{doc_id}:{n}" for n in range(parts))]
        texts = self._store.record_texts(ids)
        if len(texts) != len(ids):  # withdrawn while we read: the next token change says so
            return 0
        record = json.loads(texts[ids[0]])
        document = Document(
            doc_id=doc_id,
            path=Path(record["path"]),
            file_name=record["file_name"],
            title=record["title"],
            format=record["format"],
            text=record["text"],
            segments=(),
            page_count=record["page_count"],
            size=record["size"],
            publisher=record.get("publisher", ""),
            date=record.get("date", ""),
            genre=record.get("genre", ""),
            manifest_digest=record.get("manifest_digest", ""),
            parser=record.get("parser", ""),
        )
        chunks: list[Chunk] = []
        units: list[UnitVectors] = []
        for part_id in ids[1:]:
            for item in json.loads(texts[part_id]):
                chunk, chunk_units = _chunk_from(item, doc_id, document)
                chunks.append(chunk)
                units.append(chunk_units)
        self._catalog.commit_document(document, chunks, mtime_ns=int(record["mtime_ns"]), units=units)
        return 1


def _chunk_payload(chunk: Chunk, units: UnitVectors) -> dict[str, Any]:
    return {
        "chunk_id": chunk.chunk_id,
        "ordinal": chunk.ordinal,
        "text": chunk.text,
        "start": chunk.start,
        "end": chunk.end,
        "section": list(chunk.section),
        "page": chunk.page,
        "page_label": chunk.page_label,
        "context": chunk.context,
        "heading_end": chunk.heading_end,
        "ocr": chunk.ocr,
        "pages": [list(entry) for entry in chunk.pages],
        "units": [[u.start, u.end, u.kind, base64.b64encode(vector).decode("ascii")] for u, vector in units],
    }


def _chunk_from(item: dict[str, Any], doc_id: str, document: Document) -> tuple[Chunk, UnitVectors]:
    chunk = Chunk(
        chunk_id=item["chunk_id"],
        doc_id=doc_id,
        ordinal=item["ordinal"],
        text=item["text"],
        start=item["start"],
        end=item["end"],
        section=tuple(item["section"]),
        page=item["page"],
        page_label=item["page_label"],
        context=item["context"],
        heading_end=item["heading_end"],
        file_name=document.file_name,
        title=document.title,
        publisher=document.publisher,
        date=document.date,
        ocr=bool(item["ocr"]),
        pages=tuple((int(o), p, label) for o, p, label in item.get("pages", [])),
    )
    units = [(Unit(start, end, kind), base64.b64decode(vector)) for start, end, kind, vector in item["units"]]
    return chunk, units
