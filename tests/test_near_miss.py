"""A question the documents do not answer, when they state a value of the asked kind about something
else: the answer is refused, and the neighbouring fact is disclosed plainly as not the answer."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from corpora import cli_answer, ingested, one_document, westbrook_procedures  # type: ignore[import-not-found]

from assistant.wording import NOT_ANSWERED

pytestmark = pytest.mark.slow

PROCEDURES = (
    "# Procedures\n\n## Conferences\n\n"
    "The initial child protection conference must be held within 15 working days of the strategy discussion.\n\n"
    "## Records\n\nRecords are stored securely in a locked cabinet.\n"
)
NEIGHBOUR = "The initial child protection conference must be held within 15 working days of the strategy discussion."


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "procedures.md").write_text(PROCEDURES, encoding="utf-8")
    return folder


def test_a_neighbouring_time_limit_is_disclosed_as_not_the_answer(
    corpus: Path, embedder: Any, make_settings: Any
) -> None:
    from assistant.engine import Assistant

    assistant = Assistant(make_settings(corpus), embedder=embedder)
    assert assistant.ingest().exit_code == 0
    answer = assistant.ask("How long must child protection records be kept?")
    assert answer.abstained and not answer.citations  # nothing is cited as the answer
    assert answer.answer.startswith(NOT_ANSWERED)
    disclosure = f"The nearest time limit they state seems to be about something else, so it is not given as the answer: “{NEIGHBOUR}”"
    assert disclosure in answer.answer
    assert answer.related[0].quote == NEIGHBOUR and answer.related[0].n == 1
    assert [c.n for c in answer.related] == list(range(1, len(answer.related) + 1))
    assert "999" in answer.notice

    answered = assistant.ask("When must the initial child protection conference be held?")
    assert not answered.abstained and "not given as the answer" not in answered.answer

    vague = assistant.ask("What does the document say about the weather?")  # asks for no value
    assert vague.abstained and "not given as the answer" not in vague.answer


def test_the_cli_shows_the_disclosure(corpus: Path, embedder: Any, make_settings: Any) -> None:
    ingested(corpus, embedder, make_settings)
    data = cli_answer(make_settings(corpus), corpus, "How long must child protection records be kept?")
    assert data["abstained"] is True and data["citations"] == []
    assert "not given as the answer" in data["answer"] and data["related"][0]["quote"] == NEIGHBOUR


def test_another_levels_value_is_not_the_answer(tmp_path: Path, embedder: Any, make_settings: Any) -> None:
    text = (
        "# Training\n\n## Refresher training\n\n"
        "Staff refresh their Level 2 safeguarding training every three years.\n\n"
        "## Premises\n\nVisitors sign in at the front desk.\n"
    )
    assistant = ingested(one_document(tmp_path, "training.md", text), embedder, make_settings)
    asked = assistant.ask("How often do staff refresh their Level 3 safeguarding training?")
    assert asked.abstained and not asked.citations
    answered = assistant.ask("How often do staff refresh their Level 2 safeguarding training?")
    assert not answered.abstained and "every three years" in answered.citations[0].quote


CONTACTS = (
    "# Contacts\n\n## Out of hours\n\n"
    "Out of hours, contact the Emergency Duty Team on:\n01632 960877\n\n"
    "## National helplines\n\n"
    "The FA Safeguarding Team:\nPhone: 0800 169 1863\nEmail: safeguarding@thefa.example.org\n"
)


def test_a_phone_number_is_not_the_email_asked_for(tmp_path: Path, embedder: Any, make_settings: Any) -> None:
    from assistant.wording import NEAREST_OTHER_CHANNEL

    assistant = ingested(one_document(tmp_path, "contacts.md", CONTACTS), embedder, make_settings)
    asked = assistant.ask("Can you give me the e-mail for the Emergency Duty Team?")
    # neither the duty team's phone number nor another team's e-mail is given as the answer
    assert asked.abstained and not asked.citations, asked.answer
    assert "thefa.example.org" not in asked.answer
    lead = NEAREST_OTHER_CHANNEL.split("{kind}")[0]
    assert f"{lead}e-mail address asked for" in asked.answer and "01632 960877" in asked.answer, asked.answer
    assert asked.related[0].quote.endswith("01632 960877")

    answered = assistant.ask("What's the Emergency Duty Team's phone number?")
    assert not answered.abstained and "01632 960877" in answered.citations[0].quote
    # the other team's lines under its label stay together: its phone and its e-mail
    other = assistant.ask("What is the FA Safeguarding Team's email?")
    assert not other.abstained
    assert other.citations[0].quote.endswith("Email: safeguarding@thefa.example.org"), other.citations[0].quote


def test_a_value_that_never_names_the_level_asked_about_is_not_its_answer(
    tmp_path: Path, embedder: Any, make_settings: Any
) -> None:
    text = (
        "# Training\n\n## Refresher training\n\n"
        "All staff refresh their safeguarding training every three years.\n\n"
        "## Premises\n\nVisitors sign in at the front desk.\n"
    )
    assistant = ingested(one_document(tmp_path, "training.md", text), embedder, make_settings)
    # the documents give a frequency for safeguarding training, but none for Level 3 training
    asked = assistant.ask("How often do staff refresh their Level 3 safeguarding training?")
    assert asked.abstained and not asked.citations, asked.answer
    assert "every three years" in asked.answer  # disclosed as the nearest, not given as the answer
    answered = assistant.ask("How often do staff refresh their safeguarding training?")
    assert not answered.abstained and "every three years" in answered.citations[0].quote


def test_a_time_limit_for_another_event_is_not_when_the_meeting_is_held(
    tmp_path: Path, embedder: Any, make_settings: Any
) -> None:
    # the procedures say when the LADO is told of an allegation, not when the allegations
    # management meeting is held
    assistant = ingested(westbrook_procedures(tmp_path), embedder, make_settings)
    asked = assistant.ask("Once the LADO knows, when does the allegations management meeting have to be held?")
    assert asked.abstained and not asked.citations, asked.answer
    answered = assistant.ask("When must the initial child protection conference be held?")
    assert not answered.abstained and "15 working days" in answered.citations[0].quote


@pytest.mark.parametrize(
    ("question", "subject"),
    [
        ("How soon must the allegations management meeting be held?", "allegations management meeting"),
        ("When does the first core group meeting have to be held?", "1st core group meeting"),
        ("Within how many working days is the plan itself sent out?", "plan"),
        ("How long have we got to complete an early help assessment?", "early help assessment"),
        ("How long does the LADO have to close a case?", "case"),
        ("How many working days does a section 47 enquiry have to start within?", "section 47 enquiry"),
        ("How many days does the assessment have to start within after the referral?", "assessment"),
        ("How long should a child protection medical be arranged after a disclosure?", "child protection medical"),
        ("How soon must the LADO be informed?", "lado"),
        ("How many staff work at the nursery?", ""),
    ],
)
def test_what_an_asked_time_applies_to(question: str, subject: str) -> None:
    from assistant.text.cues import event_subject
    from assistant.text.normalise import fold

    assert event_subject(fold(question)) == subject


@pytest.mark.parametrize(
    ("statement", "subject", "timed"),
    [
        (
            "An initial child protection conference is held within 15 working days of the strategy "
            "discussion at which the section 47 enquiry was agreed.",
            "initial child protection conference",
            "an initial child protection conference is held within 15 working days.",
        ),
        (
            "The initial child protection conference (ICPC) must be held within 15 working days.",
            "initial child protection conference",
            "the initial child protection conference (icpc) must be held within 15 working days.",
        ),
        (
            "The enquiry is carried out through the child and family assessment, which must be completed "
            "within 45 working days of the referral",
            "child and family assessment",
            "the enquiry is carried out through the child and family assessment, which must be completed "
            "within 45 working days",
        ),
        (
            "Further review conferences are held at intervals of not more than six months.",
            "further review conferences",
            "further review conferences are held at intervals of not more than 6 months.",
        ),
        (
            "Initial child protection conference | 15 working days | The strategy discussion",
            "initial child protection conference",
            "initial child protection conference | 15 working days | the strategy discussion",
        ),
        ("Records are stored securely for 25 years.", "", "records are stored securely for 25 years."),
    ],
)
def test_what_a_stated_time_applies_to_and_counts_from(statement: str, subject: str, timed: str) -> None:
    from assistant.text.cues import timed_subject, without_anchors
    from assistant.text.normalise import fold

    assert timed_subject(fold(statement)) == subject
    assert without_anchors(fold(statement)) == timed


def test_another_levels_descriptor_does_not_answer_an_open_question_about_a_level(
    tmp_path: Path, embedder: Any, make_settings: Any
) -> None:
    text = (
        "# Levels of need\n\n## Level 2: Early help\n\n"
        "Attendance at school below 90 per cent puts a child at this level.\n\n"
        "## Level 4: Specialist\n\n"
        "Parents are unable or unwilling to protect the child from significant harm.\n"
    )
    assistant = ingested(one_document(tmp_path, "levels.md", text), embedder, make_settings)
    asked = assistant.ask("What attendance level puts a child at Level 4?")
    assert "90" not in asked.answer and all("90" not in c.quote for c in asked.citations), asked.answer
    answered = assistant.ask("What attendance level puts a child at Level 2?")
    assert not answered.abstained and "90 per cent" in answered.citations[0].quote


def test_a_deadline_for_another_kind_of_assessment_is_not_the_answer(
    tmp_path: Path, embedder: Any, make_settings: Any
) -> None:
    # the procedures give the child and family assessment's forty-five working days, no early help deadline
    assistant = ingested(westbrook_procedures(tmp_path), embedder, make_settings)
    asked = assistant.ask("How long do we have to complete an early help assessment?")
    assert asked.abstained and not asked.citations, asked.answer
    answered = assistant.ask("How long does a social worker have to complete a child and family assessment?")
    assert not answered.abstained and "forty-five working days" in answered.citations[0].quote


def test_what_a_policy_says_about_something_it_never_mentions_is_refused(
    tmp_path: Path, corpus_dev: Path, embedder: Any, make_settings: Any
) -> None:
    # the football club's policy never mentions photographs; the nursery's does
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name in (
        "hanworth-villa-fc-safeguarding-policy-and-reporting.md",
        "lexden-montessori-nursery-safeguarding-policy.pdf",
    ):
        shutil.copy(corpus_dev / name, corpus / name)
    assistant = ingested(corpus, embedder, make_settings)
    asked = assistant.ask("What does Hanworth Villa's policy say about photographing players?")
    assert asked.abstained and not asked.citations, asked.answer
    answered = assistant.ask("What does Lexden's policy say about photographing children?")
    assert not answered.abstained and "photograph" in answered.answer.lower()


@pytest.mark.parametrize(
    ("question", "addressee"),
    [
        ("How quickly does the welfare officer have to pass a concern on to the county FA?", "county fa"),
        ("How long has a nursery got to tell Ofsted about an allegation against staff?", "ofsted"),
        ("When must the DSL report it to the LADO?", "lado"),
        ("How quickly must I tell my manager?", "manager"),
        ("How quickly does the officer have to phone the LSCB once abuse has been found?", "lscb"),
        ("How long are records kept?", ""),
    ],
)
def test_who_an_asked_action_goes_to(question: str, addressee: str) -> None:
    from assistant.text.cues import recipient
    from assistant.text.normalise import fold

    assert recipient(fold(question)) == addressee


def test_a_time_for_telling_someone_else_is_not_the_answer(tmp_path: Path, embedder: Any, make_settings: Any) -> None:
    text = (
        "# Club policy\n\n## Reporting concerns\n\n"
        "All safeguarding concerns should be reported immediately to the Club Welfare Officer. "
        "The club follows the FA's guidance.\n\n"
        "## Kit\n\nPlayers bring their own boots.\n"
    )
    corpus = one_document(tmp_path, "club.md", text)
    # the county FA is known to the corpus, from another document
    (corpus / "county.md").write_text(
        "# County FA\n\nThe County FA Designated Safeguarding Officer supports clubs across the county.\n",
        encoding="utf-8",
    )
    assistant = ingested(corpus, embedder, make_settings)
    asked = assistant.ask("How quickly does the welfare officer have to pass a concern on to the county FA?")
    assert asked.abstained and not asked.citations, asked.answer
    answered = assistant.ask("How quickly must concerns be reported to the welfare officer?")
    assert not answered.abstained and "immediately" in answered.citations[0].quote


@pytest.mark.parametrize(
    ("statement", "limit"),
    [
        ("The plan is reviewed at a child in need meeting at least every three months.", False),
        ("Further review conferences are held at intervals of not more than six months.", False),
        ("The conference is held within 15 working days, and every three months after that.", True),
        ("Refer the concern immediately.", True),
    ],
)
def test_how_often_is_no_time_limit(statement: str, limit: bool) -> None:
    from assistant.text.cues import time_limit
    from assistant.text.normalise import fold

    assert time_limit(fold(statement)) is limit


@pytest.mark.parametrize(
    ("text", "kinds"),
    [
        ("first child in need meeting", {"cin"}),
        ("first review child protection conference", {"cp", "rcpc"}),
        ("ICPC", {"icpc", "cp"}),
        ("first team around the family meeting", {"taf"}),
        ("core group", set()),
    ],
)
def test_the_kinds_a_name_spells_out(text: str, kinds: set[str]) -> None:
    from assistant.text.cues import named_kinds
    from assistant.text.normalise import fold

    assert named_kinds(fold(text)) == kinds


def test_an_age_is_no_time_limit() -> None:
    from assistant.text.cues import time_limit
    from assistant.text.normalise import fold

    assert not time_limit(fold("The plan ends when the child reaches 18 years of age."))
    assert time_limit(fold("The plan is reviewed within three months of the age assessment."))


@pytest.mark.parametrize(
    ("sentence", "statistic"),
    [
        ("Only 4 per cent [seven children] had remained on a plan for more than 2 years.", True),
        ("19 per cent of cases ended within 3 months.", True),
        ("At least 85% of assessments must be completed within 45 working days.", False),
        ("The conference is held within 15 working days.", False),
    ],
)
def test_a_figure_of_what_happened_is_not_a_rule(sentence: str, statistic: bool) -> None:
    from assistant.text.cues import is_statistic

    assert is_statistic(sentence) is statistic


def test_a_numbered_paragraph_is_no_figure() -> None:
    from assistant.text.cues import has_figure

    assert not has_figure("10.1 A child protection plan should end when the review conference decides so.")
    assert has_figure("12 children were on a plan.")


_PREMISES = "## Premises\n\nVisitors sign in at the front desk.\n"
"""A section about nothing asked, so that each document has more than one place to look."""


@dataclass(frozen=True)
class NearMiss:
    """A document that states a value for one thing; a question asking it for another (refused), and
    one asking it for its own thing (answered with the quote holding ``quote``)."""

    name: str
    document: str
    asked: str
    answered: str
    quote: str
    disclosed: str = ""
    """What the refusal shows as the nearest value, not given as the answer ("" when not checked)."""


NEAR_MISSES = {
    # the heading names the plan, but the sentence times the transfer-in conference
    "another event's time under the asked thing's heading": NearMiss(
        "procedures.md",
        "# Procedures\n\n## Ending a child protection plan\n\n"
        "When a child moves into the area while subject to a plan elsewhere, a transfer-in conference is "
        "held within 15 working days of the move.\n\n" + _PREMISES,
        "Within how many working days is the child protection plan sent out?",
        "When must a transfer-in conference be held?",
        "15 working days",
    ),
    "a minimum is not the longest time asked for": NearMiss(
        "procedures.md",
        "# Procedures\n\n## After a child protection plan\n\n"
        "When a plan ends, the child should continue to receive support under a child in need plan for "
        "at least three months.\n\n" + _PREMISES,
        "What's the longest a child can stay on a child in need plan after a plan ends?",
        "What's the minimum time a child stays on a child in need plan after a plan ends?",
        "at least three months",
        disclosed="at least three months",
    ),
    # "quarterly" says how often audits are reviewed, not how long the board has to review one
    "how often is not how long": NearMiss(
        "board.md",
        "# Board procedures\n\n## Audits\n\n"
        "Section 11 audits are reviewed by the board quarterly.\n\n"
        "## Membership\n\nThe board has an independent chair.\n",
        "How long does the board have to review a section 11 audit?",
        "How often does the board review section 11 audits?",
        "quarterly",
    ),
    # neither the conference's time limit nor how often the child in need meeting meets says when the first is held
    "a child protection meeting's time is not a child in need meeting's": NearMiss(
        "procedures.md",
        "# Procedures\n\n## Review conferences\n\n"
        "The first review child protection conference is held within three months of the initial conference.\n\n"
        "## Children in need\n\n"
        "A child in need plan is agreed with the family and reviewed at a child in need meeting at least every "
        "three months.\n",
        "When does the first child in need meeting have to be held?",
        "When must the first review child protection conference be held?",
        "within three months",
    ),
    "how long cases took is not the time limit asked for": NearMiss(
        "report.md",
        "# Annual report\n\n## Child protection plans\n\n"
        "Only 4 per cent of children had remained on a child protection plan for more than 2 years.\n\n" + _PREMISES,
        "How long must a child protection plan last before it is reviewed?",
        "What share of children had been on a child protection plan for more than 2 years?",
        "4 per cent",
    ),
    # the three months are a child in need plan's, not a child protection plan's
    "a value for another kind of plan": NearMiss(
        "procedures.md",
        "# Procedures\n\n## Ending a child protection plan\n\n"
        "When a plan ends, the child should continue to receive support under a child in need plan for "
        "at least three months.\n\n" + _PREMISES,
        "What's the minimum time a child has to be on a CP plan before it can end?",
        "What's the minimum time a child has to be on a child in need plan after a CP plan?",
        "at least three months",
    ),
    "a deadline to send a file is not how long it is kept": NearMiss(
        "records.md",
        "# Records\n\n## Sharing a child's file\n\n"
        "Within 48 hours, securely send complete copies of the child's file in the Child Protection Record to "
        "children's social care.\n\n" + _PREMISES,
        "How long does the nursery keep child protection records for?",
        "How quickly must copies of the child's file be sent to children's social care?",
        "48 hours",
    ),
    "a deadline to send a file is not how soon to phone": NearMiss(
        "procedures.md",
        "# Procedures\n\n## When abuse is found\n\n"
        "Within 48 hours of the above contact, securely send complete copies of the child's file to the "
        "Local Safeguarding Children Board.\n\n" + _PREMISES,
        "How quickly does the officer have to phone the Local Safeguarding Children Board?",
        "How quickly must copies of the child's file be sent to the Safeguarding Children Board?",
        "48 hours",
    ),
    "another body's number beside the named owner": NearMiss(
        "club.md",
        "# Club policy\n\n## Reporting\n\n"
        "If at any time you are not able to contact your Club Welfare Officer or the matter is serious, "
        "contact the County FA Safeguarding Team: Telephone: 0191 270 0700\n\n"
        "## Kit\n\nPlayers bring their own boots.\n",
        "What's the club welfare officer's phone number?",
        "What's the County FA Safeguarding Team's phone number?",
        "0191 270 0700",
    ),
    # the Duty team is named, but not the Emergency Duty Team asked about
    "a team named without the word that tells it apart": NearMiss(
        "childminder.md",
        "# Safeguarding policy\n\n## Making a report\n\n"
        "I will follow this phone call up with an email to the Duty team within 48 hours to duty@example.gov.uk .\n\n"
        + _PREMISES,
        "What's the Emergency Duty Team's email?",
        "What's the Duty team's email?",
        "duty@example.gov.uk",
    ),
    # the duty team's number, not the MASH's: "the MASH phone number" names its owner before the channel
    "another team's number for a number named by its owner": NearMiss(
        "procedures.md",
        "# Procedures\n\n## Urgent referrals\n\nIn office hours the MASH screens every urgent referral.\n"
        "Out of hours, contact the Emergency Duty Team on:\n01632 960877\n\n" + _PREMISES,
        "What's the MASH phone number for making an urgent referral out of hours?",
        "What's the Emergency Duty Team phone number?",
        "01632 960877",
    ),
    # "the fifteen working days" are the conference's, stated in the sentence before
    "a time spoken of again is the earlier sentence's": NearMiss(
        "procedures.md",
        "# Procedures\n\n## 7. When a section 47 enquiry concludes that an initial child protection conference "
        "must be convened\n\n"
        "7.1 The initial child protection conference must be held within 15 working days of the strategy "
        "discussion. Where more than one strategy discussion has taken place, the fifteen working days run from "
        "the last one.\n\n" + _PREMISES,
        "How many working days does a section 47 enquiry have to start within after the strategy discussion?",
        "When must the initial child protection conference be held?",
        "15 working days",
    ),
    "when a meeting is held is not how much notice of it is given": NearMiss(
        "procedures.md",
        "# Procedures\n\n## Conferences\n\n"
        "The initial child protection conference must be held within 15 working days of the strategy discussion.\n\n"
        + _PREMISES,
        "How many days' notice do parents get of an initial child protection conference?",
        "When must the initial child protection conference be held?",
        "15 working days",
    ),
}


@pytest.mark.parametrize("case", list(NEAR_MISSES.values()), ids=list(NEAR_MISSES))
def test_a_value_about_something_else_is_refused_and_given_for_its_own_subject(
    case: NearMiss, tmp_path: Path, embedder: Any, make_settings: Any
) -> None:
    assistant = ingested(one_document(tmp_path, case.name, case.document), embedder, make_settings)
    asked = assistant.ask(case.asked)
    assert asked.abstained and not asked.citations, asked.answer
    assert case.disclosed in asked.answer  # shown as the nearest, not given as the answer
    answered = assistant.ask(case.answered)
    assert not answered.abstained and case.quote in answered.citations[0].quote


@pytest.mark.parametrize(
    ("sentence", "refers"),
    [
        (
            "Where more than one strategy discussion has taken place, the fifteen working days run from the last one.",
            True,
        ),
        ("If the timescale cannot be met, the reason is recorded.", True),
        ("The conference is held within 15 days.", False),
        ("This is done within the first 10 days.", False),
    ],
)
def test_a_time_spoken_of_again(sentence: str, refers: bool) -> None:
    from assistant.text.cues import refers_to_earlier_time
    from assistant.text.normalise import fold

    assert refers_to_earlier_time(fold(sentence).lower()) is refers


def test_what_is_to_be_done_by_a_deadline_is_the_thing_timed(tmp_path: Path, embedder: Any, make_settings: Any) -> None:
    from corpora import club_policy  # type: ignore[import-not-found]

    from assistant.text.cues import event_subject

    assert event_subject("how long do volunteers have to do the safeguarding course?") == "safeguarding course"
    assert event_subject("how long do i have to do it?") == ""  # a pronoun names nothing to look for
    assistant = ingested(club_policy(tmp_path), embedder, make_settings)
    answer = assistant.ask("How long do volunteers have to do the safeguarding course?")
    assert not answer.abstained, answer.answer
    # the 24 hours for reporting an allegation against a volunteer is another thing's time
    assert [c.quote for c in answer.citations] == [
        "complete The FA Safeguarding Children course within 12 months of appointment."
    ], answer.answer


def test_how_long_something_is_kept_can_be_until_an_age(tmp_path: Path, embedder: Any, make_settings: Any) -> None:
    policy = (
        "# Nursery safeguarding policy\n\n## Recording concerns\n\n"
        "Any concern is recorded on a Record of Concern form on the same day, using the child's own words. "
        "Records are kept securely in a locked cabinet and are kept until the child is 25 years old.\n\n"
        "## Attendance\n\nIf a child reaches 5 years of age, they move to school.\n"
    )
    assistant = ingested(one_document(tmp_path, "nursery.md", policy), embedder, make_settings)
    kept = assistant.ask("How long are child protection records kept?")
    assert not kept.abstained and "until the child is 25 years old" in kept.citations[0].quote, kept.answer
    # an age is still no deadline for doing something
    due = assistant.ask("How quickly must a concern be recorded?")
    assert not due.citations or "25 years old" not in due.citations[0].quote, due.answer


def test_a_nearest_value_refused_for_weak_evidence_is_not_said_to_be_about_something_else(
    tmp_path: Path, embedder: Any, make_settings: Any
) -> None:
    from assistant.wording import NEAREST_UNSURE

    report = (
        "# Anytown Partnership Annual Report\n\n## Training\n\n"
        "In 2024 the partnership ran 40 multi-agency training courses, attended by 900 practitioners.\n\n" + _PREMISES
    )
    assistant = ingested(one_document(tmp_path, "report.md", report), embedder, make_settings)
    answer = assistant.ask("How many FGM cases were identified in 2024?")
    assert answer.abstained and not answer.citations, answer.answer
    # nothing says the courses are about something else: only that the evidence is too thin to be the answer
    assert NEAREST_UNSURE.split("{kind}")[0] + "figure" in answer.answer, answer.answer
    assert "40 multi-agency training courses" in answer.answer


def test_how_long_something_lasts_is_how_often_it_is_renewed(tmp_path: Path, embedder: Any, make_settings: Any) -> None:
    from corpora import club_policy  # type: ignore[import-not-found]

    assistant = ingested(club_policy(tmp_path), embedder, make_settings)
    answer = assistant.ask("How long do DBS checks last?")
    assert not answer.abstained and answer.citations[0].quote == "DBS checks are renewed every three years.", (
        answer.answer
    )
    # how often is still no deadline for doing something
    due = assistant.ask("How quickly must DBS checks be renewed?")
    assert not due.citations or "every three years" not in due.citations[0].quote, due.answer


FOSTERING_VISITS = """# Private fostering

After notification, a social worker will visit the child within seven working days and then at least every six weeks in the first year of the arrangement.

The private foster carer must tell the local authority of any change of address.
"""


def test_a_rule_for_one_side_of_a_period_does_not_answer_for_the_other(
    tmp_path: Path, embedder: Any, make_settings: Any
) -> None:
    # "every six weeks in the first year" says nothing of how often visits are made after it

    assistant = ingested(one_document(tmp_path, "fostering-visits.md", FOSTERING_VISITS), embedder, make_settings)
    assert assistant.ask(
        "How often must a social worker visit a privately fostered child after the first year?"
    ).abstained
    answer = assistant.ask("How often must a social worker visit a privately fostered child in the first year?")
    assert not answer.abstained and "every six weeks" in answer.answer, answer.answer
