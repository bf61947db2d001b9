"""The thresholds & timescales register: hand-checked against the seed report, verbatim quotes only.

Every row of ``EXPECTED`` was checked by hand against
``corpus/havering-lscb-annual-report-2014-15.txt``: the subject keyword, the kind, the
normalised value and unit, and the figure exactly as the report writes it. The register of
the seed must hold exactly these entries - no more (a new pattern that misfires shows up
here), no fewer.
"""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest

from assistant.rules import (
    CSV_FIELDS,
    KINDS,
    RegisterEntry,
    RegisterMatcher,
    build_register,
    find_rules,
    from_csv,
    from_json,
    load_register,
    match_question,
    save_register,
    saved_version,
    search_register,
    to_csv,
    to_json,
)
from assistant.text.cues import has_figure

# (subject keyword, kind, value, unit, the figure as the report writes it)
EXPECTED: list[tuple[str, str, str, str, str]] = [
    # timescales
    ("initial case conferences", "timescale", "15", "days", "fifteen day timeline"),
    ("assessments", "timescale", "45", "days", "completed within 45 days"),
    ("placed back on a cp plan", "timescale", "2", "years", "within two years"),
    ("lac health assessment", "timescale", "shortly after placement", "", "shortly after placement"),
    ("post course evaluations", "timescale", "4-6", "weeks", "4 – 6 weeks after attending training"),
    # thresholds
    ("private fostering arrangement", "threshold", "28", "days", "twenty-eight days or more"),
    ("lac who are placed outside", "threshold", "20", "miles", "more than 20 miles away"),
    ("referral to mash", "threshold", "medium to high risk", "risk level", "medium to high risk"),
    # eligibility
    ("private fostering arrangement", "eligibility", "16", "age", "under the age of sixteen"),
    ("private fostering arrangement", "eligibility", "18", "age", "eighteen if the child has a disability"),
    ("private fostering arrangement", "eligibility", "not the parent or ‘close relative’", "", "close relative"),
    ("independent advocacy service", "eligibility", "18", "age", "under the age of eighteen"),
    ("sudden and unexpected death in infancy", "eligibility", "2", "age", "children under 2 years"),
    ("intermediaries", "eligibility", "5", "age", "if a child is under 5 or has special needs"),
    ("children and young peoples survey", "eligibility", "10-17", "age", "aged 10 to 17"),
    # targets
    ("initial case conferences", "target", "100", "%", "target 100%"),
    ("review case conferences", "target", "50", "%", "target 50%"),
    ("lac who are placed outside", "target", "10", "%", "target was 10 per cent"),
    ("level 3 safeguarding", "target", "85", "%", "At least 85%"),
    ("staffing levels", "target", "50", "%", "increase staffing levels by 50%"),
    # frequencies
    ("annual report", "frequency", "annually", "frequency", "must publish an annual report"),
    ("lac health assessment", "frequency", "annually", "frequency", "then annually"),
    ("marac", "frequency", "monthly", "frequency", "meet monthly"),
    ("vawg strategic partnership", "frequency", "quarterly", "frequency", "on a quarterly basis"),
    ("serious group violence (sgv) panel", "frequency", "monthly", "frequency", "meets monthly"),
    ("action plan", "frequency", "annually", "frequency", "refreshed annually"),
    ("children and young peoples survey", "frequency", "annually", "frequency", "annual Children and Young"),
    ("lscb newsletter", "frequency", "termly", "frequency", "distributed termly"),
    ("performance dataset", "frequency", "twice a year", "frequency", "biannually"),
    ("safeguarding audit programme", "frequency", "annually", "frequency", "group annually"),
    ("early help assessment", "frequency", "quarterly", "frequency", "reported quarterly"),
    ("audit reports", "frequency", "quarterly", "frequency", "reported quarterly"),
    ("section 11 audit tool", "frequency", "biennially", "frequency", "compliance biennially"),
    ("agreed action plan", "frequency", "quarterly", "frequency", "group quarterly and by exception"),
    ("single agency audit activity", "frequency", "quarterly", "frequency", "at quarterly intervals"),
    ("training for all school staff", "frequency", "3", "years", "Required 3 year training"),
    ("cait", "frequency", "annually", "frequency", "on an annual basis"),
    ("strategic safeguarding group", "frequency", "quarterly", "frequency", "meets on a quarterly basis"),
    ("safeguarding report", "frequency", "annually", "frequency", "Trust Board of Directors annually"),
    ("safeguarding report", "frequency", "twice a year", "frequency", "on a bi-annual basis"),
    ("divisional performance meetings", "frequency", "monthly", "frequency", "monthly Divisional Performance"),
    ("fgm/cse meetings", "frequency", "quarterly", "frequency", "Quarterly FGM/CSE meetings"),
    # definitions
    ("private fostering arrangement", "definition", "", "", "is known to be a private fostering arrangement"),
    ("private foster carer", "definition", "", "", "known as the private foster carer"),
    ("multi agency safeguarding hub", "definition", "", "", "This is an essential multi agency team function"),
    ("case review working group", "definition", "", "", "The purpose of the HSCB Case Review Working Group is"),
    ("child risk assessment matrix", "definition", "", "", "This is the research conducted into every CAIT"),
    ("clinical commissioning groups", "definition", "", "", "are statutory NHS bodies"),
    ("cafcass (the children and family", "definition", "", "", "is a non-departmental public body"),
    ("role of cafcass", "definition", "", "", "The role of Cafcass within the family courts is"),
    # duties
    ("private fostering", "duty", "report the arrangement to Children Social Care", "", "statutory duty to report"),
]


def _documents(assistant):  # type: ignore[no-untyped-def]
    """(doc_id, cleaned text, chunks in order) of every indexed document, through the public API."""
    return [
        (r.doc_id, assistant.document_text(r.doc_id) or "", assistant.document_chunks(r.doc_id))
        for r in assistant.documents()
    ]


@pytest.fixture(scope="module")
def register(seed_assistant) -> list[RegisterEntry]:  # type: ignore[no-untyped-def]
    return seed_assistant.rules()


@pytest.mark.slow
def test_the_assistants_register_is_built_from_its_documents(register, seed_assistant) -> None:  # type: ignore[no-untyped-def]
    assert register
    assert build_register(_documents(seed_assistant)) == register
    assert seed_assistant.rules("fostering") == search_register(register, "fostering")


def _matches(entry: RegisterEntry, keyword: str, kind: str, value: str, unit: str) -> bool:
    return keyword in entry.subject.lower() and (entry.kind, entry.value, entry.unit) == (kind, value, unit)


@pytest.mark.slow
@pytest.mark.parametrize(("keyword", "kind", "value", "unit", "as_written"), EXPECTED, ids=lambda v: str(v)[:40])
def test_hand_checked_entry(register, seed_assistant, keyword, kind, value, unit, as_written) -> None:  # type: ignore[no-untyped-def]
    found = [e for e in register if _matches(e, keyword, kind, value, unit)]
    assert found, f"no {kind} entry for {keyword!r} = {value} {unit}"
    entry = next((e for e in found if as_written in e.citation.quote), None)
    assert entry is not None, f"{keyword!r}: the quote does not hold {as_written!r}: {found[0].citation.quote!r}"
    text = seed_assistant.document_text(entry.citation.doc_id)
    assert text[entry.citation.start : entry.citation.end] == entry.citation.quote == entry.rule


@pytest.mark.slow
def test_register_holds_exactly_the_hand_checked_entries(register) -> None:  # type: ignore[no-untyped-def]
    unexpected = [e.describe() + f" [{e.kind}]" for e in register if not any(_matches(e, *row[:4]) for row in EXPECTED)]
    assert not unexpected, f"entries not hand-checked: {unexpected}"
    assert len(register) == len(EXPECTED)


@pytest.mark.slow
def test_every_entry_has_a_verbatim_quote(register, seed_assistant) -> None:  # type: ignore[no-untyped-def]
    assert register
    for entry in register:
        c = entry.citation
        assert c.quote and entry.rule == c.quote
        assert seed_assistant.document_text(c.doc_id)[c.start : c.end] == c.quote
        assert entry.kind in KINDS
        assert entry.subject and entry.subject == entry.subject.strip()
        assert c.document == "havering-lscb-annual-report-2014-15.txt"
        assert c.section is not None and c.page_label


@pytest.mark.slow
def test_values_are_normalised(register) -> None:  # type: ignore[no-untyped-def]
    for entry in register:
        if entry.unit in ("days", "working days", "hours", "weeks", "months", "years", "%", "age", "miles"):
            assert re.fullmatch(r"\d+(?:\.\d+)?(?:-\d+(?:\.\d+)?)?", entry.value), entry
        if entry.unit == "frequency":
            assert entry.value in {"annually", "biennially", "twice a year", "quarterly", "monthly", "termly"}, entry
        if entry.kind == "definition":
            assert entry.value == "" and entry.unit == ""


@pytest.mark.slow
def test_search_finds_the_private_fostering_entries(register) -> None:  # type: ignore[no-untyped-def]
    found = search_register(register, "fostering")
    assert len(found) == 7
    assert all("foster" in (e.subject + e.rule).lower() for e in found)
    assert {e.kind for e in found} == {"definition", "threshold", "eligibility", "duty"}
    assert found[0].subject.lower().startswith("private fostering")
    # an abbreviation finds its spelled-out form and the reverse
    assert any(e.value == "15" for e in search_register(register, "ICPC"))
    assert any(e.value == "15" for e in search_register(register, "initial child protection conference"))
    assert [e.subject for e in search_register(register, "MARAC")] == ["MARAC"]
    assert search_register(register, "") == register
    assert search_register(register, "zebra crossings") == []


@pytest.mark.slow
@pytest.mark.parametrize(
    ("question", "subject", "value", "unit"),
    [
        ("Within how many days must an ICPC be held?", "initial case conferences", "15", "days"),
        ("How long does an initial child protection conference have to be held within?", "initial case", "15", "days"),
        ("Within how many days should assessments be completed?", "assessments", "45", "days"),
        ("How often are LAC health assessments done?", "lac health assessment", "annually", "frequency"),
        ("How often does the MARAC meet?", "marac", "monthly", "frequency"),
        ("How long must a private fostering arrangement last?", "private fostering", "28", "days"),
        ("What age counts as private fostering?", "private fostering", "16", "age"),
        ("What is the CAIT target for review case conferences?", "review case conferences", "50", "%"),
    ],
)
def test_match_question(register, question, subject, value, unit) -> None:  # type: ignore[no-untyped-def]
    entry = match_question(register, question)
    assert entry is not None, question
    assert subject in entry.subject.lower() and (entry.value, entry.unit) == (value, unit)


@pytest.mark.slow
@pytest.mark.parametrize(
    "question",
    ["How many LADO cases were there in 2014/15?", "What is the weather like?", "Who chairs the board?", ""],
)
def test_match_question_leaves_other_questions_to_the_chat(register, question) -> None:  # type: ignore[no-untyped-def]
    assert match_question(register, question) is None


@pytest.mark.slow
def test_json_round_trip(register) -> None:  # type: ignore[no-untyped-def]
    text = to_json(register)
    data = json.loads(text)
    assert isinstance(data, list) and len(data) == len(register)
    first = data[0]
    assert {"subject", "rule", "value", "unit", "condition", "kind", "citation"} <= set(first)
    assert {"document", "title", "section", "page", "page_label", "quote"} <= set(first["citation"])
    assert from_json(text) == register


@pytest.mark.slow
def test_csv_round_trip(register) -> None:  # type: ignore[no-untyped-def]
    text = to_csv(register)
    rows = list(csv.DictReader(io.StringIO(text)))
    assert tuple(rows[0]) == CSV_FIELDS and len(rows) == len(register)
    assert any("’" in row["quote"] for row in rows)  # typography survives
    assert from_csv(text) == register


@pytest.mark.slow
def test_save_and_load(register, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "data" / "register.json"
    save_register(register, path, corpus_version=7)
    assert load_register(path) == register
    assert saved_version(path) == 7
    assert not path.with_suffix(".json.tmp").exists()


# -- the patterns on other authorities' wording (no index needed) -----------------------------


@pytest.mark.parametrize(
    ("sentence", "kind", "value", "unit"),
    [
        ("Strategy discussions must take place within 24 hours of the referral.", "timescale", "24", "hours"),
        (
            "An ICPC should be held within 15 working days of the strategy discussion.",
            "timescale",
            "15",
            "working days",
        ),
        ("The assessment must be completed within forty-five working days.", "timescale", "45", "working days"),
        (
            "Review conferences are held no later than three months after the initial conference.",
            "timescale",
            "3",
            "months",
        ),
        (
            "A child under the age of 18 who is cared for by a relative is not privately fostered.",
            "eligibility",
            "18",
            "age",
        ),
        ("The panel meets quarterly.", "frequency", "quarterly", "frequency"),
        ("Core groups meet every 6 weeks.", "frequency", "6", "weeks"),
        ("The board receives the report twice a year.", "frequency", "twice a year", "frequency"),
        ("Our target is 95% of visits on time.", "target", "95", "%"),
        (
            "Absence for 20 school days or more must be reported to the local authority.",
            "threshold",
            "20",
            "school days",
        ),
        ("Neglect is defined as the persistent failure to meet a child's basic needs.", "definition", "", ""),
        # a step that opens with its time limit is an instruction, with or without its list number
        ("Within 48 hours of the call, securely send copies of the file to the board.", "timescale", "48", "hours"),
        ("2. Within two days, tell the LADO.", "timescale", "2", "days"),
        # an instruction, numbered or not, with its time in words
        ("1. Refer it immediately to:", "timescale", "immediately", ""),
        ("Call the police immediately.", "timescale", "immediately", ""),
        # a least number required, in a rule or a list item saying what is done
        ("Collecting and checking at least two references.", "threshold", "2", ""),
        ("Each panel must include at least three members from different agencies.", "threshold", "3", ""),
    ],
)
def test_patterns_are_generic(sentence: str, kind: str, value: str, unit: str) -> None:
    found = {(r.kind, r.value, r.unit) for r in find_rules(sentence)}
    assert (kind, value, unit) in found, found


@pytest.mark.parametrize(
    "sentence",
    [
        "There were 40 children under 5 subject to a plan at the end of March.",
        "19 per cent of cases ended within 3 months.",
        "This is my second annual report as Chair.",
        "The HSCB will need to determine whether an annual audit should be completed.",
        "HSCB has produced termly newsletters, which have been distributed widely.",
        "Parents said that within 3 days they were seen.",
        "At least 40 children were seen in the year.",
        "Being seen at least 3 times.",
        "Support was provided immediately.",
        "We immediately reviewed the case.",
    ],
)
def test_statistics_and_proposals_are_not_rules(sentence: str) -> None:
    assert find_rules(sentence) == []


def test_has_figure() -> None:
    assert has_figure("There were 55 recorded crimes.")
    assert has_figure("The victims are predominantly female 96 per cent of recorded CSE")
    assert not has_figure("There was no one person responsible for the post.")
    assert not has_figure("Initial conferences must be held within 15 days in 2014/15.")


ANYTOWN = """# Anytown Safeguarding Partnership: thresholds guide

## Strategy discussions

A strategy discussion must be held within 24 hours of a referral where there is reasonable cause to suspect
significant harm.

## Initial child protection conferences

The initial child protection conference should take place within fifteen working days of the strategy discussion.

## Private fostering

Private fostering is defined as an arrangement where a child under 16 is cared for by someone who is not a close
relative for 28 days or more.

## Core groups

Core groups meet every six weeks and the plan is reviewed quarterly.
"""


@pytest.mark.slow
def test_another_authoritys_guide(tmp_path: Path, make_settings, embedder) -> None:  # type: ignore[no-untyped-def]
    from assistant.engine import Assistant
    from assistant.products.briefing import build_briefing
    from assistant.rules import register_path

    corpus = tmp_path / "anytown"
    corpus.mkdir()
    (corpus / "anytown-thresholds.md").write_text(ANYTOWN, encoding="utf-8")
    settings = make_settings(corpus)
    assistant = Assistant(settings, embedder=embedder)
    assert assistant.ingest().exit_code == 0
    entries = assistant.rules()
    path = register_path(settings.data_dir)
    assert path.is_file() and saved_version(path) == assistant.corpus_version
    assert build_register(_documents(assistant)) == entries
    found = {(e.subject.lower(), e.kind, e.value, e.unit) for e in entries}
    assert ("strategy discussion", "timescale", "24", "hours") in found
    assert ("initial child protection conference", "timescale", "15", "working days") in found
    assert ("private fostering", "definition", "", "") in found
    assert ("private fostering", "threshold", "28", "days") in found
    assert ("core groups", "frequency", "6", "weeks") in found
    assert ("plan", "frequency", "quarterly", "frequency") in found  # the second clause has its own subject
    text = assistant.document_text(entries[0].citation.doc_id)
    assert all(text[e.citation.start : e.citation.end] == e.rule for e in entries)
    entry = match_question(entries, "Within how many days must an ICPC be held?")
    assert entry is not None and (entry.value, entry.unit) == ("15", "working days")
    briefing = build_briefing(assistant, "private fostering")
    assert "Private fostering is defined as" in briefing.section("what").items[0].text
    assert briefing.citations and all(text[c.start : c.end] == c.quote for c in briefing.citations)
    saved = path.stat().st_mtime_ns
    assistant.close()
    restarted = Assistant(settings, embedder=embedder)
    assert restarted.rules() == entries  # loaded from the data folder this time
    assert path.stat().st_mtime_ns == saved  # not rebuilt
    restarted.close()


BROOKFIELD = """# Brookfield child protection procedures

## Strategy discussions

A strategy discussion is held whenever there is reasonable cause to suspect that a child is suffering significant harm. It must take place within two working days of the referral. Where the child may need immediate protection, it must take place on the same day.

## Conferences

If the enquiry finds that the child is likely to suffer significant harm, an initial child protection conference is held within 15 working days of the strategy discussion.

Where a child is assessed as a child in need, a child in need plan is agreed with the family and reviewed at least every three months.

## Allegations

The employer's senior manager, or the DSL where they are not the subject of the allegation, must report the allegation to the LADO within one working day of it becoming known.

## The core group

8.3 The core group is the lead social worker, the parents and the practitioners who work with the child. It turns the outline plan into a detailed plan, and then meets at least monthly to check progress. Its first meeting must be held within ten working days of the conference.

9.1 The first review child protection conference is held within three months of the initial conference.

9.4 Every agency invited must send a written report to the chair at least three working days before the conference.
"""


@pytest.mark.slow
def test_a_rule_is_listed_under_what_it_is_about(tmp_path: Path, make_settings, embedder) -> None:  # type: ignore[no-untyped-def]
    """The subject of the main clause, not of an opening condition ("If the enquiry finds that the
    child ..., an initial child protection conference is held"); "it" goes on about the subject of
    the sentence before; "in need" is not a verb; "where they are not ..." only says which DSL."""
    from assistant.engine import Assistant

    corpus = tmp_path / "brookfield"
    corpus.mkdir()
    (corpus / "brookfield-procedures.md").write_text(BROOKFIELD, encoding="utf-8")
    assistant = Assistant(make_settings(corpus), embedder=embedder)
    assert assistant.ingest().exit_code == 0
    entries = assistant.rules()
    found = {(e.subject.lower(), e.value, e.unit) for e in entries if e.kind in ("timescale", "frequency")}
    assert found >= {
        ("strategy discussion", "2", "working days"),
        ("strategy discussion", "on the same day", ""),
        ("initial child protection conference", "15", "working days"),
        ("employer's senior manager, or the dsl", "1", "working days"),
        # "It ... meets at least monthly", "Its first meeting": the core group's, two sentences on
        ("core group", "monthly", "frequency"),
        ("core group's first meeting", "10", "working days"),
        # a numbered paragraph's number is not part of its subject; an agency sends the report
        ("first review child protection conference", "3", "months"),
        ("written report", "3", "working days"),
    }, found
    subjects = {e.subject.lower() for e in entries}
    assert "child in need plan" in subjects, subjects
    assert not any(s.startswith(("if ", "where ", "suffer")) for s in subjects), subjects
    # asked how soon, the rule comes with its exception (the widest quote of the same subject)
    matcher = RegisterMatcher(entries)
    entry = matcher.match("How soon must a strategy discussion happen?")
    assert entry is not None and entry.value == "2" and "on the same day" not in entry.rule, entry
    assert "on the same day" in matcher.widest(entry).rule
    answer = assistant.ask("How soon must a strategy discussion happen?")
    assert "two working days" in answer.answer and "same day" in answer.answer, answer.answer


def test_a_register_saved_by_other_code_is_built_again(register, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "register.json"
    save_register(register, path, corpus_version=3)
    assert saved_version(path) == 3
    data = json.loads(path.read_text(encoding="utf-8"))
    data["code"] = "0123456789abcdef"  # written before an upgrade of the rules, text or vocabulary
    path.write_text(json.dumps(data), encoding="utf-8")
    assert saved_version(path) is None
    del data["code"]  # written before registers were stamped at all
    path.write_text(json.dumps(data), encoding="utf-8")
    assert saved_version(path) is None


@pytest.mark.parametrize(
    ("sentence", "subject"),
    [
        # a step: what it does, not the heading it sits under
        (
            "Within 48 hours of the call, securely send complete copies of the child's file to the board.",
            "Copies of the child's file",
        ),
        ("Within one working day, the LADO must tell the employer.", "LADO"),
        # a list item with no verb: who it names
        ("All players under the age of 18", "Players"),
        # a least number: what is counted
        ("Collecting and checking at least two references.", "References"),
    ],
)
def test_the_subject_of_a_step_or_a_list_item(sentence: str, subject: str) -> None:
    from assistant.models import Chunk
    from assistant.rules.subjects import subject_of

    chunk = Chunk(chunk_id="c", doc_id="d", ordinal=0, text=sentence, start=0, end=len(sentence), section=("Scope",))
    rule = find_rules(sentence)[0]
    assert subject_of(sentence, rule, [], chunk, False)[0] == subject


def test_one_sentence_giving_a_limit_for_each_of_two_things_gives_two_rules() -> None:
    from assistant.models import Chunk
    from assistant.rules.subjects import subject_of

    sentence = (
        "The maximum period between staff receiving refresher training is six months for the online "
        "safeguarding courses and three years for the Level 2."
    )
    chunk = Chunk(chunk_id="c", doc_id="d", ordinal=0, text=sentence, start=0, end=len(sentence), section=("Training",))
    rules = find_rules(sentence)
    assert [(r.value, r.unit, r.comparator) for r in rules] == [("6", "months", "at most"), ("3", "years", "at most")]
    assert [subject_of(sentence, r, [], chunk, False)[0] for r in rules] == ["Online safeguarding courses", "Level 2"]
    # without a maximum or minimum period it is no rule: "suspended for six months for the offence"
    assert find_rules("He was suspended for six months for the offence.") == []


def _entry(
    subject: str,
    quote: str,
    value: str,
    unit: str,
    *,
    kind: str = "frequency",
    comparator: str = "every",
    section: str = "Training",
) -> RegisterEntry:
    from assistant.models import Citation

    citation = Citation(1, "policy.md", "Policy", section, None, None, quote)
    return RegisterEntry(subject, quote, value, unit, "", kind, citation, comparator)


def test_a_question_numbering_a_level_is_not_answered_by_another_levels_rule() -> None:
    level_2 = _entry(
        "Level 2 safeguarding training", "Level 2 safeguarding training is refreshed every 3 years.", "3", "years"
    )
    online = _entry(
        "Online safeguarding courses",
        "Online safeguarding courses are refreshed every 6 months; Level 2 training every three years.",
        "6",
        "months",
    )
    assert match_question([level_2], "How often is Level 2 safeguarding training refreshed?") is level_2
    assert match_question([level_2, online], "How often is Level 3 safeguarding training refreshed?") is None


def test_a_rule_timing_another_event_under_the_asked_things_heading_is_not_its_answer() -> None:

    quote = (
        "When a child moves into the area while subject to a plan elsewhere, a transfer-in conference is held "
        "within 15 working days of the move."
    )
    transfer = _entry(
        "Transfer-in conference",
        quote,
        "15",
        "working days",
        kind="timescale",
        comparator="within",
        section="Ending a child protection plan",
    )
    # the heading names the plan; the rule times the transfer-in conference
    asked = "Within how many working days is the child protection plan sent out after the conference?"
    assert match_question([transfer], asked) is None
    assert match_question([transfer], "Within how many working days must a transfer-in conference be held?") is transfer


def test_a_rule_for_telling_someone_else_does_not_answer_who_else_is_told() -> None:
    quote = "All safeguarding concerns should be reported immediately to the Club Welfare Officer."
    club = _entry(
        "Safeguarding concerns", quote, "immediately", "", kind="timescale", comparator="", section="Reporting concerns"
    )
    asked = "How quickly do safeguarding concerns have to be reported to the county FA?"
    assert match_question([club], asked) is None
    assert match_question([club], "How quickly must safeguarding concerns be reported to the welfare officer?") is club


def test_a_minimum_rule_does_not_answer_the_longest_time_asked_for() -> None:
    quote = "The child should continue to receive support under a child in need plan for at least three months."
    plan = _entry(
        "Child in need plan", quote, "3", "months", kind="timescale", comparator="at least", section="After a plan"
    )
    assert match_question([plan], "What's the longest support under a child in need plan can continue?") is None
    assert match_question([plan], "What is the minimum period of support under a child in need plan?") is plan


def test_a_child_protection_rule_does_not_time_a_child_in_need_meeting() -> None:
    quote = "The first review child protection conference is held within three months of the initial conference."
    review = _entry(
        "First review conference",
        quote,
        "3",
        "months",
        kind="timescale",
        comparator="within",
        section="Review conferences",
    )
    assert match_question([review], "When must the first child in need review conference be held?") is None
    assert match_question([review], "When is the first review conference held?") is review


def test_a_rule_for_sending_a_file_does_not_answer_how_long_it_is_kept_or_how_soon_to_call() -> None:
    quote = "Within 48 hours of the call, securely send copies of the child protection file to the board."
    send = _entry(
        "Child protection file", quote, "48", "hours", kind="timescale", comparator="within", section="Records"
    )
    assert match_question([send], "How long must the child protection file be kept?") is None
    assert (
        match_question([send], "How quickly must the officer phone the board about the child protection file?") is None
    )
    assert match_question([send], "How many days' notice is given before the child protection file is sent?") is None
    assert match_question([send], "How quickly must copies of the child protection file be sent?") is send
