"""Scenario questions: a described situation's facts (an age, how long, a percentage) set beside each
condition the documents state, each with the criterion's citation, and never judged; the rest of the
answer says what the documents say to do."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from corpora import cli_answer, fostering_guidance, ingested, westbrook_procedures  # type: ignore[import-not-found]

from assistant.answering.scenario import Fact, ask_part, conditions, situation
from assistant.text.normalise import fold
from assistant.wording import CONDITIONS_LEAD


def test_a_situation_states_an_age_a_length_of_time_and_a_percentage() -> None:
    facts = situation(
        "My neighbour's 15-year-old has been staying with her uncle's friend for three weeks: is that allowed?"
    )
    assert facts == (
        Fact("age", 15.0, "15"),
        Fact("duration", 21.0, "3 weeks"),
        Fact("relationship", 0.0, "her uncle's friend"),
    )
    assert situation("Attendance is down to 72% this term and he is often late. What level is that?") == (
        Fact("percentage", 72.0, "72%"),
    )


@pytest.mark.parametrize(
    "question",
    [
        "Is it right that the conference is held within 15 working days?",  # the figure is the question's
        "How many children aged 15 were on a plan for more than 2 years?",  # no situation is described
        "A child has told me something worrying. What should I do?",  # a situation, but no fact to compare
    ],
)
def test_a_question_without_a_described_fact_has_no_situation(question: str) -> None:
    assert situation(question) == ()


def test_the_question_itself_follows_the_description() -> None:
    assert ask_part("A 15-year-old has moved in with a friend's family. Who do I tell?") == "who do i tell?"
    assert ask_part("Who do I tell about private fostering?") == "Who do I tell about private fostering?"


def test_conditions_are_read_from_a_criterion_in_words_or_figures() -> None:
    text = "A child under sixteen (or under 18 if disabled) cared for by someone else for twenty-eight days or more."
    assert conditions(text, {"age", "duration"}) == [
        ("age", "under 16 (or under 18 if disabled)"),
        ("duration", "28 days or more"),
    ]
    assert conditions("Attendance below 85 per cent is a concern.", {"percentage"}) == [("percentage", "below 85%")]
    assert conditions("Children aged 12 and over are invited.", {"age"}) == [("age", "12 and over")]
    assert conditions("Attendance below 85 per cent is a concern.", {"age"}) == []
    carer = "cared for by someone who is not their parent, a person with parental responsibility or a close relative."
    assert conditions(carer, {"relationship"}) == [
        ("relationship", "not their parent, a person with parental responsibility or a close relative")
    ]


def test_who_the_child_is_with_counts_only_beside_something_measured() -> None:
    # "hurt by their dad" with no age or time described is what the question is about, not a situation
    assert situation("My pupil says she is being hurt by her dad at home, so who do I tell?") == ()
    assert situation("A 13-year-old has been living with his grandmother for two months. Is that fostering?")[-1] == (
        Fact("relationship", 0.0, "his grandmother")
    )


@pytest.mark.slow
def test_a_scenario_answer_sets_each_condition_beside_the_situation_with_its_citation(
    tmp_path: Path, embedder: Any, make_settings: Any
) -> None:
    from assistant.engine import Assistant

    assistant = Assistant(make_settings(fostering_guidance(tmp_path)), embedder=embedder)
    assert assistant.ingest().exit_code == 0
    answer = assistant.ask(
        "A 14-year-old has been living with a family friend for six weeks. Is that private fostering, and who do I tell?"
    )
    assert not answer.abstained, answer.answer
    assert answer.answer.startswith(CONDITIONS_LEAD), answer.answer
    shown = {(c.condition, c.stated) for c in answer.conditions}
    assert shown == {
        ("under the age of 16 (or under 18 if the child has a disability)", "14"),
        ("28 days or more", "6 weeks, about 42 days"),
        ("not a parent or a close relative", "a family friend"),
    }
    for condition in answer.conditions:
        cited = answer.citations[condition.citation - 1]
        assert condition.condition in fold(cited.quote)  # the criterion quoted states it
        assert f"(your question: {condition.stated}) [{condition.citation}]" in answer.answer
    # what to do comes with it, and the assistant does not decide
    assert "01632 960000" in answer.answer
    assert "is private fostering" not in answer.answer.split(CONDITIONS_LEAD)[1].split("[")[0]


@pytest.mark.slow
def test_the_cli_lists_the_conditions_in_its_json(tmp_path: Path, embedder: Any, make_settings: Any) -> None:
    corpus = fostering_guidance(tmp_path)
    ingested(corpus, embedder, make_settings)
    question = "A 12-year-old has stayed with her coach's family for ten days. Could that be private fostering?"
    data = cli_answer(make_settings(corpus), corpus, question)
    assert {"condition": "28 days or more", "stated": "10 days", "citation": 1} in data["conditions"]
    assert data["citations"][0]["quote"].startswith("Private fostering is when a child under the age of 16")


@pytest.mark.slow
def test_a_situation_asked_about_in_pronouns_only_is_checked_against_the_criterion(
    tmp_path: Path, embedder: Any, make_settings: Any
) -> None:
    # "Can she?" asks nothing in its own words: the situation is the question, and the criterion
    # ("Children aged 12 and over are usually invited ...") names half of its words
    assistant = ingested(westbrook_procedures(tmp_path), embedder, make_settings)
    answer = assistant.ask("A 14-year-old on a child protection plan wants to attend her conference. Can she?")
    assert not answer.abstained, answer.answer
    assert [(c.condition, c.stated) for c in answer.conditions] == [("12 and over", "14")]
    assert "aged 12 and over" in answer.citations[0].quote


def test_the_words_of_a_situation_asked_about_in_pronouns_only_are_the_questions_own() -> None:
    from assistant.answering.question import profile_question

    def generic(question: str) -> dict[str, bool]:
        return {g.word: g.generic for g in profile_question(question).groups}

    # "Can she?" has no word of its own: the situation's words are what is asked about
    assert not generic("A 13-year-old on a child protection plan wants to come to her conference. Can she?")[
        "conference"
    ]
    # a question with words of its own: the situation only sets the scene
    assert generic("A 15-year-old has been living with a family friend for five weeks. Is that private fostering?")[
        "friend"
    ]


def test_a_child_s_name_no_document_uses_is_the_case_s_not_one_the_documents_must_give(
    tmp_path: Path, embedder: Any, make_settings: Any
) -> None:
    """Practitioners name the child they are worried about: "Jayden" is a person in the case, not a
    place or body the documents must mention, so the question is answered as if unnamed. A name the
    documents do use, or one that is no given name ("Northshire"), still says which is meant."""
    assistant = ingested(westbrook_procedures(tmp_path), embedder, make_settings)
    named = "One of my under-10s, Jayden, turned up with bruises on his arms again. Who do I tell?"
    unnamed = "One of my under-10s turned up with bruises on his arms again. Who do I tell?"
    answer = assistant.ask(named)
    assert not answer.abstained, answer.answer
    assert [c.quote for c in answer.citations] == [c.quote for c in assistant.ask(unnamed).citations]
    assert assistant.ask("Who do I tell in Northshire about bruises on a child?").abstained
