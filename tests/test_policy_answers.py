"""Questions practitioners ask of an organisation's own policy: who holds a role (the name from the
key contacts table), how long records are kept, when the policy is next reviewed, the age asked of
someone (never another's)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from corpora import (  # type: ignore[import-not-found]
    GYM_POLICY,
    SWIM_POLICY,
    answered,
    childminder_policy,
    continuum_of_need,
    documents,
    gym_policy,
    ingested,
    nursery_ratios,
    one_document,
    preschool_policy,
    swim_policy,
    word_policy,
)

from assistant.answering.extractive import _UNDER_ROLE, _fits, _names_someone, _stand_in_role, _stands_in_for
from assistant.answering.question import profile_question, standalone_question
from assistant.answering.scenario import conditions
from assistant.models import Chunk, Turn
from assistant.text.cues import (
    DATE,
    FREQUENCY,
    LENGTH,
    STAFFING_RATIO,
    acted_on,
    age_ranges,
    asked_actor,
    defined_people,
    event_subject,
    event_verb,
    question_type,
    states_age,
    states_step,
    time_limit,
    timed_subject,
    without_ages,
)
from assistant.text.normalise import fold
from assistant.text.sentences import sentence_spans
from assistant.text.units import is_header_row

pytestmark = pytest.mark.slow


@pytest.fixture
def swim_club(tmp_path: Path, embedder: Any, make_settings: Any) -> Any:
    return ingested(swim_policy(tmp_path), embedder, make_settings)


def test_who_holds_a_role_is_answered_with_the_name_the_contacts_table_gives(swim_club: Any) -> None:
    # sentences about what the welfare officer does name the role but not who holds it
    answer = swim_club.ask("Who is the welfare officer?")
    assert not answer.abstained, answer.answer
    assert "Priya Shah" in answer.citations[0].quote, answer.answer


def test_a_club_named_by_its_initials_is_answered_from_its_policy(swim_club: Any) -> None:
    # brookfield-swimming-club-safeguarding-policy.md: "BSC" is no word of the policy
    answer = answered(swim_club, "Who is the welfare officer at BSC?")
    assert "Priya Shah" in answer.citations[0].quote, answer.answer
    # initials no document's name has are a body the documents do not mention
    assert swim_club.ask("Who is the welfare officer at TSC?").abstained


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


def test_an_age_stated_for_someone_else_does_not_answer_an_age_question(swim_club: Any) -> None:
    # the policy gives swimmers' ages (ratios, changing rooms) but no age for volunteers
    refused = swim_club.ask("What is the minimum age for a volunteer?")
    assert refused.abstained, refused.answer
    answered = swim_club.ask("What age does the policy count as a child?")
    assert not answered.abstained, answered.answer
    assert "under the age of 18" in answered.citations[0].quote, answered.answer


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("What is the minimum age for a volunteer?", "age"),
        ("How old do you have to be to help coach?", "age"),
        ("At what age can a child be left alone?", "age"),
        ("How many volunteers are there?", "number"),
        # a ratio of adults to children is a kind of value of its own
        ("What ratio does the drama club use for 10 year olds?", "ratio"),
        ("How many swimmers per coach in the development squad?", "ratio"),
        ("How many adults do we need for 20 children on a trip?", "ratio"),
        ("How many adults per child do you need for under 11s cricket?", "ratio"),
        ("How many coaches for every swimmer at a gala?", "ratio"),
        ("How many children can the childminder look after?", "number"),
    ],
)
def test_age_and_ratio_questions_ask_for_an_age_or_a_ratio(question: str, kind: str) -> None:
    assert question_type(question) == kind


@pytest.mark.parametrize(
    ("text", "age"),
    [
        ("volunteers must be 16 or over", True),
        ("players under the age of 18", True),
        ("a 15-year-old", True),
        ("18+ only", True),
        ("a year 8 pupil", False),
        ("within 8 days", False),
    ],
)
def test_an_age_is_read_in_its_usual_forms(text: str, age: bool) -> None:
    assert states_age(text) is age


def test_each_contact_in_a_run_of_contacts_is_quoted_on_its_own(
    tmp_path: Path, embedder: Any, make_settings: Any
) -> None:
    assistant = ingested(childminder_policy(tmp_path), embedder, make_settings)
    answer = assistant.ask("What's the LADO's number?")
    assert not answer.abstained, answer.answer
    assert answer.citations[0].quote == "Local Authority Designated Officer (LADO): 01234 556677", answer.answer
    answer = assistant.ask("What's Ofsted's phone number?")
    assert not answer.abstained, answer.answer
    assert answer.citations[0].quote == "Ofsted: 0300 123 1231", answer.answer


@pytest.mark.parametrize(
    ("line", "pieces"),
    [
        (
            "CADS: 0345 123 4567 Out of hours Emergency Duty Team: 0345 765 4321 Ofsted: 0300 123 1231",
            ["CADS: 0345 123 4567", "Out of hours Emergency Duty Team: 0345 765 4321", "Ofsted: 0300 123 1231"],
        ),
        ("LADO: lado@example.org NSPCC: 0808 800 5000", ["LADO: lado@example.org", "NSPCC: 0808 800 5000"]),
        # a number in a sentence, then its opening hours: one sentence
        ("Call 0300 123 4567 Monday to Friday: 9am to 5pm.", ["Call 0300 123 4567 Monday to Friday: 9am to 5pm."]),
    ],
)
def test_a_run_of_labelled_contacts_is_split_at_each_label(line: str, pieces: list[str]) -> None:
    assert [line[a:b] for a, b in sentence_spans(line)] == pieces


def test_who_to_call_is_answered_from_a_contact_list_that_never_says_call(
    tmp_path: Path, embedder: Any, make_settings: Any
) -> None:
    # "call" asks how to reach someone; it is not a word the contact line must hold
    assert next(g for g in profile_question("Who do I call out of hours?").groups if g.word == "call").generic
    assert not next(g for g in profile_question("When must I call the police?").groups if g.word == "call").generic
    assistant = ingested(childminder_policy(tmp_path), embedder, make_settings)
    answer = assistant.ask("Who do I call out of hours?")
    assert not answer.abstained, answer.answer
    assert answer.citations[0].quote == "Out of hours Emergency Duty Team: 0345 765 4321", answer.answer


def test_filming_is_asked_of_the_rule_on_video(swim_club: Any) -> None:
    # "film" in a parent's words; "video" and "filming" in the policy's
    answer = swim_club.ask("Can parents film at galas?")
    assert not answer.abstained, answer.answer
    assert "Photographs or video" in answer.citations[0].quote, answer.answer


@pytest.mark.parametrize(
    "question",
    ["What should a coach do if a swimmer tells them they are being hurt?", "What must the nursery do next?"],
)
def test_what_someone_should_do_asks_for_a_procedure(question: str) -> None:
    assert question_type(question) == "procedure"


@pytest.mark.parametrize(
    ("question", "quoted"),
    [
        # a parent's words for what the policy calls physical contact and transport
        ("Can coaches touch gymnasts?", "Coaches may use physical contact to support gymnasts during skills."),
        # with the exception the next sentence makes ("Where this cannot be avoided, ...")
        (
            "Can a coach give a gymnast a lift home?",
            "Coaches should not transport gymnasts alone in their car. Where this cannot be avoided, written consent "
            "must be obtained from the parent in advance.",
        ),
    ],
)
def test_lay_words_reach_the_policy_s_rule(
    question: str, quoted: str, tmp_path: Path, embedder: Any, make_settings: Any
) -> None:
    assistant = ingested(gym_policy(tmp_path), embedder, make_settings)
    answer = assistant.ask(question)
    assert not answer.abstained, answer.answer
    assert answer.citations[0].quote == quoted, answer.answer


def test_a_time_for_the_doing_asked_about_answers_when_the_sentence_names_the_doing(
    tmp_path: Path, embedder: Any, make_settings: Any
) -> None:
    question = "how quickly must concerns be referred to children's social care?"
    assert (event_subject(question), event_verb(question)) == ("concerns", "referred")
    assistant = ingested(gym_policy(tmp_path), embedder, make_settings)
    # "Referrals to children's social care are made within 24 hours", under "Responding to concerns"
    answer = assistant.ask("How quickly must concerns be referred to children's social care?")
    assert not answer.abstained, answer.answer
    assert answer.citations[0].quote.startswith("Referrals to children's social care are made within 24 hours")
    # the same time is not given for a referral to someone else
    other = assistant.ask("How quickly must concerns be referred to the LADO?")
    assert other.abstained and not other.citations, other.answer


def test_when_someone_is_told_asks_for_the_time_limit(swim_club: Any) -> None:
    assert question_type("When is Swim England told about a concern?") == "duration"
    answer = swim_club.ask("When is Swim England told about a concern?")
    assert not answer.abstained, answer.answer
    # the rule that times it, first and alone: not the sentences before it that name no time
    assert "Swim England Safeguarding Team within 48 hours" in answer.citations[0].quote, answer.answer
    assert len(answer.citations) == 1, answer.answer


def test_a_time_limit_in_words_answers_when_someone_is_told(tmp_path: Path, embedder: Any, make_settings: Any) -> None:
    assistant = ingested(preschool_policy(tmp_path), embedder, make_settings)
    answer = assistant.ask("When is the DSL told about a domestic abuse incident?")
    assert not answer.abstained, answer.answer
    assert "before the start of the next session" in answer.citations[0].quote, answer.answer
    # how often something is done is still no time limit
    assert time_limit("the dsl is told before the start of the next session")
    assert time_limit("report it to the welfare officer as soon as possible")
    assert not time_limit("the policy is reviewed every year")


def test_every_year_is_a_frequency(tmp_path: Path, embedder: Any, make_settings: Any) -> None:
    assert FREQUENCY.search("refresh it every year") and FREQUENCY.search("read updates each term")
    assistant = ingested(preschool_policy(tmp_path), embedder, make_settings)
    # not the DSL's "every two years": the staff's own rule
    answer = assistant.ask("How often do staff do safeguarding training?")
    assert not answer.abstained, answer.answer
    assert "refresh it every year" in answer.citations[0].quote, answer.answer


def test_the_holder_of_a_role_comes_before_their_deputy(tmp_path: Path, embedder: Any, make_settings: Any) -> None:
    assert _names_someone("Deputy DSL: Mr K Shah, Room Leader", set())  # a title and an initial
    assistant = ingested(preschool_policy(tmp_path), embedder, make_settings)
    answer = assistant.ask("who is the dsl at bluebell")
    assert not answer.abstained, answer.answer
    assert "Mrs J Patel" in answer.citations[0].quote, answer.answer
    deputy = assistant.ask("Who is the deputy DSL?")
    assert deputy.citations[0].quote == "Deputy DSL: Mr K Shah, Room Leader", deputy.answer
    # "id" in a parent's words, "identification" in the policy's
    visitors = assistant.ask("do visitors need id")
    assert not visitors.abstained and "show identification" in visitors.citations[0].quote, visitors.answer


def test_a_follow_up_asking_its_own_kind_of_fact_keeps_it(swim_club: Any) -> None:
    first = swim_club.ask("Who is the welfare officer at the swimming club?")
    history = [Turn("Who is the welfare officer at the swimming club?", first.answer)]
    # "she" is the welfare officer; the question asks for a time limit, not for the person again
    assert standalone_question("How quickly does she refer concerns?", history)[2] == "duration"
    answer = swim_club.ask("How quickly does she refer concerns?", history)
    assert not answer.abstained, answer.answer
    assert "within 24 hours" in answer.citations[0].quote, answer.answer


def test_a_third_turn_asking_its_own_kind_of_fact_is_not_led_by_the_first_answer(swim_club: Any) -> None:
    history: list[Turn] = []
    for question in ("Who is the welfare officer at the swimming club?", "What's her number?"):
        history.append(Turn(question, swim_club.ask(question, history).answer))
    # the numbers and names listed two turns ago are not what "she" refers to
    answer = swim_club.ask("How quickly does she refer concerns?", history)
    assert not answer.abstained, answer.answer
    assert "within 24 hours" in answer.citations[0].quote, answer.answer


def test_a_minimum_age_is_a_condition_a_situation_is_set_beside(
    tmp_path: Path, embedder: Any, make_settings: Any
) -> None:
    assert conditions("Young volunteers must be at least 14 years old", {"age"}) == [("age", "at least 14 years old")]
    assert conditions("a child in need plan for at least three months", {"age"}) == []  # a time, not an age
    assistant = ingested(gym_policy(tmp_path), embedder, make_settings)
    # "gym" for gymnastics; "enough" only says what kind of answer is wanted
    answer = assistant.ask("Our 13-year-old volunteer wants to help at the gym. Is she old enough?")
    assert not answer.abstained, answer.answer
    assert [(c.condition, c.stated) for c in answer.conditions] == [("at least 14 years old", "13")], answer.answer
    assert answer.citations[0].quote.startswith("Young volunteers must be at least 14 years old"), answer.answer


def test_a_ratio_or_a_telephone_number_is_not_a_count(tmp_path: Path, embedder: Any, make_settings: Any) -> None:
    assistant = ingested(gym_policy(tmp_path), embedder, make_settings)
    answer = assistant.ask("How many coaches does the gym club have?")
    quotes = " ".join(c.quote for c in answer.citations)
    assert "1:12" not in quotes and "0345 129 7129" not in quotes, answer.answer
    # how many per one coach is what a ratio answers
    per_coach = assistant.ask("How many gymnasts can one coach have in a recreational class?")
    assert not per_coach.abstained and "1:12" in per_coach.citations[0].quote, per_coach.answer


@pytest.mark.parametrize(
    ("question", "kind"),
    [("What's the swimming club's LADO number?", "contact"), ("What is the total number of referrals?", "number")],
)
def test_a_named_number_asks_for_a_contact(question: str, kind: str) -> None:
    assert question_type(question) == kind


def test_may_the_verb_is_no_date() -> None:
    assert not DATE.search("british gymnastics may suspend the coach's membership")
    assert DATE.search("approved by the committee in may 2025") and DATE.search("on 14 may")


def test_how_often_a_thing_is_practised_names_what_is_timed() -> None:
    assert event_subject("how often is the pre-school's lockdown practised?") == "pre-school's lockdown"


@pytest.fixture
def word_policy_assistant(tmp_path: Path, embedder: Any, make_settings: Any) -> Any:

    return ingested(word_policy(tmp_path), embedder, make_settings)


def test_a_word_policy_s_bold_headings_and_contacts_table_answer(word_policy_assistant: Any) -> None:
    answer = word_policy_assistant.ask("What is the out of hours number?")
    assert not answer.abstained, answer.answer
    assert answer.citations[0].quote == "Out of hours emergency duty team |  | 0300 555 0199", answer.answer
    assert answer.citations[0].section.endswith("Useful contacts"), answer.citations[0].section
    answer = word_policy_assistant.ask(
        "How long does she wait before calling the Front Door when a child isn't collected?"
    )
    assert not answer.abstained, answer.answer
    assert "after 30 minutes" in answer.citations[0].quote, answer.answer


def test_how_long_one_thing_is_kept_is_not_answered_by_how_long_another_is(word_policy_assistant: Any) -> None:
    answer = word_policy_assistant.ask("How long are safeguarding records kept?")
    assert not answer.abstained, answer.answer
    assert "until the child is 25 years old" in answer.citations[0].quote, answer.answer
    # the records' retention is a time limit of the right kind, about something else
    answer = word_policy_assistant.ask("How long are photographs kept?")
    assert answer.abstained, answer.answer
    assert "seems to be about something else, so it is not given as the answer" in answer.answer, answer.answer


DEPUTIES = """# Riverside Youth Club safeguarding policy

## Who to tell

The Club Welfare Officer is Amy Chen (07700 900301). All concerns go to the Club Welfare Officer.

## Health partners

The Deputy Chief Nurse at the hospital trust leads on safeguarding for health staff.
"""


def test_a_deputy_is_asked_of_the_role_named(tmp_path: Path, embedder: Any, make_settings: Any) -> None:
    assistant = ingested(one_document(tmp_path, "riverside-policy.md", DEPUTIES), embedder, make_settings)
    # neither the welfare officer herself nor another role's deputy
    answer = assistant.ask("Who is the deputy welfare officer?")
    assert answer.abstained, answer.answer
    answer = assistant.ask("Who is the welfare officer?")
    assert not answer.abstained and "Amy Chen" in answer.citations[0].quote, answer.answer


@pytest.mark.parametrize(
    ("question", "text", "stands_in"),
    [
        ("Who is the deputy DSL?", "Deputy DSL: Mr K Shah, Room Leader", True),
        ("Who's the deputy safeguarding officer?", "Deputy DSL: Mr K Shah, Room Leader", True),
        ("Who is the deputy DSL?", "My assistant, Kerry Lane, is my deputy when I am not available.", True),
        ("Who is the deputy DSL?", "The Deputy Chief Nurse/Head of Safeguarding leads.", False),
        ("Who is the deputy DSL?", "The DSL is Helen Birch.", False),
    ],
)
def test_a_deputy_is_of_the_role_asked_or_of_none(question: str, text: str, stands_in: bool) -> None:
    role = _stand_in_role(_UNDER_ROLE.search(question), profile_question(question))
    assert role is not None
    assert _stands_in_for(role, text) is stands_in


SCHOOL_ATTENDANCE = """# Child protection and safeguarding policy 2025-26

Oakwood Primary takes seriously its duty to safeguard the children in its care.

## 9. Children missing from education

Where a child is absent without explanation, the office contacts parents on the first day of absence.
If the school cannot make contact with the family after 10 school days of unexplained absence, it will
notify the local authority.

## 11. Records

When a pupil moves to another school, the DSL transfers the child protection file within five school
days of the pupil starting at the new school. Records are kept until the child's 25th birthday.
"""


def test_school_days_count_and_being_told_is_being_notified(tmp_path: Path, embedder: Any, make_settings: Any) -> None:
    assert time_limit("it will notify the local authority after 10 school days of unexplained absence.")
    assistant = ingested(one_document(tmp_path, "oakwood-policy.md", SCHOOL_ATTENDANCE), embedder, make_settings)
    answer = assistant.ask("When is the local authority told about a child missing education?")
    assert not answer.abstained, answer.answer
    assert "after 10 school days" in answer.citations[0].quote, answer.answer


def test_what_is_kept_is_what_a_school_keeps_not_the_school(tmp_path: Path, embedder: Any, make_settings: Any) -> None:
    corpus = word_policy(tmp_path)  # with other settings' policies, which keep records too
    (corpus / "oakwood-policy.md").write_text(SCHOOL_ATTENDANCE, encoding="utf-8")
    (corpus / "brookfield-swimming-policy.md").write_text(SWIM_POLICY, encoding="utf-8")
    (corpus / "oakfield-gymnastics-policy.html").write_text(GYM_POLICY, encoding="utf-8")
    assistant = ingested(corpus, embedder, make_settings)
    # the records are what must be named, not the school that keeps them
    answer = assistant.ask("How long does the school keep child protection records?")
    assert not answer.abstained, answer.answer
    assert "until the child's 25th birthday" in answer.citations[0].quote, answer.answer


@pytest.mark.parametrize(
    ("question", "thing"),
    [
        ("How long are photographs kept?", "photographs"),
        ("How long does the school keep child protection records?", "child protection records"),
        ("How long does the childminder keep safeguarding records for?", "safeguarding records"),
        ("How long must records be kept?", "records"),
        ("How long do we hold on to CCTV footage?", "cctv footage"),
        ("how long does the nursery hold onto accident records", "accident records"),
        ("How long does the youth theatre hang on to safeguarding records?", "safeguarding records"),
        ("How long does the conference last?", ""),
        ("How many days notice do parents get for a conference?", "conference"),
        ("How much notice is given before a home visit?", "home visit"),
    ],
)
def test_what_a_how_long_kept_question_asks_about(question: str, thing: str) -> None:
    assert acted_on(question) == thing


SCHOOL_TRAINING = """# Child protection and safeguarding policy 2025-26

## 3. Training

All staff receive safeguarding and child protection training at induction, which is updated every year.
Governors receive safeguarding training on appointment.
"""


def test_how_often_they_do_something_is_asked_of_them(tmp_path: Path, embedder: Any, make_settings: Any) -> None:
    corpus = word_policy(tmp_path)  # a childminder who renews her own training every two years
    (corpus / "oakwood-policy.md").write_text(SCHOOL_TRAINING, encoding="utf-8")
    assistant = ingested(corpus, embedder, make_settings)
    # neither the childminder's rule nor the staff's: the governors' training is not said to recur
    answer = assistant.ask("How often do governors have safeguarding training?")
    assert answer.abstained, answer.answer
    answer = assistant.ask("How often do staff have safeguarding training?")
    assert not answer.abstained, answer.answer
    assert "updated every year" in answer.citations[0].quote, answer.answer


@pytest.mark.parametrize(
    ("question", "actor"),
    [
        ("How often do governors have safeguarding training?", "governors"),
        ("How often does the DSL do training?", "dsl"),
        ("How often must all coaches repeat the course?", "coaches"),
        ("How often do I need to renew my DBS?", ""),  # the asker
        ("How often should a child in care get a health assessment?", ""),  # a child is seen, not a doer
        ("How often is the policy reviewed?", ""),
    ],
)
def test_who_a_how_often_question_asks_about(question: str, actor: str) -> None:
    assert asked_actor(question) == actor


def test_notice_of_something_no_document_names_is_not_answered(
    tmp_path: Path, embedder: Any, make_settings: Any
) -> None:
    assistant = ingested(one_document(tmp_path, "oakwood-policy.md", SCHOOL_ATTENDANCE), embedder, make_settings)
    # ten school days of absence, then the local authority is notified: no notice of a conference
    answer = assistant.ask("How many days notice do parents get for a conference?")
    assert answer.abstained, answer.answer


def test_a_table_s_header_row_is_never_the_answer(tmp_path: Path, embedder: Any, make_settings: Any) -> None:
    assistant = ingested(continuum_of_need(tmp_path), embedder, make_settings)
    answer = answered(assistant, "What is Level 3?")
    assert "Level 3 - Targeted" in answer.citations[0].quote, answer.answer
    assert all(c.quote != "Area | Level 1 | Level 2 | Level 3 | Level 4" for c in answer.citations), answer.answer


@pytest.mark.parametrize(
    ("text", "header"),
    [
        ("Area | Level 1 | Level 2\nHealth | Healthy | Missed appointments", True),
        ("Who | Name | Telephone\nLADO |  | 0300 555 0150", True),
        # a table without a header row starts with a row of values
        ("DSL | Sarah Whitfield | 07700 900123\nLADO | Karen Mills | 0300 555 0150", False),
        ("Health | Healthy | Missed appointments", False),  # no rows under it
    ],
)
def test_a_header_row_names_columns_and_has_rows_under_it(text: str, header: bool) -> None:
    chunk = Chunk(chunk_id="c", doc_id="d", ordinal=0, text=text, start=0, end=len(text))
    assert is_header_row(chunk, 0) is header


def test_what_a_numbered_level_is_asks_for_a_definition() -> None:
    assert question_type("What is Level 3?") == "definition"
    assert question_type("What is section 47?") == "definition"
    assert question_type("What is the figure for 2014?") == "number"


CONFERENCES = """# Child protection conferences

## 1.1 Timescales

The initial child protection conference must take place within 15 working days of the strategy discussion,
or the last strategy discussion if more than one has been held.

## 2. The child protection plan

The first core group meeting must be held within 10 working days of the initial conference.
"""


def test_what_must_take_place_by_a_time_is_what_the_time_is_for(
    tmp_path: Path, embedder: Any, make_settings: Any
) -> None:
    sentence = (
        "the initial child protection conference must take place within 15 working days of the strategy discussion"
    )
    assert timed_subject(sentence) == "initial child protection conference"
    assistant = ingested(one_document(tmp_path, "conferences.md", CONFERENCES), embedder, make_settings)
    # the strategy discussion is what the conference's time counts from, not what is timed
    answer = assistant.ask("When must the strategy discussion be held?")
    assert answer.abstained, answer.answer
    answer = assistant.ask("When must an initial child protection conference take place?")
    assert not answer.abstained and "within 15 working days" in answer.citations[0].quote, answer.answer


def test_a_question_naming_its_own_subject_is_not_a_follow_up(swim_club: Any) -> None:
    history: list[Turn] = []
    for question in ("Who is the welfare officer at the swimming club?", "How quickly does she refer concerns?"):
        history.append(Turn(question, swim_club.ask(question, history).answer))
    # the NSPCC has not been mentioned: the question is about it, not about the welfare officer
    assert standalone_question("What's the NSPCC's number?", history)[0] == "What's the NSPCC's number?"
    answer = answered(swim_club, "What's the NSPCC's number?", history)
    assert "0808 800 5000" in answer.citations[0].quote, answer.answer
    # a follow-up without a subject of its own still reads the conversation
    assert standalone_question("What's her email?", history)[0] != "What's her email?"


SCHOOL_CONTACTS = """# Child protection and safeguarding policy 2025-26

## 1. Key contacts

Designated Safeguarding Lead (DSL): Mrs Helen Carter, Deputy Headteacher. Deputy DSLs: Mr James Ward,
Headteacher, and Ms Priya Nair, SENCo. Nominated governor for safeguarding: Mr David Osei. Local Authority
Designated Officer (LADO): 01632 960450. Children's Social Care Front Door: 01632 960200.

## 3. Training

All staff receive safeguarding training at induction, which is updated every year. The DSL and deputies
undertake DSL training every two years. Governors receive safeguarding training on appointment.
"""


def test_they_in_a_typed_follow_up_are_those_asked_about(tmp_path: Path, embedder: Any, make_settings: Any) -> None:
    assistant = ingested(one_document(tmp_path, "oakwood-policy.md", SCHOOL_CONTACTS), embedder, make_settings)
    contacts = " ".join(SCHOOL_CONTACTS.split("## 1. Key contacts")[1].split("## 3.")[0].split())
    history = [
        Turn("Who is the DSL?", "Designated Safeguarding Lead (DSL): Mrs Helen Carter, Deputy Headteacher. [1]"),
        Turn("And the deputies?", f"1. Key contacts: {contacts} [1]"),  # the whole section, as a PDF's may be
    ]
    # not every name and number the key contacts answer listed: the deputies asked about
    rewritten = standalone_question("How often do they do training?", history)[0]
    assert "Osei" not in rewritten and "deputies" in rewritten, rewritten
    answer = answered(assistant, "How often do they do training?", history)
    assert "every two years" in answer.citations[0].quote, answer.answer


def test_an_age_or_regular_contact_is_no_frequency(tmp_path: Path, embedder: Any, make_settings: Any) -> None:
    assert not FREQUENCY.search("volunteers who have regular contact with gymnasts")
    assert FREQUENCY.search("staff receive regular training") and FREQUENCY.search("it is reviewed regularly")
    assert without_ages("young volunteers must be at least 14 years old").strip() == "young volunteers must be at least"
    assistant = ingested(gym_policy(tmp_path), embedder, make_settings)
    # the policy says how old young volunteers must be and that volunteers have regular contact, not how
    # often they are trained
    answer = assistant.ask("How often do volunteers have training?")
    assert answer.abstained, answer.answer
    answer = assistant.ask("How often do coaches repeat the course?")
    assert not answer.abstained and "every three years" in answer.citations[0].quote, answer.answer


NURSERY_DSL = """# Busy Bees Day Nursery safeguarding policy

## Our designated safeguarding lead

Our Designated Safeguarding Lead (DSL) is Amina Hussain, Nursery Manager. In her absence the Deputy DSL,
Chloe Roberts, Room Leader, takes on this role. The DSL attends designated safeguarding lead training every
two years.
"""


def test_who_covers_when_the_usual_person_is_away_comes_first(
    tmp_path: Path, embedder: Any, make_settings: Any
) -> None:
    corpus = one_document(tmp_path, "busy-bees-policy.md", NURSERY_DSL)
    (corpus / "oakfield-gymnastics-policy.html").write_text(GYM_POLICY, encoding="utf-8")
    assistant = ingested(corpus, embedder, make_settings)
    for question in ("Who covers when the DSL is off?", "Who takes on the role when the DSL is not available?"):
        answer = answered(assistant, question)
        assert answer.citations[0].quote.startswith("In her absence the Deputy DSL"), answer.answer


CHILDMINDER_DSL = """# Little Acorns Childminding safeguarding policy

## Designated safeguarding lead

I, Sarah Whitfield, am the designated safeguarding lead for my setting. My assistant, Tom Baker, knows this
policy and reports any concern to me straight away. If I am not available, Tom contacts the Children's Front
Door directly.

I renew my safeguarding training every two years and Tom completes basic safeguarding training every three
years.

## Missing child

If a child goes missing while in my care, I will search the immediate area and call the police if the child is
not found within 10 minutes. I will then inform the parents and Ofsted.
"""


def test_who_to_tell_when_the_lead_is_away_is_what_the_policy_says_for_that_case(
    tmp_path: Path, embedder: Any, make_settings: Any
) -> None:
    # the sentence for the usual case ("I ... am the designated safeguarding lead") is nearer the question's
    # words; the one for when she is not available ("If I am not available, ...") is what was asked
    assistant = ingested(one_document(tmp_path, "little-acorns-policy.md", CHILDMINDER_DSL), embedder, make_settings)
    answer = answered(assistant, "Who do I tell if the DSL is away?")
    assert answer.citations[0].quote.startswith("If I am not available, Tom contacts"), answer.answer


CHILDMINDER_STEPS = """# Little Acorns Childminding safeguarding policy

## Signs of abuse

I know the four categories of abuse: physical abuse, emotional abuse, sexual abuse and neglect. Signs may
include unexplained bruising, a change in behaviour, a child who is often hungry or unkempt, or a child who
says something that worries me.

## If a child tells me something

1. I will stay calm, listen and reassure the child that they have done the right thing in telling me.
2. I will not ask leading questions or promise to keep a secret.
3. I will write down what the child said, in their own words, as soon as possible and within the same day.
4. I will contact the Children's Front Door on 0300 555 0101 the same day.

## Allegations against me, my assistant or a member of my household

If an allegation is made against me, my assistant or anyone living in my home, I will contact the Local
Authority Designated Officer (LADO) within one working day.

## Early help

If a family needs extra support but the child is not at risk of significant harm, I will talk to the parents
about an Early Help Assessment, with their consent.
"""


def test_a_situation_a_heading_names_is_answered_from_that_section(
    tmp_path: Path, embedder: Any, make_settings: Any
) -> None:
    # "If a child tells me something" names the situation described; the early-help sentence shares more of
    # the question's words ("harm" for "hurt") but is about another case
    assistant = ingested(one_document(tmp_path, "little-acorns-policy.md", CHILDMINDER_STEPS), embedder, make_settings)
    for question in (
        "A child tells me they are being hurt at home. What should I do?",
        "What should I do if a child discloses abuse?",
    ):
        answer = answered(assistant, question)
        assert answer.citations[0].section.endswith("If a child tells me something"), answer.answer


_ABUSE_ROWS = (
    ("Type of abuse", "Definition", "Signs"),
    (
        "Physical abuse",
        "Any kind of physical harm inflicted on a child (with the exception of sexual abuse, as defined below), "
        "which may be hitting, punching or kicking, biting, burning or scalding, shaking or throwing.",
        "bruises; scalds or burns; fractures",
    ),
    (
        "Emotional abuse",
        "Persistent ill-treatment of a child such as to cause severe adverse effects on the child's emotional "
        "development.",
        "withdrawal; anxiety",
    ),
    (
        "Neglect",
        "The persistent failure to meet a child's basic physical and/or psychological needs.",
        "Guardians failing to provide food, clothing, shelter or medical treatment; impaired growth",
    ),
)


def _abuse_table_pdf(path: Path) -> Path:
    """A nursery policy page whose indicators of abuse are a table drawn with ruling lines (PDF)."""
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 14)
    pdf.multi_cell(0, 8, "Bright Stars Nursery Safeguarding Policy", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "B", 12)
    pdf.multi_cell(0, 7, "Indicators of Abuse", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", size=10)
    pdf.multi_cell(
        0, 5, "Team members regard the following as sufficient for suspicion of abuse.", new_x="LMARGIN", new_y="NEXT"
    )
    pdf.ln(2)
    with pdf.table(col_widths=(35, 90, 55)) as table:
        for cells in _ABUSE_ROWS:
            row = table.row()
            for cell in cells:
                row.cell(cell)
    pdf.ln(3)
    pdf.set_font("Helvetica", "B", 12)
    pdf.multi_cell(0, 7, "Visitors", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", size=10)
    pdf.multi_cell(
        0,
        5,
        "All visitors sign in at the office. The nursery will not tolerate abuse directed against members of staff.",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.output(str(path))
    return path


def test_a_table_row_under_a_definition_column_defines_what_it_names(
    tmp_path: Path, embedder: Any, make_settings: Any
) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    _abuse_table_pdf(corpus / "bright-stars-policy.pdf")
    assistant = ingested(corpus, embedder, make_settings)
    answer = answered(assistant, "How does the nursery define neglect?")
    assert answer.citations[0].quote.startswith("Neglect | The persistent failure"), answer.answer
    # the row for what is asked, not the one that mentions it
    answer = answered(assistant, "What are the signs of emotional abuse?")
    assert answer.citations[0].quote.startswith("Emotional abuse |"), answer.answer


RUGBY_CLUB = """# Ashbury Park RFC safeguarding policy

## Club Safeguarding Officer

The Club Safeguarding Officer (CSO) is Mark Ellison. He is the first point of contact for any safeguarding
concern at the club. When the CSO is not available, concerns should be reported to the Deputy CSO, Janet Price,
or directly to the RFU Safeguarding Team.

## Key contacts

| Role | Name | Contact |
| --- | --- | --- |
| Club Safeguarding Officer | Mark Ellison | 07700 900456 |
| Deputy CSO | Janet Price | 07700 900457 |
| RFU Safeguarding Team | | 0208 831 7479 |
| Children's Services (out of hours) | | 0300 555 0199 |

## Reporting a concern

Report your concern to the CSO as soon as possible and in any event within 24 hours. The CSO will record the
concern and report it to the RFU Safeguarding Team and, where appropriate, to Children's Services or the police.

## Concerns about adults in the club

Any concern about the behaviour of a coach, referee, volunteer or other adult towards a child must be reported to
the CSO, who will inform the RFU Safeguarding Team within one working day. If the concern is about the CSO, report
it directly to the RFU Safeguarding Team.
"""


@pytest.fixture
def rugby_club(tmp_path: Path, embedder: Any, make_settings: Any) -> Any:
    return ingested(one_document(tmp_path, "ashbury-park-rfc-policy.md", RUGBY_CLUB), embedder, make_settings)


@pytest.mark.parametrize(
    ("question", "first_quote"),
    [
        # the sentence for the case the question puts comes first
        ("What if the concern is about the CSO himself?", "If the concern is about the CSO, report it"),
        # who to call can be a service in a contacts table
        ("Who do I call out of hours?", "Children's Services (out of hours) |  | 0300 555 0199"),
        # someone not around is someone who cannot be reached
        ("Who do I report to if Mark isn't around?", "When the CSO is not available"),
    ],
)
def test_a_club_policy_answers_the_case_put_first(rugby_club: Any, question: str, first_quote: str) -> None:
    answer = answered(rugby_club, question)
    assert answer.citations[0].quote.startswith(first_quote), answer.answer


FIELDS_PAGE = """<html><head><title>Safeguarding | Riverside Rovers Youth FC</title></head><body><main>
<h1>Riverside Rovers Youth FC Safeguarding Children Policy</h1>
<h2>Club Welfare Officer</h2>
<div><p><strong>Name:</strong> Priya Shah</p>
<p><strong>Telephone:</strong> 07700 900777</p>
<p><strong>Email:</strong> welfare@riversiderovers.example</p>
<p>The Club Welfare Officer is the first point of contact for any concern about a child's welfare at the club.</p></div>
<h2>What to do if you are worried about a child</h2>
<div><p>Report your concern to the Club Welfare Officer as soon as possible. You can also contact The FA Safeguarding
Team at safeguarding@thefa.com.</p></div>
</main></body></html>
"""


def test_a_person_s_email_is_the_one_in_their_own_record_of_labelled_fields(
    tmp_path: Path, embedder: Any, make_settings: Any
) -> None:
    # "Name: Priya Shah" / "Email: ..." are separate lines: the email line never names her
    assistant = ingested(one_document(tmp_path, "riverside-rovers.html", FIELDS_PAGE), embedder, make_settings)
    answer = answered(assistant, "What's Priya's email?")
    assert answer.citations[0].quote == "Email: welfare@riversiderovers.example", answer.answer


STAND_IN_ONLY = """# Millbrook Swimming Club safeguarding policy

## Welfare officer

The Club Welfare Officer is Sam Jones, who is the first point of contact for any concern about a swimmer.
If the Club Welfare Officer is not available, contact the County Welfare Officer on 01632 960123.
"""


def test_the_number_for_when_someone_is_away_is_not_their_number(
    tmp_path: Path, embedder: Any, make_settings: Any
) -> None:
    assistant = ingested(one_document(tmp_path, "millbrook-swimming.md", STAND_IN_ONLY), embedder, make_settings)
    answer = assistant.ask("What's the welfare officer's phone number?")
    # the policy gives the County Welfare Officer's number, for when Sam is away: not the answer
    assert answer.abstained, answer.answer
    answer = answered(assistant, "What number do I ring if the welfare officer is not available?")
    assert "01632 960123" in answer.citations[0].quote, answer.answer


RATIOS = """# Riverside Rovers Youth FC safeguarding policy

## Supervision ratios

For players aged 11 to 18, there must be at least one adult for every 10 players. For players aged 10 and under,
there must be at least one adult for every 8 players. There must always be at least two adults present.

## Criminal record checks

All coaches working with under-18s must hold a valid FA Criminal Record Check, renewed every three years.
"""


def test_a_rule_for_an_age_band_answers_for_an_age_group_inside_it(
    tmp_path: Path, embedder: Any, make_settings: Any
) -> None:
    assistant = ingested(one_document(tmp_path, "riverside-rovers.md", RATIOS), embedder, make_settings)
    # "under 9s" are 8 and under: inside "aged 10 and under", not "aged 11 to 18" (which comes first)
    for question in ("How many adults do I need for an under 9s training session?", "What's the ratio for U9s?"):
        answer = answered(assistant, question)
        assert answer.citations[0].quote.startswith("For players aged 10 and under"), answer.answer
    answer = answered(assistant, "What's the ratio for under 14s?")
    assert answer.citations[0].quote.startswith("For players aged 11 to 18"), answer.answer


def test_a_rule_for_other_ages_does_not_answer_for_an_age_group(
    tmp_path: Path, embedder: Any, make_settings: Any
) -> None:
    older_only = RATIOS.replace(
        " For players aged 10 and under,\nthere must be at least one adult for every 8 players.", ""
    )
    assistant = ingested(one_document(tmp_path, "riverside-rovers.md", older_only), embedder, make_settings)
    # the policy states a ratio for players aged 11 to 18 only: it is not the under 9s' ratio
    for question in (
        "How many players can one adult supervise in an under 9s team?",
        "What's the adult to player ratio for under 9s?",
    ):
        answer = assistant.ask(question)
        assert answer.abstained, answer.answer


def test_the_row_for_the_age_asked_answers_without_the_rest_of_its_table(
    tmp_path: Path, embedder: Any, make_settings: Any
) -> None:
    assistant = ingested(nursery_ratios(tmp_path), embedder, make_settings)
    answer = answered(assistant, "What's the ratio for 2 year olds?")
    assert [c.quote for c in answer.citations] == [
        "2 years | 1:5 | At least one member of staff holds a level 3 qualification"
    ], answer.answer
    answer = answered(assistant, "What ratio do we need for a 4 year old?")
    assert answer.citations[0].quote.startswith("3 years and over | 1:8"), answer.answer
    # a word for children of an age (vocabulary data): babies are under 2
    answer = answered(assistant, "How many babies can one member of staff look after?")
    assert answer.citations[0].quote.startswith("Under 2 years | 1:3"), answer.answer
    # the case put, in the question's words but for one ("Nursery Manager" for "the manager")
    answer = answered(assistant, "What if the allegation is about the manager?")
    assert answer.citations[0].quote.startswith("If the allegation is about the Nursery Manager"), answer.answer


KEY_CONTACTS = """# Oakwood Primary School child protection policy

## 1. Key contacts

Designated Safeguarding Lead (DSL): Mrs Helen Carter, Deputy Headteacher. Deputy DSLs: Mr James Ward, Headteacher,
and Ms Priya Nair, SENCo. Local Authority Designated Officer (LADO): 01632 960450. Children's Social Care Front Door:
01632 960200 (out of hours 01632 960999).
"""


def test_a_label_inside_a_paragraph_of_labels_is_not_a_record_of_its_neighbours(
    tmp_path: Path, embedder: Any, make_settings: Any
) -> None:
    from assistant.answering.extractive import Candidate, _record
    from assistant.models import Passage

    paragraph = KEY_CONTACTS.split("\n\n")[-1].replace("\n", " ").strip()
    fields = "Name: Priya Shah\nTelephone: 07700 900777\nEmail: welfare@riversiderovers.example"
    text = f"Key contacts\n{paragraph}\n{fields}"
    chunk = Chunk(chunk_id="c", doc_id="d", ordinal=0, text=text, start=0, end=len(text))

    def record(quote: str) -> frozenset[str]:
        start = text.index(quote)
        return _record(Candidate(Passage(chunk, 0.0, 1), start, start + len(quote), quote, False))

    # the Front Door's number sits in the same paragraph as the LADO's label: it is not the LADO's
    assert not record("Children's Social Care Front Door: 01632 960200 (out of hours 01632 960999).")
    # a field on a line of its own is about whom the fields beside it name
    assert "priya" in record("Email: welfare@riversiderovers.example")
    answer = ingested(one_document(tmp_path, "oakwood-policy.md", KEY_CONTACTS), embedder, make_settings).ask(
        "What's the LADO's number?"
    )
    assert "01632 960450" in answer.citations[0].quote and "960200" not in answer.citations[0].quote, answer.answer


def test_an_age_asked_is_answered_by_its_row_and_a_follow_up_by_the_age_just_typed(
    tmp_path: Path, embedder: Any, make_settings: Any
) -> None:
    from assistant.models import Turn

    assistant = ingested(nursery_ratios(tmp_path), embedder, make_settings)
    first = assistant.ask("What's the ratio for under 2s?")
    assert [c.quote for c in first.citations] == [
        "Under 2 years | 1:3 | At least one member of staff holds a level 3 qualification"
    ], first.answer
    answer = answered(assistant, "And for 3 year olds?", [Turn("What's the ratio for under 2s?", first.answer)])
    assert answer.citations[0].quote.startswith("3 years and over | 1:8"), answer.answer


POLICY_WITH_STEPS = """# Oakfield Pre-school Safeguarding Policy

## When a member of staff is worried

When the Safeguarding Officer (Dana Okafor) is told by a member of staff that a child may be at risk of harm, she will:
1. Make sure that the child is safe and that a second member of staff stays with the child for the rest of the session.
2. Write down the date and time, what the member of staff saw or heard, and the child's own words, and keep it in the child protection file.
3. Telephone the Children's Advice and Duty Service for advice on the same day, and record who she spoke to and what was agreed.
4. Tell the Pre-school Manager, unless the concern is about the Pre-school Manager, in which case she tells the chair of the committee.

## Strategy meetings

A strategy meeting is chaired by the Pre-school Manager. As a minimum it must include:
the Safeguarding Officer;
the child's key person;
a member of the committee, where one is available.
"""


def test_who_holds_a_role_is_not_answered_with_the_steps_they_take(
    tmp_path: Path, embedder: Any, make_settings: Any
) -> None:
    assistant = ingested(
        one_document(tmp_path, "oakfield-preschool-safeguarding-policy.md", POLICY_WITH_STEPS), embedder, make_settings
    )
    answer = answered(assistant, "Who is the safeguarding officer?")
    assert "Dana Okafor" in answer.citations[0].quote, answer.answer
    assert answer.citations[0].quote.endswith("she will:"), answer.answer  # what she does was not asked
    assert "Telephone" not in answer.answer
    # the members a list gives are who must be there: the list is the answer
    members = answered(assistant, "Who has to be at a strategy meeting?")
    assert "the child's key person" in members.answer, members.answer


CHILDMINDER_WITH_ASSISTANT = """# Safeguarding policy

I am a registered childminder and I work with one assistant.

## Designated safeguarding lead

I am the designated safeguarding lead for my setting. My assistant, Tom Baker, knows this policy and reports any concern to me straight away.

I renew my safeguarding training every two years and Tom completes basic safeguarding training every three years.

## Governance

Staff at the local authority's schools receive safeguarding training twice a year.
"""


def test_a_person_introduced_by_role_is_that_role_where_named(
    tmp_path: Path, embedder: Any, make_settings: Any
) -> None:
    # "My assistant, Tom Baker, ...": the sentence about Tom's training is the assistant's rule
    assistant = ingested(
        one_document(tmp_path, "riverside-childminder-policy.md", CHILDMINDER_WITH_ASSISTANT), embedder, make_settings
    )
    answer = answered(assistant, "How often does the assistant have to redo safeguarding training?")
    assert "Tom completes basic safeguarding training every three years" in answer.citations[0].quote, answer.answer


@pytest.mark.parametrize(
    ("text", "people"),
    [
        ("My assistant, Tom Baker, knows this policy.", {"tom": "assistant", "baker": "assistant"}),
        ("Jo Smith, the designated safeguarding lead, will act.", {"jo": "designated safeguarding lead"}),
        ("The Setting Manager (Gaynor Sloan) decides.", {"gaynor": "The Setting Manager"}),
        ("We met Tom Baker, who is new.", {}),  # a name with no role beside it
        ("The Club Safeguarding Officer (CSO) is Mark Ellison.", {"mark": "Club Safeguarding Officer"}),
        # capitalised words that do not open with a given name are no person
        ("It promotes the safety of children, Havering Safeguarding Children Board, and others.", {}),
    ],
)
def test_the_people_a_text_introduces_by_role(text: str, people: dict[str, str]) -> None:
    found = defined_people(text)
    assert {k: v for k, v in found.items() if k in people} == people
    assert bool(found) == bool(people)


RUGBY_RATIOS = """# Ashbury Park RFC safeguarding policy

## Transport

Coaches and volunteers should avoid transporting a child alone. Where this cannot be avoided, the parent must give consent in advance and the child should sit in the back of the car.

## Supervision ratios

The following minimum ratios of adults to players apply to all training sessions, matches and trips:

| Age group | Ratio (adults:players) | Minimum adults |
| --- | --- | --- |
| Under 7 to Under 9 | 1:8 | 2 |
| Under 10 to Under 12 | 1:10 | 2 |
| Under 13 to Under 18 | 1:15 | 2 |

## Changing rooms

Where supervision of a changing room is needed, two adults of the same gender as the players should be present.
"""


def test_a_table_s_rows_are_about_what_the_sentence_bringing_it_in_names(
    tmp_path: Path, embedder: Any, make_settings: Any
) -> None:
    assistant = ingested(one_document(tmp_path, "ashbury-park-rfc-policy.md", RUGBY_RATIOS), embedder, make_settings)
    # "training sessions" is said by the table's lead-in, not by its rows
    answer = answered(assistant, "How many adults do I need for an under-8s training session?")
    assert answer.citations[0].quote.startswith("Under 7 to Under 9"), answer.answer
    # "Where this cannot be avoided, ...": the case is the sentence before, quoted with it
    lift = answered(assistant, "Can a coach give a player a lift home?")
    assert lift.citations[0].quote.startswith("Coaches and volunteers should avoid transporting a child alone."), (
        lift.answer
    )


SCHOOL = """# Child protection policy 2025-26

## Online safety

The school uses filtering and monitoring systems, which are checked every term by the DSL and the IT technician.

## Safer recruitment

All staff have an enhanced DBS check before they start work. References are obtained before interview.

## Referrals

If a child is in immediate danger, a referral should be made to children's social care immediately. Anybody can make a referral.
"""


@pytest.fixture
def school(tmp_path: Path, embedder: Any, make_settings: Any) -> Any:
    return ingested(
        one_document(tmp_path, "oakwood-primary-child-protection-policy.md", SCHOOL), embedder, make_settings
    )


def test_whose_thing_is_timed_is_said_by_the_document_s_name(school: Any) -> None:
    # "Oakwood's filters": the name says whose they are, not what kind of filter is checked
    answer = answered(school, "How often are Oakwood's filters checked?")
    assert "checked every term" in answer.citations[0].quote, answer.answer


def test_references_are_not_referrals(school: Any) -> None:
    answer = answered(school, "When are references taken up at Oakwood?")
    assert answer.citations[0].quote == "References are obtained before interview.", answer.answer


@pytest.mark.parametrize(
    ("text", "step"),
    [
        ("If V does not satisfy the requirements, S denies him entry.", True),  # a capital "If"
        ("Then the DSL decides whether to refer.", True),
        ("Telephone the Front Door on 01632 960200.", True),
        ("The nursery has 40 places.", False),
        ("1. A Staff Member S ensures that", True),  # a duty stated in the present tense
        ("Our officer offers an opportunity to ensure that the procedures are embedded.", False),  # a purpose
    ],
)
def test_a_step_is_read_whatever_the_case_of_its_first_word(text: str, step: bool) -> None:
    assert states_step(text) is step


YOUTH_THEATRE = """# Safeguarding policy

## Key people and contacts

The theatre has a Designated Safeguarding Lead (DSL) who is responsible for receiving concerns and keeping records.

| Role | Name | Phone |
| --- | --- | --- |
| Designated Safeguarding Lead | Priya Ramsden | 07700 914 382 |
| Safeguarding trustee | Margaret Hollins | 07700 916 455 |
| Local Authority Designated Officer | LADO service | 01632 960 771 |

## Allegations

The DSL will inform the Local Authority Designated Officer (LADO) within one working day.
"""


def test_whose_number_is_asked_less_the_organisation_s_own_name(
    tmp_path: Path, embedder: Any, make_settings: Any
) -> None:
    assistant = ingested(
        one_document(tmp_path, "brackenfield-youth-theatre-policy.md", YOUTH_THEATRE), embedder, make_settings
    )
    # "the youth theatre's DSL": the DSL's number, the theatre being the document's own organisation
    dsl = answered(assistant, "What's the mobile number for the youth theatre's DSL?")
    assert "07700 914 382" in dsl.answer, dsl.answer
    # "get hold of" asks how to reach them, like "call": not a word the evidence must say
    profile = profile_question("What number do I ring to get hold of the LADO?")
    assert profile.expects == "contact"
    assert {g.word: g.generic for g in profile.groups}["hold"]


CRICKET = """<html><body><main><h1>Safeguarding</h1>
<h2>Supervision ratios</h2>
<p>We always have at least two adults present at every junior session. The minimum ratios we work to are:</p>
<table>
<tr><th>Age group</th><th>Adults : players</th><th>Notes</th></tr>
<tr><td>Under 9s</td><td>1 : 8</td><td>Includes Dynamos</td></tr>
<tr><td>Under 11s</td><td>1 : 8</td><td></td></tr>
<tr><td>Under 13s</td><td>1 : 10</td><td></td></tr>
<tr><td>Under 15s</td><td>1 : 10</td><td>Hardball nets need a coach per net</td></tr>
</table>
</main></body></html>
"""


@pytest.mark.parametrize(
    ("question", "row"),
    [
        # "Under 13s | 1 : 10" has no note: a row under "Age group | Adults : players | Notes" all the same
        ("What's the ratio for under-12s at the cricket club?", "Under 13s - Adults : players: 1 : 10"),
        # an under-11 is under 13 and under 15 as well, but the table has a row of their own (the under 15s'
        # row shares more words with the question: "need", "per")
        ("How many adults per child do you need for under 11s?", "Under 11s - Adults : players: 1 : 8"),
    ],
)
def test_the_ratio_asked_is_the_row_of_the_narrowest_age_band_holding_the_age(
    question: str, row: str, tmp_path: Path, embedder: Any, make_settings: Any
) -> None:
    assistant = ingested(
        one_document(tmp_path, "elmsford-vale-cricket-club-safeguarding.html", CRICKET), embedder, make_settings
    )
    answer = answered(assistant, question)
    assert answer.answer.startswith(row), answer.answer
    assert "Under 15s" not in answer.answer, answer.answer


def test_a_capitalised_sentence_start_does_not_make_a_question_title_case() -> None:
    # "What's", "ratio", "Elmsford", "Vale": the capitals of a place's name still name it
    assert profile_question("What's the ratio for under 13s at Elmsford Vale?").names == {"elmsford", "vale"}
    # a question typed in Title Case capitalises its small words too: capitals say nothing there
    assert profile_question("Who Is The DSL At Bramblewood?").names == frozenset()


def test_files_are_records_when_asked_how_long_they_are_kept(swim_club: Any) -> None:
    # the policy keeps "records"; a parent asks about "files"
    answer = answered(swim_club, "How long are child protection files kept?")
    assert "until the child's 25th birthday" in answer.citations[0].quote, answer.answer


COUNTY_CONTACTS = """# Elmsford Vale Cricket Club safeguarding

## Who to contact

Shropshire LADO (Local Authority Designated Officer): lado@shropshire-council.example.gov.uk

## Out of hours

If the Welfare Officer cannot be reached in the evening or at weekends, contact the Shropshire Compass out-of-hours team on 0345 678 9040.
"""


def test_a_number_is_the_one_asked_for_only_under_the_name_of_who_was_asked_about(
    tmp_path: Path, embedder: Any, make_settings: Any
) -> None:
    assistant = ingested(
        one_document(tmp_path, "elmsford-vale-cricket-club.md", COUNTY_CONTACTS), embedder, make_settings
    )
    # the out-of-hours team shares the county's name, not the LADO's role: the LADO has an email only
    for question in (
        "What's the phone number for the Shropshire LADO?",
        "What phone number do I use for the Shropshire LADO?",
    ):
        answer = assistant.ask(question)
        assert answer.abstained, answer.answer
        assert "another way to reach them" in answer.answer, answer.answer  # the email, disclosed as such
        assert "0345 678 9040" not in answer.answer


def test_a_role_s_label_its_holder_and_their_numbers_are_one_unit() -> None:
    from assistant.text.units import evidence_units

    text = (
        "County Safeguarding Officer:\nDawn Whitcombe\n01743 900217\n"
        "ECB Safeguarding Team:\nsafeguarding@ecb.co.uk\n020 7946 0550\n"
        "LADO: 01632 960519"
    )
    units = [text[u.start : u.end] for u in evidence_units(text)]
    assert units == [
        "County Safeguarding Officer:\nDawn Whitcombe\n01743 900217",
        "ECB Safeguarding Team:\nsafeguarding@ecb.co.uk\n020 7946 0550",
        "LADO: 01632 960519",  # the next contact, with a label of its own
    ]


DRAMA_CLUB = """# Riverside Drama Club safeguarding policy

## Supervision

The minimum adult to child ratios we use are:

- children aged 7 and 8: one adult for every 8 children;
- children aged 9 to 12: one adult for every 10 children;
- young people aged 13 to 18: one adult for every 12 young people.

Young helpers aged 16 or 17 are never counted in the adult ratios.

## Photographs

We ask parents for written consent before taking photographs of members.
"""

ROWING_CLUB = """# Ashbury Rowing Club junior safeguarding policy

## Supervision ratios

We always have two adults at every junior session. The minimum ratios we work to are:

| Age group | Adults : juniors | Notes |
|---|---|---|
| Under 11s | 1 : 4 | On the water |
| Under 14s | 1 : 6 | |
| Under 18s | 1 : 8 | |

## Safeguarding training

Coaches report concerns immediately to the Club Welfare Officer.
"""


@pytest.mark.parametrize(
    ("text", "ratio"),
    [
        ("children aged 9 to 12: one adult for every 10 children;", True),
        ("Competitive squads: 1 coach to 24 swimmers.", True),
        ("Under 11s | 1 : 4 | On the water", True),
        ("Training runs from 17:30 to 19:00 on Tuesdays.", False),
        ("Young helpers aged 16 or 17 are never counted in the adult ratios.", False),
    ],
)
def test_a_ratio_of_adults_to_children_is_read_in_words_or_figures(text: str, ratio: bool) -> None:
    assert bool(STAFFING_RATIO.search(fold(text).lower())) is ratio


def test_a_ratio_is_given_for_the_age_asked_and_refused_for_an_age_no_rule_covers(
    tmp_path: Path, embedder: Any, make_settings: Any
) -> None:
    assistant = ingested(one_document(tmp_path, "riverside-drama-club-policy.md", DRAMA_CLUB), embedder, make_settings)
    answer = answered(assistant, "What ratio does the drama club use for 10 year olds?")
    assert "aged 9 to 12: one adult for every 10 children" in answer.citations[0].quote, answer.answer
    # the list's ages (7 and 8, 9 to 12, 13 to 18) hold no 5-year-old: a near miss, not the nearest rule
    assert assistant.ask("What ratio does Riverside Drama Club use for 5 and 6 year olds?").abstained
    assert assistant.ask("What's the adult to child ratio for 5 year olds at the drama club?").abstained


def test_a_table_of_ratios_answers_for_the_club_named_though_its_rows_never_name_it(
    tmp_path: Path, embedder: Any, make_settings: Any
) -> None:
    corpus = documents(
        tmp_path, {"ashbury-rowing-club-policy.md": ROWING_CLUB, "riverside-drama-club-policy.md": DRAMA_CLUB}
    )
    assistant = ingested(corpus, embedder, make_settings)
    answer = answered(assistant, "What's the adult to child ratio for the under 11s at Ashbury Rowing Club?")
    assert any(c.quote.startswith("Under 11s | 1 : 4") for c in answer.citations), answer.answer


def test_a_moment_is_not_how_often() -> None:
    # "report concerns immediately" says when, not how often a check is renewed
    profile = profile_question("How often do coaches have to renew their criminal record check?")
    assert not _fits(profile, fold("Coaches report concerns immediately to the Club Welfare Officer."))
    assert _fits(profile, fold("Criminal record checks are renewed every three years."))
    assert _fits(profile, fold("A DBS check is valid for three years."))


SCOUTS = """# Hillside Scouts safeguarding policy

## Definitions

The words we use in this policy mean:

- a sign: a physical indicator of abuse, such as bruising or a burn;
- a signal: a behavioural indicator of abuse, such as withdrawal or aggression.

Signs and signals are recorded on a concern form by the leader who notices them, with the date and time.

## Photographs

We ask parents for written consent before taking photographs of members.
"""


def test_the_difference_between_two_things_is_asked_by_their_definitions(
    tmp_path: Path, embedder: Any, make_settings: Any
) -> None:
    # documents define each thing; they seldom say "difference": the word asks, it is not looked for
    assistant = ingested(one_document(tmp_path, "hillside-scouts-policy.md", SCOUTS), embedder, make_settings)
    answer = answered(assistant, "What is the difference between a sign and a signal?")
    assert "a signal: a behavioural indicator" in answer.citations[0].quote, answer.answer


PROBE_CHILDMINDER = (
    Path(__file__).resolve().parents[1]
    / "eval"
    / "probes"
    / "docs"
    / "bramblewood-childminder-safeguarding-policy.docx"
)


def test_the_kind_the_document_s_own_name_gives_is_met_by_its_sentences(
    tmp_path: Path, embedder: Any, make_settings: Any
) -> None:
    # the "safeguarding file" a safeguarding policy keeps is its "child protection file"
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / PROBE_CHILDMINDER.name).write_bytes(PROBE_CHILDMINDER.read_bytes())
    assistant = ingested(corpus, embedder, make_settings)
    answer = answered(assistant, "If my son starts school, how quickly does his safeguarding file get sent on?")
    assert "within five working days" in answer.citations[0].quote, answer.answer


def test_whether_someone_counts_is_answered_by_the_rule_on_counting_them(
    tmp_path: Path, embedder: Any, make_settings: Any
) -> None:
    # "can ... count towards ...?" asks leave for an action, not for a count
    assistant = ingested(one_document(tmp_path, "riverside-drama-club-policy.md", DRAMA_CLUB), embedder, make_settings)
    answer = answered(assistant, "Can our 16 year old young helpers count towards the adult numbers in a session?")
    assert answer.citations[0].quote.startswith("Young helpers aged 16 or 17 are never counted"), answer.answer


NETBALL_CLUB = """# Ashbury Netball Club safeguarding policy

## Supervision ratios

We always have two adults at every junior session. The minimum ratios we work to are:

| Age group | Adults : players | Notes |
|---|---|---|
| Bee netball (5–7) | 1 : 6 | Parent stays on site |
| Under 11s | 1 : 8 | |
| Under 13s | 1 : 10 | |
"""


def test_an_age_group_column_gives_its_ages_as_a_span(tmp_path: Path, embedder: Any, make_settings: Any) -> None:
    assert age_ranges("bee netball (5-7)", ages_column=True) == [(5, 7)]
    # no row holds a 16-year-old: "Bee netball (5–7)" is not the nearest rule to give
    assistant = ingested(one_document(tmp_path, "ashbury-netball-club.md", NETBALL_CLUB), embedder, make_settings)
    assert assistant.ask("What's the adult to child ratio for the under 17s at Ashbury Netball Club?").abstained


NURSERY_RATIOS = """# Oakfield Nursery safeguarding policy

## Staffing

Only staff who have an enhanced DBS check are left alone with children. We always meet or exceed the EYFS
staff-to-child ratios:

| Age of children | Adults : children | Room |
| --- | --- | --- |
| Under 2 years | 1 : 3 | Acorns |
| 2 year olds | 1 : 4 | Saplings |
| 3 years and over | 1 : 8 | Oaks |
"""


def test_an_age_group_is_no_length_of_time(tmp_path: Path, embedder: Any, make_settings: Any) -> None:
    assert not LENGTH.search(without_ages("2 year olds | 1 : 4 | saplings"))
    assert not LENGTH.search(without_ages("3 years and over | 1 : 8"))
    assert not LENGTH.search(without_ages("under 2 years | 1 : 3"))
    assert LENGTH.search(without_ages("dbs checks are renewed every 3 years"))
    assistant = ingested(one_document(tmp_path, "oakfield-nursery-policy.md", NURSERY_RATIOS), embedder, make_settings)
    # the ratio table's ages ("3 years and over") do not say how often checks are renewed
    answer = assistant.ask("How often do staff have to renew their DBS checks?")
    assert answer.abstained, answer.answer


SWIM_SQUADS = """# Ashdown Otters Swimming Club safeguarding policy

## Supervision on poolside

The maximum number of swimmers per coach on poolside depends on the squad.

Competitive squads: 1 coach to 24 swimmers.

Development squads: 1 coach to 20 swimmers.

For overnight stays, the ratio is one adult to eight swimmers.
"""


def test_a_kind_the_question_names_is_not_answered_by_another_kind_of_the_same_thing(
    tmp_path: Path, embedder: Any, make_settings: Any
) -> None:
    assistant = ingested(one_document(tmp_path, "ashdown-otters-policy.md", SWIM_SQUADS), embedder, make_settings)
    # the policy has no masters squad: the competitive squads' ratio is another squad's
    refused = assistant.ask("What's the max number of swimmers per coach in the masters squad?")
    assert refused.abstained, refused.answer
    answered_ = answered(assistant, "What's the max number of swimmers per coach in the competitive squad?")
    assert answered_.citations[0].quote == "Competitive squads: 1 coach to 24 swimmers.", answered_.answer


BODIES = """# Northfield Safeguarding Partnership: useful contacts

## Contacts

Early Help Hub: 01632 960235, earlyhelp@northfield.example.org
Police: 999 in an emergency; 101 for non-emergencies.
Children's Front Door: 01632 960111
"""


def test_a_line_naming_another_body_is_not_part_of_a_contact_s_record(
    tmp_path: Path, embedder: Any, make_settings: Any
) -> None:
    assistant = ingested(one_document(tmp_path, "northfield-contacts.md", BODIES), embedder, make_settings)
    # "Police: ..." is the police's own line, not a field of the record of the body on the line beside it
    # (as "Telephone: ..." would be): neither neighbour's number is the police's
    answer = assistant.ask("What's the police non-emergency number?")
    given = answer.answer.split("related reading")[0]
    assert "01632 960111" not in given and "01632 960235" not in given, answer.answer


INTIMATE_CARE = """# Oakfield Pre-School safeguarding policy

## Intimate care and nappy changing

Nappy changing takes place only in the designated changing area in each room, which is visible to other staff.
Students and volunteers do not carry out intimate care. We talk to children throughout intimate care and
encourage them to do as much for themselves as they can.

## Collection

Children are only handed over to a parent or to an adult the parent has named, who gives the family's password.
"""


def test_changing_a_nappy_is_intimate_care(tmp_path: Path, embedder: Any, make_settings: Any) -> None:
    assistant = ingested(one_document(tmp_path, "oakfield-pre-school.md", INTIMATE_CARE), embedder, make_settings)
    # vocabulary data: a nappy change is intimate care, which the policy's rules name (without it, the
    # question's words were too far from the policy's to answer at all)
    answer = answered(assistant, "Can a student on placement change my daughter's nappy?")
    assert any("intimate care" in c.quote for c in answer.citations), answer.answer


REFERRAL_SOURCES = """# Northfield Partnership annual report 2024-25

## The MASH

The MASH received 7,410 contacts in the year, a rise of 6 per cent. There has been a 75 per cent increase in the
proportion of cases referred where the rating was raised after MASH information sharing.

The source of the contacts has remained consistent with previous years, with the police being the main referral
source at 65 per cent. Schools account for 7 per cent and health partners for 3 per cent.
"""


def test_the_biggest_is_the_main_one(tmp_path: Path, embedder: Any, make_settings: Any) -> None:
    assistant = ingested(
        one_document(tmp_path, "northfield-annual-report.md", REFERRAL_SOURCES), embedder, make_settings
    )
    # vocabulary data: "biggest" is said "main", "largest" or "highest" in reports
    answer = answered(assistant, "Who is the biggest source of referrals into MASH and what share?")
    assert "65 per cent" in answer.citations[0].quote, answer.answer


PLAN_DURATIONS = """# Northfield Partnership annual report 2024-25

## Child protection plans

Number of children on a child protection plan at the end of March: 214, up from 124 a year earlier.
For the year 2023/24, 19 per cent of plans ended within three months.
Only 4 per cent (seven children) had remained on a plan for more than 2 years.
"""


def test_a_length_of_time_the_question_names_says_which_figure_is_asked(
    tmp_path: Path, embedder: Any, make_settings: Any
) -> None:
    assistant = ingested(one_document(tmp_path, "northfield-annual-report.md", PLAN_DURATIONS), embedder, make_settings)
    # "more than two years" (in words) is the "more than 2 years" of the figure asked for, not the plans in force
    answer = answered(assistant, "How many children had been on a child protection plan for more than two years?")
    assert "seven children" in answer.citations[0].quote, answer.answer
