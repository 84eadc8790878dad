"""A capital, a seat of government or a country's institution that speaks is a speaker, not the
scene; and coding-level cues for the scene: a name the gazetteer lacks, a big city's neighbourhood,
a part of a foreign country."""

from __future__ import annotations

import pytest

from marsad.geo.event_location import _reports_event, choose_event_location
from marsad.geo.gazetteer import default_gazetteer
from marsad.geo.geoparse import main_trigger
from marsad.geo.speakers import speaks
from marsad.mentions.places import find_places
from marsad.mentions.triggers import find_triggers
from marsad.model import Article, Document, PlaceMention, Span
from marsad.pipeline import extract_text
from marsad.text import make_document


def _parse(text: str) -> tuple[Document, list[PlaceMention], Span | None]:
    doc = make_document(Article(text=text, id="t"))
    places = find_places(doc, default_gazetteer())
    return doc, places, main_trigger(doc, find_triggers(doc), places)


def _choose(text: str) -> str | None:
    doc, places, trig = _parse(text)
    best = choose_event_location(doc, places, trig)
    return best.span.text if best is not None else None


def _speaking(text: str) -> list[str]:
    doc, places, _ = _parse(text)
    return [m.span.text for m in places if speaks(doc.text, m)]


def _located(text: str) -> list[tuple[str, str]]:
    return [(e.location, e.country) for e in extract_text(text, published="2024-05-06")]


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        ("Washington said on Monday that the talks had stalled.", "Washington"),  # a capital under 1 M
        ("The White House denied the report.", "White House"),  # a seat-of-government landmark
        ("Downing Street has warned that sanctions will follow.", "Downing Street"),
        ("Moscow's statement blamed the rebels.", "Moscow"),  # owner of a statement
        ("The Kremlin's spokesman rejected the claim.", "Kremlin"),
        ("White House officials declined to comment.", "White House"),  # qualifies a speaker
        ("According to Washington, the convoy was hit.", "Washington"),  # the statement's source
        ("Nigeria, in a brief statement, condemned the killings.", "Nigeria"),
    ],
)
def test_a_seat_of_government_that_speaks_is_a_speaker(text: str, speaker: str) -> None:
    assert [s.removeprefix("The ").removeprefix("the ") for s in _speaking(text)] == [speaker]


@pytest.mark.parametrize(
    "text",
    [
        "Thousands of people marched in Moscow on Sunday.",  # the scene, no verb of speech
        "The government in Sanaa announced a new naval unit.",  # where the speaking government sits
        "Kurdish activists in Germany protested against the arrest.",  # a protest is no statement
        "Residents of Mandera said the gunmen fled.",  # not a capital: a town's people speak
    ],
)
def test_a_place_that_is_no_speaking_seat(text: str) -> None:
    assert _speaking(text) == []


def test_a_speaking_capital_gives_way_to_the_scene() -> None:
    assert _choose("Washington said an airstrike killed 12 civilians in Idlib on Tuesday.") == "Idlib"
    assert _choose("Ankara warned that militants had attacked a police station in Mardin.") == "Mardin"


def test_a_speaker_is_still_the_scene_when_nothing_else_is_named() -> None:
    assert _choose("The Kremlin said on Monday that the attack killed five people.") in (
        "Kremlin",
        "The Kremlin",
    )


def test_said_before_the_events_own_clause_is_no_reporting_place() -> None:
    text = "Officials said an airstrike killed 12 civilians in Idlib."
    cue, place = text.index("said"), text.index("Idlib")
    trig = Span(text.index("killed"), text.index("killed") + 6, "killed")
    assert _reports_event(text, cue, place, trig)  # "killed" stands between: Idlib is its scene
    said_at = "Officials said at a news conference in Kabul that talks resumed."
    assert not _reports_event(said_at, said_at.index("said"), said_at.index("Kabul"), None)
    assert _reports_event("They said that fighting in Aleppo", 5, 29, None)


@pytest.mark.parametrize(
    ("text", "location"),
    [
        ("Washington said an airstrike killed 12 civilians in Idlib on Tuesday.", ("Idlib", "Syria")),
        ("The White House said an airstrike killed civilians in Idlib.", ("Idlib", "Syria")),
        (
            "Moscow's statement said rebels attacked an army checkpoint near Homs on Friday.",
            ("Homs", "Syria"),
        ),
        (
            "The Kremlin's spokesman said Ukrainian drones struck an oil depot in Belgorod on Friday.",
            ("Belgorod", "Russia"),
        ),
        (
            "Kyiv accused Russian forces of shelling a hospital in Kherson on Sunday, killing three people.",
            ("Kherson", "Ukraine"),
        ),
    ],
)
def test_end_to_end_the_event_is_coded_at_the_scene_not_the_speaker(
    text: str, location: tuple[str, str]
) -> None:
    assert _located(text) == [location]


def test_end_to_end_an_unknown_town_is_named_at_the_country_not_at_the_speaking_capital() -> None:
    # the gazetteer lacks "Kasindiro"; Kinshasa only speaks, so it lends neither name nor point
    events = extract_text(
        "Rebels seized the town of Kasindiro on Saturday after heavy fighting, Kinshasa said.",
        published="2024-05-06",
    )
    assert [(e.location, e.country, e.geo_precision) for e in events] == [
        ("Kasindiro", "Democratic Republic of Congo", 3)
    ]


def test_end_to_end_a_named_town_the_gazetteer_lacks_keeps_its_name_at_the_actors_country() -> None:
    text = "Al-Shabaab fighters overran an army base near the village of Qodqodley on Sunday, elders said."
    assert _located(text) == [("Qodqodley", "Somalia")]


def test_end_to_end_a_neighbourhood_of_a_big_city_is_coded_at_the_city() -> None:
    text = (
        "Gang members shot dead two bus drivers in the Carrefour neighbourhood of Port-au-Prince on Friday."
    )
    assert _located(text) == [("Port-au-Prince", "Haiti")]


def test_end_to_end_a_part_of_a_foreign_country_is_no_backdrop() -> None:
    text = "Ankara said its jets struck Kurdish militant positions in northern Iraq on Monday."
    assert [c for _, c in _located(text)] == ["Iraq"]
