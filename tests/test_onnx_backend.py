"""The ONNX Runtime embedding backend: exported on first use, cached and checked, and faithful to torch.

The agreement thresholds were measured on the seed report's 204 chunks and 1,206 sentences
(``python -m bench.run --quick``, section "Embedding backends"): fp32 ONNX agrees with torch
to 1e-6; int8 (per-channel dynamic quantisation, first layer in fp32) at a cosine of at
least 0.993 per passage (mean 0.996) and 0.981 per sentence (mean 0.995). The thresholds
below leave a little room.
"""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest

from assistant.config import Settings
from assistant.errors import ConfigurationError
from assistant.index.embeddings import Embedder, OnnxEmbedder, create_embedder
from assistant.text.normalise import contains_fact

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "corpus" / "havering-lscb-annual-report-2014-15.txt"


@pytest.fixture(autouse=True)
def offline(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("TRANSFORMERS_OFFLINE", "1")


# -- the setting and the factory (no model is loaded) ------------------------------------


def test_backend_setting_is_validated_and_named_in_the_message(no_env: None) -> None:
    assert Settings.from_env({}).embedding_backend == "onnx"
    assert Settings.from_env({"ASSISTANT_EMBEDDING_BACKEND": "torch"}).embedding_backend == "torch"
    with pytest.raises(ConfigurationError, match="ASSISTANT_EMBEDDING_BACKEND must be one of: onnx, torch"):
        Settings.from_env({"ASSISTANT_EMBEDDING_BACKEND": "tensorflow"})
    with pytest.raises(ConfigurationError, match="ASSISTANT_ONNX_QUERY_VARIANT must be one of: fp32, int8"):
        Settings.from_env({"ASSISTANT_ONNX_QUERY_VARIANT": "int4"})


def test_factory_picks_the_backend_and_caches_exports_in_the_data_folder(tmp_path: Path) -> None:
    onnx = create_embedder(Settings(data_dir=tmp_path / "data", onnx_batch_size=16, embed_batch_size=32))
    assert isinstance(onnx, OnnxEmbedder)
    assert onnx.batch_size == 16  # the ONNX setting, not the torch one
    assert create_embedder(Settings(data_dir=tmp_path / "data")).batch_size == 1  # one text per call
    assert onnx.name == "all-MiniLM-L6-v2-onnx-int8"  # int8 vectors differ from torch's: a new index stamp
    folder = onnx.model_folder
    assert folder.parent == tmp_path / "data" / "models"
    name, digest, variant = folder.name.rsplit("-", 2)
    assert (name, variant, len(digest)) == ("all-MiniLM-L6-v2", "int8", 12)
    assert not folder.exists()  # nothing is exported before the first text is embedded
    assert onnx.query_variant == "fp32" and onnx.query_model_folder.name.endswith("-fp32")
    assert create_embedder(Settings(data_dir=tmp_path, onnx_query_variant="int8")).query_variant == "int8"

    torch = create_embedder(Settings(data_dir=tmp_path / "data", embedding_backend="torch", embed_batch_size=32))
    assert type(torch) is Embedder
    assert torch.batch_size == 32
    assert torch.name == "all-MiniLM-L6-v2"
    fp32 = OnnxEmbedder(cache_dir=tmp_path, variant="fp32")
    assert fp32.name == torch.name  # identical vectors: no re-index
    with pytest.raises(ConfigurationError, match="unknown ONNX variant"):
        OnnxEmbedder(cache_dir=tmp_path, variant="int4")


def test_an_unusable_cache_folder_is_a_configuration_error_naming_the_setting(tmp_path: Path) -> None:
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the cache folder should be")
    model = OnnxEmbedder(cache_dir=blocked)
    with pytest.raises(ConfigurationError, match="ASSISTANT_EMBEDDING_BACKEND=torch"):
        model.warm_up()


def test_a_model_that_does_not_mean_pool_is_refused(tmp_path: Path) -> None:
    import json

    from assistant.index.embeddings import default_model_dir

    source = default_model_dir()
    model_dir = tmp_path / "cls-model"
    shutil.copytree(source, model_dir, ignore=shutil.ignore_patterns("*.safetensors", "*.bin"))
    pooling = model_dir / "1_Pooling" / "config.json"
    config = json.loads(pooling.read_text())
    pooling.write_text(json.dumps({**config, "pooling_mode_mean_tokens": False, "pooling_mode_cls_token": True}))
    with pytest.raises(ConfigurationError, match="mean-pooled"):
        OnnxEmbedder(model_dir, cache_dir=tmp_path / "models")


def test_importing_the_backend_imports_no_runtime() -> None:
    code = (
        "import sys, assistant.engine, assistant.index.onnx_backend\n"
        "print(sorted(m for m in ('onnxruntime', 'onnx', 'torch') if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert done.stdout.strip() == "[]"


# -- export, cache, checksum --------------------------------------------------------------


def seed_passages() -> tuple[list[str], list[list[tuple[int, int]]]]:
    from assistant.documents.chunking import chunk_document
    from assistant.documents.loaders import load_document
    from assistant.index.embeddings import default_model_dir
    from assistant.text.tokens import word_pieces
    from assistant.text.units import evidence_units

    pieces = word_pieces(str(default_model_dir()))
    chunks = chunk_document(load_document(SEED, max_bytes=50 * 1024 * 1024), pieces.count)[:48]
    texts = [c.embedding_text() for c in chunks]
    spans = []
    for text, chunk in zip(texts, chunks, strict=True):
        shift = len(text) - len(chunk.text)
        spans.append([(shift + u.start, shift + u.end) for u in evidence_units(chunk.text, chunk.heading_end)])
    # a passage longer than the model's window, truncated as sentence-transformers truncates it
    long = " ".join(texts[:3])
    texts.append(long)
    spans.append([(0, 40), (len(long) - 40, len(long))])
    return texts, spans


@pytest.fixture(scope="module")
def int8_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data folder's model cache holding the int8 export (made once for this module)."""
    cache = tmp_path_factory.mktemp("int8") / "models"
    model = OnnxEmbedder(cache_dir=cache)
    model.warm_up()
    assert model.exported
    return cache


@pytest.mark.slow
def test_export_on_first_use_then_reuse_without_exporting(int8_cache: Path, caplog: pytest.LogCaptureFixture) -> None:
    import hashlib

    first = OnnxEmbedder(cache_dir=int8_cache)
    folder = first.model_folder
    path = folder / "model.onnx"
    recorded = (folder / "model.onnx.sha256").read_text().split()[0]
    assert recorded == hashlib.sha256(path.read_bytes()).hexdigest()
    assert 10e6 < path.stat().st_size < 40e6  # int8: a quarter of the 90 MB of fp32 weights
    assert not list(folder.glob("*.tmp-*"))  # written to temporary files, then renamed

    mtime = path.stat().st_mtime_ns
    with caplog.at_level(logging.INFO, logger="assistant.index.onnx_backend"):
        first.warm_up()
    assert not first.exported
    assert "exporting" not in caplog.text
    assert path.stat().st_mtime_ns == mtime
    vector = first.embed_query("When must an initial child protection conference be held?")
    assert vector.shape == (384,) and vector.dtype == np.float32
    assert abs(float(np.linalg.norm(vector)) - 1.0) < 1e-5


@pytest.mark.slow
def test_a_corrupted_cache_is_detected_and_exported_again(
    int8_cache: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    cache = tmp_path / "models"
    shutil.copytree(int8_cache, cache)
    folder = OnnxEmbedder(cache_dir=cache).model_folder
    reference = OnnxEmbedder(cache_dir=int8_cache).embed_documents(["private fostering"])
    path = folder / "model.onnx"
    data = bytearray(path.read_bytes())
    data[len(data) // 2 : len(data) // 2 + 64] = bytes(64)  # bit rot inside the weights
    path.write_bytes(bytes(data))

    model = OnnxEmbedder(cache_dir=cache)
    with caplog.at_level(logging.WARNING, logger="assistant.index.onnx_backend"):
        model.warm_up()
    assert model.exported
    assert "does not match its checksum" in caplog.text
    assert np.allclose(model.embed_documents(["private fostering"]), reference, atol=1e-6)  # a deterministic export

    (folder / "model.onnx.sha256").unlink()  # a crash between the two renames
    again = OnnxEmbedder(cache_dir=cache)
    again.warm_up()
    assert again.exported


@pytest.mark.slow
def test_processes_exporting_at_once_export_once(tmp_path: Path) -> None:
    cache = tmp_path / "models"
    code = textwrap.dedent(
        """
        import sys
        from pathlib import Path
        from assistant.index.embeddings import OnnxEmbedder
        model = OnnxEmbedder(cache_dir=Path(sys.argv[1]))
        model.warm_up()
        print(" ".join(model.exported_variants))
        """
    )
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"}
    children = [
        subprocess.Popen(
            [sys.executable, "-c", code, str(cache)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env
        )
        for _ in range(2)
    ]
    outcomes = []
    for child in children:
        out, err = child.communicate(timeout=600)
        assert child.returncode == 0, err
        outcomes += out.split()
    assert sorted(outcomes) == ["fp32", "int8"]  # each export made by one of the two, the other loads it
    folders = list(cache.iterdir())
    assert len(folders) == 2  # the passages' int8 model and the questions' fp32 one
    for folder in folders:
        assert sorted(p.name for p in folder.iterdir() if not p.name.startswith(".")) == [
            "export.json",
            "model.onnx",
            "model.onnx.sha256",
        ]


# -- agreement with torch ------------------------------------------------------------------


def cosines(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return np.sum(np.asarray(a, dtype="float64") * np.asarray(b, dtype="float64"), axis=-1)


@pytest.fixture(scope="module")
def torch_embedder() -> Embedder:
    """The sentence-transformers model on torch: the reference the ONNX export is compared with."""
    model = Embedder()
    model.warm_up()
    return model


@pytest.fixture(scope="module")
def torch_vectors(
    torch_embedder: Embedder,
) -> tuple[list[str], list[list[tuple[int, int]]], np.ndarray, list[np.ndarray]]:
    texts, spans = seed_passages()
    vectors, units = torch_embedder.embed_passages(texts, spans)
    return texts, spans, vectors, units


@pytest.mark.slow
@pytest.mark.parametrize(
    ("variant", "passage_min", "sentence_min", "mean_min"),
    [("fp32", 0.9999, 0.9999, 0.9999), ("int8", 0.99, 0.97, 0.993)],
)
def test_vectors_agree_with_torch(
    variant: str,
    passage_min: float,
    sentence_min: float,
    mean_min: float,
    int8_cache: Path,
    tmp_path: Path,
    torch_embedder: Embedder,
    torch_vectors: tuple[list[str], list[list[tuple[int, int]]], np.ndarray, list[np.ndarray]],
) -> None:
    texts, spans, vectors, units = torch_vectors
    # the product's batch size: the int8 model quantises each call's activations as a whole, so a
    # batch of 16 adds the batch's noise (minimum passage cosine about 0.990 instead of 0.994)
    batch = Settings().onnx_batch_size
    model = OnnxEmbedder(cache_dir=int8_cache if variant == "int8" else tmp_path, variant=variant, batch_size=batch)
    onnx_vectors, onnx_units = model.embed_passages(texts, spans)

    assert onnx_vectors.shape == vectors.shape and onnx_vectors.dtype == np.float32
    passages = cosines(onnx_vectors, vectors)
    assert passages.min() >= passage_min and passages.mean() >= mean_min, (passages.min(), passages.mean())
    assert [u.shape for u in onnx_units] == [u.shape for u in units]
    sentences = np.concatenate([cosines(a, b) for a, b in zip(onnx_units, units, strict=True)])
    assert sentences.min() >= sentence_min and sentences.mean() >= mean_min, (sentences.min(), sentences.mean())

    # plain documents and queries: the passage vectors, with or without sentence pooling
    assert np.allclose(model.embed_documents(texts), onnx_vectors, atol=1e-5)
    questions = ["When must an initial child protection conference be held?", "What counts as private fostering?"]
    query = cosines(np.vstack([model.embed_query(q) for q in questions]), torch_embedder.embed_documents(questions))
    assert query.min() >= 0.9999  # questions go through the fp32 export whatever the passages' variant
    if variant == "int8":
        quantised = OnnxEmbedder(cache_dir=int8_cache, query_variant="int8")
        query = cosines(
            np.vstack([quantised.embed_query(q) for q in questions]), torch_embedder.embed_documents(questions)
        )
        assert passage_min <= query.min() < 0.9999
    assert model.embed_documents([]).shape == (0, 384)
    assert model.embed_passages([], [])[0].shape == (0, 384)


# -- the whole path --------------------------------------------------------------------------


@pytest.mark.slow
def test_ingest_and_ask_over_the_seed_report_with_onnx(tmp_path: Path, torch_embedder: Embedder) -> None:
    from assistant.engine import Assistant

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(SEED, corpus / SEED.name)
    settings = Settings(data_dir=tmp_path / "data", corpus_dir=corpus, embedding_backend="onnx")
    assistant = Assistant(settings, embedder=create_embedder(settings))
    report = assistant.ingest()
    assert report.exit_code == 0 and report.chunks > 100, report.as_dict()
    assert assistant.status()["embedding_model"] == "all-MiniLM-L6-v2-onnx-int8"
    assert (settings.data_dir / "models").is_dir()

    answer = assistant.ask("When must an initial child protection conference be held?")
    assert not answer.abstained
    assert contains_fact(answer.answer, "15 days")
    assert answer.citations[0].document == SEED.name
    assert "fifteen day" in answer.citations[0].quote
    assistant.close()

    # switching backend changes the index stamp: every document is embedded again
    torch_assistant = Assistant(settings.with_(embedding_backend="torch"), embedder=torch_embedder)
    again = torch_assistant.ingest()
    assert again.added or again.updated, again.as_dict()
    assert not again.unchanged
    assert torch_assistant.status()["embedding_model"] == "all-MiniLM-L6-v2"
    torch_assistant.close()


@pytest.mark.slow
def test_answering_on_the_onnx_path_never_imports_torch_or_transformers(tmp_path: Path) -> None:
    """They cost seconds of start-up (presidio and spaCy import them if installed) and are not used."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "policy.md").write_text(
        "# Reporting\n\nA concern about a child must be reported to the designated lead on the same day.\n",
        encoding="utf-8",
    )
    cache = Path(os.environ.get("ASSISTANT_MODEL_CACHE_DIR") or tmp_path / "models")
    OnnxEmbedder(cache_dir=cache).warm_up()  # the exports exist (made at first use, with torch): now only load them
    code = textwrap.dedent(
        f"""
        import sys
        from pathlib import Path
        from assistant.config import Settings
        from assistant.engine import Assistant
        settings = Settings.from_env(data_dir=Path({str(tmp_path / "data")!r}), corpus_dir=Path({str(corpus)!r}))
        assistant = Assistant(settings)
        assistant.ensure_index()
        answer = assistant.ask("Jane Smith: when must a concern be reported?")
        assert answer.warnings and answer.citations, answer
        print(sorted(m for m in ("torch", "transformers") if m in sys.modules))
        """
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("ASSISTANT_")} | {
        "ASSISTANT_MODEL_CACHE_DIR": str(cache)
    }
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, env=env, timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip().splitlines()[-1] == "[]"


@pytest.mark.slow
def test_a_text_gets_the_same_vector_whatever_it_is_embedded_with(int8_cache: Path) -> None:
    """The product's ONNX embedder runs one text per call: int8 activations are quantised per
    call, so a batch would make a passage's vector depend on its neighbours."""
    embedder = create_embedder(Settings(model_cache_dir=int8_cache))
    text = "An initial child protection conference must be held within 15 working days."
    others = ["Private fostering lasts 28 days or more.", "x " * 150, "The MASH received 6,984 contacts."]
    alone = embedder.embed_documents([text])[0]
    together = embedder.embed_documents([others[0], text, *others[1:]])[1]
    assert np.allclose(alone, together, atol=1e-6)
