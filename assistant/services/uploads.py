"""Documents uploaded by an administrator: checked, stored, then indexed - or listed as pending.

An upload is refused unless its name is safe (no path parts, no leading dot, dash or
tilde, a supported suffix), its size is within the limit (in MB, 1 MB = 1,000,000 bytes)
and its first bytes match its extension. Accepted files are stored in the upload folder
atomically (copied to a hidden part-file, then renamed).

A stored file that is not in the index is *pending*: the app was stopped between storing
and indexing it, or an earlier indexing failed midway. Pending files are never indexed
silently by a re-index; the Documents tab lists them, and an administrator indexes or
discards them explicitly.
"""

from __future__ import annotations

import shutil
import threading
import time
import unicodedata
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from assistant.config import Settings
from assistant.documents.loaders import SUPPORTED_SUFFIXES, detect_format
from assistant.errors import DocumentError, DocumentTooLarge, UnsupportedDocument

__all__ = ["Stored", "UploadQuota", "UploadStore", "check_upload", "safe_upload_name"]

_FORBIDDEN_NAME_CHARS = frozenset('/\\<>:"|?*')
_MAX_NAME_CHARS = 180


def safe_upload_name(name: str) -> str:
    """The file name an upload is stored under, or UnsupportedDocument when it is unsafe or unsupported."""
    candidate = unicodedata.normalize("NFC", (name or "").strip())
    problems = [
        (not candidate, "the file has no name"),
        (
            len(candidate) > _MAX_NAME_CHARS,
            f"the file name is too long (keep it under {_MAX_NAME_CHARS} characters)",
        ),
        (any(ch in _FORBIDDEN_NAME_CHARS for ch in candidate), "the file name contains / \\ or a reserved character"),
        (".." in candidate, "the file name contains '..'"),
        (candidate.startswith((".", "~", "-")), "the file name starts with '.', '~' or '-'"),
        (any(unicodedata.category(ch).startswith("C") for ch in candidate), "the name contains control characters"),
        (Path(candidate).suffix.lower() not in SUPPORTED_SUFFIXES, UnsupportedDocument.reason),
    ]
    for bad, reason in problems:
        if bad:
            raise UnsupportedDocument(candidate or "upload", reason)
    return candidate


def check_upload(source: Path, name: str, max_bytes: int) -> None:
    """Size and content checks on an uploaded file before it is stored (DocumentError when refused)."""
    size = source.stat().st_size
    if size > max_bytes:
        raise DocumentTooLarge(
            name, f"the file is {size / 1e6:.1f} MB, over the {max_bytes / 1e6:g} MB limit (1 MB = 1,000,000 bytes)"
        )
    if size == 0:
        raise UnsupportedDocument(name, "the file is empty")
    with source.open("rb") as handle:
        head = handle.read(2048)
    detect_format(Path(name), head)


@dataclass
class Stored:
    """What :meth:`UploadStore.store` kept and what it refused (file name, reason)."""

    paths: list[Path] = field(default_factory=list)
    refused: list[tuple[str, str]] = field(default_factory=list)


class UploadStore:
    """The upload folder: stores checked files and tells which of them are not indexed yet."""

    def __init__(self, folder: Path, max_bytes: int) -> None:
        self.folder = Path(folder).resolve()
        self.max_bytes = max_bytes

    @classmethod
    def from_settings(cls, settings: Settings) -> UploadStore:
        return cls(settings.upload_dir or settings.data_dir / "uploads", settings.max_file_bytes)

    def store(self, sources: Iterable[Path]) -> Stored:
        """Check each file and copy the accepted ones into the upload folder (atomically)."""
        result = Stored()
        self.folder.mkdir(parents=True, exist_ok=True)
        for source in sources:
            try:
                name = safe_upload_name(source.name)
                check_upload(source, name, self.max_bytes)
            except DocumentError as exc:
                result.refused.append((exc.path.name, exc.detail))
                continue
            target = self.folder / name
            if target.resolve().parent != self.folder:
                result.refused.append((name, "not a safe file name"))
                continue
            partial = self.folder / f".{name}.part"
            shutil.copyfile(source, partial)
            partial.replace(target)
            result.paths.append(target)
        return result

    def files(self) -> list[Path]:
        """Every stored document (hidden part-files left out)."""
        if not self.folder.is_dir():
            return []
        return sorted(p for p in self.folder.iterdir() if p.is_file() and not p.name.startswith("."))

    def pending(self, indexed: Collection[Path]) -> list[Path]:
        """Stored files that are not in the index (``indexed``: the paths the index holds)."""
        known = {Path(p).resolve() for p in indexed}
        return [p for p in self.files() if p.resolve() not in known]

    def owns(self, path: Path) -> bool:
        return Path(path).resolve().parent == self.folder

    def delete(self, paths: Iterable[Path]) -> list[str]:
        """Delete stored files (only files inside the upload folder); returns the names deleted."""
        deleted = []
        for path in paths:
            if self.owns(path):
                Path(path).unlink(missing_ok=True)
                deleted.append(Path(path).name)
        return deleted

    def discard(self, names: Sequence[str], indexed: Collection[Path]) -> list[str]:
        """Delete pending files by name (indexed files are left alone)."""
        chosen = set(names)
        return self.delete(p for p in self.pending(indexed) if p.name in chosen)

    def sweep_part_files(self) -> None:
        """Remove part-files an interrupted copy left behind."""
        if self.folder.is_dir():
            for path in self.folder.glob(".*.part"):
                path.unlink(missing_ok=True)


class UploadQuota:
    """Bytes and requests one session may send to the upload route, per rolling hour and minute."""

    def __init__(self, bytes_per_hour: int, requests_per_minute: int = 30) -> None:
        self.bytes_per_hour = bytes_per_hour
        self.requests_per_minute = requests_per_minute
        self._bytes: dict[str, list[tuple[float, int]]] = {}
        self._requests: dict[str, list[float]] = {}
        self._lock = threading.Lock()

    def allow(self, key: str, size: int) -> str | None:
        """None when the upload may go ahead (and is counted), else the reason it may not."""
        now = time.monotonic()
        with self._lock:
            requests = [t for t in self._requests.get(key, ()) if now - t < 60]
            sent = [(t, n) for t, n in self._bytes.get(key, ()) if now - t < 3600]
            if len(requests) >= self.requests_per_minute:
                return "too many uploads in the last minute; wait a minute and try again"
            if sum(n for _, n in sent) + size > self.bytes_per_hour:
                limit = self.bytes_per_hour / 1e6
                return f"the hourly upload allowance ({limit:g} MB) is used up; try again later"
            requests.append(now)
            sent.append((now, size))
            self._requests[key] = requests
            self._bytes[key] = sent
            return None
