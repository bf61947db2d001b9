"""Finding register entries: a search over subjects and rules (abbreviations and their spelled-out
forms count as the same word), and the matcher that leads an answer with the rule a question asks for."""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from functools import lru_cache

from assistant.errors import AnswerError
from assistant.models import identity_text
from assistant.rules.entry import RegisterEntry
from assistant.text.cues import (
    acted_on,
    asked_actions,
    asked_actor,
    asked_bound,
    event_subject,
    named_kinds,
    numbered_names,
    other_kind,
    other_number,
    question_type,
    recipient,
    stated_bounds,
    states_actions,
    timed_subject,
    unnamed_scale,
    whole_abbreviations,
    without_anchors,
)
from assistant.text.normalise import QUESTION_WORDS, STOPWORDS, fold, query_terms, stem_tokens, text_terms, word_tokens
from assistant.text.vocabulary import ABBREVIATIONS, on_change

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


on_change(spelled_out_forms.cache_clear)


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
    "duration": ("timescale", "threshold"),
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
        # the entries of one subject in one document, for :meth:`widest`
        self._same_subject: dict[tuple[str, str], list[RegisterEntry]] = {}
        for entry in self.entries:
            self._same_subject.setdefault((entry.citation.doc_id, entry.subject.casefold()), []).append(entry)

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
        numbered = numbered_names(question)
        happening = event_subject(folded).split()
        event = set(text_terms(happening[-1])) if happening else set()
        modifiers = set(text_terms(" ".join(happening[:-1]))) - event
        # an abbreviation for the whole thing ("icpc" for "initial child protection conference")
        whole = whole_abbreviations(happening)
        modifiers -= whole
        kinds_asked = named_kinds(" ".join(happening))
        # "... pass a concern on to the county FA?": a rule for telling someone else is not its answer
        addressee = set(text_terms(recipient(folded))) if expects == "duration" else set()
        # "what's the longest ...?" is not answered by "at least three months" (the answerer's rule too)
        bound = asked_bound(folded) if expects == "duration" else ""
        # how long something is kept, how soon someone is called, how much notice, and of which kind
        # (the answerer's rules)
        actions = asked_actions(folded) if expects == "duration" else ()
        asked_kinds = named_kinds(folded)
        # what is kept (or given notice of), and who does what is timed ("governors"), named by the rule
        # (the answerer's rules)
        kept = acted_on(folded).split()[-1:]
        actor = asked_actor(folded).split()[-1:] if expects in ("frequency", "duration") else []
        kept_groups, actor_groups = concept_groups(" ".join(kept)), concept_groups(" ".join(actor))
        best: tuple[float, int, RegisterEntry] | None = None
        # only entries whose subject shares a word with the question are candidates
        positions = sorted({p for group in content for term in group for p in self._by_subject_term.get(term, ())})
        for position in positions:
            entry = entries[position]
            # "Level 2" is not "Level 3": neither the subject nor the quote may number it otherwise, and
            # the rule, its subject or its section must name the level asked about
            stated = f"{entry.subject}. {entry.citation.quote}"
            scope = f"{stated} {entry.citation.section}"
            if (
                entry.kind not in kinds
                or (numbered and (other_number(stated, numbered) or unnamed_scale(scope, numbered)))
                # "when must the allegations management meeting be held?": the rule must be about a
                # meeting, and about that kind of meeting
                or (event and not _times(event, modifiers, whole, kinds_asked, entry))
                or 2 * len(addressee & set(text_terms(scope))) < len(addressee)
                or (bound and bound not in (stated_bounds(fold(entry.citation.quote).lower()) or {bound}))
                or not states_actions(actions, fold(entry.citation.quote).lower())
                or other_kind(asked_kinds, fold(entry.citation.quote).lower())
                or not _names(kept_groups, scope)
                or not _names(actor_groups, f"{scope} {_identity(entry)}")
            ):
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

    def widest(self, entry: RegisterEntry) -> RegisterEntry:
        """The entry itself, or one of the same subject whose quote holds it and goes on to its
        exception ("... within two working days ... Where the child may need immediate protection,
        it must take place on the same day"): the quote to show for it (its value may differ)."""
        cited = entry.citation
        wider = [
            other
            for other in self._same_subject.get((cited.doc_id, entry.subject.casefold()), ())
            if other.citation.start <= cited.start and cited.end <= other.citation.end
        ]
        return max(wider, key=lambda e: (e.citation.end - e.citation.start, -e.citation.start), default=entry)


def _names(groups: Sequence[frozenset[str]], text: str) -> bool:
    """Does the text name each of the words (an alternative of each group)?"""
    terms = set(text_terms(text)) if groups else set()
    return all(g & terms for g in groups)


def _identity(entry: RegisterEntry) -> str:
    """Who issued the rule's document and what it is called ("Oakwood Primary School")."""
    cited = entry.citation
    return identity_text(cited.title, cited.document, cited.publisher)


def _times(head: set[str], modifiers: set[str], whole: set[str], kinds: set[str], entry: RegisterEntry) -> bool:
    """Is the rule the time of the thing asked about? It names the thing as what is timed, not as
    what the time counts from; where its quote names its own timed thing ("a transfer-in
    conference is held within ..."), that is the thing asked about; and it is of the kind asked
    about (a child protection conference's time is not a child in need meeting's). The answerer's
    rule too."""
    quote = fold(entry.citation.quote).lower()
    stated = timed_subject(quote)
    own = set(text_terms(stated))
    if own and not (whole & own or head & own):
        return False
    scope = f"{entry.subject}. {without_anchors(quote)} {entry.citation.section}"
    # the kind the rule names for what it times, else the kind its subject or section names
    section = fold(f"{entry.subject} {entry.citation.section}").lower()
    if other_kind(kinds, stated or without_anchors(quote), section) and not whole & own:
        return False
    return _about(head, modifiers, whole, set(text_terms(scope)))


def _about(head: set[str], modifiers: set[str], whole: set[str], terms: set[str]) -> bool:
    """Do the terms name the thing (its abbreviation, or its head word and at least half of what kind
    of thing it is)?"""
    return bool(whole & terms) or (bool(head & terms) and 2 * len(modifiers & terms) >= len(modifiers))
