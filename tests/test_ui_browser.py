"""The web app end to end: ``python app.py`` in a subprocess, driven by headless Chromium.

Everything is real: the app builds its index from a copy of the corpus on first start,
answers with the real model, and an administrator uploads a PDF made here with fpdf2.
Screenshots of every step go to test-artifacts/ (git-ignored). Set
ASSISTANT_UPDATE_SCREENSHOT=1 to refresh docs/screenshot.png as well.

The first tests are fast unit checks of the rendering and upload rules (no browser).
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from webapp import free_port, wait_http  # type: ignore[import-not-found]

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ADMIN = ("admin", "correct horse battery staple")
ZEPHYR_FACT = "The Zephyr protocol requires a strategy discussion within 3 working days."
READY_TIMEOUT_MS = 240_000
ANSWER_TIMEOUT_MS = 90_000


# -- unit checks: rendering and uploads (no server, no browser) ----------------------------------


def _citation(**changes: Any) -> Any:
    from assistant.models import Citation

    values: dict[str, Any] = {
        "n": 1,
        "document": "guide.txt",
        "title": "Guide",
        "section": "Part 1",
        "page": None,
        "page_label": "3",
        "quote": "must be held within 15 working days",
        "context": "The conference must be held within 15 working days of the strategy discussion.",
    }
    values.update(changes)
    return Citation(**values)


def _answer(**changes: Any) -> Any:
    from assistant.engine import NOTICE
    from assistant.models import Answer

    values: dict[str, Any] = {
        "question": "When?",
        "answer": "It must be held within 15 working days. [1]",
        "abstained": False,
        "citations": (_citation(),),
        "notice": NOTICE,
    }
    values.update(changes)
    return Answer(**values)


def test_answer_html_highlights_the_quote_inside_its_context() -> None:
    from assistant.web.render import answer_html

    rendered = answer_html(_answer())
    assert '<details class="sa-cite">' in rendered
    assert "<mark>must be held within 15 working days</mark>" in rendered
    assert "The conference " in rendered and " of the strategy discussion." in rendered
    assert "guide.txt" in rendered and "p. 3" in rendered and "Part 1" in rendered
    assert "999" in rendered
    assert "\n\n" not in rendered  # a blank line would end the HTML block in the chat's Markdown


def test_document_text_is_escaped_everywhere() -> None:
    from assistant.web.render import answer_html, answer_markdown

    evil = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    answer = _answer(
        answer=f"{evil} [1]",
        citations=(
            _citation(title=evil, document="a<b>.txt", section=evil, quote=evil, context=f"before {evil} after"),
        ),
        related=(_citation(n=2, quote="related <b>text</b>", context="related <b>text</b>"),),
        warnings=("<i>warning</i>",),
    )
    rendered = answer_html(answer)
    assert "<script" not in rendered and "<img" not in rendered and "<b>" not in rendered and "<i>" not in rendered
    assert "&lt;script&gt;" in rendered
    assert "Related reading" in rendered
    assert answer_markdown(answer).startswith("> Warning:")


def test_abstained_answer_lists_related_passages() -> None:
    from assistant.web.render import answer_html

    answer = _answer(
        answer="The documents provided do not answer this question.",
        abstained=True,
        citations=(),
        related=(_citation(n=1, quote="nearby passage", context="A nearby passage here."),),
    )
    rendered = answer_html(answer)
    assert "Related reading" in rendered and "<mark>nearby passage</mark>" in rendered
    assert "Sources" not in rendered


def test_markdown_copy_holds_answer_sources_and_notice() -> None:
    from assistant.web.render import answer_markdown

    text = answer_markdown(_answer())
    assert "**Question:** When?" in text
    assert "[1] Guide (guide.txt): Part 1, p. 3" in text
    assert "> must be held within 15 working days" in text
    assert "999" in text


@pytest.mark.parametrize(
    "name",
    [
        "../etc/passwd.pdf",
        "..\\evil.pdf",
        "a/b.pdf",
        "sub\\dir.txt",
        "report..pdf",
        ".hidden.pdf",
        "tab\there.pdf",
        "nul\x00.pdf",
        "new\nline.md",
        "payload.exe",
        "archive.zip",
        "",
    ],
)
def test_unsafe_or_unsupported_upload_names_are_refused(name: str) -> None:
    from assistant.errors import UnsupportedDocument
    from assistant.services.uploads import safe_upload_name

    with pytest.raises(UnsupportedDocument):
        safe_upload_name(name)


@pytest.mark.parametrize("name", ["policy.pdf", "Local procedures 2024.docx", "notes_v2.md", "page.HTML", "a-b.txt"])
def test_ordinary_upload_names_are_kept(name: str) -> None:
    from assistant.services.uploads import safe_upload_name

    assert safe_upload_name(name) == name


def test_upload_content_must_match_its_extension(tmp_path: Path) -> None:
    from assistant.errors import DocumentError
    from assistant.services.uploads import check_upload

    fake = tmp_path / "fake.pdf"
    fake.write_text("not a pdf at all", encoding="utf-8")
    with pytest.raises(DocumentError, match="not a PDF"):
        check_upload(fake, "fake.pdf", 1024 * 1024)
    zipped = tmp_path / "notes.txt"
    zipped.write_bytes(b"PK\x03\x04" + b"\x00" * 64)
    with pytest.raises(DocumentError):
        check_upload(zipped, "notes.txt", 1024 * 1024)
    big = tmp_path / "big.txt"
    big.write_text("x" * 2048, encoding="utf-8")
    with pytest.raises(DocumentError, match="limit"):
        check_upload(big, "big.txt", 1024)


def test_the_server_is_hardened(tmp_path: Path) -> None:
    """The app as built (no server started): Gradio's options, the routes, the sign-in gate."""
    from fastapi.testclient import TestClient

    from assistant.config import Settings
    from assistant.errors import ConfigurationError
    from assistant.web.server import create_app

    settings = Settings(data_dir=tmp_path / "data", corpus_dir=tmp_path, max_file_mb=5)
    app = create_app(settings)
    demo = app.state.context.startup  # nothing started yet
    assert not demo.ready.is_set()
    blocks = next(r.app.get_blocks() for r in app.routes if hasattr(getattr(r, "app", None), "get_blocks"))
    assert blocks.max_file_size == 5_000_000  # MB = 1,000,000 bytes, as everywhere else
    assert str((tmp_path / "data").resolve()) in blocks.blocked_paths and not blocks.allowed_paths
    assert blocks.ssr_mode is False and blocks.show_error is False
    # Gradio's monitoring summary is not recomputed over 10,000 events after every answer (it made
    # the chat slower the longer the app ran under load)
    assert blocks._queue.ANAYLTICS_CACHE_FREQUENCY >= 1000 and blocks._queue.ANALYTICS_MAX_EVENTS <= 1000
    with TestClient(app) as client:
        assert client.get("/config").json()["version"].isdigit()
        assert client.get("/docs").status_code == 404 and client.get("/openapi.json").status_code == 404
    with pytest.raises(ConfigurationError):
        create_app(settings.with_(require_login=True))
    guarded = create_app(settings.with_(require_login=True, login_user="sw", login_password="pw"))
    with TestClient(guarded, follow_redirects=False) as client:
        page = client.get("/", headers={"accept": "text/html"})
        assert page.status_code == 303 and page.headers["location"].startswith("/login")
        for path in ("/config", "/gradio_api/info", "/gradio_api/openapi.json", "/?view=api"):
            assert client.get(path).status_code in (303, 401), path  # the API docs too
        assert client.post("/gradio_api/upload", files={"files": ("a.md", b"# a")}).status_code == 401
        wrong = client.post("/login", data={"user": "sw", "password": "nope", "next": "/"})
        assert wrong.status_code == 401 and "not correct" in wrong.text
        right = client.post("/login", data={"user": "sw", "password": "pw", "next": "/"})
        assert right.status_code == 303 and "HttpOnly" in right.headers["set-cookie"]
        assert client.get("/config").status_code == 200
        assert client.post("/gradio_api/upload", files={"files": ("a.md", b"# a")}).status_code == 403
        assert client.post("/logout").status_code == 303
        assert client.get("/config").status_code == 401


# -- the running app -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def app_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """``python app.py`` on a free port, over a temporary copy of the corpus."""
    root = tmp_path_factory.mktemp("webapp")
    corpus = root / "corpus"
    shutil.copytree(CORPUS, corpus)
    port = free_port()
    env = {
        **os.environ,
        "ASSISTANT_DATA_DIR": str(root / "data"),
        "ASSISTANT_CORPUS_DIR": str(corpus),
        "ASSISTANT_ADMIN_USER": ADMIN[0],
        "ASSISTANT_ADMIN_PASSWORD": ADMIN[1],
        "GRADIO_SERVER_NAME": "127.0.0.1",
        "GRADIO_SERVER_PORT": str(port),
        "HF_HUB_OFFLINE": "1",
        "TRANSFORMERS_OFFLINE": "1",
        "ANONYMIZED_TELEMETRY": "False",
        "PYTHONUNBUFFERED": "1",
    }
    log_path = root / "app.log"
    with log_path.open("wb") as log_file:
        process = subprocess.Popen(
            [sys.executable, str(ROOT / "app.py")], cwd=root, env=env, stdout=log_file, stderr=subprocess.STDOUT
        )
        url = f"http://127.0.0.1:{port}/"
        try:
            wait_http(url, process)
            yield {"url": url, "data_dir": root / "data", "root": root, "log": log_path}
        finally:
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)


@pytest.fixture(scope="module")
def web_browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        pytest.skip("Debian's chromium is not installed (/usr/bin/chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        yield instance
        instance.close()


def _shot(page: Any, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def _open(browser: Any, url: str, *, width: int = 1280, height: int = 900) -> Any:
    """A new session on the app, waited until the index is built and the model loaded."""
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    outside: list[str] = []
    page.on("request", lambda request: outside.append(request.url) if "127.0.0.1" not in request.url else None)
    page.outside_requests = outside
    page.goto(url)
    page.wait_for_function(
        "() => (document.querySelector('#sa-status') || {innerText: ''}).innerText.includes('Ready')",
        timeout=READY_TIMEOUT_MS,
    )
    return page


def _ask(page: Any, question: str) -> Any:
    """Type a question, press Enter, wait for the finished answer; returns the last answer's locator."""
    before = page.locator("#sa-chat .sa-answer .sa-footnote").count()
    box = page.locator("#sa-question textarea")
    box.fill(question)
    box.press("Enter")
    page.wait_for_function(
        f"() => document.querySelectorAll('#sa-chat .sa-answer .sa-footnote, #sa-chat .sa-error').length > {before}",
        timeout=ANSWER_TIMEOUT_MS,
    )
    return page.locator("#sa-chat .sa-answer").last


@pytest.mark.slow
@pytest.mark.browser
def test_first_start_shows_the_index_being_built(app_server: dict[str, Any], web_browser: Any) -> None:
    """The first test to open the page finds the index still being built (it takes 20 s or more)."""
    context = web_browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(app_server["url"])
    page.wait_for_function(
        "() => (document.querySelector('#sa-status') || {innerText: ''}).innerText.trim().length > 0"
    )
    status = page.locator("#sa-status").inner_text()
    if "Ready" not in status:
        assert "Preparing the assistant" in status
        assert page.locator("#sa-status progress").count() == 1
        _shot(page, "00-first-start-progress")
    page.wait_for_function(
        "() => document.querySelector('#sa-status').innerText.includes('Ready')", timeout=READY_TIMEOUT_MS
    )
    assert "document(s)" in page.locator("#sa-status").inner_text()
    context.close()


@pytest.mark.slow
@pytest.mark.browser
def test_cited_answer_with_highlighted_passage_and_notice(app_server: dict[str, Any], web_browser: Any) -> None:
    page = _open(web_browser, app_server["url"])
    notice = page.locator("#sa-notice")
    assert notice.is_visible()
    assert "999" in notice.inner_text()
    _shot(page, "01-start")

    answer = _ask(page, "When must an initial child protection conference be held?")
    text = answer.inner_text()
    assert "[1]" in text
    assert "fifteen" in text.lower()
    summary = answer.locator("details.sa-cite summary").first
    assert summary.inner_text().startswith("[1]")
    assert not answer.locator("details.sa-cite mark").first.is_visible()
    summary.click()
    mark = answer.locator("details.sa-cite").first.locator("mark")
    mark.wait_for(state="visible")
    assert "fifteen" in mark.inner_text().lower()
    assert "havering-lscb-annual-report-2014-15.txt" in answer.locator("details.sa-cite").first.inner_text()
    assert page.locator("#sa-notice").is_visible()
    if os.environ.get("ASSISTANT_UPDATE_SCREENSHOT"):  # the picture in the README
        page.set_viewport_size({"width": 1100, "height": 1150})
        page.evaluate("() => window.scrollTo(0, 0)")
        page.locator("#sa-chat [role=log]").evaluate("(log) => { log.scrollTop = 0; }")
        (ROOT / "docs").mkdir(exist_ok=True)
        page.screenshot(path=str(ROOT / "docs" / "screenshot.png"), full_page=False)
    page.get_by_text("Copy the latest answer with its sources").click()
    markdown = page.locator("#sa-markdown textarea").input_value()
    assert "[1]" in markdown and "fifteen" in markdown
    _shot(page, "02-answer-citation-expanded")
    assert page.outside_requests == [], page.outside_requests
    page.context.close()


@pytest.mark.slow
@pytest.mark.browser
def test_identifying_details_bring_a_warning(app_server: dict[str, Any], web_browser: Any) -> None:
    page = _open(web_browser, app_server["url"])
    _ask(page, "My client Jane Smith, DOB 12/03/2011, lives at 14 Elm Road. What should I do about neglect?")
    warning = page.locator("#sa-identifier-warning")
    warning.wait_for(state="visible")
    assert "identifying details" in warning.inner_text()
    assert "rephrase" in warning.inner_text().lower()
    _shot(page, "03-identifier-warning")
    page.context.close()


@pytest.mark.slow
@pytest.mark.browser
def test_follow_up_question_uses_the_conversation(app_server: dict[str, Any], web_browser: Any) -> None:
    page = _open(web_browser, app_server["url"])
    first = _ask(page, "How many contacts did the MASH receive in 2014/15?")
    assert "6984" in first.inner_text()
    second = _ask(page, "And the year before?")
    assert "7410" in second.inner_text()
    _shot(page, "04-follow-up")
    page.locator("#sa-new").click()
    page.wait_for_function("() => document.querySelectorAll('#sa-chat .sa-answer').length === 0")
    page.context.close()


@pytest.mark.slow
@pytest.mark.browser
def test_feedback_is_recorded_redacted(app_server: dict[str, Any], web_browser: Any) -> None:
    page = _open(web_browser, app_server["url"])
    _ask(page, "What is the MASH? My colleague Mrs Patel asked.")
    page.locator("#sa-chat button[aria-label='Like']").last.click()
    page.locator("#sa-comment-row").wait_for(state="visible")
    page.locator("#sa-comment textarea").fill("Useful, thanks. Email me at jane.doe@example.org or call 020 7946 0958.")
    page.locator("#sa-comment-send").click()
    page.wait_for_function("() => document.querySelector('#sa-feedback-note').innerText.includes('comment was saved')")
    _shot(page, "05-feedback")
    page.context.close()

    database = app_server["data_dir"] / "feedback.sqlite3"
    with sqlite3.connect(database) as connection:
        rows = connection.execute("SELECT rating, comment, question FROM feedback").fetchall()
    comment = "Useful, thanks. Email me at [EMAIL_ADDRESS] or call [PHONE_NUMBER]."
    assert ("up", comment, "What is the MASH? My colleague [PERSON] asked.") in rows
    stored = database.read_bytes()
    assert b"Patel" not in stored and b"jane.doe" not in stored and b"7946" not in stored


def _zephyr_pdf(path: Path) -> None:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_title("Zephyr Protocol Guidance")
    pdf.add_page()
    pdf.set_font("Helvetica", size=16)
    pdf.cell(0, 10, "Zephyr Protocol", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", size=11)
    pdf.multi_cell(
        0,
        6,
        "This local guidance applies to every agency in the partnership. "
        f"{ZEPHYR_FACT} The discussion is chaired by the duty team manager and is recorded on the child's file.",
    )
    pdf.output(str(path))


@pytest.mark.slow
@pytest.mark.browser
def test_admin_uploads_a_pdf_that_is_then_answerable(
    app_server: dict[str, Any], web_browser: Any, tmp_path: Path
) -> None:
    pdf = tmp_path / "zephyr-protocol.pdf"
    _zephyr_pdf(pdf)
    page = _open(web_browser, app_server["url"])
    page.get_by_role("tab", name="Documents").click()
    table = page.locator("#sa-documents")
    table.wait_for(state="visible")
    page.wait_for_function("() => document.querySelector('#sa-documents').innerText.includes('havering')")
    assert not page.locator("#sa-upload").is_visible()  # nothing to manage before signing in

    page.locator("#sa-signin-link").click()
    page.wait_for_url("**/login**")
    page.locator("#user").fill(ADMIN[0])
    page.locator("#password").fill("wrong password")
    page.locator("button[type=submit]").click()
    page.locator(".error").wait_for()
    assert "not correct" in page.locator(".error").inner_text()
    page.locator("#password").fill(ADMIN[1])
    page.locator("button[type=submit]").click()
    page.wait_for_url(lambda url: "/login" not in url)
    page.wait_for_function(
        "() => (document.querySelector('#sa-status') || {innerText: ''}).innerText.includes('Ready')",
        timeout=READY_TIMEOUT_MS,
    )
    page.locator("#sa-upload").wait_for(state="visible")
    _shot(page, "06-admin-signed-in")
    page.locator("#sa-upload input[type=file]").set_input_files(str(pdf))
    page.wait_for_function(
        "() => document.querySelector('#sa-upload').innerText.includes('zephyr-protocol.pdf')", timeout=30_000
    )
    page.locator("#sa-upload-button").click()
    page.wait_for_function(
        "() => document.querySelector('#sa-admin-message').innerText.includes('Indexed zephyr-protocol.pdf')",
        timeout=ANSWER_TIMEOUT_MS,
    )
    page.wait_for_function("() => document.querySelector('#sa-documents').innerText.includes('zephyr-protocol.pdf')")
    _shot(page, "07-uploaded")
    assert (app_server["data_dir"] / "uploads" / "zephyr-protocol.pdf").is_file()

    page.get_by_role("tab", name="Ask").click()
    answer = _ask(page, "How quickly does the Zephyr protocol require a strategy discussion?")
    assert "3 working days" in answer.inner_text()
    assert "zephyr-protocol.pdf" in answer.locator("details.sa-cite summary").first.inner_text()
    _shot(page, "08-answer-from-upload")
    page.context.close()


@pytest.mark.slow
@pytest.mark.browser
def test_keyboard_only_question_and_citation(app_server: dict[str, Any], web_browser: Any) -> None:
    page = _open(web_browser, app_server["url"])
    for _ in range(60):  # Tab through the page until the question box has the focus
        if page.evaluate("() => document.activeElement && document.activeElement.closest('#sa-question') !== null"):
            break
        page.keyboard.press("Tab")
    else:
        pytest.fail("the question box cannot be reached with the Tab key")
    page.keyboard.type("What counts as private fostering?")
    page.keyboard.press("Enter")
    page.wait_for_function(
        "() => document.querySelectorAll('#sa-chat .sa-answer .sa-footnote').length > 0", timeout=ANSWER_TIMEOUT_MS
    )
    summary = page.locator("#sa-chat .sa-answer summary").first
    summary.focus()
    page.keyboard.press("Enter")
    assert page.locator("#sa-chat .sa-answer details").first.get_attribute("open") is not None
    _shot(page, "09-keyboard")
    page.context.close()


@pytest.mark.slow
@pytest.mark.browser
def test_narrow_phone_screen_shows_notice_and_input(app_server: dict[str, Any], web_browser: Any) -> None:
    page = _open(web_browser, app_server["url"], width=390, height=844)
    notice = page.locator("#sa-notice")
    box = page.locator("#sa-question textarea")
    assert notice.is_visible() and "999" in notice.inner_text()
    assert box.is_visible()
    where = box.bounding_box()
    assert where["y"] + where["height"] <= 844, "the question box should be on the first screen"
    assert where["width"] <= 390
    overflow = page.evaluate("() => document.documentElement.scrollWidth")
    assert overflow <= 392, f"the page scrolls sideways ({overflow}px wide)"
    _shot(page, "10-narrow-start")
    answer = _ask(page, "What is the MASH?")
    answer.locator("details.sa-cite summary").first.click()
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 392
    _shot(page, "11-narrow-answer")
    page.context.close()


@pytest.mark.slow
@pytest.mark.browser
def test_briefing_tab_makes_a_cited_briefing_to_download(app_server: dict[str, Any], web_browser: Any) -> None:
    page = _open(web_browser, app_server["url"])
    page.get_by_role("tab", name="Briefing").click()
    page.locator("#sa-brief-topic textarea, #sa-brief-topic input").first.fill("private fostering")
    page.locator("#sa-brief-button").click()
    page.wait_for_function(
        "() => (document.querySelector('#sa-brief-preview') || {innerText: ''}).innerText.includes('What it is')",
        timeout=ANSWER_TIMEOUT_MS,
    )
    preview = page.locator("#sa-brief-preview").inner_text()
    assert "twenty-eight days" in preview and "999" in preview
    assert "Sources" in preview and "[1]" in preview
    link = page.locator("#sa-brief-file a").first
    link.wait_for(timeout=30_000)
    assert "briefing-private-fostering-all.pdf" in (link.get_attribute("href") or "") + link.inner_text()
    with page.expect_download() as download:
        link.click()
    saved = download.value
    assert saved.suggested_filename == "briefing-private-fostering-all.pdf"
    assert Path(saved.path()).read_bytes().startswith(b"%PDF")
    _shot(page, "12-briefing")
    page.context.close()


@pytest.mark.slow
@pytest.mark.browser
def test_register_tab_is_searchable(app_server: dict[str, Any], web_browser: Any) -> None:
    page = _open(web_browser, app_server["url"])
    page.get_by_role("tab", name="Register").click()
    page.wait_for_function(
        "() => (document.querySelector('#sa-register') || {innerText: ''}).innerText.includes('Initial')",
        timeout=60_000,
    )
    page.locator("#sa-register-search textarea, #sa-register-search input").first.fill("fostering")
    page.locator("#sa-register-search textarea, #sa-register-search input").first.press("Enter")
    page.wait_for_function(
        "() => !document.querySelector('#sa-register').innerText.includes('Initial Case')", timeout=60_000
    )
    table = page.locator("#sa-register").inner_text()
    assert "Private fostering" in table and "twenty-eight days" in table
    _shot(page, "13-register")
    page.context.close()
