"""Cue patterns: what kind of fact a question asks for, and what kind of fact a sentence states.

One list, used by question analysis (answering) and by the register's matcher (rules):
"how many" wants a count, "within how long" a time, "what counts as" a definition. The
patterns run on folded, lower-case text (see :func:`assistant.text.normalise.fold`); the
first that matches wins, so the more specific kinds come first. Every pattern is safe
against catastrophic backtracking (``tests/test_regex_safety.py`` fuzzes them).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from functools import lru_cache

from assistant.text.normalise import STOPWORDS, fold, term_set
from assistant.text.vocabulary import ABBREVIATIONS, CHILD_AGE_WORDS, CHILD_WORDS, given_names

__all__ = [
    "AGE_WORDS",
    "ASKS_LEVEL",
    "ASKS_RULE",
    "BASE_VERBS",
    "CONTACT",
    "DATE",
    "DEFINING_COLUMN",
    "DEFINITION",
    "DEFINITION_WEAK",
    "DURATION",
    "FREQUENCY",
    "INSTRUCTION",
    "LENGTH",
    "LEVEL_HEADING",
    "LIST_MARKER",
    "LONE_ONE",
    "NOT_A_COUNT",
    "NUMBER_UNIT",
    "PERSON_WORDS",
    "PHONE",
    "PROCEDURE",
    "RATIO",
    "STAFFING_RATIO",
    "STEP_VERBS",
    "TIME_SPAN",
    "TYPE_CUES",
    "about_a_child",
    "acted_on",
    "age_ranges",
    "asked_actions",
    "asked_actor",
    "asked_ages",
    "asked_bound",
    "asked_expansion",
    "asked_permission",
    "asks_how_long_kept",
    "asks_how_long_lasting",
    "asks_what_to_do",
    "contact_channel",
    "contact_owner",
    "defined_abbreviations",
    "event_subject",
    "event_verb",
    "has_figure",
    "is_instruction",
    "is_statistic",
    "named_kinds",
    "numbered_names",
    "other_kind",
    "other_number",
    "other_period",
    "period_scopes",
    "question_type",
    "recipient",
    "refers_to_earlier_time",
    "rules_on",
    "says_unreachable",
    "spells_out",
    "stated_bounds",
    "states_actions",
    "states_age",
    "states_channel",
    "states_step",
    "time_limit",
    "timed_subject",
    "unnamed_scale",
    "value_label",
    "whole_abbreviations",
    "without_ages",
    "without_anchors",
]


def _cue(*alternatives: str) -> re.Pattern[str]:
    """One pattern from readable alternatives (matched against folded, lower-case text)."""
    return re.compile("|".join(alternatives))


_CHANGE_VERBS = (
    r"(go up|go down|increase|increased|rise|rose|risen|fall|fell|fallen|drop|dropped|decrease|decreased|"
    r"change|changed|grow|grew|improve|improved)"
)
_MONEY_WORDS = r"(budget|cost|costs|spend|spent|contribut\w*|fund\w*|£|grant|paid|pay|money)"

# First match wins: the more specific kinds come first.
_CARERS = (
    r"(?:adults?|coach(?:es)?|staff|members? of staff|staff members?|leaders?|teachers?|volunteers?|helpers?|"
    r"supervisors?|instructors?|practitioners?|assistants?|carers?|childminders?)"
)
_CARED = (
    r"(?:children|child|kids?|swimmers?|players?|young people|bab(?:y|ies)|pupils?|participants?|members?|"
    r"under[ -]?\d{1,2}s)"
)
"""Who supervises and who is supervised, in a ratio ("one adult for every 8 children")."""
_SMALL = r"(?:\d{1,2}|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|sixteen|twenty)"

TYPE_CUES: list[tuple[str, re.Pattern[str]]] = [
    # "what's the adult to child ratio for the under 9s?", "how many swimmers per coach?"
    (
        "ratio",
        _cue(
            r"\bratios?\b",
            rf"\bhow many {_CARED}(?: (?:can|may|should|does|do) (?:an?|one|each|the) {_CARERS})?"
            rf" (?:per|to (?:each|every|one|an?)|for (?:each|every)) ",
            rf"\b{_CARED} per {_CARERS}\b",
            # "how many adults per child do you need?"
            rf"\bhow many {_CARERS} (?:per|for (?:each|every)) {_CARED}\b",
            rf"\bhow many {_CARERS} (?:are |do (?:we|you|i|they) )?(?:need(?:ed)?|required) (?:for|per|with)\b",
        ),
    ),
    (
        "percentage",
        _cue(
            r"\b(what|which)\s+(percentage|proportion|share|%|per\s*cent)",
            r"\bhow many per\s*cent",
            # "what ... rate": only the first "what" is tried (atomic), so a run of them is linear
            r"(?m:^)(?>.*?\bwhat\b).*\b(rate|percentage|proportion)\b",
            r"\bpercentage\b",
            r"%",
        ),
    ),
    (
        "change",
        _cue(
            r"\bby how much\b",
            rf"\bhow much (did|has|have|had|does|do|was|were)\b[\w\s'-]{{0,60}}\b{_CHANGE_VERBS}\b",
            r"\bhow (big|large|much) (was|is) the (increase|rise|drop|fall|decrease|change)\b",
        ),
    ),
    (
        "money",
        _cue(
            r"\bhow much money\b",
            rf"(?m:^)(?>.*?\b{_MONEY_WORDS}\b).*\bhow much\b",
            rf"(?m:^)(?>.*?\bhow much\b).*\b{_MONEY_WORDS}\b",
            r"\bwhat (was|is) (the )?([\w'-]+\s){0,3}(budget|cost|costs|contribution|funding)\b",
            r"\bwhat (did|does|do|will|would) [\w\s'-]{0,60}\bcost\b",
        ),
    ),
    (
        "contact",
        _cue(
            r"\b(phone|telephone|contact|helpline) (number|details)\b",
            r"\b(e-?mail|postal) address\b",
            # "the duty team's email", "their phone", "the email for the LADO"
            r"(?:'s|\b(?:their|his|her|its)) (?:e-?mail|phone|telephone|mobile|number)\b"
            r"(?! phones?\b| devices?\b| of\b)",
            r"\bthe (?:e-?mail|phone|telephone) (?:for|of)\b",
            r"\bwebsite\b",
            r"\bhow (do|can|should) (i|we|you|they) "
            r"(contact|reach|call|phone|ring|email|get hold of|get in touch with)\b",
            # "the out of hours number for social care", "what number do I ring": not a count
            r"\bnumber (for|to (call|ring|phone))\b",
            r"\bwhat number (do|should|can|would) (i|we|you|they) (call|ring|phone|use)\b",
            r"\b(out of hours|emergency|duty|office|mobile|freephone) (telephone |phone )?number\b",
            # "what's the swimming club's LADO number?": a name before "number", not a count's words
            r"\bwhat(?:'s| is) (?:the |their |his |her |its )?"
            r"(?!(?:total|overall|average|approximate|exact|same|largest|smallest|highest|lowest) )"
            r"(?:[a-z'-]{2,20} ){1,4}number\b(?! of)",
        ),
    ),
    # "what's the minimum age for a volunteer?", "how old do you have to be to ...?"
    (
        "age",
        _cue(
            r"\bhow old\b",
            r"\b(?:what|which) age\b",
            r"\b(?:minimum|maximum|min|max|youngest|oldest|upper|lower) age\b",
            r"\bage (?:limit|range|restriction)s?\b",
        ),
    ),
    # "when is the policy next reviewed?": a date in the document's schedule ("Next review: January 2026")
    ("date", _cue(r"\bwhen\b[\w\s'-]{0,40}\bnext (?:reviewed|updated|revised|due)\b", r"\bnext review date\b")),
    ("frequency", _cue(r"\bhow (often|frequently|regularly)\b", r"\bhow many times\b", r"\bwhat frequency\b")),
    (
        "duration",
        _cue(
            r"\bwithin how (many|long)\b",
            r"\bhow (long|quickly|soon)\b",
            r"\bhow many (working )?(days|weeks|months|hours|years)\b",
            r"\bhow much (?:[a-z-]{2,20} )?(notice|time|warning)\b",  # "how much screen time"
            r"\b(max|maximum|min|minimum|longest|shortest) (gap|period|time|interval|wait)\b",
            r"\bwhat(?:'s| is| was) the (longest|shortest)\b",
            r"\b(timescale|timeframe|time limit|deadline|time ?line)\b",
            r"\bby when\b",
            r"(?m:^)(?>.*?\bwhen (must|should|do|does|are|is|has|have|will)\b).*"
            r"\b(held|happen|take place|completed|done|carried out|offered|occur|convened|reviewed|assessed|"
            r"told|informed|notified|referred)\b",
            # "when do we have to tell Ofsted?", "when should I inform the LADO?"
            r"\bwhen (?:do|does|must|should) (?:we|i|you|they|staff|the [a-z]{1,20}(?: [a-z]{1,20})?) "
            r"(?:have to |need to )?(?:tell|inform|notify)\b",
        ),
    ),
    (
        "number",
        _cue(
            r"\bhow many\b",
            r"\bwhat (was|is|were|are) the (total )?number\b",
            r"\bnumber of\b",
            r"\bhow much\b",
            r"\bwhat (was|is) the (total|figure|count)\b",
            r"\bcount\b(?!s? (?:as|towards?|in|on)\b)",  # "what counts as ...", "count towards the ratio": not a count
        ),
    ),
    (
        "date",
        _cue(
            r"\bwhen (did|was|were|will)\b", r"\bwhat (year|month|date)\b", r"\bwhich (year|month)\b", r"\bsince when\b"
        ),
    ),
    (
        "person",
        _cue(
            # "who" asking, not "someone who works with children" (a relative clause)
            r"(?:^|[,;:?]\s?|\b(?:and|or|but|so|then|also|know|me|out|ask|sure|wondering) )(?:who|whose)\b",
            r"\bwho to\b",
            r"\bwhich (organisation|agency|agencies|body|team|service|person|officer|role)\b",
        ),
    ),
    (
        "definition",
        _cue(
            # one to four words: each word is followed by one space (or ends the question), so
            # a long word cannot be split into "words" in many ways
            # ("what is level 3?", "what is section 47?": a word may be a number)
            r"^(so )?what (is|are) (a |an |the )?[a-z'-]+(?:\s(?:[a-z'-]+|\d{1,3})){0,3}\s?\??$",
            r"\bwhat counts as\b",
            # from the start of a run of words only, to its first "what does" (atomic): the same
            # run tried from every "what does" in it costs quadratic time
            r"(?<![\w\s'-])(?>[\w\s'-]*?\bwhat (does|do) )[\w\s'-]+ mean\b",
            r"\bwhat is meant by\b",
            r"\bdefin(e|ition)\b",
            r"(?<![\w\s'-])(?>[\w\s'-]*?\bwhat('s| is) (a |an )?)[\w\s'-]+ arrangement\b",
        ),
    ),
    (
        "procedure",
        _cue(
            r"\bwhat (happens|should happen|must happen|should (i|we|they) do|do (i|we|they) do)\b",
            # "what should a coach do if ...?", "what must the nursery do ...?"
            r"\bwhat (should|must) (?:a|an|the|our|my|their) [a-z'-]+(?: [a-z'-]+)? do\b",
            r"\bwhat is the (process|procedure)\b",
            r"\bhow (should|do|does|must) [\w\s'-]{0,40}(respond|refer|report|handle|deal)\b",
            r"\bwhat (steps|action)\b",
            # "how do I escalate ...?", "how should staff make a referral?": what to do, step by step
            r"\bhow (do|does|should|can|must|would) (i|we|you|they|staff|practitioners)\b(?! know\b| tell if\b)",
        ),
    ),
    (
        "yesno",
        _cue(
            r"^(is|are|does|do|did|was|were|can|could|should|must|has|have|had|will|would)\b",
            # a statement with a tag: "..., doesn't it?", "..., right?"
            r",\s?(?:(?:is|was|are|were|does|do|did|has|have|had|can|could|would|will|should)n't|won't)"
            r" (?:it|they|he|she|there|we|you)\s?\??$",
            r",\s?(?:must|should|need)n't (?:it|they|he|she|there|we|you)\s?\??$",
            r",\s?(?:right|correct|true|yes)\s?\??$",
        ),
    ),
    (
        "list",
        _cue(
            r"\bwhat (are|were) the\b",
            r"\blist\b",
            r"(?m:^)(?>.*?\bwhich\b).*\b(are|were)\b",
            r"\bwhat (areas|priorities|services|agencies|standards|recommendations|challenges|risks|actions)\b",
            r"\bwhat (can|could|might|may) (come|result) (out )?of\b",
            r"\b(what|which) (kinds|types|forms|sorts|categories) of\b",
            # "what checks does the club do ...?": a plural asked for by what is done, several things
            r"^(so )?(what|which) [a-z]{2,20}[^s']s (do|does|did|should|must|will|can) ",
        ),
    ),
]


def question_type(question: str) -> str:
    """The kind of fact a question asks for ("duration", "number", "definition"... or "open")."""
    folded = fold(question).strip()
    for name, pattern in TYPE_CUES:
        if pattern.search(folded):
            return name
    return "open"


# -- what a sentence states --------------------------------------------------------------------

_DAY_KIND = r"(?:working|calendar|school|business|clear)"
"""What kind of days a time limit counts ("15 working days", "five school days")."""
NUMBER_UNIT = re.compile(rf"(?<![\d.])(\d{{1,9}}(?:\.\d{{1,6}})?)\s?(?:{_DAY_KIND}\s)?(%|day|week|month|year|hour)s?\b")
"""A figure with its unit ("15 working days" -> 15, day; "7%" -> 7, %), in folded text."""

_FREQUENCY_ADVERBS = (
    r"annual(?:ly)?|quarterly|monthly|weekly|biennial(?:ly)?|bi-?annual(?:ly)?|termly|daily|fortnightly"
)
"""How often, in one word ("quarterly"): a frequency, and loosely a length of time."""
_LENGTH = rf"\b\d+(?:\.\d+)?\s*(?:{_DAY_KIND}\s+)?(?:day|week|month|year|hour|hr|hrs|minute)s?\b"
LENGTH = re.compile(_LENGTH)
"""A length of time in figures ("3 years", "15 working days"): how long, or how often something recurs."""
TIME_SPAN = re.compile(
    rf"{_LENGTH}|"
    r"\b(?:shortly after|immediately|"
    r"same day|by (?:january|february|march|april|may|june|july|august|september|october|november|december)|"
    # "before the start of the next session", "by the end of the day", "the next working day", "without delay"
    r"before the (?:start of the )?next (?:session|day|working day|school day|shift)|"
    r"by the end of the (?:day|session|working day|school day|shift)|next working day|without delay|straight away|"
    r"as soon as (?:is )?(?:reasonably )?(?:possible|practicable))\b"
)
"""A time limit: a length of time, "immediately", "the same day", "by March" - not how often."""
_ANCHOR = re.compile(rf"(?P<span>{TIME_SPAN.pattern}) (?:of|after|from|following) [^.;:,]{{1,200}}")


def without_anchors(text: str) -> str:
    """A (folded) text without what its time limits count from: "held within 15 working days of the
    strategy discussion at which the section 47 enquiry was agreed" names when the conference is held,
    not when the enquiry starts."""
    return _ANCHOR.sub(r"\g<span>", text)


_EVERY = re.compile(
    r"\b(?:(?:at least |no less than )?every|at (?:regular )?intervals of(?: (?:not|no) more than| up to| at least)?)"
    rf" (?:\d+(?:\.\d+)? )?(?:{_DAY_KIND} )?(?:day|week|month|year|hour|term)s?\b"
)


_AGE = re.compile(
    r"\b\d{1,2} years? (?:of age|old)\b|\baged? (?:under |over )?\d{1,2}\b"
    # an age group, as a ratio table's rows name them: "2 year olds", "3 years and over", "under 2 years"
    r"|\b\d{1,2}[ -]years?[ -]olds?\b|\b\d{1,2} years? (?:and|or) (?:over|under|above|below|older|younger)\b"
    r"|\b(?:under|over) \d{1,2} years?\b"
)


def without_ages(text: str) -> str:
    """A (folded) text without its ages ("at least 14 years old"), which are no length of time."""
    return _AGE.sub(" ", text)


_STATED_AGE = re.compile(
    rf"{_AGE.pattern}|\bage of \d{{1,2}}\b|\b\d{{1,2}}\+|"
    r"\b(?:under|over|below|above) (?:the age of )?\d{1,2}s?\b|"
    r"\b\d{1,2} (?:or|and) (?:over|under|above|below|older|younger)\b"
)
AGE_WORDS = frozenset({"age", "aged", "ages", "old", "minimum", "maximum", "youngest", "oldest", "limit"})
"""The words an age question asks with ("the minimum age"): not what the age is asked of."""


def states_age(text: str) -> bool:
    """Does a (folded) text state an age ("aged 16 or over", "under 18", "a 15-year-old", "18+")?"""
    return bool(_STATED_AGE.search(text))


_NOT_AN_AGE = r"(?!\s?(?:hours?|hrs|days?|weeks?|months?|minutes?|mins|per\s?cent|%|miles?|metres?|players|children)\b)"
# an age group a question asks about: "under 9s", "U14", "under-12s", "a 12-year-old", "aged 15", "children under 2"
_AGE_ASKED = re.compile(
    rf"\b(?:under|u)[ -]?(\d{{1,2}})(?:s\b|'s\b|\b{_NOT_AN_AGE})"
    r"|\b(\d{1,2})[ -]?(?:years?[ -]olds?|yr[ -]olds?|year[ -]old)\b"
    r"|\baged? (\d{1,2})\b"
)
# the ages a sentence gives a rule for, each as (youngest, oldest)
_AGE_RANGES: tuple[tuple[re.Pattern[str], Callable[[int, int], tuple[int, int]]], ...] = (
    # "Under 7 to Under 9", "U10-U12": teams named by the age their players are under
    (
        re.compile(r"\b(?:under|u)[ -]?(\d{1,2})s?\s?(?:to|-|–|and)\s?(?:under|u)[ -]?(\d{1,2})s?\b"),
        lambda a, b: (a - 1, b - 1),
    ),
    # "aged 11 to 18", "11-16 year olds", "between 5 and 8 years"
    (
        re.compile(
            r"\b(?:aged?|ages|between)\s(\d{1,2})\s?(?:to|-|–|and)\s?(\d{1,2})\b"
            r"|\b(\d{1,2})\s?(?:to|-|–)\s?(\d{1,2})[ -]?(?:years?|year[ -]olds?|yr olds?)\b"
        ),
        lambda a, b: (a, b),
    ),
    # "aged 10 and under", "8 years or younger"
    (
        re.compile(r"\b(?:aged?\s)?(\d{1,2})\s(?:years?\s(?:old\s)?)?(?:and|or)\s(?:under|younger|below)\b()"),
        lambda a, _: (0, a),
    ),
    # "aged 16 and over", "aged 16+", "3 years and over"
    (
        re.compile(
            r"\b(?:aged?\s(\d{1,2})\s?(?:\+|(?:and|or)\s(?:over|older|above)\b)"
            r"|(\d{1,2})\s(?:years?\s(?:old\s)?)(?:and|or)\s(?:over|older|above)\b)()"
        ),
        lambda a, _: (a, 99),
    ),
    # "under-18s", "children under 2", "under the age of 16"
    (
        re.compile(rf"\b(?:under|u)[ -]?(?:the age of )?(\d{{1,2}})(?:s\b|\b{_NOT_AN_AGE})()"),
        lambda a, _: (0, a - 1),
    ),
    # "over the age of 12"
    (re.compile(rf"\bover (?:the age of )?(\d{{1,2}})\b{_NOT_AN_AGE}()"), lambda a, _: (a + 1, 99)),
)


def asked_ages(question: str) -> list[int]:
    """The ages a (folded, lower-case) question asks about, in order: the oldest of an age group ("under 9s":
    8), an age ("a 12-year-old": 12), a word for children of an age ("babies": 0; vocabulary data)."""
    ages = [
        (m.start(), int(m.group(1)) - 1 if m.group(1) else int(m.group(2) or m.group(3)))
        for m in _AGE_ASKED.finditer(question)
    ]
    ages += [(m.start(), CHILD_AGE_WORDS[m.group(0)]) for m in _age_words().finditer(question)]
    return [age for _, age in sorted(ages)]


@lru_cache(maxsize=1)
def _age_words() -> re.Pattern[str]:
    words = sorted(CHILD_AGE_WORDS, key=len, reverse=True)
    return re.compile(rf"\b(?:{'|'.join(map(re.escape, words))})\b" if words else r"(?!)")


_COLUMN_SPAN = re.compile(r"(?<![\d.:])(\d{1,2})\s?[-–]\s?(\d{1,2})(?![\d.:])")
"""Two ages joined, as a column of ages gives them ("All Stars (5-8)")."""
_ONE_AGE = re.compile(r"^\s?(\d{1,2})[ -]?(?:years?|year[ -]olds?|years?[ -]old)\s?$")
"""An age alone, as a table's age column gives it ("2 years")."""


def age_ranges(text: str, *, ages_column: bool = False) -> list[tuple[int, int]]:
    """The ages a (folded, lower-case) sentence gives its rule for, as (youngest, oldest): "For players aged 10
    and under ..." -> [(0, 10)]; "Under 7 to Under 9 | 1:8" -> [(6, 8)]. ``ages_column``: the text is a cell of
    a column of ages, where an age alone ("2 years") is one."""
    found: list[tuple[int, int]] = []
    for pattern, ages in _AGE_RANGES:
        for match in pattern.finditer(text):
            numbers = [int(g) for g in match.groups() if g]
            found.append(ages(numbers[0], numbers[-1]))
        text = pattern.sub(" ", text)
    if not ages_column or found:
        return found
    lone = _ONE_AGE.match(text)
    if lone:
        return [(int(lone.group(1)), int(lone.group(1)))]
    span = _COLUMN_SPAN.search(text)  # "All Stars (5-8)"
    if span and int(span.group(1)) <= int(span.group(2)):
        return [(int(span.group(1)), int(span.group(2)))]
    return []


# What a time-limit question asks to be done, and the words evidence of that action uses: a time to
# send a file is not how long it is kept, how soon someone is phoned, nor how much notice is given
_ACTIONS = (
    (  # "how long does the nursery keep records for?"
        re.compile(
            r"\bhow long\b.{0,60}\b(?:keep|keeps|kept|retain|retains|retained|store|stores|stored|"
            r"(?:hold|holds|hang|hangs) on ?to)\b"
        ),
        re.compile(r"\b(?:keep|keeps|kept|retain\w*|retention|stor(?:e|ed|es|age)|destroy\w*|archiv\w*)\b"),
    ),
    (  # "how quickly must the officer phone the LSCB?"
        re.compile(
            r"\b(?:how (?:quickly|soon|long)|when|within how)\b.{0,60}"
            r"\b(?:phone|call|ring|telephone|speak to|talk to)\b"
        ),
        re.compile(
            r"\b(?:phon\w*|call\w*|ring|rung|telephon\w*|contact\w*|speak\w*|spoke\w*|talk\w*|tell\w*|told|"
            r"inform\w*|notif\w*|refer\w*|report\w*|discuss\w*|alert\w*)\b"
        ),
    ),
    (  # "how many days' notice do parents get of a conference?"
        re.compile(r"\bnotice\b"),
        re.compile(r"\b(?:notice|invit\w*|notif\w*|told|tell\w*|inform\w*|letter\w*|warn\w*)\b"),
    ),
)


def asked_actions(question: str) -> tuple[re.Pattern[str], ...]:
    """For a (folded) time-limit question about keeping, calling or giving notice, the patterns its
    evidence must meet (one per action asked)."""
    return tuple(states for asks, states in _ACTIONS if asks.search(question))


def states_actions(actions: Sequence[re.Pattern[str]], evidence: str) -> bool:
    """Does the (folded) evidence do each action asked, as what is timed and not as what the time
    counts from ("within 48 hours of the above contact, send the file" sends; it does not call)?"""
    timed = without_anchors(evidence)
    return all(action.search(timed) for action in actions)


_UNTIL_AGE = re.compile(
    r"\buntil (?:(?:the|a|that) (?:child|young person|person|pupil)(?:'s)? |(?:their|his|her) )?"
    r"(?:is |reaches |turns )?(?:the age of |aged )?\d{1,2}(?:(?:st|nd|rd|th) birthday| years?(?: old| of age)?)?\b"
)


def time_limit(text: str, kept: bool = False, lasting: bool = False) -> bool:
    """Does a (folded) text state a time limit ("within 15 working days", "immediately"), not only how
    often ("reviewed at least every three months", "at intervals of not more than six months") or an
    age ("reaches 18 years of age")? ``kept``: the question asks how long something is kept, which
    an age can bound ("kept until the child is 25 years old"); ``lasting``: it asks how long something
    lasts, which how often it is renewed says ("DBS checks are renewed every three years")."""
    if lasting and _EVERY.search(text):
        return True
    return bool(TIME_SPAN.search(_AGE.sub(" ", _EVERY.sub(" ", text)))) or (kept and bool(_UNTIL_AGE.search(text)))


def asks_how_long_kept(question: str) -> bool:
    """Does a (folded) question ask how long something is kept ("how long are records kept?")?"""
    return bool(_ACTIONS[0][0].search(question))


_DETERMINER = r"(?:(?:the|a|an|their|its|our|your|his|her|any) )?"
_ACTED_ON = re.compile(
    # "how long are child protection records kept?"
    rf"\bhow long (?:are|is|will|should|must|do|does) {_DETERMINER}"
    r"(?P<passive>[a-z][a-z'-]{0,30}(?: [a-z'-]{1,30}){0,4}?)"
    r" (?:be |get |need to be |have to be )?(?:kept|retained|stored|held)\b"
    # "how long does the school keep child protection records (for)?"
    rf"|\bhow long (?:do|does|did|will|should|must|can) {_DETERMINER}[a-z][a-z'-]{{0,30}}(?: [a-z'-]{{1,30}})?"
    rf" (?:keep|retain|store|hold(?: on ?to)?|hang on ?to) {_DETERMINER}"
    r"(?P<active>[a-z][a-z'-]{0,30}(?: [a-z'-]{1,30}){0,4}?)"
    r"(?= for\b| ?[?.,;]| ?$)"
    # "how many days' notice do parents get of a conference?"
    rf"|\bnotice\b[a-z' ]{{0,40}}? (?:of|for|before|about) {_DETERMINER}"
    r"(?P<notice>[a-z][a-z'-]{0,30}(?: [a-z'-]{1,30}){0,4}?)(?= ?[?.,;]| ?$)"
)


def acted_on(question: str) -> str:
    """What a (folded) question about keeping something, or about notice, asks about: "child protection
    records" in "how long does the school keep child protection records?" and in "how long are child
    protection records kept?"; "conference" in "how many days' notice do parents get of a conference?"."""
    match = _ACTED_ON.search(question.lower())
    return (match.group("passive") or match.group("active") or match.group("notice") or "") if match else ""


_ACTOR = re.compile(
    r"\bhow (?:often|frequently|regularly) (?:do|does|must|should|will|are|is|have|has) "
    r"(?:(?:the|all|our|their|your|its|a|an) )?(?P<actor>[a-z][a-z'-]{0,30}(?: [a-z'-]{1,30}){0,2}?)"
    r" (?:have|do|get|receive|complete|attend|undertake|update|renew|refresh|need|go on|take|redo|repeat)\b"
)
_PRONOUNS = frozenset("i we you they he she it one someone everyone".split())
_ACTOR_LINKS = frozenset("in of on for with at from".split())


def asked_actor(question: str) -> str:
    """Who a (folded) "how often do they ...?" question asks about: "governors" in "How often do governors
    have safeguarding training?"; "" for a pronoun ("how often do I ...?") or another form of question."""
    match = _ACTOR.search(question.lower())
    actor = match.group("actor") if match else ""
    # not a pronoun, nor a child or a phrase ("a child in care" gets an assessment: the rule may say
    # "LAC", or name the child only in the sentence before)
    if actor in _PRONOUNS or _ABOUT_A_CHILD.search(actor) or set(actor.split()) & _ACTOR_LINKS:
        return ""
    return actor


_LASTING = re.compile(r"\bhow long\b.{0,60}\b(?:last|lasts|valid|expire|expires|good for|run for|runs for)\b")


def asks_how_long_lasting(question: str) -> bool:
    """Does a (folded) question ask how long something lasts or stays valid ("how long do DBS checks
    last?", "how long is the training valid for?")?"""
    return bool(_LASTING.search(question))


DURATION = re.compile(rf"{TIME_SPAN.pattern}|\b(?:{_FREQUENCY_ADVERBS})\b")
_DONE = "held|convened|completed|started|carried out|reviewed|closed|ended|finished|returned|visited|seen|done|offered"
"""What is done by a deadline ("held", "completed"): the verbs that time an event, in questions and statements."""
# "When must the allegations management meeting be held?": what the asked time applies to
_EVENT_SUBJECT = re.compile(
    r"\b(?:must|should|does|do|is|are|will|can|has|have) (?:(?:the|an?|their|its) )?"
    r"(?P<subject>[a-z0-9][a-z0-9'-]{0,30}(?: [a-z0-9'-]{1,30}){0,7}?) (?:itself )?"
    r"(?:be |have to be |need to be |get |have to |need to )?"
    rf"(?P<verb>{_DONE}|sent|start|begin|take place|happen|arranged|organised|booked|requested|notified|informed|"
    r"told|reported|referred|submitted|allocated|assessed|updated|recorded|practised|practiced|tested|checked|"
    r"renewed|refreshed|audited|inspected|monitored)\b"
    # "how long have we got to complete an early help assessment?": the object of the deadline's verb
    r"|\bto (?:complete|do|attend|take|pass|hold|convene|send|start|finish|close|submit|return|review|visit|carry out) "
    r"(?:(?:the|an?|their|its|our|your) )?(?!(?:within|by|for|after|before|in|on|at|from|it|this|that|them|so)\b)"
    r"(?P<object>[a-z0-9][a-z0-9'-]{0,30}(?: [a-z0-9'-]{1,30}){0,5}?)"
    r"(?= (?:for|after|before|by|within|in|on|at|from|once|when|if)\b| ?[?.,;]| ?$)"
)


_TIMED_SUBJECT = re.compile(
    r"(?:(?:^|[.;:] )(?:(?:the|an?|its|their|each|every|all) )?|\b(?:the|an?|its|their|each|every|all) )"
    r"([a-z0-9][a-z0-9'-]{0,30}(?: [a-z0-9'-]{1,30}){0,6}?)(?: \([a-z0-9 ]{1,20}\))?(?:,? (?:which|that))?"
    r" (?:(?:is|are|must be|should be|will be|shall be|has to be|have to be|needs to be|is to be)"
    rf" (?:normally |usually |always |then )?(?:{_DONE}|sent(?: out)?|agreed|made|shared|circulated)"
    # "The initial child protection conference must take place within 15 working days of ..."
    r"|(?:must|should|will|shall|has to|have to|needs to) (?:normally |usually |always )?"
    r"(?:take place|happen|occur|start|begin|meet))"
    r" (?:within|no later than|not later than|by|at least|at intervals)\b"
)


def timed_subject(text: str) -> str:
    """What a (folded) statement's time limit applies to, or "" when it names none that way:
    "transfer-in conference" in "a transfer-in conference is held within 15 working days of ...", and
    a timescales table row's first cell ("initial child protection conference | 15 working days | ...")."""
    cells = text.split(" | ")
    if len(cells) > 1 and TIME_SPAN.search(" ".join(cells[1:])):
        return cells[0]
    match = _TIMED_SUBJECT.search(text)
    return match.group(1) if match else ""


_EARLIER_TIME = re.compile(
    r"\b(?:the|this|these|that|those|such) (?:\d{1,3} )?(?:working |calendar |school )?"
    r"(?:days|weeks|months|hours|timescales?|time ?limits?|deadlines?|time ?frames?)\b"
)


def refers_to_earlier_time(text: str) -> bool:
    """Does a (folded) sentence speak of a time limit stated before it ("Where more than one strategy
    discussion has taken place, the 15 working days run from the last one"): the time is that
    sentence's, and so is what it times."""
    return bool(_EARLIER_TIME.search(text))


_ASKS_EXPANSION = re.compile(
    r"\bwhat (?:does|do|is|are) (?:the |an? )?([a-z][a-z&]{1,9}) (?:stand for|short for|an abbreviation for)\b"
)


def asked_expansion(question: str) -> str:
    """The abbreviation a (folded) question asks the spelled-out form of ("lado" in "what does LADO
    stand for?"), or ""."""
    match = _ASKS_EXPANSION.search(question)
    return match.group(1) if match else ""


def spells_out(abbreviation: str, text: str) -> bool:
    """Does a sentence spell the abbreviation out ("the Local Authority Designated Officer (LADO)",
    "LADO (Local Authority Designated Officer)")? Its words' initials must make the abbreviation."""
    return any(letters == abbreviation.lower() for letters, _ in _definitions(text))


def defined_abbreviations(text: str) -> dict[str, str]:
    """The abbreviations a text spells out for itself ("Our Club Welfare Officer (CWO) is ..." ->
    {"cwo": "Club Welfare Officer"}): a bracketed capitalised word whose letters are the initials of the
    words just before it."""
    found: dict[str, str] = {}
    for letters, spelled in _definitions(text, after=False):
        found.setdefault(letters, spelled)
    return found


_NAME = r"[A-Z][a-z]{1,20}(?: [A-Z][a-z]{0,20}(?:['’-][A-Z][a-z]{1,20})?){1,2}"
_ROLE = r"(?:[A-Za-z][a-z'-]{1,20} ){0,4}[A-Za-z][a-z'-]{1,20}"
_PEOPLE = (
    # "My assistant, Tom Baker, knows ...", "Our Club Welfare Officer, Sarah Connor, is ..."
    re.compile(rf"\b(?:[Mm]y|[Oo]ur|[Tt]he|[Hh]is|[Hh]er|[Tt]heir) ({_ROLE}), ({_NAME}),"),
    # "Tom Baker, my assistant, ...", "Jo Smith, the designated safeguarding lead."
    re.compile(rf"\b({_NAME}), (?:my|our|the) ({_ROLE})[,.;]"),
    # "The Safeguarding Officer (Siobhan Brine)"
    re.compile(rf"\b((?:[A-Z][a-z'-]{{1,20}} ){{0,3}}[A-Z][a-z'-]{{1,20}}) \(({_NAME})\)"),
    # "The Club Safeguarding Officer (CSO) is Mark Ellison.", "Our designated safeguarding lead is Jo Smith"
    re.compile(rf"\b(?:[Tt]he|[Oo]ur|[Mm]y) ({_ROLE})(?: \([A-Z]{{2,8}}\))? is ({_NAME})\b"),
)
"""A person a text introduces by role: the role and the name, either way round."""


def defined_people(text: str) -> dict[str, str]:
    """The people a text introduces by their role (a name opening with a known given name), each of their
    names' words to the role ("My assistant, Tom Baker, knows ..." -> {"tom": "assistant", "baker":
    "assistant"}): its sentences that use the name ("Tom completes basic safeguarding training every three
    years") are about the role."""
    found: dict[str, str] = {}
    for number, pattern in enumerate(_PEOPLE):
        for match in pattern.finditer(text):
            name, role = (match.group(1), match.group(2)) if number == 1 else (match.group(2), match.group(1))
            if name.split()[0] not in given_names():
                continue  # "Anytown Safeguarding", "Northshire's Multi-Agency ...": not a person
            for word in name.split():
                found.setdefault(word.lower(), role)
    return found


_MINOR = frozenset({"of", "for", "and", "the", "in", "on", "to", "&"})
_WORD = re.compile(r"[A-Za-z][\w'-]*")
_BRACKETED = re.compile(r"\(\s?([A-Z][A-Za-z&]{1,9})s?\s?\)")
"""An abbreviation in brackets after what it stands for: "the Local Authority Designated Officer (LADO)"."""
_BRACKETING = re.compile(r"\b([A-Z][A-Za-z&]{1,9})s?\s?\(([^()]{3,200})\)")
"""An abbreviation before what it stands for, in brackets: "LADO (Local Authority Designated Officer)"."""


def _definitions(text: str, after: bool = True) -> Iterator[tuple[str, str]]:
    """Each (abbreviation's letters, words it stands for) the text spells out: the bracketed abbreviation
    after its words, and (``after``) the abbreviation before its bracketed words. An abbreviation has two
    capitals or more; its letters are the initials of the words, small words such as "of" aside."""
    for match in _BRACKETED.finditer(text):
        letters = _letters(match.group(1))
        words = _WORD.findall(text[max(0, match.start() - 200) : match.start()])
        taken: list[str] = []
        initials = ""
        for word in reversed(words):
            if letters and len(initials) == len(letters):
                break
            taken.insert(0, word)
            if word.lower() not in _MINOR:
                initials = word[0].lower() + initials
        if letters and initials == letters:
            yield letters, " ".join(taken)
    if not after:
        return
    for match in _BRACKETING.finditer(text):
        letters = _letters(match.group(1))
        words = _WORD.findall(match.group(2))
        if letters and "".join(w[0].lower() for w in words if w.lower() not in _MINOR) == letters:
            yield letters, " ".join(words)


def _letters(abbreviation: str) -> str:
    """An abbreviation's letters, lower case; "" when it is not one (fewer than two capitals)."""
    return abbreviation.lower().replace("&", "") if sum(c.isupper() for c in abbreviation) >= 2 else ""


@lru_cache(maxsize=256)
def _event(question: str) -> tuple[str, str]:
    """(what a (folded) question times, what is done to it), each "" when it does not say: one search
    for both."""
    match = _EVENT_SUBJECT.search(" ".join(question.split()))
    if match is None:
        return "", ""
    return match.group("subject") or match.group("object") or "", match.group("verb") or ""


def event_subject(question: str) -> str:
    """What a (folded) question's time applies to ("allegations management meeting" in "When must
    the allegations management meeting be held?"), or ""."""
    return _event(question)[0]


_WHAT_TO_DO = re.compile(
    r"\b(?:what (?:should|do|must|can|would) (?:i|we) do|what (?:now|next)|what do i do now|"
    r"who (?:should|do|must|can) (?:i|we) "
    r"(?:tell|contact|call|ring|phone|speak to|talk to|go to|report (?:it |this )?to)|"
    r"where (?:should|do|can) (?:i|we) (?:report|go)|how (?:should|do) (?:i|we) (?:report|respond|handle))\b"
)


_ABOUT_A_CHILD = re.compile(
    r"\b(?:" + "|".join(sorted((re.escape(w) for w in CHILD_WORDS), key=lambda w: (-len(w), w))) + r")s?\b"
    # an age group: "one of our under-12s", "the U14s"
    r"|\bu(?:nder)?[ -]?\d{1,2}s\b"
)


def about_a_child(text: str) -> bool:
    """Does a (folded, lower-case) description speak of a child ("a swimmer", "her son", "a 15-year-old")?"""
    return bool(_ABOUT_A_CHILD.search(text))


_UNREACHABLE = re.compile(
    r"\b(?:can'?t|cannot|couldn'?t|could not|unable to|not able to) (?:reach|contact|get hold of|get through to|"
    r"speak to|get in touch with|find)\b"
    r"|\b(?:is|are|am|'s|'m|isn't|aren't) (?:not available|unavailable|away|off|on holiday|not answering|absent|"
    r"on (?:annual |sick |maternity |paternity )?leave)\b"
    # "if Mark isn't around", "the DSL is not in today" (not "the child is not in immediate danger")
    r"|\b(?:isn't|aren't|is not|are not|am not|'m not|wasn't) (?:around|available|contactable|reachable|answering|"
    r"in (?:today|work|the office|the building)|on site)\b"
    r"|\b(?:out of |outside (?:of )?(?:club |office |normal |working )?)hours\b"
    r"|\bin (?:his|her|their) absence\b"
)


def says_unreachable(text: str) -> bool:
    """Does a (folded, lower-case) situation say the usual person cannot be reached ("... and can't reach
    the welfare officer", "the DSL is off sick", "it's out of hours")? A policy's sentence for that case
    says it the same way ("If the Welfare Officer is not available, ...")."""
    return bool(_UNREACHABLE.search(text))


def asks_what_to_do(question: str) -> bool:
    """Does a (folded) question ask only what to do or whom to tell ("What should I do?", "Who do I
    tell?"), leaving the situation it describes to say what about?"""
    return bool(_WHAT_TO_DO.search(question))


def event_verb(question: str) -> str:
    """What is done to the thing a (folded) question times ("referred" in "How quickly must concerns be
    referred to children's social care?"), or "": evidence may name the doing instead ("Referrals to
    children's social care are made within 24 hours")."""
    return _event(question)[1]


def whole_abbreviations(words: Sequence[str]) -> set[str]:
    """Abbreviations standing for the whole of what ``words`` name, head word included ("icpc" for
    "initial child protection conference", not "cp"): evidence using one names the same thing."""
    if not words:
        return set()
    return {a for a in term_set(" ".join(words)) & ABBREVIATIONS.keys() if words[-1] in ABBREVIATIONS[a]}


_ASKS_BOUND = (
    ("maximum", re.compile(r"\b(?:max|maximum|longest|at (?:the )?most|no (?:more|longer) than|upper limit)\b")),
    ("minimum", re.compile(r"\b(?:min|minimum|shortest|at (?:the )?least|no (?:less|fewer|sooner) than)\b")),
)
_STATED_BOUND = re.compile(
    r"\b(?:(?P<minimum>at least|no (?:less|fewer|sooner) than|not (?:less|fewer|sooner) than|a minimum of|minimum of)"
    r"|(?P<maximum>within|no (?:more|later|longer) than|not (?:more|later|longer) than|at (?:the )?most|"
    r"a maximum of|maximum of|up to))"
    r" (?:(?:the|a|an) )?(?:first )?\d"
)


def asked_bound(question: str) -> str:
    """Which end of a time a (folded) question asks for: "maximum" ("what's the longest ...?"),
    "minimum" ("the minimum time ...") or ""."""
    found = [name for name, pattern in _ASKS_BOUND if pattern.search(question)]
    return found[0] if len(found) == 1 else ""


def stated_bounds(text: str) -> set[str]:
    """The ends of time a (folded) text states: "minimum" for "at least three months", "maximum" for
    "within 15 working days" or "not more than six months"."""
    return {name for match in _STATED_BOUND.finditer(text) for name, value in match.groupdict().items() if value}


def named_kinds(text: str) -> set[str]:
    """The abbreviations a (folded) text names, spelled out or not, with those their spelled-out
    forms hold ("icpc" -> also "cp"): "child in need" (cin) and "child protection" (cp) name
    different kinds of plan, meeting or case."""
    found = set(term_set(text)) & ABBREVIATIONS.keys()
    for abbreviation in list(found):
        found |= set(term_set(ABBREVIATIONS[abbreviation].replace("|", " "))) & ABBREVIATIONS.keys()
    return found


def other_kind(asked: set[str], *texts: str) -> bool:
    """Does the first of the (folded) texts that names a kind (see :func:`named_kinds`) name only
    kinds other than those asked about ("a child in need plan" for a question about CP plans)?"""
    for text in texts:
        stated = named_kinds(text)
        if stated:
            return bool(asked) and not asked & stated
    return False


FREQUENCY = re.compile(
    # "regularly", "at regular intervals", "on a regular basis" - not "regular contact with gymnasts"
    rf"\b(?:{_FREQUENCY_ADVERBS}|yearly|every\s+\d+|\d+\s+times|once|twice|regularly|at regular intervals|"
    r"on a regular basis|regular (?:training|updates?|reviews?|supervision|meetings?|checks?|refreshers?)|"
    r"per (?:year|month|week)|"
    r"(?:every|each) (?:other )?(?:day|week|month|year|term|session|school year|academic year))\b"
)
DATE = re.compile(
    r"\b(?:19|20)\d\d\b|\b(?:january|february|march|april|june|july|august|september|october|november|december)\b"
    r"|\bmay \d|\b\d{1,2}(?:st|nd|rd|th)? may\b"  # "May 2025", "14 May": not the verb "may"
)
LIST_MARKER = r"(?:\(?(?:\d{1,2}|[a-z])[.)]|[-•*])"
"""A list item's number, letter or bullet ("1.", "(a)", "b)", "•")."""
BASE_VERBS = frozenset(
    """complete submit implement report attend provide publish offer hold review monitor ensure undertake use make
    conduct carry deliver support investigate commission present produce send agree meet convene notify refer
    establish develop maintain keep""".split()
)
STEP_VERBS = BASE_VERBS | frozenset(
    "call tell inform contact record pass share phone telephone write email speak discuss arrange forward".split()
)
"""Verbs an instruction opens with ("Within 48 hours, send ...", "Within one day, tell ...")."""
INSTRUCTION = re.compile(
    rf"^(?:{LIST_MARKER}\s*)?(?P<verb>[a-z]+)\b(?!\s+(?:is|are|was|were|has|have|had|will|would|can|may|should|must)\b)"
)
"""A step's first word (of lower-case text): an instruction when it is one of :data:`STEP_VERBS`
("1. Refer it immediately to:", "Telephone the Front Door on ...")."""


def states_step(text: str) -> bool:
    """Does the text state a step to take: a duty ("... must refer ...", "If V does not satisfy the
    requirements, ...") whatever the case of its first word, or an instruction ("Telephone the Front Door")?"""
    return bool(PROCEDURE.search(text.lower())) or is_instruction(text)


def is_instruction(text: str) -> bool:
    """Does the text open with an instruction ("Telephone the Front Door ...", "2. Write down ...")?"""
    step = INSTRUCTION.match(text.lstrip().lower())
    return step is not None and step.group("verb") in STEP_VERBS


def _asking_leave(second_word: str) -> re.Pattern[str]:
    """A yes/no question asking leave or a duty for an action, its subject of one or two words (the second
    taken when it can be, ``second_word`` "?", or only when it must, "??")."""
    return re.compile(
        r"^(?:so |and |but )?(?:should|must|can|could|may|do|does|am|is|are|have|has)n?'?t?"
        r" (?:i|we|you|they|staff|he|she|(?:the|a|our|my) (?:\d{1,2}[ -]years?[ -]old )?[a-z]{2,20}"
        rf"(?: [a-z]{{2,20}}){second_word})"
        r"(?: (?:still|also|ever|always|really|first|then|just))?"
        r"(?: (?:need|have|got|allowed|required|expected|supposed|meant) to| allowed)? (?P<verb>[a-z]{2,20})\b"
    )


# "can the welfare officer share ...?" (a two-word subject), else "can the coach drive my son ...?"; "is it ok
# for me to drive ...?"
_ASKED_PERMISSION = (
    _asking_leave("?"),
    _asking_leave("??"),
    re.compile(
        r"^(?:so |and |but )?(?:is it|would it be|it's|is that) (?:ok|okay|alright|all right|allowed|acceptable|fine)"
        r"(?: for (?:me|us|you|them|staff|(?:the|a|an|our|my) [a-z]{2,20}))? to (?P<verb>[a-z]{2,20})\b"
    ),
)
_RULING = (
    r"\b(?:do not|don't|does not|doesn't|must not|mustn't|should not|shouldn't|never|cannot|can't|may not|"
    r"need not|needn't|must|should|can|may|always|not|only)(?: [a-z']{1,20}){0,3}? "
)
"""Words that rule on an action a few words before it ("do not tell", "you do not need", "must always
be told")."""


def asked_permission(question: str) -> str:
    """The action a yes/no question asks leave or a duty for, as a term ("should I tell the member of
    staff ...?" -> the term of "tell"; "do I need the parents' consent ...?" -> "need"), "" when the
    question asks no such thing."""
    folded = fold(question).lower().strip()
    for pattern in _ASKED_PERMISSION:
        match = pattern.match(folded)
        if match is not None and match.group("verb") not in STOPWORDS:
            return next(iter(term_set(match.group("verb"))), "")
    return ""


def rules_on(action: str, text: str) -> bool:
    """Does a (folded) sentence say whether that action must, may or must not be done ("do not tell the
    adult about the allegation unless the LADO agrees", "you do not need the parents' consent")?"""
    return bool(action) and re.search(rf"{_RULING}{re.escape(action)}[a-z]{{0,6}}\b", text) is not None


PERSON_WORDS = re.compile(
    r"\b(?:chair|officer|manager|director|lead|leads|doctor|nurse|team|board|panel|group|service|services|helpline|council|police|"
    # "a position of trust" is a role held, not a trust (an NHS body)
    r"ccg|(?<!position of )(?<!positions of )trust|agency|agencies|commissioner|inspector|worker|member|partner|"
    r"society|cafcass)\b"
)
# Numbers that are not counts: years, year spans, ages, durations, ordinals, numbered sections and steps.
NOT_A_COUNT = re.compile(
    r"\b\d{1,2}\s?(?:-|to)\s?\d{1,2}[\s-]?years?[\s-]?olds?\b|"  # "11 to 16 year olds": ages
    r"\b(?:19|20)\d\d(?:-\d\d)?\b|\bsection \d+\b|\b(?:aged?|age of|under|over|priority|standard|level|tier|chapter|"
    r"regulation|appendix|case|recommendation|stage|step|phase|part|schedule|paragraph|article)\s+\d+s?"
    rf"(?:\s+(?:or|and|to|&)\s+\d+s?)?\b|\b\d+(?:\.\d+)?\s*(?:{_DAY_KIND}\s+)?(?:day|week|month|year|hour|hrs|minute)s?\b|"
    r"\b\d+(?:st|nd|rd|th)\b|^\s*\d+[.)]\s|"
    r"^\s*\d{1,2}(?:\.\d{1,2}){1,3}\s"  # a numbered paragraph: "10.1 A plan should end when ..."
)
RATIO = re.compile(r"\b\d{1,3} ?: ?\d{1,3}\b")
"""A ratio ("1:12 for recreational classes"): a count only for a question asking how many per one."""
_PHONE_NUMBER = r"\b0\d{2,4}[\s-]?\d{3,4}[\s-]?\d{3,4}\b"
PHONE = re.compile(rf"(?<![\d.])\+?{_PHONE_NUMBER}")
"""A telephone number ("0345 129 7129"): never a count."""
STAFFING_RATIO = re.compile(
    r"\b1\s?:\s?\d{1,2}\b|\b\d{1,2}\s?:\s?1\b"
    rf"|\b(?:{_SMALL}|an?) {_CARERS}(?: [a-z]+){{0,2}}? (?:to|for every|for each|per|with)"
    rf" (?:every |each |up to |a maximum of |no more than |at most )?{_SMALL}\b"
    rf"|\b{_SMALL} {_CARED} (?:per|to (?:each|every|one|1|an?)|for (?:each|every)) "
    r"|\bratios? (?:of |is |are |will be )?(?:1|one)\b"
)
"""A ratio of adults to children ("1:8", "one adult for every 8 children", "1 coach to 24 swimmers",
"8 children per adult"), in folded lower-case text."""
CONTACT = re.compile(
    # a three-digit number then "call" on the same line: only the line's first such number is
    # tried (atomic), so a line of numbers costs linear time
    rf"{_PHONE_NUMBER}|(?m:^)(?>.*?\b\d{{3}}\b).*\b(?:call|phone|telephone)\b|@|\bwww\."
    r"|https?://"
)
# The channel a contact question names: an email address is not a telephone number ("What's the
# duty team's email?" is not answered by its phone number), nor the other way round.
_ASKS_EMAIL = re.compile(r"\be-?mail\b")
_ASKS_PHONE = re.compile(r"\b(?:phone|telephone|ring|call|text|helpline|number)\b")
_EMAIL = re.compile(r"@")
_PHONE = re.compile(r"\b\d{3,5}[\s-]?\d{3,4}(?:[\s-]?\d{3,4})?\b|\b999\b|\b111\b")


# Whose contact is asked for: "the emergency duty team's email", "the phone number for the LADO"
_OWNER = re.compile(
    r"\b(?:the|our|your|their)\s+([a-z][\w -]{0,50}?)'s\s+(?:e-?mail|phone|telephone|mobile|number|contact)"
    r"|\b(?:e-?mail|phone|telephone|mobile|number|contact details)(?: address| number)?\s+(?:for|of)\s+"
    r"(?:the\s+)?([a-z][\w -]{0,50}?)\s*(?:\?|$)"
    # "the MASH phone number", "the LADO's email address": a name before the channel (not a kind of
    # line: "the out of hours number", "the main phone number")
    r"|\b(?:the|our|your|their)\s+(?!(?:out|urgent|main|direct|office|mobile|general|emergency|24)\b)"
    r"([a-z][\w-]{1,30}(?: [a-z][\w-]{1,30}){0,3}?)\s+(?:e-?mail|phone|telephone|helpline|contact)"
    r"(?: number| address| details)\b"
    # "Priya's email" (a name's possessive before the channel)
    r"|\b(?!(?:what|who|where|how|it|that|there|here|he|she)'s)([a-z][\w-]{1,30})'s\s+"
    r"(?:e-?mail|phone|telephone|mobile|number|contact)"
    # "the police non-emergency number", "the LADO number" (not "the phone number", "the out of hours number")
    r"|\b(?:the|our|your|their)\s+(?!(?:out|urgent|main|direct|office|mobile|general|emergency|24|phone|"
    r"telephone|contact|right|best|correct|same|other|new|old|first|last|whole|full|only)\b)"
    r"([a-z][\w-]{1,30}(?: [a-z][\w-]{1,30}){0,3}?)(?<!phone)(?<!contact)(?<!mobile)\s+number\b"
    # "what phone number do I use for the Shropshire LADO?", "which number do I ring for the LADO?"
    r"|\b(?:e-?mail|phone|telephone|mobile|number)(?: address| number)?\s+(?:do|should|can|would|must)\s+"
    r"(?:i|we|you|they|staff|parents)\s+(?:use|ring|call|dial|try)\s+"
    r"(?:for|to (?:contact|reach|call|ring|e-?mail|phone|get hold of))\s+(?:the\s+)?([a-z][\w -]{0,50}?)\s*(?:\?|$)"
)


_RECIPIENT = re.compile(
    r"\b(?:(?:pass|passed|report|reported|refer|referred|send|sent|forward|forwarded)"
    r"(?: (?:it|this|that|them|the|a|an|their|his|her|its|my|our|your|concern|concerns|referral|case|details|"
    r"information|file|allegation)){0,3}(?: on| over| across)? to|tell|inform|notify|alert|phone|telephone|ring|call|"
    r"contact)"
    r" (?:the |an? |their |our |your |my )?([a-z0-9][a-z0-9'-]{0,30}(?: [a-z0-9'-]{1,30}){0,4}?)"
    r"(?= (?:about|within|by|once|after|before|when|if|that|of|in|and|or)\b| ?[?.,;]| ?$)"
)


def recipient(question: str) -> str:
    """Who a (folded) question's action goes to ("county fa" in "how quickly does the welfare officer
    have to pass a concern on to the county FA?"), or "" when it names no one that way."""
    match = _RECIPIENT.search(question)
    return match.group(1) if match else ""


def contact_owner(question: str) -> str:
    """Whose contact a (folded) contact question asks for ("" when it does not say)."""
    match = _OWNER.search(question)
    return next((g for g in match.groups() if g), "") if match else ""


def contact_channel(question: str) -> str:
    """The channel a (folded) contact question asks for: "email", "phone", or "" for either."""
    email, phone = bool(_ASKS_EMAIL.search(question)), bool(_ASKS_PHONE.search(question))
    return "email" if email and not phone else "phone" if phone and not email else ""


_NOT_A_LABEL = re.compile(r"[\d()+/.-]{1,20}|(?:tel|telephone|phone|mobile|e-?mail|fax|text|helpline):?", re.I)
"""A word beside a contact that says nothing of whose it is: a number, or a channel's label."""
_LABEL_WORDS = 8
"""How far before a telephone number or e-mail address its owner is named ("Northumberland FA's
Safeguarding Team: Telephone: 0191 ...")."""


def value_label(channel: str, evidence: str) -> str:
    """The few words just before the first contact the (folded) evidence gives by the channel asked
    for (any channel when none is asked): who that number or address belongs to; "" when none."""
    patterns = [_EMAIL] if channel == "email" else [_PHONE] if channel == "phone" else [_PHONE, _EMAIL]
    found = [m.start() for pattern in patterns if (m := pattern.search(evidence)) is not None]
    if not found:
        return ""
    # the words before the address's first character (not its local part), less other numbers and
    # the channels' own labels ("The FA Safeguarding Team: Phone: 0800 169 1863 Email: ...")
    words = evidence[: min(found)].split()
    if words and not evidence[: min(found)][-1:].isspace():
        words.pop()
    return " ".join([w for w in words if not _NOT_A_LABEL.fullmatch(w)][-_LABEL_WORDS:])


def states_channel(channel: str, evidence: str) -> bool:
    """Does the evidence give a contact by that channel (any channel when none is asked for)?"""
    if channel == "email":
        return bool(_EMAIL.search(evidence))
    if channel == "phone":
        return bool(_PHONE.search(evidence))
    return True


# "no one person", "one of the first", "1 of only a few": a lone 1 is rarely the figure asked for
LONE_ONE = re.compile(r"(?<![\d.,£])\b1\b(?!\s*(?:%|\d|hundred|thousand|million))")
PROCEDURE = re.compile(
    r"\b(?:must|should|trigger|triggers|refer|referral|is made|are made|report|notify|convene|hold|held|required|"
    r"responsible|duty|then|if|ensures)\b"
)
# A sentence that defines something or states a role.
DEFINITION = re.compile(
    r"\b(?:is|are)\s+(?:known|referred\s+to|defined|described)\s+(?:as|to\s+be)\b|\bknown\s+as\b|\bdefined\s+as\b|"
    r"\bdefinition\s+of\b|\bmeans\b(?!\s+that)|\brefers?\s+to\b|\bis\s+when\b|\bcounts\s+as\b|"
    r"\b(?:role|remit|purpose|function)\s+of\b|\b(?:role|remit|purpose|function)\s+is\b|\b(?:is|are)\s+responsible\s+for\b"
)
# A table column that defines what each row names ("Type of Abuse | Definition | Signs").
DEFINING_COLUMN = re.compile(r"\b(?:definitions?|meanings?|descriptions?|explanations?|what it means)\b", re.IGNORECASE)
# Weaker signs of a definition ("X is a ...", "consists of").
DEFINITION_WEAK = re.compile(r"\b(?:is|are)\s+(?:a|an|the)\b|\bconsists?\s+of\b|\bincludes?\b|\bcovers?\b|\bremit\b")


def has_figure(text: str) -> bool:
    """Does a sentence state a count, a percentage or an amount (not only years, ages or durations)?"""
    # "no one person", "one of the", "one member of staff": "one" alone is rarely a figure
    text = re.sub(
        r"(?<![\w-])one(?![\w-]|\s+(?:hundred|thousand|million|in\s+\w+|per\s*cent|%))", "a", text, flags=re.I
    )
    folded = fold(text).lower()
    if re.search(r"\d\s*%|£\s?\d", folded):
        return True
    remaining = NOT_A_COUNT.sub(" ", folded)
    return bool(re.search(r"(?<![\d.])\d+(?:\.\d+)?(?![\d.])", remaining))


_DUTY = re.compile(
    r"\b(?:must|should|shall|will|needs? to|has to|have to|are to|is to|required|requires?|expected|aim|aims|"
    r"target|standard|no later than)\b"
)
ASKS_RULE = re.compile(
    r"\b(?:must|should|shall|have to|has to|need to|needs to|required|deadline|timescale|time limit|within how)\b"
)
"""A question asking what is required ("how quickly must ...?"), not what happened."""


def is_statistic(text: str) -> bool:
    """Does a sentence report how many or what share, with no duty ("only 4 per cent [seven children]
    had remained on a plan for more than 2 years"), rather than state a rule?"""
    return has_figure(text) and not _DUTY.search(fold(text).lower())


_NUMBERED = re.compile(r"\b([a-z]{2,20})\s+(\d{1,3})\b")
"""A numbered name: "level 3", "section 47", "stage 2", "tier 4"."""


def numbered_names(text: str) -> dict[str, set[str]]:
    """The numbers each word of ``text`` is followed by ("Level 2 and level 3" -> {"level": {"2", "3"}})."""
    found: dict[str, set[str]] = {}
    for word, number in _NUMBERED.findall(fold(text).lower()):
        if word not in STOPWORDS:
            found.setdefault(word, set()).add(number)
    return found


def other_number(text: str, asked: dict[str, set[str]]) -> bool:
    """Does ``text`` number only otherwise something the question numbers ("Level 2" and no "Level 3"
    for a question about Level 3)?"""
    stated = numbered_names(text)
    return any(word in stated and not stated[word] & numbers for word, numbers in asked.items())


_PERIOD_SCOPE = re.compile(
    r"\b(after|beyond|following|in|during|within|for|over) the (initial|1st|2nd|3rd) "
    r"(year|month|week|review|visit|conference|meeting)s?\b"
)
"""A period a rule is scoped to, in folded text (where "first" is written "1st")."""
_AFTER = frozenset({"after", "beyond", "following"})


def period_scopes(text: str) -> set[tuple[str, str, str]]:
    """The periods a (folded, lower-case) text scopes a rule to, each as (when, which, what): "every 6 weeks in
    the 1st year" -> {("in", "1st", "year")}; "after the 1st review" -> {("after", "1st", "review")}."""
    return {("after" if m.group(1) in _AFTER else "in", m.group(2), m.group(3)) for m in _PERIOD_SCOPE.finditer(text)}


def other_period(text: str, asked: set[tuple[str, str, str]]) -> bool:
    """Does ``text`` scope its rule to another side of a period the question names ("in the first year" for a
    question about visits after the first year), and never to the side asked?"""
    stated = period_scopes(text)
    return any(
        (when, which, what) not in stated and ("after" if when == "in" else "in", which, what) in stated
        for when, which, what in asked
    )


SCALE_WORDS = frozenset("level tier band stage".split())
"""Names whose number picks one of several: "Level 3" training is not Level 2's, nor training in general."""


def unnamed_scale(text: str, asked: dict[str, set[str]]) -> bool:
    """Does ``text`` never name a level (tier, band, stage) the question names ("Level 3 training"
    answered by "safeguarding training every three years")?"""
    stated = numbered_names(text)
    return any(not stated.get(word, set()) & numbers for word, numbers in asked.items() if word in SCALE_WORDS)


ASKS_LEVEL = re.compile(r"\b(?:what|which) (?:level|tier|category|band)\b")
"""A question asking where something sits on a scale of need ("what level does that come under?")."""
LEVEL_HEADING = re.compile(r"\b(?:level|tier|band|stage)\s+\d{1,2}\b", re.IGNORECASE)
"""A heading that names a level of need ("6. Level 3: Targeted (complex needs)")."""
