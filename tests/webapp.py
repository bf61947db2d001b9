"""Shared helpers for the tests that run the real web app: ``python app.py`` in a subprocess.

Used by the security, privacy and load tests. Everything is real: the app builds its
index from the corpus folder it is given, answers with the real model, and headless
Chromium (Debian's, never a downloaded one) drives the page. :class:`RawSession` speaks
Gradio's queue protocol over plain HTTP, the way the page's own JavaScript does, so a
test can call the page's private event handlers (sign in, upload, re-index) directly.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"
SEED = CORPUS / "havering-lscb-annual-report-2014-15.txt"
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
ANSWER_KEYS = frozenset(
    {"id", "question", "answer", "abstained", "citations", "related", "warnings", "notice", "mode", "conditions"}
)
"""The answer JSON's keys: ``assistant ask --json``, the HTTP API and its client all give exactly these."""
ADMIN = ("admin", "correct horse battery staple")
READY_TIMEOUT_MS = 240_000
ANSWER_TIMEOUT_MS = 90_000
OFFLINE_ENV = {
    "HF_HUB_OFFLINE": "1",
    "TRANSFORMERS_OFFLINE": "1",
    "ANONYMIZED_TELEMETRY": "False",
    "GRADIO_ANALYTICS_ENABLED": "False",
    "PYTHONUNBUFFERED": "1",
}
for _name, _value in OFFLINE_ENV.items():
    os.environ.setdefault(_name, _value)


# -- the app in a subprocess -------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def base_env() -> dict[str, str]:
    """The test process's environment without any ASSISTANT_* setting, offline."""
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("ASSISTANT_", "GRADIO_")) or name == "ASSISTANT_MODEL_CACHE_DIR"
    }
    env.update(OFFLINE_ENV)
    return env


@dataclass
class RunningApp:
    url: str
    port: int
    root: Path
    data_dir: Path
    corpus_dir: Path
    gradio_tmp: Path
    log: Path
    process: subprocess.Popen[bytes]
    env: dict[str, str] = field(default_factory=dict)

    @property
    def base(self) -> str:
        return self.url.rstrip("/")

    def log_text(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")

    def alive(self) -> bool:
        return self.process.poll() is None


def wait_http(url: str, process: subprocess.Popen[bytes], timeout: float = 180.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the app exited early with code {process.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise TimeoutError(f"{url} did not answer within {timeout:.0f} s")


def stop(process: subprocess.Popen[bytes]) -> None:
    """Stop the app started here (only this process, by its handle)."""
    if process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)


@contextmanager
def run_app(
    root: Path,
    *,
    corpus_files: Sequence[Path] | None = None,
    data_dir: Path | None = None,
    corpus_dir: Path | None = None,
    env: Mapping[str, str] | None = None,
    admin: bool = True,
    log_name: str = "app.log",
) -> Iterator[RunningApp]:
    """``python app.py`` on a free port; the corpus folder gets a copy of ``corpus_files`` (default: the seed)."""
    root.mkdir(parents=True, exist_ok=True)
    if corpus_dir is None:
        corpus_dir = root / "corpus"
        corpus_dir.mkdir(exist_ok=True)
        for path in corpus_files if corpus_files is not None else [SEED]:
            shutil.copy(path, corpus_dir / path.name)
    data_dir = data_dir or root / "data"
    gradio_tmp = root / "gradio-tmp"
    port = free_port()
    app_env = base_env()
    app_env.update(
        {
            "ASSISTANT_DATA_DIR": str(data_dir),
            "ASSISTANT_CORPUS_DIR": str(corpus_dir),
            "GRADIO_SERVER_NAME": "127.0.0.1",
            "GRADIO_SERVER_PORT": str(port),
            "GRADIO_TEMP_DIR": str(gradio_tmp),
        }
    )
    if admin:
        app_env.update({"ASSISTANT_ADMIN_USER": ADMIN[0], "ASSISTANT_ADMIN_PASSWORD": ADMIN[1]})
    app_env.update(env or {})
    log_path = root / log_name
    with log_path.open("wb") as log_file:
        process = subprocess.Popen(
            [sys.executable, str(ROOT / "app.py")], cwd=root, env=app_env, stdout=log_file, stderr=subprocess.STDOUT
        )
        url = f"http://127.0.0.1:{port}/"
        try:
            wait_http(url, process)
            yield RunningApp(url, port, root, data_dir, corpus_dir, gradio_tmp, log_path, process, app_env)
        finally:
            stop(process)


def wait_ready(app: RunningApp, timeout: float = 300.0) -> None:
    """Block until the index is built and the model loaded (the /ask API waits for that)."""
    from gradio_client import Client

    client = Client(app.url, verbose=False)
    try:
        result = client.predict("What is the MASH?", api_name="/ask")
        assert isinstance(result, dict) and result.get("answer"), result
    finally:
        client.close()


# -- Gradio's queue protocol over plain HTTP ----------------------------------------------------


class RawSession:
    """One browser-like session (one session hash) calling the page's event handlers by name."""

    def __init__(self, url: str, session_hash: str | None = None) -> None:
        import httpx

        self.base = url.rstrip("/")
        self.api = self.base + "/gradio_api"
        self.session_hash = session_hash or secrets.token_hex(6)
        self.http = httpx.Client(timeout=120)
        self.config = self.http.get(self.base + "/config").json()
        self.dependencies = {d["api_name"]: d for d in self.config["dependencies"] if d.get("api_name")}

    def close(self) -> None:
        self.http.close()

    def __enter__(self) -> RawSession:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def call(self, name: str, data: list[Any]) -> dict[str, Any]:
        """Run the handler ``name`` (its api_name, e.g. "upload") and return Gradio's final message."""
        dependency = self.dependencies[name]
        trigger = dependency["targets"][0][0] if dependency.get("targets") else None
        body = {
            "data": data,
            "event_data": None,
            "fn_index": dependency["id"],
            "trigger_id": trigger,
            "session_hash": self.session_hash,
        }
        joined = self.http.post(self.api + "/queue/join", json=body)
        if joined.status_code != 200:
            return {"msg": "refused", "status": joined.status_code, "output": {"error": joined.text}}
        with self.http.stream("GET", self.api + "/queue/data", params={"session_hash": self.session_hash}) as stream:
            for line in stream.iter_lines():
                if not line.startswith("data:"):
                    continue
                message = json.loads(line[5:])
                if message.get("msg") == "process_completed":
                    return dict(message)
        raise AssertionError(f"no process_completed message for {name}")

    def upload(self, files: Sequence[tuple[str, bytes]]) -> Any:
        """POST files to Gradio's upload route (multipart, field "files") with the given file names."""
        parts = [("files", (name, content, "application/octet-stream")) for name, content in files]
        return self.http.post(self.api + "/upload", files=parts)

    def sign_in(self, user: str = ADMIN[0], password: str = ADMIN[1], *, admin: bool = True) -> Any:
        """Post the sign-in form (as a browser would); on success this client holds the new session cookie."""
        form = {"user": user, "password": password, "admin": "1" if admin else "", "next": "/"}
        response = self.http.post(
            self.base + "/login", data=form, headers={"origin": self.base}, follow_redirects=False
        )
        if response.status_code == 303:
            self.session_hash = secrets.token_hex(6)  # the page reloads after signing in: a new Gradio session
        return response


def output_text(message: Mapping[str, Any]) -> str:
    """Everything a handler returned (or its error), as one string to search."""
    return json.dumps(message.get("output"), ensure_ascii=False)


def file_data(path: str, orig_name: str | None = None) -> dict[str, Any]:
    return {"path": path, "orig_name": orig_name or Path(path).name, "meta": {"_type": "gradio.FileData"}}


# -- the browser ---------------------------------------------------------------------------------


@contextmanager
def chromium() -> Iterator[Any]:
    import pytest

    if not CHROMIUM.exists():
        pytest.skip("Debian's chromium is not installed (/usr/bin/chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        try:
            yield browser
        finally:
            browser.close()


def open_page(browser: Any, url: str, *, width: int = 1280, height: int = 900) -> Any:
    """A new session on the app, waited until ready; records requests, outside requests and dialogs."""
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    page.requests = []
    page.outside_requests = []
    page.dialogs = []
    page.posted = []

    def on_request(request: Any) -> None:
        page.requests.append(request.url)
        if not request.url.startswith(("http://127.0.0.1", "data:", "blob:", "about:")):
            page.outside_requests.append(request.url)
        if request.method == "POST":
            page.posted.append(request.post_data or "")

    def on_dialog(dialog: Any) -> None:
        page.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    page.on("request", on_request)
    page.on("dialog", on_dialog)
    page.goto(url)
    page.wait_for_function(
        "() => (document.querySelector('#sa-status') || {innerText: ''}).innerText.includes('Ready')",
        timeout=READY_TIMEOUT_MS,
    )
    return page


def ask(page: Any, question: str) -> Any:
    """Type a question, press Enter, wait for the finished answer; returns the last answer's locator."""
    before = page.locator("#sa-chat .sa-answer .sa-footnote, #sa-chat .sa-error").count()
    box = page.locator("#sa-question textarea")
    box.fill(question)
    box.press("Enter")
    page.wait_for_function(
        f"() => document.querySelectorAll('#sa-chat .sa-answer .sa-footnote, #sa-chat .sa-error').length > {before}",
        timeout=ANSWER_TIMEOUT_MS,
    )
    return page.locator("#sa-chat .sa-answer").last


def open_documents_tab(page: Any) -> None:
    page.get_by_role("tab", name="Documents").click()
    page.locator("#sa-documents").wait_for(state="visible")


def sign_in(page: Any, user: str, password: str, expect: str) -> str:
    """Sign in as administrator from the Documents tab's link; returns the page's message
    (the sign-in page's error, or the Documents tab's "Signed in as administrator.")."""
    open_documents_tab(page)
    page.locator("#sa-signin-link").click()
    page.wait_for_url("**/login**")
    page.locator("#user").fill(user)
    page.locator("#password").fill(password)
    page.locator("button[type=submit]").click()
    page.wait_for_load_state()
    if "/login" in page.url:
        return str(page.locator(".error").inner_text())
    page.wait_for_function(
        "() => (document.querySelector('#sa-status') || {innerText: ''}).innerText.includes('Ready')",
        timeout=READY_TIMEOUT_MS,
    )
    page.wait_for_function(
        "(expect) => (document.querySelector('#sa-signin') || {innerText: ''}).innerText.includes(expect)",
        arg=expect,
        timeout=30_000,
    )
    return str(page.locator("#sa-signin").inner_text())


def wait_api_ready(app: RunningApp, timeout: float = 600.0) -> dict[str, Any]:
    """Poll /api/v1/health (no token needed) until the index is built and the model loaded."""
    deadline = time.monotonic() + timeout
    with httpx.Client(base_url=app.base, timeout=30) as client:
        while time.monotonic() < deadline:
            health = client.get("/api/v1/health")
            assert health.status_code == 200, health.text
            if health.json()["status"] == "ready":
                return dict(health.json())
            time.sleep(1)
    raise TimeoutError("the assistant did not become ready")
