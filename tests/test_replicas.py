"""Stateless replicas: two app processes on one Chroma server answer alike, and see each other's ingests.

A real ``chroma run`` server and two ``python app.py`` processes with their own data
folders (each only a cache of what the server holds) and the same corpus folder. A
document indexed through replica A (its command line, on A's data folder) is answered by
replica B without a restart.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from webapp import ROOT, SEED, base_env, free_port, run_app, stop, wait_api_ready

pytestmark = pytest.mark.slow

QUESTIONS = (
    "What's the timescale for holding an ICPC?",
    "What is private fostering?",
    "How many contacts did the MASH receive?",
    "What does the LADO do?",
)
NEW_NAME = "rowing-club-safeguarding-policy.md"
NEW_DOCUMENT = """# Riverside Rowing Club safeguarding policy

## Reporting a concern

Any coach who is worried about a junior rower must tell the club welfare officer within
two hours of the concern arising. The club welfare officer decides whether to refer the
concern to children's social care and records the decision in the concern log.
"""
NEW_QUESTION = "Who must a rowing club coach tell about a worried junior rower, and how quickly?"


@pytest.fixture(scope="module")
def chroma_port(tmp_path_factory: pytest.TempPathFactory) -> Iterator[int]:
    chroma = shutil.which("chroma") or str(Path(sys.executable).with_name("chroma"))
    port = free_port()
    path = tmp_path_factory.mktemp("chroma-server")
    server = subprocess.Popen(
        [chroma, "run", "--path", str(path), "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=base_env(),
    )
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            with socket.socket() as probe:
                if probe.connect_ex(("127.0.0.1", port)) == 0:
                    break
            time.sleep(0.3)
        else:
            raise TimeoutError("the Chroma server did not start")
        yield port
    finally:
        stop(server)


def ask(client: httpx.Client, question: str) -> dict[str, Any]:
    response = client.post("/api/v1/ask", json={"question": question})
    assert response.status_code == 200, response.text
    return dict(response.json())


def essentials(answer: dict[str, Any]) -> tuple[Any, ...]:
    return (
        answer["answer"],
        answer["abstained"],
        [(c["document"], c["section"], c["page_label"], c["quote"]) for c in answer["citations"]],
    )


def test_two_replicas_on_one_chroma_server(tmp_path: Path, chroma_port: int) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(SEED, corpus / SEED.name)
    env = {
        "ASSISTANT_CHROMA_HOST": "127.0.0.1",
        "ASSISTANT_CHROMA_PORT": str(chroma_port),
        "ASSISTANT_REPLICA_REFRESH_S": "0.5",
    }
    with run_app(tmp_path / "a", corpus_dir=corpus, env=env) as a:
        wait_api_ready(a)
        with run_app(tmp_path / "b", corpus_dir=corpus, env=env) as b:
            wait_api_ready(b)
            with httpx.Client(base_url=a.base, timeout=120) as one, httpx.Client(base_url=b.base, timeout=120) as two:
                for question in QUESTIONS:
                    first, second = ask(one, question), ask(two, question)
                    assert essentials(first) == essentials(second), question
                    assert first["citations"] or first["abstained"]
                assert not any(c["document"] == NEW_NAME for c in ask(two, NEW_QUESTION)["citations"])

                # index a document through replica A's own command line and data folder
                extra = tmp_path / "extra"
                extra.mkdir()
                (extra / NEW_NAME).write_text(NEW_DOCUMENT, encoding="utf-8")
                done = subprocess.run(
                    [sys.executable, "-m", "assistant", "ingest", "--quiet", str(extra)],
                    cwd=ROOT,
                    env=a.env,
                    capture_output=True,
                    text=True,
                    timeout=600,
                )
                assert done.returncode == 0, done.stderr

                deadline = time.monotonic() + 60
                answer = ask(two, NEW_QUESTION)
                while NEW_NAME not in {c["document"] for c in answer["citations"]} and time.monotonic() < deadline:
                    time.sleep(0.5)
                    answer = ask(two, NEW_QUESTION)
                assert NEW_NAME in {c["document"] for c in answer["citations"]}, answer
                assert "welfare officer" in answer["answer"]
                listed = two.get("/api/v1/documents").json()
                assert NEW_NAME in {d["file"] for d in listed}
                assert essentials(ask(one, NEW_QUESTION)) == essentials(answer)


def test_a_replica_with_other_embedding_settings_is_refused_with_both_named(tmp_path: Path, chroma_port: int) -> None:
    from assistant.config import Settings
    from assistant.errors import IndexError_
    from assistant.index.catalog import Catalog
    from assistant.index.replica import SharedCatalogue
    from assistant.index.vectorstore import VectorStore

    settings = Settings(
        data_dir=tmp_path / "data", chroma_host="127.0.0.1", chroma_port=chroma_port, collection="format-check"
    )
    store = VectorStore(settings)
    writer = SharedCatalogue(store, Catalog(tmp_path / "one.sqlite3"), index_format="model-a:200:48", refresh_s=0)
    writer.withdraw(["nothing"])  # publishes the corpus token with its format
    reader = SharedCatalogue(store, Catalog(tmp_path / "two.sqlite3"), index_format="model-b:200:48", refresh_s=0)
    with pytest.raises(IndexError_) as caught:
        reader.refresh()
    assert "model-a:200:48" in str(caught.value) and "model-b:200:48" in str(caught.value)
    assert writer.refresh(force=True) is False  # same settings: nothing to take in
