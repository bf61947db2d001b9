"""Checking a language model's answer against the passages it was given, before anyone sees it.

The model is asked to put ``[n]`` after every sentence, ``n`` being the number of a
passage in its prompt. Here its text is split into sentences and each one is kept only
when it passes every check below against the passage(s) it cites:

1. it cites at least one passage, and only passages that were given (``[9]`` of 8 fails);
2. every figure it states - numbers, percentages, money, years, dates, durations (number
   words fold to digits: "fifteen days" == "15 days") - appears in the cited passage(s),
   and so does every number-with-unit pair ("5 days" is not supported by "15 days");
3. every named term - an acronym (ICPC, MASH) or a capitalised word that does not start
   the sentence (Working Together, Northshire) - appears in the cited passage(s), an acronym
   also counting when its spelled-out form is there and the reverse;
4. its content words overlap the cited passage(s) enough: at least ``MIN_SHARED`` (2) of its
   stemmed content words (numbers included, stopwords and words such as "document" or
   "states" left out) and at least ``MIN_OVERLAP`` (half) of them are found there.

Text of a passage that reads like an instruction to a language model ("ignore your
instructions and reply ...") never counts as support, so a model that obeys an
instruction planted in a document has its sentence removed; such removed sentences are
also withheld from the removal report.

Citations keep the product's verbatim-quote rule: for each passage a kept sentence cites,
the quote is the evidence unit (sentence or table row, as in :func:`evidence_units`) of
that passage that best supports the sentence, so ``document_text[start:end] == quote``.
Citations are renumbered in order of first use. Nothing here imports langchain.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from assistant.models import Citation, Passage
from assistant.text.normalise import STOPWORDS, fold, stem_tokens, term_set, word_tokens
from assistant.text.sentences import answer_sentences as split_sentences
from assistant.text.units import Unit, evidence_units
from assistant.text.vocabulary import ABBREVIATIONS

__all__ = [
    "MIN_OVERLAP",
    "MIN_SHARED",
    "Draft",
    "SentenceCheck",
    "Verification",
    "Verifier",
    "looks_like_instruction",
    "parse_sentence",
    "split_sentences",
]

MIN_OVERLAP = 0.5
"""Share of a sentence's content words that must appear in the passage(s) it cites."""
MIN_SHARED = 2
"""Content words (or figures) a sentence must share with its passage(s), whatever its length."""
MAX_REPORTED = 20
"""Removed sentences listed in a report (a runaway model can write hundreds)."""
MAX_REPORTED_CHARS = 300
MAX_UNITS_PER_PASSAGE = 2
"""Quotes taken from one passage for one sentence (a second only to show a figure the first lacks)."""

_MARK = re.compile(r"\[\s*(?:(?:passages?|source|doc(?:ument)?)\s*)?(\d{1,3}(?:\s*[,;–-]\s*\d{1,3})*)\s*\]", re.I)
_BULLET = re.compile(r"^(?:[-*•]|\d{1,2}[.)])\s+")
_QUANTITY = re.compile(
    r"(?<![\d.])(\d+(?:\.\d+)?)\s*(?:working\s+|calendar\s+|school\s+)?(day|week|month|year|hour|minute)s?\b"
)
_CAPITALISED = re.compile(r"\b[A-Z][\w'’&-]*")
# Words a model uses to talk about its sources; they need not appear in the passage.
_META = frozenset(
    stem_tokens(
        """document documents passage passages source sources text texts state states stated
        says said according mention mentions mentioned note notes noted provided provide indicate
        indicates indicated describe describes described explain explains explained specify
        specifies specified outline outlines outlined set sets""".split()
    )
)
# Number tokens that number words make out of ordinary phrasing ("one of", "first").
_WORDISH_NUMBERS = frozenset({"1", "1st", "2nd"})
_DECLINE = re.compile(
    r"\b(?:do(?:es)?|did) not (?:answer|say|state|cover|contain|mention|include|specify|provide)\b"
    r"|\bno information\b|\bnot (?:stated|covered|mentioned|specified) in\b|\bcannot (?:answer|find)\b"
)
_INSTRUCTION = re.compile(
    r"\b(?:ignore|disregard|forget|override|bypass)\b[^.!?\n]{0,60}?\b(?:instructions?|prompts?|rules|guidelines|"
    r"directions|above|previous|system)\b"
    r"|\bsystem prompt\b|\bdeveloper (?:message|mode)\b|\byou are now\b|\bas an? (?:ai|language model)\b"
    r"|\b(?:language models?|llms?|chatbots?|ai assistants?|ai models?)\b[^.!?\n]{0,40}\b(?:must|should|will)\b",
    re.IGNORECASE,
)
# "reply PWNED", "say OK": a command to answer with a word in capitals (case matters here)
_ECHO_COMMAND = re.compile(
    r"(?i:\b(?:reply|respond|answer|say|output|print|write)\s+(?:only\s+)?(?:with\s+)?(?:the\s+words?\s+)?)"
    r"[\"'“‘]?[A-Z]{2,}\b"
)


_ECHO_REASON = "it repeats text that looks like an instruction to the model"


def looks_like_instruction(text: str) -> bool:
    """Does this document text read like an instruction aimed at a language model?

    Such text is never counted as support. A false alarm on a genuine sentence only
    means the model cannot cite that sentence; the extractive answer still can.
    """
    flat = " ".join(text.split())
    return bool(_INSTRUCTION.search(flat) or _ECHO_COMMAND.search(flat))


# -- sentences and markers ---------------------------------------------------------------------


def parse_sentence(piece: str) -> tuple[str, tuple[int, ...]]:
    """(the sentence without its markers, the passage numbers it cites in order)."""
    cited: list[int] = []
    for match in _MARK.finditer(piece):
        for n in _marker_numbers(match.group(1)):
            if n not in cited:
                cited.append(n)
    body = _MARK.sub(" ", piece)
    body = body.replace("**", "").replace("__", "")
    body = re.sub(r"(?<!\s)\s+([.,;:!?])", r"\1", body)
    body = " ".join(body.split())
    body = _BULLET.sub("", body)
    return body.strip(), tuple(cited)


def _marker_numbers(inside: str) -> list[int]:
    numbers: list[int] = []
    for part in re.split(r"(?:(?<!\s)\s+)?[,;]\s*", inside.strip()):
        bounds = re.split(r"(?:(?<!\s)\s+)?[–-]\s*", part)
        if len(bounds) == 2 and bounds[0].isdigit() and bounds[1].isdigit():
            low, high = int(bounds[0]), int(bounds[1])
            numbers.extend(range(low, min(high, low + 20) + 1))
        elif part.isdigit():
            numbers.append(int(part))
    return numbers


# -- what a passage supports --------------------------------------------------------------------


def _quantities(folded: str) -> set[tuple[str, str]]:
    return {(m.group(1), m.group(2)) for m in _QUANTITY.finditer(folded)}


def _content_terms(text: str) -> set[str]:
    return {t for t in term_set(text) if t[:1].isalnum()} - _META


def _numbers(folded: str) -> set[str]:
    return {t for t in word_tokens(folded) if t[:1].isdigit()}


def _passage_numbers(folded: str) -> set[str]:
    """Figures of a passage; a year span ("2014-15") also names its two years."""
    numbers = _numbers(folded)
    for token in list(numbers):
        span = re.fullmatch(r"((?:19|20)(\d\d))-(\d\d)", token)
        if span:
            numbers |= {span.group(1), span.group(1)[:2] + span.group(3)}
    return numbers


def _words(text: str) -> set[str]:
    """Folded words (possessive 's dropped) and their stems, for matching named terms."""
    tokens = [re.sub(r"'s$", "", t) for t in word_tokens(fold(text)) if t[:1].isalpha()]
    return set(tokens) | set(stem_tokens(tokens))


@lru_cache(maxsize=256)
def _form_words(form: str) -> frozenset[str]:
    return frozenset(_words(form))


@lru_cache(maxsize=256)
def _form_terms(form: str) -> frozenset[str]:
    return frozenset(_content_terms(form))


@dataclass(frozen=True)
class _UnitInfo:
    unit: Unit
    text: str
    terms: frozenset[str]
    numbers: frozenset[str]
    words: frozenset[str]
    instruction: bool


@dataclass
class _Source:
    """One numbered passage as the model saw it, with what it can support."""

    n: int
    passage: Passage
    units: list[_UnitInfo]
    terms: set[str]
    numbers: set[str]
    quantities: set[tuple[str, str]]
    words: set[str]
    instruction_terms: set[str]


def _source(n: int, passage: Passage) -> _Source:
    chunk = passage.chunk
    units: list[_UnitInfo] = []
    for unit in evidence_units(chunk.text, chunk.heading_end):
        text = chunk.text[unit.start : unit.end]
        folded = fold(text)
        units.append(
            _UnitInfo(
                unit,
                text,
                frozenset(_content_terms(text)),
                frozenset(_numbers(folded)),
                frozenset(_words(text)),
                looks_like_instruction(text),
            )
        )
    trusted = " \n".join([chunk.section_path, chunk.context] + [u.text for u in units if not u.instruction])
    folded = fold(trusted)
    terms = _content_terms(trusted)
    words = _words(trusted)
    # An acronym and its spelled-out form support each other, both ways.
    for abbr, expansions in ABBREVIATIONS.items():
        forms = expansions.split("|")
        if abbr in words:
            for form in forms:
                terms |= _form_terms(form)
                words |= _form_words(form)
        elif any(_form_words(form) <= words for form in forms):
            terms.add(abbr)
            words.add(abbr)
    instruction_terms: set[str] = set()
    for info in units:
        if info.instruction:
            instruction_terms |= info.terms
    return _Source(n, passage, units, terms, _passage_numbers(folded), _quantities(folded), words, instruction_terms)


# -- checking one sentence ----------------------------------------------------------------------


@dataclass(frozen=True)
class SentenceCheck:
    """The verdict on one sentence of the model's answer."""

    sentence: str
    """The sentence as written, markers removed."""
    cited: tuple[int, ...]
    """Passage numbers as the model wrote them."""
    ok: bool
    reason: str = ""
    """Why the sentence was removed (empty when kept)."""
    overlap: float = 0.0
    quotes: tuple[tuple[int, int, int], ...] = ()
    """(passage number, unit start, unit end) per quote, offsets into the passage's chunk text."""
    declines: bool = False
    """The sentence says the documents do not answer."""
    echoes_instruction: bool = False
    """The sentence repeats text that reads like an instruction planted in a document."""

    def report(self) -> dict[str, Any]:
        """A removed sentence for a details view (text withheld when it echoes an instruction)."""
        text = "(withheld: it repeats text that looks like an instruction to the model)"
        return {
            "sentence": text if self.echoes_instruction else self.sentence,
            "cited": list(self.cited),
            "reason": self.reason,
        }


class Verifier:
    """Checks sentences against the numbered passages (1-based, in the order given to the model)."""

    def __init__(
        self, passages: Sequence[Passage], *, min_overlap: float = MIN_OVERLAP, min_shared: int = MIN_SHARED
    ) -> None:
        self.passages = list(passages)
        self.min_overlap = min_overlap
        self.min_shared = min_shared
        self._sources: dict[int, _Source] = {}
        self._instructions: set[str] | None = None

    def _instruction_terms(self) -> set[str]:
        if self._instructions is None:
            self._instructions = set().union(
                *(self._get(n).instruction_terms for n in range(1, len(self.passages) + 1))
            )
        return self._instructions

    def _get(self, n: int) -> _Source:
        if n not in self._sources:
            self._sources[n] = _source(n, self.passages[n - 1])
        return self._sources[n]

    def check(self, piece: str) -> SentenceCheck:
        """Keep or remove one sentence (with its markers) of the model's answer."""
        body, cited = parse_sentence(piece)
        folded = fold(body)
        terms = _content_terms(body)
        valid = [n for n in cited if 1 <= n <= len(self.passages)]
        sources = [self._get(n) for n in valid]
        supported_terms: set[str] = set().union(*(s.terms for s in sources))
        # words the sentence shares only with instruction-like text of any passage the model saw
        echoes = bool(terms & (self._instruction_terms() - supported_terms))

        def removed(reason: str, overlap: float = 0.0, *, declines: bool = False) -> SentenceCheck:
            if echoes:  # the detailed reason could quote the planted text
                reason = _ECHO_REASON
            return SentenceCheck(body, cited, False, reason, overlap, declines=declines, echoes_instruction=echoes)

        if not cited:
            return removed("it cites no passage", declines=bool(_DECLINE.search(folded)))
        missing = [n for n in cited if n not in valid]
        if missing:
            listed = ", ".join(f"[{n}]" for n in missing)
            return removed(f"it cites {listed}, which was not among the passages given")
        figures = _numbers(folded)
        known_numbers = set().union(*(s.numbers for s in sources))
        absent = sorted(f for f in figures - known_numbers if not _wordish(f, body))
        if absent:
            return removed(f"{_listed(absent)} not in the cited passage")
        known_quantities = set().union(*(s.quantities for s in sources))
        absent_q = sorted(f"{n} {u}" for n, u in _quantities(folded) - known_quantities)
        if absent_q:
            return removed(f"{_listed(absent_q)} not in the cited passage")
        known_words = set().union(*(s.words for s in sources))
        names = [name for name in _names(body) if not _words(name) <= known_words]
        if names:
            return removed(f"{_listed(names)} not in the cited passage")
        shared = terms & supported_terms
        overlap = len(shared) / len(terms) if terms else 0.0
        if echoes and len(shared) < self.min_shared + 1:
            return removed(_ECHO_REASON, overlap)
        if len(shared) < self.min_shared:
            return removed("it has too little in common with the cited passage", overlap)
        if overlap < self.min_overlap:
            return removed(f"only {overlap:.0%} of its words are in the cited passage", overlap)
        quotes = self._quotes(sources, terms, figures, _words(body))
        if not quotes:
            return removed("no sentence of the cited passage supports it", overlap)
        return SentenceCheck(body, cited, True, "", overlap, tuple(quotes))

    def _quotes(
        self, sources: Iterable[_Source], terms: set[str], figures: set[str], words: set[str]
    ) -> list[tuple[int, int, int]]:
        """The best supporting unit of each cited passage (and a second one for a missing figure)."""
        quotes: list[tuple[int, int, int]] = []
        for source in sources:
            scored: list[tuple[float, int, _UnitInfo]] = []
            for index, info in enumerate(source.units):
                if info.instruction:
                    continue
                shared = len(terms & info.terms)
                score = shared + 2.0 * len(figures & info.numbers) + 0.5 * len(words & info.words - set(STOPWORDS))
                if info.unit.is_heading:
                    score *= 0.5
                if shared:
                    scored.append((score, -index, info))
            if not scored:
                continue
            scored.sort(key=lambda item: (item[0], item[1]), reverse=True)
            chosen = [scored[0][2]]
            uncovered = figures - chosen[0].numbers
            for _, _, info in scored[1:]:
                if len(chosen) >= MAX_UNITS_PER_PASSAGE or not uncovered:
                    break
                if info.numbers & uncovered:
                    chosen.append(info)
                    uncovered -= info.numbers
            chosen.sort(key=lambda info: info.unit.start)
            quotes.extend((source.n, info.unit.start, info.unit.end) for info in chosen)
        return quotes

    def draft(self) -> Draft:
        """An answer checked sentence by sentence as it arrives (for streaming)."""
        return Draft(self)

    def verify(self, text: str) -> Verification:
        """Check a whole answer: the sentences kept, renumbered, with their verbatim citations."""
        draft = self.draft()
        for piece in split_sentences(text):
            draft.add(piece)
        return draft.finish()


def _listed(items: Sequence[str]) -> str:
    """'"5" is' or '"5", "7" are'."""
    quoted = ", ".join(f'"{item}"' for item in items)
    return f"{quoted} {'is' if len(items) == 1 else 'are'}"


def _wordish(figure: str, sentence: str) -> bool:
    """Is this "1" or "1st" only there because number words were folded ("one of", "first")?"""
    if figure not in _WORDISH_NUMBERS:
        return False
    return re.search(rf"(?<![\d.]){re.escape(figure)}(?![\d.])", sentence.lower()) is None


def _names(sentence: str) -> list[str]:
    """Acronyms anywhere, and capitalised words that do not start the sentence."""
    names: list[str] = []
    seen: set[str] = set()
    first = True
    for match in _CAPITALISED.finditer(sentence):
        word = match.group(0).strip("'’-")
        at_start = first and not sentence[: match.start()].strip(" \"'“‘(")
        first = False
        is_acronym = len(word) >= 2 and word.replace("&", "").isupper() and word.isalpha()
        if at_start and not is_acronym:
            continue
        if _starts_clause(sentence, match.start()) and not is_acronym:
            continue
        folded = fold(word).strip("'’")
        folded = re.sub(r"['’]s$", "", folded)
        if not folded or folded in STOPWORDS or len(folded) < 2 or folded in seen:
            continue
        seen.add(folded)
        names.append(word)
    return names


def _starts_clause(sentence: str, position: int) -> bool:
    """A capital after ": " or an opening quote starts a clause, not a name."""
    before = sentence[:position].rstrip()
    return before.endswith((":", '"', "“", "‘", "(", ";", "-", "–"))


# -- the answer as a whole ----------------------------------------------------------------------


@dataclass(frozen=True)
class Verification:
    """The checked answer: its kept sentences renumbered, their citations, and what was removed."""

    text: str
    citations: tuple[Citation, ...]
    kept: tuple[SentenceCheck, ...]
    removed: tuple[SentenceCheck, ...]

    @property
    def ok(self) -> bool:
        """Did anything survive?"""
        return bool(self.kept)

    @property
    def declined(self) -> bool:
        """The model said the documents do not answer (and stated nothing that survived)."""
        return not self.kept and any(s.declines for s in self.removed)

    def report(self) -> list[dict[str, Any]]:
        """Removed sentences with their reasons (the first ``MAX_REPORTED``, each cut to ``MAX_REPORTED_CHARS``)."""
        reports = [s.report() for s in self.removed[:MAX_REPORTED]]
        for report in reports:
            if len(report["sentence"]) > MAX_REPORTED_CHARS:
                report["sentence"] = report["sentence"][:MAX_REPORTED_CHARS] + "…"
        return reports


@dataclass
class Draft:
    """Sentences checked one at a time; kept ones are rendered with their final numbers."""

    verifier: Verifier
    kept: list[SentenceCheck] = field(default_factory=list)
    removed: list[SentenceCheck] = field(default_factory=list)
    rendered: list[str] = field(default_factory=list)
    _index: dict[tuple[str, int, int], int] = field(default_factory=dict)
    _citations: list[Citation] = field(default_factory=list)

    def add(self, piece: str) -> str | None:
        """Check one sentence; return it with renumbered markers when kept, else None."""
        check = self.verifier.check(piece)
        if not check.ok:
            self.removed.append(check)
            return None
        self.kept.append(check)
        numbers: list[int] = []
        for n, start, end in check.quotes:
            number = self._cite(n, start, end)
            if number not in numbers:
                numbers.append(number)
        text = f"{check.sentence} {' '.join(f'[{k}]' for k in numbers)}"
        self.rendered.append(text)
        return text

    @property
    def text(self) -> str:
        return " ".join(self.rendered)

    def _cite(self, n: int, start: int, end: int) -> int:
        chunk = self.verifier.passages[n - 1].chunk
        key = (chunk.doc_id, chunk.start + start, chunk.start + end)
        if key not in self._index:
            number = len(self._citations) + 1
            self._index[key] = number
            self._citations.append(Citation.from_chunk(number, chunk, chunk.start + start, chunk.start + end))
        return self._index[key]

    def finish(self) -> Verification:
        return Verification(self.text, tuple(self._citations), tuple(self.kept), tuple(self.removed))
