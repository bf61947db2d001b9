"""Stamps naming a version of the package's own code and data, for what is derived from documents
and kept between runs (chunks, the register): a stamp that no longer matches means the stored
result was made by other code and is made again."""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path

__all__ = ["source_stamp"]

_PACKAGE = Path(__file__).resolve().parent


@lru_cache(maxsize=8)
def source_stamp(*names: str) -> str:
    """16 hex digits naming this version of the package's files or folders ``names`` (relative to
    the package; a folder stands for its ``.py`` and ``.json`` files). Files are read once per process."""
    digest = hashlib.sha256()
    for name in names:
        path = _PACKAGE / name
        files = sorted([*path.glob("*.py"), *path.glob("*.json")]) if path.is_dir() else [path]
        for file in files:
            digest.update(file.relative_to(_PACKAGE).as_posix().encode())
            digest.update(file.read_bytes())
    return digest.hexdigest()[:16]
