"""Hybrid retrieval: dense (vector store) and lexical (BM25) rankings fused by RRF.

Reciprocal rank fusion needs no score calibration between the two retrievers, and
its order is deterministic: ties are broken by chunk id. Only committed chunks are
returned, so vectors left by an interrupted ingest can never surface.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from .embeddings import Embedder
from .glossary import ABBREVIATIONS
from .index import Index
from .models import Passage
from .textnorm import query_terms

__all__ = ["Retriever", "expand_for_embedding"]

_RRF_K = 60
_ABBREVIATION = re.compile(r"\b[A-Za-z&]{2,6}\b")


def expand_for_embedding(question: str) -> str:
    """Spell out abbreviations for the embedding model, which knows "MASH" less well."""
    expansions = []
    for token in dict.fromkeys(_ABBREVIATION.findall(question)):
        expansion = ABBREVIATIONS.get(token.lower())
        if expansion and (token.isupper() or len(token) > 3):
            expansions.append(expansion)
    return question if not expansions else f"{question} ({'; '.join(expansions)})"


@dataclass
class Retriever:
    """Fuses the two rankings and returns the top passages with their scores."""

    index: Index
    embedder: Embedder
    depth: int = 40

    def search(self, query: str, k: int, *, extra_terms: Sequence[str] = ()) -> list[Passage]:
        terms = query_terms(query) + list(extra_terms)
        dense = self.index.store.search(self.embedder.embed_query(expand_for_embedding(query)), self.depth)
        lexical = self.index.lexical().search(terms, self.depth)
        fused: dict[str, float] = {}
        for ranking in (dense, lexical):
            for rank, (chunk_id, _) in enumerate(ranking):
                fused[chunk_id] = fused.get(chunk_id, 0.0) + 1.0 / (_RRF_K + rank + 1)
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
        return passages
