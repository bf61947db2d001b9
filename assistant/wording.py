"""What the assistant says to people in its own words, written once for every face.

Answers are the documents' words; these are the assistant's: the safeguarding notice
shown with every answer and briefing, and what it says when the documents are silent.
"""

from __future__ import annotations

__all__ = [
    "ABSTAIN_ADVICE",
    "CONDITIONS_LEAD",
    "CONDITION_ITEM",
    "DIFFERING_LEAD",
    "DOCUMENT_NOT_ANSWERED",
    "GENERAL_DUTY_LEAD",
    "KIND_NAMES",
    "NEAREST_NOT_ANSWER",
    "NEAREST_OTHER_CHANNEL",
    "NEAREST_UNSURE",
    "NOTICE",
    "NOT_ANSWERED",
    "NOT_COVERED",
    "NOT_READY",
    "OCR_NOTE",
    "PART_NOT_ANSWERED",
    "UNEXPECTED",
    "UNREACHABLE_DUTY_LEAD",
    "identifiers_warning",
]

NOTICE = (
    "This is guidance from the documents, not a decision. If a child is in immediate danger, call 999. "
    "Follow your local safeguarding procedures and speak to your designated safeguarding lead."
)
NOT_ANSWERED = "The documents provided do not answer this question."
PART_NOT_ANSWERED = "The documents provided do not answer this part of the question: “{part}”"
DOCUMENT_NOT_ANSWERED = "No passage of “{part}” found answers this."
"""Said of a document a question names (two documents compared) when none of its passages answers it."""
NOT_COVERED = "The documents provided do not cover this."
ABSTAIN_ADVICE = (
    "Check your local safeguarding procedures or ask your designated safeguarding lead. "
    "The nearest passages are listed as related reading."
)
OCR_NOTE = "read by OCR: check against the original"
"""Said of a quote read from a scanned page."""
GENERAL_DUTY_LEAD = (
    "The documents do not deal with this situation by name. What they say to do with any concern about a child:"
)
"""Before the documents' general instruction for a concern, given for a described situation they do not name."""
UNREACHABLE_DUTY_LEAD = (
    "The documents do not deal with this situation by name. What they say to do when the usual person cannot be"
    " reached:"
)
"""The same, for a situation that says the usual person (the welfare officer, the DSL) cannot be reached."""
DIFFERING_LEAD = "The documents differ on this; each is quoted with its source:"
"""Leads an answer whose evidence gives different values for the same thing in different documents."""
CONDITIONS_LEAD = (
    "The documents' conditions, beside what your question says (whether they are met is for you to judge):"
)
"""Leads the answer to a described situation: each condition a criterion states, then what the situation says."""
CONDITION_ITEM = "{condition} (your question: {stated}) [{n}]"
"""One condition and what the situation says about it, with the citation of the criterion stating it."""
NEAREST_NOT_ANSWER = (
    "The nearest {kind} they state seems to be about something else, so it is not given as the answer: "
    "“{quote}” (first under related reading)."
)
"""After NOT_ANSWERED, when the nearest statement of the kind asked for is about another subject."""
NEAREST_UNSURE = (
    "The nearest {kind} they state may not be about what was asked, so it is not given as the answer: "
    "“{quote}” (first under related reading)."
)
"""After NOT_ANSWERED, when the nearest statement of the kind asked for shares too little with the question
to be given as its answer (not known to be about another subject)."""
NEAREST_OTHER_CHANNEL = (
    "They give another way to reach them, not the {kind} asked for: “{quote}” (first under related reading)."
)
"""After NOT_ANSWERED, when the documents give the contact asked about another way (a phone for "email")."""
KIND_NAMES = {
    "duration": "time limit",
    "frequency": "frequency",
    "number": "figure",
    "percentage": "percentage",
    "money": "sum of money",
    "date": "date",
    "age": "age",
    "person": "person or body",
    "contact": "contact",
    "email": "e-mail address",
    "phone": "telephone number",
    "change": "change",
}
"""How an answer names the kind of value a question asks for."""
UNEXPECTED = "Something went wrong on the server. Please try again; if it keeps happening, tell the maintainer."
NOT_READY = "The assistant is still preparing its documents; try again shortly."


def identifiers_warning(kinds: list[str], what: str = "question") -> str:
    """The warning when the user's ``what`` holds identifying details (``kinds``: "a postcode"...)."""
    listed = kinds[0] if len(kinds) == 1 else ", ".join(kinds[:-1]) + " and " + kinds[-1]
    return (
        f"Your {what} seems to include identifying details ({listed}). Please rephrase it without "
        "names, dates of birth, contact details or addresses: the assistant answers from guidance and "
        "does not need them. Identifying details are never stored."
    )
