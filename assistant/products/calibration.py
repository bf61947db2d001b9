"""Fitting the answer scorer on the development part of the evaluation, and charting calibration.

``assistant fit-scorer`` asks the seed and development questions (never the held-out ones) with
the evidence gate off, so every question gets the answer the engine would give, labels each
answer correct (an answerable question answered with all its key facts) or not (a key fact
missing, or any answer to a question the documents do not answer), and fits a logistic model
on the answerer's figures for its evidence. The cut-off is the confidence with the fewest
costly decisions on those questions: an answer to a question the documents do not answer (a
confident wrong answer) and a refusal of a question that would have been answered right count
one each (WRONG_ANSWER_COST); an answerable question answered without all its key facts counts nothing
either way (a partial answer with its citations is no worse than a refusal). The 5-fold
cross-validated cost is written with it. scikit-learn is imported here only.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from assistant.engine import ANSWER_FEATURES, AnswerScorer, Assistant
from assistant.products.evaluation import (
    Corpus,
    EvalItem,
    ItemResult,
    answered_right,
    each_document_left_out,
    run_evaluation,
)

__all__ = ["FitReport", "dataset_version", "fit_scorer", "without_their_document"]


@dataclass(frozen=True)
class FitReport:
    scorer: AnswerScorer
    items: int
    positives: int
    decision_accuracy: float
    cross_validated_accuracy: float


def dataset_version(paths: Sequence[Path]) -> dict[str, str]:
    """The SHA-256 (first 16 hex digits) of each dataset file the scorer is fitted on."""
    return {path.name: hashlib.sha256(path.read_bytes()).hexdigest()[:16] for path in paths}


WRONG_ANSWER_COST = 1
"""An answer to a question the documents do not answer costs this many needless refusals (2 was
tried: the cut-off then refuses nearly half the answerable questions)."""

WITHOUT_DOCUMENT = "/without-document"
"""Marks the id of a question asked with its document taken out of the index."""


def without_their_document(assistant: Assistant, corpus: Corpus, items: Sequence[EvalItem]) -> list[ItemResult]:
    """Each seed and development document's own answerable questions, asked with that document taken
    out of the index: the answers another document gives instead are mostly confident wrong answers,
    the case a scorer most needs to see. An answer that still holds every key fact (another document
    states the same) counts as right; any other counts as an answer to a question the corpus no longer
    answers. Held-out documents are never used."""
    results: list[ItemResult] = []
    for _, questions in each_document_left_out(assistant, corpus, items, parts=("seed", "dev")):
        for result in run_evaluation(assistant, questions):
            result.id = f"{result.id}{WITHOUT_DOCUMENT}"
            result.answerable = answered_right(result)
            results.append(result)
    return results


def fit_scorer(results: Sequence[ItemResult], *, fitted_on: dict[str, Any]) -> FitReport:
    """A logistic model of P(correct) over the answerer's figures, from answers given with the gate off.

    Questions refused all the same (the evidence does not state the kind of value asked for,
    or names another place or year) are left out: the scorer never decides those."""
    import numpy as np
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import StratifiedKFold, cross_val_predict
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    used = [r for r in results if not r.abstained and all(f in r.features for f in ANSWER_FEATURES)]
    if len(used) < 20:
        raise ValueError(f"only {len(used)} answered questions to fit on: at least 20 are needed")
    x = np.array([[r.features[f] for f in ANSWER_FEATURES] for r in used])
    y = np.array([int(answered_right(r)) for r in used])
    if y.min() == y.max():
        raise ValueError("every answer is labelled the same: nothing to fit")
    model = make_pipeline(StandardScaler(), LogisticRegression(C=1.0, max_iter=1000))
    folds = StratifiedKFold(n_splits=5, shuffle=True, random_state=0)
    held = cross_val_predict(model, x, y, cv=folds, method="predict_proba")[:, 1]
    model.fit(x, y)
    scaler, logistic = model[0], model[1]
    coefficients = logistic.coef_[0] / scaler.scale_
    intercept = float(logistic.intercept_[0] - np.sum(logistic.coef_[0] * scaler.mean_ / scaler.scale_))
    fitted = 1.0 / (1.0 + np.exp(-(x @ coefficients + intercept)))
    answerable = np.array([int(r.answerable) for r in used])
    # the cut-off is set on the questions as asked (the corpus whole), not on the without-document runs,
    # which only teach the model what a neighbouring document's answer looks like
    asked = np.array([not r.id.endswith(WITHOUT_DOCUMENT) for r in used])
    cutoff, accuracy = _best_cutoff(fitted[asked], y[asked], answerable[asked])
    _, cv_accuracy = _best_cutoff(held[asked], y[asked], answerable[asked], fixed=cutoff)
    scorer = AnswerScorer(
        features=ANSWER_FEATURES,
        coefficients=tuple(round(float(c), 6) for c in coefficients),
        intercept=round(intercept, 6),
        cutoff=round(cutoff, 4),
        fitted_on={
            **fitted_on,
            "date": dt.date.today().isoformat(),
            "answered_questions": len(used),
            "correct": int(y.sum()),
            "decisions_without_cost": round(accuracy, 4),
            "cross_validated_decisions_without_cost": round(cv_accuracy, 4),
        },
    )
    return FitReport(scorer, len(used), int(y.sum()), accuracy, cv_accuracy)


def _best_cutoff(probabilities: Any, correct: Any, answerable: Any, fixed: float | None = None) -> tuple[float, float]:
    """The cut-off with the fewest costly decisions (an unanswerable question answered, a question
    that would be answered right refused), and the share of questions decided without cost; where
    several cut-offs are as good, the middle of them. With ``fixed``, only that cut-off is measured."""
    candidates = [fixed] if fixed is not None else sorted({0.0, *(float(p) for p in probabilities)})
    shares = []
    for cutoff in candidates:
        cost = sum(
            WRONG_ANSWER_COST * int(p >= cutoff and not can) + int(p < cutoff and bool(right))
            for p, right, can in zip(probabilities, correct, answerable, strict=True)
        )
        shares.append(1.0 - cost / len(correct))
    best = max(shares)
    if fixed is not None:
        return fixed, best
    # a cut-off between two answers' confidences decides as the upper one does, so every cut-off
    # above the answer before the first best one, up to the last of that run of best ones, is as
    # good: the middle of that stretch leaves the most room on either side
    first = shares.index(best)
    last = first
    while last + 1 < len(shares) and shares[last + 1] == best:
        last += 1
    lower = candidates[first - 1] if first > 0 else 0.0
    return (lower + candidates[last]) / 2, best
