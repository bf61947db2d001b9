"""The web app's handlers, without a browser: real engine, real index, real services.

Each handler is a plain function of the web context, the visitor (whose rights come from
the server-side session) and plain values; these tests call them directly.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant.config import Settings
from assistant.engine import Assistant
from assistant.errors import AccessDenied, AnswerError, IdentifyingDetails
from assistant.web import handlers
from assistant.web.handlers import Conversation, Visitor, WebContext

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "corpus" / "havering-lscb-annual-report-2014-15.txt"
WOMBAT = "# Wombat protocol\n\nThe Wombat protocol requires a welfare visit within 36 hours of a referral.\n"


@pytest.fixture(scope="module")
def ctx(tmp_path_factory: pytest.TempPathFactory, embedder) -> Iterator[WebContext]:  # type: ignore[no-untyped-def]
    root = tmp_path_factory.mktemp("handlers")
    corpus = root / "corpus"
    corpus.mkdir()
    shutil.copy(SEED, corpus / SEED.name)
    settings = Settings(
        data_dir=root / "data", corpus_dir=corpus, admin_user="admin", admin_password="a password", max_file_mb=1
    )
    context = WebContext.create(settings, Assistant(settings, embedder=embedder))
    context.startup.start()
    assert context.startup.wait(600)
    assert context.startup.error is None
    yield context


def guest(ctx: WebContext) -> Visitor:
    session = ctx.sessions.new()
    return handlers.visitor(ctx, session.handle, "198.51.100.1")


def admin(ctx: WebContext) -> Visitor:
    session = ctx.sessions.sign_in(None, "admin", admin=True)
    return handlers.visitor(ctx, session.handle, "198.51.100.2")


def last(views: Iterator[handlers.ChatView]) -> handlers.ChatView:
    found = list(views)
    assert found
    return found[-1]


def test_a_question_is_answered_with_citations_and_the_notice(ctx: WebContext) -> None:
    who = guest(ctx)
    view = last(handlers.ask(ctx, "When must an initial child protection conference be held?", None, who))
    assert view.conversation.owner == who.handle
    answer = view.messages[-1]["content"]
    assert "[1]" in answer and "999" in answer and "sa-cite" in answer
    assert view.markdown is not None and "Sources" in view.markdown
    follow_up = last(handlers.ask(ctx, "And how many were held?", view.conversation, who))
    assert len(follow_up.conversation.turns) == 2


def test_another_visitor_never_reads_or_continues_a_conversation(ctx: WebContext) -> None:
    owner, other = guest(ctx), guest(ctx)
    view = last(handlers.ask(ctx, "What is the MASH?", None, owner))
    assert view.conversation.turns
    # the same state presented by another session: an empty question returns nothing of it
    stolen = last(handlers.ask(ctx, "", view.conversation, other))
    assert stolen.messages == [] and stolen.conversation.owner == other.handle
    assert handlers.rate(ctx, view.conversation, other, 1, True).target is None
    saved, message = handlers.comment(ctx, view.conversation, other, 0, "a comment")
    assert not saved and "Rate an answer first" in message


def test_identifying_details_bring_a_warning(ctx: WebContext) -> None:
    view = last(
        handlers.ask(ctx, "My neighbour Jane Smith, aged 7, is left alone. What should I do?", None, guest(ctx))
    )
    assert view.warning and "identifying details" in view.warning


def test_ratings_and_comments_are_stored_redacted(ctx: WebContext) -> None:
    who = guest(ctx)
    view = last(handlers.ask(ctx, "What counts as private fostering?", None, who))
    rated = handlers.rate(ctx, view.conversation, who, 1, False)
    assert rated.target == 0 and "rating was recorded" in rated.message
    saved, message = handlers.comment(ctx, rated.conversation, who, 0, "Call Mrs Jones on 07911 123456 about it")
    assert saved and "comment was saved" in message
    row = ctx.feedback.rows()[-1]
    assert row["rating"] == "down" and "07911" not in row["comment"] and "Jones" not in row["comment"]


def test_document_management_needs_an_administrator(ctx: WebContext, tmp_path: Path) -> None:
    who = guest(ctx)
    view = handlers.documents(ctx, who)
    assert view.rows and not view.admin and view.choices == [] and view.pending == []
    upload = tmp_path / "wombat.md"
    upload.write_text(WOMBAT, encoding="utf-8")
    for action in (
        lambda: handlers.upload(ctx, who, [upload]),
        lambda: handlers.reindex(ctx, who),
        lambda: handlers.remove(ctx, who, [view.rows and "x"]),
        lambda: handlers.index_pending(ctx, who, ["wombat.md"]),
        lambda: handlers.discard_pending(ctx, who, ["wombat.md"]),
    ):
        with pytest.raises(AccessDenied, match="administrator"):
            action()
    assert not (ctx.uploads.folder / "wombat.md").exists()


def test_an_administrator_uploads_indexes_and_removes(ctx: WebContext, tmp_path: Path) -> None:
    who = admin(ctx)
    good = tmp_path / "wombat-protocol.md"
    good.write_text(WOMBAT, encoding="utf-8")
    fake = tmp_path / "fake.pdf"
    fake.write_text("not a pdf", encoding="utf-8")
    view = handlers.upload(ctx, who, [good, fake])
    assert view.admin and "Indexed wombat-protocol.md" in view.message
    assert "fake.pdf: named .pdf but the content is not a PDF" in view.message
    assert (ctx.uploads.folder / "wombat-protocol.md").is_file() and not (ctx.uploads.folder / "fake.pdf").exists()
    answer = last(handlers.ask(ctx, "How quickly does the Wombat protocol require a welfare visit?", None, who))
    assert "36 hours" in answer.messages[-1]["content"]
    doc_id = next(value for label, value in view.choices if "wombat-protocol.md" in label)
    removed = handlers.remove(ctx, who, [doc_id])
    assert "Removed 1 document" in removed.message
    assert not (ctx.uploads.folder / "wombat-protocol.md").exists()


def test_an_interrupted_upload_is_pending_until_indexed_or_discarded(ctx: WebContext) -> None:
    who = admin(ctx)
    ctx.uploads.folder.mkdir(parents=True, exist_ok=True)
    # the app stopped after storing these files and before indexing them
    (ctx.uploads.folder / "numbat-a.md").write_text(WOMBAT.replace("Wombat", "Numbat"), encoding="utf-8")
    (ctx.uploads.folder / "numbat-b.md").write_text(WOMBAT.replace("Wombat", "Quoll"), encoding="utf-8")
    view = handlers.documents(ctx, who)
    assert view.pending == ["numbat-a.md", "numbat-b.md"]
    reindexed = handlers.reindex(ctx, who)
    assert "2 pending upload(s)" in reindexed.message and "numbat" not in reindexed.message.split("pending")[0]
    assert not any("numbat" in str(row) for row in reindexed.rows)
    indexed = handlers.index_pending(ctx, who, ["numbat-a.md"])
    assert "Indexed numbat-a.md" in indexed.message and indexed.pending == ["numbat-b.md"]
    discarded = handlers.discard_pending(ctx, who, ["numbat-b.md"])
    assert "Discarded 1" in discarded.message and discarded.pending == []
    assert not (ctx.uploads.folder / "numbat-b.md").exists()
    doc_id = next(value for label, value in discarded.choices if "numbat-a.md" in label)
    handlers.remove(ctx, who, [doc_id])


def test_register_search_is_bounded_and_finds_rules(ctx: WebContext) -> None:
    rows = handlers.register_rows(ctx, "fostering")
    assert rows and any("28" in " ".join(row) for row in rows)
    assert handlers.register_rows(ctx, "")  # everything
    with pytest.raises(AnswerError, match="keep it under 200"):
        handlers.register_rows(ctx, "fostering " * 100)


def test_a_briefing_is_downloaded_once_by_the_session_that_made_it(ctx: WebContext) -> None:
    who, other = guest(ctx), guest(ctx)
    before = set(Path("/tmp").glob("briefing-*"))
    view = handlers.briefing(ctx, who, "private fostering", "all", "md")
    assert "7-minute briefing: private fostering" in view.preview and "download/" in view.link
    token = view.link.split("download/", 1)[1].split('"', 1)[0]
    assert ctx.downloads.take(token, other.handle) is None  # not someone else's
    item = ctx.downloads.take(token, who.handle)
    assert item is not None and item.file_name == "briefing-private-fostering-all.md"
    assert b"private fostering" in item.content.lower()
    assert ctx.downloads.take(token, who.handle) is None  # once
    assert set(Path("/tmp").glob("briefing-*")) == before  # nothing written to disk


def test_a_briefing_topic_with_identifying_details_is_refused(ctx: WebContext) -> None:
    with pytest.raises(IdentifyingDetails, match="identifying details"):
        handlers.briefing(ctx, guest(ctx), "private fostering of Jane Smith, DOB 03/04/2012", "all", "pdf")
    assert len(ctx.downloads) == 0


def test_the_api_checks_its_history(ctx: WebContext) -> None:
    who = guest(ctx)
    with pytest.raises(AnswerError, match="history"):
        handlers.ask_api(ctx, who, "What is the MASH?", [{"q": 1}])
    with pytest.raises(AnswerError, match="history"):
        handlers.ask_api(ctx, who, "What is the MASH?", "not a list")
    result = handlers.ask_api(
        ctx, who, "And the year before?", [{"question": "How many contacts were received in 2014-15?", "answer": ""}]
    )
    assert result["citations"] and result["notice"]


def test_a_conversation_object_from_nowhere_is_replaced(ctx: WebContext) -> None:
    who = guest(ctx)
    view = last(handlers.ask(ctx, "", Conversation(owner="s-forged", turns=[{"question": "x"}]), who))
    assert view.conversation.owner == who.handle and view.conversation.turns == []


def test_the_whole_conversation_is_saved_with_its_sources_and_without_identifiers(ctx: WebContext) -> None:
    import io

    import docx

    who = guest(ctx)
    first = last(handlers.ask(ctx, "When must an initial child protection conference be held?", None, who))
    second = last(
        handlers.ask(ctx, "My client Jane Smith asked: what counts as private fostering?", first.conversation, who)
    )
    assert "sa-error" in handlers.export_conversation(ctx, None, guest(ctx), "md")  # nothing to save yet
    link = handlers.export_conversation(ctx, second.conversation, who, "md")
    token = link.split("download/", 1)[1].split('"', 1)[0]
    item = ctx.downloads.take(token, who.handle)
    assert item is not None and item.file_name == "conversation.md"
    text = item.content.decode("utf-8")
    assert "999" in text and "Question 1: When must an initial child protection conference be held?" in text
    assert "Question 2: My client [PERSON] asked" in text and "Jane" not in text and "Smith" not in text
    cited = len(second.conversation.turns[0]["answer"].citations)
    assert f"[{cited + 1}]" in text  # the second answer's sources are numbered after the first's
    assert "fifteen day" in text  # the verbatim quote of a source
    word = handlers.export_conversation(ctx, second.conversation, who, "docx")
    token = word.split("download/", 1)[1].split('"', 1)[0]
    saved = ctx.downloads.take(token, who.handle)
    assert saved is not None
    body = "\n".join(p.text for p in docx.Document(io.BytesIO(saved.content)).paragraphs)
    assert "999" in body and "[PERSON]" in body and "Jane" not in body
