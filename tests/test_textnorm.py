"""Text folding (numbers, per cent, year spans), fact matching, terms and sentence spans.

Pure functions: no model, no index.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assistant.text.normalise import contains_fact, fold, query_terms, text_terms, years
from assistant.text.sentences import sentence_spans

# --------------------------------------------------------------------------------------
# fold / contains_fact


@pytest.mark.parametrize(
    ("haystack", "fact"),
    [
        ("The conference was held within 15 days of the strategy discussion.", "fifteen day"),
        ("held within the required fifteen day timeline", "15 days"),
        ("for a period of 28 days or more", "twenty-eight days"),
        ("for a period of twenty-eight days or more", "28 days"),
        ("an increase of 52% on the previous year", "52 per cent"),
        ("an increase of 52 per cent on the previous year", "52%"),
        ("Fifty-two percent of referrals", "52%"),
        ("During 2014-15 the Board met six times.", "2014/15"),
        ("During 2014 to 2015 the Board met six times.", "2014/15"),
        ("During 2014/2015 the Board met six times.", "2014/15"),
        ("During 2014/15 the Board met six times.", "2014-15"),
        ("There were 998 contacts from the police.", "nine hundred and ninety-eight"),
        ("There were nine hundred and ninety-eight contacts.", "998"),
        ("The total budget was £167,465.30 for the year.", "£167,465.30"),
        ("CONTACTS RECEIVED 7410", "contacts received 7410"),
    ],
)
def test_contains_fact_matches_equivalent_forms(haystack: str, fact: str) -> None:
    assert contains_fact(haystack, fact), (fold(haystack), fold(fact))


@pytest.mark.parametrize(
    ("haystack", "fact"),
    [
        ("for a period of 27 days or more", "twenty-eight days"),
        ("held within the required fifteen day timeline", "16 days"),
        ("an increase of 53% on the previous year", "52 per cent"),
        ("During 2013-14 the Board met six times.", "2014/15"),
        ("There were 997 contacts from the police.", "nine hundred and ninety-eight"),
        ("The total budget was £167,465.31 for the year.", "£167,465.30"),
        ("The total budget was £167,465 for the year.", "£167,465.30"),
        ("Contacts received 7410", "contacts received 6984"),
    ],
)
def test_contains_fact_rejects_a_different_number(haystack: str, fact: str) -> None:
    assert not contains_fact(haystack, fact), (fold(haystack), fold(fact))


def test_contains_fact_needs_the_words_in_order() -> None:
    assert contains_fact("the local authority must be notified", "authority must be notified")
    assert not contains_fact("the local authority must be notified", "must authority be notified")


def test_fold_canonical_forms() -> None:
    assert fold("Twenty-Eight Days") == "28 days"
    assert fold("52 per cent") == "52%"
    assert fold("2014 to 2015") == "2014-15"
    assert fold("14/15") == "2014-15"
    assert fold("£1,234,567") == "£1234567"
    # Two numbers that are not consecutive years stay as they are (a date, a ratio).
    assert fold("12/03") == "12/03"


def test_one_as_a_pronoun_is_not_the_number_one() -> None:
    # "one of our under-12s", "no one": a person, not a figure a passage must state
    assert "1" not in text_terms("I'm worried about one of our under-12s")
    assert "1" not in text_terms("No one told the designated safeguarding lead")
    assert "1" not in text_terms("the one who made the referral")
    assert "1" not in text_terms("a little one tells you something")
    # the number stays a number
    assert "1" in text_terms("within one working day")
    assert "1" in text_terms("at least one of the following")


def test_a_plural_number_is_the_number() -> None:
    # "under-12s" is about 12, not about 12 and a letter "s"
    assert {"12"} <= set(text_terms("our under-12s"))
    assert "s" not in text_terms("our under-12s")


def test_years_lists_financial_year_spans() -> None:
    assert years(fold("Compared with 2013/14, in 2014 to 2015 contacts fell.")) == {"2013-14", "2014-15"}
    assert years(fold("No year here.")) == set()


# --------------------------------------------------------------------------------------
# terms


def test_mash_question_and_spelled_out_passage_share_a_term() -> None:
    question = query_terms("What does the MASH do?")
    passage = text_terms("Multi Agency Safeguarding Hub")
    assert "mash" in question
    assert "mash" in passage
    assert set(question) & set(passage) >= {"mash"}


def test_the_words_of_a_spelled_out_abbreviation_are_met_by_it() -> None:
    from assistant.text.normalise import spelled_out

    # "children in care" and "looked after children" are the same children: LAC, CLA or CiC
    found = spelled_out("How many children in care were there at the end of the year?")
    assert found["care"] >= {"lac", "cic"} and found["children"] >= {"lac", "cic"}
    assert "year" not in found
    assert spelled_out("How many referrals were there?") == {}


def test_a_question_spelling_out_an_abbreviation_meets_a_sentence_using_it(
    tmp_path: Path, embedder: Any, make_settings: Any
) -> None:
    from corpora import ingested, one_document  # type: ignore[import-not-found]

    text = (
        "# Annual figures\n\n## Children looked after\n\n"
        "The end of year statistics showed that there were 240 LAC, an increase of 26 per cent.\n\n"
        "## Child protection\n\n"
        "There were 214 children on a plan at the end of March, compared with 124 a year earlier.\n"
    )
    assistant = ingested(one_document(tmp_path, "figures.md", text), embedder, make_settings)
    answer = assistant.ask("How many children in care were there at the end of the year?")
    assert not answer.abstained and "240" in answer.citations[0].quote, answer.answer


@pytest.mark.parametrize(
    ("asked", "written"),
    [
        # a practitioner's word and the documents' word for the same thing
        ("worry", "concerns"),
        ("worried", "concerned"),
        ("bruise", "injury"),
        ("crawling", "non-mobile"),
        ("notice", "notify"),
        ("max", "maximum"),
        ("kinds", "forms"),
        ("type", "category"),
        ("breaks", "breached"),
        ("rules", "procedures"),
        ("photos", "photographs"),
        ("WhatsApp", "online communications"),
        ("sacked", "dismissal"),
        # a child telling someone is a disclosure
        ("she has just told me", "when abuse is disclosed"),
        ("if a little one tells you", "responding to a disclosure"),
        # a platform's name is social media
        ("Can coaches follow players on Instagram?", "personal social media accounts"),
        ("messaging on Snapchat", "online communications"),
        ("about a colleague", "against a member of staff"),
        ("who isn't picked up", "not collected on time"),
        ("she was accused", "an allegation against her"),
    ],
)
def test_everyday_words_find_the_documents_words(asked: str, written: str) -> None:
    assert set(query_terms(asked)) & set(text_terms(written))


def test_query_terms_drop_question_and_stop_words() -> None:
    terms = query_terms("What does the LADO do?", synonyms=False)
    assert "what" not in terms
    assert "the" not in terms
    assert "lado" in terms


def test_text_terms_are_stemmed_and_number_folded() -> None:
    terms = text_terms("Children were visited within twenty-eight days.")
    assert "28" in terms
    assert "day" in terms  # "days" stemmed
    assert "visit" in terms  # "visited" stemmed
    assert "were" not in terms  # a stop word


# --------------------------------------------------------------------------------------
# sentence_spans


def _sentences(text: str) -> list[str]:
    return [text[a:b] for a, b in sentence_spans(text)]


def test_sentence_spans_keep_e_g_and_decimals_inside_a_sentence() -> None:
    text = (
        "Staff should act quickly, e.g. by calling the MASH. The rate rose to 3.5 per cent. "
        "Then it fell. Mr. Smith agreed."
    )
    assert _sentences(text) == [
        "Staff should act quickly, e.g. by calling the MASH.",
        "The rate rose to 3.5 per cent.",
        "Then it fell.",
        "Mr. Smith agreed.",
    ]


def test_sentence_spans_end_at_line_breaks_and_handle_questions() -> None:
    text = "Private fostering\nIs it notifiable? Yes, within 28 days! Always.\n\n  Indented line  "
    assert _sentences(text) == [
        "Private fostering",
        "Is it notifiable?",
        "Yes, within 28 days!",
        "Always.",
        "Indented line",
    ]


def test_a_list_items_number_opens_its_sentence() -> None:
    # PDF text keeps "1." at the start of a numbered step: the number is the item's, not a sentence
    text = "he will:\n1. Refer it immediately to:\nOfsted\n2. Seek advice. Then record it.\niv. Close the file.\n2014. A year."
    assert _sentences(text) == [
        "he will:",
        "1. Refer it immediately to:",
        "Ofsted",
        "2. Seek advice.",
        "Then record it.",
        "iv. Close the file.",
        "2014.",
        "A year.",
    ]


def test_sentence_spans_respect_start_and_end() -> None:
    text = "First one. Second one. Third one."
    start = text.index("Second")
    assert [text[a:b] for a, b in sentence_spans(text, start, len(text))] == ["Second one.", "Third one."]
    assert [text[a:b] for a, b in sentence_spans(text, 0, start)] == ["First one."]


_ALPHABET = st.sampled_from([*"aAbZ19 .!?\n\t\"'()[]£%e.g.i.e.Mr", "\u00a0", "“", "”", "’", "\u2028"])
_TEXT = st.one_of(st.text(_ALPHABET, max_size=200), st.text(max_size=200))


@settings(max_examples=300, deadline=None)
@given(_TEXT, st.data())
def test_sentence_spans_are_trimmed_non_overlapping_slices(text: str, data: st.DataObject) -> None:
    start = data.draw(st.integers(0, len(text)), label="start")
    end = data.draw(st.integers(start, len(text)), label="end")
    for lo, hi in ((0, len(text)), (start, end)):
        spans = sentence_spans(text, lo, hi)
        previous_end = lo
        for a, b in spans:
            assert lo <= a < b <= hi
            assert a >= previous_end, spans  # in order, no overlap
            piece = text[a:b]
            assert piece.strip() == piece and piece
            assert "\n" not in piece
            previous_end = b
        # nothing but white space is left out
        covered = set()
        for a, b in spans:
            covered.update(range(a, b))
        assert all(text[i].isspace() for i in range(lo, hi) if i not in covered)


def test_references_asked_for_in_recruitment_are_not_a_referral() -> None:
    # the stemmer gives "references" and "refer" one stem; the vocabulary keeps references apart
    assert not set(query_terms("what references are needed?")) & set(text_terms("a referral to children's social care"))
    assert set(query_terms("when do I refer to the LADO?")) & set(text_terms("a referral to the LADO"))


@pytest.mark.parametrize(
    ("question", "word"),
    [
        ("A dad turns up drunk to collect his son", "alcohol"),
        ("one of the under 9s has vanished", "missing"),
        ("how often do coaches redo their DBS check?", "renewed"),
        ("can a coach drive my son home?", "transporting"),
        ("older boys keep mocking her in the team chat", "bullying"),
        ("is it ok for a coach to DM my son on Instagram?", "messages"),
        ("will the club post photos of my son in his trunks?", "swimwear"),
        ("can a student on placement change my daughter's nappy?", "intimate"),
        ("my mum is picking up my son on friday instead of me", "collection"),
        ("her stepdad hits her", "harm"),
        ("will I get in trouble if I raise a concern?", "reprisal"),
        ("what checks are done before a new staff member starts?", "team"),
        ("how should staff react if a little one tells them something?", "reaction"),
        ("how should staff react if a little one tells them something?", "child"),
        ("someone is buzzing at the door", "intercom"),
        ("can I drive one of the cast home?", "young people"),
    ],
)
def test_a_parent_s_everyday_words_meet_the_policy_s(question: str, word: str) -> None:
    assert text_terms(word)[0] in query_terms(question)


def test_told_is_a_form_of_tell() -> None:
    assert "tell" in text_terms("a child told me") and "tell" in text_terms("if a child tells you")
