"""A described situation the documents do not name ("a swimmer has bruises and says her dad did it:
what do I do?") is answered with what the same documents say to do with any concern about a child,
introduced as such; a situation they do name is answered from its own rule; a situation about no
child is refused."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from corpora import ingested, swim_policy  # type: ignore[import-not-found]

from assistant.text.cues import about_a_child, asks_what_to_do, says_unreachable
from assistant.wording import GENERAL_DUTY_LEAD, UNREACHABLE_DUTY_LEAD

pytestmark = pytest.mark.slow


def test_when_the_usual_person_cannot_be_reached_the_policy_s_fallback_comes_first(
    tmp_path: Path, embedder: Any, make_settings: Any
) -> None:
    assistant = ingested(swim_policy(tmp_path), embedder, make_settings)
    answer = assistant.ask(
        "A swimmer has bruises on her arms and says her dad did it, and the welfare officer is on holiday. "
        "What should I do?"
    )
    assert not answer.abstained, answer.answer
    assert answer.answer.startswith(UNREACHABLE_DUTY_LEAD), answer.answer
    assert answer.citations[0].quote == (
        "If the Welfare Officer is not available, report to the Deputy Welfare Officer."
    ), answer.answer


@pytest.mark.parametrize(
    ("text", "unreachable"),
    [
        ("i'm worried about one of our under-12s and can't reach the welfare officer", True),
        ("the dsl is off sick", True),
        ("it's saturday night and out of hours", True),
        ("if the welfare officer is not available, report to the deputy", True),
        ("in her absence the deputy dsl takes on this role", True),
        ("if i am not available, tom contacts the children's front door", True),
        ("who covers when the dsl is off?", True),
        ("who do i report to if mark isn't around?", True),
        ("the dsl isn't available today", True),
        ("the dsl is not in today", True),
        ("who do i go to if priya is on leave?", True),
        ("what if the welfare officer is on maternity leave?", True),
        ("the child is not in immediate danger", False),
        ("i told the welfare officer", False),
    ],
)
def test_saying_the_usual_person_cannot_be_reached(text: str, unreachable: bool) -> None:
    assert says_unreachable(text) is unreachable


def test_a_situation_the_policy_does_not_name_gets_its_general_duty(
    tmp_path: Path, embedder: Any, make_settings: Any
) -> None:
    assistant = ingested(swim_policy(tmp_path), embedder, make_settings)
    answer = assistant.ask("A swimmer has bruises on her arms and says her dad did it. What do I do?")
    assert not answer.abstained, answer.answer
    assert answer.answer.startswith(GENERAL_DUTY_LEAD), answer.answer
    assert answer.citations[0].quote == "All concerns must be reported to the Club Welfare Officer.", answer.answer
    # a situation the policy deals with by name is answered from that rule, not the general duty
    named = assistant.ask("A swimmer has gone missing during a session. What should I do?")
    assert not named.abstained and not named.answer.startswith(GENERAL_DUTY_LEAD), named.answer
    assert "search the immediate area" in named.citations[0].quote, named.answer
    # a situation about no child is not a safeguarding question
    other = assistant.ask("My neighbour's car has been making a funny noise for weeks. What should I do?")
    assert other.abstained and not other.citations, other.answer


@pytest.mark.parametrize(
    ("question", "asks"),
    [
        ("what should i do?", True),
        ("who do i tell?", True),
        ("what now?", True),
        ("how long are records kept?", False),
        ("who is the welfare officer?", False),
    ],
)
def test_asking_only_what_to_do(question: str, asks: bool) -> None:
    assert asks_what_to_do(question) is asks


@pytest.mark.parametrize(
    ("text", "child"),
    [
        ("a swimmer has bruises on her arms", True),
        ("a 15-year-old has been staying with a family friend", True),
        ("my neighbour's car makes a funny noise", False),
        ("i'm worried about one of our under-12s", True),  # an age group
        ("the u14s coach shouts at them", True),
        ("the under 16 years rule", False),
    ],
)
def test_a_situation_about_a_child(text: str, child: bool) -> None:
    assert about_a_child(text) is child


def test_the_general_duty_is_read_under_a_heading_about_concerns(
    tmp_path: Path, embedder: Any, make_settings: Any
) -> None:
    from corpora import nursery_policy  # type: ignore[import-not-found]

    assistant = ingested(nursery_policy(tmp_path), embedder, make_settings)
    answer = assistant.ask("I've seen a bruise on a toddler's arm at nursery and she went quiet. Who do I tell?")
    assert not answer.abstained, answer.answer
    # "report concerns about radicalisation to the DSL" stands under "Prevent duty": not the general duty
    assert all("radicalisation" not in c.quote for c in answer.citations), answer.answer
    assert answer.citations[0].section.split(" › ")[-1] in {"Referring a concern", "Recording concerns"}, answer.answer


@pytest.mark.parametrize(
    ("question", "owner"),
    [
        ("what's priya's email?", "priya"),
        ("what's the lado's email address?", "lado"),
        ("what is the phone number for the front door?", "front door"),
        ("what's the email?", ""),
        ("what's the out of hours number?", ""),
        # a name before "number" (not a kind of line, nor the channel itself)
        ("what's the police non-emergency number i should use?", "police non-emergency"),
        ("what's the phone number?", ""),
        # who is named after what the asker would do with the number
        ("what phone number do i use for the shropshire lado?", "shropshire lado"),
        ("which number do i ring for the lado?", "lado"),
        ("what email should i use to contact the duty team?", "duty team"),
    ],
)
def test_whose_contact_a_question_asks_for(question: str, owner: str) -> None:
    from assistant.text.cues import contact_owner

    assert contact_owner(question) == owner


@pytest.mark.parametrize(
    ("question", "age"),
    [
        ("how many adults for an under 9s session?", 8),
        ("what's the ratio for u14s?", 13),
        ("can a 15-year-old help coach?", 15),
        ("what is the ratio for children under 2?", 1),
        ("how many babies can one member of staff look after?", 0),
        ("must i report it within 2 hours?", None),
        ("how long are records kept?", None),
    ],
)
def test_the_age_a_question_asks_about(question: str, age: int | None) -> None:
    from assistant.text.cues import asked_ages

    assert asked_ages(question)[:1] == ([] if age is None else [age])


@pytest.mark.parametrize(
    ("text", "ranges"),
    [
        ("for players aged 10 and under, one adult for every 8 players.", [(0, 10)]),
        ("for players aged 11 to 18, one adult for every 10 players.", [(11, 18)]),
        ("under 7 to under 9 | 1:8 | 2", [(6, 8)]),
        ("all coaches working with under-18s must hold a check.", [(0, 17)]),
        ("young leaders aged 16+ may help", [(16, 99)]),
        ("there must always be at least two adults present.", []),
        ("report it within 2 hours; keep it for 25 years.", []),
    ],
)
def test_the_ages_a_rule_is_for(text: str, ranges: list[tuple[int, int]]) -> None:
    from assistant.text.cues import age_ranges

    assert age_ranges(text) == ranges


def test_an_age_alone_is_an_age_only_in_a_column_of_ages() -> None:
    from assistant.text.cues import age_ranges

    assert age_ranges("3 years and over | 1:8") == [(3, 99)]
    assert age_ranges("2 years", ages_column=True) == [(2, 2)]
    assert age_ranges("2 years") == []  # "renewed every 2 years" is no age
