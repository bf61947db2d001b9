"""Shared fixtures: real components everywhere (model, Chroma, BM25) in temporary folders.

The embedding model is loaded once per session and the seed corpus is indexed once per
session; tests that change an index build their own in ``tmp_path``.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"
SEED = CORPUS / "havering-lscb-annual-report-2014-15.txt"
# The shared material sits next to the project (../shared); ASSISTANT_SHARED_DIR points elsewhere.
SHARED = Path(os.environ.get("ASSISTANT_SHARED_DIR") or ROOT.parent / "shared")
PDF_SAMPLES = SHARED / "pdf-samples"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if not PDF_SAMPLES.is_dir():
        skip = pytest.mark.skip(reason=f"{PDF_SAMPLES} is not present on this machine")
        for item in items:
            if "pdf_samples" in getattr(item, "fixturenames", ()):
                item.add_marker(skip)


@pytest.fixture(scope="session")
def corpus_dev() -> Path:
    """The real documents by others in ../shared/corpus-dev/docs (read there, never copied in)."""
    return SHARED / "corpus-dev" / "docs"


@pytest.fixture(scope="session")
def pdf_samples() -> Path:
    return PDF_SAMPLES


@pytest.fixture(scope="session")
def embedder(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """The embedding model the product uses by default (ONNX int8, exported once per test run),
    so that indexes built in-process match those the CLI and the app build in subprocesses."""
    from assistant.config import Settings
    from assistant.index.embeddings import create_embedder

    cache = os.environ.get("ASSISTANT_MODEL_CACHE_DIR")
    if not cache:
        cache = str(tmp_path_factory.mktemp("models"))
        os.environ["ASSISTANT_MODEL_CACHE_DIR"] = cache  # subprocesses reuse the same export
    model = create_embedder(Settings(model_cache_dir=Path(cache)))
    model.warm_up()
    return model


@pytest.fixture
def make_settings(tmp_path: Path) -> Callable[..., object]:
    """Settings whose data folder (and, by default, corpus) live in this test's tmp_path."""
    from assistant.config import Settings

    def build(corpus: Path | None = None, **overrides: object) -> Settings:
        if corpus is None:
            corpus = tmp_path / "corpus"
            corpus.mkdir(exist_ok=True)
        return Settings(data_dir=tmp_path / "data", corpus_dir=corpus, **overrides)  # type: ignore[arg-type]

    return build


@pytest.fixture(scope="session")
def seed_assistant(tmp_path_factory: pytest.TempPathFactory, embedder):  # type: ignore[no-untyped-def]
    """An assistant over the seed report, indexed once for the whole session."""
    from assistant.config import Settings
    from assistant.engine import Assistant

    root = tmp_path_factory.mktemp("seed")
    corpus = root / "corpus"
    corpus.mkdir()
    shutil.copy(SEED, corpus / SEED.name)
    assistant = Assistant(Settings(data_dir=root / "data", corpus_dir=corpus), embedder=embedder)
    report = assistant.ingest()
    assert report.exit_code == 0, report.as_dict()
    return assistant


@pytest.fixture
def seed_text() -> str:
    return SEED.read_text(encoding="utf-8")


@pytest.fixture
def seed_document():  # type: ignore[no-untyped-def]
    from assistant.documents.loaders import load_document

    return load_document(SEED, max_bytes=50 * 1024 * 1024)


@pytest.fixture
def no_env(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    for name in list(os.environ):
        if name.startswith("ASSISTANT_"):
            monkeypatch.delenv(name)
    yield
