"""Retrieval over many documents: naming a document, and no document crowding out the rest."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from corpora import answered, documents, ingested  # type: ignore[import-not-found]

from assistant.models import DocumentRecord
from assistant.retrieval import DocumentNames, diversify, document_names, without_mentions


def _record(doc_id: str, file_name: str, title: str) -> DocumentRecord:
    return DocumentRecord(doc_id, f"/corpus/{file_name}", file_name, title, "text", 1, 0, None, 1, "")


DOCUMENTS = [
    _record("a", "havering-lscb-annual-report-2014-15.txt", "Havering LSCB Annual Report 2014-15"),
    _record("b", "lexden-montessori-nursery-safeguarding-policy.pdf", "Lexden Montessori Nursery Safeguarding Policy"),
    _record("c", "hanworth-villa-fc-safeguarding-policy.md", "Safeguarding Policy"),
    _record("d", "westbrook-levels-of-need.md", "Westbrook Partnership: Levels of Need"),
    _record("e", "westbrook-procedures.md", "Westbrook Partnership: Multi-Agency Procedures"),
]


def test_distinctive_words_name_one_document() -> None:
    names = document_names(DOCUMENTS)
    assert {"havering"} <= names["a"] and "lscb" not in names["a"]  # an abbreviation names a kind of body
    assert {"lexden", "montessori"} <= names["b"]
    assert {"hanworth", "villa"} <= names["c"]
    assert "westbrook" not in names["d"] | names["e"]  # shared by two documents: names neither
    assert not names["a"] & {"safeguarding", "policy", "annual", "report"}


def test_a_question_names_a_document_only_with_a_capital() -> None:
    names = DocumentNames(DOCUMENTS)
    assert names.named("Who's the safeguarding lead at Lexden Montessori?") == {"b"}
    assert names.named("What does Hanworth Villa's policy say about photos?") == {"c"}
    assert names.named("Who's the lead at the montessori nursery?") == set()
    assert names.named("What is a multi-agency strategy discussion?") == set()
    assert names.named("Do Lexden and Hanworth Villa name the same person?") == {"b", "c"}


def test_a_document_s_initials_name_it_when_written_as_initials() -> None:
    names = DocumentNames(DOCUMENTS)
    assert names.named("Who deals with safeguarding at HVFC?") == {"c"}  # Hanworth Villa FC: "FC" is initials
    assert names.named("Who is the lead at LMN?") == {"b"}  # Lexden Montessori Nursery
    assert names.named("What does Hvfc say?") == set()  # a word that happens to spell them is not
    assert names.named("What does the LSCB do?") == set()  # the glossary's abbreviation, not initials


def test_one_long_document_does_not_take_every_place() -> None:
    order = [f"a{i}" for i in range(10)] + ["b0", "c0", "c1"]
    scores = {cid: 1.0 - 0.01 * n for n, cid in enumerate(order)}
    owner = {cid: cid[0] for cid in order}
    chosen = diversify(order, scores, owner, 6, ratio=0.6)
    assert "b0" in chosen and "c0" in chosen and len(chosen) == 6
    assert chosen == sorted(chosen, key=lambda c: -scores[c])  # still in score order
    weak = {**scores, "b0": 0.1, "c0": 0.05, "c1": 0.04}
    assert diversify(order, weak, owner, 6, ratio=0.6) == order[:6]  # far weaker documents earn no place


def test_a_name_several_documents_share_names_those_its_next_words_describe() -> None:
    names = DocumentNames(DOCUMENTS)
    both = {"d", "e"}
    assert names.named("What does Westbrook say about early help?") == both
    assert names.named("What do the Westbrook procedures say about strategy discussions?") == {"e"}
    assert names.named("Does the Westbrook levels of need guidance mention neglect?") == {"d"}
    # a generic word written with a capital names nothing, however many titles carry it
    assert names.named("Who do I tell in Children's Social Care, under the Partnership Policy?") == set()


def test_each_document_a_question_compares_is_a_mention_of_its_own() -> None:
    names = DocumentNames(DOCUMENTS)
    mentions = names.mentions("Do Lexden and Hanworth Villa's policies name the same person?")
    assert [(m.words, m.doc_ids) for m in mentions] == [
        (("Lexden",), frozenset({"b"})),
        (("Hanworth", "Villa's"), frozenset({"c"})),
    ]
    question = "Do Lexden and Hanworth Villa's policies name the same person?"
    assert without_mentions(question, mentions[1:]) == "Do Lexden and policies name the same person?"
    assert without_mentions(question, mentions[:1]) == "Do and Hanworth Villa's policies name the same person?"
    # the same document named twice is one mention
    assert len(names.mentions("Lexden's policy: who is Lexden's safeguarding officer?")) == 1


CHILDMINDER = """# Safeguarding policy

I am a registered childminder. This policy sets out how I keep children safe.

## Early help

If a family needs extra support but the child is not at risk of significant harm, I will talk to the parents about an Early Help Assessment, with their consent.

## Records

Safeguarding records are kept in a locked cabinet until the child is 25 years old.
"""

REPORT = """# Annual report 2024-25

## Early help

The number of early help assessments completed in 2024-25 was 396, an increase on the year before.
Schools completed more early help assessments than any other agency, and the partnership suggests that health visitors should complete more of them.
"""


@pytest.mark.slow
def test_the_kind_of_setting_a_document_is_named_for_steers_to_it(
    tmp_path: Path, embedder: Any, make_settings: Any
) -> None:
    corpus = documents(
        tmp_path,
        {
            "ries-lane-childminder-safeguarding-policy.md": CHILDMINDER,
            "northshire-partnership-annual-report-2024-25.md": REPORT,
        },
    )
    assistant = ingested(corpus, embedder, make_settings)
    # "the childminder": the policy's file name says whose it is; the report's sentences say "suggests"
    answer = answered(assistant, "When would the childminder suggest an Early Help Assessment?")
    assert answer.citations[0].document == "ries-lane-childminder-safeguarding-policy.md", answer.answer


SWIM_CLUB = """# Safeguarding policy

Kingsmere Dolphins Swimming Club is committed to keeping every swimmer safe at training, galas and club events.

## Concerns

Record what was said using the swimmer's own words, with the date and time, and pass it to the Welfare Officer the same day.
Safeguarding records are passed to the county welfare officer when a swimmer moves to another swimming club.

## Poolside

Coaches must not send private messages to any swimmer under 18.
"""

NURSERY = """# Safeguarding policy

## Records

Safeguarding records are kept until the child reaches the age of 25, and then securely shredded.
"""


@pytest.mark.slow
def test_the_kind_of_setting_meant_is_not_answered_from_another_setting_s_policy(
    tmp_path: Path, embedder: Any, make_settings: Any
) -> None:
    corpus = documents(
        tmp_path,
        {
            "kingsmere-dolphins-swimming-club-policy.md": SWIM_CLUB,
            "bramblewood-nursery-safeguarding-policy.md": NURSERY,
        },
    )
    assistant = ingested(corpus, embedder, make_settings)
    # the swimming club's policy does not say how long it keeps records; the nursery's rule is not its rule,
    # and the refusal says the nearest rule is about something else (not that it may be the answer)
    refused = assistant.ask("How long does the swimming club keep safeguarding records for?")
    assert refused.abstained
    assert "seems to be about something else" in refused.answer, refused.answer
    answer = answered(assistant, "How long does the nursery keep safeguarding records for?")
    assert answer.citations[0].document == "bramblewood-nursery-safeguarding-policy.md", answer.answer
