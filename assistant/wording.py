"""What the assistant says to people in its own words, written once for every face.

Answers are the documents' words; these are the assistant's: the safeguarding notice
shown with every answer and briefing, and what it says when the documents are silent.
"""

from __future__ import annotations

__all__ = ["ABSTAIN_ADVICE", "NOTICE", "NOT_ANSWERED", "NOT_COVERED", "PART_NOT_ANSWERED"]

NOTICE = (
    "This is guidance from the documents, not a decision. If a child is in immediate danger, call 999. "
    "Follow your local safeguarding procedures and speak to your designated safeguarding lead."
)
NOT_ANSWERED = "The documents provided do not answer this question."
PART_NOT_ANSWERED = "The documents provided do not answer this part of the question: “{part}”"
NOT_COVERED = "The documents provided do not cover this."
ABSTAIN_ADVICE = (
    "Check your local safeguarding procedures or ask your designated safeguarding lead. "
    "The nearest passages are listed as related reading."
)
