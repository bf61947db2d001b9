"""Preparing the assistant in the background while the page is already served.

On first start the index is built from the corpus folder (with progress shown on the
page); then the model, indexes and identifier analyser are loaded. A failure is logged
and shown, and the app keeps serving.
"""

from __future__ import annotations

import html
import logging
import threading
import time
from collections.abc import Callable

from assistant.engine import Assistant
from assistant.errors import AssistantError
from assistant.models import IngestReport

__all__ = ["STAGES", "Startup", "TimeLeft", "describe_progress"]

log = logging.getLogger(__name__)

STAGES = {
    "scan": "Looking for documents",
    "index": "Indexing documents",
    "lexical": "Building the keyword index",
    "done": "Finishing",
}


def describe_progress(label: str, done: int, total: int, detail: str, clock: TimeLeft | None) -> str:
    """ "Indexing documents: policy.pdf (document 3 of 12), 42%, about 2 minutes left"."""
    parts = [label + (f": {detail}" if detail else "")]
    if total > 1:
        parts.append(f"{100 * done // total}%")
    left = clock.text(done, total) if clock is not None else ""
    if left:
        parts.append(left)
    return ", ".join(parts)


class TimeLeft:
    """An estimate of the time left from the share done so far (None until it is meaningful)."""

    def __init__(self) -> None:
        self.started = time.monotonic()

    def seconds(self, done: int, total: int) -> float | None:
        elapsed = time.monotonic() - self.started
        if total <= 0 or done <= 0 or elapsed < 2:
            return None
        return elapsed * (total - done) / done

    def text(self, done: int, total: int) -> str:
        left = self.seconds(done, total)
        if left is None:
            return ""
        if left < 60:
            return "under a minute left"
        minutes = round(left / 60)
        return f"about {minutes} minute{'s' if minutes != 1 else ''} left"


class Startup:
    """Prepares the assistant in a background thread; the page shows its progress."""

    def __init__(self, assistant: Assistant) -> None:
        self.assistant = assistant
        self.ready = threading.Event()
        self.error: str | None = None
        self.stage = "Starting"
        self.done = 0
        self.total = 0
        self.built: IngestReport | None = None
        self.detail = ""
        self._clock: TimeLeft | None = None
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    def start(self) -> None:
        with self._lock:
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="assistant-startup", daemon=True)
                self._thread.start()

    def _progress(self, stage: str, done: int, total: int, name: str) -> None:
        if stage == "index" and self._clock is None:
            self._clock = TimeLeft()
        self.stage, self.done, self.total = STAGES.get(stage, stage), done, total
        self.detail = name

    def _run(self) -> None:
        try:
            self._build_index()
            self.stage, self.done, self.total = "Loading the search model", 0, 0
            self._guarded(self.assistant.warm_up, "load the model")
        finally:
            self.stage = "Ready"
            self.ready.set()

    def _build_index(self) -> None:
        def build() -> None:
            if not self.assistant.is_empty():
                return
            self.stage = "Building the index on first start"
            log.info("the index is empty: building it from %s", self.assistant.settings.corpus_dir)
            self.built = self.assistant.ensure_index(progress=self._progress)
            if self.built is not None:
                log.info(
                    "built the index: %d documents, %d chunks, %d failed",
                    self.built.documents,
                    self.built.chunks,
                    len(self.built.failed),
                )

        self._guarded(build, "prepare the index")

    def _guarded(self, step: Callable[[], None], what: str) -> None:
        """Run one start-up step; a failure is logged and shown, and the app keeps serving."""
        try:
            step()
        except AssistantError as exc:
            self.error = self.error or "see the server log for details"  # the reason may name server paths
            log.error("could not %s: %s", what, exc)
        except Exception:
            self.error = self.error or "unexpected failure (see the server log)"
            log.exception("unexpected failure while trying to %s", what)

    def wait(self, timeout: float) -> bool:
        self.start()
        return self.ready.wait(timeout)

    def status_text(self) -> str:
        if not self.ready.is_set():
            progress = describe_progress(self.stage, self.done, self.total, self.detail, self._clock)
            return f"Preparing the assistant: {progress}…"
        if self.error:
            return f"The assistant could not finish starting: {self.error}"
        status = self.assistant.status()
        return f"Ready: {status['documents']} document(s), {status['chunks']} passages indexed."

    def status_html(self) -> str:
        text = html.escape(self.status_text())
        if not self.ready.is_set():
            bar = (
                f'<progress max="{self.total}" value="{self.done}" aria-label="Preparation progress"></progress>'
                if self.total
                else '<progress aria-label="Preparation progress"></progress>'
            )
            return f'<div class="sa-status" role="status" aria-live="polite">{text}{bar}</div>'
        css = "sa-status sa-error" if self.error else "sa-status"
        return f'<div class="{css}" role="status" aria-live="polite">{text}</div>'
