"""The LLM path wired into the engine: used when configured, never for questions that hold
identifying details, audited, and measured by the same evaluation runner."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from fake_llm_server import FakeLLMServer  # type: ignore[import-not-found]

from assistant.engine import Assistant

pytestmark = pytest.mark.slow
ICPC = "When must an initial child protection conference be held?"


@pytest.fixture
def llm_assistant(seed_assistant, embedder):  # type: ignore[no-untyped-def]
    with FakeLLMServer() as server:
        settings = seed_assistant.settings.with_(llm_provider="openai", llm_base_url=server.url, llm_model="fake")
        yield Assistant(settings, embedder=embedder), server


def _passage_number(assistant: Assistant) -> int:
    return next(i for i, p in enumerate(assistant.passages(ICPC), start=1) if "fifteen day" in p.chunk.text)


def test_ask_uses_the_model_when_configured(llm_assistant) -> None:  # type: ignore[no-untyped-def]
    assistant, server = llm_assistant
    n = _passage_number(assistant)
    server.script(f"Initial conferences must be held within the required 15 day timeline [{n}].")
    answer = assistant.ask(ICPC, user="tester")
    assert answer.mode == "llm"
    assert "fifteen day" in answer.citations[0].quote
    audit = "".join(p.read_text() for p in (assistant.settings.data_dir / "audit").glob("audit-*.jsonl"))
    assert '"mode": "llm"' in audit and "conference" not in audit


def test_identifying_details_never_reach_the_model(llm_assistant) -> None:  # type: ignore[no-untyped-def]
    assistant, server = llm_assistant
    before = len(server.requests)
    answer = assistant.ask("My client Jane Smith, DOB 12/03/2011: when must an ICPC be held?")
    assert answer.mode == "extractive" and answer.warnings
    assert len(server.requests) == before
    assert all("Jane" not in json.dumps(r) for r in server.requests)


def test_stream_ends_with_the_checked_answer(llm_assistant) -> None:  # type: ignore[no-untyped-def]
    assistant, server = llm_assistant
    n = _passage_number(assistant)
    server.script(f"Initial conferences must be held within the required 15 day timeline [{n}].")
    events = list(assistant.ask_stream(ICPC))
    assert events[-1].kind == "final" and events[-1].answer is not None
    assert events[-1].answer.mode == "llm"
    assert any(e.kind == "status" for e in events)


def test_eval_runs_in_llm_mode_when_configured(seed_assistant, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    dataset = tmp_path / "mini.jsonl"
    dataset.write_text(
        json.dumps(
            {
                "id": "icpc",
                "question": ICPC,
                "kind": "timescale",
                "answerable": True,
                "must_include": ["15 days"],
                "evidence": [{"document": "havering-lscb-annual-report-2014-15.txt", "quote": "fifteen day timeline"}],
            }
        )
        + "\n",
        encoding="utf-8",
    )
    n = _passage_number(seed_assistant)
    with FakeLLMServer() as server:
        server.script(f"Conferences must be held within the required 15 day timeline [{n}].")
        env = {
            **os.environ,
            "ASSISTANT_DATA_DIR": str(seed_assistant.settings.data_dir),
            "ASSISTANT_LLM_PROVIDER": "openai",
            "ASSISTANT_LLM_BASE_URL": server.url,
            "ASSISTANT_LLM_MODEL": "fake",
        }
        completed = subprocess.run(
            [
                sys.executable,
                "-m",
                "assistant",
                "eval",
                "--use-index",
                "--dataset",
                str(dataset),
                "--report",
                str(tmp_path / "r"),
                "--no-gate",
            ],
            env=env,
            capture_output=True,
            text=True,
            timeout=600,
        )
    assert completed.returncode == 0, completed.stderr
    report = json.loads((tmp_path / "r" / "report.json").read_text())
    assert report["counts"]["answered_by_llm"] == 1
    assert report["metrics"]["key_fact_accuracy"] == 1.0
