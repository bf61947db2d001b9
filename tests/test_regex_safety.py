"""No regular expression in the package backtracks catastrophically on hostile input.

A question (up to ``Settings.max_question_chars``), the questions of a conversation's
history, a briefing topic and every line of an uploaded document reach the package's
patterns. A pattern with nested or adjacent unbounded repeats that can match the same
characters ("([a-z'-]+\\s?){1,4}", "[|\\s]*...\\s*...[|\\s]*$") takes polynomial or
exponential time on a long run of the characters it accepts followed by one it does not,
and holds the GIL while it does: one request freezes every user.

This test imports every module of ``assistant``, collects every compiled pattern reachable
from module (and class) globals, including inside lists, tuples, sets and dicts such as the
``(name, pattern)`` pairs of ``TYPE_CUES``, plus the pattern strings the privacy module
hands to presidio, and runs inputs derived from each pattern:

* for every repetition in the pattern, the shortest text that reaches it, then a long run
  of what the repetition accepts (each character it accepts, examples of its body, words
  interleaved with the separators it accepts), then a character that forces failure;
* generic attack strings: runs of letters, spaces, digits, ``|``, ``-``, ``'``, ``.`` ...

with ``search``, ``match`` and ``fullmatch``, at lengths growing to the longest input the
pattern can meet (a document line for most, a question for the identifier patterns): every
call must finish within a small budget of CPU time. Growing the length step by step, with a
budget proportional to the length, catches a blow-up early (a catastrophic pattern fails at
a few dozen characters instead of freezing the test).

Then the limits that keep input within those lengths (history items, register searches,
briefing topics) and, marked slow, hostile questions and histories of the maximum length
asked end to end.
"""

from __future__ import annotations

import importlib
import pkgutil
import random
import re
import re._constants as sre  # the parsed form of a pattern (Python 3.11+)
import re._parser as sre_parse
import time
import types
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest

import assistant

QUESTION_CHARS = 2000  # Settings.max_question_chars (checked below)
DOCUMENT_CHARS = 20_000  # one line of an uploaded document
BUDGET = 0.25  # CPU seconds for one call at the full length
# The identifier patterns see only questions, but every question of the history too (up to 21
# per request): their budget for a question is a fifth of the others'.
QUESTION_BUDGET = 0.05
FLOOR = 0.005  # seconds: below this, timings at small lengths are noise
PRESIDIO_FLAGS = re.DOTALL | re.MULTILINE  # the global_regex_flags privacy.py gives presidio

# Patterns that only ever see a question or a history question (never a document). Every
# other pattern, the question's own included, is held to a document line: a follow-up
# question is read together with the earlier questions of its conversation.
QUESTION_ONLY = ("assistant.services.privacy",)


# ---------------------------------------------------------------------------------------
# collecting the patterns


@dataclass(frozen=True)
class Target:
    name: str
    pattern: re.Pattern[str]
    length: int
    budget: float


def _modules() -> Iterator[types.ModuleType]:
    yield assistant
    for info in pkgutil.walk_packages(assistant.__path__, "assistant."):
        if info.name.rsplit(".", 1)[-1] == "__main__":
            continue  # running it is the command line
        yield importlib.import_module(info.name)


def _patterns_in(value: Any, path: str, seen: set[int], depth: int = 0) -> Iterator[tuple[str, re.Pattern[str]]]:
    if isinstance(value, re.Pattern):
        if isinstance(value.pattern, str):
            yield path, value
        return
    if depth > 6 or id(value) in seen:
        return
    if isinstance(value, (list, tuple, set, frozenset)):
        seen.add(id(value))
        for i, item in enumerate(value):
            yield from _patterns_in(item, f"{path}[{i}]", seen, depth + 1)
    elif isinstance(value, dict):
        seen.add(id(value))
        for key, item in value.items():
            yield from _patterns_in(item, f"{path}[{key!r}]", seen, depth + 1)


def collect() -> list[Target]:
    """Every compiled pattern reachable from the package's module and class globals, and
    the pattern strings given to presidio, each with the longest input it can meet."""
    targets: dict[tuple[str, int], Target] = {}

    def add(name: str, pattern: re.Pattern[str], module: str) -> None:
        if module.startswith(QUESTION_ONLY):
            target = Target(name, pattern, QUESTION_CHARS, QUESTION_BUDGET)
        else:
            target = Target(name, pattern, DOCUMENT_CHARS, BUDGET)
        key = (pattern.pattern, pattern.flags)
        if key not in targets or targets[key].length < target.length:
            targets[key] = target

    for module in _modules():
        seen: set[int] = set()
        for name, value in vars(module).items():
            if isinstance(value, types.ModuleType):
                continue
            if isinstance(value, type) and value.__module__ == module.__name__:
                for attr, member in vars(value).items():
                    for path, pattern in _patterns_in(member, f"{module.__name__}.{name}.{attr}", seen):
                        add(path, pattern, module.__name__)
                continue
            for path, pattern in _patterns_in(value, f"{module.__name__}.{name}", seen):
                add(path, pattern, module.__name__)

    from assistant.services import privacy

    for index, (entity, regex, _score) in enumerate(privacy._CUSTOM_PATTERNS):
        name = f"assistant.services.privacy._CUSTOM_PATTERNS[{index}] ({entity})"
        add(name, re.compile(regex, PRESIDIO_FLAGS), privacy.__name__)
    return sorted(targets.values(), key=lambda t: t.name)


# ---------------------------------------------------------------------------------------
# inputs derived from a pattern

_POOL = " \t\naAzZ7_-|'.,:;()/[]!?%£&@\"’–#"
_CATEGORIES = {
    sre.CATEGORY_DIGIT: re.compile(r"\d"),
    sre.CATEGORY_NOT_DIGIT: re.compile(r"\D"),
    sre.CATEGORY_SPACE: re.compile(r"\s"),
    sre.CATEGORY_NOT_SPACE: re.compile(r"\S"),
    sre.CATEGORY_WORD: re.compile(r"\w"),
    sre.CATEGORY_NOT_WORD: re.compile(r"\W"),
}
_ONE_CHARACTER = (sre.LITERAL, sre.NOT_LITERAL, sre.IN, sre.ANY)
_REPEATS = (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT)
_GENERIC_UNITS = ("a", "A", " ", "7", "|", "-", "'", ".", ",", "\n", "a ", "a-", "a'", "7 ", "| ", "7.", "Aa ", "a. ")
_KILLERS = ("!", "a", "7", " ")


def _accepts(op: Any, av: Any, ch: str, flags: int) -> bool:
    """Does the one-character element (op, av) accept ``ch``?"""
    variants = {ch, ch.lower(), ch.upper()} if flags & re.IGNORECASE else {ch}
    for variant in variants:
        code = ord(variant)
        if op is sre.LITERAL and code == av:
            return True
        if op is sre.NOT_LITERAL and code != av:
            return True
        if op is sre.ANY and (variant != "\n" or flags & re.DOTALL):
            return True
        if op is sre.IN:
            negate, hit = False, False
            for item_op, item_av in av:
                if item_op is sre.NEGATE:
                    negate = True
                elif item_op is sre.LITERAL:
                    hit = hit or code == item_av
                elif item_op is sre.RANGE:
                    hit = hit or item_av[0] <= code <= item_av[1]
                elif item_op is sre.CATEGORY:
                    hit = hit or bool(_CATEGORIES[item_av].match(variant))
            if hit != negate:
                return True
    return False


def _children(op: Any, av: Any) -> list[Any]:
    if op is sre.SUBPATTERN:
        return [av[3]]
    if op is sre.BRANCH:
        return list(av[1])
    if op in _REPEATS:
        return [av[2]]
    if op is sre.ATOMIC_GROUP:
        return [av]
    if op is sre.GROUPREF_EXISTS:
        return [branch for branch in av[1:] if branch is not None]
    return []  # lookarounds are left out: they consume nothing


class _Inputs:
    """Example texts for the parts of one parsed pattern."""

    def __init__(self, pattern: re.Pattern[str]) -> None:
        self.flags = pattern.flags
        self.parsed = sre_parse.parse(pattern.pattern, pattern.flags)
        literals: set[str] = set()
        self._literals(self.parsed, literals)
        self.pool = list(dict.fromkeys(_POOL + "".join(sorted(literals))))
        self.rng = random.Random(pattern.pattern)

    def _literals(self, seq: Any, out: set[str]) -> None:
        for op, av in seq:
            if op is sre.LITERAL:
                out.add(chr(av))
            elif op is sre.IN:
                for item_op, item_av in av:
                    if item_op is sre.LITERAL:
                        out.add(chr(item_av))
                    elif item_op is sre.RANGE:
                        out.update((chr(item_av[0]), chr(item_av[1])))
            for child in _children(op, av):
                self._literals(child, out)

    def chars(self, op: Any, av: Any) -> list[str]:
        return [ch for ch in self.pool if _accepts(op, av, ch, self.flags)]

    def example(self, seq: Any, how: str = "first") -> str:
        """A short text the elements match, lookarounds ignored: taking the first character
        and alternative each time, the last ones, or random ones (with a few more repeats)."""
        out: list[str] = []
        for op, av in seq:
            if op is sre.LITERAL:
                out.append(chr(av))
            elif op in _ONE_CHARACTER:
                out.append(self._pick(self.chars(op, av) or ["a"], how))
            elif op is sre.SUBPATTERN:
                out.append(self.example(av[3], how))
            elif op is sre.ATOMIC_GROUP:
                out.append(self.example(av, how))
            elif op is sre.BRANCH:
                out.append(self.example(self._pick(av[1], how), how))
            elif op in _REPEATS:
                low, high = av[0], av[1]
                count = self.rng.randint(low, min(high, low + 2)) if how == "random" else low
                out.extend(self.example(av[2], how) for _ in range(count))
            elif op is sre.GROUPREF_EXISTS:
                out.append(self.example(av[1], how))
        return "".join(out)

    def _pick(self, options: Any, how: str) -> Any:
        if how == "random":
            return self.rng.choice(options)
        return options[-1] if how == "last" else options[0]

    def sites(self, seq: Any, prefix: str = "", depth: int = 0) -> Iterator[tuple[str, Any]]:
        """(the shortest text that reaches it, its body) for every repetition."""
        if depth > 10:
            return
        for i, (op, av) in enumerate(seq):
            here = prefix + self.example(seq[:i])
            if op in _REPEATS:
                if av[1] > 1:  # an optional part cannot be pumped (what it holds may be)
                    yield here, av[2]
                yield from self.sites(av[2], here, depth + 1)
                yield from self.sites(av[2], here + self.example(av[2]), depth + 1)
            elif op is sre.SUBPATTERN:
                yield from self.sites(av[3], here, depth + 1)
            elif op is sre.ATOMIC_GROUP:
                yield from self.sites(av, here, depth + 1)
            elif op is sre.BRANCH:
                for alternative in av[1]:
                    yield from self.sites(alternative, here, depth + 1)

    def accepted(self, seq: Any) -> list[str]:
        """Characters some one-character element of ``seq`` accepts (a few per element)."""
        found: dict[str, None] = {}
        for op, av in seq:
            if op in _ONE_CHARACTER:
                found.update(dict.fromkeys(self.chars(op, av)[:6]))
            for child in _children(op, av):
                found.update(dict.fromkeys(self.accepted(child)))
        return list(found)

    def attacks(self) -> list[tuple[str, str, str]]:
        """(prefix, unit, killer): the input is the prefix, the unit repeated, the killer."""
        found: dict[tuple[str, str, str], None] = {}
        for unit in _GENERIC_UNITS:
            for killer in ("", "!"):
                found[("", unit, killer)] = None
        seen: set[tuple[str, int]] = set()
        for prefix, body in self.sites(self.parsed):
            if (prefix, id(body)) in seen:
                continue
            seen.add((prefix, id(body)))
            chars = _few(self.accepted(body))
            units = dict.fromkeys(chars)
            for how in ("first", "last", "random"):
                units[self.example(body, how)] = None
            word = [c for c in chars if c.isalnum()][:1]
            separators = [c for c in chars if not c.isalnum()][:3]
            for w in word:
                for s in separators:
                    units[w + s] = None
            if prefix.strip():
                # the text that reaches the repetition, again and again ("what what what ...")
                units[prefix + " "] = None
                units[prefix + (chars[0] if chars else "a")] = None
            # a character the repetition does not accept ends the run (or the text just ends)
            killer = next((k for k in _KILLERS if k not in chars), "\x00")
            for unit in units:
                if unit:
                    found[(prefix, unit, "")] = None
                    found[(prefix, unit, killer)] = None
        return list(found)


def _few(chars: list[str]) -> list[str]:
    """At most six characters, the kinds that differ most: spaces, punctuation, a letter, a digit."""
    spaces = [c for c in chars if c.isspace()][:2]
    punctuation = [c for c in chars if not c.isspace() and not c.isalnum()][:2]
    letters = [c for c in chars if c.isalpha()][:1]
    digits = [c for c in chars if c.isdigit()][:1]
    return [*spaces, *punctuation, *letters, *digits]


def build(prefix: str, unit: str, killer: str, length: int) -> str:
    room = max(1, length - len(prefix) - len(killer))
    return prefix + (unit * (room // len(unit) + 1))[:room] + killer


def _timed(call: Callable[[str], object], text: str) -> float:
    """CPU seconds of one call: what a pattern holds the GIL for, whatever else the machine runs."""
    started = time.thread_time()
    call(text)
    return time.thread_time() - started


def slow_inputs(
    pattern: re.Pattern[str], length: int, budget: float = BUDGET, *, run: Any = None
) -> list[tuple[float, str, int, str]]:
    """(seconds, method, length, input) of the first call over its budget (empty: none is).

    Each input grows from 16 characters (doubling, then four times longer each step from 256,
    then ``length``); at each size the budget is proportional to it (never below :data:`FLOOR`),
    so a pattern that grows faster than linearly is caught before it runs for minutes. A call
    a little over budget is timed twice more and the best of three counts. ``run`` is the compiled pattern to time when it is not
    ``pattern`` itself (the same source compiled by the ``regex`` module).
    """
    compiled = pattern if run is None else run
    methods = (compiled.search, compiled.match, compiled.fullmatch)
    for prefix, unit, killer in _Inputs(pattern).attacks():
        size = 16
        while True:
            size = min(size, length)
            text = build(prefix, unit, killer, size)
            allowed = max(budget * size / length, FLOOR) if size < length else budget
            for method in methods:
                seconds = _timed(method, text)
                if allowed < seconds < 4 * allowed:  # maybe noise: the best of three counts
                    seconds = min(seconds, _timed(method, text), _timed(method, text))
                if seconds > allowed:
                    return [(seconds, method.__name__, size, text)]
            if size == length:
                break
            size *= 2 if size < 256 else 4
            if 2 * size > length:
                size = length
    return []


def _report(name: str, slow: list[tuple[float, str, int, str]]) -> str:
    seconds, method, size, text = slow[0]
    shown = repr(text) if len(text) <= 80 else f"{text[:60]!r} + ... + {text[-10:]!r}"
    return f"{name}.{method} took {seconds:.3f}s of CPU on {size} characters: {shown}"


# ---------------------------------------------------------------------------------------
# every pattern of the package

TARGETS = collect()


def test_the_scan_finds_the_patterns() -> None:
    from assistant.config import Settings

    assert Settings().max_question_chars <= QUESTION_CHARS
    names = {t.name for t in TARGETS}
    assert len(TARGETS) >= 100
    assert sum(name.startswith("assistant.text.cues.TYPE_CUES[") for name in names) >= 10
    assert "assistant.documents.cleaning._PAGE_MARKER" in names
    assert sum(name.startswith("assistant.services.privacy._CUSTOM_PATTERNS[") for name in names) >= 10
    assert (
        sum(
            name.startswith(("assistant.rules.extraction.", "assistant.rules.subjects.", "assistant.rules.matching."))
            for name in names
        )
        >= 30
    )


@pytest.mark.parametrize("target", TARGETS, ids=[t.name for t in TARGETS])
def test_no_pattern_backtracks_catastrophically(target: Target) -> None:
    slow = slow_inputs(target.pattern, target.length, target.budget)
    assert not slow, _report(target.name, slow)


def test_presidio_runs_the_privacy_patterns_in_time() -> None:
    """presidio compiles the identifier patterns with the ``regex`` module, not ``re``."""
    regex = pytest.importorskip("regex")
    from assistant.services import privacy

    for index, (_entity, source, _score) in enumerate(privacy._CUSTOM_PATTERNS):
        compiled = regex.compile(source, flags=PRESIDIO_FLAGS)
        slow = slow_inputs(re.compile(source, PRESIDIO_FLAGS), QUESTION_CHARS, QUESTION_BUDGET, run=compiled)
        assert not slow, _report(f"privacy._CUSTOM_PATTERNS[{index}] (regex module)", slow)


# ---------------------------------------------------------------------------------------
# the scan itself: it must find what the security probe found


OLD_DEFINITION = r"^(so )?what (is|are) (a |an |the )?([a-z'-]+\s?){1,4}\??$"
OLD_PAGE_MARKER = r"^[|\-–\s]*(?:(?:p\s?a\s?g\s?e|page|pg\.?))?\s*[|\-–]?\s*(\d{1,4})?\s*(?:of\s+\d+)?\s*[|\-–\s]*$"


def test_the_scan_catches_the_reported_patterns_quickly() -> None:
    """The two patterns the probe reported (taking seconds, then minutes) fail at a few dozen characters."""
    started = time.perf_counter()
    slow = slow_inputs(re.compile(OLD_DEFINITION), QUESTION_CHARS)
    assert slow and slow[0][2] <= 256, slow[:1]
    slow = slow_inputs(re.compile(OLD_PAGE_MARKER, re.IGNORECASE), DOCUMENT_CHARS)
    assert slow and slow[0][2] <= 256, slow[:1]
    assert time.perf_counter() - started < 10


@pytest.mark.parametrize(
    ("source", "flags"),
    [
        (r"\bwhat\b.*\b(rate|percentage|proportion)\b", 0),  # quadratic: "what what what ..."
        (r"(\d+(?:\.\d+)?)\s*(%|day|week|month|year|hour)s?\b", 0),  # quadratic: a run of digits
        (r"\s+per\s*cent\b", re.IGNORECASE),  # quadratic: a run of spaces
        (r"((?:[A-Z][\w’'-]*\s+(?:(?:of|and|&|for|the)\s+)?){1,9})\(([A-Z][A-Za-z&]{1,8}?)s?\)", 0),  # capitals
    ],
)
def test_the_scan_catches_quadratic_patterns(source: str, flags: int) -> None:
    """Patterns that were fixed because a long document line made them take seconds."""
    assert slow_inputs(re.compile(source, flags), DOCUMENT_CHARS)


def _grows_linearly(run: Callable[[int], object], sizes: tuple[int, ...], budget: float) -> None:
    """``run(size)`` at growing sizes, each within a budget proportional to its size: a
    blow-up fails at a small size instead of running for minutes."""
    for size in sizes:
        started = time.thread_time()
        run(size)
        seconds = time.thread_time() - started
        allowed = max(budget * size / sizes[-1], 0.02)
        assert seconds < allowed, f"{seconds:.2f}s of CPU at size {size} (allowed {allowed:.2f}s)"


def test_the_reported_inputs_are_fast_now() -> None:
    from assistant.documents.cleaning import RawPage, blocks_from_pages
    from assistant.text.cues import question_type

    # "What is " + "a" * 250 + "!" took 15 s; the longest question, minutes
    _grows_linearly(lambda n: question_type("What is " + "a" * n + "!"), (32, 64, 128, 256, 512, 1990), 0.25)
    assert question_type("What is private fostering?") == "definition"
    assert question_type("What are the threshold criteria") == "definition"

    # a 1 KB space-padded table took the whole 120 s parse timeout
    def parse(width: int) -> None:
        rows = [f"| {' ' * width}Agency {i} | {' ' * width}{i * 7}" for i in range(12)]
        blocks = blocks_from_pages([RawPage([*rows[:6], "| P a g e 4", *rows[6:]])], in_text_page_markers=True)
        assert blocks and blocks[0].label == "1–4"  # the marker was found: the text before it is on pages 1-4

    _grows_linearly(parse, (8, 16, 32, 64, 90, 200, 1000), 0.5)


# ---------------------------------------------------------------------------------------
# limits on what reaches the patterns


def test_a_history_question_over_the_limit_is_refused(make_settings: Callable[..., Any]) -> None:
    from assistant.engine import Assistant
    from assistant.errors import AnswerError
    from assistant.models import Turn

    assistant = Assistant(make_settings())
    history = [Turn("What is private fostering?", "An arrangement ..."), Turn("x" * 12_345, "")]
    expected = "history item 2: the question is 12,345 characters long; keep it under 2,000"
    with pytest.raises(AnswerError, match=expected):
        assistant.ask("And the year before?", history)


def test_the_history_is_cut_to_its_recent_turns_and_the_openings_of_answers(make_settings: Callable[..., Any]) -> None:
    from assistant.engine import MAX_HISTORY_ANSWER_CHARS, MAX_HISTORY_TURNS, Assistant
    from assistant.models import Turn

    history = [Turn(f"  question {i}  ", f"answer {i} " + "x" * 20_000) for i in range(30)]
    kept = Assistant(make_settings())._bounded_history(history)
    assert len(kept) == MAX_HISTORY_TURNS == 20
    assert [t.question for t in kept] == [f"question {i}" for i in range(10, 30)]
    assert all(len(t.answer) == MAX_HISTORY_ANSWER_CHARS and t.answer.startswith("answer") for t in kept)


def test_a_register_search_over_200_characters_is_refused() -> None:
    from assistant.errors import AnswerError
    from assistant.rules import search_register

    with pytest.raises(AnswerError, match="the search is 299 characters long; keep it under 200"):
        search_register([], "fostering " * 30)
    assert search_register([], "private fostering") == []


def test_a_briefing_topic_over_200_characters_is_refused(make_settings: Callable[..., Any]) -> None:
    from assistant.engine import Assistant
    from assistant.errors import AnswerError
    from assistant.products.briefing import build_briefing

    with pytest.raises(AnswerError, match="characters long; keep it under 200"):
        build_briefing(Assistant(make_settings()), "private fostering " * 12)


# ---------------------------------------------------------------------------------------
# end to end: the longest hostile questions are answered in time
#
# CPU seconds of the whole process (the model's threads included), not wall time: a busy
# machine must not fail these. Most of the second is the embedding model reading a question
# of the maximum length; the patterns take milliseconds.

MAX = QUESTION_CHARS
HOSTILE_QUESTIONS = {
    "definition": "What is " + "a" * 1990 + "!",
    "definition-words": ("What is " + "a " * 1000)[: MAX - 1] + "!",
    "what-what": ("what " * 400)[:MAX],
    "how-much": ("how much money " * 134)[:MAX],
    "when-must": ("when must " * 200)[:MAX],
    "digits": "7" * MAX,
    "number-words": ("eleven-sixty " * 154)[:MAX],
    "spaces": "a" + " " * (MAX - 2) + "?",
    "bars": ("| " * 1000)[: MAX - 4] + "page",
    "capitals": ("A" * (MAX - 5)) + " (AB)",
    "names": ("Mr Aa Aa " * 223)[:MAX],
}


def _cpu_seconds(call: Callable[[], object]) -> float:
    started = time.process_time()
    call()
    return time.process_time() - started


@pytest.mark.slow
@pytest.mark.parametrize("question", HOSTILE_QUESTIONS.values(), ids=HOSTILE_QUESTIONS.keys())
def test_a_hostile_question_is_answered_in_time(seed_assistant: Any, question: str) -> None:
    assert len(question) <= MAX
    seed_assistant.ask("How many child protection plans were there?")  # everything loaded
    assert _cpu_seconds(lambda: seed_assistant.ask(question)) < 1.0


@pytest.mark.slow
@pytest.mark.parametrize("question", HOSTILE_QUESTIONS.values(), ids=HOSTILE_QUESTIONS.keys())
def test_a_hostile_history_item_is_read_in_time(seed_assistant: Any, question: str) -> None:
    from assistant.models import Turn

    seed_assistant.ask("How many child protection plans were there?")
    history = [Turn(question, "The documents provided do not answer this question.")]
    assert _cpu_seconds(lambda: seed_assistant.ask("And the year before?", history)) < 1.0


@pytest.mark.slow
def test_a_long_hostile_history_is_cut_to_its_last_turns(seed_assistant: Any) -> None:
    """Fifty follow-ups of the longest hostile question: twenty are read (each folded into the
    next, so the standalone question grows to some 40,000 characters), in a few seconds."""
    from assistant.models import Turn

    seed_assistant.ask("How many child protection plans were there?")
    history = [Turn(HOSTILE_QUESTIONS["definition-words"], "x " * 10_000)] * 50
    assert _cpu_seconds(lambda: seed_assistant.ask("And the year before?", history)) < 6.0
