"""Retrieval over many documents: naming a document, and no document crowding out the rest."""

from __future__ import annotations

from assistant.models import DocumentRecord
from assistant.retrieval import diversify, document_names, named_documents


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
    names = document_names(DOCUMENTS)
    assert named_documents("Who's the safeguarding lead at Lexden Montessori?", names) == {"b"}
    assert named_documents("What does Hanworth Villa's policy say about photos?", names) == {"c"}
    assert named_documents("Who's the lead at the montessori nursery?", names) == set()
    assert named_documents("What is a multi-agency strategy discussion?", names) == set()
    assert named_documents("Do Lexden and Hanworth Villa name the same person?", names) == {"b", "c"}


def test_one_long_document_does_not_take_every_place() -> None:
    order = [f"a{i}" for i in range(10)] + ["b0", "c0", "c1"]
    scores = {cid: 1.0 - 0.01 * n for n, cid in enumerate(order)}
    owner = {cid: cid[0] for cid in order}
    chosen = diversify(order, scores, owner, 6, ratio=0.6)
    assert "b0" in chosen and "c0" in chosen and len(chosen) == 6
    assert chosen == sorted(chosen, key=lambda c: -scores[c])  # still in score order
    weak = {**scores, "b0": 0.1, "c0": 0.05, "c1": 0.04}
    assert diversify(order, weak, owner, 6, ratio=0.6) == order[:6]  # far weaker documents earn no place
