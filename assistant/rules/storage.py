"""The register in the data folder: saved as JSON stamped with the corpus version and the version
of the code that finds rules (rules, text and vocabulary), reloaded when both still match, rebuilt
otherwise - so an upgrade that finds rules or their subjects differently takes effect at once."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from assistant.errors import IndexError_
from assistant.rules.build import Documents, build_register
from assistant.rules.entry import RegisterEntry, from_json
from assistant.stamps import source_stamp

log = logging.getLogger(__name__)


REGISTER_FILE = "register.json"
_RULES_CODE = ("rules", "text", "vocabulary")


def rules_stamp() -> str:
    """The version of the code and vocabulary a register is built with."""
    return source_stamp(*_RULES_CODE)


def register_path(data_dir: Path) -> Path:
    """Where the register of a data folder is kept: ``<data_dir>/register.json``."""
    return Path(data_dir) / REGISTER_FILE


def save_register(entries: Sequence[RegisterEntry], path: Path, *, corpus_version: int | None = None) -> None:
    """Write the register as JSON (atomically: a crash leaves the previous file)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    payload: dict[str, Any] = {
        "corpus_version": corpus_version,
        "code": rules_stamp(),
        "entries": [e.to_dict() for e in entries],
    }
    temporary = path.with_suffix(path.suffix + ".tmp")
    temporary.write_text(json.dumps(payload, ensure_ascii=False, indent=2), encoding="utf-8")
    temporary.replace(path)


def load_register(path: Path) -> list[RegisterEntry]:
    """Read a register written by :func:`save_register` (or plain :func:`to_json` output)."""
    return from_json(Path(path).read_text(encoding="utf-8"))


def saved_version(path: Path) -> int | None:
    """The corpus version a saved register was built from (None when unknown, missing, or built by
    another version of the code)."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("code") != rules_stamp():
        return None
    version = data.get("corpus_version")
    return int(version) if isinstance(version, int) else None


def ensure_register(path: Path, version: int, documents: Callable[[], Documents]) -> list[RegisterEntry]:
    """The register of corpus ``version``: loaded from ``path`` when it was built from that version,
    otherwise built from ``documents()`` and saved (call after every ingest)."""
    if path.exists() and saved_version(path) == version:
        try:
            return load_register(path)
        except (OSError, IndexError_):
            log.warning("the saved register could not be read: building it again")
    entries = build_register(documents())
    save_register(entries, path, corpus_version=version)
    return entries
