"""A battery of identifying details driven through every path that writes, then searched for everywhere.

One scenario runs once for the module, over one data folder (ASSISTANT_RETENTION_DAYS=1):

1. ``assistant ask`` and ``assistant ask --jsonl`` (subprocesses; the first builds the index),
2. the web app (``python app.py``): questions typed in Chromium, thumbs up/down with comments,
   and questions (with a history) through gradio_client's ``/ask``,
3. ``assistant feedback export --csv``.

Before it starts, the data folder is given things that the retention rules must delete: an
audit file from 2000, a feedback row from 2000 (both written with the product's own classes)
and log files with old backups. Afterwards every file under the data folder, the Gradio temp
folder, the app's console log, the CLI's console output and the exported CSV are read as
bytes and searched for each identifier in several spellings and encodings.
"""

from __future__ import annotations

import csv
import io
import json
import logging
import logging.handlers
import os
import re
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from webapp import SEED, RawSession, base_env, chromium, open_page, run_app
from webapp import ask as browser_ask

pytestmark = pytest.mark.slow

WORD = "Quillfeather"  # a made-up word in every question: it must never reach the audit log or a log file
OLD_MARKER = "RETENTION-MARKER-OLD-ROW"


def nhs_check_digit_ok(number: str) -> bool:
    digits = [int(d) for d in re.sub(r"\D", "", number)]
    if len(digits) != 10:
        return False
    remainder = sum(d * w for d, w in zip(digits[:9], range(10, 1, -1), strict=True)) % 11
    check = 11 - remainder
    check = 0 if check == 11 else check
    return check != 10 and check == digits[9]


# label: (the phrase used in questions and comments, the spellings searched for)
IDENTIFIERS: dict[str, tuple[str, list[str]]] = {
    "name-jane-smith": ("my client Jane Smith", ["Jane Smith", "Smith"]),
    "name-liam-oconnor": (
        "a boy called Liam O'Connor",
        ["Liam O'Connor", "O'Connor", "O&#x27;Connor", "O&#39;Connor", "O\\u0027Connor", "O’Connor", "OConnor"],
    ),
    "name-mrs-patel": ("Mrs Patel", ["Mrs Patel", "Patel"]),
    "name-aoife-mcdonald": ("a girl called Aoife McDonald", ["Aoife McDonald", "Aoife", "McDonald", "Donald"]),
    "dob-numeric": ("DOB 12/03/2011", ["12/03/2011", "12\\/03\\/2011", "12.03.2011", "12-03-2011", "2011-03-12"]),
    "dob-words": ("born on 3rd March 2011", ["3rd March 2011", "3 March 2011", "2011-03-03"]),
    "nhs-9434765919": ("NHS number 943 476 5919", ["943 476 5919", "943-476-5919", "#9434765919"]),
    "nhs-4010232137": ("NHS number 401 023 2137", ["401 023 2137", "401-023-2137", "#4010232137"]),
    "phone-mobile": ("mobile 07911 123456", ["07911 123456", "#07911123456", "#447911123456"]),
    "phone-london": ("landline 020 7946 0018", ["020 7946 0018", "#02079460018", "#442079460018"]),
    "email-jane": ("jane.smith@example.org", ["jane.smith@example.org", "jane.smith%40example.org", "jane.smith"]),
    "email-school": ("liam.oc@school.example.net", ["liam.oc@school.example.net", "liam.oc%40school", "liam.oc@"]),
    "postcode-rm1": ("RM1 3BD", ["RM1 3BD", "RM13BD"]),
    "postcode-sw1a": ("SW1A 1AA", ["SW1A 1AA", "SW1A1AA"]),
    "street-acacia": ("14 Acacia Road", ["14 Acacia Road", "Acacia"]),
    "street-baker": ("221B Baker Street", ["221B Baker Street", "Baker Street"]),
}
# A needle starting with "#" is a run of digits, also searched for in the text with separators removed.


def phrases(*labels: str) -> list[str]:
    return [IDENTIFIERS[label][0] for label in labels]


ALL = list(IDENTIFIERS)
CLI_QUESTION = f"{WORD}: {', '.join(phrases(*ALL))}. When must an initial child protection conference be held?"
BROWSER_QUESTIONS = (
    f"{WORD} - my client Jane Smith, DOB 12/03/2011, NHS number 943 476 5919, lives at 14 Acacia Road, RM1 3BD; "
    f"her mobile 07911 123456. When must an initial child protection conference be held?",
    f"{WORD} - a boy called Liam O'Connor, born on 3rd March 2011, NHS number 401 023 2137, and a girl called "
    "Aoife McDonald live with Mrs Patel at 221B Baker Street, SW1A 1AA; landline 020 7946 0018, "
    "email liam.oc@school.example.net or jane.smith@example.org. What counts as private fostering?",
)
BROWSER_COMMENTS = (
    f"Useful. {', '.join(phrases(*ALL[: len(ALL) // 2]))}.",
    f"Missing detail. {', '.join(phrases(*ALL[len(ALL) // 2 :]))}.",
)
API_QUESTIONS = (
    f"{WORD}: {', '.join(phrases(*ALL[::2]))}. What is the MASH?",
    f"{WORD}: and {', '.join(phrases(*ALL[1::2]))}? How many contacts did the MASH receive in 2014/15?",
    f"{WORD}: {', '.join(phrases(*ALL))}. What is Early Help?",
    f"{WORD} - when must an initial child protection conference be held?",  # no identifier: answered, cited
)
API_HISTORY = [{"question": f"{WORD}: {', '.join(phrases(*ALL))}. What should I do?", "answer": "See the MASH."}]


def _jsonl_lines() -> list[dict[str, Any]]:
    lines: list[dict[str, Any]] = [
        {"id": n, "question": f"{WORD}: I am worried about {phrase}. What is the MASH?"}
        for n, phrase in enumerate(phrases(*ALL))
    ]
    lines.append({"id": "h", "question": f"{WORD}: and then?", "history": API_HISTORY})
    lines.append({"id": "clean", "question": f"{WORD} - when must an initial child protection conference be held?"})
    return lines


# -- the scenario ---------------------------------------------------------------------------------


class _SameText:
    def redact(self, text: str) -> str:
        return text


def _seed_retention_fixtures(data: Path) -> dict[str, Any]:
    """Things the retention rules must delete, written with the product's own classes where it has them."""
    from assistant.services.feedback import FeedbackStore

    old_day = datetime(2000, 1, 1, 9, 0, tzinfo=UTC)
    audit = data / "audit"
    audit.mkdir(parents=True)
    old_audit = audit / "audit-2000-01-01.jsonl"
    old_audit.write_text(
        json.dumps({"time": old_day.isoformat(), "event": "ask", "user": "anonymous", "documents": []}) + "\n",
        encoding="utf-8",
    )
    store = FeedbackStore(data / "feedback.sqlite3", retention_days=1, redactor=_SameText())
    old_row = store.record(
        rating="down", question=f"{OLD_MARKER} question", answer="old answer", comment=OLD_MARKER, now=old_day
    )
    logs = data / "logs"
    logs.mkdir()
    three_days_ago = time.time() - 3 * 86400
    old_backups = []
    for base in ("assistant.log", "web.log"):
        current = logs / base
        current.write_text("2000-01-01 00:00:00 INFO old line\n", encoding="utf-8")
        os.utime(current, (three_days_ago, three_days_ago))
        for day in range(1, 6):
            backup = logs / f"{base}.2000-01-0{day}"
            backup.write_text("old backup\n", encoding="utf-8")
            old_backups.append(backup)
    return {"old_audit": old_audit, "old_row": old_row, "old_backups": old_backups}


def _cli(args: list[str], env: dict[str, str], cwd: Path, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "assistant", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        cwd=cwd,
        timeout=600,
        check=False,
    )


def _browser_session(page: Any) -> set[str]:
    hashes = set()
    for body in page.posted:
        try:
            sent = json.loads(body)
        except ValueError:
            continue
        if isinstance(sent, dict) and sent.get("session_hash"):
            hashes.add(str(sent["session_hash"]))
    return hashes


def _rate_and_comment(page: Any, button: str, comment: str) -> None:
    page.locator(f"#sa-chat button[aria-label='{button}']").last.click()
    page.wait_for_function(
        "() => document.querySelector('#sa-feedback-note').innerText.includes('rating was recorded')", timeout=30_000
    )
    page.locator("#sa-comment-row").wait_for(state="visible")
    page.locator("#sa-comment textarea").fill(comment)
    page.locator("#sa-comment-send").click()
    page.wait_for_function(
        "() => document.querySelector('#sa-feedback-note').innerText.includes('comment was saved')", timeout=30_000
    )


@pytest.fixture(scope="module")
def scenario(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    from gradio_client import Client

    root = tmp_path_factory.mktemp("privacy")
    corpus = root / "corpus"
    corpus.mkdir()
    (corpus / SEED.name).write_bytes(SEED.read_bytes())
    data = root / "data"
    seeded = _seed_retention_fixtures(data)
    env = base_env()
    env.update({"ASSISTANT_DATA_DIR": str(data), "ASSISTANT_CORPUS_DIR": str(corpus), "ASSISTANT_RETENTION_DAYS": "1"})
    started = datetime.now(UTC) - timedelta(seconds=2)
    outputs: dict[str, str] = {}
    asked = {"cli": 0, "browser": 0, "api": 0}

    # (a) the command line
    plain = _cli(["ask", CLI_QUESTION], env, root)
    assert plain.returncode == 0, plain.stderr[-2000:]
    outputs["cli-ask.stdout"], outputs["cli-ask.stderr"] = plain.stdout, plain.stderr
    asked["cli"] += 1
    lines = _jsonl_lines()
    batch = _cli(["ask", "--jsonl"], env, root, stdin="".join(json.dumps(line) + "\n" for line in lines))
    assert batch.returncode == 0, batch.stderr[-2000:]
    answers = [json.loads(line) for line in batch.stdout.splitlines() if line.strip()]
    assert len(answers) == len(lines) and not [a for a in answers if "error" in a], answers
    flagged = [bool(a["warnings"]) for a in answers]
    assert flagged == [True] * len(ALL) + [False, False], list(
        zip(flagged, [line["question"] for line in lines], strict=True)
    )
    warned = len(ALL)
    outputs["cli-jsonl.stderr"] = batch.stderr  # its stdout is the answers, which echo the caller's questions
    asked["cli"] += len(lines)

    # (b) the web app: the browser (questions, thumbs, comments) and the API
    sessions: dict[str, set[str]] = {}
    storage = ""
    with run_app(root, data_dir=data, corpus_dir=corpus, env={"ASSISTANT_RETENTION_DAYS": "1"}, admin=False) as app:
        with chromium() as browser:
            page = open_page(browser, app.url)
            browser_ask(page, BROWSER_QUESTIONS[0])
            _rate_and_comment(page, "Like", BROWSER_COMMENTS[0])
            browser_ask(page, BROWSER_QUESTIONS[1])
            _rate_and_comment(page, "Dislike", BROWSER_COMMENTS[1])
            asked["browser"] += 2
            warned += 2
            warning = page.locator("#sa-identifier-warning")
            assert warning.is_visible() and "identifying details" in warning.inner_text()
            storage = page.evaluate(
                "async () => JSON.stringify({local: {...localStorage}, session: {...sessionStorage},"
                " databases: indexedDB.databases ? (await indexedDB.databases()).map(d => d.name) : []})"
            )
            storage += json.dumps(page.context.cookies())
            sessions["browser"] = _browser_session(page)
            assert page.outside_requests == [], page.outside_requests
            page.context.close()
        for name, questions in (("api-1", API_QUESTIONS[:2]), ("api-2", API_QUESTIONS[2:])):
            client = Client(app.url, verbose=False)
            try:
                for question in questions:
                    result = client.predict(question, API_HISTORY, api_name="/ask")
                    assert bool(result["warnings"]) == (", " in question), result
                    warned += bool(result["warnings"])
                    asked["api"] += 1
                sessions[name] = {client.session_hash}
            finally:
                client.close()
        with RawSession(app.url) as raw:  # a comment on nothing is refused, and writes nothing
            refused = raw.call("on_comment", [f"{WORD} {BROWSER_COMMENTS[0]}", None, None])
            assert "Rate an answer first" in json.dumps(refused.get("output"))
        time.sleep(0.5)
    outputs["app.log"] = app.log_text()

    # (c) the export
    exported = root / "feedback-export.csv"
    export = _cli(["feedback", "export", "--csv", "-o", str(exported)], env, root)
    assert export.returncode == 0, export.stderr
    to_stdout = _cli(["feedback", "export", "--csv"], env, root)
    assert to_stdout.returncode == 0, to_stdout.stderr
    outputs["export.stdout"], outputs["export.stderr"] = to_stdout.stdout, export.stderr + to_stdout.stderr

    yield {
        "root": root,
        "data": data,
        "gradio_tmp": root / "gradio-tmp",
        "csv": exported,
        "outputs": outputs,
        "asked": asked,
        "sessions": sessions,
        "storage": storage,
        "started": started,
        "finished": datetime.now(UTC) + timedelta(seconds=2),
        "answers": answers,
        "warned": warned + 1,  # and the command line's single question
        **seeded,
    }


# -- searching -----------------------------------------------------------------------------------


def _every_file(scenario: dict[str, Any]) -> dict[str, bytes]:
    found: dict[str, bytes] = {}
    for folder in (scenario["data"], scenario["gradio_tmp"]):
        if folder.exists():
            for path in sorted(folder.rglob("*")):
                if path.is_file():
                    found[str(path.relative_to(scenario["root"]))] = path.read_bytes()
    found["feedback-export.csv"] = scenario["csv"].read_bytes()
    for name, text in scenario["outputs"].items():
        found[f"<{name}>"] = text.encode("utf-8")
    found["<browser storage and cookies>"] = scenario["storage"].encode("utf-8")
    return found


@pytest.fixture(scope="module")
def haystacks(scenario: dict[str, Any]) -> dict[str, tuple[bytes, bytes]]:
    """Every file, lower-cased, and lower-cased with separators removed (for runs of digits)."""
    return {
        name: (content.lower(), re.sub(rb"[\s\-./()+\x00]", b"", content.lower()))
        for name, content in _every_file(scenario).items()
    }


def _needles(spellings: list[str]) -> list[tuple[str, bytes, bool]]:
    out = []
    for spelling in spellings:
        digits = spelling.startswith("#")
        text = spelling.lstrip("#").lower()
        for encoding in ("utf-8", "utf-16-le", "utf-16-be"):
            out.append((f"{text!r} ({encoding})", text.encode(encoding), digits and encoding == "utf-8"))
    return out


def test_the_battery_is_sound() -> None:
    assert nhs_check_digit_ok("943 476 5919") and nhs_check_digit_ok("401 023 2137")
    assert not nhs_check_digit_ok("943 476 5918") and not nhs_check_digit_ok("401 023 2138")
    corpus = SEED.read_text(encoding="utf-8").lower()
    flat = re.sub(r"[\s\-./()+]", "", corpus)
    for label, (phrase, spellings) in IDENTIFIERS.items():
        assert phrase in CLI_QUESTION and phrase in "".join(BROWSER_QUESTIONS) + "".join(BROWSER_COMMENTS), label
        for spelling in spellings:  # otherwise the index itself would hold the identifier
            assert spelling.lstrip("#").lower() not in (flat if spelling.startswith("#") else corpus), spelling


@pytest.mark.browser  # the scenario drives Chromium
@pytest.mark.parametrize(
    "label",
    list(IDENTIFIERS),
)
def test_identifier_is_written_nowhere(label: str, haystacks: dict[str, tuple[bytes, bytes]]) -> None:
    leaks = []
    for description, needle, digits in _needles(IDENTIFIERS[label][1]):
        for name, (lowered, flat) in haystacks.items():
            if needle in (flat if digits else lowered):
                leaks.append(f"{description} in {name}")
    assert not leaks, leaks


@pytest.mark.browser  # the scenario drives Chromium
def test_every_file_was_searched(scenario: dict[str, Any], haystacks: dict[str, tuple[bytes, bytes]]) -> None:
    names = set(haystacks)
    for expected in ("data/catalog.sqlite3", "data/feedback.sqlite3", "data/audit/.key", "data/logs/assistant.log"):
        assert expected in names, sorted(names)
    assert any(n.startswith("data/chroma/") for n in names) and any(n.startswith("data/lexical/") for n in names)
    assert any(n.startswith("data/audit/audit-") for n in names) and "data/logs/web.log" in names
    assert "<app.log>" in names and "feedback-export.csv" in names
    # the writes really happened: two browser ratings with comments, redacted
    rows = list(csv.DictReader(io.StringIO(scenario["csv"].read_text(encoding="utf-8"))))
    assert len(rows) == 2, rows
    assert {row["rating"] for row in rows} == {"up", "down"}
    assert all(re.search(r"\[[A-Z_]+\]", row["comment"]) for row in rows), rows
    assert all("[PHONE_NUMBER]" in row["question"] and "[UK_NHS]" in row["question"] for row in rows), rows
    assert all(WORD in row["question"] for row in rows)


# -- the audit log --------------------------------------------------------------------------------


def _audit_lines(data: Path) -> list[dict[str, Any]]:
    lines = []
    for path in sorted((data / "audit").glob("audit-*.jsonl")):
        lines += [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return lines


@pytest.mark.browser  # the scenario drives Chromium
def test_audit_log_has_one_pseudonymous_line_per_question_and_no_question_text(scenario: dict[str, Any]) -> None:
    data = scenario["data"]
    lines = _audit_lines(data)
    asked = scenario["asked"]
    assert len(lines) == sum(asked.values()), (asked, len(lines))
    assert all(line["event"] == "ask" for line in lines)
    allowed = {"time", "event", "user", "documents", "abstained", "mode", "identifier_warnings"}
    for line in lines:
        assert set(line) <= allowed, line
        moment = datetime.fromisoformat(line["time"])
        assert scenario["started"] <= moment <= scenario["finished"], line
        assert isinstance(line["documents"], list)
        assert set(line["documents"]) <= {SEED.name}, line
    assert any(line["documents"] == [SEED.name] for line in lines), "no cited document was recorded"
    warned = [line for line in lines if line.get("identifier_warnings", 0) >= 1]
    assert len(warned) == scenario["warned"]  # the questions that carried identifiers (not just their history)
    users = [line["user"] for line in lines]
    assert users.count("anonymous") == asked["cli"]  # the command line has no user to name
    web = [u for u in users if u != "anonymous"]
    assert len(web) == asked["browser"] + asked["api"]
    assert all(re.fullmatch(r"[0-9a-f]{16}", u) for u in web), web
    assert len(set(web)) == 3, web  # one browser tab and two API sessions, each with a stable pseudonym
    raw = b"".join(p.read_bytes() for p in (data / "audit").glob("audit-*.jsonl"))
    for hashes in scenario["sessions"].values():
        assert hashes, scenario["sessions"]
        for session_hash in hashes:
            assert session_hash.encode() not in raw
    assert b"session:" not in raw and b"user:" not in raw
    for word in (WORD, "conference", "fostering", "Early Help", "MASH"):
        assert word.lower().encode() not in raw.lower(), word


@pytest.mark.browser  # the scenario drives Chromium
def test_questions_never_reach_a_log(scenario: dict[str, Any], haystacks: dict[str, tuple[bytes, bytes]]) -> None:
    word = WORD.lower().encode()
    logs = [n for n in haystacks if n.startswith(("data/logs/", "data/audit/")) or n in ("<app.log>",)]
    logs += [n for n in haystacks if n.startswith("<cli-") or n == "<export.stderr>"]
    assert "data/logs/assistant.log" in logs and "<app.log>" in logs
    for name in logs:
        assert word not in haystacks[name][0], name
    assert "answered question_chars=" in scenario["outputs"]["app.log"] + (
        scenario["data"] / "logs" / "assistant.log"
    ).read_text(encoding="utf-8")


# -- retention ------------------------------------------------------------------------------------


@pytest.mark.browser  # the scenario drives Chromium
def test_old_audit_files_feedback_rows_and_log_backups_are_deleted(scenario: dict[str, Any]) -> None:
    data = scenario["data"]
    assert not scenario["old_audit"].exists()
    with sqlite3.connect(data / "feedback.sqlite3") as connection:
        ids = [row[0] for row in connection.execute("SELECT id FROM feedback")]
        oldest = connection.execute("SELECT MIN(created_at) FROM feedback").fetchone()[0]
    assert scenario["old_row"] not in ids and len(ids) == 2
    assert oldest >= (datetime.now(UTC) - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    for path in data.glob("feedback.sqlite3*"):  # secure_delete: the purged row's text is overwritten
        assert OLD_MARKER.encode() not in path.read_bytes(), path
    logs = data / "logs"
    for backup in scenario["old_backups"]:
        assert not backup.exists(), backup
    for base in ("assistant.log", "web.log"):
        backups = [p for p in logs.iterdir() if p.name.startswith(base + ".")]
        assert len(backups) <= 1, backups  # at most ASSISTANT_RETENTION_DAYS rotated files
        assert (logs / base).is_file()


def test_audit_purge_keeps_exactly_the_retention_period(tmp_path: Path) -> None:
    from assistant.services.audit import AuditLog

    today = date(2026, 3, 10)
    log = AuditLog(tmp_path / "audit", retention_days=1)
    log.folder.mkdir(parents=True)
    for days in (0, 1, 2, 5, 400):
        (log.folder / f"audit-{(today - timedelta(days=days)).isoformat()}.jsonl").write_text("{}\n", encoding="utf-8")
    (log.folder / "audit-not-a-date.jsonl").write_text("{}\n", encoding="utf-8")
    assert log.purge(today=today) == 3
    kept = sorted(p.name for p in log.folder.glob("audit-*.jsonl"))
    assert kept == ["audit-2026-03-09.jsonl", "audit-2026-03-10.jsonl", "audit-not-a-date.jsonl"]
    week = AuditLog(tmp_path / "audit", retention_days=7)
    assert week.purge(today=today + timedelta(days=7)) == 1  # 2026-03-09 is now older than 7 days
    # record() purges too, on its first write of a day
    (log.folder / "audit-2001-01-01.jsonl").write_text("{}\n", encoding="utf-8")
    log.record(event="ask", user="session:abc", documents=["a.txt"])
    assert not (log.folder / "audit-2001-01-01.jsonl").exists()


def test_feedback_purge_keeps_exactly_the_retention_period(tmp_path: Path) -> None:
    from assistant.services.feedback import FeedbackStore

    now = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)
    store = FeedbackStore(tmp_path / "feedback.sqlite3", retention_days=1, redactor=_SameText())
    for hours in (1, 23, 25, 72, 24 * 400):
        store.record(
            rating="up", question=f"q{hours}", answer="a", comment=f"row-{hours}h", now=now - timedelta(hours=hours)
        )
    assert store.purge_older_than(1, now=now) == 3
    assert sorted(row["comment"] for row in store.rows()) == ["row-1h", "row-23h"]
    store.record(rating="down", question="q", answer="a", now=now + timedelta(hours=12))  # record() purges first
    assert sorted(row["comment"] for row in store.rows()) == ["", "row-1h"]
    data = (tmp_path / "feedback.sqlite3").read_bytes()
    for gone in (b"row-25h", b"row-72h", b"row-9600h"):
        assert gone not in data  # overwritten, not just unlinked


def test_log_rotation_keeps_retention_days_backups(tmp_path: Path) -> None:
    from assistant.config import Settings
    from assistant.logs import configure_logging

    root = logging.getLogger()
    saved_handlers, saved_level = list(root.handlers), root.level
    for handler in saved_handlers:
        root.removeHandler(handler)
    try:
        for days, name in ((1, "assistant.log"), (5, "web.log")):
            settings = Settings(data_dir=tmp_path / f"data-{name}", retention_days=days)
            configure_logging(settings, file_name=name)
            rotating = [h for h in root.handlers if isinstance(h, logging.handlers.TimedRotatingFileHandler)]
            assert len(rotating) == 1
            handler = rotating[0]
            assert handler.backupCount == days and handler.when == "D"
            assert Path(handler.baseFilename) == (settings.data_dir / "logs" / name).resolve()
            for added in list(root.handlers):
                root.removeHandler(added)
                added.close()
    finally:
        for handler in saved_handlers:
            root.addHandler(handler)
        root.setLevel(saved_level)
