"""Document loading by format: the same text as plain text, Markdown, HTML, Word and PDF.

Each file is written here from the seed report's opening pages (its headings as headings, its
paragraphs as paragraphs), so every format carries the same words and the figures compare. The
baseline is plain text, loaded in the same run; a PDF is also measured against pypdf's own text
extraction of the same pages (the least any PDF loader costs), and once more with a ruled table on
each page, which sends those pages through the table finder.
"""

from __future__ import annotations

import html
import statistics
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

PAGE_CHARS = 3000
"""About one printed page of the seed's text per PDF page."""


def _sections(text: str, chars: int) -> list[tuple[str, list[str]]]:
    """The seed's opening ``chars`` characters as (heading, paragraphs): a short line without a full
    stop is a heading."""
    sections: list[tuple[str, list[str]]] = [("Introduction", [])]
    used = 0
    for line in text.splitlines():
        line = " ".join(line.split())
        if not line:
            continue
        if len(line) < 70 and not line.endswith((".", ":", ";")):
            sections.append((line, []))
        else:
            sections[-1][1].append(line)
        used += len(line)
        if used >= chars:
            break
    return [(heading, paragraphs) for heading, paragraphs in sections if paragraphs]


def write_formats(seed: Path, folder: Path, pages: int) -> dict[str, Path]:
    """The seed's opening text (up to ``pages`` pages' worth) in each format, in ``folder``."""
    from docx import Document as WordDocument
    from fpdf import FPDF

    from assistant.products.exporters import latin1

    folder.mkdir(parents=True, exist_ok=True)
    sections = _sections(seed.read_text(encoding="utf-8"), pages * PAGE_CHARS)
    files = {
        "text": folder / "report.txt",
        "markdown": folder / "report.md",
        "html": folder / "report.html",
        "docx": folder / "report.docx",
        "pdf": folder / "report.pdf",
        "pdf, ruled tables": folder / "report-tables.pdf",
    }
    files["text"].write_text("\n\n".join(f"{h}\n\n" + "\n\n".join(ps) for h, ps in sections) + "\n", encoding="utf-8")
    files["markdown"].write_text(
        "\n\n".join(f"## {h}\n\n" + "\n\n".join(ps) for h, ps in sections) + "\n", encoding="utf-8"
    )
    body = "".join(f"<h2>{html.escape(h)}</h2>" + "".join(f"<p>{html.escape(p)}</p>" for p in ps) for h, ps in sections)
    files["html"].write_text(
        f"<!doctype html><html><head><title>Report</title></head><body><main>{body}</main></body></html>",
        encoding="utf-8",
    )
    word = WordDocument()
    for heading, paragraphs in sections:
        word.add_heading(heading, level=2)
        for paragraph in paragraphs:
            word.add_paragraph(paragraph)
    word.save(str(files["docx"]))
    for name, ruled in (("pdf", False), ("pdf, ruled tables", True)):
        pdf = FPDF(format="A4")
        pdf.set_auto_page_break(auto=True, margin=20)
        pdf.add_page()
        for heading, paragraphs in sections:
            pdf.set_font("Helvetica", "B", 13)
            pdf.multi_cell(0, 7, latin1(heading), new_x="LMARGIN", new_y="NEXT")
            pdf.set_font("Helvetica", size=10)
            for paragraph in paragraphs:
                pdf.multi_cell(0, 5, latin1(paragraph), new_x="LMARGIN", new_y="NEXT")
                pdf.ln(2)
            if ruled:  # a small contacts table with ruling lines under each section
                pdf.set_font("Helvetica", size=9)
                with pdf.table(col_widths=(60, 60, 60)) as table:
                    for row in (("Role", "Name", "Telephone"), ("Welfare officer", "A. Person", "01234 567890")):
                        cells = table.row()
                        for cell in row:
                            cells.cell(cell)
                pdf.ln(3)
        pdf.output(str(files[name]))
    return files


def _median_seconds(action: Callable[[], Any], reps: int) -> float:
    action()  # warm: imports and caches
    timings = []
    for _ in range(reps):
        started = time.perf_counter()
        action()
        timings.append(time.perf_counter() - started)
    return statistics.median(timings)


def measure(seed: Path, folder: Path, pages: int, reps: int) -> dict[str, Any]:
    """Seconds to load each format (median of ``reps``), characters of clean text per second, and the
    ratio to plain text; for PDF, also the ratio to pypdf's text extraction of the same file."""
    from pypdf import PdfReader

    from assistant.documents.loaders import load_document

    files = write_formats(seed, folder, pages)
    results: dict[str, Any] = {}
    for name, path in files.items():
        document = load_document(path, max_bytes=100 * 1024 * 1024)
        seconds = _median_seconds(lambda path=path: load_document(path, max_bytes=100 * 1024 * 1024), reps)
        results[name] = {
            "file_kb": round(path.stat().st_size / 1024, 1),
            "pages": document.page_count,
            "chars": len(document.text),
            "seconds": round(seconds, 4),
            "chars_per_s": round(len(document.text) / seconds),
        }
    base = results["text"]["chars_per_s"]
    for figures in results.values():
        figures["slower_than_text"] = round(base / figures["chars_per_s"], 1)
    for name in ("pdf", "pdf, ruled tables"):
        path = files[name]
        floor = _median_seconds(lambda path=path: [p.extract_text() for p in PdfReader(path).pages], reps)
        results[name]["pypdf_extract_s"] = round(floor, 4)
        results[name]["ratio_to_pypdf"] = round(results[name]["seconds"] / floor, 2)
    return {"pages_of_text": pages, "repetitions": reps, "formats": results}


def markdown(r: dict[str, Any]) -> list[str]:
    lines = [
        "",
        f"## Document loading by format (the seed's opening text, about {r['pages_of_text']} pages asked for, in each format; median of {r['repetitions']})",
        "",
        "| format | file KB | pages | clean characters | seconds | characters/s | × plain text | × pypdf's own extraction |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for name, f in r["formats"].items():
        pypdf = f"{f['ratio_to_pypdf']} ({f['pypdf_extract_s']} s)" if "ratio_to_pypdf" in f else ""
        lines.append(
            f"| {name} | {f['file_kb']} | {f['pages'] or ''} | {f['chars']} | {f['seconds']} | {f['chars_per_s']} "
            f"| {f['slower_than_text']} | {pypdf} |"
        )
    return lines
