"""The embedding model on ONNX Runtime: an export of the packaged weights, cached in the data folder.

The export runs once, on first use, from the weights already on disk (nothing is
downloaded): torch traces the transformer to ONNX (its ``last_hidden_state``), and the
``int8`` variant is then quantised by ONNX Runtime's dynamic quantisation, with one
scale per output channel of each weight, except the first transformer layer, which
stays in fp32. Measured on the seed report (see docs/benchmarks.md): one scale per
tensor loses too much (mean cosine to the torch vectors 0.955); per channel everywhere
gives 0.994 but lowers every query-sentence similarity a little (mean -0.004), enough to
tip borderline answers under the answerer's support threshold (key-fact accuracy
-0.015); keeping the first layer in fp32 gives 0.996 (sentences at least 0.98),
evaluation figures at or above torch's, and the same speed (passages 2-4x torch's).
The file lands in ``<cache>/<model>-<hash of the source weights>-<variant>/model.onnx``, written to a
temporary file and renamed, next to ``model.onnx.sha256``; both are written and checked
under a file lock, so processes starting together export once and never read half a
file. A file whose SHA-256 no longer matches is exported again, with a warning.

onnxruntime, onnx and torch are imported here only, and only when a model is exported
or loaded: importing this module costs nothing.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import warnings
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from filelock import FileLock, Timeout

from assistant.errors import ConfigurationError

if TYPE_CHECKING:
    import numpy as np

__all__ = ["RECIPE", "VARIANTS", "OnnxModel", "cache_folder", "file_sha256", "load_model", "padded", "source_digest"]

log = logging.getLogger(__name__)

VARIANTS = ("int8", "fp32")
"""``int8``: dynamic quantisation, per-channel weight scales, first layer in fp32 (the default); ``fp32``: the
plain export (vectors identical to torch's)."""
FP32_LAYER = "/layer.0/"
"""The matrix products kept in fp32 in the ``int8`` variant: those of the first transformer layer."""
RECIPE = "st-last-hidden-state/opset17/eager-attention/int8-dynamic-per-channel-first-layer-fp32/1"
"""Part of the cache key: change it whenever the export or the quantisation changes."""
MODEL_FILE = "model.onnx"
CHECKSUM_FILE = MODEL_FILE + ".sha256"
LOCK_TIMEOUT_S = 900.0
_INPUTS = ("input_ids", "attention_mask")
_WEIGHT_FILES = ("model.safetensors", "pytorch_model.bin")


def file_sha256(path: Path) -> str:
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def source_digest(model_dir: Path) -> str:
    """A short hash of the source weights, their configuration and the export recipe."""
    digest = hashlib.sha256(RECIPE.encode())
    weights = [model_dir / name for name in _WEIGHT_FILES if (model_dir / name).is_file()]
    if not weights:
        raise ConfigurationError(f"no model weights in {model_dir} (expected one of: {', '.join(_WEIGHT_FILES)})")
    for path in [*weights[:1], model_dir / "config.json"]:
        digest.update(path.name.encode())
        digest.update(bytes.fromhex(file_sha256(path)) if path.is_file() else b"-")
    return digest.hexdigest()[:12]


def cache_folder(cache_dir: Path, model_name: str, model_dir: Path, variant: str) -> Path:
    """``<cache_dir>/<model name>-<short hash of the source weights>-<variant>``."""
    if variant not in VARIANTS:
        raise ConfigurationError(f"unknown ONNX variant {variant!r} (one of: {', '.join(VARIANTS)})")
    return Path(cache_dir) / f"{model_name}-{source_digest(Path(model_dir))}-{variant}"


class OnnxModel:
    """An ONNX Runtime session that gives the transformer's contextual token embeddings."""

    def __init__(self, model_bytes: bytes, *, path: Path, threads: int | None = None) -> None:
        import onnxruntime as ort

        options = ort.SessionOptions()
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        options.intra_op_num_threads = threads or _cpus()
        options.inter_op_num_threads = 1
        # no busy-waiting between operators: on a shared two-core machine spinning threads
        # take the CPU from the web server and the other request
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        options.log_severity_level = 3
        self.path = path
        self.session: Any = ort.InferenceSession(model_bytes, options, providers=["CPUExecutionProvider"])

    def hidden_states(self, input_ids: np.ndarray, attention_mask: np.ndarray) -> np.ndarray:
        """``last_hidden_state`` (batch, pieces, dimensions) for int64 ids and mask of shape (batch, pieces)."""
        outputs = self.session.run(None, {"input_ids": input_ids, "attention_mask": attention_mask})
        hidden: np.ndarray = outputs[0]
        return hidden


def load_model(
    folder: Path, variant: str, torch_module: Callable[[], Any], *, threads: int | None = None
) -> tuple[OnnxModel, bool]:
    """The verified model in ``folder`` (exported first if missing or corrupt), and whether it was exported."""
    path = folder / MODEL_FILE
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with FileLock(str(folder / ".lock"), timeout=LOCK_TIMEOUT_S):
            model_bytes = _verified_bytes(path)
            exported = model_bytes is None
            if model_bytes is None:
                log.info("exporting the embedding model to ONNX (%s), once: %s", variant, path)
                _export(torch_module(), folder, variant)
                model_bytes = _verified_bytes(path)
                if model_bytes is None:
                    raise RuntimeError("the new export does not match its own checksum")
        return OnnxModel(model_bytes, path=path, threads=threads), exported
    except Timeout:
        raise ConfigurationError(
            f"another process has held {folder / '.lock'} for {LOCK_TIMEOUT_S:.0f} s while exporting the "
            "embedding model; remove the folder and try again, or set ASSISTANT_EMBEDDING_BACKEND=torch"
        ) from None
    except ConfigurationError:
        raise
    except Exception as exc:  # the export runs torch, onnx and the quantiser: report any failure the same way
        raise ConfigurationError(
            f"could not export or load the ONNX embedding model in {folder} ({type(exc).__name__}: {exc}); "
            "set ASSISTANT_EMBEDDING_BACKEND=torch to run the model without ONNX Runtime"
        ) from exc


def _verified_bytes(path: Path) -> bytes | None:
    """The model file's bytes if its SHA-256 matches the checksum file; None (with a warning) if not."""
    if not path.is_file():
        return None
    checksum_path = path.with_name(CHECKSUM_FILE)
    try:
        expected = checksum_path.read_text(encoding="ascii").split()[0].lower()
    except (OSError, IndexError, UnicodeDecodeError):
        expected = ""
    data = path.read_bytes()
    actual = hashlib.sha256(data).hexdigest()
    if actual != expected:
        log.warning(
            "the cached ONNX model %s does not match its checksum (%s): exporting it again",
            path,
            "no checksum file" if not expected else f"expected {expected[:12]}…, found {actual[:12]}…",
        )
        return None
    return data


def _export(module: Any, folder: Path, variant: str) -> None:
    """Trace ``module`` (a transformers encoder) to ONNX, quantise it if asked, and install it atomically."""
    suffix = f".tmp-{os.getpid()}"
    traced = folder / f"fp32.onnx{suffix}"
    final = folder / f"{MODEL_FILE}{suffix}"
    checksum = folder / f"{CHECKSUM_FILE}{suffix}"
    try:
        _trace(module, traced)
        if variant == "int8":
            _quantise(traced, final)
        else:
            traced.replace(final)
        digest = file_sha256(final)
        checksum.write_text(f"{digest}  {MODEL_FILE}\n", encoding="ascii")
        _fsync(final)
        _fsync(checksum)
        final.replace(folder / MODEL_FILE)
        checksum.replace(folder / CHECKSUM_FILE)
        (folder / "export.json").write_text(
            json.dumps({"recipe": RECIPE, "variant": variant, "sha256": digest}, indent=2) + "\n", encoding="utf-8"
        )
    finally:
        for leftover in (traced, final, checksum):
            leftover.unlink(missing_ok=True)


def _trace(module: Any, dest: Path) -> None:
    import onnx
    import torch

    class LastHiddenState(torch.nn.Module):
        def __init__(self, encoder: Any) -> None:
            super().__init__()
            self.encoder = encoder

        def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
            output: torch.Tensor = self.encoder(input_ids=input_ids, attention_mask=attention_mask)[0]
            return output

    # traced with padding in the batch, so that the graph keeps the attention mask
    input_ids = torch.full((2, 16), 1000, dtype=torch.long)
    attention_mask = torch.ones((2, 16), dtype=torch.long)
    attention_mask[1, 9:] = 0
    axes = {0: "batch", 1: "pieces"}
    with warnings.catch_warnings(), torch.no_grad():
        warnings.simplefilter("ignore")  # the tracer's advice on data-dependent branches (none here: eager attention)
        torch.onnx.export(
            LastHiddenState(module.eval()),
            (input_ids, attention_mask),
            str(dest),
            dynamo=False,
            input_names=list(_INPUTS),
            output_names=["last_hidden_state"],
            dynamic_axes={"input_ids": axes, "attention_mask": axes, "last_hidden_state": axes},
            opset_version=17,
            do_constant_folding=True,
        )
    onnx.checker.check_model(str(dest))


class _QuietQuantiser(logging.Filter):
    """Drops what quantize_dynamic logs on the root logger: one line per tensor at INFO, and its advice
    to pre-process first (whose symbolic shape inference fails on this graph)."""

    def filter(self, record: logging.LogRecord) -> bool:
        return record.levelno >= logging.WARNING and "pre-processing before quantization" not in record.getMessage()


def _quantise(source: Path, dest: Path) -> None:
    import onnx
    from onnxruntime.quantization import QuantType, quantize_dynamic

    graph = onnx.load(str(source), load_external_data=False).graph
    first_layer = [n.name for n in graph.node if n.op_type == "MatMul" and FP32_LAYER in n.name]
    if not first_layer:
        raise RuntimeError(f"no matrix product of the first layer ({FP32_LAYER!r}) in the traced graph")
    quiet = _QuietQuantiser()
    root = logging.getLogger()
    root.addFilter(quiet)
    try:
        quantize_dynamic(
            str(source),
            str(dest),
            weight_type=QuantType.QInt8,
            per_channel=True,
            nodes_to_exclude=first_layer,
            extra_options={"DefaultTensorType": onnx.TensorProto.FLOAT},
        )
    finally:
        root.removeFilter(quiet)


def _fsync(path: Path) -> None:
    with path.open("rb") as handle:
        os.fsync(handle.fileno())


def _cpus() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def padded(ids: Sequence[Sequence[int]]) -> tuple[np.ndarray, np.ndarray]:
    """int64 ids padded with 0 to the longest, and the attention mask."""
    import numpy as np

    width = max((len(row) for row in ids), default=0)
    input_ids = np.zeros((len(ids), width), dtype="int64")
    mask = np.zeros((len(ids), width), dtype="int64")
    for i, row in enumerate(ids):
        input_ids[i, : len(row)] = row
        mask[i, : len(row)] = 1
    return input_ids, mask
