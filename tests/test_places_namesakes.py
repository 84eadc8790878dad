"""Choosing among namesakes: capitals, prominent cities abroad, states and their towns, qualifiers,
lists, by-names and spelling variants (invented sentences over a small invented gazetteer)."""

from __future__ import annotations

from collections import Counter

import pytest

from marsad.geo.gazetteer import Gazetteer, gazetteer_from_places
from marsad.mentions.places import _Cand, _foreign_variant, find_places, resolve_spans
from marsad.model import Article, PlaceMention, Span
from marsad.text import make_document
from place_factory import place as _pl


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    us, gb = "US", "GB"
    places = [
        _pl(1, "United States", 39.8, -98.5, us, "", "PCLI", 327_000_000),
        _pl(2, "United Kingdom", 54.8, -2.7, gb, "", "PCLI", 66_000_000),
        _pl(3, "Russia", 60.0, 100.0, "RU", "", "PCLI", 144_000_000),
        _pl(4, "Georgia", 42.0, 43.5, "GE", "", "PCLI", 3_700_000),
        _pl(10, "Washington", 38.9, -77.04, us, "District of Columbia", "PPLC", 690_000),
        _pl(11, "Washington", 47.5, -120.5, us, "Washington", "ADM1", 7_600_000),
        _pl(12, "Tacoma", 47.25, -122.44, us, "Washington", "PPL", 210_000),
        _pl(13, "Washington", 54.9, -1.52, gb, "England", "PPL", 67_000),
        _pl(14, "California", 37.0, -120.0, us, "California", "ADM1", 39_000_000),
        _pl(15, "Boston", 42.36, -71.06, us, "Massachusetts", "PPL", 650_000),
        _pl(16, "Boston", 42.63, -78.74, us, "New York", "PPL", 8_000),
        _pl(17, "New York City", 40.71, -74.0, us, "New York", "PPL", 8_800_000),
        _pl(18, "New York", 43.0, -75.5, us, "New York", "ADM1", 19_000_000),
        _pl(19, "Montana", 47.0, -109.8, us, "Montana", "ADM1", 1_000_000),
        _pl(20, "Montana City", 46.54, -111.93, us, "Montana", "PPL", 2_700),
        _pl(21, "Helena", 46.59, -112.04, us, "Montana", "PPL", 32_000),
        _pl(22, "Manchester", 53.48, -2.24, gb, "England", "PPL", 570_000),
        _pl(23, "Manchester", 42.99, -71.45, us, "New Hampshire", "PPL", 110_000),
        _pl(24, "New Hampshire", 43.7, -71.6, us, "New Hampshire", "ADM1", 1_300_000),
        _pl(25, "Houston", 29.76, -95.36, us, "Texas", "PPL", 2_300_000),
        _pl(26, "Georgia", 32.75, -83.5, us, "Georgia", "ADM1", 10_000_000),
        _pl(27, "Atlanta", 33.75, -84.39, us, "Georgia", "PPL", 500_000),
        _pl(28, "Tbilisi", 41.69, 44.83, "GE", "Tbilisi", "PPLC", 1_100_000),
        _pl(29, "Texas", 31.0, -99.0, us, "Texas", "ADM1", 29_000_000),
        _pl(30, "Parkland", 26.31, -80.24, us, "Florida", "PPL", 30_000),
        _pl(31, "Parkland", 47.16, -122.43, us, "Washington", "PPL", 36_000),
        _pl(32, "Florida", 28.0, -82.0, us, "Florida", "ADM1", 21_000_000),
        _pl(33, "Enfield", 41.98, -72.59, us, "Connecticut", "PPL", 45_000),
        _pl(34, "Liverpool", 53.41, -2.98, gb, "England", "PPL", 500_000),
        _pl(35, "Moscow", 55.75, 37.62, "RU", "Moscow", "PPLC", 12_000_000),
        _pl(36, "Portland", 45.52, -122.68, us, "Oregon", "PPL", 650_000),
        _pl(37, "Portland", 27.88, -97.32, us, "Texas", "PPL", 16_000),
    ]
    return gazetteer_from_places(places, {17: ["New York"], 20: ["Montana"]})


def places_in(text: str, gaz: Gazetteer) -> dict[str, PlaceMention]:
    return {m.span.text: m for m in find_places(make_document(Article(text=text)), gaz)}


def given(text: str, name: str, gaz: Gazetteer) -> PlaceMention | None:
    at = text.index(name)
    (m,) = resolve_spans(make_document(Article(text=text)), [Span(at, at + len(name), name)], gaz)
    return m


def test_the_capital_is_the_usual_referent_when_its_country_is_in_the_story(gaz: Gazetteer) -> None:
    text = (
        "Russia expelled British diplomats. In Washington, United States officials said they would respond."
    )
    assert places_in(text, gaz)["Washington"].place.geonameid == 10


def test_a_town_qualified_by_a_state_makes_the_qualifier_that_state(gaz: Gazetteer) -> None:
    ms = places_in("A bakery in Tacoma, Washington opened on Monday.", gaz)
    assert ms["Tacoma"].place.geonameid == 12
    assert ms["Washington"].place.geonameid == 11 and ms["Washington"].kind == "admin1"


def test_a_name_listed_with_a_state_is_that_state(gaz: Gazetteer) -> None:
    ms = places_in("Tech firms moved from states such as California or Washington last year.", gaz)
    assert ms["Washington"].place.geonameid == 11


def test_a_state_in_a_list_of_towns_does_not_qualify_its_neighbour(gaz: Gazetteer) -> None:
    ms = places_in("After stops in Houston, New York and Boston, the prince flew home.", gaz)
    assert ms["Boston"].place.geonameid == 15


def test_a_comma_qualifier_still_picks_the_small_namesake(gaz: Gazetteer) -> None:
    assert places_in("The fair was held in Boston, New York on Friday.", gaz)["Boston"].place.geonameid == 16


def test_a_state_is_not_a_small_town_that_has_its_name_as_a_by_name(gaz: Gazetteer) -> None:
    ms = places_in("Officials in Helena said Montana would pay more for the prison.", gaz)
    assert ms["Montana"].place.geonameid == 19


def test_a_city_known_worldwide_beats_a_lone_namesake_in_the_focus_country(gaz: Gazetteer) -> None:
    # a lone namesake: nothing else in the story lies near Manchester, New Hampshire
    text = "A British soldier who served with United States forces was born in Manchester."
    assert places_in(text, gaz)["Manchester"].place.geonameid == 22


def test_the_state_named_in_the_story_keeps_the_small_namesake(gaz: Gazetteer) -> None:
    text = "New Hampshire police said a man from Manchester was arrested on Sunday."
    assert places_in(text, gaz)["Manchester"].place.geonameid == 23


def test_a_state_named_far_off_is_weak_evidence_for_a_small_namesake(gaz: Gazetteer) -> None:
    text = (
        "The Houston Rockets beat Portland 96-94 on Sunday night at home. The coach said the team had "
        "played its best game of the season so far. Fans across Texas celebrated."
    )
    assert places_in(text, gaz)["Portland"].place.geonameid == 36


def test_a_country_named_like_a_state_of_the_story_country_is_the_state(gaz: Gazetteer) -> None:
    ms = places_in("Atlanta police said the Georgia governor visited Texas.", gaz)
    assert ms["Georgia"].place.geonameid == 26 and ms["Georgia"].kind == "admin1"
    ms = places_in("Russian troops left Georgia after talks in Tbilisi.", gaz)
    assert ms["Georgia"].place.geonameid == 4


def test_a_repeated_name_follows_its_clearest_mention(gaz: Gazetteer) -> None:
    # Washington (the state) is named too, far from the later mentions: alone they are close calls
    text = (
        "Students from Parkland, Florida marched on Saturday. Months later the Parkland teens met "
        "lawmakers, and the Parkland survivors spoke again. The organisers said that the next rally, "
        "planned for the spring after a long break, would take the students to Washington."
    )
    doc = make_document(Article(text=text))
    spans = [Span(i, i + 8, "Parkland") for i in range(len(text)) if text.startswith("Parkland", i)]
    ms = resolve_spans(doc, spans, gaz)
    assert len(ms) == 3 and all(m is not None and m.place.geonameid == 30 for m in ms)


def test_a_spelling_variant_abroad_is_not_trusted(gaz: Gazetteer) -> None:
    enfield = next(i for i, _ in gaz.ids("enfield"))
    # "Anfield" known only through the spelling key of Enfield, Connecticut
    c = _Cand(0, 7, "anfield", [enfield], variant=True, choice=enfield)
    assert _foreign_variant(c, gaz, Counter({"GB": 4.0, "US": 1.0}))
    assert not _foreign_variant(c, gaz, Counter({"US": 4.0}))
    exact = _Cand(0, 7, "enfield", [enfield], choice=enfield)
    assert not _foreign_variant(exact, gaz, Counter({"GB": 4.0}))
