"""The web app: a cited chat, feedback on answers, and (for administrators) document management.

This is the only module that imports Gradio, and the only place (with the CLI) where the
assistant's errors become messages: every handler catches :class:`AssistantError` and
shows its text, logs anything unexpected server-side (never the question) and shows a
short apology instead of a traceback. Everything put into HTML that comes from a
document, a file name or a user is escaped first; the chat's own HTML sanitiser stays on.

Nothing heavy happens at import: :func:`build_app` builds the page and :func:`serve`
starts the index build (first start) in the background and launches the server.
"""

from __future__ import annotations

import hmac
import html
import logging
import logging.handlers
import re
import shutil
import sys
import tempfile
import threading
import time
import unicodedata
import weakref
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import gradio as gr
from gradio.events import api as gr_api

from assistant.config import Settings
from assistant.documents.loaders import SUPPORTED_SUFFIXES, detect_format
from assistant.engine import NOTICE, Assistant
from assistant.errors import AssistantError, ConfigurationError, DocumentError, DocumentTooLarge, UnsupportedDocument
from assistant.index.ingest import IngestReport, Progress
from assistant.models import Answer, Citation, Turn
from assistant.services.feedback import FeedbackStore, Rating

__all__ = [
    "EXAMPLE_QUESTIONS",
    "answer_html",
    "answer_markdown",
    "build_app",
    "launch_options",
    "safe_upload_name",
    "serve",
]

log = logging.getLogger(__name__)

EXAMPLE_QUESTIONS = (
    "When must an initial child protection conference be held?",
    "What counts as private fostering?",
    "How often should looked-after children have health assessments?",
    "What is the MASH?",
)
_STAGES = {
    "scan": "Looking for documents",
    "parse": "Reading documents",
    "embed": "Indexing passages",
    "lexical": "Building the keyword index",
    "done": "Finishing",
}
_UNEXPECTED = "Something went wrong on the server. Please try again; if it keeps happening, tell the maintainer."
_MAX_HISTORY_TURNS = 10
_STREAM_PAUSE_S = 0.12
_READY_WAIT_S = 900.0
_PIECES = re.compile(r"(?<=[.!?\]])\s+")
_FORBIDDEN_NAME_CHARS = frozenset('/\\<>:"|?*')

_CSS = """
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


def _where(citation: Citation) -> str:
    return f"p. {citation.page_label}" if citation.page_label else (f"p. {citation.page}" if citation.page else "")


def _citation_html(citation: Citation, *, numbered: bool) -> str:
    """One expandable source: summary line, then the quote highlighted inside its surrounding passage."""
    label = f'<span class="sa-ref">[{citation.n}]</span> ' if numbered else ""
    where = _where(citation)
    title = citation.title or citation.document
    summary = f"{label}{_text_html(title)} — {_text_html(citation.document)}" + (
        f", {_text_html(where)}" if where else ""
    )
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
    if where:
        meta.append(f"Page: {_text_html(where[3:])}")
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


def _partial_html(text: str) -> str:
    return f'<div class="sa-answer" aria-busy="true"><p class="sa-text">{_answer_text_html(text)} …</p></div>'


def _user_of(request: Any) -> str | None:
    """Who is asking, for the audit log (which keeps only a keyed hash of it)."""
    if request is None:
        return None
    name = getattr(request, "username", None)
    if name:
        return f"user:{name}"
    session = getattr(request, "session_hash", None)
    return f"session:{session}" if session else None


def _message_html(text: str, css: str = "sa-status") -> str:
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
            where = ", ".join(x for x in (c.section, _where(c)) if x)
            prefix = f"[{c.n}] " if numbered else "- "
            lines.append(f"{prefix}{c.title or c.document} ({c.document}){': ' + where if where else ''}")
            lines.append("> " + " ".join(c.quote.split()))
            lines.append("")
    lines.append(f"_{answer.notice}_")
    return "\n".join(lines).strip() + "\n"


def _pieces(text: str) -> list[str]:
    """Split an answer into sentences (and [n]-ended parts) to show it progressively."""
    return [p for p in _PIECES.split(text.strip()) if p]


# -- uploads ----------------------------------------------------------------------------------


def safe_upload_name(name: str) -> str:
    """The file name an upload is stored under, or UnsupportedDocument when it is unsafe or unsupported."""
    candidate = unicodedata.normalize("NFC", (name or "").strip())
    problems = [
        (not candidate, "the file has no name"),
        (len(candidate) > 180, "the file name is too long (keep it under 180 characters)"),
        (any(ch in _FORBIDDEN_NAME_CHARS for ch in candidate), "the file name contains / \\ or a reserved character"),
        (".." in candidate, "the file name contains '..'"),
        (candidate.startswith((".", "~", "-")), "the file name starts with '.', '~' or '-'"),
        (any(unicodedata.category(ch).startswith("C") for ch in candidate), "the name contains control characters"),
        (Path(candidate).suffix.lower() not in SUPPORTED_SUFFIXES, UnsupportedDocument.reason),
    ]
    for bad, reason in problems:
        if bad:
            raise UnsupportedDocument(candidate or "upload", reason)
    return candidate


def _check_upload(source: Path, name: str, max_bytes: int) -> None:
    """Size and content checks on an uploaded file before it is stored (DocumentError when refused)."""
    size = source.stat().st_size
    if size > max_bytes:
        raise DocumentTooLarge(name, f"the file is {size / 1e6:.1f} MB, over the {max_bytes / 1e6:.0f} MB limit")
    if size == 0:
        raise UnsupportedDocument(name, "the file is empty")
    with source.open("rb") as handle:
        head = handle.read(2048)
    detect_format(Path(name), head)


# -- start-up: build the index on first start, then load the model -----------------------------


class _Startup:
    """Prepares the assistant in a background thread; the page shows its progress."""

    def __init__(self, assistant: Assistant) -> None:
        self.assistant = assistant
        self.ready = threading.Event()
        self.error: str | None = None
        self.stage = "Starting"
        self.done = 0
        self.total = 0
        self.built: IngestReport | None = None
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    def start(self) -> None:
        with self._lock:
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="assistant-startup", daemon=True)
                self._thread.start()

    def _progress(self, stage: str, done: int, total: int, name: str) -> None:
        self.stage, self.done, self.total = _STAGES.get(stage, stage), done, total

    def _run(self) -> None:
        try:
            self._build_index()
            self.stage, self.done, self.total = "Loading the search model", 0, 0
            self._guarded(self.assistant.warm_up, "load the model")
        finally:
            self.stage = "Ready"
            self.ready.set()

    def _build_index(self) -> None:
        def build() -> None:
            if not self.assistant.index.is_empty():
                return
            self.stage = "Building the index on first start"
            log.info("the index is empty: building it from %s", self.assistant.settings.corpus_dir)
            self.built = self.assistant.ensure_index(progress=self._progress)
            if self.built is not None:
                log.info(
                    "built the index: %d documents, %d chunks, %d failed",
                    self.built.documents,
                    self.built.chunks,
                    len(self.built.failed),
                )

        self._guarded(build, "prepare the index")

    def _guarded(self, step: Callable[[], None], what: str) -> None:
        """Run one start-up step; a failure is logged and shown, and the app keeps serving."""
        try:
            step()
        except AssistantError as exc:
            self.error = self.error or "see the server log for details"  # the reason may name server paths
            log.error("could not %s: %s", what, exc)
        except Exception:
            self.error = self.error or "unexpected failure (see the server log)"
            log.exception("unexpected failure while trying to %s", what)

    def wait(self, timeout: float) -> bool:
        self.start()
        return self.ready.wait(timeout)

    def status_text(self) -> str:
        if not self.ready.is_set():
            count = f" ({self.done} of {self.total})" if self.total else ""
            return f"Preparing the assistant: {self.stage}{count}…"
        if self.error:
            return f"The assistant could not finish starting: {self.error}"
        status = self.assistant.status()
        return f"Ready: {status['documents']} document(s), {status['chunks']} passages indexed."

    def status_html(self) -> str:
        text = html.escape(self.status_text())
        if not self.ready.is_set():
            bar = (
                f'<progress max="{self.total}" value="{self.done}" aria-label="Preparation progress"></progress>'
                if self.total
                else '<progress aria-label="Preparation progress"></progress>'
            )
            return f'<div class="sa-status" role="status" aria-live="polite">{text}{bar}</div>'
        css = "sa-status sa-error" if self.error else "sa-status"
        return f'<div class="{css}" role="status" aria-live="polite">{text}</div>'


_STARTUPS: weakref.WeakKeyDictionary[gr.Blocks, _Startup] = weakref.WeakKeyDictionary()


class _SignInGuard:
    """Slows down password guessing: a pause after each failure and a pause for everyone after many."""

    def __init__(self, limit: int = 10, window_s: float = 600.0) -> None:
        self.limit, self.window_s = limit, window_s
        self._failures: list[float] = []
        self._lock = threading.Lock()

    def locked(self) -> bool:
        now = time.monotonic()
        with self._lock:
            self._failures = [t for t in self._failures if now - t < self.window_s]
            return len(self._failures) >= self.limit

    def failed(self) -> None:
        with self._lock:
            self._failures.append(time.monotonic())
        time.sleep(1.0)


def _same(given: str | None, expected: str | None) -> bool:
    """Constant-time comparison; never true when nothing is configured."""
    if not expected:
        return False
    return hmac.compare_digest((given or "").encode("utf-8"), expected.encode("utf-8"))


def _configure_logging(settings: Settings) -> None:
    """Console and a rotating file under the data folder; third-party chatter kept quiet."""
    root = logging.getLogger()
    if any(getattr(h, "_assistant_ui", False) for h in root.handlers):
        return
    root.setLevel(getattr(logging, settings.log_level.upper(), logging.INFO))
    console = logging.StreamHandler(sys.stderr)
    console.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    console._assistant_ui = True  # type: ignore[attr-defined]
    root.addHandler(console)
    try:
        folder = settings.data_dir / "logs"
        folder.mkdir(parents=True, exist_ok=True)
        handler = logging.handlers.TimedRotatingFileHandler(
            folder / "web.log", when="D", backupCount=settings.retention_days, encoding="utf-8"
        )
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s %(message)s"))
        handler._assistant_ui = True  # type: ignore[attr-defined]
        root.addHandler(handler)
    except OSError:
        pass
    for noisy in ("chromadb", "httpx", "httpcore", "sentence_transformers", "transformers", "pypdf", "bm25s"):
        logging.getLogger(noisy).setLevel(logging.ERROR)
    logging.getLogger("presidio-analyzer").setLevel(logging.ERROR)


# -- the app ------------------------------------------------------------------------------------


def build_app(settings: Settings, *, assistant: Assistant | None = None) -> gr.Blocks:
    """Build the whole page (chat, documents, API) around one assistant; nothing is loaded yet."""
    assistant = assistant or Assistant(settings)
    startup = _Startup(assistant)
    feedback = FeedbackStore.from_settings(settings, redactor=assistant.identifiers)
    upload_dir = (settings.upload_dir or settings.data_dir / "uploads").resolve()
    admin_enabled = bool(settings.admin_user and settings.admin_password)
    guard = _SignInGuard()
    max_bytes = int(settings.max_file_mb * 1024 * 1024)

    # -- helpers shared by the handlers --------------------------------------------------

    def history_of(turns: Sequence[dict[str, Any]]) -> list[Turn]:
        kept = [t for t in turns if t.get("answer") is not None]
        return [Turn(t["question"], t["answer"].answer) for t in kept[-_MAX_HISTORY_TURNS:]]

    def messages(turns: Sequence[dict[str, Any]]) -> list[dict[str, str]]:
        chat: list[dict[str, str]] = []
        for turn in turns:
            chat.append({"role": "user", "content": f'<p class="sa-question">{_text_html(turn["question"])}</p>'})
            chat.append({"role": "assistant", "content": turn["html"]})
        return chat

    def warning_update(answer: Answer | None) -> Any:
        if answer is None or not answer.warnings:
            return gr.update(value="", visible=False)
        text = " ".join(answer.warnings)
        return gr.update(
            value=f'<div class="sa-warning" role="alert"><strong>Please rephrase:</strong> {_text_html(text)}</div>',
            visible=True,
        )

    def documents_rows() -> list[list[Any]]:
        rows = []
        for record in assistant.index.catalog.documents():
            rows.append(
                [
                    record.title,
                    record.file_name,
                    record.page_count if record.page_count is not None else "",
                    record.chunk_count,
                    (record.indexed_at or "")[:19].replace("T", " "),
                ]
            )
        return rows

    def removal_choices() -> Any:
        choices = [(f"{r.title} ({r.file_name})", r.doc_id) for r in assistant.index.catalog.documents()]
        return gr.update(choices=choices, value=[])

    def require_admin(is_admin: bool) -> None:
        if not admin_enabled:
            raise gr.Error("Document management is disabled on this server.", print_exception=False)
        if not is_admin:
            raise gr.Error("Sign in as an administrator first.", print_exception=False)

    def ingest_progress(progress: gr.Progress) -> Progress:
        def report(stage: str, done: int, total: int, name: str) -> None:
            if stage == "scan":  # the files are found; reading them is what takes time next
                stage, done = "parse", 0
            label = _STAGES.get(stage, stage)
            progress((done, total or 1), desc=f"{label}: {name}" if name else label)

        return report

    def report_html(report: IngestReport, prefix: str = "") -> str:
        done = report.added + report.updated
        lines = []
        if done:
            lines.append(f"Indexed {', '.join(done)}.")
        if report.unchanged and not done:
            lines.append(f"Already indexed and unchanged: {', '.join(report.unchanged)}.")
        if report.removed:
            lines.append(f"Removed (file no longer present): {', '.join(report.removed)}.")
        lines.append(f"The index now holds {report.documents} document(s), {report.chunks} passages.")
        problems = [f"{name}: {reason}" for name, reason in report.skipped + report.failed]
        body = " ".join(html.escape(line) for line in ([prefix] if prefix else []) + lines)
        out = f'<div class="sa-ok" role="status">{body}</div>'
        if problems:
            items = "".join(f"<li>{html.escape(p)}</li>" for p in problems)
            out += f'<div class="sa-error" role="alert">Not indexed:<ul>{items}</ul></div>'
        return out

    # -- chat ------------------------------------------------------------------------------

    def ask_stream(
        question: str, turns: list[dict[str, Any]], request: gr.Request | None = None
    ) -> Iterator[tuple[Any, ...]]:
        """Answer one question in the conversation, yielding the chat as the answer appears."""
        question = (question or "").strip()
        if not question:
            yield messages(turns), gr.update(), gr.update(), gr.update(), turns
            return
        turns = list(turns)
        turn: dict[str, Any] = {"question": question, "html": "", "answer": None, "feedback_id": None}
        turns.append(turn)
        if not startup.ready.is_set():
            deadline = time.monotonic() + _READY_WAIT_S
            while not startup.wait(1.0) and time.monotonic() < deadline:
                turn["html"] = _message_html(startup.status_text() + " Your question will be answered when ready.")
                yield messages(turns), gr.update(value=""), gr.update(), gr.update(), turns
        turn["html"] = _message_html("Searching the documents…")
        yield messages(turns), gr.update(value=""), warning_update(None), gr.update(), turns
        try:
            if assistant.index.is_empty():
                raise AssistantError("no documents are indexed yet: an administrator can add some in the Documents tab")
            answer = None
            for event in assistant.ask_stream(question, history_of(turns[:-1]), user=_user_of(request)):
                if event.kind == "final":
                    answer = event.answer
                elif event.kind == "partial":  # checked sentences of a language-model answer
                    turn["html"] = _partial_html(event.so_far)
                    yield messages(turns), gr.update(), gr.update(), gr.update(), turns
                else:  # "checking citations"
                    turn["html"] = (_partial_html(event.so_far) if event.so_far else "") + _message_html(event.text)
                    yield messages(turns), gr.update(), gr.update(), gr.update(), turns
            if answer is None:
                raise AssistantError("no answer was produced; please try again")
        except AssistantError as exc:
            turn["html"] = _message_html(f"Sorry: {exc}", "sa-error")
            yield messages(turns), gr.update(), warning_update(None), gr.update(), turns
            return
        except Exception:
            log.exception("unexpected failure while answering (question not logged)")
            turn["html"] = _message_html(_UNEXPECTED, "sa-error")
            yield messages(turns), gr.update(), warning_update(None), gr.update(), turns
            return
        pieces = _pieces(answer.answer) if answer.mode != "llm" else []
        for shown in range(1, len(pieces)):
            turn["html"] = _partial_html(" ".join(pieces[:shown]))
            yield messages(turns), gr.update(), warning_update(answer), gr.update(), turns
            time.sleep(_STREAM_PAUSE_S)
        turn["answer"] = answer
        turn["html"] = answer_html(answer)
        yield messages(turns), gr.update(), warning_update(answer), gr.update(value=answer_markdown(answer)), turns

    def new_conversation() -> tuple[Any, ...]:
        return (
            [],
            gr.update(value=""),
            gr.update(value="", visible=False),
            gr.update(value=""),
            [],
            None,
            gr.update(visible=False),
            gr.update(value=""),
        )

    # -- feedback --------------------------------------------------------------------------

    def on_like(turns: list[dict[str, Any]], data: gr.LikeData) -> tuple[Any, ...]:
        """A thumbs up/down on an answer: store it (redacted) and offer a comment box."""
        index = data.index if isinstance(data.index, int) else data.index[0]
        position = index // 2
        if not (0 <= position < len(turns)) or turns[position].get("answer") is None or data.liked not in (True, False):
            return turns, gr.update(), gr.update(), gr.update(), gr.update()
        rating: Rating = "up" if data.liked is True else "down"
        turn = turns[position]
        answer: Answer = turn["answer"]
        try:
            if turn.get("feedback_id"):
                feedback.update(turn["feedback_id"], rating=rating)
            else:
                turn["feedback_id"] = feedback.record(
                    rating=rating,
                    question=answer.question,
                    answer=answer.answer,
                    citations=answer.citations,
                    corpus_version=answer.corpus_version,
                    abstained=answer.abstained,
                )
        except Exception:
            log.exception("could not store feedback")
            return turns, gr.update(), gr.update(), gr.update(), gr.update(value=_message_html(_UNEXPECTED, "sa-error"))
        thanks = "Thank you: your rating was recorded (without identifying details)."
        return (
            turns,
            position,
            gr.update(visible=True),
            gr.update(label=f"Optional comment on answer {position + 1}"),
            gr.update(value=f'<p class="sa-ok" role="status">{html.escape(thanks)}</p>'),
        )

    def on_comment(comment: str, target: int | None, turns: list[dict[str, Any]]) -> tuple[Any, ...]:
        comment = (comment or "").strip()
        if target is None or not (0 <= target < len(turns)) or not turns[target].get("feedback_id"):
            return gr.update(), gr.update(value=_message_html("Rate an answer first (thumbs up or down).", "sa-error"))
        if not comment:
            return gr.update(), gr.update(value=_message_html("Type a comment first.", "sa-error"))
        try:
            feedback.update(turns[target]["feedback_id"], comment=comment)
        except Exception:
            log.exception("could not store a feedback comment")
            return gr.update(), gr.update(value=_message_html(_UNEXPECTED, "sa-error"))
        thanks = "Thank you: your comment was saved. Identifying details are removed before it is stored."
        return gr.update(value=""), gr.update(value=f'<p class="sa-ok" role="status">{html.escape(thanks)}</p>')

    # -- documents -------------------------------------------------------------------------

    def sign_in(user: str, password: str, is_admin: bool) -> tuple[Any, ...]:
        if not admin_enabled:
            return is_admin, gr.update(), gr.update(), gr.update(), gr.update()
        if guard.locked():
            log.warning("admin sign-in refused: too many failed attempts recently")
            message = "Too many failed attempts. Wait a few minutes and try again."
            return False, gr.update(), gr.update(value=""), _error_html(message), gr.update(visible=False)
        if _same(user, settings.admin_user) and _same(password, settings.admin_password):
            log.info("administrator signed in")
            return (
                True,
                gr.update(visible=False),
                gr.update(value=""),
                '<p class="sa-ok" role="status">Signed in as administrator.</p>',
                gr.update(visible=True),
            )
        log.warning("failed administrator sign-in")
        guard.failed()
        message = "The user name or password is not correct."
        return False, gr.update(visible=True), gr.update(value=""), _error_html(message), gr.update(visible=False)

    def sign_out() -> tuple[Any, ...]:
        return False, gr.update(visible=admin_enabled), '<p class="sa-status">Signed out.</p>', gr.update(visible=False)

    def upload(files: list[str] | None, is_admin: bool, progress: gr.Progress = gr.Progress()) -> tuple[Any, ...]:  # noqa: B008
        """Check, store and index uploaded documents, then refresh the table."""
        require_admin(is_admin)
        if not files:
            return _failed("Choose one or more files first.", 5)
        refused: list[tuple[str, str]] = []
        stored: list[Path] = []
        try:
            upload_dir.mkdir(parents=True, exist_ok=True)
            for item in files:
                source = Path(item)
                try:
                    name = safe_upload_name(source.name)
                    _check_upload(source, name, max_bytes)
                except DocumentError as exc:
                    refused.append((exc.path.name, exc.detail))
                    continue
                target = upload_dir / name
                if target.resolve().parent != upload_dir:
                    refused.append((name, "not a safe file name"))
                    continue
                partial = upload_dir / f".{name}.part"
                shutil.copyfile(source, partial)
                partial.replace(target)
                stored.append(target)
            if not stored:
                items = "".join(f"<li>{html.escape(f'{n}: {r}')}</li>" for n, r in refused)
                return _error_html_list("Nothing was indexed.", items), gr.update(), gr.update(), None, gr.update()
            report = assistant.ingest(stored, progress=ingest_progress(progress))
            for name, _ in report.failed + report.skipped:
                (upload_dir / name).unlink(missing_ok=True)  # keep only documents that were indexed
            report.failed.extend(refused)
        except AssistantError as exc:
            return _failed(f"Could not index the upload: {exc}", 5)
        except Exception:
            log.exception("unexpected failure while indexing an upload")
            return _failed(_UNEXPECTED, 5)
        log.info("administrator uploaded %d file(s); %d failed", len(stored), len(report.failed))
        return report_html(report), documents_rows(), removal_choices(), gr.update(value=None), startup.status_html()

    def reindex(is_admin: bool, progress: gr.Progress = gr.Progress()) -> tuple[Any, ...]:  # noqa: B008
        """Bring the index in line with the corpus and upload folders."""
        require_admin(is_admin)
        roots = [p for p in (settings.corpus_dir, upload_dir) if p.exists()]
        if not roots:
            return _failed("There is no document folder to index.", 4)
        try:
            report = assistant.ingest(roots, progress=ingest_progress(progress))
        except AssistantError as exc:
            return _failed(f"Could not re-index: {exc}", 4)
        except Exception:
            log.exception("unexpected failure while re-indexing")
            return _failed(_UNEXPECTED, 4)
        return report_html(report, "Re-index finished."), documents_rows(), removal_choices(), startup.status_html()

    def remove(doc_ids: list[str] | None, is_admin: bool) -> tuple[Any, ...]:
        """Remove documents from the index; uploaded files are deleted too."""
        require_admin(is_admin)
        if not doc_ids:
            return _failed("Choose the documents to remove first.", 4)
        try:
            records = {r.doc_id: r for r in assistant.index.catalog.documents()}
            chosen = [records[d] for d in doc_ids if d in records]
            assistant.remove([r.doc_id for r in chosen])
            kept_files = []
            for record in chosen:
                path = Path(record.path)
                if path.parent.resolve() == upload_dir:
                    path.unlink(missing_ok=True)
                else:
                    kept_files.append(record.file_name)
        except AssistantError as exc:
            return _failed(f"Could not remove: {exc}", 4)
        except Exception:
            log.exception("unexpected failure while removing documents")
            return _failed(_UNEXPECTED, 4)
        text = f"Removed {len(chosen)} document(s) from the index."
        if kept_files:
            text += (
                f" {', '.join(kept_files)} stay(s) in the corpus folder and will return at the next re-index "
                "unless the file is deleted there."
            )
        ok = f'<p class="sa-ok" role="status">{html.escape(text)}</p>'
        return ok, documents_rows(), removal_choices(), startup.status_html()

    def refresh_documents() -> tuple[Any, ...]:
        if not startup.ready.is_set():
            return gr.update(), gr.update()
        try:
            return documents_rows(), removal_choices()
        except Exception:
            log.exception("could not list the documents")
            return gr.update(), gr.update()

    def on_load() -> Iterator[tuple[Any, ...]]:
        """Show start-up progress until the assistant is ready, then the document table."""
        startup.start()
        while not startup.wait(0.5):
            yield startup.status_html(), gr.update(), gr.update()
        rows, choices = refresh_documents()
        yield startup.status_html(), rows, choices

    # -- briefing and register ----------------------------------------------------------------

    def make_briefing(topic: str, audience: str, fmt: str) -> tuple[Any, Any]:
        """Build a briefing; return its printable preview and a file to download."""
        from assistant.products.briefing import build_briefing, file_name, render

        if not startup.wait(_READY_WAIT_S):
            raise gr.Error("The assistant is still preparing its documents; try again shortly.", print_exception=False)
        try:
            briefing = build_briefing(assistant, (topic or "").strip(), audience or "all")
            page = render(briefing, "html").decode("utf-8")
            folder = Path(tempfile.mkdtemp(prefix="briefing-"))
            path = folder / file_name(briefing, fmt or "pdf")
            path.write_bytes(render(briefing, fmt or "pdf"))
        except AssistantError as exc:
            raise gr.Error(str(exc), print_exception=False) from None
        except ValueError as exc:
            raise gr.Error(str(exc), print_exception=False) from None
        except Exception:
            log.exception("unexpected failure while making a briefing")
            raise gr.Error(_UNEXPECTED, print_exception=False) from None
        body = page.split("<body>", 1)[-1].rsplit("</body>", 1)[0]  # already escaped by the exporter
        return f'<div class="sa-briefing">{body}</div>', str(path)

    def register_rows(text: str) -> list[list[str]]:
        from assistant.rules.register import search_register

        if not startup.wait(_READY_WAIT_S):
            return []
        try:
            entries = search_register(assistant.register(), (text or "").strip())
        except Exception:
            log.exception("unexpected failure while reading the register")
            raise gr.Error(_UNEXPECTED, print_exception=False) from None
        rows = []
        for entry in entries:
            where = entry.citation.document
            if entry.citation.section:
                where += f" › {entry.citation.section}"
            if entry.citation.page_label:
                where += f", p. {entry.citation.page_label}"
            rows.append([entry.subject, entry.kind, entry.describe(), entry.condition, entry.rule, where])
        return rows

    # -- API: the same JSON as `assistant ask --json` -----------------------------------------

    def ask_api(
        question: str, history: list[dict[str, str]] | None = None, request: gr.Request | None = None
    ) -> dict[str, Any]:
        """Answer a question from the indexed documents, with citations (history: [{question, answer}])."""
        turns: list[Turn] = []
        for item in (history or [])[-_MAX_HISTORY_TURNS:]:
            if not isinstance(item, dict) or not isinstance(item.get("question"), str):
                raise gr.Error("history must be a list of {question, answer} objects", print_exception=False)
            turns.append(Turn(item["question"], str(item.get("answer") or "")))
        if not startup.wait(_READY_WAIT_S):
            raise gr.Error("The assistant is still preparing its documents; try again shortly.", print_exception=False)
        try:
            return assistant.ask(question or "", turns, user=_user_of(request)).to_dict()
        except AssistantError as exc:
            raise gr.Error(str(exc), print_exception=False) from None
        except Exception:
            log.exception("unexpected failure in the ask API (question not logged)")
            raise gr.Error(_UNEXPECTED, print_exception=False) from None

    # -- layout ----------------------------------------------------------------------------

    # delete_cache: files posted to Gradio's upload route (which needs no sign-in) are removed after an hour
    demo = gr.Blocks(title="Safeguarding guidance assistant", analytics_enabled=False, delete_cache=(3600, 3600))
    with demo:
        gr.Markdown(
            "# Safeguarding guidance assistant\n"
            "Answers come only from the indexed safeguarding documents, with the exact passages quoted.",
            elem_id="sa-title",
        )
        gr.HTML(
            f'<p class="sa-notice" role="note"><strong>Guidance, not a decision.</strong> {html.escape(NOTICE)}</p>',
            elem_id="sa-notice",
        )
        status = gr.HTML(startup.status_html(), elem_id="sa-status")
        # Server-side, per browser tab; dropped after a working day so questions are not kept in memory.
        turns_state = gr.State([], time_to_live=8 * 3600)
        comment_target = gr.State(None, time_to_live=8 * 3600)
        admin_state = gr.State(False, time_to_live=2 * 3600)  # an administrator signs in again after 2 hours

        with gr.Tabs():
            with gr.Tab("Ask", id="ask"):
                chatbot = gr.Chatbot(
                    label="Conversation",
                    elem_id="sa-chat",
                    height="55vh",
                    min_height=260,
                    sanitize_html=True,
                    render_markdown=True,
                    line_breaks=False,
                    buttons=[],
                    feedback_options=("Like", "Dislike"),
                    placeholder=(
                        "Ask about thresholds, procedures, timescales or roles. Every answer quotes the documents "
                        "and numbers its sources [1], [2]…; open a source to read the passage."
                    ),
                )
                warning_box = gr.HTML("", visible=False, elem_id="sa-identifier-warning")
                with gr.Row(equal_height=False):
                    question_box = gr.Textbox(
                        label="Your question",
                        placeholder="e.g. When must an initial child protection conference be held?",
                        lines=1,
                        max_lines=5,
                        max_length=settings.max_question_chars,
                        elem_id="sa-question",
                        scale=5,
                        min_width=220,
                        info="Do not include names, dates of birth, addresses or other identifying details.",
                    )
                    with gr.Column(scale=1, min_width=140):
                        ask_button = gr.Button("Ask", variant="primary", elem_id="sa-ask")
                        new_button = gr.Button("New conversation", elem_id="sa-new")
                gr.Markdown("**New here? Try an example question:**")
                with gr.Row(elem_id="sa-examples"):
                    example_buttons = [gr.Button(text, size="sm", min_width=200) for text in EXAMPLE_QUESTIONS]
                feedback_note = gr.HTML("", elem_id="sa-feedback-note")
                with gr.Row(visible=False, elem_id="sa-comment-row") as comment_row:
                    comment_box = gr.Textbox(
                        label="Optional comment on this answer",
                        placeholder="What was helpful or missing? Please leave out identifying details.",
                        lines=1,
                        max_lines=5,
                        max_length=2000,
                        scale=5,
                        elem_id="sa-comment",
                    )
                    comment_button = gr.Button("Send comment", scale=1, min_width=140, elem_id="sa-comment-send")
                with gr.Accordion("Copy the latest answer with its sources (Markdown)", open=False):
                    markdown_box = gr.Textbox(
                        label="Latest answer as Markdown",
                        lines=8,
                        max_lines=20,
                        interactive=False,
                        buttons=["copy"],
                        elem_id="sa-markdown",
                    )

            with gr.Tab("Briefing", id="briefing"):
                gr.Markdown(
                    '## Multi-agency briefing\nA one-page "7-minute briefing" on a topic, built only from the '
                    "documents: every statement is quoted and cited; a part the documents do not cover says so."
                )
                with gr.Row(equal_height=False):
                    brief_topic = gr.Textbox(
                        label="Topic",
                        placeholder="e.g. private fostering; child sexual exploitation and missing children; the LADO",
                        max_length=200,
                        scale=4,
                        elem_id="sa-brief-topic",
                    )
                    brief_audience = gr.Dropdown(
                        ["all", "police", "health", "education", "social-care"],
                        value="all",
                        label="Audience",
                        scale=1,
                        elem_id="sa-brief-audience",
                    )
                    brief_format = gr.Dropdown(
                        ["pdf", "docx", "html", "md", "json"],
                        value="pdf",
                        label="Download as",
                        scale=1,
                        elem_id="sa-brief-format",
                    )
                brief_button = gr.Button("Make briefing", variant="primary", elem_id="sa-brief-button")
                brief_file = gr.File(label="Download", interactive=False, elem_id="sa-brief-file")
                brief_preview = gr.HTML("", elem_id="sa-brief-preview")

            with gr.Tab("Register", id="register") as register_tab:
                gr.Markdown(
                    "## Thresholds & timescales register\nEvery threshold, timescale, target, eligibility rule and "
                    "definition the documents state, each with its verbatim source."
                )
                register_search = gr.Textbox(
                    label="Search the register",
                    placeholder="e.g. fostering, ICPC, health assessment, annually",
                    max_length=200,
                    elem_id="sa-register-search",
                )
                register_table = gr.Dataframe(
                    headers=["Subject", "Kind", "Rule", "Condition", "Verbatim source", "Where"],
                    datatype=["str", "str", "str", "str", "str", "str"],
                    value=[],
                    interactive=False,
                    wrap=True,
                    label="Register entries",
                    elem_id="sa-register",
                )

            with gr.Tab("Documents", id="documents") as documents_tab:
                gr.Markdown("## Indexed documents")
                documents_table = gr.Dataframe(
                    headers=["Title", "File", "Pages", "Passages", "Indexed (UTC)"],
                    datatype=["str", "str", "str", "number", "str"],
                    value=[],
                    interactive=False,
                    wrap=True,
                    label="Indexed documents",
                    elem_id="sa-documents",
                )
                gr.Markdown("## Manage documents")
                if not admin_enabled:
                    gr.HTML(
                        '<p class="sa-status" role="note">Document management is disabled: set '
                        "ASSISTANT_ADMIN_USER and ASSISTANT_ADMIN_PASSWORD on the server to enable it.</p>"
                    )
                with gr.Column(visible=admin_enabled, elem_id="sa-signin") as signin_group:
                    admin_user = gr.Textbox(label="Administrator user name", elem_id="sa-admin-user")
                    admin_password = gr.Textbox(label="Password", type="password", elem_id="sa-admin-password")
                    signin_button = gr.Button("Sign in", elem_id="sa-signin-button")
                admin_message = gr.HTML("", elem_id="sa-admin-message")
                with gr.Column(visible=False, elem_id="sa-admin") as admin_panel:
                    gr.Markdown("### Add documents")
                    suffixes = sorted(SUPPORTED_SUFFIXES)
                    limit = f"{settings.max_file_mb:g} MB"
                    upload_files = gr.File(
                        label=f"Add documents (PDF, Word, Markdown, text or HTML; up to {limit} each)",
                        file_count="multiple",
                        file_types=suffixes,
                        elem_id="sa-upload",
                    )
                    upload_button = gr.Button("Upload and index", variant="primary", elem_id="sa-upload-button")
                    gr.Markdown(
                        "### Re-index\nReads the corpus and upload folders again: new or changed files are indexed, "
                        "files that are gone are removed."
                    )
                    reindex_button = gr.Button("Re-index all documents", elem_id="sa-reindex")
                    gr.Markdown("### Remove documents")
                    remove_select = gr.Dropdown(
                        label="Documents to remove from the index",
                        multiselect=True,
                        choices=[],
                        elem_id="sa-remove-select",
                    )
                    remove_button = gr.Button("Remove selected documents", variant="stop", elem_id="sa-remove")
                    signout_button = gr.Button("Sign out", size="sm", elem_id="sa-signout")

        # -- events ------------------------------------------------------------------------

        chat_outputs = [chatbot, question_box, warning_box, markdown_box, turns_state]
        gr.on(
            [question_box.submit, ask_button.click],
            ask_stream,
            [question_box, turns_state],
            chat_outputs,
            api_visibility="private",
            show_progress="minimal",
        )
        for button, text in zip(example_buttons, EXAMPLE_QUESTIONS, strict=True):
            button.click(
                _fixed(text, ask_stream),
                [turns_state],
                chat_outputs,
                api_visibility="private",
                show_progress="minimal",
            )
        new_button.click(
            new_conversation,
            None,
            [*chat_outputs, comment_target, comment_row, feedback_note],
            api_visibility="private",
            queue=False,
        )
        brief_button.click(
            make_briefing,
            [brief_topic, brief_audience, brief_format],
            [brief_preview, brief_file],
            api_visibility="private",
            show_progress="minimal",
        )
        brief_topic.submit(
            make_briefing,
            [brief_topic, brief_audience, brief_format],
            [brief_preview, brief_file],
            api_visibility="private",
            show_progress="minimal",
        )
        register_search.submit(register_rows, [register_search], [register_table], api_visibility="private")
        register_search.change(register_rows, [register_search], [register_table], api_visibility="private")
        register_tab.select(register_rows, [register_search], [register_table], api_visibility="private")
        chatbot.clear(
            new_conversation,
            None,
            [*chat_outputs, comment_target, comment_row, feedback_note],
            api_visibility="private",
            queue=False,
        )
        chatbot.like(
            on_like,
            [turns_state],
            [turns_state, comment_target, comment_row, comment_box, feedback_note],
            api_visibility="private",
        )
        gr.on(
            [comment_button.click, comment_box.submit],
            on_comment,
            [comment_box, comment_target, turns_state],
            [comment_box, feedback_note],
            api_visibility="private",
        )
        gr.on(
            [signin_button.click, admin_password.submit],
            sign_in,
            [admin_user, admin_password, admin_state],
            [admin_state, signin_group, admin_password, admin_message, admin_panel],
            api_visibility="private",
        )
        signout_button.click(
            sign_out, None, [admin_state, signin_group, admin_message, admin_panel], api_visibility="private"
        )
        upload_button.click(
            upload,
            [upload_files, admin_state],
            [admin_message, documents_table, remove_select, upload_files, status],
            show_progress_on=[admin_message],
            api_visibility="private",
            concurrency_id="ingest",
            concurrency_limit=1,
        )
        reindex_button.click(
            reindex,
            [admin_state],
            [admin_message, documents_table, remove_select, status],
            show_progress_on=[admin_message],
            api_visibility="private",
            concurrency_id="ingest",
            concurrency_limit=1,
        )
        remove_button.click(
            remove,
            [remove_select, admin_state],
            [admin_message, documents_table, remove_select, status],
            api_visibility="private",
            concurrency_id="ingest",
            concurrency_limit=1,
        )
        documents_tab.select(
            refresh_documents, None, [documents_table, remove_select], api_visibility="private", show_progress="hidden"
        )
        demo.load(
            on_load,
            None,
            [status, documents_table, remove_select],
            api_visibility="private",
            show_progress="hidden",
            concurrency_limit=None,
        )
        gr_api(ask_api, api_name="ask", concurrency_id="ask_api")

    demo.queue(max_size=max(1, settings.queue_max_size), default_concurrency_limit=max(1, settings.concurrency_limit))
    _STARTUPS[demo] = startup
    return demo


def _fixed(text: str, ask: Callable[..., Iterator[tuple[Any, ...]]]) -> Callable[..., Any]:
    """A handler that asks one fixed (example) question."""

    def ask_example(turns: list[dict[str, Any]], request: gr.Request | None = None) -> Iterator[tuple[Any, ...]]:
        yield from ask(text, turns, request)

    return ask_example


def _error_html(message: str) -> str:
    return f'<div class="sa-error" role="alert">{html.escape(message)}</div>'


def _failed(message: str, outputs: int) -> tuple[Any, ...]:
    """An error message in the first output, every other output left as it is."""
    return (_error_html(message), *([gr.update()] * (outputs - 1)))


def _error_html_list(message: str, items_html: str) -> str:
    return f'<div class="sa-error" role="alert">{html.escape(message)}<ul>{items_html}</ul></div>'


# -- serving ------------------------------------------------------------------------------------


def _theme() -> gr.themes.Base:
    """Gradio's default look with system fonts: no font (or anything else) fetched from the internet."""
    return gr.themes.Default(
        primary_hue="blue",
        font=["system-ui", "-apple-system", "Segoe UI", "Roboto", "Arial", "sans-serif"],
        font_mono=["ui-monospace", "SFMono-Regular", "Menlo", "Consolas", "monospace"],
    )


def launch_options(settings: Settings) -> dict[str, Any]:
    """The hardened launch() arguments: no SSR, no analytics, limits, no file route to the data folder."""
    options: dict[str, Any] = {
        "ssr_mode": False,
        "show_error": False,
        "max_file_size": int(settings.max_file_mb * 1024 * 1024),
        "blocked_paths": [str(settings.data_dir.resolve())],
        "allowed_paths": [],
        "footer_links": ["api"],
        "run_history": False,  # Gradio would otherwise keep every question (identifiers too) in the browser
        "pwa": False,
        "mcp_server": False,
        "share": False,
        "enable_monitoring": False,
        "theme": _theme(),
        "css": _CSS,
    }
    if settings.require_login:
        pairs = ((settings.login_user, settings.login_password), (settings.admin_user, settings.admin_password))
        accounts = [(user, password) for user, password in pairs if user and password]
        if not accounts:
            raise ConfigurationError(
                "ASSISTANT_REQUIRE_LOGIN is on but no account is configured: set ASSISTANT_LOGIN_USER and "
                "ASSISTANT_LOGIN_PASSWORD (or the admin account)"
            )

        def check(user: str, password: str) -> bool:
            matched = False
            for expected_user, expected_password in accounts:
                # evaluate every account, so the time taken does not tell which user names exist
                matched |= _same(user, expected_user) & _same(password, expected_password)
            return matched

        options["auth"] = check
        options["auth_message"] = "Sign in to use the safeguarding guidance assistant."
    return options


def serve(demo: gr.Blocks, settings: Settings, *, server_name: str, server_port: int) -> None:
    """Start preparing the index (in the background, with progress on the page) and serve the app."""
    _configure_logging(settings)
    options = launch_options(settings)
    startup = _STARTUPS.get(demo)
    if startup is not None:
        startup.start()
    log.info("serving the assistant on http://%s:%d (data folder %s)", server_name, server_port, settings.data_dir)
    demo.launch(server_name=server_name, server_port=server_port, **options)
