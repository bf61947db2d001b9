"""Structure kept in answers: a list is quoted whole and alone, with one separator between items;
a label and its value on the next line ("NSPCC Helpline:" / "Phone: ...") are quoted together."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from assistant.config import Settings
from assistant.engine import Assistant

ROOT = Path(__file__).resolve().parents[1]
PROCEDURES = ROOT / "eval" / "synthetic" / "synthetic-westbrook-child-protection-procedures.md"

pytestmark = pytest.mark.slow


@contextmanager
def _assistant_over(tmp_path: Path, document: Path) -> Iterator[Assistant]:
    """A real index of one document in a temporary data folder."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(document, corpus / document.name)
    assistant = Assistant(Settings.from_env(data_dir=tmp_path / "data", corpus_dir=corpus))
    assistant.ensure_index()
    try:
        yield assistant
    finally:
        assistant.close()


def test_a_list_whose_items_end_in_semicolons_is_quoted_whole_and_stops_at_the_next_paragraph(tmp_path: Path) -> None:
    with _assistant_over(tmp_path, PROCEDURES) as assistant:
        answer = assistant.ask("When should a child protection plan end?")
    assert not answer.abstained, answer.answer
    first = answer.answer.split("[1]")[0]
    # all three conditions, each once, separated once
    for item in ("no longer likely to suffer significant harm", "transfer-in conference", "reaches 18 years of age"):
        assert first.count(item) == 1, first
    assert ";;" not in answer.answer and ".;" not in answer.answer
    # the numbered paragraph after the list is not one of its items
    assert "10.2" not in first


def test_a_contact_is_answered_with_its_own_label_not_a_neighbouring_number(tmp_path: Path, corpus_dev: Path) -> None:
    policy = corpus_dev / "hanworth-villa-fc-safeguarding-policy-and-reporting.md"
    with _assistant_over(tmp_path, policy) as assistant:
        answer = assistant.ask("What is the NSPCC helpline phone number?")
    assert not answer.abstained, answer.answer
    assert "0808 800 5000" in answer.answer and "0800 169 1863" not in answer.answer, answer.answer
    # the helpline's label with every way to reach it, and nothing of the next contact
    assert answer.citations[0].quote == "NSPCC Helpline:\nPhone: 0808 800 5000\nText: 88858\nEmail: help@nspcc.org.uk"


def test_a_section_headed_by_the_question_asked_is_quoted_past_its_first_paragraph(tmp_path: Path) -> None:
    with _assistant_over(tmp_path, PROCEDURES) as assistant:
        answer = assistant.ask("Once I've referred to the front door, what happens next?")
    assert not answer.abstained, answer.answer
    # under "4.3 What happens after a referral?": the decision within a day, its options, and when the
    # referrer hears (the next paragraph of the same section)
    for fact in ("one working day", "strategy discussion", "three working days"):
        assert fact in answer.answer, answer.answer


def test_steps_in_the_middle_of_a_section_are_quoted_after_its_opening(tmp_path: Path, corpus_dev: Path) -> None:
    policy = corpus_dev / "lexden-montessori-nursery-safeguarding-policy.pdf"
    with _assistant_over(tmp_path, policy) as assistant:
        answer = assistant.ask("What happens when a visitor buzzes at the nursery door?")
    assert not answer.abstained, answer.answer
    # what is checked at the intercom first, then the numbered steps once the visitor is let in
    assert answer.citations[0].quote.startswith("A visitor arrives"), answer.answer
    assert "legitimate reason" in answer.citations[0].quote, answer.answer
    assert any(c.quote.startswith("1. V signs in") for c in answer.citations[1:]), answer.answer


@pytest.mark.parametrize(
    ("sentence", "lists"),
    [
        (
            "The chair decides which category the plan is under: physical abuse, emotional abuse, sexual abuse or neglect.",
            True,
        ),
        ("Checks include an enhanced DBS check, two references, an interview and a probation period.", True),
        ("The board, which met four times, agreed the plan and published it.", False),
        ("One of the board's challenges last year was to improve the response to neglect.", False),
    ],
)
def test_a_sentence_that_runs_a_list_is_told_apart(sentence: str, lists: bool) -> None:
    from assistant.answering.extractive import _enumerates

    assert _enumerates(sentence) is lists


STEPS = """# Early help

## What to do at the early help level

Families at this level have needs that one agency can meet with their agreement.

1. Talk to the child and the family about your concerns.
2. Ask for the family's consent to an early help assessment.
3. Complete the early help assessment with the family.
4. Hold a team around the family meeting within 20 working days of consent.

## Records

Keep a record of every decision and the reasons for it.
"""


def test_a_how_do_i_question_is_answered_with_the_numbered_steps_in_order(tmp_path: Path) -> None:
    from corpora import one_document  # type: ignore[import-not-found]

    corpus = one_document(tmp_path, "early-help.md", STEPS)
    assistant = Assistant(Settings.from_env(data_dir=tmp_path / "data", corpus_dir=corpus))
    try:
        assistant.ensure_index()
        # the list's numbers are the document's own (Markdown's "1." is what its reader sees)
        assert "\n1. Talk to the child" in assistant.document_text(assistant.documents()[0].doc_id)
        answer = assistant.ask("How do I start early help with a family?")
    finally:
        assistant.close()
    assert not answer.abstained, answer.answer
    first = answer.citations[0].quote
    assert first.startswith("1. Talk to the child") and first.rstrip().endswith("within 20 working days of consent.")
    steps = [first.index(f"{n}. ") for n in range(1, 5)]
    assert steps == sorted(steps)


DISAGREEMENTS = """# Levels of need

## Resolving professional disagreements

Professionals will sometimes disagree about the level of need or about another agency's response.
Disagreement is healthy when it is resolved quickly.

1. Stage 1: Raise the disagreement with the practitioner concerned and try to resolve it within three working days.
2. Stage 2: If it is not resolved, go to your line manager, who will contact their counterpart.
3. Stage 3: If it is still not resolved, go to the heads of service of the agencies involved.
4. Stage 4: If it remains, the partnership executive decides, and its decision is final.

## Private fostering

Private fostering is when a child under 16 is cared for by someone who is not a close relative for 28 days or more.
"""


def test_a_procedure_whose_opening_answers_best_is_quoted_with_its_steps(tmp_path: Path) -> None:
    from corpora import one_document  # type: ignore[import-not-found]

    corpus = one_document(tmp_path, "levels.md", DISAGREEMENTS)
    assistant = Assistant(Settings.from_env(data_dir=tmp_path / "data", corpus_dir=corpus))
    try:
        assistant.ensure_index()
        answer = assistant.ask("How do I escalate if I disagree with another agency about the level of need?")
    finally:
        assistant.close()
    assert not answer.abstained, answer.answer
    steps = next(c for c in answer.citations if c.quote.startswith("1. Stage 1:"))
    assert "4. Stage 4:" in steps.quote and "heads of service" in steps.quote
    # the steps read as steps, not as a heading and its lines ("...days.: 2. ...")
    assert ".: " not in answer.answer and ";: " not in answer.answer


AFTER_REFERRAL = (
    "# Procedures\n\n## What happens after a referral?\n\n"
    + " ".join(
        f"Paragraph sentence {n} explains how the front door team records, checks and weighs each referral it receives."
        for n in range(5)
    )
    + " Within one working day of receiving a referral, a social worker at the front door must acknowledge it and,"
    " with their manager, decide on the next steps.\n"
    "The possible decisions are:\n"
    "1. no further action, with advice or signposting;\n"
    "2. a step down to early help, with the family's consent;\n"
    "3. a child and family assessment (child in need);\n"
    "4. a strategy discussion, where there is reasonable cause to suspect significant harm;\n"
    "5. immediate action to protect the child.\n\n"
    "## Private fostering\n\nPrivate fostering is when a child under 16 lives with someone who is not a close relative.\n"
)


def test_a_lead_in_that_opens_the_next_chunk_still_completes_the_sentence_before_it(tmp_path: Path) -> None:
    from corpora import one_document  # type: ignore[import-not-found]

    corpus = one_document(tmp_path, "procedures.md", AFTER_REFERRAL)
    assistant = Assistant(Settings.from_env(data_dir=tmp_path / "data", corpus_dir=corpus))
    try:
        assistant.ensure_index()
        chunks = assistant.document_chunks(assistant.documents()[0].doc_id)
        # the chunker starts the list's chunk at its lead-in: the two sentences are in different chunks
        assert any(c.text.startswith("The possible decisions are:") for c in chunks)
        answer = assistant.ask("Once I've referred to the front door, what happens next?")
    finally:
        assistant.close()
    assert not answer.abstained, answer.answer
    assert "decide on the next steps" in answer.citations[0].quote
    assert "The possible decisions are:" in answer.answer and "a strategy discussion" in answer.answer


def test_a_list_whose_items_name_what_is_asked_outranks_one_that_mentions_it_once(
    tmp_path: Path, corpus_dev: Path
) -> None:
    # the nursery's "Policies" section mentions abuse once among its duties; its "Indicators of
    # Abuse" section lists the forms of abuse, one per item
    policy = corpus_dev / "lexden-montessori-nursery-safeguarding-policy.pdf"
    with _assistant_over(tmp_path, policy) as assistant:
        answer = assistant.ask("Which types of abuse does the nursery's policy recognise?")
    assert not answer.abstained, answer.answer
    first = answer.citations[0].quote
    for kind in ("physical abuse", "emotional abuse", "sexual abuse", "neglect"):
        assert kind in first, first


def test_a_list_brought_in_whole_does_not_quote_its_items_again(seed_assistant: Assistant) -> None:
    answer = seed_assistant.ask("Which specialist service was commissioned for gang prevention work?")
    assert not answer.abstained, answer.answer
    quotes = [c.quote for c in answer.citations]
    assert "specialist service" in quotes[0], quotes
    for n, quote in enumerate(quotes):
        assert not any(quote in other or other in quote for other in quotes[n + 1 :]), quotes


ABUSE = """# Brightside Nursery Safeguarding Policy

## Our commitment

Brightside Nursery is committed to keeping every child safe. All staff complete safeguarding training every year.

## Types of abuse

Working Together describes four categories of abuse.

### Physical abuse

Physical abuse may involve hitting, shaking, throwing, poisoning, burning or scalding, drowning or suffocating.

### Emotional abuse

Emotional abuse is the persistent emotional maltreatment of a child that causes severe effects on the child's emotional development.

### Sexual abuse

Sexual abuse involves forcing or enticing a child to take part in sexual activities.

### Neglect

Neglect is the persistent failure to meet a child's basic physical and psychological needs.

## Visitors

Visitors sign in at the front desk and wear a badge.
"""

LEVELS = """# Anytown Levels of Need Guidance

## 1. Purpose of this guidance

This guidance describes a continuum of need in four levels and says what to do at each level.

## 2. Level 1: Universal

Children whose needs are met by universal services such as schools and GPs.

## 3. Level 2: Early help

Children with additional needs who benefit from a coordinated early help assessment.

## 4. Level 3: Targeted - child in need

Children with complex needs who may need a child and family assessment.

## 5. Level 4: Specialist - child protection

Children who are suffering, or likely to suffer, significant harm.

## 6. Contacts

Telephone the Front Door for advice.
"""


@pytest.mark.parametrize(
    ("name", "document", "question", "unnumbered", "lead", "items"),
    [
        (
            "policy.md",
            ABUSE,
            "What are the four types of abuse?",
            "What are the different types of abuse?",
            "Types of abuse: Physical abuse [1]; ",
            ["Physical abuse", "Emotional abuse", "Sexual abuse", "Neglect"],
        ),
        (
            "levels.md",
            LEVELS,
            "What are the four levels in the Anytown continuum of need?",
            # the document's title names levels too: its sections are not all levels
            "What are the levels of need in Anytown?",
            "Anytown Levels of Need Guidance: 2. Level 1: Universal [1]; ",
            [
                "2. Level 1: Universal",
                "3. Level 2: Early help",
                "4. Level 3: Targeted - child in need",
                "5. Level 4: Specialist - child protection",
            ],
        ),
    ],
)
def test_a_list_written_as_headings_is_answered_with_the_headings(
    name: str,
    document: str,
    question: str,
    unnumbered: str,
    lead: str,
    items: list[str],
    tmp_path: Path,
    embedder: Any,
    make_settings: Any,
) -> None:
    from corpora import ingested, one_document  # type: ignore[import-not-found]

    assistant = ingested(one_document(tmp_path, name, document), embedder, make_settings)
    answer = assistant.ask(question)
    assert not answer.abstained, answer.answer
    assert answer.answer.startswith(lead), answer.answer
    assert [c.quote for c in answer.citations] == items
    # asked without a number (or read as a definition: "what are the types of abuse?"), the same headings
    plain = assistant.ask(unnumbered)
    assert [c.quote for c in plain.citations] == items, plain.answer
    # the same list said to have another number of items is not answered from the headings
    wrong = assistant.ask(question.replace("four", "three"))
    assert [c.quote for c in wrong.citations] != items, wrong.answer


def test_an_item_chosen_on_its_own_is_quoted_in_its_list(tmp_path: Path) -> None:
    from corpora import club_policy  # type: ignore[import-not-found]

    assistant = Assistant(Settings.from_env(data_dir=tmp_path / "data", corpus_dir=club_policy(tmp_path)))
    assistant.ingest()
    answer = assistant.ask("Should I promise to keep it a secret?")
    assert not answer.abstained, answer.answer
    quote = answer.citations[0].quote
    # the item says what to do; the line introducing the list says when
    assert (
        quote.startswith("If a child tells you they are being abused:")
        and "do not promise to keep it a secret" in quote
    )


OFFICER_STEPS = """# Nursery safeguarding policy

## Reporting evidence of abuse

When the Safeguarding Officer finds evidence of abuse, he will:

1. Record in the child's file that the indicators of abuse are being treated as evidence of abuse, and why.
2. Contact the Local Safeguarding Children Board verbally.
3. Inform all appropriate staff that contact has been made.
4. Within 48 hours of the above contact, securely send complete copies of the child's file to the Local Safeguarding Children Board.
5. Co-operate fully with any subsequent investigation.

## Visitors

Visitors sign in at the front desk.
"""


def test_a_step_that_answers_is_not_stretched_into_every_step_after_it(tmp_path: Path) -> None:
    from corpora import one_document  # type: ignore[import-not-found]

    corpus = one_document(tmp_path, "policy.md", OFFICER_STEPS)
    assistant = Assistant(Settings.from_env(data_dir=tmp_path / "data", corpus_dir=corpus))
    assistant.ingest()
    answer = assistant.ask("What does the officer record in the child's file?")
    assert not answer.abstained, answer.answer
    assert answer.citations[0].quote == (
        "1. Record in the child's file that the indicators of abuse are being treated as evidence of abuse, and why."
    ), answer.answer


def test_a_short_section_is_not_cut_inside_an_item_broken_across_lines(tmp_path: Path, corpus_dev: Path) -> None:
    """The nursery policy lays its steps out as short lines ("2. T reassures C that" / "T will ... take
    action," / ... / "speaking was the right thing to do."): a section quoted whole keeps its last item
    to its end, not to a count of lines."""
    policy = corpus_dev / "lexden-montessori-nursery-safeguarding-policy.pdf"
    with _assistant_over(tmp_path, policy) as assistant:
        answer = assistant.ask("What does a team member do when a child makes a disclosure?")
    assert not answer.abstained, answer.answer
    quoted = "\n".join(c.quote for c in answer.citations)
    assert "it was not C's fault,\nspeaking was the right thing to do." in quoted, answer.answer


def test_a_short_section_cut_short_does_not_end_on_a_lead_in(tmp_path: Path, corpus_dev: Path) -> None:
    """The section "A visitor arrives" runs past what a quote may hold: it stops before "Either:", whose two
    cases are left out, rather than on it."""
    policy = corpus_dev / "lexden-montessori-nursery-safeguarding-policy.pdf"
    with _assistant_over(tmp_path, policy) as assistant:
        answer = assistant.ask("What do staff do when a visitor arrives?")
    assert not answer.abstained, answer.answer
    assert answer.citations[0].quote.startswith("A visitor arrives\n"), answer.answer
    assert not answer.citations[0].quote.rstrip().endswith(":"), answer.answer


def test_the_last_step_s_own_list_goes_with_the_steps(tmp_path: Path, corpus_dev: Path) -> None:
    """The step "3. Alternative Contacts:" is followed by the contacts: the steps are quoted with them, not
    ending on the step that brings them in."""
    policy = corpus_dev / "hanworth-villa-fc-safeguarding-policy-and-reporting.md"
    with _assistant_over(tmp_path, policy) as assistant:
        answer = assistant.ask("How do I report a concern at the club?")
    assert not answer.abstained, answer.answer
    steps = answer.citations[0].quote
    assert steps.startswith("1. Contact the Club Welfare Officer"), answer.answer
    assert "3. Alternative Contacts:\nMiddlesex County FA Welfare Officer: Rebecca Chapman" in steps, answer.answer


def test_a_whole_section_is_not_followed_by_more_of_its_own_passage_that_adds_nothing(
    tmp_path: Path, corpus_dev: Path
) -> None:
    """The definitions section answers "a signal as opposed to a sign": the table row after it, in the
    same passage and naming no word of the question the section does not, is not quoted as well."""
    policy = corpus_dev / "lexden-montessori-nursery-safeguarding-policy.pdf"
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for document in (policy, PROCEDURES, ROOT / "corpus" / "havering-lscb-annual-report-2014-15.txt"):
        shutil.copy(document, corpus / document.name)
    assistant = Assistant(Settings.from_env(data_dir=tmp_path / "data", corpus_dir=corpus))
    assistant.ensure_index()
    try:
        answer = assistant.ask("In the nursery's policy, what is a signal as opposed to a sign?")
    finally:
        assistant.close()
    assert not answer.abstained, answer.answer
    assert answer.citations[0].quote.startswith("Indicators of Abuse\n"), answer.answer
    assert len(answer.citations) == 1, answer.answer
