"""Documents that differ: when two documents give different values for the same thing, the answer
shows both, each with whose it is, and never silently picks one."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from corpora import two_procedures  # type: ignore[import-not-found]

from assistant.wording import DIFFERING_LEAD

pytestmark = pytest.mark.slow

QUESTION = "When must the initial child protection conference be held?"


def test_two_documents_with_different_timescales_are_both_shown_with_their_sources(
    tmp_path: Path, embedder: Any, make_settings: Any
) -> None:
    from assistant.engine import Assistant

    assistant = Assistant(
        make_settings(two_procedures(tmp_path, "15 working days", "10 working days")), embedder=embedder
    )
    assert assistant.ingest().exit_code == 0
    answer = assistant.ask(QUESTION)
    assert not answer.abstained
    assert answer.answer.startswith(DIFFERING_LEAD)
    assert {c.document for c in answer.citations} == {"anytown-procedures.md", "brookfield-procedures.md"}
    for citation in answer.citations:
        days = "15 working days" if citation.document.startswith("anytown") else "10 working days"
        assert days in citation.quote
        # the answer says whose each figure is, with the document's date
        attribution = (
            "Anytown Safeguarding Partnership, Child protection procedures, March 2024: "
            if citation.document.startswith("anytown")
            else "Brookfield Borough Council, Child protection procedures, 2022: "
        )
        assert f"{attribution}{citation.quote} [{citation.n}]" in answer.answer


def test_documents_that_agree_are_not_said_to_differ(tmp_path: Path, embedder: Any, make_settings: Any) -> None:
    from assistant.engine import Assistant

    assistant = Assistant(
        make_settings(two_procedures(tmp_path, "15 working days", "15 working days")), embedder=embedder
    )
    assert assistant.ingest().exit_code == 0
    answer = assistant.ask(QUESTION)
    assert not answer.abstained and "15 working days" in answer.answer
    assert DIFFERING_LEAD not in answer.answer


def test_the_cli_shows_both_with_publisher_and_date(tmp_path: Path, embedder: Any, make_settings: Any) -> None:
    from assistant.cli import main
    from assistant.engine import Assistant

    corpus = two_procedures(tmp_path, "15 working days", "10 working days")
    settings = make_settings(corpus)
    assert Assistant(settings, embedder=embedder).ingest().exit_code == 0
    env = {"ASSISTANT_DATA_DIR": str(settings.data_dir), "ASSISTANT_CORPUS_DIR": str(corpus)}
    result = CliRunner().invoke(main, ["ask", "--json", QUESTION], env=env)
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["answer"].startswith(DIFFERING_LEAD)
    assert {(c["publisher"], c["date"]) for c in data["citations"]} == {
        ("Anytown Safeguarding Partnership", "2024-03"),
        ("Brookfield Borough Council", "2022"),
    }
    text = CliRunner().invoke(main, ["ask", QUESTION], env=env).output
    assert "anytown-procedures.md — Anytown Safeguarding Partnership, Child protection procedures, March 2024" in text
