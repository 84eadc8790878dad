"""Toponym recognition: person and organisation filters, hyphenated compounds, spelling guesses.

Invented sentences over a small invented gazetteer (real names, rounded facts)."""

from __future__ import annotations

import pytest

from marsad.geo.gazetteer import Gazetteer, gazetteer_from_places
from marsad.mentions.places import find_places
from marsad.model import Article, Place, PlaceMention
from marsad.text import make_document


def _pl(gid: int, name: str, cc: str, code: str, pop: int, lat: float = 0.0, lon: float = 0.0) -> Place:
    return Place(
        geonameid=gid,
        name=name,
        lat=lat,
        lon=lon,
        country_code=cc,
        country=cc,
        admin1="",
        feature_class="A" if code in ("PCLI", "ADM1") else "P",
        feature_code=code,
        population=pop,
    )


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    places = [
        _pl(1, "Ireland", "IE", "PCLI", 4_800_000, 53.0, -8.0),
        _pl(2, "Nenagh", "IE", "PPL", 9_900, 52.86, -8.2),
        _pl(3, "United Kingdom", "GB", "PCLI", 66_000_000, 54.0, -2.0),
        _pl(4, "Cirencester", "GB", "PPL", 20_000, 51.72, -1.97),
        _pl(5, "London", "GB", "PPLC", 8_900_000, 51.5, -0.13),
        _pl(6, "Amsterdam", "NL", "PPLC", 870_000, 52.37, 4.89),
        _pl(7, "Netherlands", "NL", "PCLI", 17_000_000, 52.0, 5.5),
        _pl(8, "Slidell", "US", "PPL", 28_000, 30.28, -89.78),
        _pl(9, "United States", "US", "PCLI", 327_000_000, 39.0, -98.0),
        _pl(10, "Jordan", "JO", "PCLI", 10_000_000, 31.0, 36.0),
        _pl(11, "Sandberg", "DE", "PPL", 2_000, 50.35, 10.0),
        _pl(12, "Ballarat", "AU", "PPL", 105_000, -37.56, 143.85),
        _pl(13, "Saraqib", "SY", "PPL", 34_000, 35.86, 36.8),
        _pl(14, "Syria", "SY", "PCLI", 17_000_000, 35.0, 38.0),
        _pl(15, "Victoria", "CA", "PPLA", 330_000, 48.43, -123.37),
        _pl(16, "Peel", "CA", "PPL", 50_000, 43.7, -79.8),
        _pl(17, "Bolton", "GB", "PPL", 140_000, 53.58, -2.43),
        _pl(18, "Germany", "DE", "PCLI", 83_000_000, 51.0, 10.0),
        _pl(19, "Texas", "US", "ADM1", 29_000_000, 31.0, -100.0),
        _pl(20, "Rifle", "US", "PPL", 9_000, 39.53, -107.78),
        _pl(21, "India", "IN", "PCLI", 1_300_000_000, 21.0, 78.0),
        _pl(22, "Imphal", "IN", "PPLA", 260_000, 24.81, 93.94),
    ]
    # "Balart" is an (invented) by-name of a big town, as short surnames often are
    return gazetteer_from_places(places, {12: ["Balart"]})


def places_in(text: str, gaz: Gazetteer) -> list[PlaceMention]:
    return find_places(make_document(Article(text=text)), gaz)


def names(ms: list[PlaceMention]) -> list[str]:
    return [m.span.text for m in ms]


def test_capitalised_function_word_is_no_first_name(gaz: Gazetteer) -> None:
    # "A Nenagh councillor": "A" glued to the town must not make it a surname for the whole text
    ms = places_in("A Nenagh councillor said the housing list in Nenagh is long.", gaz)
    assert names(ms).count("Nenagh") == 2
    assert all(m.place is not None and m.place.country_code == "IE" for m in ms if m.span.text == "Nenagh")


def test_road_number_before_a_town_is_no_first_name(gaz: Gazetteer) -> None:
    ms = places_in("The A429 Cirencester junction will close, so drivers to Cirencester face delays.", gaz)
    assert "Cirencester" in names(ms)


def test_town_put_in_by_the_text_is_no_surname(gaz: Gazetteer) -> None:
    # the photo credit glues the town to "PD", but the text puts the boy's home in Slidell
    text = "The boy drowned at his home in Slidell on Monday. (Picture: Slidell PD)"
    ms = [m for m in places_in(text, gaz) if m.span.text == "Slidell"]
    assert len(ms) == 2
    assert "embedded" in ms[1].rule and "embedded" not in ms[0].rule


def test_town_opening_an_organisation_name_is_kept_as_embedded(gaz: Gazetteer) -> None:
    ms = places_in("Officers from Peel Regional Police are searching for two suspects.", gaz)
    assert [m.rule for m in ms if m.span.text == "Peel"] == ["gazetteer:embedded"]


def test_hyphenated_compound_of_known_places_is_split(gaz: Gazetteer) -> None:
    ms = places_in("The Amsterdam-London leg of the trip will run by train.", gaz)
    assert names(ms) == ["Amsterdam", "London"]
    assert [m.span.start for m in ms] == [4, 14]
    # a modifier of "leg", "border", "highway": never the place where an event happened
    assert all(m.rule.endswith(":embedded") for m in ms)


def test_double_surname_is_not_split_into_places(gaz: Gazetteer) -> None:
    # "Balart" names a big town, but "Diaz" names nothing: a double surname, not two places
    assert places_in("Congressman Mario Diaz-Balart spoke on Tuesday.", gaz) == []


def test_first_name_before_a_big_place_name_makes_a_person(gaz: Gazetteer) -> None:
    assert "Jordan" not in names(places_in("Champion Andrew Jordan won the race in London.", gaz))
    assert "Victoria" not in names(places_in("The series was created by Victoria Rowell last year.", gaz))
    # a place cue still wins
    assert "Jordan" in names(places_in("Andrew flew to the capital of Jordan via London.", gaz))


def test_surname_of_a_sure_person_stays_a_person(gaz: Gazetteer) -> None:
    text = "Trump picked John Bolton as adviser. Officials said Bolton would start soon."
    assert "Bolton" not in names(places_in(text, gaz))
    assert "Bolton" in names(
        places_in("John Bolton flew home. He lives in Bolton in the United Kingdom.", gaz)
    )


def test_small_town_before_a_speech_verb_is_a_speaker(gaz: Gazetteer) -> None:
    assert "Sandberg" not in names(places_in("“We were slow in Germany,” Sandberg said on Friday.", gaz))
    ms = places_in("Police in Sandberg said two men were arrested in Sandberg.", gaz)
    assert names(ms).count("Sandberg") >= 1


def test_spelling_guess_needs_prose_that_fits_a_place(gaz: Gazetteer) -> None:
    assert "Saraqeb" in names(places_in("Jets struck Saraqeb in Syria overnight.", gaz))
    # a sentence opener with no locative cue, and a headline in capitals, are no places
    assert "Saraqeb" not in names(places_in("Syria is tense. Saraqeb was the name of the ship.", gaz))
    assert "SARAQEB" not in names(places_in("Syria is tense. The SARAQEB IS BACK album is out.", gaz))
    # a person's name glued to the guess
    assert "Saraqeb" not in names(places_in("Officials met Saraqeb Haddad in Syria.", gaz))


def test_unknown_name_with_its_state_after_a_comma_is_a_place(gaz: Gazetteer) -> None:
    ms = places_in("CAMP BOWIE HILL, Texas - Soldiers trained there on Monday.", gaz)
    assert [(m.span.text, m.rule) for m in ms][0] == ("CAMP BOWIE HILL", "context:qualified")
    # a person's role before the comma is no place
    ms = places_in("The Managing Director, Texas Oil Board, spoke.", gaz)
    assert "Managing Director" not in names(ms)
    ms = places_in("Attorney General Ken Paxton, Texas' top lawyer, said so.", gaz)
    assert names(ms) == ["Texas"]


def test_repeated_small_namesake_does_not_vouch_for_itself(gaz: Gazetteer) -> None:
    # three mentions of a small US town do not make an Indian note about the US
    text = "Police in Imphal, India recovered one Rifle, a modified Rifle and a loose Rifle barrel."
    assert names(places_in(text, gaz)) == ["Imphal", "India"]


@pytest.mark.parametrize(
    "text",
    [
        "Soldiers near Bakhmut said a drone dropped a canister over their trench on Sunday.",
        "Wagner fighters left on Monday without incident, officials in Soledar said.",
    ],
)
def test_a_name_after_a_locative_is_a_place_even_before_said(text: str) -> None:
    from marsad.geo.gazetteer import default_gazetteer

    gaz = default_gazetteer()
    found = find_places(make_document(Article(text=text, id="t")), gaz)
    assert [m.place.country_code for m in found if m.place] == ["UA"]


def test_somali_federal_member_states_are_regions_of_somalia() -> None:
    from marsad.geo.gazetteer import default_gazetteer

    text = "Clashes were reported in Galmudug and Jubaland, while Puntland and Hirshabelle stayed calm."
    found = find_places(make_document(Article(text=text, id="t")), default_gazetteer())
    assert {m.span.text for m in found if m.place and m.place.country_code == "SO"} == {
        "Galmudug",
        "Jubaland",
        "Puntland",
        "Hirshabelle",
    }
