"""One-page "7-minute briefings" built only from the indexed documents, every line cited.

A briefing on a topic has the seven parts safeguarding partnerships circulate:

1. What it is - sentences that define or describe the topic;
2. Why it matters - risk, priority, concern and impact;
3. Key facts and figures - counts and percentages (a figure list or table is kept whole);
4. Thresholds, timescales and procedures - the rules the register patterns find, and
   referral/reporting steps;
5. What the board found and its challenges - "Board Challenge" sections, audit findings (from an
   annual report or a review; from policies and procedures this part is "Roles and responsibilities",
   the sentences saying who does what);
6. What practitioners should do or reflect on - duties, awareness, "should/must";
7. Sources - document, section, page and the verbatim quote of every citation.

Each part retrieves passages for the topic plus its own cue query, then keeps the
sentences and table rows that mention the topic (its words, synonyms or abbreviation,
or the heading they sit under) and fit the part. Every item is made only of verbatim
slices of the documents' cleaned text, each with a citation; a sentence is used once;
a part the documents are silent on says so. The audience (police, health, education,
social care) only re-orders and boosts what is drawn on first - never the wording.

Entry points: :func:`build_briefing` and :func:`render` (md, html, docx, pdf, json).
"""

from __future__ import annotations

import json
import logging
import math
import re
from collections import Counter
from collections.abc import Callable, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Literal, get_args

import numpy as np

from assistant.errors import AnswerError, IdentifyingDetails
from assistant.models import Chunk, Citation, EvidenceUnit, Passage, identity_text
from assistant.products import exporters
from assistant.rules import find_rules, same_length_lower, spelled_out_forms
from assistant.services.privacy import describe
from assistant.text.cues import DEFINITION, DEFINITION_WEAK, has_figure
from assistant.text.normalise import QUESTION_WORDS, STOPWORDS, fold, stem_tokens, text_terms, word_tokens
from assistant.text.units import header_of_row, is_table_row
from assistant.text.vocabulary import ABBREVIATIONS, AGENCY_KEYWORDS, AUDIENCE_WORDS, FINDINGS_GENRES
from assistant.wording import NOT_COVERED, NOTICE

if TYPE_CHECKING:
    from assistant.engine import Assistant

__all__ = [
    "AUDIENCES",
    "FORMATS",
    "HEADINGS",
    "NOT_COVERED",
    "ROLES_HEADING",
    "Audience",
    "Briefing",
    "BriefingItem",
    "BriefingSection",
    "Format",
    "build_briefing",
    "render",
]

log = logging.getLogger(__name__)

MAX_TOPIC_CHARS = 200
"""A briefing topic is a few words (the web form takes 200 characters; the server refuses more)."""
Audience = Literal["all", "police", "health", "education", "social-care"]
Format = Literal["md", "html", "docx", "pdf", "json"]
AUDIENCES: tuple[str, ...] = get_args(Audience)
"""Who a briefing is for (the one list the CLI, the web app and the HTTP API offer)."""
FORMATS: tuple[str, ...] = get_args(Format)
"""What a briefing can be rendered as."""
MEDIA_TYPES = {
    "md": "text/markdown; charset=utf-8",
    "html": "text/html; charset=utf-8",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
    "json": "application/json",
}
KEYS: tuple[str, ...] = ("what", "why", "figures", "rules", "board", "practice", "sources")
HEADINGS: tuple[str, ...] = (
    "What it is",
    "Why it matters",
    "Key facts and figures",
    "Thresholds, timescales and procedures",
    "What the board found and its challenges",
    "What practitioners should do or reflect on",
    "Sources",
)
ROLES_HEADING = "Roles and responsibilities"
"""The fifth part's heading when the documents drawn on report no findings (policies, procedures)."""
AUDIENCE_LABELS = {
    "all": "all practitioners and board managers",
    "police": "police",
    "health": "health",
    "education": "education and early years",
    "social-care": "children's social care",
}

# -- the briefing ---------------------------------------------------------------------------


@dataclass(frozen=True)
class BriefingItem:
    """A statement made of verbatim quotes, with the numbers of the citations it rests on."""

    text: str
    citations: tuple[int, ...] = ()


@dataclass(frozen=True)
class BriefingSection:
    key: str
    heading: str
    items: tuple[BriefingItem, ...]

    @property
    def covered(self) -> bool:
        return any(item.citations for item in self.items)


@dataclass(frozen=True)
class Briefing:
    """Seven sections (the seventh lists the sources) and the numbered citations."""

    topic: str
    audience: str
    sections: tuple[BriefingSection, ...]
    citations: tuple[Citation, ...]
    notice: str = NOTICE
    documents: tuple[str, ...] = ()

    @property
    def title(self) -> str:
        return f"7-minute briefing: {self.topic}"

    def section(self, key: str) -> BriefingSection:
        return next(s for s in self.sections if s.key == key)

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape: topic, audience, sections (heading, items), citations, notice."""
        return {
            "topic": self.topic,
            "audience": self.audience,
            "title": self.title,
            "notice": self.notice,
            "sections": [
                {
                    "heading": s.heading,
                    "covered": s.covered,
                    "items": [{"text": i.text, "citations": list(i.citations)} for i in s.items],
                }
                for s in self.sections
            ],
            "citations": [
                {
                    "n": c.n,
                    "document": c.document,
                    "title": c.title,
                    "section": c.section,
                    "page": c.page,
                    "page_label": c.page_label,
                    "quote": c.quote,
                }
                for c in self.citations
            ],
        }


# -- the topic ------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Concept:
    """One part of a topic: its abbreviation, or more than half of the weight of its ``required``
    stems (the rarer a word in the corpus, the more it weighs), at least one of them in the text
    itself and the rest in its ``context`` (the heading it sits under, the document's own name):
    "an allegation against a nursery team member" is met by "an accusation that a Team Member is
    a perpetrator", under "An allegation is made against a Team Member", in a nursery's policy."""

    required: frozenset[str]
    abbreviation: str = ""
    weights: tuple[tuple[str, float], ...] = ()

    def matches(self, terms: AbstractSet[str], context: AbstractSet[str] = frozenset()) -> bool:
        if self.abbreviation and self.abbreviation in terms:
            return True
        if not self.required or not self.required & terms:
            return False
        weights = dict(self.weights)
        total = sum(weights.get(s, 1.0) for s in self.required)
        present = sum(weights.get(s, 1.0) for s in self.required if s in terms or s in context)
        return present > _CONCEPT_SHARE * total


_CONCEPT_SHARE = 0.5
"""A concept is met by more than this share of its words' weight (two equal words: both)."""


@dataclass(frozen=True)
class _Topic:
    text: str
    concepts: tuple[_Concept, ...]

    def share(self, terms: AbstractSet[str], context: AbstractSet[str] = frozenset()) -> float:
        if not self.concepts:
            return 0.0
        return sum(1 for c in self.concepts if c.matches(terms, context)) / len(self.concepts)


# Spaces before a separator are taken from the first of a run (from every space, a long run
# would cost quadratic time).
_SPLIT = re.compile(r"(?:(?<!\s)\s+)?(?:,|;|/|&|\band\b|\bor\b|\bincluding\b|\bplus\b)\s*", re.IGNORECASE)
_TOPIC_NOISE = frozenset(
    stem_tokens("briefing briefings topic overview guidance issue issues about local safeguarding board".split())
)


def _topic(text: str, doc_freq: dict[str, int], size: int) -> _Topic:
    """Split a topic into concepts ("CSE and missing children" -> CSE, missing) and keep each
    concept's distinctive words: a word in a fifth of all passages ("children") only counts
    when the concept has nothing more specific."""
    concepts: list[_Concept] = []
    for part in _SPLIT.split(text):
        raw = [t for t in word_tokens(fold(part).lower()) if t not in STOPWORDS and t not in QUESTION_WORDS]
        if not raw:
            continue
        stems = [s for s in stem_tokens(raw) if s not in _TOPIC_NOISE] or stem_tokens(raw)
        for word in raw:
            if word in ABBREVIATIONS:
                concepts.append(_Concept(frozenset({word}), word))
        rest = [s for w, s in zip(raw, stem_tokens(raw), strict=True) if w not in ABBREVIATIONS and s in stems]
        if not rest:
            continue
        abbreviation = ""
        for expansion, abbr in spelled_out_forms():
            n = len(expansion)
            if any(tuple(rest[i : i + n]) == expansion for i in range(len(rest) - n + 1)):
                abbreviation = abbr
                break
        common = {s for s in rest if size and doc_freq.get(s, 0) / size > 0.2}
        required = frozenset(s for s in rest if s not in common) or frozenset(rest)
        weights = tuple(sorted((s, math.log((size + 1) / (doc_freq.get(s, 0) + 1)) + 1.0) for s in required))
        concepts.append(_Concept(required, abbreviation, weights))
    unique = list(dict.fromkeys(concepts))
    return _Topic(text, tuple(unique))


# -- audiences ------------------------------------------------------------------------------

# Words of at most 50 characters: an unbounded word, tried from every capital of a long run of
# capitals, costs quadratic time.
_NAMED = re.compile(r"((?:[A-Z][\w’'-]{0,50}\s+(?:(?:of|and|&|for|the)\s+)?){1,9})\(([A-Z][A-Za-z&]{1,8}?)s?\)")


@lru_cache(maxsize=8)
def _vocabulary(audience: str) -> tuple[frozenset[str], ...]:
    phrases = []
    for raw in AUDIENCE_WORDS.get(audience, "").split():
        stems = frozenset(text_terms(raw.replace("_", " ")))
        if stems:
            phrases.append(stems)
    return tuple(phrases)


def _learned_agencies(texts: Sequence[str]) -> dict[str, set[str]]:
    """Abbreviations the documents define for agencies ("... NHS Foundation Trust (NCFT)"), by audience."""
    learned: dict[str, set[str]] = {key: set() for key in AGENCY_KEYWORDS}
    for text in texts:
        for m in _NAMED.finditer(text):
            name = m.group(1).lower()
            abbr = m.group(2).lower()
            for audience, keywords in AGENCY_KEYWORDS.items():
                if any(re.search(rf"\b{re.escape(k)}\b", name) for k in keywords):
                    learned[audience].add(abbr)
    return learned


def _audience_match(audience: str, terms: set[str], extra: set[str]) -> bool:
    if audience == "all":
        return False
    return bool(terms & extra) or any(phrase <= terms for phrase in _vocabulary(audience))


# -- section rules --------------------------------------------------------------------------

_VERB_LIKE = re.compile(
    r"\b(?:is|are|was|were|be|been|being|has|have|had|will|would|must|should|shall|can|could|may|might|does|do|did|"
    r"meets?|provides?|includes?|remains?|continues?|needs?|requires?|ensures?|offers?|supports?)\b|"
    r"\b\w+(?:ed|ing)\b|\bto\s+[a-z]+"
)
_WHY = re.compile(
    r"\b(?:priorit\w*|risks?|vulnerab\w*|harm\w*|challeng\w*|concern\w*|important|importance|crucial|essential|"
    r"significant\w*|increas\w*|rise|rising|impact\w*|under[- ]?report\w*|low|major|serious|emerging|safety|"
    r"outcomes?|national\s+picture|remains?|affect\w*|victims?)\b"
)
_PROCEDURE = re.compile(
    r"\b(?:thresholds?|criteria|eligib\w*|procedures?|protocols?|pathways?|refer(?:red|ral|rals)?\s+to|"
    r"referral\s+is\s+made|report(?:ed)?\s+to|notify|notified|strategy\s+(?:discussion|meeting)s?|"
    r"risk\s+assessments?|assessment\s+tool|tool\s?kit|timescales?|timelines?|trigger\w*|escalat\w*|"
    r"step\s+(?:up|down)|duty\s+to|must\s+be|required\s+to|rag\s+rating)\b"
)
_BOARD = re.compile(
    r"\b(?:board|[a-z]{0,2}sc[bp]|partnership|audit\w*|review\w*|found|findings?|identified|challeng\w*|concern\w*|"
    r"need\s+to|needs\s+to|there\s+is\s+a\s+need|will\s+continue|monitor\w*|recommend\w*|gaps?|weakness\w*|"
    r"issues?|lack\w*|improv\w*|scrutin\w*|assurance)\b"
)
_PRACTICE = re.compile(
    r"\b(?:should|must|need\s+to|needs\s+to|duty\s+to|statutory\s+dut(?:y|ies)|are\s+expected|is\s+expected|"
    r"expectation|are\s+asked|raise\s+awareness|awareness|promote|be\s+aware|recogni[sz]e|to\s+report|"
    r"report\s+(?:it|this|them|concerns?|the)|refer\s+to|make\s+a\s+referral|when\s+to\s+contact|"
    r"(?:should|must|to)\s+contact|knows?\s+who|question\s+to\s+consider|to\s+consider|reflect\s+on|reflection|"
    r"vigilan\w*|listen\s+to|voice\s+of)\b"
)
_ROLE = re.compile(
    r"\b(?:responsible\s+for|responsibilit(?:y|ies)\s+(?:of|to|for)|role\s+(?:of|is)|point\s+of\s+contact|"
    r"(?:officer|lead|manager|chair|headteacher)\s+(?:is|will|must|should|has)|"
    r"(?:is|are)\s+(?:the|our)\s+(?:\w+\s+){0,4}(?:officer|lead|manager|chair|contact|person))\b"
)
"""A sentence saying who does what in a policy or procedure."""
_CHALLENGE_SECTION = re.compile(r"challenge", re.IGNORECASE)
_CAPS = {"what": 3, "why": 3, "figures": 5, "rules": 5, "board": 4, "practice": 4}
_ORDER = ("what", "figures", "rules", "practice", "board", "why")
"""Which part claims a sentence first: the most specific kinds of evidence come first."""
_CUES = {
    "what": "{t} definition: what is {t}, what is meant by {t}, known as, role of",
    "why": "why {t} matters: risk, harm, priority, concern, impact on children",
    "figures": "{t} figures numbers per cent data statistics recorded cases",
    "rules": "{t} threshold timescale within days procedure referral criteria must",
    "board": "{t} board challenge audit findings concerns to monitor",
    "practice": "{t} practitioners should must duty report refer awareness training",
}
_AUDIENCE_CUES = {
    "police": "police CAIT MASH investigation strategy discussion",
    "health": "health CCG NHS trust nurse GP health assessments",
    "education": "schools education early years settings teachers",
    "social-care": "children's social care social workers MASH looked after children assessments",
}
_FLOOR = 0.7
"""A part keeps items scoring at least this share of its best item's score."""
_RUN_LINES = 10
_LIST_LINES = 6
_LIST_WORDS = 35
_ITEM_WORDS = 12
_RUN_WORDS = 35


@dataclass
class _Candidate:
    """A sentence (or row) of a retrieved passage, with what the section rules need."""

    base: EvidenceUnit
    doc_id: str
    start: int
    end: int
    text: str
    relevance: float
    direct: bool
    figure: bool
    rules: tuple[str, ...]
    definition: float
    audience: float
    vector: np.ndarray | None
    section_path: str
    norm: str = ""
    fragment: bool = False
    """A verbless line ("Support for victims of Domestic Abuse"): usable only with the line introducing it."""
    findings: bool = True
    """Its document reports what a board or review found (an annual report), not only what to do (a policy)."""


@dataclass
class _Piece:
    """A verbatim span that becomes one citation."""

    doc_id: str
    start: int
    end: int
    chunk: Chunk


@dataclass
class _Chosen:
    key: str
    pieces: list[_Piece]
    text: str
    score: float
    challenge: bool = False
    audience: float = 0.0
    """How directly it concerns the briefing's audience (0 for everyone's briefing)."""


_Overlaps = Callable[[str, int, int], bool]
"""overlaps(doc_id, start, end): is any part of that span already used?"""


class _Locator:
    """The chunk (section, page) that holds a span of a document, and the document texts."""

    def __init__(self, assistant: Assistant) -> None:
        self._assistant = assistant
        self._texts: dict[str, str] = {}
        self._chunks: dict[str, list[Chunk]] = {}
        self._lines: dict[str, Counter[str]] = {}
        self._genres: dict[str, str] | None = None

    def text(self, doc_id: str) -> str:
        if doc_id not in self._texts:
            self._texts[doc_id] = self._assistant.document_text(doc_id) or ""
        return self._texts[doc_id]

    def chunk(self, doc_id: str, start: int, end: int, hint: Chunk | None = None) -> Chunk | None:
        if hint is not None and hint.doc_id == doc_id and hint.start <= start and end <= hint.end:
            return hint
        if doc_id not in self._chunks:
            found = self._assistant.document_chunks(doc_id)
            self._chunks[doc_id] = sorted(found, key=lambda c: (c.start, c.ordinal))
        for chunk in self._chunks[doc_id]:
            if chunk.start <= start and end <= chunk.end:
                return chunk
        return hint

    def findings(self, doc_id: str) -> bool:
        """Does the document report what a board or review found (its genre is an annual report's, a
        review's)?"""
        if self._genres is None:
            self._genres = {d.doc_id: d.genre or "" for d in self._assistant.documents()}
        return self._genres.get(doc_id, "") in FINDINGS_GENRES

    def recurs(self, doc_id: str, heading: str) -> bool:
        """Does this heading stand on a line of its own more than once in the document?"""
        if doc_id not in self._lines:  # counted once per document, not once per sentence asked about
            self._lines[doc_id] = Counter(line.strip() for line in self.text(doc_id).splitlines())
        heading = heading.strip()
        return bool(heading) and self._lines[doc_id][heading] >= 2


# -- building -------------------------------------------------------------------------------


def build_briefing(assistant: Assistant, topic: str, audience: str = "all", *, k: int = 12) -> Briefing:
    """A seven-part briefing on ``topic`` from the indexed documents, every item cited.

    ``audience`` is one of :data:`AUDIENCES`; it changes which agencies' passages are
    drawn on first, never the wording. Raises :class:`AnswerError` for an empty or
    over-long topic or an unknown audience.
    """
    topic = " ".join((topic or "").split())
    if not topic:
        raise AnswerError("the topic is empty: name a safeguarding topic, e.g. 'private fostering'")
    if len(topic) > MAX_TOPIC_CHARS:
        raise AnswerError(f"the topic is {len(topic)} characters long; keep it under {MAX_TOPIC_CHARS}")
    audience = (audience or "all").strip().lower().replace("_", "-").replace(" ", "-")
    if audience == "social":
        audience = "social-care"
    if audience not in AUDIENCES:
        raise AnswerError(f"unknown audience {audience!r}: choose one of {', '.join(AUDIENCES)}")
    identifiers = assistant.find_identifiers(topic)
    if identifiers:
        # a topic is kept (in the briefing, its title and its file name): identifiers are refused, not stripped
        raise IdentifyingDetails(describe(identifiers, "briefing topic"))
    if assistant.is_empty():
        return _assemble(topic, audience, {}, None, ())

    doc_freq, size = assistant.term_statistics()
    parsed = _topic(topic, doc_freq, size)
    if not parsed.concepts:
        return _assemble(topic, audience, {}, None, ())

    passages: dict[str, Passage] = {}
    vectors: dict[str, np.ndarray] = {}
    queries = {"topic": topic, **{key: cue.format(t=topic) for key, cue in _CUES.items()}}
    if audience != "all":
        queries["audience"] = f"{topic} {_AUDIENCE_CUES[audience]}"
    for key, query in queries.items():
        found, vector = assistant.search(query, k)
        vectors[key] = np.asarray(vector, dtype="float32")
        for passage in found:
            kept = passages.get(passage.chunk.chunk_id)
            if kept is None or passage.rank < kept.rank:
                passages[passage.chunk.chunk_id] = passage
    ordered = sorted(passages.values(), key=lambda p: (p.chunk.doc_id, p.chunk.start))
    units = assistant.evidence_units(ordered)

    locator = _Locator(assistant)
    learned = _learned_agencies([locator.text(d) for d in sorted({p.chunk.doc_id for p in ordered})])
    extra = learned.get(audience, set())
    candidates = _prepare(units, parsed, audience, extra, locator)
    chosen = _select(candidates, vectors, locator, parsed)
    documents = tuple(sorted({p.chunk.file_name for p in ordered}))
    findings = any(locator.findings(doc_id) for doc_id in {p.chunk.doc_id for p in ordered})
    return _assemble(topic, audience, chosen, locator, documents, findings)


def _prepare(
    units: Sequence[EvidenceUnit], topic: _Topic, audience: str, extra: set[str], locator: _Locator
) -> list[_Candidate]:
    prepared: list[_Candidate] = []
    for candidate in units:
        text = candidate.text
        if candidate.is_heading or text.rstrip().endswith("?"):
            continue
        if len(text.split()) < 3 and not candidate.is_row:
            continue
        chunk = candidate.passage.chunk
        header = header_of_row(chunk, candidate.start) if candidate.is_row else ""
        terms = set(text_terms(f"{header} {text}" if header else text))
        # a sentence that does not name the topic is about it when the heading it sits directly
        # under does; the heading above counts only when that one recurs through the document
        # ("Board Challenge", "What to do") and so says nothing by itself
        headings = (
            chunk.section[-2:]
            if chunk.section and locator.recurs(chunk.doc_id, chunk.section[-1])
            else chunk.section[-1:]
        )
        heading_terms = set(text_terms(" ".join(headings)))
        # what the sentence leaves unsaid its own heading or its document's name may say
        context = set(
            text_terms(" ".join([*chunk.section[-1:], identity_text(chunk.title, chunk.file_name, chunk.publisher)]))
        )
        share = topic.share(terms, context)
        heading_share = topic.share(heading_terms)
        if share > 0:
            relevance, direct = 0.6 + 0.4 * share, True
        elif heading_share > 0:
            relevance, direct = 0.45 + 0.2 * heading_share, False
        else:
            continue
        rules = tuple(sorted({r.kind for r in find_rules(text)}))
        low = same_length_lower(text)  # cue offsets must index ``text`` too
        definition = 0.0
        if DEFINITION.search(low):
            definition = 1.0
        elif direct and (cue := DEFINITION_WEAK.search(low)):
            subject = text[: cue.start()]
            predicate = " ".join(text[cue.end() :].split()[:8])
            if len(subject.split()) <= 8 and topic.share(set(text_terms(subject))) > 0:
                definition = 0.6
            elif len(subject.split()) <= 12 and topic.share(set(text_terms(predicate))) > 0:
                definition = 0.5  # "The front door to child protection services is the ... Hub (MASH)"
        audience_terms = terms | set(text_terms(chunk.section_path))
        boost = 0.0
        if _audience_match(audience, terms, extra):
            boost = 0.3
        elif _audience_match(audience, audience_terms, extra):
            boost = 0.15
        prepared.append(
            _Candidate(
                base=candidate,
                doc_id=chunk.doc_id,
                start=candidate.start,
                end=candidate.end,
                text=text,
                relevance=relevance,
                direct=direct,
                figure=has_figure(text),
                rules=rules,
                definition=definition,
                audience=boost,
                vector=candidate.vector,
                section_path=chunk.section_path,
                norm=" ".join(re.sub(r"[^a-z0-9% ]", " ", low).split()),
                fragment=not candidate.is_row and len(text.split()) <= 10 and not _VERB_LIKE.search(low),
                findings=locator.findings(chunk.doc_id),
            )
        )
    return prepared


def _fits(key: str, c: _Candidate) -> float:
    """How well a candidate fits a part (0: not at all); a gate, then a small strength bonus."""
    low = fold(c.text).lower()
    rule_kinds = [r for r in c.rules if r != "definition"]
    if key == "what":
        if c.definition >= 1.0 or (c.definition > 0 and c.direct):
            detail = 0.05 * len([r for r in c.rules if r in ("eligibility", "threshold", "timescale")])
            return 0.2 + 0.3 * c.definition + detail
        return 0.0
    if key == "figures":
        return 0.2 if c.figure and not rule_kinds else 0.0
    if key == "rules":
        if rule_kinds:
            return 0.35
        if _PROCEDURE.search(low) and not c.figure:
            return 0.15
        return 0.0
    if key == "board" and not c.findings:
        # a policy or procedure: who does what ("The CSO is the first point of contact", "is responsible for")
        return 0.3 if _ROLE.search(low) and not c.figure else 0.0
    if key == "board":
        in_challenge = bool(_in_challenge(c))
        if in_challenge:
            return 0.4
        return 0.1 if _BOARD.search(low) and not c.figure else 0.0
    if key == "practice":
        if not _PRACTICE.search(low) or c.figure:
            return 0.0
        strong = re.search(
            r"\b(?:should|must|duty\s+to|need\s+to|needs\s+to|practitioners?|professionals?|staff|front\s?line)\b", low
        )
        penalty = 0.05 if _in_challenge(c) else 0
        return (0.25 if strong else 0.1) - penalty
    if key == "why":
        return 0.15 if _WHY.search(low) else 0.0
    return 0.0


def _in_challenge(c: _Candidate) -> bool:
    leaf = c.section_path.split(" › ")[-1] if c.section_path else ""
    return bool(_CHALLENGE_SECTION.search(leaf))


def _score(key: str, c: _Candidate, vectors: dict[str, np.ndarray]) -> float:
    fit = _fits(key, c)
    if fit <= 0:
        return 0.0
    dense_section = float(np.dot(vectors[key], c.vector)) if c.vector is not None and key in vectors else 0.0
    dense_topic = float(np.dot(vectors["topic"], c.vector)) if c.vector is not None else 0.0
    words = len(c.text.split())
    length = -0.1 if words > 70 else (-0.05 if words < 6 else 0.0)
    return c.relevance + fit + 0.5 * dense_section + 0.3 * dense_topic + c.audience + length


def _select(
    candidates: Sequence[_Candidate], vectors: dict[str, np.ndarray], locator: _Locator, topic: _Topic
) -> dict[str, list[_Chosen]]:
    """Fill the parts in ``_ORDER`` (most specific first), best-scoring first, each sentence once."""
    used: list[tuple[str, int, int]] = []
    seen_text: set[str] = set()
    chosen: dict[str, list[_Chosen]] = {key: [] for key in _CAPS}

    def overlaps(doc_id: str, start: int, end: int) -> bool:
        return any(d == doc_id and start < e and s < end for d, s, e in used)

    for key in _ORDER:
        ranked = sorted(
            ((score, c) for c in candidates if (score := _score(key, c, vectors)) > 0),
            key=lambda item: (-item[0], item[1].doc_id, item[1].start),
        )
        best = ranked[0][0] if ranked else 0.0
        for score, c in ranked:
            if len(chosen[key]) >= _CAPS[key] or score < _FLOOR * best:
                break
            if overlaps(c.doc_id, c.start, c.end) or c.norm in seen_text:
                continue
            if key == "practice" and _in_challenge(c) and any(x.challenge for x in chosen[key]):
                continue  # one "Board Challenge" line at most here: the rest belong to the board's part
            chunk = c.base.passage.chunk
            pieces = [_Piece(c.doc_id, c.start, c.end, chunk)]
            text = c.text
            if key == "figures":
                pieces, text = _figure_run(c, locator, overlaps, topic)
            elif c.base.is_row:
                continue  # a bare table row only reads in the figures part, with its table
            else:
                pieces, text = _with_list(c, locator, overlaps)
                if c.fragment and len(pieces) == 1:
                    continue
            for piece in pieces:
                used.append((piece.doc_id, piece.start, piece.end))
            seen_text.add(c.norm)
            chosen[key].append(_Chosen(key, pieces, text, score, _in_challenge(c), c.audience))
    for key in ("figures",):
        chosen[key] = _merge_tables(chosen[key])
    for items in chosen.values():
        # the audience's own agencies come first in each part (a stable sort: otherwise by score)
        items.sort(key=lambda item: -item.audience)
    return chosen


def _line_span(text: str, start: int, end: int) -> tuple[int, int]:
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    return line_start, len(text) if line_end == -1 else line_end


def _stripped(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _figure_run(c: _Candidate, locator: _Locator, overlaps: _Overlaps, topic: _Topic) -> tuple[list[_Piece], str]:
    """A figure keeps its list or table: the table a row belongs to (with its header line), or
    the short figure lines that follow a line ("...: 41 per cent / 91 per cent ..."). A row that
    names the topic keeps only the table's header and the rows that name it too (the table's
    other rows are about other things); a row found under the topic's heading keeps its table."""
    text = locator.text(c.doc_id)
    chunk = c.base.passage.chunk
    first = _Piece(c.doc_id, c.start, c.end, chunk)
    if not text or text[c.start : c.end] != c.text:
        return [first], c.text
    line_start, line_end = _line_span(text, c.start, c.end)
    spans: list[tuple[int, int]] = []
    header: tuple[int, int] | None = None
    if c.base.is_row:
        rows: list[tuple[int, int]] = [_stripped(text, line_start, line_end)]
        cursor = line_start
        while cursor > 0 and len(rows) < _RUN_LINES:
            a, b = _line_span(text, cursor - 1, cursor - 1)
            line = text[a:b].strip()
            if not line or not is_table_row(line):
                if line and len(line.split()) <= 12 and not line.endswith((".", ":", "?")):
                    header = _stripped(text, a, b)
                break
            rows.insert(0, _stripped(text, a, b))
            cursor = a
        cursor = line_end
        while cursor < len(text) and len(rows) < _RUN_LINES:
            a, b = _line_span(text, cursor + 1, cursor + 1)
            line = text[a:b].strip()
            if not line or not is_table_row(line):
                break
            rows.append(_stripped(text, a, b))
            cursor = b
        heading = set(text_terms(" ".join(chunk.section[-1:])))
        if c.direct and not topic.share(heading):
            rows = [
                (a, b)
                for n, (a, b) in enumerate(rows)
                if (a, b) == (c.start, c.end)
                or topic.share(set(text_terms(text[a:b])), heading) > 0
                or (n == 0 and not has_figure(text[a:b]))  # the header row: column names, years
            ]
        spans = ([header] if header else []) + rows
    else:
        spans = [(c.start, c.end)]
        whole_line = _stripped(text, line_start, line_end) == (c.start, c.end)
        cursor = line_start
        while whole_line and cursor > 0 and len(spans) <= _RUN_LINES and len(c.text.split()) <= _RUN_WORDS:
            a, b = _stripped(text, *_line_span(text, cursor - 1, cursor - 1))
            line = text[a:b]
            if not line or len(line.split()) > _RUN_WORDS or not has_figure(line) or is_table_row(line):
                break
            spans.insert(0, (a, b))  # the list this figure belongs to starts earlier
            cursor = a
        if _stripped(text, c.end, line_end)[0] == _stripped(text, c.end, line_end)[1]:  # the unit ends its line
            cursor = line_end
            while cursor < len(text) and len(spans) <= _RUN_LINES:
                a, b = _line_span(text, cursor + 1, cursor + 1)
                a, b = _stripped(text, a, b)
                line = text[a:b]
                if not line or len(line.split()) > _RUN_WORDS or not has_figure(line) or line.endswith(":"):
                    break
                spans.append((a, b))
                cursor = b
    spans = [s for s in spans if not overlaps(c.doc_id, s[0], s[1]) or s == (c.start, c.end)]
    if not spans:
        return [first], c.text
    pieces = []
    for a, b in spans:
        owner = locator.chunk(c.doc_id, a, b, chunk)
        if owner is None:
            continue
        pieces.append(_Piece(c.doc_id, a, b, owner))
    if not pieces:
        return [first], c.text
    parts = [text[p.start : p.end] for p in pieces]
    if header and pieces[0].start == header[0]:
        body = "; ".join(parts[1:])
        return pieces, f"{parts[0]}: {body}" if body else parts[0]
    return pieces, _join(parts)


def _join(parts: Sequence[str]) -> str:
    """Lines of a list as one statement: "a; b; c" (no separator after a line's own full stop)."""
    text = ""
    for part in parts:
        if not text:
            text = part
        elif text.rstrip().endswith((".", ";", ":", "!", "?")):
            text = f"{text} {part}"
        else:
            text = f"{text}; {part}"
    return text


def _with_list(c: _Candidate, locator: _Locator, overlaps: _Overlaps) -> tuple[list[_Piece], str]:
    """A list item keeps the line that introduces it ("... of:"), and a line ending in ":"
    keeps the short lines it introduces, each a piece of its own."""
    text = locator.text(c.doc_id)
    chunk = c.base.passage.chunk
    pieces = [_Piece(c.doc_id, c.start, c.end, chunk)]
    if not text or text[c.start : c.end] != c.text:
        return pieces, c.text
    line_start, line_end = _line_span(text, c.start, c.end)
    spans: list[tuple[int, int]] = []
    section = chunk.section
    if c.text.rstrip().endswith(":") and _stripped(text, c.end, line_end)[0] == _stripped(text, c.end, line_end)[1]:
        cursor = line_end
        previous = c.text
        while cursor < len(text) and len(spans) < _LIST_LINES:
            a, b = _stripped(text, *_line_span(text, cursor + 1, cursor + 1))
            line = text[a:b]
            owner = locator.chunk(c.doc_id, a, b, chunk) if line else None
            if not line or owner is None or owner.section != section or len(line.split()) > _LIST_WORDS:
                break
            if line.endswith(":") or (len(line.split()) <= 4 and previous.endswith(".") and line[-1:].isalnum()):
                break  # the next list's lead-in, or a heading
            if not overlaps(c.doc_id, a, b):
                spans.append((a, b))
            previous = line
            cursor = b
        after = [_Piece(c.doc_id, a, b, owner) for a, b in spans if (owner := locator.chunk(c.doc_id, a, b, chunk))]
        return pieces + after, _join([c.text] + [text[p.start : p.end] for p in after])
    whole_line = _stripped(text, line_start, line_end) == (c.start, c.end)
    if whole_line and (c.fragment or len(c.text.split()) <= _ITEM_WORDS) and line_start > 0:
        cursor = line_start
        for _ in range(12):  # back over the sibling items to the line that introduces the list
            a, b = _stripped(text, *_line_span(text, cursor - 1, cursor - 1))
            line = text[a:b]
            if not line or (a == 0 and not line.endswith(":")):
                break
            if line.endswith(":"):
                owner = locator.chunk(c.doc_id, a, b, chunk)
                if owner is not None and owner.section == section and not overlaps(c.doc_id, a, b):
                    return [_Piece(c.doc_id, a, b, owner), *pieces], f"{line} {c.text}"
                break
            if len(line.split()) > _LIST_WORDS:
                break
            cursor = a
    return pieces, c.text


def _merge_tables(items: list[_Chosen]) -> list[_Chosen]:
    """Two rows of the same table chosen separately become one item (the first keeps the table)."""
    result: list[_Chosen] = []
    for item in items:
        spans = {(p.doc_id, p.start) for p in item.pieces}
        if any(spans & {(p.doc_id, p.start) for p in other.pieces} for other in result):
            continue
        result.append(item)
    return result


def _assemble(
    topic: str,
    audience: str,
    chosen: dict[str, list[_Chosen]],
    locator: _Locator | None,
    documents: tuple[str, ...],
    findings: bool = True,
) -> Briefing:
    citations: list[Citation] = []
    numbers: dict[tuple[str, int, int], int] = {}
    sections: list[BriefingSection] = []
    for key, heading in zip(KEYS[:-1], HEADINGS[:-1], strict=True):
        if key == "board" and not _reports_findings(chosen.get(key, []), locator, findings):
            heading = ROLES_HEADING
        items: list[BriefingItem] = []
        for choice in chosen.get(key, []):
            quotes = [_quote(piece, locator) for piece in choice.pieces]
            if not quotes or any(q is None for q in quotes) or not _composed_of(choice.text, [q or "" for q in quotes]):
                log.error("dropped a briefing item that is not made of verbatim quotes")
                continue
            refs: list[int] = []
            for piece in choice.pieces:
                spot = (piece.doc_id, piece.start, piece.end)
                if spot not in numbers:
                    citation = _citation(len(citations) + 1, piece, locator)
                    if citation is None:  # unreachable: _quote checked the same slice
                        continue
                    numbers[spot] = citation.n
                    citations.append(citation)
                refs.append(numbers[spot])
            items.append(BriefingItem(choice.text, tuple(refs)))
        if not items:
            items = [BriefingItem(NOT_COVERED)]
        sections.append(BriefingSection(key, heading, tuple(items)))
    sources = [BriefingItem(f"[{c.n}] {c.location(shorten_sections=True)}", (c.n,)) for c in citations] or [
        BriefingItem(NOT_COVERED)
    ]
    sections.append(BriefingSection("sources", HEADINGS[-1], tuple(sources)))
    return Briefing(topic, audience, tuple(sections), tuple(citations), NOTICE, documents)


def _reports_findings(chosen: Sequence[_Chosen], locator: _Locator | None, findings: bool) -> bool:
    """Is the fifth part about what a board found: its items come from a report, or, with none, the
    documents drawn on include one (``findings``)?"""
    if locator is None or not chosen:
        return findings
    return any(locator.findings(piece.doc_id) for choice in chosen for piece in choice.pieces)


def _quote(piece: _Piece, locator: _Locator | None) -> str | None:
    """The verbatim slice of the document's cleaned text a piece stands for (None if empty)."""
    if locator is None:
        return None
    quote = locator.text(piece.doc_id)[piece.start : piece.end]
    return quote if quote.strip() else None


def _composed_of(text: str, quotes: Sequence[str]) -> bool:
    """Is ``text`` the quotes in order, joined only by spaces, ";" or ":"?"""
    position = 0
    for quote in quotes:
        found = text.find(quote, position)
        if found == -1 or text[position:found].strip(" ;:"):
            return False
        position = found + len(quote)
    return not text[position:].strip()


def _citation(n: int, piece: _Piece, locator: _Locator | None) -> Citation | None:
    """A numbered citation, only if its quote is verbatim in the document's cleaned text."""
    quote = _quote(piece, locator)
    if quote is None:
        return None
    return Citation.from_chunk(n, piece.chunk, piece.start, piece.end, quote=quote)


# -- rendering ------------------------------------------------------------------------------


def _report(briefing: Briefing) -> exporters.Report:
    body = tuple(
        exporters.Section(s.heading, tuple(exporters.Item(i.text, i.citations) for i in s.items))
        for s in briefing.sections
        if s.key != "sources"
    )
    sources = tuple(exporters.Source.from_citation(c, shorten_sections=True) for c in briefing.citations)
    subtitle = f"Audience: {AUDIENCE_LABELS.get(briefing.audience, briefing.audience)}"
    if briefing.documents:
        subtitle += f" · from {len(briefing.documents)} document{'s' if len(briefing.documents) != 1 else ''}"
    subtitle += " · every statement is quoted from the documents and cited"
    return exporters.Report(
        title=briefing.title,
        notice=briefing.notice,
        sections=body,
        sources=sources,
        subtitle=subtitle,
        sources_heading=HEADINGS[-1],
        empty_sources=NOT_COVERED,
    )


def render(briefing: Briefing, fmt: str) -> bytes:
    """The briefing as ``md``, ``html``, ``docx``, ``pdf`` or ``json`` bytes (UTF-8 for text).

    Every format carries the safeguarding notice, the [n] markers and the sources with
    their verbatim quotes. Raises :class:`AnswerError` for another format.
    """
    fmt = (fmt or "").lower().lstrip(".")
    if fmt == "markdown":
        fmt = "md"
    if fmt == "json":
        return json.dumps(briefing.to_dict(), ensure_ascii=False, indent=2).encode("utf-8")
    report = _report(briefing)
    if fmt == "md":
        return exporters.markdown(report).encode("utf-8")
    if fmt == "html":
        return exporters.html_text(report).encode("utf-8")
    if fmt == "docx":
        return exporters.docx_bytes(report)
    if fmt == "pdf":
        return exporters.pdf_bytes(report)
    raise AnswerError(f"unknown format {fmt!r}: choose one of {', '.join(FORMATS)}")


def file_name(briefing: Briefing, fmt: str) -> str:
    """A safe download name ("briefing-private-fostering-all.pdf")."""
    slug = re.sub(r"[^a-z0-9]+", "-", briefing.topic.lower()).strip("-")[:60] or "topic"
    return f"briefing-{slug}-{briefing.audience}.{fmt.lower().lstrip('.')}"
