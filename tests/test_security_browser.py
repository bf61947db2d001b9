"""Security of the running web app, attacked the way a browser (or a script posing as one) would.

One ``python app.py`` serves the whole module, over the seed report plus two hostile
documents (a Markdown and a text file about the made-up "Quokka protocol" whose sentences
carry script, event-handler, javascript: and external-image payloads). Headless Chromium
asks about them and types the same payloads as questions; the page must show the payloads
as text and run none of them. Then: uploads whose content does not match the extension,
uploads over the size limit (ASSISTANT_MAX_FILE_MB=1 here), path-traversal file names
(unit level and straight at Gradio's ``/gradio_api/upload`` route), admin actions without
signing in, error responses (no tracebacks, the data folder never served), and the
authentication model: a Gradio session hash presented by another client gains nothing,
sign-in is throttled per address without a global lock-out, cross-site posts are refused,
security headers are set and no version is disclosed.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from webapp import (
    ADMIN,
    ROOT,
    SEED,
    RawSession,
    RunningApp,
    ask,
    chromium,
    file_data,
    open_documents_tab,
    open_page,
    output_text,
    run_app,
    sign_in,
)

pytestmark = pytest.mark.slow

PAYLOADS = {
    "script": "<script>window.__xss=1</script>",
    "img-onerror": '<img src=x onerror="window.__xss=2">',
    "svg-onload": '<svg onload="window.__xss=3">',
    "markdown-js-link": "[click](javascript:window.__xss=4)",
    "markdown-external-image": "![x](http://198.51.100.7/track.png)",
    "html-js-link": '<a href="javascript:alert(1)">here</a>',
}
TITLE_PAYLOAD = '<img src=x onerror="window.__xss=5">'

QUOKKA_MD = f"""# The Quokka protocol `{TITLE_PAYLOAD}`

## Welfare visits under the Quokka protocol

The Quokka protocol requires a welfare visit within 48 hours of a referral `{PAYLOADS["script"]}` and the visit is recorded on the child's file.
Under the Quokka protocol the duty manager reviews the visit notes `{PAYLOADS["img-onerror"]}` before the end of the next working day.
The Quokka protocol asks the lead practitioner to confirm the plan in writing `{PAYLOADS["svg-onload"]}` to every agency involved.
Raw markup in the Quokka protocol notes: <script>window.__xss=11</script> and <img src=x onerror="window.__xss=12"> and {PAYLOADS["markdown-js-link"]} and {PAYLOADS["markdown-external-image"]} and {PAYLOADS["html-js-link"]}.
The Quokka protocol links are written as `{PAYLOADS["markdown-js-link"]}` and `{PAYLOADS["markdown-external-image"]}` and `{PAYLOADS["html-js-link"]}` in the old handbook.
"""
QUOKKA_TXT = f"""Quokka Protocol Handbook

The Quokka protocol sets a strategy meeting within 5 working days {PAYLOADS["script"]} of the first welfare visit.
The Quokka protocol review panel meets monthly {PAYLOADS["img-onerror"]} and chairs are rotated each year.
The Quokka protocol escalation route goes to the head of service {PAYLOADS["svg-onload"]} when the plan is not agreed.
The Quokka protocol guidance can be read here {PAYLOADS["markdown-js-link"]} and the poster {PAYLOADS["markdown-external-image"]} is displayed in every office.
The Quokka protocol contact sheet is {PAYLOADS["html-js-link"]} for all duty staff.
"""
QUOKKA_QUESTIONS = (
    "When is the Quokka protocol strategy meeting held?",
    "Where can the Quokka protocol guidance and contact sheet be read?",
    "What does the Quokka protocol escalation route involve?",
    "How quickly does the Quokka protocol require a welfare visit?",
    "How are the Quokka protocol links written in the old handbook?",
)
# Typed as questions: the same payloads, plus the classic breakouts of an HTML block in Markdown.
QUESTION_PAYLOADS = (
    *(f"What does the Quokka protocol say? {payload}" for payload in PAYLOADS.values()),
    '"><script>alert(1)</script><img src=x onerror=alert(document.domain)>',
    '<iframe src="javascript:alert(\'frame\')"></iframe><details open ontoggle="window.__xss=8">x</details>',
    '<style>@import url(http://198.51.100.7/x.css);</style><form><button formaction="javascript:alert(2)">go</button></form>',
    "Quokka?\n\n[click](javascript:window.__xss=7)\n\n![x](http://198.51.100.7/q.png)\n\n<img src=x onerror=window.__xss=9>",
    "&lt;script&gt;window.__xss=10&lt;/script&gt; is the Quokka protocol escaped?",
)

# What the page must not contain, wherever the text came from.
DOM_CHECK = """() => {
  const chat = document.querySelector('#sa-chat');
  const onAttributes = [];
  for (const el of document.querySelectorAll('*'))
    for (const a of el.attributes) if (/^on/i.test(a.name)) onAttributes.push(`${el.tagName} ${a.name}=${a.value}`);
  const jsUrls = [];
  for (const el of document.querySelectorAll('[href],[src],[action],[formaction],[srcdoc],[data]'))
    for (const name of ['href', 'src', 'action', 'formaction', 'data'])
      if (/^\\s*(javascript|vbscript|data:text\\/html)/i.test(el.getAttribute(name) || '')) jsUrls.push(el.outerHTML.slice(0, 200));
  const externalImages = [...document.images]
    .filter(img => img.src && !img.src.startsWith('data:') && new URL(img.src, location.href).host !== location.host)
    .map(img => img.outerHTML.slice(0, 200));
  const payloadScripts = [...document.scripts].filter(s => /__xss|alert\\(/.test(s.textContent)).length;
  return {
    xss: typeof window.__xss,
    chatScripts: chat ? chat.querySelectorAll('script').length : -1,
    messageElements: [...document.querySelectorAll('#sa-chat [data-testid=bot], #sa-chat [data-testid=user]')]
      .flatMap(m => [...m.querySelectorAll('script, iframe, object, embed, base, meta, form, style, link, svg, img, a, button, input')])
      .map(e => e.outerHTML.slice(0, 200)),
    messages: document.querySelectorAll('#sa-chat [data-testid=bot], #sa-chat [data-testid=user]').length,
    jsLinks: document.querySelectorAll('a[href^="javascript:" i]').length,
    onAttributes, jsUrls, externalImages, payloadScripts,
    chatText: chat ? chat.innerText : '',
  };
}"""


def _assert_inert(page: Any, *, chat: bool = True) -> dict[str, Any]:
    found = page.evaluate(DOM_CHECK)
    assert found["xss"] == "undefined", "a payload ran: window.__xss was set"
    assert page.dialogs == [], page.dialogs
    assert page.outside_requests == [], page.outside_requests
    assert not any("198.51.100.7" in url for url in page.requests)
    assert found["chatScripts"] == 0 and found["payloadScripts"] == 0
    assert found["onAttributes"] == [], found["onAttributes"]
    assert found["jsLinks"] == 0 and found["jsUrls"] == [], found["jsUrls"]
    assert found["externalImages"] == [], found["externalImages"]
    assert found["messages"] > 0 or not chat
    assert found["messageElements"] == [], found["messageElements"]  # answers and questions are text, never markup
    return found


def _expand_citations(page: Any) -> int:
    summaries = page.locator("#sa-chat details.sa-cite:not([open]) > summary")
    count = summaries.count()
    for _ in range(count):
        summaries.first.click()
    return count


# -- the app ------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def hostile_corpus(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    folder = tmp_path_factory.mktemp("hostile-docs")
    (folder / "quokka-protocol.md").write_text(QUOKKA_MD, encoding="utf-8")
    (folder / "quokka-handbook.txt").write_text(QUOKKA_TXT, encoding="utf-8")
    return [SEED, folder / "quokka-protocol.md", folder / "quokka-handbook.txt"]


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory, hostile_corpus: list[Path]) -> Iterator[RunningApp]:
    root = tmp_path_factory.mktemp("secapp")
    with run_app(root, corpus_files=hostile_corpus, env={"ASSISTANT_MAX_FILE_MB": "1"}) as running:
        yield running


@pytest.fixture(scope="module")
def web_browser() -> Iterator[Any]:
    with chromium() as instance:
        yield instance


# -- unit level: upload names --------------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    [
        "../../etc/passwd.md",
        "../../../tmp/evil.txt",
        "..\\..\\windows\\win.ini.txt",
        "....//....//evil.md",
        "/etc/cron.d/evil.md",
        "C:\\Windows\\System32\\evil.txt",
        "uploads/../../evil.pdf",
        "evil.md/..",
        "..",
        ".",
        "...md",
        "..／evil.md",  # fullwidth solidus after two dots
        "%2e%2e/evil.md",
        "evil\x00.md.pdf",
        "~/.ssh/evil.txt",
        "-rf.txt",
        ".bashrc.txt",
    ],
)
def test_safe_upload_name_refuses_traversal_names(name: str) -> None:
    from assistant.errors import UnsupportedDocument
    from assistant.services.uploads import safe_upload_name

    with pytest.raises(UnsupportedDocument):
        safe_upload_name(name)


@pytest.mark.parametrize("name", ["%2e%2e%2fevil.md", "evil .md", "ünïcödé.md", "a" * 170 + ".txt", "x…y.md"])
def test_names_that_are_kept_stay_inside_the_upload_folder(name: str, tmp_path: Path) -> None:
    from assistant.errors import UnsupportedDocument
    from assistant.services.uploads import safe_upload_name

    try:
        kept = safe_upload_name(name)
    except UnsupportedDocument:
        return  # refusing is always safe
    uploads = (tmp_path / "uploads").resolve()
    assert (uploads / kept).resolve().parent == uploads
    assert "/" not in kept and "\\" not in kept and ".." not in kept


# -- XSS --------------------------------------------------------------------------------------


@pytest.mark.browser
def test_payloads_in_documents_are_shown_as_text_and_never_run(app: RunningApp, web_browser: Any) -> None:
    page = open_page(web_browser, app.url)
    for question in QUOKKA_QUESTIONS:
        answer = ask(page, question)
        assert "Quokka" in answer.inner_text(), question
    assert _expand_citations(page) >= len(QUOKKA_QUESTIONS)
    page.wait_for_timeout(500)  # an onerror/onload would have fired by now
    found = _assert_inert(page)
    shown = found["chatText"]
    for name, payload in PAYLOADS.items():
        assert payload in shown, f"{name} payload is not visible as text"
    assert TITLE_PAYLOAD in shown  # the hostile title, in the citation's summary line

    open_documents_tab(page)
    page.wait_for_function("() => document.querySelector('#sa-documents').innerText.includes('quokka-protocol.md')")
    assert TITLE_PAYLOAD in page.locator("#sa-documents").inner_text()
    page.wait_for_timeout(300)
    _assert_inert(page)
    page.context.close()


@pytest.mark.browser
def test_payloads_typed_as_questions_are_shown_as_text_and_never_run(app: RunningApp, web_browser: Any) -> None:
    page = open_page(web_browser, app.url)
    for question in QUESTION_PAYLOADS:
        ask(page, question)
    _expand_citations(page)
    page.get_by_text("Copy the latest answer with its sources").click()
    page.wait_for_timeout(500)
    found = _assert_inert(page)
    shown = found["chatText"]
    for payload in PAYLOADS.values():
        assert payload in shown
    assert "<img src=x onerror=alert(document.domain)>" in shown
    assert "<details open ontoggle=" in shown
    assert "[click](javascript:window.__xss=7)" in shown and "<img src=x onerror=window.__xss=9>" in shown
    assert "&lt;script&gt;window.__xss=10&lt;/script&gt;" in shown  # entities are not decoded a second time
    markdown = page.locator("#sa-markdown textarea").input_value()
    assert "&lt;script&gt;window.__xss=10" in markdown
    page.context.close()


# -- admin actions -----------------------------------------------------------------------------


ADMIN_CONTROLS = ("#sa-upload", "#sa-upload-button", "#sa-reindex", "#sa-remove", "#sa-remove-select")


@pytest.mark.browser
def test_admin_actions_need_sign_in(app: RunningApp, web_browser: Any) -> None:
    page = open_page(web_browser, app.url)
    open_documents_tab(page)
    for selector in ADMIN_CONTROLS:
        assert page.locator(selector).count() == 0 or not page.locator(selector).first.is_visible(), selector

    assert "not correct" in sign_in(page, ADMIN[0], "wrong password", expect="not correct")
    page.goto(app.url)
    assert "not correct" in sign_in(page, "root", ADMIN[1], expect="not correct")
    page.goto(app.url)
    open_documents_tab(page)
    for selector in ADMIN_CONTROLS:
        assert page.locator(selector).count() == 0 or not page.locator(selector).first.is_visible(), selector

    # The same handlers called straight over the queue protocol, without signing in (or after a wrong password).
    with RawSession(app.url) as anonymous, RawSession(app.url) as guesser, RawSession(app.url) as admin:
        assert guesser.sign_in(ADMIN[0], "Correct Horse Battery Staple").status_code == 401
        assert admin.sign_in().status_code == 303  # signed in elsewhere: other sessions gain nothing
        for session in (anonymous, guesser):
            for name, data in (
                ("upload", [[file_data(str(SEED))]]),
                ("reindex", []),
                ("remove", [[]]),
                ("index_pending", [[]]),
                ("discard_pending", [[]]),
            ):
                result = session.call(name, data)
                assert result.get("success") is False, (name, result)
                assert "Sign in as an administrator first" in output_text(result) or (
                    name == "upload"  # Gradio itself refuses a path it did not receive
                ), (name, result)
    message = sign_in(page, *ADMIN, expect="Signed in")
    assert "Signed in as administrator" in message
    page.locator("#sa-upload").wait_for(state="visible")
    page.locator("#sa-signout-button").click()
    page.wait_for_load_state()
    open_documents_tab(page)
    page.locator("#sa-signin-link").wait_for(state="visible")
    assert not page.locator("#sa-upload").is_visible()
    page.context.close()


def test_another_clients_session_hash_gains_nothing(app: RunningApp) -> None:
    """A Gradio session hash leaks (it travels in URLs): presenting it from another client gets nothing."""
    with RawSession(app.url) as admin:
        assert admin.sign_in().status_code == 303
        listed = admin.call("refresh_documents", [])
        assert listed.get("success") is True and "havering" in output_text(listed)
        with RawSession(app.url, session_hash=admin.session_hash) as thief:
            for name, data in (("reindex", []), ("refresh_documents", []), ("ask_stream", ["", None])):
                refused = thief.call(name, data)
                assert refused["msg"] == "refused" and refused["status"] == 403, (name, refused)
            # nor can it listen to the owner's event stream
            stream = thief.http.get(thief.api + "/queue/data", params={"session_hash": admin.session_hash})
            assert stream.status_code == 403
            heartbeat = thief.http.get(f"{thief.api}/heartbeat/{admin.session_hash}")
            assert heartbeat.status_code == 403
        # the owner carries on
        assert admin.call("refresh_documents", []).get("success") is True


def test_a_conversation_is_not_readable_with_its_session_hash(app: RunningApp, web_browser: Any) -> None:
    page = open_page(web_browser, app.url)
    ask(page, "What is the MASH? My client Jane Smith, DOB 03/04/2012, asked.")
    hashes = {url.split("session_hash=")[1].split("&")[0] for url in page.requests if "session_hash=" in url}
    assert hashes, "the page's session hash was not seen"
    for value in hashes:
        with RawSession(app.url, session_hash=value) as thief:
            result = thief.call("ask_stream", ["", None])
            assert result["msg"] == "refused" and result["status"] == 403
            assert "Jane" not in output_text(result) and "MASH" not in output_text(result)
    page.context.close()


def test_sign_in_is_throttled_per_address_without_a_global_lock_out(app: RunningApp) -> None:
    attacker = {"x-forwarded-for": "203.0.113.66"}  # uvicorn trusts the forwarding header from loopback
    with RawSession(app.url) as guesser:
        statuses = []
        for attempt in range(8):
            form = {"user": ADMIN[0], "password": f"guess-{attempt}", "admin": "1", "next": "/"}
            response = guesser.http.post(app.base + "/login", data=form, headers={"origin": app.base, **attacker})
            statuses.append(response.status_code)
            assert "Traceback" not in response.text
        assert statuses[:5] == [401] * 5, statuses
        assert 429 in statuses[5:], statuses
        refused = guesser.http.post(
            app.base + "/login",
            data={"user": ADMIN[0], "password": ADMIN[1], "admin": "1", "next": "/"},
            headers={"origin": app.base, **attacker},
        )
        assert refused.status_code == 429 and "Too many failed attempts" in refused.text  # even the right password
    # the real administrator, from another address, signs in at once: no global lock-out
    with RawSession(app.url) as real:
        started = time.monotonic()
        assert real.sign_in().status_code == 303
        assert time.monotonic() - started < 15
        assert real.call("refresh_documents", []).get("success") is True


def test_cross_site_posts_are_refused(app: RunningApp) -> None:
    with httpx.Client(timeout=30) as client:
        form = {"user": ADMIN[0], "password": ADMIN[1], "admin": "1", "next": "/"}
        response = client.post(app.base + "/login", data=form, headers={"origin": "https://evil.example"})
        assert response.status_code == 403 and "cross-site" in response.text
        assert "sa_session" not in response.headers.get("set-cookie", "")


def test_security_headers_and_no_version_banner(app: RunningApp) -> None:
    with httpx.Client(timeout=30) as client:
        for path in ("/", "/config", "/login?admin=1", "/healthz", "/gradio_api/info"):
            response = client.get(app.base + path)
            headers = response.headers
            assert headers.get("x-frame-options") == "DENY", path
            assert "frame-ancestors 'none'" in headers.get("content-security-policy", ""), path
            assert headers.get("x-content-type-options") == "nosniff", path
            assert headers.get("referrer-policy") == "same-origin", path
            assert "server" not in headers, (path, headers.get("server"))
    with httpx.Client(timeout=30) as client:
        cookie = client.get(app.base + "/").headers.get("set-cookie", "")
        assert cookie.startswith("sa_session=") and "HttpOnly" in cookie and "SameSite=Lax" in cookie
        config = client.get(app.base + "/config").json()
        assert "." not in str(config.get("version")), config.get("version")  # the major version only
        for path in ("/openapi.json", "/docs", "/redoc"):
            assert client.get(app.base + path).status_code == 404, path
        # CORS: another origin is not allowed to read responses with credentials
        cors = client.get(app.base + "/config", headers={"origin": "http://localhost:9999"})
        assert "access-control-allow-origin" not in cors.headers
        assert "access-control-allow-credentials" not in cors.headers


def test_only_an_administrator_may_post_to_the_upload_route(app: RunningApp) -> None:
    content = b"# Upload\n\nThe Bettong protocol is an ordinary test document.\n"
    with RawSession(app.url) as anonymous:
        refused = anonymous.upload([("bettong.md", content)])
        assert refused.status_code == 403 and "administrator" in refused.text
    assert not list(app.gradio_tmp.rglob("bettong*"))
    with RawSession(app.url) as admin:
        assert admin.sign_in().status_code == 303
        accepted = admin.upload([("bettong.md", content)])
        assert accepted.status_code == 200, accepted.text


# -- uploads ----------------------------------------------------------------------------------


@pytest.mark.browser
def test_upload_whose_content_does_not_match_its_extension_is_refused(
    app: RunningApp, web_browser: Any, tmp_path: Path
) -> None:
    fake_pdf = tmp_path / "wombat-guidance.pdf"
    fake_pdf.write_text("The Wombat protocol is plain text pretending to be a PDF.\n", encoding="utf-8")
    zip_txt = tmp_path / "wombat-notes.txt"
    zip_txt.write_bytes(b"PK\x03\x04" + b"\x00" * 200)
    html_docx = tmp_path / "wombat-letter.docx"
    html_docx.write_text("<html><body><p>The Wombat protocol letter.</p></body></html>", encoding="utf-8")
    page = open_page(web_browser, app.url)
    open_documents_tab(page)
    sign_in(page, *ADMIN, expect="Signed in")
    page.locator("#sa-upload input[type=file]").set_input_files([str(fake_pdf), str(zip_txt), str(html_docx)])
    page.wait_for_function(
        "() => document.querySelector('#sa-upload').innerText.includes('wombat-letter')", timeout=30_000
    )
    page.locator("#sa-upload-button").click()
    page.wait_for_function(
        "() => document.querySelector('#sa-admin-message').innerText.includes('Nothing was indexed')", timeout=60_000
    )
    message = page.locator("#sa-admin-message").inner_text()
    assert "wombat-guidance.pdf: named .pdf but the content is not a PDF" in message
    assert "wombat-notes.txt" in message and "wombat-letter.docx" in message
    table = page.locator("#sa-documents").inner_text()
    assert "wombat" not in table.lower()
    uploads = app.data_dir / "uploads"
    assert not [p for p in uploads.glob("*") if "wombat" in p.name]
    _assert_inert(page, chat=False)
    page.context.close()


@pytest.mark.browser
def test_upload_over_the_size_limit_is_refused(app: RunningApp, web_browser: Any, tmp_path: Path) -> None:
    big = tmp_path / "numbat-guidance.txt"
    line = "The Numbat protocol is a long document about nothing in particular. " * 20 + "\n"
    big.write_text(line * (1_200_000 // len(line) + 1), encoding="utf-8")
    assert big.stat().st_size > 1024 * 1024
    page = open_page(web_browser, app.url)
    open_documents_tab(page)
    sign_in(page, *ADMIN, expect="Signed in")
    page.locator("#sa-upload input[type=file]").set_input_files(str(big))
    toast = page.get_by_text("exceed the maximum allowed size")
    toast.first.wait_for(state="visible", timeout=30_000)
    assert "numbat-guidance.txt" in toast.first.inner_text()
    page.locator("#sa-upload-button").click()
    page.wait_for_function(
        "() => document.querySelector('#sa-admin-message').innerText.includes('Choose one or more files first')",
        timeout=30_000,
    )
    assert "numbat" not in page.locator("#sa-documents").inner_text().lower()
    page.context.close()

    # Posting the file straight to Gradio's upload route does not get around the limit either.
    with RawSession(app.url) as session:
        assert session.sign_in().status_code == 303
        response = session.upload([("numbat-direct.txt", big.read_bytes())])
        assert response.status_code == 413, response.text
        assert "maximum allowed size" in response.text
    stored = list(app.root.rglob("*numbat*"))
    assert not [p for p in stored if app.gradio_tmp not in p.parents], stored


def _files_named(marker: str, roots: list[Path], deep: list[Path]) -> list[Path]:
    found = [p for root in roots if root.is_dir() for p in root.iterdir() if marker in p.name]
    for root in deep:
        found += list(root.rglob(f"*{marker}*"))
    return found


TRAVERSAL_NAMES = (
    "../../../../../tmp/trvx-1.md",
    "../../trvx-2.md",
    "/etc/cron.d/trvx-3.md",
    "..\\..\\..\\trvx-4.md",
    "trvx-5\\..\\..\\evil.md",
    "trvx-6..%2F..%2Fevil.md",
    "..%2F..%2Ftrvx-7.md",
    "-trvx-8.md",
    "~trvx-9.md",
    ".trvx-10.md",
)


def test_traversal_file_names_posted_to_the_upload_route_stay_in_the_temp_area(app: RunningApp) -> None:
    content = b"# Traversal\n\nThe Bilby protocol is an ordinary test document.\n"
    with RawSession(app.url) as session:
        assert session.sign_in().status_code == 303  # only an administrator may post to the upload route
        response = session.upload([(name, content) for name in TRAVERSAL_NAMES])
        assert response.status_code == 200, response.text
        stored = [Path(p) for p in response.json()]
        assert len(stored) == len(TRAVERSAL_NAMES)
        temp = app.gradio_tmp.resolve()
        for path in stored:
            assert path.resolve().parent.parent == temp, path  # <temp>/<content hash>/<name>
            assert path.is_file() and path.read_bytes() == content
            assert "/" not in path.name and "\\" not in path.name
        escaped = [
            p
            for p in _files_named("trvx", [Path("/tmp"), Path("/etc/cron.d"), ROOT, app.root.parent], [app.root])
            if temp not in p.resolve().parents
        ]
        assert escaped == [], escaped

        # The bare ".." name is refused outright.
        refused = session.upload([("..", content)])
        assert refused.status_code == 400 and "Traceback" not in refused.text

        # The upload handler is given each stored file in turn.
        uploads = app.data_dir / "uploads"
        before = set(uploads.iterdir()) if uploads.exists() else set()
        outcomes = {}
        for original, path in zip(TRAVERSAL_NAMES, stored, strict=True):
            result = session.call("upload", [[file_data(str(path), original)]])
            outcomes[original] = (path.name, result.get("success"), output_text(result))
        after = set(uploads.iterdir()) if uploads.exists() else set()
    for original, (name, success, text) in outcomes.items():
        if ".." in name or name.startswith((".", "-", "~")):
            # still a dangerous-looking name: refused, by Gradio (dotfiles) or by the handler's own check
            assert success is False or "Nothing was indexed" in text, (original, name, text)
            assert not (uploads / name).exists()
        else:
            # Gradio reduced the name to its last part: stored (if at all) inside the upload folder only
            assert name.startswith("trvx-") and ".." not in name, (original, name)
    for path in after - before:
        assert path.resolve().parent == uploads.resolve(), path
        assert path.name in {"trvx-1.md", "trvx-2.md", "trvx-3.md"}, path
    assert "Traceback" not in "".join(text for _, _, text in outcomes.values())


# -- error responses --------------------------------------------------------------------------


def _request(method: str, url: str, body: bytes | None = None) -> httpx.Response:
    headers = {"content-type": "application/json"} if body is not None else {}
    with httpx.Client(timeout=30) as client:  # a fresh connection: the server may close one after a 500
        return client.request(method, url, content=body, headers=headers)


def test_error_responses_show_no_traceback_and_the_data_folder_is_not_served(app: RunningApp) -> None:
    base = app.base
    data = app.data_dir.resolve()
    assert (data / "catalog.sqlite3").is_file()
    requests: list[tuple[str, str, bytes | None, tuple[int, ...]]] = [
        ("GET", "/no/such/page", None, (404,)),
        ("GET", "/gradio_api/no-such-route", None, (404,)),
        ("POST", "/gradio_api/queue/join", b'{"data": [garbage', (400, 422)),
        ("POST", "/gradio_api/queue/join", b'{"fn_index": "x", "data": 5}', (400, 422)),
        (
            "POST",
            "/gradio_api/queue/join",
            b'{"fn_index": 9999, "data": [], "session_hash": "abc"}',
            (400, 404, 422, 500),
        ),
        ("POST", "/gradio_api/run/predict", b"{garbage", (400, 404, 422)),
        ("POST", "/gradio_api/call/ask", b"{garbage", (400, 422)),
        ("POST", "/gradio_api/call/ask", b'{"data": 7}', (400, 422)),
        ("POST", "/gradio_api/upload", b"not multipart", (403,)),  # only administrators may upload
        ("GET", "/gradio_api/queue/data", None, (400, 404, 422)),
    ]
    for name in ("catalog.sqlite3", "feedback.sqlite3", "audit/.key", "logs/web.log", "chroma/chroma.sqlite3"):
        requests.append(("GET", f"/gradio_api/file={data / name}", None, (403, 404)))
    requests += [
        ("GET", f"/file={data / 'catalog.sqlite3'}", None, (403, 404)),
        ("GET", f"/gradio_api/file={app.gradio_tmp}/../data/catalog.sqlite3", None, (403, 404)),
        ("GET", f"/gradio_api/file={app.gradio_tmp}/%2e%2e/data/catalog.sqlite3", None, (403, 404)),
        ("GET", f"/gradio_api/file={ROOT / 'app.py'}", None, (403, 404)),
        ("GET", "/gradio_api/file=../../../etc/passwd", None, (403, 404)),
        ("GET", "/gradio_api/file=/etc/passwd", None, (403, 404)),
    ]
    for method, path, body, expected in requests:
        response = _request(method, base + path, body)
        text = response.text
        label = f"{method} {path} -> {response.status_code}: {text[:200]}"
        assert response.status_code in expected, label
        assert "Traceback" not in text and 'File "' not in text, label
        assert "site-packages" not in text and str(ROOT / "assistant") not in text, label
        if str(ROOT) not in path:
            assert str(ROOT) not in text, label
        assert b"SQLite format 3" not in response.content and "root:x:0:0" not in text, label

    # A well-formed call with the wrong arguments: a short error event, no traceback.
    queued = _request("POST", base + "/gradio_api/call/ask", b'{"data": [1, 2, 3, 4]}')
    if queued.status_code == 200:
        event = queued.json()["event_id"]
        with httpx.Client(timeout=60) as client:
            result = client.get(f"{base}/gradio_api/call/ask/{event}").text
        assert "event: error" in result and "Traceback" not in result and "site-packages" not in result, result
    else:
        assert queued.status_code in (400, 422) and "Traceback" not in queued.text
    # and the server keeps answering
    from gradio_client import Client

    client = Client(app.url, verbose=False)
    try:
        assert client.predict("What is the MASH?", api_name="/ask")["answer"]
    finally:
        client.close()


# -- a bug found while writing these tests ------------------------------------------------------


def test_a_duplicate_upload_refused_as_not_indexed_is_not_kept(app: RunningApp) -> None:
    content = b"# Potoroo protocol\n\nThe Potoroo protocol requires a review within 9 working days.\n"
    with RawSession(app.url) as session:
        assert session.sign_in().status_code == 303
        first, second = (session.upload([(name, content)]).json()[0] for name in ("potoroo-a.md", "potoroo-b.md"))
        added = session.call("upload", [[file_data(first)]])
        assert "Indexed potoroo-a.md" in output_text(added)
        duplicate = session.call("upload", [[file_data(second)]])
        assert "same content as potoroo-a.md" in output_text(duplicate)  # shown under "Not indexed"
        doc_id = next(value for label, value in added["output"]["data"][2]["choices"] if "potoroo-a.md" in label)
        removed = session.call("remove", [[doc_id]])
        assert "Removed 1 document" in output_text(removed)
        reindexed = session.call("reindex", [])
        assert "potoroo" not in output_text(reindexed).lower(), "removed content came back at the re-index"
        assert not (app.data_dir / "uploads" / "potoroo-b.md").exists(), "a file reported as not indexed was kept"


def test_the_app_log_holds_no_question_payloads_and_the_app_is_alive(app: RunningApp) -> None:
    time.sleep(0.2)
    assert app.alive()
    log = app.log_text()
    for marker in ("__xss=7", "__xss=8", "__xss=9", "__xss=10", "ontoggle", "formaction", "document.domain"):
        assert marker not in log, marker


def test_one_hostile_question_does_not_hold_up_another_user(app: RunningApp) -> None:
    """A question shaped to make regular expressions backtrack is answered (or refused) quickly,
    and another user's question, asked meanwhile, is answered as usual."""
    from concurrent.futures import ThreadPoolExecutor

    hostile = [
        "What is " + "a" * 1990 + "!",
        "What does " + "the " * 495 + "mean?",
        "|" + " " * 1990 + "x",
        "eleven " * 285 + "days?",
    ]

    def ask_api(question: str, history: list[dict[str, str]] | None = None) -> tuple[float, int]:
        started = time.monotonic()
        with httpx.Client(timeout=120) as client:
            response = client.post(app.base + "/api/v1/ask", json={"question": question, "history": history or []})
        return time.monotonic() - started, response.status_code

    ask_api("warm up: what is the MASH?")
    with ThreadPoolExecutor(max_workers=2) as pool:
        for question in hostile:
            slow = pool.submit(ask_api, question, [{"question": question[:2000], "answer": "x" * 8000}])
            time.sleep(0.05)
            other = pool.submit(ask_api, "When must an initial child protection conference be held?")
            other_seconds, other_status = other.result()
            slow_seconds, slow_status = slow.result()
            assert other_status == 200 and other_seconds < 5, (question[:20], other_seconds)
            assert slow_status in (200, 422) and slow_seconds < 5, (question[:20], slow_seconds)
