"""The report's own qualifiers correct the place chosen for an event (invented places)."""

from __future__ import annotations

import pytest

from marsad.coding.place_fill import (
    clear_home,
    country_to_area,
    home_stand_in,
    same_name_resolved,
    stated_area,
)
from marsad.geo.gazetteer import Gazetteer, gazetteer_from_places
from marsad.model import Place, PlaceMention, Span

NORTH = Place(9001, "Northmark", 40.0, 30.0, "TR", "Turkey", "Northmark", "", "A", "ADM1", 900000)
SOUTH = Place(9002, "Southmark", 37.0, 33.0, "TR", "Turkey", "Southmark", "", "A", "ADM1", 700000)
DALTON_N = Place(9101, "Dalton", 40.1, 30.1, "TR", "Turkey", "Northmark", "", "P", "PPL", 5000)
DALTON_S = Place(9102, "Dalton", 37.1, 33.1, "TR", "Turkey", "Southmark", "", "P", "PPL", 800)
BRIGG = Place(9103, "Brigg", 37.2, 33.2, "TR", "Turkey", "Southmark", "", "P", "PPL", 2000)
KESSEL = Place(9104, "Kessel", 40.2, 30.2, "TR", "Turkey", "Northmark", "", "P", "PPL", 1500)
TEPE_N = Place(9106, "Tepe", 40.4, 30.4, "TR", "Turkey", "Northmark", "", "P", "PPL", 900)
TEPE_S = Place(9107, "Tepe", 37.3, 33.3, "TR", "Turkey", "Southmark", "", "P", "PPL", 700)
# a city that shares its name with the province around it but is an area of its own
SOUTHMARK_CITY = Place(
    9108, "Southmark", 37.4, 33.4, "TR", "Turkey", "Southmark City", "", "P", "PPLC", 2000000
)
FARAWAY = Place(9201, "Molder", 55.0, 50.0, "RU", "Russia", "Eastland", "", "P", "PPL", 3000)
TURKEY = Place(9300, "Turkey", 39.0, 35.0, "TR", "Turkey", "", "", "A", "PCLI", 80000000)


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return gazetteer_from_places(
        [NORTH, SOUTH, DALTON_N, DALTON_S, BRIGG, KESSEL, TEPE_N, TEPE_S, SOUTHMARK_CITY, FARAWAY, TURKEY]
    )


def mention(
    text: str, name: str, place: Place | None, kind: str = "toponym", rule: str = "gazetteer", nth: int = 0
):
    start = -1
    for _ in range(nth + 1):
        start = text.index(name, start + 1)
    return PlaceMention(Span(start, start + len(name), name), place, kind, 1, 1.0, rule)


def test_stated_area_picks_the_namesake_inside_it(gaz: Gazetteer) -> None:
    text = "Protesters gathered in Dalton, Southmark, on Monday."
    chosen = mention(text, "Dalton", DALTON_N)
    area = mention(text, "Southmark", SOUTH, kind="admin1")
    out = stated_area(chosen, [chosen, area], text, gaz, "TR")
    assert out.place is not None and out.place.geonameid == DALTON_S.geonameid


def test_stated_area_in_parentheses_after_a_district(gaz: Gazetteer) -> None:
    text = "Gunmen attacked Dalton village (Brigg district, Southmark)."
    chosen = mention(text, "Dalton", DALTON_N)
    area = mention(text, "Southmark", SOUTH, kind="admin1")
    out = stated_area(chosen, [chosen, area], text, gaz, "TR")
    assert out.place is not None and out.place.admin1 == "Southmark"


def test_a_city_named_as_qualifier_stands_for_its_province(gaz: Gazetteer) -> None:
    text = "Residents of Tepe (Southmark) banged pots in protest."
    chosen = mention(text, "Tepe", TEPE_N)
    qualifier = mention(text, "Southmark", SOUTHMARK_CITY)
    out = stated_area(chosen, [chosen, qualifier], text, gaz, "TR")
    assert out.place is not None and out.place.geonameid == TEPE_S.geonameid


def test_an_area_read_inside_a_longer_name_is_no_qualifier(gaz: Gazetteer) -> None:
    text = "Police raided a farm in Dalton, Southmark do Sul, on Monday."
    chosen = mention(text, "Dalton", DALTON_N)
    area = mention(text, "Southmark", SOUTH, kind="admin1")
    assert stated_area(chosen, [chosen, area], text, gaz, "TR") is chosen


def test_a_list_of_areas_is_no_qualifier(gaz: Gazetteer) -> None:
    text = "Clashes in Dalton, Southmark and Northmark left two dead."
    chosen = mention(text, "Dalton", DALTON_N)
    area = mention(text, "Southmark", SOUTH, kind="admin1")
    assert stated_area(chosen, [chosen, area], text, gaz, "TR") is chosen


def test_stated_area_without_a_namesake_moves_a_far_town_to_the_area(gaz: Gazetteer) -> None:
    text = "Police detained Kessel, Southmark residents."
    chosen = mention(text, "Kessel", KESSEL)
    area = mention(text, "Southmark", SOUTH, kind="admin1")
    out = stated_area(chosen, [chosen, area], text, gaz, "TR")
    assert out.place is not None
    assert (out.place.admin1, out.place.name, out.place.lat) == ("Southmark", "Kessel", SOUTH.lat)
    assert out.geo_precision == 2


def test_a_city_keeps_its_own_area_when_a_report_slips(gaz: Gazetteer) -> None:
    city = Place(9105, "Portvale", 40.3, 30.3, "TR", "Turkey", "Northmark", "", "P", "PPLA", 450000)
    text = "Traders protested in Portvale, Southmark, on Friday."
    chosen = mention(text, "Portvale", city)
    area = mention(text, "Southmark", SOUTH, kind="admin1")
    assert stated_area(chosen, [chosen, area], text, gaz, "TR") is chosen


def test_an_area_of_another_country_is_no_qualifier(gaz: Gazetteer) -> None:
    text = "Police detained Molder, Southmark residents."
    chosen = mention(text, "Molder", FARAWAY)
    area = mention(text, "Southmark", SOUTH, kind="admin1")
    assert stated_area(chosen, [chosen, area], text, gaz, "TR") is chosen


def test_country_gives_way_to_its_area_named_in_the_frame(gaz: Gazetteer) -> None:
    text = "Forces of Turkey shelled a village in Southmark."
    chosen = mention(text, "Turkey", TURKEY, kind="country")
    area = mention(text, "Southmark", SOUTH, kind="admin1")
    out = country_to_area(chosen, [chosen, area], gaz)
    assert out.place is not None and out.place.admin1 == "Southmark" and out.kind == "admin1"


def test_an_open_name_found_in_the_area_the_text_names(gaz: Gazetteer) -> None:
    # the qualifier was read as a town of another area; the gazetteer has Brigg in the one named
    text = "Residents of Brigg (Southmark) blocked a road."
    stand_in = mention(text, "Brigg", DALTON_N, rule="unresolved->gazetteer")
    out = same_name_resolved(stand_in, [stand_in], text, gaz)
    assert out.place is not None and out.place.geonameid == BRIGG.geonameid and out.geo_precision == 1


def test_an_open_name_stays_open_when_its_area_is_not_named(gaz: Gazetteer) -> None:
    text = "Residents of Brigg (Northmark) blocked a road."
    stand_in = mention(text, "Brigg", NORTH, kind="admin1", rule="unresolved->gazetteer")
    assert same_name_resolved(stand_in, [stand_in], text, gaz) is stand_in


def test_an_open_name_resolved_at_another_mention(gaz: Gazetteer) -> None:
    text = "Detainees from Dalton said they were beaten in Dalton."
    stand_in = mention(text, "Dalton", FARAWAY, rule="unresolved->gazetteer")
    other = mention(text, "Dalton", DALTON_S, nth=1)
    out = same_name_resolved(stand_in, [stand_in, other], text, gaz, "TR")
    assert out.place == DALTON_S and out.span == stand_in.span


def test_the_rejected_reading_of_the_same_mention_is_not_taken_back(gaz: Gazetteer) -> None:
    text = "Gunmen shot a man in Brigg, in the Dalton quarter."
    namesake = mention(text, "Dalton", DALTON_N)
    stand_in = mention(text, "Dalton", BRIGG, rule="unresolved->gazetteer")
    assert same_name_resolved(stand_in, [namesake, stand_in], text, gaz, "TR") is stand_in


def test_a_stand_in_abroad_gives_way_to_a_home_place() -> None:
    text = "In Brigg, Dalton, rioters threw Molder bombs at a shop in Colonia Verde."
    open_name = mention(text, "Colonia Verde", None, rule="context:locative")
    stand_in = mention(text, "Colonia Verde", FARAWAY, rule="unresolved->gazetteer")
    places = [
        mention(text, "Brigg", BRIGG),
        mention(text, "Dalton", DALTON_S),
        mention(text, "Molder", FARAWAY),
    ]
    out = home_stand_in(stand_in, [*places, open_name], text, "TR")
    assert out.place is not None and out.place.country_code == "TR" and out.place.name == "Dalton"


def test_a_stand_in_abroad_stays_when_the_countries_tie() -> None:
    text = "In Brigg, rioters threw Molder bombs at a shop in Colonia Verde."
    stand_in = mention(text, "Colonia Verde", FARAWAY, rule="unresolved->gazetteer")
    places = [mention(text, "Brigg", BRIGG), mention(text, "Molder", FARAWAY)]
    assert home_stand_in(stand_in, places, text, "TR") is stand_in


def test_the_home_country_must_lead_clearly() -> None:
    text = "Protesters against the US dollar rate gathered in Brigg, Turkey, and Dalton."
    us = Place(9400, "United States", 39.8, -98.5, "US", "United States", "", "", "A", "PCLI", 1)
    tied = [mention(text, "US", us, kind="country"), mention(text, "Brigg", BRIGG)]
    assert clear_home("US", tied) == ""
    assert clear_home("TR", [*tied, mention(text, "Turkey", TURKEY, kind="country")]) == "TR"
    # a country's name alone ("US dollar") makes no home
    assert clear_home("US", [*tied, mention(text, "US", us, kind="country", nth=0)]) == ""
    assert clear_home("TR", [*tied, mention(text, "Dalton", None)]) == "TR"
