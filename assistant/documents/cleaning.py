"""From extracted text lines to clean blocks with structure.

PDF and plain-text extraction leave quirks: Symbol-font bullets (U+F0B7), sentences
broken across lines, hyphenated line ends, running headers and page-number footers,
table cells one per line. This module rejoins what belongs together, drops page
furniture (recording the page it marks), and recognises headings, list items and
table rows, so that chunks carry their section and citations quote clean sentences.

Structured formats (DOCX, Markdown, HTML) skip the line heuristics: their loaders
emit :class:`Block` values directly, and :func:`assemble` is shared by all.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from assistant.models import BlockKind, Segment
from assistant.text.units import ends_with_phone, is_signature

__all__ = ["Block", "RawPage", "assemble", "blocks_from_pages", "normalise_block_text", "table_line", "table_row_text"]

# Symbol-font bullets (private-use code points such as U+F0B7) and common bullet marks.
BULLETS = (
    "\uf0b7\uf0a7\uf076\uf0d8\uf0fc\uf0e0\uf0a8\uf06e\uf071"
    "\u2022\u25aa\u25cf\u25e6\u2023\u2043\u2219\u00b7\u25a0\u25a1\u27a2\u2713\u2714\u25ba\u2192"
)
_BULLET_START = re.compile(rf"^\s*(?:[{BULLETS}]|[-*•o](?=\s))\s*")
_BULLET_ANYWHERE = re.compile(rf"[{BULLETS}]")
# "1. The club ..." opens a numbered list even when the paragraph before it lacks a full stop
_FIRST_ITEM = re.compile(r"^(?:1[.)]|\(1\))\s+[A-Z]")
_NUMBERED = re.compile(r"^(?:\d{1,2}[.)]|[a-z][.)]|\(?[ivx]{1,4}\)|\([a-z0-9]\))\s+\S")
_SUBSECTION = re.compile(r"^\d{1,2}((?:\.\d{1,2}){1,3})\.?\s+(?=[A-Z])")
"""A sub-section's number ("4.3 Recording", "2.1.4 What to do ..."): one level deeper for each part."""
_STRUCTURAL = re.compile(
    r"^(?:section|part|chapter|appendix|annex|schedule)\s+(?:\d+|[ivxlc]+|[a-z])\b\.?:?",
    re.IGNORECASE,
)
_PRIORITY = re.compile(r"^(?:priority|objective|aim|standard|recommendation|principle)\s+\d+\s*[:.\-–]", re.IGNORECASE)
_PAGE_WORD = r"(?:p\s?a\s?g\s?e|page|pg\.?)"
# Possessive repeats: a run of spaces or bars is taken whole, never shared out between the
# neighbouring repeats (which made a space-padded table line take minutes).
_PAGE_MARKER = re.compile(
    rf"^[|\-–\s]*+(?:{_PAGE_WORD})?\s*+[|\-–]?\s*+(\d{{1,4}})?\s*+(?:of\s++\d++)?[|\-–\s]*+$", re.IGNORECASE
)
_HAS_PAGE_WORD = re.compile(rf"(?:^|[\s|])(?:{_PAGE_WORD})(?:$|[\s|\d])", re.IGNORECASE)
_NUMERIC_TOKEN = re.compile(
    r"^[(\[]?(?:[£$€]?\d[\d,]*(?:\.\d+)?%?|\d{4}[/-]\d{2,4}|\d{2}/\d{2}|n/?a|-|–|nil)[)\]]?"
    r"(?:\(\d[\d,.]*%?\))?[.,:;]?$",
    re.IGNORECASE,
)
_YEARISH_TOKEN = re.compile(r"^[(\[]?(?:19|20)\d\d(?:\s*[/-]\s*\d{2,4})?[)\]]?[.,:;]?$")
_PER_CENT_WORDS = re.compile(r"(?<!\s)\s+per\s*cent\b", re.IGNORECASE)  # from the first space of a run
# A heading broken before its head noun: "Quality and Effectiveness" / "Working Group".
_HEAD_NOUNS = frozenset(
    "group groups framework panel board team service services committee unit partnership "
    "review reviews role plan strategy protocol forum conference hub trust officer network "
    "programme project policy procedures procedure arrangements council command trust".split()
)
_YEAR_LED = re.compile(r"^(?:19|20)\d\d\s*[/-]\s*\d{2,4}\b|^\d{2}/\d{2}\b")
_TERMINAL = re.compile(r"[.!?:;][\"'”’)\]]*$")
_CONNECTIVES = frozenset(
    "and or of the to for with in on by a an that which from at as is are be into than "
    "but nor its their our your this these those whose who where when within across "
    "including between via per &".split()
)
# A heading put as a question ("What is private fostering?", "Who do I tell?"): short, one sentence.
_QUESTION_HEADING = re.compile(
    r"(?:What|Who|Whom|Whose|When|Where|Why|How|Which|Is|Are|Can|Could|Do|Does|Did|Should|Must|Will|Would|Has|Have)"
    r"\b[^?.!]{2,110}\?$"
)
_SMALL_WORDS = frozenset("a an and or of the to for with in on by at as & vs from into per".split())
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200b\u3000]+")


TABLE_HEADER_LINE = "\ue001"
TABLE_ROW_LINE = "\ue000"
"""A page's line that opens with one of these is a table's row (its header row), found by the table's ruling
lines and written with its cells between " | ": a block of its own, whatever the lines around it."""


def table_row_text(cells: Sequence[str]) -> str:
    """One table row as text, cells between " | ", an empty cell kept where a later cell has text.

    Keeping the empty cell keeps every value under its column ("Ofsted |  | 0300 123 1231" under
    "Who | Name | Telephone"); empty cells at the end say nothing and are dropped.
    """
    cells = list(cells)
    while cells and not cells[-1]:
        cells.pop()
    return " | ".join(cells) if any(cells) else ""


_CELL_BULLET = re.compile(rf" ?[{BULLETS}] ?")


def table_line(cells: Sequence[str], *, header: bool) -> str:
    """A table row as a page line: each cell's lines as one line, its bullet points as items between ";"
    ("may be: hitting; biting"), the cells as :func:`table_row_text` joins them."""
    cleaned = []
    for cell in cells:
        items = _CELL_BULLET.sub("; ", " ".join(cell.split())).strip(" ;")
        cleaned.append(normalise_block_text(re.sub(r":\s*;\s*", ": ", items)))
    text = table_row_text(cleaned)
    return (TABLE_HEADER_LINE if header else TABLE_ROW_LINE) + text if text else ""


def _table_kind(text: str) -> str:
    """ "table_header" or "table_row" for a line written by ``table_line``; "" for any other line."""
    if text.startswith(TABLE_HEADER_LINE):
        return "table_header"
    return "table_row" if text.startswith(TABLE_ROW_LINE) else ""


@dataclass(frozen=True)
class RawPage:
    """Text lines as extracted, with the page they come from when the format has pages."""

    lines: Sequence[str]
    page: int | None = None
    label: str | None = None


@dataclass(frozen=True)
class Block:
    """A logical unit of a document before assembly into one text."""

    kind: BlockKind
    text: str
    level: int = 0
    page: int | None = None
    label: str | None = None


@dataclass
class _Line:
    text: str
    indented: bool
    page: int | None
    label: str | None


# ---------------------------------------------------------------------------------------
# Text normalisation inside a block


def normalise_block_text(text: str) -> str:
    """One line of clean text: bullets dropped, compatibility characters and spaces folded."""
    text = unicodedata.normalize("NFC", text)
    text = text.replace("\u00ad", "")  # soft hyphen
    text = text.replace("\ufb01", "fi").replace("\ufb02", "fl")
    text = _BULLET_START.sub("", text, count=1)
    text = _BULLET_ANYWHERE.sub(" ", text)
    text = "".join(ch if ch in "\t\n" or unicodedata.category(ch)[0] != "C" else " " for ch in text)
    return _SPACES.sub(" ", text.replace("\n", " ")).strip()


# ---------------------------------------------------------------------------------------
# Page furniture


def _strip_pdf_furniture(pages: Sequence[RawPage]) -> list[_Line]:
    """Drop running headers/footers (repeated first/last lines) and page-number lines."""

    def key(line: str) -> str:
        return re.sub(r"\d+", "#", line.strip().lower())

    edge_counts: Counter[str] = Counter()
    full_pages = 0
    for page in pages:
        stripped = [ln for ln in page.lines if ln.strip()]
        if len(stripped) < 4:
            continue  # a page of one or two lines has no header and footer to tell apart
        full_pages += 1
        edges = {key(ln) for ln in stripped[:3] + stripped[-3:]}
        edge_counts.update(edges)
    # on 40 % of the pages, at least three; a two-page document's header is on both of its pages
    threshold = max(3, int(0.4 * len(pages))) if full_pages > 2 else max(2, full_pages)
    running = {k for k, n in edge_counts.items() if n >= threshold and len(k) <= 90}

    lines: list[_Line] = []
    for page in pages:
        stripped = [ln for ln in page.lines if ln.strip()]
        for i, raw in enumerate(stripped):
            at_edge = i < 3 or i >= len(stripped) - 3
            text = raw.strip()
            if at_edge and (key(text) in running or _is_page_number_line(text)):
                continue
            lines.append(_Line(text, raw[:1].isspace(), page.page, page.label))
    return lines


def _is_page_number_line(text: str) -> bool:
    if re.fullmatch(r"[-–|\s]*\d{1,4}[-–|\s]*", text):
        return True
    return bool(_HAS_PAGE_WORD.search(text) and _PAGE_MARKER.match(text))


def _strip_text_furniture(page: RawPage) -> list[_Line]:
    """Plain text: find in-text page markers ("| P a g e 4"), record pages, drop furniture.

    A marker is taken as a footer: the text before it is on that page. Text between two
    markers that are several pages apart gets an honest page range as its label.
    """
    raw = [(ln.strip(), ln[:1].isspace()) for ln in page.lines if ln.strip()]
    marker_at: dict[int, int | None] = {}
    for i, (text, _) in enumerate(raw):
        marker = _PAGE_MARKER.match(text)
        if _HAS_PAGE_WORD.search(text) and marker and len(text) <= 40:
            value = marker.group(1)
            if value is None and i + 1 < len(raw) and re.fullmatch(r"\d{1,4}", raw[i + 1][0]):
                value = raw[i + 1][0]
                marker_at[i + 1] = None  # the number line belongs to the marker
            marker_at[i] = int(value) if value else None
    if not marker_at:
        return [_Line(t, ind, page.page, page.label) for t, ind in raw]

    # Running headers: lines just before a marker that repeat in the document.
    counts = Counter(t for t, _ in raw)
    furniture = set(marker_at)
    for i in list(marker_at):
        for j in (i - 1, i - 2):
            if j >= 0 and j not in marker_at and counts[raw[j][0]] >= 2 and len(raw[j][0]) <= 80:
                furniture.add(j)
    header_texts = {raw[j][0] for j in furniture if j not in marker_at}
    furniture.update(i for i, (t, _) in enumerate(raw) if t in header_texts)

    numbers = sorted((i, n) for i, n in marker_at.items() if n is not None)
    lines: list[_Line] = []
    previous = 0
    cursor = 0
    boundaries: list[tuple[int, int | None]] = [*numbers, (len(raw), None)]
    for index, page_number in boundaries:
        first = previous + 1
        page_no: int | None = None
        if page_number is None:
            label = f"{first} onwards"
        elif page_number <= first:
            label, page_no = str(page_number), page_number
        else:
            label = f"{first}–{page_number}"
        for i in range(cursor, index):
            if i not in furniture:
                lines.append(_Line(raw[i][0], raw[i][1], page_no, label))
        cursor = index
        if page_number is not None:
            previous = page_number
    return lines


# ---------------------------------------------------------------------------------------
# Line classification


def _words(text: str) -> list[str]:
    return text.split()


def _is_numeric_fragment(text: str) -> bool:
    tokens = _PER_CENT_WORDS.sub("%", text).split()
    return bool(tokens) and all(_NUMERIC_TOKEN.match(t) for t in tokens)


def _ends_with_number(text: str) -> bool:
    tokens = _PER_CENT_WORDS.sub("%", text).split()
    return bool(tokens) and bool(_NUMERIC_TOKEN.match(tokens[-1]))


def _trailing_numbers(text: str) -> int:
    count = 0
    for token in reversed(_PER_CENT_WORDS.sub("%", text).split()):
        if not _NUMERIC_TOKEN.match(token):
            break
        count += 1
    return count


def _ends_sentence(text: str) -> bool:
    return bool(_TERMINAL.search(text))


def _ends_with_connective(text: str) -> bool:
    words = _words(text)
    return bool(words) and (words[-1].lower().strip(",") in _CONNECTIVES or text.endswith((",", "-", "–", "/")))


def _starts_lower(text: str) -> bool:
    first = text.lstrip("\"'“‘([")[:1]
    return first.islower() or text[:1] in ",;)]" or bool(re.match(r"^[–-]\s*\d", text))


def _title_ratio(text: str) -> float:
    words = [w.strip("()\"'“‘”’:,.") for w in _words(text)]
    content = [w for w in words if w and w.lower() not in _SMALL_WORDS]
    if not content:
        return 0.0
    capitalised = sum(1 for w in content if w[:1].isupper() or w[:1].isdigit() or w[:1] == "&")
    return capitalised / len(content)


def _is_bullet(line: _Line) -> bool:
    return bool(_BULLET_START.match(line.text)) and not _is_numeric_fragment(line.text)


def _is_row(text: str) -> bool:
    """A table row: a short label followed by figures (not a sentence that ends in a year)."""
    folded = _PER_CENT_WORDS.sub("%", text)
    words = _words(folded)
    if not words or len(words) > 24 or ends_with_phone(text):
        return False
    trailing = _trailing_numbers(folded)
    if trailing >= 2:
        return not words[-1].endswith(".") or len(words) - trailing <= 6
    numeric = sum(1 for w in words if _NUMERIC_TOKEN.match(w))
    if len(words) >= 2 and numeric / len(words) >= 0.6:
        return True
    last = words[-1]
    money_or_share = bool(re.search(r"[£$€%]|\d[,.]\d", last))
    return trailing == 1 and money_or_share and len(words) <= 5 and not _ends_sentence(" ".join(words[:-1]))


def _row_like(line: str) -> bool:
    """One extracted line that reads as a table row: "Police £5,000.00", "Contribution 14/15"."""
    words = _words(line)
    return _is_row(line) or (
        len(words) <= 6
        and bool(words)
        and bool(_YEARISH_TOKEN.match(words[-1]) or re.fullmatch(r"\d{2}/\d{2}", words[-1]))
    )


class _Layout:
    """Facts about a document's lines that the heading test needs."""

    def __init__(self, lines: Sequence[_Line]) -> None:
        lengths = sorted(len(ln.text) for ln in lines if len(ln.text.split()) >= 3)
        self.wrap_width = lengths[int(0.8 * (len(lengths) - 1))] if lengths else 80
        counts = Counter(ln.text.rstrip(" .") for ln in lines)
        self.recurring = {text for text, n in counts.items() if n >= 2 and len(text.split()) <= 8}

    def is_full(self, text: str) -> bool:
        """Did this line run to the wrap width (so it probably continues)?"""
        return len(text) >= 0.9 * self.wrap_width and self.wrap_width >= 30

    def leaves_room(self, line: str, following: str) -> bool:
        """Did ``line`` stop well short of the width, with room for the next word to spare?"""
        words = following.split()
        if not words or self.wrap_width < 30:
            return False
        return len(line) + 1 + len(words[0]) <= 0.85 * self.wrap_width

    def wraps_into(self, line: str, following: str) -> bool:
        """Was ``line`` broken because the next word would not fit on it?"""
        words = following.split()
        if not words or self.wrap_width < 30:
            return False
        return self.is_full(line) or len(line) + 1 + len(words[0]) > self.wrap_width


def _heading_candidate(text: str, layout: _Layout, *, joined: bool = False) -> bool:
    """Could this (possibly joined) text be a heading, judged on its own?"""
    words = _words(text)
    if not words or len(text) > 160:
        return False
    if _STRUCTURAL.match(text) and len(words) <= 12:
        return True
    if _QUESTION_HEADING.match(text) and len(words) <= _QUESTION_HEADING_WORDS and len(text) <= 120:
        # "What should I do if a child tells me they are being abused?": a question runs longer than a title;
        # sentence case is usual for one, so no title-case test; a full line runs on
        return joined or not layout.is_full(text)
    if (
        len(words) > (14 if joined else 10)
        or len(text) > (120 if joined else 90)
        or not re.search(r"[A-Za-z]{2}", text)
    ):
        return False
    if text.endswith(("?", ":", ",", ";")) or _ends_with_connective(text):
        return False
    if text.endswith(".") and len(words) > 4:
        return False
    if (
        _is_numeric_fragment(text)
        or _trailing_numbers(text) >= 2
        or (_YEAR_LED.match(text) and _trailing_numbers(text))
    ):
        return False
    if re.search(r"[.!?]\s+[A-Z]", text):  # two sentences
        return False
    if not (words[0][:1].isupper() or _YEARISH_TOKEN.match(words[0])):
        return False
    if _is_row(text):
        return False
    if text.rstrip(" .") in layout.recurring:
        return True
    if not joined and layout.is_full(text):
        return False
    content_words = sum(1 for w in words if w.lower() not in _SMALL_WORDS)
    return _title_ratio(text) >= (0.75 if content_words >= 3 else 0.5)


# ---------------------------------------------------------------------------------------
# Lines to blocks


def _vocabulary(lines: Iterable[_Line]) -> set[str]:
    vocab: set[str] = set()
    for line in lines:
        vocab.update(w.lower() for w in re.findall(r"[A-Za-z]+(?:-[A-Za-z]+)*", line.text))
    return vocab


def _join_hyphenated(left: str, right: str, vocab: set[str]) -> str:
    """Join across a line-end hyphen: drop it only when the document spells the word whole."""
    head = re.search(r"(?<![A-Za-z])([A-Za-z]+)-$", left)
    tail = re.match(r"([a-z]+)", right)
    if head and tail:
        whole = (head.group(1) + tail.group(1)).lower()
        hyphenated = f"{head.group(1)}-{tail.group(1)}".lower()
        if whole in vocab and hyphenated not in vocab:
            return left[:-1] + right
    return left + right


_SENTENCE_OPENERS = frozenset(
    "a all an any as at during each every for he i if in it once our please she since the their there "
    "these they this those to we what when where whenever which while who you your".split()
)
"""Words a sentence often starts with: after a line ending in a capitalised word, the next line
starting with one begins a new sentence rather than finishing a name."""
_SENTENCE_HEADING_WORDS = 8
_QUESTION_HEADING_WORDS = 14
_NUMBERED_HEADING_WORDS = 12
"""A numbered heading may run longer ("4. What staff should do if they have concerns about a child")."""
_PARAGRAPH_WORDS = 5


def _sentence_case_heading(lines: list[_Line], i: int, layout: _Layout, text: str, *, numbered: bool) -> bool:
    """A heading in sentence case ("A Team Member suspects abuse", "6. Female genital mutilation"):
    a short line (``text``: without its number), capitalised and not ended as a sentence, standing
    between the end of a sentence (or a list, or a heading) and a paragraph that starts a new one.
    Running text never stops short like that; the title-case test alone misses these headings."""
    words = _words(text)
    limit = _NUMBERED_HEADING_WORDS if numbered else _SENTENCE_HEADING_WORDS
    if not (2 <= len(words) <= limit) or i == 0 or i + 1 >= len(lines):
        return False
    if not text[:1].isupper() or _ends_sentence(text) or text.endswith((",", ")")) or _ends_with_connective(text):
        return False
    if layout.is_full(lines[i].text) or _is_row(text) or _trailing_numbers(text):
        return False
    previous = lines[i - 1]
    # after the end of a sentence, a list or a heading ("Procedures" / "A Team Member is hired")
    if not (_ends_sentence(previous.text) or _is_bullet(previous) or _heading_candidate(previous.text, layout)):
        return False
    following = lines[i + 1]
    opener = _words(following.text)[0].lower().strip("\"'“‘(")
    if len(words[-1]) > 1 and words[-1][:1].isupper() and opener not in _SENTENCE_OPENERS:
        return False  # a name broken over lines: "The board would work with the Adult" / "Safeguarding Board ..."
    if numbered and _is_bullet(following):
        return True  # "5. If a child tells you about abuse" over its bullet points
    return (
        following.text[:1].isupper()
        and not layout.wraps_into(lines[i].text, following.text)
        and len(_words(following.text)) >= _PARAGRAPH_WORDS
        and not _is_bullet(following)
        and not _NUMBERED.match(following.text)
    )


def _lookahead_heading(lines: list[_Line], i: int, layout: _Layout) -> tuple[int, int]:
    """(lines, level) of a heading starting at ``i``; (0, 0) when it is not a heading."""
    first = lines[i].text
    if _is_bullet(lines[i]) or _starts_lower(first) or re.search(r"\d-$", first):
        return 0, 0
    if _PRIORITY.match(first):
        count, text = 1, first
        while i + count < len(lines) and count < 8 and not _ends_sentence(text):
            nxt = lines[i + count].text
            if _is_bullet(lines[i + count]) or _PRIORITY.match(nxt):
                break
            if not (_starts_lower(nxt) or layout.is_full(lines[i + count - 1].text)):
                break
            text += " " + nxt
            count += 1
        # Several "Priority N:" items in a row that end in full stops form a list.
        following = lines[i + count].text if i + count < len(lines) else ""
        if _ends_sentence(text) and _PRIORITY.match(following):
            return 0, 0
        return count, 2
    subsection = _SUBSECTION.match(first)
    numbered = _NUMBERED.match(first) or subsection
    count = 1
    text = first
    # A heading broken over lines: "Local Authority Designated Officer" / "(LADO) Role".
    while i + count < len(lines) and count < 3:
        nxt = lines[i + count].text
        if len(_words(text + " " + nxt)) > 12 or _is_bullet(lines[i + count]) or _table_kind(nxt):
            break
        continues = _ends_with_connective(nxt) and len(_words(nxt)) <= 6 and _title_ratio(nxt) >= 0.75
        if (
            _ends_with_connective(text)
            or nxt.startswith("(")
            or (_starts_lower(nxt) and len(_words(nxt)) <= 3)
            or continues
        ):
            text += " " + nxt
            count += 1
            continue
        break
    candidate = re.sub(r"^\S+\s+", "", text) if numbered else text
    if not _heading_candidate(candidate, layout, joined=count > 1) and not (
        count == 1 and _sentence_case_heading(lines, i, layout, candidate, numbered=bool(numbered))
    ):
        return 0, 0
    if _QUESTION_HEADING.match(candidate) and i > 0:
        previous = lines[i - 1].text
        if not _ends_sentence(previous) and layout.wraps_into(previous, first):
            return 0, 0  # the end of a question that a full line of running text began
    following = lines[i + count].text if i + count < len(lines) else ""
    if following and _starts_lower(following):
        return 0, 0  # a sentence that starts with a short capitalised line
    if (
        following
        and count == 1
        and not numbered
        and not _STRUCTURAL.match(text)
        and text.rstrip(" .") not in layout.recurring
        and layout.wraps_into(text, following)
        and (_title_ratio(text) < 1.0 or len(_words(text)) >= 6)
    ):
        return 0, 0  # a full line of running text that happens to look like a title
    # (a line ending in a telephone number is a contact, not a table's figures)
    if following and _trailing_numbers(following) >= 2 and not _STRUCTURAL.match(text):
        tail = _PER_CENT_WORDS.sub("%", following).split()[-_trailing_numbers(following) :]
        if not all(_YEARISH_TOKEN.match(t) for t in tail) and not ends_with_phone(following):
            return 0, 0  # the header row of a table, handled as a row
    level = 1 if _STRUCTURAL.match(text) else 4 if numbered else 3
    if subsection:
        level = min(4 + subsection.group(1).count("."), 6)
    # Table labels broken over lines ("National" / "Probation" / "Service £1,000.00").
    nearby = lines[i + count : i + count + 3]
    if (
        level != 1
        and any(_is_numeric_fragment(ln.text) or _is_row(ln.text) for ln in nearby)
        and not (_trailing_numbers(following) >= 2 and _YEARISH_TOKEN.match(following.split()[-1]))
    ):
        return 0, 0
    # A title broken before its head noun: "Quality and Effectiveness" / "Working Group".
    if (
        count == 1
        and following
        and level == 3
        and not _ends_with_number(text)
        and len(_words(following)) <= 3
        and {following.split()[0].lower().strip(".,"), following.split()[-1].lower().strip(".,")} & _HEAD_NOUNS
        and len(_words(text)) + len(_words(following)) <= 8
        and _heading_candidate(following, layout)
    ):
        return 2, level
    return count, level


def blocks_from_pages(pages: Sequence[RawPage], *, in_text_page_markers: bool) -> list[Block]:
    """Turn extracted lines into blocks (headings, paragraphs, list items, table rows)."""
    if in_text_page_markers:
        lines = [ln for page in pages for ln in _strip_text_furniture(page)]
    else:
        lines = _strip_pdf_furniture(pages)
    layout = _Layout([ln for ln in lines if not _table_kind(ln.text)])
    vocab = _vocabulary(lines)
    blocks: list[Block] = []
    kind = ""
    parts: list[str] = []
    anchor: _Line | None = None

    def flush() -> None:
        nonlocal parts, anchor
        if parts and anchor is not None:
            text = normalise_block_text(" ".join(parts))
            if text:
                blocks.append(Block(kind, text, 0, anchor.page, anchor.label))  # type: ignore[arg-type]
        parts, anchor = [], None

    def start(new_kind: str, line: _Line) -> None:
        nonlocal kind, anchor, parts
        flush()
        kind, anchor, parts = new_kind, line, [line.text]

    in_list = False
    numbered_level = 0  # the level of the last numbered heading ("4. Responding to concerns")
    i = 0
    while i < len(lines):
        line = lines[i]
        text = line.text
        current = " ".join(parts)
        open_block = bool(parts)

        cells = _table_kind(text)
        if cells:
            flush()
            blocks.append(Block(cells, text[1:], 0, line.page, line.label))  # type: ignore[arg-type]
            kind, in_list = "", False
            i += 1
            continue

        # "Jane Okafor" / "Partnership Independent Chair" after a full stop: a signature, its own block,
        # neither two headings nor the start of the next paragraph
        if (not open_block or _ends_sentence(current)) and i + 1 < len(lines) and is_signature(text, lines[i + 1].text):
            start("paragraph", line)
            parts.append(lines[i + 1].text)
            flush()
            kind = ""
            i += 2
            continue

        # A list introduced by a colon: indented lines that follow are its items.
        after_heading = not open_block and bool(blocks) and blocks[-1].kind == "heading"
        opens_list = open_block and (current.endswith(":") or (in_list and kind == "list_item"))
        if (
            line.indented
            and not _starts_lower(text)
            and (opens_list or (after_heading and not _lookahead_heading(lines, i, layout)[0]))
        ):
            in_list = True
            start("list_item", line)
            i += 1
            continue
        if not line.indented and not _starts_lower(text):
            in_list = False

        may_end = (
            not open_block
            or _ends_sentence(current)
            or (_ends_with_number(current) and _is_row(current))
            or (line.indented and not _ends_with_connective(current) and not layout.wraps_into(parts[-1], text))
            or (bool(_QUESTION_HEADING.match(text)) and not layout.wraps_into(parts[-1], text))
            or (
                kind == "list_item"
                and not line.indented
                and not _ends_with_connective(current)
                and not layout.wraps_into(parts[-1], text)
            )
        )
        if may_end and not _is_numeric_fragment(text):
            span, level = _lookahead_heading(lines, i, layout)
            if span:
                flush()
                heading = " ".join(ln.text for ln in lines[i : i + span])
                if level >= 4:
                    numbered_level = level
                elif numbered_level and _QUESTION_HEADING.match(heading):
                    # "Do all volunteers need a DBS check?" straight after numbered sections: a question under
                    # the section it stands in, not a new part of the document
                    level = min(numbered_level + 1, 6)
                else:
                    numbered_level = 0  # an unnumbered heading ("Impact"): what follows is under it
                blocks.append(Block("heading", normalise_block_text(heading), level, line.page, line.label))
                kind = ""
                i += span
                continue

        if _is_bullet(line) or (
            _NUMBERED.match(text)
            and (
                not open_block
                or _ends_sentence(current)
                or line.indented
                or layout.leaves_room(parts[-1], text)
                or _FIRST_ITEM.match(text)
            )
        ):
            start("list_item", line)
        elif not open_block:
            start("paragraph", line)
        elif re.search(r"[A-Za-z0-9]-$", current):
            parts[-1] = _join_hyphenated(parts[-1], text, vocab)
        elif _is_numeric_fragment(text):
            if (_YEAR_LED.match(text) and len(text.split()) >= 2) or (
                _ends_sentence(current) and len(_words(current)) > 14 and not _ends_with_number(current)
            ):
                start("table_row", line)
            else:
                parts.append(text)
        elif _starts_lower(text) or (text.startswith("(") and not _ends_sentence(current)):
            parts.append(text)  # a sentence (or a parenthesis) running on
        elif (
            _trailing_numbers(text) >= 2
            and _is_row(text)
            and not _trailing_numbers(current)
            and len(_words(current)) <= 8
            and not _ends_with_connective(current)
        ):
            start("table_row", line)  # the current line was a table's header row
        elif _ends_sentence(current):
            start("paragraph", line)
        elif _ends_with_number(current) and (_is_row(current) or _row_like(parts[-1])):
            start("paragraph", line)  # the previous line was a table row (or a table's header)
        elif (
            len(parts[-1]) >= 0.5 * layout.wrap_width
            and layout.leaves_room(parts[-1], text)
            and not _ends_with_connective(current)
        ):
            start("paragraph", line)  # a line of prose that stops short: the paragraph ended
        elif line.indented and not _ends_with_connective(current):
            start("paragraph", line)
        elif kind == "list_item" and not line.indented and layout.leaves_room(parts[-1], text):
            # a short item, then a capitalised line at the margin that would have fitted on it:
            # the list stopped there ("all his other legal rights" / "The nursery will:")
            start("paragraph", line)
        else:
            parts.append(text)
        i += 1
    flush()
    return _mark_table_rows(blocks)


def _mark_table_rows(blocks: list[Block]) -> list[Block]:
    """Short blocks ending in figures are table rows; a short line just above the first
    row of a run is its header row."""
    marked = list(blocks)
    for i, block in enumerate(marked):
        if block.kind in ("paragraph", "list_item") and _is_row(block.text):
            marked[i] = replace(block, kind="table_row")
    for i, block in enumerate(marked):
        if block.kind != "table_row" or (i > 0 and marked[i - 1].kind in ("table_row", "table_header")):
            continue
        previous = marked[i - 1] if i > 0 else None
        if (
            previous is not None
            and previous.kind == "paragraph"
            and len(_words(previous.text)) <= 8
            and not _ends_sentence(previous.text)
        ):
            # between two rows it is a row the patterns missed; before the first, the header
            inside = i > 1 and marked[i - 2].kind in ("table_row", "table_header")
            marked[i - 1] = replace(previous, kind="table_row" if inside else "table_header")
    return marked


# ---------------------------------------------------------------------------------------
# Blocks to text with sections


def assemble(blocks: Sequence[Block]) -> tuple[str, tuple[Segment, ...]]:
    """Join blocks into the cleaned text (one block per line) and give each its section path.

    A heading that recurs in the document ("Board Challenge") sits one level below the
    topic heading it follows; a title directly under "Section N" joins it.
    """
    heading_counts = Counter(_heading_key(b.text) for b in blocks if b.kind == "heading" and b.level >= 3)
    parts: list[str] = []
    segments: list[Segment] = []
    stack: list[tuple[int, str]] = []
    offset = 0
    previous: Block | None = None
    for block in blocks:
        text = block.text
        level = block.level
        if block.kind == "heading":
            if level >= 3 and heading_counts[_heading_key(text)] >= 3:
                level = 4
            if previous is not None and previous.kind == "heading" and previous.level == 1 and level >= 3 and stack:
                top_level, top_text = stack[-1]
                stack[-1] = (top_level, f"{top_text} — {text}")
            else:
                while stack and stack[-1][0] >= level:
                    stack.pop()
                stack.append((level, text))
        section = tuple(title for _, title in stack)
        start = offset
        end = start + len(text)
        parts.append(text)
        segments.append(Segment(block.kind, start, end, level, block.page, block.label, section))
        offset = end + 1
        previous = replace(block, level=level)
    return "\n".join(parts), tuple(segments)


def _heading_key(text: str) -> str:
    return re.sub(r"[^a-z ]", "", text.lower()).strip()
