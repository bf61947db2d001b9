"""How a table row reads beside its header: each figure named by its column.

"Contacts received. 7410 6984" under "Years 2013-14 2014-15" reads "Contacts received -
2013-14: 7410; 2014-15: 6984", so that no reader has to work out which number is which year.
Only figures are paired, and only when the row has exactly one figure per column the header
names; anything else is left as it is (the caller shows the header beside it).
"""

from __future__ import annotations

import itertools
import re

__all__ = ["labelled_row"]

# a column the header names by a year or a year span ("2014-15", "2013/14", "2015")
_YEAR_COLUMN = re.compile(r"^(?:19|20)\d\d(?:\s?[/-]\s?\d{2,4})?$")
# a figure, with the share or amount a table often puts beside it in brackets ("1106 (15%)", "1774(25%)")
_FIGURE = re.compile(
    r"(?<!\S)[(\[]?[£$€]?\d[\d,]{0,15}(?:\.\d{1,4})?%?[)\]]?(?:\s?\(\s?[£$€]?\d[\d,]{0,15}(?:\.\d{1,4})?\s?%?\s?\))?(?!\S)"
)


def labelled_row(row: str, header: str) -> str | None:
    """The row with each figure named by its column, or None when they do not pair up."""
    row, header = " ".join(row.split()), " ".join(header.split())
    if "|" in row and "|" in header:
        cells = [c.strip() for c in row.strip("| ").split("|")]
        heads = [c.strip() for c in header.strip("| ").split("|")]
        # a row may leave its last cells empty, and so fewer are written ("Under 11s | 1 : 8" under
        # "Age group | Adults : players | Notes")
        cells += [""] * (len(heads) - len(cells))
        if len(cells) != len(heads) or len(cells) < 2:
            return None
        # each cell named by its column ("Club Safeguarding Officer - Name: Mark Ellis; Telephone: 07700
        # 900555"); an empty or "-" cell says nothing
        pairs = [(h, c) for h, c in zip(heads[1:], cells[1:], strict=True) if c.strip("-– ")]
        if not pairs:
            return None
        label, columns, values = cells[0], [h for h, _ in pairs], [c for _, c in pairs]
    else:
        tokens = header.split()
        columns = []
        while tokens and _YEAR_COLUMN.match(tokens[-1]):
            columns.insert(0, tokens.pop())
        figures = list(_FIGURE.finditer(row))
        if len(columns) < 2 or len(figures) < len(columns):
            return None
        values = [m.group(0) for m in figures[-len(columns) :]]
        start = figures[-len(columns)].start()
        if row[start:].replace(" ", "") != "".join(values).replace(" ", ""):
            return None  # words between the figures: not one figure per column
        label = row[:start].rstrip(" .:;,-")
    if not label or not re.search(r"[A-Za-z]", label):
        return None
    pieces = [f"{column}: {value}" for column, value in zip(columns, values, strict=True)]
    # "...; Signs: ..." between cells; a cell that ends its own sentence needs no ";" after it
    joined = pieces[0] + "".join(
        (" " if re.search(r"[.;:!?]$", before) else "; ") + piece for before, piece in itertools.pairwise(pieces)
    )
    return f"{label} - {joined}"
