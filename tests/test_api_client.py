"""The web app's API, through gradio_client, against ``python app.py`` in a subprocess.

The named endpoint ``/ask`` returns the same JSON as ``assistant ask --json``
(``Answer.to_dict()``); it is the only endpoint the client libraries can see.
Also checked here over plain HTTP: the data folder is not reachable through Gradio's
file route, and analytics, SSR and the browser-side run history are off.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from webapp import ANSWER_KEYS, free_port, wait_http  # type: ignore[import-not-found]

ROOT = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def app_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """``python app.py`` on a free port over a copy of the corpus (no admin configured, a small queue)."""
    root = tmp_path_factory.mktemp("apiapp")
    shutil.copytree(ROOT / "corpus", root / "corpus")
    port = free_port()
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith("ASSISTANT_") or name == "ASSISTANT_MODEL_CACHE_DIR"
    }
    env.update(
        {
            "ASSISTANT_DATA_DIR": str(root / "data"),
            "ASSISTANT_CORPUS_DIR": str(root / "corpus"),
            "ASSISTANT_QUEUE_MAX_SIZE": "2",  # small, so that the burst below overflows it
            "ASSISTANT_CONCURRENCY_LIMIT": "1",
            "GRADIO_SERVER_NAME": "127.0.0.1",
            "GRADIO_SERVER_PORT": str(port),
            "HF_HUB_OFFLINE": "1",
            "TRANSFORMERS_OFFLINE": "1",
            "ANONYMIZED_TELEMETRY": "False",
        }
    )
    with (root / "app.log").open("wb") as log_file:
        process = subprocess.Popen(
            [sys.executable, str(ROOT / "app.py")], cwd=root, env=env, stdout=log_file, stderr=subprocess.STDOUT
        )
        url = f"http://127.0.0.1:{port}/"
        try:
            wait_http(url, process)
            yield {"url": url, "data_dir": root / "data", "log": root / "app.log"}
        finally:
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)


@pytest.fixture(scope="module")
def client(app_server: dict[str, Any]) -> Any:
    from gradio_client import Client

    return Client(app_server["url"], verbose=False)


def test_ask_returns_the_cli_answer_json(client: Any) -> None:
    result = client.predict("When must an initial child protection conference be held?", api_name="/ask")
    assert isinstance(result, dict)
    assert set(result) == ANSWER_KEYS
    assert result["abstained"] is False
    assert "[1]" in result["answer"] and "fifteen" in result["answer"].lower()
    assert result["citations"] and result["citations"][0]["quote"]
    assert result["citations"][0]["quote"] in result["answer"]
    assert result["citations"][0]["document"] == "havering-lscb-annual-report-2014-15.txt"
    assert "999" in result["notice"]
    assert result["warnings"] == []


def test_identifying_details_come_back_as_warnings(client: Any) -> None:
    result = client.predict(
        "My client Jane Smith, DOB 12/03/2011, lives at 14 Elm Road. What should I do?", api_name="/ask"
    )
    assert result["warnings"], result
    assert "identifying details" in result["warnings"][0]
    assert "Jane" not in json.dumps(result["warnings"])


def test_history_makes_follow_ups_work(client: Any) -> None:
    first_question = "How many contacts did the MASH receive in 2014/15?"
    first = client.predict(first_question, api_name="/ask")
    history = [{"question": first_question, "answer": first["answer"]}]
    follow_up = client.predict("And the year before?", history, api_name="/ask")
    assert "7410" in follow_up["answer"]


def test_errors_are_short_messages_not_tracebacks(client: Any) -> None:
    from gradio_client.exceptions import AppError

    with pytest.raises(AppError) as empty:
        client.predict("   ", api_name="/ask")
    assert "question is empty" in str(empty.value)
    assert "Traceback" not in str(empty.value)
    with pytest.raises(AppError) as malformed:
        client.predict("And then?", [{"answer": "no question"}], api_name="/ask")
    assert "history" in str(malformed.value).lower()


def test_only_the_ask_endpoint_is_exposed(client: Any) -> None:
    api = client.view_api(print_info=False, return_format="dict")
    assert set(api["named_endpoints"]) == {"/ask"}
    assert not api["unnamed_endpoints"]


def test_the_data_folder_is_not_served_and_analytics_are_off(app_server: dict[str, Any]) -> None:
    base = app_server["url"].rstrip("/")
    catalog = app_server["data_dir"] / "catalog.sqlite3"
    assert catalog.is_file()
    for path in (f"/gradio_api/file={catalog}", f"/file={catalog}", f"/gradio_api/file={ROOT / 'app.py'}"):
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(base + path, timeout=10)
        assert refused.value.code in (403, 404), path
    with urllib.request.urlopen(base + "/config", timeout=10) as response:
        config = json.loads(response.read())
    assert config["analytics_enabled"] is False
    assert config["show_error"] is False
    assert config["run_history"] is False
    assert config["max_file_size"] == 50 * 1_000_000  # MB = 1,000,000 bytes, as ingest counts them


def test_questions_are_not_logged(app_server: dict[str, Any], client: Any) -> None:
    client.predict("Is Zebedee Quarrington's case one for the MASH?", api_name="/ask")
    time.sleep(0.5)
    logs = app_server["log"].read_text(encoding="utf-8", errors="replace")
    logs += "".join(
        p.read_text(encoding="utf-8", errors="replace") for p in (app_server["data_dir"] / "logs").glob("*")
    )
    assert "answered question_chars=" in logs
    assert "Zebedee" not in logs and "Quarrington" not in logs


def test_a_full_queue_turns_requests_away_with_a_busy_message(client: Any) -> None:
    from concurrent.futures import ThreadPoolExecutor

    from gradio_client.utils import QueueError

    def ask(_: int) -> str:
        try:
            client.predict("How many contacts did the MASH receive in 2014/15?", api_name="/ask")
        except QueueError as exc:
            return f"busy: {exc}"
        return "answered"

    with ThreadPoolExecutor(max_workers=12) as pool:
        outcomes = list(pool.map(ask, range(12)))
    assert "answered" in outcomes
    busy = [o for o in outcomes if o.startswith("busy")]
    assert busy, outcomes
    assert "Queue is full" in busy[0]
