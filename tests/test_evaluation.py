"""The evaluation runner's metrics on small hand-made cases, its dataset checks, and the gate."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from assistant.errors import DatasetError
from assistant.models import Answer, Citation
from assistant.products.evaluation import (
    EvalItem,
    check_gate,
    load_dataset,
    score_item,
    summarise,
    wilson,
    write_report,
)

ROOT = Path(__file__).resolve().parents[1]
DOC = "report.txt"
TEXT = "Conferences must be held within fifteen days. The board met 12 times. Police made 65 per cent of referrals."


def _answer(text: str, quotes: list[str], *, abstained: bool = False) -> Answer:
    citations = tuple(
        Citation(n=i, document=DOC, title="Report", section="", page=None, page_label=None, quote=q)
        for i, q in enumerate(quotes, start=1)
    )
    return Answer(question="q", answer=text, abstained=abstained, citations=citations, notice="n")


def _item(**fields: object) -> EvalItem:
    base: dict[str, object] = {"id": "x", "question": "q", "kind": "timescale", "answerable": True}
    base.update(fields)
    return EvalItem(**base)  # type: ignore[arg-type]


def test_a_number_in_words_satisfies_a_fact_in_digits() -> None:
    item = _item(must_include=("15 days",), evidence=((DOC, "held within fifteen days"),))
    result = score_item(
        item,
        _answer("Conferences must be held within fifteen days. [1]", ["Conferences must be held within fifteen days."]),
        {DOC: TEXT},
    )
    assert result.facts_missing == [] and result.facts_ok and result.passed
    assert result.citations_valid and result.citations_supported


def test_a_different_number_does_not_satisfy_the_fact() -> None:
    item = _item(must_include=("5 days",))
    result = score_item(
        item, _answer("Within fifteen days. [1]", ["Conferences must be held within fifteen days."]), {DOC: TEXT}
    )
    assert result.facts_missing == ["5 days"]
    assert not result.passed


def test_per_cent_and_percent_sign_are_the_same_fact() -> None:
    item = _item(must_include=("65%",))
    result = score_item(
        item,
        _answer("Police made 65 per cent of referrals. [1]", ["Police made 65 per cent of referrals."]),
        {DOC: TEXT},
    )
    assert result.facts_ok


def test_a_quote_that_is_not_verbatim_is_invalid_and_fails_the_item() -> None:
    item = _item(must_include=("15 days",))
    result = score_item(
        item, _answer("Held within 15 days. [1]", ["Conferences are held within 15 days."]), {DOC: TEXT}
    )
    assert not result.citations_valid
    assert result.invalid_quotes == ["Conferences are held within 15 days."]
    assert not result.passed


def test_abstaining_on_an_unanswerable_question_passes_and_answering_it_fails() -> None:
    item = _item(kind="near_miss", answerable=False)
    assert score_item(item, _answer("The documents do not say.", [], abstained=True), {DOC: TEXT}).passed
    assert not score_item(item, _answer("The board met 12 times. [1]", ["The board met 12 times."]), {DOC: TEXT}).passed


def test_abstaining_on_an_answerable_question_is_a_false_abstention() -> None:
    item = _item(must_include=("15 days",))
    results = [score_item(item, _answer("The documents do not say.", [], abstained=True), {DOC: TEXT})]
    report = summarise(results)
    assert report.metrics["false_abstention_rate"] == 1.0
    assert report.metrics["key_fact_accuracy"] == 0.0


def test_must_not_include_is_a_violation() -> None:
    item = _item(must_include=("15 days",), must_not_include=("5 days",))
    result = score_item(item, _answer("Within 5 days, not fifteen days.", []), {DOC: TEXT})
    assert result.violations == ["5 days"]
    assert not result.passed


def test_evidence_recall_counts_quotes_found_in_the_top_five_chunks() -> None:
    item = _item(must_include=("15 days",), evidence=((DOC, "within fifteen days"), (DOC, "met 12 times")))
    retrieved = [(DOC, "noise")] * 3 + [(DOC, TEXT)] + [(DOC, "noise")] * 3
    result = score_item(item, _answer("x", []), {DOC: TEXT}, retrieved)
    assert (result.evidence_found, result.evidence_total, result.first_hit_rank) == (2, 2, 4)
    late = score_item(item, _answer("x", []), {DOC: TEXT}, [(DOC, "noise")] * 5 + [(DOC, TEXT)])
    assert late.evidence_found == 0 and late.first_hit_rank == 6


def test_wilson_interval_is_sane() -> None:
    low, high = wilson(9, 10)
    assert 0.55 < low < 0.9 < high <= 1.0
    assert wilson(0, 0) == (0.0, 0.0)


def test_gate_reports_each_failure() -> None:
    item = _item(must_include=("15 days",), must_pass=True)
    report = summarise([score_item(item, _answer("No idea.", ["not in the document"]), {DOC: TEXT})])
    failures = check_gate(report, {"minimum": {"key_fact_accuracy": 0.9}, "maximum": {"false_abstention_rate": 0.0}})
    text = "\n".join(failures)
    assert "not verbatim" in text and "must-pass items failed: x" in text and "key_fact_accuracy" in text


def test_a_malformed_dataset_names_the_line_and_the_field(tmp_path: Path) -> None:
    path = tmp_path / "bad.jsonl"
    good = {"id": "a", "question": "q?", "kind": "fact", "answerable": False}
    lines = [
        json.dumps(good),
        "{not json",
        json.dumps({**good, "id": "b", "answerable": "yes"}),
        json.dumps({**good, "id": "c", "kind": "weird"}),
        json.dumps({**good, "id": "a"}),
        json.dumps({"id": "d", "kind": "fact", "answerable": True, "must_include": ["x"]}),
    ]
    path.write_text("\n".join(lines), encoding="utf-8")
    with pytest.raises(DatasetError) as caught:
        load_dataset(path)
    message = str(caught.value)
    assert "line 2: not valid JSON" in message
    assert "line 3: field 'answerable' must be bool" in message
    assert "line 4: field 'kind': unknown kind 'weird'" in message
    assert "line 5: field 'id': duplicate id 'a'" in message
    assert "line 6: field 'question' is missing" in message


def test_the_committed_dataset_is_well_formed_and_its_quotes_are_verbatim(seed_document) -> None:  # type: ignore[no-untyped-def]
    items = load_dataset(ROOT / "eval" / "dataset.jsonl")
    assert len(items) >= 100
    unanswerable = [i for i in items if not i.answerable]
    assert len(unanswerable) / len(items) >= 0.2
    kinds = {i.kind for i in items}
    assert {"follow_up", "paraphrase", "false_premise", "near_miss", "multi_part"} <= kinds
    for item in items:
        for document, quote in item.evidence:
            assert document == seed_document.file_name
            assert quote in seed_document.text, (item.id, quote)


def _gated_eval(data_dir: Path, report_dir: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    """``assistant eval`` as CI runs it, with the gate on; it must pass."""
    completed = subprocess.run(
        [sys.executable, "-m", "assistant", "eval", "--report", str(report_dir), *args],
        cwd=ROOT,
        env={**os.environ, "ASSISTANT_DATA_DIR": str(data_dir), **env},
        capture_output=True,
        text=True,
        timeout=1800,
    )
    print(completed.stdout)
    assert completed.returncode == 0, completed.stdout + completed.stderr
    assert "gate passed" in completed.stdout
    assert "Traceback" not in completed.stderr
    return completed


@pytest.mark.slow
@pytest.mark.eval
def test_the_evaluation_gate_passes(tmp_path: Path) -> None:
    """The whole set through the CLI, as CI runs it: a regression fails the build."""
    report_dir = ROOT / "test-artifacts" / "eval"
    _gated_eval(
        tmp_path / "data",
        report_dir,
        "--use-index",  # the seed alone, over the seed's own index
        "--dataset",
        str(ROOT / "eval" / "dataset.jsonl"),
        "--baseline",
        str(ROOT / "eval" / "baseline.json"),
        ASSISTANT_CORPUS_DIR=str(ROOT / "corpus"),
    )
    for name in ("summary.md", "report.html", "results.jsonl", "report.json"):
        assert (report_dir / name).is_file()


@pytest.mark.slow
@pytest.mark.eval
def test_the_evaluation_corpus_gate_passes_on_every_part(tmp_path: Path) -> None:
    """The seed, development and held-out parts over the whole evaluation corpus, each gated."""
    report_dir = ROOT / "test-artifacts" / "eval-corpus"
    _gated_eval(tmp_path / "data", report_dir, "--thresholds", str(ROOT / "eval" / "thresholds-corpus.json"))
    summary = (report_dir / "summary.md").read_text(encoding="utf-8")
    assert "| metric | seed | dev | held-out | all |" in summary  # every part reported, each named
    # leave one document out: every document with questions of its own, asked without it
    left_out = json.loads((report_dir / "report.json").read_text(encoding="utf-8"))["left_out"]
    corpus = json.loads((ROOT / "eval" / "corpus.json").read_text(encoding="utf-8"))["documents"]
    assert {row["document"] for row in left_out} == {d["file"] for d in corpus}
    assert all(0.0 <= row["refused"] <= 1.0 and row["questions"] > 0 for row in left_out)
    assert all(row["answered"] == [] for row in left_out if row["part"] == "held-out")  # held-out ids not shown
    assert "## Leave one document out" in summary


def test_junit_xml_has_one_case_per_question_and_hides_held_out_questions(tmp_path: Path) -> None:
    import xml.etree.ElementTree as ET

    from assistant.products.evaluation import ci_summary, junit_xml

    seed = score_item(_item(id="s-1", must_include=("15 days",)), _answer("No.", []), {DOC: TEXT})
    held = score_item(
        _item(id="h-1", question="a secret held-out question", must_include=("9 days",), part="held-out"),
        _answer("Within 5 days. [1]", ["Conferences must be held within fifteen days."]),
        {DOC: TEXT},
    )
    report = summarise([seed, held])
    root = ET.fromstring(junit_xml(report))
    cases = root.findall(".//testcase")
    assert sorted(c.get("name") for c in cases) == ["h-1", "s-1"]
    suites = {s.get("name"): s for s in root.findall("testsuite")}
    assert set(suites) == {"eval.seed", "eval.held-out"}
    failure = suites["eval.held-out"].find("testcase/failure")
    assert failure is not None and "1 key fact(s) missing" in failure.get("message", "")
    assert "secret" not in ET.tostring(root, encoding="unicode") and "9 days" not in ET.tostring(
        root, encoding="unicode"
    )
    summary = ci_summary(report, {"newly_failed": ["s-1"], "newly_passed": []}, ["seed: something"])
    assert "Gate FAILED" in summary and "Newly failing: s-1" in summary and "| held-out | 1 |" in summary
    # nor does the Markdown summary's list of failing items name a held-out item's facts
    write_report(report, tmp_path / "report")
    markdown = (tmp_path / "report" / "summary.md").read_text(encoding="utf-8")
    assert "`h-1`" in markdown and "1 key fact(s) missing" in markdown
    assert "secret" not in markdown and "9 days" not in markdown
    assert "missing: 15 days" in markdown  # a development item's are shown


def test_the_lead_sentence_and_the_answer_length_are_measured() -> None:
    from assistant.products.evaluation import summarise

    item = _item(must_include=("15 days",), evidence=((DOC, "held within fifteen days"),))
    quotes = ["The board met 12 times.", "Conferences must be held within fifteen days."]
    late = score_item(item, _answer("The board met 12 times. [1] Held within fifteen days. [2]", quotes), {DOC: TEXT})
    first = score_item(item, _answer("Held within fifteen days. [1]", quotes[1:]), {DOC: TEXT})
    assert late.facts_ok and late.lead_has_facts is False
    assert first.lead_has_facts is True and first.answer_words == 4
    listed = score_item(_item(kind="list", must_include=("12",)), _answer("Met 12 times. [1]", quotes[:1]), {DOC: TEXT})
    assert listed.lead_has_facts is None  # only values and yes/no questions lead with the fact
    abstained = score_item(item, _answer("The documents do not say.", [], abstained=True), {DOC: TEXT})
    assert abstained.answer_words is None and abstained.lead_has_facts is None
    metrics = summarise([late, first, listed, abstained]).metrics
    assert metrics["lead_fact_rate"] == 0.5
    assert metrics["median_answer_words"] == 4.0  # 10, 4 and 3 words
