"""Benchmarks: speed, memory and scale, each stage reported against the model's own floor.

    python -m bench.run --quick          # about 3 minutes; what CI runs
    python -m bench.run                  # the full run: 1,000 and 10,000 pages, 100,000 chunks
    python -m bench.run --pages 1000     # the full run without the hour-long 10,000-page ingest

Writes ``bench-report.md`` and ``bench-report.json`` into ``--out`` (default
``reports/bench``). Figures vary with the machine; the ratios to the floor measured in
the same run are what compare across machines.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "corpus" / "havering-lscb-annual-report-2014-15.txt"
sys.path.insert(0, str(ROOT))

from assistant.config import Settings  # noqa: E402
from assistant.engine import Assistant  # noqa: E402
from assistant.index.embeddings import Embedder, OnnxEmbedder  # noqa: E402
from assistant.products.evaluation import load_dataset  # noqa: E402
from bench.formats import markdown as formats_markdown  # noqa: E402
from bench.formats import measure as measure_formats  # noqa: E402
from bench.synthetic import build_corpus  # noqa: E402

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")


def percentile(values: Sequence[float], pct: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return 0.0
    return ordered[min(len(ordered) - 1, max(0, round(pct / 100 * len(ordered) + 0.5) - 1))]


def peak_rss_mb() -> dict[str, float]:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return {"process_mb": round(own, 1), "children_mb": round(children, 1)}


def folder_mb(path: Path) -> float:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) / 1e6


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class ReplayEmbedder:
    """An embedding model for building large benchmark indexes quickly: the real model's
    tokenizer and query vectors, and for passages the seed's real vectors replayed in turn
    with a little noise (each sentence a little more)."""

    def __init__(self, real: Embedder, vectors: np.ndarray, seed: int = 7) -> None:
        self.real = real
        self.vectors = np.asarray(vectors, dtype="float32")
        self.rng = np.random.default_rng(seed)
        self.cursor = 0

    @property
    def name(self) -> str:
        return self.real.name

    @property
    def model_dir(self) -> Path:
        return self.real.model_dir

    def count_tokens(self, texts: Sequence[str]) -> list[int]:
        return self.real.count_tokens(texts)

    def warm_up(self) -> None:
        self.real.warm_up()

    def embed_documents(self, texts: Sequence[str]) -> np.ndarray:
        return self.real.embed_documents(texts)

    def embed_query(self, text: str) -> np.ndarray:
        return self.real.embed_query(text)

    def embed_passages(
        self, texts: Sequence[str], unit_spans: Sequence[Sequence[tuple[int, int]]]
    ) -> tuple[np.ndarray, list[np.ndarray]]:
        rows = np.arange(self.cursor, self.cursor + len(texts)) % len(self.vectors)
        self.cursor += len(texts)
        vectors = _normalised(self.vectors[rows] + self.rng.normal(0, 0.02, (len(texts), self.vectors.shape[1])))
        units = [
            _normalised(vector + self.rng.normal(0, 0.05, (len(spans), vector.shape[0])))
            for vector, spans in zip(vectors, unit_spans, strict=True)
        ]
        return vectors, units


def _normalised(rows: np.ndarray) -> np.ndarray:
    rows = np.asarray(rows, dtype="float32")
    return rows / np.linalg.norm(rows, axis=-1, keepdims=True)


class Bench:
    def __init__(self, quick: bool, out: Path, work: Path, pages: Sequence[int] | None = None) -> None:
        self.quick = quick
        self.pages = list(pages) if pages is not None else ([100, 300] if quick else [1000, 10000])
        self.out = out
        self.work = work
        self.results: dict[str, Any] = {
            "mode": "quick" if quick else "full",
            "machine": {"python": platform.python_version(), "cpus": os.cpu_count(), "platform": platform.platform()},
        }
        self.questions = [(i.question, i.history) for i in load_dataset(ROOT / "eval" / "dataset.jsonl")]

    def assistant(self, name: str, corpus: Path, **overrides: Any) -> Assistant:
        settings = Settings(data_dir=self.work / name / "data", corpus_dir=corpus, **overrides)
        return Assistant(settings, embedder=self.embedder)

    # -- floor ----------------------------------------------------------------------------

    def floor(self) -> None:
        from assistant.documents.chunking import chunk_document
        from assistant.documents.loaders import load_document

        started = time.perf_counter()
        self.embedder = Embedder()
        self.embedder.warm_up()
        load_s = time.perf_counter() - started
        document = load_document(SEED, max_bytes=100 * 1024 * 1024)
        chunks = chunk_document(document, self.embedder.count_tokens)
        texts = [c.embedding_text() for c in chunks]
        self.seed_texts = texts
        self.embedder.embed_documents(texts[:8])  # warm the kernels
        started = time.perf_counter()
        for start in range(0, len(texts), 64):
            self.embedder.embed_documents(texts[start : start + 64])
        embed_s = time.perf_counter() - started
        self.floor_s_per_chunk = embed_s / len(texts)
        self.results["floor"] = {
            "model_load_s": round(load_s, 2),
            "seed_chunks": len(texts),
            "embed_s": round(embed_s, 2),
            "chunks_per_s": round(len(texts) / embed_s, 1),
        }

    def query_floor(self, assistant: Assistant) -> float:
        """One query embedding plus one vector search, the least an answer can cost."""
        from assistant.index.vectorstore import VectorStore

        store = VectorStore(assistant.settings)
        timings = []
        for question, _ in self.questions[:40]:
            started = time.perf_counter()
            vector = self.embedder.embed_query(question)
            store.search(vector, 50)
            timings.append((time.perf_counter() - started) * 1000)
        return statistics.median(timings)

    # -- embedding backends: torch against ONNX Runtime -------------------------------------

    def backends(self, corpus: Path) -> dict[str, Any]:
        """The torch path and the ONNX path measured in the same run, interleaved, on the seed's chunks:
        model load (a new process each, cached export), passage embedding with sentence pooling,
        query embedding, the agreement of their vectors, and the evaluation with each."""
        from assistant.documents.chunking import chunk_document
        from assistant.documents.loaders import load_document
        from assistant.products.evaluation import run_evaluation, summarise
        from assistant.text.units import evidence_units

        cache = self.work / "onnx-models"
        started = time.perf_counter()
        onnx = OnnxEmbedder(cache_dir=cache, batch_size=Settings().onnx_batch_size)  # the product's setting
        onnx.warm_up()
        export_s = time.perf_counter() - started
        torch = self.embedder
        backends: dict[str, Any] = {"torch": torch, "onnx": onnx}
        reps = 2 if self.quick else 5

        load: dict[str, list[float]] = {name: [] for name in backends}
        self._load_rss_mb: dict[str, float] = {}
        for _ in range(2 if self.quick else 3):
            for name in backends:
                load[name].append(self._load_in_new_process(name, cache))

        chunks = chunk_document(load_document(SEED, max_bytes=100 * 1024 * 1024), torch.count_tokens)
        texts = [c.embedding_text() for c in chunks]
        spans = []
        for text, chunk in zip(texts, chunks, strict=True):
            shift = len(text) - len(chunk.text)
            spans.append([(shift + u.start, shift + u.end) for u in evidence_units(chunk.text, chunk.heading_end)])
        questions = [q for q, _ in self.questions[:50]]
        passages: dict[str, list[float]] = {name: [] for name in backends}
        queries: dict[str, list[float]] = {name: [] for name in backends}
        vectors: dict[str, tuple[np.ndarray, list[np.ndarray]]] = {}
        for model in backends.values():
            model.embed_passages(texts[:8], spans[:8])  # warm the kernels
        # interleaved by blocks, in turn: one backend's threads do not spin while the other's are timed
        for rep in range(reps):
            for name, model in backends.items() if rep % 2 == 0 else reversed(backends.items()):
                started = time.perf_counter()
                vectors[name] = model.embed_passages(texts, spans)
                passages[name].append(time.perf_counter() - started)
                for question in questions:
                    started = time.perf_counter()
                    model.embed_query(question)
                    queries[name].append((time.perf_counter() - started) * 1000)
        query_cosines = [float(torch.embed_query(q) @ onnx.embed_query(q)) for q in questions]

        passage_cosines = np.sum(vectors["torch"][0] * vectors["onnx"][0], axis=1)
        unit_cosines = np.concatenate(
            [np.sum(a * b, axis=1) for a, b in zip(vectors["torch"][1], vectors["onnx"][1], strict=True)]
        )

        def agreement(values: np.ndarray | list[float]) -> dict[str, float]:
            values = np.asarray(values, dtype="float64")
            return {
                "n": len(values),
                "min": round(float(values.min()), 4),
                "p01": round(float(np.percentile(values, 1)), 4),
                "mean": round(float(values.mean()), 4),
            }

        evaluation: dict[str, dict[str, Any]] = {}
        items = load_dataset(ROOT / "eval" / "dataset.jsonl")
        for name, model in backends.items():
            settings = Settings(data_dir=self.work / f"backend-{name}" / "data", corpus_dir=corpus)
            assistant = Assistant(settings, embedder=model)
            started = time.perf_counter()
            report = assistant.ingest()
            ingest_s = time.perf_counter() - started
            started = time.perf_counter()
            summary = summarise(run_evaluation(assistant, items))
            evaluation[name] = {
                "ingest_s": round(ingest_s, 2),
                "ingest_chunks_per_s": round(report.chunks / ingest_s, 1),
                "eval_s": round(time.perf_counter() - started, 1),
                "items": summary.counts["items"],
                **{
                    k: summary.metrics[k]
                    for k in (
                        "evidence_recall_at_5",
                        "key_fact_accuracy",
                        "mrr",
                        "false_abstention_rate",
                        "overall_pass_rate",
                    )
                },
            }
            assistant.close()

        def figures(name: str) -> dict[str, Any]:
            seconds = statistics.median(passages[name])
            return {
                "model": backends[name].name,
                "load_s": round(statistics.median(load[name]), 2),
                "load_s_all": [round(x, 2) for x in load[name]],
                "load_rss_mb": round(self._load_rss_mb[name], 1),
                "passages_s": round(seconds, 2),
                "passages_s_all": [round(x, 2) for x in passages[name]],
                "chunks_per_s": round(len(texts) / seconds, 1),
                "query_ms_p50": round(statistics.median(queries[name]), 2),
                **evaluation[name],
            }

        self.onnx_embedder = onnx
        torch_figures, onnx_figures = figures("torch"), figures("onnx")
        return {
            "chunks": len(texts),
            "sentences": len(unit_cosines),
            "repetitions": reps,
            "queries": len(questions),
            "onnx_variant": onnx.variant,
            "onnx_export_s": round(export_s, 2),
            "onnx_file_mb": round(onnx.model_folder.joinpath("model.onnx").stat().st_size / 1e6, 1),
            "torch": torch_figures,
            "onnx": onnx_figures,
            "ratios": {
                "load_speedup": round(torch_figures["load_s"] / onnx_figures["load_s"], 2),
                "passage_speedup": round(onnx_figures["chunks_per_s"] / torch_figures["chunks_per_s"], 2),
                "query_speedup": round(torch_figures["query_ms_p50"] / onnx_figures["query_ms_p50"], 2),
                "ingest_speedup": round(torch_figures["ingest_s"] / onnx_figures["ingest_s"], 2),
            },
            "cosine": {
                "passages": agreement(passage_cosines),
                "sentences": agreement(unit_cosines),
                "queries": agreement(query_cosines),
            },
        }

    def onnx_pages_ingest(self, pages: int) -> dict[str, Any]:
        """The ONNX backend's ingest of the synthetic corpus that the torch path ingested in the stage before."""
        corpus = self.work / f"pages-{pages}" / "corpus"
        torch = self.results["ingest"][f"{pages}_pages"]
        settings = Settings(data_dir=self.work / f"pages-{pages}-onnx" / "data", corpus_dir=corpus)
        assistant = Assistant(settings, embedder=self.onnx_embedder)
        started = time.perf_counter()
        report = assistant.ingest()
        seconds = time.perf_counter() - started
        assistant.close()
        return {
            "pages": pages,
            "documents": report.documents,
            "chunks": report.chunks,
            "torch_s": torch["seconds"],
            "onnx_s": round(seconds, 2),
            "torch_chunks_per_s": torch["chunks_per_s"],
            "onnx_chunks_per_s": round(report.chunks / seconds, 1),
            "speedup": round(torch["seconds"] / seconds, 2),
        }

    def _load_in_new_process(self, backend: str, cache: Path) -> float:
        """Seconds for a new process to load the model and embed one query (imports included); its peak RSS
        is kept in ``_load_rss_mb``."""
        code = (
            "import sys, time; started = time.perf_counter()\n"
            "from pathlib import Path\n"
            "from assistant.index.embeddings import Embedder, OnnxEmbedder\n"
            "model = Embedder() if sys.argv[1] == 'torch' else OnnxEmbedder(cache_dir=Path(sys.argv[2]))\n"
            "model.warm_up(); seconds = time.perf_counter() - started\n"
            "peak = [l for l in open('/proc/self/status') if l.startswith('VmHWM:')]\n"
            "print(seconds, int(peak[0].split()[1]) / 1024 if peak else 0.0)\n"
        )
        done = subprocess.run(
            [sys.executable, "-c", code, backend, str(cache)],
            check=True,
            capture_output=True,
            text=True,
            timeout=300,
            cwd=ROOT,
        )
        seconds, rss_mb = done.stdout.strip().splitlines()[-1].split()
        self._load_rss_mb[backend] = float(rss_mb)
        return float(seconds)

    # -- ingest ---------------------------------------------------------------------------

    def ingest(self, name: str, corpus: Path) -> tuple[Assistant, dict[str, Any]]:
        assistant = self.assistant(name, corpus)
        text_kb = sum(p.stat().st_size for p in corpus.glob("*")) / 1024
        started = time.perf_counter()
        report = assistant.ingest()
        seconds = time.perf_counter() - started
        chunks = report.chunks
        floor = self.floor_s_per_chunk * chunks
        size = folder_mb(assistant.settings.data_dir)
        figures = {
            "documents": report.documents,
            "chunks": chunks,
            "seconds": round(seconds, 2),
            "chunks_per_s": round(chunks / seconds, 1),
            "kb_text_per_s": round(text_kb / seconds, 1),
            "embedding_floor_s": round(floor, 2),
            "ratio_to_floor": round(seconds / floor, 3),
            "index_mb": round(size, 1),
            "index_mb_per_1000_chunks": round(1000 * size / max(1, chunks), 2),
            "peak_memory": peak_rss_mb(),
            "failed": len(report.failed),
        }
        return assistant, figures

    # -- ask ------------------------------------------------------------------------------

    def ask_latency(self, assistant: Assistant, label: str) -> dict[str, Any]:
        assistant.ask("warm up: what is the MASH?")
        timings = []
        abstained = 0
        for question, history in self.questions:
            started = time.perf_counter()
            answer = assistant.ask(question, history)
            timings.append((time.perf_counter() - started) * 1000)
            abstained += answer.abstained
        floor = self.query_floor(assistant)
        return {
            "label": label,
            "chunks": assistant.status()["chunks"],
            "questions": len(timings),
            "p50_ms": round(percentile(timings, 50), 1),
            "p95_ms": round(percentile(timings, 95), 1),
            "max_ms": round(max(timings), 1),
            "floor_query_ms": round(floor, 1),
            "p50_ratio_to_floor": round(percentile(timings, 50) / floor, 2),
            "abstained": abstained,
        }

    def dense_search(self, assistant: Assistant, label: str, k: int = 50) -> dict[str, Any]:
        """Nearest chunks to each evaluation question: exact (a cosine over every vector, the default
        up to ``exact_search_max`` chunks) against Chroma's HNSW graph over the same index; the
        graph's recall of the exact set, and each one's time per question."""
        from assistant.index.ingest import Index

        vectors = [self.embedder.embed_query(question) for question, _ in self.questions]
        exact = Index(assistant.settings.with_(exact_search_max=200_000), self.embedder)
        graph = Index(assistant.settings.with_(exact_search_max=0), self.embedder)
        try:
            found: dict[str, list[list[str]]] = {}
            timings: dict[str, list[float]] = {}
            first_ms: dict[str, float] = {}
            for name, index in (("exact", exact), ("graph", graph)):
                started = time.perf_counter()
                index.search_dense(vectors[0], k)  # loads the vectors (exact) or opens the graph
                first_ms[name] = (time.perf_counter() - started) * 1000
                found[name], timings[name] = [], []
                for vector in vectors:
                    started = time.perf_counter()
                    hits = index.search_dense(vector, k)
                    timings[name].append((time.perf_counter() - started) * 1000)
                    found[name].append([chunk_id for chunk_id, _ in hits])
        finally:
            exact.close()
            graph.close()
        recall = [len(set(g) & set(e)) / max(1, len(e)) for g, e in zip(found["graph"], found["exact"], strict=True)]
        exact_ms, graph_ms = percentile(timings["exact"], 50), percentile(timings["graph"], 50)
        chunks = assistant.status()["chunks"]
        return {
            "label": label,
            "chunks": chunks,
            "default": "exact" if chunks <= assistant.settings.exact_search_max else "graph",
            "exact_p50_ms": round(exact_ms, 2),
            "graph_p50_ms": round(graph_ms, 2),
            "exact_to_graph": round(exact_ms / max(graph_ms, 1e-6), 2),
            "exact_first_load_ms": round(first_ms["exact"], 1),
            "graph_recall_at_k": round(statistics.mean(recall), 4),
            "graph_questions_differing": sum(r < 1.0 for r in recall),
            "k": k,
        }

    def cold_start(self, seed_corpus: Path, torch_data_dir: Path) -> dict[str, Any]:
        """Seconds from a new process (``assistant ask``) to its first answer, on an existing index
        built by the same backend; the median of three runs per backend, interleaved."""
        runs: dict[str, tuple[Path, dict[str, str]]] = {
            "torch": (torch_data_dir, {"ASSISTANT_EMBEDDING_BACKEND": "torch"})
        }
        onnx = getattr(self, "onnx_embedder", None)
        if onnx is not None:
            settings = Settings(data_dir=self.work / "cold-onnx" / "data", corpus_dir=seed_corpus)
            Assistant(settings, embedder=onnx).ingest()
            runs["onnx"] = (
                settings.data_dir,
                {"ASSISTANT_EMBEDDING_BACKEND": "onnx", "ASSISTANT_MODEL_CACHE_DIR": str(self.work / "onnx-models")},
            )
        timings: dict[str, list[float]] = {name: [] for name in runs}
        for _ in range(3):
            for name, (data_dir, extra) in runs.items():
                env = {
                    **os.environ,
                    "ASSISTANT_DATA_DIR": str(data_dir),
                    "ASSISTANT_CORPUS_DIR": str(seed_corpus),
                    **extra,
                }
                started = time.perf_counter()
                subprocess.run(
                    [
                        sys.executable,
                        "-m",
                        "assistant",
                        "ask",
                        "--json",
                        "When must an initial child protection conference be held?",
                    ],
                    env=env,
                    check=True,
                    capture_output=True,
                    timeout=300,
                )
                timings[name].append(time.perf_counter() - started)
        return {name: round(statistics.median(values), 2) for name, values in timings.items()}

    # -- a large index without re-embedding every synthetic copy ---------------------------

    def scaled_index(self, name: str, chunks_wanted: int, source: Assistant) -> Assistant:
        """An index of about ``chunks_wanted`` chunks for latency at scale.

        Documents are real synthetic variants, parsed, chunked and ingested for real; their
        vectors are the seed chunks' real vectors with a little noise (see
        :class:`ReplayEmbedder`), because embedding 100,000 chunks takes about an hour on
        two cores. Latency depends on the index's size and shape, not on the exact vectors;
        ingest throughput is measured on real vectors.
        """
        corpus = self.work / name / "corpus"
        seed_chunks = source.status()["chunks"]
        per_copy = max(1, seed_chunks)
        pages = int(chunks_wanted / per_copy * max(1, SEED.stat().st_size // 4000))
        build_corpus(SEED, corpus, pages)
        settings = Settings(data_dir=self.work / name / "data", corpus_dir=corpus)
        replay = ReplayEmbedder(self.embedder, self.seed_vectors)
        builder = Assistant(settings, embedder=replay)
        started = time.perf_counter()
        builder.ingest()
        self.results.setdefault("replayed_ingest_s", {})[name] = round(time.perf_counter() - started, 2)
        builder.close()
        return self.assistant(name, corpus)

    # -- concurrency through the web app ----------------------------------------------------

    def concurrency(self, corpus: Path, users: Sequence[int], seconds: float) -> list[dict[str, Any]]:
        """The web app under load (bench/load.py): the HTTP API, the chat's /ask as the page calls
        it, and the chat's /ask through gradio_client, with the product's default settings over
        an index built by the default (ONNX) backend."""
        from bench.load import run_load, start_app, warm_up

        if not (ROOT / "app.py").is_file():
            return [{"skipped": "app.py is missing"}]
        data_dir = self.work / "cold-onnx" / "data"
        env = {"ASSISTANT_MODEL_CACHE_DIR": str(self.work / "onnx-models")}
        if not data_dir.exists():  # no ONNX index was built: let the app build its own
            data_dir = self.work / "load" / "data"
        questions = [q for q, h in self.questions if not h]
        results = []
        with start_app(env=env, data_dir=data_dir, corpus_dir=corpus) as url:
            warm_up(url)
            for api in ("http", "browser", "chat"):
                for n_users in users:
                    figures = run_load(url, users=n_users, seconds=seconds, questions=questions, api=api)
                    latency = figures["latency_ms"]
                    results.append(
                        {
                            "api": api,
                            "users": n_users,
                            "seconds": seconds,
                            "requests": figures["requests"],
                            "throughput_per_s": figures["throughput_rps"],
                            "p50_s": round(latency["p50"] / 1000, 3),
                            "p95_s": round(latency["p95"] / 1000, 3),
                            "errors": figures["errors"],
                            "busy": figures["busy"],
                            "driver_cpu_s": figures["driver_cpu_s"],
                        }
                    )
        return results

    # -- Chroma as a server ----------------------------------------------------------------

    def chroma_server(self, corpus: Path) -> dict[str, Any]:
        chroma = shutil.which("chroma") or str(Path(sys.executable).with_name("chroma"))
        if not Path(chroma).exists():
            return {"skipped": "the chroma command is not installed"}
        port = free_port()
        path = self.work / "chroma-server"
        server = subprocess.Popen(
            [chroma, "run", "--path", str(path), "--host", "127.0.0.1", "--port", str(port)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            deadline = time.time() + 60
            while time.time() < deadline:
                with socket.socket() as sock:
                    if sock.connect_ex(("127.0.0.1", port)) == 0:
                        break
                time.sleep(0.5)
            assistant = self.assistant("server", corpus, chroma_host="127.0.0.1", chroma_port=port)
            started = time.perf_counter()
            report = assistant.ingest()
            ingest_s = time.perf_counter() - started
            latency = self.ask_latency(assistant, "seed, Chroma server")
            return {"ingest_s": round(ingest_s, 2), "chunks": report.chunks, **latency}
        finally:
            server.terminate()
            server.wait(timeout=30)

    # -- the whole run ---------------------------------------------------------------------

    def run(self) -> None:
        step = self._step
        step("floor", self.floor)
        seed_corpus = self.work / "seed-corpus"
        seed_corpus.mkdir()
        shutil.copy(SEED, seed_corpus / SEED.name)
        self.results["formats"] = step(
            "document loading by format",
            lambda: measure_formats(SEED, self.work / "formats", 15 if self.quick else 40, 5 if self.quick else 9),
        )
        seed, figures = step("ingest seed", lambda: self.ingest("seed", seed_corpus))
        self.seed_vectors = self.embedder.embed_documents(self.seed_texts)
        self.results["ingest"] = {"seed": figures}
        self.results["backends"] = step("embedding backends", lambda: self.backends(seed_corpus))
        for pages in self.pages:
            corpus = self.work / f"pages-{pages}" / "corpus"
            build_corpus(SEED, corpus, pages)
            _, figures = step(
                f"ingest {pages} pages", lambda corpus=corpus, pages=pages: self.ingest(f"pages-{pages}", corpus)
            )
            self.results["ingest"][f"{pages}_pages"] = figures
        if self.pages and "backends" in self.results:
            pages = self.pages[0]
            self.results["backends"]["pages_ingest"] = step(
                f"ingest {pages} pages (onnx)", lambda: self.onnx_pages_ingest(pages)
            )
        self.results["cold_start_s"] = step("cold start", lambda: self.cold_start(seed_corpus, seed.settings.data_dir))
        latency = [step("ask 1x", lambda: self.ask_latency(seed, "seed (1x)"))]
        search = [step("dense search 1x", lambda: self.dense_search(seed, "seed (1x)"))]
        ten = step("build 10x", lambda: self.scaled_index("scale-10x", 10 * seed.status()["chunks"], seed))
        latency.append(step("ask 10x", lambda: self.ask_latency(ten, "10x")))
        search.append(step("dense search 10x", lambda: self.dense_search(ten, "10x")))
        if not self.quick:
            big = step("build 100k", lambda: self.scaled_index("scale-100k", 100_000, seed))
            latency.append(step("ask 100k", lambda: self.ask_latency(big, "~100,000 chunks")))
            search.append(step("dense search 100k", lambda: self.dense_search(big, "~100,000 chunks")))
            self.results["index_100k_mb"] = round(folder_mb(big.settings.data_dir), 1)
        self.results["ask"] = latency
        self.results["dense_search"] = search
        users, seconds = ([50], 10.0) if self.quick else ([1, 5, 50], 60.0)
        self.results["concurrency"] = step("concurrency", lambda: self.concurrency(seed_corpus, users, seconds))
        self.results["chroma_server"] = step("chroma server", lambda: self.chroma_server(seed_corpus))
        self.results["peak_memory"] = peak_rss_mb()

    def _step(self, name: str, action: Callable[[], Any]) -> Any:
        print(f"bench: {name} ...", file=sys.stderr, flush=True)
        started = time.perf_counter()
        result = action()
        self.results.setdefault("stage_seconds", {})[name] = round(time.perf_counter() - started, 1)
        return result

    def write(self) -> None:
        self.out.mkdir(parents=True, exist_ok=True)
        (self.out / "bench-report.json").write_text(json.dumps(self.results, indent=2) + "\n", encoding="utf-8")
        (self.out / "bench-report.md").write_text(markdown(self.results), encoding="utf-8")


def markdown(r: dict[str, Any]) -> str:
    f = r["floor"]
    lines = [
        f"# Benchmark report ({r['mode']} run)",
        "",
        f"Machine: {r['machine']['cpus']} CPUs, Python {r['machine']['python']}, {r['machine']['platform']}.",
        "",
        "## Floor, measured in the same run",
        "",
        f"- Model load: {f['model_load_s']} s.",
        f"- Embedding model alone, plain `encode` in batches of 64 over the seed's {f['seed_chunks']} chunks: "
        f"{f['chunks_per_s']} chunks/s ({f['embed_s']} s).",
        "",
        "## Ingest",
        "",
        "| corpus | documents | chunks | seconds | chunks/s | KB text/s | ratio to embedding floor | MB per 1,000 chunks | peak RSS MB (process / parser) |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for name, g in r["ingest"].items():
        lines.append(
            f"| {name} | {g['documents']} | {g['chunks']} | {g['seconds']} | {g['chunks_per_s']} | {g['kb_text_per_s']} | "
            f"{g['ratio_to_floor']} | {g['index_mb_per_1000_chunks']} | {g['peak_memory']['process_mb']} / {g['peak_memory']['children_mb']} |"
        )
    if "formats" in r:
        lines += formats_markdown(r["formats"])
    lines += backends_markdown(r.get("backends"))
    lines += [
        "",
        "Cold start to first answer (new process, `assistant ask`, existing index built by the same backend, "
        f"median of 3): {', '.join(f'{k} {v} s' for k, v in r['cold_start_s'].items())}.",
        "",
        "## Ask (full path: retrieval and answer), over the evaluation questions",
        "",
        "| index | chunks | p50 ms | p95 ms | max ms | floor: query embedding + vector search (ms) | p50 / floor |",
        "|---|---|---|---|---|---|---|",
    ]
    for a in r["ask"]:
        lines.append(
            f"| {a['label']} | {a['chunks']} | {a['p50_ms']} | {a['p95_ms']} | {a['max_ms']} | {a['floor_query_ms']} | {a['p50_ratio_to_floor']} |"
        )
    lines += [
        "",
        "## Dense search: exact cosine against Chroma's HNSW graph, same index, evaluation questions",
        "",
        "Exact search is the default up to `ASSISTANT_EXACT_SEARCH_MAX` chunks (20,000): the same nearest "
        "chunks from one build of an index to the next. Recall: the share of the exact nearest k the graph finds.",
        "",
        "| index | chunks | default | exact p50 ms | graph p50 ms | exact / graph | exact: first load ms | graph recall@k | questions where the graph differs |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for d in r.get("dense_search", []):
        lines.append(
            f"| {d['label']} | {d['chunks']} | {d['default']} | {d['exact_p50_ms']} | {d['graph_p50_ms']} | "
            f"{d['exact_to_graph']} | {d['exact_first_load_ms']} | {d['graph_recall_at_k']} | {d['graph_questions_differing']} |"
        )
    lines += [
        "",
        "## Concurrency through the web app (bench/load.py, default settings, no pause between questions)",
        "",
        "`http`: the HTTP API's `/api/v1/ask`; `browser`: the chat's `/ask` through Gradio's queue as the page's "
        "script calls it; `chat`: the same endpoint through gradio_client, whose sessions use much of the machine "
        "themselves (driver CPU).",
        "",
    ]
    rows = r.get("concurrency", [])
    if rows and "users" in rows[0]:
        lines += [
            "| api | users | seconds | requests | throughput /s | p50 s | p95 s | errors | busy | driver CPU s |",
            "|---|---|---|---|---|---|---|---|---|---|",
        ]
        lines += [
            f"| {c['api']} | {c['users']} | {c['seconds']} | {c['requests']} | {c['throughput_per_s']} | {c['p50_s']} | "
            f"{c['p95_s']} | {c['errors']} | {c['busy']} | {c['driver_cpu_s']} |"
            for c in rows
        ]
    else:
        lines.append(f"Not run: {rows}")
    server = r.get("chroma_server", {})
    lines += ["", "## Chroma in client/server mode (seed corpus)", ""]
    if "p50_ms" in server:
        lines.append(f"Ingest {server['ingest_s']} s; ask p50 {server['p50_ms']} ms, p95 {server['p95_ms']} ms.")
    else:
        lines.append(f"Not run: {server}")
    lines += ["", "## Growth", ""]
    ingest = r["ingest"]
    names = list(ingest)
    base = ingest[names[0]]
    for name in names[1:]:
        g = ingest[name]
        lines.append(
            f"- {name}: {g['chunks'] / base['chunks']:.1f}x the seed's chunks took {g['seconds'] / base['seconds']:.1f}x the time "
            f"(chunks/s {base['chunks_per_s']} -> {g['chunks_per_s']})."
        )
    asks = r["ask"]
    for a in asks[1:]:
        lines.append(
            f"- ask at {a['chunks']} chunks ({a['chunks'] / asks[0]['chunks']:.0f}x): p95 {a['p95_ms']} ms "
            f"vs {asks[0]['p95_ms']} ms at 1x."
        )
    lines += ["", "Stage times (s): " + ", ".join(f"{k} {v}" for k, v in r.get("stage_seconds", {}).items()), ""]
    return "\n".join(lines)


def backends_markdown(b: dict[str, Any] | None) -> list[str]:
    """The torch / ONNX comparison table (``Bench.backends``)."""
    if not b:
        return []
    t, o, x, c = b["torch"], b["onnx"], b["ratios"], b["cosine"]
    return [
        "",
        f"## Embedding backends: torch against ONNX Runtime ({b['onnx_variant']}), same run, interleaved",
        "",
        f"Seed corpus: {b['chunks']} chunks, {b['sentences']} sentences; passages embedded {b['repetitions']} times "
        f"each (median), {b['queries']} queries one at a time (median); evaluation: the {t['items']} questions of "
        f"eval/dataset.jsonl over a fresh index per backend. ONNX export on first use: {b['onnx_export_s']} s "
        f"({b['onnx_file_mb']} MB file).",
        "",
        f"| | torch | ONNX {b['onnx_variant']} | ONNX / torch |",
        "|---|---|---|---|",
        f"| index name (`embedder.name`) | {t['model']} | {o['model']} | |",
        f"| model load, new process (s) | {t['load_s']} | {o['load_s']} | {x['load_speedup']}x faster |",
        f"| peak memory of that process (MB) | {t['load_rss_mb']} | {o['load_rss_mb']} | {o['load_rss_mb'] / t['load_rss_mb']:.2f}x |",
        f"| passages with sentence pooling (chunks/s) | {t['chunks_per_s']} | {o['chunks_per_s']} | {x['passage_speedup']}x |",
        f"| query embedding p50 (ms) | {t['query_ms_p50']} | {o['query_ms_p50']} | {x['query_speedup']}x faster |",
        f"| ingest of the seed, end to end (s) | {t['ingest_s']} | {o['ingest_s']} | {x['ingest_speedup']}x faster |",
        *(
            [
                f"| ingest of {g['pages']} synthetic pages ({g['chunks']} chunks), end to end (s) | {g['torch_s']} | {g['onnx_s']} | {g['speedup']}x faster |"
            ]
            if (g := b.get("pages_ingest"))
            else []
        ),
        f"| evaluation run, {t['items']} questions (s) | {t['eval_s']} | {o['eval_s']} | {t['eval_s'] / max(o['eval_s'], 0.01):.1f}x faster |",
        f"| evidence recall@5 | {t['evidence_recall_at_5']} | {o['evidence_recall_at_5']} | {o['evidence_recall_at_5'] - t['evidence_recall_at_5']:+.4f} |",
        f"| key-fact accuracy | {t['key_fact_accuracy']} | {o['key_fact_accuracy']} | {o['key_fact_accuracy'] - t['key_fact_accuracy']:+.4f} |",
        f"| MRR | {t['mrr']} | {o['mrr']} | {o['mrr'] - t['mrr']:+.4f} |",
        f"| false abstention rate | {t['false_abstention_rate']} | {o['false_abstention_rate']} | {o['false_abstention_rate'] - t['false_abstention_rate']:+.4f} |",
        f"| overall pass rate | {t['overall_pass_rate']} | {o['overall_pass_rate']} | {o['overall_pass_rate'] - t['overall_pass_rate']:+.4f} |",
        "",
        "Cosine between the two backends' vectors of the same texts (min / 1st percentile / mean): "
        + "; ".join(f"{k} {v['min']} / {v['p01']} / {v['mean']} (n={v['n']})" for k, v in c.items())
        + ".",
    ]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="small corpora, short concurrency runs (CI)")
    parser.add_argument("--out", type=Path, default=ROOT / "reports" / "bench")
    parser.add_argument(
        "--pages",
        type=int,
        nargs="*",
        default=None,
        help="synthetic corpus sizes to ingest, in pages (default: 100 300 quick, 1000 10000 full)",
    )
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="assistant-bench-") as work:
        bench = Bench(args.quick, args.out, Path(work), args.pages)
        bench.run()
        bench.write()
    print((args.out / "bench-report.md").read_text(encoding="utf-8"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
