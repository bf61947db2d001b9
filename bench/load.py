"""Load test of the web app: N concurrent users asking questions for S seconds.

    python -m bench.load --users 50 --seconds 60 --url http://127.0.0.1:7860/
    python -m bench.load --users 50 --seconds 60 --start-app            # a temporary app over corpus/
    python -m bench.load --users 50 --seconds 60 --start-app --api http     # the HTTP API, /api/v1/ask
    python -m bench.load --users 50 --seconds 60 --start-app --api browser  # the chat, as the page calls it
    python -m bench.load --users 10 --seconds 20 --start-app --queue-max-size 2 --concurrency-limit 1

With ``--api chat`` (the default) each simulated user is its own gradio_client session (its
own session hash) calling the chat's ``/ask`` endpoint, through Gradio's queue; with ``--api
http`` each is its own HTTP client posting to ``/api/v1/ask``. Users ask the questions of
``eval/dataset.jsonl`` in turn, one at a time, until the time is up; a request still running
then is waited for and counted. A request turned away because the app is full (Gradio's
"Queue is full" message, or the API's 503) is counted as *busy*, not as an error; the user
waits ``--busy-backoff`` seconds before asking again. Everything else that goes wrong is an
*error*. One JSON object is printed: throughput (answers per second), latency p50/p95/max
of the answered requests, and the counts.

Nothing is imported from the product: the app is driven over HTTP only, so the script can
point at any running deployment.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DATASET = ROOT / "eval" / "dataset.jsonl"
BUSY_TEXT = "Queue is full"

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
os.environ.setdefault("HF_HUB_OFFLINE", "1")


def load_questions(path: Path = DATASET) -> list[str]:
    questions = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            question = json.loads(line).get("question")
            if isinstance(question, str) and question.strip():
                questions.append(question)
    if not questions:
        raise SystemExit(f"no questions in {path}")
    return questions


def percentile(values: Sequence[float], pct: float) -> float:
    """Nearest-rank percentile (0 for no values)."""
    ordered = sorted(values)
    if not ordered:
        return 0.0
    rank = max(1, min(len(ordered), int(-(-pct * len(ordered) // 100))))
    return ordered[rank - 1]


@dataclass
class _Tally:
    latencies_ms: list[float] = field(default_factory=list)
    busy_messages: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    abstained: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)


class Busy(Exception):
    """The app turned the request away because it is full."""


def _is_busy(exc: BaseException) -> bool:
    return isinstance(exc, Busy) or BUSY_TEXT.lower() in str(exc).lower()


class _ChatUser:
    """One gradio_client session calling the chat's ``/ask`` endpoint."""

    def __init__(self, url: str) -> None:
        from gradio_client import Client

        self._client = Client(url, verbose=False)

    def ask(self, question: str) -> Any:
        return self._client.predict(question, api_name="/ask")

    def close(self) -> None:
        self._client.close()


class _HttpUser:
    """One HTTP client (its own connection) posting to ``/api/v1/ask``."""

    def __init__(self, url: str) -> None:
        import httpx

        self._client = httpx.Client(base_url=url, timeout=300)
        self._client.get("api/v1/health").raise_for_status()

    def ask(self, question: str) -> Any:
        response = self._client.post("api/v1/ask", json={"question": question})
        if response.status_code == 503:
            raise Busy(response.text[:200])
        response.raise_for_status()
        return response.json()

    def close(self) -> None:
        self._client.close()


class _BrowserUser:
    """The chat's ``/ask`` endpoint through Gradio's queue, as the page's own script calls it:
    join the queue (POST), then read the event stream (SSE) until the answer comes. A much
    lighter client than gradio_client, whose 50 sessions take more than a core of this machine."""

    def __init__(self, url: str) -> None:
        import secrets

        import httpx

        self._http = httpx.Client(timeout=300)
        self._api = url.rstrip("/") + "/gradio_api"
        config = self._http.get(url.rstrip("/") + "/config")
        config.raise_for_status()
        ask = next(d for d in config.json()["dependencies"] if d.get("api_name") == "ask")
        self._fn_index = ask["id"]
        self._session_hash = secrets.token_hex(6)

    def ask(self, question: str) -> Any:
        body = {
            "data": [question, None],
            "event_data": None,
            "fn_index": self._fn_index,
            "trigger_id": None,
            "session_hash": self._session_hash,
        }
        joined = self._http.post(self._api + "/queue/join", json=body)
        if joined.status_code != 200:
            if BUSY_TEXT.lower() in joined.text.lower():
                raise Busy(joined.text[:200])
            raise RuntimeError(f"queue/join: HTTP {joined.status_code}: {joined.text[:200]}")
        with self._http.stream("GET", self._api + "/queue/data", params={"session_hash": self._session_hash}) as stream:
            for line in stream.iter_lines():
                if line.startswith("data:"):
                    message = json.loads(line[5:])
                    if message.get("msg") == "process_completed":
                        output = message.get("output") or {}
                        if not message.get("success", True):
                            raise RuntimeError(f"the app failed: {str(output)[:200]}")
                        return (output.get("data") or [None])[0]
        raise RuntimeError("the event stream ended without an answer")

    def close(self) -> None:
        self._http.close()


USERS = {"chat": _ChatUser, "browser": _BrowserUser, "http": _HttpUser}


def _user(
    index: int,
    url: str,
    questions: Sequence[str],
    clock: dict[str, float],
    tally: _Tally,
    start: threading.Barrier,
    busy_backoff_s: float,
    think_s: float,
    api: str,
) -> None:
    try:
        client = USERS[api](url)
    except Exception as exc:
        with tally.lock:
            tally.errors.append(f"connect: {type(exc).__name__}: {exc}"[:300])
        start.abort()
        return
    try:
        start.wait(timeout=120)
        n = index
        while time.monotonic() < clock["deadline"]:
            question = questions[n % len(questions)]
            n += 1
            began = time.perf_counter()
            try:
                result = client.ask(question)
            except Exception as exc:
                with tally.lock:
                    if _is_busy(exc):
                        tally.busy_messages.append(str(exc))
                    else:
                        tally.errors.append(f"{type(exc).__name__}: {exc}"[:300])
                if _is_busy(exc):
                    time.sleep(busy_backoff_s)
                continue
            elapsed = (time.perf_counter() - began) * 1000
            with tally.lock:
                if isinstance(result, dict) and isinstance(result.get("answer"), str) and result["answer"]:
                    tally.latencies_ms.append(elapsed)
                    tally.abstained += bool(result.get("abstained"))
                else:
                    tally.errors.append(f"unexpected response: {str(result)[:200]}")
            if think_s:
                time.sleep(think_s)
    except threading.BrokenBarrierError:
        pass
    finally:
        client.close()


def run_load(
    url: str,
    *,
    users: int = 50,
    seconds: float = 60.0,
    questions: Sequence[str] | None = None,
    busy_backoff_s: float = 0.5,
    think_s: float = 0.0,
    drain_timeout_s: float = 300.0,
    api: str = "chat",
) -> dict[str, Any]:
    """Run the load and return the figures (see the module docstring)."""
    questions = list(questions or load_questions())
    tally = _Tally()
    clock: dict[str, float] = {}

    def go() -> None:  # run once, when every session is connected, before any is released
        clock["began"] = time.monotonic()
        clock["deadline"] = clock["began"] + seconds

    import resource

    cpu_before = resource.getrusage(resource.RUSAGE_SELF)
    start = threading.Barrier(users + 1, action=go)
    threads = [
        threading.Thread(
            target=_user,
            args=(i, url, questions, clock, tally, start, busy_backoff_s, think_s, api),
            name=f"load-user-{i}",
            daemon=True,
        )
        for i in range(users)
    ]
    for thread in threads:
        thread.start()
    try:
        start.wait(timeout=180)
    except threading.BrokenBarrierError:
        clock.setdefault("began", time.monotonic())
    began = clock["began"]
    for thread in threads:
        thread.join(timeout=max(1.0, began + seconds + drain_timeout_s - time.monotonic()))
    elapsed = time.monotonic() - began
    cpu_after = resource.getrusage(resource.RUSAGE_SELF)
    driver_cpu_s = (cpu_after.ru_utime - cpu_before.ru_utime) + (cpu_after.ru_stime - cpu_before.ru_stime)
    stuck = sum(thread.is_alive() for thread in threads)
    latencies = tally.latencies_ms
    answered = len(latencies)
    busy = len(tally.busy_messages)
    errors = list(tally.errors) + [f"{stuck} session(s) still waiting after the drain timeout"] * bool(stuck)
    return {
        "url": url,
        "api": api,
        "users": users,
        "think_s": think_s,
        "seconds": seconds,
        "elapsed_s": round(elapsed, 2),
        "requests": answered + busy + len(tally.errors),
        "answered": answered,
        "abstained": tally.abstained,
        "throughput_rps": round(answered / elapsed, 3) if elapsed > 0 else 0.0,
        "latency_ms": {
            "p50": round(percentile(latencies, 50), 1),
            "p95": round(percentile(latencies, 95), 1),
            "max": round(max(latencies, default=0.0), 1),
            "mean": round(sum(latencies) / answered, 1) if answered else 0.0,
        },
        "errors": len(errors),
        "busy": busy,
        "driver_cpu_s": round(driver_cpu_s, 1),
        "busy_messages": sorted(set(tally.busy_messages)),
        "error_samples": sorted(set(errors))[:10],
    }


# -- a temporary app ---------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _wait_http(url: str, process: subprocess.Popen[bytes], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the app exited early with code {process.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise TimeoutError(f"{url} did not answer within {timeout:.0f} s")


def warm_up(url: str, timeout_s: float = 600.0) -> float:
    """Ask one question (it waits until the index is built and the model loaded); returns the seconds taken."""
    from gradio_client import Client

    began = time.monotonic()
    client = Client(url, verbose=False)
    try:
        result = client.submit("What is the MASH?", api_name="/ask").result(timeout=timeout_s)
    finally:
        client.close()
    if not (isinstance(result, dict) and result.get("answer")):
        raise RuntimeError(f"the warm-up question got no answer: {result!r}"[:300])
    return time.monotonic() - began


@contextmanager
def start_app(
    *,
    env: Mapping[str, str] | None = None,
    data_dir: Path | None = None,
    corpus_dir: Path | None = None,
    log_path: Path | None = None,
) -> Iterator[str]:
    """``python app.py`` on a free port over a temporary copy of corpus/ (or the given folders); yields its URL."""
    with tempfile.TemporaryDirectory(prefix="assistant-load-") as scratch:
        work = Path(scratch)
        if corpus_dir is None:
            corpus_dir = work / "corpus"
            shutil.copytree(ROOT / "corpus", corpus_dir)
        port = _free_port()
        app_env = {
            k: v
            for k, v in os.environ.items()
            if not k.startswith(("ASSISTANT_", "GRADIO_")) or k == "ASSISTANT_MODEL_CACHE_DIR"
        }
        app_env.update(
            {
                "ASSISTANT_DATA_DIR": str(data_dir or work / "data"),
                "ASSISTANT_CORPUS_DIR": str(corpus_dir),
                "GRADIO_SERVER_NAME": "127.0.0.1",
                "GRADIO_SERVER_PORT": str(port),
                "GRADIO_TEMP_DIR": str(work / "gradio-tmp"),
                "GRADIO_ANALYTICS_ENABLED": "False",
                "HF_HUB_OFFLINE": "1",
                "TRANSFORMERS_OFFLINE": "1",
                "ANONYMIZED_TELEMETRY": "False",
            }
        )
        app_env.update(env or {})
        log_path = log_path or work / "app.log"
        with log_path.open("wb") as log_file:
            process = subprocess.Popen(
                [sys.executable, str(ROOT / "app.py")], cwd=work, env=app_env, stdout=log_file, stderr=subprocess.STDOUT
            )
            url = f"http://127.0.0.1:{port}/"
            try:
                _wait_http(url, process, 180.0)
                yield url
            finally:
                if process.poll() is None:
                    process.terminate()
                    try:
                        process.wait(timeout=20)
                    except subprocess.TimeoutExpired:
                        process.kill()
                        process.wait(timeout=10)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.load", description=__doc__.split("\n\n")[0])
    where = parser.add_mutually_exclusive_group(required=True)
    where.add_argument("--url", help="a running app, e.g. http://127.0.0.1:7860/")
    where.add_argument("--start-app", action="store_true", help="start a temporary app over a copy of corpus/")
    parser.add_argument(
        "--api",
        choices=sorted(USERS),
        default="chat",
        help="the chat's /ask through Gradio's queue, with gradio_client (chat) or as the page's script calls it "
        "(browser); or the HTTP API's /api/v1/ask (http)",
    )
    parser.add_argument("--users", type=int, default=50, help="concurrent sessions (default 50)")
    parser.add_argument("--seconds", type=float, default=60.0, help="how long each session keeps asking (default 60)")
    parser.add_argument("--dataset", type=Path, default=DATASET, help="JSON lines with a 'question' field")
    parser.add_argument("--busy-backoff", type=float, default=0.5, help="pause after a busy refusal (s)")
    parser.add_argument("--think", type=float, default=0.0, help="pause between a user's questions (s)")
    parser.add_argument("--queue-max-size", type=int, help="with --start-app: ASSISTANT_QUEUE_MAX_SIZE")
    parser.add_argument("--concurrency-limit", type=int, help="with --start-app: ASSISTANT_CONCURRENCY_LIMIT")
    parser.add_argument("-o", "--output", type=Path, help="also write the JSON here")
    args = parser.parse_args(argv)
    if args.users < 1 or args.seconds <= 0:
        parser.error("--users and --seconds must be positive")
    questions = load_questions(args.dataset)

    def measure(url: str) -> dict[str, Any]:
        warm = warm_up(url)
        report = run_load(
            url,
            users=args.users,
            seconds=args.seconds,
            questions=questions,
            busy_backoff_s=args.busy_backoff,
            think_s=args.think,
            api=args.api,
        )
        report["warm_up_s"] = round(warm, 1)
        healthy = True
        try:
            warm_up(url, timeout_s=120)
        except Exception:
            healthy = False
        report["healthy_after"] = healthy
        return report

    if args.start_app:
        env = {}
        if args.queue_max_size is not None:
            env["ASSISTANT_QUEUE_MAX_SIZE"] = str(args.queue_max_size)
        if args.concurrency_limit is not None:
            env["ASSISTANT_CONCURRENCY_LIMIT"] = str(args.concurrency_limit)
        with start_app(env=env) as url:
            report = measure(url)
            report["app_settings"] = env
    else:
        report = measure(args.url)
    text = json.dumps(report, indent=2)
    print(text)
    if args.output:
        args.output.write_text(text + "\n", encoding="utf-8")
    return 0 if report["errors"] == 0 and report["healthy_after"] else 1


if __name__ == "__main__":
    sys.exit(main())
