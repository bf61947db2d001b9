"""The HTTP API (``/api/v1``) of the running web app, driven over plain HTTP the way an integration would.

Two ``python app.py`` servers serve the module: one with ``ASSISTANT_API_TOKENS`` set (two
tokens) over the seed report, for the contract, the errors and privacy; one with no tokens
and no documents, for the loopback rule (uvicorn trusts ``X-Forwarded-For`` from
127.0.0.1, so a request carrying it looks like one from another machine). The sign-in gate
on the schema and its page is checked in process, without a server.
"""

from __future__ import annotations

import io
import json
import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from webapp import ANSWER_KEYS, ROOT, RunningApp, run_app, wait_api_ready

pytestmark = pytest.mark.slow

TOKEN = "api-token-for-the-tests-0123456789"
SECOND_TOKEN = "another-api-token-9876543210-xyz"
QUESTION = "What's the timescale for holding an ICPC?"
CITATION_KEYS = {"n", "document", "title", "section", "page", "page_label", "quote", "ocr", "publisher", "date"}
SEED_NAME = "havering-lscb-annual-report-2014-15.txt"
# identifiers that appear nowhere else, so a search for them finds only a leak
IDENTIFIERS = ("Olivia Quenby", "olivia.quenby@example.org", "943 476 5919")
IDENTIFYING_QUESTION = (
    "Olivia Quenby (olivia.quenby@example.org, NHS number 943 476 5919) is on a plan: "
    "what's the timescale for holding an ICPC?"
)
ENDPOINTS = {
    ("post", "/api/v1/ask"),
    ("get", "/api/v1/documents"),
    ("get", "/api/v1/thresholds"),
    ("post", "/api/v1/briefings"),
    ("get", "/api/v1/health"),
}
NOT_LOOPBACK = {"x-forwarded-for": "203.0.113.9"}


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningApp]:
    root = tmp_path_factory.mktemp("apiapp")
    with run_app(root, env={"ASSISTANT_API_TOKENS": f"{TOKEN}, {SECOND_TOKEN}"}) as running:
        wait_api_ready(running)
        yield running


@pytest.fixture(scope="module")
def api(app: RunningApp) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=app.base, timeout=120, headers={"authorization": f"Bearer {TOKEN}"}) as client:
        yield client


@pytest.fixture(scope="module")
def open_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningApp]:
    """No tokens and no documents: the API answers this machine only."""
    root = tmp_path_factory.mktemp("apiopen")
    with run_app(root, corpus_files=[], admin=False) as running:
        yield running


def assert_problem(response: httpx.Response, status: int, *words: str) -> dict[str, Any]:
    """An RFC 9457 problem detail with ``status``, whose detail mentions ``words``; never a traceback."""
    assert response.status_code == status, (response.status_code, response.text)
    assert response.headers["content-type"].startswith("application/problem+json"), response.headers
    body = response.json()
    assert body["type"] == "about:blank" and body["status"] == status and body["title"], body
    assert isinstance(body["detail"], str) and body["detail"], body
    for word in words:
        assert word.lower() in body["detail"].lower(), (word, body)
    assert "Traceback" not in response.text and 'File "' not in response.text and "site-packages" not in response.text
    assert str(ROOT) not in response.text
    return dict(body)


# -- the answer contract -------------------------------------------------------------------------


def test_an_answer_is_the_answer_json_contract(app: RunningApp, api: httpx.Client) -> None:
    response = api.post("/api/v1/ask", json={"question": QUESTION, "id": {"ticket": 7}})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/json")
    assert response.headers["cache-control"] == "no-store"
    answer = response.json()
    assert set(answer) == ANSWER_KEYS
    assert answer["id"] == {"ticket": 7} and answer["question"] == QUESTION
    assert answer["abstained"] is False and answer["warnings"] == [] and answer["mode"] == "extractive"
    assert "999" in answer["notice"]
    assert answer["citations"] and "[1]" in answer["answer"]
    for citation in answer["citations"]:
        assert set(citation) == CITATION_KEYS
        assert citation["document"] == SEED_NAME and citation["quote"]
    assert any("fifteen day" in c["quote"] for c in answer["citations"]), answer

    # the same JSON as the chat's own API (Gradio's /ask), apart from the id
    from gradio_client import Client

    client = Client(app.url, verbose=False)
    try:
        chat = client.predict(QUESTION, api_name="/ask")
    finally:
        client.close()
    assert {**answer, "id": None} == chat


def test_a_follow_up_uses_the_history(api: httpx.Client) -> None:
    history = [{"question": "How many contacts came into MASH in 2014-15?", "answer": "6,984 contacts."}]
    alone = api.post("/api/v1/ask", json={"question": "And the year before?"}).json()
    followed = api.post("/api/v1/ask", json={"question": "And the year before?", "history": history}).json()
    assert "7410" in followed["answer"], followed
    assert "7410" not in alone["answer"], alone
    # an earlier answer's JSON can go back into the history as it is (other keys are ignored)
    earlier = api.post("/api/v1/ask", json={"question": QUESTION}).json()
    again = api.post("/api/v1/ask", json={"question": "And how many were held in time?", "history": [earlier]})
    assert again.status_code == 200, again.text


# -- errors ----------------------------------------------------------------------------------------


def test_bad_json_is_a_400_problem(api: httpx.Client) -> None:
    for body in (b'{"question": "When', b"not json at all", b'{"question": NaN}'):
        response = api.post("/api/v1/ask", content=body, headers={"content-type": "application/json"})
        if body.endswith(b"NaN}"):
            assert_problem(response, 422, "question")  # valid for Python's parser, but not a string
        else:
            assert_problem(response, 400, "not valid JSON")
    not_json = api.post("/api/v1/ask", content=b"question=hi", headers={"content-type": "text/plain"})
    assert_problem(not_json, 415, "application/json")


def test_a_wrong_field_type_is_a_422_naming_the_field(api: httpx.Client) -> None:
    problem = assert_problem(api.post("/api/v1/ask", json={"question": 42}), 422, "question")
    assert problem["errors"][0]["field"] == "question"
    problem = assert_problem(
        api.post("/api/v1/ask", json={"question": QUESTION, "history": [{"question": ["a list"]}]}), 422
    )
    assert problem["errors"][0]["field"] == "history[0].question"
    too_long = [{"question": "What is the MASH?", "answer": "..."}] * 21
    assert_problem(api.post("/api/v1/ask", json={"question": QUESTION, "history": too_long}), 422, "history")
    assert_problem(api.post("/api/v1/ask", json={"question": QUESTION, "debug": True}), 422, "debug")
    assert_problem(api.post("/api/v1/ask", json={}), 422, "question")
    assert_problem(api.post("/api/v1/briefings", json={"topic": "x", "format": "exe"}), 422, "format")
    assert_problem(api.post("/api/v1/briefings", json={"topic": "x", "audience": "everyone"}), 422, "audience")
    assert_problem(api.get("/api/v1/ask"), 405)
    assert_problem(api.get("/api/v1/no-such-endpoint"), 404, "/api/v1/docs")


def test_a_missing_or_wrong_token_is_refused(app: RunningApp) -> None:
    with httpx.Client(base_url=app.base, timeout=60) as client:
        for headers in ({}, {"authorization": "Bearer not-the-right-token-at-all"}, {"authorization": TOKEN}):
            for method, path, body in (
                ("POST", "/api/v1/ask", {"question": QUESTION}),
                ("GET", "/api/v1/documents", None),
                ("GET", "/api/v1/thresholds", None),
                ("POST", "/api/v1/briefings", {"topic": "private fostering"}),
            ):
                response = client.request(method, path, json=body, headers=headers)
                assert_problem(response, 401)
                assert response.headers["www-authenticate"].startswith("Bearer"), response.headers
                assert "citations" not in response.text
        wrong = client.get("/api/v1/documents", headers={"authorization": "Bearer " + TOKEN[:-1] + "X"})
        assert 'error="invalid_token"' in wrong.headers["www-authenticate"]
        # either configured token works; the scheme's case does not matter
        for token in (TOKEN, SECOND_TOKEN):
            ok = client.get("/api/v1/documents", headers={"authorization": f"bearer {token}"})
            assert ok.status_code == 200, ok.text
        # health needs no token, even from another machine
        health = client.get("/api/v1/health", headers=NOT_LOOPBACK)
        assert health.status_code == 200 and health.json()["status"] == "ready"


def test_an_oversized_question_or_body_is_refused(api: httpx.Client) -> None:
    long_question = "What is the timescale for holding an ICPC? " * 50
    assert len(long_question) > 2000
    assert_problem(api.post("/api/v1/ask", json={"question": long_question}), 422, "characters long")
    body = json.dumps({"question": QUESTION, "history": [{"question": "x" * 1900, "answer": "y" * 7000}] * 9})
    assert len(body) > 64_000
    response = api.post("/api/v1/ask", content=body, headers={"content-type": "application/json"})
    assert_problem(response, 413, "64 KB")
    # chunked, without a Content-Length
    chunks = iter([body[:40_000].encode(), body[40_000:].encode()])
    response = api.post("/api/v1/ask", content=chunks, headers={"content-type": "application/json"})
    assert_problem(response, 413)
    assert api.post("/api/v1/ask", json={"question": QUESTION}).status_code == 200  # and the server goes on


# -- privacy -----------------------------------------------------------------------------------


def _files_holding(folder: Path, needles: tuple[str, ...]) -> list[str]:
    found = []
    for path in folder.rglob("*"):
        if path.is_file():
            content = path.read_bytes()
            found += [f"{path}: {n}" for n in needles if n.encode() in content or n.encode("utf-16-le") in content]
    return found


def test_identifiers_in_a_question_are_warned_about_and_never_kept(app: RunningApp, api: httpx.Client) -> None:
    response = api.post("/api/v1/ask", json={"question": IDENTIFYING_QUESTION})
    assert response.status_code == 200, response.text
    answer = response.json()
    assert answer["warnings"] and "identifying details" in answer["warnings"][0], answer
    for identifier in IDENTIFIERS:
        assert identifier not in " ".join(answer["warnings"])
    with httpx.Client(base_url=app.base, timeout=60, headers={"authorization": f"Bearer {SECOND_TOKEN}"}) as other:
        assert other.post("/api/v1/ask", json={"question": QUESTION}).status_code == 200
    time.sleep(1)  # let the log handlers flush
    assert not [i for i in IDENTIFIERS if i in app.log_text()], "an identifier reached the app's output"
    assert _files_holding(app.data_dir, IDENTIFIERS) == []
    # the audit log has a keyed pseudonym per token, never the token or its name
    audit = [json.loads(line) for f in (app.data_dir / "audit").glob("audit-*.jsonl") for line in f.open()]
    assert any(entry.get("identifier_warnings") for entry in audit), audit
    users = {entry["user"] for entry in audit if entry["event"] == "ask"}
    assert len(users) >= 2 and "anonymous" not in users, users
    raw = "".join(f.read_text() for f in (app.data_dir / "audit").glob("audit-*.jsonl"))
    assert TOKEN not in raw and SECOND_TOKEN not in raw and "api:" not in raw


# -- the schema and its page -------------------------------------------------------------------


def test_the_openapi_schema_lists_the_five_endpoints(api: httpx.Client) -> None:
    response = api.get("/api/v1/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    listed = {(method, path) for path, operations in schema["paths"].items() for method in operations}
    assert listed == ENDPOINTS
    assert schema["components"]["securitySchemes"]["token"] == {
        "type": "http",
        "scheme": "bearer",
        "description": schema["components"]["securitySchemes"]["token"]["description"],
    }
    for method, path in ENDPOINTS:
        operation = schema["paths"][path][method]
        assert bool(operation.get("security")) == (path != "/api/v1/health"), path
        for code, described in operation["responses"].items():
            if code.startswith(("4", "5")):
                assert list(described["content"]) == ["application/problem+json"], (path, code)
    ask = schema["components"]["schemas"]["AskRequest"]
    assert ask["required"] == ["question"] and ask["properties"]["history"]["maxItems"] == 20
    assert set(schema["components"]["schemas"]["AnswerOut"]["properties"]) == ANSWER_KEYS
    formats = schema["paths"]["/api/v1/briefings"]["post"]["responses"]["200"]["content"]
    assert {"application/json", "application/pdf", "text/markdown"} <= set(formats)
    # FastAPI's and Gradio's own docs stay off
    for path in ("/docs", "/openapi.json", "/redoc"):
        assert api.get(path).status_code == 404, path


def test_the_docs_page_loads_nothing_from_elsewhere(app: RunningApp, api: httpx.Client) -> None:
    response = httpx.get(app.base + "/api/v1/docs", timeout=30)  # public while sign-in is off
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/html")
    page = response.text
    for _, path in ENDPOINTS:
        assert path in page
    assert "<script" not in page.lower() and "@import" not in page
    assert "default-src 'none'" in response.headers["content-security-policy"]
    urls = re.findall(r"""(?:https?:)?//[^\s"'<>)]+""", page)
    assert [u for u in urls if not u.startswith(app.base)] == [], urls
    for attribute in re.findall(r"""(?:href|src)="([^"]*)\"""", page):
        assert attribute.startswith(("#", "/api/v1/")), attribute


# -- documents, thresholds, briefings, health ---------------------------------------------------


def test_documents_lists_the_index_without_server_paths(app: RunningApp, api: httpx.Client) -> None:
    response = api.get("/api/v1/documents")
    assert response.status_code == 200, response.text
    documents = response.json()
    assert [d["file"] for d in documents] == [SEED_NAME]
    assert set(documents[0]) == {"file", "title", "publisher", "date", "genre", "pages", "passages", "indexed_at"}
    assert documents[0]["genre"] == "annual report" and documents[0]["date"] == "2015"
    assert documents[0]["passages"] > 0 and documents[0]["title"]
    assert str(app.root) not in response.text and "/tmp" not in response.text


def test_thresholds_search(api: httpx.Client) -> None:
    everything = api.get("/api/v1/thresholds").json()
    found = api.get("/api/v1/thresholds", params={"search": "conference"}).json()
    assert everything and found and len(found) <= len(everything)
    first = found[0]
    assert {"subject", "rule", "value", "unit", "condition", "kind", "comparator", "citation"} <= set(first)
    assert first["rule"] == first["citation"]["quote"] and first["citation"]["document"] == SEED_NAME
    assert any(entry["value"] == "15" and entry["unit"] == "days" for entry in found), found[:3]
    assert api.get("/api/v1/thresholds", params={"search": "zzqqxx"}).json() == []
    assert_problem(api.get("/api/v1/thresholds", params={"search": "x" * 201}), 422, "search")


def test_briefings_in_json_and_docx(api: httpx.Client) -> None:
    topic = "child sexual exploitation"
    response = api.post("/api/v1/briefings", json={"topic": topic})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/json")
    assert response.headers["content-disposition"] == 'inline; filename="briefing-child-sexual-exploitation-all.json"'
    briefing = response.json()
    assert briefing["topic"] == topic and briefing["audience"] == "all" and "999" in briefing["notice"]
    assert len(briefing["sections"]) == 7 and briefing["citations"]

    response = api.post("/api/v1/briefings", json={"topic": topic, "audience": "police", "format": "docx"})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
    assert response.headers["content-disposition"].startswith("attachment;")
    assert 'filename="briefing-child-sexual-exploitation-police.docx"' in response.headers["content-disposition"]
    from docx import Document

    document = Document(io.BytesIO(response.content))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    text = "\n".join([p.text for p in document.paragraphs] + cells)
    assert "7-minute briefing" in text and topic in text and "999" in text


def test_a_briefing_topic_with_identifiers_is_refused(app: RunningApp, api: httpx.Client) -> None:
    response = api.post("/api/v1/briefings", json={"topic": "Olivia Quenby born 12/03/2015", "format": "docx"})
    problem = assert_problem(response, 422, "identifying details")
    assert "Quenby" not in problem["detail"]
    assert_problem(api.post("/api/v1/briefings", json={"topic": "   "}), 422, "topic")


def test_health_holds_nothing_sensitive(app: RunningApp) -> None:
    health = httpx.get(app.base + "/api/v1/health", timeout=30)
    assert health.status_code == 200
    body = health.json()
    assert set(body) == {"status", "documents", "passages", "corpus_version"}
    assert body["status"] == "ready" and body["documents"] == 1 and body["passages"] > 0
    assert body["corpus_version"] >= 1


# -- no tokens: this machine only ------------------------------------------------------------------


def test_without_tokens_only_this_machine_is_answered(open_app: RunningApp) -> None:
    with httpx.Client(base_url=open_app.base, timeout=60) as client:
        for method, path in (("GET", "/api/v1/documents"), ("POST", "/api/v1/ask"), ("GET", "/api/v1/thresholds")):
            response = client.request(method, path, json={"question": QUESTION}, headers=NOT_LOOPBACK)
            assert_problem(response, 403, "ASSISTANT_API_TOKENS", "this machine")
        assert client.get("/api/v1/health", headers=NOT_LOOPBACK).status_code == 200  # load balancers
        # a web page cannot use the browser as a way in: not from another site, not by DNS rebinding
        evil = client.post("/api/v1/ask", json={"question": QUESTION}, headers={"origin": "https://evil.example"})
        assert_problem(evil, 403, "another site")
        rebound = client.get("/api/v1/documents", headers={"host": f"evil.example:{open_app.port}"})
        assert_problem(rebound, 403)
        # from this machine: answered (once ready), no token needed
        wait_api_ready(open_app)
        documents = client.get("/api/v1/documents")
        assert documents.status_code == 200 and documents.json() == []
        assert_problem(client.post("/api/v1/ask", json={"question": QUESTION}), 503, "no documents")
        assert client.get("/api/v1/openapi.json").status_code == 200


# -- in process: the schema behind sign-in ---------------------------------------------------------


def test_with_sign_in_on_the_schema_needs_a_session_or_a_token(tmp_path: Path) -> None:
    from fastapi.testclient import TestClient

    from assistant.config import Settings
    from assistant.web.server import create_app

    settings = Settings(
        data_dir=tmp_path / "data",
        corpus_dir=tmp_path,
        require_login=True,
        login_user="sw",
        login_password="pw",
        api_tokens=TOKEN,
    )
    with TestClient(create_app(settings), follow_redirects=False) as client:
        for path in ("/api/v1/openapi.json", "/api/v1/docs"):
            refused = client.get(path)
            assert refused.status_code == 401 and "schema" not in refused.text, path
            assert client.get(path, headers={"accept": "text/html"}).status_code == 303
            assert client.get(path, headers={"authorization": "Bearer wrong-token-0123456789"}).status_code == 401
            assert client.get(path, headers={"authorization": f"Bearer {TOKEN}"}).status_code == 200, path
        # the API itself is not behind the cookie: it wants its token, and says so as a problem detail
        assert_problem(client.get("/api/v1/documents"), 401)
        assert client.get("/api/v1/health").status_code == 200
        signed_in = client.post("/login", data={"user": "sw", "password": "pw", "next": "/"})
        assert signed_in.status_code == 303
        assert client.get("/api/v1/openapi.json").status_code == 200
        assert client.get("/api/v1/docs").status_code == 200
        assert_problem(client.get("/api/v1/documents"), 401)  # a session is not a token


def test_tokens_are_validated_and_kept_out_of_repr() -> None:
    from assistant.config import Settings
    from assistant.errors import ConfigurationError

    settings = Settings.from_env({"ASSISTANT_API_TOKENS": f" {TOKEN} ,, {SECOND_TOKEN} "})
    assert settings.tokens == (TOKEN, SECOND_TOKEN)
    assert TOKEN not in repr(settings)
    for bad in ("short", f"{TOKEN},tooshort", "has a space in the token"):
        with pytest.raises(ConfigurationError, match="ASSISTANT_API_TOKENS") as raised:
            Settings.from_env({"ASSISTANT_API_TOKENS": bad})
        assert bad not in str(raised.value)


def test_the_contract_keeps_up_with_the_briefing_choices() -> None:
    from typing import get_args

    from assistant.products.briefing import AUDIENCES, FORMATS, MEDIA_TYPES
    from assistant.web.api import BriefingRequest

    fields = BriefingRequest.model_fields
    assert set(get_args(fields["audience"].annotation)) == set(AUDIENCES)
    assert set(get_args(fields["format"].annotation)) == set(FORMATS) == set(MEDIA_TYPES)


def test_unexpected_failures_are_a_generic_500_and_the_log_holds_no_message(caplog: pytest.LogCaptureFixture) -> None:
    from assistant.errors import AnswerError, IndexError_
    from assistant.web import api

    secret = "Olivia Quenby asked about her son"
    with pytest.raises(api.ApiProblem) as raised, api._guarded("answer a question"):
        raise RuntimeError(secret)
    assert raised.value.status == 500 and secret not in raised.value.detail
    assert "RuntimeError" in caplog.text and "answer a question" in caplog.text
    assert secret not in caplog.text
    with pytest.raises(api.ApiProblem) as raised, api._guarded("search"):
        raise IndexError_("/srv/private/data/catalog.sqlite3 is locked")
    assert raised.value.status == 503 and "/srv" not in raised.value.detail
    with pytest.raises(api.ApiProblem) as raised, api._guarded("answer a question"):
        raise AnswerError("the question is empty")
    assert raised.value.status == 422 and raised.value.detail == "the question is empty"
