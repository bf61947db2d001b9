"""A scripted OpenAI-compatible chat server on 127.0.0.1, for testing the LLM path over real HTTP.

``POST /v1/chat/completions`` answers with the next scripted :class:`Reply` (or the default
one): a JSON completion, or - when the request asks for ``"stream": true`` - server-sent
events (``data: {...}`` chunks and a ``data: [DONE]`` terminator). Replies can also be an
HTTP error (429, 500), a delay longer than the client's time-out, or raw garbage. Every
request body is recorded in ``server.requests``.

    with FakeLLMServer() as server:
        server.script(Reply("Fifteen days [1]."))
        settings = Settings(llm_provider="openai", llm_base_url=server.url, llm_model="fake")
"""

from __future__ import annotations

import json
import re
import threading
import time
from collections import deque
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

__all__ = ["FakeLLMServer", "Reply"]


@dataclass
class Reply:
    """One scripted answer of the fake server."""

    content: str = ""
    status: int = 200
    delay_s: float = 0.0
    """Wait this long before answering (a time-out test sets more than the client's limit)."""
    raw: bytes | None = None
    """Send these bytes as the body instead of a well-formed completion."""
    content_type: str = "application/json"
    pieces: list[str] | None = None
    """How a streamed reply is cut into chunks; default: word by word."""
    piece_delay_s: float = 0.0


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length)
        try:
            body = json.loads(raw or b"{}")
        except ValueError:
            body = {}
        self.server.owner.requests.append(body)
        if self.path.rstrip("/") not in ("/v1/chat/completions", "/chat/completions"):
            self._send(404, b'{"error": {"message": "not found"}}')
            return
        reply = self.server.owner.next_reply()
        if reply.delay_s and self.server.owner.stopping.wait(reply.delay_s):
            return
        try:
            if reply.status != 200:
                error = {"error": {"message": f"scripted {reply.status}", "type": "scripted", "code": reply.status}}
                headers = {"Retry-After": "0"} if reply.status == 429 else {}
                self._send(reply.status, json.dumps(error).encode(), headers=headers)
            elif reply.raw is not None:
                self._send(200, reply.raw, content_type=reply.content_type)
            elif body.get("stream"):
                self._stream(reply, body)
            else:
                self._send(200, json.dumps(_completion(reply.content, body)).encode())
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (a time-out test)

    def _send(
        self,
        status: int,
        payload: bytes,
        *,
        content_type: str = "application/json",
        headers: dict[str, str] | None = None,
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(payload)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(payload)

    def _stream(self, reply: Reply, body: dict[str, Any]) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-cache")
        self.end_headers()
        pieces = reply.pieces if reply.pieces is not None else re.findall(r"\S+\s*", reply.content)
        model = body.get("model", "fake")
        first = True
        for piece in pieces:
            delta: dict[str, Any] = {"content": piece}
            if first:
                delta["role"] = "assistant"
                first = False
            self._event(_chunk(model, delta, None))
            if reply.piece_delay_s and self.server.owner.stopping.wait(reply.piece_delay_s):
                return
        self._event(_chunk(model, {}, "stop"))
        self.wfile.write(b"data: [DONE]\n\n")
        self.wfile.flush()

    def _event(self, data: dict[str, Any]) -> None:
        self.wfile.write(b"data: " + json.dumps(data).encode() + b"\n\n")
        self.wfile.flush()


def _completion(content: str, body: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": "chatcmpl-fake",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": body.get("model", "fake"),
        "choices": [{"index": 0, "message": {"role": "assistant", "content": content}, "finish_reason": "stop"}],
        "usage": {"prompt_tokens": 10, "completion_tokens": 10, "total_tokens": 20},
    }


def _chunk(model: str, delta: dict[str, Any], finish: str | None) -> dict[str, Any]:
    return {
        "id": "chatcmpl-fake",
        "object": "chat.completion.chunk",
        "created": int(time.time()),
        "model": model,
        "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
    }


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    owner: FakeLLMServer


class FakeLLMServer:
    """Start with ``with FakeLLMServer() as server:``; ``server.url`` is the OpenAI base URL (``.../v1``)."""

    def __init__(self, default: Reply | None = None) -> None:
        self.default = default or Reply("")
        self.requests: list[dict[str, Any]] = []
        self.stopping = threading.Event()
        self._replies: deque[Reply] = deque()
        self._lock = threading.Lock()
        self._server = _Server(("127.0.0.1", 0), _Handler)
        self._server.owner = self
        self._thread = threading.Thread(target=self._server.serve_forever, name="fake-llm", daemon=True)

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}/v1"

    def script(self, *replies: Reply | str) -> None:
        """Queue the next replies (a string is a plain 200 reply with that content)."""
        with self._lock:
            self._replies.extend(Reply(r) if isinstance(r, str) else r for r in replies)

    def next_reply(self) -> Reply:
        with self._lock:
            return self._replies.popleft() if self._replies else self.default

    def start(self) -> FakeLLMServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self.stopping.set()
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> FakeLLMServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
