"""Word pieces: the embedding model's own tokenizer, used to size chunks and to pool sentences.

The ``tokenizers`` library is imported here only, and only when a tokenizer is first
needed; it reads the model folder's ``tokenizer.json`` (no model weights, no network).
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

from assistant.errors import ConfigurationError

__all__ = ["WordPieces", "word_pieces"]


class WordPieces:
    """Counts and offsets of a model's word pieces (with its [CLS] and [SEP] markers)."""

    def __init__(self, model_dir: Path) -> None:
        path = Path(model_dir) / "tokenizer.json"
        if not path.is_file():
            raise ConfigurationError(f"no sentence-transformers model in {model_dir} (tokenizer.json missing)")
        from tokenizers import Tokenizer

        tokenizer = Tokenizer.from_file(str(path))
        tokenizer.no_truncation()
        tokenizer.no_padding()
        self._tokenizer = tokenizer

    def count(self, texts: Sequence[str]) -> list[int]:
        """Word pieces per text, including the [CLS] and [SEP] markers the model adds."""
        if not texts:
            return []
        return [len(encoding.ids) for encoding in self._tokenizer.encode_batch(list(texts))]

    def offsets(self, texts: Sequence[str]) -> list[list[tuple[int, int]]]:
        """(start, end) character offsets of each word piece of each text."""
        encodings: list[Any] = self._tokenizer.encode_batch(list(texts))
        return [list(encoding.offsets) for encoding in encodings]


@lru_cache(maxsize=4)
def word_pieces(model_dir: str) -> WordPieces:
    """One tokenizer per model folder and process (parsing children reuse theirs across files)."""
    return WordPieces(Path(model_dir))
