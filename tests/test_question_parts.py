"""Several-part questions are split so that each part finds its own evidence."""

from __future__ import annotations

from assistant.answering.question import split_question, standalone_part
from assistant.models import Turn


def test_two_questions_joined_by_and_are_split_and_share_the_year() -> None:
    parts = split_question("How many LADO cases and how many child deaths were there in 2014-15?")
    assert parts == ["How many LADO cases in 2014-15?", "how many child deaths were there in 2014-15?"]


def test_a_single_question_is_left_whole() -> None:
    assert split_question("What counts as private fostering?") == ["What counts as private fostering?"]
    # "what share?" names nothing of its own: the question stays whole
    whole = "Who is the biggest source of referrals into MASH, and what share?"
    assert split_question(whole) == [whole]


def test_a_later_part_takes_the_earlier_as_context_only_when_it_refers_back() -> None:
    earlier = [Turn("What does CRAM stand for?", "Child Risk Assessment Matrix")]
    query, _, _ = standalone_part("what is it used for?", earlier)
    assert "CRAM" in query
    assert standalone_part("how many LAC were there?", earlier)[0] == "how many LAC were there?"


def test_a_part_that_points_back_asks_again_of_the_same_thing() -> None:
    # "how often after that?" names nothing of its own but asks a second value of the first part's subject
    parts = split_question("When's the first review conference due, and how often after that?")
    assert parts == ["When's the first review conference due?", "how often after that?"]
    earlier = [Turn(parts[0], "The first review conference is held within three months.")]
    query, _, _ = standalone_part(parts[1], earlier)
    assert "review conference" in query.lower()


def test_a_day_of_the_week_is_not_a_name_the_documents_must_mention() -> None:
    from assistant.answering.question import profile_question

    profile = profile_question("It's Saturday night and I can't reach the Welfare Officer at Hanworth. Who do I call?")
    assert "saturday" not in profile.names
    assert "hanworth" in profile.names


def test_a_document_kind_after_a_name_or_possessive_refers_to_the_document() -> None:
    from assistant.answering.question import profile_question

    def generic(question: str) -> dict[str, bool]:
        return {g.word: g.generic for g in profile_question(question).groups}

    # "the Lexden policy", "the club's procedures", "our guidance": which document, not the topic
    assert generic("What kinds of abuse does the Lexden policy recognise?")["policy"]
    assert generic("Does the club's procedures cover online messaging?")["procedures"]
    assert generic("What does our guidance say about bruising?")["guidance"]
    assert generic("What does the Westbrook threshold guidance say about attendance?")["guidance"]
    # a policy the question asks about is the topic
    assert not generic("Is there a whistleblowing policy?")["policy"]
    assert not generic("What is the procedure for referrals?")["procedure"]


def test_who_holds_two_roles_is_asked_of_each_role() -> None:
    assert split_question("Who are the Setting Manager and the Safeguarding Officer at Lexden?") == [
        "Who is the Setting Manager at Lexden?",
        "Who is the Safeguarding Officer at Lexden?",
    ]
    assert split_question("Who are the DSL and the deputy?") == ["Who is the DSL?", "Who is the deputy?"]
    # one question about two bodies, not two roles
    whole = "Who are the police and the council responsible to?"
    assert split_question(whole) == [whole]
