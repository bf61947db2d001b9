"""Identifiers the first detector missed, and the false positives the new patterns must not bring.

Found by a security probe: bare full names ("Jane Smith"), a role word before a name without a
determiner ("pupil Aisha Khan"), ISO and spelled-out dates of birth, and street addresses not in
title case were stored unredacted in feedback comments. The false-positive checks run the detector
over the documents' own text and over every question in the evaluation set. Not slow: the detector
loads in about a second.
"""

from __future__ import annotations

import json
import os
import re
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant.services.privacy import _CUSTOM_PATTERNS, Identifier, IdentifierDetector
from assistant.text.sentences import sentence_spans

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "corpus" / "havering-lscb-annual-report-2014-15.txt"
# As in conftest.py: the shared material sits next to the project unless ASSISTANT_SHARED_DIR says otherwise.
SHARED = Path(os.environ.get("ASSISTANT_SHARED_DIR") or ROOT.parent / "shared")
DEV_TEXTS = SHARED / "corpus-dev" / "text"
EVAL_SET = ROOT / "eval" / "dataset.jsonl"


@pytest.fixture(scope="module")
def detector() -> IdentifierDetector:
    found = IdentifierDetector()
    found.warm_up()
    return found


def _found(detector: IdentifierDetector, text: str) -> list[tuple[str, str]]:
    return [(i.kind, text[i.start : i.end]) for i in detector.find(text)]


# -- the forms the probe found missing -------------------------------------------------------

MISSED_FORMS = [
    # bare full names: a listed given name and a surname-shaped word
    ("Jane Smith", "PERSON", "Jane Smith"),
    ("pupil Aisha Khan in Year 5", "PERSON", "Aisha Khan"),
    ("I'm worried about Tom Brown", "PERSON", "Tom Brown"),
    ("Siobhan O'Connor was not at school today", "PERSON", "Siobhan O'Connor"),
    ("the boy's uncle is Kieran McDonald", "PERSON", "Kieran McDonald"),
    ("I spoke to Amira Hussain-Begum on Tuesday", "PERSON", "Amira Hussain-Begum"),
    ("the referral for Paweł Nowak was closed", "PERSON", "Paweł Nowak"),
    ("Chidinma Okafor has missed three sessions", "PERSON", "Chidinma Okafor"),
    ("the school rang about Jane Elizabeth Smith", "PERSON", "Jane Elizabeth Smith"),
    ("is Jo Bloggs still the social worker?", "PERSON", "Jo Bloggs"),
    ("Ali Hassan's mother called", "PERSON", "Ali Hassan"),
    # given names that are also words still lead a name; surnames that are also words still end one
    ("the school nurse saw Summer Jones today", "PERSON", "Summer Jones"),
    ("Faith Adams was not collected", "PERSON", "Faith Adams"),
    ("I'm worried about Will Smith", "PERSON", "Will Smith"),
    ("Jan Kowalski missed his appointment", "PERSON", "Jan Kowalski"),
    ("her teacher, Megan Welsh, raised it", "PERSON", "Megan Welsh"),
    ("Harriet Day has a new social worker", "PERSON", "Harriet Day"),
    # a role word and a name without a determiner
    ("child Tom has bruises on his arms", "PERSON", "Tom"),
    ("mum Sarah is drinking heavily", "PERSON", "Sarah"),
    ("foster carer Jane Doe says he is settled", "PERSON", "Jane Doe"),
    ("I met with pupil Aisha this morning", "PERSON", "Aisha"),
    ("the GP saw dad, Kwame, on Monday", "PERSON", "Kwame"),
    # ISO dates of birth
    ("DOB 2012-04-03", "DATE_OF_BIRTH", "DOB 2012-04-03"),
    ("date of birth: 2012-04-03", "DATE_OF_BIRTH", "date of birth: 2012-04-03"),
    ("born 2012-04-03", "DATE_OF_BIRTH", "born 2012-04-03"),
    ("d.o.b. 2012-04-03, lives with nan", "DATE_OF_BIRTH", "d.o.b. 2012-04-03"),
    # spelled-out dates of birth
    ("born on the 3rd of April 2012", "DATE_OF_BIRTH", "born on the 3rd of April 2012"),
    ("born 3 April 2012", "DATE_OF_BIRTH", "born 3 April 2012"),
    ("DOB: April 3rd, 2012", "DATE_OF_BIRTH", "DOB: April 3rd, 2012"),
    ("his birthday is 3 april 2012", "DATE_OF_BIRTH", "birthday is 3 april 2012"),
    ("Date of Birth: the 21st of September, 2011", "DATE_OF_BIRTH", "Date of Birth: the 21st of September, 2011"),
    # street addresses in any case
    ("12 high street", "STREET_ADDRESS", "12 high street"),
    ("12 HIGH STREET", "STREET_ADDRESS", "12 HIGH STREET"),
    ("flat 3, 45 oak road", "STREET_ADDRESS", "flat 3, 45 oak road"),
    ("12a church lane", "STREET_ADDRESS", "12a church lane"),
    ("they moved to 7 st john's road last week", "STREET_ADDRESS", "7 st john's road"),
    ("she lives at 22 acacia avenue with her gran", "STREET_ADDRESS", "22 acacia avenue"),
    ("Flat 2B, 9 Kings Court, Romford", "STREET_ADDRESS", "Flat 2B, 9 Kings Court"),
]


@pytest.mark.parametrize(("text", "kind", "value"), MISSED_FORMS)
def test_missed_form_is_found(detector: IdentifierDetector, text: str, kind: str, value: str) -> None:
    found = _found(detector, text)
    assert (kind, value) in found, found


REDACTIONS = [
    ("Jane Smith was upset by the answer.", "[PERSON] was upset by the answer."),
    ("The answer missed pupil Aisha Khan in Year 5 entirely.", "The answer missed pupil [PERSON] in Year 5 entirely."),
    ("I'm worried about Tom Brown, who is 9.", "I'm worried about [PERSON], who is 9."),
    ("mum Sarah said the advice was wrong", "mum [PERSON] said the advice was wrong"),
    ("foster carer Jane Doe disagrees", "foster carer [PERSON] disagrees"),
    ("She has DOB 2012-04-03 so is 12.", "She has [DATE_OF_BIRTH] so is 12."),
    ("date of birth: 2012-04-03 - please check", "[DATE_OF_BIRTH] - please check"),
    ("He was born on the 3rd of April 2012 in Romford.", "He was [DATE_OF_BIRTH] in Romford."),
    ("She was born 3 April 2012, I think.", "She was [DATE_OF_BIRTH], I think."),
    ("DOB: April 3rd, 2012. Is that relevant?", "[DATE_OF_BIRTH]. Is that relevant?"),
    ("The family live at 12 high street now.", "The family live at [STREET_ADDRESS] now."),
    ("Address: 12 HIGH STREET, Romford", "Address: [STREET_ADDRESS], Romford"),
    ("They are at flat 3, 45 oak road since May.", "They are at [STREET_ADDRESS] since May."),
    ("moved to 12a church lane with her aunt", "moved to [STREET_ADDRESS] with her aunt"),
]


@pytest.mark.parametrize(("text", "expected"), REDACTIONS)
def test_redact_removes_the_identifier_and_keeps_the_words_around_it(
    detector: IdentifierDetector, text: str, expected: str
) -> None:
    assert detector.redact(text) == expected


def test_feedback_comment_with_the_missed_forms_is_stored_redacted(
    tmp_path: Path, detector: IdentifierDetector
) -> None:
    from assistant.services.feedback import FeedbackStore

    store = FeedbackStore(tmp_path / "feedback.sqlite3", retention_days=30, redactor=detector)
    comment = (
        "I'm worried about Tom Brown (born 3 April 2012, DOB 2012-04-03) and pupil Aisha Khan "
        "of flat 3, 45 oak road - the answer ignored them."
    )
    store.record(rating="down", question="What is private fostering?", answer="It is... [1]", comment=comment)
    [row] = store.rows()
    for secret in ("Tom", "Brown", "April 2012", "2012-04-03", "Aisha", "Khan", "45 oak road"):
        assert secret not in row["comment"], (secret, row["comment"])
    assert row["comment"].startswith("I'm worried about [PERSON] (")
    assert row["comment"].endswith("- the answer ignored them.")


def test_bare_iso_date_is_a_full_date(detector: IdentifierDetector) -> None:
    assert ("FULL_DATE", "2012-04-03") in _found(detector, "seen on 2012-04-03 at the clinic")


# -- what must not be flagged ----------------------------------------------------------------

SAFE_SENTENCES = [
    "When must an initial child protection conference be held?",
    "What does the Designated Safeguarding Lead do?",
    "Who chairs the Local Safeguarding Children Board?",
    "What happened in 2014-15?",
    "How many children were on a plan on 31 March 2015?",
    "The report was published on 3 April 2015.",
    "What is the role of the Club Welfare Officer?",
    "Does Working Together 2018 apply?",
    "What does Keeping Children Safe in Education say?",
    "Is the MASH open on Christmas Day?",
    "What is Operation Encompass?",
    "What did the 2014-15 report say about CSE?",
    "The board published its plan on 3 April 2015.",
    "The plan was agreed in June Havering wide.",
    "Will Children's Social Care be told?",
    "Will Havering Council pay for it?",
    "Can I share information about a parent under Clare's Law?",
    "What does Sarah's Law allow?",
    "Who is the Named Nurse for the Trust?",
    "What does the Local Authority Designated Officer do?",
    "Is a child Looked After when placed by the council?",
    "How does the Parent Partnership Service help?",
    "What are the 5 key areas of the plan?",
    "Training covers 3 days of the week.",
    "There are 14 social care teams in the borough.",
    "The conference must be held within 15 working days.",
    "Information sharing is a 2 way street.",
    "3 meetings took place in the autumn.",
    "The clinic is a 10 minute walk from the school.",
    "There was a 12 per cent rise in referrals.",
    "2 children were found in the park.",
    "Staff at 5 high street shops were trained.",
    "In 2014 there were 3 family court hearings.",
    "The children had been in 4 placements over 2 years.",
    "Is there a Grace Period for DBS checks?",
    "Does Christian Aid run safeguarding training?",
    "What is the Lucy Faithfull Foundation?",
    "What is the Jack Petchey Award?",
    "Will Police attend a strategy meeting?",
    "Since June Barking has had a MASH.",
    "What are Faith Groups expected to do?",
    "Is Summer Term training compulsory?",
    "Mark the form as urgent.",
    "Under section 31 the court may make a care order.",
    "3 cases went to court.",
    "The local safeguarding board is called Southend Safeguarding Partnership.",
]


@pytest.mark.parametrize("text", SAFE_SENTENCES)
def test_safe_sentence_is_not_flagged(detector: IdentifierDetector, text: str) -> None:
    assert _found(detector, text) == []


@pytest.mark.parametrize(
    "text", ["What did the 2014-15 report say?", "published 3 April 2015", "The review was held on 2015-04-03."]
)
def test_dates_without_a_birth_context_are_not_dates_of_birth(detector: IdentifierDetector, text: str) -> None:
    assert not any(kind == "DATE_OF_BIRTH" for kind, _ in _found(detector, text)), _found(detector, text)


# Role titles, agency names and the words that join them: a PERSON span made only of these
# is a false positive ("Designated Safeguarding Lead", "Club Welfare Officer").
ROLE_AND_AGENCY_WORDS = frozenset(
    """
    designated safeguarding lead leads officer officers local authority authorities children child childrens
    social care services service named nurse nurses doctor doctors midwife welfare club clubs football association
    board boards partnership partnerships police council councils trust trusts team teams manager managers chair
    chairs director directors independent reviewing health education early help the a an of and for in on to at
    by with deputy chief head assistant senior executive member members staff setting settings officer's
    county city borough district community communities family families youth young people person adult adults
    protection panel group groups unit units hub agency agencies commissioner commissioning clinical public
    support worker workers work working practitioner practitioners secretary committee management governing body
    nursery school schools academy college hospital foundation university ambulance service emergency mental
    multi sexual exploitation abuse domestic violence risk assessment review reviews conference conferences plan
    plans policy policies procedure procedures framework guidance act court courts centre rugby juniors fa
    rfc union league sport sports coach coaches volunteer volunteers parent parents carer carers leader leaders
    safety safer wellbeing housing probation prevent channel mash lado lscb hscb cdop marac nhs ccg dbs ofsted
    contact contacts report reports referral referrals information sharing record records
    """.split()
)


def _role_words_only(span: str) -> bool:
    words = [w.strip(".,;:()'’").lower().removesuffix("'s").removesuffix("’s") for w in span.split()]
    return all(w in ROLE_AND_AGENCY_WORDS for w in words if w)


def _sentences(text: str) -> Iterator[str]:
    for line in text.splitlines():
        for start, end in sentence_spans(line):
            yield line[start:end]


def _person_spans(detector: IdentifierDetector, text: str) -> list[str]:
    spans: list[str] = []
    for sentence in _sentences(text):
        spans.extend(value for kind, value in _found(detector, sentence) if kind == "PERSON")
    return spans


def _documents() -> list[Path]:
    documents = [SEED]
    if DEV_TEXTS.is_dir():
        documents.extend(sorted(DEV_TEXTS.glob("*.txt")))
    return documents


@pytest.mark.parametrize("document", _documents(), ids=lambda path: path.name)
def test_role_titles_and_agency_names_in_the_documents_are_not_flagged(
    detector: IdentifierDetector, document: Path
) -> None:
    if not document.is_file():
        pytest.skip(f"{document} is not present on this machine")
    spans = _person_spans(detector, document.read_text(encoding="utf-8"))
    role_titles = [span for span in spans if _role_words_only(span)]
    assert role_titles == [], role_titles


def test_the_dev_corpus_is_checked_when_present() -> None:
    if not DEV_TEXTS.is_dir():
        pytest.skip(f"{DEV_TEXTS} is not present on this machine")
    assert len(list(DEV_TEXTS.glob("*.txt"))) >= 5


def test_named_people_in_the_dev_corpus_are_found(detector: IdentifierDetector) -> None:
    """The documents name real people; the detector should see them (the false-positive test's other side)."""
    if not DEV_TEXTS.is_dir():
        pytest.skip(f"{DEV_TEXTS} is not present on this machine")
    spans = set()
    for document in DEV_TEXTS.glob("*.txt"):
        spans.update(_person_spans(detector, document.read_text(encoding="utf-8")))
    expected = {"Siobhan Brine", "Gaynor Sloan", "Allison Francis", "Sarah Connor", "Rebecca Chapman", "Toby Batch"}
    assert expected <= spans, expected - spans


def _evaluation_questions() -> list[str]:
    questions: list[str] = []
    for line in EVAL_SET.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        row = json.loads(line)
        questions.append(row["question"])
        questions.extend(turn["question"] for turn in row.get("history") or [])
    return questions


def test_no_evaluation_question_has_an_identifier(detector: IdentifierDetector) -> None:
    questions = _evaluation_questions()
    assert len(questions) >= 170
    flagged = {question: _found(detector, question) for question in questions}
    assert {q: f for q, f in flagged.items() if f} == {}


# -- no catastrophic backtracking ------------------------------------------------------------

ADVERSARIAL = [
    "Jane " * 400 + "!",
    "12 " * 700,
    "a" * 2000,
    "A" + "a" * 1999,
    "born " * 400,
    "12 high " * 250,
    "flat 3, " * 250,
    "child " * 333 + "Amy",
    "the 3rd of " * 180,
    " " * 2000 + "x",
    "Jane-" * 400,
    "O'" * 1000,
    "1" * 2000,
    "DOB " + " " * 2000 + "x",
    "mum" + " " * 2000 + "x",
    "flat 3" + " " * 2000 + "x",
]


def test_patterns_do_not_backtrack_catastrophically() -> None:
    import regex  # presidio's regex engine

    for entity, pattern, _score in _CUSTOM_PATTERNS:
        compiled = regex.compile(pattern, flags=regex.DOTALL | regex.MULTILINE)
        for text in ADVERSARIAL:
            started = time.perf_counter()
            list(compiled.finditer(text))
            took = time.perf_counter() - started
            assert took < 0.1, (entity, pattern[:60], text[:20], took)


def test_find_stays_fast_on_adversarial_text(detector: IdentifierDetector) -> None:
    for text in ADVERSARIAL:
        started = time.perf_counter()
        found = detector.find(text)
        took = time.perf_counter() - started
        assert took < 1.0, (text[:20], took)
        assert all(isinstance(i, Identifier) for i in found)


def test_given_names_are_data_in_the_package() -> None:
    from importlib import resources

    text = resources.files("assistant").joinpath("vocabulary/given_names.txt").read_text(encoding="utf-8")
    names = [line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")]
    assert len(names) >= 2000
    assert {"Tom", "Jo", "Ali", "Aisha", "Siobhan", "Chidinma", "Paweł", "Mohammed", "Wei"} <= set(names)
    assert all(re.fullmatch(r"[^\W\d_][\w'’\-]*", name) for name in names), "one plain name per line"
