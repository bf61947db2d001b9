"""The answer first: a person's name rather than a sentence that repeats the setting's name; a short
section (a heading and its lines) quoted whole; a question naming one authority answered from it,
register included; a tag question ("..., mustn't it?") answered yes or no with the figure first."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from corpora import cli_answer, ingested, one_document, two_procedures, westbrook_procedures  # type: ignore[import-not-found]

from assistant.text.cues import asked_permission, question_type, rules_on
from assistant.text.normalise import fold, term_set
from assistant.text.rows import labelled_row

pytestmark = pytest.mark.slow

POLICY = """# Brightside Nursery safeguarding policy

## Our commitment

Brightside Nursery will ensure that every child in its care is kept safe from harm and that staff are trained.

## Designated Safeguarding Lead

The Designated Safeguarding Lead is Amara Okafor, who can be contacted through the nursery office.

## How to report a concern

- Speak to the Designated Safeguarding Lead on the same day
- Write down what you saw and heard, in the child's own words
- Do not investigate or question the child yourself

## Visitors

All visitors sign in at reception and wear a badge while they are in the building.
"""


def _policy(tmp_path: Path) -> Path:
    return one_document(tmp_path, "brightside-nursery-policy.md", POLICY)


def _lead(answer: str) -> str:
    return answer.split("[1]", 1)[0]


def test_who_is_answered_by_a_person_not_by_a_sentence_naming_the_setting(
    tmp_path: Path, embedder: Any, make_settings: Any
) -> None:
    assistant = ingested(_policy(tmp_path), embedder, make_settings)
    answer = assistant.ask("Who's the safeguarding lead at Brightside Nursery?")
    assert not answer.abstained, answer.answer
    assert "Amara Okafor" in _lead(answer.answer), answer.answer


def test_a_short_section_is_quoted_whole_under_its_heading(tmp_path: Path, embedder: Any, make_settings: Any) -> None:
    assistant = ingested(_policy(tmp_path), embedder, make_settings)
    answer = assistant.ask("How do I report a concern at the nursery?")
    assert not answer.abstained, answer.answer
    quote = answer.citations[0].quote
    assert quote.startswith("How to report a concern\n"), quote
    for step in ("on the same day", "in the child's own words", "question the child yourself"):
        assert step in quote and step in _lead(answer.answer), answer.answer
    # the heading introduces the steps; each step once, one separator between them
    assert _lead(answer.answer).startswith("How to report a concern: Speak to"), answer.answer
    assert "Visitors" not in quote


def test_a_question_naming_an_authority_is_answered_from_its_document(
    tmp_path: Path, embedder: Any, make_settings: Any
) -> None:
    assistant = ingested(two_procedures(tmp_path, "15 working days", "10 working days"), embedder, make_settings)
    for place, days, document in (
        ("Brookfield", "10 working days", "brookfield-procedures.md"),
        ("Anytown", "15 working days", "anytown-procedures.md"),
    ):
        answer = assistant.ask(f"What's the timescale for an initial child protection conference in {place}?")
        assert not answer.abstained, answer.answer
        assert days in _lead(answer.answer), answer.answer
        assert answer.citations[0].document == document


@pytest.mark.parametrize(
    "question",
    [
        "The policy only covers children under 16, doesn't it?",
        "Police referrals went down this year, didn't they?",
        "The conference must be held within 5 working days, mustn't it?",
        "The plan is reviewed every three months, right?",
    ],
)
def test_a_statement_with_a_tag_is_a_yes_no_question(question: str) -> None:
    assert question_type(question) == "yesno"


def test_a_tag_question_with_a_wrong_figure_is_answered_no_with_the_figure_first(
    tmp_path: Path, embedder: Any, make_settings: Any
) -> None:
    corpus = two_procedures(tmp_path, "15 working days", "10 working days")
    ingested(corpus, embedder, make_settings)
    question = "In Anytown the initial child protection conference must be held within 5 working days, mustn't it?"
    data = cli_answer(make_settings(corpus), corpus, question)
    assert data["answer"].startswith("No, the documents give a different figure:"), data["answer"]
    assert "15 working days" in _lead(data["answer"]), data["answer"]


DEFINITIONS = """# Brightside Nursery handbook

## Definitions

Private fostering is when a child under 16 is cared for by someone who is not a parent or close relative for 28 days or more. The office is open from nine until five on weekdays and closes for two weeks in August.

## Outings

Children on outings are counted on and off the coach by two members of staff.
"""


def test_no_quote_after_the_first_shares_nothing_with_the_question(
    tmp_path: Path, embedder: Any, make_settings: Any
) -> None:
    corpus = one_document(tmp_path, "brightside-handbook.md", DEFINITIONS)
    assistant = ingested(corpus, embedder, make_settings)
    answer = assistant.ask("When is a child in private fostering according to the handbook?")
    assert not answer.abstained, answer.answer
    assert "not a parent or close relative" in _lead(answer.answer), answer.answer
    # the next sentence of the same paragraph is about the office, not about fostering
    assert "office is open" not in answer.answer, answer.answer
    assert all("office" not in c.quote for c in answer.citations)


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("What did the child death overview panel cost this year?", "money"),
        ("What does the training programme cost?", "money"),
        ("What did the panel decide?", "open"),
        ("What can come out of a section 47 enquiry?", "list"),
        ("What kinds of abuse does the policy recognise?", "list"),
        ("Which types of plan are there?", "list"),
        # a plural asked for by what is done: several things ("checks", "areas"), not "what class"
        ("What checks does the nursery do before a new staff member starts?", "list"),
        ("Which areas does the team cover?", "list"),
        ("What business does the panel do?", "open"),
        ("What does the LADO do?", "open"),
        ("What's the out of hours number for social care?", "contact"),
        ("How can I get hold of the NSPCC helpline?", "contact"),
        # a phone used, not a phone number asked for
        ("Can staff use their mobile phones in the rooms?", "yesno"),
        ("What is the DSL's mobile?", "contact"),
        ("What's the county safeguarding officer's number?", "contact"),
        ("What was the team's number of referrals?", "number"),
        ("What was the number of referrals?", "number"),
        # notice and time are lengths of time, not amounts
        ("How much notice do parents have to give the council?", "duration"),
        ("How much time does the school have to respond?", "duration"),
        ("How much screen time do the older children get?", "duration"),  # a kind of time is time
        ("How much did the board spend on training?", "money"),
        # "who" asks only as a question word, not in "someone who works with children"
        ("When do I need to go to the LADO about someone who works with children?", "open"),
        ("If someone makes an allegation, who does the officer have to contact?", "person"),
        ("I need to know who to call out of hours", "person"),
        ("And who chairs it?", "person"),
        # a longest or shortest time is a length of time
        ("max gap between safeguarding refreshers for nursery staff", "duration"),
        ("What's the minimum time a child stays on a plan?", "duration"),
        ("What's the longest a child can stay on a child in need plan?", "duration"),
        # "count as" asks for a criterion, not a count
        ("Below what attendance does a child count as Level 3?", "open"),
        ("What was the count of section 47 enquiries?", "number"),
        # "how do I ...": what to do, step by step
        ("How do I escalate if I disagree with another agency about the level of need?", "procedure"),
        ("How should staff make a referral to children's social care?", "procedure"),
        # when someone must be told is a time limit; when to refer may be a criterion
        ("When do we have to tell Ofsted about an allegation?", "duration"),
        ("When should the nursery manager inform the LADO?", "duration"),
        ("When do I need to refer?", "open"),
    ],
)
def test_what_something_cost_or_can_come_out_of_asks_for_an_amount_or_a_list(question: str, kind: str) -> None:
    assert question_type(question) == kind


@pytest.mark.parametrize(
    ("row", "header", "shown"),
    [
        ("Contacts received. 7410 6984", "Years 2013-14 2014-15", "Contacts received - 2013-14: 7410; 2014-15: 6984"),
        (
            "Contacts progressed to referral 1106 (15%) 1774(25%)",
            "Years 2013-14 2014-15",
            "Contacts progressed to referral - 2013-14: 1106 (15%); 2014-15: 1774(25%)",
        ),
        ("| Children on a plan | 287 | 312 |", "| Year | 2024 | 2025 |", "Children on a plan - 2024: 287; 2025: 312"),
        ("Police £5,000.00", "Name of Agency Contribution 14/15", None),  # one column, not named by years
        # a table of cells names each cell by its column, words as well as figures; an empty cell says nothing
        (
            "Strategy discussion | Within two working days",
            "Step | Timescale",
            "Strategy discussion - Timescale: Within two working days",
        ),
        (
            "Club Safeguarding Officer | Mark Ellis | 07700 900555",
            "Role | Name | Telephone",
            "Club Safeguarding Officer - Name: Mark Ellis; Telephone: 07700 900555",
        ),
        (
            "ECB Safeguarding Team | - | 020 7432 1200",
            "Role | Name | Telephone",
            "ECB Safeguarding Team - Telephone: 020 7432 1200",
        ),
        # the loaders drop a row's empty last cells: the cells written are the first columns'
        (
            "Strategy discussion | Within two working days",
            "Step | Timescale | Counted from",
            "Strategy discussion - Timescale: Within two working days",
        ),
        ("Strategy discussion | Within two working days | Front Door | extra", "Step | Timescale | Counted from", None),
        ("Children on a plan 312 287 at the end of March", "Years 2025 2024", None),  # words after the figures
    ],
)
def test_a_table_row_names_each_figure_by_its_column(row: str, header: str, shown: str | None) -> None:
    assert labelled_row(row, header) == shown


def test_a_figure_from_a_table_is_answered_with_its_columns(tmp_path: Path, embedder: Any, make_settings: Any) -> None:
    # a report's table as text extraction gives it: a header line of years, then label-and-figures rows
    corpus = one_document(
        tmp_path,
        "annual-report.txt",
        "Anytown Safeguarding Partnership annual report 2024-25\n\nChild protection\n\n"
        "The partnership saw more children subject to a child protection plan this year.\n\n"
        "Years 2023-24 2024-25\nChildren on a child protection plan at 31 March 287 312\n"
        "Initial child protection conferences 140 151\n",
    )
    assistant = ingested(corpus, embedder, make_settings)
    answer = assistant.ask("How many children were on a child protection plan at the end of March 2025?")
    assert not answer.abstained, answer.answer
    assert _lead(answer.answer).startswith(
        "Children on a child protection plan at 31 March - 2023-24: 287; 2024-25: 312"
    )


def test_a_list_whose_lead_in_says_it_is_read_with_the_sentence_before(
    tmp_path: Path, embedder: Any, make_settings: Any
) -> None:
    corpus = one_document(
        tmp_path,
        "brookfield-procedures.md",
        "# Brookfield child protection procedures\n\n## Strategy discussions\n\n### When is one held?\n\n"
        "A strategy discussion is held whenever there is reasonable cause to suspect that a child is suffering "
        "significant harm. It must take place within two working days of the referral.\n\n### Who takes part?\n\n"
        "A strategy discussion is convened and chaired by a children's social care team manager. "
        "As a minimum it must include:\n\n- the social worker and their manager;\n- the police, usually from the "
        "Child Abuse Investigation Team;\n- health, usually the named or designated professional;\n"
        "- the referring agency;\n- the child's school, college or early years setting.\n\n"
        "Other practitioners may be invited, such as a paediatrician where a medical may be needed, or the "
        "probation service where an adult in the household is known to them.\n\n"
        "## Visitors\n\nAll visitors sign in at reception.\n",
    )
    assistant = ingested(corpus, embedder, make_settings)
    answer = assistant.ask("Who has to be at a strategy discussion?")
    assert not answer.abstained, answer.answer
    for member in ("the police", "health", "the referring agency"):
        assert member in answer.answer, answer.answer


def test_a_short_figure_line_is_read_with_the_line_naming_its_subject(
    tmp_path: Path, embedder: Any, make_settings: Any
) -> None:
    corpus = one_document(
        tmp_path,
        "annual-report.md",
        "# Anytown Safeguarding Partnership annual report 2024-25\n\n## Voice of the child\n\n"
        "Several agencies gather the views of children and families through feedback forms.\n\n"
        "The annual young people's survey is carried out with 11 to 16 year olds in the borough.\n"
        "There were 912 respondents\n\n- 14% eligible for free school meals\n- 80% feel happy\n\n"
        "The board heard from the youth council twice during the year.\n",
    )
    assistant = ingested(corpus, embedder, make_settings)
    answer = assistant.ask("How many young people responded to the annual survey?")
    assert not answer.abstained, answer.answer
    lead = _lead(answer.answer)
    assert "912 respondents" in lead and "survey" in lead, answer.answer


def test_who_holds_a_role_is_answered_with_the_name_not_the_role_description(
    tmp_path: Path, embedder: Any, make_settings: Any
) -> None:
    corpus = one_document(
        tmp_path,
        "riverside-rovers-safeguarding-policy.md",
        "# Riverside Rovers safeguarding policy\n\n## How to report a concern\n\n"
        "Contact the Club Welfare Officer:\n\n- Priya Malhotra - welfare@riversiderovers.example.org\n\n"
        "If you cannot reach them, contact the county:\n\n"
        "- Northshire County FA Welfare Officer: Tomasz Nowicki - safeguarding@northshirefa.example.org\n\n"
        "## Role of the Club Welfare Officer\n\n"
        "The Club Welfare Officer is responsible for:\n\n- promoting safeguarding awareness across the club;\n"
        "- supporting coaches, players and parents in welfare matters;\n"
        "- liaising with the County FA Welfare Officer and the FA Safeguarding Team.\n\n"
        "## Training\n\nAll coaches complete safeguarding training every three years.\n",
    )
    assistant = ingested(corpus, embedder, make_settings)
    answer = assistant.ask("Who's the county FA welfare officer for Riverside Rovers?")
    assert not answer.abstained, answer.answer
    assert "Tomasz Nowicki" in _lead(answer.answer), answer.answer


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("Northshire County FA Welfare Officer: Tomasz Nowicki - safeguarding@northshirefa.example.org", True),
        ("The Safeguarding Officer (Siobhan Brine) requires an enhanced check.", True),
        ("Refer it to the Local Safeguarding Children Board and Social Care.", False),
        ("The Club Welfare Officer is responsible for promoting safeguarding.", False),
    ],
)
def test_a_persons_name_is_told_from_an_organisations_or_a_roles(text: str, names: bool) -> None:
    from assistant.answering.extractive import _names_someone

    assert _names_someone(text, set()) is names


def test_a_step_followed_by_a_lead_in_brings_its_list(tmp_path: Path, embedder: Any, make_settings: Any) -> None:
    corpus = one_document(
        tmp_path,
        "brookfield-front-door.md",
        "# Brookfield front door procedure\n\n## After a referral\n\n"
        "Within one working day of receiving a referral, a social worker at the Front Door must acknowledge it "
        "and, with their manager, decide on the next steps. The possible decisions are:\n\n"
        "1. no further action, with advice or signposting;\n2. a step down to early help, with the family's consent;\n"
        "3. a child and family assessment;\n4. a strategy discussion, where significant harm is suspected.\n\n"
        "## Visitors\n\nAll visitors sign in at reception and wear a badge while they are in the building.\n",
    )
    assistant = ingested(corpus, embedder, make_settings)
    answer = assistant.ask("Once I've referred to the front door, what happens next?")
    assert not answer.abstained, answer.answer
    assert "within one working day" in answer.answer.lower()
    for step in ("no further action", "a step down to early help", "a strategy discussion"):
        assert step in answer.answer, answer.answer


CLUB = """# Safeguarding policy

## Whistle-blowing

Anyone who is concerned about the behaviour of someone in a position of trust is encouraged to report their
concerns without fear of reprisal.

## How to report a concern

All safeguarding concerns should be reported immediately to the Club Welfare Officer, Jo Bloggs.

## Training

Coaches complete safeguarding training every three years.
"""


@pytest.mark.slow
def test_a_who_question_is_answered_by_whom_to_tell_not_by_a_position_of_trust(
    tmp_path: Path, embedder: Any, make_settings: Any
) -> None:
    """'A position of trust' names no one; and a practitioner's 'worry' is the documents' 'concern'."""
    assistant = ingested(one_document(tmp_path, "club-policy.md", CLUB), embedder, make_settings)
    answer = assistant.ask("Who do I report a safeguarding worry to?")
    assert not answer.abstained
    assert "Club Welfare Officer" in answer.citations[0].quote, answer.answer


LEVELS = """# Levels of need guidance

## Level 2: Early help

Children at Level 2 have additional needs that one agency can meet.

- Parental conflict that the child witnesses but that does not involve violence;
- Domestic abuse in the household, assessed as standard or medium risk;
- Attendance at school below 90 per cent;

## Level 4: Specialist

Children at Level 4 are suffering, or are likely to suffer, significant harm.

- Domestic abuse assessed as high risk, or a child injured during a domestic abuse incident;
- A baby who is not yet mobile with any injury;
"""


@pytest.mark.slow
def test_a_what_level_question_shows_each_descriptor_under_its_levels_heading(
    tmp_path: Path, embedder: Any, make_settings: Any
) -> None:
    assistant = ingested(one_document(tmp_path, "levels.md", LEVELS), embedder, make_settings)
    answer = assistant.ask("Domestic abuse in the household - what level does that come under?")
    assert not answer.abstained
    shown = {c.quote: c.n for c in answer.citations}
    medium = "Domestic abuse in the household, assessed as standard or medium risk;"
    high = "Domestic abuse assessed as high risk, or a child injured during a domestic abuse incident;"
    assert medium in shown and high in shown, answer.answer
    # each descriptor is shown under the heading that names its level, with its own citation
    assert f"Level 2: Early help: {medium} [{shown[medium]}]" in answer.answer
    assert f"Level 4: Specialist: {high} [{shown[high]}]" in answer.answer
    # another kind of question is not given the headings
    plain = assistant.ask("What counts as high-risk domestic abuse for a child?")
    assert "Level 4: Specialist:" not in plain.answer


@pytest.mark.slow
def test_a_situation_asking_what_level_is_set_beside_the_levels_conditions(
    tmp_path: Path, embedder: Any, make_settings: Any
) -> None:
    """'What level would that be?' asks only in words every level's heading uses; the situation's
    figure (86%) is set beside the condition that descriptor states (below 90 per cent)."""
    assistant = ingested(one_document(tmp_path, "levels.md", LEVELS), embedder, make_settings)
    answer = assistant.ask("Year 8 lad, attendance down to 86% and mum is struggling. What level would that be?")
    assert not answer.abstained, answer.answer
    assert [(c.condition, c.stated) for c in answer.conditions] == [("below 90%", "86%")]
    attendance = next(c for c in answer.citations if "Attendance at school below 90 per cent" in c.quote)
    # the descriptor is shown under its level's heading: the heading before it, or the quote opening with it
    shown = rf"Level 2: Early help[^\[]*Attendance at school below 90 per cent;? \[{attendance.n}\]"
    assert re.search(shown, answer.answer), answer.answer


@pytest.mark.slow
def test_what_follows_a_heading_that_is_the_question_answers_it(
    tmp_path: Path, embedder: Any, make_settings: Any
) -> None:
    # "4.1 How do I make a referral?" is answered by the instruction under it ("Telephone the ... Front
    # Door on ..."), which shares no word with the question; 4.3's rule about a referral shares several
    assistant = ingested(westbrook_procedures(tmp_path), embedder, make_settings)
    answer = assistant.ask("How do I make a referral to children's social care in Westbrook?")
    assert not answer.abstained, answer.answer
    assert answer.citations[0].quote.startswith("Telephone the Westbrook Children's Front Door"), answer.answer


@pytest.mark.parametrize(
    ("question", "action"),
    [
        ("Should I tell the member of staff about the allegation before I've spoken to the LADO?", "tell"),
        ("Do I need the parents' consent before I refer?", "need"),
        ("Do I need to tell the parents?", "tell"),
        ("Can staff share information without consent?", "share"),
        ("Is private fostering the same as fostering?", ""),
        ("What should I tell the parents?", ""),
        # a subject of one word before the action, or of two, or with an age
        ("Can the coach drive my son home?", "drive"),
        ("Can the welfare officer share information with the school?", "share"),
        ("Can our 16 year old young helpers count towards the adult numbers?", "count"),
        ("Is it ok for me to drive one of the cast home after rehearsal?", "drive"),
    ],
)
def test_the_action_a_yes_no_question_asks_about(question: str, action: str) -> None:
    assert asked_permission(question) == next(iter(term_set(action)), "")


@pytest.mark.parametrize(
    ("sentence", "action", "rules"),
    [
        ("Do not tell the adult about the allegation unless the LADO agrees.", "tell", True),
        ("At Level 4 you do not need the parents' consent to make a referral.", "need", True),
        ("Staff may share information without consent where a child is at risk.", "share", True),
        ("The manager told the LADO about the allegation the next day.", "tell", False),
    ],
)
def test_a_sentence_that_says_whether_to_do_it(sentence: str, action: str, rules: bool) -> None:
    assert rules_on(next(iter(term_set(action))), fold(sentence).lower()) is rules


ALLEGATIONS = (
    "# Procedures\n\n## Allegations against staff\n\n"
    "The designated safeguarding lead must report an allegation against a member of staff to the LADO within "
    "one working day of it becoming known. "
    "If the allegation is about the head of the organisation, tell the chair of governors, who will contact the LADO. "
    "Before speaking to the LADO, do not investigate; do not tell the adult about the allegation unless the "
    "LADO agrees.\n\n## Premises\n\nVisitors sign in at the front desk.\n"
)


def test_a_should_i_question_is_answered_by_the_sentence_saying_whether_to(
    tmp_path: Path, embedder: Any, make_settings: Any
) -> None:
    assistant = ingested(one_document(tmp_path, "procedures.md", ALLEGATIONS), embedder, make_settings)
    answer = assistant.ask("Should I tell the member of staff about the allegation before I've spoken to the LADO?")
    assert not answer.abstained, answer.answer
    assert "do not tell the adult" in _lead(answer.answer), answer.answer


def test_a_short_label_and_its_value_is_not_passed_over_as_a_fragment(
    tmp_path: Path, embedder: Any, make_settings: Any
) -> None:
    from corpora import club_policy  # type: ignore[import-not-found]

    assistant = ingested(club_policy(tmp_path), embedder, make_settings)
    answer = assistant.ask("When is the policy due for review?")
    assert not answer.abstained, answer.answer
    assert answer.citations[0].quote == "Next review: September 2025.", answer.answer


@pytest.mark.parametrize(
    "lines",
    [
        # the contact lines under the sentence naming whose they are, as a web page or a Word file keeps them
        "Our Club Welfare Officer (CWO) is Priya Shah.\nTelephone: 07700 900123\nEmail: welfare@example.org",
        # the same run together in one paragraph, as Markdown and PDF text often are
        "Our Club Welfare Officer (CWO) is Priya Shah. Telephone: 07700 900123 Email: welfare@example.org",
    ],
)
def test_contact_lines_are_one_unit_with_the_sentence_naming_whose_they_are(lines: str) -> None:
    from assistant.text.units import evidence_units

    text = f"{lines}\nThe CWO is the first point of contact. Call us. Then more."
    quoted = [text[u.start : u.end] for u in evidence_units(text)]
    assert quoted[0] == lines, quoted
    assert quoted[1:] == ["The CWO is the first point of contact.", "Call us.", "Then more."]


def test_a_number_given_for_the_owner_asked_about_is_answered_however_few_words_it_shares(
    tmp_path: Path, embedder: Any, make_settings: Any
) -> None:
    from corpora import club_policy  # type: ignore[import-not-found]

    assistant = ingested(club_policy(tmp_path), embedder, make_settings)
    answer = assistant.ask("What's the CWO's phone number?")
    assert not answer.abstained, answer.answer
    assert "07700 900123" in answer.citations[0].quote and "Priya Shah" in answer.citations[0].quote
    # a number for someone else is still not given as theirs
    other = assistant.ask("What's the LADO's phone number?")
    assert other.abstained and not other.citations, other.answer


def test_a_platform_named_in_a_question_is_read_as_social_media(
    tmp_path: Path, embedder: Any, make_settings: Any
) -> None:
    policy = (
        "# Westfield Cricket Club Safeguarding Policy\n\n## Social media\n\n"
        "Coaches must not be friends with junior players on personal social media accounts. "
        "Club messages to juniors are sent through a parent.\n\n"
        "## Transport\n\nDrivers must hold a full licence and insurance.\n"
    )
    assistant = ingested(one_document(tmp_path, "cricket.md", policy), embedder, make_settings)
    answer = assistant.ask("Can coaches follow junior players on Instagram?")
    assert not answer.abstained, answer.answer
    assert "personal social media accounts" in answer.citations[0].quote


def test_a_row_of_cells_is_shown_with_its_columns(tmp_path: Path, embedder: Any, make_settings: Any) -> None:
    policy = (
        "# Westfield Cricket Club Safeguarding Policy\n\n## Key contacts\n\n"
        "| Role | Name | Telephone |\n|---|---|---|\n"
        "| Club Safeguarding Officer | Mark Ellis | 07700 900555 |\n"
        "| County Safeguarding Officer | Ruth Adams | 01632 960111 |\n\n"
        "## Transport\n\nDrivers must hold a full licence and insurance.\n"
    )
    assistant = ingested(one_document(tmp_path, "cricket.md", policy), embedder, make_settings)
    answer = assistant.ask("What's the county safeguarding officer's number?")
    assert not answer.abstained, answer.answer
    assert answer.answer.startswith("County Safeguarding Officer - Name: Ruth Adams; Telephone: 01632 960111 [1]")
    assert answer.citations[0].quote == "County Safeguarding Officer | Ruth Adams | 01632 960111"


@pytest.mark.parametrize(
    ("sentence", "abbreviation", "spelled"),
    [
        ("reported to the Local Authority Designated Officer (LADO) within one working day.", "lado", True),
        ("The LADO (Local Authority Designated Officer) decides.", "lado", True),
        ("Contact the LADO on 01632 960519.", "lado", False),
        ("Our Club Welfare Officer (CWO) is Priya Shah.", "cwo", True),
        ("The Child Risk Assessment Matrix (CRAM) is used for every allegation.", "cram", True),
        ("The Deputy DSL (Tom Reeves) covers absences.", "dsl", False),
    ],
)
def test_a_sentence_spelling_out_an_abbreviation(sentence: str, abbreviation: str, spelled: bool) -> None:
    from assistant.text.cues import spells_out

    assert spells_out(abbreviation, sentence) is spelled


def test_what_an_abbreviation_stands_for_is_answered_where_the_document_spells_it_out(
    tmp_path: Path, embedder: Any, make_settings: Any
) -> None:
    from corpora import nursery_policy  # type: ignore[import-not-found]

    assistant = ingested(nursery_policy(tmp_path), embedder, make_settings)
    answer = assistant.ask("What does LADO stand for?")
    assert not answer.abstained, answer.answer
    assert "Local Authority Designated Officer (LADO)" in answer.citations[0].quote


def test_the_abbreviations_a_document_spells_out_for_itself() -> None:
    from assistant.text.cues import defined_abbreviations

    text = (
        "Our Club Welfare Officer (CWO) is Priya Shah. Report to the Local Authority Designated Officer (LADO). "
        "The Deputy DSL (Tom Reeves) covers. Child and Adolescent Mental Health Services (CAMHS) help. A (B)."
    )
    assert defined_abbreviations(text) == {
        "cwo": "Club Welfare Officer",
        "lado": "Local Authority Designated Officer",
        "camhs": "Child and Adolescent Mental Health Services",
    }


def test_a_sentence_using_an_abbreviation_its_document_defines_says_the_spelled_out_words(
    tmp_path: Path, embedder: Any, make_settings: Any
) -> None:
    from corpora import club_policy  # type: ignore[import-not-found]

    assistant = ingested(club_policy(tmp_path), embedder, make_settings)
    answer = assistant.ask("What does the club welfare officer have to hold?")
    assert not answer.abstained, answer.answer
    # "The CWO must hold ..." answers first, not the line that defines the abbreviation
    assert answer.citations[0].quote.startswith("The CWO must hold an in-date FA DBS check"), answer.answer


def test_a_timescale_the_document_has_already_given_is_not_quoted_again(
    tmp_path: Path, embedder: Any, make_settings: Any
) -> None:
    # the procedures state the strategy discussion's timescale in their text and again in their table
    # of timescales ("Strategy discussion | Two working days; the same day ..."): one quote says it
    assistant = ingested(westbrook_procedures(tmp_path), embedder, make_settings)
    answer = assistant.ask("How soon does a strategy discussion need to happen?")
    assert not answer.abstained, answer.answer
    assert "within two working days" in answer.citations[0].quote, answer.answer
    assert not any(c.quote.startswith("Strategy discussion |") for c in answer.citations), answer.answer


def test_a_disclosure_is_answered_from_the_section_whose_question_heading_names_it(
    tmp_path: Path, embedder: Any, make_settings: Any
) -> None:
    # "3.1 What should I do if a child tells me they are being harmed?": the situation the question describes
    assistant = ingested(westbrook_procedures(tmp_path), embedder, make_settings)
    answer = assistant.ask("A child's just told me her stepdad hits her. What do I do?")
    assert not answer.abstained, answer.answer
    assert "secret" in answer.answer, answer.answer
