"""Synthetic corpora grown from the seed report's structure.

Each copy keeps the report's headings, tables and sentence shapes but varies the place
names, the figures and the years, so chunks are not duplicates (the index deduplicates
identical files, and identical chunks would flatter the lexical index).
"""

from __future__ import annotations

import random
import re
from pathlib import Path

BOROUGHS = [
    "Ashworth",
    "Belmont",
    "Carrow",
    "Dunmore",
    "Elmbridge",
    "Fairhaven",
    "Glenbrook",
    "Hartwell",
    "Ivydale",
    "Kingsmere",
    "Larkfield",
    "Marlow Vale",
    "Northcote",
    "Oakenshaw",
    "Pendleford",
    "Queensbury",
    "Redcliffe",
    "Stonebridge",
    "Thornbury",
    "Upton Hill",
    "Westmead",
    "Yardley",
]
_NUMBER = re.compile(r"(?<![\d/\-])(\d{1,5})(?![\d/\-])")
_YEAR = re.compile(r"\b(20)(1\d)\b")
CHARS_PER_PAGE = 4000  # the seed: about 121 KB of text over about 30 pages


def vary(text: str, index: int) -> str:
    """A plausible variant of the report: another borough, other figures, other years."""
    rng = random.Random(index)
    borough = BOROUGHS[index % len(BOROUGHS)] + ("" if index < len(BOROUGHS) else f" {index // len(BOROUGHS) + 1}")
    shift = rng.randint(-4, 4)
    text = text.replace("Havering", borough).replace("HSCB", "LSCB").replace("HLSCB", "LSCB")

    def number(match: re.Match[str]) -> str:
        value = int(match.group(1))
        if value < 3:
            return match.group(1)
        return str(max(1, int(value * rng.uniform(0.7, 1.3))))

    def year(match: re.Match[str]) -> str:
        return f"20{int(match.group(2)) + shift:02d}"

    text = _YEAR.sub(year, text)
    return _NUMBER.sub(number, text)


def build_corpus(seed: Path, target: Path, pages: int) -> list[Path]:
    """Write enough variants of ``seed`` into ``target`` to make about ``pages`` pages."""
    target.mkdir(parents=True, exist_ok=True)
    text = seed.read_text(encoding="utf-8")
    seed_pages = max(1, len(text) // CHARS_PER_PAGE)
    copies = max(1, round(pages / seed_pages))
    written = []
    for index in range(copies):
        path = target / f"report-{index:05d}.txt"
        path.write_text(vary(text, index + 1), encoding="utf-8")
        written.append(path)
    return written
