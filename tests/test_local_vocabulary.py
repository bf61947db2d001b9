"""A corpus folder's own vocabulary file (local acronyms and names) takes effect, and a bad one is named."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant.config import Settings
from assistant.engine import Assistant
from assistant.errors import ConfigurationError
from assistant.text.vocabulary import ABBREVIATIONS, LOCAL_VOCABULARY_FILE, fingerprint, use_local_vocabulary

DOCUMENT = """# Northshire arrangements

## Annual report

The Northshire Safeguarding Children Partnership publishes its annual report each September.

## Training

Multi-agency training is offered to all staff every quarter.
"""
QUESTION = "When does the NSCP publish its annual report?"


@pytest.fixture(autouse=True)
def national_vocabulary_afterwards() -> Iterator[None]:
    yield
    use_local_vocabulary(None)


def test_malformed_vocabulary_files_are_refused_naming_the_file(tmp_path: Path) -> None:
    bad = tmp_path / LOCAL_VOCABULARY_FILE
    bad.write_text("{not json", encoding="utf-8")
    with pytest.raises(ConfigurationError, match=str(bad)):
        use_local_vocabulary(bad)
    bad.write_text(json.dumps({"abbreviations": {"nscp": 3}}), encoding="utf-8")
    with pytest.raises(ConfigurationError, match="'abbreviations' must map words to words"):
        use_local_vocabulary(bad)
    assert "nscp" not in ABBREVIATIONS


def test_local_entries_add_to_the_national_glossary_and_go_with_the_file(tmp_path: Path) -> None:
    national = fingerprint()
    local = tmp_path / LOCAL_VOCABULARY_FILE
    local.write_text(json.dumps({"abbreviations": {"NSCP": "Northshire Safeguarding Children Partnership"}}), "utf-8")
    assert use_local_vocabulary(local) is True
    assert ABBREVIATIONS["nscp"] == "northshire safeguarding children partnership"
    assert ABBREVIATIONS["mash"] == "multi agency safeguarding hub"  # the national entries stay
    assert fingerprint() != national
    assert use_local_vocabulary(local) is False  # unchanged file: nothing to redo
    assert use_local_vocabulary(None) is True
    assert "nscp" not in ABBREVIATIONS and fingerprint() == national


@pytest.mark.slow
def test_a_corpus_vocabulary_file_takes_effect(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "partnership.md").write_text(DOCUMENT, encoding="utf-8")
    settings = Settings.from_env(data_dir=tmp_path / "data", corpus_dir=corpus)

    before = Assistant(settings)
    before.ensure_index()
    unknown = before.ask(QUESTION)
    # the acronym is nowhere in the documents: the answer cannot be checked, so none is given
    assert unknown.abstained, unknown.answer
    before.close()

    (corpus / LOCAL_VOCABULARY_FILE).write_text(
        json.dumps({"abbreviations": {"NSCP": "Northshire Safeguarding Children Partnership"}}), encoding="utf-8"
    )
    after = Assistant(settings)
    report = after.ingest()
    assert not report.failed, report.failed  # the vocabulary file is not taken for a document
    known = after.ask(QUESTION)
    assert not known.abstained, known.answer
    assert "September" in known.answer and known.citations
    after.close()
