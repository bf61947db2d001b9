"""Parser children end with the app: a SIGKILLed app leaves no parse worker or resource tracker behind.

Real processes, no mocks. A subprocess parses a file with ``isolate=True`` through a parser
that sleeps for a minute (a module written into ``tmp_path``, so the spawned child can import
it), prints the pids of its pool worker and of multiprocessing's resource tracker, and is then
SIGKILLed, as an app killed during an admin upload would be. Every printed pid must be gone
(or a zombie waiting for its new parent to reap it) within 5 s.
"""

from __future__ import annotations

import os
import queue
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs Linux /proc")

SLOW_PARSER = """
import os
import time


def slow_parse(path, job):
    print("parsing", os.getpid(), flush=True)
    time.sleep(60)
    raise RuntimeError("the test should have ended this process long ago")
"""

SCRIPT = """
import concurrent.futures
import gc
import sys
import threading
import time
from multiprocessing import resource_tracker
from pathlib import Path

from assistant.documents.isolation import ParseJob, parse_files
from slow_parser import slow_parse


def report_pids():
    while True:
        try:
            executors = [o for o in gc.get_objects() if isinstance(o, concurrent.futures.ProcessPoolExecutor)]
            workers = [pid for e in executors for pid in list(e._processes or {})]
        except RuntimeError:  # a dictionary changed size while it was read
            workers = []
        tracker = resource_tracker._resource_tracker._pid
        if workers and tracker:
            print("workers", *workers, flush=True)
            print("tracker", tracker, flush=True)
            return
        time.sleep(0.05)


threading.Thread(target=report_pids, daemon=True).start()
job = ParseJob(max_bytes=1_000_000, max_pdf_pages=10, chunk_tokens=100, overlap_tokens=10, model_dir="")
for parsed in parse_files([Path(sys.argv[1])], job, isolate=True, timeout_s=600, parser=slow_parse):
    print("parsed", parsed, flush=True)
"""


def _start_time(pid: int) -> str | None:
    """The kernel's start time of a process (tells a reused pid apart); None when it is gone."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return stat.rsplit(")", 1)[1].split()[19]  # field 22, counted after the command name


def _running(pid: int, started: str) -> bool:
    """Is this very process still alive? A zombie (exited, not yet reaped by its new parent) is not."""
    if _start_time(pid) != started:
        return False
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return False
    state = next((line.split()[1] for line in status.splitlines() if line.startswith("State:")), "X")
    return state not in ("Z", "X")


def _read_lines(stream, lines: queue.Queue[str]) -> None:  # type: ignore[no-untyped-def]
    for line in iter(stream.readline, ""):
        lines.put(line)


def test_parser_worker_and_resource_tracker_exit_when_the_app_is_killed(tmp_path: Path) -> None:
    (tmp_path / "slow_parser.py").write_text(SLOW_PARSER, encoding="utf-8")
    document = tmp_path / "guide.txt"
    document.write_text("The conference must be held within 15 working days.\n", encoding="utf-8")
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(tmp_path), env.get("PYTHONPATH", "")) if p)
    app = subprocess.Popen(
        [sys.executable, "-c", SCRIPT, str(document)],
        env=env,
        stdout=subprocess.PIPE,
        text=True,
    )
    lines: queue.Queue[str] = queue.Queue()
    # The children inherit the pipe, so it is read line by line in a thread, never to its end here.
    threading.Thread(target=_read_lines, args=(app.stdout, lines), daemon=True).start()
    workers: list[int] = []
    tracker: int | None = None
    parsing: int | None = None
    started: dict[int, str] = {}
    try:
        deadline = time.monotonic() + 120
        while not (workers and tracker and parsing):
            remaining = deadline - time.monotonic()
            assert remaining > 0 and app.poll() is None, "the app never started parsing"
            try:
                words = lines.get(timeout=min(remaining, 1.0)).split()
            except queue.Empty:
                continue
            if words[:1] == ["workers"]:
                workers = [int(w) for w in words[1:]]
            elif words[:1] == ["tracker"]:
                tracker = int(words[1])
            elif words[:1] == ["parsing"]:
                parsing = int(words[1])
        assert parsing in workers
        pids = [*workers, tracker]
        for pid in pids:
            start = _start_time(pid)
            assert start is not None, f"process {pid} ended before the app was killed"
            started[pid] = start

        app.send_signal(signal.SIGKILL)
        app.wait(timeout=10)

        deadline = time.monotonic() + 5
        while time.monotonic() < deadline and any(_running(pid, started[pid]) for pid in pids):
            time.sleep(0.05)
        left = [pid for pid in pids if _running(pid, started[pid])]
        assert not left, f"still running after the app was killed: {left} (workers {workers}, tracker {tracker})"
    finally:
        if app.poll() is None:
            app.kill()
            app.wait(timeout=10)
        for pid, start in started.items():  # never leave the test's own processes behind
            if _running(pid, start):
                os.kill(pid, signal.SIGKILL)
