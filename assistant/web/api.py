"""The HTTP API (``/api/v1``): what it does, who may call it, and its contract, without the web framework.

Council IT teams integrate the assistant over plain HTTP (intranet pages, Teams bots).
:mod:`assistant.web.server` (the one module that imports FastAPI) mounts the routes; this
module holds everything else, so it reads (and is tested) without a server:

- the request and response models (pydantic), which make the OpenAPI schema precise;
- :class:`ApiGate`, ASGI middleware in front of the routes: bearer tokens
  (``ASSISTANT_API_TOKENS``, compared in constant time) or, with none configured,
  requests from this machine only; JSON bodies of at most 64 KB; ``no-store`` responses;
- :class:`HttpApi`, the endpoints as plain functions over the engine's public API: each
  returns plain values or raises :class:`ApiProblem`, which becomes an RFC 9457 problem
  detail (``application/problem+json``); an unexpected failure is logged without its
  message (it could quote the question) and answered with a generic 500;
- :func:`docs_page`, a self-contained HTML page listing the endpoints from the schema
  (no script, nothing loaded from another site).

Privacy is the chat's: identifiers in a question come back as ``warnings`` and are never
sent to a model (the engine does both); nothing here logs a request body, a question or a
search. The audit user is ``api:<keyed name of the token>`` or ``api:loopback``.
"""

from __future__ import annotations

import hashlib
import hmac
import html
import ipaddress
import json
import logging
import threading
import traceback
from collections.abc import Awaitable, Callable, Iterator, Mapping, MutableMapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from http import HTTPStatus
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from assistant.errors import AccessDenied, AnswerError, AssistantError, IndexBusy
from assistant.models import Turn
from assistant.products.briefing import Audience, Format
from assistant.rules import MAX_SEARCH_CHARS
from assistant.web.handlers import WebContext
from assistant.wording import NOT_READY, UNEXPECTED

__all__ = [
    "API_DOCS_PATHS",
    "API_PREFIX",
    "MAX_BODY_BYTES",
    "PUBLIC_API_PATHS",
    "AnswerOut",
    "ApiGate",
    "ApiProblem",
    "ApiTokens",
    "AskRequest",
    "BriefingOut",
    "BriefingRequest",
    "DocumentOut",
    "HealthOut",
    "HttpApi",
    "Problem",
    "RegisterEntryOut",
    "Rendered",
    "docs_page",
    "finish_schema",
    "is_api_path",
    "validation_problem",
]

log = logging.getLogger(__name__)

API_PREFIX = "/api/v1"
API_VERSION = "1.0.0"
HEALTH_PATH = f"{API_PREFIX}/health"
DOCS_PATH = f"{API_PREFIX}/docs"
SCHEMA_PATH = f"{API_PREFIX}/openapi.json"
PUBLIC_API_PATHS = frozenset({HEALTH_PATH})
"""Answered without a token, from anywhere: a load balancer must reach them."""
API_DOCS_PATHS = frozenset({DOCS_PATH, SCHEMA_PATH})
"""The schema and its page: public, or behind sign-in (session or token) when sign-in is on."""
MAX_BODY_BYTES = 64_000
"""A request body's limit: 64 KB (a kilobyte is 1,000 bytes, as a megabyte is 1,000,000 everywhere)."""
MAX_HISTORY_ITEMS = 20
MAX_HISTORY_QUESTION_CHARS = 2000
MAX_HISTORY_ANSWER_CHARS = 8000
MAX_TOPIC_CHARS = 200
READY_WAIT_S = 10.0
SLOT_WAIT_S = 120.0
_DRAIN_BYTES = 1_000_000
_TOKEN_KEY = b"safeguarding-assistant/api-token"
_LOOPBACK_NAMES = frozenset({"localhost", "localhost."})
_AUDIENCE = Audience
_FORMAT = Format
_NO_TOKENS = (
    "The HTTP API answers only requests from this machine because no API tokens are configured. "
    "To call it from elsewhere, set ASSISTANT_API_TOKENS to one or more comma-separated random tokens "
    "(at least 16 characters each, e.g. from `python -c 'import secrets; print(secrets.token_urlsafe(32))'`), "
    "restart the app and send 'Authorization: Bearer <token>'."
)
BUSY = "The assistant is busy answering other requests; try again shortly."

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


def is_api_path(path: str) -> bool:
    """Is ``path`` under the HTTP API (``/api/v1``)?"""
    return path == API_PREFIX or path.startswith(API_PREFIX + "/")


# -- problem details (RFC 9457) ------------------------------------------------------------------


class ApiProblem(Exception):
    """An error answered as ``application/problem+json``: ``{type, title, status, detail}``."""

    def __init__(
        self,
        status: int,
        detail: str,
        *,
        headers: Mapping[str, str] | None = None,
        errors: Sequence[Mapping[str, str]] | None = None,
    ) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.headers = dict(headers or {})
        self.errors = [dict(e) for e in errors] if errors is not None else None

    def body(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "type": "about:blank",
            "title": HTTPStatus(self.status).phrase,
            "status": self.status,
            "detail": self.detail,
        }
        if self.errors is not None:
            data["errors"] = self.errors
        return data

    def encoded(self) -> bytes:
        return json.dumps(self.body(), ensure_ascii=False).encode("utf-8")


def _field_name(loc: Sequence[Any]) -> str:
    """``("body", "history", 0, "question")`` -> ``history[0].question``; a query parameter by its name."""
    parts = list(loc)
    if parts and parts[0] in ("body", "query", "path", "header"):
        parts = parts[1:]
    name = ""
    for part in parts:
        name += f"[{part}]" if isinstance(part, int) else (f".{part}" if name else str(part))
    return name or "body"


def validation_problem(errors: Sequence[Any]) -> ApiProblem:
    """A request that failed validation: 400 for a body that is not JSON, else 422 naming each field.

    Only the field and pydantic's message are kept, never the input (it may be the question).
    """
    items = [e for e in errors if isinstance(e, Mapping)]
    for error in items:
        if error.get("type") == "json_invalid":
            reason = str((error.get("ctx") or {}).get("error") or "JSON decode error")
            return ApiProblem(400, f"the request body is not valid JSON ({reason})")
    fields = [{"field": _field_name(e.get("loc") or ()), "message": str(e.get("msg") or "invalid")} for e in items]
    if not fields:
        return ApiProblem(422, "the request is not valid")
    detail = "; ".join(f"{f['field']}: {f['message']}" for f in fields[:5])
    return ApiProblem(422, f"the request is not valid: {detail}", errors=fields)


@contextmanager
def _guarded(what: str) -> Iterator[None]:
    """Turn the engine's errors into problem details; unexpected failures are logged without their message."""
    try:
        yield
    except ApiProblem:
        raise
    except AnswerError as exc:  # the question or topic cannot be used as given (too long, identifiers...)
        raise ApiProblem(422, str(exc)) from None
    except AccessDenied as exc:
        raise ApiProblem(403, str(exc)) from None
    except IndexBusy:
        raise ApiProblem(
            503, "the documents are being re-indexed; try again shortly", headers={"retry-after": "30"}
        ) from None
    except AssistantError as exc:
        log.error("the HTTP API could not %s: %s", what, exc)  # the reason may name server paths: not sent
        raise ApiProblem(503, "the assistant cannot do this right now; see the server log") from None
    except Exception as exc:
        # The message (and the chained exceptions') could quote the question: only the type and the frames.
        frames = "".join(traceback.format_tb(exc.__traceback__))
        log.error(
            "unexpected %s in the HTTP API while trying to %s (message not logged)\n%s",
            type(exc).__name__,
            what,
            frames,
        )
        raise ApiProblem(500, UNEXPECTED) from None


# -- the contract: request and response models -----------------------------------------------------


class HistoryTurn(BaseModel):
    """One earlier exchange. Other keys are ignored, so an earlier answer's JSON can be sent back as it is."""

    model_config = ConfigDict(extra="ignore", strict=True)

    question: str = Field(max_length=MAX_HISTORY_QUESTION_CHARS, description="The earlier question.")
    answer: str = Field(default="", max_length=MAX_HISTORY_ANSWER_CHARS, description="The answer it was given.")


class AskRequest(BaseModel):
    """A question about the indexed documents, with the conversation so far."""

    model_config = ConfigDict(extra="forbid", strict=True)

    question: str = Field(
        min_length=1,
        description="The question (at most ASSISTANT_MAX_QUESTION_CHARS, 2,000 by default). Leave out names, dates "
        "of birth, contact details and addresses: the answer warns when it finds them.",
        examples=["When must an initial child protection conference be held?"],
    )
    history: list[HistoryTurn] = Field(
        default_factory=list,
        max_length=MAX_HISTORY_ITEMS,
        description="Earlier exchanges of the conversation, oldest first, so that follow-ups are understood.",
    )
    id: Any = Field(default=None, description="Any JSON value; returned unchanged in the answer.")

    @field_validator("id")
    @classmethod
    def _plain_json(cls, value: Any) -> Any:
        json.dumps(value, allow_nan=False)  # NaN and Infinity could not be sent back as JSON
        return value


class CitationOut(BaseModel):
    """A verbatim quote from a document: ``quote`` is a slice of the document's cleaned text."""

    n: int = Field(description="The number used as [n] in the answer.")
    document: str = Field(description="The document's file name.")
    title: str
    section: str = Field(description="The section path, outermost heading first.")
    page: int | None
    page_label: str | None = Field(description="The printed page (or page range).")
    quote: str
    ocr: bool = Field(
        default=False,
        description="True when the quote was read by OCR from a scanned page: check it against the page.",
    )
    publisher: str | None = Field(default=None, description="The organisation that issued the document, if known.")
    date: str | None = Field(default=None, description="The document's date: ISO date, month (2024-03) or year.")


class ConditionOut(BaseModel):
    """A condition a criterion states, what the question's situation says, and the criterion's [n]. Never judged."""

    condition: str = Field(description='The documents\' condition, e.g. "28 days or more".')
    stated: str = Field(description='What the situation says, e.g. "5 weeks, about 35 days".')
    citation: int = Field(description="The number of the citation that quotes the criterion.")


class AnswerOut(BaseModel):
    """The answer JSON: the same as ``assistant ask --json`` (``Answer.to_dict()``)."""

    id: Any = Field(default=None, description="The request's id.")
    question: str
    answer: str = Field(description="The answer in the documents' words, each sentence followed by [n].")
    abstained: bool = Field(description="True when the documents do not answer the question.")
    citations: list[CitationOut]
    related: list[CitationOut] = Field(description="The nearest passages when the answer abstains.")
    warnings: list[str] = Field(description="E.g. identifying details found in the question (never repeated).")
    notice: str = Field(description="The safeguarding notice (immediate danger: call 999).")
    mode: str = Field(description='"extractive", or "llm" when a configured language model wrote the answer.')
    conditions: list[ConditionOut] = Field(
        default_factory=list,
        description="For a described situation: each condition the documents state beside what the question says.",
    )


class DocumentOut(BaseModel):
    """One indexed document (no server path)."""

    file: str
    title: str
    publisher: str | None = Field(default=None, description="The issuing organisation (document or manifest).")
    date: str | None = Field(default=None, description="ISO date, month (2024-03) or year; None if unknown.")
    genre: str | None = Field(default=None, description='"procedures", "policy", "threshold document", ...')
    pages: int | None
    passages: int
    indexed_at: str = Field(description="When it was indexed (ISO 8601).")


class RegisterCitationOut(BaseModel):
    document: str
    title: str
    section: str
    page: int | None
    page_label: str | None
    quote: str
    doc_id: str
    chunk_id: str
    start: int = Field(description="Offset of the quote in the document's cleaned text.")
    end: int


class RegisterEntryOut(BaseModel):
    """One threshold, timescale, target, eligibility rule or definition (as ``assistant thresholds --json``)."""

    subject: str
    rule: str = Field(description="The rule in the document's words (equals citation.quote).")
    value: str
    unit: str
    condition: str
    kind: str
    comparator: str
    citation: RegisterCitationOut


class BriefingRequest(BaseModel):
    """A 7-minute briefing on a topic, from the indexed documents."""

    model_config = ConfigDict(extra="forbid", strict=True)

    topic: str = Field(
        min_length=1,
        max_length=MAX_TOPIC_CHARS,
        description="A safeguarding topic. It becomes the title and the file name: identifying details are refused.",
        examples=["private fostering"],
    )
    audience: _AUDIENCE = Field(default="all", description="Whose agencies' passages come first.")
    format: _FORMAT = Field(default="json", description="json (inline), md, html, docx or pdf (attachments).")


class BriefingItemOut(BaseModel):
    text: str
    citations: list[int]


class BriefingSectionOut(BaseModel):
    heading: str
    covered: bool
    items: list[BriefingItemOut]


class BriefingOut(BaseModel):
    """The briefing as JSON (``format: json``)."""

    topic: str
    audience: str
    title: str
    notice: str
    sections: list[BriefingSectionOut]
    citations: list[CitationOut]


class HealthOut(BaseModel):
    """Whether the assistant is ready, and what it holds (nothing else)."""

    status: Literal["ready", "starting"]
    documents: int
    passages: int
    corpus_version: int


class FieldError(BaseModel):
    field: str
    message: str


class Problem(BaseModel):
    """An error (RFC 9457 problem details, ``application/problem+json``)."""

    type: str = "about:blank"
    title: str
    status: int
    detail: str
    errors: list[FieldError] | None = Field(default=None, description="With 422: each field that is not valid.")


# -- who may call --------------------------------------------------------------------------------


class ApiTokens:
    """The configured bearer tokens; a presented token is compared in constant time against each."""

    def __init__(self, tokens: Sequence[str]) -> None:
        self._digests = [(hashlib.sha256(t.encode("utf-8")).digest(), _token_name(t)) for t in tokens]

    def __bool__(self) -> bool:
        return bool(self._digests)

    def user(self, authorization: str | None) -> str | None:
        """The audit user (``api:<keyed name>``) of a valid ``Authorization: Bearer`` header, else None."""
        presented = _bearer(authorization)
        if presented is None:
            return None
        digest = hashlib.sha256(presented.encode("utf-8", "replace")).digest()
        found = None
        for expected, name in self._digests:  # every token is compared: the time does not tell which matched
            if hmac.compare_digest(digest, expected):
                found = name
        return f"api:{found}" if found is not None else None


def _token_name(token: str) -> str:
    """A stable name for a token that does not reveal it (the audit log then keys its own hash of the user)."""
    return hmac.new(_TOKEN_KEY, token.encode("utf-8"), hashlib.sha256).hexdigest()[:12]


def _bearer(authorization: str | None) -> str | None:
    if not authorization:
        return None
    scheme, _, value = authorization.strip().partition(" ")
    value = value.strip()
    return value if scheme.lower() == "bearer" and value else None


def _is_loopback_address(host: str | None) -> bool:
    if not host:
        return False
    try:
        address = ipaddress.ip_address(host.split("%", 1)[0])
    except ValueError:
        return False
    mapped = getattr(address, "ipv4_mapped", None)
    return bool(address.is_loopback or (mapped is not None and mapped.is_loopback))


def _host_name(host_header: str) -> str:
    """The name in a Host header, without its port ("[::1]:7860" -> "::1")."""
    host = host_header.strip().lower()
    if host.startswith("["):
        return host[1:].split("]", 1)[0]
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", ()):
        if bytes(key).lower() == name:
            return bytes(value).decode("latin-1")
    return None


async def _send_problem(send: Send, problem: ApiProblem) -> None:
    body = problem.encoded()
    headers = [
        (b"content-type", b"application/problem+json"),
        (b"content-length", str(len(body)).encode()),
        *((k.encode("latin-1"), v.encode("latin-1")) for k, v in problem.headers.items()),
    ]
    await send({"type": "http.response.start", "status": problem.status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


class ApiGate:
    """ASGI middleware in front of ``/api/v1``: authentication, the body limit and response headers.

    With tokens configured every endpoint but ``/health`` (and the docs, which the session
    gate guards) needs ``Authorization: Bearer <token>`` (401 otherwise). With none, only
    requests from this machine are answered (403 otherwise), addressed to a loopback name
    (so a web page cannot reach it by DNS rebinding) and not sent by another site's page.
    Bodies are JSON of at most :data:`MAX_BODY_BYTES` (413, 415). The audit user goes to
    ``scope["state"]["api_user"]``.
    """

    def __init__(self, app: ASGIApp, tokens: Sequence[str] = (), origins: Sequence[str] = ()) -> None:
        self.app = app
        self.tokens = ApiTokens(tokens)
        self.origins = tuple(origins)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path: str = scope.get("path", "")
        if scope["type"] != "http" or not is_api_path(path):
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {bytes(k).lower() for k, _ in headers}
                if b"cache-control" not in present:
                    headers.append((b"cache-control", b"no-store"))
                if b"content-security-policy" not in present:
                    headers.append((b"content-security-policy", b"default-src 'none'; frame-ancestors 'none'"))
                message["headers"] = headers
            await send(message)

        if path in PUBLIC_API_PATHS or path in API_DOCS_PATHS or scope.get("method") == "OPTIONS":
            await self.app(scope, receive, send_with_headers)
            return
        try:
            user = self.caller(scope)
            receive = await self._limited_body(scope, receive)
        except ApiProblem as problem:
            await _send_problem(send_with_headers, problem)
            return
        scope.setdefault("state", {})["api_user"] = user
        await self.app(scope, receive, send_with_headers)

    def caller(self, scope: Scope) -> str:
        """The audit user of an allowed request; raises :class:`ApiProblem` (401, 403) otherwise."""
        if self.tokens:
            user = self.tokens.user(_header(scope, b"authorization"))
            if user is not None:
                return user
            reason = "a wrong" if _bearer(_header(scope, b"authorization")) else "no"
            log.warning("HTTP API request refused: %s bearer token", reason)
            challenge = 'Bearer realm="api"' + (', error="invalid_token"' if reason == "a wrong" else "")
            raise ApiProblem(
                401,
                "send 'Authorization: Bearer <token>' with one of the tokens in ASSISTANT_API_TOKENS"
                if reason == "no"
                else "the bearer token is not valid",
                headers={"www-authenticate": challenge},
            )
        client = scope.get("client") or (None, None)
        host = _header(scope, b"host") or ""
        if not _is_loopback_address(client[0]) or not (
            _host_name(host) in _LOOPBACK_NAMES or _is_loopback_address(_host_name(host))
        ):
            log.warning("HTTP API request refused: no tokens are configured and it does not come from this machine")
            raise ApiProblem(403, _NO_TOKENS)
        origin = _header(scope, b"origin")
        if origin is not None and origin.rstrip("/") not in {f"{scope.get('scheme', 'http')}://{host}", *self.origins}:
            log.warning("HTTP API request refused: sent by another site's page")
            raise ApiProblem(403, "requests from another site's page are not accepted without a token. " + _NO_TOKENS)
        return "api:loopback"

    async def _limited_body(self, scope: Scope, receive: Receive) -> Receive:
        """Read the body (JSON, at most :data:`MAX_BODY_BYTES`) before the app does, and replay it."""
        if scope.get("method") not in ("POST", "PUT", "PATCH"):
            return receive
        kind = (_header(scope, b"content-type") or "").split(";", 1)[0].strip().lower()
        if kind != "application/json" and not (kind.startswith("application/") and kind.endswith("+json")):
            raise ApiProblem(415, "send the request body as JSON, with 'Content-Type: application/json'")
        too_large = ApiProblem(413, f"the request body is larger than {MAX_BODY_BYTES:,} bytes (64 KB)")
        length = _header(scope, b"content-length")
        declared = int(length) if length and length.strip().isdigit() else None
        chunks: list[bytes] = []
        size = 0
        more = True
        while more:
            message = await receive()
            if message["type"] != "http.request":
                break
            chunk = bytes(message.get("body", b""))
            size += len(chunk)
            more = bool(message.get("more_body", False))
            if size > MAX_BODY_BYTES or (declared is not None and declared > MAX_BODY_BYTES):
                while more and size < _DRAIN_BYTES:  # read what was sent, so the client sees the answer
                    message = await receive()
                    size += len(message.get("body", b""))
                    more = message["type"] == "http.request" and bool(message.get("more_body", False))
                raise too_large
            chunks.append(chunk)
        body = b"".join(chunks)
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        return replay


# -- the endpoints -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Rendered:
    """A briefing in one format, ready to send."""

    content: bytes
    media_type: str
    file_name: str

    @property
    def disposition(self) -> str:
        kind = "inline" if self.media_type.startswith("application/json") else "attachment"
        return f'{kind}; filename="{self.file_name}"'


class _Slots:
    """At most ``limit`` heavy requests at once and ``waiting`` in line; beyond that, 503 busy."""

    def __init__(self, limit: int, waiting: int, wait_s: float = SLOT_WAIT_S) -> None:
        self._semaphore = threading.BoundedSemaphore(max(1, limit))
        self._lock = threading.Lock()
        self._waiting = 0
        self.max_waiting = max(0, waiting)
        self.wait_s = wait_s

    @contextmanager
    def hold(self) -> Iterator[None]:
        busy = ApiProblem(503, BUSY, headers={"retry-after": "5"})
        if not self._semaphore.acquire(blocking=False):
            with self._lock:
                if self._waiting >= self.max_waiting:
                    raise busy
                self._waiting += 1
            try:
                acquired = self._semaphore.acquire(timeout=self.wait_s)
            finally:
                with self._lock:
                    self._waiting -= 1
            if not acquired:
                raise busy
        try:
            yield
        finally:
            self._semaphore.release()


class HttpApi:
    """The endpoints, as plain functions over the engine's public API (run in the server's thread pool)."""

    def __init__(self, ctx: WebContext) -> None:
        self.ctx = ctx
        self.slots = _Slots(ctx.settings.concurrency_limit, ctx.settings.queue_max_size)

    def _ready(self) -> None:
        if not self.ctx.startup.wait(READY_WAIT_S):
            raise ApiProblem(503, NOT_READY, headers={"retry-after": "10"})

    def _indexed(self) -> None:
        self._ready()
        if self.ctx.assistant.is_empty():
            raise ApiProblem(503, "no documents are indexed yet: an administrator can add some in the Documents tab")

    def ask(self, request: AskRequest, user: str) -> dict[str, Any]:
        """The answer JSON for a question and its conversation (``Answer.to_dict()``)."""
        history = [Turn(t.question, t.answer) for t in request.history]
        with _guarded("answer a question"):
            self._indexed()
            with self.slots.hold():
                return self.ctx.assistant.ask(request.question, history, id=request.id, user=user).to_dict()

    def documents(self) -> list[dict[str, Any]]:
        with _guarded("list the documents"):
            self._ready()
            return [
                DocumentOut(
                    file=r.file_name,
                    title=r.title,
                    publisher=r.publisher or None,
                    date=r.date or None,
                    genre=r.genre or None,
                    pages=r.page_count,
                    passages=r.chunk_count,
                    indexed_at=r.indexed_at or "",
                ).model_dump()
                for r in self.ctx.assistant.documents()
            ]

    def thresholds(self, search: str) -> bytes:
        """The register entries about ``search`` (all of them when empty), as ``assistant thresholds --json``."""
        from assistant.rules import to_json

        search = (search or "").strip()
        if len(search) > MAX_SEARCH_CHARS:
            raise ApiProblem(422, f"the search is {len(search)} characters long; keep it under {MAX_SEARCH_CHARS}")
        with _guarded("search the register"):
            self._ready()
            return to_json(self.ctx.assistant.rules(search), indent=None).encode("utf-8")

    def briefing(self, request: BriefingRequest) -> Rendered:
        from assistant.products.briefing import MEDIA_TYPES, build_briefing, file_name, render

        with _guarded("make a briefing"):
            self._indexed()
            with self.slots.hold():
                made = build_briefing(self.ctx.assistant, request.topic, request.audience)
                content = render(made, request.format)
            return Rendered(content, MEDIA_TYPES[request.format], file_name(made, request.format))

    def health(self) -> dict[str, Any]:
        """Ready or starting, and the counts; nothing about the server (no paths, no versions)."""
        if not self.ctx.startup.ready.is_set():
            return HealthOut(status="starting", documents=0, passages=0, corpus_version=0).model_dump()
        with _guarded("report its health"):
            status = self.ctx.assistant.status()
            return HealthOut(
                status="ready",
                documents=int(status.get("documents") or 0),
                passages=int(status.get("chunks") or 0),
                corpus_version=int(status.get("corpus_version") or 0),
            ).model_dump()


# -- the schema and its page ---------------------------------------------------------------------


def finish_schema(schema: dict[str, Any]) -> dict[str, Any]:
    """Error responses are ``application/problem+json`` in the schema, as they are on the wire."""
    for operations in schema.get("paths", {}).values():
        for operation in operations.values():
            if not isinstance(operation, dict):
                continue
            for code, response in operation.get("responses", {}).items():
                content = response.get("content")
                if str(code)[:1] in ("4", "5") and isinstance(content, dict) and "application/json" in content:
                    content["application/problem+json"] = content.pop("application/json")
    return schema


_DOCS_CSS = (
    'body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;max-width:60rem;'
    "margin:2rem auto;padding:0 1rem;color:#111827;line-height:1.45}"
    "code{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:.92em}"
    "h2{margin-top:2.2rem;border-top:1px solid #d1d5db;padding-top:1rem}h2 code{background:#eef2ff;padding:.1rem .4rem}"
    "table{border-collapse:collapse;width:100%;margin:.4rem 0 1rem}"
    "th,td{border:1px solid #d1d5db;padding:.3rem .5rem;text-align:left;vertical-align:top}th{background:#f3f4f6}"
    ".method{font-weight:700;color:#1d4ed8}a:focus-visible{outline:3px solid #f59e0b;outline-offset:2px}"
)
DOCS_CSP = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"


def _ref_name(ref: str) -> str:
    return ref.rsplit("/", 1)[-1]


def _type_html(schema: Mapping[str, Any]) -> str:
    """A short, escaped description of a JSON schema's type (links to the models below)."""
    if "$ref" in schema:
        name = _ref_name(str(schema["$ref"]))
        return f'<a href="#schema-{html.escape(name)}">{html.escape(name)}</a>'
    for key in ("anyOf", "oneOf", "allOf"):
        if key in schema:
            return " or ".join(_type_html(s) for s in schema[key])
    if "enum" in schema:
        return "one of " + ", ".join(f"<code>{html.escape(json.dumps(v))}</code>" for v in schema["enum"])
    if "const" in schema:
        return f"<code>{html.escape(json.dumps(schema['const']))}</code>"
    kind = schema.get("type")
    if kind == "array":
        return "array of " + _type_html(schema.get("items") or {})
    if kind is None:
        return "any JSON value"
    return html.escape(str(kind) + (f" ({schema['format']})" if "format" in schema else ""))


def _limits(schema: Mapping[str, Any]) -> str:
    names = {
        "minLength": "at least {} characters",
        "maxLength": "at most {} characters",
        "maxItems": "at most {} items",
    }
    found = [text.format(schema[key]) for key, text in names.items() if key in schema]
    if "default" in schema and schema["default"] not in (None, [], ""):
        found.append(f"default <code>{html.escape(json.dumps(schema['default']))}</code>")
    return "; ".join(found)


def _fields_table(schema: Mapping[str, Any]) -> str:
    properties: Mapping[str, Any] = schema.get("properties") or {}
    if not properties:
        return ""
    required = set(schema.get("required") or ())
    rows = []
    for name, prop in properties.items():
        notes = " ".join(p for p in (html.escape(str(prop.get("description", ""))), _limits(prop)) if p)
        rows.append(
            f"<tr><td><code>{html.escape(name)}</code></td><td>{_type_html(prop)}</td>"
            f"<td>{'yes' if name in required else 'no'}</td><td>{notes}</td></tr>"
        )
    return "<table><tr><th>field</th><th>type</th><th>required</th><th>notes</th></tr>" + "".join(rows) + "</table>"


def docs_page(schema: Mapping[str, Any]) -> str:
    """The API's documentation as one HTML page built from its OpenAPI schema: no script, nothing from elsewhere."""
    info: Mapping[str, Any] = schema.get("info") or {}
    schemes: Mapping[str, Any] = (schema.get("components") or {}).get("securitySchemes") or {}
    models: Mapping[str, Any] = (schema.get("components") or {}).get("schemas") or {}
    parts = [
        '<!doctype html><html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{html.escape(str(info.get('title', 'API')))} - HTTP API</title><style>{_DOCS_CSS}</style></head>",
        f"<body><main><h1>{html.escape(str(info.get('title', 'API')))}: HTTP API "
        f"{html.escape(str(info.get('version', '')))}</h1>",
        f"<p>{html.escape(str(info.get('description', '')))}</p>",
        f"<p>The machine-readable schema (OpenAPI {html.escape(str(schema.get('openapi', '')))}): "
        f'<a href="{SCHEMA_PATH}"><code>{SCHEMA_PATH}</code></a>.</p>',
    ]
    for name, scheme in schemes.items():
        parts.append(
            f"<p><strong>Authentication</strong> ({html.escape(name)}): "
            f"{html.escape(str(scheme.get('description', '')))}</p>"
        )
    parts.append("<h2>Endpoints</h2><ul>")
    endpoints = [
        (path, method, op)
        for path, operations in (schema.get("paths") or {}).items()
        for method, op in operations.items()
        if isinstance(op, dict)
    ]
    for path, method, op in endpoints:
        anchor = html.escape(f"{method}-{path}".replace("/", "-"))
        parts.append(
            f'<li><a href="#{anchor}"><code><span class="method">{html.escape(method.upper())}</span> '
            f"{html.escape(path)}</code></a> {html.escape(str(op.get('summary', '')))}</li>"
        )
    parts.append("</ul>")
    for path, method, op in endpoints:
        anchor = html.escape(f"{method}-{path}".replace("/", "-"))
        parts.append(
            f'<h2 id="{anchor}"><code><span class="method">{html.escape(method.upper())}</span> '
            f"{html.escape(path)}</code></h2><p><strong>{html.escape(str(op.get('summary', '')))}</strong></p>"
        )
        if op.get("description"):
            parts.append(f"<p>{html.escape(str(op['description']))}</p>")
        token = "required (see Authentication above)" if op.get("security") else "not needed"
        parts.append(f"<p>Token: {token}.</p>")
        params = op.get("parameters") or []
        if params:
            param_rows = "".join(
                f"<tr><td><code>{html.escape(str(p.get('name')))}</code></td><td>{html.escape(str(p.get('in')))}</td>"
                f"<td>{_type_html(p.get('schema') or {})}</td><td>{'yes' if p.get('required') else 'no'}</td>"
                f"<td>{html.escape(str(p.get('description', '')))} {_limits(p.get('schema') or {})}</td></tr>"
                for p in params
            )
            parts.append(
                "<h3>Parameters</h3><table><tr><th>name</th><th>in</th><th>type</th><th>required</th>"
                f"<th>notes</th></tr>{param_rows}</table>"
            )
        body = (op.get("requestBody") or {}).get("content") or {}
        for media, content in body.items():
            kind = _type_html(content.get("schema") or {})
            parts.append(f"<h3>Request body</h3><p><code>{html.escape(media)}</code>: {kind}</p>")
        rows = []
        for code, response in sorted((op.get("responses") or {}).items(), key=lambda item: str(item[0])):
            media = ", ".join(
                f"<code>{html.escape(m)}</code>"
                + (f" ({_type_html(c['schema'])})" if isinstance(c, dict) and c.get("schema") else "")
                for m, c in (response.get("content") or {}).items()
            )
            rows.append(
                f"<tr><td>{html.escape(str(code))}</td><td>{html.escape(str(response.get('description', '')))}</td>"
                f"<td>{media}</td></tr>"
            )
        parts.append(
            "<h3>Responses</h3><table><tr><th>status</th><th>meaning</th><th>body</th></tr>"
            + "".join(rows)
            + "</table>"
        )
    parts.append("<h2>Models</h2>")
    for name, model in models.items():
        parts.append(f'<h3 id="schema-{html.escape(name)}"><code>{html.escape(name)}</code></h3>')
        if model.get("description"):
            parts.append(f"<p>{html.escape(str(model['description']))}</p>")
        parts.append(_fields_table(model) or f"<p>{_type_html(model)}</p>")
    parts.append("</main></body></html>")
    return "\n".join(parts)
