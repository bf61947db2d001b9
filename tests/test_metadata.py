"""Document metadata: publisher, date and genre found in the documents, overridden by a corpus
manifest, stored with the index and shown in citations, `assistant status --json`, the HTTP API
and the Documents tab."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from assistant.documents.loaders import load_document
from assistant.documents.metadata import describe, iso_date, read_manifest
from assistant.errors import ConfigurationError
from assistant.models import display_date, source_line

MB = 50 * 1024 * 1024

# -- what a document says about itself -----------------------------------------------------


def test_the_publisher_comes_from_the_title_or_the_first_line_never_from_the_prose() -> None:
    assert describe("Anytown Safeguarding Children Partnership: Child Protection Procedures", "x").publisher == (
        "Anytown Safeguarding Children Partnership"
    )
    banner = "Northshire County Council\n\nThresholds guidance for practitioners."
    assert describe("Thresholds guidance", banner).publisher == "Northshire County Council"
    prose = "As a childminder, I follow the procedures of the Southend Safeguarding Partnership.\n\nMore."
    assert describe("Safeguarding policy", prose).publisher == ""  # another body named in passing
    assert describe("norwich rfc safeguarding policy".title(), "text").publisher == "Norwich RFC"


def test_a_file_states_its_publisher_and_an_author_counts_only_when_it_is_an_organisation() -> None:
    assert describe("Policy", "text", {"publisher": "Lexden Montessori"}).publisher == "Lexden Montessori"
    assert describe("Policy", "text", {"author": "Westbrook Borough Council"}).publisher == "Westbrook Borough Council"
    assert describe("Policy", "text", {"author": "jsmith"}).publisher == ""
    assert describe("Policy", "text", {"author": "Jane Smith"}).publisher == ""


@pytest.mark.parametrize(
    ("title", "text", "hints", "expected"),
    [
        ("Procedures", "Published: 12 March 2024\n\nNext review: March 2026", {}, "2024-03-12"),
        ("Procedures", "Next review date: March 2026. Approved on 4th September 2023.", {}, "2023-09-04"),
        ("Policy", "Policy reviewed: 01/09/2023", {}, "2023-09-01"),
        ("Policy", "Last updated 2024-05", {}, "2024-05"),
        ("Annual Report 2014-15", "No dates here.", {}, "2015"),
        ("Strategy 2023 to 2026", "No dates here.", {}, "2023"),
        ("Policy", "No dates here.", {"date": "2022-11-30"}, "2022-11-30"),
        ("Annual Report 2019-20", "No dates.", {"created": "2024-01-05"}, "2020"),  # made later than it reports
        ("Policy", "No dates here.", {"created": "2024-01-05"}, "2024-01-05"),
        ("Policy", "Born 12 March 2010.", {}, ""),  # an unlabelled date is not the document's
    ],
)
def test_the_date_is_a_labelled_date_then_a_stated_one_then_the_title_year(
    title: str, text: str, hints: dict[str, str], expected: str
) -> None:
    assert describe(title, text, hints).date == expected


@pytest.mark.parametrize(
    ("title", "genre"),
    [
        ("Westbrook Levels of Need: Thresholds Guidance", "threshold document"),
        ("Child Protection Procedures", "procedures"),
        ("Safeguarding Children Policy & Procedures", "policy"),  # the first named
        ("Havering LSCB Annual Report 2014-15", "annual report"),
        ("Working Together to Safeguard Children 2023", "statutory guidance"),
        ("Serious Case Review: Child D", "case review"),
        ("Minutes", ""),
    ],
)
def test_the_genre_is_what_the_title_names_first(title: str, genre: str) -> None:
    assert describe(title, "Some opening words.").genre == genre


def test_dates_read_and_shown() -> None:
    assert iso_date("D:20240312101010Z") == "2024-03-12"
    assert iso_date("March 2024") == "2024-03"
    assert iso_date("2024-03-12T10:00:00+00:00") == "2024-03-12"
    assert iso_date("soon") is None
    assert display_date("2024-03-12") == "12 March 2024"
    assert display_date("2024-03") == "March 2024"
    assert display_date("2024") == "2024"
    assert source_line("Child protection procedures", "Anytown Safeguarding Partnership", "2024-03") == (
        "Anytown Safeguarding Partnership, Child protection procedures, March 2024"
    )
    # the title already names the publisher and the year: not repeated
    assert source_line(
        "Anytown Safeguarding Partnership Annual Report 2023", "Anytown Safeguarding Partnership", "2023"
    ) == ("Anytown Safeguarding Partnership Annual Report 2023")


# -- read from each format's own metadata --------------------------------------------------------


def test_markdown_front_matter_gives_title_publisher_and_date(tmp_path: Path) -> None:
    path = tmp_path / "procedures.md"
    path.write_text(
        "---\ntitle: Child protection procedures\npublisher: Anytown Safeguarding Partnership\ndate: 2024-03-01\n---\n"
        "# Strategy discussions\n\nA strategy discussion is held within one working day.\n",
        encoding="utf-8",
    )
    document = load_document(path, max_bytes=MB)
    assert (document.title, document.publisher, document.date, document.genre) == (
        "Child protection procedures",
        "Anytown Safeguarding Partnership",
        "2024-03-01",
        "procedures",
    )
    assert "publisher" not in document.text  # the front matter is not text


def test_html_meta_tags_give_publisher_and_date(tmp_path: Path) -> None:
    path = tmp_path / "policy.html"
    path.write_text(
        "<html><head><title>Safeguarding policy</title>"
        '<meta property="og:site_name" content="Riverside Juniors FC">'
        '<meta name="dcterms.modified" content="2023-09-14"></head>'
        "<body><h1>Safeguarding policy</h1><p>Concerns go to the welfare officer on the same day.</p></body></html>",
        encoding="utf-8",
    )
    document = load_document(path, max_bytes=MB)
    assert (document.publisher, document.date, document.genre) == ("Riverside Juniors FC", "2023-09-14", "policy")


def test_word_core_properties_give_an_organisation_author_and_a_date(tmp_path: Path) -> None:
    import datetime

    import docx

    for author, expected in (("Westbrook Borough Council", "Westbrook Borough Council"), ("J. Smith", "")):
        word = docx.Document()
        word.add_paragraph("Early help assessments are completed within 45 working days.")
        word.core_properties.title = "Early help guidance"
        word.core_properties.author = author
        word.core_properties.created = datetime.datetime(2022, 6, 1, 9, 0)
        path = tmp_path / "early-help.docx"
        word.save(str(path))
        document = load_document(path, max_bytes=MB)
        assert (document.publisher, document.date, document.genre) == (expected, "2022-06-01", "guidance")


def test_real_pdfs_are_described_without_inventing(pdf_samples: Path) -> None:
    from assistant.errors import DocumentError

    for path in sorted(pdf_samples.glob("*.pdf"))[:8]:
        try:
            document = load_document(path, max_bytes=MB)
        except DocumentError:
            continue  # encrypted or damaged samples: their refusals are tested elsewhere
        assert document.date == "" or iso_date(document.date) == document.date, (path.name, document.date)
        if document.publisher:  # whatever is found stands in the title, the first line or the file's metadata
            assert len(document.publisher.split()) <= 12, (path.name, document.publisher)


# -- the manifest ----------------------------------------------------------------------------------


def test_a_malformed_manifest_is_refused_naming_the_file_and_the_field(tmp_path: Path) -> None:
    path = tmp_path / "manifest.json"
    assert read_manifest(path) == {}
    for content, expected in (
        ("{not json", "not a readable JSON file"),
        ('{"docs": {}}', 'expected {"documents"'),
        ('{"documents": {"a.pdf": {"author": "x"}}}', "'a.pdf' has unknown field(s) author"),
        ('{"documents": {"a.pdf": {"date": "last spring"}}}', "'a.pdf' field 'date' is 'last spring'; write it as"),
        ('{"documents": {"a.pdf": {"genre": ""}}}', "field 'genre' must be non-empty text"),
    ):
        path.write_text(content, encoding="utf-8")
        with pytest.raises(ConfigurationError, match=r"manifest\.json") as caught:
            read_manifest(path)
        assert expected in str(caught.value)
    path.write_text('{"documents": {"a.pdf": {"date": "March 2024", "genre": " procedures "}}}', encoding="utf-8")
    assert read_manifest(path) == {"a.pdf": {"date": "2024-03", "genre": "procedures"}}


PROCEDURES = (
    "# Child protection procedures\n\n"
    "## Initial child protection conferences\n\n"
    "The initial child protection conference must be held within 15 working days of the strategy discussion.\n"
)
POLICY = "Safeguarding policy\n\nThe welfare officer must record every concern on the day it is raised.\n"


def _corpus(tmp_path: Path) -> Path:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "cp-procedures.md").write_text(PROCEDURES, encoding="utf-8")
    (corpus / "club-policy.txt").write_text(POLICY, encoding="utf-8")
    return corpus


def _details(assistant: Any) -> dict[str, dict[str, Any]]:
    return {d["file_name"]: d for d in assistant.status()["details"]}


@pytest.mark.slow
def test_the_manifest_overrides_what_is_found_and_shows_in_citations_status_and_api(
    tmp_path: Path, embedder: Any, make_settings: Any
) -> None:
    from assistant.cli import main
    from assistant.engine import Assistant

    corpus = _corpus(tmp_path)
    settings = make_settings(corpus)
    assistant = Assistant(settings, embedder=embedder)
    assert assistant.ingest().exit_code == 0
    found = _details(assistant)["cp-procedures.md"]
    assert (found["title"], found["publisher"], found["date"], found["genre"]) == (
        "Child protection procedures",
        None,
        None,
        "procedures",
    )

    (corpus / "manifest.json").write_text(
        json.dumps(
            {
                "documents": {
                    "cp-procedures.md": {"publisher": "Anytown Safeguarding Partnership", "date": "2024-03"},
                    "club-policy.txt": {"title": "Riverside Juniors safeguarding policy", "genre": "policy"},
                }
            }
        ),
        encoding="utf-8",
    )
    report = assistant.ingest()
    assert report.exit_code == 0 and "manifest.json" not in report.added  # the manifest is not a document
    assert sorted(report.updated) == ["club-policy.txt", "cp-procedures.md"]  # unchanged files, re-described
    details = _details(assistant)
    assert details["cp-procedures.md"]["publisher"] == "Anytown Safeguarding Partnership"
    assert details["cp-procedures.md"]["date"] == "2024-03"
    assert details["cp-procedures.md"]["genre"] == "procedures"  # found in the document, not overridden
    assert details["club-policy.txt"]["title"] == "Riverside Juniors safeguarding policy"
    assert assistant.ingest().unchanged and not assistant.ingest().changed  # nothing to do the next time

    answer = assistant.ask("When must an initial child protection conference be held?")
    citation = next(c for c in answer.citations if c.document == "cp-procedures.md")
    assert citation.location().startswith(
        "cp-procedures.md — Anytown Safeguarding Partnership, Child protection procedures, March 2024"
    )
    assert citation.public()["publisher"] == "Anytown Safeguarding Partnership"
    assert citation.public()["date"] == "2024-03"

    runner = CliRunner()
    env = {"ASSISTANT_DATA_DIR": str(settings.data_dir), "ASSISTANT_CORPUS_DIR": str(corpus)}
    result = runner.invoke(main, ["status", "--json"], env=env)
    assert result.exit_code == 0, result.output
    listed = {d["file_name"]: d for d in json.loads(result.output)["details"]}
    assert {k: listed["cp-procedures.md"][k] for k in ("title", "publisher", "date", "genre")} == {
        "title": "Child protection procedures",
        "publisher": "Anytown Safeguarding Partnership",
        "date": "2024-03",
        "genre": "procedures",
    }
    text = runner.invoke(main, ["status"], env=env).output
    assert "Anytown Safeguarding Partnership, Child protection procedures, March 2024 (procedures," in text


@pytest.mark.slow
def test_a_bad_manifest_is_reported_and_the_documents_are_still_indexed(
    tmp_path: Path, embedder: Any, make_settings: Any
) -> None:
    from assistant.engine import Assistant

    corpus = _corpus(tmp_path)
    (corpus / "manifest.json").write_text('{"documents": {"cp-procedures.md": {"date": "soon"}}}', encoding="utf-8")
    report = Assistant(make_settings(corpus), embedder=embedder).ingest()
    assert sorted(report.added) == ["club-policy.txt", "cp-procedures.md"]
    assert [name for name, _ in report.failed] == ["manifest.json"]
    assert "field 'date' is 'soon'" in report.failed[0][1]


@pytest.mark.slow
def test_a_question_naming_a_publisher_is_answered_from_its_document(
    tmp_path: Path, embedder: Any, make_settings: Any
) -> None:
    from assistant.engine import Assistant

    # not corpora.two_procedures: here neither file name nor title names the authority, so only the
    # publisher (from the manifest) can lead the question to its document
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name, days in (("procedures-a.md", "15 working days"), ("procedures-b.md", "10 working days")):
        (corpus / name).write_text(
            "# Child protection procedures\n\n## Initial child protection conferences\n\n"
            f"The initial child protection conference must be held within {days} of the strategy discussion.\n",
            encoding="utf-8",
        )
    (corpus / "manifest.json").write_text(
        json.dumps(
            {
                "documents": {
                    "procedures-a.md": {"publisher": "Anytown Safeguarding Partnership"},
                    "procedures-b.md": {"publisher": "Brookfield Borough Council"},
                }
            }
        ),
        encoding="utf-8",
    )
    assistant = Assistant(make_settings(corpus), embedder=embedder)
    assert assistant.ingest().exit_code == 0
    for publisher, document, days in (("Brookfield", "procedures-b.md", "10"), ("Anytown", "procedures-a.md", "15")):
        answer = assistant.ask(f"Under {publisher}'s procedures, when must the initial conference be held?")
        assert {c.document for c in answer.citations} == {document}, answer.citations
        assert days in answer.answer
