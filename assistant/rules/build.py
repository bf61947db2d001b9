"""Building the register from the committed documents' chunks (plain values): every rule found,
with its subject, kept only while its quote is a verbatim slice of its document's cleaned text."""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass

from assistant.models import Chunk, Citation, keep_verbatim
from assistant.rules.entry import RegisterEntry
from assistant.rules.extraction import (
    NAMED_ABBR_END,
    PROCESS_BEFORE,
    THIS_IS,
    RuleMatch,
    find_rules,
    rule_clause,
    same_length_lower,
)
from assistant.rules.subjects import subject_of
from assistant.text.units import evidence_units

log = logging.getLogger(__name__)


# -- walking the corpus ---------------------------------------------------------------------


@dataclass(frozen=True)
class Sentence:
    """An evidence unit of a committed chunk with absolute offsets into its document."""

    doc_id: str
    start: int
    end: int
    text: str
    kind: str
    chunk: Chunk
    line_start: bool
    line_end: bool


Documents = Iterable[tuple[str, str, Iterable[Chunk]]]
"""(doc_id, cleaned text, its chunks in order) for each document: what the index hands over."""


def corpus_sentences(documents: Documents) -> Iterator[tuple[str, str, list[Sentence]]]:
    """(doc_id, cleaned text, units in document order) for every document.

    Chunks overlap, so a unit is kept once (the first chunk that holds it gives its
    section and page); headings are left out.
    """
    for doc_id, text, chunks in documents:
        units: dict[tuple[int, int], Sentence] = {}
        for chunk in chunks:
            _add_units(units, doc_id, text, chunk)
        yield doc_id, text, _ordered(units)


def _add_units(units: dict[tuple[int, int], Sentence], doc_id: str, text: str, chunk: Chunk) -> None:
    for unit in evidence_units(chunk.text, chunk.heading_end):
        if unit.is_heading:
            continue
        start, end = chunk.start + unit.start, chunk.start + unit.end
        if (start, end) in units or text[start:end] != chunk.text[unit.start : unit.end]:
            continue
        line_start = start == 0 or text[:start].rstrip(" \t").endswith("\n") or not text[:start].strip()
        line_end = end >= len(text) or text[end:].lstrip(" \t").startswith("\n") or not text[end:].strip()
        units[(start, end)] = Sentence(doc_id, start, end, text[start:end], unit.kind, chunk, line_start, line_end)


def _ordered(units: dict[tuple[int, int], Sentence]) -> list[Sentence]:
    result: list[Sentence] = []
    for key in sorted(units):
        sentence = units[key]
        if result and sentence.start < result[-1].end:
            continue  # a differently split overlap: keep the first
        result.append(sentence)
    return result


def build_register(documents: Documents) -> list[RegisterEntry]:
    """Every stated threshold, timescale, target, eligibility rule, frequency, definition and
    duty of the documents, in document order; each carries a verbatim quote (text work only:
    no model is loaded)."""
    entries: list[RegisterEntry] = []
    seen: set[tuple[str, str, str, str, int]] = set()
    texts: dict[str, str] = {}
    for doc_id, text, sentences in corpus_sentences(documents):
        texts[doc_id] = text
        for index, sentence in enumerate(sentences):
            rules = find_rules(sentence.text)
            previous_units = _same_paragraph_before(sentences, index, text)
            previous = [s.text for s in previous_units]
            named = (
                NAMED_ABBR_END.search(previous[-1])
                if previous and THIS_IS.match(same_length_lower(sentence.text))
                else None
            )
            if named:
                rules.insert(0, RuleMatch("definition", "", "", "", (0, 4), term=named.group("term").strip()))
            if not rules:
                continue
            for rule in rules:
                anchor_verb = bool(PROCESS_BEFORE.search(same_length_lower(sentence.text)[: rule.anchor[0]].rstrip()))
                subject, back = subject_of(sentence.text, rule, previous, sentence.chunk, anchor_verb)
                if named and rule.term == named.group("term").strip():
                    back = 1
                if not subject:
                    continue
                a, b = rule_clause(sentence.text, rule.anchor)
                start, end = sentence.start + a, sentence.start + b
                if back:
                    start = previous_units[-back].start
                quote = text[start:end]
                if not quote or text[start:end] != quote:
                    continue
                key = (rule.kind, rule.value, rule.unit, doc_id, start)
                if key in seen:
                    continue
                seen.add(key)
                citation = _citation(len(entries) + 1, sentence.chunk, quote, start, end)
                entries.append(
                    RegisterEntry(
                        subject=subject,
                        rule=quote,
                        value=rule.value,
                        unit=rule.unit,
                        condition=rule.condition,
                        kind=rule.kind,
                        citation=citation,
                        comparator=rule.comparator,
                    )
                )
    return verified(entries, texts.get)


def _same_paragraph_before(sentences: Sequence[Sentence], index: int, text: str, limit: int = 3) -> list[Sentence]:
    """Up to ``limit`` units just before ``index`` in the same paragraph (no line break between)."""
    result: list[Sentence] = []
    current = sentences[index]
    for j in range(index - 1, max(-1, index - 1 - limit), -1):
        candidate = sentences[j]
        gap = text[candidate.end : current.start]
        if "\n" in gap or gap.strip():
            break
        result.insert(0, candidate)
        current = candidate
    return result


def _citation(n: int, chunk: Chunk, quote: str, start: int, end: int) -> Citation:
    # the register stores quotes, not the passages around them (it is saved as JSON/CSV)
    return dataclasses.replace(Citation.from_chunk(n, chunk, start, end, quote=quote), context="")


def verified(entries: Iterable[RegisterEntry], text_of: Callable[[str], str | None]) -> list[RegisterEntry]:
    """Only the entries whose quote is still a verbatim slice of their document's cleaned text."""
    return keep_verbatim(entries, text_of, lambda entry: entry.citation)
