"""The web server: a FastAPI app with the sign-in page, one-time downloads and the Gradio chat.

``python app.py`` (or :func:`serve`) runs it with uvicorn. Layout of the routes:

- ``/login`` (GET, POST) and ``/logout`` (POST): the sign-in page shared by the site
  sign-in (``ASSISTANT_REQUIRE_LOGIN``) and the administrator sign-in; throttled per
  client address and per account (:class:`~assistant.services.auth.Throttle`).
- ``/download/{token}``: a briefing, once, for the session that made it.
- ``/healthz``: ``{"status": "ready" | "starting"}`` for load balancers, no sign-in.
- ``/api/v1/...``: the HTTP API (:mod:`assistant.web.api`: ask, documents, thresholds,
  briefings, health; its schema at ``/api/v1/openapi.json`` and a self-contained page at
  ``/api/v1/docs``), plain functions in the server's thread pool, outside Gradio's queue.
- everything else: the Gradio app (chat, briefing, register, documents, the ``/ask`` API).

Middleware (:mod:`assistant.web.security`) wraps it all; :class:`~assistant.web.api.ApiGate`
authenticates the HTTP API's requests. CORS is allowed only for the origins in
``ASSISTANT_ALLOWED_ORIGINS``; Gradio's own permissive localhost rule is off.
"""

from __future__ import annotations

import asyncio
import functools
import html
import logging
import math
import threading
from collections import OrderedDict
from typing import Annotated, Any
from urllib.parse import quote

import gradio as gr
from fastapi import APIRouter, Depends, FastAPI, Query, Request, Security
from fastapi.exception_handlers import http_exception_handler, request_validation_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.routing import APIRoute
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.cors import CORSMiddleware

from assistant.config import Settings
from assistant.engine import Assistant
from assistant.logs import configure_logging
from assistant.rules import MAX_SEARCH_CHARS
from assistant.services.auth import Session
from assistant.web import render
from assistant.web.api import (
    API_PREFIX,
    API_VERSION,
    DOCS_CSP,
    DOCS_PATH,
    SCHEMA_PATH,
    AnswerOut,
    ApiGate,
    ApiProblem,
    AskRequest,
    BriefingOut,
    BriefingRequest,
    DocumentOut,
    HealthOut,
    HttpApi,
    Problem,
    RegisterEntryOut,
    docs_page,
    finish_schema,
    is_api_path,
    validation_problem,
)
from assistant.web.app import HEAD, build_app, theme
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


_API_DESCRIPTION = (
    "Questions answered in the indexed documents' own words, every sentence cited to a verbatim passage; "
    "the documents, the thresholds & timescales register and 7-minute briefings. Authentication: "
    "'Authorization: Bearer <token>' with one of the tokens in ASSISTANT_API_TOKENS; with none configured, "
    "only requests from the machine the assistant runs on are answered. /api/v1/health needs no token. "
    "Request bodies are JSON of at most 64 KB. Errors are RFC 9457 problem details (application/problem+json). "
    "Leave identifying details out of questions: the answer warns when it finds them; they are never logged "
    "or sent to a language model."
)
_PROBLEMS = {
    400: "The body is not valid JSON.",
    401: "No token, or a wrong one (WWW-Authenticate: Bearer).",
    403: "No tokens are configured and the request does not come from this machine.",
    413: "The body is larger than 64 KB.",
    415: "The body is not JSON (send Content-Type: application/json).",
    422: "A field is missing or not valid (each is named), or the engine refused the text (e.g. too long).",
    500: "An unexpected failure (details in the server log only).",
    503: "The assistant is starting or busy (see Retry-After), or nothing is indexed.",
}


def _problems(*codes: int) -> dict[int | str, dict[str, Any]]:
    """The error responses of an endpoint, for the schema (``application/problem+json`` once finished)."""
    return {code: {"model": Problem, "description": _PROBLEMS[code]} for code in codes}


def _problem_response(problem: ApiProblem) -> Response:
    return Response(
        problem.encoded(), status_code=problem.status, media_type="application/problem+json", headers=problem.headers
    )


_BEARER = HTTPBearer(
    auto_error=False,
    scheme_name="token",
    description="A token from ASSISTANT_API_TOKENS, as 'Authorization: Bearer <token>'. With no tokens "
    "configured, only requests from the machine the assistant runs on are answered.",
)


def _api_caller(request: Request, _: Annotated[HTTPAuthorizationCredentials | None, Security(_BEARER)]) -> str:
    """The audit user :class:`~assistant.web.api.ApiGate` established (it has refused every other request)."""
    user = getattr(request.state, "api_user", None)
    if not isinstance(user, str):
        raise ApiProblem(401, "send 'Authorization: Bearer <token>'", headers={"www-authenticate": "Bearer"})
    return user


def _api_router(app: FastAPI, api: HttpApi) -> APIRouter:
    """The HTTP API's routes (the work is done by :class:`~assistant.web.api.HttpApi`)."""
    errors = (401, 403, 500, 503)
    router = APIRouter(prefix=API_PREFIX, tags=["HTTP API"])

    @router.post(
        "/ask",
        response_model=AnswerOut,
        summary="Answer a question from the documents",
        description="The answer JSON is the same as `assistant ask --json`. Send the conversation so far in "
        "`history` so that follow-ups are understood.",
        responses=_problems(400, 413, 415, 422, *errors),
    )
    def ask(body: AskRequest, user: Annotated[str, Depends(_api_caller)]) -> Response:
        return JSONResponse(api.ask(body, user))

    @router.get(
        "/documents",
        response_model=list[DocumentOut],
        summary="The indexed documents",
        responses=_problems(*errors),
        dependencies=[Depends(_api_caller)],
    )
    def documents() -> Response:
        return JSONResponse(api.documents())

    @router.get(
        "/thresholds",
        response_model=list[RegisterEntryOut],
        summary="The thresholds & timescales register",
        description="Every threshold, timescale, target, eligibility rule and definition the documents state, "
        "or those about `search`, best first (as `assistant thresholds --json`).",
        responses=_problems(422, *errors),
        dependencies=[Depends(_api_caller)],
    )
    def thresholds(
        search: Annotated[str, Query(max_length=MAX_SEARCH_CHARS, description="Words to look for.")] = "",
    ) -> Response:
        return Response(api.thresholds(search), media_type="application/json")

    binary = {"schema": {"type": "string", "format": "binary"}}
    text = {"schema": {"type": "string"}}

    @router.post(
        "/briefings",
        response_model=BriefingOut,
        summary="Make a 7-minute briefing on a topic",
        description="Every statement is a verbatim, cited sentence. JSON is returned inline; md, html, docx and "
        "pdf as attachments (Content-Disposition names the file). A topic with identifying details is refused "
        "(422): it would become the title and the file name.",
        responses={
            200: {
                "description": "The briefing in the format asked for.",
                "content": {
                    "text/markdown": text,
                    "text/html": text,
                    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": binary,
                    "application/pdf": binary,
                },
            },
            **_problems(400, 413, 415, 422, *errors),
        },
    )
    def briefings(body: BriefingRequest, _: Annotated[str, Depends(_api_caller)]) -> Response:
        made = api.briefing(body)
        return Response(made.content, media_type=made.media_type, headers={"content-disposition": made.disposition})

    @router.get(
        "/health",
        response_model=HealthOut,
        summary="Is the assistant ready? (no token needed)",
        description="For load balancers and monitoring: ready or starting, and how much is indexed; nothing else.",
        responses=_problems(500),
    )
    def health() -> Response:
        return JSONResponse(api.health())

    @router.get("/docs", include_in_schema=False)
    def docs() -> Response:
        return HTMLResponse(docs_page(app.openapi()), headers={"content-security-policy": DOCS_CSP})

    @router.api_route(
        "/{rest:path}", methods=["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"], include_in_schema=False
    )
    def unknown(request: Request) -> Response:
        path = request.scope.get("path", "")
        allowed = sorted(
            {m for r in router.routes if isinstance(r, APIRoute) and r.path == path for m in r.methods or ()} - {"HEAD"}
        )
        if allowed:
            raise ApiProblem(405, f"use {' or '.join(allowed)}", headers={"allow": ", ".join(allowed)})
        raise ApiProblem(404, f"there is no such endpoint; the endpoints are listed at {DOCS_PATH}")

    return router


def _add_api(app: FastAPI, api: HttpApi) -> None:
    """The HTTP API's routes, its problem details and its schema (``application/problem+json`` errors)."""

    async def problem(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, ApiProblem)
        return _problem_response(exc)

    async def invalid(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, RequestValidationError)
        if not is_api_path(request.scope.get("path", "")):
            return await request_validation_exception_handler(request, exc)
        return _problem_response(validation_problem(exc.errors()))

    async def http_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, StarletteHTTPException)
        if not is_api_path(request.scope.get("path", "")):
            return await http_exception_handler(request, exc)
        detail = exc.detail if isinstance(exc.detail, str) else "the request cannot be handled"
        return _problem_response(ApiProblem(exc.status_code, detail, headers=exc.headers))

    app.add_exception_handler(ApiProblem, problem)
    app.add_exception_handler(RequestValidationError, invalid)
    app.add_exception_handler(StarletteHTTPException, http_error)
    app.include_router(_api_router(app, api))

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = finish_schema(FastAPI.openapi(app))
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]


def create_app(settings: Settings, *, assistant: Assistant | None = None) -> FastAPI:
    """The whole web app (nothing is loaded or started yet; :func:`serve` starts preparing the index)."""
    ctx = WebContext.create(settings, assistant)
    demo = build_app(ctx)
    app = FastAPI(
        title="Safeguarding guidance assistant",
        version=API_VERSION,
        description=_API_DESCRIPTION,
        docs_url=None,  # the API's own page, /api/v1/docs, loads nothing from elsewhere
        redoc_url=None,
        openapi_url=SCHEMA_PATH,
    )
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

    def gradio_user(request: Request) -> str | None:
        """Who Gradio's handlers see as ``request.username``: the session's public handle."""
        session = _session(request)
        if session is not None and (session.signed_in or not settings.require_login):
            return session.handle
        if settings.require_login:
            return None
        return f"anon:{getattr(request.state, 'address', '')}"

    _add_api(app, HttpApi(ctx))  # before Gradio's catch-all mount at "/"
    app.add_middleware(ApiGate, tokens=settings.tokens, origins=settings.origins)  # inside CORS: preflights first
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
        head=HEAD,
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
