"""Text folding and tokenising shared by retrieval, answering and evaluation.

Words and digits must meet: "twenty-eight days" and "28 days", "fifteen day" and
"15 days", "52 per cent" and "52%", "2014/15" and "2014-2015" all fold to one form.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from functools import lru_cache

from assistant.text.vocabulary import ABBREVIATIONS, QUERY_SYNONYMS, STEM_EXCEPTIONS, on_change

__all__ = [
    "contains_fact",
    "fold",
    "query_terms",
    "spelled_out",
    "stem_tokens",
    "term_set",
    "text_terms",
    "word_tokens",
    "years",
]

_QUOTES = str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"', "–": "-", "—": "-", "\u00a0": " "})
_PER_CENT = re.compile(r"(\d)\s*(?:per\s*cent|percent|pc)\b|(\d)\s+%", re.IGNORECASE)
_THOUSANDS = re.compile(r"(?<=\d),(?=\d{3}(?!\d))")
_SECTION_SHORT = re.compile(r"\bs\.?\s?(\d{1,3})\b", re.IGNORECASE)
# 2014/15, 2014-15, 2014 - 2015, 2014/2015, 2014 to 2015 -> 2014-15
_YEAR_SPAN = re.compile(r"\b(20\d\d|19\d\d)\s*(?:/|-|to)\s*(?:20|19)?(\d\d)\b")
_SHORT_YEAR_SPAN = re.compile(r"(?<![\d/])([0-3]\d)/([0-3]\d)(?![\d/])")
_TOKEN = re.compile(r"\d{4}-\d\d(?!\d)|\d+(?:st|nd|rd|th)\b|£?\d+(?:\.\d+)?(?:%|s\b)?|[a-z][a-z0-9&']*")
# "one" as a pronoun, not a number: "no one", "the one who", "a little one", "one of our under-12s"
_PRONOUN_ONE = re.compile(
    r"\b(?:(?<=no )|(?<=the )|(?<=any )|(?<=every )|(?<=each )|(?<=which )|(?<=little )|(?<=young )"
    r"|(?<=younger )|(?<=older )|(?<=loved )|(?<=other )|(?<=another )|(?<=same )|(?<=new ))ones?\b"
    r"|\bone(?= of (?:our|my|your|their|his|her|its|them|us|you|these|those)\b)",
    re.IGNORECASE,
)
_PRONOUN_MARK = "\x00"
_HAS_NUMBER_WORD = re.compile(
    r"\b(one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|"
    r"fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|"
    r"eighty|ninety|hundred|thousand|first|second|third|fourth|fifth|sixth|tenth|twelfth)",
    re.IGNORECASE,
)

STOPWORDS = frozenset(
    """a about above after again against all also am an and any are aren't as at be because
    been before being below between both but by can can't could did didn't do does doesn't
    doing don't down during each few for from further had hadn't has hasn't have haven't
    having he her here hers herself him himself his how i if in into is isn't it it's its
    itself just let's me more most must mustn't my myself no nor not of off on once only or
    other ought our ours ourselves out over own same shall she should shouldn't so some such
    than that that's the their theirs them themselves then there there's these they this
    those through to too under until up upon very was wasn't we were weren't what what's
    when where which while who whom whose why will with won't would wouldn't you your yours
    yourself yourselves please know say says said many much would like does did who's where's
    when's how's why's here's i'm i've i'd i'll you're you've you'd we're we've they're they've
    he's she's one ones""".split()
)
# Question words that carry the *type* of the question, not its topic.
QUESTION_WORDS = frozenset(
    """what when where which who whom whose why how many much long often soon quickly
    anyone anything something someone""".split()
)


@lru_cache(maxsize=1)
def _stemmer():  # type: ignore[no-untyped-def]
    import Stemmer  # PyStemmer: Snowball stemmers in C

    return Stemmer.Stemmer("english")


@lru_cache(maxsize=32768)
def fold(text: str) -> str:
    """Lower-case canonical form: number words to digits, per cent to %, year spans unified.

    Cached: answering folds the same retrieved sentences for question after question."""
    from text_to_num import alpha2digit

    text = text.translate(_QUOTES)
    text = text.replace("-\n", "-").replace("\n", " ")
    if _HAS_NUMBER_WORD.search(text):
        text = _PRONOUN_ONE.sub(lambda m: m.group(0)[0] + _PRONOUN_MARK + m.group(0)[1:], text)
        text = alpha2digit(text, "en", threshold=0).replace(_PRONOUN_MARK, "")
    text = text.lower()
    text = _THOUSANDS.sub("", text)
    text = _PER_CENT.sub(lambda m: (m.group(1) or m.group(2)) + "%", text)
    text = _SECTION_SHORT.sub(r"section \1", text)
    text = _YEAR_SPAN.sub(lambda m: f"{m.group(1)}-{m.group(2)}", text)
    text = _SHORT_YEAR_SPAN.sub(_short_year, text)
    return text


def _short_year(match: re.Match[str]) -> str:
    """ "14/15" -> "2014-15" when the two numbers are consecutive years."""
    first, second = int(match.group(1)), int(match.group(2))
    if second == (first + 1) % 100:
        return f"20{match.group(1)}-{match.group(2)}"
    return match.group(0)


_YEAR_OR_SPAN = re.compile(r"\b(?:19|20)\d\d(?:-\d\d)?\b")


def strip_years(folded: str) -> str:
    """Folded text with its years and year spans blanked ("2014-15" is not a figure of anything)."""
    return _YEAR_OR_SPAN.sub(" ", folded)


def years(folded: str) -> set[str]:
    """Financial-year spans mentioned in folded text ("2014-15")."""
    return set(re.findall(r"\b(?:19|20)\d\d-\d\d\b", folded))


def word_tokens(folded: str) -> list[str]:
    """Tokens of already-folded text, stopwords kept (for phrase matching)."""
    tokens: list[str] = []
    for tok in _TOKEN.findall(folded):
        tok = tok.strip("'")
        if tok.endswith("%") and len(tok) > 1:
            tokens.extend([tok[:-1], "%"])
        elif tok.startswith("£") and len(tok) > 1:
            tokens.append(tok[1:])
        elif tok.endswith("s") and tok[0].isdigit():
            tokens.append(tok[:-1])  # "under-12s", "the 1990s"
        elif tok:
            tokens.append(tok)
    return tokens


def stem_tokens(tokens: Sequence[str]) -> list[str]:
    """Snowball stems; numbers and symbols pass through."""
    stemmer = _stemmer()
    return [t if not t[0].isalpha() else STEM_EXCEPTIONS.get(t) or stemmer.stemWord(t) for t in tokens]


@lru_cache(maxsize=1)
def _abbreviation_table() -> tuple[dict[str, list[str]], list[tuple[tuple[str, ...], str]]]:
    forward: dict[str, list[str]] = {}
    backward: list[tuple[tuple[str, ...], str]] = []
    for abbr, expansions in ABBREVIATIONS.items():
        forward[abbr] = []
        for expansion in expansions.split("|"):
            stems = _content_stems(fold(expansion))
            forward[abbr].extend(stems)
            backward.append((tuple(stems), abbr))
    return forward, backward


@lru_cache(maxsize=1)
def _synonym_table() -> dict[str, list[str]]:
    table: dict[str, list[str]] = {}
    for word, replacement in QUERY_SYNONYMS.items():
        key = stem_tokens([word])[0]
        table.setdefault(key, []).extend(_content_stems(fold(replacement)))
    return table


def _content_stems(folded: str) -> list[str]:
    return stem_tokens([t for t in word_tokens(folded) if t not in STOPWORDS])


def _spelled_out_forms(stems: list[str]) -> list[tuple[tuple[str, ...], str]]:
    """The spelled-out forms (as stems) that run in ``stems``, each with its abbreviation."""
    _, backward = _abbreviation_table()
    if not stems:
        return []
    joined = " " + " ".join(stems) + " "
    return [(expansion, abbr) for expansion, abbr in backward if expansion and f" {' '.join(expansion)} " in joined]


def _expand_abbreviations(raw_tokens: list[str], stems: list[str]) -> list[str]:
    """Spelled-out forms add their abbreviation ("looked after children" -> "lac").

    Only this direction is needed: both passages and questions are normalised to the
    abbreviation, and adding the spelled-out words to every "MASH" would swamp BM25
    with common words such as "safeguarding".
    """
    return [abbr for _, abbr in _spelled_out_forms(stems)]


def spelled_out(text: str) -> dict[str, set[str]]:
    """For each word stem of a spelled-out abbreviation in ``text`` ("children in care"), the
    abbreviations it spells out ("care" -> {"lac", "cla", "cic"})."""
    found: dict[str, set[str]] = {}
    for expansion, abbreviation in _spelled_out_forms(_content_stems(fold(text))):
        for stem in expansion:
            found.setdefault(stem, set()).add(abbreviation)
    return found


def text_terms(text: str) -> list[str]:
    """Index terms of a passage: stemmed content words plus abbreviation expansions."""
    raw = [t for t in word_tokens(fold(text)) if t not in STOPWORDS]
    stems = stem_tokens(raw)
    return stems + _expand_abbreviations(raw, stems)


@lru_cache(maxsize=16384)
def term_set(text: str) -> frozenset[str]:
    """The distinct index terms of a passage or sentence, cached: answering meets the same
    passages' sentences again and again, and folding them is most of its work."""
    return frozenset(text_terms(text))


# a corpus's own vocabulary changes what these derive from the tables
on_change(_abbreviation_table.cache_clear)
on_change(_synonym_table.cache_clear)
on_change(term_set.cache_clear)


def query_terms(question: str, *, synonyms: bool = True) -> list[str]:
    """Terms of a question: content words (no question words), expansions and synonyms."""
    raw = [t for t in word_tokens(fold(question)) if t not in STOPWORDS and t not in QUESTION_WORDS]
    stems = stem_tokens(raw)
    terms = stems + _expand_abbreviations(raw, stems)
    if synonyms:
        table = _synonym_table()
        for stem in stems:
            terms.extend(table.get(stem, ()))
    return terms


def contains_fact(haystack: str, fact: str) -> bool:
    """Does ``haystack`` state ``fact``? Case, number words, per cent and plurals folded."""
    hay = _fact_tokens(haystack)
    needle = _fact_tokens(fact)
    if not needle:
        return True
    n = len(needle)
    return any(hay[i : i + n] == needle for i in range(len(hay) - n + 1))


def _fact_tokens(text: str) -> list[str]:
    return [_singular(t) for t in word_tokens(fold(text))]


def _singular(token: str) -> str:
    if len(token) > 3 and token.endswith("s") and not token.endswith("ss") and token[0].isalpha():
        return token[:-1]
    return token


def unique(items: Iterable[str]) -> list[str]:
    """Items in first-seen order without repeats."""
    return list(dict.fromkeys(items))
