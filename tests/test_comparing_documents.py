"""A question that names two documents ("do Anytown and Brookfield agree ...") is asked of each: the
answer quotes each document with its source, and says plainly which one does not answer."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from corpora import PUBLISHERS, cli_answer, ingested, two_procedures  # type: ignore[import-not-found]

from assistant.wording import DOCUMENT_NOT_ANSWERED

pytestmark = pytest.mark.slow

ANYTOWN = "Anytown Safeguarding Partnership, Child protection procedures, March 2024: "
BROOKFIELD = "Brookfield Borough Council, Child protection procedures, 2022: "


def test_each_document_named_is_quoted_with_its_source(tmp_path: Path, embedder: Any, make_settings: Any) -> None:
    assistant = ingested(two_procedures(tmp_path, "15 working days", "20 working days"), embedder, make_settings)
    answer = assistant.ask("Do Anytown and Brookfield agree on when the initial child protection conference is held?")
    assert not answer.abstained
    assert {c.document for c in answer.citations} == set(PUBLISHERS)
    quotes = {c.document: c for c in answer.citations}
    anytown, brookfield = quotes["anytown-procedures.md"], quotes["brookfield-procedures.md"]
    assert "15 working days" in anytown.quote and "20 working days" in brookfield.quote
    assert f"{ANYTOWN}{anytown.quote} [{anytown.n}]" in answer.answer
    assert f"{BROOKFIELD}{brookfield.quote} [{brookfield.n}]" in answer.answer


def test_a_document_that_does_not_answer_is_named_not_guessed_at(
    tmp_path: Path, embedder: Any, make_settings: Any
) -> None:
    corpus = two_procedures(tmp_path)
    anytown = corpus / "anytown-procedures.md"
    anytown.write_text(
        anytown.read_text(encoding="utf-8")
        + "\n## Private fostering\n\nPrivate fostering arrangements are notified to the council at least six weeks "
        "before the arrangement begins.\n",
        encoding="utf-8",
    )
    assistant = ingested(corpus, embedder, make_settings)
    answer = assistant.ask("How much notice of a private fostering arrangement do Anytown and Brookfield require?")
    assert not answer.abstained
    assert {c.document for c in answer.citations} == {"anytown-procedures.md"}
    assert "six weeks" in answer.citations[0].quote
    assert DOCUMENT_NOT_ANSWERED.format(part="Brookfield") in answer.answer


def test_one_name_is_not_a_comparison(tmp_path: Path, embedder: Any, make_settings: Any) -> None:
    assistant = ingested(two_procedures(tmp_path), embedder, make_settings)
    answer = assistant.ask("When does Brookfield hold the initial child protection conference?")
    assert [c.document for c in answer.citations] == ["brookfield-procedures.md"]
    assert not answer.answer.startswith(BROOKFIELD)  # one source: nothing to tell apart


def test_the_cli_answers_a_comparison_with_both_sources(tmp_path: Path, embedder: Any, make_settings: Any) -> None:
    corpus = two_procedures(tmp_path, "15 working days", "20 working days")
    ingested(corpus, embedder, make_settings)
    question = "What do Anytown and Brookfield say about the initial child protection conference?"
    data = cli_answer(make_settings(corpus), corpus, question)
    assert {c["publisher"] for c in data["citations"]} == {p["publisher"] for p in PUBLISHERS.values()}
    assert ANYTOWN in data["answer"] and BROOKFIELD in data["answer"]
