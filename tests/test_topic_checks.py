"""Briefings in the evaluation: the key duty, role or timescale of each topic appears in its
briefing, and no statement is off the topic (real index, real model, temporary folders)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from corpora import ingested, one_document  # type: ignore[import-not-found]

from assistant.errors import DatasetError
from assistant.products.evaluation import load_corpus
from assistant.products.topic_checks import (
    briefing_metrics,
    check_briefings,
    check_register,
    load_briefing_cases,
    load_register_cases,
    register_metrics,
)

POLICY = """# Brookfield allegations procedure

## Allegations against staff and volunteers

The headteacher must report an allegation against a member of staff or a volunteer to the LADO within one working day of it becoming known.

Before speaking to the LADO, do not investigate the allegation or tell the adult concerned about it.

## Parking

Visitors may park in the school car park between 8 am and 6 pm on weekdays.
"""


def _cases(tmp_path: Path, lines: list[dict[str, Any]]) -> Path:
    path = tmp_path / "briefings.jsonl"
    path.write_text("\n".join(json.dumps(line) for line in lines) + "\n", encoding="utf-8")
    return path


def test_a_malformed_case_is_reported_with_its_file_line_and_field(tmp_path: Path) -> None:
    path = _cases(tmp_path, [{"id": "b1", "topic": "LADO", "documents": ["a.md"], "must_include": ["LADO"]}])
    path.write_text(path.read_text(encoding="utf-8") + '{"id": "b2", "topic": "", "documents": ["a.md"]}\n')
    with pytest.raises(DatasetError) as error:
        load_briefing_cases([path])
    message = str(error.value)
    assert "briefings.jsonl: line 2" in message and "topic" in message and "must_include" in message


def test_a_case_naming_a_document_the_manifest_does_not_list_is_reported(tmp_path: Path) -> None:
    """A misspelt document name would put the case in the seed part whatever its document's part."""
    from assistant.products.evaluation import Corpus, CorpusDocument

    corpus = Corpus((CorpusDocument("norwich-policy.pdf", tmp_path / "norwich-policy.pdf", "held-out", "policy"),))
    listed = {"id": "b1", "topic": "LADO", "documents": ["norwich-policy.pdf"], "must_include": ["LADO"]}
    path = _cases(tmp_path, [listed, {**listed, "id": "b2", "documents": ["norwich-polcy.pdf"]}])
    with pytest.raises(DatasetError) as error:
        load_briefing_cases([path], corpus)
    assert "line 2: field 'documents': not in the corpus manifest: norwich-polcy.pdf" in str(error.value)
    path = _cases(tmp_path, [listed])
    assert [c.part for c in load_briefing_cases([path], corpus)] == ["held-out"]


def test_the_evaluation_corpus_lists_briefing_topics_and_register_searches_on_both_parts() -> None:
    root = Path(__file__).resolve().parent.parent
    corpus = load_corpus(root / "eval" / "corpus.json", root=root, shared=root.parent / "shared")
    known = {d.file for d in corpus.documents}
    part_of = {d.file: d.part for d in corpus.documents}
    for cases in (load_briefing_cases(corpus.briefings, corpus), load_register_cases(corpus.register, corpus)):
        assert all(set(c.documents) <= known for c in cases)
        assert len([c for c in cases if c.part in ("seed", "dev")]) >= 10  # tuned on
        held_out = [c for c in cases if c.part == "held-out"]
        assert len(held_out) >= 5  # never tuned on: reported and gated
        # a held-out case names held-out documents only, and is marked as such in its id
        assert all({part_of[d] for d in c.documents} == {"held-out"} and "-h" in c.id for c in held_out)


@pytest.mark.slow
def test_a_briefing_carries_the_duty_and_quotes_nothing_off_topic(
    tmp_path: Path, embedder: Any, make_settings: Any
) -> None:
    assistant = ingested(one_document(tmp_path, "brookfield-allegations.md", POLICY), embedder, make_settings)
    path = _cases(
        tmp_path,
        [
            {
                "id": "b1",
                "topic": "allegations against staff and volunteers",
                "documents": ["brookfield-allegations.md"],
                "must_include": ["LADO", "within one working day"],
            },
            {
                "id": "b2",
                "topic": "allegations against staff and volunteers",
                "documents": ["brookfield-allegations.md"],
                "must_include": ["within 14 days"],  # not stated: reported missing
            },
        ],
    )
    results = check_briefings(assistant, load_briefing_cases([path]))
    assert results[0].passed and results[0].found == ["LADO", "within one working day"]
    assert results[0].off_topic_statements == 0 and results[0].citations_valid
    assert not results[1].passed and results[1].missing == ["within 14 days"]
    assert "brookfield-allegations.md" in results[0].cited_documents
    figures = briefing_metrics(results)["seed"]
    assert figures["briefing_key_rate"] == 0.5 and figures["briefing_off_topic"] == 0.0
    # the register: the rule stating the value, listed under the subject it is about
    register = tmp_path / "register.jsonl"
    register.write_text(
        json.dumps(
            {
                "id": "r1",
                "search": "allegation LADO",
                "documents": ["brookfield-allegations.md"],
                "value": "1",
                "subject": "headteacher",
            }
        )
        + "\n"
        + json.dumps(
            {
                "id": "r2",
                "search": "allegation LADO",
                "documents": ["brookfield-allegations.md"],
                "value": "1",
                "subject": "parking",
            }
        )
        + "\n",
        encoding="utf-8",
    )
    listed = check_register(assistant, load_register_cases([register]))
    assert [r.passed for r in listed] == [True, False] and listed[1].found and not listed[1].subject_ok
    assert register_metrics(listed) == {"seed": {"register_subject_rate": 0.5}}


STEPS = (
    "# Riverside Nursery safeguarding policy\n\n## Reporting evidence of abuse\n\n"
    "Parents are only told of a suspicion if the safeguarding partnership agrees to it.\n\n"
    "When the Safeguarding Officer has found evidence of abuse of a child, they should:\n\n"
    "1. Record in the child's file in the child protection record that the indicators of abuse are now being "
    "treated as evidence of abuse, and the reasons why.\n"
    "2. Contact the Riverside Safeguarding Children Partnership by telephone on the same day as the decision.\n"
    "3. Within 48 hours of that contact, securely send complete copies of the child's file to the "
    "safeguarding partnership.\n"
    "4. Co-operate fully with the partnership, the police or any other agency in any investigation that "
    "follows.\n\n"
    "## Visitors\n\nAll visitors sign the visitors' book and wear a badge while they are in the building.\n"
)


@pytest.mark.slow
def test_a_briefing_quotes_a_procedures_lead_in_with_its_steps(
    tmp_path: Path, embedder: Any, make_settings: Any
) -> None:
    """Steps of twenty-odd words each are still the list the lead-in introduces."""
    assistant = ingested(one_document(tmp_path, "riverside-nursery-policy.md", STEPS), embedder, make_settings)
    path = _cases(
        tmp_path,
        [
            {
                "id": "b1",
                "topic": "reporting evidence of abuse to the safeguarding partnership",
                "documents": ["riverside-nursery-policy.md"],
                "must_include": ["within 48 hours", "same day"],
            }
        ],
    )
    results = check_briefings(assistant, load_briefing_cases([path]))
    assert results[0].passed, results[0]
    assert results[0].off_topic_statements == 0 and results[0].citations_valid
    # the lead-in is never quoted without the steps it introduces
    from assistant.products.briefing import build_briefing

    briefing = build_briefing(assistant, "reporting evidence of abuse to the safeguarding partnership")
    items = [item.text for section in briefing.sections for item in section.items]
    lead_ins = [text for text in items if "they should:" in text]
    assert lead_ins and all("Co-operate fully" in text for text in lead_ins), items  # its last step
