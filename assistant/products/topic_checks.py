"""Briefings and the register in the evaluation, topic by topic.

Briefings: for each topic, the duty, role or timescale the documents state must appear in its
7-minute briefing, and nothing off-topic may be quoted.

A case (one JSON object per line of ``eval/briefings.jsonl``, listed under ``briefings`` in the
corpus manifest) names a topic, the documents that state its key points and the strings the
briefing must carry. Its part (seed, dev, held-out) is that of its documents, as for questions.
Per part, three figures join the questions' metrics (and so the gate):

- ``briefing_key_rate``: the share of briefings carrying every key point;
- ``briefing_off_topic``: briefings with a statement none of whose quotes shares a word (synonym,
  abbreviation) with the topic, their headings included - the check made of each answer's quotes,
  made here of each statement (a table's header line, or a list's lead-in, is read with its rows);
- ``briefing_citation_validity``: the share whose every quote is verbatim in its document.

The register: a case (``eval/register.jsonl``, listed under ``register`` in the manifest) names a
search, the value a rule of its documents states and the words the rule's subject must hold; the
entry found for the search that states the value must be listed under that subject - a rule under
the wrong subject ("Least: 3 working days") fails. Per part: ``register_subject_rate``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from assistant.engine import Assistant
from assistant.errors import DatasetError
from assistant.products.briefing import build_briefing
from assistant.products.evaluation import (
    PARTS,
    Corpus,
    Report,
    bears_on,
    indexed_texts,
    not_verbatim,
    read_jsonl,
)
from assistant.text.normalise import contains_fact, query_terms

__all__ = [
    "BriefingCase",
    "BriefingResult",
    "RegisterCase",
    "RegisterResult",
    "add_topic_checks",
    "briefing_metrics",
    "check_briefings",
    "check_register",
    "load_briefing_cases",
    "load_register_cases",
    "register_metrics",
]


@dataclass(frozen=True)
class BriefingCase:
    id: str
    topic: str
    documents: tuple[str, ...]
    must_include: tuple[str, ...]
    part: str = "seed"
    notes: str = ""


@dataclass
class BriefingResult:
    id: str
    topic: str
    part: str
    documents: list[str]
    found: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    off_topic_statements: int = 0
    citations: int = 0
    citations_valid: bool = True
    cited_documents: list[str] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return not self.missing and not self.off_topic_statements and self.citations_valid

    def as_dict(self) -> dict[str, Any]:
        row = asdict(self)
        row["passed"] = self.passed
        row["key_points"] = [len(self.found), len(self.found) + len(self.missing)]
        if self.part == "held-out":  # the held-out part is reported, never shown
            row.update(topic="(held-out topic not shown)", found=len(self.found), missing=len(self.missing))
        return row


def _lines(
    paths: Sequence[Path], fields: Sequence[tuple[str, type]], corpus: Corpus | None
) -> tuple[list[dict[str, Any]], list[str]]:
    """The JSON objects of JSONL files whose ``fields`` are present and non-empty and whose documents
    ``corpus`` lists, and the problems (file, line, field) of the others."""
    rows: list[dict[str, Any]] = []
    problems: list[str] = []
    for path in paths:
        if not Path(path).is_file():
            continue  # listed by the manifest, not in this checkout
        objects, unreadable = read_jsonl(path)
        problems.extend(f"{path}: {problem}" for problem in unreadable)
        for number, raw in objects:
            bad = [name for name, kind in fields if not isinstance(raw.get(name), kind) or not raw.get(name)]
            if bad:
                problems.append(f"{path}: line {number}: field(s) {', '.join(bad)} missing or empty")
                continue
            unlisted = corpus.unlisted([str(d) for d in raw["documents"]]) if corpus is not None else None
            if unlisted:
                problems.append(f"{path}: line {number}: {unlisted}")
                continue
            rows.append(raw)
    ids = [str(r["id"]) for r in rows]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        problems.append(f"the same id appears more than once: {', '.join(duplicates)}")
    return rows, problems


def _part(documents: Sequence[str], corpus: Corpus | None) -> str:
    return (corpus.part_of(documents) if corpus else None) or "seed"


def load_briefing_cases(paths: Sequence[Path], corpus: Corpus | None = None) -> list[BriefingCase]:
    """Parse briefing cases; every problem is reported with its file, line and field."""
    rows, problems = _lines(paths, (("id", str), ("topic", str), ("documents", list), ("must_include", list)), corpus)
    if problems:
        raise DatasetError("\n  ".join(problems))
    return [
        BriefingCase(
            raw["id"],
            raw["topic"],
            tuple(str(d) for d in raw["documents"]),
            tuple(str(f) for f in raw["must_include"]),
            _part([str(d) for d in raw["documents"]], corpus),
            str(raw.get("notes") or ""),
        )
        for raw in rows
    ]


def check_briefings(
    assistant: Assistant, cases: Sequence[BriefingCase], *, progress: Callable[[str], None] | None = None
) -> list[BriefingResult]:
    """Build each case's briefing over ``assistant``'s index and check it."""
    texts = indexed_texts(assistant)
    results: list[BriefingResult] = []
    for case in cases:
        if progress is not None:
            progress(case.id)
        briefing = build_briefing(assistant, case.topic)
        body = " ".join(item.text for section in briefing.sections[:-1] for item in section.items)
        result = BriefingResult(case.id, case.topic, case.part, list(case.documents))
        for fact in case.must_include:
            (result.found if contains_fact(body, fact) else result.missing).append(fact)
        result.citations = len(briefing.citations)
        asked = set(query_terms(case.topic))
        by_n = {c.n: c for c in briefing.citations}
        result.off_topic_statements = sum(
            1
            for section in briefing.sections[:-1]
            for item in section.items
            if item.citations and not bears_on(asked, [by_n[n] for n in item.citations if n in by_n])
        )
        result.citations_valid = not not_verbatim(briefing.citations, texts)
        result.cited_documents = sorted({c.document for c in briefing.citations})
        results.append(result)
    return results


def briefing_metrics(results: Sequence[BriefingResult]) -> dict[str, dict[str, float]]:
    """Per part: the key-point rate, the briefings with an off-topic quote, verbatim citations."""
    metrics: dict[str, dict[str, float]] = {}
    for part in PARTS:
        rows = [r for r in results if r.part == part]
        if rows:
            metrics[part] = {
                "briefing_key_rate": round(sum(not r.missing for r in rows) / len(rows), 4),
                "briefing_off_topic": float(sum(r.off_topic_statements > 0 for r in rows)),
                "briefing_citation_validity": round(sum(r.citations_valid for r in rows) / len(rows), 4),
            }
    return metrics


# -- the register ------------------------------------------------------------------------------


@dataclass(frozen=True)
class RegisterCase:
    id: str
    search: str
    documents: tuple[str, ...]
    value: str
    subject: str
    """Words the subject of the rule stating ``value`` must hold (case aside)."""
    part: str = "seed"
    notes: str = ""


@dataclass
class RegisterResult:
    id: str
    part: str
    documents: list[str]
    found: bool = False
    """An entry of the case's documents found for the search states the value."""
    subject_ok: bool = False
    """... and is listed under the expected subject."""
    listed_as: list[str] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return self.found and self.subject_ok

    def as_dict(self) -> dict[str, Any]:
        row = asdict(self)
        row["passed"] = self.passed
        if self.part == "held-out":
            row["listed_as"] = len(self.listed_as)
        return row


def load_register_cases(paths: Sequence[Path], corpus: Corpus | None = None) -> list[RegisterCase]:
    """Parse register cases; every problem is reported with its file, line and field."""
    rows, problems = _lines(
        paths, (("id", str), ("search", str), ("documents", list), ("value", str), ("subject", str)), corpus
    )
    if problems:
        raise DatasetError("\n  ".join(problems))
    return [
        RegisterCase(
            raw["id"],
            raw["search"],
            tuple(str(d) for d in raw["documents"]),
            raw["value"],
            raw["subject"],
            _part([str(d) for d in raw["documents"]], corpus),
            str(raw.get("notes") or ""),
        )
        for raw in rows
    ]


def check_register(assistant: Assistant, cases: Sequence[RegisterCase]) -> list[RegisterResult]:
    """Search the register of ``assistant``'s index for each case and check the entries it finds."""
    results: list[RegisterResult] = []
    for case in cases:
        result = RegisterResult(case.id, case.part, list(case.documents))
        stating = [
            e
            for e in assistant.rules(case.search)
            if e.citation.document in case.documents and e.value.casefold() == case.value.casefold()
        ]
        result.found = bool(stating)
        result.listed_as = [e.subject for e in stating]
        result.subject_ok = any(case.subject.casefold() in e.subject.casefold() for e in stating)
        results.append(result)
    return results


def register_metrics(results: Sequence[RegisterResult]) -> dict[str, dict[str, float]]:
    """Per part: the share of cases whose rule is found and listed under the right subject."""
    return {
        part: {"register_subject_rate": round(sum(r.passed for r in rows) / len(rows), 4)}
        for part in PARTS
        if (rows := [r for r in results if r.part == part])
    }


def add_topic_checks(
    report: Report, assistant: Assistant, corpus: Corpus, *, progress: Callable[[str], None] | None = None
) -> None:
    """Check the corpus's briefing topics and register searches over ``assistant``'s index and add
    their figures to each part of ``report`` (so the gate sees them) and their rows to its tables."""
    checked = check_briefings(assistant, load_briefing_cases(corpus.briefings, corpus), progress=progress)
    listed = check_register(assistant, load_register_cases(corpus.register, corpus))
    for metrics in (briefing_metrics(checked), register_metrics(listed)):
        for part, figures in metrics.items():
            if part in report.parts:
                report.parts[part]["metrics"].update(figures)
    report.briefings = [r.as_dict() for r in checked]
    report.register = [r.as_dict() for r in listed]
