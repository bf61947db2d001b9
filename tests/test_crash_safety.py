"""An ingest killed with SIGKILL, at ten points from model load to writing, never leaves
the index unusable, never duplicates or orphans chunks, and the next run completes it."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from assistant.config import Settings
from assistant.engine import Assistant

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "corpus" / "havering-lscb-annual-report-2014-15.txt"


def _write_corpus(folder: Path, generation: int, count: int = 6) -> None:
    """``count`` documents cut from the seed; each generation changes some of them."""
    paragraphs = [p for p in SEED.read_text(encoding="utf-8").split("\n\n") if p.strip()]
    size = len(paragraphs) // (count + 2)
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("*.txt"):
        old.unlink()
    for index in range(count):
        offset = (index + generation) % (count + 2)
        body = "\n\n".join(paragraphs[offset * size : offset * size + size // 2])
        name = f"doc-{(index + generation) % (count + 1)}.txt"
        (folder / name).write_text(f"Document {name} generation {generation}\n\n{body}\n", encoding="utf-8")


def _version(catalog: Path) -> int:
    try:
        with sqlite3.connect(f"file:{catalog}?mode=ro", uri=True, timeout=5) as connection:
            row = connection.execute("SELECT value FROM meta WHERE key = 'corpus_version'").fetchone()
            return int(row[0]) if row else 0
    except sqlite3.Error:
        return 0


def _start(corpus: Path, data: Path) -> subprocess.Popen[bytes]:
    env = {**os.environ, "ASSISTANT_DATA_DIR": str(data), "HF_HUB_OFFLINE": "1"}
    return subprocess.Popen(
        [sys.executable, "-m", "assistant", "ingest", "--quiet", str(corpus)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )


def _kill_at(process: subprocess.Popen[bytes], catalog: Path, commits: int | None, delay: float) -> None:
    """SIGKILL the ingest ``delay`` s after it started (``commits`` None) or after it
    committed ``commits`` more documents, unless it finished first."""
    baseline = _version(catalog)
    deadline = time.monotonic() + 120
    mark = time.monotonic() if commits is None else None
    while time.monotonic() < deadline and process.poll() is None:
        if mark is None and _version(catalog) >= baseline + (commits or 0):
            mark = time.monotonic()
        if mark is not None and time.monotonic() - mark >= delay:
            break
        time.sleep(0.02)
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGKILL)  # the parser child dies with it
    process.wait(timeout=30)


def _check_consistent(data: Path, corpus: Path, embedder) -> Assistant:  # type: ignore[no-untyped-def]
    """What any reader sees after a crash: a usable, duplicate-free committed index."""
    assistant = Assistant(Settings(data_dir=data, corpus_dir=corpus), embedder=embedder)
    # the lexical index retrieval uses (loaded, or rebuilt when the crash left it stale)
    _, lexical_size = assistant.term_statistics()
    health = assistant.health()
    assert not health.duplicate_spans, "duplicate chunks"
    counts = dict(health.chunks_per_document)
    assert len(counts) == len(health.documents)
    for record in health.documents:
        assert counts[record.doc_id] == record.chunk_count
        assert len(assistant.document_chunks(record.doc_id)) == record.chunk_count
    committed = health.committed
    assert sum(counts.values()) == len(committed)
    assert not health.missing_vectors, "a committed chunk has no vector"
    assert health.lexical == committed and lexical_size == len(committed)
    if health.documents:
        answer = assistant.ask("What is the MASH?")
        for citation in answer.citations:
            assert citation.chunk_id in committed
    return assistant


def test_ten_kills_at_different_points_then_a_clean_finish(tmp_path: Path, embedder) -> None:  # type: ignore[no-untyped-def]
    corpus = tmp_path / "corpus"
    data = tmp_path / "data"
    catalog = data / "catalog.sqlite3"
    # (what the ingest is doing, commits to wait for, then seconds to wait)
    trials: list[tuple[str, int | None, float]] = [
        ("starting up", None, 1.0),
        ("loading the model", None, 4.0),
        ("parsing and embedding the first document", None, 7.0),
        ("right after the first commit", 1, 0.0),
        ("embedding the next document", 1, 0.3),
        ("upserting vectors", 1, 0.8),
        ("right after the second commit", 2, 0.0),
        ("embedding after two commits", 2, 0.5),
        ("after three commits", 3, 0.0),
        ("removing documents and rebuilding the lexical index", 4, 0.05),
    ]
    for generation, (_, commits, delay) in enumerate(trials):
        _write_corpus(corpus, generation)
        _kill_at(_start(corpus, data), catalog, commits, delay)
        assistant = _check_consistent(data, corpus, embedder)
        assistant.close()

    # The run after the last crash completes everything, with nothing left over.
    finished = subprocess.run(
        [sys.executable, "-m", "assistant", "ingest", "--quiet", str(corpus)],
        env={**os.environ, "ASSISTANT_DATA_DIR": str(data), "HF_HUB_OFFLINE": "1"},
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert finished.returncode == 0, finished.stderr
    assistant = _check_consistent(data, corpus, embedder)
    health = assistant.health()
    assert sorted(r.file_name for r in health.documents) == sorted(p.name for p in corpus.glob("*.txt"))
    assert sorted(r.file_name for r in assistant.documents()) == sorted(p.name for p in corpus.glob("*.txt"))
    assert health.vectors == health.committed, "orphan vectors remain"
    assert health.ingest_state == "clean"
    assert health.consistent
    assistant.close()
