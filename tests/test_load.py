"""Load on the web app's ``/ask`` API through bench/load.py: many gradio_client sessions at once.

The app (``python app.py``) builds its index once for the module; other apps then reuse
the same data folder. With the default settings (a line of 256, two answers at a time) 50
concurrent sessions are all served, through the chat's endpoint and through the HTTP API:
none is turned away, nothing fails, and the app goes on answering. With ASSISTANT_QUEUE_MAX_SIZE=2 and ASSISTANT_CONCURRENCY_LIMIT=1, 10 sessions
must be turned away in part, with the same message, and nothing else may fail.
The figures (throughput, p50/p95 latency, counts) are printed (``pytest -s`` shows them).
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
from webapp import ROOT, SEED, RunningApp, run_app, wait_ready

if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.load import BUSY_TEXT, load_questions, run_load

pytestmark = pytest.mark.slow

DEFAULT_USERS, DEFAULT_SECONDS = 50, 15.0
SMALL_USERS, SMALL_SECONDS = 10, 8.0


@pytest.fixture(scope="module")
def shared(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """One corpus and one data folder: the first app builds the index, the second reuses it."""
    root = tmp_path_factory.mktemp("load")
    corpus = root / "corpus"
    corpus.mkdir()
    (corpus / SEED.name).write_bytes(SEED.read_bytes())
    return {"root": root, "corpus": corpus, "data": root / "data"}


@contextmanager
def _app(shared: dict[str, Path], name: str, env: dict[str, str]) -> Iterator[RunningApp]:
    with run_app(
        shared["root"] / name, data_dir=shared["data"], corpus_dir=shared["corpus"], env=env, admin=False
    ) as app:
        yield app


def _report(title: str, figures: dict[str, Any]) -> None:
    print(f"\n== {title}\n{json.dumps(figures, indent=2)}")
    latency = figures["latency_ms"]
    print(
        f"{title}: {figures['users']} users x {figures['seconds']:.0f} s -> {figures['answered']} answered "
        f"({figures['throughput_rps']} /s), p50 {latency['p50']:.0f} ms, p95 {latency['p95']:.0f} ms, "
        f"errors {figures['errors']}, busy {figures['busy']}"
    )


def _one_more_answer(app: RunningApp) -> None:
    from gradio_client import Client

    client = Client(app.url, verbose=False)
    try:
        result = client.submit("When must an initial child protection conference be held?", api_name="/ask").result(
            timeout=120
        )
    finally:
        client.close()
    assert "fifteen" in result["answer"].lower() and result["citations"], result
    assert app.alive()


def test_percentile_and_questions() -> None:
    from bench.load import percentile

    assert percentile([], 95) == 0.0
    assert percentile([5.0], 50) == 5.0
    values = [float(v) for v in range(1, 101)]
    assert percentile(values, 50) == 50.0 and percentile(values, 95) == 95.0 and percentile(values, 100) == 100.0
    assert len(load_questions()) >= 100


@pytest.mark.parametrize("api", ["chat", "http"])
def test_fifty_sessions_are_all_served_with_the_defaults(shared: dict[str, Path], api: str) -> None:
    from assistant.config import Settings

    defaults = Settings()
    assert defaults.queue_max_size >= DEFAULT_USERS
    with _app(shared, f"default-{api}", {}) as app:
        wait_ready(app)
        figures = run_load(app.url, users=DEFAULT_USERS, seconds=DEFAULT_SECONDS, api=api)
        _report(f"defaults, {api}", figures)
        assert figures["errors"] == 0, figures["error_samples"]
        assert figures["busy"] == 0, figures["busy_messages"]
        assert figures["answered"] >= DEFAULT_USERS
        assert figures["requests"] == figures["answered"]
        _one_more_answer(app)
        assert "Traceback" not in app.log_text()


def _raw_burst(app: RunningApp, count: int) -> list[tuple[int, str]]:
    """``count`` /ask requests joined to the queue at once, over plain HTTP (as the browser's client does)."""
    config = httpx.get(app.base + "/config", timeout=30).json()
    ask = next(d for d in config["dependencies"] if d.get("api_name") == "ask")
    question = "How often should looked-after children have health assessments?"

    def join(n: int) -> tuple[int, str]:
        body = {"data": [question, None], "fn_index": ask["id"], "session_hash": f"burst{n:04d}", "event_data": None}
        response = httpx.post(app.base + "/gradio_api/queue/join", json=body, timeout=30)
        return response.status_code, response.text

    with ThreadPoolExecutor(max_workers=count) as pool:
        return list(pool.map(join, range(count)))


def test_a_tiny_queue_turns_sessions_away_with_a_clear_busy_message(shared: dict[str, Path]) -> None:
    env = {"ASSISTANT_QUEUE_MAX_SIZE": "2", "ASSISTANT_CONCURRENCY_LIMIT": "1"}
    with _app(shared, "tiny", env) as app:
        wait_ready(app)
        figures = run_load(app.url, users=SMALL_USERS, seconds=SMALL_SECONDS)
        _report("queue 2, concurrency 1", figures)
        assert figures["errors"] == 0, figures["error_samples"]
        assert figures["busy"] > 0, figures
        assert figures["answered"] > 0
        assert all(BUSY_TEXT in message for message in figures["busy_messages"]), figures["busy_messages"]

        outcomes = _raw_burst(app, 12)
        refused = [text for status, text in outcomes if status == 503]
        assert refused, outcomes
        assert all(status in (200, 503) for status, _ in outcomes), outcomes
        for text in refused:
            assert "Queue is full. Max size is 2" in json.loads(text)["detail"], text
            assert "Traceback" not in text
        _one_more_answer(app)
        assert "Traceback" not in app.log_text()
