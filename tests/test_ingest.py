"""Ingesting folders into a real index (Chroma + SQLite catalogue + BM25) in tmp folders.

Covers partial failures and exit codes, idempotence, changed/removed/renamed/duplicate
files, crash recovery (orphan vectors, SIGKILL mid-ingest) and the ``assistant`` CLI.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

from assistant.engine import Assistant
from assistant.index.catalog import Catalog
from assistant.index.vectorstore import VectorStore
from assistant.models import Chunk

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "corpus" / "havering-lscb-annual-report-2014-15.txt"

FOSTERING = (
    "# Private fostering\n\n"
    "A private fostering arrangement is one where a child is cared for by someone who is not a close "
    "relative for twenty-eight days or more. The local authority must be notified of the arrangement.\n"
)
CONFERENCE = (
    "The initial child protection conference must be held within fifteen working days of the strategy "
    "discussion. The chair is independent of the case.\n"
)
LADO = (
    "<html><head><title>LADO</title></head><body><h1>The LADO</h1>"
    "<p>The Local Authority Designated Officer manages allegations against adults who work with children.</p>"
    "</body></html>"
)


def _write_good(folder: Path) -> list[str]:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "fostering.md").write_text(FOSTERING, encoding="utf-8")
    (folder / "conference.txt").write_text(CONFERENCE, encoding="utf-8")
    (folder / "lado.html").write_text(LADO, encoding="utf-8")
    return ["conference.txt", "fostering.md", "lado.html"]


def _write_bad(folder: Path, pdf_samples: Path) -> list[str]:
    from fpdf import FPDF

    folder.mkdir(parents=True, exist_ok=True)
    (folder / "empty.txt").write_bytes(b"")
    (folder / "random.pdf").write_bytes(os.urandom(3000))
    git = (pdf_samples / "git.pdf").read_bytes()
    (folder / "half-git.pdf").write_bytes(git[: len(git) // 2])
    (folder / "binary.txt").write_bytes(bytes(range(256)) * 8)
    (folder / "setup.exe").write_bytes(b"MZ" + b"\x00" * 100)
    (folder / "photo.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 100)
    (folder / "too-big.txt").write_text("Safeguarding is everyone's responsibility. " * 1600, encoding="utf-8")
    shutil.copy(pdf_samples / "r4-user-password.pdf", folder / "locked.pdf")
    pdf = FPDF()
    pdf.add_page()
    pdf.add_page()
    pdf.output(str(folder / "scanned.pdf"))
    return sorted(
        [
            "empty.txt",
            "random.pdf",
            "half-git.pdf",
            "binary.txt",
            "setup.exe",
            "photo.png",
            "too-big.txt",
            "locked.pdf",
            "scanned.pdf",
        ]
    )


SMALL_LIMIT_MB = 0.05  # 52 428 bytes: every other file is below it, too-big.txt (70 400 bytes) above


def _assert_consistent(assistant: Assistant) -> None:
    """Vector store, catalogue and lexical index hold exactly the same chunk ids; no chunk twice."""
    health = assistant.health()
    assert health.vectors == health.committed, (sorted(health.orphan_vectors), sorted(health.missing_vectors))
    assert health.lexical == health.committed
    assert assistant.status()["chunks"] == len(health.committed)
    assert not health.duplicate_spans and not health.duplicate_texts
    assert health.consistent


def _names(assistant: Assistant) -> list[str]:
    return [r.file_name for r in assistant.documents()]


def _chunks(assistant: Assistant) -> list[Chunk]:
    """Every committed chunk, document by document."""
    return [c for r in assistant.documents() for c in assistant.document_chunks(r.doc_id)]


def _chunk_ids(assistant: Assistant, file_name: str) -> list[str]:
    record = next(r for r in assistant.documents() if r.file_name == file_name)
    return [c.chunk_id for c in assistant.document_chunks(record.doc_id)]


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "corpus"
    _write_good(folder)
    return folder


@pytest.fixture
def assistant(make_settings, corpus: Path, embedder) -> Assistant:  # type: ignore[no-untyped-def]
    return Assistant(make_settings(corpus=corpus, max_file_mb=SMALL_LIMIT_MB), embedder=embedder)


# --------------------------------------------------------------------------------------
# Good and bad files, exit codes


def test_partial_ingest_indexes_good_files_and_names_every_bad_one(
    assistant: Assistant, corpus: Path, pdf_samples: Path
) -> None:
    bad = _write_bad(corpus, pdf_samples)
    report = assistant.ingest()
    assert sorted(report.added) == ["conference.txt", "fostering.md", "lado.html"]
    failed = dict(report.failed)
    assert sorted(failed) == bad
    assert all(reason.strip() for reason in failed.values())
    assert "empty" in failed["empty.txt"]
    assert "%PDF" in failed["random.pdf"] or "not a PDF" in failed["random.pdf"]
    assert "damaged" in failed["half-git.pdf"] or "truncated" in failed["half-git.pdf"]
    assert "binary" in failed["binary.txt"]
    assert "unsupported" in failed["setup.exe"] and "unsupported" in failed["photo.png"]
    assert "ASSISTANT_MAX_FILE_MB" in failed["too-big.txt"]
    assert "password" in failed["locked.pdf"]
    assert "OCR" in failed["scanned.pdf"]
    assert report.exit_code == 3
    assert report.documents == 3
    assert _names(assistant) == ["conference.txt", "fostering.md", "lado.html"]
    _assert_consistent(assistant)
    # the report names files in its JSON form too
    as_dict = report.as_dict()
    assert {f["file"] for f in as_dict["failed"]} == set(bad)


def test_all_bad_folder_exits_1(make_settings, embedder, tmp_path: Path, pdf_samples: Path) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path / "bad"
    bad = _write_bad(folder, pdf_samples)
    assistant = Assistant(make_settings(corpus=folder, max_file_mb=SMALL_LIMIT_MB), embedder=embedder)
    report = assistant.ingest()
    assert sorted(dict(report.failed)) == bad
    assert report.added == [] and report.documents == 0
    assert report.exit_code == 1
    health = assistant.health()
    assert health.vectors == health.committed == frozenset()


def test_all_good_folder_exits_0(assistant: Assistant) -> None:
    report = assistant.ingest()
    assert report.exit_code == 0
    assert report.failed == [] and report.skipped == []
    assert report.documents == 3 and report.chunks == report.chunks_added > 0
    _assert_consistent(assistant)
    answer = assistant.ask("When must an initial child protection conference be held?")
    assert not answer.abstained
    assert any(c.document == "conference.txt" and "fifteen working days" in c.quote for c in answer.citations)


# --------------------------------------------------------------------------------------
# Incremental and idempotent


def test_second_ingest_of_an_unchanged_folder_changes_nothing(assistant: Assistant, corpus: Path) -> None:
    first = assistant.ingest()
    version, chunks, ids = assistant.corpus_version, assistant.status()["chunks"], assistant.health().vectors
    second = assistant.ingest()
    assert sorted(second.unchanged) == sorted(first.added)
    assert second.added == second.updated == second.removed == [] and second.failed == []
    assert second.chunks_added == 0
    assert assistant.corpus_version == version
    assert assistant.status()["chunks"] == chunks == second.chunks
    assert assistant.health().vectors == ids and len(ids) == chunks
    # a touched file (new mtime, same bytes) is still unchanged and adds no vectors
    future = time.time() + 60
    os.utime(corpus / "conference.txt", (future, future))
    third = assistant.ingest()
    assert "conference.txt" in third.unchanged and third.chunks_added == 0
    assert assistant.corpus_version == version and assistant.health().vectors == ids
    fourth = assistant.ingest()
    assert sorted(fourth.unchanged) == sorted(first.added)
    _assert_consistent(assistant)


def test_an_upgraded_parser_parses_every_document_again(
    assistant: Assistant, corpus: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = assistant.ingest()
    chunks = assistant.status()["chunks"]
    # an index written before documents carried the parser's stamp: every document is parsed again
    with sqlite3.connect(assistant.settings.catalog_path) as connection:
        connection.execute("UPDATE documents SET parser = ''")
    second = assistant.ingest()
    assert sorted(second.updated) == sorted(first.added) and second.unchanged == []
    assert assistant.status()["chunks"] == chunks
    _assert_consistent(assistant)
    assert sorted(assistant.ingest().unchanged) == sorted(first.added)
    # a new version of the parsing code (another stamp): the same again, once
    monkeypatch.setattr("assistant.index.ingest.parser_stamp", lambda: "0123456789abcdef")
    third = assistant.ingest()
    assert sorted(third.updated) == sorted(first.added) and third.unchanged == []
    _assert_consistent(assistant)
    assert sorted(assistant.ingest().unchanged) == sorted(first.added)
    assert assistant.passages("initial child protection conference")


def test_a_parser_that_cuts_a_document_into_fewer_chunks_replaces_the_old_ones(
    make_settings, corpus: Path, embedder, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    """The same file, parsed again by new code into fewer chunks: its old record is both the file's
    previous version and the record of its content, and each stale chunk goes once."""
    import assistant.documents.chunking as chunking

    (corpus / "long.md").write_text("# Procedures\n\n" + CONFERENCE * 12, encoding="utf-8")
    settings = make_settings(corpus=corpus, parse_in_subprocess=False, chunk_tokens=64, chunk_overlap_tokens=8)
    assistant = Assistant(settings, embedder=embedder)
    assistant.ingest()
    before = assistant.health().chunks_per_document
    assert max(n for _, n in before) > 1
    original = chunking.chunk_document
    monkeypatch.setattr(chunking, "chunk_document", lambda *a, **k: original(*a, **k)[:1])
    monkeypatch.setattr("assistant.index.ingest.parser_stamp", lambda: "fedcba9876543210")
    report = assistant.ingest()
    assert report.failed == [] and report.updated
    after = dict(assistant.health().chunks_per_document)
    assert all(after[doc] == 1 for doc, n in before if n > 1)
    _assert_consistent(assistant)


def test_changed_file_replaces_its_old_chunks(assistant: Assistant, corpus: Path) -> None:
    assistant.ingest()
    old_doc = next(r for r in assistant.documents() if r.file_name == "conference.txt")
    old_ids = set(_chunk_ids(assistant, "conference.txt"))
    assert old_ids
    version = assistant.corpus_version
    (corpus / "conference.txt").write_text(
        "A strategy discussion should take place whenever there is reasonable cause to suspect significant harm.\n",
        encoding="utf-8",
    )
    report = assistant.ingest()
    assert report.updated == ["conference.txt"] and report.added == []
    assert assistant.corpus_version > version
    health = assistant.health()
    assert not old_ids & health.committed
    assert not old_ids & health.vectors
    assert not old_ids & health.lexical
    assert assistant.document_text(old_doc.doc_id) is None
    assert assistant.document_chunks(old_doc.doc_id) == []
    texts = [c.text for c in _chunks(assistant) if c.file_name == "conference.txt"]
    assert texts and all("strategy discussion should take place" in t for t in texts)
    assert not any("fifteen working days" in c.text for c in _chunks(assistant))
    assert _names(assistant) == ["conference.txt", "fostering.md", "lado.html"]
    _assert_consistent(assistant)
    passages = assistant.passages("initial child protection conference fifteen working days")
    assert all("fifteen working days" not in p.chunk.text for p in passages)


def test_removed_file_is_dropped(assistant: Assistant, corpus: Path) -> None:
    assistant.ingest()
    gone_ids = set(_chunk_ids(assistant, "lado.html"))
    assert gone_ids
    (corpus / "lado.html").unlink()
    report = assistant.ingest()
    assert report.removed == ["lado.html"]
    assert _names(assistant) == ["conference.txt", "fostering.md"]
    health = assistant.health()
    assert not gone_ids & health.vectors
    assert not gone_ids & health.committed
    assert not gone_ids & health.lexical
    _assert_consistent(assistant)
    assert all(p.chunk.file_name != "lado.html" for p in assistant.passages("What does the LADO do?"))


def test_renamed_file_is_indexed_once_under_its_new_name(assistant: Assistant, corpus: Path) -> None:
    assistant.ingest()
    (corpus / "fostering.md").rename(corpus / "private-fostering.md")
    report = assistant.ingest()
    assert report.added == ["private-fostering.md"] and report.removed == ["fostering.md"]
    _assert_consistent(assistant)
    assert _names(assistant) == ["conference.txt", "lado.html", "private-fostering.md"]
    assert any("twenty-eight days" in c.text for c in _chunks(assistant))


def test_renamed_file_leaves_no_duplicates(assistant: Assistant, corpus: Path) -> None:
    assistant.ingest()
    (corpus / "fostering.md").rename(corpus / "private-fostering.md")
    assistant.ingest()
    assert _names(assistant) == ["conference.txt", "lado.html", "private-fostering.md"]
    assert sum("twenty-eight days" in c.text for c in _chunks(assistant)) == 1
    _assert_consistent(assistant)


def test_identical_files_are_indexed_once(assistant: Assistant, corpus: Path) -> None:
    shutil.copy(corpus / "conference.txt", corpus / "copy-of-conference.txt")
    report = assistant.ingest()
    assert sorted(report.added) == ["conference.txt", "fostering.md", "lado.html"]
    assert report.skipped == [("copy-of-conference.txt", "same content as conference.txt")]
    assert report.exit_code == 0
    assert sum("fifteen working days" in c.text for c in _chunks(assistant)) == 1
    _assert_consistent(assistant)
    again = assistant.ingest()
    assert [name for name, _ in again.skipped] == ["copy-of-conference.txt"]
    assert again.chunks_added == 0
    _assert_consistent(assistant)


def test_duplicate_is_indexed_when_its_twin_changes(assistant: Assistant, corpus: Path) -> None:
    shutil.copy(corpus / "conference.txt", corpus / "copy-of-conference.txt")
    first = assistant.ingest()
    assert [name for name, _ in first.skipped] == ["copy-of-conference.txt"]
    (corpus / "conference.txt").write_text("The conference chair is independent of the case.\n", encoding="utf-8")
    report = assistant.ingest()
    assert report.updated == ["conference.txt"]
    assert report.skipped == []
    assert "copy-of-conference.txt" in _names(assistant)
    assert any("fifteen working days" in c.text for c in _chunks(assistant))


def test_ingest_of_an_explicit_file_leaves_other_documents_alone(assistant: Assistant, corpus: Path) -> None:
    assistant.ingest()
    extra = corpus.parent / "elsewhere" / "mash.md"
    extra.parent.mkdir()
    extra.write_text("# MASH\n\nThe Multi Agency Safeguarding Hub shares information.\n", encoding="utf-8")
    report = assistant.ingest([extra])
    assert report.added == ["mash.md"] and report.removed == []
    assert _names(assistant) == ["conference.txt", "fostering.md", "lado.html", "mash.md"]
    _assert_consistent(assistant)


# --------------------------------------------------------------------------------------
# Crash recovery


def _crash_state(assistant: Assistant, change) -> None:  # type: ignore[no-untyped-def]
    """Leave the data folder as an interrupted ingest would: ``change(vector_store)`` edits the
    vectors behind the catalogue's back and the catalogue says an ingest was running. Done with
    the index layer's own stores, opened on the data folder while the assistant has it closed."""
    assistant.close()
    store, catalog = VectorStore(assistant.settings), Catalog(assistant.settings.catalog_path)
    try:
        change(store)
        catalog.set_meta("ingest_state", "running")
    finally:
        catalog.close()
        store.close()


def test_orphan_vectors_are_never_retrieved_and_are_swept(assistant: Assistant, embedder) -> None:  # type: ignore[no-untyped-def]
    assistant.ingest()
    committed = assistant.health().committed
    question = "How long is a private fostering arrangement?"
    vectors = embedder.embed_documents([question, question + " notified", "private fostering twenty-eight days"])
    orphans = ["deadbeef0000000000000000-00000", "deadbeef0000000000000000-00001", "cafebabe0000000000000000-00000"]
    best: set[str] = set()

    def write_orphans(store: VectorStore) -> None:
        # a crash between the vector write and the catalogue commit
        store.upsert(orphans, vectors, [{"doc_id": o.rsplit("-", 1)[0], "ordinal": 0} for o in orphans])
        best.update(cid for cid, _ in store.search(vectors[0], 10))

    _crash_state(assistant, write_orphans)
    assert set(orphans) <= best  # they are the best dense hits
    health = assistant.health()
    assert health.orphan_vectors == set(orphans) and health.committed == committed
    assert health.ingest_state == "running"
    passages = assistant.passages(question, k=8)
    assert passages and not {p.chunk.chunk_id for p in passages} & set(orphans)
    answer = assistant.ask(question)
    assert not {c.chunk_id for c in answer.citations} & set(orphans)

    report = assistant.ingest()
    assert report.failed == [] and report.added == []
    health = assistant.health()
    assert not set(orphans) & health.vectors
    assert health.committed == committed
    assert health.ingest_state == "clean"
    _assert_consistent(assistant)


def test_dense_search_is_exact_over_committed_chunks_only(assistant: Assistant, embedder) -> None:  # type: ignore[no-untyped-def]
    """Below ``exact_search_max`` the nearest chunks are those of a brute-force cosine over every stored
    vector (ties to the smaller id), and an interrupted ingest's orphan vectors never take a place."""
    import numpy as np

    from assistant.index.ingest import Index

    assistant.ingest()
    vector = embedder.embed_query("How long is a private fostering arrangement?")
    store = VectorStore(assistant.settings)
    ids, matrix = store.vectors()
    scores = matrix @ (vector / np.linalg.norm(vector))
    expected = sorted(zip(ids, scores, strict=True), key=lambda pair: (-pair[1], pair[0]))[:5]
    found = assistant._index.search_dense(vector, 5)
    assert [i for i, _ in found] == [i for i, _ in expected]
    assert [s for _, s in found] == pytest.approx([float(s) for _, s in expected], abs=1e-5)

    orphans = ["deadbeef0000000000000000-00000"]
    _crash_state(assistant, lambda s: s.upsert(orphans, np.stack([vector]), [{"doc_id": "deadbeef", "ordinal": 0}]))
    exact = Index(assistant.settings, embedder)
    graph = Index(assistant.settings.with_(exact_search_max=0), embedder)
    try:
        assert exact.search_dense(vector, 5) == found  # the orphan is the nearest vector, but not a chunk
        assert graph.search_dense(vector, 5)[0][0] == orphans[0]  # the graph holds it until it is swept
    finally:
        exact.close()
        graph.close()


def test_document_missing_vectors_is_reindexed(assistant: Assistant) -> None:
    assistant.ingest()
    lost = _chunk_ids(assistant, "fostering.md")
    assert lost
    # a crash that lost part of a committed document's vectors
    _crash_state(assistant, lambda store: store.delete(lost[:1]))
    health = assistant.health()
    assert health.missing_vectors == {lost[0]} and health.ingest_state == "running"
    report = assistant.ingest()
    assert report.added == ["fostering.md"]
    assert set(lost) <= assistant.health().vectors
    assert _names(assistant) == ["conference.txt", "fostering.md", "lado.html"]
    _assert_consistent(assistant)


def _cli_env(data_dir: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ASSISTANT_") or k == "ASSISTANT_MODEL_CACHE_DIR"}
    env.update(
        {
            "ASSISTANT_DATA_DIR": str(data_dir),
            "HF_HUB_OFFLINE": "1",
            "TRANSFORMERS_OFFLINE": "1",
            "ANONYMIZED_TELEMETRY": "False",
            "TOKENIZERS_PARALLELISM": "false",
        }
    )
    env.update(extra)
    return env


def _committed_documents(catalog_path: Path) -> int:
    try:
        connection = sqlite3.connect(catalog_path, timeout=1)
        try:
            return int(connection.execute("SELECT COUNT(*) FROM documents").fetchone()[0])
        finally:
            connection.close()
    except sqlite3.Error:
        return 0


def test_sigkill_during_ingest_leaves_a_usable_index(make_settings, embedder, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path / "reports"
    folder.mkdir()
    # ~300 lines of the seed (about ten chunks each), including the conference timeliness figures
    excerpt = "\n".join(SEED.read_text(encoding="utf-8").split("\n")[300:600])
    for i in range(1, 9):
        (folder / f"report-{i}.txt").write_text(
            f"{excerpt}\n\nThis is copy {i} of the annual report.\n", encoding="utf-8"
        )
    settings = make_settings(corpus=folder)
    catalog_path = settings.catalog_path
    log = (tmp_path / "ingest.out").open("wb")
    process = subprocess.Popen(
        [sys.executable, "-m", "assistant", "ingest", str(folder), "--quiet"],
        cwd=tmp_path,
        env=_cli_env(settings.data_dir),
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # its parser child is in the same group and dies with it
    )
    try:
        deadline = time.monotonic() + 60
        committed = 0
        while time.monotonic() < deadline and process.poll() is None:
            committed = _committed_documents(catalog_path) if catalog_path.exists() else 0
            if committed >= 1:
                break
            time.sleep(0.02)
        assert process.poll() is None, "the ingest ended before it could be interrupted"
        assert committed >= 1, "no document was committed within 60 s"
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=30)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=30)
        log.close()
    assert process.returncode == -signal.SIGKILL

    assistant = Assistant(settings, embedder=embedder)
    survivors = assistant.documents()  # the catalogue opens
    assert 1 <= len(survivors) < 8
    crashed = assistant.health()
    assert crashed.ingest_state == "running"
    survivor_names = {r.file_name for r in survivors}
    answer = assistant.ask("When must an initial child protection conference be held?")
    assert not answer.abstained and answer.citations
    assert {c.document for c in answer.citations} <= survivor_names
    # vectors are written before the catalogue commit: every committed chunk has its vector
    assert crashed.committed and not crashed.missing_vectors

    report = assistant.ingest()
    assert report.failed == []
    assert sorted(report.added + report.unchanged) == sorted(f"report-{i}.txt" for i in range(1, 9))
    assert set(report.unchanged) <= survivor_names
    assert report.exit_code == 0
    assert len(assistant.documents()) == 8
    assert assistant.health().ingest_state == "clean"
    _assert_consistent(assistant)
    per_doc = Counter(c.file_name for c in _chunks(assistant))
    assert max(per_doc.values()) - min(per_doc.values()) <= 1  # the same text, chunked the same way


# --------------------------------------------------------------------------------------
# The command line


def _run_cli(args: list[str], env: dict[str, str], cwd: Path, timeout: float = 180) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "assistant", *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout
    )


def test_cli_partial_ingest_and_status_use_env_folders(tmp_path: Path, pdf_samples: Path) -> None:
    folder = tmp_path / "docs"
    _write_good(folder)
    (folder / "empty.txt").write_bytes(b"")
    (folder / "random.pdf").write_bytes(os.urandom(2000))
    (folder / "setup.exe").write_bytes(b"MZ" + b"\x00" * 50)
    data = tmp_path / "index-data"
    cwd = tmp_path / "cwd"
    cwd.mkdir()
    env = _cli_env(data, ASSISTANT_CORPUS_DIR=str(folder))

    result = _run_cli(["ingest", "--quiet"], env, cwd)  # no path: ASSISTANT_CORPUS_DIR
    assert result.returncode == 3, result.stderr
    assert "Traceback" not in result.stderr
    failures = [line for line in result.stderr.splitlines() if line.startswith("failed ")]
    assert sorted(line.split(":")[0] for line in failures) == [
        "failed empty.txt",
        "failed random.pdf",
        "failed setup.exe",
    ]
    assert "3 added" in result.stdout and "3 failed" in result.stdout
    assert (data / "catalog.sqlite3").is_file() and (data / "chroma").is_dir()
    assert not (cwd / "data").exists() and not (cwd / "corpus").exists()

    status = _run_cli(["status", "--json"], env, cwd)
    assert status.returncode == 0, status.stderr
    payload = json.loads(status.stdout)
    connection = sqlite3.connect(data / "catalog.sqlite3")
    chunks = connection.execute("SELECT COUNT(*) FROM chunks").fetchone()[0]
    connection.close()
    assert payload["documents"] == 3
    assert payload["chunks"] == chunks > 0
    assert payload["data_dir"] == str(data)
    assert sorted(d["file_name"] for d in payload["details"]) == ["conference.txt", "fostering.md", "lado.html"]

    again = _run_cli(["ingest", "--json", "--quiet"], env, cwd)
    assert again.returncode == 3
    report = json.loads(again.stdout)
    assert sorted(report["unchanged"]) == ["conference.txt", "fostering.md", "lado.html"]
    assert sorted(f["file"] for f in report["failed"]) == ["empty.txt", "random.pdf", "setup.exe"]
    assert report["chunks_added"] == 0


def test_cli_all_failed_exits_1(tmp_path: Path) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "empty.txt").write_bytes(b"")
    result = _run_cli(["ingest", str(folder), "--quiet"], _cli_env(tmp_path / "data"), tmp_path)
    assert result.returncode == 1
    assert "failed empty.txt" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("command", [["ingest"], ["status", "--json"]])
def test_cli_invalid_setting_is_one_line_exit_2(tmp_path: Path, command: list[str]) -> None:
    env = _cli_env(tmp_path / "data", ASSISTANT_MAX_FILE_MB="abc")
    result = _run_cli(command, env, tmp_path, timeout=60)
    assert result.returncode == 2
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    assert "ASSISTANT_MAX_FILE_MB" in lines[0] and "abc" in lines[0]
    assert "Traceback" not in result.stderr
    assert result.stdout == ""
    assert not (tmp_path / "data").exists()


def test_cli_missing_corpus_folder_is_an_error_not_a_traceback(tmp_path: Path) -> None:
    env = _cli_env(tmp_path / "data", ASSISTANT_CORPUS_DIR=str(tmp_path / "nowhere"))
    result = _run_cli(["ingest", "--quiet"], env, tmp_path)
    assert result.returncode == 1
    assert "nowhere" in result.stderr and "ASSISTANT_CORPUS_DIR" in result.stderr
    assert "Traceback" not in result.stderr


def test_size_limit_message_names_the_configured_limit(make_settings, embedder, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path / "docs"
    folder.mkdir()
    with (folder / "huge.txt").open("wb") as handle:
        handle.truncate(22_000_000)  # sparse: size is checked before anything is read
    assistant = Assistant(make_settings(corpus=folder, max_file_mb=20), embedder=embedder)
    report = assistant.ingest()
    reason = dict(report.failed)["huge.txt"]
    assert "20 MB limit" in reason, reason
