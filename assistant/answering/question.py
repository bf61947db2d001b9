"""Understanding a question: what kind of answer it wants, its key terms, and follow-ups.

Everything here is deterministic and rule-based. A question's *expected evidence*
("how many" wants a figure, "within how long" a time) lets the answerer refuse a
passage that is on topic but does not hold the asked-for fact. A follow-up ("and the
year before?") is rewritten into a standalone question from the conversation.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field

from assistant.answering.scenario import Fact, ask_part, situation
from assistant.models import Turn
from assistant.text.cues import NUMBER_UNIT, question_type
from assistant.text.normalise import (
    QUESTION_WORDS,
    STOPWORDS,
    fold,
    query_terms,
    spelled_out,
    stem_tokens,
    strip_years,
    term_set,
    word_tokens,
    years,
)
from assistant.text.vocabulary import ABBREVIATIONS, DOCUMENT_VOCABULARY, GENERIC_NAME_WORDS

__all__ = [
    "QuestionProfile",
    "TermGroup",
    "profile_question",
    "split_question",
    "standalone_part",
    "standalone_question",
]

# Words that say what kind of fact is wanted, or that any report contains: they do not
# decide whether the documents cover the question.
GENERIC = frozenset(
    stem_tokens(
        """number numbers figure figures total amount percentage percent proportion share rate
        rates level levels year years annual current currently recent recently latest last time
        times overall exactly approximately roughly around about report reports reported document
        documents say says state states mention mentions guidance according data statistic
        statistics information detail details happen happened happens take takes taken place
        need needs needed make makes made get gets give given go goes going mean means meant
        count counts counted define defined definition explain describe kind kinds type types
        thing things way ways someone something anyone anything people person able also still
        new main key important specific actual actually really whole part parts set sort lot
        lots bit area areas issue issues case cases work works working done do does did
        long quick quickly soon often right true correct wrong accurate so get got give gave tell
        brief briefly summary summarise overview enough difference differences differ differs
        distinguish versus vs opposed""".split()
    )
)
_REACHING = frozenset(stem_tokens("call ring phone telephone contact email speak talk reach hold".split()))
"""How a question asking who to reach, or their number, says "reach" ("who do I call out of hours?", "get hold of"):
the asking, not what the evidence must say (a contact list gives a name and a number, not "call")."""


_FOLLOW_UP_START = re.compile(
    r"^(and|but|also|so|what about|how about|and what|what of|same for|then|ok|okay|and how|and for|and in)\b",
    re.IGNORECASE,
)
_ANAPHORA = re.compile(
    r"\b(it|its|they|them|their|those|that|this|these|there|he|she|the same|such|ones?)\b", re.IGNORECASE
)
_RELATIVE_YEAR = re.compile(
    r"\b(?:(?:the\s+)?(?:year|financial year|period)\s+(?:before|earlier|prior)"
    r"|(?:the\s+)?(?:previous|prior|preceding|last)\s+(?:financial\s+)?year"
    r"|(?:the\s+)?year\s+after|(?:the\s+)?(?:following|next)\s+(?:financial\s+)?year"
    r"|a year (?:earlier|before|later))\b",
    re.IGNORECASE,
)
_YEAR_SPAN = re.compile(r"\b(20\d\d)(\s*[/-]\s*|\s+to\s+)(20)?(\d\d)\b")


@dataclass(frozen=True)
class TermGroup:
    """One content word of the question with the alternatives that count as a match."""

    word: str
    alternatives: frozenset[str]
    phrases: tuple[tuple[str, ...], ...] = ()
    weight: float = 1.0
    generic: bool = False

    def matches(self, terms: AbstractSet[str]) -> bool:
        if self.alternatives & terms:
            return True
        return any(phrase and all(t in terms for t in phrase) for phrase in self.phrases)


@dataclass(frozen=True)
class QuestionProfile:
    """A question made ready for answering."""

    text: str
    expects: str
    groups: tuple[TermGroup, ...]
    numbers: tuple[tuple[str, str], ...] = ()
    stated_numbers: tuple[str, ...] = ()
    """Plain numbers the question itself states ("of the nine deaths")."""
    years: tuple[str, ...] = ()
    """Financial years the question asks about ("2014-15")."""
    names: frozenset[str] = frozenset()
    """Folded words the question capitalises mid-sentence: places, organisations, people."""
    initials: frozenset[str] = frozenset()
    """Folded words the question writes in capitals that the glossary does not know ("at HVFC"): an
    organisation's initials, or an abbreviation the documents may use."""
    references: frozenset[str] = frozenset()
    """Words that say which document is meant ("the Lexden policy"), not what is asked about."""
    new_words: frozenset[str] = frozenset()
    """In a follow-up, the words the user just typed (the rest came from earlier turns)."""
    said: str = ""
    """In a follow-up, the answer just given: what the user has read already."""
    is_multi_part: bool = False
    situation: tuple[Fact, ...] = ()
    """What a described situation states (an age, how long, a percentage): "A 15-year-old ... for five weeks"."""
    original: str = ""
    notes: list[str] = field(default_factory=list)

    @property
    def typed(self) -> bool:
        """Does the question ask for a specific kind of fact that the evidence must hold?"""
        return self.expects in {
            "percentage",
            "money",
            "frequency",
            "duration",
            "number",
            "date",
            "change",
            "contact",
            "age",
            "ratio",
        }

    @property
    def key_groups(self) -> tuple[TermGroup, ...]:
        keys = tuple(g for g in self.groups if not g.generic)
        return keys or self.groups


_DOCUMENT_KINDS = frozenset(DOCUMENT_VOCABULARY["document_kind_words"])
_NAME_PARTS = GENERIC_NAME_WORDS
_POSSESSIVES = frozenset("our your their its his her my this that".split())
_APOSTROPHES = str.maketrans({"’": "'"})


def _document_references(question: str, names: frozenset[str]) -> set[str]:
    """Words that refer to a document rather than ask about something: "the Lexden policy",
    "Hanworth Villa's procedures", "Westbrook threshold guidance", "our policy"."""
    words = re.findall(r"[\w'’-]+", question.translate(_APOSTROPHES).lower())
    found: set[str] = set()
    for i, word in enumerate(words):
        if word not in _DOCUMENT_KINDS:
            continue
        for before in reversed(words[max(0, i - 3) : i]):
            bare = before.removesuffix("'s")
            if before.endswith("'s") or bare in names or before in _POSSESSIVES:
                found.add(word)
                break
            if before not in _NAME_PARTS:
                break
    return found


_SCENE_WEIGHT = 0.5
"""How much a described situation's own words weigh beside the words of the question itself."""


def profile_question(
    question: str, *, weights: dict[str, float] | None = None, expects: str | None = None
) -> QuestionProfile:
    """Groups of terms (with synonyms and abbreviations) and the expected kind of evidence.

    ``weights`` lowers the weight of words inherited from earlier turns of a conversation.
    """
    folded = fold(question)
    facts = situation(question)
    asked = ask_part(question)  # "A 15-year-old ... five weeks. Is that private fostering?": the last part asks
    kind = expects or question_type(asked)
    premise_numbers = kind == "yesno"
    raw_words = [t for t in word_tokens(folded) if t not in STOPWORDS and t not in QUESTION_WORDS]
    # a described situation's own words ("living with a family friend") set the scene: the documents'
    # criteria need not repeat them, so they do not count as key words (the question's own part does)
    asked_words = [t for t in word_tokens(fold(asked)) if t not in STOPWORDS and t not in QUESTION_WORDS]
    # "... says she wants to come to her conference. Can she?": a question that asks in pronouns
    # only is asked by the situation it describes, so its words are the question's own
    scene = set(word_tokens(folded)) - set(word_tokens(fold(asked))) if facts and asked_words else set()
    names = _proper_names(question)
    references = _document_references(question, names)
    groups: list[TermGroup] = []
    seen: set[str] = set()
    # "children in care": each of its words is also met by what it spells out ("240 LAC")
    spelled = spelled_out(question)
    for word in raw_words:
        stem = stem_tokens([word])[0]
        if stem in seen or not stem:
            continue
        seen.add(stem)
        alternatives = set(query_terms(word))
        alternatives.add(stem)
        alternatives |= spelled.get(stem, set())
        phrases: list[tuple[str, ...]] = []
        if word in ABBREVIATIONS:
            for expansion in ABBREVIATIONS[word].split("|"):
                phrase = tuple(dict.fromkeys(t for t in query_terms(expansion, synonyms=False) if t != word))
                phrases.append(phrase)
                alternatives -= set(phrase)
        weight = (weights or {}).get(word, 1.0) * (_SCENE_WEIGHT if word in scene else 1.0)
        # a premise's or a situation's figures ("under 16, right?", "attendance down to 86%") are
        # compared with the documents', not looked for in them
        generic = (
            stem in GENERIC
            or (kind in ("person", "contact") and stem in _REACHING)
            or word in scene
            or word in references
            or ((premise_numbers or bool(facts)) and (word[:1].isdigit() or word == "%"))
        )
        groups.append(
            TermGroup(
                word=word,
                alternatives=frozenset(alternatives),
                phrases=tuple(phrases),
                weight=weight,
                generic=generic,
            )
        )
    # a premise's figures ("within 5 days, right?"), not the situation's ("for five weeks")
    numbers = tuple((m.group(1), m.group(2)) for m in NUMBER_UNIT.finditer(fold(asked)))
    stated = tuple(re.findall(r"(?<![\d.])\d+(?:\.\d+)?(?![\d.])", strip_years(folded)))
    asked_years = tuple(sorted(years(folded)))
    multi = bool(re.search(r"\?.+\?|\band (also )?(how|what|when|who|which|where|why)\b|\bboth\b", folded))
    return QuestionProfile(
        text=question,
        expects=kind,
        groups=tuple(groups),
        numbers=numbers,
        stated_numbers=stated,
        years=asked_years,
        names=names,
        initials=frozenset(w.lower() for w in re.findall(r"\b[A-Z]{3,}\b", question) if w.lower() not in ABBREVIATIONS),
        references=frozenset(references),
        new_words=frozenset(g.word for g in groups if weights and g.word not in weights and not g.generic),
        is_multi_part=multi,
        situation=facts,
        original=question,
    )


# capitalised in English but naming a time, never a document or an organisation ("on Saturday night")
_CALENDAR = frozenset(
    "january february march april may june july august september october november december "
    "jan feb mar apr jun jul aug sep sept oct nov dec "
    "monday tuesday wednesday thursday friday saturday sunday mon tue tues wed thu thur thurs fri sat sun "
    "christmas easter".split()
)
_SENTENCE_START = re.compile(r"(?:^|[.?!]\s+)([A-Z][\w'’-]*)")


def _proper_names(question: str) -> frozenset[str]:
    """Capitalised words that are not sentence starts, known abbreviations or generic."""
    starts = {m.group(1) for m in _SENTENCE_START.finditer(question)}
    words = re.findall(r"\b[A-Za-z][\w'’-]*", question)
    # (a sentence's first word is capitalised whatever it is: "What's the ratio at Elmsford Vale?")
    inner = [w for w in words if w not in starts and w != "I"]
    small = [w for w in inner if w.lower() in STOPWORDS]
    content = [w for w in inner if w.lower() not in STOPWORDS and w.lower() not in QUESTION_WORDS]
    capitalised = [w for w in content if w[0].isupper() and not w.isupper()]
    if (
        # a question typed in Title Case capitalises its small words too ("Who Is The DSL At ...")
        sum(w[0].isupper() for w in small) * 2 > len(small)
        if small
        else content and len(capitalised) > 0.6 * len(content)
    ):
        return frozenset()  # capitals say nothing
    names: set[str] = set()
    for word in re.findall(r"\b[A-Z][a-z][\w'’-]*", question):
        if word in starts:
            continue
        folded = fold(word).strip("'’")
        folded = re.sub(r"['’]s$", "", folded)
        if folded in ABBREVIATIONS or folded in STOPWORDS or folded in QUESTION_WORDS or folded in _CALENDAR:
            continue
        if stem_tokens([folded])[0] in GENERIC:
            continue
        names.add(folded)
    return frozenset(names)


def _shift_year(question: str, delta: int) -> str | None:
    match = _YEAR_SPAN.search(question)
    if match:
        start = int(match.group(1)) + delta
        end = (int(match.group(4)) + delta) % 100
        century = match.group(3) or ""
        return question[: match.start()] + f"{start}{match.group(2)}{century}{end:02d}" + question[match.end() :]
    plain = re.search(r"\b(20\d\d)\b", question)
    if plain:
        return question[: plain.start()] + str(int(plain.group(1)) + delta) + question[plain.end() :]
    return None


def _content_count(question: str) -> int:
    return sum(1 for g in profile_question(question).groups if not g.generic)


# A break starts at the comma or at the first of the spaces (never inside a run of spaces,
# which would make a long run cost quadratic time).
_PART_BREAK = re.compile(
    r"(?:,|(?<![\s,]))\s+and\s+(?:also\s+)?"
    r"(?=(?:how|what|when|who|which|where|why|did|does|do|is|are|was|were|has|have|had)\b)"
    r"|(?<=\?)\s+(?=\S)",
    re.IGNORECASE,
)
_HOLDERS_START = re.compile(r"who (?:are|were|is) (?=(?:the|our|your|their|its) )", re.IGNORECASE)
_SECOND_HOLDER = re.compile(r" and (?=(?:the|our|your|their|its) )", re.IGNORECASE)
_PREPOSITIONS = frozenset("to for with by from about of on in at into".split())
_PLACES = frozenset("at in for of".split())
_HOLDER_CHARS = 80


def _two_holders(question: str) -> tuple[str, str] | None:
    """The two roles of "Who are the Setting Manager and the Safeguarding Officer at Lexden?", each
    with the place the question names ("the Setting Manager at Lexden"), or None."""
    text = " ".join(question.split()).rstrip(" ?")
    start = _HOLDERS_START.match(text)
    if start is None or "," in text or "?" in text:
        return None
    rest = text[start.end() :]
    breaks = list(_SECOND_HOLDER.finditer(rest))
    if len(breaks) != 1:
        return None
    first, second = rest[: breaks[0].start()], rest[breaks[0].end() :]
    if len(first) > _HOLDER_CHARS or len(second) > _HOLDER_CHARS or second.split()[-1].lower() in _PREPOSITIONS:
        return None  # not "Who are the police and the council responsible to?"
    words = second.split()
    at = max((i for i, w in enumerate(words) if i > 1 and w.lower() in _PLACES), default=0)
    if at and not any(w.lower() in _PLACES for w in first.split()[1:]):
        first += " " + " ".join(words[at:])  # "at Lexden" names where both roles are held
    return first, second


_STATED_YEAR = re.compile(r"\b(?:20\d\d\s*[/-]\s*(?:20)?\d\d|20\d\d)\b")


def split_question(question: str) -> list[str]:
    """The parts of a question that asks two things at once.

    "How many LADO cases and how many child deaths were there in 2014-15?" becomes
    two questions, so that each part finds its own passage instead of the better-covered
    part crowding out the other. Each part must name something of its own (else the
    question is returned whole), and a year stated once applies to every part.
    """
    holders = _two_holders(question)
    if holders:
        first, second = holders
        if _content_count(first) and _content_count(second):
            return [f"Who is {first}?", f"Who is {second}?"]
    parts = [p.strip(" ,;") for p in _PART_BREAK.split(question.strip())]
    parts = [p for p in parts if p.strip(" ?")]
    # a part with no words of its own stands only when it points back at the other ("..., and how
    # often after that?": asked again of the same thing)
    if len(parts) < 2 or any(_content_count(p) == 0 and not _REFERS_BACK.search(p) for p in parts[1:]):
        return [question]
    if _content_count(parts[0]) == 0:
        return [question]
    stated = _STATED_YEAR.search(question)
    if stated:
        parts = [p if _STATED_YEAR.search(p) else f"{p.rstrip(' ?')} in {stated.group(0)}?" for p in parts]
    return [p if p.endswith("?") else f"{p}?" for p in parts]


_SUBJECT_WORD = re.compile(r"\b[A-Z]{2,12}s?\b|(?<=[a-z,] )[A-Z][a-z]{2,30}\b")
"""An acronym ("LADO", "NSPCC") or a capitalised word inside the sentence ("... the Ofsted ..."): a name."""


def _names_new_subject(question: str, history: Sequence[Turn]) -> bool:
    """Does the question name something (an acronym, a known abbreviation, a name) that no earlier turn
    mentioned? Then it is about that, not about what was said before."""
    said = term_set(" ".join(f"{t.question} {t.answer}" for t in history))
    names = [m.group(0) for m in _SUBJECT_WORD.finditer(question)]
    names += [w for w in re.findall(r"[a-z]{2,}", fold(question).lower()) if w in ABBREVIATIONS]
    return any(not term_set(name) & said for name in names)


# Narrower than _ANAPHORA: within one question "there" or "such" does not point at the other part.
_REFERS_BACK = re.compile(r"\b(it|its|they|them|their|that|this|these|those|he|she|his|her)\b", re.IGNORECASE)


def standalone_part(part: str, earlier: Sequence[Turn]) -> tuple[str, dict[str, float], str | None]:
    """A later part of a several-part question, standalone: it takes the earlier part as
    context only when it refers back to it ("... and what is it used for?")."""
    if earlier and _REFERS_BACK.search(part):
        return standalone_question(part, earlier)
    return part, {}, None


def standalone_question(
    question: str, history: Sequence[Turn], *, carry_answers: bool = True
) -> tuple[str, dict[str, float], str | None]:
    """Rewrite a follow-up into a standalone question.

    Returns (standalone text, per-word weights, expected kind inherited from the previous
    question or None). Words carried over from the previous question weigh less than
    the new question's own words, so "what about health?" looks for health.
    """
    if not history:
        return question, {}, None
    relative = _RELATIVE_YEAR.search(question)
    content = _content_count(question)
    anaphora = _ANAPHORA.search(question)
    if not (relative or _FOLLOW_UP_START.search(question.strip()) or (anaphora and content < 3) or content <= 1):
        return question, {}, None
    # a follow-up that asks for a kind of fact of its own ("How quickly does she refer concerns?") keeps
    # it: read from the combined text, the earlier question's kind ("What's her number?") would win
    own_kind = question_type(question)
    typed = own_kind not in ("open", "yesno", "list")
    if content == 1 and not anaphora and typed and _names_new_subject(question, history):
        # "What's the LADO's number?" after questions about the DSL: a new question with its own subject
        return question, {}, None
    # such a follow-up says what it is about; "she" is the earlier question's subject, not everything
    # the earlier answers listed (at any turn) - unless it only moves the year ("and the year before?")
    # ("How often do they do training?" after "And the deputies?": "they" are the deputies asked about,
    # not the names the key contacts answer listed)
    carry = carry_answers and not (typed and (content >= 2 or anaphora))
    # (a year moved on is moved in the earlier question as it was read, answers and all)
    read_with = carry_answers if relative else carry
    previous = history[-1].question
    if len(history) > 1:
        previous, _, _ = standalone_question(previous, history[:-1], carry_answers=read_with)
    inherited = own_kind if typed else question_type(previous)
    if relative:
        delta = (
            -1 if re.search(r"before|earlier|prior|previous|preceding|last", relative.group(0), re.IGNORECASE) else 1
        )
        shifted = _shift_year(previous, delta)
        rest = _RELATIVE_YEAR.sub(" ", question)
        rest = _FOLLOW_UP_START.sub(" ", rest.strip()).strip(" ?,.")
        if shifted is not None:
            text = shifted if _content_count(rest) == 0 else f"{shifted} {rest}?"
            return text, {}, inherited
    if read_with != carry and len(history) > 1:  # a year that could not be moved: read as any follow-up
        previous, _, _ = standalone_question(history[-1].question, history[:-1], carry_answers=carry)
    # The previous answer names what was found ("the police, at 65 per cent"): it helps
    # find the passage that a follow-up ("what about health?") is about.
    earlier = history[-1].answer
    said = (
        ""
        if not carry or "do not answer" in earlier.lower()
        else " ".join(re.sub(r"\[\d+\]", " ", earlier).split()[:40])
    )
    own = set(word_tokens(fold(question)))
    weights = {t: 0.5 for t in word_tokens(fold(said)) if t not in own}
    weights.update({t: 0.6 for t in word_tokens(fold(previous)) if t not in own})
    combined = " ".join(part for part in (previous.rstrip(), said, question.strip()) if part)
    return combined, weights, inherited
