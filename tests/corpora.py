"""Small real corpora written by tests (plain files in a temporary folder, indexed for real)."""

from __future__ import annotations

import json
from pathlib import Path

PUBLISHERS = {
    "anytown-procedures.md": {"publisher": "Anytown Safeguarding Partnership", "date": "2024-03"},
    "brookfield-procedures.md": {"publisher": "Brookfield Borough Council", "date": "2022"},
}


def two_procedures(root: Path, first: str = "15 working days", second: str = "10 working days") -> Path:
    """``root/corpus``: two authorities' child protection procedures giving the initial conference's
    timescale (``first`` for Anytown, ``second`` for Brookfield), with a manifest naming each
    publisher and date; the titles name neither authority."""
    corpus = root / "corpus"
    corpus.mkdir(parents=True)
    for name, days in zip(PUBLISHERS, (first, second), strict=True):
        (corpus / name).write_text(
            "# Child protection procedures\n\n## Initial child protection conferences\n\n"
            f"The initial child protection conference must be held within {days} of the strategy discussion.\n\n"
            "## Core groups\n\nThe first core group meeting takes place within 10 working days of the conference.\n",
            encoding="utf-8",
        )
    (corpus / "manifest.json").write_text(json.dumps({"documents": PUBLISHERS}), encoding="utf-8")
    return corpus
