"""Hybrid retrieval: dense (vector store) and lexical (BM25) rankings fused by RRF.

Reciprocal rank fusion needs no score calibration between the two retrievers, and
its order is deterministic: ties are broken by chunk id. Only committed chunks are
returned, so vectors left by an interrupted ingest can never surface.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from assistant.index.embeddings import EmbeddingModel
from assistant.index.ingest import Index
from assistant.models import Passage
from assistant.text.normalise import query_terms
from assistant.text.vocabulary import ABBREVIATIONS

if TYPE_CHECKING:
    import numpy as np

__all__ = ["Retriever", "expand_for_embedding", "fuse"]

_RRF_K = 60
_ABBREVIATION = re.compile(r"\b[A-Za-z&]{2,6}\b")


def expand_for_embedding(question: str) -> str:
    """Spell out abbreviations for the embedding model, which knows "MASH" less well."""
    expansions = []
    for token in dict.fromkeys(_ABBREVIATION.findall(question)):
        expansion = ABBREVIATIONS.get(token.lower())
        if expansion and (token.isupper() or len(token) > 3):
            expansions.append(expansion.split("|")[0])
    return question if not expansions else f"{question} ({'; '.join(expansions)})"


def fuse(
    dense: Sequence[tuple[str, float]],
    lexical: Sequence[tuple[str, float]],
    *,
    method: str = "convex",
    alpha: float = 0.5,
) -> dict[str, float]:
    """Combine the two rankings into one score per chunk.

    "convex": alpha * min-max-normalised cosine + (1 - alpha) * BM25 / best BM25; a
    chunk missing from one list gets that list's floor. Unlike reciprocal rank fusion
    ("rrf") it keeps how *much* better the top lexical hit is, which matters for table
    rows that embed poorly but match the question's words exactly.
    """
    fused: dict[str, float] = {}
    if method == "rrf":
        for ranking in (dense, lexical):
            for rank, (chunk_id, _) in enumerate(ranking):
                fused[chunk_id] = fused.get(chunk_id, 0.0) + 1.0 / (_RRF_K + rank + 1)
        return fused
    d_scores = dict(dense)
    l_scores = dict(lexical)
    d_low = min(d_scores.values(), default=0.0)
    d_high = max(d_scores.values(), default=1.0)
    l_high = max(l_scores.values(), default=1.0) or 1.0
    span = (d_high - d_low) or 1.0
    for chunk_id in set(d_scores) | set(l_scores):
        d = (d_scores.get(chunk_id, d_low) - d_low) / span
        lex = l_scores.get(chunk_id, 0.0) / l_high
        fused[chunk_id] = alpha * d + (1 - alpha) * lex
    return fused


@dataclass
class Retriever:
    """Fuses the two rankings and returns the top passages with their scores."""

    index: Index
    embedder: EmbeddingModel
    depth: int = 50
    fusion: str = "convex"
    alpha: float = 0.4

    def search(self, query: str, k: int, *, extra_terms: Sequence[str] = ()) -> list[Passage]:
        return self.search_with_vector(query, k, extra_terms=extra_terms)[0]

    def search_with_vector(
        self, query: str, k: int, *, extra_terms: Sequence[str] = ()
    ) -> tuple[list[Passage], np.ndarray]:
        """Passages and the query's vector (the answerer reuses it for sentence scoring)."""
        terms = query_terms(query) + list(extra_terms)
        vector = self.embedder.embed_query(expand_for_embedding(query))
        dense = self.index.store.search(vector, self.depth)
        lexical = self.index.lexical().search(terms, self.depth)
        fused = fuse(dense, lexical, method=self.fusion, alpha=self.alpha)
        order = sorted(fused, key=lambda cid: (-fused[cid], cid))
        chunks = self.index.catalog.chunks(order[: k * 2])
        dense_scores = dict(dense)
        lexical_scores = dict(lexical)
        passages: list[Passage] = []
        for chunk_id in order:
            chunk = chunks.get(chunk_id)
            if chunk is None:  # an orphan vector, or beyond the fetched depth
                continue
            passages.append(
                Passage(
                    chunk=chunk,
                    score=fused[chunk_id],
                    rank=len(passages) + 1,
                    dense_similarity=dense_scores.get(chunk_id),
                    lexical_score=lexical_scores.get(chunk_id),
                )
            )
            if len(passages) == k:
                break
        return passages, vector
