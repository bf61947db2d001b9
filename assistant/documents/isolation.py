"""Parse documents in a child process with time and memory limits.

A hostile or broken file (a decompression bomb, deeply nested objects, a parser bug)
can hang or exhaust memory. Each file is parsed and chunked in a separate process
whose address space is capped; a file that overruns its time is killed with its
process, reported by name, and the pool is started afresh for the next file.

The children end with the app. A killed app (SIGKILL, OOM killer) runs no clean-up, so each
child watches its parent itself: on Linux the kernel sends it SIGKILL when its parent goes
(``PR_SET_PDEATHSIG``), and everywhere a watchdog thread exits it within about a second of
the parent's pid changing. Multiprocessing's resource tracker then sees the end of its pipe
(the parent and the child held its only write ends) and exits on its own.
``PR_SET_PDEATHSIG`` fires when the *thread* that started the child ends, so
:func:`parse_files` should be consumed from one thread (it starts and stops its pool there).
"""

from __future__ import annotations

import concurrent.futures as futures
import contextlib
import multiprocessing
import os
import sys
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path

from assistant.documents.ocr import OcrOptions, mark_ocr_chunks
from assistant.errors import CorruptDocument, DocumentError
from assistant.models import Chunk, Document
from assistant.text.tokens import word_pieces

__all__ = ["ParseJob", "ParsedFile", "parse_file", "parse_files"]


@dataclass(frozen=True)
class ParseJob:
    """What a child needs to parse and chunk one file (picklable, no live objects)."""

    max_bytes: int
    max_pdf_pages: int
    chunk_tokens: int
    overlap_tokens: int
    model_dir: str
    ocr: OcrOptions = field(default_factory=OcrOptions)
    """How PDF pages without a text layer are read (Tesseract's language, limits)."""


@dataclass(frozen=True)
class ParsedFile:
    path: Path
    document: Document | None = None
    chunks: tuple[Chunk, ...] = ()
    error: DocumentError | None = None


def parse_file(path: Path, job: ParseJob) -> ParsedFile:
    """Parse and chunk one file in this process; document errors are returned, not raised."""
    from assistant.documents.chunking import chunk_document
    from assistant.documents.loaders import load_document

    try:
        document = load_document(path, max_bytes=job.max_bytes, max_pdf_pages=job.max_pdf_pages, ocr=job.ocr)
        chunks = chunk_document(
            document, word_pieces(job.model_dir).count, max_tokens=job.chunk_tokens, overlap_tokens=job.overlap_tokens
        )
        chunks = mark_ocr_chunks(document, chunks)
    except DocumentError as error:
        return ParsedFile(path, error=error)
    except MemoryError:
        return ParsedFile(
            path,
            error=CorruptDocument(
                path, "parsing needed more memory than allowed; the file may be a decompression bomb"
            ),
        )
    except RecursionError:
        return ParsedFile(path, error=CorruptDocument(path, "the file is nested too deeply to parse safely"))
    except OSError as exc:
        return ParsedFile(path, error=CorruptDocument(path, f"the file could not be read ({exc.strerror or exc})"))
    return ParsedFile(path, document=document, chunks=tuple(chunks))


_PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>


def _die_with_parent(parent_pid: int) -> None:
    """End this child when the process that started it ends, however that ends."""
    import signal

    if sys.platform.startswith("linux"):
        import ctypes

        with contextlib.suppress(OSError, AttributeError):  # no libc or no prctl: the watchdog still runs
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(_PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0)
    if os.getppid() != parent_pid:  # the parent died before the kernel was asked to tell us
        os._exit(1)

    def watch() -> None:
        while True:
            time.sleep(1.0)
            if os.getppid() != parent_pid:
                os._exit(1)

    threading.Thread(target=watch, name="parent-watchdog", daemon=True).start()


def _limit_child(memory_mb: int, parent_pid: int | None = None) -> None:
    """The initializer of each child: die with the parent, quiet pypdf, cap the address space."""
    import logging
    import resource

    if parent_pid is not None:
        _die_with_parent(parent_pid)  # before the cap, so the watchdog's stack is already mapped
    logging.getLogger("pypdf").setLevel(logging.ERROR)
    limit = memory_mb * 1024 * 1024
    with contextlib.suppress(ValueError, OSError):  # where not permitted, run without the cap
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def parse_files(
    paths: Iterable[Path],
    job: ParseJob,
    *,
    isolate: bool = True,
    timeout_s: float = 120.0,
    memory_mb: int = 2048,
    parser: Callable[[Path, ParseJob], ParsedFile] = parse_file,
) -> Iterator[ParsedFile]:
    """Parse files in order, yielding each result; one bad file never stops the others.

    ``parser`` is what runs for each file (a module-level function, so a spawned child can
    import it); it is :func:`parse_file` except in tests.
    """
    pending = list(paths)
    if not isolate:
        for path in pending:
            yield parser(path, job)
        return
    context = multiprocessing.get_context("spawn")
    pool: futures.ProcessPoolExecutor | None = None
    in_flight: list[tuple[Path, futures.Future[ParsedFile]]] = []

    def new_pool() -> futures.ProcessPoolExecutor:
        return futures.ProcessPoolExecutor(
            max_workers=1, mp_context=context, initializer=_limit_child, initargs=(memory_mb, os.getpid())
        )

    def kill(executor: futures.ProcessPoolExecutor) -> None:
        for process in list(getattr(executor, "_processes", {}).values()):
            process.kill()
        executor.shutdown(wait=True, cancel_futures=True)

    try:
        while pending or in_flight:
            if pool is None:
                pool = new_pool()
            while pending and len(in_flight) < 2:  # parse the next file while this one is embedded
                path = pending.pop(0)
                in_flight.append((path, pool.submit(parser, path, job)))
            path, future = in_flight.pop(0)
            try:
                yield future.result(timeout=timeout_s)
            except futures.TimeoutError:
                kill(pool)
                pool = None
                pending = [p for p, _ in in_flight] + pending
                in_flight = []
                yield ParsedFile(
                    path, error=CorruptDocument(path, f"parsing took longer than {timeout_s:.0f} s and was stopped")
                )
            except (BrokenProcessPool, futures.CancelledError):
                kill(pool)
                pool = None
                pending = [p for p, _ in in_flight] + pending
                in_flight = []
                yield ParsedFile(
                    path,
                    error=CorruptDocument(path, "the parser crashed on this file (it may be malformed or too large)"),
                )
    finally:
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)
