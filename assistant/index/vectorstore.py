"""The vector store: Chroma, embedded (a folder) or a server (the scale-out path).

chromadb is imported here only. Vectors are computed by :mod:`assistant.embeddings`
and passed in, so Chroma never loads (or downloads) an embedding function of its own,
and telemetry is off.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from assistant.config import Settings
from assistant.errors import IndexError_

if TYPE_CHECKING:
    import numpy as np

__all__ = ["VectorStore"]


class VectorStore:
    """Ids, vectors and a little metadata per chunk; cosine similarity search."""

    def __init__(self, settings: Settings) -> None:
        import chromadb
        from chromadb.config import Settings as ChromaSettings

        chroma_settings = ChromaSettings(anonymized_telemetry=False, allow_reset=False)
        try:
            if settings.chroma_host:
                self._client = chromadb.HttpClient(
                    host=settings.chroma_host, port=settings.chroma_port, settings=chroma_settings
                )
                self.location = f"chroma server {settings.chroma_host}:{settings.chroma_port}"
            else:
                settings.chroma_dir.mkdir(parents=True, exist_ok=True)
                self._client = chromadb.PersistentClient(path=str(settings.chroma_dir), settings=chroma_settings)
                self.location = str(settings.chroma_dir)
            self._collection = self._client.get_or_create_collection(
                settings.collection,
                embedding_function=None,
                configuration={"hnsw": {"space": "cosine", "ef_search": 128, "ef_construction": 128}},
            )
        except Exception as exc:  # connection refused, corrupt folder, version mismatch
            raise IndexError_(
                f"cannot open the vector store ({settings.chroma_host or settings.chroma_dir}): {exc}"
            ) from None
        self._max_batch = self._batch_limit()
        self._collection_name = settings.collection
        self._records_collection: Any = None

    def close(self) -> None:
        """Release the client so that a later VectorStore sees the folder afresh.

        chromadb caches one client system per path and process; after another process
        wrote to the folder (an ingest run by the CLI), the cached one would be stale.
        """
        from chromadb.api.shared_system_client import SharedSystemClient

        SharedSystemClient.clear_system_cache()

    def _batch_limit(self) -> int:
        try:
            return max(1, min(5000, int(self._client.get_max_batch_size())))
        except Exception:
            return 1000

    def upsert(self, ids: Sequence[str], vectors: np.ndarray, metadatas: Sequence[dict[str, Any]]) -> None:
        for start in range(0, len(ids), self._max_batch):
            end = start + self._max_batch
            self._collection.upsert(
                ids=list(ids[start:end]),
                embeddings=vectors[start:end],
                metadatas=list(metadatas[start:end]),
            )

    def delete(self, ids: Sequence[str]) -> None:
        for start in range(0, len(ids), self._max_batch):
            self._collection.delete(ids=list(ids[start : start + self._max_batch]))

    def ids(self) -> set[str]:
        found: set[str] = set()
        offset = 0
        page = 10000
        while True:
            batch = self._collection.get(include=[], limit=page, offset=offset)["ids"]
            found.update(batch)
            if len(batch) < page:
                return found
            offset += page

    def count(self) -> int:
        return int(self._collection.count())

    def vectors(self) -> tuple[list[str], np.ndarray]:
        """Every stored (id, vector), ids sorted, vectors as float32 rows of unit length."""
        import numpy as np

        found: dict[str, np.ndarray] = {}
        offset, page = 0, self._max_batch
        while True:
            batch = self._collection.get(include=["embeddings"], limit=page, offset=offset)
            rows = batch["embeddings"]
            for i, row in zip(batch["ids"], rows if rows is not None else [], strict=True):
                found[i] = np.asarray(row, dtype="float32")
            if len(batch["ids"]) < page:
                break
            offset += page
        ids = sorted(found)
        if not ids:
            return [], np.zeros((0, 0), dtype="float32")
        matrix = np.stack([found[i] for i in ids])
        norms = np.linalg.norm(matrix, axis=1, keepdims=True)
        return ids, matrix / np.where(norms > 0, norms, 1.0)

    def search(self, vector: np.ndarray, k: int) -> list[tuple[str, float]]:
        """(chunk id, cosine similarity), best first."""
        # Chroma 1.x returns what there is when fewer than k vectors are stored (none when empty)
        result = self._collection.query(query_embeddings=[vector], n_results=k, include=["distances"])
        ids = result["ids"][0]
        found = result.get("distances")
        distances = found[0] if found else [1.0] * len(ids)
        return [(i, 1.0 - float(d)) for i, d in zip(ids, distances, strict=True)]

    # -- shared records: the catalogue that replicas read from the server ------------------------
    # Plain text payloads keyed by id, with a little string metadata, in a second collection.
    # Chroma requires a vector per record: each gets the same one-dimensional placeholder.

    @property
    def _records(self) -> Any:
        if self._records_collection is None:
            self._records_collection = self._client.get_or_create_collection(
                f"{self._collection_name}-records", embedding_function=None
            )
        return self._records_collection

    def put_records(self, records: Sequence[tuple[str, str, dict[str, Any]]]) -> None:
        """Upsert (id, text, metadata) records."""
        for start in range(0, len(records), self._max_batch):
            part = records[start : start + self._max_batch]
            self._records.upsert(
                ids=[r[0] for r in part],
                documents=[r[1] for r in part],
                metadatas=[r[2] for r in part],
                embeddings=[[1.0]] * len(part),
            )

    def delete_records(self, ids: Sequence[str] = (), where: dict[str, Any] | None = None) -> None:
        if where is not None:
            self._records.delete(where=where)
        for start in range(0, len(ids), self._max_batch):
            self._records.delete(ids=list(ids[start : start + self._max_batch]))

    def record_metadata(
        self, where: dict[str, Any] | None = None, ids: Sequence[str] | None = None
    ) -> dict[str, dict[str, Any]]:
        """Id -> metadata of the records matching ``where`` (or the given ids)."""
        found: dict[str, dict[str, Any]] = {}
        offset, page = 0, 10000
        while True:
            batch = self._records.get(
                ids=list(ids) if ids is not None else None,
                where=where,
                include=["metadatas"],
                limit=page,
                offset=offset,
            )
            found.update(zip(batch["ids"], [dict(m or {}) for m in batch["metadatas"] or []], strict=False))
            if ids is not None or len(batch["ids"]) < page:
                return found
            offset += page

    def record_texts(self, ids: Sequence[str]) -> dict[str, str]:
        """Id -> text of the given records (absent ids are left out)."""
        found: dict[str, str] = {}
        for start in range(0, len(ids), 100):
            batch = self._records.get(ids=list(ids[start : start + 100]), include=["documents"])
            found.update(zip(batch["ids"], [d or "" for d in batch["documents"] or []], strict=False))
        return found
