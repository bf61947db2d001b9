"""The lexical (BM25) index over the same chunks as the vector store.

Built from the catalogue after every committed change, saved under a folder named
for the catalogue version it matches, and loaded, not rebuilt, by every process that
asks questions. Terms come from :mod:`assistant.text.normalise`, so "twenty-eight" and "28",
"MASH" and "multi agency safeguarding hub" meet here as well.
"""

from __future__ import annotations

import json
import math
import shutil
from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

__all__ = ["LexicalIndex"]


class LexicalIndex:
    """BM25 over chunk terms, with document frequencies for IDF weighting elsewhere."""

    def __init__(self, ids: list[str], doc_freq: dict[str, int], bm25: Any) -> None:
        self.ids = ids
        self.doc_freq = doc_freq
        self._bm25 = bm25

    @property
    def size(self) -> int:
        return len(self.ids)

    @classmethod
    def build(cls, items: Iterable[tuple[str, Sequence[str]]]) -> LexicalIndex:
        import bm25s

        ids: list[str] = []
        corpus: list[list[str]] = []
        doc_freq: Counter[str] = Counter()
        for chunk_id, terms in items:
            ids.append(chunk_id)
            corpus.append(list(terms) or ["∅"])
            doc_freq.update(set(terms))
        bm25 = bm25s.BM25()
        if corpus:
            bm25.index(corpus, show_progress=False)
        return cls(ids, dict(doc_freq), bm25 if corpus else None)

    def idf(self, term: str) -> float:
        """Smoothed inverse document frequency; unseen terms get the highest value."""
        n = max(1, self.size)
        return math.log(1 + (n - self.doc_freq.get(term, 0) + 0.5) / (self.doc_freq.get(term, 0) + 0.5))

    def search(self, terms: Sequence[str], k: int) -> list[tuple[str, float]]:
        """(chunk id, BM25 score), best first, ties broken by chunk id."""
        if self._bm25 is None or not terms or not self.ids:
            return []
        import numpy as np

        scores = self._bm25.get_scores(list(terms))
        k = min(k, len(self.ids))
        top = np.argpartition(-scores, k - 1)[:k]
        ranked = sorted(((self.ids[i], float(scores[i])) for i in top if scores[i] > 0), key=lambda p: (-p[1], p[0]))
        return ranked

    # -- persistence ----------------------------------------------------------------------

    def save(self, root: Path, version: int | str) -> None:
        """Write to a temporary folder, then rename it into place: readers never see half."""
        root.mkdir(parents=True, exist_ok=True)
        final = root / f"v{version}"
        staging = root / f".v{version}.tmp"
        shutil.rmtree(staging, ignore_errors=True)
        staging.mkdir()
        if self._bm25 is not None:
            self._bm25.save(str(staging / "bm25"), show_progress=False)
        (staging / "terms.json").write_text(
            json.dumps({"ids": self.ids, "doc_freq": self.doc_freq}, ensure_ascii=False), encoding="utf-8"
        )
        shutil.rmtree(final, ignore_errors=True)
        staging.rename(final)
        for old in root.iterdir():
            if old.name != final.name and old.name.startswith(("v", ".v")):
                shutil.rmtree(old, ignore_errors=True)

    @classmethod
    def load(cls, root: Path, version: int | str) -> LexicalIndex | None:
        """The saved index for ``version``, or None when it is missing or stale."""
        folder = root / f"v{version}"
        terms_file = folder / "terms.json"
        if not terms_file.is_file():
            return None
        import bm25s

        try:
            data = json.loads(terms_file.read_text(encoding="utf-8"))
            bm25 = bm25s.BM25.load(str(folder / "bm25"), show_progress=False) if (folder / "bm25").exists() else None
        except (OSError, ValueError):
            return None
        return cls(list(data["ids"]), dict(data["doc_freq"]), bm25)
