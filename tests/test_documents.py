"""Parsing, cleaning and chunking documents: the seed report, every format, real and broken PDFs.

No embedding model is loaded here: chunking counts word pieces with the model's own
tokenizer (``Embedder().count_tokens`` reads only tokenizer.json).
"""

from __future__ import annotations

import itertools
import os
import re
from collections.abc import Callable, Sequence
from pathlib import Path

import pytest

from assistant.documents.chunking import chunk_document
from assistant.documents.loaders import load_document
from assistant.errors import (
    CorruptDocument,
    DocumentError,
    DocumentTooLarge,
    EmptyDocument,
    EncryptedDocument,
    NoTextLayer,
    UnsupportedDocument,
)
from assistant.models import Chunk, Document, Segment
from assistant.text.sentences import sentence_spans

MAX = 50 * 1024 * 1024
SEED = Path(__file__).resolve().parents[1] / "corpus" / "havering-lscb-annual-report-2014-15.txt"
MODEL_WINDOW = 256


@pytest.fixture(scope="module")
def count_tokens() -> Callable[[Sequence[str]], list[int]]:
    from assistant.index.embeddings import Embedder

    return Embedder().count_tokens


@pytest.fixture(scope="module")
def seed_chunks(count_tokens) -> tuple[Document, list[Chunk]]:  # type: ignore[no-untyped-def]
    document = load_document(SEED, max_bytes=MAX)
    return document, chunk_document(document, count_tokens)


def _segment_at(document: Document, needle: str) -> Segment:
    offset = document.text.index(needle)
    found = [s for s in document.segments if s.start <= offset < s.end]
    assert len(found) == 1, (needle, found)
    return found[0]


def _headings(document: Document) -> list[str]:
    return [document.text[s.start : s.end] for s in document.segments if s.kind == "heading"]


def _segment_text(document: Document, segment: Segment) -> str:
    return document.text[segment.start : segment.end]


# --------------------------------------------------------------------------------------
# The seed report (plain text extracted from a PDF, with its quirks)


BULLET_GLYPHS = ["\uf0b7", "\uf0a7", "\uf0d8", "\uf0fc", "\u2022", "\u25aa", "\u25cf", "\u25e6", "\u27a2"]


def test_seed_cleaning_drops_bullet_glyphs(seed_text: str, seed_document: Document) -> None:
    assert "\uf0b7" in seed_text, "the raw seed is expected to carry Symbol-font bullets"
    for glyph in BULLET_GLYPHS:
        assert glyph not in seed_document.text, f"U+{ord(glyph):04X} left in the cleaned text"
    # no private-use characters of any kind remain
    assert not re.search("[\ue000-\uf8ff]", seed_document.text)


def test_seed_cleaning_drops_running_header_and_page_markers(seed_text: str, seed_document: Document) -> None:
    assert "HLSCB Annual Report 2014-2015" in seed_text and "P a g e" in seed_text
    lines = [line.strip() for line in seed_document.text.split("\n")]
    assert "HLSCB Annual Report 2014-2015" not in lines
    assert "HLSCB Annual Report" not in seed_document.text
    assert "P a g e" not in seed_document.text
    # a bare page number is not left as a line of its own
    assert not any(re.fullmatch(r"\d{1,2}", line) for line in lines)


@pytest.mark.parametrize(
    "sentence",
    [
        "held within the required fifteen day timeline set out within Working Together 2015",
        "for a period of twenty-eight days or more the arrangement is known to be a private fostering arrangement",
        "The HSCB has during 2014/15 monitored the work force across the agencies.",
    ],
)
def test_seed_cleaning_rejoins_lines_broken_mid_sentence(
    seed_text: str, seed_document: Document, sentence: str
) -> None:
    assert sentence not in seed_text  # broken over lines (and blank lines) in the source
    assert sentence in seed_document.text
    segment = _segment_at(seed_document, sentence)
    assert sentence in _segment_text(seed_document, segment)


def test_seed_page_labels_are_page_ranges_between_footers(seed_document: Document) -> None:
    labels: list[str | None] = []
    for segment in seed_document.segments:
        if not labels or labels[-1] != segment.page_label:
            labels.append(segment.page_label)
    assert labels[:2] == ["1–4", "5–8"]  # en dashes: an honest range, not one page
    assert all(label is not None for label in labels)
    # the text before the first footer ("| P a g e 4") is on pages 1-4
    early = _segment_at(seed_document, "held within the required fifteen day timeline")
    assert early.page_label == "1–4"
    assert early.page is None  # no physical page is claimed for a range
    later = _segment_at(seed_document, "The HSCB has during 2014/15 monitored")
    assert later.page_label == "5–8"


@pytest.mark.parametrize("row", ["Contacts received. 7410 6984", "Number of new section 47 investigations 469 841"])
def test_seed_table_rows_stay_whole(seed_document: Document, row: str) -> None:
    segment = _segment_at(seed_document, row)
    assert segment.kind == "table_row"
    assert _segment_text(seed_document, segment) == row


def test_seed_headings_give_body_text_its_section(seed_document: Document) -> None:
    headings = set(_headings(seed_document))
    assert {"Private fostering", "Board Challenge"} <= headings
    body = _segment_at(seed_document, "for a period of twenty-eight days or more")
    assert body.kind == "paragraph"
    assert "Private fostering" in body.section
    challenge_bodies = [
        s for s in seed_document.segments if s.kind != "heading" and s.section and s.section[-1] == "Board Challenge"
    ]
    assert challenge_bodies
    # every segment's section path ends with the nearest heading above it
    nearest: str | None = None
    for segment in seed_document.segments:
        if segment.kind == "heading":
            nearest = _segment_text(seed_document, segment)
        if nearest is None:
            assert segment.section == ()
        else:
            assert segment.section[-1].endswith(nearest), (segment.section, nearest)


def test_seed_segments_are_exact_lines_of_the_text(seed_document: Document) -> None:
    text = seed_document.text
    previous_end = -1
    for segment in seed_document.segments:
        assert previous_end < segment.start <= segment.end <= len(text)
        piece = text[segment.start : segment.end]
        assert piece and piece == piece.strip() and "\n" not in piece
        previous_end = segment.end
    assert "\n".join(text[s.start : s.end] for s in seed_document.segments) == text


def test_a_title_from_a_file_name_keeps_initials_in_capitals(tmp_path: Path) -> None:
    path = tmp_path / "norwich-rfc-safeguarding-policy.txt"
    path.write_text("The club's welfare officer is the first point of contact for any concern.\n", encoding="utf-8")
    # "rfc" has no vowel: initials, not a word; "st" is a word
    assert load_document(path, max_bytes=MAX).title == "Norwich RFC Safeguarding Policy"
    path = tmp_path / "st-johns-fc-policy.txt"
    path.write_text("The club's welfare officer is the first point of contact for any concern.\n", encoding="utf-8")
    assert load_document(path, max_bytes=MAX).title == "St Johns FC Policy"


def test_seed_document_metadata(seed_document: Document) -> None:
    assert seed_document.format == "text"
    assert seed_document.file_name == "havering-lscb-annual-report-2014-15.txt"
    assert seed_document.title == "Havering LSCB Annual Report 2014-15"
    assert len(seed_document.doc_id) == 24


# --------------------------------------------------------------------------------------
# Chunking


def test_chunks_are_exact_slices_of_the_document(seed_chunks) -> None:  # type: ignore[no-untyped-def]
    document, chunks = seed_chunks
    assert len(chunks) > 50
    for chunk in chunks:
        assert chunk.text == document.text[chunk.start : chunk.end]
        assert chunk.doc_id == document.doc_id
        assert chunk.file_name == document.file_name
    assert [c.ordinal for c in chunks] == list(range(len(chunks)))
    assert len({c.chunk_id for c in chunks}) == len(chunks)


def test_chunk_embedding_text_fits_the_model_window(seed_chunks, count_tokens) -> None:  # type: ignore[no-untyped-def]
    _, chunks = seed_chunks
    counts = count_tokens([c.embedding_text() for c in chunks])
    assert max(counts) <= MODEL_WINDOW, max(counts)
    # and the chunker actually packs: chunks are not single sentences
    assert sum(counts) / len(counts) > 80


def test_chunks_carry_section_paths(seed_chunks) -> None:  # type: ignore[no-untyped-def]
    document, chunks = seed_chunks
    assert sum(1 for c in chunks if c.section) >= 0.95 * len(chunks)
    fostering = [c for c in chunks if "for a period of twenty-eight days or more" in c.text]
    assert fostering and all("Private fostering" in c.section for c in fostering)
    for chunk in fostering:
        assert "Private fostering" in chunk.embedding_text()
    # a chunk never crosses a heading into another section
    for chunk in chunks:
        inside = [s for s in document.segments if chunk.start <= s.start < chunk.end and s.kind != "heading"]
        assert all(s.section == chunk.section for s in inside), chunk.chunk_id


def test_consecutive_chunks_overlap_by_whole_sentences(seed_chunks) -> None:  # type: ignore[no-untyped-def]
    document, chunks = seed_chunks
    overlaps = 0
    for before, after in itertools.pairwise(chunks):
        if before.section != after.section or after.start >= before.end:
            continue
        shared = document.text[after.start : before.end]
        sentences = {document.text[a:b] for a, b in sentence_spans(document.text, before.start, before.end)}
        # the overlap starts at a sentence of the earlier chunk
        assert any(document.text[after.start :].startswith(s) for s in sentences), shared[:80]
        overlaps += 1
    assert overlaps >= 1


def _uncovered(document: Document, chunks: Sequence[Chunk]) -> list[Segment]:
    covered = bytearray(len(document.text))
    for chunk in chunks:
        covered[chunk.start : chunk.end] = b"\x01" * (chunk.end - chunk.start)
    text = document.text
    return [s for s in document.segments if not all(covered[i] or text[i].isspace() for i in range(s.start, s.end))]


def test_chunks_cover_all_body_text(seed_chunks) -> None:  # type: ignore[no-untyped-def]
    document, chunks = seed_chunks
    missing = [_segment_text(document, s) for s in _uncovered(document, chunks) if s.kind != "heading"]
    assert missing == []


def test_a_heading_that_ends_the_document_is_still_chunked(tmp_path: Path, count_tokens, seed_chunks) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "ends-with-heading.md"
    path.write_text(
        "# Contacts\n\nCall the MASH on weekdays.\n\n## Out of hours: Emergency Duty Team\n", encoding="utf-8"
    )
    document = load_document(path, max_bytes=MAX)
    assert _uncovered(document, chunk_document(document, count_tokens)) == []
    seed, chunks = seed_chunks
    assert _uncovered(seed, chunks) == []


def test_a_signature_is_not_a_heading(tmp_path: Path) -> None:
    path = tmp_path / "report.txt"
    path.write_text(
        "Foreword\n\nI am pleased to present this report to the partnership and to the public.\n\n"
        "Brian Boxall\nHSCB Independent Chair\n\nIntroduction\n\nThe purpose of this report is to describe the "
        "work of the board over the year.\n",
        encoding="utf-8",
    )
    document = load_document(path, max_bytes=MAX)
    headings = set(_headings(document))
    assert "Brian Boxall" not in headings and "HSCB Independent Chair" not in headings, headings
    assert "Introduction" in headings
    # the two lines are one block of their own, not the start of the next paragraph
    assert _segment_text(document, _segment_at(document, "Brian Boxall")) == "Brian Boxall HSCB Independent Chair"
    body = _segment_at(document, "The purpose of this report")
    assert body.section == ("Introduction",), body.section


def test_a_list_that_fits_in_a_chunk_is_never_cut(tmp_path: Path, count_tokens) -> None:  # type: ignore[no-untyped-def]
    """A section whose intro and list overflow one chunk: the chunk ends before the list's lead-in,
    and the lead-in and every item stay together; a list too long for one chunk is still packed."""
    intro = " ".join(
        f"Sentence {n} says why professionals sometimes disagree about the level of need." for n in range(7)
    )
    stages = "\n".join(
        f"{n}. Stage {n}: If it is not resolved, escalate to the next level of management, who should resolve it "
        f"within {n + 2} working days."
        for n in range(1, 5)
    )
    long_list = "\n".join(f"- Item {n}: a check made before a volunteer starts with children." for n in range(40))
    path = tmp_path / "escalation.md"
    path.write_text(
        f"# Escalation\n\n{intro}\n\nTo resolve a disagreement:\n\n{stages}\n\nKeep a record.\n\n"
        f"# Checks\n\nBefore anyone starts:\n\n{long_list}\n",
        encoding="utf-8",
    )
    document = load_document(path, max_bytes=MAX)
    chunks = chunk_document(document, count_tokens, max_tokens=160, overlap_tokens=24)
    whole = [c for c in chunks if "To resolve a disagreement:" in c.text and "Stage 1:" in c.text]
    assert len(whole) == 1 and all(f"Stage {n}:" in whole[0].text for n in range(1, 5)), [c.text for c in chunks]
    assert len([c for c in chunks if "Item" in c.text]) > 1  # too long for one chunk: packed as before
    assert _uncovered(document, chunks) == []


def _markdown_table_document(tmp_path: Path, rows: int = 60) -> Path:
    lines = "\n".join(f"| Borough {i} | {i * 7} | {i * 3} |" for i in range(rows))
    path = tmp_path / "referrals.md"
    path.write_text(
        "# Referrals by borough\n\nThe table lists referrals and plans in 2014/15.\n\n"
        "| Area | Referrals | Plans |\n|------|-----------|-------|\n"
        + lines
        + "\n\n## Notes\n\nFigures are provisional.\n",
        encoding="utf-8",
    )
    return path


def test_split_table_repeats_its_header_row_as_context(tmp_path: Path, count_tokens) -> None:  # type: ignore[no-untyped-def]
    document = load_document(_markdown_table_document(tmp_path), max_bytes=MAX)
    chunks = chunk_document(document, count_tokens)
    table_chunks = [c for c in chunks if "Borough" in c.text]
    assert len(table_chunks) >= 2, "60 rows must not fit in one chunk"
    header = "Area | Referrals | Plans"
    first, *rest = table_chunks
    assert header in first.text and first.context == ""
    for chunk in rest:
        assert header not in chunk.text
        assert chunk.context == header
        assert chunk.embedding_text().split("\n")[:2] == ["Referrals by borough", header]
        assert chunk.text.startswith("Borough ")  # a chunk starts on a row boundary
    # every row is whole in some chunk, and rows are not repeated as overlap
    for i in range(60):
        row = f"Borough {i} | {i * 7} | {i * 3}"
        holders = [c for c in table_chunks if row in c.text.split("\n")]
        assert len(holders) == 1, row
    assert max(count_tokens([c.embedding_text() for c in chunks])) <= MODEL_WINDOW


# --------------------------------------------------------------------------------------
# Formats


def test_markdown_headings_lists_tables_and_inline_markup(tmp_path: Path) -> None:
    path = tmp_path / "guide.md"
    path.write_text(
        "# Safeguarding Guide\n\n"
        "Refer concerns **at once** to the _MASH_, see [the procedures](https://example.org/p) and `form A`.\n\n"
        "## Thresholds\n\n"
        "- First item about *early help*\n- Second item\n\n"
        "| Level | Response |\n|---|---|\n| 1 | Universal |\n| 4 | Specialist |\n\n"
        "### Level four\n\nStatutory services lead.\n",
        encoding="utf-8",
    )
    document = load_document(path, max_bytes=MAX)
    assert document.format == "markdown"
    assert document.title == "Safeguarding Guide"
    kinds = {document.text[s.start : s.end]: s for s in document.segments}
    assert kinds["Safeguarding Guide"].kind == "heading" and kinds["Safeguarding Guide"].level == 1
    assert kinds["Thresholds"].kind == "heading" and kinds["Thresholds"].level == 2
    paragraph = "Refer concerns at once to the MASH, see the procedures and form A."
    assert kinds[paragraph].kind == "paragraph"
    assert kinds["First item about early help"].kind == "list_item"
    assert kinds["First item about early help"].section == ("Safeguarding Guide", "Thresholds")
    assert kinds["Level | Response"].kind == "table_header"
    assert kinds["1 | Universal"].kind == "table_row"
    assert kinds["4 | Specialist"].kind == "table_row"
    assert kinds["Statutory services lead."].section == ("Safeguarding Guide", "Thresholds", "Level four")
    for markup in ("**", "_MASH_", "`", "https://", "](", "*early"):
        assert markup not in document.text


def test_html_drops_scripts_and_styles_and_uses_title_and_headings(tmp_path: Path) -> None:
    path = tmp_path / "page.html"
    path.write_text(
        "<!doctype html><html><head><title>Threshold Guidance</title>"
        "<style>body { color: red }</style><script>var secret = 'tracking-code';</script></head>"
        "<body><nav>Home | About us</nav><h1>Local guidance</h1>"
        "<p>Practitioners should refer concerns to the <b>MASH</b>.</p>"
        "<h2>Private fostering</h2><p>An arrangement lasting 28 days or more must be notified.</p>"
        "<ul><li>Notify the local authority</li><li>Visit within seven days</li></ul>"
        "<table><tr><th>Year</th><th>Referrals</th></tr><tr><td>2014</td><td>120</td></tr></table>"
        "<script>alert('x')</script><style>.x{}</style></body></html>",
        encoding="utf-8",
    )
    document = load_document(path, max_bytes=MAX)
    assert document.format == "html"
    assert document.title == "Threshold Guidance"
    for dropped in ("tracking-code", "alert", "color", ".x{}", "Home | About us"):
        assert dropped not in document.text
    assert "Practitioners should refer concerns to the" in document.text
    segment = _segment_at(document, "An arrangement lasting 28 days")
    assert segment.section == ("Local guidance", "Private fostering")
    heading = _segment_at(document, "Private fostering")
    assert heading.kind == "heading" and heading.level == 2
    assert _segment_at(document, "Visit within seven days").kind == "list_item"
    assert _segment_at(document, "2014 | 120").kind == "table_row"
    assert _segment_at(document, "Year | Referrals").kind == "table_header"


def test_html_drops_the_site_footer_but_keeps_an_article_s_own(tmp_path: Path) -> None:
    path = tmp_path / "club.html"
    path.write_text(
        "<html><body><main><h1>Riverside Rovers safeguarding policy</h1><h2>Anti-bullying</h2>"
        "<div><p>Bullying is not tolerated. Report it to the team manager.</p></div>"
        "<article><p>Photographs need written consent.</p><footer><p>Last reviewed: March 2025</p></footer></article>"
        "</main><footer><p>&copy; 2025 Riverside Rovers Youth FC.</p><p><a href='/privacy'>Privacy</a> | "
        "<a href='/cookies'>Cookies</a></p></footer><div role='contentinfo'>Site by Example Web Ltd</div>"
        "</body></html>",
        encoding="utf-8",
    )
    document = load_document(path, max_bytes=MAX)
    for dropped in ("2025 Riverside Rovers Youth FC.", "Privacy", "Site by Example"):
        assert dropped not in document.text
    assert "Last reviewed: March 2025" in document.text
    assert document.text.rstrip().endswith("Last reviewed: March 2025")


def test_html_drops_the_site_s_header_sidebar_and_cookie_notice_and_keeps_accordion_titles(tmp_path: Path) -> None:
    path = tmp_path / "cricket.html"
    path.write_text(
        "<html><body class='cookie-consent-given'>"
        "<div id='cookie-notice' class='cookie-banner'><p>We use cookies to give you the best experience.</p></div>"
        "<header class='site-header'><div class='top-bar'>Elmsford Vale CC Founded 1887</div></header>"
        "<main><h1>Safeguarding</h1><h2>Club policies in detail</h2>"
        "<details><summary>Transport and lifts</summary><p>Coaches should not give a child a lift alone.</p></details>"
        "</main><aside class='sidebar'><p>All Stars sign-up</p></aside></body></html>",
        encoding="utf-8",
    )
    document = load_document(path, max_bytes=MAX)
    for dropped in ("We use cookies", "Founded 1887", "All Stars sign-up"):
        assert dropped not in document.text
    lift = next(s for s in document.segments if document.text[s.start : s.end].startswith("Coaches should not"))
    assert lift.section[-2:] == ("Club policies in detail", "Transport and lifts")
    # without a marked main content, a page's header is its content
    plain = tmp_path / "plain.html"
    plain.write_text("<html><body><header><h1>Safeguarding policy</h1></header><p>Call 999.</p></body></html>")
    assert "Safeguarding policy" in load_document(plain, max_bytes=MAX).text


def test_html_inline_markup_adds_no_spaces(tmp_path: Path) -> None:
    path = tmp_path / "inline.html"
    path.write_text(
        "<html><body><p>Refer concerns to the <b>MASH</b>. See <a href='/p'>Working Together</a>, "
        "or <em>call</em> the LADO.</p></body></html>",
        encoding="utf-8",
    )
    document = load_document(path, max_bytes=MAX)
    assert document.text == "Refer concerns to the MASH. See Working Together, or call the LADO."


def _docx(path: Path, rows: Sequence[Sequence[str]]) -> Path:
    import docx

    doc = docx.Document()
    doc.core_properties.title = "Neglect Strategy"
    doc.add_heading("Neglect Strategy 2015", level=1)
    doc.add_paragraph("Neglect is the persistent failure to meet a child's basic needs.")
    doc.add_heading("Recognising neglect", level=2)
    doc.add_paragraph("Practitioners use the graded care profile.")
    doc.add_paragraph("Look at the home conditions", style="List Bullet")
    table = doc.add_table(rows=len(rows), cols=len(rows[0]))
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            table.cell(r, c).text = value
    doc.add_paragraph("After the table.")
    doc.save(str(path))
    return path


def test_docx_headings_tables_and_title(tmp_path: Path) -> None:
    path = _docx(
        tmp_path / "neglect.docx",
        [("Year", "Referrals", "Plans"), ("2013/14", "410", "120"), ("2014/15", "455", "131")],
    )
    document = load_document(path, max_bytes=MAX)
    assert document.format == "docx"
    assert document.title == "Neglect Strategy"
    top = _segment_at(document, "Neglect Strategy 2015")
    assert top.kind == "heading" and top.level == 1
    sub = _segment_at(document, "Recognising neglect")
    assert sub.kind == "heading" and sub.level == 2
    assert _segment_at(document, "Practitioners use the graded").section == (
        "Neglect Strategy 2015",
        "Recognising neglect",
    )
    assert _segment_at(document, "Look at the home conditions").kind == "list_item"
    header = _segment_at(document, "Year | Referrals | Plans")
    assert header.kind == "table_header"
    row = _segment_at(document, "2014/15 | 455 | 131")
    assert row.kind == "table_row"
    assert _segment_text(document, row) == "2014/15 | 455 | 131"
    assert "After the table." in document.text


def test_docx_merged_cells_are_not_repeated(tmp_path: Path) -> None:
    import docx

    doc = docx.Document()
    doc.add_paragraph("Budget by partner.")
    table = doc.add_table(rows=2, cols=3)
    merged = table.cell(0, 0).merge(table.cell(0, 1))
    merged.text = "Partner"
    table.cell(0, 2).text = "Contribution"
    for c, value in enumerate(("Police", "Met", "£5,000")):
        table.cell(1, c).text = value
    path = tmp_path / "budget.docx"
    doc.save(str(path))
    document = load_document(path, max_bytes=MAX)
    assert "Partner | Contribution" in document.text.split("\n")
    assert "Police | Met | £5,000" in document.text.split("\n")


def test_docx_row_with_equal_adjacent_values_keeps_every_cell(tmp_path: Path) -> None:
    path = _docx(tmp_path / "plans.docx", [("Measure", "2013/14", "2014/15"), ("Child protection plans", "120", "120")])
    document = load_document(path, max_bytes=MAX)
    assert "Child protection plans | 120 | 120" in document.text.split("\n")


def test_docx_bold_lines_are_the_headings_when_no_heading_style_is_used(tmp_path: Path) -> None:
    from corpora import WORD_POLICY_HEADINGS, word_policy  # type: ignore[import-not-found]

    document = load_document(next(word_policy(tmp_path).iterdir()), max_bytes=MAX)
    # the title from the two bold lines that open it, the larger type the higher level
    assert document.title == "Willow Tree Childminding: Safeguarding and Child Protection Policy"
    assert document.publisher == "Willow Tree Childminding"
    assert _segment_at(document, "Willow Tree Childminding").level == 1
    for heading in WORD_POLICY_HEADINGS:
        segment = _segment_at(document, heading)
        assert (segment.kind, segment.level) == ("heading", 3), heading
    assert _segment_at(document, "Photographs are deleted").section == (
        "Willow Tree Childminding",
        "Safeguarding and Child Protection Policy",
        "Mobile phones and cameras",
    )


def test_docx_bold_lines_stay_text_beside_heading_styles_or_when_they_end_as_sentences(tmp_path: Path) -> None:
    import docx

    doc = docx.Document()
    doc.add_heading("Procedures", level=1)
    doc.add_heading("Referrals", level=2)
    doc.add_paragraph().add_run("Always call 999 in an emergency").bold = True
    doc.add_paragraph().add_run("Never promise to keep a secret.").bold = True
    path = tmp_path / "styled.docx"
    doc.save(str(path))
    document = load_document(path, max_bytes=MAX)
    assert _segment_at(document, "Always call 999").kind == "paragraph"  # emphasis, not structure
    unstyled = docx.Document()
    unstyled.add_paragraph().add_run("Never promise to keep a secret.").bold = True
    unstyled.add_paragraph().add_run("Listen").bold = True
    unstyled.add_paragraph("Listen to the child.")
    path = tmp_path / "unstyled.docx"
    unstyled.save(str(path))
    document = load_document(path, max_bytes=MAX)
    assert _segment_at(document, "Never promise").kind == "paragraph"  # a sentence, in bold
    assert _segment_at(document, "Listen\n").kind == "heading"


def test_docx_bold_lines_naming_a_subject_are_headings_under_the_styled_ones(tmp_path: Path) -> None:
    import docx

    # a childminder's policy: numbered headings set by style, and bold lines in the Normal style under them
    doc = docx.Document()
    doc.add_heading("1. Purpose of this policy", level=1)
    doc.add_paragraph("I am a registered childminder.")
    doc.add_paragraph().add_run("Existing injuries").bold = True
    doc.add_paragraph("If a child arrives with a bruise, I record it on an existing injury form.")
    doc.add_paragraph().add_run("Always call 999 in an emergency").bold = True
    doc.add_heading("2. Collection of children", level=1)
    doc.add_paragraph().add_run("Uncollected children").bold = True
    doc.add_paragraph("If a child has not been picked up within 30 minutes, I contact the Front Door.")
    path = tmp_path / "mixed.docx"
    doc.save(str(path))
    document = load_document(path, max_bytes=MAX)
    assert _segment_at(document, "If a child arrives").section == ("1. Purpose of this policy", "Existing injuries")
    assert _segment_at(document, "If a child has not been picked up").section == (
        "2. Collection of children",
        "Uncollected children",
    )
    assert _segment_at(document, "Always call 999").kind == "paragraph"  # urges, names no subject


def test_an_empty_table_cell_keeps_the_next_value_under_its_column(tmp_path: Path) -> None:
    from corpora import word_policy  # type: ignore[import-not-found]

    document = load_document(next(word_policy(tmp_path).iterdir()), max_bytes=MAX)
    lines = document.text.split("\n")
    assert "Children's Front Door |  | 0300 555 0101" in lines
    html = tmp_path / "contacts.html"
    html.write_text(
        "<table><tr><th>Who</th><th>Name</th><th>Telephone</th><th>Notes</th></tr>"
        "<tr><td>LADO</td><td></td><td>0300 555 0150</td><td></td></tr></table>",
        encoding="utf-8",
    )
    assert "LADO |  | 0300 555 0150" in load_document(html, max_bytes=MAX).text.split("\n")  # the empty end dropped
    markdown = tmp_path / "contacts.md"
    markdown.write_text("| Who | Name | Telephone |\n|---|---|---|\n| LADO |  | 0300 555 0150 |\n", encoding="utf-8")
    assert "LADO |  | 0300 555 0150" in load_document(markdown, max_bytes=MAX).text.split("\n")


SAMPLE_TEXT = (
    "The Board\u2019s budget was \u00a3167,465.30 in 2014/15.\n"
    "Partners contributed \u00a35,000 each and the LSCB\u2019s work continued.\n"
    "The chair\u2019s report was agreed by all partners.\n"
)


def test_plain_text_in_latin1_decodes_pound_signs(tmp_path: Path) -> None:
    path = tmp_path / "budget.txt"
    text = "The Board budget was \u00a3167,465.30 in 2014/15. Caf\u00e9 meetings were held in the borough.\n"
    path.write_bytes(text.encode("latin-1"))
    document = load_document(path, max_bytes=MAX)
    assert "The Board budget was \u00a3167,465.30 in 2014/15." in document.text
    assert "Caf\u00e9 meetings" in document.text


def test_plain_text_in_cp1252_decodes_pound_signs_and_quotes(tmp_path: Path) -> None:
    path = tmp_path / "budget.txt"
    path.write_bytes(SAMPLE_TEXT.encode("cp1252"))
    document = load_document(path, max_bytes=MAX)
    assert "The Board\u2019s budget was \u00a3167,465.30 in 2014/15." in document.text
    assert "\u0141" not in document.text  # Ł


def test_seed_report_in_cp1252_keeps_pound_signs(tmp_path: Path, seed_text: str) -> None:
    path = tmp_path / "report.txt"
    path.write_bytes(seed_text.encode("cp1252", errors="replace"))
    document = load_document(path, max_bytes=MAX)
    assert "Staffing £108,519" in document.text
    assert "Havering\u2019s independent chair" in document.text


def test_utf8_with_bom_and_utf16(tmp_path: Path) -> None:
    bom = tmp_path / "bom.txt"
    bom.write_bytes(b"\xef\xbb\xbf" + SAMPLE_TEXT.encode("utf-8"))
    document = load_document(bom, max_bytes=MAX)
    assert document.text.startswith("The Board\u2019s budget")  # no U+FEFF left
    assert "\ufeff" not in document.text
    assert "\u00a3167,465.30" in document.text
    utf16 = tmp_path / "utf16.txt"
    utf16.write_bytes(SAMPLE_TEXT.encode("utf-16"))
    assert load_document(utf16, max_bytes=MAX).text == document.text


def test_same_bytes_same_document_id(tmp_path: Path) -> None:
    a = tmp_path / "a.txt"
    b = tmp_path / "sub" / "b.txt"
    b.parent.mkdir()
    a.write_text(SAMPLE_TEXT, encoding="utf-8")
    b.write_text(SAMPLE_TEXT, encoding="utf-8")
    c = tmp_path / "c.txt"
    c.write_text(SAMPLE_TEXT + "One more line.\n", encoding="utf-8")
    assert load_document(a, max_bytes=MAX).doc_id == load_document(b, max_bytes=MAX).doc_id
    assert load_document(a, max_bytes=MAX).doc_id != load_document(c, max_bytes=MAX).doc_id


# --------------------------------------------------------------------------------------
# PDFs generated here with fpdf2 (core fonts are latin-1 only)

_TO_LATIN1 = str.maketrans(
    {
        "\u2019": "'",
        "\u2018": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u2013": "-",
        "\u2014": "-",
        "\u2026": "...",
        "\u00a0": " ",
    }
)


def _paragraphs_from_seed(seed: Document, count: int) -> list[str]:
    found = []
    for segment in seed.segments:
        text = _segment_text(seed, segment).translate(_TO_LATIN1)
        if (
            segment.kind == "paragraph"
            and 120 < len(text) < 600
            and text.endswith(".")
            and all(ord(c) < 256 for c in text)
        ):
            found.append(text)
    assert len(found) >= count
    return found[:count]


def _write_report_pdf(path: Path, paragraphs: Sequence[str], per_page: int = 4) -> dict[str, int]:
    """A PDF with a running footer on every page; returns each paragraph's page."""
    from fpdf import FPDF

    class Report(FPDF):
        def footer(self) -> None:
            self.set_y(-15)
            self.set_font("Helvetica", size=8)
            self.cell(0, 10, f"Annual Report | Page {self.page_no()}", align="C")

    pdf = Report()
    pdf.set_auto_page_break(True, margin=20)
    pdf.set_font("Helvetica", size=11)
    pages: dict[str, int] = {}
    for i, paragraph in enumerate(paragraphs):
        if i % per_page == 0:
            pdf.add_page()
        pages[paragraph] = pdf.page_no()
        pdf.multi_cell(0, 6, paragraph, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(3)
    pdf.output(str(path))
    return pages


def _text_pdf(path: Path, paragraphs: Sequence[Sequence[str]]) -> Path:
    """A one-page PDF written with fpdf2: each paragraph's lines one under the other, a gap after each paragraph."""
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=11)
    for lines in paragraphs:
        for line in lines:
            pdf.multi_cell(0, 6, line, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(3)
    pdf.output(str(path))
    return path


def test_pdf_sub_section_numbers_and_long_questions_make_headings_under_their_section(tmp_path: Path) -> None:
    blocks = [
        "Youth Theatre Safeguarding Policy",
        "4. Responding to concerns",
        "Everyone who works with our members has a part to play in keeping them safe from harm.",
        "4.1 What should I do if a child tells me they are being abused?",
        "Stay calm, listen carefully and never promise to keep a secret. Tell the DSL straight away.",
        "4.3 Recording",
        "Write down what you saw or heard on a concern form on the same day, in the child's own words.",
        "6. Safer recruitment",
        "We follow safer recruitment practice for every role that involves contact with children.",
        "Do all volunteers need a DBS check?",
        "Everyone aged 16 or over who has regular contact with children must have an enhanced DBS check.",
    ]
    path = _text_pdf(tmp_path / "youth-theatre-policy.pdf", [(block,) for block in blocks])
    document = load_document(path, max_bytes=MAX)

    def section(start: str) -> tuple[str, ...]:
        return next(s for s in document.segments if document.text[s.start : s.end].startswith(start)).section

    # "4.3 Recording" is a heading, not the first words of its paragraph
    assert section("Write down what you saw")[-2:] == ("4. Responding to concerns", "4.3 Recording")
    assert section("Stay calm")[-1] == "4.1 What should I do if a child tells me they are being abused?"
    # a question put as a heading among numbered sections stands under the section it is in
    assert section("Everyone aged 16")[-2:] == ("6. Safer recruitment", "Do all volunteers need a DBS check?")


def test_pdf_headings_put_as_questions_are_headings(tmp_path: Path) -> None:
    blocks = [
        "Private fostering guidance for parents and carers",
        "What is private fostering?",
        "Private fostering is when a child under 16 (under 18 if disabled) is cared for by an adult who is "
        "not a parent or close relative for 28 days or more. Foster carers and parents must tell the local "
        "authority, and it will check that the child is safe, so what should a school do if it thinks a "
        "child is privately fostered?",
        "Who do I tell about a private fostering arrangement?",
        "Tell the Children's Services front door on 01632 960000 as soon as you know of the arrangement.",
    ]
    path = _text_pdf(tmp_path / "private-fostering-guidance.pdf", [(block,) for block in blocks])
    document = load_document(path, max_bytes=MAX)
    headings = _headings(document)
    assert "What is private fostering?" in headings
    assert "Who do I tell about a private fostering arrangement?" in headings
    # the question that ends a paragraph of running text stays in its paragraph
    assert not any(h.startswith("child is privately fostered") for h in headings)
    assert "thinks a child is privately fostered?" in document.text
    tell = next(s for s in document.segments if document.text[s.start : s.end].startswith("Tell the Children"))
    assert tell.section[-1] == "Who do I tell about a private fostering arrangement?"


def _ruled_table_pdf(path: Path) -> Path:
    """A club policy page with a contacts table drawn with ruling lines (a cell broken over two lines, a Name
    cell left empty) between two headed paragraphs, and a references table whose first cell spans rows."""
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()

    def heading(text: str) -> None:
        pdf.set_font("Helvetica", "B", 12)
        pdf.multi_cell(0, 7, text, new_x="LMARGIN", new_y="NEXT")

    def paragraph(text: str) -> None:
        pdf.set_font("Helvetica", size=10)
        pdf.multi_cell(0, 5, text, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(2)

    heading("Key Contacts")
    pdf.set_font("Helvetica", size=9)
    with pdf.table(col_widths=(45, 60, 60)) as table:
        for cells in (
            ("Role", "Name", "Contact"),
            ("Club Safeguarding Officer", "Mark Ellison", "07700 900456"),
            ("Deputy CSO", "Janet Price", "07700 900457"),
            ("Constituent Body Safeguarding Manager", "Lisa Grant", "07700 900458"),
            ("RFU Safeguarding Team", "", "0208 831 7479"),
        ):
            row = table.row()
            for cell in cells:
                row.cell(cell)
    pdf.ln(3)
    heading("Reporting a Concern")
    paragraph("Report your concern to the CSO as soon as possible and in any event within 24 hours.")
    heading("Basis")
    pdf.set_font("Helvetica", size=9)
    with pdf.table(col_widths=(50, 90, 25)) as table:
        header = table.row()
        for cell in ("Type", "Document", "Year"):
            header.cell(cell)
        first = table.row()
        first.cell("Legislation", rowspan=2)
        first.cell("Children Act")
        first.cell("1989")
        second = table.row()
        second.cell("Children Act")
        second.cell("2004")
    pdf.output(str(path))
    return path


def test_a_pdf_table_drawn_with_ruling_lines_keeps_each_value_under_its_column(tmp_path: Path) -> None:
    document = load_document(_ruled_table_pdf(tmp_path / "club-policy.pdf"), max_bytes=MAX)
    rows = {document.text[s.start : s.end]: s for s in document.segments if s.kind in ("table_row", "table_header")}
    assert "Role | Name | Contact" in rows
    assert rows["Role | Name | Contact"].kind == "table_header"
    # the text extractor wrote "Deputy CSO Janet Price 07700 900457" on one line, and the broken cell over two
    assert "Deputy CSO | Janet Price | 07700 900457" in rows
    assert "Constituent Body Safeguarding Manager | Lisa Grant | 07700 900458" in rows
    assert "RFU Safeguarding Team |  | 0208 831 7479" in rows  # the empty Name cell kept
    # the heading after the table is a heading again, not the end of the table's text
    assert "Reporting a Concern" in _headings(document)
    concern = next(s for s in document.segments if document.text[s.start : s.end].startswith("Report your concern"))
    assert concern.section[-1] == "Reporting a Concern"
    # a first cell merged over two rows labels both
    assert "Legislation | Children Act | 1989" in rows
    assert "Legislation | Children Act | 2004" in rows


@pytest.fixture(scope="module")
def report_pdf(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, int]]:
    seed = load_document(SEED, max_bytes=MAX)
    path = tmp_path_factory.mktemp("pdf") / "annual-report.pdf"
    pages = _write_report_pdf(path, _paragraphs_from_seed(seed, 24))
    return path, pages


def test_generated_pdf_records_pages_and_strips_the_footer(report_pdf, count_tokens) -> None:  # type: ignore[no-untyped-def]
    path, pages = report_pdf
    document = load_document(path, max_bytes=MAX)
    assert document.format == "pdf"
    assert document.page_count == 6
    assert "Annual Report" not in document.text
    assert not re.search(r"\bPage \d", document.text)
    for paragraph, page in pages.items():
        assert paragraph in document.text, paragraph[:60]  # wrapped lines rejoined, text kept
        segment = _segment_at(document, paragraph[:60])
        assert segment.page == page, (paragraph[:60], segment.page, page)
        assert segment.page_label == str(page)
    chunks = chunk_document(document, count_tokens)
    for chunk in chunks:
        assert chunk.text == document.text[chunk.start : chunk.end]
        first = next(s for s in document.segments if s.start <= chunk.start < s.end)
        assert chunk.page == first.page
    last_page_paragraph = max(pages, key=lambda p: pages[p])
    holder = next(c for c in chunks if last_page_paragraph[:60] in c.text)
    assert holder.page is not None and holder.page >= pages[last_page_paragraph] - 1


def test_generated_pdf_with_roman_page_labels(report_pdf, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from pypdf import PdfWriter
    from pypdf.constants import PageLabelStyle

    source, pages = report_pdf
    writer = PdfWriter(clone_from=str(source))
    writer.set_page_label(0, 1, style=PageLabelStyle.LOWERCASE_ROMAN, start=1)
    writer.set_page_label(2, 5, style=PageLabelStyle.DECIMAL, start=1)
    labelled = tmp_path / "labelled.pdf"
    writer.write(str(labelled))
    document = load_document(labelled, max_bytes=MAX)
    expected = {1: "i", 2: "ii", 3: "1", 4: "2", 5: "3", 6: "4"}
    seen = {(s.page, s.page_label) for s in document.segments}
    assert seen == set(expected.items())
    for paragraph, page in pages.items():
        segment = _segment_at(document, paragraph[:60])
        assert (segment.page, segment.page_label) == (page, expected[page])
        assert segment.page_label != str(segment.page)


def test_pdf_of_blank_pages_has_no_text_layer(tmp_path: Path) -> None:
    from fpdf import FPDF

    pdf = FPDF()
    for _ in range(3):
        pdf.add_page()
    path = tmp_path / "scan.pdf"
    pdf.output(str(path))
    with pytest.raises(NoTextLayer) as error:
        load_document(path, max_bytes=MAX)
    assert "OCR" in str(error.value)
    assert "scan.pdf" in str(error.value)


def test_pdf_with_only_an_image_has_no_text_layer(tmp_path: Path) -> None:
    from fpdf import FPDF
    from PIL import Image

    image = Image.new("RGB", (200, 100), (200, 30, 30))
    pdf = FPDF()
    pdf.add_page()
    pdf.image(image, x=10, y=10, w=180)
    path = tmp_path / "scanned-letter.pdf"
    pdf.output(str(path))
    with pytest.raises(NoTextLayer) as error:
        load_document(path, max_bytes=MAX)
    assert "OCR" in str(error.value)


# --------------------------------------------------------------------------------------
# Real PDFs from /work/shared/pdf-samples


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("crazyones.pdf", "The Crazy Ones"),
        ("pdflatex-outline.pdf", "Foo"),
        ("multilang.pdf", "Hello World"),
        ("hello-world.pdf", "Hello World"),
        ("Sample_Td-matrix.pdf", "Hello PDF"),
        ("bytes.pdf", "This is a test for a PDF with bytes title"),
        ("r2-empty-password.pdf", "pdf encryption test password"),  # opens with the empty password
    ],
)
def test_real_pdfs_load_with_text(pdf_samples: Path, name: str, expected: str) -> None:
    document = load_document(pdf_samples / name, max_bytes=MAX)
    assert document.format == "pdf"
    assert expected in document.text
    assert document.page_count and document.page_count >= 1
    assert all(s.page is not None and 1 <= s.page <= document.page_count for s in document.segments)


def test_multilang_pdf_keeps_non_latin_scripts(pdf_samples: Path) -> None:
    text = load_document(pdf_samples / "multilang.pdf", max_bytes=MAX).text
    assert "Привет" in text
    assert "مرحبا" in text


def test_pdflatex_outline_has_several_pages(pdf_samples: Path) -> None:
    document = load_document(pdf_samples / "pdflatex-outline.pdf", max_bytes=MAX)
    assert document.page_count == 4
    assert {s.page for s in document.segments} >= {1, 2, 3}


@pytest.mark.parametrize(
    ("name", "error"),
    [
        ("r4-user-password.pdf", EncryptedDocument),
        ("git.pdf", NoTextLayer),  # one page holding a single image
        ("two-different-pages.pdf", NoTextLayer),  # only the page numbers "1" and "2" as text
    ],
)
def test_real_pdfs_that_cannot_be_used(pdf_samples: Path, name: str, error: type[DocumentError]) -> None:
    with pytest.raises(error) as raised:
        load_document(pdf_samples / name, max_bytes=MAX)
    assert type(raised.value) is error
    assert name in str(raised.value)


def test_a_pdf_with_a_little_real_text_is_kept(pdf_samples: Path) -> None:
    document = load_document(pdf_samples / "issue-297.pdf", max_bytes=MAX)
    assert "test example" in document.text


def test_aes256_encrypted_pdf_is_refused_with_its_name(pdf_samples: Path) -> None:
    with pytest.raises(DocumentError) as raised:
        load_document(pdf_samples / "crazyones-encrypted-256.pdf", max_bytes=MAX)
    assert "crazyones-encrypted-256.pdf" in str(raised.value)


def test_aes256_encrypted_pdf_is_reported_as_encrypted(pdf_samples: Path) -> None:
    with pytest.raises(EncryptedDocument):
        load_document(pdf_samples / "crazyones-encrypted-256.pdf", max_bytes=MAX)


def test_no_sample_pdf_raises_outside_the_document_errors(pdf_samples: Path) -> None:
    outcomes = {}
    for path in sorted(pdf_samples.glob("*.pdf")):
        try:
            document = load_document(path, max_bytes=MAX)
        except DocumentError as error:
            assert path.name in str(error)
            outcomes[path.name] = type(error).__name__
        else:
            assert document.text.strip()
            outcomes[path.name] = "ok"
    assert len(outcomes) >= 12
    assert outcomes["crazyones.pdf"] == "ok"


# --------------------------------------------------------------------------------------
# Bad inputs


def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "empty.txt"
    path.write_bytes(b"")
    with pytest.raises(EmptyDocument, match=re.escape("empty.txt")):
        load_document(path, max_bytes=MAX)


def test_whitespace_only_file_is_empty(tmp_path: Path) -> None:
    path = tmp_path / "blank.md"
    path.write_text("\n\n   \n\t\n", encoding="utf-8")
    with pytest.raises(EmptyDocument, match=re.escape("blank.md")):
        load_document(path, max_bytes=MAX)


def test_random_bytes_named_pdf(tmp_path: Path) -> None:
    path = tmp_path / "report.pdf"
    path.write_bytes(os.urandom(4096))
    with pytest.raises(CorruptDocument, match=re.escape("report.pdf")):
        load_document(path, max_bytes=MAX)


def test_truncated_real_pdf(tmp_path: Path, pdf_samples: Path) -> None:
    for name in ("git.pdf", "crazyones.pdf", "pdflatex-outline.pdf"):
        data = (pdf_samples / name).read_bytes()
        path = tmp_path / f"half-{name}"
        path.write_bytes(data[: len(data) // 2])
        with pytest.raises(CorruptDocument) as raised:
            load_document(path, max_bytes=MAX)
        assert path.name in str(raised.value)


def test_binary_bytes_named_txt(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_bytes(bytes(range(256)) * 20)
    with pytest.raises(UnsupportedDocument, match=re.escape("notes.txt")):
        load_document(path, max_bytes=MAX)
    random = tmp_path / "random.txt"
    random.write_bytes(os.urandom(5000))
    with pytest.raises(UnsupportedDocument, match=re.escape("random.txt")):
        load_document(random, max_bytes=MAX)


def test_pdf_bytes_named_txt(tmp_path: Path, pdf_samples: Path) -> None:
    path = tmp_path / "crazy.txt"
    path.write_bytes((pdf_samples / "crazyones.pdf").read_bytes())
    with pytest.raises(UnsupportedDocument, match="rename"):
        load_document(path, max_bytes=MAX)


@pytest.mark.parametrize(
    ("name", "data"),
    [("setup.exe", b"MZ\x90\x00" + b"\x00" * 200), ("photo.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 200)],
)
def test_unsupported_types(tmp_path: Path, name: str, data: bytes) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(UnsupportedDocument) as raised:
        load_document(path, max_bytes=MAX)
    assert name in str(raised.value)
    assert "PDF, DOCX, Markdown, HTML or plain text" in str(raised.value)


def test_not_a_word_document(tmp_path: Path) -> None:
    import zipfile

    fake = tmp_path / "fake.docx"
    fake.write_bytes(b"this is not a zip file at all")
    with pytest.raises(CorruptDocument, match=re.escape("fake.docx")):
        load_document(fake, max_bytes=MAX)
    archive = tmp_path / "archive.docx"
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("notes.txt", "hello")
    with pytest.raises(CorruptDocument, match=re.escape("word/document.xml")):
        load_document(archive, max_bytes=MAX)


def test_file_over_the_size_limit(tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    path.write_text("word " * 5000, encoding="utf-8")  # 25 000 bytes
    with pytest.raises(DocumentTooLarge, match=re.escape("big.txt")):
        load_document(path, max_bytes=10_000)
    assert load_document(path, max_bytes=25_000).text.startswith("word word")


def test_pdf_over_the_page_limit(report_pdf) -> None:  # type: ignore[no-untyped-def]
    path, _ = report_pdf
    with pytest.raises(DocumentTooLarge, match="6 pages"):
        load_document(path, max_bytes=MAX, max_pdf_pages=5)


def test_markdown_front_matter_gives_the_title_and_stays_out_of_the_text(tmp_path: Path) -> None:
    path = tmp_path / "policy-v3-final.md"
    path.write_text(
        "---\ntitle: Northshire Netball Club safeguarding policy\ndate: 2024-03-01\nlayout: page\n---\n\n"
        "## Reporting a concern\n\nTell the club welfare officer on the same day.\n",
        encoding="utf-8",
    )
    document = load_document(path, max_bytes=1_000_000)
    assert document.title == "Northshire Netball Club safeguarding policy"
    assert "layout" not in document.text and "2024-03-01" not in document.text
    assert "Tell the club welfare officer on the same day." in document.text


def test_a_markdown_file_opening_with_a_rule_is_not_taken_for_front_matter(tmp_path: Path) -> None:
    path = tmp_path / "notes.md"
    path.write_text("---\n\nFirst paragraph of the notes.\n\n---\n\nSecond paragraph.\n", encoding="utf-8")
    document = load_document(path, max_bytes=1_000_000)
    assert "First paragraph of the notes." in document.text and "Second paragraph." in document.text


def test_a_quote_is_cited_with_the_page_it_stands_on(count_tokens, tmp_path: Path, corpus_dev: Path) -> None:  # type: ignore[no-untyped-def]
    """Real PDFs with page breaks: a chunk spanning two pages cites each quote's own page."""
    from assistant.index.catalog import Catalog
    from assistant.models import Citation

    document = load_document(corpus_dev / "lexden-montessori-nursery-safeguarding-policy.pdf", max_bytes=MAX)
    chunks = chunk_document(document, count_tokens)
    spanning = [c for c in chunks if c.pages]
    assert spanning, "the policy has passages that run over a page break"
    catalog = Catalog(tmp_path / "catalog.sqlite3")
    catalog.commit_document(document, chunks, mtime_ns=0)
    stored = catalog.chunks([c.chunk_id for c in spanning])
    checked = set()
    for chunk in spanning:
        assert stored[chunk.chunk_id].pages == chunk.pages  # kept by the catalogue
        assert "–" in (chunk.page_label or "")  # the passage as a whole spans pages
        for segment in document.segments:
            if segment.kind != "heading" and chunk.start <= segment.start and segment.end <= chunk.end:
                citation = Citation.from_chunk(1, stored[chunk.chunk_id], segment.start, segment.end)
                assert (citation.page, citation.page_label) == (segment.page, segment.page_label), segment
                checked.add(segment.page)
    assert len(checked) >= 2  # quotes from both sides of a page break


def _block_of(document: Document, needle: str) -> tuple[str, str]:
    segment = _segment_at(document, needle)
    return segment.kind, document.text[segment.start : segment.end]


def test_a_pdf_list_ends_where_a_short_item_is_followed_by_a_new_line_at_the_margin(corpus_dev: Path) -> None:
    document = load_document(corpus_dev / "lexden-montessori-nursery-safeguarding-policy.pdf", max_bytes=MAX)
    assert _block_of(document, "all his other legal rights") == ("list_item", "all his other legal rights")
    assert _block_of(document, "Lexden Montessori will:") == ("paragraph", "Lexden Montessori will:")


def test_a_numbered_list_starting_after_an_unpunctuated_paragraph_keeps_its_first_item(corpus_dev: Path) -> None:
    document = load_document(corpus_dev / "norwich-rfc-safeguarding-policy.pdf", max_bytes=MAX)
    kind, text = _block_of(document, "1. Norwich Rugby Football Club acknowledges")
    assert kind == "list_item" and text.startswith("1. Norwich Rugby Football Club acknowledges")
    assert _block_of(document, "at all levels")[1].startswith("We aim to help all players")


def test_a_line_ending_in_a_telephone_number_is_not_a_table_row(tmp_path: Path, count_tokens) -> None:  # type: ignore[no-untyped-def]
    """ "... on 01245 436744" has two groups of digits at its end, as a table row has two figures; it is
    a telephone number, so the list it belongs to stays one list, kept whole in one chunk."""
    from assistant.text.units import ends_with_phone, is_table_row

    assert ends_with_phone("the Children's Safeguarding Service on 01245 436744")
    assert ends_with_phone("Call The FA Safeguarding Team: 0800 169 1863") and ends_with_phone("+44 20 7946 0018")
    assert not ends_with_phone("Contacts received. 7410 6984") and is_table_row("Contacts received. 7410 6984")
    assert not is_table_row("the Children's Safeguarding Service on 01245 436744")

    lines = (
        "An allegation is made against a member of staff",
        "When the safeguarding officer is told of an allegation against a member of staff, they will:",
        "1. Refer it immediately to:",
        "    - the Children's Safeguarding Service on 01245 436744",
        "    - Ofsted",
        "2. Ask the manager to suspend the member of staff until the investigation is complete.",
        "3. Seek advice from the local authority designated officer.",
    )
    intro = " ".join(f"Sentence {n} says why the nursery keeps children safe at all times." for n in range(12))
    path = _text_pdf(tmp_path / "allegations.pdf", [(intro,), lines])
    document = load_document(path, max_bytes=MAX)
    kinds = {document.text[s.start : s.end]: s.kind for s in document.segments}
    assert kinds["the Children's Safeguarding Service on 01245 436744"] != "table_row"
    chunks = chunk_document(document, count_tokens, max_tokens=160, overlap_tokens=24)
    whole = [c for c in chunks if "Refer it immediately to:" in c.text and "Seek advice" in c.text]
    assert len(whole) == 1 and "01245 436744" in whole[0].text and "Ofsted" in whole[0].text, [c.text for c in chunks]


def test_a_markdown_paragraph_of_labelled_lines_keeps_one_label_per_line(tmp_path: Path) -> None:
    path = tmp_path / "preschool.md"
    path.write_text(
        "# Bluebell Pre-School policy\n\n## Key people\n\n"
        "Designated Safeguarding Lead (DSL): Mrs J Patel, Pre-School Manager\n"
        "Deputy DSL: Mr K Shah, Room Leader\n"
        "Chair of the Committee: Ms L Brown\n\n"
        "## Visitors\n\n"
        "All visitors must sign in at the office\nand wear a visitor badge.\n",
        encoding="utf-8",
    )
    document = load_document(path, max_bytes=MAX)
    texts = [document.text[s.start : s.end] for s in document.segments if s.kind == "paragraph"]
    assert texts == [
        "Designated Safeguarding Lead (DSL): Mrs J Patel, Pre-School Manager",
        "Deputy DSL: Mr K Shah, Room Leader",
        "Chair of the Committee: Ms L Brown",
        # a sentence broken over two lines is still one paragraph
        "All visitors must sign in at the office and wear a visitor badge.",
    ]


def test_a_numbered_heading_over_a_line_ending_in_a_phone_number_is_a_heading(tmp_path: Path) -> None:
    path = tmp_path / "rugby.txt"
    path.write_text(
        "ASHFORD RUGBY CLUB\nSAFEGUARDING CHILDREN POLICY\n\n1. Introduction\n"
        "Ashford Rugby Club is committed to providing a safe environment for all\n"
        "children who play rugby at the club. This policy applies to all players\nunder 18.\n\n"
        "2. Club Safeguarding Officer\n"
        "The Club Safeguarding Officer (CSO) is Tom Hughes (07700 900654,\n"
        "safeguarding@ashfordrugby.co.uk). The CSO reports to the RFU Safeguarding\nTeam.\n",
        encoding="utf-8",
    )
    document = load_document(path, max_bytes=MAX)
    headings = _headings(document)
    # the next line's telephone number is a contact, not a table's figures under a header row
    assert "2. Club Safeguarding Officer" in headings, headings


def test_headings_in_sentence_case_are_headings(tmp_path: Path) -> None:
    blocks = [
        "Procedures",
        "A visitor arrives",
        "When a visitor rings the bell, a member of staff checks who they are before opening the door.",
        "Visitors sign in and are accompanied at all times.",
        "A member of staff suspects abuse",
        "When a member of staff suspects that a child is being abused, they write down what they saw and "
        "pass the record to the Safeguarding Officer the same day.",
        "The board will work with the Adult",
        "Safeguarding Board on a joint training programme during the coming year.",
    ]
    path = _text_pdf(tmp_path / "nursery-procedures.pdf", [(block,) for block in blocks])
    document = load_document(path, max_bytes=MAX)
    headings = _headings(document)
    assert "A visitor arrives" in headings and "A member of staff suspects abuse" in headings, headings
    record = _segment_at(document, "When a member of staff suspects")
    assert record.section[-1] == "A member of staff suspects abuse"
    # a line of running text that ends a name broken over two lines is no heading
    assert not any("Adult" in h for h in headings), headings


def _two_page_policy(path: Path) -> Path:
    """A two-page school policy written with fpdf2: a running header on both pages, numbered headings
    in sentence case (one over bullet points), and who approved it before the date."""
    from fpdf import FPDF

    class Policy(FPDF):
        def header(self) -> None:
            self.set_font("Helvetica", size=8)
            self.cell(0, 5, "Oakwood Primary School - Child Protection Policy 2025-26", new_x="LMARGIN", new_y="NEXT")

    pdf = Policy()
    pdf.add_page()
    pdf.set_font("Helvetica", size=10)
    body = [
        "Approved by the governing board: September 2025. Next review: September 2026.",
        "5. If a child tells you about abuse",
        "- listen carefully and stay calm;",
        "- tell the DSL immediately.",
        "6. Female genital mutilation",
        "Teachers must report to the police cases where they discover that an act of FGM appears to have "
        "been carried out on a girl under 18.",
    ]
    for line in body:
        pdf.multi_cell(0, 5, line, new_x="LMARGIN", new_y="NEXT")
    pdf.add_page()
    pdf.multi_cell(0, 5, "7. Allegations against staff", new_x="LMARGIN", new_y="NEXT")
    for line in (
        "Any allegation against a member of staff is reported to the Headteacher straight away.",
        "The Headteacher contacts the LADO within one working day.",
        "Staff must not investigate allegations themselves.",
    ):
        pdf.multi_cell(0, 5, line, new_x="LMARGIN", new_y="NEXT")
    pdf.output(str(path))
    return path


def test_a_two_page_policy_loses_its_running_header_and_keeps_its_numbered_headings(tmp_path: Path) -> None:
    document = load_document(_two_page_policy(tmp_path / "oakwood-policy.pdf"), max_bytes=MAX)
    assert "Oakwood Primary School - Child Protection Policy" not in document.text  # on both pages: furniture
    headings = _headings(document)
    assert headings == [
        "5. If a child tells you about abuse",
        "6. Female genital mutilation",
        "7. Allegations against staff",
    ], headings
    assert _segment_at(document, "Any allegation against").section[-1] == "7. Allegations against staff"
    assert document.date == "2025-09"  # approved by the board, not the review date


@pytest.mark.parametrize(
    ("text", "date"),
    [
        ("Approved by the governing board: September 2025.", "2025-09"),
        ("Ratified by Governors on 12 March 2024", "2024-03-12"),
        ("Next review by the board: September 2026", ""),
    ],
)
def test_who_approved_a_document_may_come_between_the_label_and_the_date(text: str, date: str) -> None:
    from assistant.documents.metadata import describe

    assert describe("Policy", text).date == date


def test_a_word_title_takes_a_second_heading_only_when_the_sections_sit_below_it(tmp_path: Path) -> None:
    import docx

    doc = docx.Document()
    doc.core_properties.title = ""
    doc.add_heading("Riverton Continuum of Need", level=1)
    doc.add_heading("The four levels", level=2)
    doc.add_paragraph("Level 1 - Universal: needs are met by universal services.")
    doc.add_heading("Making a referral", level=2)
    doc.add_paragraph("Contact the Front Door.")
    path = tmp_path / "continuum.docx"
    doc.save(str(path))
    assert load_document(path, max_bytes=MAX).title == "Riverton Continuum of Need"  # "The four levels" is a section
