"""A question about "the club" in a corpus holding several clubs' policies names none of them: each
club's policy that answers it is quoted, with whose it is, not one picked at random; a question
naming one club, or a corpus with one club, is answered from that club alone."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from corpora import answered, documents, ingested  # type: ignore[import-not-found]

from assistant.text.kinds import kinds_referred_to, unnamed_setting, without_kind

RIVERSIDE = """# Riverside Tennis Club: Safeguarding Policy

## Welfare Officer

The club's Welfare Officer is Priya Nair. Concerns about a child at the club go to her the same day.

## Recruitment

Everyone who coaches juniors at the club provides two references and an enhanced DBS check before starting.
"""

HILLCREST = """# Hillcrest Hockey Club: Safeguarding Policy

## Welfare Officer

The club's Welfare Officer is Tomasz Wolski. Report any worry about a player at the club to him without delay.

## Transport

The club does not allow coaches to drive a junior player home alone.
"""


def test_the_kind_a_question_refers_to_and_the_kinds_a_document_calls_itself() -> None:
    assert unnamed_setting("Who is the club's welfare officer?") == "club"
    assert unnamed_setting("What does our nursery do about mobile phones?") == "nursery"
    assert unnamed_setting("Who is the Riverside welfare officer?") is None
    assert without_kind("What does the club do? Ask the club’s chair", "club") == "What does do? Ask chair"
    assert kinds_referred_to(RIVERSIDE) == {"club": 3}


@pytest.mark.slow
def test_the_club_in_a_corpus_of_clubs_is_answered_from_each(tmp_path: Path, embedder: Any, make_settings: Any) -> None:
    corpus = documents(tmp_path, {"riverside-tennis-club.md": RIVERSIDE, "hillcrest-hockey-club.md": HILLCREST})
    assistant = ingested(corpus, embedder, make_settings)
    answer = answered(assistant, "Who is the club's welfare officer?")
    assert {c.document for c in answer.citations} == {"riverside-tennis-club.md", "hillcrest-hockey-club.md"}
    assert "Priya Nair" in answer.answer and "Tomasz Wolski" in answer.answer
    # each quote says whose it is
    assert "Riverside Tennis Club" in answer.answer and "Hillcrest Hockey Club" in answer.answer
    # a club's policy that does not answer is left out, not quoted for something else
    transport = answered(assistant, "Can a coach at the club drive a junior home alone?")
    assert {c.document for c in transport.citations} == {"hillcrest-hockey-club.md"}
    # naming the club asks that club's policy only
    named = answered(assistant, "Who is the welfare officer at Riverside?")
    assert {c.document for c in named.citations} == {"riverside-tennis-club.md"}


@pytest.mark.slow
def test_one_club_is_answered_without_attribution(tmp_path: Path, embedder: Any, make_settings: Any) -> None:
    assistant = ingested(documents(tmp_path, {"riverside-tennis-club.md": RIVERSIDE}), embedder, make_settings)
    answer = answered(assistant, "Who is the club's welfare officer?")
    assert "Priya Nair" in answer.answer
    assert not answer.answer.startswith("Riverside Tennis Club")
