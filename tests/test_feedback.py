"""Feedback storage: redacted before it is written, exportable as CSV, purged after the retention period."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner

from assistant.models import Citation
from assistant.services.feedback import CSV_COLUMNS, FeedbackStore

IDENTIFIERS = ("Jane", "Smith", "12/03/2011", "07700", "020 7946 0958", "jane.smith@example.org", "14 Elm Road")


@pytest.fixture(scope="module")
def detector():  # type: ignore[no-untyped-def]
    from assistant.services.privacy import IdentifierDetector

    found = IdentifierDetector()
    found.warm_up()
    return found


@pytest.fixture
def store(tmp_path: Path, detector) -> FeedbackStore:  # type: ignore[no-untyped-def]
    return FeedbackStore(tmp_path / "data" / "feedback.sqlite3", retention_days=90, redactor=detector)


def _citation() -> Citation:
    return Citation(
        n=1,
        document="guide.txt",
        title="Guide",
        section="Conferences",
        page=None,
        page_label="4",
        quote="The conference must be held within 15 working days.",
    )


def _all_bytes(folder: Path) -> bytes:
    """The database and any journal beside it, as they are on disk."""
    return b"".join(path.read_bytes() for path in folder.iterdir() if path.is_file())


def test_feedback_is_stored_without_identifiers(store: FeedbackStore) -> None:
    feedback_id = store.record(
        rating="down",
        question="My client Jane Smith, DOB 12/03/2011, lives at 14 Elm Road. When is the conference?",
        answer="The conference must be held within 15 working days. [1]",
        citations=[_citation()],
        corpus_version=7,
        comment="Please call me on 020 7946 0958 or e-mail jane.smith@example.org",
    )
    assert feedback_id > 0
    store.update(feedback_id, comment="Also: the girl called Amy Jones was not mentioned.")
    stored = _all_bytes(store.path.parent)
    for identifier in (*IDENTIFIERS, "Amy Jones"):
        assert identifier.encode() not in stored, identifier
    [row] = store.rows()
    assert row["rating"] == "down"
    assert row["corpus_version"] == 7
    assert "[PERSON]" in row["question"] and "[DATE_OF_BIRTH]" in row["question"]
    assert "[STREET_ADDRESS]" in row["question"]
    assert row["comment"] == "Also: the girl called [PERSON] was not mentioned."
    assert row["citations"] == [
        {"n": 1, "document": "guide.txt", "quote": "The conference must be held within 15 working days."}
    ]
    assert row["created_at"].endswith("Z")


def test_rating_can_change_and_unknown_ratings_are_refused(store: FeedbackStore) -> None:
    from assistant.errors import AssistantError

    feedback_id = store.record(rating="up", question="What is the MASH?", answer="A hub. [1]")
    assert store.update(feedback_id, rating="down")
    assert store.rows()[0]["rating"] == "down"
    assert not store.update(feedback_id + 99, rating="up")
    with pytest.raises(AssistantError):
        store.record(rating="meh", question="q", answer="a")  # type: ignore[arg-type]


def test_retention_is_enforced_on_write(store: FeedbackStore) -> None:
    now = datetime(2025, 6, 1, 12, 0, tzinfo=UTC)
    store.record(rating="up", question="old question", answer="old", now=now - timedelta(days=95))
    store.record(rating="up", question="recent question", answer="recent", now=now - timedelta(days=10))
    assert store.count() == 2  # written in order: the old row was still young enough then
    store.record(rating="down", question="today's question", answer="today", now=now)
    questions = [row["question"] for row in store.rows()]
    assert questions == ["recent question", "today's question"]
    assert b"old question" not in _all_bytes(store.path.parent)  # secure_delete overwrote it
    assert store.purge_older_than(5, now=now) == 1
    assert [row["question"] for row in store.rows()] == ["today's question"]


def test_export_csv_neutralises_spreadsheet_formulas(store: FeedbackStore) -> None:
    store.record(
        rating="up",
        question='=HYPERLINK("http://example.org")',
        answer="The conference must be held within 15 working days. [1]",
        citations=[_citation()],
        comment="@useful",
    )
    out = io.StringIO()
    assert store.export_csv(out) == 1
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert list(rows[0]) == list(CSV_COLUMNS)
    assert rows[0]["question"].startswith("'=")
    assert rows[0]["comment"] == "'@useful"
    assert rows[0]["citations"] == "[1] guide.txt: The conference must be held within 15 working days."
    assert rows[0]["abstained"] == "no"


def test_cli_exports_feedback_as_csv(tmp_path: Path, no_env: None, monkeypatch: pytest.MonkeyPatch, detector) -> None:  # type: ignore[no-untyped-def]
    from assistant.cli import main
    from assistant.config import Settings

    data = tmp_path / "data"
    monkeypatch.setenv("ASSISTANT_DATA_DIR", str(data))
    store = FeedbackStore.from_settings(Settings(data_dir=data), redactor=detector)
    store.record(rating="up", question="What is private fostering? Asked by Mrs Patel.", answer="It is... [1]")
    store.record(rating="down", question="What is the MASH?", answer="A hub. [1]", comment="too short")

    runner = CliRunner()
    result = runner.invoke(main, ["feedback", "export", "--csv"])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [r["rating"] for r in rows] == ["up", "down"]
    assert rows[0]["question"] == "What is private fostering? Asked by [PERSON]."
    assert rows[1]["comment"] == "too short"

    target = tmp_path / "feedback.csv"
    result = runner.invoke(main, ["feedback", "export", "--csv", "-o", str(target)])
    assert result.exit_code == 0, result.output
    assert target.read_text(encoding="utf-8").splitlines()[0] == ",".join(CSV_COLUMNS)
    assert "Patel" not in target.read_text(encoding="utf-8")

    result = runner.invoke(main, ["feedback", "export"])
    assert result.exit_code == 2
    assert "--csv" in result.output
