"""The catalogue: which documents and chunks are committed to the index.

It is the source of truth for crash safety. A document becomes visible only when its
row and its chunks' rows are written in one SQLite transaction, after its vectors are
in the vector store; vectors that no committed chunk owns are orphans, invisible to
retrieval and swept by the next ingest.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path

from assistant.models import Chunk, Document, DocumentRecord
from assistant.text.units import Unit

__all__ = ["Catalog", "DocumentRecord", "UnitVectors"]

UnitVectors = list[tuple[Unit, bytes]]
"""A chunk's evidence units with their vectors (float16 bytes, chunk-relative offsets)."""

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS documents (
    doc_id TEXT PRIMARY KEY,
    path TEXT UNIQUE NOT NULL,
    file_name TEXT NOT NULL,
    title TEXT NOT NULL,
    format TEXT NOT NULL,
    size INTEGER NOT NULL,
    mtime_ns INTEGER NOT NULL,
    page_count INTEGER,
    chunk_count INTEGER NOT NULL,
    text TEXT NOT NULL,
    indexed_at TEXT NOT NULL,
    publisher TEXT NOT NULL DEFAULT '',
    date TEXT NOT NULL DEFAULT '',
    genre TEXT NOT NULL DEFAULT '',
    manifest_digest TEXT NOT NULL DEFAULT '',
    parser TEXT NOT NULL DEFAULT ''
);
CREATE TABLE IF NOT EXISTS chunks (
    chunk_id TEXT PRIMARY KEY,
    doc_id TEXT NOT NULL REFERENCES documents(doc_id) ON DELETE CASCADE,
    ordinal INTEGER NOT NULL,
    text TEXT NOT NULL,
    start INTEGER NOT NULL,
    end_ INTEGER NOT NULL,
    section TEXT NOT NULL,
    page INTEGER,
    page_label TEXT,
    context TEXT NOT NULL,
    heading_end INTEGER NOT NULL DEFAULT 0,
    ocr INTEGER NOT NULL DEFAULT 0,
    pages TEXT NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS chunks_by_doc ON chunks(doc_id, ordinal);
CREATE TABLE IF NOT EXISTS units (
    chunk_id TEXT NOT NULL REFERENCES chunks(chunk_id) ON DELETE CASCADE,
    start INTEGER NOT NULL,
    end_ INTEGER NOT NULL,
    kind TEXT NOT NULL,
    vector BLOB NOT NULL,
    PRIMARY KEY (chunk_id, start)
) WITHOUT ROWID;
"""

# the columns :func:`_chunk` reads, in its order
_SELECT_CHUNKS = (
    "SELECT c.chunk_id, c.doc_id, c.ordinal, c.text, c.start, c.end_, c.section, c.page, c.page_label, "
    "c.context, c.heading_end, d.file_name, d.title, c.ocr, c.pages, d.publisher, d.date "
    "FROM chunks c JOIN documents d USING(doc_id)"
)


class Catalog:
    """SQLite store of documents and chunks, one connection per thread."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._local = threading.local()
        with self._connect() as connection:
            connection.executescript(_SCHEMA)
            existing = {
                table: {row[1] for row in connection.execute(f"PRAGMA table_info({table})")}
                for table in ("chunks", "documents")
            }
            # columns added since the first catalogues; older rows get the defaults (no OCR, pages
            # unknown inside the chunk: citations give the chunk's page, as before; no publisher,
            # date or genre until the document is next indexed; no parser stamp, so the next
            # ingest parses it again with the current code)
            for table, column, declaration in (
                ("chunks", "ocr", "INTEGER NOT NULL DEFAULT 0"),
                ("chunks", "pages", "TEXT NOT NULL DEFAULT ''"),
                *(
                    ("documents", c, "TEXT NOT NULL DEFAULT ''")
                    for c in ("publisher", "date", "genre", "manifest_digest", "parser")
                ),
            ):
                if column in existing[table]:
                    continue
                try:
                    connection.execute(f"ALTER TABLE {table} ADD COLUMN {column} {declaration}")
                except sqlite3.OperationalError as exc:  # another process added it just now
                    if "duplicate column" not in str(exc):
                        raise

    def _connect(self) -> sqlite3.Connection:
        connection: sqlite3.Connection | None = getattr(self._local, "connection", None)
        if connection is None:
            connection = sqlite3.connect(self.path, timeout=30, isolation_level=None)
            connection.execute("PRAGMA journal_mode=WAL")
            connection.execute("PRAGMA synchronous=FULL")
            connection.execute("PRAGMA foreign_keys=ON")
            self._local.connection = connection
        return connection

    def close(self) -> None:
        connection = getattr(self._local, "connection", None)
        if connection is not None:
            connection.close()
            self._local.connection = None

    # -- meta -----------------------------------------------------------------------------

    def get_meta(self, key: str, default: str | None = None) -> str | None:
        row = self._connect().execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else default

    def set_meta(self, key: str, value: str) -> None:
        self._connect().execute(
            "INSERT INTO meta(key, value) VALUES(?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            (key, value),
        )

    @property
    def version(self) -> int:
        """Bumped by every committed change; the lexical index records the one it matches."""
        return int(self.get_meta("corpus_version", "0") or 0)

    # -- documents ------------------------------------------------------------------------

    def documents(self) -> list[DocumentRecord]:
        rows = self._connect().execute(
            "SELECT doc_id, path, file_name, title, format, size, mtime_ns, page_count, chunk_count, indexed_at, "
            "publisher, date, genre, manifest_digest, parser FROM documents ORDER BY file_name, path"
        )
        return [DocumentRecord(*row) for row in rows]

    def document_text(self, doc_id: str) -> str | None:
        row = self._connect().execute("SELECT text FROM documents WHERE doc_id = ?", (doc_id,)).fetchone()
        return row[0] if row else None

    def documents_by_name(self) -> dict[str, str]:
        """File name -> doc_id (the first one when names repeat)."""
        result: dict[str, str] = {}
        for record in self.documents():
            result.setdefault(record.file_name, record.doc_id)
        return result

    def commit_document(
        self,
        document: Document,
        chunks: Sequence[Chunk],
        *,
        mtime_ns: int,
        replaces: Iterable[str] = (),
        units: Sequence[UnitVectors] = (),
    ) -> None:
        """Make a document and its chunks visible, replacing older versions, atomically."""
        connection = self._connect()
        connection.execute("BEGIN IMMEDIATE")
        try:
            for old in {*replaces, document.doc_id}:
                connection.execute("DELETE FROM documents WHERE doc_id = ?", (old,))
            connection.execute("DELETE FROM documents WHERE path = ?", (str(document.path),))
            connection.execute(
                "INSERT INTO documents (doc_id, path, file_name, title, format, size, mtime_ns, page_count, "
                "chunk_count, text, indexed_at, publisher, date, genre, manifest_digest, parser) "
                "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                (
                    document.doc_id,
                    str(document.path),
                    document.file_name,
                    document.title,
                    document.format,
                    document.size,
                    mtime_ns,
                    document.page_count,
                    len(chunks),
                    document.text,
                    datetime.now(UTC).isoformat(timespec="seconds"),
                    document.publisher,
                    document.date,
                    document.genre,
                    document.manifest_digest,
                    document.parser,
                ),
            )
            connection.executemany(
                "INSERT INTO chunks (chunk_id, doc_id, ordinal, text, start, end_, section, page, page_label, "
                "context, heading_end, ocr, pages) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
                [
                    (
                        c.chunk_id,
                        c.doc_id,
                        c.ordinal,
                        c.text,
                        c.start,
                        c.end,
                        json.dumps(list(c.section), ensure_ascii=False),
                        c.page,
                        c.page_label,
                        c.context,
                        c.heading_end,
                        int(c.ocr),
                        json.dumps([list(entry) for entry in c.pages]) if c.pages else "",
                    )
                    for c in chunks
                ],
            )
            connection.executemany(
                "INSERT INTO units VALUES (?,?,?,?,?)",
                [
                    (chunk.chunk_id, unit.start, unit.end, unit.kind, vector)
                    for chunk, chunk_units in zip(chunks, units, strict=False)
                    for unit, vector in chunk_units
                ],
            )
            self._bump(connection)
            connection.execute("COMMIT")
        except BaseException:
            connection.execute("ROLLBACK")
            raise

    def remove_documents(self, doc_ids: Iterable[str]) -> None:
        ids = list(doc_ids)
        if not ids:
            return
        connection = self._connect()
        connection.execute("BEGIN IMMEDIATE")
        try:
            connection.executemany("DELETE FROM documents WHERE doc_id = ?", [(i,) for i in ids])
            self._bump(connection)
            connection.execute("COMMIT")
        except BaseException:
            connection.execute("ROLLBACK")
            raise

    def touch(self, doc_id: str, mtime_ns: int) -> None:
        """Record a new modification time for unchanged content (a copied or touched file)."""
        self._connect().execute("UPDATE documents SET mtime_ns = ? WHERE doc_id = ?", (mtime_ns, doc_id))

    @staticmethod
    def _bump(connection: sqlite3.Connection) -> None:
        connection.execute(
            "INSERT INTO meta(key, value) VALUES('corpus_version', '1') "
            "ON CONFLICT(key) DO UPDATE SET value = CAST(value AS INTEGER) + 1"
        )

    # -- chunks ---------------------------------------------------------------------------

    def chunk_ids(self) -> set[str]:
        return {row[0] for row in self._connect().execute("SELECT chunk_id FROM chunks")}

    def chunk_ids_of(self, doc_id: str) -> list[str]:
        rows = self._connect().execute("SELECT chunk_id FROM chunks WHERE doc_id = ? ORDER BY ordinal", (doc_id,))
        return [row[0] for row in rows]

    def count_chunks(self) -> int:
        return int(self._connect().execute("SELECT COUNT(*) FROM chunks").fetchone()[0])

    def chunks(self, chunk_ids: Sequence[str]) -> dict[str, Chunk]:
        """Committed chunks by id; ids that are not committed are simply absent."""
        result: dict[str, Chunk] = {}
        connection = self._connect()
        for start in range(0, len(chunk_ids), 500):
            batch = list(chunk_ids[start : start + 500])
            marks = ",".join("?" * len(batch))
            rows = connection.execute(
                f"{_SELECT_CHUNKS} WHERE c.chunk_id IN ({marks})",
                batch,
            )
            for row in rows:
                result[row[0]] = _chunk(row)
        return result

    def units(self, chunk_ids: Sequence[str]) -> dict[str, UnitVectors]:
        """Evidence units with vectors for the given chunks (absent when none were stored)."""
        result: dict[str, UnitVectors] = {}
        connection = self._connect()
        for start in range(0, len(chunk_ids), 500):
            batch = list(chunk_ids[start : start + 500])
            marks = ",".join("?" * len(batch))
            rows = connection.execute(
                f"SELECT chunk_id, start, end_, kind, vector FROM units WHERE chunk_id IN ({marks}) "
                "ORDER BY chunk_id, start",
                batch,
            )
            for chunk_id, unit_start, unit_end, kind, vector in rows:
                result.setdefault(chunk_id, []).append((Unit(unit_start, unit_end, kind), vector))
        return result

    def iter_chunks(self) -> Iterator[Chunk]:
        """Every committed chunk in a stable order (document path, then position)."""
        rows = self._connect().execute(f"{_SELECT_CHUNKS} ORDER BY d.path, c.ordinal")
        for row in rows:
            yield _chunk(row)

    def neighbours(self, chunk: Chunk) -> tuple[Chunk | None, Chunk | None]:
        """The chunks just before and after one in its document."""
        rows = self._connect().execute(
            f"{_SELECT_CHUNKS} WHERE c.doc_id = ? AND c.ordinal IN (?, ?)",
            (chunk.doc_id, chunk.ordinal - 1, chunk.ordinal + 1),
        )
        found = {row[2]: _chunk(row) for row in rows}
        return found.get(chunk.ordinal - 1), found.get(chunk.ordinal + 1)


def _chunk(row: tuple) -> Chunk:  # type: ignore[type-arg]
    return Chunk(
        chunk_id=row[0],
        doc_id=row[1],
        ordinal=row[2],
        text=row[3],
        start=row[4],
        end=row[5],
        section=tuple(json.loads(row[6])),
        page=row[7],
        page_label=row[8],
        context=row[9],
        heading_end=row[10],
        file_name=row[11],
        title=row[12],
        ocr=bool(row[13]),
        pages=tuple((int(o), p, label) for o, p, label in json.loads(row[14])) if row[14] else (),
        publisher=row[15],
        date=row[16],
    )
