"""The default answerer: grounded and extractive.

From the retrieved passages it picks the sentences (or table rows) that answer the
question and composes them, each with its [n] marker; every citation quotes the
cleaned document text verbatim. It abstains - saying plainly that the documents do
not answer - when the evidence does not hold the kind of fact asked for ("how many"
needs a figure, "within how long" a time), or when the question's key terms are not
covered by any passage, and then offers the nearest passages as "related".
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from itertools import pairwise
from math import fsum

import numpy as np

from assistant.answering.question import QuestionProfile, TermGroup
from assistant.answering.scenario import MEASURED, ask_part, conditions, stated
from assistant.answering.scoring import AnswerScorer
from assistant.models import Chunk, Citation, Passage, identity_text
from assistant.text.cues import (
    AGE_WORDS,
    ASKS_LEVEL,
    ASKS_RULE,
    CONTACT,
    DATE,
    DEFINING_COLUMN,
    DEFINITION,
    DURATION,
    FREQUENCY,
    LENGTH,
    LEVEL_HEADING,
    LIST_MARKER,
    LONE_ONE,
    NOT_A_COUNT,
    NUMBER_UNIT,
    PERSON_WORDS,
    PHONE,
    RATIO,
    STAFFING_RATIO,
    acted_on,
    age_ranges,
    asked_actions,
    asked_actor,
    asked_ages,
    asked_bound,
    asked_expansion,
    asked_permission,
    asks_how_long_kept,
    asks_how_long_lasting,
    contact_channel,
    contact_owner,
    defined_abbreviations,
    defined_people,
    event_subject,
    event_verb,
    is_instruction,
    is_statistic,
    named_kinds,
    numbered_names,
    other_kind,
    other_number,
    other_period,
    period_scopes,
    recipient,
    refers_to_earlier_time,
    rules_on,
    says_unreachable,
    spells_out,
    stated_bounds,
    states_actions,
    states_age,
    states_channel,
    states_step,
    time_limit,
    timed_subject,
    unnamed_scale,
    value_label,
    whole_abbreviations,
    without_ages,
    without_anchors,
)
from assistant.text.normalise import QUESTION_WORDS, STOPWORDS, fold, strip_years, term_set, word_tokens, years
from assistant.text.sentences import sentence_spans
from assistant.text.units import Unit, evidence_units, header_of_row, is_header_row, is_pipe_row, lead_in_of_row
from assistant.text.vocabulary import (
    ABBREVIATIONS,
    CHILD_AGE_WORDS,
    GENERIC_NAME_WORDS,
    ORGANISATION_WORDS,
    given_names,
)
from assistant.wording import DIFFERING_LEAD, PART_NOT_ANSWERED

__all__ = ["Candidate", "Composition", "ExtractiveAnswerer", "merge_parts", "table_header", "without_restatements"]


_POSSESSIVE = re.compile(r"['’]s$")
_ANAPHORIC_START = re.compile(
    r"^(this|these|that|those|it|they|such|he|she|the (?:increase|decrease|figure|number|rise|drop|change|audit|"
    r"review|group|board|team|role|service)s?)\b"
    r"|^(?:in|during|by|for|over|at|from|since) [^,.;]{1,25}?,?\s+(?:this|these|those|such) \w+"
    # "Where this cannot be avoided, ...": the case is the previous sentence's
    r"|^(?:where|when|if|unless) (?:this|that|these|those|such)\b"
    # "As a minimum it must include:" - a short opening, then the subject is the previous sentence's
    r"|^(?:as a minimum|at a minimum|as a rule|in (?:each|every|this|that) case|where (?:possible|needed|appropriate)"
    r"|if so|at (?:this|that) (?:point|stage)|after that|then|also),?\s+(?:it|they|he|she)\b"
    # "There were 1440 respondents": a figure whose subject is the line before
    r"|^there (?:was|were|are|is|have been|has been) (?=\S*\d)",
    re.IGNORECASE,
)
_LABELLED = re.compile(r"[A-Z][\w' ]{1,40}:[ \t]*\S")
"""A short line that is a label and its value ("Next review: September 2025.")."""
_FIELD = re.compile(
    r"(?:name|full name|role|position|job title|title|tel|telephone|phone|mobile|e-?mail|email address|fax|text|"
    r"address|website|web|hours|office hours|available)\s?:",
    re.IGNORECASE,
)
"""A field of one person's or body's record ("Telephone: ..."), not another body named by its label ("Police: ...")."""
_SHORT_LINE_WORDS = 8
"""A line this short that opens like a continuation goes on from the line before it, too."""


@dataclass
class Candidate:
    """A sentence or table row of a retrieved passage, scored against the question."""

    passage: Passage
    start: int  # offsets into the document's cleaned text
    end: int
    text: str
    is_row: bool
    lexical: float = 0.0
    context: float = 0.0
    dense: float = 0.0
    fits: bool = True
    score: float = 0.0
    matched: frozenset[str] = frozenset()
    in_context: frozenset[str] = frozenset()
    year_mismatch: bool = False
    is_list: bool = False
    is_heading: bool = False
    missing_names: tuple[str, ...] = ()
    other_age: bool | None = None
    """Whether the ages the unit gives its rule for leave out the age asked about (None: it gives none)."""
    is_section: bool = False
    """A short section quoted whole: its heading line, then its lines (a list of steps, contacts, items)."""
    is_steps: bool = False
    """A numbered list of steps quoted whole ("1. Raise it with ... 2. If it is not resolved, ...")."""
    other_subject: bool = False
    """States a value of the kind asked for, but never names the level asked about ("Level 3 training")."""
    other_channel: bool = False
    """Gives the contact asked about, but not by the channel asked for (a phone number for "email")."""

    @property
    def key(self) -> tuple[str, int, int]:
        return (self.passage.chunk.doc_id, self.start, self.end)


@dataclass
class Composition:
    """The chosen evidence, or the reason to abstain, with the figures behind the choice."""

    selected: list[Candidate]
    abstained: bool
    reason: str = ""
    lead: str = ""
    diagnostics: dict[str, float] = field(default_factory=dict)
    unanswered: tuple[str, ...] = ()
    """What the documents do not answer, said in full: the parts of a several-part question, the
    documents of a question comparing them."""
    nearest: Candidate | None = None
    """When abstaining on a question that asks for a value: the best statement of a value of that kind,
    about something else (shown as not the answer, never as one)."""
    asked: str = ""
    """The kind of value the question asks for ("duration", "number", ...), when it asks for one."""
    attributed: bool = False
    """The documents differ: each quote is shown with whose it is."""
    levels: bool = False
    """The question asks what level something is at: each quote is shown under the heading naming its level."""
    conditions: tuple[tuple[Candidate, str, str], ...] = ()
    """For a described situation: each condition a criterion states (the criterion, the condition's
    words, what the situation says), shown side by side and never judged."""
    rejected: tuple[Candidate, ...] = ()
    """When abstaining: the units judged to state their value of something else (another subject, period
    or year), which no other source of answers may give instead (see :meth:`rejects`)."""
    headings: bool = False
    """The selection is the items of a list written as a document's headings ("Physical abuse",
    "Emotional abuse", ...), shown as one list after the heading that introduces them (the lead)."""
    thin: bool = False
    """Abstained because the evidence is too thin (weak support, uncovered key words, low confidence),
    not because it is about something else."""

    def rejects(self, unit: Candidate) -> bool:
        """Was this stretch of text read and judged to be about something else (see ``rejected``)?"""
        return any(_overlaps(unit, rejected) for rejected in self.rejected)


_IS_A = re.compile(r"\bis (?:a|an) ")


_PER_ONE = re.compile(r"\b(?:per|each|ratio|every|1)\b")
"""A count asked of each one ("how many gymnasts can one coach have?"): a ratio answers it."""


@lru_cache(maxsize=256)
def _reading(question: str) -> tuple[bool, bool, bool]:
    """What a question's wording says of the values that answer it, read once per question, not once
    per candidate sentence: (asks how long something is kept, how long it lasts, how many per one)."""
    wording = fold(question).lower()
    return asks_how_long_kept(wording), asks_how_long_lasting(wording), bool(_PER_ONE.search(wording))


def _count_fits(profile: QuestionProfile, folded: str) -> bool:
    """A count: a number that is not a year, age, duration, percentage or one the question gave."""
    # "how many coaches?" is not answered by "1:12", nor by a telephone number; "how many per coach?" may be
    per_one = _reading(profile.original or profile.text)[2]
    folded = PHONE.sub(" ", folded if per_one else RATIO.sub(" ", folded))
    remaining = NOT_A_COUNT.sub(" ", LONE_ONE.sub(" ", folded))
    remaining = re.sub(r"(?<!\d)\d+(?:\.\d+)?\s*%", " ", remaining)
    numbers = re.findall(r"(?<![\d.])\d+(?:\.\d+)?(?![\d.])", remaining)
    return any(n not in profile.stated_numbers for n in numbers) or bool(re.search(r"£\s?\d", folded))


_CAPITALISED_PAIR = re.compile(
    r"\b[A-Z][a-z]{1,30} [A-Z][a-z]{1,30}\b|\b(?:Mrs|Mr|Ms|Miss|Mx|Dr) [A-Z]\.? [A-Z][a-z]{1,30}\b"
)
_UNDER_ROLE = re.compile(r"\b(?:deputy|assistant|vice|acting|alternate)\b", re.IGNORECASE)
"""A role's stand-in ("Deputy DSL"): not the holder of the role itself."""
_ROLE_WORDS = 3
"""How many words after "deputy" name the role (in a question: "deputy safeguarding officer")."""


def _stand_in_role(stand_in: re.Match[str] | None, profile: QuestionProfile) -> tuple[str, list[TermGroup]] | None:
    """For "who is the deputy safeguarding officer?": ("deputy", the groups of the role's words)."""
    if stand_in is None:
        return None
    role_terms = term_set(" ".join(stand_in.string[stand_in.end() :].split()[:_ROLE_WORDS]))
    role = [g for g in profile.groups if role_terms & g.alternatives and not g.generic]
    return (stand_in.group(0).lower(), role) if role else None


def _stands_in_for(stand_in_role: tuple[str, list[TermGroup]], text: str) -> bool:
    """Does the text name a stand-in for the role asked ("Deputy DSL: Mr K Shah"), not for another
    ("The Deputy Chief Nurse/Head of Safeguarding ...")?"""
    word, role = stand_in_role
    words = re.split(r"[\s/]+", text)
    for i, token in enumerate(words):
        if token.lower().strip("():,;.'’") != word:
            continue
        if token.endswith((",", ".", ";", ")")):
            return True  # "... is my deputy, and ...": a deputy of no other role
        window = " ".join(words[i + 1 : i + 1 + _ROLE_WORDS])
        # an abbreviation says its words ("Deputy DSL" is a deputy designated safeguarding lead)
        spelled = " ".join(ABBREVIATIONS.get(w.lower().strip("():,;.'’"), "") for w in window.split())
        if any(g.matches(term_set(f"{window} {spelled}")) for g in role):
            return True
        # "Kerry Lane is my deputy when I am not available" (a deputy, of no other role), but not
        # "Deputy Chief Nurse" (another role's)
        if not re.match(r"[A-Z]", window) and not PERSON_WORDS.search(fold(window).lower()):
            return True
    return False


_SAYS_ABOUT = re.compile(r"\b(?:say|says|said|state|states)\s+about\s+([^?]{1,120})", re.IGNORECASE)
"""What a "what does the policy say about ...?" question is about."""
_ASKS_HOLDER = re.compile(r"\bwho(?:'s|\s+is|\s+was)\s+(?:the|our|your|their|its)\b", re.IGNORECASE)
_NAME_WORDS = GENERIC_NAME_WORDS | ORGANISATION_WORDS
"""Words of organisations', services' and documents' names ("Council", "Social Care"): not a person's."""
_MEANT = re.compile(r"\b(?:the|our|this|my|your|their)\s([a-z][a-z-]{2,30})(?:'s|’s)?\b")
"""A word said of the one meant ("the childminder's assistant", "our nursery"), not as a description
("junior players")."""


_ITEM_WORDS = 6
"""An item of a list run into a sentence is a few words long ("physical abuse, emotional abuse ...")."""


_CLAUSE_OPENERS = frozenset("which who whom whose that where when while although though because if but so as".split())
"""Words that open a clause set off by commas ("The board, which met four times, ..."), not a list item."""


def _enumerates(text: str) -> bool:
    """Does a sentence run a list of three or more short items ("a, b, c or d")?"""
    for part in re.split(r"[:;]", text):
        items = part.split(",")
        middle = items[1:-1]
        if (
            len(items) >= 3
            and all(1 <= len(item.split()) <= _ITEM_WORDS for item in middle)
            and not any(item.split()[0].lower() in _CLAUSE_OPENERS for item in middle)
            and re.search(r"\b(?:and|or)\b", items[-1])
        ):
            return True
    return False


def _names_someone(text: str, known: frozenset[str] | set[str]) -> bool:
    """Does the text give a person's name: two capitalised words neither of which is a word of an
    organisation's or a role's name ("Rebecca Chapman", not "Children Board" or "Welfare Officer")?"""
    for match in _CAPITALISED_PAIR.finditer(text):
        words = match.group(0).lower().split()
        if not (term_set(match.group(0)) & known) and not any(
            w in _NAME_WORDS or PERSON_WORDS.search(w) for w in words
        ):
            return True
    return False


def _fits(profile: QuestionProfile, folded: str, known: frozenset[str] = frozenset()) -> bool:
    """Does the text state a value of the kind the question asks for? ``known``: words that name
    the question's subject or the document (they are not a person's name)."""
    kind = profile.expects
    if kind == "percentage":
        return "%" in folded
    if kind == "money":
        return bool(re.search(r"£\s?\d", folded))
    if kind == "number":
        return _count_fits(profile, folded)
    if kind == "duration":
        # a time limit: a length of time, "immediately", "the same day"; a frequency alone
        # ("reported quarterly") says how often, not how long
        kept, lasting, _ = _reading(profile.original or profile.text)
        return time_limit(folded, kept=kept, lasting=lasting)
    if kind == "procedure":
        # a step to take: "... must refer ...", or an instruction ("Telephone the Front Door on ...")
        return states_step(folded)
    if kind == "frequency":
        # "every three years", "annually", "valid for 3 years"; not an age ("Young volunteers must be at least
        # 14 years old"), nor a moment ("report concerns immediately")
        return bool(FREQUENCY.search(folded) or LENGTH.search(without_ages(folded)))
    if kind == "change":
        return bool(re.search(r"\d", NOT_A_COUNT.sub(" ", folded)))
    if kind == "date":
        return bool(DATE.search(folded))
    if kind == "age":
        return states_age(folded)
    if kind == "person":
        # a role ("officer", "lead"), or a person's name that is not a name the question or the
        # document's own title gives ("Lexden Montessori will ensure" names no one)
        return bool(PERSON_WORDS.search(fold(folded))) or any(
            not (term_set(m.group(0)) & known) for m in _CAPITALISED_PAIR.finditer(folded)
        )
    if kind == "definition":
        return bool(DEFINITION.search(folded) or _IS_A.search(folded))
    if kind == "contact":
        return bool(CONTACT.search(folded))
    if kind == "ratio":
        return bool(STAFFING_RATIO.search(folded.lower()))
    return True


@dataclass
class Thresholds:
    """Global calibration constants, set by sweeping them over the evaluation set as a
    whole (never per question); see eval/README.md.

    ``min_support`` bounds 0.5 x (key-word coverage of the passage) + 0.5 x (cosine of
    the best sentence); ``min_key_coverage`` bounds the share of the question's words
    that the corpus knows and the chosen passage contains.
    """

    min_support: float = 0.45
    min_key_coverage: float = 0.3
    second_ratio: float = 0.85


UnitSource = Callable[[Sequence[str]], dict[str, list[tuple[Unit, np.ndarray]]]]
"""The evidence units of chunks (by chunk id) with their sentence vectors (float32, unit length)."""


class ExtractiveAnswerer:
    """Selects evidence units from passages and decides whether to abstain."""

    def __init__(
        self,
        units: UnitSource,
        embed: Callable[[Sequence[str]], np.ndarray],
        idf: Callable[[str], float],
        doc_freq: Callable[[str], int],
        *,
        max_citations: int = 4,
        thresholds: Thresholds | None = None,
        scorer: AnswerScorer | None = None,
        gate: str = "fixed",
    ) -> None:
        self._units = units
        self._embed = embed
        self._idf = idf
        self._doc_freq = doc_freq
        self.max_citations = max_citations
        self.thresholds = thresholds or Thresholds()
        self.scorer = scorer
        self.gate = gate
        """``fitted``: refuse below the scorer's cut-off (the hand-set thresholds when there is no
        scorer); ``fixed``: the hand-set thresholds; ``off``: only the checks of what the evidence
        states (kind of value, names, year), as when fitting the scorer."""

    # -- candidates -----------------------------------------------------------------------

    def candidates(self, passages: Sequence[Passage]) -> tuple[list[Candidate], dict[tuple[str, int, int], np.ndarray]]:
        """Every unit of every passage (anaphoric sentences joined to their antecedent)."""
        stored = self._units([p.chunk.chunk_id for p in passages])
        found: list[Candidate] = []
        vectors: dict[tuple[str, int, int], np.ndarray] = {}
        seen: set[tuple[str, int, int]] = set()
        for passage in passages:
            chunk = passage.chunk
            entries = stored.get(chunk.chunk_id)
            if entries:
                units = [u for u, _ in entries]
                unit_vectors = [v for _, v in entries]
            else:  # an index built without unit vectors: embed this passage's units now
                units = evidence_units(chunk.text, chunk.heading_end)
                unit_vectors = list(self._embed([chunk.text[u.start : u.end] for u in units])) if units else []
            for index, (unit, vector) in enumerate(zip(units, unit_vectors, strict=True)):
                start, end = unit.start, unit.end
                text = chunk.text[start:end]
                if unit.is_row and is_header_row(chunk, chunk.start + start):
                    continue  # "Area | Level 1 | Level 2 | ...": names the columns, states nothing
                first = index
                while (
                    first > 0
                    and index - first < 2
                    and units[first].kind == "sentence"
                    and _ANAPHORIC_START.match(chunk.text[units[first].start : units[first].end])
                    and units[first - 1].kind == "sentence"
                    and (
                        "\n" not in chunk.text[units[first - 1].start : units[first].start]
                        or len(chunk.text[units[first].start : units[first].end].split()) <= _SHORT_LINE_WORDS
                    )
                ):
                    first -= 1
                if first < index:
                    start = units[first].start
                    text = chunk.text[start:end]
                    vector = _normalised(np.sum(unit_vectors[first : index + 1], axis=0))
                key = (chunk.doc_id, chunk.start + start, chunk.start + end)
                if key in seen:
                    continue
                seen.add(key)
                found.append(
                    Candidate(
                        passage, chunk.start + start, chunk.start + end, text, unit.is_row, is_heading=unit.is_heading
                    )
                )
                vectors[key] = vector
            wholes = [(*section, False) for section in [_section(chunk, units, unit_vectors)] if section is not None]
            wholes += [(*steps, True) for steps in _steps(chunk, units, unit_vectors)]
            for start, end, vector, steps in wholes:
                key = (chunk.doc_id, chunk.start + start, chunk.start + end)
                if key not in seen:
                    seen.add(key)
                    found.append(
                        Candidate(
                            passage,
                            chunk.start + start,
                            chunk.start + end,
                            chunk.text[start:end],
                            False,
                            is_list=True,
                            is_section=True,
                            is_steps=steps,
                        )
                    )
                    vectors[key] = vector
        return found, vectors

    def _without_case_names(self, profile: QuestionProfile) -> QuestionProfile:
        """A given name no document uses ("she says she's here for Ellie") is a person in the case
        described, not a name the documents must give: set aside like the rest of a described scene."""
        case = {
            g.word
            for g in profile.groups
            if g.word in profile.names and g.word.capitalize() in given_names() and not self._known(g)
        }
        if not case:
            return profile
        groups = tuple(replace(g, generic=True) if g.word in case else g for g in profile.groups)
        return replace(profile, groups=groups, names=profile.names - case)

    def _known(self, group: TermGroup) -> bool:
        """Does the corpus use this word (or a synonym, or its spelled-out form) at all?"""
        if any(self._doc_freq(t) for t in group.alternatives):
            return True
        return any(phrase and all(self._doc_freq(t) for t in phrase) for phrase in group.phrases)

    def _weight(self, profile: QuestionProfile) -> dict[str, float]:
        weights: dict[str, float] = {}
        for group in profile.groups:
            base = max((self._idf(t) for t in group.alternatives), default=1.0)
            weights[group.word] = min(base, 8.0) * group.weight * (0.35 if group.generic else 1.0)
        return weights

    # -- selection ------------------------------------------------------------------------

    def compose(
        self, profile: QuestionProfile, passages: Sequence[Passage], query_vector: np.ndarray, *, gate: str = ""
    ) -> Composition:
        """The evidence for a question, or the reason to abstain (``gate``: this call's gate, if not the
        answerer's own)."""
        gate = gate or self.gate
        if not passages:
            return Composition([], True, "nothing retrieved")
        profile = self._without_case_names(profile)
        candidates, vectors = self.candidates(passages)
        if profile.typed or profile.expects == "yesno":
            # a value or a yes/no is stated in a sentence; a whole section would bury it
            candidates = [c for c in candidates if not c.is_section]
        if not candidates:
            return Composition([], True, "no sentences")
        weights = self._weight(profile)
        total = fsum(weights.values()) or 1.0
        key_words = {g.word for g in profile.key_groups}
        key_total = fsum(weights[w] for w in key_words) or 1.0

        passage_terms: dict[str, frozenset[str]] = {}
        identity_terms: dict[str, frozenset[str]] = {}
        for passage in passages:
            chunk = passage.chunk
            passage_terms[chunk.chunk_id] = term_set(" ".join([chunk.section_path, chunk.context, chunk.text]))
            # who issued the document and what it is called: a name the question gives for it
            # ("under Anytown's procedures") is met by the document, not by each of its sentences
            identity_terms[chunk.chunk_id] = term_set(identity_text(chunk.title, chunk.file_name, chunk.publisher))
        prior = {p.chunk.chunk_id: 1.0 / (1.0 + 0.25 * (p.rank - 1)) for p in passages}
        # the abbreviations each document spells out for itself ("Club Welfare Officer (CWO)"): its
        # sentences using them ("The CWO is the first point of contact") say the words too
        defined: dict[str, dict[str, frozenset[str]]] = {}
        for passage in passages:
            for abbreviation, spelled in defined_abbreviations(passage.chunk.text).items():
                defined.setdefault(passage.chunk.doc_id, {})[abbreviation] = term_set(spelled)
            # and the people it introduces by role ("My assistant, Tom Baker, ..."): its sentences using
            # the name ("Tom completes ... training every three years") are about the role
            for word, role in defined_people(passage.chunk.text).items():
                for stem in term_set(word):
                    defined.setdefault(passage.chunk.doc_id, {}).setdefault(stem, term_set(role))

        # A figure only answers the question when the sentence (or table row) stating it
        # also names one of the question's two most specific words found in that passage.
        # ("the minimum age for a volunteer": "volunteer", not the words that ask for an age)
        focus_keys = sorted(
            (
                g
                for g in profile.key_groups
                if not g.word[:1].isdigit() and not (profile.expects == "age" and g.word in AGE_WORDS)
            ),
            key=lambda g: (-weights[g.word], g.word),
        )

        question_terms = {t for g in profile.groups for t in g.alternatives}
        # Names the question gives (a place, an organisation): a passage that does not
        # mention them is about something else ("CP plans in Northshire").
        # Initials no document uses are a name as well: of a body, met by a document's own name ("at
        # HVFC": Hanworth Villa FC) or else by none.
        names = [
            g
            for g in profile.key_groups
            if _POSSESSIVE.sub("", g.word) in profile.names or (g.word in profile.initials and not self._known(g))
        ]
        new_groups = [g for g in profile.groups if g.word in profile.new_words]
        # "the childminder", "our nursery": a kind of setting, said as the one meant, that a document's own
        # name gives ("ries-playhouse-childminder-...") is met by each of that document's sentences
        generic_names = term_set(" ".join(GENERIC_NAME_WORDS))
        meant = term_set(" ".join(m.group(1) for m in _MEANT.finditer(fold(profile.original or profile.text).lower())))
        settings_named: list[TermGroup] = [
            g
            for g in profile.key_groups
            if g not in names
            and g.alternatives & meant
            and not g.alternatives & generic_names
            and g.word not in ABBREVIATIONS
        ]
        # "the swimming club" where a document is named for it: like a name, a passage of another document
        # is about something else
        settings_meant = [g for g in settings_named if any(g.matches(terms) for terms in identity_terms.values())]
        said = " ".join(profile.said.split())
        # "the Lexden policy": like a name, the word says which document, not what is asked
        name_words = {g.word for g in names} | set(profile.references)
        content_total = fsum(w for word, w in weights.items() if word not in name_words) or total
        # "Who is the county welfare officer?" asks who holds a role: a name answers it
        holder = profile.expects == "person" and bool(_ASKS_HOLDER.search(profile.original or profile.text))
        stand_in = _UNDER_ROLE.search(profile.original or profile.text)  # "who is the deputy DSL?"
        stand_in_role = _stand_in_role(stand_in, profile) if profile.expects == "person" else None
        topic_match = _SAYS_ABOUT.search(profile.original or profile.text)
        about_terms = term_set(topic_match.group(1)) if topic_match else frozenset()
        about = [g for g in profile.key_groups if about_terms & g.alternatives and g.word not in profile.names]
        numbered = numbered_names(profile.text)
        # "how often ... after the first year?": a rule for visits in the first year is another period's
        periods = period_scopes(fold(profile.original or profile.text).lower()) if profile.typed else set()
        wording = fold(profile.original or profile.text)
        lowered = wording.lower()
        # "what level does that come under?": the level is named by the heading a descriptor sits under
        asks_level = bool(ASKS_LEVEL.search(wording))
        # "... and can't reach the welfare officer", "who do I tell if the DSL is away?"
        unreachable = says_unreachable(lowered)
        # "what if the concern is about the CSO?": a sentence opening with that case answers it
        case_terms = _case_put(profile, wording)
        conditional = bool(case_terms)
        # "the ratio for under 9s": a rule for "players aged 10 and under" is about them, one for "aged 11 to 18" not
        age = _age_asked(profile, lowered)
        age_words = {g.word for g in profile.groups if age is not None and _names_age(g.word, age)}
        # "what does LADO stand for?": a sentence spelling it out answers it
        expansion = asked_expansion(lowered)
        # "should I tell the member of staff ...?": a sentence saying whether to tell answers it
        permission = asked_permission(wording) if profile.expects == "yesno" else ""
        topic = [g for g in profile.key_groups if g.word not in name_words]
        # "the emergency duty team's email": the contact given must be that team's
        owner_words = term_set(contact_owner(wording))
        owner = [g for g in profile.groups if owner_words & g.alternatives] if profile.expects == "contact" else []
        channel = contact_channel(wording) if profile.expects == "contact" else ""
        # "When must the allegations management meeting be held?": the time given must be a meeting's
        event = event_subject(wording).split()
        timed = bool(event) and profile.expects in ("duration", "frequency", "date")
        head_terms = term_set(event[-1]) if timed else frozenset()
        head = [g for g in profile.groups if head_terms & g.alternatives]
        # "concerns be referred": "Referrals ... are made within 24 hours" names the doing as what is timed
        doing_terms = term_set(event_verb(wording)) if timed else frozenset()
        doing = [g for g in profile.groups if doing_terms & g.alternatives and g not in head]
        modifier_terms = term_set(" ".join(event[:-1])) - head_terms if timed else frozenset()
        # (a name the question gives says whose it is, met by the document: "Oakwood's filters")
        modifiers = [
            g
            for g in profile.key_groups
            if modifier_terms & g.alternatives and g not in head and g.word not in name_words
        ]
        # an abbreviation standing for the whole thing ("icpc" for "initial child protection conference")
        event_abbreviations = whole_abbreviations(event) if timed else set()
        event_kinds = named_kinds(" ".join(event)) if timed else set()
        # "the minimum time on a CP plan": a value stated for a child in need plan is another kind's
        asked_kinds = named_kinds(wording) if profile.typed else set()
        # "how quickly must the welfare officer pass a concern on to the county FA?": a time for
        # telling someone else ("reported immediately to the Club Welfare Officer") is not its answer
        addressee_terms = term_set(recipient(wording)) if profile.expects == "duration" else frozenset()
        addressee = [g for g in profile.key_groups if addressee_terms & g.alternatives]
        # "what's the longest ...?" is not answered by "at least three months", nor the minimum by "within"
        bound = asked_bound(wording) if profile.expects == "duration" else ""
        # "how quickly must ...?" asks for the rule, not a figure of how long cases took
        asks_rule = profile.expects == "duration" and bool(ASKS_RULE.search(wording))
        # "how long does the nursery keep records?", "how soon must they phone?", "how much notice?": a
        # deadline to send a file answers none of them
        actions = asked_actions(wording) if profile.expects == "duration" else ()
        if actions:
            # the action is checked on its own ("kept" is stated); what is kept must be named as well:
            # "records are kept until ..." does not say how long photographs are kept
            focus_keys = [g for g in focus_keys if not any(a.search(g.word) for a in actions)]
        # what is kept ("photographs", the head of "child protection records") or what notice is given of
        # ("conference"): a sentence that does not name it does not answer, even where no document does
        object_group = _head_group(profile, acted_on(wording))
        # "how often do governors have training?": the staff's rule, or a childminder's own, is not theirs
        doer = _head_group(profile, asked_actor(wording)) if profile.expects in ("frequency", "duration") else None
        # "the masters squad": a kind of a thing the question names, by a word of its own
        qualified = _qualified(profile, lowered, name_words) if profile.typed else []
        # "how many children had been on a plan for more than two years?": a length of time that says which figure
        spans_asked = _spans(wording) if profile.expects in ("number", "percentage", "money") else frozenset()
        # the age bands each unit gives its rule for, and a table's narrowest band holding the age asked
        # about, which is that age's row
        ages_of: dict[tuple[str, int, int], list[tuple[int, int]]] = {}
        narrowest: dict[tuple[str, str], int] = {}
        for candidate in candidates if age is not None else ():
            header = table_header(candidate) if candidate.is_row else ""
            ages_of[candidate.key] = _ages(candidate, header)
            if candidate.is_row:
                spans = [high - low for low, high in ages_of[candidate.key] if low <= age <= high]  # type: ignore[operator]
                table = (candidate.passage.chunk.chunk_id, header)
                narrowest[table] = min([*spans, narrowest.get(table, 99)])
        for candidate in candidates:
            header = table_header(candidate) if candidate.is_row else ""
            terms = term_set(f"{header} {candidate.text}" if header else candidate.text)
            own = defined.get(candidate.passage.chunk.doc_id)
            if own:
                terms = terms.union(*(spelled for abbreviation, spelled in own.items() if abbreviation in terms))
            # what the unit itself and its heading say: where a value's subject must be named
            scope = terms | term_set(candidate.passage.chunk.section_path)
            # a label and its value: the labelled lines around it are about the same person ("Name: Priya Shah")
            scope |= _record(candidate)
            if candidate.is_row:
                # a table's rows are of what the sentence bringing it in names ("ratios ... for all training sessions:")
                scope |= term_set(lead_in_of_row(candidate.passage.chunk, candidate.start))
            else:
                # and a list's items of what its lead-in names ("The minimum adult to child ratios we use are:")
                listed = _in_list(candidate)
                if listed is not candidate:
                    scope |= term_set(listed.text.split("\n", 1)[0])
            context_terms = terms | passage_terms[candidate.passage.chunk.chunk_id]
            matched = {g.word for g in profile.groups if g.matches(terms)}
            in_context = {g.word for g in profile.groups if g.matches(context_terms)}
            identity = identity_terms[candidate.passage.chunk.chunk_id]
            named = {g.word for g in names if g.matches(identity)}
            # "the childminder", "the nursery": a kind of setting the document's own name gives
            setting = {g.word for g in settings_named if g.matches(identity)}
            named |= setting
            # the names the document's identity meets are met by each of its sentences alike: they
            # steer to the document, not to the sentences that happen to repeat them, so the
            # lexical score is over the question's other words
            matched |= named
            in_context |= named
            ages = ages_of.get(candidate.key, [])
            held = [low <= age <= high for low, high in ages] if age is not None else []
            # the years the narrowest of its bands holding the age asked about covers
            span = min((high - low for (low, high), holds in zip(ages, held, strict=True) if holds), default=None)
            if any(held):
                matched |= age_words  # "aged 10 and under" holds the under 9s asked about
                in_context |= age_words
                # the rule for that age, or one of the rules for several (a whole table of ratios)
                candidate.other_age = False if all(held) else None
            elif ages:
                candidate.other_age = True
            candidate.matched = frozenset(matched)
            candidate.in_context = frozenset(in_context)
            candidate.lexical = fsum(weights[w] for w in matched - name_words) / content_total
            candidate.context = fsum(weights[w] for w in in_context) / total
            candidate.dense = float(np.dot(query_vector, vectors[candidate.key]))
            candidate.fits = (
                _fits(profile, candidate.text, identity | question_terms)
                if profile.expects == "person"
                else _fits(profile, fold(candidate.text))
            )
            if profile.expects == "definition" and header and DEFINING_COLUMN.search(header):
                candidate.fits = True  # "Neglect | The persistent failure ..." under "Type | Definition | Signs"
            if profile.typed and candidate.fits and focus_keys:
                # an age is stated of someone: of the one asked about, even where the passage never names them
                # (less the words the document's own name meets: "the youth theatre's DSL", "under 11s cricket"
                # on a cricket club's page; for a table's row, which names no one, a name the document's own
                # name meets counts only when no other word is there: "the ratio for the under 11s at Elmsford
                # Vale" is met by the table's "ratios", not by the club's name)
                present = sorted(
                    (
                        g
                        for g in focus_keys
                        if (g.word in in_context or profile.expects == "age")
                        and g.word not in setting
                        and (g in names or not g.matches(identity))
                    ),
                    key=lambda g: candidate.is_row and g.matches(identity),
                )[:2]
                if present and not any(g.matches(scope) for g in present):
                    candidate.fits = False
            # whose contact is asked, less the words naming the document's own organisation ("the youth
            # theatre's DSL": the DSL)
            named_owner = [g for g in owner if not g.matches(identity)]
            if (
                named_owner
                and candidate.fits
                and (
                    sum(g.matches(scope) for g in named_owner) * 2 < len(named_owner)
                    or not named_owner[-1].matches(scope)
                )
            ):
                # the FA team's email does not answer what the duty team's is, nor a Shropshire out-of-hours team's
                # number what the Shropshire LADO's is (the one asked about is the last word of its name)
                candidate.fits = False
            if named_owner and candidate.fits and not unreachable and _stands_in_for_owner(candidate.text, named_owner):
                # "If the Club Welfare Officer is not available, contact the County FA ... on 01234 ...": the
                # number of whoever stands in, not of the one asked about
                candidate.fits = False
                candidate.other_subject = True
            if named_owner and candidate.fits and sum(g.matches(terms) for g in named_owner) * 2 >= len(named_owner):
                # named in the sentence, the owner must be the one the number is given for: "if you cannot
                # contact your Club Welfare Officer ...: Northumberland FA's Safeguarding Team: Telephone:
                # 0191 ..." gives another's
                label = value_label(channel, fold(f"{header} {candidate.text}"))
                unlabelled = [g for g in named_owner if not g.matches(term_set(label))]
                # "an email to the Duty team" is not the Emergency Duty Team's: every distinctive word of
                # the owner asked about must label the number
                if label and (
                    len(unlabelled) * 2 > len(named_owner) or any(g is not named_owner[-1] for g in unlabelled)
                ):
                    candidate.fits = False
                    candidate.other_subject = True
            if channel and candidate.fits and not states_channel(channel, fold(candidate.text)):
                candidate.fits = False  # a phone number does not answer "what's their email?"
                candidate.other_channel = True
            folded_text = fold(candidate.text)
            if candidate.fits and (
                # a referral's time limit does not say when the meeting is held
                (
                    head
                    and not _times_event(
                        candidate, header, head, modifiers, event_abbreviations, event_kinds, doing, identity
                    )
                )
                or other_kind(asked_kinds, folded_text)
                or (addressee and sum(g.matches(scope) for g in addressee) * 2 < len(addressee))
                or (actions and not states_actions(actions, folded_text))
                # "4 per cent had remained on a plan for more than 2 years"
                or (asks_rule and is_statistic(candidate.text))
                # a minimum stated, a maximum asked (or the other way)
                or (bound and bound not in (stated_bounds(folded_text) or {bound}))
                # "who is the deputy DSL?" is not answered by who the DSL is, nor by a deputy chief nurse
                or (stand_in_role and not _stands_in_for(stand_in_role, f"{header} {candidate.text}"))
                # "I renew my safeguarding training every two years" is not how often governors are trained
                or (doer is not None and not doer.matches(scope | identity))
                # "records are kept until ..." is not how long photographs are kept
                or (object_group is not None and not object_group.matches(scope))
            ):
                candidate.fits = False  # a value of the asked kind, about something else
                candidate.other_subject = True
            if candidate.fits and any(
                qualifier.word not in in_context
                # (a kind the document's own name gives: "his safeguarding file" of a safeguarding policy)
                and not qualifier.matches(identity)
                and _other_kind_of(head, qualifier, f"{header} {candidate.text}")
                for qualifier, head in qualified
            ):
                # "Competitive squads: 1 coach to 24 swimmers" is not the masters squad's ratio
                candidate.fits = False
                candidate.other_subject = True
            table = (candidate.passage.chunk.chunk_id, header)
            if candidate.is_row and span is not None and span > narrowest.get(table, span):
                # "Under 15s | 1 : 10" holds an under-11 too, but the same table's "Under 11s | 1 : 8" row is theirs
                candidate.other_age = True
            if candidate.other_age and candidate.fits and profile.typed:
                candidate.fits = False  # "for players aged 11 to 18" does not answer for the under 9s
                candidate.other_subject = True
            if periods and candidate.fits and other_period(fold(f"{header} {candidate.text}").lower(), periods):
                candidate.fits = False  # "every six weeks in the first year" is not the rule after it
                candidate.other_subject = True
            if numbered and candidate.fits and other_number(f"{header} {candidate.text}", numbered):
                candidate.fits = False  # "Level 2 ..." does not answer what Level 3 asks
            if numbered and candidate.fits:
                # "Level 3 training": evidence that never names Level 3 (nor its section) is about another
                chunk = candidate.passage.chunk
                if unnamed_scale(" ".join([header, candidate.text, chunk.section_path, chunk.context]), numbered):
                    candidate.fits = False
                    candidate.other_subject = True
            if profile.years and candidate.fits:
                # "in 2013/14": evidence that names other years but not this one is about them
                stated = years(fold(" ".join([header, candidate.text, candidate.passage.chunk.section_path])))
                # an annual report's undated statements are about the report's own year
                stated = stated or years(fold(candidate.passage.chunk.title))
                if stated and not stated & set(profile.years):
                    candidate.fits = False
                    candidate.year_mismatch = True
            words = len(candidate.text.split())
            score = (
                0.30 * candidate.lexical
                + 0.15 * candidate.context
                + 0.45 * candidate.dense
                + 0.10 * prior[candidate.passage.chunk.chunk_id]
            )
            if candidate.is_heading:
                score *= 0.5
            elif profile.expects == "definition" and candidate.is_section and _a_table(candidate.text):
                score *= 0.8  # a grid of cells defines nothing ("What is Level 3?")
            elif words < 5 and not candidate.is_row and not _LABELLED.match(candidate.text):
                score *= 0.6  # a fragment; but "Next review: September 2025." is a label and its value
            elif words > 60:
                score *= 0.8
            # prefer sentences that add something to the question's own words
            score += 0.05 * min(1.0, len(terms - question_terms) / 8)
            if candidate.text.rstrip().endswith("?"):
                score *= 0.5
            if profile.expects == "procedure" and candidate.is_steps:
                score += 0.08  # "how do I ...": the steps, in order
            if profile.expects == "list" and (
                candidate.is_section or candidate.text.rstrip().endswith(":") or _enumerates(candidate.text)
            ):
                score += 0.08  # a line that leads in to a list, a short section of items, or a sentence listing them
                if candidate.is_section:
                    # "what kinds of abuse ...?": a list whose items name what is asked ("physical abuse",
                    # "emotional abuse") before a list that mentions it once among other things
                    score += 0.08 * _items_matching(candidate.text, topic)
            if _answers_heading_question(candidate, question_terms):
                score += 0.15  # "4.1 How do I make a referral?": what follows the question asked answers it
            if profile.expects in ("list", "definition") and _row_named(candidate, question_terms):
                # "Sexual abuse | ... | Signs ...": the row for what is asked, not one that mentions it
                score += 0.08
            if conditional and _meets_condition(candidate.text, case_terms):
                score += 0.1  # "what if the concern is about the CSO?": "If the concern is about the CSO, ..."
            if profile.expects == "procedure" and _names_situation(candidate, question_terms):
                score += 0.2  # "If a child tells me something": the section for the situation described
            if candidate.other_age is not None:
                # the rule for the age asked about, before one for other ages
                score = score * 0.6 if candidate.other_age else score + 0.1
            if spans_asked and spans_asked & _spans(folded_text):
                score += 0.1  # "how many ... for more than two years?": the figure for that length of time
            if asks_level and level_heading(candidate):
                score += 0.08  # a descriptor under a level's heading says which level
            if expansion and spells_out(expansion, candidate.text):
                score += 0.15  # "the Local Authority Designated Officer (LADO)"
            if permission and rules_on(permission, fold(candidate.text).lower()):
                score += 0.15  # "do not tell the adult ... unless the LADO agrees"
            if holder and _names_someone(candidate.text, identity | question_terms):
                score += 0.15  # "who is the ...": a person named outranks the role described
                if stand_in is None and _UNDER_ROLE.search(candidate.text.split(":")[0][:80]):
                    score -= 0.1  # "who is the DSL?" is not answered by "Deputy DSL: Mr K Shah" first
            mismatch = candidate.year_mismatch or candidate.other_subject
            if profile.typed or profile.expects in ("definition", "person", "procedure") or mismatch:
                score = score + 0.08 if candidate.fits else score * (0.55 if profile.typed or mismatch else 0.85)
            candidate.score = score
            if new_groups and not any(g.matches(terms) for g in new_groups):
                candidate.score *= 0.6  # a follow-up asks about its own new words ("what about health?")
            if said and not profile.typed and " ".join(candidate.text.split()) in said:
                # "and if I can't get hold of her?": not the answer just read again (but "and her email?"
                # may well be in the line that gave her number)
                candidate.score *= 0.8
            missing = [g.word for g in (*names, *settings_meant) if g.word not in candidate.in_context]
            if missing:
                candidate.score *= 0.5
                candidate.missing_names = tuple(missing)
        candidates.sort(key=lambda c: (-c.score, c.key))
        best = candidates[0]
        key_coverage = fsum(weights[w] for w in key_words & best.in_context) / key_total
        # a name the documents' own names meet ("at HVFC", the initials of Hanworth Villa FC) is known
        known = {g.word for g in profile.key_groups if self._known(g) or (g in names and g.word in best.in_context)}
        known_total = fsum(weights[w] for w in known) or 1.0
        known_coverage = fsum(weights[w] for w in known & best.in_context) / known_total if known else 0.0
        unknown_share = 1.0 - fsum(weights[w] for w in known) / key_total
        support = 0.5 * best.context + 0.5 * best.dense
        diagnostics = {
            "best_score": round(best.score, 4),
            "best_dense": round(best.dense, 4),
            "best_lexical": round(best.lexical, 4),
            "best_context": round(best.context, 4),
            "key_coverage": round(key_coverage, 4),
            "known_coverage": round(known_coverage, 4),
            "unknown_share": round(unknown_share, 4),
            "support": round(support, 4),
        }
        confidence = self.scorer.confidence(diagnostics) if self.scorer is not None else None
        if confidence is not None:
            diagnostics["confidence"] = round(confidence, 4)
        # a described situation's words pull its vector away from any passage; a criterion that
        # names what is asked and states conditions of the kinds described is support enough
        criterion = (
            _states_criterion(profile, candidates[:_CRITERION_POOL], key_words)
            or bool(expansion and spells_out(expansion, best.text))
            # a described situation's words pull its vector away from any passage; a section whose
            # heading names that situation is about it
            or (profile.expects == "procedure" and _names_situation(best, question_terms))
            or (profile.expects == "definition" and _defines_row(best, question_terms))
            # "who do I tell if the DSL is away?": a rule for when the usual person cannot be reached; "what
            # if the concern is about the CSO?": a rule that opens with that case
            or (unreachable and best.fits and says_unreachable(fold(best.text).lower()))
            or (conditional and _meets_condition(best.text, case_terms))
        )
        reason, thin = "", False
        if profile.typed and not best.fits:
            reason = f"no passage states the {profile.expects} asked for"
        elif best.missing_names:
            reason = f"the documents do not mention {', '.join(best.missing_names)} here"
        elif about and max(about, key=lambda g: (weights[g.word], g.word)).word not in best.in_context:
            # "What does Hanworth Villa say about taking photos of players?": not a word about photos
            reason = "the documents do not mention what the question asks about"
        elif best.year_mismatch:
            reason = "no passage covers the year asked about"
        elif best.other_subject:
            reason = "the documents state this for something else, not what was asked"
        elif gate == "off" or criterion:
            pass
        elif owner and all(
            g.matches(term_set(f"{table_header(best) if best.is_row else ''} {best.text}")) for g in owner
        ):
            pass  # "the ECB's phone number": a number the sentence itself gives for the owner asked about
        elif gate == "fitted" and self.scorer is not None and confidence is not None:
            if confidence < self.scorer.cutoff:
                reason, thin = f"the evidence is too weak (confidence {confidence:.2f})", True
        elif known_coverage < self.thresholds.min_key_coverage:
            reason, thin = "the question's key terms are not covered", True
        elif support < self.thresholds.min_support:
            reason, thin = "support too weak", True
        if reason:
            nearest = (
                next(
                    (c for c in candidates if (c.fits or c.other_channel or c.other_subject) and not c.is_heading),
                    None,
                )
                if profile.typed
                else None
            )
            asked = channel if nearest is not None and nearest.other_channel else profile.expects
            rejected = tuple(c for c in candidates if c.other_subject or c.year_mismatch)
            return Composition(
                [], True, reason, diagnostics=diagnostics, nearest=nearest, asked=asked, thin=thin, rejected=rejected
            )

        selected = [best]
        covered = set(best.matched)
        limit = min(self.max_citations, 3)
        if profile.expects in ("procedure", "open", "definition", "list") and best.other_age is not False:
            # what comes next in the same paragraph often completes a rule ("If this reveals..."); the rule for
            # the age asked is complete without the rest of its table
            following = next(
                (c for c in candidates[1:] if (_follows(best, c) or _leads_on(best, c)) and not c.is_heading), None
            )
            # "... decide on the next steps. The possible decisions are:" - a lead-in to a list completes it
            if following is not None and (following.score >= 0.5 * best.score or following.text.rstrip().endswith(":")):
                selected.append(following)
                covered |= following.matched
        if profile.expects == "procedure" and not best.is_steps:
            # "how do I escalate?" best met by the section's opening: its numbered steps are the answer
            steps = next(
                (
                    c
                    for c in candidates[1:]
                    if c.is_steps
                    and c.passage.chunk.section == best.passage.chunk.section
                    and c.passage.chunk.doc_id == best.passage.chunk.doc_id
                    and c.score >= 0.6 * best.score
                ),
                None,
            )
            if steps is not None:
                # one step that answers best stands for the steps it belongs to
                rest = [s for s in selected if not _overlaps(s, steps)]
                selected = [steps, *rest] if _overlaps(best, steps) else [*rest, steps]
                covered |= steps.matched
        # "what happens next?" under "4.3 What happens after a referral?": the section's paragraphs answer it
        heading_answer = profile.expects == "procedure" and _under_heading_question(best, question_terms)
        for other in candidates[1:]:
            if len(selected) >= limit or other.score < 0.6 * best.score:
                break
            if any(_overlaps(other, s) for s in selected) or other.is_heading:
                continue
            if best.other_age is False and other.text.rstrip().endswith(":"):
                continue  # the lead-in would bring the whole table, every other age's row with it
            if profile.typed and not other.fits and not profile.is_multi_part:
                continue
            adds = fsum(weights[w] for w in other.matched - covered if w in key_words) / key_total
            close = other.score >= self.thresholds.second_ratio * best.score
            follows = any(_follows(s, other) for s in selected)
            # more of the best one's passage, unless the best is a whole section or list of it already
            beside = other.passage.chunk.chunk_id == best.passage.chunk.chunk_id and not best.is_list
            same_section = (
                other.passage.chunk.doc_id == best.passage.chunk.doc_id
                and other.passage.chunk.section == best.passage.chunk.section
            )
            if (
                close
                and profile.expects == "procedure"
                and other.is_section
                and best.is_steps
                and best in selected
                and same_section
                and other.end <= best.start
            ):
                # "what happens when a visitor buzzes?": the steps chosen are the middle of a section whose
                # opening (what is checked first) comes before them
                selected.insert(selected.index(best), other)
                covered |= other.matched
            elif (
                (profile.is_multi_part and adds > 0.15)
                or (close and (adds > 0.1 or follows or beside))
                or (follows and profile.expects in ("procedure", "open", "definition", "list"))
                # "what level ...?": a descriptor under another level's heading is another answer
                or (close and asks_level and _another_level(other, selected))
                or (heading_answer and same_section and other.start > best.start)
            ):
                selected.append(other)
                covered |= other.matched
        if unreachable and not any(says_unreachable(fold(c.text).lower()) for c in selected):
            # "who do I tell if the DSL is away?": what to do when the usual person cannot be reached is
            # what was asked; the usual case alone does not answer it
            cover = next(
                (
                    c
                    for c in candidates[1:]
                    if c.score >= 0.6 * best.score
                    and not c.is_heading
                    and (c.fits or not profile.typed)
                    and not any(_overlaps(c, s) for s in selected)
                    and says_unreachable(fold(c.text).lower())
                ),
                None,
            )
            if cover is not None:
                # with the best evidence for the usual case (who the lead is), not all of it
                selected = [selected[0], cover]
        # another document stating the same thing with another value is shown beside it, never
        # silently passed over ("15 working days" in one procedure, "10 working days" in another)
        differing = _differing(profile, best, candidates, key_words, vectors)
        if differing is not None and not any(_overlaps(differing, s) for s in selected):
            selected = [*selected[: max(1, limit - 1)], differing]
        # a sentence that the next one refers back to ("In 2014/15 this percentage fell to
        # 1.6 per cent") is quoted with it: the pair states the fact
        selected = [_within(c, _continued(c, candidates), holder) for c in selected]
        # a timescale the document has already given (its table of timescales after its text) is said once
        selected = without_restatements(profile.expects, selected)
        if len({c.passage.chunk.chunk_id for c in selected}) == 1:
            # one passage: the document's order (steps, a list and what follows it), except that a
            # value or a yes/no is answered first by the evidence that states it
            answers_case = conditional and _meets_condition(selected[0].text, case_terms)
            first = selected[:1] if profile.typed or profile.expects == "yesno" or answers_case else []
            selected = [*first, *sorted(selected[len(first) :], key=lambda c: c.start)]
        if profile.expects == "yesno" and profile.stated_numbers:
            # "only under 16s, isn't it?" is answered first by the evidence that states a figure
            figure = next((c for c in selected if re.search(r"\d", strip_years(fold(c.text)))), None)
            if figure is not None:
                selected = [figure, *(c for c in selected if c is not figure)]
        # a value asked for (or the rule for the age asked) is answered by its item; anything else by the item
        # in its list, but never made long when it already says who was asked about
        selected = [
            _within(c, _with_list(c if profile.typed or c.other_age is False else _in_list(c)), holder)
            for c in selected
        ]
        # a list brought in whole holds items that were chosen on their own: each passage is quoted once
        selected = _quoted_once(selected)
        # every quote after the first bears on the question: it shares a word (a synonym, an
        # abbreviation) with the question or names one in its heading
        selected = [selected[0], *(c for c in selected[1:] if _bears_on(profile, c))]
        found: tuple[tuple[Candidate, str, str], ...] = ()
        if profile.situation:
            selected, found = _criterion_first(profile, selected, candidates, best, limit)
        lead = _lead(profile, selected) or (DIFFERING_LEAD if differing is not None else "")
        return Composition(
            selected,
            False,
            lead=lead,
            diagnostics=diagnostics,
            attributed=differing is not None,
            conditions=found,
            levels=asks_level,
        )

    # -- citations ------------------------------------------------------------------------

    def citations(self, selected: Sequence[Candidate]) -> list[Citation]:
        return [_citation(n, c) for n, c in enumerate(selected, start=1)]

    def related(self, passages: Sequence[Passage], limit: int = 3) -> list[Citation]:
        """The first sentence of the nearest passages, offered when abstaining."""
        result: list[Citation] = []
        for passage in passages[:limit]:
            spans = sentence_spans(passage.chunk.text)
            if not spans:
                continue
            start, end = spans[0]
            candidate = Candidate(
                passage, passage.chunk.start + start, passage.chunk.start + end, passage.chunk.text[start:end], False
            )
            result.append(_citation(len(result) + 1, candidate))
        return result


def merge_parts(
    parts: Sequence[tuple[str, Composition]], limit: int, *, missing: str = PART_NOT_ANSWERED, attributed: bool = False
) -> Composition:
    """One composition from the answers to each part of a several-part question, or from each
    document a question compares.

    Each answered part contributes its best evidence (an equal share of ``limit``
    citations); the parts the documents do not answer are named (``missing``), not guessed at.
    ``attributed``: each quote is shown with whose it is.
    """
    answered = [(part, c) for part, c in parts if not c.abstained]
    diagnostics = {**parts[0][1].diagnostics, "parts": float(len(parts)), "parts_answered": float(len(answered))}
    if not answered:
        return Composition([], True, "no part of the question is answered", diagnostics=diagnostics)
    share = max(1, limit // len(parts))
    selected: list[Candidate] = []
    for _, composition in answered:
        for candidate in composition.selected[:share]:
            if not any(_overlaps(candidate, s) for s in selected):
                selected.append(candidate)
    found = list(
        {
            (condition[0].key, *condition[1:]): condition
            for _, composition in answered
            for condition in composition.conditions
        }.values()
    )
    # the criteria first, as in a one-part question
    criteria = list({condition[0].key: condition[0] for condition in found}.values())
    keys = {c.key for c in criteria}
    selected = [*criteria, *(c for c in selected if c.key not in keys)]
    return Composition(
        selected,
        False,
        # one document's "yes, that figure" is not the other's
        lead="" if attributed else answered[0][1].lead,
        diagnostics=diagnostics,
        unanswered=tuple(missing.format(part=part) for part, c in parts if c.abstained),
        attributed=attributed,
        conditions=tuple(found),
    )


def _continued(candidate: Candidate, candidates: Sequence[Candidate]) -> Candidate:
    """The longest unit that starts with ``candidate`` and carries on with sentences referring back to it."""
    longer = [
        c
        for c in candidates
        if c.passage.chunk.doc_id == candidate.passage.chunk.doc_id
        and c.start == candidate.start
        and c.end > candidate.end
        and not c.is_heading
        # a step is not stretched into all the steps after it (they are chosen on their own merit)
        and not (c.is_steps or c.is_section)
    ]
    return max(longer, key=lambda c: (c.end, c.score), default=candidate)


_NUMBERED_PARAGRAPH = re.compile(r"\d{1,3}(?:\.\d{1,3}){1,4}\.?[ \t]{1,4}[A-Z]")
"""A new numbered paragraph ("10.2 When a child moves..."), not an item of the list before it."""


def _with_list(candidate: Candidate, limit: int = 10) -> Candidate:
    """A sentence that introduces a list ("... including:") carries the list's items."""
    if candidate.is_section or not candidate.text.rstrip().endswith(":"):
        return candidate
    chunk = candidate.passage.chunk
    local_end = candidate.end - chunk.start
    if not chunk.text.startswith("\n", local_end):
        return candidate
    end = local_end
    items = 0
    separated = False  # the items so far end in ";" or ",": the one ending in "." is the last
    for line in chunk.text[local_end + 1 :].split("\n"):
        if not line.strip() or len(line.split()) > 40 or items == limit or _NUMBERED_PARAGRAPH.match(line.lstrip()):
            break
        end += 1 + len(line)
        items += 1
        tail = line.rstrip()
        if tail.endswith((";", ",", "; and", "; or", ", and", ", or")):
            separated = True
        elif separated and tail.endswith("."):
            break
    if not items:
        return candidate
    local_start = candidate.start - chunk.start
    return replace(candidate, end=chunk.start + end, text=chunk.text[local_start:end], is_list=True)


_LEAD_IN_LINES = 10
_LISTED_WORDS = 60
"""An item is quoted in its list only when the whole list is short (the answer-length target): answers stay brief."""
_ACTIONS_FOLLOW = re.compile(r"\b(?:will|shall|should|must|(?:needs?|has|have) to)\s{0,3}:", re.IGNORECASE)
"""A lead-in whose list is what someone does ("..., he will:"), not who they are ("it must include:")."""


def _within(candidate: Candidate, longer: Candidate, holder: bool) -> Candidate:
    """``longer`` (the unit with the list it brings in, or the sentences referring back to it), except when
    the question asks who holds a role, the unit already names them and ``longer`` adds a long list of
    what they do: "When The Safeguarding Officer (Siobhan Brine) is approached ..., he will:" answers who
    the lead is (but not whom he must tell)."""
    if longer is not candidate and holder and candidate.fits and len(longer.text.split()) > _LISTED_WORDS:
        lead_in = longer.text.split(":", 1)[0] + ":"
        if _ACTIONS_FOLLOW.search(lead_in[-40:]):
            return candidate
    return longer


def _in_list(candidate: Candidate) -> Candidate:
    """An item of a list chosen on its own ("tell the Club Welfare Officer the same day.") is quoted
    with the list it belongs to, from the line that introduces it ("If a child tells you they are
    being abused:"): the item alone does not say when it applies."""
    if candidate.is_row or candidate.is_heading or candidate.is_list or not candidate.text[:1].islower():
        return candidate
    chunk = candidate.passage.chunk
    local = candidate.start - chunk.start
    if local <= 0 or chunk.text[local - 1] != "\n":
        return candidate  # not the start of a line
    above = chunk.text[: local - 1].split("\n")
    for back, line in enumerate(reversed(above[-_LEAD_IN_LINES:]), start=1):
        if line.rstrip().endswith(":"):
            start = local - 1 - sum(len(x) + 1 for x in above[-back:]) + 1
            lead = replace(
                candidate, start=chunk.start + start, end=chunk.start + start + len(line.rstrip()), text=line.rstrip()
            )
            listed = _with_list(lead)
            if not listed.is_list or listed.end < candidate.end or len(listed.text.split()) > _LISTED_WORDS:
                return candidate  # a long list would bury the item that answers
            return listed
        if not line.strip() or len(line.split()) > 40 or not line[:1].islower():
            return candidate
    return candidate


def _follows(first: Candidate, second: Candidate) -> bool:
    """Is ``second`` the unit right after ``first`` in the same paragraph of the same document?"""
    if first.passage.chunk.doc_id != second.passage.chunk.doc_id or second.start < first.end:
        return False
    if second.start - first.end > 3:
        return False
    for chunk in (first.passage.chunk, second.passage.chunk):
        if chunk.start <= first.end and second.start <= chunk.end:
            gap = chunk.text[first.end - chunk.start : second.start - chunk.start]
            return gap.strip() == "" and "\n" not in gap
    return False


def _leads_on(first: Candidate, second: Candidate) -> bool:
    """Is ``second`` a lead-in to a list ("The possible decisions are:") that opens the next chunk right
    after ``first`` ("... decide on the next steps."), in the same section? The chunker starts a list's
    chunk at its lead-in, so the two never share a chunk."""
    a, b = first.passage.chunk, second.passage.chunk
    return (
        a.doc_id == b.doc_id
        and a.section == b.section
        and a.end == first.end
        and b.start == second.start
        and 0 < second.start - first.end <= 2
        and second.text.rstrip().endswith(":")
    )


_SECTION_LINES, _SECTION_WORDS, _SECTION_LINE_WORDS = 8, 90, 30
"""A section is quoted whole only when it is short: at most this many lines and words, no long line.
A sentence or item broken across lines is not cut at the last line: it goes on to its end."""

_LINE_END = re.compile(r"[.!?:;][\"'”’)\]]*\s*$")
_ITEM_START = re.compile(rf"^\s*{LIST_MARKER}\s")


def _continues(previous: str, line: str) -> bool:
    """Does ``line`` carry on ``previous`` (a sentence or a list item broken across lines in the source:
    "1. T listens to C, without" / "displaying a reaction,"), rather than start a new one?"""
    return bool(previous.strip()) and not _LINE_END.search(previous) and not _ITEM_START.match(line)


def _section(chunk: Chunk, units: Sequence[Unit], vectors: Sequence[np.ndarray]) -> tuple[int, int, np.ndarray] | None:
    """A chunk that opens with a heading and goes on with a few short lines ("How to Report a
    Concern" / "Contact the Club Welfare Officer" / "Sarah Connor – ..."): the heading and its
    lines as one unit (offsets relative to the chunk), with the vector of the heading and its
    lines together. The lines answer what the heading asks, though none does alone."""
    headings = [(u, v) for u, v in zip(units, vectors, strict=True) if u.is_heading]
    if not headings or chunk.heading_end <= 0:
        return None
    heading = headings[-1][0]
    body_start = chunk.heading_end + 1
    ends: list[int] = []  # where each line kept ends
    words = 0
    position = body_start
    previous = ""
    lines = chunk.text[body_start:].split("\n")
    for line in lines:
        count = len(line.split())
        if not count or count > _SECTION_LINE_WORDS or words + count > _SECTION_WORDS:
            break
        if len(ends) >= _SECTION_LINES and not _continues(previous, line):
            break
        words += count
        ends.append(position + len(line))
        position = ends[-1] + 1
        previous = line
    if len(ends) < len(lines) and previous.rstrip().endswith(":") and len(previous.split()) <= _SUB_ITEM_WORDS:
        ends.pop()  # cut short: not ending on a short lead-in whose list is left out ("Either:")
    if len(ends) < 2:
        return None
    end = ends[-1]
    body = [v for u, v in zip(units, vectors, strict=True) if body_start <= u.start and u.end <= end]
    if not body:
        return None
    vector = headings[-1][1] + np.mean(body, axis=0)
    return heading.start, end, _normalised(vector)


def _normalised(vector: np.ndarray) -> np.ndarray:
    """The vector at unit length (a sum or mean of unit vectors is not)."""
    unit: np.ndarray = vector / max(float(np.linalg.norm(vector)), 1e-12)
    return unit


_SUB_ITEM_WORDS = 12
"""A short line between two steps is one of the first step's own items ("Ofsted")."""


_STEP_NUMBER = re.compile(r"^\s*\(?(\d{1,2})[.)]\s")
_STEPS_MIN, _STEPS_WORDS = 3, 160
"""A numbered list is a candidate whole when it has at least 3 steps and at most 160 words."""


def _items_limit(step: str) -> int:
    """How long a line after ``step`` may be and still be one of its own items: a short line, or any
    line of the list a step brings in ("3. Alternative Contacts:" / "Middlesex County FA Welfare Officer:
    Rebecca Chapman – ... / 020 8515 6909")."""
    return _SECTION_LINE_WORDS if step.rstrip().endswith(":") else _SUB_ITEM_WORDS


def _steps(chunk: Chunk, units: Sequence[Unit], vectors: Sequence[np.ndarray]) -> list[tuple[int, int, np.ndarray]]:
    """Each run of numbered steps in a chunk ("1. ...", "2. ...", "3. ..."), from its first step to its
    last, with the mean vector of its units: what to do, in order, answers "how do I ..." though no
    step does alone. Offsets relative to the chunk."""
    found: list[tuple[int, int, np.ndarray]] = []
    run: list[tuple[int, int]] = []  # (start, end) of each step line
    items_end = 0  # the end of the short lines after the last step (its own items)
    expected = 1
    position = 0
    for line in [*chunk.text.split("\n"), ""]:
        number = _STEP_NUMBER.match(line)
        if number is not None and int(number.group(1)) == expected:
            run.append((position, position + len(line)))
            expected += 1
        elif number is not None and int(number.group(1)) == 1:
            run, expected = [(position, position + len(line))], 2
        elif run and not number and 0 < len(line.split()) <= _items_limit(chunk.text[run[-1][0] : run[-1][1]]):
            items_end = position + len(line)
        else:
            start, end = (run[0][0], run[-1][1]) if run else (0, 0)
            if run and chunk.text[start:end].rstrip().endswith(":") and items_end > end:
                end = items_end  # the last step's list ("3. Alternative Contacts:") goes with it
            if len(run) >= _STEPS_MIN and len(chunk.text[start:end].split()) <= _STEPS_WORDS:
                inside = [v for u, v in zip(units, vectors, strict=True) if start <= u.start and u.end <= end]
                if inside:
                    found.append((start, end, _normalised(np.mean(inside, axis=0))))
            run, expected = [], 1
        position += len(line) + 1
    return found


def _answers_heading_question(candidate: Candidate, question_terms: set[str]) -> bool:
    """Is the candidate the instruction that opens a section whose heading is itself the question asked
    ("4.1 How do I make a referral?" / "Telephone the Front Door on ...": every content word of the
    heading is among the question's)?"""
    chunk = candidate.passage.chunk
    if chunk.heading_end <= 0 or candidate.is_heading:
        return False
    if candidate.start - chunk.start > chunk.heading_end + 2 or not is_instruction(candidate.text):
        return False  # not the instruction that opens the section
    return _under_heading_question(candidate, question_terms)


def _under_heading_question(candidate: Candidate, question_terms: set[str]) -> bool:
    """Does the candidate stand in a section whose heading is itself the question asked ("4.3 What happens
    after a referral?": every content word of the heading is among the question's)?"""
    chunk = candidate.passage.chunk
    heading = chunk.section[-1] if chunk.section else ""
    words = _content_words(heading)
    return heading.rstrip().endswith("?") and len(words) >= 2 and words <= question_terms


def _content_words(text: str) -> set[str]:
    """The words of a heading or a clause that can name something: its terms, numbers aside ("4.1")."""
    return {t for t in term_set(text) if not t[:1].isdigit()}


_SITUATION_HEADING = re.compile(
    r"^\W*(?:\d{1,3}(?:\.\d{1,3}){0,3}\.?\s+)?"
    r"(?:(?:what|how)\s+(?:should|do|must|can)\s+(?:i|we|you|staff)\s+(?:do\s+|respond\s+|react\s+)?)?(?:if|when|where)\b",
    re.IGNORECASE,
)
"""A heading that names a situation ("If a child tells me something", "4.2 When a child discloses abuse", "3.1 What
should I do if a child tells me they are being harmed?")."""

_VAGUE = term_set(" ".join(QUESTION_WORDS))
"""Words a heading may hold without naming anything ("something", "anyone")."""

_IF = re.compile(r"\bif\b", re.IGNORECASE)
_CONDITION = re.compile(r"^\W{0,3}(?:if|where|when|should)\b([^,;:]{3,150}),", re.IGNORECASE)
"""A sentence that opens with the case it is for ("If the concern is about the CSO, report it ...")."""


def _case_put(profile: QuestionProfile, wording: str) -> set[str]:
    """The case a question puts after its "if", to its first comma, in the question's words and their
    synonyms ("the concern is about the CSO himself" of "what if the concern is about the CSO himself?");
    empty when it puts none."""
    case = _IF.split(wording, maxsplit=1)
    if len(case) < 2:
        return set()
    words = term_set(re.split(r"[,;.?!]", case[1], maxsplit=1)[0])
    return set().union(*(g.alternatives for g in profile.groups if g.alternatives & words), words)


def _meets_condition(text: str, case_terms: set[str]) -> bool:
    """Does a sentence open with the case a question puts ("If the concern is about the CSO, ..." for "what if
    the concern is about the CSO himself?"): every content word of its opening clause, two at least, is among
    the case the question puts after its "if" (all but one of three or more)?"""
    match = _CONDITION.match(text)
    if match is None:
        return False
    words = _content_words(match.group(1)) - _VAGUE
    # "If the allegation is about the Nursery Manager" for "what if the allegation is about the manager?": one
    # word of a longer clause may be the document's own
    shared = len(words & case_terms)
    return shared >= 2 and len(words) - shared <= 1


def _names_situation(candidate: Candidate, question_terms: set[str]) -> bool:
    """Is the candidate in a section whose heading names the situation a question describes ("If a child
    tells me something", "When a child discloses abuse" for "A child tells me they are being hurt: what
    do I do?"): every content word of an If/When heading, two at least, is among the question's?"""
    chunk = candidate.passage.chunk
    heading = chunk.section[-1] if chunk.section else ""
    opening = _SITUATION_HEADING.match(heading)
    if candidate.is_heading or not opening:
        return False
    words = _content_words(heading[opening.end() :]) - _VAGUE
    return len(words) >= 2 and words <= question_terms


def _times_event(
    candidate: Candidate,
    header: str,
    head: Sequence[TermGroup],
    modifiers: Sequence[TermGroup],
    abbreviations: set[str],
    kinds: set[str],
    doing: Sequence[TermGroup] = (),
    identity: frozenset[str] = frozenset(),
) -> bool:
    """Does the candidate give the time of the event asked about ("When must the allegations
    management meeting be held?")?

    The thing itself ("meeting") and at least half of what kind it is ("allegations management")
    stand in the sentence or its heading, not another of its kind ("first core group meeting"); an
    abbreviation for the whole thing counts ("Initial Case Conferences" is the ICPC the question
    spells out). They stand as what is timed, not as what the time counts from ("held within 15
    working days of the strategy discussion at which the section 47 enquiry was agreed" is not the
    enquiry's time). Where the sentence names its own timed thing ("a transfer-in conference is held
    within ...", or a timescales table row's first cell), that thing is the one asked about, and of
    the kind asked about (a child protection conference's time is not a child in need meeting's)."""
    text = fold(f"{header} {candidate.text}")
    own_text = term_set(without_anchors(text))
    timed = own_text | term_set(candidate.passage.chunk.section_path)
    stated = timed_subject(fold(candidate.text))
    if not stated and not header and refers_to_earlier_time(fold(candidate.text).lower()):
        # "... the fifteen working days run from the last one": the time, and what it times, are
        # the sentence before's
        chunk = candidate.passage.chunk
        before = chunk.text[: candidate.start - chunk.start]
        spans = sentence_spans(before)
        if spans:
            stated = timed_subject(fold(before[spans[-1][0] : spans[-1][1]]))
    if stated:
        own = term_set(stated)
        if abbreviations & own:
            return True
        # "Referrals to children's social care are made within 24 hours" (under "Responding to concerns")
        # times the concerns referred
        if not any(g.matches(own) for g in (*head, *doing)):
            return False
    elif abbreviations & own_text:
        return True
    # the kind the sentence names for what it times, else the kind its heading names
    if other_kind(kinds, stated or without_anchors(text), fold(candidate.passage.chunk.section_path)):
        return False
    # (a kind the document's own name gives is met by each of its sentences: the "safeguarding file" of a
    # safeguarding policy is the file it keeps, "their child protection file")
    kind = sum(g.matches(timed | identity) for g in modifiers)
    return any(g.matches(timed) for g in head) and kind * 2 >= len(modifiers)


def _head_group(profile: QuestionProfile, phrase: str) -> TermGroup | None:
    """The question's word group for the head (last word) of a phrase it names ("records" of "child
    protection records"), or None when the phrase is empty."""
    words = phrase.split()
    head = term_set(words[-1]) if words else frozenset()
    return next((g for g in profile.groups if head & g.alternatives), None)


def _a_table(text: str) -> bool:
    """Is a section (its heading aside) mostly rows of cells?"""
    lines = [line for line in text.splitlines()[1:] if line.strip()]
    return bool(lines) and 2 * sum(is_pipe_row(line) for line in lines) > len(lines)


def _items_matching(text: str, groups: Sequence[TermGroup]) -> float:
    """The share of a section's items (its lines after the first) that name one of the groups' words."""
    items = [line for line in text.splitlines()[1:] if line.strip()]
    if not items or not groups:
        return 0.0
    return sum(1 for item in items if any(g.matches(term_set(item)) for g in groups)) / len(items)


def _another_level(candidate: Candidate, selected: Sequence[Candidate]) -> bool:
    level = level_heading(candidate)
    return bool(level) and all(level_heading(s) != level for s in selected)


def level_heading(candidate: Candidate) -> str:
    """The nearest heading above a unit that names a level of need ("7. Level 4: Specialist"), or ""."""
    return next((h for h in reversed(candidate.passage.chunk.section) if LEVEL_HEADING.search(h)), "")


_AGES_HEADER = re.compile(r"\bages?\b", re.IGNORECASE)
"""A table's first column that gives ages ("Age of children", "Age group")."""
_AGE_WORD = re.compile(r"(?:u|under)?-?(\d{1,2})s?")


def _age_asked(profile: QuestionProfile, question: str) -> int | None:
    """The age a (folded, lower-case) question asks about: in a follow-up ("and for 3 year olds?") the one
    just typed, else the first; none for a described situation, whose age is a fact set beside the
    criteria, shown whether met or not."""
    asked = [] if profile.situation else asked_ages(question)
    typed = (a for a in asked if any(_names_age(w, a) for w in profile.new_words))
    return next(typed, asked[0] if asked else None)


_DETERMINERS = frozenset({"the", "a", "an", "our", "their", "its", "this", "that", "his", "her", "my", "your"})


def _qualified(profile: QuestionProfile, question: str, names: set[str]) -> list[tuple[TermGroup, TermGroup]]:
    """The (qualifier, head) pairs of a (folded, lower-case) question's adjacent key words: "masters squad",
    "medicine records", "day trip" (not a name the question gives, nor a number)."""
    groups = [g for g in profile.key_groups if not g.generic and g.word not in names and not g.word[:1].isdigit()]
    words = word_tokens(question)
    pairs: list[tuple[TermGroup, TermGroup]] = []
    # a kind named after an article ("the masters squad", "a day trip"), not a possessive ("the board's budget")
    for before, first, second in zip(words, words[1:], words[2:], strict=False):
        if before not in _DETERMINERS or first.endswith("'s") or first in STOPWORDS or second in STOPWORDS:
            continue
        qualifier = next((g for g in groups if g.matches(term_set(first))), None)
        head = next((g for g in groups if g.matches(term_set(second))), None)
        if qualifier is not None and head is not None and qualifier is not head:
            pairs.append((qualifier, head))
    return pairs


def _other_kind_of(head: TermGroup, qualifier: TermGroup, text: str) -> bool:
    """Does a text name the head with another word before it ("competitive squads" for the masters squad)?"""
    words = word_tokens(fold(text).lower())
    return any(
        head.matches(term_set(second))
        and first[0].isalpha()
        and first not in STOPWORDS
        and not qualifier.matches(term_set(first))
        for first, second in pairwise(words)
    )


def _spans(folded: str) -> frozenset[str]:
    """The lengths of time a (folded) text names ("2 years", "15 working days"), lower case."""
    return frozenset(" ".join(m.group(0).lower().split()) for m in DURATION.finditer(folded))


def _ages(candidate: Candidate, header: str) -> list[tuple[int, int]]:
    """The age bands a unit (with its table's header) gives its rule for."""
    ages = age_ranges(fold(f"{header} {candidate.text}").lower())
    if not ages and candidate.text.rstrip().endswith(":"):
        # "The minimum adult to child ratios we use are:": the ages are its list's
        ages = age_ranges(fold(_with_list(candidate).text).lower())
    if not ages and candidate.is_row and _AGES_HEADER.search(_first_cell(header)):
        # "2 years | 1:5 | ..." under "Age of children | Adults : children"
        ages = age_ranges(fold(_first_cell(candidate.text)).lower(), ages_column=True)
    return ages


def _names_age(word: str, age: int) -> bool:
    """Is a question's word the age, or age group, it asks about ("9", "u9s" for the under 9s, "15")?"""
    if CHILD_AGE_WORDS.get(word) == age:
        return True  # "babies"
    match = _AGE_WORD.fullmatch(word)
    return match is not None and int(match.group(1)) - age in (0, 1)


def _stands_in_for_owner(text: str, owner: Sequence[TermGroup]) -> bool:
    """Does a sentence give what to do when the one asked about cannot be reached ("If the Club Welfare Officer
    is not available, contact ...": its opening clause names them as unavailable)?"""
    clause = fold(text.split(",")[0]).lower()
    return says_unreachable(clause) and all(g.matches(term_set(clause)) for g in owner)


def _record(candidate: Candidate) -> frozenset[str]:
    """For a label and its value ("Email: welfare@..."), the words of the labelled lines around it, which
    describe the same person or body ("Name: Priya Shah", "Telephone: ..."); otherwise none."""
    if not _LABELLED.match(candidate.text):
        return frozenset()
    chunk = candidate.passage.chunk
    lines = chunk.text.split("\n")
    spans = _lines(chunk.text)
    # a field is a line of its own ("Email: ..."), not a label inside a paragraph of them
    whole = (candidate.start - chunk.start, candidate.end - chunk.start)
    at = next((n for n, span in enumerate(spans) if span == whole), None)
    if at is None:
        return frozenset()

    def field(n: int) -> bool:
        return bool(_LABELLED.match(lines[n]) and _FIELD.match(lines[n])) and len(lines[n].split()) <= 12

    first, last = at, at
    while first > 0 and field(first - 1):
        first -= 1
    while last + 1 < len(lines) and field(last + 1):
        last += 1
    return term_set(" ".join(lines[first : last + 1]))


def _first_cell(row: str) -> str:
    """A table row's first cell ("Neglect" of "Neglect | The persistent failure ...")."""
    return row.split(" | ", 1)[0]


def _row_named(candidate: Candidate, question_terms: set[str]) -> bool:
    """Is the candidate a table row whose first cell names what the question asks about ("Neglect | ..."
    for "how is neglect defined?"; "LADO | Karen Mills | ..." for "who is the LADO?")?"""
    if not candidate.is_row or " | " not in candidate.text:
        return False
    label = term_set(_first_cell(candidate.text))
    return bool(label) and label <= question_terms


def _defines_row(candidate: Candidate, question_terms: set[str]) -> bool:
    """Is the candidate a table row that defines what the question asks about: under a column of definitions
    ("Type of Abuse | Definition | Signs"), its first cell the thing asked ("Neglect | The persistent ...")?"""
    return _row_named(candidate, question_terms) and bool(DEFINING_COLUMN.search(table_header(candidate)))


def table_header(candidate: Candidate) -> str:
    """The header row of the table a candidate row belongs to ("Years 2013-14 2014-15"), if known."""
    return header_of_row(candidate.passage.chunk, candidate.start)


def _lines(text: str) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    position = 0
    for line in text.split("\n"):
        spans.append((position, position + len(line)))
        position += len(line) + 1
    return spans


def _bears_on(profile: QuestionProfile, candidate: Candidate) -> bool:
    """Does a unit (with its section's own heading) name any of the question's words?"""
    heading = " ".join(candidate.passage.chunk.section[-1:])  # the heading it sits directly under
    header = table_header(candidate) if candidate.is_row else ""
    terms = term_set(f"{heading} {header} {candidate.text}")
    return any(g.matches(terms) for g in profile.groups)


def _quoted_once(selected: Sequence[Candidate]) -> list[Candidate]:
    """The selection with each stretch of text quoted once: a quote overlapping an earlier one is
    dropped, or takes its place when it holds it (the whole list for one of its items)."""
    kept: list[Candidate] = []
    for candidate in selected:
        at = next((n for n, k in enumerate(kept) if _overlaps(candidate, k)), None)
        if at is None:
            kept.append(candidate)
        elif candidate.start <= kept[at].start and kept[at].end <= candidate.end:
            kept[at] = candidate
            # it may hold later quotes too
            kept = [k for n, k in enumerate(kept) if n == at or not _overlaps(k, candidate)]
    return kept


def _overlaps(a: Candidate, b: Candidate) -> bool:
    return a.passage.chunk.doc_id == b.passage.chunk.doc_id and a.start < b.end and b.start < a.end


_VALUE_PATTERNS = {
    "duration": (DURATION, FREQUENCY),
    "frequency": (FREQUENCY, DURATION),
    "percentage": (re.compile(r"(?<![\d.])\d{1,12}(?:\.\d{1,6})?\s?%"),),
    "money": (re.compile(r"£\s?\d[\d,]{0,20}(?:\.\d{1,4})?(?:\s?(?:million|m|k)\b)?"),),
}
_DIFFERING_SCORE = 0.85
"""Another document's statement counts as the same fact stated differently only when it scores this
close to the best one (and fits the question's type, and names every key word the best one names)..."""
_SAME_RULE = 0.85
"""... and when the two sentences say nearly the same thing (cosine of their vectors): the same rule
worded by two documents, not two rules about neighbouring subjects."""


def _values(kind: str, text: str) -> frozenset[str]:
    """The values of the asked-for kind a text states, folded ("15 working days", "annually", "65%")."""
    folded = fold(text)
    return frozenset(
        " ".join(m.group(0).split()) for pattern in _VALUE_PATTERNS[kind] for m in pattern.finditer(folded)
    )


_RULE_VALUES = ("duration", "frequency")
"""Kinds of value a document states as a rule, which it may repeat (in its text, then in a table of timescales)."""


def without_restatements(expects: str, selected: Sequence[Candidate]) -> list[Candidate]:
    """The quotes less those that state only timescales an earlier quote of the same document states
    ("Strategy discussion | Two working days; the same day ..." after "It must take place within two working
    days ... on the same day"). Another document's, which may differ, is never a repetition; nor are two
    amounts (two agencies may give the same sum)."""
    if expects not in _RULE_VALUES:
        return list(selected)
    kept: list[Candidate] = []
    for candidate in selected:
        values = _values(expects, candidate.text)
        own = [k for k in kept if k.passage.chunk.doc_id == candidate.passage.chunk.doc_id]
        if not (values and own and values <= frozenset().union(*(_values(expects, k.text) for k in own))):
            kept.append(candidate)
    return kept


def _differing(
    profile: QuestionProfile,
    best: Candidate,
    candidates: Sequence[Candidate],
    key_words: set[str],
    vectors: dict[tuple[str, int, int], np.ndarray],
) -> Candidate | None:
    """Another document's statement of the same subject with a different value of the kind asked for."""
    if profile.expects not in _VALUE_PATTERNS or not best.fits:
        return None
    stated = _values(profile.expects, best.text)
    subject = best.matched & key_words
    if not stated or not subject:
        return None
    for other in candidates[1:]:
        if other.score < _DIFFERING_SCORE * best.score:
            break
        if other.passage.chunk.doc_id == best.passage.chunk.doc_id or not other.fits or other.is_heading:
            continue
        if not subject <= other.matched or other.missing_names or other.year_mismatch:
            continue
        if float(np.dot(vectors[best.key], vectors[other.key])) < _SAME_RULE:
            continue
        values = _values(profile.expects, other.text)
        if values and values.isdisjoint(stated):
            return other
    return None


_CRITERION_SCORE = 0.5
"""A criterion stating conditions on a situation is quoted when it scores at least this share of the best unit."""


_CRITERION_POOL = 5
"""How many of the best units are searched for a criterion that supports a described situation."""


def _states_criterion(profile: QuestionProfile, candidates: Sequence[Candidate], key_words: set[str]) -> bool:
    """Does one of these units name every key word of the question itself and state a condition of a
    kind the situation describes ("under the age of 16" for "a 14-year-old")?"""
    if not profile.situation:
        return False
    kinds = {fact.kind for fact in profile.situation} & MEASURED
    # what the question itself asks ("What level would that be?"), when its only words are ones the
    # documents use everywhere ("level"): those words, not the situation's, must be met
    asked = term_set(ask_part(profile.original or profile.text))
    wanted = (
        key_words
        if any(not g.generic for g in profile.groups)
        else {g.word for g in profile.groups if g.matches(asked)}
    )
    wanted = wanted or key_words
    # "... says she wants to come to her conference. Can she?": a question asked in pronouns only
    # is about the situation as a whole, so half of its words are enough
    share = 0.5 if not asked else 1.0
    return any(
        len(wanted & c.in_context) >= share * len(wanted) and conditions(c.text, kinds)
        for c in candidates
        if not c.is_heading
    )


def _criterion_first(
    profile: QuestionProfile,
    selected: list[Candidate],
    candidates: Sequence[Candidate],
    best: Candidate,
    limit: int,
) -> tuple[list[Candidate], tuple[tuple[Candidate, str, str], ...]]:
    """The criterion whose conditions are of the kinds the situation states (an age limit, a length of
    time), quoted first, with each condition beside what the situation says about it (who the child
    is with too, when the criterion says who may not care for them)."""
    kinds = {fact.kind for fact in profile.situation}
    pool = [c for c in candidates if not c.is_heading and c.score >= _CRITERION_SCORE * best.score]
    criterion = next((c for c in [*selected, *pool] if conditions(c.text, kinds & MEASURED)), None)
    if criterion is None:
        return selected, ()
    # the sentence after a criterion often completes it ("Close relatives are grandparents, ...")
    following = next((c for c in candidates if _follows(criterion, c) and not c.is_heading), None)
    lead = [criterion] if following is None else [criterion, following]
    rest = [c for c in selected if not any(_overlaps(c, x) for x in lead)]
    selected = [*lead, *rest][: max(limit, len(selected))]
    found = tuple(
        (criterion, words, stated(fact))
        for kind, words in conditions(criterion.text, kinds)
        for fact in profile.situation
        if fact.kind == kind
    )
    return selected, found


def _lead(profile: QuestionProfile, selected: Sequence[Candidate]) -> str:
    """For a yes/no question that states a figure, say whether the documents agree."""
    if profile.expects != "yesno" or not profile.numbers or profile.situation:
        return ""
    evidence = fold(" ".join(c.text for c in selected))
    stated = [(m.group(1), m.group(2)) for m in NUMBER_UNIT.finditer(evidence)]
    agree = all(any(n == sn and u == su for sn, su in stated) for n, u in profile.numbers)
    conflict = any(any(u == su and n != sn for sn, su in stated) for n, u in profile.numbers)
    if agree:
        return "Yes, the documents give that figure:"
    if conflict:
        return "No, the documents give a different figure:"
    return ""


def _citation(n: int, candidate: Candidate) -> Citation:
    return Citation.from_chunk(n, candidate.passage.chunk, candidate.start, candidate.end, quote=candidate.text)
