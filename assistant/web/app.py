"""The web page: Gradio components wired to the handlers of :mod:`assistant.web.handlers`.

This module only lays out the page and connects events; what each event does lives in
the handlers (plain functions, tested without a browser). It is the only module that
imports Gradio, and the place where errors become what the page shows: an
:class:`~assistant.errors.AssistantError` becomes its message, anything unexpected is
logged server-side (never the question) and shown as a short apology, never a traceback.

Nothing heavy happens at import: :func:`build_app` builds the page; the server
(:mod:`assistant.web.server`) mounts it and starts preparing the index.
"""

from __future__ import annotations

import html
import logging
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

import gradio as gr
from gradio.events import api as gr_api

from assistant.documents.loaders import SUPPORTED_SUFFIXES
from assistant.errors import AccessDenied, AssistantError
from assistant.models import Progress
from assistant.products.briefing import AUDIENCES, FORMATS, MAX_TOPIC_CHARS
from assistant.rules import MAX_SEARCH_CHARS
from assistant.web import handlers, render
from assistant.web.handlers import Conversation, DocumentsView, Visitor, WebContext
from assistant.web.startup import STAGES, TimeLeft, describe_progress
from assistant.wording import NOTICE

__all__ = ["EXAMPLE_QUESTIONS", "HEAD", "build_app", "theme"]

log = logging.getLogger(__name__)

EXAMPLE_QUESTIONS = (
    "When must an initial child protection conference be held?",
    "What counts as private fostering?",
    "How often should looked-after children have health assessments?",
    "What is the MASH?",
)
T = TypeVar("T")


def theme() -> gr.themes.Base:
    """Gradio's default look with system fonts (nothing fetched from the internet) and colours that
    meet WCAG 2.2 AA contrast: primary buttons on blue-700, secondary text on grey-600."""
    return gr.themes.Default(
        primary_hue="blue",
        font=["system-ui", "-apple-system", "Segoe UI", "Roboto", "Arial", "sans-serif"],
        font_mono=["ui-monospace", "SFMono-Regular", "Menlo", "Consolas", "monospace"],
    ).set(
        button_primary_background_fill="*primary_700",
        button_primary_background_fill_hover="*primary_800",
        button_primary_text_color="white",
        body_text_color_subdued="*neutral_600",
        block_info_text_color="*neutral_600",
        link_text_color="*primary_700",
        button_cancel_background_fill="#b91c1c",
        button_cancel_background_fill_hover="#991b1b",
        button_cancel_text_color="white",
        button_cancel_text_color_hover="white",
    )


# Gradio labels each chat message for screen readers with its raw content, HTML tags and
# all; this gives the label the message's text instead, as the page changes.
HEAD = """<script>
(() => {
  const fix = (el) => {
    const label = el.getAttribute('aria-label') || '';
    const match = label.match(/^(user|bot)'s message: /);
    if (!match || !label.includes('<')) return;
    const text = (el.innerText || '').replace(/\\s+/g, ' ').trim().slice(0, 300);
    el.setAttribute('aria-label', (match[1] === 'user' ? 'Your question: ' : 'Answer: ') + text);
  };
  const sweep = (root) => root.querySelectorAll && root.querySelectorAll('[aria-label]').forEach(fix);
  const added = (n) => { if (n.nodeType === 1) { fix(n); sweep(n); } };
  new MutationObserver((changes) => changes.forEach((c) => {
    if (c.type === 'attributes') fix(c.target); else c.addedNodes.forEach(added);
  })).observe(document.documentElement,
    {subtree: true, childList: true, attributes: true, attributeFilter: ['aria-label']});
  document.addEventListener('DOMContentLoaded', () => sweep(document));
})();
</script>"""


def _who(ctx: WebContext, request: gr.Request | None) -> Visitor:
    if request is None:
        return handlers.visitor(ctx, None, None)
    client = getattr(request, "client", None)
    return handlers.visitor(
        ctx, getattr(request, "username", None), getattr(client, "host", None), getattr(request, "session_hash", None)
    )


def _refuse(exc: AssistantError) -> gr.Error:
    text = str(exc)
    return gr.Error(text[:1].upper() + text[1:].rstrip(".") + ".", print_exception=False)


def _guarded(what: str, action: Callable[[], T]) -> T:
    """Run a handler; its errors become a message on the page (never a traceback)."""
    try:
        return action()
    except AssistantError as exc:
        raise _refuse(exc) from None
    except Exception:
        log.exception("unexpected failure while trying to %s", what)
        raise gr.Error(handlers.UNEXPECTED, print_exception=False) from None


def _progress(progress: gr.Progress) -> Progress:
    """Ingest progress on the page: the document being indexed, the share done and the time left."""
    clock = TimeLeft()

    def report(stage: str, done: int, total: int, name: str) -> None:
        label = STAGES.get(stage, stage)
        if stage == "index":
            progress(done / max(1, total), desc=describe_progress(label, done, total, name, clock))
        else:
            progress(None, desc=label)

    return report


def _signin_html(ctx: WebContext, view: DocumentsView) -> str:
    if not ctx.admin_enabled:
        return (
            '<p class="sa-status" role="note">Document management is disabled: set ASSISTANT_ADMIN_USER and '
            "ASSISTANT_ADMIN_PASSWORD on the server to enable it.</p>"
        )
    if view.admin:
        return (
            '<form method="post" action="logout" class="sa-signout"><span class="sa-status">Signed in as '
            'administrator.</span> <button type="submit" id="sa-signout-button" class="sa-button">Sign out'
            "</button></form>"
        )
    return (
        '<p><a id="sa-signin-link" class="sa-button" href="login?admin=1&amp;next=%2F%3Ftab%3Ddocuments">'
        "Sign in as administrator</a> to add, re-index or remove documents.</p>"
    )


def build_app(ctx: WebContext) -> gr.Blocks:
    """Build the whole page (chat, briefing, register, documents, the /ask API) around one context."""
    settings = ctx.settings

    # -- adapters: Gradio's values in, the handlers' views out --------------------------------

    def chat_outputs(view: handlers.ChatView) -> tuple[Any, ...]:
        return (
            view.messages,
            gr.update(value="") if view.clear_question else gr.update(),
            gr.update() if view.warning is None else gr.update(value=view.warning, visible=bool(view.warning)),
            gr.update() if view.markdown is None else gr.update(value=view.markdown),
            view.conversation,
            gr.update() if view.announce is None else gr.update(value=view.announce),
        )

    def ask_stream(
        question: str, conversation: Conversation, request: gr.Request | None = None
    ) -> Iterator[tuple[Any, ...]]:
        for view in handlers.ask(ctx, question, conversation, _who(ctx, request)):
            yield chat_outputs(view)

    def ask_example(text: str) -> Callable[..., Iterator[tuple[Any, ...]]]:
        def example(conversation: Conversation, request: gr.Request | None = None) -> Iterator[tuple[Any, ...]]:
            yield from ask_stream(text, conversation, request)

        return example

    def new_conversation(request: gr.Request | None = None) -> tuple[Any, ...]:
        fresh = Conversation(owner=_who(ctx, request).handle)
        return (
            [],
            gr.update(value=""),
            gr.update(value="", visible=False),
            gr.update(value=""),
            fresh,
            gr.update(value=render.live_html("New conversation started.")),
            None,
            gr.update(visible=False),
            gr.update(value=""),
        )

    def on_like(conversation: Conversation, data: gr.LikeData, request: gr.Request | None = None) -> tuple[Any, ...]:
        index = data.index if isinstance(data.index, int) else data.index[0]
        view = handlers.rate(ctx, conversation, _who(ctx, request), index, data.liked)
        if view.target is None:
            return view.conversation, gr.update(), gr.update(), gr.update(), gr.update(value=view.message)
        return (
            view.conversation,
            view.target,
            gr.update(visible=True),
            gr.update(label=f"Optional comment on answer {view.target + 1}"),
            gr.update(value=view.message),
        )

    def save_conversation(conversation: Conversation, fmt: str, request: gr.Request | None = None) -> str:
        return _guarded(
            "save the conversation",
            lambda: handlers.export_conversation(ctx, conversation, _who(ctx, request), fmt),
        )

    def on_comment(
        text: str, target: int | None, conversation: Conversation, request: gr.Request | None = None
    ) -> tuple[Any, ...]:
        saved, message = handlers.comment(ctx, conversation, _who(ctx, request), target, text)
        return (gr.update(value="") if saved else gr.update()), gr.update(value=message)

    def documents_outputs(view: DocumentsView) -> tuple[Any, ...]:
        return (
            view.message,
            view.rows,
            gr.update(choices=view.choices, value=[]),
            gr.update(choices=view.pending, value=[]),
            gr.update(visible=bool(view.pending)),
            gr.update(visible=view.admin),
            _signin_html(ctx, view),
            ctx.startup.status_html(),
        )

    def admin_action(what: str, run: Callable[[Visitor], DocumentsView], request: gr.Request | None) -> tuple[Any, ...]:
        who = _who(ctx, request)
        try:
            return documents_outputs(run(who))
        except AccessDenied as exc:
            raise _refuse(exc) from None
        except AssistantError as exc:
            view = handlers.documents(ctx, who, render.error_html(f"Could not {what}: {exc}"))
            return documents_outputs(view)
        except Exception:
            log.exception("unexpected failure while trying to %s", what)
            return documents_outputs(handlers.documents(ctx, who, render.error_html(handlers.UNEXPECTED)))

    def upload(
        files: list[str] | None,
        request: gr.Request | None = None,
        progress: gr.Progress = gr.Progress(),  # noqa: B008 - Gradio's way of asking for a progress bar
    ) -> tuple[Any, ...]:
        paths = [Path(f) for f in files or []]
        try:
            return admin_action(
                "index the upload", lambda who: handlers.upload(ctx, who, paths, _progress(progress)), request
            )
        finally:
            for path in paths:  # Gradio's temporary copies: the accepted ones are stored by now
                path.unlink(missing_ok=True)

    def reindex(request: gr.Request | None = None, progress: gr.Progress = gr.Progress()) -> tuple[Any, ...]:  # noqa: B008
        return admin_action("re-index", lambda who: handlers.reindex(ctx, who, _progress(progress)), request)

    def remove(doc_ids: list[str] | None, request: gr.Request | None = None) -> tuple[Any, ...]:
        return admin_action("remove", lambda who: handlers.remove(ctx, who, doc_ids or []), request)

    def index_pending(
        names: list[str] | None,
        request: gr.Request | None = None,
        progress: gr.Progress = gr.Progress(),  # noqa: B008
    ) -> tuple[Any, ...]:
        return admin_action(
            "index the pending uploads",
            lambda who: handlers.index_pending(ctx, who, names or [], _progress(progress)),
            request,
        )

    def discard_pending(names: list[str] | None, request: gr.Request | None = None) -> tuple[Any, ...]:
        return admin_action(
            "discard the pending uploads", lambda who: handlers.discard_pending(ctx, who, names or []), request
        )

    def refresh_documents(request: gr.Request | None = None) -> tuple[Any, ...]:
        if not ctx.startup.ready.is_set():
            return tuple(gr.update() for _ in range(8))
        return admin_action("list the documents", lambda who: handlers.documents(ctx, who), request)

    def on_load(request: gr.Request | None = None) -> Iterator[tuple[Any, ...]]:
        """Start-up progress until the assistant is ready, then the documents (and the tab asked for)."""
        ctx.startup.start()
        keep = tuple(gr.update() for _ in range(8))
        while not ctx.startup.wait(0.5):
            yield (gr.update(), *keep[:-1], ctx.startup.status_html())
        tab = str(dict(getattr(request, "query_params", {}) or {}).get("tab", ""))
        selected = gr.update(selected="documents") if tab == "documents" else gr.update()
        yield (selected, *refresh_documents(request))

    def make_briefing(topic: str, audience: str, fmt: str, request: gr.Request | None = None) -> tuple[str, str]:
        view = _guarded("make a briefing", lambda: handlers.briefing(ctx, _who(ctx, request), topic, audience, fmt))
        return view.preview, view.link

    def register_rows(text: str) -> list[list[str]]:
        return _guarded("read the register", lambda: handlers.register_rows(ctx, text))

    def ask_api(
        question: str, history: list[dict[str, str]] | None = None, request: gr.Request | None = None
    ) -> dict[str, Any]:
        """Answer a question from the indexed documents, with citations (history: [{question, answer}])."""
        return _guarded("answer through the API", lambda: handlers.ask_api(ctx, _who(ctx, request), question, history))

    # -- layout ----------------------------------------------------------------------------

    # delete_cache: Gradio's temporary copies of uploads are removed after 15 minutes at most
    demo = gr.Blocks(title="Safeguarding guidance assistant", analytics_enabled=False, delete_cache=(300, 900))
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
        status = gr.HTML(ctx.startup.status_html(), elem_id="sa-status")
        # Server-side, per browser tab, owned by the session that started it; dropped after a working day.
        conversation_state = gr.State(Conversation(), time_to_live=8 * 3600)
        comment_target = gr.State(None, time_to_live=8 * 3600)

        with gr.Tabs() as tabs:
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
                # what a screen reader announces when an answer is ready (visually hidden)
                live_region = gr.HTML(render.live_html(""), elem_id="sa-live", elem_classes=["sa-visually-hidden"])
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
                with gr.Accordion("Save the whole conversation with its sources", open=False):
                    gr.Markdown(
                        "For supervision notes: every question and answer with the quoted sources and the notice. "
                        "Identifying details in the questions are replaced by placeholders."
                    )
                    with gr.Row(equal_height=True):
                        save_format = gr.Dropdown(
                            [("Word (.docx)", "docx"), ("Markdown (.md)", "md")],
                            value="docx",
                            label="Format",
                            scale=1,
                            elem_id="sa-save-format",
                        )
                        save_button = gr.Button("Prepare download", scale=1, elem_id="sa-save-button")
                    save_link = gr.HTML("", elem_id="sa-save-link")
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
                        max_length=MAX_TOPIC_CHARS,
                        scale=4,
                        elem_id="sa-brief-topic",
                        info="A topic, not a case: leave out names and other identifying details.",
                    )
                    brief_audience = gr.Dropdown(
                        list(AUDIENCES),
                        value="all",
                        label="Audience",
                        scale=1,
                        elem_id="sa-brief-audience",
                    )
                    brief_format = gr.Dropdown(
                        sorted(FORMATS, key=lambda f: f != "pdf"),  # PDF first: what is usually printed
                        value="pdf",
                        label="Download as",
                        scale=1,
                        elem_id="sa-brief-format",
                    )
                brief_button = gr.Button("Make briefing", variant="primary", elem_id="sa-brief-button")
                brief_link = gr.HTML("", elem_id="sa-brief-file")
                brief_preview = gr.HTML("", elem_id="sa-brief-preview")

            with gr.Tab("Register", id="register") as register_tab:
                gr.Markdown(
                    "## Thresholds & timescales register\nEvery threshold, timescale, target, eligibility rule and "
                    "definition the documents state, each with its verbatim source."
                )
                register_search = gr.Textbox(
                    label="Search the register",
                    placeholder="e.g. fostering, ICPC, health assessment, annually",
                    max_length=MAX_SEARCH_CHARS,
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
                    headers=["Title", "Publisher", "Date", "Kind", "File", "Pages", "Passages", "Indexed (UTC)"],
                    datatype=["str", "str", "str", "number", "str"],
                    value=[],
                    interactive=False,
                    wrap=True,
                    label="Indexed documents",
                    elem_id="sa-documents",
                )
                gr.Markdown("## Manage documents")
                signin_box = gr.HTML(_signin_html(ctx, DocumentsView([], [], [], False)), elem_id="sa-signin")
                admin_message = gr.HTML("", elem_id="sa-admin-message")
                with gr.Column(visible=False, elem_id="sa-admin") as admin_panel:
                    gr.Markdown("### Add documents")
                    limit = f"{settings.max_file_mb:g} MB"
                    upload_files = gr.File(
                        label=f"Add documents (PDF, Word, Markdown, text or HTML; up to {limit} each)",
                        file_count="multiple",
                        file_types=sorted(SUPPORTED_SUFFIXES),
                        elem_id="sa-upload",
                    )
                    upload_button = gr.Button("Upload and index", variant="primary", elem_id="sa-upload-button")
                    with gr.Column(visible=False, elem_id="sa-pending") as pending_group:
                        gr.Markdown(
                            "### Pending uploads\nThese files were uploaded but are not in the index (the app "
                            "stopped before indexing them). They are not indexed by a re-index: index or discard them."
                        )
                        pending_select = gr.Dropdown(
                            label="Pending uploads", multiselect=True, choices=[], elem_id="sa-pending-select"
                        )
                        with gr.Row():
                            pending_index = gr.Button("Index selected", elem_id="sa-pending-index")
                            pending_discard = gr.Button(
                                "Discard selected", variant="stop", elem_id="sa-pending-discard"
                            )
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

        # -- events ------------------------------------------------------------------------

        chat = [chatbot, question_box, warning_box, markdown_box, conversation_state, live_region]
        reset = [*chat, comment_target, comment_row, feedback_note]
        documents_view = [
            admin_message,
            documents_table,
            remove_select,
            pending_select,
            pending_group,
            admin_panel,
            signin_box,
            status,
        ]
        private: dict[str, Any] = {"api_visibility": "private"}
        gr.on(
            [question_box.submit, ask_button.click],
            ask_stream,
            [question_box, conversation_state],
            chat,
            show_progress="minimal",
            **private,
        )
        for button, text in zip(example_buttons, EXAMPLE_QUESTIONS, strict=True):
            button.click(ask_example(text), [conversation_state], chat, show_progress="minimal", **private)
        new_button.click(new_conversation, None, reset, queue=False, **private)
        chatbot.clear(new_conversation, None, reset, queue=False, **private)
        chatbot.like(
            on_like,
            [conversation_state],
            [conversation_state, comment_target, comment_row, comment_box, feedback_note],
            **private,
        )
        save_button.click(save_conversation, [conversation_state, save_format], [save_link], **private)
        gr.on(
            [comment_button.click, comment_box.submit],
            on_comment,
            [comment_box, comment_target, conversation_state],
            [comment_box, feedback_note],
            **private,
        )
        gr.on(
            [brief_button.click, brief_topic.submit],
            make_briefing,
            [brief_topic, brief_audience, brief_format],
            [brief_preview, brief_link],
            show_progress="minimal",
            **private,
        )
        gr.on(
            [register_search.submit, register_search.change, register_tab.select],
            register_rows,
            [register_search],
            [register_table],
            **private,
        )
        ingest: dict[str, Any] = {
            "concurrency_id": "ingest",
            "concurrency_limit": 1,
            "show_progress_on": [admin_message],
        }
        upload_button.click(upload, [upload_files], documents_view, **ingest, **private).then(
            lambda: None, None, [upload_files], **private
        )
        reindex_button.click(reindex, None, documents_view, **ingest, **private)
        pending_index.click(index_pending, [pending_select], documents_view, **ingest, **private)
        pending_discard.click(discard_pending, [pending_select], documents_view, **ingest, **private)
        remove_button.click(remove, [remove_select], documents_view, **ingest, **private)
        documents_tab.select(refresh_documents, None, documents_view, show_progress="hidden", **private)
        demo.load(on_load, None, [tabs, *documents_view], show_progress="hidden", concurrency_limit=None, **private)
        gr_api(ask_api, api_name="ask", concurrency_id="ask_api")

    # Gradio summarises its last GRADIO_ANALYTICS_MAX_EVENTS events (default 10,000) with pandas
    # after every finished event (GRADIO_ANALYTICS_CACHE_FREQUENCY, default 1), for its monitoring
    # page: under sustained load that summary grew to cost more than the answers, and the chat slowed
    # as the app aged (docs/benchmarks.md). Summarised once per 1,000 events over the last 1,000, it
    # costs nothing; an operator may still set either variable.
    os.environ.setdefault("GRADIO_ANALYTICS_CACHE_FREQUENCY", "1000")
    os.environ.setdefault("GRADIO_ANALYTICS_MAX_EVENTS", "1000")
    # Waiting users hear their place in line every two seconds, not after every answer given to
    # anyone: Gradio's "auto" rate sends each waiting user a message per finished job, which with
    # 50 users waiting cost more CPU than the answers themselves.
    demo.queue(
        max_size=max(1, settings.queue_max_size),
        default_concurrency_limit=max(1, settings.concurrency_limit),
        status_update_rate=2,
    )
    return demo
