"""Read one file into a cleaned :class:`~assistant.models.Document`.

The type is decided by content as well as by name: a ``.pdf`` that is not a PDF, or a
``.txt`` full of binary, is refused with a reason instead of being indexed as noise.
pypdf, python-docx, BeautifulSoup and markdown-it are imported here and nowhere else
in the ingestion path; PDF pages without a text layer are read by OCR in
:mod:`assistant.documents.ocr`.
"""

from __future__ import annotations

import hashlib
import io
import itertools
import logging
import re
import unicodedata
import zipfile
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from assistant.documents.cleaning import (
    Block,
    RawPage,
    assemble,
    blocks_from_pages,
    normalise_block_text,
    table_line,
    table_row_text,
)
from assistant.documents.metadata import describe, iso_date
from assistant.documents.ocr import OcrOptions, read_pages, unavailable
from assistant.errors import (
    CorruptDocument,
    DocumentTooLarge,
    EmptyDocument,
    EncryptedDocument,
    NoTextLayer,
    UnsupportedDocument,
)
from assistant.models import Document
from assistant.text.vocabulary import ABBREVIATIONS

__all__ = ["SUPPORTED_SUFFIXES", "detect_format", "document_id", "load_document"]

SUPPORTED_SUFFIXES = {
    ".pdf": "pdf",
    ".docx": "docx",
    ".md": "markdown",
    ".markdown": "markdown",
    ".txt": "text",
    ".text": "text",
    ".html": "html",
    ".htm": "html",
}
Hints = dict[str, str]
"""What a file's own metadata says: ``title``, ``publisher``, ``author``, ``date`` (see documents/metadata.py)."""
_MIN_CHARS_PER_PAGE = 5  # fewer visible characters than this per page: a scan (page numbers at most)


def document_id(data: bytes) -> str:
    """Content hash: the same bytes always get the same id, wherever the file lives."""
    return hashlib.sha256(data).hexdigest()[:24]


def detect_format(path: Path, head: bytes) -> str:
    """The format by extension, confirmed by the file's first bytes."""
    suffix = path.suffix.lower()
    fmt = SUPPORTED_SUFFIXES.get(suffix)
    if fmt is None:
        raise UnsupportedDocument(path)
    if fmt == "pdf" and b"%PDF-" not in head[:1024]:
        raise CorruptDocument(path, "named .pdf but the content is not a PDF (no %PDF header)")
    if fmt == "docx" and not head.startswith(b"PK\x03\x04"):
        raise CorruptDocument(path, "named .docx but the content is not a Word document")
    if fmt in ("text", "markdown", "html") and head.startswith((b"%PDF-", b"PK\x03\x04")):
        raise UnsupportedDocument(path, f"named {suffix} but the content is a PDF or ZIP file; rename it")
    return fmt


def load_document(path: Path, *, max_bytes: int, max_pdf_pages: int = 5000, ocr: OcrOptions | None = None) -> Document:
    """Parse, clean and structure one file. Raises a :class:`DocumentError` subclass.

    ``ocr``: how PDF pages without a text layer are read (default: Tesseract, English).
    """
    path = Path(path)
    size = path.stat().st_size
    if size == 0:
        raise EmptyDocument(path, "the file is empty (0 bytes)")
    if size > max_bytes:
        raise DocumentTooLarge(
            path, f"the file is {size / 1e6:.1f} MB, over the {max_bytes / 1e6:g} MB limit (ASSISTANT_MAX_FILE_MB)"
        )
    data = path.read_bytes()
    fmt = detect_format(path, data[:2048])
    parser: Callable[[Path, bytes], tuple[list[Block], Hints, int | None]]
    ocr_pages: list[int] = []
    parser = {
        "pdf": lambda p, d: _parse_pdf(p, d, max_pdf_pages, ocr or OcrOptions(), ocr_pages),
        "docx": _parse_docx,
        "markdown": _parse_markdown,
        "html": _parse_html,
        "text": _parse_text,
    }[fmt]
    blocks, hints, page_count = parser(path, data)
    text, segments = assemble(blocks)
    if not text.strip():
        raise EmptyDocument(path, "no text could be extracted")
    title = hints.get("title") or _title_from_name(path)
    described = describe(title, text, hints)
    return Document(
        doc_id=document_id(data),
        path=path.resolve(),
        file_name=path.name,
        title=title,
        publisher=described.publisher,
        date=described.date,
        genre=described.genre,
        format=fmt,
        text=text,
        segments=segments,
        page_count=page_count,
        size=size,
        ocr_pages=tuple(ocr_pages),
    )


_NOT_INITIALS = frozenset("st mr mrs ms dr".split())


def _title_from_name(path: Path) -> str:
    """A title from a file name: "norwich-rfc-safeguarding-policy" -> "Norwich RFC Safeguarding Policy" (a word
    the glossary abbreviates, or of letters without a vowel, is initials)."""
    words = re.split(r"[_\s]+|(?<!\d)-|-(?!\d)", path.stem)
    return " ".join(w.upper() if _initials(w) else w[:1].upper() + w[1:] for w in words if w)


def _initials(word: str) -> bool:
    low = word.lower()
    if low in ABBREVIATIONS:
        return True
    return 2 <= len(low) <= 5 and low.isalpha() and not any(c in "aeiouy" for c in low) and low not in _NOT_INITIALS


# ---------------------------------------------------------------------------------------
# Plain text


def decode_text(path: Path, data: bytes) -> str:
    """Decode bytes of unknown encoding; refuse binary content."""
    if b"\x00" in data[:8192] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise UnsupportedDocument(path, "the content is binary, not text")
    text = _decode(data)
    if text is None:
        raise UnsupportedDocument(path, "the content is binary or in an unknown encoding, not text")
    controls = sum(1 for ch in text[:20000] if ord(ch) < 32 and ch not in "\n\r\t\f")
    if controls > 0.02 * min(len(text), 20000):
        raise UnsupportedDocument(path, "the content is binary, not text")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _decode(data: bytes) -> str | None:
    """UTF-8 (with or without BOM) first; then Windows-1252, the usual encoding of UK
    office documents saved as text, when it yields mostly-English text; then detection.

    charset-normalizer alone takes short cp1252 texts for cp1250 or cp850 (turning "£"
    into "Ł"), so the common case is tried before the general one.
    """
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            return None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        text = None
    if text is not None:
        letters = [ch for ch in text if ch.isalpha()]
        if letters and sum(ch.isascii() for ch in letters) >= 0.9 * len(letters):
            return text
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    return None if best is None else str(best)


def _parse_text(path: Path, data: bytes) -> tuple[list[Block], Hints, int | None]:
    text = decode_text(path, data)
    if "\f" in text:  # pdftotext output: form feeds separate pages
        pages = [RawPage(chunk.split("\n"), i + 1, str(i + 1)) for i, chunk in enumerate(text.split("\f"))]
        return blocks_from_pages(pages, in_text_page_markers=False), {}, len(pages)
    return blocks_from_pages([RawPage(text.split("\n"))], in_text_page_markers=True), {}, None


# ---------------------------------------------------------------------------------------
# PDF


def _parse_pdf(
    path: Path, data: bytes, max_pages: int, ocr: OcrOptions, ocr_pages: list[int]
) -> tuple[list[Block], Hints, int | None]:
    """``ocr_pages`` receives the numbers of the pages read by OCR."""
    from pypdf import PdfReader
    from pypdf.errors import FileNotDecryptedError, PdfReadError

    logging.getLogger("pypdf").setLevel(logging.ERROR)
    from pypdf.errors import DependencyError

    try:
        try:
            reader = PdfReader(io.BytesIO(data), strict=False)
        except DependencyError as exc:  # encrypted with AES and no crypto backend installed
            raise EncryptedDocument(path, f"the PDF is encrypted and cannot be opened here ({exc})") from None
        if reader.is_encrypted:
            try:
                opened = reader.decrypt("")
            except Exception as exc:  # unsupported algorithms, missing crypto backends
                raise EncryptedDocument(path, f"the PDF is encrypted and cannot be opened ({exc})") from None
            if not opened:
                raise EncryptedDocument(path)
        count = len(reader.pages)
        if count == 0:
            raise EmptyDocument(path, "the PDF has no pages")
        if count > max_pages:
            raise DocumentTooLarge(path, f"the PDF has {count} pages, over the {max_pages}-page limit")
        try:
            labels = list(reader.page_labels)
        except Exception:  # malformed label trees are common; physical numbers still work
            labels = [str(i + 1) for i in range(count)]
        pages: list[RawPage] = []
        ruled: set[int] = set()  # pages that draw lines or rectangles: where a ruled table may stand
        for number, page in enumerate(reader.pages, start=1):
            text = page.extract_text() or ""
            contents = page.get_contents()
            if contents is not None and _DRAWS_LINES.search(contents.get_data()):
                ruled.add(number)
            label = labels[number - 1] if number - 1 < len(labels) else str(number)
            pages.append(RawPage(text.split("\n"), number, label))
        title = None
        hints: Hints = {}
        try:
            meta = reader.metadata
            title = (meta.title or "").strip() if meta else None
            if meta is not None:
                hints["author"] = str(meta.author or "").strip()
                hints["created"] = iso_date(meta.get("/CreationDate", "")) or ""
        except Exception:
            title = None
    except (EncryptedDocument, EmptyDocument, DocumentTooLarge):
        raise
    except FileNotDecryptedError:
        raise EncryptedDocument(path) from None
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, IndexError, OSError, RecursionError) as exc:
        raise CorruptDocument(
            path, f"the PDF is damaged or truncated ({type(exc).__name__}: {str(exc)[:120]})"
        ) from None
    except Exception as exc:  # pypdf raises many types on hostile input; none may stop the run
        raise CorruptDocument(path, f"the PDF could not be parsed ({type(exc).__name__})") from None

    ocr_pages.extend(_read_scanned_pages(path, data, pages, ocr))
    _ruled_tables(data, pages, ruled - set(ocr_pages))
    title = re.sub(r"^Microsoft Word - ", "", title or "").strip() or None
    if title and (len(title) < 4 or re.fullmatch(r"[\w-]+\.(docx?|pdf)", title, re.IGNORECASE)):
        title = None
    hints["title"] = title or ""
    return blocks_from_pages(pages, in_text_page_markers=False), _filled(hints), len(pages)


_DRAWS_LINES = re.compile(rb"(?<![^\s\])>])(?:re|l)\s")
"""A content stream's operator that draws a rectangle ("re") or a line ("l"), as a table's rules are drawn."""


def _ruled_tables(data: bytes, pages: list[RawPage], ruled: set[int]) -> None:
    """Replace, in place, the lines of each table drawn with ruling lines by its rows, cell by cell.

    The text extractor writes a table's cells one after another on a line ("Deputy CSO Janet Price 07700
    900457"), a cell broken over lines among them; the table finder (pdfplumber) knows where each cell
    is. The run of lines that holds exactly the table's words is replaced by its rows, so a value stays
    under its column and the lines around the table are read as before. A table whose words cannot be
    matched to the lines leaves the page as it was. ``ruled``: the pages to look at (those that draw lines,
    with a text layer); the table finder reads a page twenty times slower than the text extractor, so a
    page of text alone is not given to it.
    """
    if not ruled:
        return
    import pdfplumber

    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            for index, page in enumerate(pdf.pages[: len(pages)]):
                if pages[index].page not in ruled:
                    continue
                for table in page.find_tables():
                    rows = [[cell or "" for cell in row] for row in table.extract()]
                    lines = _with_rows(pages[index].lines, rows)
                    if lines is not None:
                        pages[index] = RawPage(lines, pages[index].page, pages[index].label)
    except Exception:  # pdfminer raises many types on unusual files; the text is read already
        logging.getLogger(__name__).debug("table finding failed", exc_info=True)


def _with_rows(lines: Sequence[str], rows: list[list[str]]) -> list[str] | None:
    """``lines`` with the shortest run of lines that holds exactly the words of ``rows`` replaced by the rows
    (the first is the header); None when no such run is found, or the table is not one (one row or column)."""
    rows = [row for row in rows if any(cell.strip() for cell in row)]
    if len(rows) < 2 or max(sum(1 for cell in row if cell.strip()) for row in rows) < 2:
        return None
    wanted = Counter(word for row in rows for cell in row for word in _words_of(cell))
    counts = [Counter(_words_of(line)) for line in lines]
    for start, first in enumerate(counts):
        if not first or any(wanted[word] < n for word, n in first.items()):
            continue
        held: Counter[str] = Counter()
        for end in range(start, len(lines)):
            held += counts[end]
            if any(held[word] > wanted[word] for word in counts[end]):
                break
            if held == wanted:
                # a first cell merged over several rows ("Legislation" beside five Acts) labels each of them
                for above, row in itertools.pairwise(rows[1:]):
                    if not row[0].strip() and above[0].strip():
                        row[0] = above[0]
                cells = [table_line(row, header=n == 0) for n, row in enumerate(rows)]
                return [*lines[:start], *(c for c in cells if c), *lines[end + 1 :]]
    return None


def _words_of(text: str) -> list[str]:
    return unicodedata.normalize("NFKC", text).split()


def _visible_characters(page: RawPage) -> int:
    return len("".join("".join(page.lines).split()))


def _read_scanned_pages(path: Path, data: bytes, pages: list[RawPage], options: OcrOptions) -> list[int]:
    """Replace, in place, the lines of pages with no (or almost no) text layer by their OCR text.

    Returns the numbers of the pages read by OCR. Without OCR, a PDF that has almost no text
    as a whole is refused as before, and a text PDF with a few empty pages is read without them.
    """
    missing = [i for i, page in enumerate(pages) if _visible_characters(page) < _MIN_CHARS_PER_PAGE]
    reason = unavailable(options) if missing else None
    texts: dict[int, str] = {}
    if missing and reason is None:
        texts = read_pages(path, data, [pages[i].page or i + 1 for i in missing], options)
        for i in missing:
            number = pages[i].page or i + 1
            if number in texts:
                pages[i] = RawPage(texts[number].split("\n"), pages[i].page, pages[i].label)
    if sum(_visible_characters(p) for p in pages) < _MIN_CHARS_PER_PAGE * len(pages):
        if reason is None:
            raise NoTextLayer(path, "the PDF has no text layer (a scan?) and OCR found no text on its pages")
        raise NoTextLayer(path, f"the PDF has no text layer (a scan?) and {reason}")
    return sorted(texts)


# ---------------------------------------------------------------------------------------
# DOCX


def _parse_docx(path: Path, data: bytes) -> tuple[list[Block], Hints, int | None]:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            if "word/document.xml" not in archive.namelist():
                raise CorruptDocument(path, "the ZIP file is not a Word document (no word/document.xml)")
            if archive.getinfo("word/document.xml").file_size > 200 * 1024 * 1024:
                raise DocumentTooLarge(path, "the Word document expands to more than 200 MB")
        import docx
        from docx.table import Table
        from docx.text.paragraph import Paragraph

        document = docx.Document(io.BytesIO(data))
    except (CorruptDocument, DocumentTooLarge):
        raise
    except Exception as exc:
        raise CorruptDocument(path, f"the Word document could not be opened ({type(exc).__name__})") from None

    blocks: list[Block] = []
    bold_sizes: dict[int, float] = {}  # block index -> font size of a paragraph set as a bold heading
    styles = _DocxStyles()
    for item in document.iter_inner_content():  # paragraphs and tables, in document order
        if isinstance(item, Paragraph):
            text = normalise_block_text(item.text)
            if not text:
                continue
            paragraph_style = styles.paragraph(item)
            style = (paragraph_style.name if paragraph_style is not None else "") or ""
            level = _docx_heading_level(style)
            listed = "List" in style or (item._p.pPr is not None and item._p.pPr.numPr is not None)
            if level:
                blocks.append(Block("heading", text, level))
            elif listed:
                blocks.append(Block("list_item", text))
            else:
                size = _docx_bold_heading_size(item, text, styles)
                if size is not None:
                    bold_sizes[len(blocks)] = size
                blocks.append(Block("paragraph", text))
        elif isinstance(item, Table):
            for row_index, row in enumerate(item.rows):
                cells: list[str] = []
                seen: set[int] = set()
                for cell in row.cells:
                    if id(cell._tc) in seen:  # a merged cell is returned once per grid column
                        continue
                    seen.add(id(cell._tc))
                    cells.append(normalise_block_text(cell.text))
                row_text = table_row_text(cells)
                if row_text:
                    blocks.append(Block("table_header" if row_index == 0 else "table_row", row_text))
    _promote_bold_headings(blocks, bold_sizes)
    properties = document.core_properties
    hints = {
        "title": (properties.title or "").strip() or _leading_headings(blocks),
        "author": (properties.author or "").strip(),
        "created": (iso_date(properties.created) or "") if properties.created else "",
    }
    return blocks, _filled(hints), None


_HEADING_MAX_WORDS = 12
_HEADING_MAX_CHARS = 100


class _DocxStyles:
    """Paragraphs' and runs' styles, each looked up once: python-docx finds a style by searching every
    style of the document at each call (a long policy: most of its loading time)."""

    def __init__(self) -> None:
        self._found: dict[tuple[str, str | None], Any] = {}

    def paragraph(self, paragraph: Any) -> Any:
        key = ("paragraph", paragraph._p.style)  # the style's id, or None for the default
        if key not in self._found:
            self._found[key] = paragraph.style
        return self._found[key]

    def run(self, run: Any) -> Any:
        key = ("run", run._r.style)
        if key not in self._found:
            self._found[key] = run.style
        return self._found[key]


def _docx_bold_heading_size(paragraph: Any, text: str, styles: _DocxStyles) -> float | None:
    """The font size (0 when unset) of a short paragraph set all in bold, or None when it is not one.

    Many organisations' Word policies make their headings by hand: a short line in bold, in the
    Normal style, sometimes larger. Such a line is a heading when it does not end as a sentence
    or a list entry does (".", ",", ";"); a heading put as a question or ending in ":" still is.
    """
    if len(text) > _HEADING_MAX_CHARS or len(text.split()) > _HEADING_MAX_WORDS:
        return None
    if text[-1] in ".,;" or not re.search(r"[A-Za-z]", text):
        return None
    paragraph_style = styles.paragraph(paragraph)
    style_font = paragraph_style.font if paragraph_style is not None else None
    sizes: list[float] = []
    for run in paragraph.runs:
        if not run.text.strip():
            continue
        bold = run.bold
        run_style = styles.run(run) if bold is None else None
        if run_style is not None:
            bold = run_style.font.bold
        if bold is None and style_font is not None:
            bold = style_font.bold
        if not bold:
            return None
        size = run.font.size or (style_font.size if style_font is not None else None)
        sizes.append(size.pt if size is not None else 0.0)
    return max(sizes) if sizes else None


_EMPHASIS = re.compile(
    r"^(?:always|never|remember|note|please|do|don't|you|we|i)\b|\b(?:must|should|will|shall|can|cannot|may)\b",
    re.IGNORECASE,
)
"""A bold line that urges or rules ("Always call 999 in an emergency"): emphasis, not a heading."""


def _promote_bold_headings(blocks: list[Block], bold_sizes: dict[int, float]) -> None:
    """Turn bold heading lines into headings, the largest type the highest level.

    A document with no heading styles (or only its title): two sizes or more, the largest is level 1,
    the next level 2, every other size level 3; one size only: level 2 (under the document's title).
    A document that also sets headings by style ("1. Purpose", then bold "Existing injuries" lines
    under it): a bold line that names a subject, not one that urges or rules ("Always call 999 in an
    emergency"), is a heading one level below the styled heading it follows.
    """
    if not bold_sizes:
        return
    if sum(b.kind == "heading" for b in blocks) >= 2:
        styled = 0
        for index, block in enumerate(blocks):
            if block.kind == "heading":
                styled = block.level
            elif index in bold_sizes and styled and not _EMPHASIS.search(block.text):
                blocks[index] = Block("heading", block.text, min(styled + 1, 6))
        return
    sizes = sorted(set(bold_sizes.values()), reverse=True)
    for index, size in bold_sizes.items():
        level = min(sizes.index(size) + 1, 3) if len(sizes) > 1 else 2
        blocks[index] = Block("heading", blocks[index].text, level)


def _leading_headings(blocks: list[Block]) -> str:
    """A title from the headings that open the document ("Little Acorns: Safeguarding Policy")."""
    leading: list[Block] = []
    for block in blocks:
        if block.kind != "heading" or len(leading) == 2:
            break
        leading.append(block)
    # a second heading is part of the title only when the sections sit below it, not beside it
    later = [b.level for b in blocks[len(leading) :] if b.kind == "heading"]
    if len(leading) == 2 and any(level <= leading[1].level for level in later):
        leading = leading[:1]
    return ": ".join(b.text for b in leading)


def _docx_heading_level(style: str) -> int:
    if style == "Title":
        return 1
    match = re.match(r"Heading (\d)", style)
    return min(int(match.group(1)), 4) if match else 0


# ---------------------------------------------------------------------------------------
# Markdown


_FRONT_MATTER = re.compile(r"\A\ufeff?---[ \t]*\r?\n(.*?)\r?\n(?:---|\.\.\.)[ \t]*(?:\r?\n|\Z)", re.DOTALL)
_MAX_FRONT_MATTER = 20_000


def _front_matter(text: str) -> tuple[str, Hints]:
    """The text without its YAML front matter, and what the front matter says (title, publisher, date).

    Front matter is metadata, not prose: left in, CommonMark reads it as a rule and a heading.
    """
    match = _FRONT_MATTER.match(text)
    if match is None or len(match.group(1)) > _MAX_FRONT_MATTER:
        return text, {}
    import yaml

    try:
        meta = yaml.safe_load(match.group(1))
    except yaml.YAMLError:
        return text, {}  # not front matter after all: a rule, some text and a rule
    if not isinstance(meta, dict):
        return text, {}
    hints: Hints = {}
    for field, keys in _FRONT_MATTER_KEYS.items():
        value = next((meta[k] for k in keys if meta.get(k)), None)
        if field == "date" and value is not None:
            hints[field] = iso_date(value) or ""
        elif isinstance(value, str):
            hints[field] = normalise_block_text(value)
    return text[match.end() :], _filled(hints)


_FRONT_MATTER_KEYS = {
    "title": ("title",),
    "publisher": ("publisher", "organisation", "organization", "authority", "partnership"),
    "author": ("author",),
    "date": ("date", "published", "updated", "last_updated", "last-updated", "reviewed"),
}


def _filled(hints: Hints) -> Hints:
    """The hints that say something."""
    return {key: value for key, value in hints.items() if value}


def _parse_markdown(path: Path, data: bytes) -> tuple[list[Block], Hints, int | None]:
    from markdown_it import MarkdownIt

    text = decode_text(path, data)
    text, hints = _front_matter(text)
    tokens = MarkdownIt("commonmark").enable("table").parse(text)
    blocks: list[Block] = []
    title: str | None = hints.get("title")
    pending: str | None = None  # the block kind opened by the last *_open token
    level = 0
    row_cells: list[str] | None = None
    in_head = False
    marker = ""  # an ordered list item's number, put before its first line
    for token in tokens:
        if token.type == "heading_open":
            pending, level = "heading", int(token.tag[1])
        elif token.type == "list_item_open":
            pending = "list_item"
            # an ordered list's number is part of what the reader sees ("1. Raise it with ...")
            marker = f"{token.info}{token.markup} " if token.markup in (".", ")") and token.info.isdigit() else ""
        elif token.type == "paragraph_open" and pending not in ("list_item",):
            pending = pending or "paragraph"
        elif token.type == "thead_open":
            in_head = True
        elif token.type == "thead_close":
            in_head = False
        elif token.type == "tr_open":
            row_cells = []
        elif token.type == "tr_close" and row_cells is not None:
            row_text = table_row_text(row_cells)
            if row_text:
                blocks.append(Block("table_header" if in_head else "table_row", row_text))
            row_cells = None
        elif token.type == "inline":
            raw = _inline_text(token)
            content = normalise_block_text(raw)  # line breaks folded to spaces
            lines = [normalise_block_text(line) for line in raw.split("\n")]
            if row_cells is None and pending in (None, "paragraph") and _labelled_lines(lines):
                # "Designated Safeguarding Lead (DSL): Mrs J Patel" / "Deputy DSL: Mr K Shah": one
                # label and its value per line, as written, not run together into one sentence
                blocks.extend(Block("paragraph", line) for line in lines if line)
                pending = None
                continue
            if row_cells is not None:
                row_cells.append(content)
            elif content:
                kind = pending or "paragraph"
                if kind == "heading":
                    blocks.append(Block("heading", content, min(level, 4)))
                    if title is None and level == 1:
                        title = content
                else:
                    if kind == "list_item":
                        content, marker = marker + content, ""
                    blocks.append(Block(kind, content))  # type: ignore[arg-type]
                pending = None
        elif token.type in ("fence", "code_block"):
            for line in token.content.splitlines():
                if line.strip():
                    blocks.append(Block("paragraph", normalise_block_text(line)))
        elif token.type.endswith("_close") and token.type.startswith(("paragraph", "list_item", "heading")):
            pending = None if token.type != "paragraph_close" or pending != "list_item" else pending
    return blocks, _filled({**hints, "title": title or ""}), None


_LABEL_LINE = re.compile(r"[^:\n]{1,60}:\s*\S")
"""A line that is a label and its value ("Deputy DSL: Mr K Shah")."""


def _labelled_lines(lines: list[str]) -> bool:
    """Are these (several) lines of one paragraph each a label and its value?"""
    return len(lines) > 1 and all(_LABEL_LINE.match(line) for line in lines if line)


def _inline_text(token) -> str:  # type: ignore[no-untyped-def]
    """An inline token's text, its line breaks kept as written."""
    parts: list[str] = []
    for child in token.children or []:
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append("\n")
        elif child.type == "image":
            parts.append(child.content or "")  # alt text only; never the URL
    return "".join(parts)


# ---------------------------------------------------------------------------------------
# HTML

_HTML_BLOCKS = {"p", "li", "dt", "dd", "blockquote", "pre", "figcaption", "caption", "td", "th", "address"}
_HTML_DROP = ["script", "style", "noscript", "template", "head", "svg", "iframe", "object", "embed", "form", "nav"]


_COOKIE_NOTICE = re.compile(r"cookie", re.IGNORECASE)
"""An element whose class or id names cookies: the site's cookie notice (short, holding no heading; never
the page's body, which some sites mark "cookie-consent-given")."""
_COOKIE_NOTICE_CHARS = 600


def _classes(tag: Any) -> list[str]:
    value = tag.get("class") or []
    return [str(c) for c in value] if isinstance(value, list) else [str(value)]


_HTML_BREAKS = {"br", "p", "div", "li", "tr", "td", "th", "h1", "h2", "h3", "h4", "h5", "h6", "section", "article"}


def _html_text(element: Any) -> str:
    """An element's text: inline tags joined as written ("the <b>MASH</b>." -> "the MASH."),
    block boundaries and line breaks as spaces."""
    from bs4.element import Comment, Declaration, Doctype, NavigableString, ProcessingInstruction

    skipped = (Comment, Declaration, Doctype, ProcessingInstruction)
    parts: list[str] = []
    for node in element.descendants:
        if isinstance(node, NavigableString):
            if not isinstance(node, skipped):
                parts.append(str(node))
        elif getattr(node, "name", None) in _HTML_BREAKS:
            parts.append(" ")
    return normalise_block_text("".join(parts))


def _parse_html(path: Path, data: bytes) -> tuple[list[Block], Hints, int | None]:
    from bs4 import BeautifulSoup

    text = decode_text(path, data)
    soup = BeautifulSoup(text, "html.parser")
    title_tag = soup.find("title")
    hints: Hints = {"title": _html_text(title_tag) if title_tag else ""}
    for tag in soup.find_all("meta"):
        key = str(tag.get("name") or tag.get("property") or "").lower()
        field = _HTML_META.get(key)
        content = " ".join(str(tag.get("content") or "").split())
        if field and content and not hints.get(field):
            hints[field] = (iso_date(content) or "") if field == "date" else content
    for tag in soup(_HTML_DROP):
        tag.decompose()
    # the site's own footer ("(c) 2025 ... | Privacy | Cookies"), not an article's ("Last reviewed: ...");
    # where the page marks its main content, the site's header bar and sidebars outside it as well
    marked = soup.find(["main", "article"]) is not None or soup.find(role="main") is not None
    site = ("contentinfo", "navigation", *(("banner", "complementary") if marked else ()))
    furniture = [
        tag
        for tag in soup.find_all(True)
        if (
            (tag.name == "footer" or (marked and tag.name in ("header", "aside")) or tag.get("role") in site)
            and tag.find_parent(["article", "main", "section"]) is None
        )
        # a cookie notice is never the page's content ("We use cookies to give you the best experience ...")
        or (
            tag.name not in ("html", "body", "main", "article")
            and _COOKIE_NOTICE.search(" ".join([*_classes(tag), str(tag.get("id") or "")]))
            and tag.find(["main", "article", "h1", "h2"]) is None
            and len(tag.get_text(" ", strip=True)) <= _COOKIE_NOTICE_CHARS
        )
    ]
    for tag in furniture:
        if not tag.decomposed:
            tag.decompose()
    blocks: list[Block] = []
    body = soup.body or soup
    level = 2
    for element in body.find_all(True):
        name = element.name
        if name in ("h1", "h2", "h3", "h4", "h5", "h6"):
            content = _html_text(element)
            if content:
                level = min(int(name[1]), 4)
                blocks.append(Block("heading", content, level))
        elif name == "summary":
            # an accordion's title ("<details><summary>Transport and lifts</summary> ..."): a heading over its content
            content = _html_text(element)
            if content:
                blocks.append(Block("heading", content, min(level + 1, 4)))
        elif name == "tr":
            cells = [_html_text(c) for c in element.find_all(["td", "th"], recursive=False)]
            row_text = table_row_text(cells)
            if row_text:
                header = all(c.name == "th" for c in element.find_all(["td", "th"], recursive=False))
                blocks.append(Block("table_header" if header else "table_row", row_text))
        elif name in _HTML_BLOCKS and not element.find_parent(["tr", *(_HTML_BLOCKS - {"blockquote"})]):
            if name in ("td", "th"):
                continue
            content = _html_text(element)
            if content:
                blocks.append(Block("list_item" if name == "li" else "paragraph", content))
        elif name in ("div", "section", "article", "main", "body", "span", "font", "center"):
            own = "".join(s for s in element.find_all(string=True, recursive=False)).strip()
            if own:
                blocks.append(Block("paragraph", normalise_block_text(own)))
    return blocks, _filled(hints), None


_HTML_META = {
    "dcterms.publisher": "publisher",
    "dc.publisher": "publisher",
    "publisher": "publisher",
    "og:site_name": "publisher",
    "author": "author",
    "dcterms.creator": "author",
    "dc.creator": "author",
    "dcterms.issued": "date",
    "dcterms.date": "date",
    "dc.date": "date",
    "article:published_time": "date",
    "dcterms.modified": "date",
    "article:modified_time": "date",
    "date": "date",
}
