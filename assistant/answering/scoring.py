"""The fitted answer scorer: how likely the chosen evidence answers the question correctly.

A logistic model over the answerer's own figures for its best evidence (its score, sentence
similarity, word coverage...), fitted on the development part of the evaluation by
``assistant fit-scorer`` and shipped as ``scorer.json`` beside this module, with the data
it was fitted on. Answering refuses when the confidence is below the fitted cut-off; the
confidence is reported with every answer, and the evaluation charts it against observed
correctness. No fitting library is needed at run time: the model is a weighted sum.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

__all__ = ["FEATURES", "SCORER_FILE", "AnswerScorer", "load_scorer"]

FEATURES = (
    "best_score",
    "best_dense",
    "best_lexical",
    "best_context",
    "key_coverage",
    "known_coverage",
    "unknown_share",
    "support",
)
"""The answerer's figures the model reads (its diagnostics, all between 0 and about 1)."""

SCORER_FILE = Path(__file__).with_name("scorer.json")


@dataclass(frozen=True)
class AnswerScorer:
    """Coefficients of a logistic model over :data:`FEATURES`, and the confidence below which to refuse."""

    features: tuple[str, ...]
    coefficients: tuple[float, ...]
    intercept: float
    cutoff: float
    fitted_on: dict[str, object]
    """What it was fitted on: the datasets' checksums and sizes, the date, the command."""

    def confidence(self, figures: Mapping[str, float]) -> float:
        """P(the evidence answers the question correctly), by the fitted model."""
        pairs = zip(self.features, self.coefficients, strict=True)
        z = self.intercept + sum(c * float(figures.get(f, 0.0)) for f, c in pairs)
        return 1.0 / (1.0 + math.exp(-max(-60.0, min(60.0, z))))

    def to_json(self) -> str:
        return json.dumps(asdict(self), indent=2) + "\n"


def load_scorer(path: Path | None = None) -> AnswerScorer | None:
    """The scorer shipped with the package (or at ``path``); None when there is none."""
    source = path or SCORER_FILE
    if not source.is_file():
        return None
    data = json.loads(source.read_text(encoding="utf-8"))
    features: Sequence[str] = data["features"]
    coefficients: Sequence[float] = data["coefficients"]
    if len(features) != len(coefficients):
        raise ValueError(f"{source}: 'features' and 'coefficients' differ in length")
    return AnswerScorer(
        features=tuple(features),
        coefficients=tuple(float(c) for c in coefficients),
        intercept=float(data["intercept"]),
        cutoff=float(data["cutoff"]),
        fitted_on=dict(data.get("fitted_on", {})),
    )
