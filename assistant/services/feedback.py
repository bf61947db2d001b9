"""Practitioners' thumbs up/down (and optional comments) on answers, kept in SQLite.

What is stored is what a maintainer needs to improve the documents or the answerer:
the question, the answer, its citations (document and quote), the corpus version and
the time. Every text is passed through :meth:`IdentifierDetector.redact` *before* it
is written, so names, dates of birth, addresses and contact details never reach the
file; deleted rows are overwritten (``secure_delete``) and rows older than the
retention period are purged on every write.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, Literal, Protocol, TextIO

from assistant.config import Settings
from assistant.errors import AssistantError
from assistant.models import Citation
from assistant.text.tables import write_csv

__all__ = ["CSV_COLUMNS", "FeedbackStore", "Rating"]

Rating = Literal["up", "down"]
CSV_COLUMNS = (
    "id",
    "created_at",
    "rating",
    "comment",
    "question",
    "answer",
    "abstained",
    "citations",
    "corpus_version",
)
_TIME_FORMAT = "%Y-%m-%dT%H:%M:%SZ"
_MAX_COMMENT_CHARS = 2000
_SCHEMA = """
CREATE TABLE IF NOT EXISTS feedback (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    created_at TEXT NOT NULL,
    rating TEXT NOT NULL CHECK (rating IN ('up', 'down')),
    comment TEXT NOT NULL DEFAULT '',
    question TEXT NOT NULL,
    answer TEXT NOT NULL,
    abstained INTEGER NOT NULL DEFAULT 0,
    citations TEXT NOT NULL DEFAULT '[]',
    corpus_version INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS feedback_created_at ON feedback(created_at);
"""


class Redactor(Protocol):
    """Anything with ``redact(text) -> text`` (the identifier detector, or a stand-in)."""

    def redact(self, text: str) -> str: ...


def _now() -> datetime:
    return datetime.now(UTC)


def _stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime(_TIME_FORMAT)


def _citation_fields(citation: Citation | Mapping[str, object]) -> tuple[object, str, str]:
    """(n, document, quote) of a Citation object or of its JSON form."""
    if isinstance(citation, Mapping):
        return citation.get("n"), str(citation.get("document", "")), str(citation.get("quote", ""))
    return citation.n, citation.document, citation.quote


class FeedbackStore:
    """Feedback rows in ``<data folder>/feedback.sqlite3``; identifiers are redacted on the way in."""

    def __init__(self, path: Path, *, retention_days: int, redactor: Redactor | None = None) -> None:
        if retention_days < 1:
            raise AssistantError("the feedback retention must be at least 1 day (ASSISTANT_RETENTION_DAYS)")
        self.path = Path(path)
        self.retention_days = retention_days
        self._redactor = redactor
        self._lock = threading.Lock()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._connect() as connection:
            connection.executescript(_SCHEMA)

    @classmethod
    def from_settings(cls, settings: Settings, *, redactor: Redactor | None = None) -> FeedbackStore:
        return cls(settings.data_dir / "feedback.sqlite3", retention_days=settings.retention_days, redactor=redactor)

    @property
    def redactor(self) -> Redactor:
        if self._redactor is None:
            from assistant.services.privacy import IdentifierDetector

            self._redactor = IdentifierDetector()
        return self._redactor

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        connection = sqlite3.connect(self.path, timeout=30)
        try:
            connection.execute("PRAGMA secure_delete=ON")  # purged rows are overwritten, not just unlinked
            with connection:
                yield connection
        finally:
            connection.close()

    def _clean(self, text: str, limit: int | None = None) -> str:
        text = (text or "").strip()
        if limit is not None:
            text = text[:limit]
        return self.redactor.redact(text) if text else ""

    # -- writing --------------------------------------------------------------------------

    def record(
        self,
        *,
        rating: Rating,
        question: str,
        answer: str,
        citations: Sequence[Any] = (),
        corpus_version: int = 0,
        abstained: bool = False,
        comment: str = "",
        now: datetime | None = None,
    ) -> int:
        """Store one rating (redacted) and return its id; rows past the retention period go first."""
        if rating not in ("up", "down"):
            raise AssistantError(f"unknown rating {rating!r}: use 'up' or 'down'")
        moment = now or _now()
        cited = []
        for citation in citations:
            n, document, quote = _citation_fields(citation)
            cited.append({"n": n, "document": self._clean(document), "quote": self._clean(quote)})
        row = (
            _stamp(moment),
            rating,
            self._clean(comment, _MAX_COMMENT_CHARS),
            self._clean(question),
            self._clean(answer),
            int(bool(abstained)),
            json.dumps(cited, ensure_ascii=False),
            int(corpus_version),
        )
        with self._lock, self._connect() as connection:
            self._purge(connection, moment - timedelta(days=self.retention_days))
            cursor = connection.execute(
                "INSERT INTO feedback(created_at, rating, comment, question, answer, abstained, citations, "
                "corpus_version) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                row,
            )
            return int(cursor.lastrowid or 0)

    def update(self, feedback_id: int, *, rating: Rating | None = None, comment: str | None = None) -> bool:
        """Change the rating or add a comment (redacted) to an earlier row; False if it is gone."""
        changes: list[tuple[str, object]] = []
        if rating is not None:
            if rating not in ("up", "down"):
                raise AssistantError(f"unknown rating {rating!r}: use 'up' or 'down'")
            changes.append(("rating", rating))
        if comment is not None:
            changes.append(("comment", self._clean(comment, _MAX_COMMENT_CHARS)))
        if not changes:
            return True
        assignments = ", ".join(f"{column} = ?" for column, _ in changes)
        with self._lock, self._connect() as connection:
            cursor = connection.execute(
                f"UPDATE feedback SET {assignments} WHERE id = ?",  # fixed column names only
                [value for _, value in changes] + [int(feedback_id)],
            )
            return cursor.rowcount > 0

    def purge_older_than(self, days: int, *, now: datetime | None = None) -> int:
        """Delete rows older than ``days`` days; returns how many were deleted."""
        cutoff = (now or _now()) - timedelta(days=days)
        with self._lock, self._connect() as connection:
            return self._purge(connection, cutoff)

    @staticmethod
    def _purge(connection: sqlite3.Connection, cutoff: datetime) -> int:
        cursor = connection.execute("DELETE FROM feedback WHERE created_at < ?", (_stamp(cutoff),))
        return cursor.rowcount

    # -- reading --------------------------------------------------------------------------

    def rows(self) -> list[dict[str, Any]]:
        """Every stored row, oldest first, citations decoded."""
        with self._connect() as connection:
            cursor = connection.execute(f"SELECT {', '.join(CSV_COLUMNS)} FROM feedback ORDER BY id")
            result = [dict(zip(CSV_COLUMNS, row, strict=True)) for row in cursor]
        for row in result:
            row["abstained"] = bool(row["abstained"])
            row["citations"] = json.loads(row["citations"] or "[]")
        return result

    def count(self) -> int:
        with self._connect() as connection:
            return int(connection.execute("SELECT COUNT(*) FROM feedback").fetchone()[0])

    def export_csv(self, out: TextIO) -> int:
        """Write every row as CSV (citations as "[n] document: quote" lines); returns the row count.

        Cells that a spreadsheet would run as formulas are neutralised by :func:`write_csv`.
        """
        rows = self.rows()
        for row in rows:
            row["abstained"] = "yes" if row["abstained"] else "no"
            row["citations"] = "\n".join(f"[{c['n']}] {c['document']}: {c['quote']}" for c in row["citations"])
        write_csv(out, CSV_COLUMNS, rows)
        return len(rows)
