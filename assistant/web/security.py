"""ASGI middleware around the whole web app: sessions, the sign-in gate, uploads, headers.

- :class:`SessionGate` reads the session cookie into ``scope["state"]``, creates an
  anonymous session when a browser first loads the page (sign-in off), sends everyone
  who is not signed in to the sign-in page (sign-in on), binds each Gradio session hash
  to the session that first used it (a second client presenting the same hash is
  refused), lets only administrators post to Gradio's upload route (within an hourly
  allowance), and refuses cross-site state-changing requests. The HTTP API (``/api/v1``)
  is left to :class:`~assistant.web.api.ApiGate`: it authenticates each request with a
  bearer token, not a cookie (so there is nothing for another site to ride on); its schema
  and docs page stay behind sign-in when sign-in is on (a signed-in session or a token).
- :class:`SecurityHeaders` adds ``X-Frame-Options: DENY``, ``frame-ancestors 'none'``,
  ``nosniff`` and a strict referrer policy to every response that does not set its own
  (the sign-in page sets a stricter policy), and drops the server banner.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Awaitable, Callable, MutableMapping, Sequence
from http.cookies import SimpleCookie
from typing import Any
from urllib.parse import parse_qs, quote

from assistant.services.auth import COOKIE_NAME, Session, address_key
from assistant.web.api import API_DOCS_PATHS, ApiTokens, is_api_path
from assistant.web.handlers import WebContext

__all__ = ["SECURITY_HEADERS", "SecurityHeaders", "SessionGate", "SessionHashes", "cookie_header"]

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

SECURITY_HEADERS: tuple[tuple[bytes, bytes], ...] = (
    (b"x-frame-options", b"DENY"),
    (b"content-security-policy", b"frame-ancestors 'none'"),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=(), payment=()"),
    (b"cross-origin-opener-policy", b"same-origin"),
)
PUBLIC_PATHS = frozenset({"/login", "/logout", "/healthz"})
_MAX_BODY = 2_000_000
_HASH_ROUTES_BODY = ("/gradio_api/queue/join", "/gradio_api/cancel")
_HASH_ROUTES_QUERY = ("/gradio_api/queue/data",)
_HEARTBEAT = "/gradio_api/heartbeat/"
_UPLOAD = "/gradio_api/upload"


def cookie_header(value: str, *, secure: bool, clear: bool = False) -> tuple[bytes, bytes]:
    """The Set-Cookie header of the session cookie: HttpOnly, SameSite=Lax, Secure over HTTPS."""
    parts = [f"{COOKIE_NAME}={'' if clear else value}", "Path=/", "HttpOnly", "SameSite=Lax"]
    if secure:
        parts.append("Secure")
    if clear:
        parts.append("Max-Age=0")
    return b"set-cookie", "; ".join(parts).encode("latin-1")


class SessionHashes:
    """Which session first used each Gradio session hash (so no other client can use it)."""

    def __init__(self, ttl_s: float = 12 * 3600, limit: int = 200_000) -> None:
        self.ttl_s = ttl_s
        self.limit = limit
        self._owners: dict[str, tuple[str, float]] = {}
        self._lock = threading.Lock()

    def bind(self, session_hash: str, owner: str) -> bool:
        """True when ``owner`` may use the hash (first use binds it)."""
        now = time.monotonic()
        with self._lock:
            found = self._owners.get(session_hash)
            if found is not None and now - found[1] < self.ttl_s:
                if found[0] != owner:
                    return False
            elif len(self._owners) >= self.limit:
                for key in [k for k, (_, t) in self._owners.items() if now - t >= self.ttl_s] or list(self._owners)[
                    : self.limit // 10
                ]:
                    del self._owners[key]
            self._owners[session_hash] = (owner, now)
            return True


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", ()):
        if key == name:
            return bytes(value).decode("latin-1")
    return None


def _cookies(scope: Scope) -> dict[str, str]:
    raw = _header(scope, b"cookie")
    if not raw:
        return {}
    jar: SimpleCookie = SimpleCookie()
    try:
        jar.load(raw)
    except Exception:
        return {}
    return {key: morsel.value for key, morsel in jar.items()}


async def _json_response(send: Send, status: int, detail: str, headers: Sequence[tuple[bytes, bytes]] = ()) -> None:
    body = json.dumps({"detail": detail}).encode("utf-8")
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()), *headers],
        }
    )
    await send({"type": "http.response.body", "body": body})


async def _redirect(send: Send, location: str, headers: Sequence[tuple[bytes, bytes]] = ()) -> None:
    await send(
        {
            "type": "http.response.start",
            "status": 303,
            "headers": [(b"location", location.encode("latin-1")), (b"content-length", b"0"), *headers],
        }
    )
    await send({"type": "http.response.body", "body": b""})


def same_origin(scope: Scope, allowed: Sequence[str]) -> bool:
    """Does the request come from this site (or a configured origin)? Requests without Origin pass."""
    origin = _header(scope, b"origin")
    if origin is None or (origin == "null" and scope.get("method") == "GET"):
        return True
    host = _header(scope, b"host") or ""
    scheme = scope.get("scheme", "http")
    return origin.rstrip("/") in {f"{scheme}://{host}", *allowed}


class SessionGate:
    """Sessions, the sign-in gate, session-hash binding and the upload guard (see the module doc)."""

    def __init__(self, app: ASGIApp, ctx: WebContext, hashes: SessionHashes | None = None) -> None:
        self.app = app
        self.ctx = ctx
        self.hashes = hashes or SessionHashes()
        self.api_tokens = ApiTokens(ctx.settings.tokens)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        ctx = self.ctx
        path: str = scope.get("path", "")
        if is_api_path(path) and path not in API_DOCS_PATHS:
            await self.app(scope, receive, send)  # bearer tokens, no cookies: the API authenticates itself
            return
        method: str = scope.get("method", "GET")
        client = scope.get("client") or (None, None)
        address = address_key(client[0])
        session = ctx.sessions.from_cookie(_cookies(scope).get(COOKIE_NAME))
        secure = scope.get("scheme") == "https"
        extra: list[tuple[bytes, bytes]] = []
        if session is None and method == "GET" and path == "/" and not ctx.settings.require_login:
            session = ctx.sessions.new()  # a browser loading the page gets its own session
            extra.append(cookie_header(ctx.sessions.cookie_value(session), secure=secure))
        state = scope.setdefault("state", {})
        state["session"] = session
        state["address"] = address

        if method not in ("GET", "HEAD", "OPTIONS") and not same_origin(scope, ctx.settings.origins):
            await _json_response(send, 403, "cross-site requests are not accepted")
            return
        if path in PUBLIC_PATHS:
            await self.app(scope, receive, send)
            return
        if (
            ctx.settings.require_login
            and (session is None or not session.signed_in)
            and not (path in API_DOCS_PATHS and self.api_tokens.user(_header(scope, b"authorization")))
        ):
            accept = _header(scope, b"accept") or ""
            if method == "GET" and ("text/html" in accept or path == "/"):
                query = scope.get("query_string", b"").decode("latin-1")
                target = path + (f"?{query}" if query else "")
                await _redirect(send, f"/login?next={quote(target, safe='')}")
            else:
                await _json_response(send, 401, "sign in first", [(b"www-authenticate", b"Session")])
            return
        if path == _UPLOAD and method == "POST":
            refusal = self._upload_refusal(session, scope)
            if refusal is not None:
                await _json_response(send, refusal[0], refusal[1])
                return
        owner = session.id if session is not None else f"anon:{address}"
        session_hash, receive = await self._session_hash(scope, path, receive)
        if session_hash is not None and not self.hashes.bind(session_hash, owner):
            await _json_response(send, 403, "this session belongs to another browser; reload the page")
            return
        if not extra:
            await self.app(scope, receive, send)
            return

        async def send_with_cookie(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), *extra]
            await send(message)

        await self.app(scope, receive, send_with_cookie)

    def _upload_refusal(self, session: Session | None, scope: Scope) -> tuple[int, str] | None:
        """Why a post to Gradio's upload route is refused (None when it may go ahead)."""
        if not self.ctx.admin_enabled:
            return 403, "uploads are disabled on this server"
        if session is None or not self.ctx.sessions.is_admin(session):
            return 403, "sign in as an administrator to upload documents"
        length = _header(scope, b"content-length")
        if length is None or not length.isdigit():
            return 411, "send the upload with a Content-Length"
        reason = self.ctx.quota.allow(session.handle, int(length))
        return (429, reason) if reason else None

    async def _session_hash(self, scope: Scope, path: str, receive: Receive) -> tuple[str | None, Receive]:
        """The Gradio session hash a request carries (in its path, query or JSON body)."""
        if path.startswith(_HEARTBEAT):
            return path[len(_HEARTBEAT) :].strip("/") or None, receive
        if path in _HASH_ROUTES_QUERY:
            values = parse_qs(scope.get("query_string", b"").decode("latin-1")).get("session_hash")
            return (values[0] if values else None), receive
        if path not in _HASH_ROUTES_BODY or scope.get("method") != "POST":
            return None, receive
        chunks: list[bytes] = []
        size = 0
        more = True
        while more:
            message = await receive()
            if message["type"] != "http.request":
                break
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > _MAX_BODY:
                chunks = []
                break
            chunks.append(chunk)
            more = bool(message.get("more_body", False))
        body = b"".join(chunks)
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        try:
            data = json.loads(body or b"{}")
        except ValueError:
            return None, replay
        value = data.get("session_hash") if isinstance(data, dict) else None
        return (value if isinstance(value, str) and value else None), replay


class SecurityHeaders:
    """Framing, sniffing and referrer protections on every response; no server banner."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [(k, v) for k, v in message.get("headers", []) if bytes(k).lower() != b"server"]
                present = {bytes(k).lower() for k, _ in headers}
                message["headers"] = [*headers, *((k, v) for k, v in SECURITY_HEADERS if k not in present)]
            await send(message)

        await self.app(scope, receive, send_with_headers)
