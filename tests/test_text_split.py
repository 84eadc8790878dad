"""Sentence boundaries of marsad.text.split_sentences (invented sentences)."""

from marsad.text import split_sentences


def _texts(text: str) -> list[str]:
    return [s.text for s in split_sentences(text)]


def test_stop_then_capital_splits_and_offsets_index_the_text() -> None:
    text = "Shelling hit the town. Two people died!  Was it a drone? Nobody knows."
    sents = split_sentences(text)
    assert [s.text for s in sents] == [
        "Shelling hit the town.",
        "Two people died!",
        "Was it a drone?",
        "Nobody knows.",
    ]
    assert all(text[s.start : s.end] == s.text for s in sents)
    assert [s.index for s in sents] == [0, 1, 2, 3]


def test_closing_quotes_stay_with_their_sentence() -> None:
    assert _texts('He said "we left." Then the road closed.') == [
        'He said "we left."',
        "Then the road closed.",
    ]
    assert _texts("It ended (at dawn.) Troops moved in.") == ["It ended (at dawn.)", "Troops moved in."]


def test_abbreviations_initials_and_lower_case_do_not_split() -> None:
    assert _texts("Gen. Adams met U.S. envoys in St. Louis on Monday.") == [
        "Gen. Adams met U.S. envoys in St. Louis on Monday."
    ]
    assert _texts("J. Smith arrived. it was late.") == ["J. Smith arrived. it was late."]


def test_newlines_split_paragraphs_and_headlines() -> None:
    assert _texts("Headline here\nBody starts. More text.\n\n  Next paragraph") == [
        "Headline here",
        "Body starts.",
        "More text.",
        "Next paragraph",
    ]
    assert _texts("one line\n continued") == ["one line\n continued"]
