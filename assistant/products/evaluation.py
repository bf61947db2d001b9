"""The evaluation runner: deterministic metrics over a dataset of expected answers.

No LLM judge. Facts are matched after folding (case, number words and digits, per cent
and %, plurals), so "fifteen day timeline" satisfies "15 days". The gate fails the
build when a citation is not verbatim, a must-pass item fails, or a metric falls
below its committed threshold.
"""

from __future__ import annotations

import html
import json
import math
import re
import statistics
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from assistant.engine import Assistant
from assistant.errors import DatasetError
from assistant.models import Answer, Citation, IngestReport, Progress, Turn
from assistant.text.normalise import contains_fact, query_terms, term_set

__all__ = [
    "PARTS",
    "Corpus",
    "CorpusDocument",
    "EvalItem",
    "ItemResult",
    "Report",
    "check_gate",
    "ci_summary",
    "index_corpus",
    "junit_xml",
    "load_corpus",
    "load_dataset",
    "load_datasets",
    "run_evaluation",
    "score_item",
    "write_report",
]

KINDS = {
    "threshold",
    "definition",
    "timescale",
    "procedure",
    "figure",
    "fact",
    "multi_part",
    "follow_up",
    "paraphrase",
    "false_premise",
    "unanswerable",
    "out_of_scope",
    "near_miss",
    "person",
    "list",
    "contact",
    "scenario",
    "cross_document",
}
RECALL_K = 5


@dataclass(frozen=True)
class EvalItem:
    id: str
    question: str
    kind: str
    answerable: bool
    expected_answer: str = ""
    must_include: tuple[str, ...] = ()
    must_not_include: tuple[str, ...] = ()
    evidence: tuple[tuple[str, str], ...] = ()  # (document, quote)
    history: tuple[Turn, ...] = ()
    group: str | None = None
    must_pass: bool = False
    notes: str = ""
    documents: tuple[str, ...] = ()
    """The documents the question is about (for an unanswerable one, those it seems to be about)."""
    part: str = "seed"
    genre: str = ""


@dataclass
class ItemResult:
    id: str
    kind: str
    question: str
    answerable: bool
    must_pass: bool
    abstained: bool
    answer: str
    facts_found: list[str] = field(default_factory=list)
    facts_missing: list[str] = field(default_factory=list)
    violations: list[str] = field(default_factory=list)
    citations_valid: bool = True
    invalid_quotes: list[str] = field(default_factory=list)
    citations_supported: bool | None = None
    evidence_found: int = 0
    evidence_total: int = 0
    first_hit_rank: int | None = None
    latency_ms: float = 0.0
    citations: list[dict[str, Any]] = field(default_factory=list)
    mode: str = "extractive"
    part: str = "seed"
    genre: str = ""
    documents: list[str] = field(default_factory=list)
    lead_has_facts: bool | None = None
    """For an answered figure, timescale, threshold or yes/no question with key facts: does the
    answer's first sentence (before its first [n]) hold them all? None when not applicable."""
    answer_words: int | None = None
    """Words of an answer given (citation markers left out); None when abstained."""
    conditions: int | None = None
    """For an answered scenario question: how many conditions the answer sets beside the situation."""
    off_topic_quotes: int = 0
    """Quotes of the answer that share no word (or synonym, or abbreviation) with the question."""
    confidence: float | None = None
    """The fitted scorer's confidence that the evidence answers the question (None without a scorer)."""
    features: dict[str, float] = field(default_factory=dict)
    """The answerer's figures for its best evidence (what the scorer reads)."""

    @property
    def facts_ok(self) -> bool:
        return not self.abstained and not self.facts_missing

    @property
    def passed(self) -> bool:
        """Right for its kind: answered with every key fact, or rightly abstained."""
        if not self.citations_valid or self.violations:
            return False
        if not self.answerable:
            return self.abstained
        return self.facts_ok

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["passed"] = self.passed
        data["facts_ok"] = self.facts_ok
        return data


# -- the evaluation corpus -----------------------------------------------------------------

PARTS = ("seed", "dev", "held-out")


@dataclass(frozen=True)
class CorpusDocument:
    """One document of the evaluation corpus and the part it belongs to."""

    file: str
    path: Path
    part: str
    genre: str
    real: bool = True
    publisher: str = ""


@dataclass(frozen=True)
class Corpus:
    """The evaluation corpus (``eval/corpus.json``): documents and the datasets asked about them."""

    documents: tuple[CorpusDocument, ...]
    datasets: tuple[tuple[Path, str], ...] = ()
    """(dataset file, the part its questions default to)."""
    briefings: tuple[Path, ...] = ()
    """Briefing topics with the duty, role or timescale each briefing must carry (products/topic_checks.py)."""
    register: tuple[Path, ...] = ()
    """Register searches with the value a rule states and the subject it must be listed under."""

    def document(self, file: str) -> CorpusDocument | None:
        return next((d for d in self.documents if d.file == file), None)

    def unlisted(self, files: Sequence[str]) -> str | None:
        """The problem with ``files`` some of which the manifest does not list (None when it lists all):
        a misspelt name would otherwise put an item in the wrong part."""
        unknown = [f for f in files if self.document(f) is None]
        return f"field 'documents': not in the corpus manifest: {', '.join(unknown)}" if unknown else None

    def part_of(self, files: Sequence[str]) -> str | None:
        """The part of a question about ``files``: held-out if any is held out, else dev, else seed."""
        parts = {d.part for f in files if (d := self.document(f)) is not None}
        return next((p for p in reversed(PARTS) if p in parts), None)

    def genre_of(self, files: Sequence[str]) -> str:
        genres = [d.genre for f in files if (d := self.document(f)) is not None]
        return genres[0] if genres else ""

    def missing(self) -> list[CorpusDocument]:
        return [d for d in self.documents if not d.path.is_file()]


def load_corpus(path: Path, *, root: Path, shared: Path) -> Corpus:
    """Read a corpus manifest; ``location`` is relative to ``root``, ``${SHARED}`` is ``shared``."""
    path = Path(path)
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise DatasetError(f"{path}: cannot read the corpus manifest ({exc})") from None
    problems: list[str] = []
    documents: list[CorpusDocument] = []
    for index, entry in enumerate(raw.get("documents") or [] if isinstance(raw, dict) else []):
        if not isinstance(entry, dict) or not all(isinstance(entry.get(k), str) for k in ("file", "location", "part")):
            problems.append(f"documents[{index}]: needs string fields 'file', 'location' and 'part'")
            continue
        if entry["part"] not in PARTS:
            problems.append(f"documents[{index}]: field 'part' must be one of {', '.join(PARTS)}")
            continue
        location = entry["location"].replace("${SHARED}", str(shared))
        documents.append(
            CorpusDocument(
                file=entry["file"],
                path=(root / location) if not Path(location).is_absolute() else Path(location),
                part=entry["part"],
                genre=str(entry.get("genre") or ""),
                real=bool(entry.get("real", True)),
                publisher=str(entry.get("publisher") or ""),
            )
        )
    if len({d.file for d in documents}) != len(documents):
        problems.append("documents: file names must be unique (citations name documents by file)")
    datasets: list[tuple[Path, str]] = []
    for index, entry in enumerate(raw.get("datasets") or [] if isinstance(raw, dict) else []):
        if not isinstance(entry, dict) or not isinstance(entry.get("file"), str) or entry.get("part") not in PARTS:
            problems.append(f"datasets[{index}]: needs a string field 'file' and a 'part' ({', '.join(PARTS)})")
            continue
        datasets.append((root / entry["file"], entry["part"]))
    topic_files: dict[str, list[Path]] = {"briefings": [], "register": []}
    for key, files in topic_files.items():
        for index, entry in enumerate(raw.get(key) or [] if isinstance(raw, dict) else []):
            if not isinstance(entry, dict) or not isinstance(entry.get("file"), str):
                problems.append(f"{key}[{index}]: needs a string field 'file'")
                continue
            files.append(root / entry["file"])
    if problems or not documents:
        shown = "\n  ".join(problems or ["no documents listed"])
        raise DatasetError(f"{path}: {shown}")
    return Corpus(tuple(documents), tuple(datasets), tuple(topic_files["briefings"]), tuple(topic_files["register"]))


def index_corpus(assistant: Assistant, corpus: Corpus, *, progress: Progress | None = None) -> IngestReport:
    """Bring ``assistant``'s index in line with the corpus: its documents, and nothing else."""
    missing = corpus.missing()
    if missing:
        names = ", ".join(str(d.path) for d in missing)
        raise DatasetError(
            f"evaluation documents not found: {names} (the shared material lives in ../shared; "
            "set ASSISTANT_SHARED_DIR to its folder)"
        )
    wanted = {d.path.resolve() for d in corpus.documents}
    stale = [r.doc_id for r in assistant.documents() if Path(r.path).resolve() not in wanted]
    if stale:
        assistant.remove(stale)
    return assistant.ingest([d.path for d in corpus.documents], progress=progress)


def load_datasets(corpus: Corpus | None, paths: Sequence[Path] = ()) -> list[EvalItem]:
    """The questions of ``paths`` (default: the corpus's datasets), ids unique across files."""
    chosen = [(Path(p), "seed") for p in paths] or list(corpus.datasets if corpus else ())
    items: list[EvalItem] = []
    for path, part in chosen:
        if not path.is_file() and not paths:
            continue  # a dataset the manifest lists but this checkout does not have yet
        items.extend(load_dataset(path, corpus, part=part))
    duplicates = sorted({i.id for i in items if sum(j.id == i.id for j in items) > 1})
    if duplicates:
        raise DatasetError(f"the same id appears in more than one dataset: {', '.join(duplicates[:10])}")
    if not items:
        raise DatasetError("no evaluation questions: give --dataset FILE")
    return items


# -- dataset ------------------------------------------------------------------------------


def load_dataset(path: Path, corpus: Corpus | None = None, *, part: str = "seed") -> list[EvalItem]:
    """Parse a JSONL dataset; every problem is reported with its line and field.

    An item's part is its own ``part`` field, else the part of its documents in ``corpus``,
    else ``part``; its documents are its ``documents`` field, else those of its evidence.
    """
    path = Path(path)
    if not path.is_file():
        raise DatasetError(f"{path}: no such dataset file")
    items: list[EvalItem] = []
    seen: set[str] = set()
    objects, problems = read_jsonl(path)
    for number, raw in objects:
        errors = _validate(raw)
        if errors:
            problems.extend(f"line {number}: {e}" for e in errors)
            continue
        if raw["id"] in seen:
            problems.append(f"line {number}: field 'id': duplicate id {raw['id']!r}")
            continue
        seen.add(raw["id"])
        documents = tuple(raw.get("documents") or dict.fromkeys(e["document"] for e in raw.get("evidence") or ()))
        item_part = raw.get("part") or (corpus.part_of(documents) if corpus else None) or part
        unlisted = corpus.unlisted(documents) if corpus is not None else None
        if unlisted:
            problems.append(f"line {number}: {unlisted}")
            continue
        items.append(
            EvalItem(
                id=raw["id"],
                question=raw["question"],
                kind=raw["kind"],
                answerable=raw["answerable"],
                expected_answer=raw.get("expected_answer") or "",
                must_include=tuple(raw.get("must_include") or ()),
                must_not_include=tuple(raw.get("must_not_include") or ()),
                evidence=tuple((e["document"], e["quote"]) for e in raw.get("evidence") or ()),
                history=tuple(Turn(t["question"], t.get("answer", "")) for t in raw.get("history") or ()),
                group=raw.get("group"),
                must_pass=bool(raw.get("must_pass", False)),
                notes=raw.get("notes") or "",
                documents=documents,
                part=item_part,
                genre=corpus.genre_of(documents) if corpus else "",
            )
        )
    if problems:
        shown = "\n  ".join(problems[:30])
        more = f"\n  ... and {len(problems) - 30} more" if len(problems) > 30 else ""
        raise DatasetError(f"{path}: {len(problems)} problem(s):\n  {shown}{more}")
    if not items:
        raise DatasetError(f"{path}: the dataset holds no items")
    return items


def read_jsonl(path: Path) -> tuple[list[tuple[int, dict[str, Any]]], list[str]]:
    """The JSON objects of a JSONL file with their line numbers, and a problem ("line N: ...") for
    each line that is not one; blank lines and lines starting with "//" are skipped."""
    objects: list[tuple[int, dict[str, Any]]] = []
    problems: list[str] = []
    for number, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("//"):
            continue
        try:
            raw = json.loads(line)
        except json.JSONDecodeError as exc:
            problems.append(f"line {number}: not valid JSON ({exc.msg})")
            continue
        if not isinstance(raw, dict):
            problems.append(f"line {number}: expected a JSON object")
            continue
        objects.append((number, raw))
    return objects, problems


def _validate(raw: dict[str, Any]) -> list[str]:
    errors: list[str] = []

    def need(name: str, kind: type | tuple[type, ...], required: bool = True) -> None:
        if name not in raw or raw[name] is None:
            if required:
                errors.append(f"field '{name}' is missing")
            return
        if not isinstance(raw[name], kind):
            expected = kind.__name__ if isinstance(kind, type) else " or ".join(k.__name__ for k in kind)
            errors.append(f"field '{name}' must be {expected}, got {type(raw[name]).__name__}")

    need("id", str)
    need("question", str)
    need("kind", str)
    need("answerable", bool)
    need("expected_answer", str, required=False)
    need("must_include", list, required=False)
    need("must_not_include", list, required=False)
    need("evidence", list, required=False)
    need("history", list, required=False)
    need("group", str, required=False)
    need("must_pass", bool, required=False)
    need("notes", str, required=False)
    need("documents", list, required=False)
    need("part", str, required=False)
    if isinstance(raw.get("part"), str) and raw["part"] not in PARTS:
        errors.append(f"field 'part' must be one of {', '.join(PARTS)}")
    if isinstance(raw.get("documents"), list) and not all(isinstance(d, str) for d in raw["documents"]):
        errors.append("field 'documents' must hold file names")
    if isinstance(raw.get("question"), str) and not raw["question"].strip():
        errors.append("field 'question' is empty")
    if isinstance(raw.get("kind"), str) and raw["kind"] not in KINDS:
        errors.append(f"field 'kind': unknown kind {raw['kind']!r} (one of {', '.join(sorted(KINDS))})")
    for name in ("must_include", "must_not_include"):
        if isinstance(raw.get(name), list) and not all(isinstance(x, str) and x.strip() for x in raw[name]):
            errors.append(f"field '{name}' must hold non-empty strings")
    for i, evidence in enumerate(raw.get("evidence") or [] if isinstance(raw.get("evidence"), list) else []):
        if (
            not isinstance(evidence, dict)
            or not isinstance(evidence.get("quote"), str)
            or not isinstance(evidence.get("document"), str)
        ):
            errors.append(f"field 'evidence[{i}]' must be an object with string fields 'document' and 'quote'")
    for i, turn in enumerate(raw.get("history") or [] if isinstance(raw.get("history"), list) else []):
        if not isinstance(turn, dict) or not isinstance(turn.get("question"), str):
            errors.append(f"field 'history[{i}]' must be an object with a string field 'question'")
    if raw.get("answerable") is True and isinstance(raw.get("must_include"), list) and not raw.get("evidence"):
        errors.append("field 'evidence': an answerable item needs at least one evidence quote")
    return errors


# -- scoring ------------------------------------------------------------------------------

LEAD_KINDS = frozenset({"figure", "timescale", "threshold", "false_premise"})
"""Kinds whose answer should state the key fact in its first sentence (values and yes/no)."""
_CITATION_MARK = re.compile(r"\[\d{1,4}\]")


def score_item(
    item: EvalItem,
    answer: Answer,
    document_texts: dict[str, str],
    retrieved: Sequence[tuple[str, str]] = (),
    latency_ms: float = 0.0,
) -> ItemResult:
    """Score one answer. ``retrieved`` is [(document, chunk text)] in rank order."""
    text = answer.answer if not answer.abstained else ""
    result = ItemResult(
        id=item.id,
        kind=item.kind,
        question=item.question,
        answerable=item.answerable,
        must_pass=item.must_pass,
        abstained=answer.abstained,
        answer=answer.answer,
        latency_ms=round(latency_ms, 1),
        citations=[c.public() for c in answer.citations],
        mode=answer.mode,
        part=item.part,
        genre=item.genre,
        documents=list(item.documents),
    )
    for fact in item.must_include:
        (result.facts_found if text and contains_fact(text, fact) else result.facts_missing).append(fact)
    if text:
        result.answer_words = len(_CITATION_MARK.sub(" ", text).split())
        if item.answerable and item.must_include and item.kind in LEAD_KINDS:
            lead = _CITATION_MARK.split(text, maxsplit=1)[0]
            result.lead_has_facts = all(contains_fact(lead, fact) for fact in item.must_include)
    figures = answer.diagnostics
    result.features = {k: float(v) for k, v in figures.items() if isinstance(v, int | float) and k != "confidence"}
    if isinstance(figures.get("confidence"), int | float):
        result.confidence = float(figures["confidence"])
    if text and item.kind == "scenario":
        result.conditions = len(answer.conditions)
    if text:
        result.off_topic_quotes = off_topic_quotes(answer.standalone_query or item.question, answer.citations)
    result.violations = [bad for bad in item.must_not_include if text and contains_fact(text, bad)]
    result.invalid_quotes = not_verbatim(answer.citations, document_texts)
    result.citations_valid = not result.invalid_quotes
    if item.answerable and not answer.abstained and answer.citations:
        quoted = " ".join(c.quote for c in answer.citations)
        facts_supported = all(contains_fact(quoted, f) for f in item.must_include) if item.must_include else False
        overlaps = any(_overlap(quote, c.quote) for _, quote in item.evidence for c in answer.citations)
        result.citations_supported = facts_supported or overlaps
    result.evidence_total = len(item.evidence)
    for _, quote in item.evidence:
        if any(quote in chunk for _, chunk in retrieved[:RECALL_K]):
            result.evidence_found += 1
    for rank, (_, chunk) in enumerate(retrieved, start=1):
        if any(quote in chunk for _, quote in item.evidence):
            result.first_hit_rank = rank
            break
    return result


def not_verbatim(citations: Iterable[Citation], texts: Mapping[str, str]) -> list[str]:
    """The quotes that are not, character for character, in their document's cleaned text
    (``texts``: by file name, as :func:`indexed_texts` gives them)."""
    return [c.quote for c in citations if (source := texts.get(c.document)) is None or c.quote not in source]


def indexed_texts(assistant: Assistant) -> dict[str, str]:
    """Each indexed document's cleaned text, by file name (what citations name)."""
    return {r.file_name: assistant.document_text(r.doc_id) or "" for r in assistant.documents()}


def off_topic_quotes(asked: str, citations: Iterable[Citation]) -> int:
    """Quotes that share no word, synonym or abbreviation with what was asked, their heading included."""
    terms = set(query_terms(asked))
    return sum(1 for c in citations if not bears_on(terms, [c]))


def bears_on(asked_terms: AbstractSet[str], citations: Iterable[Citation]) -> bool:
    """Does any of these quotes, or the heading it sits directly under, share a word with the question?"""
    return any(asked_terms & term_set(f"{c.section.rsplit('›', 1)[-1]} {c.quote}") for c in citations)


def _overlap(a: str, b: str) -> bool:
    """Do two quotes share a substantial span (one contains most of the other)?"""
    short, long_ = sorted((a, b), key=len)
    if short in long_:
        return True
    words = short.split()
    if len(words) < 6:
        return False
    window = max(6, len(words) // 2)
    return any(" ".join(words[i : i + window]) in long_ for i in range(len(words) - window + 1))


# -- running ------------------------------------------------------------------------------


def run_evaluation(
    assistant: Assistant, items: Sequence[EvalItem], *, progress: Callable[[int, int], None] | None = None
) -> list[ItemResult]:
    """Ask every question (with its history) and score it."""
    texts = indexed_texts(assistant)
    results: list[ItemResult] = []
    for number, item in enumerate(items, start=1):
        started = time.perf_counter()
        answer = assistant.ask(item.question, item.history, id=item.id)
        latency = (time.perf_counter() - started) * 1000
        passages = assistant.passages(item.question, item.history, k=10)
        retrieved = [(p.chunk.file_name, p.chunk.text) for p in passages]
        results.append(score_item(item, answer, texts, retrieved, latency))
        if progress is not None:
            progress(number, len(items))
    return results


def each_document_left_out(
    assistant: Assistant, corpus: Corpus, items: Sequence[EvalItem], *, parts: Iterable[str] = PARTS
) -> Iterator[tuple[CorpusDocument, list[EvalItem]]]:
    """For each document of ``parts`` with questions of its own: the document and its own answerable
    questions, while it is out of the index. It is indexed again before the next one (its vectors
    are kept: re-indexing is quick), also when the caller stops early."""
    chosen = set(parts)
    for document in corpus.documents:
        if document.part not in chosen:
            continue
        questions = [i for i in items if i.answerable and list(i.documents) == [document.file]]
        record = next((r for r in assistant.documents() if Path(r.path).resolve() == document.path.resolve()), None)
        if not questions or record is None:
            continue
        assistant.remove([record.doc_id])
        try:
            yield document, questions
        finally:
            assistant.ingest([document.path])


def leave_one_out(
    assistant: Assistant, corpus: Corpus, items: Sequence[EvalItem], *, progress: Callable[[str], None] | None = None
) -> list[dict[str, Any]]:
    """Each document's own answerable questions, asked with that document taken out of the index.

    Nothing else in the corpus answers them, so each should be refused: the share that is
    answered all the same (from another document, with a neighbouring fact) is the risk of a
    confident wrong answer when a partnership's corpus lacks the document a practitioner needs.
    """
    rows: list[dict[str, Any]] = []
    for document, questions in each_document_left_out(assistant, corpus, items):
        if progress is not None:
            progress(document.file)
        answered = [i.id for i in questions if not assistant.ask(i.question, i.history, id=i.id).abstained]
        rows.append(
            {
                "document": document.file,
                "part": document.part,
                "questions": len(questions),
                "refused": round(1 - len(answered) / len(questions), 3),
                "answered": answered if document.part != "held-out" else [],
            }
        )
    return rows


# -- metrics ------------------------------------------------------------------------------


def wilson(successes: int, total: int, z: float = 1.96) -> tuple[float, float]:
    """95 % Wilson score interval for a proportion."""
    if total == 0:
        return (0.0, 0.0)
    p = successes / total
    denominator = 1 + z * z / total
    centre = (p + z * z / (2 * total)) / denominator
    half = z * math.sqrt(p * (1 - p) / total + z * z / (4 * total * total)) / denominator
    return (max(0.0, centre - half), min(1.0, centre + half))


@dataclass
class Report:
    metrics: dict[str, float]
    counts: dict[str, int]
    per_kind: dict[str, dict[str, Any]]
    results: list[ItemResult]
    latency: dict[str, float]
    parts: dict[str, dict[str, Any]] = field(default_factory=dict)
    """Per part (seed, dev, held-out): its metrics and counts."""
    genres: dict[str, dict[str, dict[str, Any]]] = field(default_factory=dict)
    """Per part, per genre: items, pass rate and its 95 % interval, key facts, abstention."""
    documents: dict[str, dict[str, Any]] = field(default_factory=dict)
    """Per document: items and pass rate."""
    left_out: list[dict[str, Any]] = field(default_factory=list)
    """Leave one document out: per document, its own questions asked without it (they should be refused)."""
    calibration: dict[str, list[dict[str, float]]] = field(default_factory=dict)
    """Per part: the answers given, by the scorer's confidence, against how often they were right."""
    briefings: list[dict[str, Any]] = field(default_factory=list)
    """Briefing checks, one row per topic (its metrics are in ``parts``)."""
    register: list[dict[str, Any]] = field(default_factory=list)
    """Register checks, one row per search (its metrics are in ``parts``)."""

    def as_dict(self) -> dict[str, Any]:
        return {
            "metrics": self.metrics,
            "counts": self.counts,
            "parts": self.parts,
            "genres": self.genres,
            "documents": self.documents,
            "left_out": self.left_out,
            "calibration": self.calibration,
            "briefings": self.briefings,
            "register": self.register,
            "per_kind": self.per_kind,
            "latency_ms": self.latency,
            "items": {r.id: r.passed for r in self.results},
        }


def _metrics(results: Sequence[ItemResult]) -> tuple[dict[str, float], dict[str, int]]:
    answerable = [r for r in results if r.answerable]
    unanswerable = [r for r in results if not r.answerable]
    with_evidence = [r for r in answerable if r.evidence_total]
    answered = [r for r in answerable if not r.abstained]
    supported = [r for r in answered if r.citations_supported is not None]
    facts_total = sum(len(r.facts_found) + len(r.facts_missing) for r in answerable)
    facts_found = sum(len(r.facts_found) for r in answerable)
    leads = [r for r in results if r.lead_has_facts is not None]
    words = [r.answer_words for r in results if r.answer_words is not None]
    scenarios = [r for r in results if r.conditions is not None]
    metrics = {
        "key_fact_accuracy": _ratio(sum(r.facts_ok for r in answerable), len(answerable)),
        "key_fact_recall": _ratio(facts_found, facts_total),
        "evidence_recall_at_5": _mean([r.evidence_found / r.evidence_total for r in with_evidence]),
        "mrr": _mean([1.0 / r.first_hit_rank if r.first_hit_rank else 0.0 for r in with_evidence]),
        "citation_validity": _ratio(sum(r.citations_valid for r in results), len(results)),
        "citation_support": _ratio(sum(bool(r.citations_supported) for r in supported), len(supported)),
        "abstention_recall": _ratio(sum(r.abstained for r in unanswerable), len(unanswerable)),
        "false_abstention_rate": _ratio(sum(r.abstained for r in answerable), len(answerable)),
        "must_not_include_violations": float(sum(len(r.violations) for r in results)),
        "must_pass_passed": _ratio(sum(r.passed for r in results if r.must_pass), sum(r.must_pass for r in results)),
        "overall_pass_rate": _ratio(sum(r.passed for r in results), len(results)),
        "lead_fact_rate": _ratio(sum(bool(r.lead_has_facts) for r in leads), len(leads)),
        "median_answer_words": float(statistics.median(words)) if words else 0.0,
        "scenario_conditions_rate": _ratio(sum(bool(r.conditions) for r in scenarios), len(scenarios)),
        "off_topic_answers": float(sum(r.off_topic_quotes > 0 for r in results)),
    }
    counts = {
        "items": len(results),
        "answered_by_llm": sum(r.mode == "llm" for r in results),
        "answerable": len(answerable),
        "unanswerable": len(unanswerable),
        "must_pass": sum(r.must_pass for r in results),
    }
    return {k: round(v, 4) for k, v in metrics.items()}, counts


def _pass_rates(results: Sequence[ItemResult]) -> dict[str, Any]:
    passed = sum(r.passed for r in results)
    low, high = wilson(passed, len(results))
    answerable = [r for r in results if r.answerable]
    unanswerable = [r for r in results if not r.answerable]
    return {
        "n": len(results),
        "pass_rate": round(passed / len(results), 4) if results else 1.0,
        "ci95": [round(low, 4), round(high, 4)],
        "key_fact_accuracy": round(_ratio(sum(r.facts_ok for r in answerable), len(answerable)), 4),
        "abstention_recall": round(_ratio(sum(r.abstained for r in unanswerable), len(unanswerable)), 4),
    }


def answered_right(result: ItemResult) -> bool:
    """An answerable question answered with every key fact (what the scorer's confidence predicts)."""
    return result.answerable and not result.abstained and not result.facts_missing


def calibration_bins(results: Sequence[ItemResult], bins: int = 5) -> list[dict[str, float]]:
    """The answers given, grouped by the scorer's confidence, against the share that were right."""
    answered = [r for r in results if not r.abstained and r.confidence is not None]
    rows: list[dict[str, float]] = []
    for n in range(bins):
        low, high = n / bins, (n + 1) / bins
        group = [r for r in answered if low <= (r.confidence or 0.0) < high or (n == bins - 1 and r.confidence == 1.0)]
        if group:
            rows.append(
                {
                    "low": low,
                    "high": high,
                    "answers": float(len(group)),
                    "mean_confidence": round(statistics.fmean(r.confidence or 0.0 for r in group), 4),
                    "right": round(sum(answered_right(r) for r in group) / len(group), 4),
                }
            )
    return rows


def summarise(results: Sequence[ItemResult]) -> Report:
    metrics, counts = _metrics(results)
    per_kind: dict[str, dict[str, Any]] = {}
    groups: dict[str, list[ItemResult]] = defaultdict(list)
    for result in results:
        groups[result.kind].append(result)
    for kind, members in sorted(groups.items()):
        row = _pass_rates(members)
        per_kind[kind] = {
            "n": row["n"],
            "pass_rate": row["pass_rate"],
            "ci95": row["ci95"],
            "mean_latency_ms": round(statistics.fmean(r.latency_ms for r in members), 1),
        }
    parts: dict[str, dict[str, Any]] = {}
    genres: dict[str, dict[str, dict[str, Any]]] = {}
    for part in PARTS:
        members = [r for r in results if r.part == part]
        if not members:
            continue
        part_metrics, part_counts = _metrics(members)
        parts[part] = {"metrics": part_metrics, "counts": part_counts}
        by_genre: dict[str, list[ItemResult]] = defaultdict(list)
        for result in members:
            by_genre[result.genre or "unspecified"].append(result)
        genres[part] = {genre: _pass_rates(rows) for genre, rows in sorted(by_genre.items())}
    by_document: dict[str, list[ItemResult]] = defaultdict(list)
    for result in results:
        for document in result.documents or ["(no document)"]:
            by_document[document].append(result)
    documents = {name: _pass_rates(rows) for name, rows in sorted(by_document.items())}
    latencies = sorted(r.latency_ms for r in results)
    latency = {
        "p50": _percentile(latencies, 50),
        "p95": _percentile(latencies, 95),
        "max": latencies[-1] if latencies else 0.0,
    }
    calibration = {part: rows for part in PARTS if (rows := calibration_bins([r for r in results if r.part == part]))}
    return Report(metrics, counts, per_kind, list(results), latency, parts, genres, documents, calibration=calibration)


def _ratio(a: float, b: float) -> float:
    return a / b if b else 1.0


def _mean(values: Iterable[float]) -> float:
    values = list(values)
    return statistics.fmean(values) if values else 1.0


def _percentile(sorted_values: Sequence[float], pct: float) -> float:
    if not sorted_values:
        return 0.0
    index = min(len(sorted_values) - 1, max(0, math.ceil(pct / 100 * len(sorted_values)) - 1))
    return round(sorted_values[index], 1)


# -- gate ---------------------------------------------------------------------------------


def check_gate(report: Report, thresholds: dict[str, Any]) -> list[str]:
    """Reasons the gate fails (empty when it passes).

    ``thresholds`` holds, per part, the minimum and maximum of each metric
    (``{"parts": {"held-out": {"minimum": {...}, "maximum": {...}}}, "genres": {"held-out": 0.75}}``);
    a flat ``{"minimum": ..., "maximum": ...}`` applies to the whole set. Every must-pass item
    must pass unless ``"every_must_pass": false``.
    """
    failures: list[str] = []
    if report.metrics["citation_validity"] < 1.0:
        bad = [r.id for r in report.results if not r.citations_valid]
        failures.append(f"citations not verbatim in: {', '.join(bad)}")
    failed_must = [r.id for r in report.results if r.must_pass and not r.passed]
    # "every_must_pass": false leaves must-pass items to the must_pass_passed threshold of each part
    if failed_must and thresholds.get("every_must_pass", True):
        failures.append(f"must-pass items failed: {', '.join(failed_must)}")
    scopes: list[tuple[str, dict[str, float], dict[str, Any]]] = []
    if "minimum" in thresholds or "maximum" in thresholds:
        scopes.append(("all", report.metrics, thresholds))
    for part, limits in (thresholds.get("parts") or {}).items():
        if part not in report.parts:
            failures.append(f"part {part!r} has thresholds but no questions were run")
            continue
        scopes.append((part, report.parts[part]["metrics"], limits))
    for scope, metrics, limits in scopes:
        label = "" if scope == "all" else f"{scope}: "
        for name, limit in (limits.get("minimum") or {}).items():
            value = metrics.get(name)
            if value is None:
                failures.append(f"{label}unknown metric in thresholds: {name}")
            elif value < limit:
                failures.append(f"{label}{name} = {value:.3f}, below the threshold {limit:.3f}")
        for name, limit in (limits.get("maximum") or {}).items():
            value = metrics.get(name)
            if value is None:
                failures.append(f"{label}unknown metric in thresholds: {name}")
            elif value > limit:
                failures.append(f"{label}{name} = {value:.3f}, above the limit {limit:.3f}")
    for part, minimum in (thresholds.get("genres") or {}).items():
        for genre, row in (report.genres.get(part) or {}).items():
            if row["pass_rate"] < minimum:
                failures.append(f"{part}: genre {genre!r} passes {row['pass_rate']:.3f}, below {minimum:.3f}")
    return failures


def compare(report: Report, baseline: dict[str, Any]) -> dict[str, list[str]]:
    before: dict[str, bool] = baseline.get("items", {})
    now = {r.id: r.passed for r in report.results}
    return {
        "newly_failed": sorted(i for i, ok in now.items() if not ok and before.get(i) is True),
        "newly_passed": sorted(i for i, ok in now.items() if ok and before.get(i) is False),
        "new_items": sorted(i for i in now if i not in before),
    }


# -- reports ------------------------------------------------------------------------------


def write_report(
    report: Report, folder: Path, *, baseline: dict[str, Any] | None = None, gate: list[str] | None = None
) -> None:
    """Markdown summary, an HTML page with charts, per-question JSONL, and the raw JSON."""
    folder.mkdir(parents=True, exist_ok=True)
    diff = compare(report, baseline) if baseline else None
    with (folder / "results.jsonl").open("w", encoding="utf-8") as handle:
        for result in report.results:
            handle.write(json.dumps(result.as_dict(), ensure_ascii=False) + "\n")
    data = report.as_dict()
    if diff is not None:
        data["baseline_diff"] = diff
    if gate is not None:
        data["gate"] = {"passed": not gate, "failures": gate}
    (folder / "report.json").write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
    (folder / "summary.md").write_text(_markdown(report, diff, gate), encoding="utf-8")
    (folder / "report.html").write_text(_html(report, diff, gate), encoding="utf-8")
    (folder / "junit.xml").write_bytes(junit_xml(report))
    (folder / "ci-summary.md").write_text(ci_summary(report, diff, gate), encoding="utf-8")


def _failure_reason(result: ItemResult) -> str:
    """Why an item failed, in words that never quote a held-out question or its facts."""
    reasons = []
    if result.answerable and result.abstained:
        reasons.append("declined to answer an answerable question")
    if not result.answerable and not result.abstained:
        reasons.append("answered a question the documents do not answer")
    hidden = result.part == "held-out"
    if result.facts_missing and not result.abstained:
        reasons.append(
            f"{len(result.facts_missing)} key fact(s) missing"
            + ("" if hidden else ": " + ", ".join(result.facts_missing))
        )
    if result.violations:
        reasons.append(
            f"stated {len(result.violations)} forbidden value(s)"
            + ("" if hidden else ": " + ", ".join(result.violations))
        )
    if not result.citations_valid:
        reasons.append("a citation is not verbatim")
    return "; ".join(reasons) or "failed"


def junit_xml(report: Report) -> bytes:
    """JUnit XML: one test suite per part, one test case per question (CI shows failing questions)."""
    import xml.etree.ElementTree as ET

    root = ET.Element("testsuites", name="assistant eval", tests=str(len(report.results)))
    by_part: dict[str, list[ItemResult]] = defaultdict(list)
    for result in report.results:
        by_part[result.part].append(result)
    for part, results in by_part.items():
        failures = sum(not r.passed for r in results)
        suite = ET.SubElement(
            root,
            "testsuite",
            name=f"eval.{part}",
            tests=str(len(results)),
            failures=str(failures),
            time=f"{sum(r.latency_ms for r in results) / 1000:.3f}",
        )
        for result in results:
            case = ET.SubElement(
                suite,
                "testcase",
                classname=f"eval.{part}.{result.kind}",
                name=result.id,
                time=f"{result.latency_ms / 1000:.3f}",
            )
            if not result.passed:
                reason = _failure_reason(result)
                failure = ET.SubElement(case, "failure", message=reason, type="EvaluationFailure")
                if result.part != "held-out":
                    failure.text = f"Q: {result.question}\nA: {result.answer[:500]}"
    return bytes(ET.tostring(root, encoding="utf-8", xml_declaration=True))


def ci_summary(report: Report, diff: dict[str, list[str]] | None, gate: list[str] | None) -> str:
    """A short Markdown summary for a CI job page: the gate, the key metrics per part, the baseline diff."""
    lines = ["## Evaluation", ""]
    if gate is not None:
        lines.append("**Gate passed**" if not gate else "**Gate FAILED**")
        lines.extend(f"- {g}" for g in gate)
        lines.append("")
    keys = (
        "key_fact_accuracy",
        "abstention_recall",
        "false_abstention_rate",
        "evidence_recall_at_5",
        "citation_validity",
    )
    scopes = [(p, row["metrics"], row["counts"]["items"]) for p, row in report.parts.items()]
    scopes.append(("all", report.metrics, report.counts["items"]))
    lines += ["| part | items | " + " | ".join(keys) + " |", "|---" * (len(keys) + 2) + "|"]
    for name, metrics, items in scopes:
        lines.append(f"| {name} | {items} | " + " | ".join(f"{metrics[k]:.3f}" for k in keys) + " |")
    if diff is not None:
        lines += ["", f"Newly failing: {', '.join(diff['newly_failed']) or 'none'}"]
        lines.append(f"Newly passing: {', '.join(diff['newly_passed']) or 'none'}")
    return "\n".join(lines) + "\n"


def _markdown(report: Report, diff: dict[str, list[str]] | None, gate: list[str] | None) -> str:
    lines = ["# Evaluation summary", ""]
    c = report.counts
    lines.append(
        f"{c['items']} items ({c['answerable']} answerable, {c['unanswerable']} not answerable, "
        f"{c['must_pass']} must-pass)."
    )
    lines.append("")
    if gate is not None:
        lines.append("**Gate: PASSED**" if not gate else "**Gate: FAILED**")
        lines.extend(f"- {g}" for g in gate)
        lines.append("")
    if report.parts:
        names = list(report.parts)
        lines += ["## By part", "", "| metric | " + " | ".join(names) + " | all |", "|---" * (len(names) + 2) + "|"]
        for metric, value in report.metrics.items():
            cells = " | ".join(f"{report.parts[p]['metrics'][metric]:.3f}" for p in names)
            lines.append(f"| {metric} | {cells} | {value:.3f} |")
        counts = " | ".join(str(report.parts[p]["counts"]["items"]) for p in names)
        lines += [f"| items | {counts} | {report.counts['items']} |", ""]
        lines += ["## By genre", "", "| part | genre | n | pass rate | 95 % CI | key facts | abstention |"]
        lines.append("|---|---|---|---|---|---|---|")
        for part, rows in report.genres.items():
            for genre, row in rows.items():
                lines.append(
                    f"| {part} | {genre} | {row['n']} | {row['pass_rate']:.2f} "
                    f"| {row['ci95'][0]:.2f}–{row['ci95'][1]:.2f} "
                    f"| {row['key_fact_accuracy']:.2f} | {row['abstention_recall']:.2f} |"
                )
        lines += [
            "",
            "## By document",
            "",
            "| document | n | pass rate | key facts | abstention |",
            "|---|---|---|---|---|",
        ]
        for name, row in report.documents.items():
            lines.append(
                f"| {name} | {row['n']} | {row['pass_rate']:.2f} | {row['key_fact_accuracy']:.2f} "
                f"| {row['abstention_recall']:.2f} |"
            )
        if report.left_out:
            lines += [
                "",
                "## Leave one document out",
                "",
                "Each document's own answerable questions, asked with that document taken out of the index. "
                "Where no other document states the same, each should be refused; an answer given instead is "
                "at best from another document that covers the same ground (as the two synthetic Westbrook "
                "documents do), at worst a neighbouring fact stated with confidence.",
                "",
                "| document | part | questions | refused |",
                "|---|---|---|---|",
            ]
            for row in report.left_out:
                lines.append(f"| {row['document']} | {row['part']} | {row['questions']} | {row['refused']:.2f} |")
            for part in PARTS:
                chosen = [r for r in report.left_out if r["part"] == part]
                total = sum(r["questions"] for r in chosen)
                if total:
                    refused = sum(r["refused"] * r["questions"] for r in chosen) / total
                    lines.append(f"| **{part}** | | {total} | {refused:.2f} |")
        if report.calibration:
            lines += [
                "",
                "## Calibration",
                "",
                "The answers given, grouped by the fitted scorer's confidence (`assistant fit-scorer`, fitted on "
                "the seed and development questions only), against the share that were right (an answerable "
                "question answered with every key fact). A calibrated scorer's two columns agree.",
                "",
                "| part | confidence | answers | mean confidence | right |",
                "|---|---|---|---|---|",
            ]
            for part_name, bands in report.calibration.items():
                for band in bands:
                    lines.append(
                        f"| {part_name} | {band['low']:.1f}–{band['high']:.1f} | {band['answers']:.0f} "
                        f"| {band['mean_confidence']:.2f} | {band['right']:.2f} |"
                    )
        if report.briefings:
            lines += [
                "",
                "## Briefings",
                "",
                "Each topic's 7-minute briefing over the whole corpus: does it carry the key duty, role or "
                "timescale its documents state, and does every quote share a word with the topic?",
                "",
                "| briefing | part | key points | off-topic statements | citations | passed |",
                "|---|---|---|---|---|---|",
            ]
            for row in report.briefings:
                found, total = row["key_points"]
                lines.append(
                    f"| `{row['id']}` | {row['part']} | {found} of {total} | {row['off_topic_statements']} "
                    f"| {row['citations']} | {'yes' if row['passed'] else 'no'} |"
                )
        if report.register:
            lines += [
                "",
                "## The register",
                "",
                "For each search, the rule stating the value must be found in its documents and listed under "
                "the subject it is about.",
                "",
                "| case | part | found | right subject |",
                "|---|---|---|---|",
            ]
            for row in report.register:
                lines.append(
                    f"| `{row['id']}` | {row['part']} | {'yes' if row['found'] else 'no'} "
                    f"| {'yes' if row['subject_ok'] else 'no'} |"
                )
        lines += ["", "## The whole set", ""]
    lines += ["| metric | value |", "|---|---|"]
    lines += [f"| {name} | {value:.3f} |" for name, value in report.metrics.items()]
    lines += ["", f"Latency per question: p50 {report.latency['p50']:.0f} ms, p95 {report.latency['p95']:.0f} ms.", ""]
    lines += ["## By kind", "", "| kind | n | pass rate | 95 % CI | mean latency (ms) |", "|---|---|---|---|---|"]
    for kind, row in report.per_kind.items():
        lines.append(
            f"| {kind} | {row['n']} | {row['pass_rate']:.2f} | {row['ci95'][0]:.2f}–{row['ci95'][1]:.2f} "
            f"| {row['mean_latency_ms']:.0f} |"
        )
    if diff is not None:
        lines += ["", "## Against the baseline", ""]
        lines.append(f"Newly failed: {', '.join(diff['newly_failed']) or 'none'}")
        lines.append(f"Newly passed: {', '.join(diff['newly_passed']) or 'none'}")
    failed = [r for r in report.results if not r.passed]
    if failed:
        lines += ["", "## Failing items", ""]
        for r in failed:
            # a held-out item's question, facts and forbidden values are never shown: no one tunes on them
            question = r.question if r.part != "held-out" else "(held-out question not shown)"
            lines.append(f"- `{r.id}` ({r.kind}): {_failure_reason(r)} — {question}")
    return "\n".join(lines) + "\n"


def _bar_chart(title: str, rows: list[tuple[str, float]], maximum: float, unit: str = "") -> str:
    height = 22 * len(rows) + 30
    parts = [
        f'<svg role="img" aria-label="{html.escape(title)}" width="640" height="{height}" xmlns="http://www.w3.org/2000/svg">'
    ]
    parts.append(f'<text x="0" y="16" font-weight="bold">{html.escape(title)}</text>')
    for i, (label, value) in enumerate(rows):
        y = 28 + 22 * i
        width = 0 if maximum <= 0 else int(380 * value / maximum)
        parts.append(f'<text x="0" y="{y + 13}" font-size="12">{html.escape(label)}</text>')
        parts.append(f'<rect x="170" y="{y}" width="{width}" height="16" fill="#2f6f9f"/>')
        parts.append(f'<text x="{176 + width}" y="{y + 13}" font-size="12">{value:.2f}{unit}</text>')
    parts.append("</svg>")
    return "".join(parts)


def _calibration_chart(title: str, rows: list[dict[str, float]]) -> str:
    """A reliability diagram: for each confidence band, the share of answers right (bar) and the band's
    mean confidence (tick); on a calibrated scorer the ticks sit on the bars' ends."""
    height = 26 * len(rows) + 46
    parts = [
        f'<svg role="img" aria-label="{html.escape(title)}" width="640" height="{height}" '
        'xmlns="http://www.w3.org/2000/svg">',
        f'<text x="0" y="16" font-weight="bold">{html.escape(title)}</text>',
    ]
    for i, row in enumerate(rows):
        y = 28 + 26 * i
        right = int(380 * row["right"])
        tick = 170 + int(380 * row["mean_confidence"])
        label = f"{row['low']:.1f}–{row['high']:.1f} ({row['answers']:.0f})"
        parts.append(f'<text x="0" y="{y + 13}" font-size="12">{html.escape(label)}</text>')
        parts.append(f'<rect x="170" y="{y}" width="{right}" height="16" fill="#2f6f9f"/>')
        parts.append(f'<line x1="{tick}" y1="{y - 3}" x2="{tick}" y2="{y + 19}" stroke="#b3261e" stroke-width="2"/>')
        parts.append(
            f'<text x="{176 + max(right, tick - 170)}" y="{y + 13}" font-size="12">'
            f"right {row['right']:.2f}, confidence {row['mean_confidence']:.2f}</text>"
        )
    parts.append(
        f'<text x="0" y="{height - 6}" font-size="11">bars: share right; red ticks: mean confidence; '
        "(n): answers in the band</text></svg>"
    )
    return "".join(parts)


def _html(report: Report, diff: dict[str, list[str]] | None, gate: list[str] | None) -> str:
    genre_charts = "".join(
        _bar_chart(f"Pass rate by genre ({part})", [(g, r["pass_rate"]) for g, r in rows.items()], 1.0)
        for part, rows in report.genres.items()
    )
    names = list(report.parts)
    part_rows = (
        "<tr><th>metric</th>" + "".join(f"<th>{html.escape(p)}</th>" for p in names) + "<th>all</th></tr>"
        if names
        else ""
    )
    metrics = "".join(
        f"<tr><td>{html.escape(k)}</td>"
        + "".join(f"<td>{report.parts[p]['metrics'][k]:.3f}</td>" for p in names)
        + f"<td>{v:.3f}</td></tr>"
        for k, v in report.metrics.items()
    )
    calibration_charts = "".join(
        _calibration_chart(f"Calibration ({part}): confidence against answers right", rows)
        for part, rows in report.calibration.items()
    )
    kinds = [(k, v["pass_rate"]) for k, v in report.per_kind.items()]
    latency = [(k, v["mean_latency_ms"]) for k, v in report.per_kind.items()]
    rows = "".join(
        f'<tr class="{"ok" if r.passed else "bad"}"><td>{html.escape(r.id)}</td><td>{html.escape(r.kind)}</td>'
        f"<td>{'pass' if r.passed else 'FAIL'}</td>"
        # a held-out question and its answer are never shown: no one tunes on what they read
        f"<td>{html.escape(r.question if r.part != 'held-out' else '(held-out question not shown)')}</td>"
        f"<td>{html.escape(r.answer[:300] if r.part != 'held-out' else '')}</td>"
        f"<td>{r.latency_ms:.0f}</td></tr>"
        for r in report.results
    )
    gate_html = ""
    if gate is not None:
        gate_html = (
            "<p><strong>Gate: PASSED</strong></p>"
            if not gate
            else "<p><strong>Gate: FAILED</strong></p><ul>"
            + "".join(f"<li>{html.escape(g)}</li>" for g in gate)
            + "</ul>"
        )
    diff_html = ""
    if diff is not None:
        diff_html = (
            "<h2>Against the baseline</h2>"
            f"<p>Newly failed: {html.escape(', '.join(diff['newly_failed']) or 'none')}</p>"
            f"<p>Newly passed: {html.escape(', '.join(diff['newly_passed']) or 'none')}</p>"
        )
    return f"""<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Evaluation report</title>
<style>body{{font-family:system-ui,sans-serif;margin:2rem;max-width:70rem}}table{{border-collapse:collapse}}
td,th{{border:1px solid #ccc;padding:.25rem .5rem;vertical-align:top;font-size:.9rem}}
tr.bad td{{background:#fdecea}}</style>
</head><body><h1>Evaluation report</h1>{gate_html}
<h2>Metrics</h2><table>{part_rows}{metrics}</table>
<p>Latency: p50 {report.latency["p50"]:.0f} ms, p95 {report.latency["p95"]:.0f} ms.</p>
{_bar_chart("Pass rate by kind", kinds, 1.0)}
{genre_charts}
{calibration_charts}
{_bar_chart("Mean latency by kind (ms)", latency, max([v for _, v in latency] + [1.0]), " ms")}
{diff_html}
<h2>Items</h2><table><tr><th>id</th><th>kind</th><th>result</th><th>question</th><th>answer</th><th>ms</th></tr>{rows}</table>
</body></html>
"""
