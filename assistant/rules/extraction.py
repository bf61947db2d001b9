"""The patterns that find rules in a sentence: timescales, thresholds, eligibility, targets,
frequencies, definitions and duties, each with its value normalised; and the cue for figures."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from assistant.text.cues import LIST_MARKER, is_instruction
from assistant.text.normalise import STOPWORDS, fold

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
# "The maximum period between refresher courses is six months for the online courses and three
# years for the Level 2": one sentence, one limit for each thing it names
_LIMIT_PERIOD = re.compile(
    r"\b(?P<bound>maximum|minimum|longest|shortest)\s+(?:[a-z]+\s+){0,2}?(?:period|time|interval|gap)\b"
)
_SPAN_FOR = re.compile(
    rf"\b(?P<n>{NUM})[\s-]*{_TIME_UNIT}\s+for\s+(?:the\s+|all\s+|each\s+)?"
    r"(?P<np>[a-z0-9][\w'/-]*(?:\s+(?!and\b|or\b)[\w'/-]+){0,5})"
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
_LEAST = r"(?:at\s+least|a\s+minimum\s+of|no\s+less\s+than|not\s+less\s+than)"
"""Words that set a least amount ("at least", "a minimum of", "no less than")."""
_AT_LEAST = re.compile(rf"\b{_LEAST}\s+(?P<n>{NUM})(?P<pct>{_PCT})")
_MIN_COUNT = re.compile(
    rf"\b(?:{_LEAST}|no\s+fewer\s+than|not\s+fewer\s+than)\s+(?P<n>{NUM})\s+"
    r"(?!(?:working\s+|school\s+|calendar\s+)?(?:days?|weeks?|months?|years?|hours?|minutes?|times?|per\s*cent|percent)\b)"
    r"(?P<np>[a-z][\w'-]*(?:\s+(?!(?:is|are|was|were|and|or|to|with|of|in|on|at|for|from|by|who|which|that|be)\b)"
    r"[a-z][\w'-]*){0,2})"
)
"""A least number of something required ("checking at least two references", "at least one member of staff")."""
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
# "monthly meetings", never "monthly to check progress" (an adverb and an infinitive)
_FREQ_ADJECTIVE = re.compile(rf"\b(?P<w>{_FREQ_WORDS})\s+(?!to\b)(?P<np>(?:[\w/&'-]+\s+){{0,4}}?(?:{_FREQ_NOUNS}))\b")
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
THIS_IS = re.compile(r"^this\s+is\s+(?:the|an?)\s+\w+")
NAMED_ABBR_END = re.compile(r"(?P<term>(?:[A-Z][\w’'&-]{0,50}\s+){1,7}\([A-Z][A-Za-z&-]{1,9}\))\.?\s*$")
_DUTY = re.compile(r"\b(?:has|have)\s+an?\s+(?:statutory\s+|legal\s+)?duty\s+to\s+(?P<v>[^.;]+)")

_OPENING = re.compile(f"{LIST_MARKER}?")
"""What may stand before a sentence's first words: nothing, or a list marker."""
_GERUND_OPENING = re.compile(rf"^(?:{LIST_MARKER}\s*)?[a-z]+ing\b")
"""A list item that states what is done ("Collecting and checking at least two references")."""
_NORMATIVE = re.compile(
    r"\b(?:must|should|shall|required|requires?|requirement|statutory|mandatory|timeline|timescale|deadline|"
    r"target|expected\s+to|is\s+expected|are\s+expected|to\s+be|needs?\s+to|has\s+to|have\s+to|asked\s+to|duty|"
    r"measure)\b"
)
_CONDITIONAL = re.compile(
    r"\b(?:if|where|when|unless|is\s+known|are\s+known|known\s+as|defined|means|counts\s+as|must|should|"
    r"eligible|eligibility|criteria|threshold|qualif\w*|required)\b"
)
PROCESS_BEFORE = re.compile(
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


def is_label_line(text: str) -> bool:
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
    label_line = is_label_line(text)

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
        # a step that opens with its time limit ("Within 48 hours of the call, send ...") is one
        opening = bool(_OPENING.fullmatch(before))
        ok = normative or label_line or opening or bool(PROCESS_BEFORE.search(before)) or definition
        if ok and not hypothetical:
            unit = _unit(m.group("unit"), m.group("working"))
            value = _range(m.group("n"), m.group("m"))
            add(RuleMatch("timescale", value, unit, "", m.span(), term=term, comparator="within"))
    for pattern, comparator in ((_NO_LATER, "no later than"), (_TIMELINE, "within"), (_AFTER, "")):
        for m in pattern.finditer(low):
            if (normative or definition or pattern is _NO_LATER) and not hypothetical:
                value = _range(m.group("n"), m.groupdict().get("m"))
                unit = _unit(m.group("unit"), m.group("working"))
                if pattern is _AFTER:
                    comparator = re.sub(r"\s+", " ", low[m.end("unit") : m.end()].strip())
                add(RuleMatch("timescale", value, unit, "", m.span(), term=term, comparator=comparator))
    bound = _LIMIT_PERIOD.search(low)
    if bound and not hypothetical:
        comparator = "at most" if bound.group("bound") in ("maximum", "longest") else "at least"
        for m in _SPAN_FOR.finditer(low, bound.end()):
            value = _number(m.group("n"))
            unit = _unit(m.group("unit"), m.group("working"))
            what = text[m.start("np") : m.end("np")]
            add(RuleMatch("timescale", value, unit, "", m.span(), object_np=what, comparator=comparator))
    instruction = is_instruction(low)
    if instruction or re.search(r"\b(?:must|should|shall|required|needs?\s+to)\b", low):
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
    if (normative or _GERUND_OPENING.match(low)) and not hypothetical and not _PAST_REPORT.search(low):
        for m in _MIN_COUNT.finditer(low):
            what = text[m.start("np") : m.end("np")]
            add(RuleMatch("threshold", _number(m.group("n")), "", "", m.span(), object_np=what, comparator="at least"))
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


# -- building -------------------------------------------------------------------------------


def rule_clause(text: str, anchor: tuple[int, int]) -> tuple[int, int]:
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


# -- shared with the briefing ---------------------------------------------------------------
