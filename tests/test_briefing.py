"""7-minute briefings over the seed report: seven parts, verbatim citations only, every format.

The figures checked here were read off ``corpus/havering-lscb-annual-report-2014-15.txt`` by
hand: CSE - 55 recorded crimes, 96 per cent female, 33 per cent looked after; private
fostering - under sixteen, twenty-eight days or more; LADO - 121 cases in 2014/15.
"""

from __future__ import annotations

import io
import json
import re
from typing import Any

import pytest

from assistant.engine import NOTICE
from assistant.errors import AnswerError
from assistant.models import Citation
from assistant.products.briefing import (
    AUDIENCES,
    HEADINGS,
    NOT_COVERED,
    Briefing,
    BriefingItem,
    BriefingSection,
    build_briefing,
    render,
)
from assistant.products.exporters import Item as ReportItem
from assistant.products.exporters import Report, Section, Source, pdf_bytes

CSE = "child sexual exploitation and missing children"
FOSTERING = "private fostering"
LADO = "the LADO"
FGM = "female genital mutilation"
TOPICS = (CSE, FOSTERING, LADO, FGM)


@pytest.fixture(scope="module")
def briefings(seed_assistant) -> dict[str, Briefing]:  # type: ignore[no-untyped-def]
    return {topic: build_briefing(seed_assistant, topic) for topic in TOPICS}


def _flat(text: str) -> str:
    return " ".join(text.split())


def _section_text(briefing: Briefing, key: str) -> str:
    return " ".join(item.text for item in briefing.section(key).items)


def _assert_verbatim(briefing: Briefing, assistant: Any) -> None:
    numbers = [c.n for c in briefing.citations]
    assert numbers == list(range(1, len(numbers) + 1))
    by_n = {c.n: c for c in briefing.citations}
    for citation in briefing.citations:
        text = assistant.document_text(citation.doc_id)
        assert text[citation.start : citation.end] == citation.quote, citation
        assert citation.quote.strip() and citation.document and citation.section is not None
    referenced: set[int] = set()
    for section in briefing.sections[:-1]:
        for item in section.items:
            if not item.citations:
                assert item.text == NOT_COVERED
                assert len(section.items) == 1
                continue
            # the statement is its quotes, in order, joined by nothing but spaces, ";" or ":"
            rest = item.text
            for n in item.citations:
                quote = by_n[n].quote
                position = rest.find(quote)
                assert position != -1, (quote, item.text)
                assert not rest[:position].strip(" ;:"), item.text
                rest = rest[position + len(quote) :]
            assert not rest.strip()
            referenced.update(item.citations)
    assert referenced == set(numbers)
    sources = briefing.sections[-1]
    assert [i.citations for i in sources.items] == [(n,) for n in numbers] or (
        not numbers and sources.items[0].text == NOT_COVERED
    )


@pytest.mark.slow
@pytest.mark.parametrize("topic", TOPICS)
def test_seven_sections_and_verbatim_citations(briefings, seed_assistant, topic: str) -> None:  # type: ignore[no-untyped-def]
    briefing = briefings[topic]
    assert tuple(s.heading for s in briefing.sections) == HEADINGS
    assert all(section.items for section in briefing.sections)
    assert briefing.notice == NOTICE
    assert briefing.citations, topic
    _assert_verbatim(briefing, seed_assistant)
    # a sentence is used once across the briefing
    spans = [(c.doc_id, c.start, c.end) for c in briefing.citations]
    assert len(spans) == len(set(spans))
    for d1, s1, e1 in spans:
        assert sum(1 for (d2, s2, e2) in spans if d1 == d2 and s1 < e2 and s2 < e1) == 1


@pytest.mark.slow
def test_cse_key_figures(briefings) -> None:  # type: ignore[no-untyped-def]
    figures = _section_text(briefings[CSE], "figures")
    assert "There were 55 recorded crimes" in figures
    assert "The victims are predominantly female 96 per cent of recorded CSE" in figures
    assert "33 per cent were Looked after Children" in figures
    assert "133 additional cases" in figures


@pytest.mark.slow
def test_private_fostering_definition_and_duty(briefings) -> None:  # type: ignore[no-untyped-def]
    briefing = briefings[FOSTERING]
    what = _section_text(briefing, "what")
    assert "under the age of sixteen" in what and "twenty-eight days or more" in what
    assert "known to be a private fostering arrangement" in what
    assert "statutory duty to report the arrangement to Children Social Care" in _section_text(briefing, "rules")
    assert "raise awareness of Private Fostering" in _section_text(briefing, "board") + _section_text(
        briefing, "practice"
    )


@pytest.mark.slow
def test_lado_cases(briefings) -> None:  # type: ignore[no-untyped-def]
    briefing = briefings[LADO]
    figures = _section_text(briefing, "figures")
    assert "2014/15 121 (24%)" in figures
    assert "Year Number of cases" in figures  # the table keeps its header
    assert "To monitor the LADO action plan" in _section_text(briefing, "board")


@pytest.mark.slow
def test_silent_parts_say_so(briefings) -> None:  # type: ignore[no-untyped-def]
    # the report gives no private-fostering figures and no FGM figures or definition
    for topic, key in ((FOSTERING, "figures"), (FGM, "figures"), (FGM, "what")):
        section = briefings[topic].section(key)
        assert [i.text for i in section.items] == [NOT_COVERED], (topic, key)
        assert not section.covered
    assert briefings[FGM].section("why").covered  # but it is mentioned as a priority


@pytest.mark.slow
def test_docx_has_headings_items_and_quotes(briefings) -> None:  # type: ignore[no-untyped-def]
    from docx import Document

    briefing = briefings[FOSTERING]
    document = Document(io.BytesIO(render(briefing, "docx")))
    paragraphs = [p.text for p in document.paragraphs]
    headings = [p.text for p in document.paragraphs if p.style is not None and p.style.name.startswith("Heading")]
    assert "7. Sources" in headings
    assert [h.split(". ", 1)[1] for h in headings] == list(HEADINGS)
    body = "\n".join(paragraphs)
    assert NOTICE in body
    for citation in briefing.citations:
        assert citation.quote in body
        assert f"[{citation.n}]" in body
    assert any("page 5–8" in p for p in paragraphs)  # the Sources list gives the page
    assert any(p.style is not None and p.style.name == "List Bullet" for p in document.paragraphs)


@pytest.mark.slow
def test_pdf_text_is_extractable(briefings) -> None:  # type: ignore[no-untyped-def]
    from pypdf import PdfReader

    briefing = briefings[FOSTERING]
    data = render(briefing, "pdf")
    assert data.startswith(b"%PDF")
    text = _flat(" ".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages))
    assert _flat(NOTICE) in text
    quote = next(c.quote for c in briefing.citations if "statutory duty" in c.quote)
    assert _flat(quote) in text
    assert "twenty-eight days or more" in text


@pytest.mark.slow
def test_html_escapes_document_text(briefings) -> None:  # type: ignore[no-untyped-def]
    briefing = briefings[LADO]
    quote = next(c.quote for c in briefing.citations if "&" in c.quote)
    page = render(briefing, "html").decode("utf-8")
    assert page.startswith("<!DOCTYPE html>")
    assert quote.replace("&", "&amp;") in page
    assert "process & knows" not in page
    assert "Safeguarding notice" in page and NOTICE in page
    assert "@media print" in page


@pytest.mark.slow
def test_json_shape(briefings) -> None:  # type: ignore[no-untyped-def]
    briefing = briefings[CSE]
    data = json.loads(render(briefing, "json"))
    assert {"topic", "audience", "sections", "citations", "notice"} <= set(data)
    assert data["topic"] == CSE and data["audience"] == "all" and data["notice"] == NOTICE
    assert [s["heading"] for s in data["sections"]] == list(HEADINGS)
    for section in data["sections"]:
        for item in section["items"]:
            assert set(item) == {"text", "citations"}
    citation = data["citations"][0]
    assert {"n", "document", "title", "section", "page", "quote"} <= set(citation)
    assert len(data["citations"]) == len(briefing.citations)


@pytest.mark.slow
def test_markdown_has_notice_markers_and_sources(briefings) -> None:  # type: ignore[no-untyped-def]
    briefing = briefings[FOSTERING]
    text = render(briefing, "md").decode("utf-8")
    assert text.startswith("# 7-minute briefing: private fostering")
    assert NOTICE in text
    assert "## 7. Sources" in text and "## 3. Key facts and figures" in text
    assert NOT_COVERED in text
    for citation in briefing.citations:
        assert f"[{citation.n}]" in text and _flat(citation.quote) in text


@pytest.mark.slow
def test_audience_changes_emphasis_not_wording(briefings, seed_assistant) -> None:  # type: ignore[no-untyped-def]
    everyone = briefings[CSE]
    police = build_briefing(seed_assistant, CSE, "police")
    health = build_briefing(seed_assistant, CSE, "health")
    assert police.audience == "police"
    for briefing in (police, health):
        _assert_verbatim(briefing, seed_assistant)
        assert tuple(s.heading for s in briefing.sections) == HEADINGS

    def order(b: Briefing) -> list[str]:
        return [i.text for s in b.sections[:-1] for i in s.items]

    assert order(police) != order(everyone)
    police_words = re.compile(r"\b(?:police|policing|cait|crime|crimes|mash|officers?)\b", re.IGNORECASE)
    health_words = re.compile(r"\b(?:health|nhs|ccg|trust|nurses?|gps?|hospital|clinical)\b", re.IGNORECASE)

    def emphasis(b: Briefing, words: re.Pattern[str]) -> float:
        """Items naming the agency, weighted by how high in their part they come (1, 1/2, 1/3...)."""
        return sum(1 / (i + 1) for s in b.sections[:-1] for i, item in enumerate(s.items) if words.search(item.text))

    assert emphasis(police, police_words) > emphasis(everyone, police_words)
    assert emphasis(health, health_words) > emphasis(everyone, health_words)
    # the same key figures whatever the audience
    assert "There were 55 recorded crimes" in _section_text(police, "figures")
    assert "33 per cent were Looked after Children" in _section_text(health, "figures")


# -- no index needed ------------------------------------------------------------------------


def _sample() -> Briefing:
    citation = Citation(
        n=1,
        document="report <2015> & co.txt",
        title="A & B report",
        section="Section 1 › Board Challenge",
        page=None,
        page_label="3–4",
        quote="Children’s “views” <script>alert(1)</script> & risks – within fifteen days.",
        doc_id="d",
        start=0,
        end=10,
    )
    item = BriefingItem(citation.quote, (1,))
    sections = [BriefingSection("what", HEADINGS[0], (item,))]
    sections += [
        BriefingSection(k, h, (BriefingItem(NOT_COVERED),))
        for k, h in zip(("why", "figures", "rules", "board", "practice"), HEADINGS[1:6], strict=True)
    ]
    sections.append(BriefingSection("sources", HEADINGS[6], (BriefingItem("[1] report", (1,)),)))
    return Briefing("test & <topic>", "all", tuple(sections), (citation,))


def test_html_escapes_everything() -> None:
    page = render(_sample(), "html").decode("utf-8")
    assert "<script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "report &lt;2015&gt; &amp; co.txt" in page
    assert "<h1>7-minute briefing: test &amp; &lt;topic&gt;</h1>" in page


def test_every_format_renders_and_carries_the_notice() -> None:
    briefing = _sample()
    for fmt in ("md", "html", "json"):
        assert NOTICE in render(briefing, fmt).decode("utf-8")
    assert render(briefing, "docx")[:2] == b"PK"
    assert render(briefing, "pdf")[:4] == b"%PDF"
    with pytest.raises(AnswerError, match="unknown format"):
        render(briefing, "odt")


def test_pdf_without_a_unicode_font_transliterates() -> None:
    from pypdf import PdfReader

    report = Report(
        title="Briefing",
        notice=NOTICE,
        sections=(Section("What it is", (ReportItem("Children’s “views” – within fifteen days.", (1,)),)),),
        sources=(Source(1, "doc.txt", "Doc", "Section › Part", "3–4", "Children’s “views” – within fifteen days."),),
    )
    data = pdf_bytes(report, font=False)
    text = _flat(" ".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages))
    assert 'Children\'s "views" - within fifteen days.' in text
    assert _flat(NOTICE) in text


def test_bad_topic_and_audience() -> None:
    with pytest.raises(AnswerError):
        build_briefing(object(), "   ")  # type: ignore[arg-type]
    with pytest.raises(AnswerError, match="audience"):
        build_briefing(object(), "neglect", "teachers")  # type: ignore[arg-type]
    assert "social-care" in AUDIENCES


CLUB_POLICY = """# Ashbury Park RFC safeguarding policy

## Club Safeguarding Officer

The Club Safeguarding Officer (CSO) is Mark Ellison. He is the first point of contact for any safeguarding
concern at the club.

## Concerns about adults in the club

Any concern about the behaviour of a coach or volunteer towards a child must be reported to the CSO, who will
inform the RFU Safeguarding Team within one working day. If the concern is about the CSO, report it directly to
the RFU Safeguarding Team. We will review any concern raised about a coach with the RFU.
"""


@pytest.mark.slow
def test_a_briefing_from_policies_has_roles_where_a_report_has_the_board_s_findings(
    tmp_path: Any, embedder: Any, make_settings: Any
) -> None:
    from corpora import ingested, one_document  # type: ignore[import-not-found]

    from assistant.products.briefing import ROLES_HEADING

    # (an annual report's briefing keeps "What the board found": test_seven_sections_and_verbatim_citations)
    assistant = ingested(one_document(tmp_path, "ashbury-park-rfc-policy.md", CLUB_POLICY), embedder, make_settings)
    briefing = build_briefing(assistant, "concerns about adults in the club")
    part = briefing.section("board")
    assert part.heading == ROLES_HEADING
    # who does what, not a sentence that merely mentions a concern or a review
    assert any("first point of contact" in item.text for item in part.items), part.items
    assert not any("We will review" in item.text for item in part.items), part.items
    _assert_verbatim(briefing, assistant)
