"""The web server: a FastAPI app with the sign-in page, one-time downloads and the Gradio chat.

``python app.py`` (or :func:`serve`) runs it with uvicorn. Layout of the routes:

- ``/login`` (GET, POST) and ``/logout`` (POST): the sign-in page shared by the site
  sign-in (``ASSISTANT_REQUIRE_LOGIN``) and the administrator sign-in; throttled per
  client address and per account (:class:`~assistant.services.auth.Throttle`).
- ``/download/{token}``: a briefing, once, for the session that made it.
- ``/healthz``: ``{"status": "ready" | "starting"}`` for load balancers, no sign-in.
- everything else: the Gradio app (chat, briefing, register, documents, the ``/ask`` API).

Middleware (:mod:`assistant.web.security`) wraps it all. CORS is allowed only for the
origins in ``ASSISTANT_ALLOWED_ORIGINS``; Gradio's own permissive localhost rule is off.
"""

from __future__ import annotations

import asyncio
import functools
import html
import logging
import math
import threading
from collections import OrderedDict
from typing import Any
from urllib.parse import quote

import gradio as gr
from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.middleware.cors import CORSMiddleware

from assistant.config import Settings
from assistant.engine import Assistant
from assistant.logs import configure_logging
from assistant.services.auth import Session
from assistant.web import render
from assistant.web.app import build_app, theme
from assistant.web.handlers import WebContext
from assistant.web.security import SecurityHeaders, SessionGate, cookie_header
from assistant.wording import NOTICE

__all__ = ["create_app", "serve"]

log = logging.getLogger(__name__)

_LOGIN_CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)
_FAILED = "The user name or password is not correct."
_MAX_FIELD = 200


def _safe_next(value: str | None) -> str:
    """A local path to return to after signing in (never another site)."""
    value = value or "/"
    if not value.startswith("/") or value.startswith("//") or "\\" in value or len(value) > 500:
        return "/"
    return value


def _login_page(
    *, admin: bool, next_path: str, message: str = "", status: int = 200, login_required: bool, user: str = ""
) -> Response:
    heading = "Administrator sign-in" if admin else "Sign in"
    purpose = (
        "Sign in as an administrator to add, re-index or remove documents."
        if admin
        else "Sign in to use the safeguarding guidance assistant."
    )
    alert = f'<p class="error" role="alert">{html.escape(message)}</p>' if message else ""
    back = "" if login_required and not admin else '<p><a href="/">Back to the assistant</a></p>'
    page = f"""<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{heading} - Safeguarding guidance assistant</title>
<style>body{{font-family:system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;max-width:28rem;margin:3rem auto;
padding:0 1rem;color:#111827}}label{{display:block;margin:.8rem 0 .2rem;font-weight:600}}
input{{width:100%;padding:.5rem;font-size:1rem;border:1px solid #4b5563;border-radius:4px;box-sizing:border-box}}
button{{margin-top:1rem;padding:.55rem 1.2rem;font-size:1rem;background:#1d4ed8;color:#fff;border:0;border-radius:4px}}
button:focus-visible,input:focus-visible,a:focus-visible{{outline:3px solid #f59e0b;outline-offset:2px}}
.error{{border-left:6px solid #b91c1c;background:#fef2f2;color:#7f1d1d;padding:.5rem .8rem}}
.notice{{border-left:6px solid #92400e;background:#fffbeb;padding:.5rem .8rem;font-size:.9rem}}</style></head>
<body><main><h1>{heading}</h1><p>{purpose}</p>{alert}
<form method="post" action="/login"><input type="hidden" name="next" value="{html.escape(next_path)}">
<input type="hidden" name="admin" value="{"1" if admin else ""}">
<label for="user">User name</label>
<input id="user" name="user" autocomplete="username" required maxlength="{_MAX_FIELD}" value="{html.escape(user)}">
<label for="password">Password</label>
<input id="password" name="password" type="password" autocomplete="current-password" required maxlength="{_MAX_FIELD}">
<button type="submit">Sign in</button></form>{back}
<p class="notice" role="note">{html.escape(NOTICE)}</p></main></body></html>"""
    headers = {"content-security-policy": _LOGIN_CSP, "cache-control": "no-store"}
    return HTMLResponse(page, status_code=status, headers=headers)


class _AccountLocks:
    """One asyncio lock per account name, so guesses on an account are checked one at a time."""

    def __init__(self, limit: int = 5000) -> None:
        self.limit = limit
        self._locks: OrderedDict[str, asyncio.Lock] = OrderedDict()

    def get(self, account: str) -> asyncio.Lock:
        key = account.casefold()
        lock = self._locks.pop(key, None) or asyncio.Lock()
        self._locks[key] = lock
        while len(self._locks) > self.limit:
            self._locks.popitem(last=False)
        return lock


def _session(request: Request) -> Session | None:
    session = getattr(request.state, "session", None)
    return session if isinstance(session, Session) else None


def create_app(settings: Settings, *, assistant: Assistant | None = None) -> FastAPI:
    """The whole web app (nothing is loaded or started yet; :func:`serve` starts preparing the index)."""
    ctx = WebContext.create(settings, assistant)
    demo = build_app(ctx)
    app = FastAPI(title="Safeguarding guidance assistant", docs_url=None, redoc_url=None, openapi_url=None)
    app.state.context = ctx
    locks = _AccountLocks()

    @app.get("/healthz", include_in_schema=False)
    def healthz() -> dict[str, str]:
        return {"status": "ready" if ctx.startup.ready.is_set() else "starting"}

    @app.get("/login", include_in_schema=False)
    def login_form(request: Request) -> Response:
        admin = request.query_params.get("admin") == "1"
        if not settings.require_login and not ctx.admin_enabled:
            return RedirectResponse("/", status_code=303)
        return _login_page(
            admin=admin, next_path=_safe_next(request.query_params.get("next")), login_required=settings.require_login
        )

    @app.post("/login", include_in_schema=False)
    async def login(request: Request) -> Response:
        form = await request.form()
        user = str(form.get("user") or "")[:_MAX_FIELD]
        password = str(form.get("password") or "")[:_MAX_FIELD]
        admin = str(form.get("admin") or "") == "1" or not settings.require_login
        next_path = _safe_next(str(form.get("next") or "/"))
        address = getattr(request.state, "address", "unknown")
        page = functools.partial(
            _login_page, admin=admin, next_path=next_path, login_required=settings.require_login, user=user
        )
        wait = ctx.throttle.wait_for(address)
        if wait > 0:
            log.warning("sign-in refused: too many failed attempts from one address")
            message = f"Too many failed attempts from your network. Try again in {math.ceil(wait)} seconds."
            return page(message=message, status=429)
        lock = locks.get(user)
        if lock.locked() and len(getattr(lock, "_waiters", None) or ()) >= 3:
            return page(message="Too many sign-in attempts at once; try again shortly.", status=429)
        async with lock:
            delay = ctx.throttle.delay_for(user)
            if delay:
                await asyncio.sleep(delay)
            account = ctx.accounts.check(user, password, admin_only=admin)
        if account is None:
            ctx.throttle.failed(user, address)
            log.warning("failed %s sign-in", "administrator" if admin else "site")
            return page(message=_FAILED, status=401)
        ctx.throttle.succeeded(address)
        fresh = ctx.sessions.sign_in(_session(request), account.name, admin=account.admin)
        log.info("%s signed in", "administrator" if account.admin else "user")
        response = RedirectResponse(next_path, status_code=303)
        name, value = cookie_header(ctx.sessions.cookie_value(fresh), secure=request.url.scheme == "https")
        response.raw_headers.append((name, value))
        return response

    @app.get("/logout", include_in_schema=False)
    def logout_form() -> Response:
        page = (
            '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Sign out</title></head><body><main>'
            '<form method="post" action="/logout"><button type="submit">Sign out</button></form></main></body></html>'
        )
        return HTMLResponse(page, headers={"content-security-policy": _LOGIN_CSP})

    @app.post("/logout", include_in_schema=False)
    def logout(request: Request) -> Response:
        session = _session(request)
        if session is not None:
            ctx.sessions.forget(session)
        response = RedirectResponse("/login" if settings.require_login else "/", status_code=303)
        response.raw_headers.append(cookie_header("", secure=request.url.scheme == "https", clear=True))
        return response

    @app.get("/download/{token}", include_in_schema=False)
    def download(token: str, request: Request) -> Response:
        session = _session(request)
        owner = session.handle if session is not None else f"anon:{getattr(request.state, 'address', '')}"
        item = ctx.downloads.take(token[:100], owner)
        if item is None:
            return JSONResponse(
                {"detail": "this download link has been used or has expired; make the briefing again"}, 404
            )
        disposition = f"attachment; filename=\"{item.file_name}\"; filename*=UTF-8''{quote(item.file_name)}"
        return Response(
            item.content,
            media_type=item.media_type,
            headers={"content-disposition": disposition, "cache-control": "no-store"},
        )

    def gradio_user(request: Any) -> str | None:
        """Who Gradio's handlers see as ``request.username``: the session's public handle."""
        session = _session(request)
        if session is not None and (session.signed_in or not settings.require_login):
            return session.handle
        if settings.require_login:
            return None
        return f"anon:{getattr(request.state, 'address', '')}"

    app.add_middleware(
        CORSMiddleware,
        allow_origins=list(settings.origins),
        allow_credentials=bool(settings.origins),
        allow_methods=["GET", "POST"],
        allow_headers=["content-type", "authorization"],
    )
    gr.mount_gradio_app(
        app,
        demo,
        path="/",
        auth_dependency=gradio_user,
        show_error=False,
        max_file_size=settings.max_file_bytes,
        blocked_paths=[str(settings.data_dir.resolve())],
        allowed_paths=[],
        footer_links=["api"],
        run_history=False,  # Gradio would otherwise keep every question (identifiers too) in the browser
        ssr_mode=False,
        pwa=False,
        mcp_server=False,
        enable_monitoring=False,
        theme=theme(),
        css=render.CSS,
        app_kwargs={"docs_url": None, "redoc_url": None, "openapi_url": None},
    )
    demo.config["version"] = gr.__version__.split(".")[0]  # the major version only (clients need it)
    app.add_middleware(SessionGate, ctx=ctx)
    app.add_middleware(SecurityHeaders)
    return app


def serve(settings: Settings, *, host: str, port: int) -> None:
    """Start preparing the index (in the background, with progress on the page) and serve the app."""
    import uvicorn

    configure_logging(settings, file_name="web.log")
    app = create_app(settings)
    ctx: WebContext = app.state.context
    ctx.uploads.sweep_part_files()
    ctx.startup.start()
    log.info("serving the assistant on http://%s:%d (data folder %s)", host, port, settings.data_dir)
    config = uvicorn.Config(
        app,
        host=host,
        port=port,
        server_header=False,
        date_header=True,
        log_config=None,
        access_log=False,  # URLs can hold Gradio session hashes; requests are not logged
        timeout_graceful_shutdown=5,
    )
    server = uvicorn.Server(config)
    threading.current_thread().name = "web"
    server.run()
