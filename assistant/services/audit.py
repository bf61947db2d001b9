"""The audit log: who asked (pseudonymously), when, and which documents were cited.

Never the question or the answer text - those may hold a child's details. One JSON line
per event in ``data/audit/audit-YYYY-MM-DD.jsonl``; files older than the retention period
are deleted. User ids are replaced by a keyed hash (HMAC-SHA-256 with a secret kept in
the data folder), so the log can link a user's events without naming the user.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import secrets
import threading
from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

__all__ = ["AuditLog"]


class AuditLog:
    """Append-only daily JSON-lines files with enforced retention."""

    def __init__(self, folder: Path, retention_days: int) -> None:
        self.folder = Path(folder)
        self.retention_days = retention_days
        self._lock = threading.Lock()
        self._purged_on: date | None = None
        self._key: bytes | None = None

    def _secret(self) -> bytes:
        if self._key is None:
            self.folder.mkdir(parents=True, exist_ok=True)
            path = self.folder / ".key"
            if not path.exists():
                descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
                with os.fdopen(descriptor, "wb") as handle:
                    handle.write(secrets.token_bytes(32))
            self._key = path.read_bytes()
        return self._key

    def pseudonym(self, user: str | None) -> str:
        """A stable, non-reversible id for a user (or "anonymous")."""
        if not user:
            return "anonymous"
        return hmac.new(self._secret(), user.encode("utf-8"), hashlib.sha256).hexdigest()[:16]

    def record(
        self,
        *,
        event: str,
        user: str | None,
        documents: Sequence[str] = (),
        abstained: bool | None = None,
        mode: str | None = None,
        warnings: int = 0,
    ) -> None:
        now = datetime.now(UTC)
        entry: dict[str, object] = {
            "time": now.isoformat(timespec="seconds"),
            "event": event,
            "user": self.pseudonym(user),
            "documents": sorted(set(documents)),
        }
        if abstained is not None:
            entry["abstained"] = abstained
        if mode is not None:
            entry["mode"] = mode
        if warnings:
            entry["identifier_warnings"] = warnings
        line = json.dumps(entry, ensure_ascii=False) + "\n"
        with self._lock:
            self.folder.mkdir(parents=True, exist_ok=True)
            with (self.folder / f"audit-{now.date().isoformat()}.jsonl").open("a", encoding="utf-8") as handle:
                handle.write(line)
            if self._purged_on != now.date():
                self.purge(today=now.date())
                self._purged_on = now.date()

    def purge(self, *, today: date | None = None) -> int:
        """Delete daily files older than the retention period; returns how many."""
        cutoff = (today or datetime.now(UTC).date()) - timedelta(days=self.retention_days)
        removed = 0
        for path in self.folder.glob("audit-*.jsonl"):
            try:
                day = date.fromisoformat(path.stem.removeprefix("audit-"))
            except ValueError:
                continue
            if day < cutoff:
                path.unlink(missing_ok=True)
                removed += 1
        return removed
