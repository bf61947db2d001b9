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

    def search(self, vector: np.ndarray, k: int) -> list[tuple[str, float]]:
        """(chunk id, cosine similarity), best first."""
        total = self.count()
        if total == 0:
            return []
        result = self._collection.query(query_embeddings=[vector], n_results=min(k, total), include=["distances"])
        ids = result["ids"][0]
        found = result.get("distances")
        distances = found[0] if found else [1.0] * len(ids)
        return [(i, 1.0 - float(d)) for i, d in zip(ids, distances, strict=True)]
