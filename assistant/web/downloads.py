"""One-time downloads (briefings), kept in memory and bound to the session that made them.

A briefing is never written to disk: its bytes wait here under a random token until the
session that asked for it downloads it once, or for ten minutes, whichever comes first.
"""

from __future__ import annotations

import secrets
import threading
import time
from dataclasses import dataclass, field

__all__ = ["Download", "Downloads"]


@dataclass(frozen=True)
class Download:
    owner: str
    file_name: str
    media_type: str
    content: bytes = field(repr=False)
    created: float


class Downloads:
    """Bytes waiting for one download by their owner."""

    def __init__(self, ttl_s: float = 600.0, max_items: int = 200) -> None:
        self.ttl_s = ttl_s
        self.max_items = max_items
        self._items: dict[str, Download] = {}
        self._lock = threading.Lock()

    def add(self, owner: str, file_name: str, media_type: str, content: bytes) -> str:
        """Keep ``content`` for ``owner``; returns the token of its download link."""
        token = secrets.token_urlsafe(24)
        now = time.monotonic()
        with self._lock:
            self._expire(now)
            if len(self._items) >= self.max_items:
                oldest = min(self._items, key=lambda t: self._items[t].created)
                del self._items[oldest]
            self._items[token] = Download(owner, file_name, media_type, content, now)
        return token

    def take(self, token: str, owner: str) -> Download | None:
        """The download, removed as it is handed over; None when unknown, expired or someone else's."""
        with self._lock:
            self._expire(time.monotonic())
            item = self._items.get(token)
            if item is None or not secrets.compare_digest(item.owner, owner):
                return None
            del self._items[token]
            return item

    def __len__(self) -> int:
        with self._lock:
            self._expire(time.monotonic())
            return len(self._items)

    def _expire(self, now: float) -> None:
        for token in [t for t, item in self._items.items() if now - item.created > self.ttl_s]:
            del self._items[token]
