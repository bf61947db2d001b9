"""Scenario questions: a situation described, then a question about it.

"A 15-year-old has been living with a family friend for five weeks. Is that private
fostering?" The situation states facts (an age, how long, a percentage); the documents'
criteria state conditions of the same kinds ("under the age of 16", "28 days or more").
The answer sets each condition beside what the situation says, each with its citation,
and never decides whether the condition is met: that is the practitioner's judgement,
with their designated safeguarding lead.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.text.normalise import fold
from assistant.text.vocabulary import RELATIONSHIP_WORDS

__all__ = ["MEASURED", "Fact", "conditions", "situation"]


@dataclass(frozen=True)
class Fact:
    """Something a question's situation states: an age (years), a length of time (days), a percentage,
    or who the child is living with or cared for by (a relationship: value 0)."""

    kind: str
    value: float
    words: str
    """As the question states it, folded ("15", "5 weeks", "86%")."""


_DAYS = {"day": 1, "week": 7, "fortnight": 14, "month": 30, "year": 365}
MEASURED = frozenset({"age", "duration", "percentage"})
"""The kinds of fact a criterion is found by; who the child is with is shown beside a criterion found so."""

# -- what a situation states ---------------------------------------------------------------------

_AGE = re.compile(
    r"\b(\d{1,2})[- ]?(?:year|yr)s?[- ]olds?\b|\baged (\d{1,2})\b|\b(\d{1,2}) years? of age\b|\bage (\d{1,2})\b"
)
_SPAN = re.compile(r"\b(\d{1,4}(?:\.\d{1,2})?) ?(day|week|fortnight|month|year)s?\b(?![- ]old)")
_PERCENT = re.compile(r"(?<![\d.])(\d{1,3}(?:\.\d{1,2})?) ?%")
# "staying with a family friend", "cared for by her uncle's friend": who the child is with
_CARER = re.compile(
    r"\b(?:with|by)\s+((?:(?:a|an|the|his|her|their|my|our|your|some)\s+)?(?:[\w'’-]{1,30}\s+)?(?:"
    + "|".join(re.escape(fold(w)) for w in RELATIONSHIP_WORDS)
    + r"))(?![\w'’-])"
)
_QUESTION_START = re.compile(
    r"(?:(?<=[.:;!?—–])\s?|,\s?)(?:so |but |then )?"
    r"(?:is|are|was|were|does|do|did|can|could|should|must|would|will|has|have|what|which|who|how|when|where|"
    r"whom|why)\b"
)
_SCENE_WORDS = 4
"""A description of a situation has at least this many words before the question itself."""


def situation(question: str) -> tuple[Fact, ...]:
    """The facts a question's description of a situation states; none when it describes none.

    Only the description counts (what comes before the question itself): in "Is 28 days the
    limit?" the figure is the question's, not a situation's."""
    folded = fold(question)
    start = _ask_start(folded)
    if start is None:
        return ()
    description = folded[:start]
    facts: list[Fact] = []
    for match in _AGE.finditer(description):
        age = next(g for g in match.groups() if g)
        facts.append(Fact("age", float(age), age))
    ages = _AGE.sub(" ", description)
    for match in _SPAN.finditer(ages):
        number, unit = match.group(1), match.group(2)
        facts.append(Fact("duration", float(number) * _DAYS[unit], " ".join(match.group(0).split())))
    for match in _PERCENT.finditer(description):
        facts.append(Fact("percentage", float(match.group(1)), f"{match.group(1)}%"))
    # who the child is with is set beside a criterion only in a situation described with something
    # measured (an age, a time): on its own ("hurt by their dad") it is what the question is about
    carer = _CARER.search(description) if facts else None
    if carer is not None:
        facts.append(Fact("relationship", 0.0, " ".join(carer.group(1).split())))
    return tuple(facts)


def ask_part(question: str) -> str:
    """The question itself, without the description of a situation before it."""
    folded = fold(question)
    start = _ask_start(folded)
    return question if start is None else folded[start:].lstrip(" ,")


def _ask_start(folded: str) -> int | None:
    """Where the question itself starts, after a description of at least _SCENE_WORDS words."""
    return next(
        (m.start() for m in _QUESTION_START.finditer(folded) if len(folded[: m.start()].split()) >= _SCENE_WORDS),
        None,
    )


# -- what a document's criteria state ------------------------------------------------------------

_QUALIFIER = r"(?: \((?:or )?[^()]{1,60}\)| if [^,;.()]{1,50})?"
_CONDITIONS = {
    "age": re.compile(
        r"\b(?:under|below|over|above|younger than|older than) (?:the age of )?\d{1,2}(?! ?%)"
        r"(?: years(?: of age| old)?)?\b"
        + _QUALIFIER
        + r"|\baged \d{1,2}(?: ?(?:-|to) ?\d{1,2}| or (?:under|over|above|below|older|younger))\b"
        r"|\b\d{1,2} (?:years )?(?:or|and) (?:over|older|under|younger)\b"
        # "must be at least 14 years old", "no younger than 16"
        r"|\b(?:at least|no younger than|not younger than) \d{1,2}(?: years(?: of age| old)?)?\b"
        r"(?! ?(?:%|per|times|(?:working |calendar |school )?"
        r"(?:days?|weeks?|months?|hours?|minutes?|terms?|sessions?)\b))"
    ),
    "duration": re.compile(
        r"\b\d{1,4} (?:consecutive |calendar |working )?(?:day|week|month|year)s? or (?:more|longer|over|less|fewer)\b"
        r"|\b(?:more|longer|less|fewer) than \d{1,4} (?:consecutive |calendar |working )?(?:day|week|month|year)s?\b"
    ),
    # who may (not) care for the child: "not their parent, a person with parental responsibility or a close relative"
    "relationship": re.compile(
        r"\b(?:not|other than|isn't)\s+(?:the child's |their |his or her |his |her |a |the )?parents?\b"
        r"[^.;:]{0,140}?\b(?:close )?relatives?\b['’]?"
    ),
    "percentage": re.compile(
        r"\b(?:below|under|above|over|less than|more than|lower than|higher than) \d{1,3}(?:\.\d{1,2})? ?%"
        r"|\b\d{1,3}(?:\.\d{1,2})? ?% or (?:less|more|below|above|lower|higher)\b"
    ),
}


def conditions(text: str, kinds: set[str]) -> list[tuple[str, str]]:
    """The conditions of the given kinds a criterion states, as (kind, the condition's words folded)."""
    folded = fold(text)
    found: list[tuple[str, str]] = []
    for kind in sorted(kinds & _CONDITIONS.keys()):
        for match in _CONDITIONS[kind].finditer(folded):
            words = " ".join(match.group(0).split())
            if (kind, words) not in found:
                found.append((kind, words))
    return found


def stated(fact: Fact) -> str:
    """What the situation says, for showing beside a condition ("5 weeks, about 35 days")."""
    if fact.kind == "duration" and not re.search(r"\bdays?\b", fact.words):
        return f"{fact.words}, about {fact.value:.0f} days"
    return fact.words
