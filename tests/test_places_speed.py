"""The geo matcher's speed-ups must find exactly what the plain patterns find."""

from __future__ import annotations

import pytest

from marsad.mentions import places as P

TOKEN_TEXTS = [
    "",
    "Aleppo",
    "Fighting near Saraqib, in Idlib province.",
    "The U.S.Army said al-Bab and Ma'arrat an-Nu'man fell.",
    "U.S. officials met in Deir ez-Zor; the U.N.Security Council met.",
    "  Jisr al-Shughur's  hospital",
    "rebels in ar-Raqqa and um-Qasr; Évian, São Paulo — Kyiv’s mayor",
    "al-Bab-Tadef road, 'Homs' and “Hama”",
    "x1Aleppo _Homs éHama Ḥoms",
]


@pytest.mark.parametrize("text", TOKEN_TEXTS)
def test_token_spans_match_the_plain_pattern(text: str) -> None:
    expected = [m.span() for m in P._token_re().finditer(text)]
    assert P._token_spans(text) == expected


def test_token_spans_find_a_token_glued_to_an_acronym() -> None:
    text = "U.S.Army"
    assert [text[s:e] for s, e in P._token_spans(text)] == ["U.S.", "Army"]


WINDOWS = [
    "fighting broke out in the ",
    "clashes on the outskirts of the ",
    "troops stormed the two villages of ",
    "near the small town of ",
    "the village of ",
    "(near ",
    "Near\n",
    "he said in",
    "remained in   the   ",
    "",
]


@pytest.mark.parametrize("window", WINDOWS)
def test_cue_search_from_the_last_words_agrees_with_a_full_search(window: str) -> None:
    lex = P.lexicon()
    near, settlement, locative = P._cue_words()
    for rx, words in (
        (lex.near_before, near),
        (lex.settlement_before, settlement),
        (lex.locative_before, locative),
    ):
        assert P._ends_with(rx, window, words) == bool(rx.search(window))


def test_cue_search_still_sees_the_cues() -> None:
    lex = P.lexicon()
    near, settlement, locative = P._cue_words()
    assert P._ends_with(lex.locative_before, "fighting broke out in the ", locative)
    assert P._ends_with(lex.settlement_before, "the village of ", settlement)
    assert P._ends_with(lex.near_before, "on the outskirts of the town of ", near)
    assert not P._ends_with(lex.locative_before, "he said that ", locative)


@pytest.mark.parametrize(
    ("text", "word", "found"),
    [
        ("the scheme was new", "scheme", True),
        ("schemes and subschemes", "scheme", False),
        ("a re-scheme, scheme's", "scheme", False),
        ("scheme", "scheme", True),
        ("(scheme)", "scheme", True),
        ("scheme_x scheme1", "scheme", False),
    ],
)
def test_has_word_agrees_with_a_bounded_search(text: str, word: str, found: bool) -> None:
    import re

    assert P._has_word(text, word) is found
    assert (re.search(rf"(?<![\w'’-]){re.escape(word)}(?![\w'’-])", text) is not None) is found


def test_gazetteer_name_tables_are_not_walked_by_the_garbage_collector() -> None:
    import gc

    from marsad.geo.build import SEP
    from marsad.geo.gazetteer import _SortedKeys

    keys = _SortedKeys(SEP.join(["aleppo", "homs", "idlib"]))
    gc.collect()
    assert not gc.is_tracked(keys._keys)
    assert keys.get("homs") == 1 and keys.get("hama") is None
