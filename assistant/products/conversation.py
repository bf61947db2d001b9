"""A whole conversation with its sources, as Markdown or Word, for supervision notes.

Each question (with identifying details replaced by placeholders such as ``[PERSON]``)
is followed by the assistant's answer in the documents' words; the sources of every
answer are numbered across the conversation and listed at the end with their verbatim
quotes; the safeguarding notice comes first. Nothing is kept on the server.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from datetime import UTC, datetime

from assistant.errors import AnswerError
from assistant.models import Answer
from assistant.products import exporters
from assistant.wording import NOTICE

__all__ = ["CONVERSATION_FORMATS", "conversation_report", "render_conversation"]

CONVERSATION_FORMATS = {
    "md": "text/markdown; charset=utf-8",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}
_MARKER = re.compile(r"\[(\d+)\]")


def conversation_report(
    turns: Sequence[tuple[str, Answer]], redact: Callable[[str], str], *, when: datetime | None = None
) -> exporters.Report:
    """The conversation as a cited report; ``redact`` removes identifiers from the questions."""
    sections: list[exporters.Section] = []
    sources: list[exporters.Source] = []
    for number, (question, answer) in enumerate(turns, start=1):
        offset = len(sources)

        def renumber(match: re.Match[str], offset: int = offset) -> str:
            return f"[{int(match.group(1)) + offset}]"

        items = [exporters.Item(_MARKER.sub(renumber, answer.answer))]
        for citation in answer.citations:
            sources.append(exporters.Source.from_citation(citation, n=len(sources) + 1))
        for related in answer.related:
            items.append(exporters.Item(f"Related reading (not an answer): {related.document}: “{related.quote}”"))
        sections.append(exporters.Section(f"Question {number}: {redact(question)}", tuple(items)))
    stamp = (when or datetime.now(UTC)).strftime("%Y-%m-%d %H:%M UTC")
    return exporters.Report(
        title="Conversation with the safeguarding guidance assistant",
        notice=NOTICE,
        sections=tuple(sections),
        sources=tuple(sources),
        subtitle=f"Saved {stamp} · answers quote the documents; identifying details are left out of the questions",
        empty_sources="No sources were cited.",
    )


def render_conversation(report: exporters.Report, fmt: str) -> bytes:
    """``md`` or ``docx`` bytes."""
    if fmt == "md":
        return exporters.markdown(report).encode("utf-8")
    if fmt == "docx":
        return exporters.docx_bytes(report)
    raise AnswerError(f"unknown format {fmt!r}: choose one of {', '.join(CONVERSATION_FORMATS)}")
