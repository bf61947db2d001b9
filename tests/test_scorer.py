"""The fitted answer scorer: its model, the fitting, the data it was fitted on, the evidence gate it
drives, and the calibration chart in the evaluation report (held-out questions never shown)."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import pytest

from assistant.config import Settings
from assistant.engine import ANSWER_FEATURES, ANSWER_SCORER_FILE, AnswerScorer
from assistant.errors import ConfigurationError
from assistant.models import Answer, Citation
from assistant.products.calibration import dataset_version, fit_scorer
from assistant.products.evaluation import EvalItem, ItemResult, score_item, summarise, write_report

ROOT = Path(__file__).resolve().parents[1]


def test_the_confidence_is_a_logistic_model_of_the_answerers_figures() -> None:
    scorer = AnswerScorer(("support", "best_dense"), (2.0, -1.0), 0.5, 0.4, {})
    z = 0.5 + 2.0 * 0.6 - 1.0 * 0.3
    assert scorer.confidence({"support": 0.6, "best_dense": 0.3}) == pytest.approx(1 / (1 + math.exp(-z)))
    assert scorer.confidence({}) == pytest.approx(1 / (1 + math.exp(-0.5)))  # a missing figure counts as 0


def test_the_shipped_scorer_reads_the_answerers_figures_and_names_the_data_it_was_fitted_on() -> None:
    data = json.loads(ANSWER_SCORER_FILE.read_text(encoding="utf-8"))
    assert tuple(data["features"]) == ANSWER_FEATURES and len(data["coefficients"]) == len(ANSWER_FEATURES)
    assert 0.0 < data["cutoff"] < 1.0
    fitted_on = data["fitted_on"]
    # fitted on the seed and development questions as they are now: change them, refit
    # (`assistant fit-scorer`); the held-out questions are never among them
    assert fitted_on["datasets"] == dataset_version([ROOT / "eval" / "dataset.jsonl", ROOT / "eval" / "dev.jsonl"])
    assert "heldout.jsonl" not in fitted_on["datasets"]
    assert fitted_on["command"] == "assistant fit-scorer"


def _result(n: int, answerable: bool, right: bool, support: float) -> ItemResult:
    return ItemResult(
        id=f"q{n}",
        kind="fact",
        question="q",
        answerable=answerable,
        must_pass=False,
        abstained=False,
        answer="a",
        facts_missing=[] if right else ["x"],
        features=dict.fromkeys(ANSWER_FEATURES, support),
    )


def test_fitting_separates_right_answers_from_answers_to_questions_the_documents_do_not_answer() -> None:
    results = [_result(n, True, True, 0.6 + 0.01 * (n % 30)) for n in range(40)]
    results += [_result(100 + n, False, False, 0.2 + 0.01 * (n % 20)) for n in range(30)]
    report = fit_scorer(results, fitted_on={"datasets": {}})
    scorer = report.scorer
    strong = scorer.confidence(dict.fromkeys(ANSWER_FEATURES, 0.85))
    weak = scorer.confidence(dict.fromkeys(ANSWER_FEATURES, 0.25))
    assert weak < scorer.cutoff <= strong
    assert report.decision_accuracy == 1.0 and report.items == 70 and report.positives == 40


def test_fitting_refuses_too_little_data() -> None:
    with pytest.raises(ValueError, match="at least 20"):
        fit_scorer([_result(n, True, True, 0.5) for n in range(5)], fitted_on={})


def test_an_unknown_gate_is_a_clear_settings_error() -> None:
    with pytest.raises(ConfigurationError, match="ASSISTANT_ANSWER_GATE"):
        Settings.from_env({"ASSISTANT_ANSWER_GATE": "sometimes"})


@pytest.mark.slow
def test_every_answer_reports_its_confidence_and_weak_evidence_is_refused_by_it(seed_assistant: Any) -> None:
    answered = seed_assistant.ask("When must an initial child protection conference be held?")
    refused = seed_assistant.ask("Who won the Premier League in 2015?")
    assert not answered.abstained and refused.abstained
    assert answered.diagnostics["confidence"] > refused.diagnostics["confidence"]
    scorer = json.loads(ANSWER_SCORER_FILE.read_text(encoding="utf-8"))
    assert answered.diagnostics["confidence"] >= scorer["cutoff"]


def test_the_report_charts_confidence_against_answers_right_and_never_shows_held_out_questions(tmp_path: Path) -> None:
    document = "report.txt"
    text = "Conferences must be held within fifteen days."
    quote = (Citation(n=1, document=document, title="R", section="", page=None, page_label=None, quote=text),)

    def scored(n: int, part: str, confidence: float, right: bool) -> ItemResult:
        item = EvalItem(
            id=f"{part}-{n}",
            question=f"secret {part} question {n}",
            kind="timescale",
            answerable=True,
            must_include=("15 days",) if right else ("9 days",),
            part=part,
        )
        answer = Answer(question="q", answer=f"{text} [1]", abstained=False, citations=quote, notice="n")
        answer.diagnostics["confidence"] = confidence
        return score_item(item, answer, {document: text})

    results = [scored(n, "dev", 0.9, True) for n in range(3)] + [scored(9, "dev", 0.3, False)]
    results += [scored(n, "held-out", 0.7, n % 2 == 0) for n in range(4)]
    report = summarise(results)
    assert report.calibration["dev"] == [
        {"low": 0.2, "high": 0.4, "answers": 1.0, "mean_confidence": 0.3, "right": 0.0},
        {"low": 0.8, "high": 1.0, "answers": 3.0, "mean_confidence": 0.9, "right": 1.0},
    ]
    assert report.calibration["held-out"][0]["right"] == 0.5
    write_report(report, tmp_path)
    page = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert "Calibration (dev)" in page and "Calibration (held-out)" in page
    assert "secret held-out" not in page and "secret dev question" in page
    summary = (tmp_path / "summary.md").read_text(encoding="utf-8")
    assert "## Calibration" in summary and "| held-out | 0.6–0.8 | 4 | 0.70 | 0.50 |" in summary
