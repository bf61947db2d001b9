"""Printable renderings of a cited report: Markdown, HTML, DOCX (python-docx) and PDF (fpdf2).

The renderers know nothing about briefings: they take a :class:`Report` (a title, the
safeguarding notice, numbered sections of items with [n] markers, and the numbered
sources with their verbatim quotes) so any cited output can reuse them. Every string
that came from a document is HTML-escaped in HTML; the PDF embeds a Unicode TrueType
font when the machine has one (DejaVu Sans, Liberation Sans...) and otherwise falls back
to a core font, with typographic punctuation transliterated for the PDF only.
"""

from __future__ import annotations

import html
import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from assistant.models import Citation, describe_location

__all__ = [
    "Item",
    "Report",
    "Section",
    "Source",
    "docx_bytes",
    "find_unicode_font",
    "html_text",
    "latin1",
    "markdown",
    "pdf_bytes",
]


@dataclass(frozen=True)
class Item:
    """One statement and the numbers of the sources it quotes."""

    text: str
    citations: tuple[int, ...] = ()


@dataclass(frozen=True)
class Section:
    heading: str
    items: tuple[Item, ...]


@dataclass(frozen=True)
class Source:
    """A numbered citation: where the quote is and the quote itself (verbatim)."""

    n: int
    document: str
    title: str
    section: str
    page: str
    quote: str
    ocr: bool = False

    @classmethod
    def from_citation(cls, citation: Citation, *, n: int | None = None, shorten_sections: bool = False) -> Source:
        section = citation.section
        if shorten_sections:
            section = describe_location("", "", section, "", with_document=False, shorten_sections=True)
        return cls(
            citation.n if n is None else n,
            citation.document,
            citation.title,
            section,
            citation.page_text,
            citation.quote,
            citation.ocr,
        )


@dataclass(frozen=True)
class Report:
    title: str
    notice: str
    sections: tuple[Section, ...]
    sources: tuple[Source, ...]
    subtitle: str = ""
    sources_heading: str = "Sources"
    empty_sources: str = "No sources."
    meta: tuple[tuple[str, str], ...] = field(default_factory=tuple)


def _markers(numbers: Sequence[int]) -> str:
    return "".join(f"[{n}]" for n in numbers)


def _where(source: Source) -> str:
    return describe_location(source.document, source.title, source.section, source.page, ocr=source.ocr)


# -- Markdown -------------------------------------------------------------------------------


def markdown(report: Report) -> str:
    lines = [f"# {report.title}", ""]
    if report.subtitle:
        lines += [f"*{report.subtitle}*", ""]
    lines += [f"> **Safeguarding notice.** {report.notice}", ""]
    for number, section in enumerate(report.sections, start=1):
        lines += [f"## {number}. {section.heading}", ""]
        for item in section.items:
            marks = f" {_markers(item.citations)}" if item.citations else ""
            lines.append(f"- {item.text}{marks}")
        lines.append("")
    lines += [f"## {len(report.sections) + 1}. {report.sources_heading}", ""]
    if not report.sources:
        lines += [f"- {report.empty_sources}", ""]
    for source in report.sources:
        lines.append(f"{source.n}. {_where(source)}")
        quote = " ".join(source.quote.split())
        lines.append(f"   > “{quote}”")
    lines.append("")
    return "\n".join(lines)


# -- HTML -----------------------------------------------------------------------------------

_CSS = """
body{font-family:"DejaVu Sans",Arial,Helvetica,sans-serif;max-width:52rem;margin:2rem auto;padding:0 1rem;color:#111;
line-height:1.45}
h1{font-size:1.6rem;margin-bottom:.2rem}h2{font-size:1.15rem;border-bottom:1px solid #999;margin-top:1.4rem}
.subtitle{color:#444;margin-top:0}.notice{border:2px solid #b00;background:#fff4f4;padding:.6rem .8rem;margin:1rem 0}
sup a{text-decoration:none}ol.sources li{margin-bottom:.6rem}blockquote{margin:.2rem 0 0 1rem;color:#333;
font-style:italic}.where{font-size:.9rem}.uncovered{color:#555;font-style:italic}
@media print{body{margin:0;max-width:none;font-size:10.5pt}a{color:inherit}.notice{background:none}
h2{page-break-after:avoid}li{page-break-inside:avoid}}
"""


def html_text(report: Report) -> str:
    """A standalone, printable HTML page; every document-derived string is escaped."""
    e = html.escape
    out = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f"<title>{e(report.title)}</title>",
        f"<style>{_CSS}</style></head><body>",
        f"<h1>{e(report.title)}</h1>",
    ]
    if report.subtitle:
        out.append(f'<p class="subtitle">{e(report.subtitle)}</p>')
    out.append(f'<p class="notice" role="note"><strong>Safeguarding notice.</strong> {e(report.notice)}</p>')
    for number, section in enumerate(report.sections, start=1):
        out.append(f"<section><h2>{number}. {e(section.heading)}</h2><ul>")
        for item in section.items:
            marks = "".join(f'<sup><a href="#source-{n}">[{n}]</a></sup>' for n in item.citations)
            css = "" if item.citations else ' class="uncovered"'
            out.append(f"<li{css}>{e(item.text)}{marks}</li>")
        out.append("</ul></section>")
    out.append(f"<section><h2>{len(report.sections) + 1}. {e(report.sources_heading)}</h2>")
    if not report.sources:
        out.append(f'<p class="uncovered">{e(report.empty_sources)}</p>')
    else:
        out.append('<ol class="sources">')
        for source in report.sources:
            out.append(
                f'<li id="source-{source.n}" value="{source.n}"><span class="where">{e(_where(source))}</span>'
                f"<blockquote>“{e(source.quote)}”</blockquote></li>"
            )
        out.append("</ol>")
    out.append("</section></body></html>")
    return "\n".join(out)


# -- DOCX -----------------------------------------------------------------------------------


def docx_bytes(report: Report) -> bytes:
    """A Word document: headings, bulleted items with [n] markers and a Sources list with quotes."""
    from docx import Document
    from docx.shared import Pt

    document = Document()
    document.core_properties.title = report.title
    document.add_heading(report.title, level=0)
    if report.subtitle:
        document.add_paragraph(report.subtitle)
    notice = document.add_paragraph()
    notice.add_run("Safeguarding notice. ").bold = True
    notice.add_run(report.notice)
    for number, section in enumerate(report.sections, start=1):
        document.add_heading(f"{number}. {section.heading}", level=1)
        for item in section.items:
            paragraph = document.add_paragraph(style="List Bullet")
            paragraph.add_run(item.text)
            if item.citations:
                paragraph.add_run(" " + _markers(item.citations)).bold = True
    document.add_heading(f"{len(report.sections) + 1}. {report.sources_heading}", level=1)
    if not report.sources:
        document.add_paragraph(report.empty_sources)
    for source in report.sources:
        where = document.add_paragraph()
        where.add_run(f"[{source.n}] ").bold = True
        where.add_run(_where(source))
        quote = document.add_paragraph(style="Quote")
        run = quote.add_run(f"“{source.quote}”")
        run.font.size = Pt(9.5)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


# -- PDF ------------------------------------------------------------------------------------

_FONT_NAMES = ("DejaVuSans.ttf", "LiberationSans-Regular.ttf", "NotoSans-Regular.ttf", "FreeSans.ttf", "Arial.ttf")
_BOLD_NAMES = {
    "DejaVuSans.ttf": "DejaVuSans-Bold.ttf",
    "LiberationSans-Regular.ttf": "LiberationSans-Bold.ttf",
    "NotoSans-Regular.ttf": "NotoSans-Bold.ttf",
    "FreeSans.ttf": "FreeSansBold.ttf",
    "Arial.ttf": "Arial Bold.ttf",
}
_FONT_DIRS = ("/usr/share/fonts", "/usr/local/share/fonts", "/Library/Fonts", "C:/Windows/Fonts")
_LATIN1 = str.maketrans(
    {
        "‘": "'",
        "’": "'",
        "‚": "'",
        "“": '"',
        "”": '"',
        "„": '"',
        "–": "-",
        "—": "-",
        "‐": "-",
        "‑": "-",
        "…": "...",
        "•": "*",
        "›": ">",
        "‹": "<",
        "\u00a0": " ",
        "\u2009": " ",
        "\u200b": "",
    }
)


@lru_cache(maxsize=1)
def find_unicode_font() -> tuple[Path, Path | None] | None:
    """A regular (and bold, when present) Unicode TrueType font on this machine, or None."""
    for folder in _FONT_DIRS:
        root = Path(folder)
        if not root.is_dir():
            continue
        for name in _FONT_NAMES:
            for path in sorted(root.rglob(name)):
                bold = path.with_name(_BOLD_NAMES[name])
                return path, (bold if bold.is_file() else None)
    return None


def latin1(text: str) -> str:
    """Typographic characters to their plain equivalents; anything else outside latin-1 to "?"."""
    return text.translate(_LATIN1).encode("latin-1", "replace").decode("latin-1")


def pdf_bytes(report: Report, *, font: tuple[Path, Path | None] | bool | None = True) -> bytes:
    """A PDF with extractable text. ``font``: True to look for a Unicode font, False for the
    core-font fallback, or an explicit (regular, bold) pair of TTF paths."""
    from fpdf import FPDF
    from fpdf.enums import XPos, YPos

    chosen = find_unicode_font() if font is True else (None if font is False else font)
    pdf = FPDF(format="A4")
    pdf.set_title(report.title)
    pdf.set_creator("safeguarding-assistant")
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.set_margins(18, 16, 18)
    if chosen:
        regular, bold = chosen
        pdf.add_font("Body", "", str(regular))
        pdf.add_font("Body", "B", str(bold or regular))
        family = "Body"

        def clean(text: str) -> str:
            return text
    else:
        family = "Helvetica"
        clean = latin1
    pdf.add_page()

    def write(text: str, size: float, style: str = "", gap: float = 1.5, indent: float = 0.0) -> None:
        pdf.set_font(family, style, size)
        if indent:
            pdf.set_x(pdf.l_margin + indent)
        width = pdf.w - pdf.r_margin - pdf.get_x()
        pdf.multi_cell(width, size * 0.5, clean(text), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.ln(gap)

    write(report.title, 17, "B", gap=2)
    if report.subtitle:
        write(report.subtitle, 10)
    pdf.set_draw_color(176, 0, 0)
    write("Safeguarding notice. " + report.notice, 10, "B", gap=3)
    for number, section in enumerate(report.sections, start=1):
        write(f"{number}. {section.heading}", 13, "B", gap=1)
        for item in section.items:
            marks = f" {_markers(item.citations)}" if item.citations else ""
            write(f"• {item.text}{marks}" if chosen else f"- {item.text}{marks}", 10, indent=2)
        pdf.ln(1)
    write(f"{len(report.sections) + 1}. {report.sources_heading}", 13, "B", gap=1)
    if not report.sources:
        write(report.empty_sources, 10)
    for source in report.sources:
        write(f"[{source.n}] {_where(source)}", 9, "B", gap=0.5)
        write(f"“{source.quote}”", 9, indent=4, gap=2)
    return bytes(pdf.output())
