"""What the web app does for each event, as plain functions over the engine's public API.

Nothing here imports Gradio: each handler takes the :class:`WebContext`, the
:class:`Visitor` (whose rights come from the server-side session, never from anything
the browser sends) and plain values, and returns plain values (HTML strings, rows, view
objects) that :mod:`assistant.web.app` hands to the page. They are unit-tested without a
browser. Errors the user can act on are :class:`~assistant.errors.AssistantError`
subclasses; the wiring turns them into messages.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from assistant.config import Settings
from assistant.engine import Assistant
from assistant.errors import AccessDenied, AnswerError, AssistantError
from assistant.models import Answer, Progress, Turn, display_date
from assistant.services.auth import Accounts, Session, Sessions, Throttle, address_key
from assistant.services.feedback import FeedbackStore, Rating
from assistant.services.uploads import UploadQuota, UploadStore
from assistant.web import render
from assistant.web.downloads import Downloads
from assistant.web.startup import Startup
from assistant.wording import NOT_READY, UNEXPECTED

__all__ = [
    "MAX_HISTORY_TURNS",
    "UNEXPECTED",
    "ChatView",
    "Conversation",
    "DocumentsView",
    "Visitor",
    "WebContext",
    "ask",
    "ask_api",
    "briefing",
    "comment",
    "discard_pending",
    "documents",
    "export_conversation",
    "index_pending",
    "rate",
    "register_rows",
    "reindex",
    "remove",
    "upload",
    "visitor",
]

log = logging.getLogger(__name__)

MAX_HISTORY_TURNS = 10
STREAM_PAUSE_S = 0.12
READY_WAIT_S = 900.0


@dataclass
class WebContext:
    """Everything the handlers share: settings, the engine and the web services."""

    settings: Settings
    assistant: Assistant
    sessions: Sessions
    accounts: Accounts
    throttle: Throttle
    uploads: UploadStore
    quota: UploadQuota
    feedback: FeedbackStore
    downloads: Downloads
    startup: Startup

    @classmethod
    def create(cls, settings: Settings, assistant: Assistant | None = None) -> WebContext:
        engine = assistant or Assistant(settings)
        return cls(
            settings=settings,
            assistant=engine,
            sessions=Sessions.from_settings(settings),
            accounts=Accounts.from_settings(settings),
            throttle=Throttle(),
            uploads=UploadStore.from_settings(settings),
            quota=UploadQuota(int(settings.max_upload_mb_per_hour * 1_000_000)),
            feedback=FeedbackStore.from_settings(settings, redactor=engine),
            downloads=Downloads(),
            startup=Startup(engine),
        )

    @property
    def admin_enabled(self) -> bool:
        return self.accounts.any(admin=True)


@dataclass(frozen=True)
class Visitor:
    """Who is calling: a handle for their server-side session (or their address when they have none)."""

    handle: str
    session: Session | None
    address: str
    page: str = ""
    """Gradio's session hash of the calling page or API client ("" when unknown)."""

    @property
    def audit_user(self) -> str:
        """The audit log's notion of the user (it keeps only a keyed hash of this)."""
        if self.session is not None and self.session.user:
            return f"user:{self.session.user}"
        if self.session is None and self.page:
            return f"page:{self.page}"  # an API client without a session: one pseudonym per client session
        return self.handle


def visitor(ctx: WebContext, username: str | None, host: str | None, page: str | None = None) -> Visitor:
    """The visitor behind a request: ``username`` is what the session gate told Gradio."""
    address = address_key(host)
    session = ctx.sessions.by_handle(username)
    if session is None:
        return Visitor(f"anon:{address}", None, address, page or "")
    return Visitor(session.handle, session, address, page or "")


def is_admin(ctx: WebContext, who: Visitor) -> bool:
    return ctx.admin_enabled and ctx.sessions.is_admin(who.session)


def require_admin(ctx: WebContext, who: Visitor) -> None:
    if not ctx.admin_enabled:
        raise AccessDenied("document management is disabled on this server")
    if not is_admin(ctx, who):
        raise AccessDenied("sign in as an administrator first")


def wait_ready(ctx: WebContext, timeout: float = READY_WAIT_S) -> None:
    if not ctx.startup.wait(timeout):
        raise AnswerError(NOT_READY)


# -- the conversation ---------------------------------------------------------------------------


@dataclass
class Conversation:
    """One browser tab's conversation, owned by the session that started it."""

    owner: str = ""
    turns: list[dict[str, Any]] = field(default_factory=list)

    def history(self) -> list[Turn]:
        kept = [t for t in self.turns if t.get("answer") is not None]
        return [Turn(t["question"], t["answer"].answer) for t in kept[-MAX_HISTORY_TURNS:]]

    def messages(self) -> list[dict[str, str]]:
        chat: list[dict[str, str]] = []
        for turn in self.turns:
            chat.append({"role": "user", "content": render.question_html(turn["question"])})
            chat.append({"role": "assistant", "content": turn["html"]})
        return chat


def own(conversation: Conversation | None, who: Visitor) -> Conversation:
    """The visitor's conversation: another session's is never read or continued."""
    if isinstance(conversation, Conversation) and conversation.owner == who.handle:
        return conversation
    return Conversation(owner=who.handle)


@dataclass(frozen=True)
class ChatView:
    """The chat after an event; ``None`` fields leave that part of the page as it is."""

    conversation: Conversation
    clear_question: bool = False
    warning: str | None = None
    markdown: str | None = None
    announce: str | None = None
    """HTML of the live region a screen reader announces (None: unchanged)."""

    @property
    def messages(self) -> list[dict[str, str]]:
        return self.conversation.messages()


def ask(ctx: WebContext, question: str, conversation: Conversation | None, who: Visitor) -> Iterator[ChatView]:
    """Answer one question in the conversation, showing the answer as it appears."""
    current = own(conversation, who)
    question = (question or "").strip()
    if not question:
        yield ChatView(current)
        return
    turns = [*current.turns]
    turn: dict[str, Any] = {"question": question, "html": "", "answer": None, "feedback_id": None}
    turns.append(turn)
    current = replace(current, turns=turns)
    if not ctx.startup.ready.is_set():
        deadline = time.monotonic() + READY_WAIT_S
        while not ctx.startup.wait(1.0) and time.monotonic() < deadline:
            turn["html"] = render.message_html(
                ctx.startup.status_text() + " Your question will be answered when ready."
            )
            yield ChatView(current, clear_question=True)
    turn["html"] = render.message_html("Searching the documents…")
    yield ChatView(current, clear_question=True, warning="")
    try:
        if ctx.assistant.is_empty():
            raise AssistantError("no documents are indexed yet: an administrator can add some in the Documents tab")
        answer: Answer | None = None
        for event in ctx.assistant.ask_stream(question, _earlier(current), user=who.audit_user):
            if event.kind == "final":
                answer = event.answer
            elif event.kind == "partial":  # checked sentences of a language-model answer
                turn["html"] = render.partial_html(event.so_far)
                yield ChatView(current)
            else:  # "checking citations"
                turn["html"] = (render.partial_html(event.so_far) if event.so_far else "") + render.message_html(
                    event.text
                )
                yield ChatView(current)
        if answer is None:
            raise AssistantError("no answer was produced; please try again")
    except AssistantError as exc:
        turn["html"] = render.message_html(f"Sorry: {exc}", "sa-error")
        yield ChatView(current, warning="", announce=render.live_html(f"Sorry: {exc}"))
        return
    except Exception:
        log.exception("unexpected failure while answering (question not logged)")
        turn["html"] = render.message_html(UNEXPECTED, "sa-error")
        yield ChatView(current, warning="", announce=render.live_html(UNEXPECTED))
        return
    shown = render.pieces(answer.answer) if answer.mode != "llm" else []
    for count in range(1, len(shown)):
        turn["html"] = render.partial_html(" ".join(shown[:count]))
        yield ChatView(current, warning=render.warning_html(answer.warnings))
        time.sleep(STREAM_PAUSE_S)
    turn["answer"] = answer
    turn["html"] = render.answer_html(answer)
    yield ChatView(
        current,
        warning=render.warning_html(answer.warnings),
        markdown=render.answer_markdown(answer),
        announce=render.live_html(render.announcement(answer)),
    )


def _earlier(conversation: Conversation) -> list[Turn]:
    """The conversation before its last turn (the question being answered)."""
    return Conversation(conversation.owner, conversation.turns[:-1]).history()


# -- feedback -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class FeedbackView:
    conversation: Conversation
    target: int | None = None
    """The answer a comment will be attached to (None: no comment box)."""
    message: str = ""


def rate(ctx: WebContext, conversation: Conversation | None, who: Visitor, index: int, liked: object) -> FeedbackView:
    """A thumbs up/down on the answer at chat message ``index``: stored redacted."""
    current = own(conversation, who)
    position = index // 2
    if not (0 <= position < len(current.turns)) or current.turns[position].get("answer") is None:
        return FeedbackView(current)
    if liked not in (True, False):
        return FeedbackView(current)
    rating: Rating = "up" if liked else "down"
    turn = current.turns[position]
    answer: Answer = turn["answer"]
    try:
        if turn.get("feedback_id"):
            ctx.feedback.update(turn["feedback_id"], rating=rating)
        else:
            turn["feedback_id"] = ctx.feedback.record(
                rating=rating,
                question=answer.question,
                answer=answer.answer,
                citations=answer.citations,
                corpus_version=answer.corpus_version,
                abstained=answer.abstained,
            )
    except Exception:
        log.exception("could not store feedback")
        return FeedbackView(current, message=render.message_html(UNEXPECTED, "sa-error"))
    return FeedbackView(
        current, position, render.ok_html("Thank you: your rating was recorded (without identifying details).")
    )


def comment(
    ctx: WebContext, conversation: Conversation | None, who: Visitor, target: int | None, text: str
) -> tuple[bool, str]:
    """Attach a comment to a rated answer. Returns (saved, message HTML)."""
    current = own(conversation, who)
    text = (text or "").strip()
    if target is None or not (0 <= target < len(current.turns)) or not current.turns[target].get("feedback_id"):
        return False, render.message_html("Rate an answer first (thumbs up or down).", "sa-error")
    if not text:
        return False, render.message_html("Type a comment first.", "sa-error")
    try:
        ctx.feedback.update(current.turns[target]["feedback_id"], comment=text)
    except Exception:
        log.exception("could not store a feedback comment")
        return False, render.message_html(UNEXPECTED, "sa-error")
    return True, render.ok_html(
        "Thank you: your comment was saved. Identifying details are removed before it is stored."
    )


# -- documents ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class DocumentsView:
    """The Documents tab: the table, what an administrator may remove or index, and a message."""

    rows: list[list[Any]]
    choices: list[tuple[str, str]]
    pending: list[str]
    admin: bool
    message: str = ""


def documents(ctx: WebContext, who: Visitor, message: str = "") -> DocumentsView:
    records = ctx.assistant.documents()
    rows = [
        [
            r.title,
            r.publisher,
            display_date(r.date) if r.date else "",
            r.genre,
            r.file_name,
            r.page_count if r.page_count is not None else "",
            r.chunk_count,
            (r.indexed_at or "")[:19].replace("T", " "),
        ]
        for r in records
    ]
    admin = is_admin(ctx, who)
    choices = [(f"{r.title} ({r.file_name})", r.doc_id) for r in records] if admin else []
    pending = [p.name for p in ctx.uploads.pending([Path(r.path) for r in records])] if admin else []
    return DocumentsView(rows, choices, pending, admin, message)


def upload(ctx: WebContext, who: Visitor, files: Sequence[Path], progress: Progress | None = None) -> DocumentsView:
    """Check, store and index uploaded documents; files that are not indexed are not kept."""
    require_admin(ctx, who)
    if not files:
        return documents(ctx, who, render.error_html("Choose one or more files first."))
    stored = ctx.uploads.store(files)
    if not stored.paths:
        items = [f"{name}: {reason}" for name, reason in stored.refused]
        return documents(ctx, who, render.error_list_html("Nothing was indexed.", items))
    report = ctx.assistant.ingest(stored.paths, progress=progress)
    not_indexed = {name for name, _ in report.failed + report.skipped}
    ctx.uploads.delete(p for p in stored.paths if p.name in not_indexed)
    log.info("administrator uploaded %d file(s); %d not indexed", len(stored.paths), len(not_indexed))
    return documents(ctx, who, render.report_html(report, refused=stored.refused))


def reindex(ctx: WebContext, who: Visitor, progress: Progress | None = None) -> DocumentsView:
    """Bring the index in line with the corpus and upload folders (pending uploads are left alone)."""
    require_admin(ctx, who)
    roots = [p for p in (ctx.settings.corpus_dir, ctx.uploads.folder) if p.exists()]
    if not roots:
        return documents(ctx, who, render.error_html("There is no document folder to index."))
    pending = ctx.uploads.pending([Path(r.path) for r in ctx.assistant.documents()])
    report = ctx.assistant.ingest(roots, progress=progress, skip=pending)
    note = "Re-index finished."
    if pending:
        note += f" {len(pending)} pending upload(s) were left for you to index or discard."
    return documents(ctx, who, render.report_html(report, note))


def index_pending(
    ctx: WebContext, who: Visitor, names: Sequence[str], progress: Progress | None = None
) -> DocumentsView:
    require_admin(ctx, who)
    chosen = set(names or ())
    paths = [p for p in ctx.uploads.pending([Path(r.path) for r in ctx.assistant.documents()]) if p.name in chosen]
    if not paths:
        return documents(ctx, who, render.error_html("Choose the pending uploads to index first."))
    report = ctx.assistant.ingest(paths, progress=progress)
    not_indexed = {name for name, _ in report.failed + report.skipped}
    ctx.uploads.delete(p for p in paths if p.name in not_indexed)
    return documents(ctx, who, render.report_html(report))


def discard_pending(ctx: WebContext, who: Visitor, names: Sequence[str]) -> DocumentsView:
    require_admin(ctx, who)
    if not names:
        return documents(ctx, who, render.error_html("Choose the pending uploads to discard first."))
    deleted = ctx.uploads.discard(names, [Path(r.path) for r in ctx.assistant.documents()])
    return documents(ctx, who, render.ok_html(f"Discarded {len(deleted)} pending upload(s)."))


def remove(ctx: WebContext, who: Visitor, doc_ids: Sequence[str]) -> DocumentsView:
    """Remove documents from the index; uploaded files are deleted too."""
    require_admin(ctx, who)
    if not doc_ids:
        return documents(ctx, who, render.error_html("Choose the documents to remove first."))
    records = {r.doc_id: r for r in ctx.assistant.documents()}
    chosen = [records[d] for d in doc_ids if d in records]
    ctx.assistant.remove([r.doc_id for r in chosen])
    deleted = set(ctx.uploads.delete(Path(r.path) for r in chosen))
    kept = [r.file_name for r in chosen if Path(r.path).name not in deleted]
    text = f"Removed {len(chosen)} document(s) from the index."
    if kept:
        text += (
            f" {', '.join(kept)} stay(s) in the corpus folder and will return at the next re-index "
            "unless the file is deleted there."
        )
    return documents(ctx, who, render.ok_html(text))


# -- briefing, register and the API -------------------------------------------------------------


@dataclass(frozen=True)
class BriefingView:
    preview: str
    link: str


def briefing(ctx: WebContext, who: Visitor, topic: str, audience: str, fmt: str) -> BriefingView:
    """A briefing's printable preview and a one-time link to download it (kept in memory only)."""
    from assistant.products.briefing import MEDIA_TYPES, build_briefing, file_name
    from assistant.products.briefing import render as render_briefing

    wait_ready(ctx)
    chosen = fmt if fmt in MEDIA_TYPES else "pdf"
    made = build_briefing(ctx.assistant, (topic or "").strip(), audience or "all")
    page = render_briefing(made, "html").decode("utf-8")
    name = file_name(made, chosen)
    token = ctx.downloads.add(who.handle, name, MEDIA_TYPES[chosen], render_briefing(made, chosen))
    body = page.split("<body>", 1)[-1].rsplit("</body>", 1)[0]  # already escaped by the exporter
    return BriefingView(f'<div class="sa-briefing">{body}</div>', render.download_html(token, name))


def export_conversation(ctx: WebContext, conversation: Conversation | None, who: Visitor, fmt: str) -> str:
    """A one-time link to the whole conversation with its sources (identifiers left out), or a message."""
    from assistant.products.conversation import CONVERSATION_FORMATS, conversation_report, render_conversation

    current = own(conversation, who)
    turns = [(t["question"], t["answer"]) for t in current.turns if t.get("answer") is not None]
    if not turns:
        return render.error_html("Ask a question first: there is nothing to save yet.")
    chosen = fmt if fmt in CONVERSATION_FORMATS else "md"
    report = conversation_report(turns, ctx.assistant.redact)
    name = f"conversation.{chosen}"
    token = ctx.downloads.add(who.handle, name, CONVERSATION_FORMATS[chosen], render_conversation(report, chosen))
    return render.download_html(token, name)


def register_rows(ctx: WebContext, text: str) -> list[list[str]]:
    """Register entries matching ``text`` (all of them when it is empty), as table rows."""
    text = (text or "").strip()
    wait_ready(ctx)
    rows = []
    for entry in ctx.assistant.rules(text):
        where = entry.citation.location()
        rows.append([entry.subject, entry.kind, entry.describe(), entry.condition, entry.rule, where])
    return rows


def ask_api(ctx: WebContext, who: Visitor, question: str, history: Any) -> dict[str, Any]:
    """The answer JSON (as ``assistant ask --json``) for a question and its history ([{question, answer}])."""
    turns: list[Turn] = []
    if history is not None and not isinstance(history, list):
        raise AnswerError("history must be a list of {question, answer} objects")
    for item in (history or [])[-MAX_HISTORY_TURNS:]:
        if not isinstance(item, dict) or not isinstance(item.get("question"), str):
            raise AnswerError("history must be a list of {question, answer} objects")
        turns.append(Turn(item["question"], str(item.get("answer") or "")))
    wait_ready(ctx)
    return ctx.assistant.ask(question or "", turns, user=who.audit_user).to_dict()
