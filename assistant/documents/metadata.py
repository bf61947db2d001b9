"""What a document says about itself: its publisher, its date and its genre.

Three sources, in order of trust:

1. the corpus manifest (``manifest.json`` in the corpus folder, :func:`read_manifest`),
   which overrides anything found, field by field;
2. the file's own metadata, read by the parser (PDF document information, Word core
   properties, HTML ``<meta>`` tags, Markdown front matter), passed in as ``hints``;
3. the text: an organisation's name in the title or the opening lines, a labelled date
   ("Published: March 2024", never a "next review" date), a year in the title, and the
   genre named by the title or the opening heading.

Nothing is guessed beyond that: a field the document does not state stays empty, and a
citation then leaves it out. The words (genre phrases, the last words of organisations'
names, date labels) are data, in ``assistant/vocabulary/documents.json``.
"""

from __future__ import annotations

import calendar
import hashlib
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from assistant.errors import ConfigurationError
from assistant.text.vocabulary import DOCUMENT_VOCABULARY

__all__ = [
    "FIELDS",
    "MANIFEST_FILE",
    "Described",
    "describe",
    "iso_date",
    "manifest_digest",
    "read_manifest",
]

MANIFEST_FILE = "manifest.json"
"""The name of a corpus folder's optional manifest of document metadata."""
FIELDS = ("title", "publisher", "date", "genre")
"""The fields a manifest entry may set."""

_OPENING_CHARS = 600
"""How far into the text the opening lines reach (a title page, a first heading, a first sentence)."""
_DATED_CHARS = 4000
"""How far into (and back from the end of) the text a labelled date is looked for."""
_MONTH_NAMES = [m.lower() for m in calendar.month_name[1:]]
_MONTH = "(?:" + "|".join(_MONTH_NAMES) + ")"
_DATE_FORMS = (
    rf"(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?[ \t]{{1,3}}(?P<m1>{_MONTH})[ \t,]{{1,3}}(?P<y1>(?:19|20)\d\d)"
    rf"|(?P<m2>{_MONTH})[ \t,]{{1,3}}(?P<y2>(?:19|20)\d\d)"
    r"|(?P<y3>(?:19|20)\d\d)-(?P<m3>[01]\d)(?:-(?P<d3>[0-3]\d))?"
    r"|(?P<d4>[0-3]?\d)[/.](?P<m4>[01]?\d)[/.](?P<y4>(?:19|20)\d\d)"
    r"|(?P<y5>(?:19|20)\d\d)\b"
)
_YEAR_IN_TITLE = re.compile(r"\b((?:19|20)\d\d)(?:[-–/](\d\d(?:\d\d)?))?\b")


@dataclass(frozen=True)
class Described:
    """What was found about a document; empty strings where it does not say."""

    publisher: str = ""
    date: str = ""
    """An ISO date ("2024-03-12"), month ("2024-03") or year ("2024")."""
    genre: str = ""


_GENRE_CUES = [
    (str(entry["genre"]), re.compile(r"\b(?:" + "|".join(re.escape(c) for c in entry["cues"]) + r")\b", re.I))
    for entry in DOCUMENT_VOCABULARY["genres"]
]
_DATE_FIRST = re.compile(rf"(?:{_DATE_FORMS})(?:T|[ \t]|$)", re.I)
"""A date at the start of a value, alone or followed by a time ("2024-03-12T10:00")."""


def _publisher_pattern() -> re.Pattern[str]:
    endings = "|".join(re.escape(w) for w in sorted(DOCUMENT_VOCABULARY["publisher_endings"], key=len, reverse=True))
    # a capital and up to 30 more word characters ("NSPCC" included: no second branch for acronyms,
    # which would only repeat what this one matches and double the backtracking on hostile input)
    name_word = r"[A-Z][\w'’.&-]{0,30}"
    joiner = r"(?:[ \t]{1,3}(?:of|and|for|the|&|on)[ \t]{1,3}|[ \t,]{1,3})"
    # one to six capitalised words (joined by spaces or small words), then an organisation word
    return re.compile(rf"\b{name_word}(?:{joiner}{name_word}){{0,5}}[ \t]{{1,3}}(?i:{endings})\b")


def _date_pattern() -> re.Pattern[str]:
    labels = "|".join(re.escape(w) for w in sorted(DOCUMENT_VOCABULARY["date_labels"], key=len, reverse=True))
    # "Approved by the governing board: September 2025": who approved it may come between
    by = r"(?:[ \t]{1,3}by(?:[ \t]{1,3}[A-Za-z'’&]{1,30}){1,5})?"
    return re.compile(
        rf"(?<![\w-])(?P<label>{labels}){by}(?:[ \t]{{0,3}}(?:on|:|-|–)){{0,2}}[ \t]{{0,3}}(?:{_DATE_FORMS})", re.I
    )


_PUBLISHER = _publisher_pattern()
_LABELLED_DATE = _date_pattern()
_NEXT = re.compile(r"\b(?:next|due|future|review)\b[\w \t]{0,16}$", re.I)
"""Before a date label, marks a date still to come ("Next review date:", "Review due:")."""
_BANNER_WORDS = 12
"""A first line this short, not ended as a sentence, is a title page or banner heading; else it is prose."""


def describe(title: str, text: str, hints: Mapping[str, str] | None = None) -> Described:
    """The publisher, date and genre of a document, from its file metadata and its own words.

    ``hints``: ``publisher`` (a publisher the file names as such: taken as it is), ``author``
    (taken only when it reads as an organisation's name, not a person's), ``date`` (a date the
    file states), ``created`` (when the file was made: used only when nothing else dates it).
    """
    hints = hints or {}
    return Described(
        publisher=_publisher(title, text, hints.get("publisher", ""), hints.get("author", "")),
        date=_date(title, text, hints.get("date", ""), hints.get("created", "")),
        genre=_genre(title, text),
    )


def _publisher(title: str, text: str, publisher: str, author: str) -> str:
    publisher, author = " ".join(publisher.split()), " ".join(author.split())
    if publisher:
        return publisher
    if author and _PUBLISHER.fullmatch(author):
        return author
    # the title, then the document's first line (a title page, a banner heading); not the prose
    # after it, which names other bodies ("we follow the Anytown Partnership's procedures")
    first_line = text[:_OPENING_CHARS].lstrip().split("\n", 1)[0].strip()
    banner = len(first_line.split()) <= _BANNER_WORDS and not first_line.endswith((".", "!", "?", ":", ";"))
    for part in (title, first_line if banner else ""):
        match = _PUBLISHER.search(part)
        if match:
            return _tidy_name(match.group(0))
    return ""


def _tidy_name(name: str) -> str:
    words = name.replace("’", "'").split()
    while words and words[0].lower() in ("the", "of", "and", "for", "&", "on"):
        words.pop(0)
    if words and len(words[-1]) <= 3:  # "Fc" in a title made from a file name: "FC"
        words[-1] = words[-1].upper()
    return " ".join(words).strip(" ,")


def _date(title: str, text: str, hint: str, created: str) -> str:
    for part in (text[:_DATED_CHARS], text[-_DATED_CHARS:]):
        for match in _LABELLED_DATE.finditer(part):
            if _NEXT.search(part[max(0, match.start() - 20) : match.start()]):
                continue
            found = _from_match(match)
            if found:
                return found
    if hint:
        return iso_date(hint) or ""
    year = _YEAR_IN_TITLE.search(title)
    if year is None:
        return iso_date(created) or "" if created else ""
    first, second = year.group(1), year.group(2)
    if second:  # "2014-15", "2014/2015": the year the period ends, when the document reports on it
        end = int(first[:2] + second[-2:]) if len(second) == 2 else int(second)
        return str(end) if 0 < end - int(first) <= 1 else first
    return first


def _from_match(match: re.Match[str]) -> str:
    groups = match.groupdict()
    for n in range(1, 6):
        year = groups.get(f"y{n}")
        if not year:
            continue
        month_text = groups.get(f"m{n}")
        day_text = groups.get(f"d{n}")
        month = (
            (_MONTH_NAMES.index(month_text.lower()) + 1 if not month_text.isdigit() else int(month_text))
            if month_text
            else 0
        )
        return _iso(int(year), month, int(day_text) if day_text else 0)
    return ""


def _iso(year: int, month: int, day: int) -> str:
    if not 1 <= month <= 12:
        return str(year)
    if day:
        try:
            return date(year, month, day).isoformat()
        except ValueError:
            pass
    return f"{year:04d}-{month:02d}"


def iso_date(value: Any) -> str | None:
    """``value`` (a date, a datetime, or text such as "2024", "2024-03", "March 2024",
    "12/03/2024", a PDF date "D:20240312…") as an ISO date, month or year; None if it is none."""
    if isinstance(value, datetime | date):
        return value.isoformat()[:10]
    text = str(value).strip()
    if text.startswith("D:") and text[2:6].isdigit():  # PDF date string
        text = (
            text[2:6]
            + (f"-{text[6:8]}" if text[6:8].isdigit() else "")
            + (f"-{text[8:10]}" if text[8:10].isdigit() else "")
        )
    match = _DATE_FIRST.match(text)
    return _from_match(match) or None if match else None


def _genre(title: str, text: str) -> str:
    for source in (title, text[:_OPENING_CHARS].lstrip().split("\n", 1)[0]):
        best: tuple[int, str] | None = None
        for genre, cue in _GENRE_CUES:
            match = cue.search(source)
            if match and (best is None or match.start() < best[0]):
                best = (match.start(), genre)
        if best:
            return best[1]
    return ""


# -- the manifest --------------------------------------------------------------------------------


def read_manifest(path: Path) -> dict[str, dict[str, str]]:
    """File name -> the fields it overrides, from a corpus folder's ``manifest.json``; {} without one.

    The file maps file names to objects with any of ``title``, ``publisher``, ``date``
    (ISO "2024-03-12", "2024-03" or "2024") and ``genre``::

        {"documents": {"cp-procedures.pdf": {"publisher": "Anytown Safeguarding Partnership",
                                             "date": "2024-03", "genre": "procedures"}}}

    A malformed manifest is a :class:`ConfigurationError` naming the file and the field.
    """
    if not path.is_file():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ConfigurationError(f"{path}: not a readable JSON file ({exc}); fix it or remove it") from None
    entries = data.get("documents") if isinstance(data, dict) else None
    if not isinstance(entries, dict):
        raise ConfigurationError(
            f'{path}: expected {{"documents": {{"<file name>": {{"publisher": "...", "date": "2024-03"}}}}}}'
        )
    manifest: dict[str, dict[str, str]] = {}
    for name, entry in entries.items():
        if not isinstance(entry, dict):
            raise ConfigurationError(f"{path}: the entry for {name!r} must be an object of {', '.join(FIELDS)}")
        unknown = sorted(set(entry) - set(FIELDS))
        if unknown:
            raise ConfigurationError(
                f"{path}: {name!r} has unknown field(s) {', '.join(unknown)} (allowed: {', '.join(FIELDS)})"
            )
        fields: dict[str, str] = {}
        for key, value in entry.items():
            if not isinstance(value, str) or not value.strip():
                raise ConfigurationError(f"{path}: {name!r} field {key!r} must be non-empty text")
            fields[key] = " ".join(value.split())
        if "date" in fields:
            iso = iso_date(fields["date"])
            if iso is None:
                raise ConfigurationError(
                    f"{path}: {name!r} field 'date' is {fields['date']!r}; write it as 2024-03-12, 2024-03 or 2024"
                )
            fields["date"] = iso
        manifest[str(name)] = fields
    return manifest


def manifest_digest(entry: Mapping[str, str] | None) -> str:
    """A short name for a manifest entry (empty for none): a changed entry re-describes its document."""
    if not entry:
        return ""
    return hashlib.sha256(json.dumps(dict(sorted(entry.items())), ensure_ascii=False).encode()).hexdigest()[:16]
