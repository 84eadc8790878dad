"""The article's evident country against namesakes abroad: by-names and respellings, qualifiers
abroad, common words, currencies and single-country missions (invented sentences and towns)."""

from __future__ import annotations

import pytest

from marsad.coding.place_fill import country_of_cues
from marsad.geo.gazetteer import Gazetteer, gazetteer_from_places
from marsad.mentions.places import find_places
from marsad.model import Article, PlaceMention
from marsad.text import make_document
from place_factory import place as _pl


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    places = [
        _pl(1, "Syria", 35.0, 38.0, "SY", "", "PCLI", 17_000_000),
        _pl(2, "Turkey", 39.0, 35.0, "TR", "", "PCLI", 82_000_000),
        _pl(3, "Libya", 27.0, 17.0, "LY", "", "PCLI", 6_700_000),
        _pl(4, "Algeria", 28.0, 3.0, "DZ", "", "PCLI", 42_000_000),
        _pl(5, "Afghanistan", 33.0, 66.0, "AF", "", "PCLI", 37_000_000),
        _pl(6, "India", 22.0, 79.0, "IN", "", "PCLI", 1_350_000_000),
        _pl(7, "Russia", 60.0, 100.0, "RU", "", "PCLI", 144_000_000),
        _pl(8, "Ukraine", 49.0, 32.0, "UA", "", "PCLI", 44_000_000),
        _pl(9, "United States", 39.8, -98.5, "US", "", "PCLI", 327_000_000),
        _pl(10, "Lebanon", 33.8, 35.8, "LB", "", "PCLI", 6_800_000),
        # a governorate whose own name is a by-name of the city that gives it its name
        _pl(20, "Northgate", 35.9, 36.6, "SY", "Northgate", "ADM1", 440_000),
        _pl(21, "Northgat", 35.93, 36.63, "SY", "Northgate", "PPL", 130_000),
        # a Libyan city, and a big Algerian city one respelling away from a Libyan suburb
        _pl(30, "Tarbul", 32.9, 13.2, "LY", "Tarbul", "PPL", 1_300_000),
        _pl(31, "Saraqib", 36.7, 3.1, "DZ", "Alger", "PPL", 2_300_000),
        # a big Indian city named like an Afghan district, and the Afghan province
        _pl(40, "Rampur", 28.8, 79.0, "IN", "Uttar Pradesh", "PPL", 6_000_000),
        _pl(41, "Paktia", 33.6, 69.4, "AF", "Paktia", "ADM1", 550_000),
        # a Russian city once named after a minister: its old name is also a cocktail
        _pl(50, "Perm", 58.0, 56.25, "RU", "Perm Krai", "PPL", 980_000),
        _pl(51, "Portola", 39.8, -120.5, "US", "California", "PPL", 1_900),
        _pl(60, "Beirut", 33.89, 35.5, "LB", "Beirut", "PPLC", 1_900_000),
        _pl(70, "Italy", 42.8, 12.8, "IT", "", "PCLI", 60_000_000),
        _pl(71, "Rome", 41.9, 12.5, "IT", "Lazio", "PPLC", 2_300_000),
        _pl(80, "Tunisia", 34.0, 9.0, "TN", "", "PCLI", 11_500_000),
        _pl(81, "Zelfa", 35.8, 9.2, "TN", "Siliana", "PPL", 2_700),
    ]
    alternates = {21: ["Northgate"], 50: ["Molotov"], 51: ["Headquarters"], 71: ["Roma"]}
    return gazetteer_from_places(places, alternates)


def places_in(text: str, gaz: Gazetteer, hints: dict[str, float] | None = None) -> dict[str, PlaceMention]:
    doc = make_document(Article(text=text))
    return {m.span.text: m for m in find_places(doc, gaz, country_hints=hints)}


def test_a_by_name_that_is_also_its_areas_own_name_is_not_dropped_for_foreign_actors(gaz: Gazetteer) -> None:
    # "Turkish forces" point to Turkey, yet the governorate bears "Northgate" as its own name
    ms = places_in("Turkish forces shelled regime positions in Zorava in Northgate.", gaz, {"TR": 1})
    assert ms["Northgate"].place is not None and ms["Northgate"].place.country_code == "SY"


def test_a_respelling_abroad_does_not_beat_the_articles_country(gaz: Gazetteer) -> None:
    ms = places_in("Shells killed two civilians in Saraqeb (Tarbul).", gaz)
    assert ms["Tarbul"].place.country_code == "LY"
    assert "Saraqeb" not in ms or ms["Saraqeb"].place is None


def test_a_respelling_alone_is_still_a_guess(gaz: Gazetteer) -> None:
    # nothing else in the note points anywhere: the respelling is all there is
    ms = places_in("Shells killed two civilians in Saraqeb on Monday.", gaz)
    assert ms["Saraqeb"].place is not None and ms["Saraqeb"].place.country_code == "DZ"


def test_a_by_name_of_a_big_city_abroad_does_not_beat_the_articles_country(gaz: Gazetteer) -> None:
    ms = places_in("The body of a soldier was found near Roma in the countryside of Northgate.", gaz)
    assert ms["Northgate"].place.country_code == "SY"
    assert "Roma" not in ms or ms["Roma"].place is None
    # with nothing else pointing anywhere, the by-name is the city
    assert places_in("Pilgrims travelled to Roma on Monday.", gaz)["Roma"].place.geonameid == 71


def test_a_hamlet_abroad_yields_to_the_country_the_actors_point_to(gaz: Gazetteer) -> None:
    text = "Clashes took place between government forces and rebels in Zelfa."
    m = places_in(text, gaz, {"SY": 1}).get("Zelfa")
    assert m is None or m.place is None
    assert places_in(text, gaz)["Zelfa"].place.geonameid == 81  # nothing points elsewhere


def test_a_sure_area_abroad_unseats_a_big_city_it_qualifies(gaz: Gazetteer) -> None:
    ms = places_in("An IED hit a police car in Rampur district, Paktia.", gaz)
    assert ms["Paktia"].place.country_code == "AF"
    assert "Rampur" not in ms or ms["Rampur"].place is None


def test_a_big_city_keeps_its_reading_without_a_qualifier(gaz: Gazetteer) -> None:
    ms = places_in("Farmers protested in Rampur on Monday.", gaz)
    assert ms["Rampur"].place.geonameid == 40


def test_a_cocktail_or_a_headquarters_is_no_place(gaz: Gazetteer) -> None:
    ms = places_in("Rioters hurled a Molotov cocktail at the party Headquarters in Beirut.", gaz)
    assert "Molotov" not in ms and "Headquarters" not in ms
    assert ms["Beirut"].place.geonameid == 60


def test_a_currency_neither_votes_nor_sets_the_scene(gaz: Gazetteer) -> None:
    ms = places_in("Protesters in Beirut decried the US dollar exchange rate.", gaz)
    assert "embedded" in ms["US"].rule  # still a toponym, but never the event's place
    assert ms["Beirut"].place.geonameid == 60
    plain = places_in("Protesters in Beirut decried US sanctions.", gaz)
    assert "embedded" not in plain["US"].rule


def test_a_single_country_mission_gives_its_country(gaz: Gazetteer) -> None:
    m = country_of_cues("On 3 May, the OSCE SMM observed 12 explosions near Zorivka.", gaz)
    assert m is not None and m.place is not None and m.place.country_code == "UA"
    assert m.kind == "country" and m.geo_precision == 3 and m.span.text == "OSCE SMM"


def test_an_organisation_working_in_many_countries_gives_none(gaz: Gazetteer) -> None:
    assert country_of_cues("OSCE officials met in Vienna on Monday.", gaz) is None
    assert country_of_cues("The SMMS report was late.", gaz) is None


def test_a_monitors_report_with_no_known_village_is_coded_at_the_missions_country() -> None:
    from marsad.pipeline import extract_text

    text = "On 9 May 2017, the OSCE SMM observed a total of 12 explosions involving unknown weapons near Zorivkavo."
    (ev, *_) = extract_text(text, "2017-05-10")
    assert ev.country == "Ukraine" and ev.geo_precision == 3
    assert "country_cue" in ev.evidence["location"].rule


def test_a_currency_is_not_the_scene_of_an_event_with_no_place() -> None:
    from marsad.pipeline import extract_text

    text = "On 5 May 2020, protesters blocked the Zorivkavo highway against the high US dollar exchange rate."
    (ev, *_) = extract_text(text, "2020-05-06")
    assert ev.country != "United States"


def test_a_rebel_group_places_the_event_before_a_foreign_army_does() -> None:
    from marsad.pipeline import extract_text

    text = (
        "On 13 October 2019, Turkish forces captured the village of Zorivkavo after clashes with QSD forces."
    )
    (ev, *_) = extract_text(text, "2019-10-14")
    assert ev.country == "Syria"
    assert "country_of_actors" in ev.evidence["location"].rule
