"""Hostile and broken documents: each is parsed in a child process with time and memory
limits, reported by name with a reason, and never stops the rest of the run."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import zlib
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parents[1]
PDF_SAMPLES = Path(os.environ.get("ASSISTANT_SHARED_DIR") or ROOT.parent / "shared") / "pdf-samples"
SEED = ROOT / "corpus" / "havering-lscb-annual-report-2014-15.txt"


def _pdf(objects: list[bytes]) -> bytes:
    """A PDF from raw object bodies (1-based), with a correct cross-reference table."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def _page_pdf(content: bytes, *, extra: bytes = b"", stream_dict: bytes | None = None) -> bytes:
    stream_dict = stream_dict if stream_dict is not None else f"<< /Length {len(content)} >>".encode()
    return _pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
            b"/Resources << /Font << /F1 5 0 R >> >> " + extra + b">>",
            stream_dict + b"\nstream\n" + content + b"\nendstream",
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        ]
    )


def decompression_bomb() -> bytes:
    """A content stream that inflates from about 1 MB to 1 GB of zeros."""
    compressor = zlib.compressobj(9)
    chunk = b"\x00" * (1 << 20)
    data = b"".join(compressor.compress(chunk) for _ in range(1024)) + compressor.flush()
    return _page_pdf(data, stream_dict=f"<< /Length {len(data)} /Filter /FlateDecode >>".encode())


def deeply_nested() -> bytes:
    """An array nested 200,000 levels deep inside the page dictionary."""
    depth = 200_000
    return _page_pdf(b"BT /F1 12 Tf 72 720 Td (Hello) Tj ET", extra=b"/Nested " + b"[" * depth + b"]" * depth + b" ")


def lying_length() -> bytes:
    """A stream whose /Length says 10 bytes but holds a whole page of text."""
    content = b"BT /F1 12 Tf 72 720 Td (A stream whose length entry lies about its size.) Tj ET"
    return _page_pdf(content, stream_dict=b"<< /Length 10 >>")


def long_pdf(pages: int) -> bytes:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_font("helvetica", size=11)
    for number in range(1, pages + 1):
        pdf.add_page()
        pdf.multi_cell(
            0, 6, f"Page {number}. Strategy discussions for case {number} are held within 24 hours of a referral."
        )
    return bytes(pdf.output())


@pytest.fixture(scope="module")
def hostile_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("hostile")
    shared = PDF_SAMPLES
    good = folder / "good"
    good.mkdir()
    (good / "procedures.md").write_text(
        "# Strategy discussions\n\nA strategy discussion must be held within one working day of a referral.\n",
        encoding="utf-8",
    )
    shutil.copy(SEED, good / SEED.name)
    bad = {
        "truncated.pdf": (shared / "crazyones.pdf").read_bytes()[:4000] if shared.is_dir() else b"%PDF-1.7\n1 0 obj <<",
        "random-bytes.pdf": os.urandom(20_000),
        "zero-bytes.pdf": b"",
        "empty.txt": b"",
        "nested.pdf": deeply_nested(),
        "bomb.pdf": decompression_bomb(),
        "binary.txt": bytes(range(256)) * 200,
        "program.exe": b"MZ\x90\x00" + os.urandom(4000),
        "picture.png": b"\x89PNG\r\n\x1a\n" + os.urandom(2000),
        "zip-named.docx": b"PK\x03\x04" + os.urandom(500),
    }
    for name, data in bad.items():
        (folder / name).write_bytes(data)
    if shared.is_dir():
        for name in ("crazyones-encrypted-256.pdf", "r4-user-password.pdf", "r2-empty-password.pdf", "issue-297.pdf"):
            shutil.copy(shared / name, folder / name)
    (folder / "lying-length.pdf").write_bytes(lying_length())
    (folder / "latin1.txt").write_bytes(
        "Referrals to Children’s Social Care cost £5 each in café terms.".encode("cp1252")
    )
    (folder / "scripts.html").write_text(
        "<html><head><title>Page</title><script>alert('x')</script><style>p{}</style></head>"
        "<body><p>The LADO handles allegations against staff.</p><script>document.write('pwned')</script></body></html>",
        encoding="utf-8",
    )
    (folder / "long.pdf").write_bytes(long_pdf(2000))
    return folder


def test_a_folder_of_hostile_files_is_ingested_in_bounded_time(hostile_folder: Path, tmp_path: Path) -> None:
    env = {**os.environ, "ASSISTANT_DATA_DIR": str(tmp_path / "data"), "ASSISTANT_PARSE_TIMEOUT_S": "120"}
    started = time.monotonic()
    completed = subprocess.run(
        [sys.executable, "-m", "assistant", "ingest", "--json", "--quiet", str(hostile_folder)],
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    elapsed = time.monotonic() - started
    import json

    assert completed.returncode == 3, completed.stderr
    report = json.loads(completed.stdout)
    failed = {f["file"]: f["reason"] for f in report["failed"]}
    indexed = set(report["added"])
    for name in (
        "truncated.pdf",
        "random-bytes.pdf",
        "zero-bytes.pdf",
        "empty.txt",
        "nested.pdf",
        "bomb.pdf",
        "binary.txt",
        "program.exe",
        "picture.png",
        "zip-named.docx",
    ):
        assert name in failed, (name, report)
        assert failed[name] and "Traceback" not in failed[name]
    assert "empty" in failed["zero-bytes.pdf"] and "empty" in failed["empty.txt"]
    assert "unsupported" in failed["program.exe"] or "Unsupported" in failed["program.exe"]
    if PDF_SAMPLES.is_dir():
        assert "password" in failed["r4-user-password.pdf"] or "encrypted" in failed["r4-user-password.pdf"]
        assert "crazyones-encrypted-256.pdf" in failed
        assert "r2-empty-password.pdf" in indexed  # the empty password opens it
    for name in ("procedures.md", SEED.name, "latin1.txt", "scripts.html", "long.pdf"):
        assert name in indexed, (name, report)
    assert elapsed < 600, f"the run took {elapsed:.0f} s"
    assert "Traceback" not in completed.stderr + completed.stdout

    # What was indexed is sane: no script text, the latin-1 text decoded, the long PDF paged.
    from assistant.config import Settings
    from assistant.engine import Assistant

    assistant = Assistant(Settings(data_dir=tmp_path / "data", corpus_dir=hostile_folder))
    texts = {r.file_name: assistant.document_text(r.doc_id) or "" for r in assistant.documents()}
    assert "alert" not in texts["scripts.html"] and "pwned" not in texts["scripts.html"]
    assert "£5" in texts["latin1.txt"] and "café" in texts["latin1.txt"]
    long_record = next(r for r in assistant.documents() if r.file_name == "long.pdf")
    assert long_record.page_count == 2000
    assistant.close()
