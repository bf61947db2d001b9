"""Hybrid retrieval over many documents: dense and lexical rankings fused, each document given a chance.

The dense (vector store) and lexical (BM25) rankings are fused by a convex combination
of normalised scores (reciprocal rank fusion is kept as an option); the order is
deterministic, ties broken by chunk id. Only committed chunks are returned, so vectors
left by an interrupted ingest can never surface.

Many documents at once: a long report has many more passages than a two-page policy, so
on a shared topic it would fill every slot. The best passage of each other document that
scores close to the best overall keeps a place. A question that names a document (words
of its title, file name or publisher that no other document's carry: "Hanworth Villa",
"Lexden", "Anytown") is answered from that document's passages; a name several documents
share ("Westbrook") names those of them its next words describe ("the Westbrook
procedures"), else all of them. A question naming two documents ("do Lexden and Hanworth
Villa agree ...") is asked of each (:func:`without_mentions` leaves the other's name out).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from assistant.index.embeddings import EmbeddingModel
from assistant.index.ingest import Index
from assistant.models import DocumentRecord, Passage, document_initials, identity_text
from assistant.text.kinds import SELF_REFERENCES, kinds_referred_to
from assistant.text.normalise import STOPWORDS, query_terms
from assistant.text.vocabulary import ABBREVIATIONS, GENERIC_NAME_WORDS

if TYPE_CHECKING:
    import numpy as np

__all__ = [
    "DocumentNames",
    "Mention",
    "Retriever",
    "diversify",
    "document_names",
    "expand_for_embedding",
    "fuse",
    "without_mentions",
]

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


_NAME_WORD = re.compile(r"[a-z][a-z'’]{2,}")
# Words of titles, file names and publishers that name a kind of document or body, not one document.
_DOCUMENT_WORDS = GENERIC_NAME_WORDS


def _name_words(text: str) -> set[str]:
    return {w.strip("'’") for w in _NAME_WORD.findall(text.lower())}


def _identity_words(record: DocumentRecord) -> set[str]:
    return _name_words(identity_text(record.title, record.file_name, record.publisher))


def _distinctive(words: set[str]) -> set[str]:
    return {w for w in words - _DOCUMENT_WORDS - STOPWORDS if w not in ABBREVIATIONS}


def document_names(documents: Sequence[DocumentRecord]) -> dict[str, frozenset[str]]:
    """Per document, the words of its title, file name and publisher that no other document's carry."""
    return DocumentNames(documents).unique


@dataclass(frozen=True)
class Mention:
    """Where a question names a document or a group of them: its words ("Hanworth Villa", "Westbrook
    procedures") and the documents they name."""

    words: tuple[str, ...]
    doc_ids: frozenset[str]


_WORD = re.compile(r"[A-Za-z][A-Za-z'’]*")
_FOLLOWING = 3
"""How many of the words after a name shared by several documents may tell them apart ("Westbrook
threshold guidance", "the Westbrook procedures")."""


def _fold_name(word: str) -> str:
    return word.lower().removesuffix("'s").removesuffix("’s").strip("'’")


def _singular(word: str) -> str:
    return word[:-1] if len(word) > 4 and word.endswith("s") and not word.endswith("ss") else word


class DocumentNames:
    """What names each document: its distinctive words, and the words of its title, file name,
    publisher and genre (which tell apart documents that share a name)."""

    def __init__(self, documents: Sequence[DocumentRecord]) -> None:
        words = {record.doc_id: _distinctive(_identity_words(record)) for record in documents}
        counts = Counter(w for found in words.values() for w in found)
        self.unique = {doc_id: frozenset(w for w in found if counts[w] == 1) for doc_id, found in words.items()}
        self.identity = {
            record.doc_id: {_singular(w) for w in _identity_words(record) | _name_words(record.genre)}
            for record in documents
        }
        # initials name a document only when written as initials ("at HVFC", not "Hvfc")
        self.initials = {
            record.doc_id: frozenset(document_initials(record.title, record.file_name, record.publisher))
            for record in documents
        }
        # a place or body several documents share ("Westbrook"), but not every one of them
        self.shared = {w for w, n in counts.items() if 1 < n < len(documents)}

    def mentions(self, query: str) -> list[Mention]:
        """The documents a question names, in the order it names them. A name is a distinctive
        word written with a capital inside the question ("at Lexden Montessori", not "the nursery");
        a name several documents share names those of them its next words describe ("the Westbrook
        procedures"), else all of them."""
        tokens = [(m.start(), m.group()) for m in _WORD.finditer(query)]
        found: list[Mention] = []
        for n, (start, word) in enumerate(tokens):
            if start == 0 or not word[:1].isupper():
                continue
            folded = _fold_name(word)
            owners = frozenset(
                d
                for d, names in self.unique.items()
                if folded in names and (word.isupper() or folded not in self.initials[d])
            )
            if not owners and folded in self.shared:
                owners = frozenset(d for d, names in self.identity.items() if folded in names)
                after = [_singular(_fold_name(w)) for _, w in tokens[n + 1 : n + 1 + _FOLLOWING]]
                told = {d: sum(w in self.identity[d] for w in after if w not in STOPWORDS) for d in owners}
                best = max(told.values(), default=0)
                if best and sum(v == best for v in told.values()) == 1:
                    owners = frozenset(d for d, v in told.items() if v == best)
            if not owners:
                continue
            if found and found[-1].doc_ids == owners:
                found[-1] = Mention((*found[-1].words, word), owners)  # "Hanworth Villa", "Lexden ... Lexden's"
            elif not any(m.doc_ids == owners for m in found):
                found.append(Mention((word,), owners))
        return found

    def named(self, query: str) -> set[str]:
        return {d for mention in self.mentions(query) for d in mention.doc_ids}


_EDGES = "“”\"‘'(),.;:?!"
"""Punctuation around a question's word ("Villa's?")."""


def without_mentions(query: str, mentions: Sequence[Mention]) -> str:
    """The question with the words of these mentions left out ("Do Lexden and Hanworth Villa ..."
    asked of Lexden alone: "Do Lexden and ...")."""
    left_out = {_fold_name(w) for mention in mentions for w in mention.words}
    return " ".join(
        w for w in query.split() if not (_WORD.fullmatch(w.strip(_EDGES)) and _fold_name(w.strip(_EDGES)) in left_out)
    )


def diversify(order: Sequence[str], scores: dict[str, float], owner: dict[str, str], k: int, ratio: float) -> list[str]:
    """The top ``k`` ids, keeping a place for the best passage of each document that scores
    at least ``ratio`` of the best overall (so one long document cannot crowd out the rest)."""
    if not order:
        return []
    best = scores[order[0]]
    leaders: list[str] = []
    seen: set[str] = set()
    for chunk_id in order:
        document = owner.get(chunk_id)
        if document is None or document in seen:
            continue
        seen.add(document)
        if scores[chunk_id] >= ratio * best:
            leaders.append(chunk_id)
    chosen = list(dict.fromkeys([*leaders[: max(1, k // 2)], *order]))[:k]
    return sorted(chosen, key=lambda cid: (-scores[cid], cid))


@dataclass
class Retriever:
    """Fuses the two rankings and returns the top passages with their scores."""

    index: Index
    embedder: EmbeddingModel
    depth: int = 50
    fusion: str = "convex"
    alpha: float = 0.4
    diversity_ratio: float = 0.6
    route_named: bool = True
    _names: tuple[int, DocumentNames] | None = field(default=None, repr=False)
    _kinds: tuple[int, dict[str, Counter[str]]] | None = field(default=None, repr=False)

    def _document_names(self) -> DocumentNames:
        version = self.index.version
        if self._names is None or self._names[0] != version:
            self._names = (version, DocumentNames(self.index.documents()))
        return self._names[1]

    def of_kind(self, kind: str) -> frozenset[str]:
        """The documents that call themselves by a kind of setting ("the club") at least
        SELF_REFERENCES times: those a question about "the club" may be about."""
        version = self.index.version
        if self._kinds is None or self._kinds[0] != version:
            records = self.index.documents()
            self._kinds = (
                version,
                {r.doc_id: kinds_referred_to(self.index.document_text(r.doc_id) or "") for r in records},
            )
        return frozenset(d for d, found in self._kinds[1].items() if found[kind] >= SELF_REFERENCES)

    def mentions(self, query: str) -> list[Mention]:
        """The documents (or groups of documents) a question names, in its order."""
        return self._document_names().mentions(query)

    def search(self, query: str, k: int, *, extra_terms: Sequence[str] = ()) -> list[Passage]:
        return self.search_with_vector(query, k, extra_terms=extra_terms)[0]

    def search_with_vector(
        self, query: str, k: int, *, extra_terms: Sequence[str] = (), within: frozenset[str] = frozenset()
    ) -> tuple[list[Passage], np.ndarray]:
        """Passages and the query's vector (the answerer reuses it for sentence scoring); ``within``:
        the documents to search, when not all."""
        terms = query_terms(query) + list(extra_terms)
        vector = self.embedder.embed_query(expand_for_embedding(query))
        dense = self.index.search_dense(vector, self.depth)
        lexical = self.index.search_lexical(terms, self.depth)
        fused = fuse(dense, lexical, method=self.fusion, alpha=self.alpha)
        order = sorted(fused, key=lambda cid: (-fused[cid], cid))
        chunks = self.index.chunks(order)
        order = [cid for cid in order if cid in chunks]  # committed chunks only
        owner = {cid: chunks[cid].doc_id for cid in order}
        if within:
            order = [cid for cid in order if owner[cid] in within]
        named = self._document_names().named(query)
        if self.route_named and named and any(owner[cid] in named for cid in order):
            order = [cid for cid in order if owner[cid] in named]
        order = diversify(order, fused, owner, k, self.diversity_ratio)
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
