"""The one logging set-up, used by every face (the CLI and the web app).

A console handler (one line per message; tracebacks only in the file) and a daily
rotating file under ``<data_dir>/logs`` that keeps ``retention_days`` backups.
Third-party libraries' chatter is kept to errors. Nothing the assistant logs holds a
question, an answer or a document's text.
"""

from __future__ import annotations

import logging
import logging.handlers
import sys

from assistant.config import Settings

__all__ = ["configure_logging"]

_QUIET = (
    "chromadb",
    "httpx",
    "httpcore",
    "sentence_transformers",
    "transformers",
    "pypdf",
    "bm25s",
    "presidio-analyzer",
    "uvicorn.access",
)


class _OneLine(logging.Formatter):
    """The console shows one line per message; a traceback goes to the log file only."""

    def format(self, record: logging.LogRecord) -> str:
        if record.exc_info is None:
            return super().format(record)
        return f"{record.levelname}: {record.getMessage()}"


def configure_logging(settings: Settings, *, file_name: str, console_level: int = logging.INFO) -> None:
    """Console and rotating-file logging for one face (idempotent within a process)."""
    root = logging.getLogger()
    if any(getattr(h, "_assistant", False) for h in root.handlers):
        return
    root.setLevel(logging.INFO)
    console = logging.StreamHandler(sys.stderr)
    console.setLevel(console_level)
    console.setFormatter(_OneLine("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    console._assistant = True  # type: ignore[attr-defined]
    root.addHandler(console)
    try:
        folder = settings.data_dir / "logs"
        folder.mkdir(parents=True, exist_ok=True)
        handler = logging.handlers.TimedRotatingFileHandler(
            folder / file_name, when="D", backupCount=settings.retention_days, encoding="utf-8"
        )
        handler.setLevel(getattr(logging, settings.log_level.upper(), logging.INFO))
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s %(message)s"))
        handler._assistant = True  # type: ignore[attr-defined]
        root.addHandler(handler)
    except OSError:
        pass  # a read-only data folder: log to the console only
    for noisy in _QUIET:
        logging.getLogger(noisy).setLevel(logging.ERROR)
