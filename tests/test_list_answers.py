"""A list quoted in an answer is the whole list and only the list, with one separator between items."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from assistant.config import Settings
from assistant.engine import Assistant

ROOT = Path(__file__).resolve().parents[1]
PROCEDURES = ROOT / "eval" / "synthetic" / "synthetic-westbrook-child-protection-procedures.md"

pytestmark = pytest.mark.slow


def test_a_list_whose_items_end_in_semicolons_is_quoted_whole_and_stops_at_the_next_paragraph(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(PROCEDURES, corpus / PROCEDURES.name)
    assistant = Assistant(Settings.from_env(data_dir=tmp_path / "data", corpus_dir=corpus))
    assistant.ensure_index()
    answer = assistant.ask("When should a child protection plan end?")
    assert not answer.abstained, answer.answer
    first = answer.answer.split("[1]")[0]
    # all three conditions, each once, separated once
    for item in ("no longer likely to suffer significant harm", "transfer-in conference", "reaches 18 years of age"):
        assert first.count(item) == 1, first
    assert ";;" not in answer.answer and ".;" not in answer.answer
    # the numbered paragraph after the list is not one of its items
    assert "10.2" not in first
    assistant.close()
