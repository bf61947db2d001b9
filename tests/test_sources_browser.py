"""In Chromium against the running app: who published each source and when, in the answer's sources
and the Documents tab; two documents that differ shown side by side; a described situation answered
with the documents' conditions beside what it states; a yes/no question answered first; a neighbouring
fact disclosed as not the answer."""

from __future__ import annotations

from pathlib import Path

import pytest
from corpora import fostering_guidance, two_procedures  # type: ignore[import-not-found]
from webapp import ask, chromium, open_documents_tab, open_page, run_app  # type: ignore[import-not-found]

pytestmark = [pytest.mark.slow, pytest.mark.browser]

QUESTION = "When must the initial child protection conference be held?"


def test_sources_name_their_publisher_and_date_and_differing_documents_are_both_shown(tmp_path: Path) -> None:
    with run_app(tmp_path, corpus_dir=two_procedures(tmp_path)) as app, chromium() as browser:
        page = open_page(browser, app.url)
        answer = ask(page, QUESTION)
        text = answer.inner_text()
        assert "The documents differ on this" in text
        assert "15 working days" in text and "10 working days" in text
        summaries = " ".join(answer.locator("details.sa-cite summary").all_inner_texts())
        assert "Anytown Safeguarding Partnership, Child protection procedures, March 2024" in summaries
        assert "Brookfield Borough Council, Child protection procedures, 2022" in summaries
        assert page.locator("#sa-notice").is_visible()  # the 999 / local procedures notice stays

        open_documents_tab(page)
        table = page.locator("#sa-documents").inner_text()
        assert "Anytown Safeguarding Partnership" in table and "March 2024" in table
        assert "procedures" in table


def test_a_described_situation_is_answered_with_each_condition_beside_it(tmp_path: Path) -> None:
    with run_app(tmp_path, corpus_dir=fostering_guidance(tmp_path)) as app, chromium() as browser:
        page = open_page(browser, app.url)
        answer = ask(
            page, "A 15-year-old has been staying with a family friend for five weeks. Could that be private fostering?"
        )
        text = answer.inner_text()
        assert "The documents' conditions, beside what your question says" in text
        assert "28 days or more (your question: 5 weeks, about 35 days) [1]" in text
        assert "(your question: 15) [1]" in text
        quotes = " ".join(answer.locator("details.sa-cite").all_text_contents())
        assert "for 28 days or more" in quotes  # the criterion is quoted, verbatim, as source [1]
        assert page.locator("#sa-notice").is_visible()  # the 999 / local procedures notice stays


PROCEDURES = (
    "# Procedures\n\n## Conferences\n\n"
    "The initial child protection conference must be held within 15 working days of the strategy discussion.\n\n"
    "## Records\n\nRecords are stored securely in a locked cabinet.\n"
)


def test_the_answer_comes_first_and_a_neighbouring_fact_is_never_given_as_the_answer(tmp_path: Path) -> None:
    corpus = tmp_path / "procedures"
    corpus.mkdir()
    (corpus / "procedures.md").write_text(PROCEDURES, encoding="utf-8")
    with run_app(tmp_path, corpus_dir=corpus) as app, chromium() as browser:
        page = open_page(browser, app.url)
        lead = ask(page, "The initial child protection conference must be held within 5 working days, mustn't it?")
        text = lead.inner_text()
        first = text.split("[1]")[0]
        assert "No, the documents give a different figure:" in first and "15 working days" in first

        refused = ask(page, "How long must child protection records be kept?")
        text = refused.inner_text()
        assert "The documents provided do not answer this question." in text
        assert "The nearest time limit they state seems to be about something else, so it is not given" in text
        assert page.locator("#sa-notice").is_visible()
