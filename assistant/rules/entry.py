"""One register entry (a stated rule, its value and its verbatim citation) and its JSON and CSV forms."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal, cast

from assistant.errors import IndexError_
from assistant.models import Citation
from assistant.text.tables import read_csv, write_csv

Kind = Literal["timescale", "threshold", "target", "eligibility", "definition", "frequency", "duty"]
KINDS: tuple[str, ...] = ("timescale", "threshold", "target", "eligibility", "definition", "frequency", "duty")
"""Kinds of rule; "duty" (a stated statutory duty to act) is the one addition to the six asked for."""

CSV_FIELDS = (
    "subject",
    "rule",
    "value",
    "unit",
    "condition",
    "kind",
    "comparator",
    "document",
    "title",
    "publisher",
    "date",
    "section",
    "page",
    "page_label",
    "quote",
    "doc_id",
    "chunk_id",
    "start",
    "end",
)


# -- the entry ------------------------------------------------------------------------------


@dataclass(frozen=True)
class RegisterEntry:
    """One stated rule: what it is about, the rule in the document's words, and its value.

    ``rule`` is the verbatim sentence (or clause) and equals ``citation.quote``;
    ``value`` is normalised ("15", "annually", "10-17"); ``unit`` is one of days, working
    days, hours, weeks, months, years, %, age, miles, frequency, risk level or "" (for
    definitions, duties and conditions stated in words).
    """

    subject: str
    rule: str
    value: str
    unit: str
    condition: str
    kind: str
    citation: Citation
    comparator: str = ""
    """How the value applies ("within", "under", "or more", "at least", "every"...); "" when plain."""

    def to_dict(self) -> dict[str, Any]:
        c = self.citation
        return {
            "subject": self.subject,
            "rule": self.rule,
            "value": self.value,
            "unit": self.unit,
            "condition": self.condition,
            "kind": self.kind,
            "comparator": self.comparator,
            "citation": {
                "document": c.document,
                "title": c.title,
                "publisher": c.publisher,
                "date": c.date,
                "section": c.section,
                "page": c.page,
                "page_label": c.page_label,
                "quote": c.quote,
                "doc_id": c.doc_id,
                "chunk_id": c.chunk_id,
                "start": c.start,
                "end": c.end,
            },
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any], n: int = 0) -> RegisterEntry:
        c = data.get("citation") or {}
        page = c.get("page")
        citation = Citation(
            n=n,
            document=str(c.get("document", "")),
            title=str(c.get("title", "")),
            publisher=str(c.get("publisher", "") or ""),
            date=str(c.get("date", "") or ""),
            section=str(c.get("section", "")),
            page=int(page) if page not in (None, "") else None,
            page_label=(str(c["page_label"]) if c.get("page_label") not in (None, "") else None),
            quote=str(c.get("quote", "")),
            doc_id=str(c.get("doc_id", "")),
            chunk_id=str(c.get("chunk_id", "") or ""),
            start=int(c.get("start") or 0),
            end=int(c.get("end") or 0),
        )
        return cls(
            subject=str(data.get("subject", "")),
            rule=str(data.get("rule", "")),
            value=str(data.get("value", "")),
            unit=str(data.get("unit", "")),
            condition=str(data.get("condition", "")),
            kind=str(data.get("kind", "")),
            citation=citation,
            comparator=str(data.get("comparator", "") or ""),
        )

    def describe(self) -> str:
        """One line for a list or a chat reply ("Private fostering arrangement: under 16")."""
        return (
            self.subject
            + (f": {self.value_text()}" if self.value else "")
            + (f" ({self.condition})" if self.condition else "")
        )

    def value_text(self) -> str:
        """The value with its unit and comparator ("within 15 days", "28 days or more", "under 16")."""
        if not self.value:
            return ""
        unit = "" if self.unit in ("frequency", "age", "risk level") else self.unit
        amount = f"{self.value}%" if unit == "%" else " ".join(p for p in (self.value, unit) if p)
        comparator = self.comparator
        if comparator in ("or more", "or less", "and over", "and under", "after", "of", "before", "following"):
            return f"{amount} {comparator}"
        if self.unit == "age" and not comparator:
            return f"age {amount}"
        return " ".join(p for p in (comparator, amount) if p)


# -- import / export ------------------------------------------------------------------------


def to_json(entries: Sequence[RegisterEntry], *, indent: int | None = 2) -> str:
    """A JSON list: subject, rule, value, unit, condition, kind and the citation of each entry."""
    return json.dumps([e.to_dict() for e in entries], ensure_ascii=False, indent=indent)


def from_json(text: str) -> list[RegisterEntry]:
    """Entries from :func:`to_json` output (or a saved register file)."""
    data = json.loads(text)
    if isinstance(data, dict):
        data = data.get("entries", [])
    if not isinstance(data, list):
        raise IndexError_("the saved register is not a JSON list of entries; it is rebuilt at the next ingest")
    return [RegisterEntry.from_dict(cast(dict[str, Any], item), n) for n, item in enumerate(data, start=1)]


def to_csv(entries: Sequence[RegisterEntry]) -> str:
    """One row per entry, the citation flattened into columns (see ``CSV_FIELDS``).

    Written by :func:`~assistant.text.tables.write_csv`: a document's text that a spreadsheet
    would run as a formula is prefixed with ``'`` (and :func:`from_csv` removes it again).
    """
    rows = []
    for entry in entries:
        data = entry.to_dict()
        citation = data.pop("citation")
        rows.append({**data, **citation})
    return write_csv(None, CSV_FIELDS, rows, lineterminator="\n")


def from_csv(text: str) -> list[RegisterEntry]:
    """Entries from :func:`to_csv` output (the quotes that neutralised formulas removed)."""
    entries: list[RegisterEntry] = []
    for n, row in enumerate(read_csv(text), start=1):
        citation: dict[str, Any] = {
            k: row.get(k, "")
            for k in ("document", "title", "publisher", "date", "section", "page", "page_label", "quote")
        }
        citation.update(
            {
                "doc_id": row.get("doc_id", ""),
                "chunk_id": row.get("chunk_id", ""),
                "start": row.get("start") or 0,
                "end": row.get("end") or 0,
            }
        )
        keys = ("subject", "rule", "value", "unit", "condition", "kind", "comparator")
        data: dict[str, Any] = {k: row.get(k, "") for k in keys}
        data["citation"] = citation
        entries.append(RegisterEntry.from_dict(data, n))
    return entries
