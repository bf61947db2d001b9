"""Scanned PDFs read by OCR (Tesseract): pages without a text layer, generated here as images.

Each scan is text drawn on a page-sized image and saved as a PDF with no text layer, as a
scanner would make it. OCR may misread a letter, so the checks look for key words and
"48 hours" rather than whole sentences.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pytest

from assistant.config import Settings
from assistant.documents.isolation import ParseJob, parse_files
from assistant.documents.loaders import load_document
from assistant.documents.ocr import OcrOptions, mark_ocr_chunks
from assistant.errors import ConfigurationError, DocumentTooLarge, NoTextLayer
from assistant.models import Chunk, Citation, Document, Segment

pytestmark = pytest.mark.skipif(
    shutil.which("tesseract") is None and not os.environ.get("CI"),
    reason="tesseract is not installed (scripts/setup installs it as root: apt-get install tesseract-ocr)",
)

MAX = 50 * 1024 * 1024
QUOKKA = [
    "The Quokka Protocol",
    "",
    "The Quokka protocol requires a welfare visit within",
    "48 hours of a referral.",
    "",
    "The visiting social worker records the visit on the",
    "same day and tells the family what happens next.",
    "",
    "A team manager reviews every Quokka case each month.",
]
WOMBAT = [
    "Wombat Escalation",
    "",
    "Under the Wombat arrangement a disagreement between",
    "agencies is escalated to a senior manager within five",
    "working days.",
]
TEXT_PAGE = "Strategy discussions under the Kestrel procedure are held within one working day of a referral."
FONTS = (
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
    "/usr/share/fonts/TTF/DejaVuSans.ttf",
)


def _page_image(lines: Sequence[str]) -> Any:
    """An A4 page at 300 dpi with the lines printed in black, as a scanner would see it."""
    from PIL import Image, ImageDraw, ImageFont

    font_path = next((f for f in FONTS if Path(f).is_file()), None)
    font: Any
    if font_path is not None:
        font = ImageFont.truetype(font_path, 48)
    else:
        font = ImageFont.load_default(size=48)  # Pillow's own scalable font
    image = Image.new("L", (2480, 3508), 255)
    draw = ImageDraw.Draw(image)
    y = 250
    for line in lines:
        draw.text((220, y), line, font=font, fill=0)
        y += 80
    return image


def scanned_pdf(path: Path, pages: Sequence[Sequence[str]]) -> Path:
    """A PDF of page images only: no text layer at all."""
    images = [_page_image(lines) for lines in pages]
    images[0].save(path, "PDF", resolution=300.0, save_all=True, append_images=images[1:])
    return path


def mixed_pdf(path: Path) -> Path:
    """Page 1 with a text layer (typed), page 2 a scanned image."""
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_font("helvetica", size=12)
    pdf.add_page()
    pdf.multi_cell(0, 7, "The Kestrel Procedure")
    pdf.ln(4)
    pdf.multi_cell(0, 7, TEXT_PAGE)
    pdf.add_page()
    pdf.image(_page_image(QUOKKA), x=0, y=0, w=210, h=297)
    pdf.output(str(path))
    return path


def _key_words_present(text: str) -> None:
    folded = " ".join(text.split()).lower()
    for words in ("quokka", "protocol", "welfare visit", "48 hours", "referral", "team manager"):
        assert words in folded, (words, text)


@pytest.fixture(scope="module")
def scan(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return scanned_pdf(tmp_path_factory.mktemp("scan") / "quokka-procedure-1998.pdf", [QUOKKA])


# --------------------------------------------------------------------------------------
# Loading


def test_a_scanned_pdf_is_read_by_ocr(scan: Path) -> None:
    from pypdf import PdfReader

    assert not "".join((PdfReader(scan).pages[0].extract_text() or "").split())  # truly no text layer
    document = load_document(scan, max_bytes=MAX)
    assert document.format == "pdf" and document.page_count == 1
    assert document.ocr_pages == (1,)
    _key_words_present(document.text)
    at = document.text.index("48 hours")
    segment = next(s for s in document.segments if s.start <= at < s.end)
    assert segment.page == 1 and segment.page_label == "1"


def test_ocr_chunks_and_citations_are_marked_and_quote_the_cleaned_text(scan: Path) -> None:
    from assistant.documents.isolation import parse_file
    from assistant.index.embeddings import default_model_dir

    job = ParseJob(
        max_bytes=MAX, max_pdf_pages=100, chunk_tokens=200, overlap_tokens=48, model_dir=str(default_model_dir())
    )
    parsed = parse_file(scan, job)
    assert parsed.error is None and parsed.document is not None
    assert parsed.chunks and all(c.ocr for c in parsed.chunks)
    for chunk in parsed.chunks:
        assert chunk.text == parsed.document.text[chunk.start : chunk.end]
    chunk = next(c for c in parsed.chunks if "48 hours" in c.text)
    start = chunk.start + chunk.text.index("48 hours")
    citation = Citation.from_chunk(1, chunk, start, start + len("48 hours"))
    assert citation.ocr is True and citation.quote == parsed.document.text[citation.start : citation.end]
    assert citation.public()["ocr"] is True
    text_citation = Citation.from_chunk(1, Chunk("c", "d", 0, "Typed text.", 0, 11), 0, 5)
    assert text_citation.ocr is False and text_citation.public()["ocr"] is False


def test_a_pdf_mixing_a_text_page_and_a_scan_keeps_the_text_layer(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from assistant.documents import loaders

    path = mixed_pdf(tmp_path / "kestrel-and-quokka.pdf")
    sent: list[list[int]] = []
    real = loaders.read_pages

    def spy(path: Path, data: bytes, numbers: Sequence[int], options: OcrOptions) -> dict[int, str]:
        sent.append(list(numbers))
        return real(path, data, numbers, options)

    monkeypatch.setattr(loaders, "read_pages", spy)
    document = load_document(path, max_bytes=MAX)
    assert sent == [[2]]  # only the scanned page went to OCR
    assert document.ocr_pages == (2,)
    assert TEXT_PAGE in document.text  # the text layer, word for word
    kestrel = next(s for s in document.segments if "Kestrel procedure" in document.text[s.start : s.end])
    assert kestrel.page == 1
    _key_words_present(document.text[document.text.index("Quokka") :])
    at = document.text.index("48 hours")
    assert next(s for s in document.segments if s.start <= at < s.end).page == 2


def test_which_chunks_are_marked_as_ocr() -> None:
    """A block on an OCR page is OCR text; so is the last block before one (it may run on over the break)."""
    text = "First typed paragraph. Second typed paragraph. Scanned paragraph."
    segments = (
        Segment("paragraph", 0, 22, page=1, page_label="1"),
        Segment("paragraph", 23, 46, page=1, page_label="1"),
        Segment("paragraph", 47, 65, page=2, page_label="2"),
    )
    document = Document("d", Path("x.pdf"), "x.pdf", "X", "pdf", text, segments, page_count=2, ocr_pages=(2,))
    chunks = [
        Chunk(f"c{i}", "d", i, text[s.start : s.end], s.start, s.end, page=s.page) for i, s in enumerate(segments)
    ]
    assert [c.ocr for c in mark_ocr_chunks(document, chunks)] == [False, True, True]
    typed = Document("d", Path("x.pdf"), "x.pdf", "X", "pdf", text, segments, page_count=2)
    assert [c.ocr for c in mark_ocr_chunks(typed, chunks)] == [False, False, False]


# --------------------------------------------------------------------------------------
# Without OCR, and the limits


def test_without_tesseract_the_scan_is_refused_saying_how_to_install_it(scan: Path, tmp_path: Path) -> None:
    with pytest.raises(NoTextLayer) as error:
        load_document(scan, max_bytes=MAX, ocr=OcrOptions(tesseract="/nonexistent/tesseract"))
    message = str(error.value)
    assert "OCR is not available" in message and "apt-get install tesseract-ocr tesseract-ocr-eng" in message
    assert "ASSISTANT_OCR_TESSERACT" in message

    # In the parsing child process, with no tesseract on its PATH.
    empty = tmp_path / "bin"
    empty.mkdir()
    job = ParseJob(max_bytes=MAX, max_pdf_pages=100, chunk_tokens=200, overlap_tokens=48, model_dir="")
    saved = os.environ["PATH"]
    os.environ["PATH"] = str(empty)
    try:
        (parsed,) = list(parse_files([scan], job, timeout_s=120))
    finally:
        os.environ["PATH"] = saved
    assert isinstance(parsed.error, NoTextLayer), parsed
    assert parsed.error.detail == (
        "the PDF has no text layer (a scan?) and OCR is not available: install Tesseract "
        "(apt-get install tesseract-ocr tesseract-ocr-eng) to read scanned documents"
    )


def test_ocr_turned_off_refuses_the_scan(scan: Path) -> None:
    with pytest.raises(NoTextLayer) as error:
        load_document(scan, max_bytes=MAX, ocr=OcrOptions(enabled=False))
    assert "ASSISTANT_OCR" in str(error.value)


def test_a_missing_language_is_named_with_its_package(scan: Path) -> None:
    with pytest.raises(NoTextLayer) as error:
        load_document(scan, max_bytes=MAX, ocr=OcrOptions(language="eng+zzz"))
    assert "zzz" in str(error.value) and "tesseract-ocr-zzz" in str(error.value)


def test_too_many_scanned_pages_are_refused_before_any_ocr(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import pytesseract

    def no_ocr(*args: object, **kwargs: object) -> str:
        raise AssertionError("OCR ran")

    monkeypatch.setattr(pytesseract, "image_to_string", no_ocr)
    path = scanned_pdf(tmp_path / "long-scan.pdf", [QUOKKA, WOMBAT, QUOKKA])
    with pytest.raises(DocumentTooLarge) as error:
        load_document(path, max_bytes=MAX, ocr=OcrOptions(max_pages=2))
    assert "ASSISTANT_OCR_MAX_PAGES" in str(error.value) and "3 pages" in str(error.value)


def test_a_scan_over_the_time_allowed_is_refused_with_a_reason(tmp_path: Path) -> None:
    path = scanned_pdf(tmp_path / "slow-scan.pdf", [QUOKKA, WOMBAT])
    with pytest.raises(DocumentTooLarge) as error:
        load_document(path, max_bytes=MAX, ocr=OcrOptions(time_budget_s=0.5))
    assert "ASSISTANT_PARSE_TIMEOUT_S" in str(error.value)


def test_a_page_over_the_ocr_time_limit_is_refused(scan: Path) -> None:
    with pytest.raises(DocumentTooLarge) as error:
        load_document(scan, max_bytes=MAX, ocr=OcrOptions(page_timeout_s=0.05))
    assert "ASSISTANT_OCR_PAGE_TIMEOUT_S" in str(error.value)


def test_many_blank_pages_stay_bounded(tmp_path: Path) -> None:
    """Blank pages have no text layer, but no print either: none is sent to OCR."""
    from fpdf import FPDF

    pdf = FPDF()
    for _ in range(2000):
        pdf.add_page()
    path = tmp_path / "blank.pdf"
    pdf.output(str(path))
    started = time.monotonic()
    with pytest.raises(NoTextLayer) as error:
        load_document(path, max_bytes=MAX)
    assert time.monotonic() - started < 60
    assert "OCR found no text" in str(error.value)


def test_ocr_settings_are_read_and_validated(no_env: None) -> None:
    settings = Settings.from_env(
        {
            "ASSISTANT_OCR": "off",
            "ASSISTANT_OCR_LANGUAGE": "eng+cym",
            "ASSISTANT_OCR_TESSERACT": "/opt/tesseract/bin/tesseract",
            "ASSISTANT_OCR_MAX_PAGES": "50",
            "ASSISTANT_OCR_PAGE_TIMEOUT_S": "30",
        }
    )
    assert (settings.ocr, settings.ocr_language, settings.ocr_tesseract) == (
        False,
        "eng+cym",
        "/opt/tesseract/bin/tesseract",
    )
    assert (settings.ocr_max_pages, settings.ocr_page_timeout_s) == (50, 30.0)
    defaults = Settings.from_env({})
    assert defaults.ocr is True and defaults.ocr_language == "eng" and defaults.ocr_max_pages == 200
    for name, value in (
        ("ASSISTANT_OCR", "maybe"),
        ("ASSISTANT_OCR_LANGUAGE", "eng; rm -rf"),
        ("ASSISTANT_OCR_MAX_PAGES", "0"),
        ("ASSISTANT_OCR_PAGE_TIMEOUT_S", "-1"),
    ):
        with pytest.raises(ConfigurationError) as error:
            Settings.from_env({name: value})
        assert name in str(error.value)


def test_an_older_catalogue_gains_the_ocr_column(tmp_path: Path) -> None:
    from assistant.index.catalog import Catalog

    path = tmp_path / "catalog.sqlite3"
    with sqlite3.connect(path) as connection:
        connection.executescript(
            "CREATE TABLE documents (doc_id TEXT PRIMARY KEY, path TEXT UNIQUE NOT NULL, file_name TEXT NOT NULL, "
            "title TEXT NOT NULL, format TEXT NOT NULL, size INTEGER NOT NULL, mtime_ns INTEGER NOT NULL, "
            "page_count INTEGER, chunk_count INTEGER NOT NULL, text TEXT NOT NULL, indexed_at TEXT NOT NULL);"
            "CREATE TABLE chunks (chunk_id TEXT PRIMARY KEY, doc_id TEXT NOT NULL, ordinal INTEGER NOT NULL, "
            "text TEXT NOT NULL, start INTEGER NOT NULL, end_ INTEGER NOT NULL, section TEXT NOT NULL, page INTEGER, "
            "page_label TEXT, context TEXT NOT NULL, heading_end INTEGER NOT NULL DEFAULT 0);"
            "INSERT INTO documents VALUES ('d', '/x.txt', 'x.txt', 'X', 'text', 5, 0, NULL, 1, 'Hello', 'now');"
            "INSERT INTO chunks VALUES ('c', 'd', 0, 'Hello', 0, 5, '[]', NULL, NULL, '', 0);"
        )
    connection.close()
    catalog = Catalog(path)
    assert [c.ocr for c in catalog.iter_chunks()] == [False]
    document = Document("e", Path("/scan.pdf"), "scan.pdf", "Scan", "pdf", "Read by OCR.", (), 1, ocr_pages=(1,))
    catalog.commit_document(document, [Chunk("s", "e", 0, "Read by OCR.", 0, 12, page=1, ocr=True)], mtime_ns=0)
    assert catalog.chunks(["s", "c"])["s"].ocr is True and catalog.chunks(["c"])["c"].ocr is False
    catalog.close()
    assert Catalog(path).chunks(["s"])["s"].ocr is True  # opening it again changes nothing


# --------------------------------------------------------------------------------------
# End to end: a real assistant answers from a scan and says the quote was read by OCR


@pytest.mark.slow
def test_the_assistant_answers_from_a_scan_and_marks_the_citation(
    scan: Path, make_settings: Callable[..., Settings], embedder: Any, tmp_path: Path
) -> None:
    from assistant.engine import Assistant
    from assistant.web.render import answer_html, answer_markdown

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(scan, corpus / scan.name)
    (corpus / "fostering.md").write_text(
        "# Private fostering\n\nThe local authority must be notified of a private fostering arrangement.\n",
        encoding="utf-8",
    )
    assistant = Assistant(make_settings(corpus=corpus), embedder=embedder)
    report = assistant.ingest()
    assert report.exit_code == 0, report.as_dict()
    assert sorted(report.added) == ["fostering.md", scan.name]
    answer = assistant.ask("How quickly does the Quokka protocol require a welfare visit?")
    assert not answer.abstained, answer
    assert "48 hours" in answer.answer
    cited = [c for c in answer.citations if c.document == scan.name]
    assert cited and all(c.ocr is True for c in cited)
    assert any("48 hours" in c.quote for c in cited)
    for citation in cited:
        text = assistant.document_text(citation.doc_id) or ""
        assert text[citation.start : citation.end] == citation.quote
    data = answer.to_dict()
    assert any(c.get("ocr") is True for c in data["citations"])
    assert '"ocr": true' in json.dumps(data)
    note = "(read by OCR: check against the original)"
    assert note in answer_markdown(answer) and note in answer_html(answer)
    assistant.close()
