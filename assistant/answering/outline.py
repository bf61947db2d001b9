"""Answering "what are the four types of abuse?" from a document's own outline.

A list is often written as headings rather than as a list: a section ("Types of abuse") whose
sub-sections are the items ("Physical abuse", "Emotional abuse", ...), or numbered sections that
are the items ("4. Level 1: Universal", "5. Level 2: Early help", ...). The sentence that best
answers such a question only introduces them ("Working Together describes four categories of
abuse"); the headings are the answer. Each heading is quoted verbatim, with its own citation.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from assistant.answering.extractive import Candidate
from assistant.answering.question import QuestionProfile
from assistant.models import Chunk, Passage
from assistant.text.normalise import fold, term_set

__all__ = ["asks_for_items", "outline_items"]

_MIN_ITEMS = 2
_MAX_ITEMS = 10
_ITEM_WORDS = 12
"""A heading longer than this is a sentence, not the name of an item."""
_NUMBERED = re.compile(r"^(?:\d{1,2}(?:\.\d{1,2}){0,3}\.?\s+)?([A-Za-z]{3,20})\s+(\d{1,2})\b")
"""A numbered item's heading: "5. Level 2: Early help (additional needs)", "Stage 3 - Review"."""
_PLURAL = re.compile(r"[a-z]{3,20}(?:s|ies)")
_PLURAL_OF = re.compile(r"\b[a-z]{3,20}(?:s|ies) of\b", re.IGNORECASE)
"""A question asking for kinds of something ("the types of abuse", "the levels of need")."""


def asks_for_items(profile: QuestionProfile) -> bool:
    """Does the question ask for a list that a document may write as headings: a list question, or one
    read as a definition that asks for kinds of something ("what are the types of abuse?")?"""
    return profile.expects == "list" or (
        profile.expects == "definition" and bool(_PLURAL_OF.search(profile.original or profile.text))
    )


def outline_items(profile: QuestionProfile, best: Candidate, chunks: Sequence[Chunk]) -> tuple[str, list[Candidate]]:
    """The headings that are the items a list question asks for, in the document's order, with the
    heading that introduces them ("" when none does); no items when the outline does not answer.

    ``best`` is the evidence the answerer chose; ``chunks`` are all of its document's chunks.
    """
    words = [g for g in profile.groups if not g.word[:1].isdigit() and g.word not in profile.names]
    # what the items are called: a plural the question asks for ("types", "categories", "levels")
    kinds = [g for g in words if _PLURAL.fullmatch(g.word)]
    if not kinds or not chunks:
        return "", []
    wanted = _stated_count(profile.original or profile.text)
    # numbered sections that are the items, named by the question's word ("the four levels"): the
    # likelier reading, so tried first (the document's title "Levels of Need Guidance" is no list of levels)
    by_word: dict[str, list[Chunk]] = {}
    for chunk in chunks:
        match = _NUMBERED.match(chunk.section[-1]) if chunk.section else None
        if match and any(g.matches(term_set(match.group(1))) for g in kinds):
            by_word.setdefault(match.group(1).lower(), []).append(chunk)
    for found in by_word.values():
        depth = len(found[0].section)
        items = _headings(c for c in found if len(c.section) == depth)
        numbers = [_NUMBERED.match(i.text) for i in items]
        if len({m.group(2) for m in numbers if m}) == len(items) and _fits(items, wanted):
            return (found[0].section[-2] if depth > 1 else ""), items
    section = best.passage.chunk.section
    # a section whose sub-sections are the items: its heading names what they are and what of
    # ("Types of abuse" for "what are the four types of abuse?")
    for depth in (len(section), len(section) - 1):
        if depth < 1:
            continue
        parent = section[:depth]
        heading = term_set(parent[-1])
        if not any(g.matches(heading) for g in kinds):
            continue
        if not any(g.matches(heading | term_set(best.text)) for g in words if g not in kinds):
            continue
        items = _headings(c for c in chunks if len(c.section) == depth + 1 and c.section[:depth] == parent)
        if _fits(items, wanted):
            return parent[-1], items
    return "", []


def _headings(chunks: Iterable[Chunk]) -> list[Candidate]:
    """Each section's heading line, quoted where its first chunk opens, once per section."""
    seen: set[tuple[str, ...]] = set()
    items: list[Candidate] = []
    for chunk in chunks:
        heading = chunk.section[-1]
        if chunk.section in seen or len(heading.split()) > _ITEM_WORDS:
            continue
        at = chunk.text.find(heading, 0, chunk.heading_end or len(heading))
        if at < 0:
            continue
        seen.add(chunk.section)
        start = chunk.start + at
        items.append(Candidate(Passage(chunk, 0.0, 0), start, start + len(heading), heading, False, is_heading=True))
    return items


def _fits(items: Sequence[Candidate], wanted: int) -> bool:
    return _MIN_ITEMS <= len(items) <= _MAX_ITEMS and (not wanted or len(items) == wanted)


def _stated_count(question: str) -> int:
    """The number of items a question says there are ("the four levels": folding makes it "4"), 0 when
    it says none."""
    for word in fold(question).split():
        word = word.strip("?,.;:")
        if word.isdigit() and 1 < int(word) <= _MAX_ITEMS:
            return int(word)
    return 0
