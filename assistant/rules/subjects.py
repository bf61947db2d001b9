"""What a rule is about: the subject phrase of the sentence (or of the one before it, or of its
section heading) that a register entry names."""

from __future__ import annotations

import re
from collections.abc import Sequence

from assistant.models import Chunk
from assistant.rules.extraction import (
    PROCESS_BEFORE,
    RuleMatch,
    is_label_line,
    same_length_lower,
)
from assistant.text.cues import BASE_VERBS, LIST_MARKER, STEP_VERBS
from assistant.text.normalise import STOPWORDS

# -- subjects -------------------------------------------------------------------------------

_DETERMINERS = frozenset(
    "the a an all each every any this these that those our their its his her your some such both".split()
)
_PRONOUNS = frozenset("this these that those it they we he she there which who such one".split())
_GENERIC_HEADS = frozenset(
    """number numbers figure figures proportion percentage rate target targets data increase decrease total
    cent % year years time times level levels amount measure""".split()
)
_AGENTS = frozenset(
    """agency agencies partner partners delegates practitioners professionals staff we you board boards
    organisation organisations services""".split()
)
_VERBS = frozenset(
    """is are was were be been being must should will shall can may might would could has have had meets meet met
    continues continue requires require provides provide includes include takes take covers cover places place
    remains remain needs need to do does did monitored presented reported held undertaken carried completed
    made offered refreshed chaired ensures ensure occur occurs developed""".split()
)
_STEP = re.compile(rf"^\s*(?:{LIST_MARKER}\s*)?within\b[^,;:]{{3,120}},\s*", re.IGNORECASE)
"""A step that opens with its time limit: what to do follows the comma."""
_BOUNDARY = frozenset(
    """to for with by on at from into via within during under over about against between than as so and or but if
    when where while because which that who whom whose""".split()
)
_STRIP_PREFIXES = (
    "the number of ",
    "number of ",
    "the proportion of ",
    "proportion of ",
    "the percentage of ",
    "percentage of ",
    "delays in ",
    "completion of ",
    "timeliness of ",
)
_GENERIC_LABELS = frozenset("recommendation recommendations action actions note challenge priority summary".split())


def _clean_subject(raw: str) -> str:
    text = raw.strip(" \t,;:.-–—•*")
    text = re.sub(rf"^{LIST_MARKER}\s+", "", text)  # list markers "1." "a)"
    text = re.sub(r"^\d{1,2}(?:\.\d{1,2}){1,3}\.?\s+", "", text)  # numbered paragraphs "7.4", "4.3.2"
    text = re.sub(
        r"^(?:at\s+least|a\s+minimum\s+of|no\s+less\s+than|up\s+to)\s+\d+(?:\.\d+)?\s*(?:%|per\s*cent)\s+of\s+",
        "",
        text,
        flags=re.IGNORECASE,
    )
    changed = True
    while changed:
        changed = False
        lowered = text.lower()
        first = lowered.split(" ", 1)[0] if lowered else ""
        if first in _DETERMINERS and " " in text:
            text = text.split(" ", 1)[1]
            changed = True
            continue
        for prefix in _STRIP_PREFIXES:
            if lowered.startswith(prefix) and len(text) > len(prefix):
                text = text[len(prefix) :]
                changed = True
                break
    text = re.sub(r"[’']s$", "", text.strip(" ,;:.-"))
    return text.strip()


def _cap(text: str, limit: int = 16) -> str:
    words = text.split()
    if len(words) <= limit:
        return text
    cut = words[:limit]
    while len(cut) > 3 and cut[-1].lower() in _BOUNDARY | _DETERMINERS:
        cut.pop()  # never end on a dangling "from", "the"
    return " ".join(cut)


def _generic(subject: str) -> bool:
    words = subject.lower().split()
    if not words or len(subject) < 2:
        return True
    if words[0] in _PRONOUNS or words[0][:1].isdigit():
        return True
    if all(w in STOPWORDS or w in _GENERIC_HEADS for w in words):
        return True
    return words[-1] in _GENERIC_HEADS


def _tokens(text: str) -> list[tuple[str, int, int]]:
    return [(m.group().lower().strip(".,;:()'\"‘’“”"), m.start(), m.end()) for m in re.finditer(r"\S+", text)]


_LEADING_CLAUSE = re.compile(
    r"^(?:\d{1,2}(?:\.\d{1,2}){0,3}\.?\s+)?(?:if|where|when|whenever|once|unless|although|though|while|whilst|before|"
    r"after|until|as soon as|because|since)\b[^,;:]{3,200},\s*",
    re.IGNORECASE,
)
"""A condition or time that opens a sentence ("Where the child may need immediate protection, it must
..."): the main clause, and its subject, come after it."""
_PERSONAL = frozenset("it they he she".split())
_POSSESSIVES = frozenset("its their his her".split())


def _antecedent(previous: Sequence[str], reach: int = 3) -> tuple[str, int] | None:
    """The nearest earlier sentence's subject that is not itself a pronoun, and how far back it is."""
    for back, earlier in enumerate(reversed(previous[-reach:]), start=1):
        subject = _grammatical_subject(earlier)[0]
        if (subject.split() or [""])[0].lower() in _PERSONAL | _POSSESSIVES:
            continue  # that one goes on about an earlier subject too
        np = _cap(_clean_subject(subject))
        if np and not _generic(np):
            return np, back
    return None


_NOT_BEFORE_VERB = _DETERMINERS | frozenset(
    "in of for with by on at from into via within during under over about against between than".split()
)


def _grammatical_subject(text: str) -> tuple[str, int]:
    """The words before the main verb, and where that verb starts (-1 when not found)."""
    lead = _LEADING_CLAUSE.match(text)
    if lead and _tokens(text[lead.end() :]):
        subject, at = _grammatical_subject(text[lead.end() :])
        return subject, (at + lead.end() if at >= 0 else -1)
    tokens = _tokens(text)
    relative = False
    for i, (word, start, _) in enumerate(tokens):
        if i == 0:
            continue
        previous = tokens[i - 1][0]
        if word in ("who", "which", "that", "where", "when"):
            relative = True
            continue
        if word == "to" and (i + 1 >= len(tokens) or tokens[i + 1][0] not in BASE_VERBS | {"be"}):
            continue
        if word in _VERBS:
            if previous in _NOT_BEFORE_VERB:
                continue  # "a child in need plan": after "in" or "the", "need" is a noun
            if relative and (previous in ("who", "which", "that", "they", "it", "he", "she", "we", "and") or i < 3):
                continue
            if relative and word not in ("has", "have", "is", "are", "was", "were", "will", "must", "should"):
                continue
            subject = text[:start]
            # "the DSL where they are not the subject of the allegation": the clause says which one
            qualifier = re.search(r"(?<=\S)\s+(?:where|when)\s", subject, flags=re.IGNORECASE)
            if qualifier and subject[: qualifier.start()].split()[-1].lower() not in _BOUNDARY:
                subject = subject[: qualifier.start()]
            if "," in subject:
                after = subject.rsplit(",", 1)[1]
                # "In 2014, the board ..." -> "the board"; "The manager, or the DSL" stays whole
                if after.split() and after.split()[0].lower() not in ("or", "and"):
                    subject = after
            return subject, start
    return "", -1


def _object_np(text: str, after: int) -> str:
    """The noun phrase after a verb chain ("to submit their audit programme to ..." -> "audit programme")."""
    tokens = _tokens(text[after:])
    i = 0
    while i < len(tokens) and (
        tokens[i][0] in _VERBS
        or tokens[i][0] in BASE_VERBS
        or tokens[i][0].endswith("ed")
        or tokens[i][0] in ("to", "also", "then", "now", "not", "continue", "be")
    ):
        i += 1
    words: list[str] = []
    for word, start, end in tokens[i:]:
        raw = text[after + start : after + end]
        if word in _BOUNDARY or not word:
            break
        if word[:1].isdigit() and not (words and words[-1][:1].isupper() and word.isdigit()):
            break
        words.append(raw.strip(",;:."))
        if raw.endswith((",", ";", ":", ".")):
            break
    return _clean_subject(" ".join(words))


def _trailing_np(text: str) -> str:
    """The noun phrase a text ends with ("... should be offered a LAC health assessment" -> "LAC health assessment")."""
    tokens = _tokens(text.rstrip(" .,;:"))
    words: list[str] = []
    crossed: set[str] = set()
    for index in range(len(tokens) - 1, -1, -1):
        word, start, end = tokens[index]
        raw = text[start:end].strip(".,;:")
        left = tokens[index - 1][0] if index > 0 else ""
        if word in ("of", "in") and "of" not in crossed and 0 < len(words) <= 2:
            crossed.add("of")
            words.append(raw)
            continue
        if (
            word == "and"
            and "and" not in crossed
            and 0 < len(words) <= 4
            and left
            and left not in _DETERMINERS | _BOUNDARY | _VERBS | BASE_VERBS
        ):
            crossed.add("and")
            words.append(raw)
            continue
        if word in _DETERMINERS or word in _BOUNDARY or word in _VERBS or word in BASE_VERBS or word in ("of", "in"):
            break
        if word.endswith("ed") and left in _VERBS:
            break
        words.append(raw)
    return _clean_subject(" ".join(reversed(words)))


def _label(text: str) -> str:
    """A table line's label ("Initial Case conferences 44% ...") or a "Label – ..." lead-in."""
    m = re.match(r"^([^:\-–—]{3,70}?)\s+[-–—]\s+", text) or re.match(r"^([^:]{3,60}?):\s+", text)
    if m and not re.search(r"\d", m.group(1)) and len(m.group(1).split()) <= 8:
        label = _clean_subject(m.group(1))
        if label.lower() not in _GENERIC_LABELS:
            return label
    if is_label_line(text):
        m = re.match(r"^([A-Za-z][\w’'&/()]*(?:\s+[A-Za-z’'&/()]+)*?)\s+\d", text)
        if m:
            return _clean_subject(m.group(1))
    return ""


def _expand_from(subject: str, previous: Sequence[str]) -> tuple[str, int]:
    """Give a bare noun phrase the modifiers an earlier sentence used ("case conferences" ->
    "Initial Case Conferences"); returns the phrase and how many sentences back it was found."""
    if not subject or len(subject.split()) > 3 or any(ch.isupper() for ch in subject):
        return subject, 0
    pattern = re.compile(
        r"\b((?:[A-Z][\w’'/&-]{0,50}\s+){1,3})((?i:" + r"\s+".join(re.escape(w) for w in subject.split()) + r"))\b"
    )
    for back, sentence in enumerate(reversed(previous), start=1):
        for m in pattern.finditer(sentence):
            lead = m.group(1).split()
            while lead and (
                lead[0].lower() in _DETERMINERS or lead[0].lower() in STOPWORDS or not lead[0][0].isupper()
            ):
                lead = lead[1:]
            if lead and m.group(1)[0].isupper():
                return " ".join([*lead, m.group(2)]), back
    return subject, 0


def _local_np(text: str, anchor: int) -> str:
    """The noun phrase just before the verb that precedes a rule ("... of case conferences being held within")."""
    before = text[:anchor].rstrip()
    verb = PROCESS_BEFORE.search(same_length_lower(before))
    if verb:
        before = before[: verb.start()].rstrip()
    else:
        before = re.sub(r"(?<!\s)\s+\w+(?:ed|en)\s*$", "", before)
    before = re.sub(
        r"(?<!\s)(?:\s+(?:is|are|was|were|be|being|been|will|must|should|to|continues?|has|have))*\s*$",
        "",
        before,
        flags=re.IGNORECASE,
    )
    before = re.sub(r"(?<!\s)\s*\b(?:which|that|who)\s*$", "", before, flags=re.IGNORECASE)
    return _trailing_np(before) if before else ""


def _counted_np(sentence: str, anchor: int) -> str:
    """What a measure counts: "the number of children who are ... within two years" -> "children who are ..."."""
    low = same_length_lower(sentence)[:anchor]
    found = None
    for match in re.finditer(r"\b(?:number|proportion|percentage)\s+of\s+", low):
        found = match
    if found is None:
        return ""
    phrase = sentence[found.end() : anchor].strip()
    phrase = re.sub(r"(?<!\s)\s+(?:being|were|was|is|are)\s+\w+\s*$", "", phrase)
    return _cap(_clean_subject(phrase))


def _section_leaf(chunk: Chunk) -> str:
    for title in reversed(chunk.section):
        cleaned = _clean_subject(title)
        if cleaned and cleaned.lower() not in ("board challenge", "challenge", "activity", "impact", "conclusion"):
            return cleaned
    return ""


def subject_of(
    sentence: str, rule: RuleMatch, previous: Sequence[str], chunk: Chunk, anchor_verb: bool
) -> tuple[str, int]:
    """What a rule is about, from the sentence (or the one before it); the int says how many
    sentences back the subject came from (0: this one)."""
    if rule.term:
        return _tidy(rule.term), 0
    if rule.object_np:
        return _tidy(rule.object_np), 0
    label = _label(sentence)
    if label and not _generic(label):
        return _tidy(label), 0
    step = _STEP.match(sentence) if rule.kind == "timescale" else None
    if step and rule.anchor[0] < step.end():
        # "Within 48 hours of the call, securely send copies of the file to ...": the step is about what it sends
        rest = _tokens(sentence[step.end() :])
        skip = 1 if len(rest) > 1 and rest[0][0].endswith("ly") and len(rest[0][0]) > 4 else 0
        if len(rest) > skip and rest[skip][0] in STEP_VERBS:
            obj = _cap(_object_np(sentence, step.end() + rest[skip][1]))
            if obj and not _generic(obj):
                return _tidy(obj), 0
    subject, verb_at = _grammatical_subject(sentence)
    # "It must take place within two working days", "Its first meeting must be held within ten
    # working days": the sentence goes on about the subject of an earlier one
    words = _clean_subject(subject).split() if subject else []
    lead = (subject.split() or [""])[0].lower()
    if previous and (lead in _PERSONAL or lead in _POSSESSIVES):
        found = _antecedent(previous)
        if found is not None:
            owner, back = found
            if lead in _POSSESSIVES and words:
                return _tidy(f"{owner}'s {' '.join(words)}"), back
            return _tidy(owner), back
    low = same_length_lower(sentence)
    if (
        rule.kind in ("frequency", "timescale")
        and (
            re.search(r"\b(?:which|that)\s+(?:is|are|will\s+be|must\s+be|should\s+be)\s+\w+\s*$", low[: rule.anchor[0]])
            or re.search(  # a second clause with its own subject: "... and the plan is reviewed quarterly"
                r"(?:\band|\bbut|\bwhile|;)\s+(?:the|a|an|their|its|this|each|all)\s+[\w\s'/-]{1,40}?\s+"
                r"(?:is|are|will\s+be|must\s+be|should\s+be)\s+\w+\s*$",
                low[: rule.anchor[0]],
            )
        )
    ):
        np = _cap(_local_np(sentence, rule.anchor[0]))
        if np and not _generic(np):
            return _tidy(np), 0
    if rule.kind == "eligibility" and rule.unit == "age":
        conditional = re.search(r"\bif\b", low[: rule.anchor[0]])
        consequence = re.search(r"\bthen\b|,", low[rule.anchor[1] :])
        if conditional and consequence:
            np = _trailing_np(sentence[rule.anchor[1] + consequence.end() :])
            if np and not _generic(np):
                return _tidy(np), 0
        who = None
        for match in re.finditer(
            r"\b(?:for|of|to)\s+(?:[\w'-]+\s+){0,2}?(?:children|child|young\s+people|young\s+person|infants?|babies)\b",
            low[: rule.anchor[1]],
        ):
            who = match
        if who is not None:
            np = _trailing_np(sentence[: who.start()])
            if np and not _generic(np):
                return _tidy(np), 0
        if verb_at < 0 and 0 < len(sentence[: rule.anchor[0]].split()) <= 6:
            # a line with no verb, an item of a list ("All players under the age of 18"): who it names
            np = _cap(_clean_subject(sentence[: rule.anchor[0]]))
            if np and not _generic(np):
                return _tidy(np), 0
    cleaned = _cap(_clean_subject(subject))
    head = cleaned.lower().split() if cleaned else []
    if head and (head[-1] in _AGENTS or head[0] in _AGENTS) and len(head) <= 3 and verb_at >= 0:
        obj = _object_np(sentence, verb_at)
        if obj and not _generic(obj):
            return _tidy(obj), 0
    if rule.kind == "duty" and re.search(r"\b(?:these|this|such|those|above)\b", subject.lower()):
        leaf = _section_leaf(chunk)
        if leaf:
            return _tidy(leaf), 0
    if cleaned and not _generic(cleaned):
        if rule.kind == "threshold" and len(cleaned.split()) == 1:
            onward = re.search(
                rf"\b{re.escape(cleaned)}\s+(?:is|are|will\s+be|must\s+be|should\s+be)\s+(?:made|sent|passed)\s+"
                r"(to\s+[^,;.]{2,60})",
                sentence,
                flags=re.IGNORECASE,
            )
            if onward:
                cleaned = f"{cleaned} {onward.group(1)}"
        expanded, back = _expand_from(cleaned, previous)
        return _tidy(expanded), back
    if rule.kind == "timescale":
        counted = _counted_np(sentence, rule.anchor[0])
        if counted and not _generic(counted):
            expanded, back = _expand_from(counted, previous)
            return _tidy(expanded), back
    if anchor_verb or rule.kind in ("timescale", "frequency"):
        clause = _LEADING_CLAUSE.match(sentence)
        main = clause.end() if clause and clause.end() < rule.anchor[0] else 0
        np = _cap(_local_np(sentence[main:], rule.anchor[0] - main))
        if np and not _generic(np):
            expanded, back = _expand_from(np, previous)
            return _tidy(expanded), back
    if previous:
        first = subject.lower().split()[:1]
        if first and first[0] in _PRONOUNS:
            np = _trailing_np(previous[-1])
        else:
            prev_subject, _ = _grammatical_subject(previous[-1])
            np = _cap(_clean_subject(prev_subject))
        if np and not _generic(np):
            return _tidy(np), 1
    return _tidy(_section_leaf(chunk)), 0


def _tidy(subject: str) -> str:
    subject = " ".join(subject.split()).strip(" ,;:.")
    return subject[:1].upper() + subject[1:] if subject else subject
