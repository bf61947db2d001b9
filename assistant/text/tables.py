"""Every CSV the product writes, through one writer that neutralises spreadsheet formulas.

This module owns the CSV output of the package: :func:`write_csv` is the only place that
may use ``csv.writer`` / ``csv.DictWriter`` (``tests/test_csv_safety.py`` fails on any other
use), and :func:`safe_cell` is applied to every cell it writes, the header included.

Text from documents, questions and comments ends up in these files, and a spreadsheet
runs a cell that starts with ``=``, ``+``, ``-`` or ``@`` as a formula (``=HYPERLINK(...)``,
``@SUM(...)``, ``-2+3``), also after leading spaces, and a leading tab or carriage return can
hide one. Following the OWASP CSV-injection guidance, such a text cell is prefixed with a
single quote, which spreadsheets read as "this cell is text". Numbers stay numbers.

The prefix is reversible: :func:`restore_cell` (used by :func:`read_csv`) removes it exactly
when :func:`safe_cell` would have added it, so what is written reads back unchanged, even a
text that itself starts with a quote.
"""

from __future__ import annotations

import csv
import io
import numbers
from collections.abc import Iterable, Mapping, Sequence
from typing import TextIO, overload

__all__ = ["read_csv", "restore_cell", "safe_cell", "write_csv"]

_FORMULA_STARTS = frozenset("=+-@\t\r＝＋－＠")  # the full-width forms too, which some spreadsheets accept
_FORMULA_AFTER_SPACE = frozenset("=+-@＝＋－＠")


def _is_formula(text: str) -> bool:
    if text[:1] in _FORMULA_STARTS:
        return True
    return text.lstrip()[:1] in _FORMULA_AFTER_SPACE


def _needs_prefix(text: str) -> bool:
    # Quotes already at the start are looked through, so that "'=1" (a text that starts with a
    # quote) gets a quote of its own and restore_cell can always tell the two apart.
    return _is_formula(text.lstrip("'"))


def safe_cell(value: object) -> str:
    """The text of one CSV cell, a leading ``'`` added where a spreadsheet would run a formula.

    ``None`` is an empty cell; a number (not a bool) is written as it is, so ``-2`` stays the
    number -2 while the text ``"-2+3"`` becomes ``"'-2+3"``.
    """
    if value is None:
        return ""
    if isinstance(value, numbers.Real) and not isinstance(value, bool):
        return str(value)
    text = str(value)
    return "'" + text if _needs_prefix(text) else text


def restore_cell(text: str) -> str:
    """The inverse of :func:`safe_cell` for text: drop the quote it added, and only that quote."""
    if text.startswith("'") and _needs_prefix(text[1:]):
        return text[1:]
    return text


@overload
def write_csv(
    handle: None, fieldnames: Sequence[str], rows: Iterable[Mapping[str, object]], *, lineterminator: str = ...
) -> str: ...
@overload
def write_csv(
    handle: TextIO, fieldnames: Sequence[str], rows: Iterable[Mapping[str, object]], *, lineterminator: str = ...
) -> None: ...
def write_csv(
    handle: TextIO | None,
    fieldnames: Sequence[str],
    rows: Iterable[Mapping[str, object]],
    *,
    lineterminator: str = "\r\n",
) -> str | None:
    """Write a header and one line per row, every cell through :func:`safe_cell`.

    Rows are mappings keyed by ``fieldnames`` (a missing key is an empty cell, an unknown key
    is an error). With a ``handle`` the CSV is written to it and None is returned; with None
    it is returned as a string.
    """
    buffer = io.StringIO()
    out: TextIO = buffer if handle is None else handle
    names = list(fieldnames)
    writer = csv.DictWriter(out, fieldnames=names, lineterminator=lineterminator)
    writer.writerow({name: safe_cell(name) for name in names})
    for row in rows:
        unknown = set(row) - set(names)
        if unknown:
            raise ValueError(f"CSV row has fields not in the header: {sorted(unknown)}")
        writer.writerow({name: safe_cell(row.get(name)) for name in names})
    return buffer.getvalue() if handle is None else None


def read_csv(text: str) -> list[dict[str, str]]:
    """The rows of CSV text written by :func:`write_csv`, each cell as it was before :func:`safe_cell`."""
    reader = csv.DictReader(io.StringIO(text))
    return [
        {key: restore_cell(value) if isinstance(value, str) else "" for key, value in row.items() if key is not None}
        for row in reader
    ]
