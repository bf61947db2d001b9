"""The upload folder and the upload allowance (services/uploads.py), with real files."""

from __future__ import annotations

from pathlib import Path

from assistant.services.uploads import UploadQuota, UploadStore


def test_checked_files_are_stored_and_the_rest_refused(tmp_path: Path) -> None:
    store = UploadStore(tmp_path / "uploads", max_bytes=1_000_000)
    good = tmp_path / "policy.md"
    good.write_text("# Policy\n\nThe policy applies to everyone.\n", encoding="utf-8")
    fake = tmp_path / "fake.pdf"
    fake.write_text("not a pdf", encoding="utf-8")
    big = tmp_path / "big.txt"
    big.write_bytes(b"x" * 1_000_001)  # one byte over a megabyte of 1,000,000 bytes
    hidden = tmp_path / ".hidden.md"
    hidden.write_text("# x\n", encoding="utf-8")
    stored = store.store([good, fake, big, hidden])
    assert [p.name for p in stored.paths] == ["policy.md"]
    reasons = dict(stored.refused)
    assert "not a PDF" in reasons["fake.pdf"]
    assert "1.0 MB, over the 1 MB limit (1 MB = 1,000,000 bytes)" in reasons["big.txt"]
    assert "starts with '.'" in reasons[".hidden.md"]
    assert store.files() == [store.folder / "policy.md"]
    assert not list(store.folder.glob(".*.part"))


def test_pending_files_are_those_not_in_the_index(tmp_path: Path) -> None:
    store = UploadStore(tmp_path / "uploads", max_bytes=1_000_000)
    store.folder.mkdir(parents=True)
    for name in ("a.md", "b.md", "c.md"):
        (store.folder / name).write_text(f"# {name}\n", encoding="utf-8")
    (store.folder / ".c.md.part").write_text("half", encoding="utf-8")
    indexed = [store.folder / "a.md"]
    assert [p.name for p in store.pending(indexed)] == ["b.md", "c.md"]
    assert store.discard(["a.md", "b.md"], indexed) == ["b.md"]  # an indexed file is not discarded
    assert (store.folder / "a.md").exists() and not (store.folder / "b.md").exists()
    store.sweep_part_files()
    assert not (store.folder / ".c.md.part").exists()
    outside = tmp_path / "elsewhere.md"
    outside.write_text("# keep\n", encoding="utf-8")
    assert store.delete([outside]) == [] and outside.exists()  # only files inside the upload folder


def test_the_allowance_bounds_bytes_and_requests_per_session() -> None:
    quota = UploadQuota(bytes_per_hour=1_000, requests_per_minute=3)
    assert quota.allow("s1", 400) is None
    assert quota.allow("s1", 400) is None
    refused = quota.allow("s1", 400)
    assert refused is not None and "hourly upload allowance" in refused
    assert quota.allow("s2", 900) is None  # another session has its own allowance
    for _ in range(2):
        assert quota.allow("s3", 1) is None
    assert quota.allow("s3", 1) is None
    refused = quota.allow("s3", 1)
    assert refused is not None and "too many uploads" in refused
