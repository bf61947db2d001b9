"""Every CSV the product writes neutralises spreadsheet formulas, through one function.

A document's text, a question or a comment that starts with ``=``, ``+``, ``-`` or ``@`` must
reach a spreadsheet as text, never as a formula (OWASP CSV injection); the register export
must still read back exactly what it wrote.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest

from assistant.models import Citation
from assistant.rules import CSV_FIELDS, RegisterEntry, from_csv, to_csv
from assistant.text.tables import read_csv, restore_cell, safe_cell, write_csv

PACKAGE = Path(__file__).resolve().parents[1] / "assistant"
HOSTILE = ['=HYPERLINK("http://x")', "-2+3", "+1", "@SUM(1)", "\t=1", "\r=1", "  =1+1", "\n@x", "＝1+1"]


@pytest.mark.parametrize("text", HOSTILE)
def test_safe_cell_quotes_every_dangerous_start(text: str) -> None:
    assert safe_cell(text) == "'" + text
    assert restore_cell(safe_cell(text)) == text


@pytest.mark.parametrize("text", ["15 working days", "", "a=b", "e-mail", "'quoted'", "'", "2014-15", "£5"])
def test_safe_cell_leaves_plain_text_alone(text: str) -> None:
    assert safe_cell(text) == text
    assert restore_cell(text) == text


@pytest.mark.parametrize("text", ["'=1", "''=1", "' -2"])
def test_a_text_that_starts_with_a_quote_round_trips(text: str) -> None:
    assert safe_cell(text) == "'" + text  # its own quote is kept, one more is added
    assert restore_cell(safe_cell(text)) == text


def test_numbers_stay_numbers() -> None:
    assert safe_cell(-2) == "-2"
    assert safe_cell(-0.5) == "-0.5"
    assert safe_cell(15) == "15"
    assert safe_cell(None) == ""
    assert safe_cell(True) == "True"


def test_write_csv_neutralises_every_cell_and_reads_back() -> None:
    rows = [{"a": "=1+1", "b": -3}, {"a": "plain", "b": "@x"}]
    text = write_csv(None, ["a", "b"], rows)
    assert text is not None
    parsed = list(csv.DictReader(io.StringIO(text)))
    assert parsed == [{"a": "'=1+1", "b": "-3"}, {"a": "plain", "b": "'@x"}]
    assert read_csv(text) == [{"a": "=1+1", "b": "-3"}, {"a": "plain", "b": "@x"}]
    out = io.StringIO()
    assert write_csv(out, ["a", "b"], rows) is None
    assert out.getvalue() == text
    with pytest.raises(ValueError, match="not in the header"):
        write_csv(None, ["a"], [{"a": "1", "c": "2"}])


def _entry(rule: str, n: int) -> RegisterEntry:
    citation = Citation(
        n=n,
        document="=guide.txt",
        title="@Guide",
        section="+Conferences",
        page=3,
        page_label="-iv",
        quote=rule,
        doc_id="d1",
        chunk_id="c1",
        start=10,
        end=10 + len(rule),
    )
    return RegisterEntry(
        subject="-conference",
        rule=rule,
        value="-2",
        unit="days",
        condition="",
        kind="timescale",
        citation=citation,
        comparator="within",
    )


def test_register_csv_is_neutralised_and_round_trips() -> None:
    entries = [_entry('=HYPERLINK("http://x")', 1), _entry("-2+3", 2), _entry("  @SUM(1)", 3)]
    text = to_csv(entries)
    rows = list(csv.DictReader(io.StringIO(text)))
    assert tuple(rows[0]) == CSV_FIELDS
    assert [row["rule"] for row in rows] == ['\'=HYPERLINK("http://x")', "'-2+3", "'  @SUM(1)"]
    for row in rows:
        for column, cell in row.items():
            assert cell[:1] not in ("=", "+", "-", "@", "\t", "\r"), f"{column} is not neutralised: {cell!r}"
        assert row["start"] == "10"  # numbers stay numbers
    assert from_csv(text) == entries


class _NoIdentifiers:
    """A redactor for text that holds no identifiers (the real one loads a model, and is tested elsewhere)."""

    def redact(self, text: str) -> str:
        return text


def test_feedback_export_neutralises_a_comment(tmp_path: Path) -> None:
    from assistant.services.feedback import FeedbackStore

    store = FeedbackStore(tmp_path / "feedback.sqlite3", retention_days=90, redactor=_NoIdentifiers())
    store.record(rating="down", question="-1 day?", answer="+ see [1]", citations=[], comment="@SUM(1)")
    out = io.StringIO()
    assert store.export_csv(out) == 1
    row = next(csv.DictReader(io.StringIO(out.getvalue())))
    assert row["comment"] == "'@SUM(1)"
    assert row["question"] == "'-1 day?"
    assert row["answer"] == "'+ see [1]"


_CSV_WRITERS = re.compile(
    r"\bcsv\s*\.\s*(?:writer|DictWriter)\b|\bfrom\s+csv\s+import\b[^\n]*\b(?:writer|DictWriter)\b"
)


def test_no_csv_writer_outside_the_tables_module() -> None:
    owner = PACKAGE / "text" / "tables.py"
    offenders = [
        f"{path.relative_to(PACKAGE.parent)}:{number}: {line.strip()}"
        for path in sorted(PACKAGE.rglob("*.py"))
        if path != owner
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if _CSV_WRITERS.search(line)
    ]
    assert not offenders, "write CSV through assistant.text.tables.write_csv:\n" + "\n".join(offenders)
    assert _CSV_WRITERS.search(owner.read_text(encoding="utf-8"))  # the scan does see a use where there is one
