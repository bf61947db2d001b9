"""Keeping the index in step with the document folders: incremental, idempotent, crash-safe.

The order of writes is what makes an interrupted ingest (even SIGKILL) harmless:

1. a document's vectors are upserted into the vector store under fresh chunk ids;
2. its catalogue rows are committed in one SQLite transaction, replacing any older
   version of the same file - only now does retrieval see it;
3. the older version's vectors are deleted.

Killed between 1 and 2, the new vectors are orphans that retrieval ignores (it only
returns committed chunks) and the next ingest sweeps; killed between 2 and 3, the old
vectors are the orphans. The lexical index is rebuilt from the catalogue at the end
and stamped with the catalogue version, so a stale one is detected and rebuilt.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from contextlib import nullcontext
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from assistant.config import Settings
from assistant.documents.isolation import ParsedFile, ParseJob, parse_files
from assistant.documents.loaders import SUPPORTED_SUFFIXES
from assistant.documents.metadata import MANIFEST_FILE, manifest_digest, read_manifest
from assistant.documents.ocr import OcrOptions
from assistant.documents.stamp import parser_stamp
from assistant.errors import ConfigurationError, IndexBusy, IndexError_, UnsupportedDocument
from assistant.index.catalog import Catalog, UnitVectors
from assistant.index.embeddings import EmbeddingModel
from assistant.index.lexical import LexicalIndex
from assistant.index.replica import SharedCatalogue
from assistant.index.vectorstore import VectorStore
from assistant.models import Chunk, DocumentRecord, IndexHealth, IngestReport, Progress
from assistant.text.normalise import text_terms
from assistant.text.units import Unit, evidence_units
from assistant.text.vocabulary import LOCAL_VOCABULARY_FILE
from assistant.text.vocabulary import fingerprint as vocabulary_fingerprint

if TYPE_CHECKING:
    import numpy as np

__all__ = ["Index", "IngestReport", "Progress"]

log = logging.getLogger(__name__)

# the vocabulary and the manifest describe the corpus: they are not documents
_IGNORED_NAMES = {".DS_Store", "Thumbs.db", "desktop.ini", LOCAL_VOCABULARY_FILE, MANIFEST_FILE}


class Index:
    """The catalogue, the vector store and the lexical index of one data folder."""

    def __init__(self, settings: Settings, embedder: EmbeddingModel) -> None:
        self.settings = settings
        self.embedder = embedder
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        self._catalog = Catalog(settings.catalog_path)
        self._store: VectorStore | None = None
        self._lexical: LexicalIndex | None = None
        self._lexical_version = ""
        self._shared_catalogue: SharedCatalogue | None = None
        self._manifest: dict[str, dict[str, str]] = {}
        self._exact: tuple[list[str], np.ndarray] | None = None
        self._exact_version = -1

    @property
    def _vectors(self) -> VectorStore:
        if self._store is None:
            self._store = VectorStore(self.settings)
        return self._store

    @property
    def _format(self) -> str:
        """What vectors and chunks depend on: a change re-indexes everything."""
        return f"{self.embedder.name}:{self.settings.chunk_tokens}:{self.settings.chunk_overlap_tokens}"

    @property
    def _shared(self) -> SharedCatalogue | None:
        """The catalogue kept on the Chroma server for replicas (None with the embedded store)."""
        if not self.settings.chroma_host:
            return None
        if self._shared_catalogue is None:
            self._shared_catalogue = SharedCatalogue(
                self._vectors, self._catalog, index_format=self._format, refresh_s=self.settings.replica_refresh_s
            )
        return self._shared_catalogue

    def refresh(self, *, force: bool = False) -> None:
        """On a Chroma server: take in what other replicas published (checked at most every few seconds)."""
        shared = self._shared
        if shared is not None:
            shared.refresh(force=force)

    def close(self) -> None:
        """Close the catalogue connection and release the vector store client."""
        self._catalog.close()
        if self._store is not None:
            self._store.close()
            self._store = None

    @property
    def version(self) -> int:
        self.refresh()
        return self._catalog.version

    def warm_up(self) -> None:
        """Open the stores and load the lexical index now rather than on the first question."""
        self._lexical_index()
        _ = self._vectors

    def is_empty(self) -> bool:
        self.refresh()
        return self._catalog.count_chunks() == 0

    def _lexical_stamp(self) -> str:
        """What the lexical index depends on: the committed catalogue and the vocabulary."""
        return f"{self._catalog.version}-{vocabulary_fingerprint()}"

    def _lexical_index(self) -> LexicalIndex:
        """The lexical index matching the committed catalogue (loaded, or rebuilt if stale)."""
        stamp = self._lexical_stamp()
        if self._lexical is not None and self._lexical_version == stamp:
            return self._lexical
        loaded = LexicalIndex.load(self.settings.lexical_dir, stamp)
        if loaded is None:
            loaded = self._rebuild_lexical(stamp)
        self._lexical, self._lexical_version = loaded, stamp
        return loaded

    def _rebuild_lexical(self, stamp: str) -> LexicalIndex:
        index = LexicalIndex.build((c.chunk_id, text_terms(c.embedding_text())) for c in self._catalog.iter_chunks())
        try:
            index.save(self.settings.lexical_dir, stamp)
        except OSError as exc:  # a read-only data folder still answers questions
            log.warning("could not save the lexical index: %s", exc)
        return index

    # -- ingest ---------------------------------------------------------------------------

    def ingest(
        self,
        paths: Sequence[Path] | None = None,
        *,
        progress: Progress | None = None,
        skip: Collection[Path] = (),
    ) -> IngestReport:
        """Bring the index in line with ``paths`` (default: the corpus folder).

        Files in ``skip`` are left out as if they were not there, and their index entries
        (if any) are kept: a re-index leaves files that await a decision alone.
        """
        from filelock import FileLock, Timeout

        started = time.monotonic()
        roots = [Path(p) for p in (paths or [self.settings.corpus_dir])]
        for root in roots:
            if not root.exists():
                raise IndexError_(f"{root}: no such file or folder (set ASSISTANT_CORPUS_DIR or pass a path)")
        lock = FileLock(str(self.settings.lock_path))
        try:
            lock.acquire(timeout=0.5)
        except Timeout:
            raise IndexBusy(f"another ingest is running on {self.settings.data_dir}; wait for it to finish") from None
        try:
            report = self._ingest_locked(roots, progress or _no_progress, {Path(p).resolve() for p in skip})
        finally:
            lock.release()
        report.seconds = time.monotonic() - started
        report.documents = len(self._catalog.documents())
        report.chunks = self._catalog.count_chunks()
        return report

    def _ingest_locked(self, roots: list[Path], progress: Progress, skip: set[Path]) -> IngestReport:
        report = IngestReport()
        catalog = self._catalog
        model_stamp = self._format
        self.refresh(force=True)  # what other replicas indexed counts as known
        if catalog.get_meta("index_format") not in (None, model_stamp):
            log.info("embedding model or chunking changed: re-indexing every document")
            self._drop_everything()
        if catalog.get_meta("ingest_state") == "running" or catalog.get_meta("index_format") is None:
            self.reconcile()
        catalog.set_meta("index_format", model_stamp)
        catalog.set_meta("ingest_state", "running")

        files, unsupported = _discover(roots)
        files = [f for f in files if f.resolve() not in skip]
        for path in unsupported:
            report.failed.append((path.name, UnsupportedDocument(path).detail))
        self._manifest = self._read_manifests(roots, report)
        progress("scan", len(files), len(files), "")
        known = {Path(r.path): r for r in catalog.documents()}
        by_id = {r.doc_id: r for r in known.values()}

        to_parse: list[Path] = []
        for path in files:
            record = known.get(path.resolve())
            stat = path.stat()
            if (
                record is not None
                and record.size == stat.st_size
                and record.mtime_ns == stat.st_mtime_ns
                and record.manifest_digest == manifest_digest(self._manifest.get(path.name))
                and record.parser == parser_stamp()
            ):
                report.unchanged.append(path.name)
            else:
                to_parse.append(path)

        job = ParseJob(
            max_bytes=self.settings.max_file_bytes,
            max_pdf_pages=self.settings.max_pdf_pages,
            chunk_tokens=self.settings.chunk_tokens,
            overlap_tokens=self.settings.chunk_overlap_tokens,
            model_dir=str(self.embedder.model_dir),
            ocr=OcrOptions(
                enabled=self.settings.ocr,
                language=self.settings.ocr_language,
                tesseract=self.settings.ocr_tesseract,
                page_timeout_s=self.settings.ocr_page_timeout_s,
                max_pages=self.settings.ocr_max_pages,
                time_budget_s=0.8 * self.settings.parse_timeout_s,  # refuse with a reason before the child is killed
            ),
        )
        results = parse_files(
            to_parse,
            job,
            isolate=self.settings.parse_in_subprocess,
            timeout_s=self.settings.parse_timeout_s,
            memory_mb=self.settings.parse_memory_mb,
        )
        work = _Work(progress, {p: p.stat().st_size for p in to_parse})
        duplicates: list[tuple[ParsedFile, str]] = []
        for parsed in results:
            work.start(parsed.path)
            if parsed.error is not None or parsed.document is None:
                reason = parsed.error.detail if parsed.error else "could not be parsed"
                report.failed.append((parsed.path.name, reason))
                log.warning("skipped %s: %s", parsed.path.name, reason)
                work.finish()
                continue
            twin = self._commit(parsed, known, by_id, report, work.within)
            work.finish()
            if twin is not None:
                duplicates.append((parsed, twin))
        # A copy skipped because its twin held the same content is indexed after all when
        # that twin changed in this same run (its content now lives nowhere else).
        for parsed, twin in duplicates:
            if twin not in by_id:
                self._commit(parsed, known, by_id, report, lambda fraction: None)
            else:
                assert parsed.document is not None
                report.skipped.append((parsed.document.file_name, f"same content as {by_id[twin].file_name}"))

        gone = [r for r in known.values() if _under_roots(Path(r.path), roots) and not Path(r.path).exists()]
        if gone:
            self.remove([r.doc_id for r in gone])
            report.removed.extend(r.file_name for r in gone)

        if report.changed or LexicalIndex.load(self.settings.lexical_dir, self._lexical_stamp()) is None:
            progress("lexical", 0, 1, "")
            stamp = self._lexical_stamp()
            self._lexical, self._lexical_version = self._rebuild_lexical(stamp), stamp
        catalog.set_meta("ingest_state", "clean")
        progress("done", 1, 1, "")
        return report

    def _read_manifests(self, roots: Sequence[Path], report: IngestReport) -> dict[str, dict[str, str]]:
        """The corpus manifests' entries by file name (the corpus folder's, then each folder ingested);
        a malformed manifest is reported and left out, and the documents are indexed without it."""
        manifest: dict[str, dict[str, str]] = {}
        folders = dict.fromkeys([self.settings.corpus_dir, *(r if r.is_dir() else r.parent for r in roots)])
        for folder in folders:
            try:
                manifest.update(read_manifest(Path(folder) / MANIFEST_FILE))
            except ConfigurationError as exc:
                report.failed.append((MANIFEST_FILE, str(exc)))
                log.warning("%s", exc)
        return manifest

    def _commit(
        self,
        parsed: ParsedFile,
        known: dict[Path, DocumentRecord],
        by_id: dict[str, DocumentRecord],
        report: IngestReport,
        advance: Callable[[float], None],
    ) -> str | None:
        """Index one parsed file, replacing what it supersedes.

        Returns the doc_id of an existing twin when the file is a duplicate (same content
        at another path that still exists) and was therefore not indexed.
        """
        assert parsed.document is not None
        document = replace(parsed.document, parser=parser_stamp())
        parsed = replace(parsed, document=document)
        entry = self._manifest.get(document.file_name)
        if entry:  # the manifest overrides what the document says about itself
            document = replace(
                document,
                title=entry.get("title", document.title),
                publisher=entry.get("publisher", document.publisher),
                date=entry.get("date", document.date),
                genre=entry.get("genre", document.genre),
                manifest_digest=manifest_digest(entry),
            )
            chunks = tuple(
                replace(c, title=document.title, publisher=document.publisher, date=document.date)
                for c in parsed.chunks
            )
            parsed = replace(parsed, document=document, chunks=chunks)
        stat = parsed.path.stat()
        previous = known.get(document.path)
        same_content = by_id.get(document.doc_id)
        if (
            previous is not None
            and previous.doc_id == document.doc_id
            and previous.manifest_digest == document.manifest_digest
            and previous.parser == document.parser
        ):
            self._catalog.touch(document.doc_id, stat.st_mtime_ns)
            report.unchanged.append(document.file_name)
            return None
        moved = same_content is not None and Path(same_content.path) != document.path
        if moved and same_content is not None and Path(same_content.path).exists():
            return same_content.doc_id
        if not parsed.chunks:
            report.failed.append((document.file_name, "no text could be extracted"))
            return None
        units = self._add(parsed.chunks, advance)
        # the file's own older version and a record of the same content are often one and the same
        superseded = list({r.doc_id: r for r in (previous, same_content) if r is not None}.values())
        new_ids = {c.chunk_id for c in parsed.chunks}
        # A renamed file keeps its content hash, so its chunk ids: keep those vectors.
        stale = [cid for r in superseded for cid in self._catalog.chunk_ids_of(r.doc_id) if cid not in new_ids]
        replaced = [r.doc_id for r in superseded if r.doc_id != document.doc_id]
        shared = self._shared
        # on a shared server, a sync never sees the local commit before it is published
        with shared.lock if shared is not None else nullcontext():
            self._catalog.commit_document(
                document, parsed.chunks, mtime_ns=stat.st_mtime_ns, replaces=replaced, units=units
            )
            if shared is not None:
                shared.publish(document, parsed.chunks, units, stat.st_mtime_ns)
                shared.withdraw(replaced)
        if stale:
            self._vectors.delete(stale)
        for record in superseded:
            known.pop(Path(record.path), None)
            by_id.pop(record.doc_id, None)
            if Path(record.path) != document.path:
                report.removed.append(record.file_name)  # the file was moved or renamed
        (report.updated if previous is not None else report.added).append(document.file_name)
        report.chunks_added += len(parsed.chunks)
        record = DocumentRecord(
            document.doc_id,
            str(document.path),
            document.file_name,
            document.title,
            document.format,
            document.size,
            stat.st_mtime_ns,
            document.page_count,
            len(parsed.chunks),
            "",
            publisher=document.publisher,
            date=document.date,
            genre=document.genre,
            manifest_digest=document.manifest_digest,
            parser=document.parser,
        )
        known[document.path] = record
        by_id[document.doc_id] = record
        return None

    def _add(self, chunks: Sequence[Chunk], advance: Callable[[float], None]) -> list[UnitVectors]:
        """Embed chunks (and their sentences, in the same pass) and upsert the vectors,
        reporting the share of the document done after each batch."""
        batch = max(1, self.settings.embed_batch_size)
        all_units: list[UnitVectors] = []
        for start in range(0, len(chunks), batch):
            part = chunks[start : start + batch]
            texts = [c.embedding_text() for c in part]
            units = [evidence_units(c.text, c.heading_end) for c in part]
            # the chunk text ends the embedding text: shift unit offsets by the prefix
            spans = [
                [(len(t) - len(c.text) + u.start, len(t) - len(c.text) + u.end) for u in us]
                for t, c, us in zip(texts, part, units, strict=True)
            ]
            vectors, unit_vectors = self.embedder.embed_passages(texts, spans)
            self._vectors.upsert(
                [c.chunk_id for c in part],
                vectors,
                [{"doc_id": c.doc_id, "ordinal": c.ordinal} for c in part],
            )
            for chunk_units, pooled in zip(units, unit_vectors, strict=True):
                all_units.append([(u, pooled[i].astype("float16").tobytes()) for i, u in enumerate(chunk_units)])
            advance(min(start + len(part), len(chunks)) / len(chunks))
        return all_units

    def remove(self, doc_ids: Iterable[str]) -> None:
        """Drop documents: catalogue first (atomic), then their vectors."""
        ids = list(doc_ids)
        chunk_ids = [cid for doc_id in ids for cid in self._catalog.chunk_ids_of(doc_id)]
        self._catalog.remove_documents(ids)
        if self._shared is not None:
            self._shared.withdraw(ids)
        if chunk_ids:
            self._vectors.delete(chunk_ids)
        stamp = self._lexical_stamp()
        self._lexical, self._lexical_version = self._rebuild_lexical(stamp), stamp

    def reconcile(self) -> dict[str, int]:
        """Sweep what an interrupted ingest left: orphan vectors, documents missing vectors."""
        committed = self._catalog.chunk_ids()
        stored = self._vectors.ids()
        # On a shared server another replica's ingest may be between its upsert and its
        # publish: vectors nobody committed are left alone there (retrieval ignores them).
        orphans = sorted(stored - committed) if self._shared is None else []
        if orphans:
            self._vectors.delete(orphans)
        missing = committed - stored
        broken = sorted({cid.rsplit("-", 1)[0] for cid in missing})
        if broken:
            self._catalog.remove_documents(broken)  # re-ingested by the run that follows
        if orphans or broken:
            log.info(
                "reconciled the index: %d orphan vectors removed, %d documents to re-index", len(orphans), len(broken)
            )
        return {"orphans_removed": len(orphans), "documents_reset": len(broken)}

    def _drop_everything(self) -> None:
        records = self._catalog.documents()
        self._catalog.remove_documents(r.doc_id for r in records)
        stored = sorted(self._vectors.ids())
        if stored:
            self._vectors.delete(stored)

    # -- status ---------------------------------------------------------------------------

    # -- the read API: plain values for retrieval, answering, the register and the products --------

    def search_dense(self, vector: np.ndarray, k: int) -> list[tuple[str, float]]:
        """(chunk id, cosine similarity) of the ``k`` nearest vectors, best first.

        Exact over every vector while the corpus is small enough (``exact_search_max``): the
        approximate graph can return a slightly different set from one build of the same corpus
        to the next, and so a different answer. Ties go to the smaller chunk id.
        """
        import numpy as np

        self.refresh()
        exact = self._exact_vectors()
        if exact is None:
            return self._vectors.search(vector, k)
        ids, matrix = exact
        if not ids or k <= 0:
            return []
        query = np.asarray(vector, dtype="float32")
        norm = float(np.linalg.norm(query))
        scores = matrix @ (query / norm if norm > 0 else query)
        best = np.argsort(-scores, kind="stable")[:k]
        return [(ids[i], float(scores[i])) for i in best]

    def _exact_vectors(self) -> tuple[list[str], np.ndarray] | None:
        """Every stored vector for exact search, reloaded when the catalogue changes; None beyond the limit."""
        limit = self.settings.exact_search_max
        if limit <= 0:
            return None
        version = self._catalog.version
        if self._exact_version != version:
            self._exact = None
            if self._catalog.count_chunks() <= limit:
                # committed chunks only: an interrupted ingest's orphans, or the vectors of a
                # replaced version not yet deleted, never take a place among the nearest
                committed = self._catalog.chunk_ids()
                ids, matrix = self._vectors.vectors()
                keep = [n for n, chunk_id in enumerate(ids) if chunk_id in committed]
                self._exact = ([ids[n] for n in keep], matrix[keep] if keep else matrix[:0])
            self._exact_version = version
        return self._exact

    def search_lexical(self, terms: Sequence[str], k: int) -> list[tuple[str, float]]:
        """(chunk id, BM25 score) of the ``k`` best lexical matches, best first."""
        return self._lexical_index().search(terms, k)

    def idf(self, term: str) -> float:
        return self._lexical_index().idf(term)

    def doc_freq(self, term: str) -> int:
        """How many chunks hold ``term`` (0 when the corpus never uses it)."""
        return self._lexical_index().doc_freq.get(term, 0)

    def term_statistics(self) -> tuple[dict[str, int], int]:
        """(chunks holding each term, number of chunks)."""
        lexical = self._lexical_index()
        return lexical.doc_freq, lexical.size

    def chunks(self, chunk_ids: Sequence[str]) -> dict[str, Chunk]:
        """Committed chunks by id (ids of uncommitted or unknown chunks are left out)."""
        return self._catalog.chunks(chunk_ids)

    def document_chunks(self, doc_id: str) -> list[Chunk]:
        """A document's chunks in order."""
        found = self._catalog.chunks(self._catalog.chunk_ids_of(doc_id))
        return sorted(found.values(), key=lambda c: c.ordinal)

    def iter_chunks(self) -> Iterator[Chunk]:
        """Every committed chunk, document by document, in order."""
        return self._catalog.iter_chunks()

    def iter_documents(self) -> Iterator[tuple[str, str, list[Chunk]]]:
        """(doc_id, cleaned text, its chunks in order) for every committed document."""
        doc_id = ""
        chunks: list[Chunk] = []
        for chunk in self._catalog.iter_chunks():
            if chunk.doc_id != doc_id:
                if doc_id:
                    yield doc_id, self._catalog.document_text(doc_id) or "", chunks
                doc_id, chunks = chunk.doc_id, []
            chunks.append(chunk)
        if doc_id:
            yield doc_id, self._catalog.document_text(doc_id) or "", chunks

    def unit_vectors(self, chunk_ids: Sequence[str]) -> dict[str, list[tuple[Unit, np.ndarray]]]:
        """The evidence units of each chunk with their sentence vectors (float32, unit length)."""
        import numpy as np

        stored = self._catalog.units(chunk_ids)
        return {
            chunk_id: [(unit, np.frombuffer(blob, dtype="float16").astype("float32")) for unit, blob in entries]
            for chunk_id, entries in stored.items()
        }

    def documents(self) -> list[DocumentRecord]:
        self.refresh()
        return self._catalog.documents()

    def document_text(self, doc_id: str) -> str | None:
        return self._catalog.document_text(doc_id)

    def health(self) -> IndexHealth:
        """What the catalogue, the vector store and the lexical index each hold (reads everything: slow)."""
        from collections import Counter

        chunks = list(self._catalog.iter_chunks())
        records = self._catalog.documents()
        spans = Counter((c.doc_id, c.start, c.end) for c in chunks)
        texts = Counter((c.file_name, c.text) for c in chunks)
        lexical = self._lexical_index()  # what retrieval uses: the saved index, rebuilt when stale
        return IndexHealth(
            version=self._catalog.version,
            ingest_state=self._catalog.get_meta("ingest_state", "empty") or "empty",
            documents=tuple(records),
            committed=frozenset(self._catalog.chunk_ids()),
            vectors=frozenset(self._vectors.ids()),
            lexical=frozenset(lexical.ids),
            chunks_per_document=tuple((r.doc_id, len(self._catalog.chunk_ids_of(r.doc_id))) for r in records),
            duplicate_spans=sum(n - 1 for n in spans.values()),
            duplicate_texts=sum(n - 1 for n in texts.values()),
        )

    def status(self) -> dict[str, Any]:
        self.refresh()
        records = self._catalog.documents()
        return {
            "documents": len(records),
            "chunks": self._catalog.count_chunks(),
            "corpus_version": self._catalog.version,
            "data_dir": str(self.settings.data_dir),
            "vector_store": self._vectors.location,
            "embedding_model": self.embedder.name,
            "ingest_state": self._catalog.get_meta("ingest_state", "empty"),
            "details": [r.as_dict() for r in records],
        }


def _no_progress(stage: str, done: int, total: int, name: str) -> None:
    return None


class _Work:
    """Progress of an ingest as one measure: bytes of the files to index, each counted as its
    chunks are embedded, so a progress bar moves batch by batch and can estimate time left.

    Reports ``progress("index", bytes done, bytes in all, "name (document i of n)")``.
    """

    def __init__(self, progress: Progress, sizes: dict[Path, int]) -> None:
        self.progress = progress
        self.sizes = sizes
        self.total = max(1, sum(sizes.values()))
        self.done = 0
        self.count = 0
        self.current: Path | None = None

    def start(self, path: Path) -> None:
        self.current = path
        self.count += 1
        self._report(0.0)

    def within(self, fraction: float) -> None:
        self._report(fraction)

    def finish(self) -> None:
        if self.current is not None:
            self.done += self.sizes.get(self.current, 0)
            self.current = None

    def _report(self, fraction: float) -> None:
        size = self.sizes.get(self.current, 0) if self.current else 0
        name = f"{self.current.name} (document {self.count} of {len(self.sizes)})" if self.current else ""
        self.progress("index", min(self.total, self.done + int(size * fraction)), self.total, name)


def _discover(roots: Sequence[Path]) -> tuple[list[Path], list[Path]]:
    """Supported files under the roots (sorted, deduplicated) and unsupported ones."""
    found: dict[Path, Path] = {}
    unsupported: list[Path] = []
    for root in roots:
        candidates = [root] if root.is_file() else sorted(p for p in root.rglob("*") if p.is_file())
        for path in candidates:
            if path.name in _IGNORED_NAMES or any(
                part.startswith(".") for part in path.relative_to(root.parent if root.is_file() else root).parts
            ):
                continue
            if path.suffix.lower() in SUPPORTED_SUFFIXES:
                found.setdefault(path.resolve(), path)
            else:
                unsupported.append(path)
    return sorted(found.values(), key=lambda p: str(p.resolve())), unsupported


def _under_roots(path: Path, roots: Sequence[Path]) -> bool:
    for root in roots:
        resolved = root.resolve()
        if path == resolved or (root.is_dir() and resolved in path.parents):
            return True
        if not root.exists() and path == resolved:
            return True
    return False
