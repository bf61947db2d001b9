"""Plain values that flow between the stages; every surface (CLI, UI, eval) shares them."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, TypeVar

if TYPE_CHECKING:
    import numpy as np

_log = logging.getLogger(__name__)

__all__ = [
    "Answer",
    "BlockKind",
    "Chunk",
    "Citation",
    "Condition",
    "Document",
    "DocumentRecord",
    "EvidenceUnit",
    "IndexHealth",
    "IngestReport",
    "Passage",
    "Progress",
    "Segment",
    "Turn",
    "describe_location",
    "display_date",
    "document_initials",
    "identity_text",
    "keep_verbatim",
    "name_initials",
    "source_line",
]

BlockKind = Literal["heading", "paragraph", "list_item", "table_row", "table_header"]


@dataclass(frozen=True)
class Segment:
    """One block of the cleaned text: ``text[start:end]`` with its place in the document."""

    kind: BlockKind
    start: int
    end: int
    level: int = 0
    """Heading level (1 = top) for headings; 0 otherwise."""
    page: int | None = None
    """Physical page (1-based) where the block starts, when known."""
    page_label: str | None = None
    """The printed page label (PDF page labels, or a page range for plain text)."""
    section: tuple[str, ...] = ()
    """Headings above this block, outermost first."""


@dataclass(frozen=True)
class Document:
    """A parsed, cleaned document: ``text`` is what every citation quotes from."""

    doc_id: str
    path: Path
    file_name: str
    title: str
    format: str
    text: str
    segments: tuple[Segment, ...]
    page_count: int | None = None
    size: int = 0
    ocr_pages: tuple[int, ...] = ()
    """Physical pages (1-based) whose text was read by OCR (a scan without a text layer)."""
    publisher: str = ""
    """The organisation that issued the document, where it says (documents/metadata.py) or the manifest does."""
    date: str = ""
    """When it was issued or last reviewed: an ISO date, month or year ("2024-03-12", "2024-03", "2024")."""
    genre: str = ""
    """What kind of document it is ("procedures", "policy", "threshold document", "annual report", ...)."""
    manifest_digest: str = ""
    """Names the corpus manifest entry applied to it ("" for none): a changed entry re-indexes the document."""
    parser: str = ""
    """The stamp of the parsing code that read it (documents/stamp.py): a new one re-parses the document."""


@dataclass(frozen=True)
class Chunk:
    """A retrievable piece of a document; ``text == document.text[start:end]``."""

    chunk_id: str
    doc_id: str
    ordinal: int
    text: str
    start: int
    end: int
    section: tuple[str, ...] = ()
    page: int | None = None
    page_label: str | None = None
    context: str = ""
    """Text shown before the chunk but not part of it (a table's header row)."""
    heading_end: int = 0
    """Offset in ``text`` where the headings that open the chunk end (0: none)."""
    file_name: str = ""
    title: str = ""
    ocr: bool = False
    """Some of the text was read by OCR from a scanned page: check it against the original."""
    publisher: str = ""
    date: str = ""
    """The document's publisher and date (see :class:`Document`)."""
    pages: tuple[tuple[int, int | None, str | None], ...] = ()
    """Where the page changes inside the chunk: (offset in ``text``, physical page, page label),
    the first at offset 0; empty when pages are unknown."""

    def page_at(self, start: int, end: int) -> tuple[int | None, str | None]:
        """The page (physical, label) that ``text[start:end]`` (chunk offsets) stands on; a label
        spanning two pages reads "4–5". Falls back to the chunk's own page and label."""
        if not self.pages:
            return self.page, self.page_label
        first = next((entry for entry in reversed(self.pages) if entry[0] <= start), self.pages[0])
        last = next((entry for entry in reversed(self.pages) if entry[0] < max(end, start + 1)), first)
        label = first[2]
        if last[2] and label and last[2] != label and label.isdigit() and last[2].isdigit():
            label = f"{label}–{last[2]}"
        return first[1], label

    @property
    def section_path(self) -> str:
        return " › ".join(self.section)

    def embedding_text(self) -> str:
        """What the embedding model sees: the heading path gives a bare table row its topic.

        Long headings ("Priority 1: Ensure that the partnership provides ...") are cut to
        their first words so the passage itself keeps the model's 256-piece window.
        """
        path = " › ".join(_shorten(title, 10) for title in self.section)
        parts = [path, self.context, self.text]
        return "\n".join(p for p in parts if p)


def _shorten(text: str, words: int) -> str:
    parts = text.split()
    return text if len(parts) <= words else " ".join(parts[:words]) + " …"


@dataclass(frozen=True)
class Passage:
    """A chunk returned by retrieval, with the scores that ranked it."""

    chunk: Chunk
    score: float
    rank: int
    dense_similarity: float | None = None
    lexical_score: float | None = None


@dataclass(frozen=True)
class EvidenceUnit:
    """A sentence, table row or heading of a retrieved passage that an answer or a briefing can
    quote: ``document.text[start:end] == text``, with its sentence vector (unit length)."""

    passage: Passage
    start: int
    end: int
    text: str
    kind: str
    """"sentence", "row" or "heading"."""
    vector: np.ndarray = field(compare=False, repr=False)

    @property
    def is_row(self) -> bool:
        return self.kind == "row"

    @property
    def is_heading(self) -> bool:
        return self.kind == "heading"


@dataclass(frozen=True)
class Citation:
    """A verbatim quote from a document's cleaned text, numbered as in the answer."""

    n: int
    document: str
    title: str
    section: str
    page: int | None
    page_label: str | None
    quote: str
    doc_id: str = ""
    chunk_id: str = ""
    start: int = 0
    end: int = 0
    context: str = ""
    """The passage around the quote, for display (the quote is a substring of it)."""
    ocr: bool = False
    """The quoted passage was read by OCR from a scanned page: check it against the original."""
    publisher: str = ""
    date: str = ""
    """The document's publisher and date (ISO), "" where neither it nor the manifest says."""

    @property
    def page_text(self) -> str:
        """The printed page label, else the page number, else ""."""
        return self.page_label or ("" if self.page is None else str(self.page))

    def location(self, *, with_document: bool = True, shorten_sections: bool = False) -> str:
        """Where the quote is, written the one way every face and product writes it."""
        return describe_location(
            self.document,
            self.title,
            self.section,
            self.page_text,
            publisher=self.publisher,
            date=self.date,
            ocr=self.ocr,
            with_document=with_document,
            shorten_sections=shorten_sections,
        )

    @classmethod
    def from_chunk(cls, n: int, chunk: Chunk, start: int, end: int, *, quote: str | None = None) -> Citation:
        """A citation of ``document.text[start:end]`` (document offsets) inside ``chunk``.

        ``quote`` defaults to that slice of the chunk's text, which is the same string.
        """
        page, page_label = chunk.page_at(start - chunk.start, end - chunk.start)
        return cls(
            n=n,
            document=chunk.file_name,
            title=chunk.title,
            section=chunk.section_path,
            page=page,
            page_label=page_label,
            quote=chunk.text[start - chunk.start : end - chunk.start] if quote is None else quote,
            doc_id=chunk.doc_id,
            chunk_id=chunk.chunk_id,
            start=start,
            end=end,
            context=(chunk.context + "\n" if chunk.context else "") + chunk.text,
            ocr=chunk.ocr,
            publisher=chunk.publisher,
            date=chunk.date,
        )

    def public(self) -> dict[str, Any]:
        """The stable JSON shape of the interface contract; ``ocr`` is true when the quote was
        read by OCR from a scanned page, so a reader checks it against the page image."""
        data: dict[str, Any] = {
            "n": self.n,
            "document": self.document,
            "title": self.title,
            "section": self.section,
            "page": self.page,
            "page_label": self.page_label,
            "quote": self.quote,
            "ocr": self.ocr,
            "publisher": self.publisher or None,
            "date": self.date or None,
        }
        return data


@dataclass(frozen=True)
class Turn:
    """One earlier exchange of a conversation."""

    question: str
    answer: str = ""


@dataclass(frozen=True)
class Condition:
    """For a described situation: a condition the documents state, what the question says, and the
    citation [n] of the criterion that states it. Shown side by side, never judged."""

    condition: str
    stated: str
    citation: int


@dataclass(frozen=True)
class Answer:
    """What every surface shows: text with [n] markers, citations, warnings and the notice."""

    question: str
    answer: str
    abstained: bool
    citations: tuple[Citation, ...]
    notice: str
    related: tuple[Citation, ...] = ()
    warnings: tuple[str, ...] = ()
    mode: str = "extractive"
    id: Any = None
    standalone_query: str = ""
    timings_ms: dict[str, float] = field(default_factory=dict)
    diagnostics: dict[str, Any] = field(default_factory=dict)
    corpus_version: int = 0
    conditions: tuple[Condition, ...] = ()

    def to_dict(self, *, debug: bool = False) -> dict[str, Any]:
        data: dict[str, Any] = {
            "id": self.id,
            "question": self.question,
            "answer": self.answer,
            "abstained": self.abstained,
            "citations": [c.public() for c in self.citations],
            "related": [c.public() for c in self.related],
            "warnings": list(self.warnings),
            "notice": self.notice,
            "mode": self.mode,
            "conditions": [asdict(c) for c in self.conditions],
        }
        if debug:
            data["standalone_query"] = self.standalone_query
            data["timings_ms"] = dict(self.timings_ms)
            data["diagnostics"] = dict(self.diagnostics)
            data["corpus_version"] = self.corpus_version
            data["citation_details"] = [asdict(c) for c in self.citations]
        return data


# -- what the index holds and what an ingest did ---------------------------------------------

Progress = Callable[[str, int, int, str], None]
"""progress(stage, done, total, label). Stages: "scan" (files found), "index" (done and total in bytes
of the files being indexed, counted as their chunks are embedded; label: "file (document i of n)"),
"lexical" (the keyword index), "done"."""


@dataclass(frozen=True)
class DocumentRecord:
    """A committed document, without its text."""

    doc_id: str
    path: str
    file_name: str
    title: str
    format: str
    size: int
    mtime_ns: int
    page_count: int | None
    chunk_count: int
    indexed_at: str
    publisher: str = ""
    date: str = ""
    genre: str = ""
    manifest_digest: str = ""
    parser: str = ""

    def as_dict(self) -> dict[str, object]:
        return {
            "doc_id": self.doc_id,
            "path": self.path,
            "file_name": self.file_name,
            "title": self.title,
            "publisher": self.publisher or None,
            "date": self.date or None,
            "genre": self.genre or None,
            "format": self.format,
            "size": self.size,
            "pages": self.page_count,
            "chunks": self.chunk_count,
            "indexed_at": self.indexed_at,
        }


@dataclass
class IngestReport:
    """What an ingest did, file by file."""

    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)
    chunks_added: int = 0
    seconds: float = 0.0
    documents: int = 0
    chunks: int = 0

    @property
    def changed(self) -> bool:
        return bool(self.added or self.updated or self.removed)

    @property
    def exit_code(self) -> int:
        """0 all good, 3 some files failed, 1 every file failed."""
        if not self.failed:
            return 0
        succeeded = self.added or self.updated or self.unchanged
        return 3 if succeeded else 1

    def as_dict(self) -> dict[str, Any]:
        return {
            "added": self.added,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "removed": self.removed,
            "skipped": [{"file": f, "reason": r} for f, r in self.skipped],
            "failed": [{"file": f, "reason": r} for f, r in self.failed],
            "chunks_added": self.chunks_added,
            "documents": self.documents,
            "chunks": self.chunks,
            "seconds": round(self.seconds, 2),
        }


T = TypeVar("T")


def keep_verbatim(
    items: Iterable[T], text_of: Callable[[str], str | None], citation_of: Callable[[T], Citation] | None = None
) -> list[T]:
    """The one verbatim check: only the items whose citation quotes its document's cleaned text
    exactly (``text[start:end] == quote``); each item dropped is logged (never its text).

    ``items`` are citations, or things that carry one (``citation_of`` picks it out).
    ``text_of`` gives a document's cleaned text by ``doc_id`` (None when it is gone).
    """
    texts: dict[str, str | None] = {}
    kept: list[T] = []
    for item in items:
        citation = citation_of(item) if citation_of is not None else item
        assert isinstance(citation, Citation)
        if citation.doc_id not in texts:
            texts[citation.doc_id] = text_of(citation.doc_id)
        text = texts[citation.doc_id]
        if text is not None and citation.quote and text[citation.start : citation.end] == citation.quote:
            kept.append(item)
        else:
            _log.error("dropped a citation whose quote is not verbatim in %s", citation.document)
    return kept


@dataclass(frozen=True)
class IndexHealth:
    """What each store of the index holds, to check they agree (after a crash, in tests, in operations)."""

    version: int
    ingest_state: str
    documents: tuple[DocumentRecord, ...]
    committed: frozenset[str]
    """Chunk ids in the catalogue (what retrieval may return)."""
    vectors: frozenset[str]
    """Chunk ids in the vector store."""
    lexical: frozenset[str]
    """Chunk ids in the saved lexical index of this version."""
    chunks_per_document: tuple[tuple[str, int], ...]
    """(doc_id, chunks the catalogue holds for it)."""
    duplicate_spans: int
    """Chunks that repeat another chunk's document and offsets (should be 0)."""
    duplicate_texts: int
    """Chunks that repeat another chunk's file and text (should be 0)."""

    @property
    def orphan_vectors(self) -> frozenset[str]:
        return self.vectors - self.committed

    @property
    def missing_vectors(self) -> frozenset[str]:
        return self.committed - self.vectors

    @property
    def consistent(self) -> bool:
        """Every committed chunk has its vector and lexical entry, nothing else is stored, nothing twice."""
        return (
            self.vectors == self.committed
            and self.lexical == self.committed
            and not self.duplicate_spans
            and not self.duplicate_texts
            and all(n == r.chunk_count for (_, n), r in zip(self.chunks_per_document, self.documents, strict=True))
        )


def describe_location(
    document: str,
    title: str,
    section: str,
    page: str,
    *,
    publisher: str = "",
    date: str = "",
    ocr: bool = False,
    with_document: bool = True,
    shorten_sections: bool = False,
) -> str:
    """ "report.pdf — Anytown Partnership, Title, March 2024 — Part 2 › Referrals — page 5" (``with_document``),
    or "Part 2 › Referrals, p. 5"; a quote read by OCR says so. The publisher and the date are left out
    where the title already names them; ``shorten_sections`` cuts each heading to its first eight words."""
    from assistant.wording import OCR_NOTE

    if shorten_sections:
        section = " › ".join(
            part if len(part.split()) <= 8 else " ".join(part.split()[:8]) + " …" for part in section.split(" › ")
        )
    if with_document:
        parts = [document]
        source = source_line(title if title != document else "", publisher, date)
        if source:
            parts.append(source)
        parts += [section] if section else []
        parts += [f"page {page}"] if page else []
        text = " — ".join(parts)
    else:
        text = ", ".join(x for x in (section, f"p. {page}" if page else "") if x)
    return f"{text} ({OCR_NOTE})" if ocr else text


def identity_text(title: str, file_name: str, publisher: str = "") -> str:
    """What names a document: its title, its file name's words and its publisher (lower-cased), and
    the initials they may be written as, as retrieval and the answerer read a name a question gives
    ("Lexden", "under Anytown's procedures", "at HVFC")."""
    names = [_name_text(part) for part in (title, file_name.rsplit(".", 1)[0], publisher)]
    return " ".join([*names, *sorted(name_initials(*names))])


def document_initials(title: str, file_name: str, publisher: str = "") -> set[str]:
    """The initials a document's title, file name or publisher may be written as ("hvfc")."""
    return name_initials(title, file_name.rsplit(".", 1)[0], publisher)


def _name_text(name: str) -> str:
    return name.lower().replace("-", " ").replace("_", " ")


_INITIALS_SKIPPED = frozenset({"a", "an", "and", "for", "in", "of", "on", "the", "&"})
_VOWELS = frozenset("aeiouy")


def name_initials(*names: str) -> set[str]:
    """The initials a name may be written as: those of each leading run of at least two of its words
    ("hanworth villa fc safeguarding policy" -> "hvfc", "hvfcs", "hvfcsp"; "westbrook safeguarding
    children partnership" -> "wscp"), a word that is itself initials (no vowel: "fc", "rfc") giving
    all its letters and small words ("of", "and") none. Three letters or more."""
    found: set[str] = set()
    for name in names:
        words = [w for w in _name_text(name).split() if w.isalpha() and w not in _INITIALS_SKIPPED]
        letters = ""
        for n, word in enumerate(words):
            letters += word if not _VOWELS & set(word) else word[0]
            if n and len(letters) >= 3:
                found.add(letters)
    return found


def source_line(title: str, publisher: str = "", date: str = "") -> str:
    """ "Anytown Safeguarding Partnership, Child protection procedures, March 2024": the publisher
    and the date only where the title does not already name them."""
    parts = [publisher] if publisher and publisher.casefold() not in title.casefold() else []
    parts += [title] if title else []
    if date and date[:4] not in title:
        parts.append(display_date(date))
    return ", ".join(parts)


def display_date(value: str) -> str:
    """ "2024-03-12" -> "12 March 2024", "2024-03" -> "March 2024", "2024" -> "2024"."""
    import calendar

    parts = value.split("-")
    try:
        if len(parts) == 3:
            return f"{int(parts[2])} {calendar.month_name[int(parts[1])]} {parts[0]}"
        if len(parts) == 2:
            return f"{calendar.month_name[int(parts[1])]} {parts[0]}"
    except (ValueError, IndexError):
        return value
    return value
