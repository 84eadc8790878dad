"""Place recognition and resolution over the tiny fixture gazetteer, plus event-location choice."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from marsad.geo.event_location import choose_event_location, event_place
from marsad.geo.gazetteer import Gazetteer, gazetteer_from_places
from marsad.mentions.places import find_places, resolve_spans
from marsad.model import Article, Place, PlaceMention, Span
from marsad.text import make_document

FIXTURES = Path(__file__).parent / "fixtures" / "geo"


def fixture_places() -> tuple[list[Place], dict[int, list[str]]]:
    raw = json.loads((FIXTURES / "places.json").read_text(encoding="utf-8"))
    return [Place(**p) for p in raw["places"]], {int(k): v for k, v in raw["alternates"].items()}


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    places, alts = fixture_places()
    return gazetteer_from_places(places, alts)


def places_in(text: str, gaz: Gazetteer) -> list[PlaceMention]:
    return find_places(make_document(Article(text=text)), gaz)


def by_text(ms: list[PlaceMention]) -> dict[str, PlaceMention]:
    return {m.span.text: m for m in ms}


def test_spans_point_into_the_text(gaz: Gazetteer) -> None:
    text = "Shelling hit Saraqib on Monday."
    (m,) = places_in(text, gaz)
    assert text[m.span.start : m.span.end] == "Saraqib" == m.span.text
    assert m.place.geonameid == 163270 and m.kind == "toponym" and m.geo_precision == 1


def test_demonym_country_and_admin1_kinds(gaz: Gazetteer) -> None:
    ms = by_text(places_in("Syrian troops advanced in Idlib province, far from Afghanistan.", gaz))
    assert ms["Syrian"].kind == "demonym" and ms["Syrian"].place.country_code == "SY"
    assert ms["Syrian"].geo_precision == 3
    assert ms["Idlib"].kind == "admin1" and ms["Idlib"].place.feature_code == "ADM1"
    assert ms["Idlib"].geo_precision == 3
    assert ms["Afghanistan"].kind == "country" and ms["Afghanistan"].place.country == "Afghanistan"


def test_transliteration_variants_resolve(gaz: Gazetteer) -> None:
    ms = by_text(places_in("Jets struck Saraqeb and Maarat al-Numan in Syria.", gaz))
    assert ms["Saraqeb"].place.name == "Saraqib"
    assert ms["Maarat al-Numan"].place.geonameid == 166365


def test_near_and_countryside_give_precision_two(gaz: Gazetteer) -> None:
    ms = by_text(places_in("Clashes erupted near Tal Rifaat. Shells fell in the Saraqib countryside.", gaz))
    assert ms["Tal Rifaat"].place.name == "Tall Rif'at" and ms["Tal Rifaat"].geo_precision == 2
    assert ms["Saraqib"].geo_precision == 2


def test_admin_named_nearby_disambiguates(gaz: Gazetteer) -> None:
    a = by_text(places_in("A drone hit the village of Tell Aswad, Idlib, in Syria.", gaz))
    assert a["Tell Aswad"].place.geonameid == 900001
    b = by_text(places_in("A drone hit Tell Aswad in Aleppo province in Syria.", gaz))
    assert b["Tell Aswad"].place.geonameid == 900002


def test_country_focus_picks_namesake(gaz: Gazetteer) -> None:
    fr = by_text(places_in("French police said protesters marched in Paris.", gaz))
    assert fr["Paris"].place.country_code == "FR"
    us = by_text(places_in("A tornado hit Paris, Texas, on Sunday.", gaz))
    assert us["Paris"].place.country_code == "US" and us["Paris"].place.admin1 == "Texas"


def test_common_words_and_person_names_are_not_places(gaz: Gazetteer) -> None:
    ms = places_in("Police said John Kelly met Kelly supporters.", gaz)
    assert [m.span.text for m in ms] == []


def test_title_before_name_is_a_person(gaz: Gazetteer) -> None:
    ms = places_in("President Kabul visited Jalalabad in Afghanistan.", gaz)
    assert "Kabul" not in {m.span.text for m in ms}
    assert "Jalalabad" in {m.span.text for m in ms}


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "\u200b\u202e\ufeff",
        "ÆØÅ 🙂 ☃ 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 Saraqib\x00",
        "al- el- Al Al-",
        "U.S." * 50,
        "A" * 10000,
    ],
)
def test_bad_input_never_crashes(gaz: Gazetteer, text: str) -> None:
    ms = places_in(text, gaz)
    for m in ms:
        assert text[m.span.start : m.span.end] == m.span.text


def test_document_without_text_gives_nothing(gaz: Gazetteer) -> None:
    class Broken:
        article = None

    assert find_places(Broken(), gaz) == []  # type: ignore[arg-type]


def test_resolve_given_spans(gaz: Gazetteer) -> None:
    text = "Fighting near Idlib and in Jalalabad; Syrian and Afghan officials spoke. Xyzzy too."
    doc = make_document(Article(text=text))

    def span(word: str) -> Span:
        i = text.index(word)
        return Span(i, i + len(word), word)

    out = resolve_spans(
        doc, [span("Idlib"), span("Jalalabad"), span("Afghan"), span("Xyzzy"), Span(500, 510, "")], gaz
    )
    assert out[0].place.country_code == "SY"
    assert out[1].place.geonameid == 1138336
    assert out[2].place.country_code == "AF" and out[2].kind == "demonym"
    assert out[3] is None and out[4] is None


def test_event_location_prefers_locative_in_trigger_sentence(gaz: Gazetteer) -> None:
    text = "Speaking in Kabul, the governor said a bomb exploded in Jalalabad, killing five."
    doc = make_document(Article(text=text))
    ms = find_places(doc, gaz)
    i = text.index("exploded")
    loc = choose_event_location(doc, ms, Span(i, i + 8, "exploded"))
    assert loc is not None and loc.span.text == "Jalalabad"


def test_event_location_skips_capital_as_government(gaz: Gazetteer) -> None:
    text = "Damascus accused rebels of shelling Saraqib on Friday."
    doc = make_document(Article(text=text))
    i = text.index("shelling")
    loc = choose_event_location(doc, find_places(doc, gaz), Span(i, i + 8, "shelling"))
    assert loc is not None and loc.span.text == "Saraqib"
    assert choose_event_location(doc, [], None) is None


def test_unknown_village_in_context_is_kept_unresolved(gaz: Gazetteer) -> None:
    text = "Gunmen stormed the village of Umm Khalifa and later reached Qaryat Zor village near Saraqib."
    ms = by_text(places_in(text, gaz))
    assert ms["Umm Khalifa"].place is None and ms["Umm Khalifa"].rule.startswith("context")
    assert ms["Qaryat Zor"].place is None
    assert ms["Saraqib"].place is not None and ms["Saraqib"].geo_precision == 2


def test_event_place_falls_back_to_the_qualifying_area(gaz: Gazetteer) -> None:
    text = "On 3 May, rebels shelled the village of Umm Khalifa (Idlib) in Syria."
    doc = make_document(Article(text=text))
    i = text.index("shelled")
    trig = Span(i, i + 7, "shelled")
    ms = find_places(doc, gaz)
    assert choose_event_location(doc, ms, trig).span.text == "Umm Khalifa"
    located = event_place(doc, ms, trig)
    assert located is not None and located.span.text == "Umm Khalifa"
    assert located.place.admin1 == "Idleb" and located.geo_precision >= 2


def test_modifier_suffix_and_possessive_spans(gaz: Gazetteer) -> None:
    ms = places_in("Syria's army and French-backed units met near Idlib.", gaz)
    spans = {m.span.text for m in ms}
    assert "Syria" in spans and "Idlib" in spans
    assert all(not s.endswith(("'s", "-backed")) for s in spans)
