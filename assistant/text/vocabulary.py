"""Safeguarding vocabulary: abbreviations practitioners use and everyday synonyms.

The words are data. The national glossary ships in ``assistant/vocabulary/safeguarding.json``;
a corpus folder may add its own local acronyms and names in a ``vocabulary.json`` of the same
shape (see the README), applied with :func:`use_local_vocabulary` by the engine. Abbreviations
expand both ways (text that says "MASH" also matches "multi agency safeguarding hub" and the
reverse). Synonyms are applied to questions only: they map a practitioner's everyday word onto
the word guidance documents use.

:data:`ABBREVIATIONS` and :data:`QUERY_SYNONYMS` are the live tables (national, then local
entries); modules that cache something derived from them register a reset with
:func:`on_change`, and :func:`fingerprint` names the tables' content (the lexical index is
stamped with it, so a vocabulary change rebuilds it).
"""

from __future__ import annotations

import functools
import hashlib
import json
import unicodedata
from collections.abc import Callable
from importlib import resources
from pathlib import Path
from typing import Any

from assistant.errors import ConfigurationError

__all__ = [
    "ABBREVIATIONS",
    "AGENCY_KEYWORDS",
    "AUDIENCE_WORDS",
    "CHILD_AGE_WORDS",
    "CHILD_WORDS",
    "DOCUMENT_VOCABULARY",
    "FINDINGS_GENRES",
    "GENERAL_CONCERN",
    "GENERIC_NAME_WORDS",
    "LOCAL_VOCABULARY_FILE",
    "ORGANISATION_WORDS",
    "QUERY_SYNONYMS",
    "STEM_EXCEPTIONS",
    "UNREACHABLE_CONCERN",
    "fingerprint",
    "given_names",
    "on_change",
    "use_local_vocabulary",
    "word_list",
]

LOCAL_VOCABULARY_FILE = "vocabulary.json"
"""The name of a corpus folder's own vocabulary file."""

_TABLES = ("abbreviations", "synonyms")


def _parse(data: Any, source: str) -> dict[str, dict[str, str]]:
    if not isinstance(data, dict):
        raise ConfigurationError(f"{source}: expected a JSON object with 'abbreviations' and/or 'synonyms'")
    tables: dict[str, dict[str, str]] = {}
    for name in _TABLES:
        table = data.get(name, {})
        if not isinstance(table, dict) or not all(
            isinstance(k, str) and isinstance(v, str) and k.strip() and v.strip() for k, v in table.items()
        ):
            raise ConfigurationError(
                f"{source}: '{name}' must map words to words, e.g. "
                + (
                    '{"nscp": "northshire safeguarding children partnership"}'
                    if name == "abbreviations"
                    else '{"kids": "children"}'
                )
            )
        if name == "synonyms" and any(len(k.split()) != 1 for k in table):
            raise ConfigurationError(f"{source}: each key of 'synonyms' must be one word (the word a question uses)")
        tables[name] = {k.strip().lower(): v.strip().lower() for k, v in table.items()}
    return tables


_NATIONAL_FILE = "assistant/vocabulary/safeguarding.json"
_NATIONAL_DATA = json.loads(
    resources.files("assistant").joinpath("vocabulary/safeguarding.json").read_text(encoding="utf-8")
)
_NATIONAL = _parse(_NATIONAL_DATA, _NATIONAL_FILE)
CHILD_WORDS: tuple[str, ...] = tuple(str(w).lower() for w in _NATIONAL_DATA["children"]["words"])
"""Words a described situation uses for the child it is about ("a swimmer", "her son", "a 15-year-old")."""
CHILD_AGE_WORDS: dict[str, int] = {
    str(w).lower(): int(a) for w, a in _NATIONAL_DATA.get("age_words", {}).items() if not str(w).startswith("_")
}
"""Words for children of an age and the age they stand for ("babies": 0, "toddlers": 2)."""
STEM_EXCEPTIONS: dict[str, str] = {
    str(w).lower(): str(s) for w, s in _NATIONAL_DATA.get("stems", {}).items() if not str(w).startswith("_")
}
"""Words given their own stem, not the stemmer's ("references": "referenc", apart from "referral" and "refer")."""
GENERAL_CONCERN: str = str(_NATIONAL_DATA["general_concern"])
"""What any policy or procedure says to do with a concern about a child, in its usual words: searched for
when a described situation is not dealt with by name ("a parent arrives drunk: what should I do?")."""
UNREACHABLE_CONCERN: str = str(_NATIONAL_DATA["unreachable_concern"])
"""What a policy says to do when the usual person cannot be reached ("If the welfare officer is not
available, ..."): searched for instead when the situation says so ("... and can't reach the welfare officer")."""
AUDIENCE_WORDS: dict[str, str] = {a: str(v["words"]) for a, v in _NATIONAL_DATA["audiences"].items()}
"""Per briefing audience: the words (``_`` joins a phrase) that mark a passage as about its agencies."""
AGENCY_KEYWORDS: dict[str, tuple[str, ...]] = {
    a: tuple(str(k) for k in v["agencies"]) for a, v in _NATIONAL_DATA["audiences"].items()
}
"""Per audience: words of its agencies' names, whose abbreviations a document may define."""
DOCUMENT_VOCABULARY: dict[str, Any] = json.loads(
    resources.files("assistant").joinpath("vocabulary/documents.json").read_text(encoding="utf-8")
)
"""How documents describe themselves (genres, organisations' name endings, date labels, words of
titles that name no one document): ``assistant/vocabulary/documents.json``."""
FINDINGS_GENRES: frozenset[str] = frozenset(DOCUMENT_VOCABULARY["findings_genres"])
"""Genres that report what a board or review found ("annual report", "case review")."""
GENERIC_NAME_WORDS: frozenset[str] = frozenset(DOCUMENT_VOCABULARY["generic_name_words"])
"""Words of titles, file names and publishers that name a kind of document or body, not one document
("policy", "partnership"): a question naming "the policy" names no document."""
SETTING_KINDS: frozenset[str] = frozenset(DOCUMENT_VOCABULARY["setting_kinds"])
"""Words an organisation's own documents use for it ("the club", "our nursery", "the setting")."""
RELATIONSHIP_WORDS: tuple[str, ...] = tuple(
    sorted(
        (str(w).lower() for w in _NATIONAL_DATA.get("relationships", {}).get("words", ())), key=lambda w: (-len(w), w)
    )
)
"""Who a described situation may say a child lives with or is cared for by, longest first."""
ORGANISATION_WORDS: frozenset[str] = frozenset(
    str(w).lower() for w in _NATIONAL_DATA.get("organisations", {}).get("words", ())
)
"""Words of the names of services, bodies, teams and roles: two capitalised words holding one are no one's name."""
ABBREVIATIONS: dict[str, str] = dict(_NATIONAL["abbreviations"])
QUERY_SYNONYMS: dict[str, str] = dict(_NATIONAL["synonyms"])
_listeners: list[Callable[[], None]] = []
_local: tuple[str, dict[str, dict[str, str]]] | None = None


@functools.cache
def word_list(name: str) -> tuple[str, ...]:
    """The words of ``assistant/vocabulary/<name>`` (``#`` starts a comment), read once."""
    text = resources.files("assistant").joinpath(f"vocabulary/{name}").read_text(encoding="utf-8")
    return tuple(
        unicodedata.normalize("NFC", word) for line in text.splitlines() for word in line.split("#", 1)[0].split()
    )


@functools.cache
def given_names() -> frozenset[str]:
    """The given names in ``assistant/vocabulary/given_names.txt`` ("Aisha", "Brian"), read once."""
    return frozenset(word_list("given_names.txt"))


def on_change(reset: Callable[[], None]) -> Callable[[], None]:
    """Call ``reset`` whenever the tables change (usable as a decorator's companion)."""
    _listeners.append(reset)
    return reset


def fingerprint() -> str:
    """A short name for the tables' current content."""
    payload = json.dumps([ABBREVIATIONS, QUERY_SYNONYMS, STEM_EXCEPTIONS], sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()[:12]


def use_local_vocabulary(path: Path | None) -> bool:
    """Make the tables the national glossary plus ``path``'s entries (None or a missing file: none).

    A local entry adds to or replaces the national one of the same word. Returns True when
    the tables changed. A malformed file is a :class:`ConfigurationError` naming it.
    """
    global _local
    local: tuple[str, dict[str, dict[str, str]]] | None = None
    if path is not None and Path(path).is_file():
        try:
            data = json.loads(Path(path).read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, ValueError) as exc:
            raise ConfigurationError(f"{path}: not a readable JSON vocabulary file ({exc})") from None
        local = (str(path), _parse(data, str(path)))
    if local == _local:
        return False
    _local = local
    ABBREVIATIONS.clear()
    ABBREVIATIONS.update(_NATIONAL["abbreviations"])
    QUERY_SYNONYMS.clear()
    QUERY_SYNONYMS.update(_NATIONAL["synonyms"])
    if local is not None:
        ABBREVIATIONS.update(local[1]["abbreviations"])
        QUERY_SYNONYMS.update(local[1]["synonyms"])
    for reset in _listeners:
        reset()
    return True
