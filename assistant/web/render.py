"""HTML and Markdown for the web app: pure functions, every document or user string escaped.

Nothing here imports Gradio; the handlers return what these functions build.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence

from assistant.models import Answer, Citation, IngestReport, source_line
from assistant.wording import OCR_NOTE

__all__ = [
    "CSS",
    "announcement",
    "answer_html",
    "answer_markdown",
    "download_html",
    "error_html",
    "error_list_html",
    "live_html",
    "message_html",
    "ok_html",
    "partial_html",
    "pieces",
    "question_html",
    "report_html",
    "warning_html",
]

_PIECES = re.compile(r"(?<=[.!?\]])\s+")

CSS = """
.sa-notice { border-left: 6px solid #92400e; background: #fffbeb; color: #1f2937; padding: .6rem .9rem;
  border-radius: 6px; margin: 0; }
.sa-notice strong { color: #78350f; }
.sa-warning { border-left: 6px solid #b91c1c; background: #fef2f2; color: #7f1d1d; padding: .6rem .9rem;
  border-radius: 6px; margin: .25rem 0; }
.sa-status { color: inherit; font-size: .95em; margin: .25rem 0; }
.sa-status progress { width: 100%; height: .8rem; }
.sa-ok { border-left: 6px solid #15803d; background: #f0fdf4; color: #14532d; padding: .5rem .8rem;
  border-radius: 6px; }
.sa-error { border-left: 6px solid #b91c1c; background: #fef2f2; color: #7f1d1d; padding: .5rem .8rem;
  border-radius: 6px; }
.sa-answer p { margin: .2rem 0 .5rem; }
.sa-answer .sa-ref { font-weight: 600; white-space: nowrap; }
.sa-answer .sa-sources-title { font-weight: 700; margin: .6rem 0 .2rem; }
.sa-answer details.sa-cite { border: 1px solid #9ca3af; border-radius: 6px; margin: .35rem 0; padding: .3rem .6rem; }
.sa-answer details.sa-cite > summary { cursor: pointer; font-weight: 600; overflow-wrap: anywhere; }
.sa-answer details.sa-cite > summary:focus-visible { outline: 3px solid #1d4ed8; outline-offset: 2px; }
.sa-answer .sa-context { border-left: 3px solid #6b7280; margin: .4rem 0; padding: .1rem 0 .1rem .6rem;
  overflow-wrap: anywhere; }
.sa-answer mark { background: #fde047; color: #111827; padding: 0 .1em; }
.sa-answer .sa-meta { font-size: .9em; overflow-wrap: anywhere; }
.sa-answer .sa-footnote { font-size: .85em; font-style: italic; }
.sa-question { margin: 0; overflow-wrap: anywhere; }
.sa-visually-hidden { position: absolute !important; width: 1px !important; height: 1px !important;
  overflow: hidden !important; clip: rect(0 0 0 0) !important; white-space: nowrap !important; }
footer a, footer button, .show-api { color: #4b5563 !important; }
#sa-examples button { white-space: normal; text-align: left; justify-content: flex-start; }
.sa-answer .sa-warning, .sa-answer .sa-warning * { color: #7f1d1d; }
@media (max-width: 600px) {
  .sa-notice { font-size: .85em; padding: .4rem .6rem; }
  #sa-title h1 { font-size: 1.25rem; margin-bottom: 0; }
  #sa-title p { display: none; }
  #sa-chat { height: 34vh !important; min-height: 200px !important; }
  .sa-status { font-size: .85em; }
}
"""


# -- rendering (pure functions: easy to test, every document string escaped) -----------------


def _text_html(text: str) -> str:
    """Escape document or user text for HTML; line breaks become <br> (a blank line would end the HTML block)."""
    return html.escape(text.strip()).replace("\r", "").replace("\n", "<br>")


def _answer_text_html(text: str) -> str:
    """The answer sentence(s), escaped, with the [n] markers kept readable."""
    return re.sub(r"\[(\d+)\]", r'<span class="sa-ref">[\1]</span>', _text_html(text))


def _citation_html(citation: Citation, *, numbered: bool) -> str:
    """One expandable source: summary line, then the quote highlighted inside its surrounding passage."""
    label = f'<span class="sa-ref">[{citation.n}]</span> ' if numbered else ""
    page = citation.page_text
    title = source_line(citation.title, citation.publisher, citation.date) or citation.document
    summary = f"{label}{_text_html(title)} — {_text_html(citation.document)}" + (
        f", p. {_text_html(page)}" if page else ""
    )
    if citation.ocr:
        summary += f' <span class="sa-ocr">({OCR_NOTE})</span>'
    context = citation.context or citation.quote
    at = context.find(citation.quote) if citation.quote else -1
    if at >= 0:
        passage = (
            _text_html(context[:at])
            + " <mark>"
            + _text_html(citation.quote)
            + "</mark> "
            + _text_html(context[at + len(citation.quote) :])
        )
    else:
        passage = f"<mark>{_text_html(citation.quote)}</mark>"
    meta = [f"Document: {_text_html(title)}", f"File: {_text_html(citation.document)}"]
    if citation.section:
        meta.append(f"Section: {_text_html(citation.section)}")
    if page:
        meta.append(f"Page: {_text_html(page)}")
    return (
        '<details class="sa-cite">'
        f"<summary>{summary}</summary>"
        f'<div class="sa-meta">{" · ".join(meta)}</div>'
        f'<blockquote class="sa-context">{passage}</blockquote>'
        "</details>"
    )


def answer_html(answer: Answer) -> str:
    """The chat message for a finished answer: warning, text with [n], expandable sources, notice."""
    parts = ['<div class="sa-answer">']
    for warning in answer.warnings:
        parts.append(f'<p class="sa-warning" role="alert"><strong>Warning:</strong> {_text_html(warning)}</p>')
    parts.append(f'<p class="sa-text">{_answer_text_html(answer.answer)}</p>')
    if answer.citations:
        parts.append('<p class="sa-sources-title">Sources (select one to see the quoted passage)</p>')
        parts.extend(_citation_html(c, numbered=True) for c in answer.citations)
    if answer.related:
        parts.append('<p class="sa-sources-title">Related reading (these passages do not answer the question)</p>')
        parts.extend(_citation_html(c, numbered=False) for c in answer.related)
    parts.append(f'<p class="sa-footnote">{_text_html(answer.notice)}</p>')
    parts.append("</div>")
    return "".join(parts)


def partial_html(text: str) -> str:
    return f'<div class="sa-answer" aria-busy="true"><p class="sa-text">{_answer_text_html(text)} …</p></div>'


def message_html(text: str, css: str = "sa-status") -> str:
    return f'<div class="sa-answer"><p class="{css}">{_text_html(text)}</p></div>'


def answer_markdown(answer: Answer) -> str:
    """The answer with its sources as Markdown, for pasting into notes or an e-mail."""
    lines = [f"**Question:** {answer.question}", "", answer.answer, ""]
    if answer.warnings:
        lines[0:0] = [f"> Warning: {w}" for w in answer.warnings] + [""]
    groups = (("Sources", answer.citations, True), ("Related reading", answer.related, False))
    for heading, citations, numbered in groups:
        if not citations:
            continue
        lines += [f"**{heading}**", ""]
        for c in citations:
            where = c.location(with_document=False)
            prefix = f"[{c.n}] " if numbered else "- "
            source = source_line(c.title, c.publisher, c.date) or c.document
            lines.append(f"{prefix}{source} ({c.document}){': ' + where if where else ''}")
            lines.append("> " + " ".join(c.quote.split()))
            lines.append("")
    lines.append(f"_{answer.notice}_")
    return "\n".join(lines).strip() + "\n"


def pieces(text: str) -> list[str]:
    """Split an answer into sentences (and [n]-ended parts) to show it progressively."""
    return [p for p in _PIECES.split(text.strip()) if p]


def download_html(token: str, file_name: str) -> str:
    """A one-time download link (relative, so it works under any mount path)."""
    return (
        f'<p class="sa-download"><a href="download/{html.escape(token)}" download="{html.escape(file_name)}">'
        f"Download {html.escape(file_name)}</a> (the link works once, for ten minutes)</p>"
    )


def live_html(text: str) -> str:
    """A polite live region: screen readers announce its text when it changes."""
    return f'<div role="status" aria-live="polite" aria-atomic="true">{_text_html(text)}</div>'


def announcement(answer: Answer) -> str:
    """What a screen reader hears when an answer is ready: its first sentences, without the markers."""
    if answer.abstained:
        return "Answer ready: the documents do not answer this question. Related passages are listed."
    text = re.sub(r"(?:(?<!\s)\s+)?\[\d+\]", "", answer.answer)
    sources = len(answer.citations)
    return f"Answer ready, with {sources} source{'s' if sources != 1 else ''}: {text[:280]}"


def question_html(question: str) -> str:
    return f'<p class="sa-question">{_text_html(question)}</p>'


def warning_html(warnings: Sequence[str]) -> str:
    """The identifier warning shown above the question box ("" when there is none)."""
    if not warnings:
        return ""
    text = " ".join(warnings)
    return f'<div class="sa-warning" role="alert"><strong>Please rephrase:</strong> {_text_html(text)}</div>'


def ok_html(text: str) -> str:
    return f'<p class="sa-ok" role="status">{html.escape(text)}</p>'


def error_html(message: str) -> str:
    return f'<div class="sa-error" role="alert">{html.escape(message)}</div>'


def error_list_html(message: str, items: Sequence[str]) -> str:
    listed = "".join(f"<li>{html.escape(item)}</li>" for item in items)
    return f'<div class="sa-error" role="alert">{html.escape(message)}<ul>{listed}</ul></div>'


def report_html(report: IngestReport, prefix: str = "", refused: Sequence[tuple[str, str]] = ()) -> str:
    """What an ingest did, for an administrator: indexed, unchanged, removed, and what was not indexed."""
    done = report.added + report.updated
    lines = []
    if done:
        lines.append(f"Indexed {', '.join(done)}.")
    if report.unchanged and not done:
        lines.append(f"Already indexed and unchanged: {', '.join(report.unchanged)}.")
    if report.removed:
        lines.append(f"Removed (file no longer present): {', '.join(report.removed)}.")
    lines.append(f"The index now holds {report.documents} document(s), {report.chunks} passages.")
    problems = [f"{name}: {reason}" for name, reason in [*report.skipped, *report.failed, *refused]]
    body = " ".join(html.escape(line) for line in ([prefix] if prefix else []) + lines)
    out = f'<div class="sa-ok" role="status">{body}</div>'
    if problems:
        out += error_list_html("Not indexed:", problems)
    return out
