"""Area adjectives ("English" -> England, "Kurdish"), state/province/country abbreviations read by
the article's country focus ("WA", "SA", "La.", "T&T") and sea points, on the real gazetteer."""

from __future__ import annotations

import os

import pytest

from marsad.geo.gazetteer import Gazetteer, default_gazetteer
from marsad.mentions.places import find_places, resolve_spans
from marsad.model import Article, PlaceMention, Span
from marsad.text import make_document

pytestmark = pytest.mark.skipif(
    os.environ.get("MARSAD_SKIP_FULL_GAZETTEER") == "1", reason="full build disabled"
)


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return default_gazetteer()


def given(text: str, surface: str, gaz: Gazetteer) -> PlaceMention | None:
    start = text.index(surface)
    (m,) = resolve_spans(make_document(Article(text=text)), [Span(start, start + len(surface), surface)], gaz)
    return m


def found(text: str, gaz: Gazetteer) -> dict[str, PlaceMention]:
    return {m.span.text: m for m in find_places(make_document(Article(text=text)), gaz)}


@pytest.mark.parametrize(
    ("text", "surface", "name", "country"),
    [
        ("Crowds gathered in the English market town of Ludlow on Saturday.", "English", "England", "GB"),
        ("A Scottish fishing crew was rescued off the coast.", "Scottish", "Scotland", "GB"),
        ("Kurdish fighters held the ridge after two days of shelling.", "Kurdish", "Kurdish region", ""),
        ("The Sicilian harbour was closed by the storm.", "Sicilian", "Sicily", "IT"),
        ("Two Tamil parties walked out of the assembly in Chennai.", "Tamil", "Tamil Nadu", "IN"),
        ("Ministers met to discuss Arab unity and the war.", "Arab", "Arab world", ""),
    ],
)
def test_area_adjective_stands_for_the_area(
    gaz: Gazetteer, text: str, surface: str, name: str, country: str
) -> None:
    m = given(text, surface, gaz)
    assert m is not None and m.place is not None
    assert (m.place.name, m.place.country_code) == (name, country)
    assert m.kind == "demonym" and m.geo_precision == 3


def test_area_adjective_keeps_the_country_demonym_for_actors(gaz: Gazetteer) -> None:
    # actors still read "English" as a British nationality; only place resolution uses England
    assert gaz.demonyms["english"] == "GB"
    m = found("English supporters clashed with police outside the stadium.", gaz)["English"]
    assert m.place is not None and m.place.name == "England"


def test_a_region_without_a_country_votes_for_none(gaz: Gazetteer) -> None:
    # "Kurdish" must not pull a Syrian story towards Iraq (Iraqi Kurdistan)
    ms = found("Kurdish fighters and Syrian troops clashed near Manbij, Syria.", gaz)
    assert ms["Kurdish"].place is not None and ms["Kurdish"].place.country_code == ""
    assert ms["Manbij"].place is not None and ms["Manbij"].place.country_code == "SY"


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Bushfires spread across WA as Perth sweltered, Australian officials said.", "Western Australia"),
        ("Protesters marched in Seattle and Spokane, WA, against the new tax.", "Washington"),
    ],
)
def test_ambiguous_state_code_follows_the_article_country(gaz: Gazetteer, text: str, name: str) -> None:
    m = given(text, "WA", gaz)
    assert m is not None and m.place is not None and m.place.name == name


def test_sa_is_south_africa_in_a_south_african_story(gaz: Gazetteer) -> None:
    text = "South African unions say mining towns in SA still lack clean water, Johannesburg officials said."
    m = given(text, "SA", gaz)
    assert m is not None and m.place is not None and m.place.country_code == "ZA"
    assert m.kind == "country"


def test_country_short_form_given_span(gaz: Gazetteer) -> None:
    m = given("The minister said T&T would send aid to Dominica.", "T&T", gaz)
    assert m is not None and m.place is not None and m.place.country_code == "TT"


def test_dateline_abbreviation_is_recognised_after_a_town(gaz: Gazetteer) -> None:
    ms = found("A levee failed near Lafayette, La., on Monday and Louisiana troopers closed the road.", gaz)
    assert ms["La."].place is not None and ms["La."].place.name == "Louisiana"
    assert ms["La."].kind == "admin1"


def test_short_codes_need_a_place_before_them(gaz: Gazetteer) -> None:
    ms = found(
        "Police in Portland, OR said the fire at the Texas warehouse was set. CALL NOW OR LOSE OUT.", gaz
    )
    ors = [m for m in find_places(make_document(Article(text="CALL NOW OR LOSE OUT, Texas fans.")), gaz)]
    assert ms["OR"].place is not None and ms["OR"].place.name == "Oregon"
    assert all(m.span.text != "OR" for m in ors)


def test_longer_codes_need_the_article_country(gaz: Gazetteer) -> None:
    au = found("Floods cut roads in NSW and Queensland, Australian police said.", gaz)
    assert au["NSW"].place is not None and au["NSW"].place.name == "New South Wales"
    # no Australian context: the code is not taken as a place
    other = found("The NSW index rose while traders in London and Paris waited.", gaz)
    assert "NSW" not in other


def test_seas_use_geonames_points(gaz: Gazetteer) -> None:
    m = given("Boats crossed the Mediterranean overnight.", "Mediterranean", gaz)
    assert m is not None and m.place is not None
    assert (round(m.place.lat), round(m.place.lon)) == (35, 20)


def test_admin_word_after_a_first_level_area_given_span(gaz: Gazetteer) -> None:
    text = "Farmers blocked a highway in Oaxaca State, Mexico, on Tuesday."
    m = given(text, "Oaxaca State", gaz)
    assert m is not None and m.place is not None
    assert (m.place.name, m.place.country_code, m.kind) == ("Oaxaca", "MX", "admin1")


def test_natural_feature_has_its_own_point(gaz: Gazetteer) -> None:
    m = given("Cotton yields fell across the Nile Delta this year, Egyptian farmers said.", "Nile Delta", gaz)
    assert m is not None and m.place is not None
    assert m.place.country_code == "EG" and m.place.name == "Nile Delta"
    north = given("Wind farms in Northern Europe produced a record share.", "Northern Europe", gaz)
    assert north is not None and north.place is not None and north.place.name == "Northern Europe"


def test_compass_part_of_a_country_stands_for_the_country(gaz: Gazetteer) -> None:
    m = given("Hiring rose fastest in the Western US, where Denver and Boise grew.", "Western US", gaz)
    assert m is not None and m.place is not None
    assert m.place.country_code == "US" and m.place.feature_code == "PCLI" and m.geo_precision == 3


def test_institution_opened_by_an_area_adjective_stands_for_the_area(gaz: Gazetteer) -> None:
    m = given("The Scottish Parliament debated the ferry contract.", "Scottish Parliament", gaz)
    assert m is not None and m.place is not None and m.place.name == "Scotland"


def test_own_country_code_in_running_prose(gaz: Gazetteer) -> None:
    # "SA" alone, no town before it: news in South Africa writes it for the country
    text = (
        "South African miners marched in Rustenburg. Platinum output in SA fell, Johannesburg analysts said."
    )
    m = found(text, gaz)["SA"]
    assert m.place is not None and m.place.country_code == "ZA"
