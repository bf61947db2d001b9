"""Finding identifying details that practitioners might paste into a question.

Pattern recognisers from presidio-analyzer (NHS numbers with their check digit, UK
phone numbers through ``phonenumbers``, postcodes, National Insurance numbers) plus
our own patterns for e-mail addresses, dates of birth, street addresses and names in
context ("a girl called Amy", "Mrs Jones", "John Smith, aged 7", "pupil Aisha Khan"),
and full names without context: a given name from ``assistant/vocabulary/given_names.txt``
(data, not code) followed by a surname-shaped word ("Tom Brown", "Siobhan O'Connor"). No
language model is loaded: presidio runs on a blank spaCy pipeline, offline.

Used to warn the user and to redact anything the assistant writes down (feedback,
audit). Questions themselves are never logged.
"""

from __future__ import annotations

import functools
import re
import sys
import threading
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from assistant.text.vocabulary import given_names, word_list
from assistant.wording import identifiers_warning

__all__ = ["Identifier", "IdentifierDetector", "describe"]

_KIND_NAMES = {
    "UK_NHS": "an NHS number",
    "PHONE_NUMBER": "a phone number",
    "EMAIL_ADDRESS": "an e-mail address",
    "UK_POSTCODE": "a postcode",
    "UK_NINO": "a National Insurance number",
    "DATE_OF_BIRTH": "a date of birth",
    "FULL_DATE": "a full date",
    "STREET_ADDRESS": "a street address",
    "PERSON": "a person's name",
}

_MONTHS = (
    r"(?i:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?"
    r"|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
_DATE = rf"(?:\d{{1,2}}[/.\-]\d{{1,2}}[/.\-](?:\d{{4}}|\d{{2}})|\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTHS}\s+\d{{4}})"
# Jane, Smith-Jones, O'Connor, O’Neill, D'Souza, McDonald, MacLeod
_NAME = r"(?:[A-Z]['’][A-Z][a-z]+|(?:Mc|Mac)[A-Z][a-z]+|[A-Z][a-z]+(?:[-'’][A-Z][a-z]+)?)"
_NOT_A_NAME = (
    r"(?!(?:Protection|Sexual|Death|Social|Services?|Care|In|Need|Looked|Abuse|Board|Plan|Act|Court|Centre|"
    r"Mental|Health|Exploitation|Trafficking|Safeguarding|Services|Team|Panel|Conference|Review)\b)"
)
_ROLE = (
    r"(?:child|boy|girl|son|daughter|baby|infant|toddler|mother|father|mum|mom|dad|parent|carer|client|pupil|"
    r"student|patient|young person|teenager|sibling|brother|sister|stepfather|stepmother|step-?dad|step-?mum|"
    r"grandmother|grandfather|nan|gran|uncle|aunt|auntie|partner|boyfriend|girlfriend|neighbour|foster carer)"
)
# A role word and a name with a comma or spaces between ("mum Sarah", "dad, Kwame"); no run of
# spaces can be split two ways, so a failed match costs linear time.
_ROLE_GAP = r"(?:[ \t]*,[ \t]*|[ \t]+)"

# -- dates of birth: ISO and spelled-out forms, only after a birth context word -----------------
_BIRTH_CONTEXT = (
    r"(?i:\b(?:d\.?o\.?b\b\.?|date[ \t]+of[ \t]+birth|born(?:[ \t]+on)?|birth[ \t]?day(?:[ \t]+(?:is|was))?)"
    r"(?:[ \t]*[:\-])?[ \t]*)"
)
_ISO_DATE = r"(?:19|20)\d{2}-(?:0?[1-9]|1[0-2])-(?:0?[1-9]|[12]\d|3[01])\b"
_ORDINAL_DAY = r"(?:0?[1-9]|[12]\d|3[01])(?i:st|nd|rd|th)?"
_YEAR = r"(?:19|20)\d{2}\b"
# 3 April 2012, 3rd of April, 2012, the 3rd of April 2012, April 3rd, 2012, Sept. 3 2012
_SPELLED_DATE = (
    rf"(?:(?i:the[ \t]+)?{_ORDINAL_DAY}(?i:[ \t]+of)?[ \t]+{_MONTHS}\.?,?[ \t]+{_YEAR}"
    rf"|{_MONTHS}\.?[ \t]+(?i:the[ \t]+)?{_ORDINAL_DAY},?[ \t]+{_YEAR})"
)

# -- street addresses in any letter case ---------------------------------------------------------
_STREET_TYPE = (
    r"(?:road|rd|street|st|avenue|ave|lane|ln|close|drive|way|crescent|gardens|court|place|grove|terrace|walk|"
    r"mews|square|hill|park|rise|view|row|parade)"
)
# Words that follow a number in prose, not in a street name: numbers, time, quantities, counted
# things and the little words of a sentence ("5 key areas", "15 working days", "3 meetings took place").
_NOT_STREET_WORDS = (
    r"(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|"
    r"seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundreds?|thousands?|"
    r"millions?|billions?|dozens?|half|halves|quarters?|thirds?|"
    r"secs?|seconds?|mins?|minutes?|hrs?|hours?|days?|nights?|weeks?|wks?|weekends?|fortnights?|months?|years?|"
    r"yrs?|decades?|terms?|sessions?|times?|am|pm|o'clock|per|percent|pc|cent|points?|pounds?|miles?|kms?|"
    r"kilometres?|metres?|meters?|foot|feet|ft|yards?|inch|inches|mph|kg|fold|ways?|steps?|stages?|levels?|"
    r"tiers?|children|child|people|persons?|pupils?|students?|cases?|famil(?:y|ies)|staff|members?|agenc(?:y|ies)|"
    r"teams?|schools?|areas?|key|social|working|new|more|less|fewer|other|others|different|main|separate|"
    r"meetings?|visits?|plans?|referrals?|reports?|hearings?|youth|crown|magistrates|county|family|"
    r"the|a|an|of|in|on|at|to|and|or|for|with|by|from|into|over|under|within|between|out|up|down|off|"
    r"was|were|is|are|be|been|has|have|had|will|would|can|could|took|take|takes|taking|taken|went|go|goes|"
    r"going|got|get|very|so|too|quite|really|about|around|approximately|nearly|almost|only|just|all|"
    r"cars?|car|bus|buses|trains?|rooms?|beds?|bedroom|storey|floors?)"
)
_STREET_WORD = rf"(?!{_NOT_STREET_WORDS}\b)(?!high[ \t]+court\b)[a-z][a-z'’\-]*[ \t]+"
# The street type ends the address: not "street-level", "high street shops" or "park attendants".
_STREET_MODIFIED = (
    r"(?![-'’]\w)(?![ \t]+(?-i:(?:shop|traffic|sign|market|parking|level|food|fashion|furniture|retailer|store|"
    r"trader|style|work|worker|area|child|hearing|case|name|light|bench|party|attendant|space|sale|closure|"
    r"cleaning|map|fair|festival|event|project|team|session|visit|meeting|judge|order|proceedings|process|"
    r"report|life|culture|game|run|ranger|warden|keeper|cafe|café|bin|gate)\b"
    r"|(?!(?:is|was|has|his|this|its|as|us|yes|thus|plus|unless|whereas|always|towards|afterwards|besides|perhaps|"
    r"sometimes)\b)[a-z]+(?<!s)s\b))"
)
_STREET_ADDRESS = (
    r"(?i:(?<![\w£$€.,/:\-])(?:(?:flat|apartment|apt|unit|room)\.?[ \t]*\d{1,4}[a-z]?(?:[ \t]*,)?[ \t]+)?"
    r"(?<![\w£$€.,/:\-])(?!(?:19|20)\d\d\b)\d{1,4}[a-z]?(?:[ \t]*,)?[ \t]+"
    rf"(?:{_STREET_WORD}){{1,3}}{_STREET_TYPE}\b{_STREET_MODIFIED})"
)
_CUSTOM_PATTERNS: list[tuple[str, str, float]] = [
    ("EMAIL_ADDRESS", r"\b[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}\b", 0.9),
    ("DATE_OF_BIRTH", rf"(?i:\b(?:d\.?o\.?b\.?|date of birth|born(?: on)?)\s*+(?:[:\-]\s*+)?){_DATE}", 0.9),
    ("FULL_DATE", r"\b\d{1,2}[/.\-]\d{1,2}[/.\-](?:19|20)\d{2}\b", 0.5),
    (
        "STREET_ADDRESS",
        r"\b\d{1,4}[A-Za-z]?,?\s+(?:[A-Z][a-z]+\s+){1,3}(?:Road|Rd|Street|St|Avenue|Ave|Lane|Ln|Close|Drive|Way|"
        r"Crescent|Gardens|Court|Place|Grove|Terrace|Walk|Mews|Square|Hill|Park|Rise|View|Row|Parade)\b",
        0.8,
    ),
    ("PERSON", rf"\b(?:Mr|Mrs|Ms|Miss|Mx|Dr)\.?\s+{_NAME}(?:\s+{_NAME})?", 0.8),
    # Lower-case triggers only: "a girl called Amy", not "the Named Nurse" or "a Child Arrangements Order".
    ("PERSON", rf"\b(?:called|named|name is|known as)\s+{_NOT_A_NAME}{_NAME}(?:\s+{_NAME})?", 0.8),
    (
        "PERSON",
        rf"\b(?i:my|a|the|our|her|his|their)\s+{_ROLE}(?:\s*+,\s++|\s++){_NOT_A_NAME}{_NAME}(?:\s+{_NAME})?\b",
        0.7,
    ),
    (
        "PERSON",
        rf"\b{_NAME}\s+{_NAME}\s*+(?:[(,]\s*+)?(?i:aged?\s*\d{{1,2}}|\d{{1,2}}\s*(?:yo|y/o|years?\s+old)|d\.?o\.?b)",
        0.8,
    ),
    ("PERSON", rf"\b{_NAME}\s*(?:\(|,)\s*(?i:aged?\s*)?\d{{1,2}}\s*(?i:yo|y/o|years?\s+old|\))", 0.7),
    ("PERSON", rf"\b{_NAME}\s+{_NAME}\s*,\s*\d{{1,2}}\s*,", 0.7),
    # -- added after a security probe: forms the patterns above missed ---------------------------
    # A role word and a name without a determiner: "pupil Aisha Khan", "mum Sarah", "foster carer Jane Doe".
    ("PERSON", rf"\b{_ROLE}{_ROLE_GAP}{_NOT_A_NAME}{_NAME}(?:[ \t]+{_NAME})?\b", 0.7),
    # ISO and spelled-out dates after a birth word: "DOB 2012-04-03", "born on the 3rd of April 2012".
    ("DATE_OF_BIRTH", rf"{_BIRTH_CONTEXT}(?:{_ISO_DATE}|{_SPELLED_DATE})", 0.9),
    # A bare ISO date: possibly a date of birth, scored like the dd/mm/yyyy FULL_DATE above.
    ("FULL_DATE", r"(?<![\w/.\-])(?:19|20)\d{2}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])\b(?![/.\-]\d)", 0.5),
    # Street addresses in any case: "12 high street", "12 HIGH STREET", "flat 3, 45 oak road", "12a church lane".
    ("STREET_ADDRESS", _STREET_ADDRESS, 0.8),
]
_MIN_SCORE = 0.1
_PUNCTUATION_RUN = re.compile(r"[^\w\s]{8,}")


@dataclass(frozen=True)
class Identifier:
    """A span of text that probably identifies a person."""

    kind: str
    start: int
    end: int

    @property
    def description(self) -> str:
        return _KIND_NAMES.get(self.kind, "an identifying detail")


def describe(found: list[Identifier], what: str = "question") -> str:
    """A warning naming what was found in the user's ``what`` (never the values themselves)."""
    return identifiers_warning(list(dict.fromkeys(i.description for i in found)), what)


_CONTEXT_WORDS = frozenset(
    "my a the our her his their called named name is known as aged age dob yo old years year".split()
)
_NAME_RUN = re.compile(rf"(?:(?:Mr|Mrs|Ms|Miss|Mx|Dr)\.?\s+)?{_NAME}(?:\s+{_NAME})*")


def _narrow_to_name(text: str, span: Identifier) -> Identifier:
    """Shrink a name-in-context match to the name itself, so redaction keeps the context."""
    for match in _NAME_RUN.finditer(text, span.start, span.end):
        words = match.group(0).split()
        if words and words[0].lower() not in _CONTEXT_WORDS:
            return Identifier(span.kind, match.start(), match.end())
    return span


# -- full names without context: a listed given name and a surname-shaped word ----------------------

_FULL_NAME_RECOGNIZER = "assistant_person_full_name"
_FULL_NAME_SCORE = 0.6
# A word, with any letters (Paweł, Zoë), hyphens and apostrophes inside (Smith-Jones, O'Connor).
_WORD = re.compile(r"(?<!\w)[^\W\d_]+(?:['’\-][^\W\d_]+)*")
_CONTRACTION = re.compile(r"['’](?:t|ll|re|ve|d|m)$")
_TITLES = frozenset("mr mrs ms miss mx dr".split())
_PARTICLES = frozenset("de da di do dos das del della van von der den le la du al el bin ibn ben ter ten".split())
_SAINTS = frozenset({"St", "Saint", "Ste"})
# Given names that are also a month or an auxiliary verb: not a name at the start of a clause or
# after a preposition ("Will Northshire Council pay?", "in June Northshire launched...").
_CLAUSE_WORD_NAMES = frozenset({"Will", "April", "June", "August"})
_CLAUSE_PREPOSITIONS = frozenset(
    "in on by since from until till during before after of early late mid end last next this each every".split()
)
_CLAUSE_PUNCTUATION = frozenset(".!?:;\"“”‘'([{•*–—-|/")


@functools.cache
def _not_name_words() -> frozenset[str]:
    """Capitalised words that are not surnames (sentence, calendar, role, agency and place words):
    a PERSON span is cut at the first of them."""
    return frozenset(word_list("not_name_words.txt"))


@functools.cache
def _organisation_words() -> frozenset[str]:
    """The last word of an organisation's name ("Southend Safeguarding Partnership")."""
    return frozenset(word_list("organisation_words.txt"))


def _base(word: str) -> tuple[str, bool]:
    """The word without a possessive 's, and whether it had one."""
    if len(word) > 2 and word[-2] in "'’" and word[-1] == "s":
        return word[:-2], True
    return word, False


def _adjacent(text: str, before: re.Match[str], after: re.Match[str]) -> bool:
    """Two words separated by one to three spaces or tabs (not a line break, not punctuation)."""
    gap = text[before.end() : after.start()]
    return 0 < len(gap) <= 3 and not gap.strip(" \t")


def _surname_shaped(word: str) -> bool:
    """Smith, O'Connor, McDonald, Smith-Jones, Nowak, al-Hassan; not NHS, Board or Don't."""
    base, _ = _base(word)
    if len(base) < 2 or _CONTRACTION.search(base) or base.lower() in _not_name_words():
        return False
    if base[:3] in ("al-", "el-") and len(base) > 4:
        base = base[3:]
    return base[0].isupper() and any(c.islower() for c in base)


def _at_clause_start(text: str, words: list[re.Match[str]], index: int) -> bool:
    start = words[index].start()
    window = max(0, start - 40)  # a bounded look back: linear time on "Will Will Will ..."
    before = text[window:start].rstrip()
    if not before:
        return not text[:window].strip()
    if before[-1] in _CLAUSE_PUNCTUATION:
        return True
    previous = words[index - 1] if index else None
    return (
        previous is not None
        and previous.end() == window + len(before)
        and previous.group().lower() in _CLAUSE_PREPOSITIONS
    )


def _full_names(text: str) -> list[tuple[int, int]]:
    """(start, end) of each listed given name followed by one or two surname-shaped words."""
    names = given_names()
    words = list(_WORD.finditer(text))
    spans: list[tuple[int, int]] = []
    index = 0
    while index < len(words):
        given, possessive = _base(words[index].group())
        if not given.isascii():
            given = unicodedata.normalize("NFC", given)
        after_saint = (
            index > 0 and words[index - 1].group() in _SAINTS and 0 < words[index].start() - words[index - 1].end() <= 2
        )
        if (
            possessive
            or given not in names
            or after_saint
            or (given in _CLAUSE_WORD_NAMES and _at_clause_start(text, words, index))
        ):
            index += 1
            continue
        # optional particles (Maria de Souza, Ruud van der Berg), then the surname
        following = index + 1
        while (
            following < len(words)
            and following - index <= 2
            and words[following].group() in _PARTICLES
            and _adjacent(text, words[following - 1], words[following])
        ):
            following += 1
        if not (
            following < len(words)
            and _adjacent(text, words[following - 1], words[following])
            and _surname_shaped(words[following].group())
        ):
            index += 1
            continue
        surname, possessive = _base(words[following].group())
        end = words[following].start() + len(surname)
        # a middle name and a surname: Jane Elizabeth Smith
        third = following + 1
        if (
            not possessive
            and third < len(words)
            and _adjacent(text, words[following], words[third])
            and _surname_shaped(words[third].group())
        ):
            end = words[third].start() + len(_base(words[third].group())[0])
            following = third
        spans.append((words[index].start(), end))
        index = following + 1
    return spans


def _clean_person(text: str, span: Identifier) -> Identifier | None:
    """Cut a PERSON span at its first role or agency word; drop it if no name is left or it names an organisation."""
    end = span.start
    for word in _WORD.finditer(text, span.start, span.end):
        base, _ = _base(word.group())
        lower = base.lower()
        if lower in _TITLES and end == span.start:
            continue
        # a listed given name leads a name even when it is also a word (Summer, Faith, June, Will)
        if lower in _not_name_words() and not (end == span.start and base in given_names()):
            break
        end = word.start() + len(base)
    else:
        end = span.end
    if end == span.start:
        return None
    # "Southend Safeguarding Partnership", "Jack Petchey Foundation": a run of agency words ending
    # in an organisation's word makes the name an organisation's name.
    previous_end, last = end, ""
    for count, word in enumerate(_WORD.finditer(text, end)):
        gap = text[previous_end : word.start()]
        base, _ = _base(word.group())
        if count >= 5 or not 0 < len(gap) <= 3 or gap.strip(" \t") or not base[0].isupper():
            break
        if base.lower() not in _not_name_words():
            break
        last, previous_end = base.lower(), word.end()
    if last in _organisation_words():
        return None
    return Identifier(span.kind, span.start, end)


# presidio imports transformers (for an NLP engine we do not use) and spaCy's thinc imports
# torch, each only if it is installed; on the ONNX path neither is otherwise loaded, and the
# two imports were 5 of the 6 seconds from a new process to its first answer.
_OPTIONAL_ML = ("transformers", "torch")


@contextmanager
def _optional_ml_absent() -> Iterator[None]:
    """While importing presidio and spaCy, make their optional ML imports fail as if not installed.

    Modules already imported (the PyTorch embedding backend) are left alone; afterwards the
    names are released, so a later import of them works normally.
    """
    blocked = [name for name in _OPTIONAL_ML if name not in sys.modules]
    for name in blocked:
        sys.modules[name] = None  # type: ignore[assignment]  # "import name" now raises ImportError
    try:
        yield
    finally:
        for name in blocked:
            if sys.modules.get(name, False) is None:
                del sys.modules[name]


class IdentifierDetector:
    """Finds identifiers; the analyser is built once, on first use, thread-safely."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._analyzer: Any = None

    def _build(self) -> Any:
        with self._lock:
            if self._analyzer is not None:
                return self._analyzer
            with _optional_ml_absent():
                import spacy
                from presidio_analyzer import (
                    AnalyzerEngine,
                    LocalRecognizer,
                    Pattern,
                    PatternRecognizer,
                    RecognizerRegistry,
                    RecognizerResult,
                )
                from presidio_analyzer.nlp_engine import SpacyNlpEngine
                from presidio_analyzer.predefined_recognizers.country_specific.uk.uk_nhs_recognizer import NhsRecognizer
                from presidio_analyzer.predefined_recognizers.country_specific.uk.uk_nino_recognizer import (
                    UkNinoRecognizer,
                )
                from presidio_analyzer.predefined_recognizers.country_specific.uk.uk_postcode_recognizer import (
                    UkPostcodeRecognizer,
                )
                from presidio_analyzer.predefined_recognizers.generic.phone_recognizer import PhoneRecognizer

            class BlankSpacyEngine(SpacyNlpEngine):
                """spaCy's blank English tokenizer: no model to load or download."""

                def load(self) -> None:
                    self.nlp = {"en": spacy.blank("en")}  # type: ignore[assignment]

            engine = BlankSpacyEngine(models=[{"lang_code": "en", "model_name": "blank"}])
            engine.load()
            registry = RecognizerRegistry(supported_languages=["en"])
            registry.add_recognizer(NhsRecognizer())
            registry.add_recognizer(UkNinoRecognizer())
            registry.add_recognizer(UkPostcodeRecognizer())
            registry.add_recognizer(PhoneRecognizer(supported_regions=("GB",), leniency=1))
            for index, (entity, regex, score) in enumerate(_CUSTOM_PATTERNS):
                registry.add_recognizer(
                    PatternRecognizer(
                        supported_entity=entity,
                        name=f"assistant_{entity.lower()}_{index}",
                        patterns=[Pattern(entity.lower(), regex, score)],
                        global_regex_flags=re.DOTALL | re.MULTILINE,
                    )
                )

            class FullNameRecognizer(LocalRecognizer):
                """A listed given name and a surname-shaped word: "Aisha Khan", "Tom O'Brien"."""

                def load(self) -> None:
                    given_names()

                def analyze(self, text: str, entities: list[str], nlp_artifacts: Any = None) -> list[Any]:
                    metadata = {
                        RecognizerResult.RECOGNIZER_NAME_KEY: _FULL_NAME_RECOGNIZER,
                        RecognizerResult.RECOGNIZER_IDENTIFIER_KEY: self.id,
                    }
                    return [
                        RecognizerResult("PERSON", start, end, _FULL_NAME_SCORE, recognition_metadata=dict(metadata))
                        for start, end in _full_names(text)
                    ]

            registry.add_recognizer(FullNameRecognizer(supported_entities=["PERSON"], name=_FULL_NAME_RECOGNIZER))
            self._analyzer = AnalyzerEngine(nlp_engine=engine, registry=registry, supported_languages=["en"])
            return self._analyzer

    def warm_up(self) -> None:
        self.find("warm up")

    def find(self, text: str) -> list[Identifier]:
        """Identifier spans, longest first where they overlap, in text order."""
        if not text or not text.strip():
            return []
        analyzer = self._build()
        # spaCy's tokenizer is slow on long runs of punctuation ("?????..."), which carry no identifier:
        # blank them out with as many spaces, so every offset still points into the original text
        text_for_analysis = _PUNCTUATION_RUN.sub(lambda m: " " * len(m.group(0)), text)
        results = analyzer.analyze(text=text_for_analysis, language="en", score_threshold=_MIN_SCORE)
        spans = sorted(
            (
                (
                    Identifier(r.entity_type, r.start, r.end),
                    # presidio's RecognizerResult.RECOGNIZER_NAME_KEY
                    (r.recognition_metadata or {}).get("recognizer_name") == _FULL_NAME_RECOGNIZER,
                )
                for r in results
            ),
            key=lambda item: (item[0].start, -(item[0].end - item[0].start)),
        )
        kept: list[Identifier] = []
        for span, full_name in spans:
            if kept and span.start < kept[-1].end:
                continue
            if span.kind == "UK_POSTCODE" and not re.search(r"\d[A-Z]{2}$", text[span.start : span.end].upper()):
                continue
            if span.kind == "PERSON":
                # a full name is already just the name ("Maria de Souza"); a name in context is narrowed
                cleaned = _clean_person(text, span if full_name else _narrow_to_name(text, span))
                if cleaned is None:
                    continue
                span = cleaned
            kept.append(span)
        return kept

    def redact(self, text: str) -> str:
        """The text with every identifier replaced by a placeholder such as [PHONE_NUMBER]."""
        result = text
        for span in sorted(self.find(text), key=lambda i: i.start, reverse=True):
            result = result[: span.start] + f"[{span.kind}]" + result[span.end :]
        return result
