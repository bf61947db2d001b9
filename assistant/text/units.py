"""Evidence units: the sentences and table rows an answer can quote.

One definition, used both at ingest (each unit gets its own vector, pooled from the
chunk's token embeddings) and when answering (units are the candidates an answer is
built from), so the two always agree on offsets.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.models import Chunk
from assistant.text.sentences import sentence_spans
from assistant.text.vocabulary import given_names

__all__ = [
    "Unit",
    "ends_with_phone",
    "evidence_units",
    "header_of_row",
    "is_header_row",
    "is_pipe_row",
    "is_signature",
    "is_table_row",
]

# Two figures at the end of the line (a line ending in more figures also ends in two: testing
# just two, from the first space of a run, keeps a long line of figures linear).
_ROW = re.compile(r"(?<!\s)(?:\s+[(\[]?[£$€]?\d[\d,.]*%?[)\]]?(?:\(\d[\d,.]*%?\))?){2}\s*$")
_MONEY_ROW = re.compile(r"^[^.!?]{1,60}?\s+[(\[]?[£$€]\d[\d,]*(?:\.\d+)?[)\]]?\.?\s*$")


# A label and its value on the next line (contact lists, web pages' blocks) are one unit
_LABEL_WORDS, _VALUE_WORDS = 12, 12
_LABEL_VALUES = 4  # a contact's lines under its label: phone, text, email, web
_CHANNEL = re.compile(
    r"\s{0,8}(?:phone|tel|telephone|mobile|text|sms|e-?mail|fax|web|website|online|address)\b[^:\n]{0,15}:",
    re.IGNORECASE,
)
_VALUE = re.compile(r"\d[\d ]{2,}\d|@|https?://|www\.")


# A signature: a person's name on its own line, then their role ("Jane Okafor" / "Partnership Independent
# Chair"), is one unit, so that "who chairs the board?" can be answered with both
_NAME_LINE = re.compile(
    r"\s{0,12}(?:(?:Dr|Mr|Mrs|Ms|Miss|Mx|Prof)\.? )?([A-Z][a-z'’-]{1,20})(?: [A-Z][A-Za-z'’-]{1,25}){1,2}\s{0,12}"
)
_ROLE_WORDS = 6
_ROLE = re.compile(
    r"\b(?:chair|chairman|chairperson|officer|manager|director|lead|head|coordinator|co-ordinator|designated|"
    r"deputy|secretary|trustee|president|principal|headteacher|proprietor|owner|leader|nurse|doctor|adviser|"
    r"advisor|commissioner|executive)\b",
    re.IGNORECASE,
)


def _signs(line: str) -> bool:
    """Is the line a person's name alone ("Jane Okafor", "Mrs Ruth Adams")?"""
    match = _NAME_LINE.fullmatch(line)
    return match is not None and match.group(1) in given_names()


def _role_line(line: str) -> bool:
    """Is the line a short role, as signed under a name ("Partnership Independent Chair")?"""
    return (
        len(line.split()) <= _ROLE_WORDS
        and not line.rstrip().endswith((".", "?", "!", ":"))
        and bool(_ROLE.search(line))
    )


def is_signature(name: str, role: str) -> bool:
    """Are two lines a signature: a person's name, then their role ("Jane Okafor" / "Partnership
    Independent Chair")? Neither is a heading, and the two are one unit."""
    return _signs(name) and _role_line(role)


# A telephone number at the end of a line ("... on 01245 436744", "0800 169 1863", "+44 20 7946 0018"):
# its groups of digits are one number, not a table row's figures
_PHONE_END = re.compile(r"(?:\+\d{1,3}[\s-]?|(?<!\d)0)\d{1,4}(?:[\s-]\d{2,8}){1,3}[.;,]?\s*$")


def ends_with_phone(line: str) -> bool:
    """Does the line end in a telephone number (10 to 13 digits in groups, starting 0 or +)?"""
    match = _PHONE_END.search(line)
    return match is not None and 10 <= sum(c.isdigit() for c in match.group(0)) <= 13


@dataclass(frozen=True)
class Unit:
    """``text[start:end]`` of a chunk: a sentence, a whole table row, or a heading."""

    start: int
    end: int
    kind: str = "sentence"

    @property
    def is_row(self) -> bool:
        return self.kind == "row"

    @property
    def is_heading(self) -> bool:
        return self.kind == "heading"


_MAX_CELL = 500
"""The longest cell of a row (a definition with its examples fits; a page of text does not)."""


def _row_cells(line: str) -> list[str]:
    """The cells of a line written as a table's row (between " | ", the first not empty, none overlong);
    [] when the line is not one."""
    cells = line.strip().split(" | ")
    if cells[0] and all(len(cell) <= _MAX_CELL and "|" not in cell and "\n" not in cell for cell in cells):
        return cells
    return []


def is_pipe_row(line: str) -> bool:
    """Is the line a row of cells separated by " | " (three to 31 cells, the first not empty), as the loaders
    write a table's rows (Word, web, Markdown and ruled PDF tables)?"""
    return 3 <= len(_row_cells(line)) <= 31


def is_table_row(line: str) -> bool:
    """A short line ending in two or more figures ("Contacts received. 7410 6984"), or a
    label and an amount of money ("Police £5,000.00")."""
    words = len(line.split())
    if ends_with_phone(line):
        return False
    return (bool(_ROW.search(line)) and words <= 30) or (bool(_MONEY_ROW.match(line)) and words <= 6)


def evidence_units(text: str, heading_end: int = 0) -> list[Unit]:
    """Units of a chunk's text, in order; offsets are relative to ``text``.

    ``heading_end`` is where the headings that open the chunk stop: those lines are
    kept as units (a heading can be quoted) but marked, as they rarely answer anything.
    """
    units: list[Unit] = []
    position = 0
    label: Unit | None = None  # a short "Label:" line, waiting for the value on the next line
    values = 0  # values joined to the label so far
    labelled = False  # the label ends with ":" (else it is a sentence, and only channels join it)
    signature: Unit | None = None  # a name alone on its line, waiting for the role on the next one
    in_table = False  # the line before was a row of a table of cells
    for line in text.split("\n"):
        start, end = position, position + len(line)
        if line.strip():
            if end <= heading_end:
                units.append(Unit(start, end, "heading"))
            elif signature is not None and _role_line(line):
                # "Jane Okafor" + "Partnership Independent Chair"
                units[-1] = Unit(signature.start, start + len(line.rstrip()))
                signature = label = None
                position = end + 1
                continue
            elif (
                label is not None
                and values < _LABEL_VALUES
                and len(line.split()) <= _VALUE_WORDS
                # a number or an address; or, straight after a role's label, its holder's name
                # ("County Safeguarding Officer:" / "Dawn Whitcombe" / "01743 900217")
                and (_VALUE.search(line) or (values == 0 and labelled and _signs(line)))
                # after the first value, only another way to reach the same contact ("Email: ..."),
                # not the next contact ("LADO: 01632 960519"); after a sentence, only channels
                # (or a number or address standing alone, without a label of its own: "01743 900217")
                and ((values == 0 and labelled) or _CHANNEL.match(line) or (_VALUE.search(line) and ":" not in line))
            ):
                # "NSPCC Helpline:" + "Phone: 0808 800 5000" + "Text: 88858" + "Email: help@..."
                units[-1] = Unit(label.start, end)
                values += 1
                position = end + 1
                continue
            elif is_table_row(line) or is_pipe_row(line) or (in_table and _short_row(line)):
                units.append(Unit(start, end, "row"))
            else:
                for a, b in sentence_spans(text, start, end):
                    previous = units[-1] if units else None
                    if (
                        previous is not None
                        and previous.start >= start
                        and previous.kind == "sentence"
                        and _CHANNEL.match(text, a)
                        and _VALUE.search(text, a, b)
                    ):
                        # "... is Priya Shah. Telephone: 07700 900123 Email: ...": whose contact it is
                        units[-1] = Unit(previous.start, b)
                    else:
                        units.append(Unit(a, b))
            last = units[-1] if units else None
            # "NSPCC Helpline:", or a short sentence naming someone whose contact lines follow it ("Our
            # Club Welfare Officer (CWO) is Priya Shah." / "Telephone: 07700 900123" / "Email: ...")
            labelled = line.rstrip().endswith(":")
            label = (
                last
                if last is not None
                and last.start == start
                and last.kind == "sentence"
                and (labelled or (last.end == start + len(line.rstrip()) and line.rstrip().endswith(".")))
                and len(line.split()) <= _LABEL_WORDS
                else None
            )
            values = 0
            signature = last if last is not None and last.start >= start and _signs(line) else None
            in_table = is_pipe_row(line) or (in_table and _short_row(line))
        position = end + 1
    return units


def _short_row(line: str) -> bool:
    """A table row whose last cells are empty, so fewer than three are written ("Under 11s | 1 : 8")."""
    return len(_row_cells(line)) == 2


def is_header_row(chunk: Chunk, start: int) -> bool:
    """Is the table row at document offset ``start`` in ``chunk`` its table's header row ("Area | Level 1 |
    Level 2 | ...", with rows of cells under it): the chunk's context, or a first row of cells with more
    below it?"""
    local = start - chunk.start
    line = chunk.text[local:].split("\n", 1)
    if not is_pipe_row(line[0]):
        return False
    if chunk.context and " ".join(line[0].split()) == " ".join(chunk.context.split()):
        return True
    following = line[1].split("\n", 1)[0] if len(line) > 1 else ""
    above = chunk.text[:local].rstrip("\n").rsplit("\n", 1)[-1] if local else ""
    if chunk.context or is_pipe_row(above) or not is_pipe_row(following):
        return False
    # a table without a header row starts with a row of values ("DSL | Sarah Whitfield | 07700 900123")
    cells = [c.strip() for c in line[0].split("|")]
    return all(len(c.split()) <= _HEADER_CELL_WORDS and not _states_value(c) for c in cells)


_HEADER_CELL_WORDS = 4


def _states_value(cell: str) -> bool:
    """Does a cell state a value (a telephone number, an e-mail address, a share, an amount) rather than
    name a column?"""
    return ends_with_phone(cell) or any(mark in cell for mark in "@%£")


def _line_at(chunk: Chunk, start: int) -> tuple[list[str], int]:
    """The chunk's lines and the index of the one holding document offset ``start``."""
    lines = chunk.text.split("\n")
    local = start - chunk.start
    position = 0
    index = 0
    while index < len(lines) - 1 and position + len(lines[index]) + 1 <= local:
        position += len(lines[index]) + 1
        index += 1
    return lines, index


def _table_top(lines: list[str], index: int) -> int | None:
    """The first line of the table of cells holding line ``index``, or None when it is not in one. A row whose
    last cells are empty has fewer cells ("Under 11s | 1 : 8" under "Age group | Adults : players | Notes"):
    it is in the table when a full row of it stands above it."""

    def row(line: str) -> bool:
        return is_pipe_row(line) or _short_row(line)

    if not row(lines[index]):
        return None
    first = index
    while first > 0 and row(lines[first - 1]):
        first -= 1
    return first if any(is_pipe_row(line) for line in lines[first : index + 1]) else None


def lead_in_of_row(chunk: Chunk, start: int) -> str:
    """The sentence that brings in the table whose row starts at document offset ``start`` in ``chunk``
    ("The following minimum ratios of adults to players apply to all training sessions, matches and trips:"),
    or "" when the line above the table does not end with ":"."""
    lines, index = _line_at(chunk, start)
    top = _table_top(lines, index)
    if top is None:
        return ""
    return lines[top - 1] if top > 0 and lines[top - 1].rstrip().endswith(":") else ""


def header_of_row(chunk: Chunk, start: int) -> str:
    """The header row of the table whose row starts at document offset ``start`` in ``chunk``
    ("Years 2013-14 2014-15"): the chunk's context when it repeats one, else the short
    line just above the table's rows ("" when there is none)."""
    if chunk.context:
        return chunk.context
    lines, index = _line_at(chunk, start)
    first = index
    top = _table_top(lines, index)
    if top is not None:
        # a table of cells: its first line is its header row
        return lines[top] if top < index else ""
    while first > 0 and is_table_row(lines[first - 1]):
        first -= 1
    if first > 0 and len(lines[first - 1].split()) <= 8 and not lines[first - 1].rstrip().endswith((".", ":", "?")):
        return lines[first - 1]
    return lines[first] if first < index else ""
