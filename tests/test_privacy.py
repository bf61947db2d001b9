"""Identifying details in questions: detection, redaction, and the assistant's warning.

The detector runs presidio's pattern recognisers on a blank spaCy pipeline (no model);
it is built once for this module.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from corpora import ingested, one_document  # type: ignore[import-not-found]

from assistant.services.privacy import Identifier, IdentifierDetector, describe


@pytest.fixture(scope="module")
def detector() -> IdentifierDetector:
    found = IdentifierDetector()
    found.warm_up()
    return found


def _found(detector: IdentifierDetector, text: str) -> list[tuple[str, str]]:
    return [(i.kind, text[i.start : i.end]) for i in detector.find(text)]


@pytest.mark.parametrize(
    ("text", "kind", "value"),
    [
        ("my client Jane Smith has disclosed that she is being hit at home", "PERSON", "Jane Smith"),
        ("I am worried about a girl called Amy who is often hungry", "PERSON", "Amy"),
        ("Mrs Jones says her son has not been at school for a week", "PERSON", "Mrs Jones"),
        ("her mum Sarah is drinking heavily", "PERSON", "Sarah"),
        ("John Smith, aged 7, has unexplained bruises", "PERSON", "John Smith"),
        ("The child DOB 12/03/2011 lives with her aunt", "DATE_OF_BIRTH", "DOB 12/03/2011"),
        ("date of birth: 12/03/2011", "DATE_OF_BIRTH", "date of birth: 12/03/2011"),
        ("His NHS number is 943 476 5919, what should I do?", "UK_NHS", "943 476 5919"),
        ("You can call me on 07911 123456 after school", "PHONE_NUMBER", "07911 123456"),
        ("Please reply to jane.smith@example.org with advice", "EMAIL_ADDRESS", "jane.smith@example.org"),
        ("The family have moved to RM1 3BD", "UK_POSTCODE", "RM1 3BD"),
        ("The family live at 14 Acacia Road near the school", "STREET_ADDRESS", "14 Acacia Road"),
    ],
)
def test_finds_identifier(detector: IdentifierDetector, text: str, kind: str, value: str) -> None:
    found = _found(detector, text)
    assert (kind, value) in found, found


def test_nhs_number_with_invalid_check_digit_is_not_flagged(detector: IdentifierDetector) -> None:
    # 943 476 5919 is valid (modulus 11); changing the last digit breaks the check digit.
    assert ("UK_NHS", "943 476 5919") in _found(detector, "NHS number 943 476 5919")
    for invalid in ("943 476 5918", "943 476 5910", "123 456 7890"):
        found = _found(detector, f"NHS number {invalid}")
        assert not any(kind == "UK_NHS" for kind, _ in found), (invalid, found)


ORDINARY_QUESTIONS = [
    "When must an initial child protection conference be held?",
    "What counts as private fostering?",
    "How many children were on CP plans in 2014/15?",
    "What does the LADO do?",
    "What is the MASH?",
    "What is the threshold for a section 47 enquiry?",
    "How long should a strategy discussion take?",
    "Who chairs the Havering Safeguarding Children Board?",
    "What is Early Help?",
    "What did the Board spend on staffing in 2014-15?",
    "How many contacts were received in 2014/15?",
    "What is child sexual exploitation?",
    "When should I refer to Children's Social Care?",
    "What percentage of referrals were re-referrals?",
    "What training does the LSCB provide?",
    "What is the role of the designated safeguarding lead?",
    "How is FGM reported?",
    "What does Working Together 2015 say about timescales?",
    "What is a Child Protection Plan?",
    "What is the Child Death Overview Panel?",
    "When is a Looked After Child review held?",
    "What is a Serious Case Review?",
    "What is the role of the Virtual School Head?",
    "What does the Local Authority Designated Officer do?",
    "What is a child in need under section 17 of the Children Act 1989?",
]


@pytest.mark.parametrize("question", ORDINARY_QUESTIONS)
def test_ordinary_practitioner_questions_have_no_identifiers(detector: IdentifierDetector, question: str) -> None:
    assert detector.find(question) == []


@pytest.mark.parametrize(
    "question",
    [
        "What is a Child Arrangements Order?",
        "What does the Named Nurse do?",
        "What is the role of the Named Doctor for safeguarding?",
        "When is a Child Missing Education referral needed?",
    ],
)
def test_statutory_terms_are_not_taken_for_names(detector: IdentifierDetector, question: str) -> None:
    assert detector.find(question) == []


@pytest.mark.parametrize(
    "text",
    ["The boy, DOB 12 January 2012, is at risk", "She was born on 3rd March 2011 and lives with her gran"],
)
def test_date_of_birth_with_a_month_name(detector: IdentifierDetector, text: str) -> None:
    assert any(kind in ("DATE_OF_BIRTH", "FULL_DATE") for kind, _ in _found(detector, text)), _found(detector, text)


def test_date_of_birth_with_a_lower_case_month_name_is_found(detector: IdentifierDetector) -> None:
    text = "date of birth: 12 january 2012"
    assert ("DATE_OF_BIRTH", text) in _found(detector, text)


def test_redact_replaces_identifiers_and_keeps_the_rest(detector: IdentifierDetector) -> None:
    text = (
        "my client Jane Smith (DOB 12/03/2011) lives at 14 Acacia Road, RM1 3BD; "
        "call 07911 123456 or jane.smith@example.org. NHS 943 476 5919. What should I do?"
    )
    redacted = detector.redact(text)
    for secret in ("Jane", "Smith", "12/03/2011", "Acacia", "RM1 3BD", "07911", "example.org", "943 476 5919"):
        assert secret not in redacted, (secret, redacted)
    for placeholder in (
        "[PERSON]",
        "[DATE_OF_BIRTH]",
        "[STREET_ADDRESS]",
        "[UK_POSTCODE]",
        "[PHONE_NUMBER]",
        "[EMAIL_ADDRESS]",
        "[UK_NHS]",
    ):
        assert placeholder in redacted, (placeholder, redacted)
    assert redacted.startswith("my client [PERSON] (")
    assert redacted.endswith("What should I do?")


def test_redact_leaves_clean_text_unchanged(detector: IdentifierDetector) -> None:
    for question in ORDINARY_QUESTIONS[:5]:
        assert detector.redact(question) == question


def test_find_on_empty_text(detector: IdentifierDetector) -> None:
    assert detector.find("") == []
    assert detector.find("   \n") == []


def test_describe_names_kinds_not_values() -> None:
    message = describe([Identifier("PERSON", 0, 4), Identifier("UK_NHS", 5, 10), Identifier("PERSON", 11, 15)])
    assert "a person's name" in message and "an NHS number" in message
    assert message.count("a person's name") == 1


@pytest.mark.slow
def test_assistant_warns_about_identifiers_without_repeating_them(seed_assistant) -> None:  # type: ignore[no-untyped-def]
    question = "My client Jane Smith, DOB 12/03/2011, is privately fostered. What counts as private fostering?"
    answer = seed_assistant.ask(question)
    assert answer.warnings, "a question with a name and a date of birth must carry a warning"
    joined = " ".join(answer.warnings)
    for secret in ("Jane", "Smith", "12/03/2011"):
        assert secret not in joined
    assert "name" in joined and "date of birth" in joined


@pytest.mark.slow
def test_assistant_gives_no_warning_for_a_clean_question(seed_assistant) -> None:  # type: ignore[no-untyped-def]
    answer = seed_assistant.ask("What counts as private fostering?")
    assert answer.warnings == ()
    assert not answer.abstained
    assert answer.citations


CLUB_CONTACTS = """# Elmbridge Cricket Club safeguarding

## Who to contact

Club Welfare Officer: Harriet Okonjo, 07700 900482, welfare@elmbridgecc.example.org

Deputy Club Welfare Officer: Gareth Pryce, deputywelfare@elmbridgecc.example.org
"""


@pytest.mark.slow
def test_a_full_name_the_documents_give_is_asked_about_not_a_detail_of_a_case(
    tmp_path: Path, embedder: Any, make_settings: Any
) -> None:
    assistant = ingested(one_document(tmp_path, "elmbridge-cricket-club.md", CLUB_CONTACTS), embedder, make_settings)
    # the club's own welfare officer: her name is what the question asks about, kept in the search, no warning
    answer = assistant.ask("What's the phone number for Harriet Okonjo?")
    assert not answer.abstained, answer.answer
    assert "07700 900482" in answer.answer and answer.warnings == (), answer.answer
    # the documents give the deputy an email only: refused, not answered with the welfare officer's number
    deputy = assistant.ask("What's the phone number for Gareth Pryce?")
    assert deputy.abstained, deputy.answer
    # a name the documents do not give, or a given name alone, stays a detail of the case
    for question in (
        "My player Tom Briggs told me he is scared at home. Who do I tell?",
        "A boy in my team says his mum Harriet hits him. Who do I tell?",
    ):
        assert assistant.ask(question).warnings, question
