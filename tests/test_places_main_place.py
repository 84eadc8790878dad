"""The article's main place and the fallbacks that lean on it: which town a venue the gazetteer
lacks is placed at, far foreign namesakes, namesakes in one country picked by their neighbours,
and buildings named for a foreign country (invented sentences over a small invented gazetteer)."""

from __future__ import annotations

import pytest

from marsad.geo.gazetteer import Gazetteer, gazetteer_from_places
from marsad.mentions.places import find_places, resolve_spans
from marsad.model import Article, PlaceMention, Span
from marsad.text import make_document
from place_factory import place as _pl


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    us, gb, eg, jo = "US", "GB", "EG", "JO"
    places = [
        _pl(1, "United States", 39.8, -98.5, us, "", "PCLI", 327_000_000),
        _pl(2, "United Kingdom", 54.8, -2.7, gb, "", "PCLI", 66_000_000),
        _pl(3, "Egypt", 26.0, 30.0, eg, "", "PCLI", 98_000_000),
        _pl(4, "Jordan", 31.0, 36.0, jo, "", "PCLI", 10_000_000),
        _pl(5, "Japan", 36.0, 138.0, "JP", "", "PCLI", 126_000_000),
        _pl(6, "France", 46.0, 2.0, "FR", "", "PCLI", 67_000_000),
        _pl(7, "Paris", 48.86, 2.35, "FR", "Ile-de-France", "PPLC", 2_100_000),
        # a suburb story: two towns close together, and a small British town it names twice
        _pl(10, "Fairbridge", 38.75, -77.47, us, "Virginia", "PPL", 70_000),
        _pl(11, "Oakton", 38.88, -77.30, us, "Virginia", "PPL", 35_000),
        _pl(12, "Kelworth", 51.41, -0.13, gb, "England", "PPL", 16_000),
        _pl(13, "Virginia", 37.5, -78.8, us, "Virginia", "ADM1", 8_500_000),
        # a story set in an Egyptian city and a Jordanian village that shares a new suburb's name
        _pl(20, "Port Amal", 30.06, 31.25, eg, "Amal", "PPLC", 9_600_000),
        _pl(21, "New Amal", 30.03, 31.47, eg, "Amal", "PPL", 310_000),
        _pl(22, "Zahra", 32.32, 36.09, jo, "Mafraq", "PPL", 10_000),
        # one county name in two states; a town with a by-name of the small one's name
        _pl(30, "Kings County", 42.36, -71.06, us, "Massachusetts", "ADM2", 1_700_000),
        _pl(31, "Kings County", 40.87, -73.04, us, "New York", "ADM2", 1_500_000),
        _pl(32, "Easthold", 41.06, -72.43, us, "New York", "PPL", 5_700),
        _pl(33, "Riverton", 41.68, -86.25, us, "Indiana", "PPL", 101_000),
        _pl(34, "Kings", 36.73, -76.58, us, "Virginia", "PPL", 88_000),
        _pl(35, "Washington", 38.9, -77.04, us, "District of Columbia", "PPLC", 690_000),
        _pl(36, "London", 51.5, -0.13, gb, "England", "PPLC", 8_900_000),
        _pl(37, "Amman", 31.95, 35.93, jo, "Amman", "PPLC", 4_000_000),
        # a small American town named in passing in a British story
        _pl(40, "Fresnel", 36.7, -119.8, us, "California", "PPL", 40_000),
    ]
    return gazetteer_from_places(places, {33: ["Easthold"], 30: ["Kings"], 31: ["Kings"]})


def given(text: str, name: str, gaz: Gazetteer) -> PlaceMention | None:
    at = text.index(name)
    (m,) = resolve_spans(make_document(Article(text=text)), [Span(at, at + len(name), name)], gaz)
    return m


SUBURB = (
    "Homes in Fairbridge, Virginia come in two plans, the Kelworth and the larger Kelworth. "
    "Oakton is a short drive away, and children attend Pinecrest Elementary. The United States "
    "housing market is strong."
)


def test_a_venue_falls_back_to_the_town_of_the_article_s_country_not_a_model_name(gaz: Gazetteer) -> None:
    m = given(SUBURB, "Pinecrest Elementary", gaz)
    assert m is not None and m.place.geonameid in (10, 11, 13) and m.geo_precision == 2


AMAL = (
    "In Port Amal, Egypt, boys train at new academies. The academy opened branches in Zahra "
    "and New Amal, and Egyptian parents are queuing for places in Port Amal."
)


def test_a_small_namesake_far_abroad_yields_to_the_main_place(gaz: Gazetteer) -> None:
    m = given(AMAL, "Zahra", gaz)
    assert m is not None and m.place.geonameid == 20 and m.rule == "given:article_place"


def test_a_namesake_abroad_stays_when_its_country_is_named(gaz: Gazetteer) -> None:
    text = AMAL + " Many came from Zahra, Jordan, to play."
    at = text.rindex("Zahra")
    (m,) = resolve_spans(make_document(Article(text=text)), [Span(at, at + 5, "Zahra")], gaz)
    assert m is not None and m.place.geonameid == 22


def test_a_school_named_for_a_foreign_country_stands_in_the_article_s_town(gaz: Gazetteer) -> None:
    m = given(
        AMAL + " Training is held at the French International School.", "French International School", gaz
    )
    assert m is not None and m.place.geonameid == 20


def test_a_town_named_in_passing_abroad_is_no_main_place(gaz: Gazetteer) -> None:
    text = (
        "British farmers welcomed the news. The United Kingdom will export beef to Japan again, "
        "Britain said, after talks at Harwood Hall. A trader in Fresnel said little."
    )
    m = given(text, "Harwood Hall", gaz)
    assert m is not None and m.place.country_code == "GB"


def test_namesakes_in_one_country_follow_the_article_s_other_places(gaz: Gazetteer) -> None:
    text = (
        "Kings County detectives found remains under a home in the town of Easthold, "
        "the Kings Times reported."
    )
    at = text.index("Kings County")
    at2 = text.index("Easthold")
    spans = [Span(at, at + 12, "Kings County"), Span(at2, at2 + 8, "Easthold")]
    county, town = resolve_spans(make_document(Article(text=text)), spans, gaz)
    assert town is not None and town.place.geonameid == 32
    assert county is not None and county.place.geonameid == 31


def test_end_to_end_the_same_coherence_picks_the_county(gaz: Gazetteer) -> None:
    text = "Kings County detectives searched a home in the town of Easthold, the Kings Times said."
    ms = {m.span.text: m for m in find_places(make_document(Article(text=text)), gaz)}
    assert ms["Kings County"].place.geonameid == 31


def test_a_pair_of_names_before_streets_are_streets_in_the_main_place(gaz: Gazetteer) -> None:
    text = (
        "Homes in Fairbridge, Virginia sell fast. Oakton buyers like the corner of Elm and Kelworth "
        "streets, and Fairbridge agents agree."
    )
    m = given(text, "Kelworth", gaz)
    assert m is not None and m.place.country_code == "US"
    # one name before "streets" is that town's streets: it keeps its reading
    assert given("Crowds filled Kelworth streets in England.", "Kelworth", gaz).place.geonameid == 12


def test_a_namesake_abroad_listed_with_places_abroad_stays(gaz: Gazetteer) -> None:
    text = AMAL + " The coach has made trips to Zahra, Paris and Washington."
    at = text.rindex("Zahra")
    (m,) = resolve_spans(make_document(Article(text=text)), [Span(at, at + 5, "Zahra")], gaz)
    assert m is not None and m.place.geonameid == 22
