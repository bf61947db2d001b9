"""Thresholds & timescales register: every rule the documents state, each with a verbatim quote.

The register is built from the committed chunks' evidence units (sentences and table
rows) with generic patterns - never with any one document's wording:

- timescales: "within N days", "within the required N day timeline", "N-M weeks after",
  "no later than N days", "shortly after placement", "with(in) N hrs" in a table line;
- thresholds: "N days or more", "more than N ...", "a medium to high risk ... referral";
- eligibility: "under the age of N (or M if ...)", "children under N", "aged N to M",
  "who is not the ..." inside a definition;
- targets: "target N%", "N% target", "at least N% ... to", "seeking to increase ... by N%";
- frequencies: "annually / biennially / quarterly / monthly / termly ...", "on a quarterly
  basis", "at quarterly intervals", "every N years", "twice a year", "required N year
  training", and "annual report" / "monthly meetings" where the sentence states a process;
- definitions: "is known as / known to be", "(known as ...)", "is defined as", "X means",
  "Name (ABBR) is a ...", "the role of X is", "This is the ..." after "Name (ABBR).";
- duties: "has a (statutory) duty to ...".

Every entry keeps the exact slice of the document's cleaned text it came from
(``document_text(doc_id)[start:end] == quote``); a rule is dropped rather than kept
without one. Values are normalised with :func:`assistant.text.normalise.fold` ("fifteen" ->
"15", "per cent" -> "%").

Entry points: :func:`build_register`, :func:`search_register`, :func:`match_question`,
:func:`to_json` / :func:`from_json`, :func:`to_csv` / :func:`from_csv`,
:func:`save_register` / :func:`load_register` and :func:`register_path`.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import math
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, cast

from assistant.answering.question import question_type
from assistant.errors import AnswerError
from assistant.models import Chunk, Citation
from assistant.text.normalise import QUESTION_WORDS, STOPWORDS, fold, query_terms, stem_tokens, text_terms, word_tokens
from assistant.text.tables import read_csv, write_csv
from assistant.text.units import evidence_units
from assistant.text.vocabulary import ABBREVIATIONS

if TYPE_CHECKING:
    from assistant.config import Settings
    from assistant.engine import Assistant
    from assistant.index.catalog import Catalog

__all__ = [
    "KINDS",
    "Kind",
    "RegisterEntry",
    "RegisterMatcher",
    "RuleMatch",
    "Sentence",
    "build_register",
    "concept_groups",
    "corpus_sentences",
    "find_rules",
    "from_csv",
    "from_json",
    "has_figure",
    "load_register",
    "match_question",
    "register_path",
    "same_length_lower",
    "save_register",
    "search_register",
    "spelled_out_forms",
    "to_csv",
    "to_json",
]

log = logging.getLogger(__name__)

Kind = Literal["timescale", "threshold", "target", "eligibility", "definition", "frequency", "duty"]
KINDS: tuple[str, ...] = ("timescale", "threshold", "target", "eligibility", "definition", "frequency", "duty")
"""Kinds of rule; "duty" (a stated statutory duty to act) is the one addition to the six asked for."""

REGISTER_FILE = "register.json"
CSV_FIELDS = (
    "subject",
    "rule",
    "value",
    "unit",
    "condition",
    "kind",
    "comparator",
    "document",
    "title",
    "section",
    "page",
    "page_label",
    "quote",
    "doc_id",
    "chunk_id",
    "start",
    "end",
)


# -- the entry ------------------------------------------------------------------------------


@dataclass(frozen=True)
class RegisterEntry:
    """One stated rule: what it is about, the rule in the document's words, and its value.

    ``rule`` is the verbatim sentence (or clause) and equals ``citation.quote``;
    ``value`` is normalised ("15", "annually", "10-17"); ``unit`` is one of days, working
    days, hours, weeks, months, years, %, age, miles, frequency, risk level or "" (for
    definitions, duties and conditions stated in words).
    """

    subject: str
    rule: str
    value: str
    unit: str
    condition: str
    kind: str
    citation: Citation
    comparator: str = ""
    """How the value applies ("within", "under", "or more", "at least", "every"...); "" when plain."""

    def to_dict(self) -> dict[str, Any]:
        c = self.citation
        return {
            "subject": self.subject,
            "rule": self.rule,
            "value": self.value,
            "unit": self.unit,
            "condition": self.condition,
            "kind": self.kind,
            "comparator": self.comparator,
            "citation": {
                "document": c.document,
                "title": c.title,
                "section": c.section,
                "page": c.page,
                "page_label": c.page_label,
                "quote": c.quote,
                "doc_id": c.doc_id,
                "chunk_id": c.chunk_id,
                "start": c.start,
                "end": c.end,
            },
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any], n: int = 0) -> RegisterEntry:
        c = data.get("citation") or {}
        page = c.get("page")
        citation = Citation(
            n=n,
            document=str(c.get("document", "")),
            title=str(c.get("title", "")),
            section=str(c.get("section", "")),
            page=int(page) if page not in (None, "") else None,
            page_label=(str(c["page_label"]) if c.get("page_label") not in (None, "") else None),
            quote=str(c.get("quote", "")),
            doc_id=str(c.get("doc_id", "")),
            chunk_id=str(c.get("chunk_id", "") or ""),
            start=int(c.get("start") or 0),
            end=int(c.get("end") or 0),
        )
        return cls(
            subject=str(data.get("subject", "")),
            rule=str(data.get("rule", "")),
            value=str(data.get("value", "")),
            unit=str(data.get("unit", "")),
            condition=str(data.get("condition", "")),
            kind=str(data.get("kind", "")),
            citation=citation,
            comparator=str(data.get("comparator", "") or ""),
        )

    def describe(self) -> str:
        """One line for a list or a chat reply ("Private fostering arrangement: under 16")."""
        return (
            self.subject
            + (f": {self.value_text()}" if self.value else "")
            + (f" ({self.condition})" if self.condition else "")
        )

    def value_text(self) -> str:
        """The value with its unit and comparator ("within 15 days", "28 days or more", "under 16")."""
        if not self.value:
            return ""
        unit = "" if self.unit in ("frequency", "age", "risk level") else self.unit
        amount = f"{self.value}%" if unit == "%" else " ".join(p for p in (self.value, unit) if p)
        comparator = self.comparator
        if comparator in ("or more", "or less", "and over", "and under", "after", "of", "before", "following"):
            return f"{amount} {comparator}"
        if self.unit == "age" and not comparator:
            return f"age {amount}"
        return " ".join(p for p in (comparator, amount) if p)


# -- walking the corpus ---------------------------------------------------------------------


@dataclass(frozen=True)
class Sentence:
    """An evidence unit of a committed chunk with absolute offsets into its document."""

    doc_id: str
    start: int
    end: int
    text: str
    kind: str
    chunk: Chunk
    line_start: bool
    line_end: bool


def corpus_sentences(catalog: Catalog) -> Iterator[tuple[str, str, list[Sentence]]]:
    """(doc_id, cleaned text, units in document order) for every committed document.

    Chunks overlap, so a unit is kept once (the first chunk that holds it gives its
    section and page); headings are left out.
    """
    doc_id = ""
    units: dict[tuple[int, int], Sentence] = {}
    text = ""
    for chunk in catalog.iter_chunks():
        if chunk.doc_id != doc_id:
            if doc_id:
                yield doc_id, text, _ordered(units)
            doc_id = chunk.doc_id
            units = {}
            text = catalog.document_text(doc_id) or ""
        for unit in evidence_units(chunk.text, chunk.heading_end):
            if unit.is_heading:
                continue
            start, end = chunk.start + unit.start, chunk.start + unit.end
            if (start, end) in units or text[start:end] != chunk.text[unit.start : unit.end]:
                continue
            line_start = start == 0 or text[:start].rstrip(" \t").endswith("\n") or not text[:start].strip()
            line_end = end >= len(text) or text[end:].lstrip(" \t").startswith("\n") or not text[end:].strip()
            units[(start, end)] = Sentence(doc_id, start, end, text[start:end], unit.kind, chunk, line_start, line_end)
    if doc_id:
        yield doc_id, text, _ordered(units)


def _ordered(units: dict[tuple[int, int], Sentence]) -> list[Sentence]:
    result: list[Sentence] = []
    for key in sorted(units):
        sentence = units[key]
        if result and sentence.start < result[-1].end:
            continue  # a differently split overlap: keep the first
        result.append(sentence)
    return result


# -- patterns -------------------------------------------------------------------------------

_SAME_LENGTH = str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"', "–": "-", "—": "-", "\u00a0": " "})
_W = (
    r"(?:eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|"
    r"sixty|seventy|eighty|ninety|hundred|zero|one|two|three|four|five|six|seven|eight|nine|ten)(?![a-z])"
)
# At most nine number words in a row ("one hundred and twenty-five" is four): unbounded, a long
# run of number words is re-read from each of its words, in quadratic time.
NUM = rf"(?:\d+(?:\.\d+)?|{_W}(?:[\s-]+(?:and\s+)?{_W}){{0,8}})"
_PCT = r"(?:%|\s*per\s*cent\b|\s*percent\b)"
_TIME_UNIT = (
    r"(?P<working>(?:working|school|calendar|consecutive|clear)\s+)?(?P<unit>days?|weeks?|months?|years?|hours?|hrs?|"
    r"minutes?)\b"
)
_AGE_UNIT = r"(?:\s*(?:years?|yrs?)(?:\s+old)?)?"
_LEVEL = r"(?:low|medium|moderate|high|significant|serious)"
_FREQ_WORDS = (
    r"annual|biennial|bi-annual|biannual|quarterly|monthly|weekly|fortnightly|termly|daily|yearly|six-monthly|"
    r"half-yearly"
)

_WITHIN = re.compile(
    r"\bwithin\s+(?:(?:the|a|an|its|their)\s+)?"
    r"(?:(?:required|statutory|agreed|prescribed|maximum|set|expected|national|recommended|usual)\s+)*"
    r"(?:(?:timescale|timeframe|period|deadline|time\s+limit)\s+of\s+)?"
    rf"(?P<n>{NUM})(?:\s*(?:-|to)\s*(?P<m>{NUM}))?[\s-]*{_TIME_UNIT}"
)
_WITH_TYPO = re.compile(r"\bwith\s+(?P<n>\d+)\s*(?P<unit>hours?|hrs?|days?)\b")
_AFTER = re.compile(
    rf"\b(?P<n>{NUM})(?:\s*(?:-|to)\s*(?P<m>{NUM}))?[\s-]*{_TIME_UNIT}\s+"
    r"(?:after|of|from|following|before|prior\s+to)\b"
)
_NO_LATER = re.compile(
    r"\b(?:no\s+later\s+than|not\s+later\s+than|no\s+more\s+than|not\s+more\s+than|at\s+most|a\s+maximum\s+of)\s+"
    rf"(?P<n>{NUM})[\s-]*{_TIME_UNIT}"
)
_TIMELINE = re.compile(
    rf"\b(?P<n>{NUM})[\s-]+{_TIME_UNIT}[\s-]+(?:timescale|timeline|timeframe|deadline|time\s+limit)\b"
)
_WORDS_TIME = re.compile(r"\b(?P<v>shortly\s+after\s+[a-z]+|immediately|on\s+the\s+same\s+day|without\s+delay)\b")
_OR_MORE = re.compile(
    rf"\b(?:for\s+)?(?:a\s+period\s+of\s+)?(?P<n>{NUM})[\s-]*{_TIME_UNIT}\s+or\s+(?P<dir>more|longer|over|less|fewer)\b"
)
_MORE_THAN = re.compile(
    rf"\b(?P<dir>more|less|fewer|longer)\s+than\s+(?P<n>{NUM})\s*"
    r"(?P<unit>days?|weeks?|months?|years?|hours?|miles?|km|kilometres?)\b"
)
_RISK = re.compile(rf"\b(?P<v>{_LEVEL}(?:\s+(?:to|or|and)\s+{_LEVEL})?\s+risk)\b")
_UNDER_AGE = re.compile(
    rf"\b(?P<dir>under|over|below|above)\s+the\s+age\s+of\s+(?P<n>{NUM})(?:\s+(?:or|and)\s+(?P<m>{NUM}))?"
    r"(?:\s+(?P<cond>(?:if|where|when|who|unless)\b[^,;.]*))?"
)
_CHILD_UNDER = re.compile(
    r"\b(?:child|children|young\s+people|young\s+person|pupils?|infants?|babies|baby)\s+"
    r"(?:who\s+(?:is|are)\s+|is\s+|are\s+)?(?:aged\s+)?"
    rf"(?P<dir>under|over|below|above)\s+(?P<n>{NUM})\b{_AGE_UNIT}"
    r"(?:\s+(?P<cond>or\s+(?:has|have|is|are)\s+[^,;.]*?)(?=(?<!\s)\s+then\b|[,;.]|$))?"
)
_AGED_RANGE = re.compile(rf"\baged\s+(?P<n>{NUM})\s*(?:-|to)\s*(?P<m>{NUM})\b")
_AND_OVER = re.compile(rf"\b(?P<n>{NUM})\s*(?:years?\s+)?(?:and|or)\s+(?P<dir>over|above|older|under|younger)\b")
_NOT_RELATIVE = re.compile(
    r"\b(?:who|which|that)\s+(?:is|are)\s+(?P<v>not\s+(?:the|a|an)\s+[^,;.]+?)(?=\s+for\s+a\s+period|\s+for\b|[,;.]|$)"
)
_TARGET = re.compile(
    # possessive spaces: a run of spaces is not shared out between neighbouring repeats
    r"\btargets?(?:\s+(?:of|was|is|were|are|for\s++[a-z ]{2,40}?\s++(?:is|was)))?\s*+(?:[:=]\s*+)?"
    rf"(?P<n>{NUM})(?P<pct>{_PCT})"
)
_PCT_TARGET = re.compile(rf"\b(?P<n>{NUM})(?P<pct>{_PCT})\s+target\b")
_AT_LEAST = re.compile(
    rf"\b(?:at\s+least|a\s+minimum\s+of|no\s+less\s+than|not\s+less\s+than)\s+(?P<n>{NUM})(?P<pct>{_PCT})"
)
_AIM = re.compile(
    r"\b(?:seek(?:ing|s)?|aim(?:ing|s)?|plan(?:ning|s)?|intend(?:ing|s)?|expect(?:ed|ing|s)?|want(?:ing|s)?|"
    # The object (at most 300 characters) starts and ends next to a word, never inside a run of
    # spaces: from every space of a long run, or from every "aim to" of a long sentence, the
    # search for "by" costs quadratic time. With no object, the spaces end just before "by".
    r"committed)\s+to\s+(?P<verb>increase|reduce|improve|raise|cut|decrease|lower|grow)\s+"
    r"(?P<obj>(?!\s)[^.;]{0,300}?(?<!\s)|(?=\sby\s))\s+"
    rf"by\s+(?P<n>{NUM})(?P<pct>{_PCT})?"
)
_FREQ_ADVERB = re.compile(
    r"\b(?P<w>annually|biennially|bi-annually|biannually|quarterly|monthly|weekly|fortnightly|termly|daily|yearly|"
    r"six-monthly|half-yearly)\b"
)
_FREQ_BASIS = re.compile(rf"\b(?:on\s+an?|at)\s+(?P<w>{_FREQ_WORDS})\s+(?:basis|intervals?)\b")
_FREQ_NOUNS = (
    r"meetings?|reviews?|reports?|audits?|surveys?|newsletters?|inspections?|visits?|panels?|conferences?|"
    r"assessments?|returns?|checks?|supervision|forums?"
)
_ADVERB_NEXT = re.compile(
    r"(?<!\s)\s*+(?:$|[,.;:)]|(?:to|and|so|by|at|in|on|for|with|from|until|or|as|throughout|during|thereafter|after)\b)"
)
_FREQ_ADJECTIVE = re.compile(rf"\b(?P<w>{_FREQ_WORDS})\s+(?P<np>(?:[\w/&'-]+\s+){{0,4}}?(?:{_FREQ_NOUNS}))\b")
_EVERY = re.compile(rf"\bevery\s+(?:(?P<n>{NUM})\s+)?(?P<unit>days?|weeks?|months?|years?|terms?)\b")
_TIMES = re.compile(
    rf"\b(?P<w>once|twice|(?P<n>{NUM})\s+times)\s+(?:a|per|each|every)\s+(?P<unit>year|month|week|term|day)\b"
)
_CYCLE = re.compile(
    rf"\b(?P<n>{NUM})[\s-](?P<unit>year|month)(?:ly|s)?\s+(?:training|refresher|renewal|review|cycle|update)\b"
)
_KNOWN = re.compile(
    r"\b(?:is|are)\s+(?:known|referred\s+to|described)\s+(?:to\s+be|as)\s+(?:an?\s+|the\s+)?(?P<term>[^,;.()]{3,80})"
)
_KNOWN_PAREN = re.compile(r"\(\s*(?:known|referred\s+to)\s+as\s+(?:an?\s+|the\s+)?(?P<term>[^)]{3,80})\)")
_DEFINED = re.compile(r"^(?:the\s+)?(?P<term>[a-z][^,;.]{2,70}?)\s+(?:is|are)\s+defined\s+as\b")
_MEANS = re.compile(r"^(?:the\s+term\s+)?['\"]?(?P<term>[a-z][\w\s'-]{2,50}?)['\"]?\s+means\b(?!\s+that)")
_ABBR_IS = re.compile(
    r"(?:^|(?<=[.)]\s))(?P<term>[A-Z][\w’'&-]*(?:\s+[\w’'&-]+){0,8}?\s*\([^()]{2,90}\))\s+(?:is|are)\s+"
    r"(?!being\b|now\b|also\b|not\b|currently\b|still\b|in\b|to\b)(?:an?\s+|the\s+)?[\w-]+"
)
_ROLE = re.compile(
    r"\bthe\s+(?P<term>(?:role|remit|purpose|function)\s+of\s++[^,;.:]{2,60}?)\s++(?:is|are)\b"
    r"(?!\s+(?:now|being|not))"
)
_THIS_IS = re.compile(r"^this\s+is\s+(?:the|an?)\s+\w+")
_NAMED_ABBR_END = re.compile(r"(?P<term>(?:[A-Z][\w’'&-]{0,50}\s+){1,7}\([A-Z][A-Za-z&-]{1,9}\))\.?\s*$")
_DUTY = re.compile(r"\b(?:has|have)\s+an?\s+(?:statutory\s+|legal\s+)?duty\s+to\s+(?P<v>[^.;]+)")

_NORMATIVE = re.compile(
    r"\b(?:must|should|shall|required|requires?|requirement|statutory|mandatory|timeline|timescale|deadline|"
    r"target|expected\s+to|is\s+expected|are\s+expected|to\s+be|needs?\s+to|has\s+to|have\s+to|asked\s+to|duty|"
    r"measure)\b"
)
_CONDITIONAL = re.compile(
    r"\b(?:if|where|when|unless|is\s+known|are\s+known|known\s+as|defined|means|counts\s+as|must|should|"
    r"eligible|eligibility|criteria|threshold|qualif\w*|required)\b"
)
_PROCESS_BEFORE = re.compile(
    r"\b(?:held|completed|convened|undertaken|seen|visited|assessed|reviewed|allocated|responded(?:\s+to)?|"
    r"submitted|notified|reported|offered|made|started|begun|commenced|carried\s+out|take\s+place|takes\s+place|"
    r"took\s+place|occur|occurs|sent|provided|agreed|signed\s+off|received|discussed|initiated)\s*$"
)
_PROCESS_NOW = re.compile(
    r"\b(?:must|should|shall|required|to\s+be|is\s+carried\s+out|are\s+carried\s+out|is\s+held|are\s+held|"
    r"takes?\s+place|is\s+produced|are\s+produced|is\s+published|are\s+published|monitored|meets?|is\s+presented|"
    r"are\s+presented|is\s+undertaken|are\s+undertaken|is\s+completed|are\s+completed)\b"
)
_HYPOTHETICAL = re.compile(r"\b(?:whether|could|might|propos\w*|consider|considering)\b")
_PAST_REPORT = re.compile(r"\b(?:was|were|has\s+been|have\s+been|had\s+been|had)\b")
_RISK_ACTION = re.compile(r"\b(?:refer\w*|escalat\w*|trigger\w*|notif\w*|report\w*)\b")
_FREQ_NORMAL = {
    "annual": "annually",
    "annually": "annually",
    "yearly": "annually",
    "biennial": "biennially",
    "biennially": "biennially",
    "bi-annual": "twice a year",
    "bi-annually": "twice a year",
    "biannual": "twice a year",
    "biannually": "twice a year",
    "six-monthly": "twice a year",
    "half-yearly": "twice a year",
    "quarterly": "quarterly",
    "monthly": "monthly",
    "weekly": "weekly",
    "fortnightly": "fortnightly",
    "termly": "termly",
    "daily": "daily",
}
_EVERY_WORD = {"days": "daily", "weeks": "weekly", "months": "monthly", "years": "annually"}
_UNIT_NORMAL = {
    "day": "days",
    "week": "weeks",
    "month": "months",
    "year": "years",
    "hour": "hours",
    "hr": "hours",
    "hrs": "hours",
    "minute": "minutes",
    "mile": "miles",
    "km": "km",
    "kilometre": "km",
    "term": "terms",
}


@dataclass(frozen=True)
class RuleMatch:
    """A rule found in one sentence; offsets are relative to that sentence."""

    kind: str
    value: str
    unit: str
    condition: str
    anchor: tuple[int, int]
    term: str = ""
    """The defined term, when the sentence is a definition (it then names every rule in it)."""
    object_np: str = ""
    """A noun phrase the pattern itself identified as what the rule is about ("annual report")."""
    comparator: str = ""
    """How the value applies: within, after, under, over, or more, more than, at least, every, increase..."""


def same_length_lower(text: str) -> str:
    """Lower case with typographic quotes and dashes made plain - the same length as ``text``,
    so offsets found in it index the original text."""
    return text.translate(_SAME_LENGTH).lower()


_low = same_length_lower


def _number(token: str) -> str:
    folded = fold(token).lower()
    found = re.findall(r"\d+(?:\.\d+)?", folded)
    return found[0] if found else token.strip()


def _unit(raw: str | None, working: str | None = None) -> str:
    base = (raw or "").lower().rstrip("s") if (raw or "").lower() not in ("hrs",) else "hrs"
    unit = _UNIT_NORMAL.get(base, _UNIT_NORMAL.get((raw or "").lower(), (raw or "").lower()))
    qualifier = (working or "").strip().lower()
    return f"{qualifier} {unit}" if qualifier and unit == "days" else unit


def _range(n: str, m: str | None) -> str:
    return f"{_number(n)}-{_number(m)}" if m else _number(n)


def _statistic(low: str, spans: Sequence[tuple[int, int]]) -> bool:
    """A report of counts ("there were 40 children under 5 ...") rather than a rule."""
    if not _PAST_REPORT.search(low):
        return False
    masked = list(low)
    for a, b in spans:
        masked[a:b] = " " * (b - a)
    rest = "".join(masked)
    rest = re.sub(r"\b(?:19|20)\d\d(?:\s*[/-]\s*\d{2,4})?\b", " ", rest)
    return bool(re.search(rf"\b{NUM}\b", rest))


def _is_label_line(text: str) -> bool:
    """A table-like line: a label then figures ("Strategy discussions 654 - 545 with 24 hrs (83.3%)")."""
    low = _low(text).strip()
    if len(low.split()) > 16 or low.endswith((".", ":", "?")):
        return False
    m = re.match(r"^([a-z][a-z'&/()]*(?:\s+[a-z'&/()]+)*?)\s+\d", low)
    if not m or m.group(1).split()[0] in STOPWORDS:
        return False
    return len(re.findall(r"\d+(?:\.\d+)?", low)) >= 2


def find_rules(text: str) -> list[RuleMatch]:
    """Every rule one sentence (or table line) states, found with generic patterns."""
    low = _low(text)
    found: list[RuleMatch] = []
    taken: list[tuple[int, int]] = []

    def add(match: RuleMatch) -> None:
        a, b = match.anchor
        if any(a < y and x < b for x, y in taken) and match.kind not in ("definition", "duty"):
            return
        if match.kind not in ("definition", "duty"):
            taken.append((a, b))
        found.append(match)

    normative = bool(_NORMATIVE.search(low))
    hypothetical = bool(_HYPOTHETICAL.search(low))
    label_line = _is_label_line(text)

    # definitions first: their term names every other rule in the sentence
    term = ""
    for pattern in (_KNOWN, _DEFINED, _MEANS, _ROLE):
        m = pattern.search(low)
        if m:
            term = text[m.start("term") : m.end("term")].strip(" '\"‘’“”")
            if re.search(r"\b(?:this|it|what|which|that)\b", term.lower()):
                term = ""
                continue
            add(RuleMatch("definition", "", "", "", (m.start(), m.end()), term=term))
            break
    if not term:
        m = _ABBR_IS.search(text)
        if m:
            term = m.group("term").strip()
            add(RuleMatch("definition", "", "", "", (m.start(), m.end()), term=term))
    for m in _KNOWN_PAREN.finditer(low):
        inner = text[m.start("term") : m.end("term")].strip()
        add(RuleMatch("definition", "", "", "", (m.start(), m.end()), term=inner))
    definition = bool(term)

    # timescales
    for m in _WITHIN.finditer(low):
        before = low[: m.start()].rstrip()
        ok = normative or label_line or bool(_PROCESS_BEFORE.search(before)) or definition
        if ok and not hypothetical:
            unit = _unit(m.group("unit"), m.group("working"))
            value = _range(m.group("n"), m.group("m"))
            add(RuleMatch("timescale", value, unit, "", m.span(), term=term, comparator="within"))
    for m in _WITH_TYPO.finditer(low):
        if label_line or normative:
            value = _number(m.group("n"))
            add(RuleMatch("timescale", value, _unit(m.group("unit")), "", m.span(), comparator="within"))
    for pattern, comparator in ((_NO_LATER, "no later than"), (_TIMELINE, "within"), (_AFTER, "")):
        for m in pattern.finditer(low):
            if (normative or definition or pattern is _NO_LATER) and not hypothetical:
                value = _range(m.group("n"), m.groupdict().get("m"))
                unit = _unit(m.group("unit"), m.group("working"))
                if pattern is _AFTER:
                    comparator = re.sub(r"\s+", " ", low[m.end("unit") : m.end()].strip())
                add(RuleMatch("timescale", value, unit, "", m.span(), term=term, comparator=comparator))
    if re.search(r"\b(?:must|should|shall|required|needs?\s+to)\b", low):
        for m in _WORDS_TIME.finditer(low):
            add(RuleMatch("timescale", text[m.start("v") : m.end("v")], "", "", m.span(), term=term))

    # thresholds
    conditional = bool(_CONDITIONAL.search(low))
    for m in _OR_MORE.finditer(low):
        if conditional and not _statistic(low, [m.span()]):
            direction = "or more" if m.group("dir") in ("more", "longer", "over") else "or less"
            unit = _unit(m.group("unit"), m.group("working"))
            add(RuleMatch("threshold", _number(m.group("n")), unit, "", m.span(), term=term, comparator=direction))
    for m in _MORE_THAN.finditer(low):
        if conditional and not _statistic(low, [m.span()]):
            direction = "more than" if m.group("dir") in ("more", "longer") else "less than"
            unit = _unit(m.group("unit"))
            add(RuleMatch("threshold", _number(m.group("n")), unit, "", m.span(), term=term, comparator=direction))
    if re.search(r"\b(?:if|where|when)\b", low) and _RISK_ACTION.search(low):
        for m in _RISK.finditer(low):
            add(RuleMatch("threshold", text[m.start("v") : m.end("v")], "risk level", "", m.span(), term=term))

    # eligibility (ages)
    for m in _UNDER_AGE.finditer(low):
        cond = text[m.start("cond") : m.end("cond")].strip() if m.group("cond") else ""
        direction = "under" if m.group("dir") in ("under", "below") else "over"
        if m.group("m"):
            first, second = (m.start(), m.end("n")), (m.start("m"), m.end())
            add(RuleMatch("eligibility", _number(m.group("n")), "age", "", first, term=term, comparator=direction))
            add(RuleMatch("eligibility", _number(m.group("m")), "age", cond, second, term=term, comparator=direction))
        else:
            add(RuleMatch("eligibility", _number(m.group("n")), "age", cond, m.span(), term=term, comparator=direction))
    for m in _CHILD_UNDER.finditer(low):
        if _statistic(low, [m.span()]):
            continue
        cond = text[m.start("cond") : m.end("cond")].strip() if m.group("cond") else ""
        direction = "under" if m.group("dir") in ("under", "below") else "over"
        add(RuleMatch("eligibility", _number(m.group("n")), "age", cond, m.span(), term=term, comparator=direction))
    for m in _AGED_RANGE.finditer(low):
        if not _statistic(low, [m.span()]):
            value = _range(m.group("n"), m.group("m"))
            add(RuleMatch("eligibility", value, "age", "", m.span(), term=term, comparator="aged"))
    for m in _AND_OVER.finditer(low):
        context = re.search(r"\b(?:age|aged|years?|children|young|people|pupils)\b", low)
        if context and not _statistic(low, [m.span()]):
            direction = "and over" if m.group("dir") in ("over", "above", "older") else "and under"
            add(RuleMatch("eligibility", _number(m.group("n")), "age", "", m.span(), term=term, comparator=direction))
    if definition:
        for m in _NOT_RELATIVE.finditer(low):
            value = text[m.start("v") : m.end("v")].strip()
            add(RuleMatch("eligibility", value, "", "", m.span(), term=term))

    # targets
    for pattern in (_TARGET, _PCT_TARGET):
        for m in pattern.finditer(low):
            add(RuleMatch("target", _number(m.group("n")), "%", "", m.span(), term=term))
    for m in _AT_LEAST.finditer(low):
        if normative or re.search(r"\bto\s+[a-z]+", low[m.end() :]):
            add(RuleMatch("target", _number(m.group("n")), "%", "", m.span(), term=term, comparator="at least"))
    for m in _AIM.finditer(low):
        unit = "%" if m.group("pct") else ""
        obj = text[m.start("obj") : m.end("obj")].strip()
        comparator = f"{m.group('verb')} by"
        add(RuleMatch("target", _number(m.group("n")), unit, "", m.span(), object_np=obj, comparator=comparator))

    # frequencies
    if not hypothetical:
        for m in _FREQ_ADJECTIVE.finditer(low):
            if _PROCESS_NOW.search(low):
                np_text = text[m.start() : m.end()]
                add(RuleMatch("frequency", _FREQ_NORMAL[m.group("w")], "frequency", "", m.span(), object_np=np_text))
        for m in _FREQ_BASIS.finditer(low):
            add(RuleMatch("frequency", _FREQ_NORMAL[m.group("w")], "frequency", "", m.span(), term=term))
        for m in _FREQ_ADVERB.finditer(low):
            if re.search(r"\b(?:increas\w*|decreas\w*|ris\w*|fell|fall\w*|grow\w*)\s*$", low[: m.start()]):
                continue
            if not m.group("w").endswith("ally") and not _ADVERB_NEXT.match(low[m.end() :]):
                continue  # "termly newsletters", "daily meetings": an adjective (handled above, with its noun)
            add(RuleMatch("frequency", _FREQ_NORMAL[m.group("w")], "frequency", "", m.span(), term=term))
        for m in _EVERY.finditer(low):
            unit = _unit(m.group("unit"))
            if m.group("n"):
                add(RuleMatch("frequency", _number(m.group("n")), unit, "", m.span(), term=term, comparator="every"))
            else:
                value = _EVERY_WORD.get(unit, "termly")
                add(RuleMatch("frequency", value, "frequency", "", m.span(), term=term))
        for m in _TIMES.finditer(low):
            count = {"once": "once", "twice": "twice"}.get(m.group("w"), f"{_number(m.group('n') or '')} times")
            add(RuleMatch("frequency", f"{count} a {m.group('unit')}", "frequency", "", m.span(), term=term))
        if re.search(r"\b(?:required|mandatory|statutory|must|should|every)\b", low):
            for m in _CYCLE.finditer(low):
                unit = _unit(m.group("unit"))
                add(RuleMatch("frequency", _number(m.group("n")), unit, "", m.span(), comparator="every"))

    # duties
    for m in _DUTY.finditer(low):
        add(RuleMatch("duty", text[m.start("v") : m.end("v")].strip(), "", "", m.span(), term=term))
    return found


# -- subjects -------------------------------------------------------------------------------

_DETERMINERS = frozenset(
    "the a an all each every any this these that those our their its his her your some such both".split()
)
_PRONOUNS = frozenset("this these that those it they we he she there which who such one".split())
_GENERIC_HEADS = frozenset(
    """number numbers figure figures proportion percentage rate target targets data increase decrease total
    cent % year years time times level levels amount measure""".split()
)
_AGENTS = frozenset(
    """agency agencies partner partners delegates practitioners professionals staff we you board boards
    organisation organisations services""".split()
)
_VERBS = frozenset(
    """is are was were be been being must should will shall can may might would could has have had meets meet met
    continues continue requires require provides provide includes include takes take covers cover places place
    remains remain needs need to do does did monitored presented reported held undertaken carried completed
    made offered refreshed chaired ensures ensure occur occurs developed""".split()
)
_BASE_VERBS = frozenset(
    """complete submit implement report attend provide publish offer hold review monitor ensure undertake use make
    conduct carry deliver support investigate commission present produce send agree meet convene notify refer
    establish develop maintain keep""".split()
)
_BOUNDARY = frozenset(
    """to for with by on at from into via within during under over about against between than as so and or but if
    when where while because which that who whom whose""".split()
)
_STRIP_PREFIXES = (
    "the number of ",
    "number of ",
    "the proportion of ",
    "proportion of ",
    "the percentage of ",
    "percentage of ",
    "delays in ",
    "completion of ",
    "timeliness of ",
)
_GENERIC_LABELS = frozenset("recommendation recommendations action actions note challenge priority summary".split())


def _clean_subject(raw: str) -> str:
    text = raw.strip(" \t,;:.-–—•*")
    text = re.sub(r"^(?:\(?[0-9]{1,2}[.)]|\(?[a-z][.)])\s+", "", text)  # list markers "1." "a)"
    text = re.sub(
        r"^(?:at\s+least|a\s+minimum\s+of|no\s+less\s+than|up\s+to)\s+\d+(?:\.\d+)?\s*(?:%|per\s*cent)\s+of\s+",
        "",
        text,
        flags=re.IGNORECASE,
    )
    changed = True
    while changed:
        changed = False
        lowered = text.lower()
        first = lowered.split(" ", 1)[0] if lowered else ""
        if first in _DETERMINERS and " " in text:
            text = text.split(" ", 1)[1]
            changed = True
            continue
        for prefix in _STRIP_PREFIXES:
            if lowered.startswith(prefix) and len(text) > len(prefix):
                text = text[len(prefix) :]
                changed = True
                break
    text = re.sub(r"[’']s$", "", text.strip(" ,;:.-"))
    return text.strip()


def _cap(text: str, limit: int = 16) -> str:
    words = text.split()
    if len(words) <= limit:
        return text
    cut = words[:limit]
    while len(cut) > 3 and cut[-1].lower() in _BOUNDARY | _DETERMINERS:
        cut.pop()  # never end on a dangling "from", "the"
    return " ".join(cut)


def _generic(subject: str) -> bool:
    words = subject.lower().split()
    if not words or len(subject) < 2:
        return True
    if words[0] in _PRONOUNS or words[0][:1].isdigit():
        return True
    if all(w in STOPWORDS or w in _GENERIC_HEADS for w in words):
        return True
    return words[-1] in _GENERIC_HEADS


def _tokens(text: str) -> list[tuple[str, int, int]]:
    return [(m.group().lower().strip(".,;:()'\"‘’“”"), m.start(), m.end()) for m in re.finditer(r"\S+", text)]


def _grammatical_subject(text: str) -> tuple[str, int]:
    """The words before the main verb, and where that verb starts (-1 when not found)."""
    tokens = _tokens(text)
    relative = False
    for i, (word, start, _) in enumerate(tokens):
        if i == 0:
            continue
        previous = tokens[i - 1][0]
        if word in ("who", "which", "that"):
            relative = True
            continue
        if word == "to" and (i + 1 >= len(tokens) or tokens[i + 1][0] not in _BASE_VERBS | {"be"}):
            continue
        if word in _VERBS:
            if relative and (previous in ("who", "which", "that", "they", "it", "he", "she", "we", "and") or i < 3):
                continue
            if relative and word not in ("has", "have", "is", "are", "was", "were", "will", "must", "should"):
                continue
            subject = text[:start]
            if "," in subject:
                after = subject.rsplit(",", 1)[1]
                if len(after.split()) >= 1:
                    subject = after
            return subject, start
    return "", -1


def _object_np(text: str, after: int) -> str:
    """The noun phrase after a verb chain ("to submit their audit programme to ..." -> "audit programme")."""
    tokens = _tokens(text[after:])
    i = 0
    while i < len(tokens) and (
        tokens[i][0] in _VERBS
        or tokens[i][0] in _BASE_VERBS
        or tokens[i][0].endswith("ed")
        or tokens[i][0] in ("to", "also", "then", "now", "not", "continue", "be")
    ):
        i += 1
    words: list[str] = []
    for word, start, end in tokens[i:]:
        raw = text[after + start : after + end]
        if word in _BOUNDARY or not word:
            break
        if word[:1].isdigit() and not (words and words[-1][:1].isupper() and word.isdigit()):
            break
        words.append(raw.strip(",;:."))
        if raw.endswith((",", ";", ":", ".")):
            break
    return _clean_subject(" ".join(words))


def _trailing_np(text: str) -> str:
    """The noun phrase a text ends with ("... should be offered a LAC health assessment" -> "LAC health assessment")."""
    tokens = _tokens(text.rstrip(" .,;:"))
    words: list[str] = []
    crossed: set[str] = set()
    for index in range(len(tokens) - 1, -1, -1):
        word, start, end = tokens[index]
        raw = text[start:end].strip(".,;:")
        left = tokens[index - 1][0] if index > 0 else ""
        if word in ("of", "in") and "of" not in crossed and 0 < len(words) <= 2:
            crossed.add("of")
            words.append(raw)
            continue
        if (
            word == "and"
            and "and" not in crossed
            and 0 < len(words) <= 4
            and left
            and left not in _DETERMINERS | _BOUNDARY | _VERBS | _BASE_VERBS
        ):
            crossed.add("and")
            words.append(raw)
            continue
        if word in _DETERMINERS or word in _BOUNDARY or word in _VERBS or word in _BASE_VERBS or word in ("of", "in"):
            break
        if word.endswith("ed") and left in _VERBS:
            break
        words.append(raw)
    return _clean_subject(" ".join(reversed(words)))


def _label(text: str) -> str:
    """A table line's label ("Initial Case conferences 44% ...") or a "Label – ..." lead-in."""
    m = re.match(r"^([^:\-–—]{3,70}?)\s+[-–—]\s+", text) or re.match(r"^([^:]{3,60}?):\s+", text)
    if m and not re.search(r"\d", m.group(1)) and len(m.group(1).split()) <= 8:
        label = _clean_subject(m.group(1))
        if label.lower() not in _GENERIC_LABELS:
            return label
    if _is_label_line(text):
        m = re.match(r"^([A-Za-z][\w’'&/()]*(?:\s+[A-Za-z’'&/()]+)*?)\s+\d", text)
        if m:
            return _clean_subject(m.group(1))
    return ""


def _expand_from(subject: str, previous: Sequence[str]) -> tuple[str, int]:
    """Give a bare noun phrase the modifiers an earlier sentence used ("case conferences" ->
    "Initial Case Conferences"); returns the phrase and how many sentences back it was found."""
    if not subject or len(subject.split()) > 3 or any(ch.isupper() for ch in subject):
        return subject, 0
    pattern = re.compile(
        r"\b((?:[A-Z][\w’'/&-]{0,50}\s+){1,3})((?i:" + r"\s+".join(re.escape(w) for w in subject.split()) + r"))\b"
    )
    for back, sentence in enumerate(reversed(previous), start=1):
        for m in pattern.finditer(sentence):
            lead = m.group(1).split()
            while lead and (
                lead[0].lower() in _DETERMINERS or lead[0].lower() in STOPWORDS or not lead[0][0].isupper()
            ):
                lead = lead[1:]
            if lead and m.group(1)[0].isupper():
                return " ".join([*lead, m.group(2)]), back
    return subject, 0


def _local_np(text: str, anchor: int) -> str:
    """The noun phrase just before the verb that precedes a rule ("... of case conferences being held within")."""
    before = text[:anchor].rstrip()
    verb = _PROCESS_BEFORE.search(_low(before))
    if verb:
        before = before[: verb.start()].rstrip()
    else:
        before = re.sub(r"(?<!\s)\s+\w+(?:ed|en)\s*$", "", before)
    before = re.sub(
        r"(?<!\s)(?:\s+(?:is|are|was|were|be|being|been|will|must|should|to|continues?|has|have))*\s*$",
        "",
        before,
        flags=re.IGNORECASE,
    )
    before = re.sub(r"(?<!\s)\s*\b(?:which|that|who)\s*$", "", before, flags=re.IGNORECASE)
    return _trailing_np(before) if before else ""


def _counted_np(sentence: str, anchor: int) -> str:
    """What a measure counts: "the number of children who are ... within two years" -> "children who are ..."."""
    low = _low(sentence)[:anchor]
    found = None
    for match in re.finditer(r"\b(?:number|proportion|percentage)\s+of\s+", low):
        found = match
    if found is None:
        return ""
    phrase = sentence[found.end() : anchor].strip()
    phrase = re.sub(r"(?<!\s)\s+(?:being|were|was|is|are)\s+\w+\s*$", "", phrase)
    return _cap(_clean_subject(phrase))


def _section_leaf(chunk: Chunk) -> str:
    for title in reversed(chunk.section):
        cleaned = _clean_subject(title)
        if cleaned and cleaned.lower() not in ("board challenge", "challenge", "activity", "impact", "conclusion"):
            return cleaned
    return ""


def _subject(
    sentence: str, rule: RuleMatch, previous: Sequence[str], chunk: Chunk, anchor_verb: bool
) -> tuple[str, int]:
    """What a rule is about, from the sentence (or the one before it); the int says how many
    sentences back the subject came from (0: this one)."""
    if rule.term:
        return _tidy(rule.term), 0
    if rule.object_np:
        return _tidy(rule.object_np), 0
    label = _label(sentence)
    if label and not _generic(label):
        return _tidy(label), 0
    low = _low(sentence)
    if (
        rule.kind in ("frequency", "timescale")
        and (
            re.search(r"\b(?:which|that)\s+(?:is|are|will\s+be|must\s+be|should\s+be)\s+\w+\s*$", low[: rule.anchor[0]])
            or re.search(  # a second clause with its own subject: "... and the plan is reviewed quarterly"
                r"(?:\band|\bbut|\bwhile|;)\s+(?:the|a|an|their|its|this|each|all)\s+[\w\s'/-]{1,40}?\s+"
                r"(?:is|are|will\s+be|must\s+be|should\s+be)\s+\w+\s*$",
                low[: rule.anchor[0]],
            )
        )
    ):
        np = _cap(_local_np(sentence, rule.anchor[0]))
        if np and not _generic(np):
            return _tidy(np), 0
    if rule.kind == "eligibility" and rule.unit == "age":
        conditional = re.search(r"\bif\b", low[: rule.anchor[0]])
        consequence = re.search(r"\bthen\b|,", low[rule.anchor[1] :])
        if conditional and consequence:
            np = _trailing_np(sentence[rule.anchor[1] + consequence.end() :])
            if np and not _generic(np):
                return _tidy(np), 0
        who = None
        for match in re.finditer(
            r"\b(?:for|of|to)\s+(?:[\w'-]+\s+){0,2}?(?:children|child|young\s+people|young\s+person|infants?|babies)\b",
            low[: rule.anchor[1]],
        ):
            who = match
        if who is not None:
            np = _trailing_np(sentence[: who.start()])
            if np and not _generic(np):
                return _tidy(np), 0
    subject, verb_at = _grammatical_subject(sentence)
    cleaned = _cap(_clean_subject(subject))
    if cleaned and cleaned.lower().split()[-1] in _AGENTS and len(cleaned.split()) <= 3 and verb_at >= 0:
        obj = _object_np(sentence, verb_at)
        if obj and not _generic(obj):
            return _tidy(obj), 0
    if rule.kind == "duty" and re.search(r"\b(?:these|this|such|those|above)\b", subject.lower()):
        leaf = _section_leaf(chunk)
        if leaf:
            return _tidy(leaf), 0
    if cleaned and not _generic(cleaned):
        if rule.kind == "threshold" and len(cleaned.split()) == 1:
            onward = re.search(
                rf"\b{re.escape(cleaned)}\s+(?:is|are|will\s+be|must\s+be|should\s+be)\s+(?:made|sent|passed)\s+"
                r"(to\s+[^,;.]{2,60})",
                sentence,
                flags=re.IGNORECASE,
            )
            if onward:
                cleaned = f"{cleaned} {onward.group(1)}"
        expanded, back = _expand_from(cleaned, previous)
        return _tidy(expanded), back
    if rule.kind == "timescale":
        counted = _counted_np(sentence, rule.anchor[0])
        if counted and not _generic(counted):
            expanded, back = _expand_from(counted, previous)
            return _tidy(expanded), back
    if anchor_verb or rule.kind in ("timescale", "frequency"):
        np = _cap(_local_np(sentence, rule.anchor[0]))
        if np and not _generic(np):
            expanded, back = _expand_from(np, previous)
            return _tidy(expanded), back
    if previous:
        first = subject.lower().split()[:1]
        if first and first[0] in _PRONOUNS:
            np = _trailing_np(previous[-1])
        else:
            prev_subject, _ = _grammatical_subject(previous[-1])
            np = _cap(_clean_subject(prev_subject))
        if np and not _generic(np):
            return _tidy(np), 1
    return _tidy(_section_leaf(chunk)), 0


def _tidy(subject: str) -> str:
    subject = " ".join(subject.split()).strip(" ,;:.")
    return subject[:1].upper() + subject[1:] if subject else subject


# -- building -------------------------------------------------------------------------------


def _clause(text: str, anchor: tuple[int, int]) -> tuple[int, int]:
    """The ";"-separated clause of a long sentence that holds the rule (whole sentence otherwise)."""
    if ";" not in text:
        return 0, len(text)
    start = text.rfind(";", 0, anchor[0]) + 1
    end = text.find(";", anchor[1])
    end = len(text) if end == -1 else end
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if len(text[start:end].split()) < 6:
        return 0, len(text)
    return start, end


def build_register(assistant: Assistant) -> list[RegisterEntry]:
    """Every stated threshold, timescale, target, eligibility rule, frequency, definition and
    duty of the committed documents, in document order; each carries a verbatim quote."""
    return build_register_from_catalog(assistant.index.catalog)


def build_register_from_catalog(catalog: Catalog) -> list[RegisterEntry]:
    """:func:`build_register` for a bare catalogue (no model is loaded: this is text work only)."""
    entries: list[RegisterEntry] = []
    seen: set[tuple[str, str, str, str, int]] = set()
    for doc_id, text, sentences in corpus_sentences(catalog):
        for index, sentence in enumerate(sentences):
            rules = find_rules(sentence.text)
            previous_units = _same_paragraph_before(sentences, index, text)
            previous = [s.text for s in previous_units]
            named = _NAMED_ABBR_END.search(previous[-1]) if previous and _THIS_IS.match(_low(sentence.text)) else None
            if named:
                rules.insert(0, RuleMatch("definition", "", "", "", (0, 4), term=named.group("term").strip()))
            if not rules:
                continue
            for rule in rules:
                anchor_verb = bool(_PROCESS_BEFORE.search(_low(sentence.text)[: rule.anchor[0]].rstrip()))
                subject, back = _subject(sentence.text, rule, previous, sentence.chunk, anchor_verb)
                if named and rule.term == named.group("term").strip():
                    back = 1
                if not subject:
                    continue
                a, b = _clause(sentence.text, rule.anchor)
                start, end = sentence.start + a, sentence.start + b
                if back:
                    start = previous_units[-back].start
                quote = text[start:end]
                if not quote or text[start:end] != quote:
                    continue
                key = (rule.kind, rule.value, rule.unit, doc_id, start)
                if key in seen:
                    continue
                seen.add(key)
                citation = _citation(len(entries) + 1, sentence.chunk, quote, start, end)
                entries.append(
                    RegisterEntry(
                        subject=subject,
                        rule=quote,
                        value=rule.value,
                        unit=rule.unit,
                        condition=rule.condition,
                        kind=rule.kind,
                        citation=citation,
                        comparator=rule.comparator,
                    )
                )
    return verified(catalog, entries)


def _same_paragraph_before(sentences: Sequence[Sentence], index: int, text: str, limit: int = 3) -> list[Sentence]:
    """Up to ``limit`` units just before ``index`` in the same paragraph (no line break between)."""
    result: list[Sentence] = []
    current = sentences[index]
    for j in range(index - 1, max(-1, index - 1 - limit), -1):
        candidate = sentences[j]
        gap = text[candidate.end : current.start]
        if "\n" in gap or gap.strip():
            break
        result.insert(0, candidate)
        current = candidate
    return result


def _citation(n: int, chunk: Chunk, quote: str, start: int, end: int) -> Citation:
    # the register stores quotes, not the passages around them (it is saved as JSON/CSV)
    return dataclasses.replace(Citation.from_chunk(n, chunk, start, end, quote=quote), context="")


def verified(catalog: Catalog, entries: Iterable[RegisterEntry]) -> list[RegisterEntry]:
    """Only the entries whose quote is still a verbatim slice of their document's cleaned text."""
    texts: dict[str, str | None] = {}
    kept: list[RegisterEntry] = []
    for entry in entries:
        c = entry.citation
        if c.doc_id not in texts:
            texts[c.doc_id] = catalog.document_text(c.doc_id)
        text = texts[c.doc_id]
        if text is not None and c.quote and text[c.start : c.end] == c.quote:
            kept.append(entry)
        else:
            log.error("dropped a register entry whose quote is not verbatim in %s", c.document)
    return kept


# -- searching ------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def spelled_out_forms() -> tuple[tuple[tuple[str, ...], str], ...]:
    """(stems of a spelled-out form, abbreviation), longest forms first."""
    table: list[tuple[tuple[str, ...], str]] = []
    for abbr, expansions in ABBREVIATIONS.items():
        for expansion in expansions.split("|"):
            stems = tuple(stem_tokens([t for t in word_tokens(fold(expansion).lower()) if t not in STOPWORDS]))
            if stems:
                table.append((stems, abbr))
    table.sort(key=lambda item: (-len(item[0]), item[1]))
    return tuple(table)


def concept_groups(text: str) -> list[frozenset[str]]:
    """The content words of a query as groups of alternatives (stem, synonyms, abbreviation).

    A spelled-out form ("initial child protection conference") becomes one group - its
    abbreviation ("icpc") - which matches text written either way, because
    :func:`assistant.text.normalise.text_terms` adds the abbreviation to spelled-out text.
    """
    raw = [t for t in word_tokens(fold(text).lower()) if t not in STOPWORDS and t not in QUESTION_WORDS]
    stems = stem_tokens(raw)
    used: set[int] = set()
    groups: list[frozenset[str]] = []
    for expansion, abbr in spelled_out_forms():
        n = len(expansion)
        for i in range(len(stems) - n + 1):
            span = set(range(i, i + n))
            if tuple(stems[i : i + n]) == expansion and not used & span:
                used |= span
                groups.append(frozenset({abbr}))
    for i, (word, stem) in enumerate(zip(raw, stems, strict=True)):
        if i in used:
            continue
        groups.append(frozenset({stem, *query_terms(word)}))
    return list(dict.fromkeys(groups))


def _entry_terms(entry: RegisterEntry) -> set[str]:
    leaf = entry.citation.section.split(" › ")[-1] if entry.citation.section else ""
    return set(text_terms(" ".join([entry.subject, entry.rule, entry.condition, leaf])))


def _subject_terms(entry: RegisterEntry) -> set[str]:
    return set(text_terms(entry.subject))


MAX_SEARCH_CHARS = 200
"""A register search is a few words (the web form takes 200 characters; the server refuses more)."""


def search_register(entries: Sequence[RegisterEntry], text: str) -> list[RegisterEntry]:
    """Entries about ``text`` (words, abbreviations and their spelled-out forms), best first.

    An empty query returns every entry. Matching the subject counts more than matching
    the rule, the condition or the section heading. A query longer than
    :data:`MAX_SEARCH_CHARS` raises :class:`AnswerError`.
    """
    query = (text or "").strip()
    if len(query) > MAX_SEARCH_CHARS:
        raise AnswerError(f"the search is {len(query):,} characters long; keep it under {MAX_SEARCH_CHARS}")
    if not query:
        return list(entries)
    groups = concept_groups(query)
    folded = fold(query).lower()
    scored: list[tuple[float, int, RegisterEntry]] = []
    for position, entry in enumerate(entries):
        all_terms = _entry_terms(entry)
        subject_terms = _subject_terms(entry)
        hits = [g for g in groups if g & all_terms]
        score = len(hits) + 0.5 * sum(1 for g in groups if g & subject_terms)
        haystack = fold(" ".join([entry.subject, entry.rule, entry.kind, entry.unit, entry.value])).lower()
        if folded and folded in haystack:
            score += 1.0
        needed = max(1, math.ceil(0.6 * len(groups))) if groups else 1
        if (groups and len(hits) >= needed) or (folded and folded in haystack):
            scored.append((score, position, entry))
    scored.sort(key=lambda item: (-item[0], item[1]))
    return [entry for _, _, entry in scored]


_KIND_FOR_QUESTION = {
    "duration": ("timescale", "frequency", "threshold"),
    "frequency": ("frequency", "timescale"),
    "percentage": ("target",),
    "definition": ("definition", "eligibility"),
}
_THRESHOLD_QUESTION = re.compile(
    r"\b(?:threshold|thresholds|criteria|eligib\w*|how old|what age|age limit|aged? (?:under|over)|qualif\w*|"
    r"counts? as|target|targets)\b"
)
_QUESTION_NOISE = (
    "long",
    "many",
    "often",
    "quickly",
    "soon",
    "within",
    "threshold",
    "criteria",
    "target",
    "must",
    "held",
    "take",
    "place",
    "happen",
    "last",
    "lasting",
    "frequently",
    "regularly",
    "counts",
    "count",
    "need",
    "needs",
)
_UNIT_WORDS = {
    "age": "age",
    "old": "age",
    "aged": "age",
    "percentage": "%",
    "per cent": "%",
    "%": "%",
    "days": "days",
    "day": "days",
    "hours": "hours",
    "hour": "hours",
    "weeks": "weeks",
    "week": "weeks",
    "months": "months",
    "month": "months",
    "years": "years",
    "year": "years",
}


def match_question(entries: Sequence[RegisterEntry], question: str) -> RegisterEntry | None:
    """The register entry that answers a "how long / within how many days / how often / what is
    the threshold (age, target)" question, or None when no entry fits it well.

    The entry's subject or rule must hold the question's specific words (abbreviations and
    their spelled-out forms count as the same word) and its kind must fit the question.
    For many questions over one register, build a :class:`RegisterMatcher` once.
    """
    return RegisterMatcher(entries).match(question)


class RegisterMatcher:
    """:func:`match_question` over one register, with each entry's words worked out once.

    Entries are found through an index of their subjects' words, so a question costs the
    same whether the register holds fifty entries or fifty thousand.
    """

    def __init__(self, entries: Sequence[RegisterEntry]) -> None:
        self.entries = entries if isinstance(entries, list) else list(entries)
        self._terms = [_entry_terms(e) for e in self.entries]
        self._subjects = [_subject_terms(e) for e in self.entries]
        self._noise = set(stem_tokens(list(_UNIT_WORDS) + list(_QUESTION_NOISE)))
        self._by_subject_term: dict[str, list[int]] = {}
        for position, terms in enumerate(self._subjects):
            for term in terms:
                self._by_subject_term.setdefault(term, []).append(position)

    def match(self, question: str) -> RegisterEntry | None:
        entries = self.entries
        if not question or not question.strip() or not entries:
            return None
        folded = fold(question).lower()
        expects = question_type(question)
        kinds: tuple[str, ...] = _KIND_FOR_QUESTION.get(expects, ())
        if _THRESHOLD_QUESTION.search(folded):
            kinds = (*kinds, "threshold", "eligibility", "target")
        if not kinds:
            return None
        raw = [t for t in word_tokens(folded) if t not in STOPWORDS]
        asked_unit = next((_UNIT_WORDS[t] for t in raw if t in _UNIT_WORDS), "")
        if expects == "frequency":
            asked_unit = asked_unit or "frequency"
        content = [g for g in concept_groups(question) if not g <= self._noise and not any(t[:1].isdigit() for t in g)]
        if not content:
            return None
        best: tuple[float, int, RegisterEntry] | None = None
        # only entries whose subject shares a word with the question are candidates
        positions = sorted({p for group in content for term in group for p in self._by_subject_term.get(term, ())})
        for position in positions:
            entry = entries[position]
            if entry.kind not in kinds:
                continue
            terms = self._terms[position]
            subject_terms = self._subjects[position]
            hits = [g for g in content if g & terms]
            coverage = len(hits) / len(content)
            if coverage < 0.6:
                continue
            score = coverage + 0.3 * sum(1 for g in content if g & subject_terms) / len(content)
            score += 0.2 * (kinds.index(entry.kind) == 0)
            if asked_unit:
                score += (
                    0.4 if entry.unit.endswith(asked_unit) else (-0.4 if entry.unit not in ("", "frequency") else -0.2)
                )
            if entry.condition:
                score -= 0.05  # the general rule before its exception
            if best is None or score > best[0]:
                best = (score, position, entry)
        return best[2] if best else None


# -- import / export ------------------------------------------------------------------------


def to_json(entries: Sequence[RegisterEntry], *, indent: int | None = 2) -> str:
    """A JSON list: subject, rule, value, unit, condition, kind and the citation of each entry."""
    return json.dumps([e.to_dict() for e in entries], ensure_ascii=False, indent=indent)


def from_json(text: str) -> list[RegisterEntry]:
    """Entries from :func:`to_json` output (or a saved register file)."""
    data = json.loads(text)
    if isinstance(data, dict):
        data = data.get("entries", [])
    if not isinstance(data, list):
        raise ValueError("a register is a JSON list of entries")
    return [RegisterEntry.from_dict(cast(dict[str, Any], item), n) for n, item in enumerate(data, start=1)]


def to_csv(entries: Sequence[RegisterEntry]) -> str:
    """One row per entry, the citation flattened into columns (see ``CSV_FIELDS``).

    Written by :func:`~assistant.text.tables.write_csv`: a document's text that a spreadsheet
    would run as a formula is prefixed with ``'`` (and :func:`from_csv` removes it again).
    """
    rows = []
    for entry in entries:
        data = entry.to_dict()
        citation = data.pop("citation")
        rows.append({**data, **citation})
    return write_csv(None, CSV_FIELDS, rows, lineterminator="\n")


def from_csv(text: str) -> list[RegisterEntry]:
    """Entries from :func:`to_csv` output (the quotes that neutralised formulas removed)."""
    entries: list[RegisterEntry] = []
    for n, row in enumerate(read_csv(text), start=1):
        citation: dict[str, Any] = {
            k: row.get(k, "") for k in ("document", "title", "section", "page", "page_label", "quote")
        }
        citation.update(
            {
                "doc_id": row.get("doc_id", ""),
                "chunk_id": row.get("chunk_id", ""),
                "start": row.get("start") or 0,
                "end": row.get("end") or 0,
            }
        )
        keys = ("subject", "rule", "value", "unit", "condition", "kind", "comparator")
        data: dict[str, Any] = {k: row.get(k, "") for k in keys}
        data["citation"] = citation
        entries.append(RegisterEntry.from_dict(data, n))
    return entries


def register_path(settings: Settings) -> Path:
    """Where the register of a data folder is kept: ``<data_dir>/register.json``."""
    return Path(settings.data_dir) / REGISTER_FILE


def save_register(entries: Sequence[RegisterEntry], path: Path, *, corpus_version: int | None = None) -> None:
    """Write the register as JSON (atomically: a crash leaves the previous file)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    payload: dict[str, Any] = {"corpus_version": corpus_version, "entries": [e.to_dict() for e in entries]}
    temporary = path.with_suffix(path.suffix + ".tmp")
    temporary.write_text(json.dumps(payload, ensure_ascii=False, indent=2), encoding="utf-8")
    temporary.replace(path)


def load_register(path: Path) -> list[RegisterEntry]:
    """Read a register written by :func:`save_register` (or plain :func:`to_json` output)."""
    return from_json(Path(path).read_text(encoding="utf-8"))


def saved_version(path: Path) -> int | None:
    """The corpus version a saved register was built from (None when unknown or missing)."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    version = data.get("corpus_version") if isinstance(data, dict) else None
    return int(version) if isinstance(version, int) else None


def ensure_register(assistant: Assistant) -> list[RegisterEntry]:
    """The register of the current index: loaded from the data folder when it matches the
    corpus version, otherwise rebuilt and saved (call after every ingest)."""
    path = register_path(assistant.settings)
    version = assistant.index.version
    if path.exists() and saved_version(path) == version:
        return load_register(path)
    entries = build_register(assistant)
    save_register(entries, path, corpus_version=version)
    return entries


# -- shared with the briefing ---------------------------------------------------------------

_NOT_A_COUNT = re.compile(
    r"\b(?:19|20)\d\d(?:-\d\d)?\b|\bsection \d+\b|\b(?:aged?|age of|under|over|priority|standard|level|tier|chapter|"
    r"regulation|appendix|case|recommendation|stage|step|phase|part|schedule|paragraph|article)\s+\d+"
    r"(?:\s+(?:or|and|to|&)\s+\d+)?\b|\b\d+(?:\.\d+)?\s*(?:working\s+)?(?:day|week|month|year|hour|hrs|minute)s?\b|"
    r"\b\d+(?:st|nd|rd|th)\b|^\s*\d+[.)]\s"
)


def has_figure(text: str) -> bool:
    """Does a sentence state a count, a percentage or an amount (not only years, ages or durations)?"""
    # "no one person", "one of the", "one member of staff": "one" alone is rarely a figure
    text = re.sub(
        r"(?<![\w-])one(?![\w-]|\s+(?:hundred|thousand|million|in\s+\w+|per\s*cent|%))", "a", text, flags=re.I
    )
    folded = fold(text).lower()
    if re.search(r"\d\s*%|£\s?\d", folded):
        return True
    remaining = _NOT_A_COUNT.sub(" ", folded)
    return bool(re.search(r"(?<![\d.])\d+(?:\.\d+)?(?![\d.])", remaining))
