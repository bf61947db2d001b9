"""The default answerer: grounded and extractive.

From the retrieved passages it picks the sentences (or table rows) that answer the
question and composes them, each with its [n] marker; every citation quotes the
cleaned document text verbatim. It abstains - saying plainly that the documents do
not answer - when the evidence does not hold the kind of fact asked for ("how many"
needs a figure, "within how long" a time), or when the question's key terms are not
covered by any passage, and then offers the nearest passages as "related".
"""

from __future__ import annotations

import re
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np

from .models import Citation, Passage
from .question import QuestionProfile
from .sentences import sentence_spans
from .textnorm import fold, text_terms

__all__ = ["NOT_ANSWERED", "Candidate", "Composition", "ExtractiveAnswerer", "table_header"]

NOT_ANSWERED = "The documents provided do not answer this question."

_ANAPHORIC_START = re.compile(
    r"^(this|these|that|those|it|they|such|he|she|the (?:increase|decrease|figure|number|rise|drop|change|audit|review|group|board|team|role|service)s?)\b",
    re.IGNORECASE,
)
_ROW = re.compile(r"(?:\s+[(\[]?[£$€]?\d[\d,.]*%?[)\]]?(?:\(\d[\d,.]*%?\))?){2,}\s*$")
_DURATION = re.compile(
    r"\b\d+(?:\.\d+)?\s*(?:working\s+)?(?:day|week|month|year|hour|hr|minute)s?\b|\b(?:annual(?:ly)?|quarterly|monthly|weekly|"
    r"biennial(?:ly)?|bi-?annual(?:ly)?|termly|daily|fortnightly|shortly after|immediately|same day|within|timescale|timeline)\b"
)
_FREQUENCY = re.compile(
    r"\b(?:annual(?:ly)?|quarterly|monthly|weekly|biennial(?:ly)?|bi-?annual(?:ly)?|termly|daily|fortnightly|yearly|"
    r"every\s+\d+|\d+\s+times|once|twice|regular(?:ly)?|per (?:year|month|week))\b"
)
_DATE = re.compile(
    r"\b(?:19|20)\d\d\b|\b(?:january|february|march|april|may|june|july|august|september|october|november|december)\b"
)
_PERSON = re.compile(
    r"\b(?:chair|officer|manager|director|lead|leads|doctor|nurse|team|board|panel|group|service|council|police|"
    r"ccg|trust|agency|agencies|commissioner|inspector|worker|member|partner|society|cafcass)\b"
)
_DEFINITION = re.compile(r"\b(?:is|are|means|known as|defined|refers? to|arrangement|responsible for|role of)\b")


@dataclass
class Candidate:
    """A sentence or table row of a retrieved passage, scored against the question."""

    passage: Passage
    start: int  # offsets into the document's cleaned text
    end: int
    text: str
    is_row: bool
    lexical: float = 0.0
    context: float = 0.0
    dense: float = 0.0
    fits: bool = True
    score: float = 0.0
    matched: frozenset[str] = frozenset()
    in_context: frozenset[str] = frozenset()

    @property
    def key(self) -> tuple[str, int]:
        return (self.passage.chunk.doc_id, self.start)


@dataclass
class Composition:
    """The chosen evidence, or the reason to abstain, with the figures behind the choice."""

    selected: list[Candidate]
    abstained: bool
    reason: str = ""
    lead: str = ""
    diagnostics: dict[str, float] = field(default_factory=dict)


def _fits(profile: QuestionProfile, folded: str) -> bool:
    kind = profile.expects
    if kind == "percentage":
        return "%" in folded
    if kind == "money":
        return bool(re.search(r"£\s?\d", folded))
    if kind == "number":
        return bool(re.search(r"\d", folded))
    if kind == "duration":
        return bool(_DURATION.search(folded))
    if kind == "frequency":
        return bool(_FREQUENCY.search(folded))
    if kind == "date":
        return bool(_DATE.search(folded))
    if kind == "person":
        return bool(_PERSON.search(folded)) or bool(re.search(r"\b[A-Z][a-z]+ [A-Z][a-z]+\b", folded))
    if kind == "definition":
        return bool(_DEFINITION.search(folded))
    return True


class _LRU(OrderedDict[str, np.ndarray]):
    def __init__(self, size: int) -> None:
        super().__init__()
        self.size = size

    def remember(self, key: str, value: np.ndarray) -> None:
        self[key] = value
        self.move_to_end(key)
        while len(self) > self.size:
            self.popitem(last=False)


@dataclass
class Thresholds:
    """Calibrated on the development questions; see ``eval/README.md``."""

    min_support: float = 0.42
    min_key_coverage: float = 0.5
    second_ratio: float = 0.8
    shortlist: int = 24


class ExtractiveAnswerer:
    """Selects evidence units from passages and decides whether to abstain."""

    def __init__(
        self,
        embed: Callable[[Sequence[str]], np.ndarray],
        idf: Callable[[str], float],
        *,
        max_citations: int = 4,
        thresholds: Thresholds | None = None,
    ) -> None:
        self._embed = embed
        self._idf = idf
        self.max_citations = max_citations
        self.thresholds = thresholds or Thresholds()
        self._cache = _LRU(20000)

    # -- candidates -----------------------------------------------------------------------

    def candidates(self, passages: Sequence[Passage]) -> list[Candidate]:
        found: list[Candidate] = []
        seen: set[tuple[str, int]] = set()
        for passage in passages:
            chunk = passage.chunk
            for line_start, line_end in _lines(chunk.text):
                line = chunk.text[line_start:line_end]
                if _ROW.search(line) and len(line.split()) <= 30:
                    spans = [(line_start, line_end)]
                    row = True
                else:
                    spans = sentence_spans(chunk.text, line_start, line_end)
                    row = False
                for start, end in spans:
                    key = (chunk.doc_id, chunk.start + start)
                    if key in seen:
                        continue
                    seen.add(key)
                    text = chunk.text[start:end]
                    found.append(Candidate(passage, chunk.start + start, chunk.start + end, text, row))
        return found

    def _weight(self, profile: QuestionProfile) -> dict[str, float]:
        weights: dict[str, float] = {}
        for group in profile.groups:
            base = max((self._idf(t) for t in group.alternatives), default=1.0)
            weights[group.word] = min(base, 8.0) * group.weight * (0.35 if group.generic else 1.0)
        return weights

    # -- selection ------------------------------------------------------------------------

    def compose(self, profile: QuestionProfile, passages: Sequence[Passage]) -> Composition:
        if not passages:
            return Composition([], True, "nothing retrieved")
        candidates = self.candidates(passages)
        if not candidates:
            return Composition([], True, "no sentences")
        weights = self._weight(profile)
        total = sum(weights.values()) or 1.0
        key_words = {g.word for g in profile.key_groups}
        key_total = sum(weights[w] for w in key_words) or 1.0

        passage_terms: dict[str, set[str]] = {}
        for passage in passages:
            chunk = passage.chunk
            passage_terms[chunk.chunk_id] = set(text_terms(" ".join([chunk.section_path, chunk.context, chunk.text])))

        for candidate in candidates:
            terms = set(text_terms(candidate.text))
            context_terms = terms | passage_terms[candidate.passage.chunk.chunk_id]
            matched = {g.word for g in profile.groups if g.matches(terms)}
            in_context = {g.word for g in profile.groups if g.matches(context_terms)}
            candidate.matched = frozenset(matched)
            candidate.in_context = frozenset(in_context)
            candidate.lexical = sum(weights[w] for w in matched) / total
            candidate.context = sum(weights[w] for w in in_context) / total
            candidate.fits = _fits(profile, fold(candidate.text) if profile.expects != "person" else candidate.text)

        # Dense similarity for a shortlist only: embedding every sentence would cost more
        # than the rest of the answer path put together.
        prior = {p.chunk.chunk_id: 1.0 / (1.0 + 0.25 * (p.rank - 1)) for p in passages}
        ranked = sorted(
            candidates,
            key=lambda c: (-(0.6 * c.lexical + 0.25 * c.context + 0.15 * prior[c.passage.chunk.chunk_id]), c.key),
        )
        shortlist = ranked[: self.thresholds.shortlist]
        self._dense(profile.text, shortlist)
        for candidate in shortlist:
            words = len(candidate.text.split())
            score = (
                0.35 * candidate.lexical
                + 0.2 * candidate.context
                + 0.35 * candidate.dense
                + 0.1 * prior[candidate.passage.chunk.chunk_id]
            )
            if words < 5 and not candidate.is_row:
                score *= 0.6
            if candidate.text.rstrip().endswith("?"):
                score *= 0.5
            if profile.typed or profile.expects in ("definition", "person"):
                score = score + 0.08 if candidate.fits else score * (0.55 if profile.typed else 0.85)
            candidate.score = score
        shortlist.sort(key=lambda c: (-c.score, c.key))
        best = shortlist[0]
        key_coverage = sum(weights[w] for w in key_words & best.in_context) / key_total
        diagnostics = {
            "best_score": round(best.score, 4),
            "best_dense": round(best.dense, 4),
            "best_lexical": round(best.lexical, 4),
            "best_context": round(best.context, 4),
            "key_coverage": round(key_coverage, 4),
        }
        support = 0.5 * best.context + 0.5 * best.dense
        diagnostics["support"] = round(support, 4)

        if profile.typed and not best.fits:
            return Composition([], True, f"no passage states the {profile.expects} asked for", diagnostics=diagnostics)
        if key_coverage < self.thresholds.min_key_coverage:
            return Composition([], True, "the question's key terms are not covered", diagnostics=diagnostics)
        if support < self.thresholds.min_support:
            return Composition([], True, "support too weak", diagnostics=diagnostics)

        selected = [best]
        covered = set(best.matched)
        for other in shortlist[1:]:
            if len(selected) >= self.max_citations or len(selected) >= (3 if profile.is_multi_part else 2):
                break
            if any(_overlaps(other, s) for s in selected) or (profile.typed and not other.fits):
                continue
            adds = sum(weights[w] for w in other.matched - covered if w in key_words) / key_total
            strong = other.score >= self.thresholds.second_ratio * best.score
            if (profile.is_multi_part and adds > 0.15 and other.score >= 0.6 * best.score) or (strong and adds > 0.1):
                selected.append(other)
                covered |= other.matched
            elif strong and profile.expects in ("list", "definition", "open") and other.passage.chunk.chunk_id == best.passage.chunk.chunk_id:
                selected.append(other)
        selected = [_with_antecedent(c) for c in selected]
        return Composition(selected, False, lead=_lead(profile, selected), diagnostics=diagnostics)

    def _dense(self, question: str, candidates: Sequence[Candidate]) -> None:
        if not candidates:
            return
        missing = [c.text for c in candidates if c.text not in self._cache]
        texts = list(dict.fromkeys(missing))
        vectors = self._embed([question, *texts])
        query = vectors[0]
        for text, vector in zip(texts, vectors[1:], strict=True):
            self._cache.remember(text, vector)
        for candidate in candidates:
            candidate.dense = float(np.dot(query, self._cache[candidate.text]))

    # -- citations ------------------------------------------------------------------------

    def citations(self, selected: Sequence[Candidate]) -> list[Citation]:
        return [_citation(n, c) for n, c in enumerate(selected, start=1)]

    def related(self, passages: Sequence[Passage], limit: int = 3) -> list[Citation]:
        """The first sentence of the nearest passages, offered when abstaining."""
        result: list[Citation] = []
        for passage in passages[:limit]:
            spans = sentence_spans(passage.chunk.text)
            if not spans:
                continue
            start, end = spans[0]
            candidate = Candidate(passage, passage.chunk.start + start, passage.chunk.start + end, passage.chunk.text[start:end], False)
            result.append(_citation(len(result) + 1, candidate))
        return result


def table_header(candidate: Candidate) -> str:
    """The header row of the table a row belongs to ("Years 2013-14 2014-15"), if known."""
    chunk = candidate.passage.chunk
    if chunk.context:
        return chunk.context
    lines = chunk.text.split("\n")
    local = candidate.start - chunk.start
    position = 0
    index = 0
    for index, line in enumerate(lines):
        if position <= local < position + len(line) + 1:
            break
        position += len(line) + 1
    first = index
    while first > 0 and _ROW.search(lines[first - 1]) and len(lines[first - 1].split()) <= 30:
        first -= 1
    if first > 0 and len(lines[first - 1].split()) <= 8 and not lines[first - 1].rstrip().endswith((".", ":", "?")):
        return lines[first - 1]
    return lines[first] if first < index else ""


def _lines(text: str) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    position = 0
    for line in text.split("\n"):
        spans.append((position, position + len(line)))
        position += len(line) + 1
    return spans


def _overlaps(a: Candidate, b: Candidate) -> bool:
    return a.passage.chunk.doc_id == b.passage.chunk.doc_id and a.start < b.end and b.start < a.end


def _with_antecedent(candidate: Candidate) -> Candidate:
    """A sentence opening with "This..." carries the sentence it refers to."""
    if candidate.is_row or not _ANAPHORIC_START.match(candidate.text):
        return candidate
    chunk = candidate.passage.chunk
    local_start = candidate.start - chunk.start
    previous = [s for s in sentence_spans(chunk.text, 0, local_start) if s[1] <= local_start]
    if not previous:
        return candidate
    start = previous[-1][0]
    if "\n" in chunk.text[start:local_start]:
        return candidate
    text = chunk.text[start : candidate.end - chunk.start]
    return Candidate(
        candidate.passage,
        chunk.start + start,
        candidate.end,
        text,
        False,
        candidate.lexical,
        candidate.context,
        candidate.dense,
        candidate.fits,
        candidate.score,
        candidate.matched,
        candidate.in_context,
    )


def _lead(profile: QuestionProfile, selected: Sequence[Candidate]) -> str:
    """For a yes/no question that states a figure, say whether the documents agree."""
    if profile.expects != "yesno" or not profile.numbers:
        return ""
    evidence = fold(" ".join(c.text for c in selected))
    stated = re.findall(r"(\d+(?:\.\d+)?)\s*(%|day|week|month|year|hour)s?\b", evidence)
    agree = all(any(n == sn and u == su for sn, su in stated) for n, u in profile.numbers)
    conflict = any(any(u == su and n != sn for sn, su in stated) for n, u in profile.numbers)
    if agree:
        return "Yes, the documents give that figure:"
    if conflict:
        return "No, the documents give a different figure:"
    return ""


def _citation(n: int, candidate: Candidate) -> Citation:
    chunk = candidate.passage.chunk
    return Citation(
        n=n,
        document=chunk.file_name,
        title=chunk.title,
        section=chunk.section_path,
        page=chunk.page,
        page_label=chunk.page_label,
        quote=candidate.text,
        doc_id=chunk.doc_id,
        chunk_id=chunk.chunk_id,
        start=candidate.start,
        end=candidate.end,
        context=(chunk.context + "\n" if chunk.context else "") + chunk.text,
    )
