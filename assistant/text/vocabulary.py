"""Safeguarding vocabulary: abbreviations practitioners use and everyday synonyms.

The words are data, in ``assistant/vocabulary/safeguarding.json``. Abbreviations expand
both ways (text that says "MASH" also matches "multi agency safeguarding hub" and the
reverse). Synonyms are applied to questions only: they map a practitioner's everyday word
onto the word guidance documents use.
"""

from __future__ import annotations

import json
from importlib import resources

__all__ = ["ABBREVIATIONS", "QUERY_SYNONYMS"]


def _load() -> dict[str, dict[str, str]]:
    text = resources.files("assistant").joinpath("vocabulary/safeguarding.json").read_text(encoding="utf-8")
    data = json.loads(text)
    return {name: {str(k): str(v) for k, v in data[name].items()} for name in ("abbreviations", "synonyms")}


_VOCABULARY = _load()
ABBREVIATIONS: dict[str, str] = _VOCABULARY["abbreviations"]
QUERY_SYNONYMS: dict[str, str] = _VOCABULARY["synonyms"]
