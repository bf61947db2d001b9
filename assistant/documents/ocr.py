"""Read scanned PDF pages by OCR: Tesseract, for the pages that have no text layer.

pypdfium2 (which renders a page to an image) and pytesseract (which runs the ``tesseract``
program on it) are imported here and nowhere else, and only when a page needs OCR. The
loader hands over the pages whose text layer is empty; their OCR text enters the same
cleaning as any PDF page's lines, so every quote stays a verbatim slice of the cleaned text,
and the pages read this way are recorded (``Document.ocr_pages``, ``Chunk.ocr``) so that
citations can say so.

Bounded like the rest of parsing, and inside the same child process with its memory cap:
a blank page is recognised from a thumbnail and never sent to Tesseract; a page is rendered
with at most ``_MAX_PIXELS`` pixels; Tesseract gets ``page_timeout_s`` per page; at most
``max_pages`` pages of one document are read; and OCR stops with a clear refusal once
``time_budget_s`` is spent, before the parse time limit kills the child without a reason.
"""

from __future__ import annotations

import bisect
import os
import re
import shutil
import time
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from assistant.errors import CorruptDocument, DocumentError, DocumentTooLarge, NoTextLayer
from assistant.models import Chunk, Document

__all__ = ["INSTALL_HINT", "OcrOptions", "mark_ocr_chunks", "read_pages", "unavailable"]

INSTALL_HINT = "install Tesseract (apt-get install tesseract-ocr tesseract-ocr-eng) to read scanned documents"
_NOT_AVAILABLE = f"the PDF has no text layer (a scan?) and OCR is not available: {INSTALL_HINT}"
_MAX_PIXELS = 36_000_000  # an A2 page at 300 dpi; larger pages are read at a lower resolution
_THUMBNAIL_DPI = 24  # enough to tell a blank page from one with print on it
_INK = 224  # a thumbnail pixel darker than this (0 black, 255 white) is print, not paper
_MIN_CHARS = 5  # OCR text with fewer visible characters than this is noise, not a page of text
_WORD = re.compile(r"[^\W\d_]{2,}")


@dataclass(frozen=True)
class OcrOptions:
    """How scanned pages are read (picklable: it travels to the parsing child)."""

    enabled: bool = True
    """``ASSISTANT_OCR``: off, a PDF without a text layer is refused as before."""
    language: str = "eng"
    """Tesseract's language(s), e.g. ``eng`` or ``eng+cym`` (``ASSISTANT_OCR_LANGUAGE``)."""
    tesseract: str = "tesseract"
    """The Tesseract program, a name on PATH or a path (``ASSISTANT_OCR_TESSERACT``)."""
    page_timeout_s: float = 60.0
    """Longest Tesseract may take over one page (``ASSISTANT_OCR_PAGE_TIMEOUT_S``)."""
    max_pages: int = 200
    """Most pages read by OCR in one document; more is refused (``ASSISTANT_OCR_MAX_PAGES``)."""
    time_budget_s: float | None = None
    """Longest all of a document's OCR may take; None: no limit. Ingest sets 0.8 x ASSISTANT_PARSE_TIMEOUT_S,
    so that a long scan is refused with a reason before its child process is killed without one."""
    dpi: int = 300


def unavailable(options: OcrOptions) -> str | None:
    """Why OCR cannot run here, as the end of a sentence with what to do; None when it can."""
    if not options.enabled:
        return "OCR is turned off (ASSISTANT_OCR=0): turn it on to read scanned documents"
    if shutil.which(options.tesseract) is None:
        where = "" if options.tesseract == "tesseract" else f" (no {options.tesseract}: ASSISTANT_OCR_TESSERACT)"
        return f"OCR is not available{where}: {INSTALL_HINT}"
    for module in ("pytesseract", "pypdfium2"):
        try:
            __import__(module)
        except ImportError:
            return f"OCR is not available (the Python package {module} is missing): run scripts/setup"
    return None


def read_pages(path: Path, data: bytes, numbers: Sequence[int], options: OcrOptions) -> dict[int, str]:
    """The OCR text of each listed page (1-based) that has print on it.

    Blank pages, and pages where OCR finds no words, are left out. Raises
    :class:`~assistant.errors.DocumentError` subclasses with a reason a person can act on.
    Call only when :func:`unavailable` returned None.
    """
    try:
        return _read_pages(path, data, numbers, options)
    except (DocumentError, MemoryError, RecursionError):
        raise
    except Exception as exc:  # a renderer failing on a hostile file must not stop the run
        raise CorruptDocument(
            path, f"the scanned pages could not be read by OCR ({type(exc).__name__}: {str(exc)[:120]})"
        ) from None


def _read_pages(path: Path, data: bytes, numbers: Sequence[int], options: OcrOptions) -> dict[int, str]:
    import pypdfium2 as pdfium
    import pytesseract

    started = time.monotonic()
    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        raise CorruptDocument(path, f"the PDF has no text layer and could not be rendered for OCR ({exc})") from None
    try:
        printed: list[int] = []
        for number in numbers:
            try:
                blank = _blank(pdf, number)
            except pdfium.PdfiumError as exc:
                raise CorruptDocument(path, f"page {number} could not be rendered for OCR ({exc})") from None
            if not blank:
                printed.append(number)
            elapsed = time.monotonic() - started
            if options.time_budget_s is not None and elapsed > options.time_budget_s:
                raise _over_budget(path, len(numbers), 0, elapsed)
            if len(printed) > options.max_pages:  # refused before any OCR, however long the scan
                raise DocumentTooLarge(
                    path,
                    f"the PDF has {len(numbers)} pages without a text layer, more than the {options.max_pages} "
                    "pages OCR reads in one document (ASSISTANT_OCR_MAX_PAGES)",
                )
        if not printed:
            return {}
        _check_languages(path, options, pytesseract)
        os.environ.setdefault("OMP_THREAD_LIMIT", "1")  # Tesseract's threads only slow it down on a small machine
        pytesseract.pytesseract.tesseract_cmd = options.tesseract
        texts: dict[int, str] = {}
        for done, number in enumerate(printed):
            timeout = options.page_timeout_s
            if options.time_budget_s is not None:
                left = options.time_budget_s - (time.monotonic() - started)
                if left < 1:
                    raise _over_budget(path, len(printed), done, time.monotonic() - started)
                timeout = min(timeout, left)
            try:
                image = _render(pdf, number, options.dpi)
            except pdfium.PdfiumError as exc:
                raise CorruptDocument(path, f"page {number} could not be rendered for OCR ({exc})") from None
            try:
                text = pytesseract.image_to_string(image, lang=options.language, timeout=timeout)
            except pytesseract.TesseractNotFoundError:
                raise NoTextLayer(path, _NOT_AVAILABLE) from None
            except pytesseract.TesseractError as exc:
                raise CorruptDocument(path, f"OCR failed on page {number} ({str(exc)[:160]})") from None
            except RuntimeError as exc:  # pytesseract's "Tesseract process timeout"
                if "timeout" not in str(exc).lower():
                    raise
                if options.time_budget_s is not None and timeout < options.page_timeout_s:
                    raise _over_budget(path, len(printed), done, time.monotonic() - started) from None
                raise DocumentTooLarge(
                    path,
                    f"OCR of page {number} took longer than {options.page_timeout_s:g} s and was stopped "
                    "(ASSISTANT_OCR_PAGE_TIMEOUT_S)",
                ) from None
            finally:
                image.close()
            text = text.replace("\f", "\n")
            if _has_words(text):
                texts[number] = text
        return texts
    finally:
        pdf.close()


def _blank(pdf: Any, number: int) -> bool:
    """Is the page empty paper? Nothing drawn on it, or nothing darker than paper in a thumbnail."""
    page = pdf[number - 1]
    try:
        if next(iter(page.get_objects(max_depth=1)), None) is None:
            return True
        bitmap = page.render(scale=_THUMBNAIL_DPI / 72, grayscale=True, may_draw_forms=False)
        try:
            return int(bitmap.to_numpy().min()) >= _INK
        finally:
            bitmap.close()
    finally:
        page.close()


def _render(pdf: Any, number: int, dpi: int) -> Any:
    """The page as a greyscale PIL image at ``dpi``, or smaller when that would exceed ``_MAX_PIXELS``."""
    page = pdf[number - 1]
    try:
        width, height = page.get_size()
        scale = dpi / 72
        area = max(width * height, 1.0)
        if area * scale * scale > _MAX_PIXELS:
            scale = (_MAX_PIXELS / area) ** 0.5
        bitmap = page.render(scale=scale, grayscale=True, may_draw_forms=False)
        try:
            return bitmap.to_pil().copy()  # the copy owns its pixels: the bitmap can go
        finally:
            bitmap.close()
    finally:
        page.close()


def _check_languages(path: Path, options: OcrOptions, pytesseract: Any) -> None:
    try:
        installed = set(pytesseract.get_languages(config=""))
    except pytesseract.TesseractNotFoundError:
        raise NoTextLayer(path, _NOT_AVAILABLE) from None
    except (pytesseract.TesseractError, OSError):
        return  # an older Tesseract without --list-langs: let the OCR itself report
    missing = [code for code in options.language.split("+") if code not in installed]
    if missing:
        packages = " ".join(f"tesseract-ocr-{code.lower().replace('_', '-')}" for code in missing)
        raise NoTextLayer(
            path,
            f"the PDF has no text layer (a scan?) and Tesseract has no language data for {'+'.join(missing)} "
            f"(ASSISTANT_OCR_LANGUAGE={options.language}): install it (apt-get install {packages})",
        )


def _over_budget(path: Path, total: int, done: int, elapsed: float) -> DocumentTooLarge:
    need = ""
    if done:
        per_page = elapsed / done
        need = f"; about {per_page * total / 0.8 + 30:.0f} s would do"
    return DocumentTooLarge(
        path,
        f"reading its {total} scanned pages by OCR takes longer than the time allowed for one document "
        f"({done} read in {elapsed:.0f} s): raise ASSISTANT_PARSE_TIMEOUT_S to ingest it{need}",
    )


def _has_words(text: str) -> bool:
    """Text, not the noise OCR reads into a photograph, a logo or a speck of dust."""
    return len("".join(text.split())) >= _MIN_CHARS and bool(_WORD.search(text))


# ---------------------------------------------------------------------------------------
# Which chunks hold OCR text


def mark_ocr_chunks(document: Document, chunks: Sequence[Chunk]) -> list[Chunk]:
    """The chunks, with ``ocr=True`` on those holding text read from a page in ``document.ocr_pages``.

    A block records the page it starts on and may run on over a page break, so a block is
    taken as OCR text when it starts on an OCR page or when the next block starts on a later
    page that is one: a passage is never shown as the text layer's when it may hold OCR text.
    """
    if not document.ocr_pages:
        return list(chunks)
    ocr = set(document.ocr_pages)
    starts: list[int] = []
    ends: list[int] = []
    next_page: int | None = None
    for segment in reversed(document.segments):
        page = segment.page
        if page is not None:
            last = next_page if next_page is not None and next_page > page else page
            if any(p in ocr for p in range(page, last + 1)):
                starts.append(segment.start)
                ends.append(segment.end)
            next_page = page
    starts.reverse()
    ends.reverse()

    def touches(chunk: Chunk) -> bool:
        i = bisect.bisect_right(ends, chunk.start)  # the first OCR block ending after the chunk starts
        return i < len(starts) and starts[i] < chunk.end

    return [replace(chunk, ocr=True) if touches(chunk) else chunk for chunk in chunks]
