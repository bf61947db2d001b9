"""Fast, deterministic sentence spans, so quotes are exact slices of the cleaned text.

A rule-based splitter (about a thousand times faster than pysbd on large corpora): a
sentence ends at ``.``, ``!`` or ``?`` (and closing quotes or brackets) followed by
white space and a capital, digit, quote or bracket - unless the word before the stop is
a known abbreviation or an initial. Line breaks in the cleaned text are block
boundaries and always end a sentence.
"""

from __future__ import annotations

import re

__all__ = ["sentence_spans"]

_ABBREVIATIONS = frozenset(
    """e.g eg i.e ie etc mr mrs ms dr prof no nos st vs approx ltd co inc dept fig cf al
    jan feb mar apr jun jul aug sep sept oct nov dec para paras ch sec vol rev gov""".split()
)
# From the first stop of a run ("?!", "..."): starting inside a long run would cost quadratic time.
_END = re.compile(r"(?<![.!?])[.!?]+[\"'”’)\]]*(?=\s+[\"'“‘(\[]?[A-Z0-9£•])")


def sentence_spans(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """(start, end) offsets of the sentences in ``text[start:end]``, stripped of spaces."""
    end = len(text) if end is None else end
    spans: list[tuple[int, int]] = []
    line_start = start
    while line_start < end:
        line_end = text.find("\n", line_start, end)
        if line_end == -1:
            line_end = end
        _split_line(text, line_start, line_end, spans)
        line_start = line_end + 1
    return spans


def _split_line(text: str, start: int, end: int, spans: list[tuple[int, int]]) -> None:
    cursor = start
    for match in _END.finditer(text, start, end):
        stop = match.end()
        if _is_abbreviation(text, match.start(), cursor):
            continue
        _add(text, cursor, stop, spans)
        cursor = stop
    _add(text, cursor, end, spans)


def _is_abbreviation(text: str, dot: int, floor: int) -> bool:
    if text[dot] != ".":
        return False
    word_start = dot
    while word_start > floor and not text[word_start - 1].isspace():
        word_start -= 1
    word = text[word_start:dot].strip("(\"'“‘").lower()
    if word in _ABBREVIATIONS:
        return True
    # A single capital initial ("J. Smith"), but not a sentence ending in "A." or "I."
    return len(word) == 1 and word.isalpha() and text[word_start].isupper() and word not in {"a", "i"}


def _add(text: str, start: int, end: int, spans: list[tuple[int, int]]) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        spans.append((start, end))
