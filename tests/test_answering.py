"""The grounded, extractive answerer over the seed report: citations, abstention,
follow-ups, number words and the safety notice, through the same API every surface uses."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from webapp import ANSWER_KEYS  # type: ignore[import-not-found]

from assistant.engine import NOTICE
from assistant.errors import AnswerError
from assistant.models import Turn
from assistant.products.evaluation import load_dataset
from assistant.text.normalise import contains_fact

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parents[1]


def _texts(assistant) -> dict[str, str]:  # type: ignore[no-untyped-def]
    return {r.doc_id: assistant.document_text(r.doc_id) for r in assistant.documents()}


def test_every_citation_is_verbatim_over_many_questions(seed_assistant) -> None:  # type: ignore[no-untyped-def]
    texts = _texts(seed_assistant)
    items = load_dataset(ROOT / "eval" / "dataset.jsonl")
    extra = [
        "What is the MASH?",
        "Tell me about neglect",
        "What did the board challenge partners to do about private fostering?",
        "What training did the board deliver?",
        "How are looked after children placed out of borough?",
    ]
    checked = 0
    for question, history in [(i.question, i.history) for i in items] + [(q, ()) for q in extra]:
        answer = seed_assistant.ask(question, history)
        for citation in [*answer.citations, *answer.related]:
            text = texts[citation.doc_id]
            assert citation.quote and citation.quote in text, (question, citation.quote)
            assert text[citation.start : citation.end] == citation.quote
            checked += 1
        for marker in range(1, len(answer.citations) + 1):
            assert f"[{marker}]" in answer.answer
    assert checked > 150


def test_icpc_timescale_is_answered_with_its_passage(seed_assistant) -> None:  # type: ignore[no-untyped-def]
    answer = seed_assistant.ask("When must an initial child protection conference be held?")
    assert not answer.abstained
    assert contains_fact(answer.answer, "15 days")
    assert "[1]" in answer.answer
    first = answer.citations[0]
    assert first.document == "havering-lscb-annual-report-2014-15.txt"
    assert "fifteen day" in first.quote
    assert first.section and first.page_label


def test_private_fostering_definition(seed_assistant) -> None:  # type: ignore[no-untyped-def]
    answer = seed_assistant.ask("What counts as private fostering?")
    assert not answer.abstained
    for fact in ("16", "18", "28 days"):
        assert contains_fact(answer.answer, fact), answer.answer


@pytest.mark.parametrize(
    ("question", "fact"),
    [
        ("Within how many days must an ICPC take place?", "fifteen day"),
        ("Is it fifteen days for an initial case conference?", "15 day"),
        ("How many days is the private fostering period?", "twenty-eight days"),
    ],
)
def test_number_words_and_digits_meet(seed_assistant, question: str, fact: str) -> None:  # type: ignore[no-untyped-def]
    answer = seed_assistant.ask(question)
    assert not answer.abstained, question
    assert contains_fact(answer.answer, fact)


@pytest.mark.parametrize(
    "question",
    [
        "What's the weather going to be like in Romford tomorrow?",
        "Give me a quick recipe for banana bread.",
        "How many privately fostered children were registered in Havering in 2014-15?",
        "What is the HSCB budget for 2015/16?",
        "How many children were on CP plans in Barking and Dagenham in March 2015?",
    ],
)
def test_abstains_when_the_documents_do_not_answer(seed_assistant, question: str) -> None:  # type: ignore[no-untyped-def]
    answer = seed_assistant.ask(question)
    assert answer.abstained, (question, answer.answer)
    assert answer.citations == ()
    assert "do not answer" in answer.answer
    assert answer.notice == NOTICE


def test_abstention_offers_related_passages(seed_assistant) -> None:  # type: ignore[no-untyped-def]
    answer = seed_assistant.ask("How many privately fostered children were registered in Havering in 2014-15?")
    assert answer.abstained
    assert answer.related, "the nearest passages should be offered"
    assert any("ostering" in (c.section + c.quote) for c in answer.related)


def test_follow_up_uses_the_conversation(seed_assistant) -> None:  # type: ignore[no-untyped-def]
    first = seed_assistant.ask("How many contacts did the MASH receive in 2014/15?")
    assert contains_fact(first.answer, "6984")
    follow = seed_assistant.ask("And the year before?", [Turn(first.question, first.answer)])
    assert not follow.abstained
    assert contains_fact(follow.answer, "7410")
    assert "2013" in follow.standalone_query


def test_follow_up_about_another_agency(seed_assistant) -> None:  # type: ignore[no-untyped-def]
    history = [Turn("Which agency makes most referrals to the MASH?", "The police, at 65 per cent of contacts.")]
    answer = seed_assistant.ask("What about health?", history)
    assert not answer.abstained
    assert contains_fact(answer.answer, "3%")


def test_false_premise_is_corrected(seed_assistant) -> None:  # type: ignore[no-untyped-def]
    answer = seed_assistant.ask("Is it right that ICPCs have to happen within 5 days?")
    assert not answer.abstained
    assert contains_fact(answer.answer, "15 day")
    assert answer.answer.startswith("No, the documents give a different figure")


def test_identifying_details_get_a_warning_and_still_an_answer(seed_assistant) -> None:  # type: ignore[no-untyped-def]
    answer = seed_assistant.ask(
        "My client Jane Smith, DOB 12/03/2011, is staying with a family friend: is that private fostering?"
    )
    assert answer.warnings
    assert "Jane" not in answer.warnings[0] and "12/03/2011" not in answer.warnings[0]
    clean = seed_assistant.ask("What counts as private fostering?")
    assert clean.warnings == ()


def test_every_answer_carries_the_notice_and_the_json_contract(seed_assistant) -> None:  # type: ignore[no-untyped-def]
    for question in ("What is the MASH?", "Who won the Premier League in 2015?"):
        data = seed_assistant.ask(question).to_dict()
        assert set(data) >= ANSWER_KEYS
        assert data["mode"] == "extractive"
        assert "999" in data["notice"] and "designated safeguarding lead" in data["notice"]
        for citation in data["citations"]:
            assert set(citation) == {
                "n",
                "document",
                "title",
                "section",
                "page",
                "page_label",
                "quote",
                "ocr",
                "publisher",
                "date",
            }


def test_empty_and_overlong_questions_are_refused(seed_assistant) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(AnswerError):
        seed_assistant.ask("   ")
    with pytest.raises(AnswerError):
        seed_assistant.ask("why " * 1000)


def test_retrieval_is_deterministic(seed_assistant) -> None:  # type: ignore[no-untyped-def]
    first = [p.chunk.chunk_id for p in seed_assistant.passages("What does the LADO do?", k=8)]
    second = [p.chunk.chunk_id for p in seed_assistant.passages("What does the LADO do?", k=8)]
    assert first == second and len(first) == 8


def test_ask_jsonl_answers_each_line_in_order_and_stdout_is_pure_json(seed_assistant, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    env = {**os.environ, "ASSISTANT_DATA_DIR": str(seed_assistant.settings.data_dir)}
    lines = [
        {"id": 1, "question": "How many contacts did the MASH receive in 2014/15?"},
        {
            "id": "two",
            "question": "And the year before?",
            "history": [{"question": "How many contacts did the MASH receive in 2014/15?", "answer": "6984"}],
        },
        {"id": 3, "question": "What is a recipe for banana bread?"},
    ]
    completed = subprocess.run(
        [sys.executable, "-m", "assistant", "ask", "--jsonl"],
        input="\n".join(json.dumps(line) for line in lines) + "\nnot json\n",
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert completed.returncode == 0, completed.stderr
    outputs = [json.loads(line) for line in completed.stdout.splitlines()]
    assert [o.get("id") for o in outputs[:3]] == [1, "two", 3]
    assert contains_fact(outputs[1]["answer"], "7410")
    assert outputs[2]["abstained"] is True
    assert "line 4" in outputs[3]["error"]
    assert "Traceback" not in completed.stderr


def test_ask_builds_the_index_on_first_use(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "ASSISTANT_DATA_DIR": str(tmp_path / "data"),
        "ASSISTANT_CORPUS_DIR": str(ROOT / "corpus"),
    }
    completed = subprocess.run(
        [sys.executable, "-m", "assistant", "ask", "--json", "What counts as private fostering?"],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert completed.returncode == 0, completed.stderr
    data = json.loads(completed.stdout)
    assert data["citations"] and not data["abstained"]
    assert "built the index" in completed.stderr


def test_a_name_and_the_role_signed_under_it_are_one_unit() -> None:
    from assistant.text.units import evidence_units

    text = "I commend this report.\n\n   Brian Boxall \n\n   HSCB Independent Chair \nThe board met six times.\n"
    units = [text[u.start : u.end] for u in evidence_units(text)]
    assert units == ["I commend this report.", "Brian Boxall \n\n   HSCB Independent Chair", "The board met six times."]
    # a sentence after a name is not a role, nor is a heading a name
    text = "Sarah Connor\nThe club meets weekly and the manager decides.\nStaff Welfare\nDesignated Safeguarding Lead\n"
    units = [text[u.start : u.end] for u in evidence_units(text)]
    assert units == [
        "Sarah Connor",
        "The club meets weekly and the manager decides.",
        "Staff Welfare",
        "Designated Safeguarding Lead",
    ]


def test_a_label_and_its_value_on_the_next_line_are_one_unit() -> None:
    from assistant.text.units import evidence_units

    text = "Useful contacts\nNSPCC Helpline:\nPhone: 0808 800 5000\nThe club will:\nkeep a record of every concern.\n"
    units = [text[u.start : u.end] for u in evidence_units(text)]
    assert "NSPCC Helpline:\nPhone: 0808 800 5000" in units
    # a list's introduction is not a label: its items stay units of their own
    assert "The club will:" in units and "keep a record of every concern." in units
    # a label may be a short sentence of its own
    text = "Out of hours, contact the Emergency Duty Team on:\n01632 960877\nCall 999 in an emergency.\n"
    units = [text[u.start : u.end] for u in evidence_units(text)]
    assert "Out of hours, contact the Emergency Duty Team on:\n01632 960877" in units
    # every way to reach a contact stays under its label, up to the next label or sentence
    text = "The FA:\nPhone: 0800 169 1863\nEmail: safeguarding@thefa.com\nNSPCC:\nText: 88858\nCall 999 now.\n"
    units = [text[u.start : u.end] for u in evidence_units(text)]
    assert units[:2] == ["The FA:\nPhone: 0800 169 1863\nEmail: safeguarding@thefa.com", "NSPCC:\nText: 88858"], units
    # the next contact's own line is not another way to reach the first
    text = "Out of hours, contact the duty team on:\n01632 960877\nLADO: 01632 960519, lado@example.org\n"
    units = [text[u.start : u.end] for u in evidence_units(text)]
    assert units == ["Out of hours, contact the duty team on:\n01632 960877", "LADO: 01632 960519, lado@example.org"]


CLUB = (
    "# Club safeguarding policy\n\n## How to report a concern\n\n"
    "1. Contact the Club Welfare Officer\nJane Okafor – welfare@club.example.org\n"
    "2. Alternative contacts:\nCounty FA Welfare Officer: Sam Reid – safeguarding@countyfa.example.org / 020 8515 6909\n\n"
    "## Kit\n\nPlayers bring their own boots.\n"
)


def test_a_follow_up_is_not_answered_with_what_was_just_said(tmp_path: Path, embedder, make_settings) -> None:  # type: ignore[no-untyped-def]
    from corpora import ingested, one_document  # type: ignore[import-not-found]

    from assistant.models import Turn

    assistant = ingested(one_document(tmp_path, "club.md", CLUB), embedder, make_settings)
    first = assistant.ask("Who's the welfare officer at the club?")
    assert "Jane Okafor" in first.citations[0].quote, first.answer
    follow = assistant.ask("And if I can't get hold of her?", [Turn(first.question, first.answer)])
    assert not follow.abstained, follow.answer
    assert "Sam Reid" in follow.citations[0].quote, follow.answer
