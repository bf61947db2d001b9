"""Finding identifying details that practitioners might paste into a question.

Pattern recognisers from presidio-analyzer (NHS numbers with their check digit, UK
phone numbers through ``phonenumbers``, postcodes, National Insurance numbers) plus
our own patterns for e-mail addresses, dates of birth, street addresses and names in
context ("a girl called Amy", "Mrs Jones", "John Smith, aged 7"). No language model
is loaded: presidio runs on a blank spaCy pipeline, offline.

Used to warn the user and to redact anything the assistant writes down (feedback,
audit). Questions themselves are never logged.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from typing import Any

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
_CUSTOM_PATTERNS: list[tuple[str, str, float]] = [
    ("EMAIL_ADDRESS", r"\b[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}\b", 0.9),
    ("DATE_OF_BIRTH", rf"(?i:\b(?:d\.?o\.?b\.?|date of birth|born(?: on)?)\s*[:\-]?\s*){_DATE}", 0.9),
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
    ("PERSON", rf"\b(?i:my|a|the|our|her|his|their)\s+{_ROLE}\s*,?\s+{_NOT_A_NAME}{_NAME}(?:\s+{_NAME})?\b", 0.7),
    (
        "PERSON",
        rf"\b{_NAME}\s+{_NAME}\s*[(,]?\s*(?i:aged?\s*\d{{1,2}}|\d{{1,2}}\s*(?:yo|y/o|years?\s+old)|d\.?o\.?b)",
        0.8,
    ),
    ("PERSON", rf"\b{_NAME}\s*(?:\(|,)\s*(?i:aged?\s*)?\d{{1,2}}\s*(?i:yo|y/o|years?\s+old|\))", 0.7),
    ("PERSON", rf"\b{_NAME}\s+{_NAME}\s*,\s*\d{{1,2}}\s*,", 0.7),
]
_MIN_SCORE = 0.1


@dataclass(frozen=True)
class Identifier:
    """A span of text that probably identifies a person."""

    kind: str
    start: int
    end: int

    @property
    def description(self) -> str:
        return _KIND_NAMES.get(self.kind, "an identifying detail")


def describe(found: list[Identifier]) -> str:
    """A warning naming what was found (never the values themselves)."""
    kinds = list(dict.fromkeys(i.description for i in found))
    listed = kinds[0] if len(kinds) == 1 else ", ".join(kinds[:-1]) + " and " + kinds[-1]
    return (
        f"Your question seems to include identifying details ({listed}). Please rephrase it without "
        "names, dates of birth, contact details or addresses: the assistant answers from guidance and "
        "does not need them. Identifying details are never stored."
    )


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


class IdentifierDetector:
    """Finds identifiers; the analyser is built once, on first use, thread-safely."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._analyzer: Any = None

    def _build(self) -> Any:
        with self._lock:
            if self._analyzer is not None:
                return self._analyzer
            import spacy
            from presidio_analyzer import AnalyzerEngine, Pattern, PatternRecognizer, RecognizerRegistry
            from presidio_analyzer.nlp_engine import SpacyNlpEngine
            from presidio_analyzer.predefined_recognizers.country_specific.uk.uk_nhs_recognizer import NhsRecognizer
            from presidio_analyzer.predefined_recognizers.country_specific.uk.uk_nino_recognizer import UkNinoRecognizer
            from presidio_analyzer.predefined_recognizers.country_specific.uk.uk_postcode_recognizer import (
                UkPostcodeRecognizer,
            )
            from presidio_analyzer.predefined_recognizers.generic.phone_recognizer import PhoneRecognizer

            class BlankSpacyEngine(SpacyNlpEngine):  # type: ignore[misc]
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
            self._analyzer = AnalyzerEngine(nlp_engine=engine, registry=registry, supported_languages=["en"])
            return self._analyzer

    def warm_up(self) -> None:
        self.find("warm up")

    def find(self, text: str) -> list[Identifier]:
        """Identifier spans, longest first where they overlap, in text order."""
        if not text or not text.strip():
            return []
        analyzer = self._build()
        results = analyzer.analyze(text=text, language="en", score_threshold=_MIN_SCORE)
        spans = sorted(
            (Identifier(r.entity_type, r.start, r.end) for r in results),
            key=lambda i: (i.start, -(i.end - i.start)),
        )
        kept: list[Identifier] = []
        for span in spans:
            if kept and span.start < kept[-1].end:
                continue
            if span.kind == "UK_POSTCODE" and not re.search(r"\d[A-Z]{2}$", text[span.start : span.end].upper()):
                continue
            if span.kind == "PERSON":
                span = _narrow_to_name(text, span)
            kept.append(span)
        return kept

    def redact(self, text: str) -> str:
        """The text with every identifier replaced by a placeholder such as [PHONE_NUMBER]."""
        result = text
        for span in sorted(self.find(text), key=lambda i: i.start, reverse=True):
            result = result[: span.start] + f"[{span.kind}]" + result[span.end :]
        return result
