"""Structure-aware chunking that fits the embedding model's window.

Chunks never cross a heading, so each carries one section path; they are packed from
whole sentences (or whole table rows) up to a word-piece budget, overlap by a trailing
sentence, and a table split across chunks repeats its header row as context. Every
chunk's text is an exact slice of the document's cleaned text.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from assistant.models import Chunk, Document, Segment
from assistant.text.sentences import sentence_spans

__all__ = ["TokenCounter", "chunk_document"]

TokenCounter = Callable[[Sequence[str]], list[int]]
"""Counts word pieces for a batch of texts (the embedding model's own tokenizer)."""


@dataclass
class _Unit:
    start: int
    end: int
    segment: Segment
    table: int | None  # index of the table run the row belongs to
    tokens: int = 0
    listing: int | None = None  # start of the list (its lead-in line, then its items) the unit belongs to


def chunk_document(
    document: Document,
    count_tokens: TokenCounter,
    *,
    max_tokens: int = 200,
    overlap_tokens: int = 48,
) -> list[Chunk]:
    """Split a cleaned document into chunks of at most ``max_tokens`` word pieces."""
    runs = _section_runs(document.segments)
    units_by_run = [_units(document.text, run) for run in runs]
    flat = [u for units in units_by_run for u in units]
    for unit, n in zip(flat, count_tokens([document.text[u.start : u.end] for u in flat]), strict=True):
        unit.tokens = n
    headers = _table_headers(document)

    chunks: list[Chunk] = []
    for run, units in zip(runs, units_by_run, strict=True):
        if not units:
            continue
        section = run[0].section
        prefix = count_tokens([_probe_chunk(section).embedding_text()])[0] if section else 0
        budget = max(48, max_tokens - prefix)
        for group in _pack(_split_oversized(document.text, units, budget, count_tokens), budget, overlap_tokens):
            chunks.append(_make_chunk(document, group, section, headers, len(chunks)))
    return chunks


def _probe_chunk(section: tuple[str, ...]) -> Chunk:
    return Chunk(chunk_id="", doc_id="", ordinal=0, text="", start=0, end=0, section=section)


def _section_runs(segments: Sequence[Segment]) -> list[list[Segment]]:
    """Blocks grouped by section; the headings just above a run open it, so a heading's
    own words (a name, a title) can be retrieved and quoted too."""
    runs: list[list[Segment]] = []
    current: list[Segment] = []
    headings: list[Segment] = []
    for segment in segments:
        if segment.kind == "heading":
            if current:
                runs.append(current)
                current = []
            headings.append(segment)
            continue
        if current and current[-1].section != segment.section:
            runs.append(current)
            current = []
        if not current and headings:
            current.extend(replace(h, section=segment.section) for h in headings)
            headings = []
        current.append(segment)
    if current:
        runs.append(current)
    if headings:  # headings with no body after them (the document's last lines) still count
        runs.append(headings)
    return runs


def _units(text: str, run: list[Segment]) -> list[_Unit]:
    units: list[_Unit] = []
    table: int | None = None
    listing: int | None = None
    for segment in run:
        if segment.kind in ("table_row", "table_header"):
            if table is None:
                table = segment.start
            units.append(_Unit(segment.start, segment.end, segment, table))
            listing = None
            continue
        table = None
        if segment.kind != "list_item":
            listing = None
        elif listing is None:  # a list opens: its lead-in ("The plan must include:") belongs to it
            lead_in = units[-1] if units and text[units[-1].start : units[-1].end].rstrip().endswith(":") else None
            listing = segment.start if lead_in is None else lead_in.start
            if lead_in is not None:
                lead_in.listing = listing
        for start, end in sentence_spans(text, segment.start, segment.end):
            units.append(_Unit(start, end, segment, None, listing=listing))
    return units


def _table_headers(document: Document) -> dict[int, str]:
    """First row of each table run, keyed by the run's start offset."""
    headers: dict[int, str] = {}
    first: int | None = None
    for segment in document.segments:
        if segment.kind in ("table_row", "table_header"):
            if first is None:
                first = segment.start
                headers[first] = document.text[segment.start : segment.end]
        else:
            first = None
    return headers


def _split_oversized(text: str, units: list[_Unit], budget: int, count_tokens: TokenCounter) -> list[_Unit]:
    """A sentence longer than the budget is cut at word boundaries (rare: run-on lists)."""
    result: list[_Unit] = []
    for unit in units:
        if unit.tokens <= budget:
            result.append(unit)
            continue
        words: list[tuple[int, int]] = []
        position = unit.start
        for word in text[unit.start : unit.end].split():
            begin = text.index(word, position)
            words.append((begin, begin + len(word)))
            position = begin + len(word)
        piece_start = 0
        while piece_start < len(words):
            # grow a piece by doubling then trimming; word pieces per word is about 1.3
            size = max(1, int(budget / 1.6))
            while piece_start + size < len(words):
                candidate = text[words[piece_start][0] : words[piece_start + size][1]]
                if count_tokens([candidate])[0] > budget:
                    break
                size += max(1, size // 4)
            size = min(size, len(words) - piece_start)
            while (
                size > 1 and count_tokens([text[words[piece_start][0] : words[piece_start + size - 1][1]]])[0] > budget
            ):
                size -= 1
            start, end = words[piece_start][0], words[piece_start + size - 1][1]
            piece = _Unit(start, end, unit.segment, unit.table)
            piece.tokens = count_tokens([text[start:end]])[0]
            result.append(piece)
            piece_start += size
    return result


def _pack(units: list[_Unit], budget: int, overlap: int) -> list[list[_Unit]]:
    """Whole units up to the budget, each chunk opening with the previous one's last sentences.

    A list (its lead-in and items) that fits in one chunk is not cut: when it would be, the chunk
    ends before the list instead, so that "Stage 1 ... Stage 4" or every item of a checklist can be
    found, and quoted, together.
    """
    list_tokens: dict[int, int] = {}
    for unit in units:
        if unit.listing is not None:
            list_tokens[unit.listing] = list_tokens.get(unit.listing, 0) + unit.tokens
    groups: list[list[_Unit]] = []
    current: list[_Unit] = []
    used = 0
    for unit in units:
        if current and used + unit.tokens > budget:
            opened = next((n for n, u in enumerate(current) if u.listing == unit.listing), None)
            if (
                unit.listing is not None and opened is not None and opened > 0 and list_tokens[unit.listing] <= budget
            ):  # the list started in this chunk and fits in one: start the next chunk with it
                groups.append(current[:opened])
                current = current[opened:]
                used = sum(u.tokens for u in current)
                current.append(unit)
                used += unit.tokens
                continue
            groups.append(current)
            carry: list[_Unit] = []
            carried = 0
            for previous in reversed(current):
                if previous.table is not None or carried + previous.tokens > overlap:
                    break
                carry.insert(0, previous)
                carried += previous.tokens
            if carried + unit.tokens > budget:
                carry, carried = [], 0
            current, used = carry, carried
        current.append(unit)
        used += unit.tokens
    if current:
        groups.append(current)
    return groups


def _make_chunk(
    document: Document, group: list[_Unit], section: tuple[str, ...], headers: dict[int, str], ordinal: int
) -> Chunk:
    start, end = group[0].start, group[-1].end
    first = group[0].segment
    last = group[-1].segment
    context = ""
    table = group[0].table
    if table is not None and group[0].start != table:
        context = headers.get(table, "")
    heading_end = 0
    for unit in group:
        if unit.segment.kind != "heading":
            break
        heading_end = unit.end - start
    label = first.page_label
    if (
        last.page_label
        and first.page_label
        and last.page_label != first.page_label
        and first.page_label.isdigit()
        and last.page_label.isdigit()
    ):
        label = f"{first.page_label}–{last.page_label}"
    pages: list[tuple[int, int | None, str | None]] = []
    for unit in group:
        where = (unit.segment.page, unit.segment.page_label)
        if where != (None, None) and (not pages or pages[-1][1:] != where):
            pages.append((max(0, unit.start - start), *where))
    if pages:
        pages[0] = (0, *pages[0][1:])
    return Chunk(
        chunk_id=f"{document.doc_id}-{ordinal:05d}",
        doc_id=document.doc_id,
        ordinal=ordinal,
        text=document.text[start:end],
        start=start,
        end=end,
        section=section,
        page=first.page,
        page_label=label,
        context=context,
        heading_end=heading_end,
        file_name=document.file_name,
        title=document.title,
        publisher=document.publisher,
        date=document.date,
        pages=tuple(pages) if len(pages) > 1 else (),
    )
