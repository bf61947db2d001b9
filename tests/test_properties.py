"""Property-based tests of the index (Hypothesis, real model and real Chroma): whatever the
sequence of adds, edits and removals, re-ingesting is idempotent, a removed document leaves
no chunk behind, and the counts survive a restart."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assistant.config import Settings
from assistant.engine import Assistant

pytestmark = pytest.mark.slow
SEED = Path(__file__).resolve().parents[1] / "corpus" / "havering-lscb-annual-report-2014-15.txt"
PARAGRAPHS = [p.strip() for p in SEED.read_text(encoding="utf-8").split("\n\n") if len(p.strip()) > 40][:400]

NAMES = ["a.txt", "b.md", "c.txt", "d.md"]
operation = st.one_of(
    st.tuples(
        st.just("write"), st.sampled_from(NAMES), st.lists(st.integers(0, len(PARAGRAPHS) - 1), min_size=3, max_size=12)
    ),
    st.tuples(st.just("delete"), st.sampled_from(NAMES), st.just([])),
)


def _state(assistant: Assistant) -> tuple[int, int, frozenset[str]]:
    status = assistant.status()
    return status["documents"], status["chunks"], assistant.health().committed


def _assert_consistent(assistant: Assistant) -> None:
    _, lexical_size = assistant.term_statistics()  # the lexical index retrieval uses
    health = assistant.health()
    committed = health.committed
    assert health.vectors == committed
    assert health.lexical == committed and lexical_size == len(committed)
    assert not health.duplicate_spans


@settings(
    max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)
@given(st.lists(operation, min_size=1, max_size=5))
def test_any_sequence_of_changes_keeps_the_index_exact(tmp_path_factory, embedder, operations) -> None:  # type: ignore[no-untyped-def]
    root = tmp_path_factory.mktemp("prop")
    corpus = root / "corpus"
    corpus.mkdir()
    config = Settings(data_dir=root / "data", corpus_dir=corpus)
    assistant = Assistant(config, embedder=embedder)
    for kind, name, picks in operations:
        path = corpus / name
        if kind == "write":
            heading = "# Section\n\n" if name.endswith(".md") else ""
            path.write_text(heading + "\n\n".join(PARAGRAPHS[i] for i in picks) + "\n", encoding="utf-8")
        elif path.exists():
            path.unlink()
        if not any(corpus.iterdir()):
            continue
        report = assistant.ingest()
        assert report.exit_code == 0, report.as_dict()
        _assert_consistent(assistant)
        present = {p.name for p in corpus.iterdir()}
        assert {r.file_name for r in assistant.documents()} <= present

        # Idempotent: the same folder again changes nothing.
        before = _state(assistant)
        version = assistant.corpus_version
        again = assistant.ingest()
        assert not again.changed and _state(assistant) == before and assistant.corpus_version == version

    # Counts survive a restart (a new process would open the same folder).
    before = _state(assistant)
    assistant.close()
    reopened = Assistant(config, embedder=embedder)
    assert _state(reopened) == before
    _assert_consistent(reopened)
    reopened.close()
    shutil.rmtree(root, ignore_errors=True)


@settings(
    max_examples=5, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)
@given(st.sets(st.sampled_from(NAMES), min_size=1, max_size=4), st.data())
def test_removing_a_document_removes_all_its_chunks(tmp_path_factory, embedder, names, data) -> None:  # type: ignore[no-untyped-def]
    root = tmp_path_factory.mktemp("remove")
    corpus = root / "corpus"
    corpus.mkdir()
    for number, name in enumerate(sorted(names)):
        (corpus / name).write_text("\n\n".join(PARAGRAPHS[number * 7 : number * 7 + 6]) + "\n", encoding="utf-8")
    assistant = Assistant(Settings(data_dir=root / "data", corpus_dir=corpus), embedder=embedder)
    assistant.ingest()
    records = assistant.documents()
    victim = data.draw(st.sampled_from(records))
    chunk_ids = {c.chunk_id for c in assistant.document_chunks(victim.doc_id)}
    assert chunk_ids
    assistant.remove([victim.doc_id])
    assert assistant.document_chunks(victim.doc_id) == []
    health = assistant.health()
    assert not chunk_ids & health.committed
    assert not chunk_ids & health.vectors
    assert not chunk_ids & health.lexical
    assert all(c.chunk_id not in chunk_ids for p in [assistant.passages("board", k=20)] for c in (x.chunk for x in p))
    _assert_consistent(assistant)
    assistant.close()
    shutil.rmtree(root, ignore_errors=True)
