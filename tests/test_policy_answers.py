"""Questions practitioners ask of an organisation's own policy: who holds a role (the name from the
key contacts table), how long records are kept, when the policy is next reviewed."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from corpora import ingested, swim_policy  # type: ignore[import-not-found]

from assistant.text.cues import question_type, time_limit

pytestmark = pytest.mark.slow


@pytest.fixture
def swim_club(tmp_path: Path, embedder: Any, make_settings: Any) -> Any:
    return ingested(swim_policy(tmp_path), embedder, make_settings)


def test_who_holds_a_role_is_answered_with_the_name_the_contacts_table_gives(swim_club: Any) -> None:
    # sentences about what the welfare officer does name the role but not who holds it
    answer = swim_club.ask("Who is the welfare officer?")
    assert not answer.abstained, answer.answer
    assert "Priya Shah" in answer.citations[0].quote, answer.answer


def test_records_kept_until_a_birthday_say_how_long_they_are_kept(swim_club: Any) -> None:
    answer = swim_club.ask("How long are records kept?")
    assert not answer.abstained, answer.answer
    assert "until the child's 25th birthday" in answer.citations[0].quote, answer.answer


def test_when_a_policy_is_next_reviewed_is_answered_with_its_review_date(swim_club: Any) -> None:
    answer = swim_club.ask("When is the policy next reviewed?")
    assert not answer.abstained, answer.answer
    assert answer.citations[0].quote == "Next review: January 2026.", answer.answer


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("records are retained until the child's 25th birthday.", True),
        ("files are kept until their 21st birthday.", True),
        ("files are kept until their 21st birthday.", False),  # an age bounds how long a thing is kept only
        ("the register is kept until 25th march.", False),
    ],
)
def test_a_birthday_bounds_how_long_something_is_kept(text: str, kept: bool) -> None:
    expected = kept and "birthday" in text
    assert time_limit(text, kept=kept) is expected


def test_when_next_asks_for_a_date_but_when_held_asks_for_a_time_limit() -> None:
    assert question_type("When is the policy next reviewed?") == "date"
    assert question_type("When must the conference be held?") == "duration"
