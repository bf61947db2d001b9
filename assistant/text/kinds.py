"""The kind of setting a text refers to without naming it: "the club", "our nursery", "this setting".

An organisation's own policy calls it that throughout; a practitioner asks about "the club" in the
same words. In a corpus holding several clubs' policies the question names none of them, so each
club's document is a candidate for the answer. The words are data (``setting_kinds`` in
``assistant/vocabulary/documents.json``).
"""

from __future__ import annotations

import re
from collections import Counter

from assistant.text.normalise import fold
from assistant.text.vocabulary import SETTING_KINDS

__all__ = ["SELF_REFERENCES", "SETTING_REFERENCE", "kinds_referred_to", "unnamed_setting", "without_kind"]

SELF_REFERENCES = 2
"""How often a document must call itself by a kind ("the club") to be a document of that kind."""

SETTING_REFERENCE = re.compile(
    r"\b(?:the|our|my|this|your)[ \t]{1,3}("
    + "|".join(re.escape(k) for k in sorted(SETTING_KINDS, key=lambda k: (-len(k), k)))
    + r")(?:'s|’s)?\b",
    re.IGNORECASE,
)
"""A reference to a setting by its kind ("the club", "our nursery's"); group 1 is the kind."""


def kinds_referred_to(text: str) -> Counter[str]:
    """How often ``text`` refers to each kind of setting by "the/our/this <kind>"."""
    return Counter(m.group(1).lower() for m in SETTING_REFERENCE.finditer(fold(text)))


def unnamed_setting(question: str) -> str | None:
    """The kind of setting a question refers to without naming it ("What does the club do ...?":
    "club"); None when it refers to none."""
    found = SETTING_REFERENCE.search(fold(question))
    return found.group(1).lower() if found else None


def without_kind(question: str, kind: str) -> str:
    """The question with its references to a kind of setting left out, for a search within one
    document of that kind ("What does the club do ...?": "What does do ...?")."""
    kept = SETTING_REFERENCE.sub(lambda m: " " if m.group(1).lower() == kind else m.group(), question)
    return " ".join(kept.split())
