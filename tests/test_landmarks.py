"""Landmarks and institutions standing for their place: the data file, the index rows and resolution."""

from __future__ import annotations

import pytest

from marsad.geo.build import ADM1, FCLASS, FCODE, _add_landmarks, _Builder
from marsad.geo.event_location import choose_event_location
from marsad.geo.gazetteer import Gazetteer, gazetteer_from_places
from marsad.geo.landmarks import LANDMARK_CODES, Landmark, landmark_precision, read_landmarks
from marsad.mentions.places import find_places, resolve_spans
from marsad.model import Article, Place, PlaceMention, Span
from marsad.text import fold, make_document


def _p(gid: int, name: str, lat: float, lon: float, cc: str, code: str, pop: int, admin1: str = "") -> Place:
    fclass = {"PCLI": "A", "ADM1": "A"}.get(code, "S" if code in LANDMARK_CODES and code != "PPL" else "P")
    return Place(gid, name, lat, lon, cc, cc, admin1, "", fclass, code, pop)


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    places = [
        _p(1, "Syria", 35.0, 38.0, "SY", "PCLI", 17_000_000),
        _p(2, "Morocco", 32.0, -6.0, "MA", "PCLI", 36_000_000),
        _p(3, "Ukraine", 49.0, 32.0, "UA", "PCLI", 41_000_000),
        _p(10, "Damascus", 33.51, 36.29, "SY", "PPL", 2_000_000, "Damascus"),
        _p(11, "Saraqib", 35.86, 36.80, "SY", "PPL", 30_000, "Idleb"),
        _p(12, "Jableh", 35.36, 35.93, "SY", "PPL", 80_000, "Lattakia"),
        _p(13, "Casablanca", 33.59, -7.62, "MA", "PPL", 3_100_000, "Casablanca-Settat"),
        _p(14, "Kharkiv", 50.0, 36.23, "UA", "PPL", 1_400_000, "Kharkiv"),
        _p(15, "Kyiv", 50.45, 30.52, "UA", "PPL", 2_900_000, "Kyiv City"),
        # invented landmarks, class S, as the index writes them from landmarks.tsv
        _p(-800_001, "Hmeimim", 35.40, 35.95, "SY", "AIRB", 100_000, "Lattakia"),
        _p(-800_002, "Marjeh Square", 33.51, 36.30, "SY", "SQR", 100_000, "Damascus"),
        _p(-800_003, "White House", 38.90, -77.04, "US", "ADMF", 100_000, "District of Columbia"),
        _p(-800_004, "Bankova", 50.445, 30.53, "UA", "ADMF", 100_000, "Kyiv City"),
    ]
    # Casablanca's own name means "white house": an alternate name that must not outrank the landmark
    return gazetteer_from_places(places, {13: ["White House", "Casa Blanca"]})


def _doc(text: str):
    return make_document(Article(text=text))


def _given(text: str, surface: str, gaz: Gazetteer) -> PlaceMention | None:
    i = text.index(surface)
    (m,) = resolve_spans(_doc(text), [Span(i, i + len(surface), surface)], gaz)
    return m


def test_landmark_file_rows_are_well_formed() -> None:
    rows = read_landmarks()
    assert len(rows) >= 300
    seen: set[tuple[str, str, str]] = set()
    for lm in rows:
        assert -90 <= lm.lat <= 90 and -180 <= lm.lon <= 180, lm.names
        assert len(lm.cc) == 2 and lm.cc.isupper() and lm.city, lm.names
        keys = {(fold(n), lm.cc, lm.city) for n in lm.names}  # "Elysee"/"Élysée" fold alike
        assert not keys & seen, lm.names  # one row per place
        seen |= keys


def test_landmark_precision_by_feature_code() -> None:
    assert landmark_precision("SQR") == 1 and landmark_precision("ADMF") == 1
    assert landmark_precision("AIRB") == 2 and landmark_precision("MILB") == 2


def test_index_row_takes_the_admin_areas_of_the_named_town() -> None:
    b = _Builder()
    b.add_place((1, "Arlington", 32.7, -97.1, "US", "Texas", "", "P", "PPL", 390_000), [], "Arlington")
    b.add_place((2, "Arlington", 38.88, -77.1, "US", "Virginia", "", "P", "PPL", 230_000), [], "Arlington")
    lms = [
        Landmark(("Test Tower", "the Tower"), 38.87, -77.05, "US", "Arlington, Virginia", "BLDG"),
        Landmark(("Test Stadium",), 32.75, -97.09, "US", "Arlington", "STDM"),
    ]
    _add_landmarks(b, lms)
    tower, stadium = b.places[2], b.places[3]
    assert tower[ADM1] == "Virginia" and tower[FCLASS] == "S" and tower[FCODE] == "BLDG"
    assert stadium[ADM1] == "Texas"  # no area named: the biggest town of that name
    assert fold("the Tower") in b.keys and not b.vkeys.get("tower")


def test_landmark_resolves_to_itself(gaz: Gazetteer) -> None:
    ms = {m.span.text: m for m in find_places(_doc("Protesters gathered in Marjeh Square on Friday."), gaz)}
    m = ms["Marjeh Square"]
    assert m.place is not None and m.place.name == "Marjeh Square" and m.place.admin1 == "Damascus"
    assert m.geo_precision == 1 and m.kind == "toponym"


def test_air_base_is_near_its_town(gaz: Gazetteer) -> None:
    ms = {m.span.text: m for m in find_places(_doc("Drones attacked Hmeimim air base near Jableh."), gaz)}
    assert ms["Hmeimim"].place is not None and ms["Hmeimim"].place.country_code == "SY"
    assert ms["Hmeimim"].geo_precision == 2


def test_landmark_beats_a_city_that_has_its_name_only_as_an_alternate(gaz: Gazetteer) -> None:
    text = "Reporters waited outside the White House for the statement."
    ms = {m.span.text: m for m in find_places(_doc(text), gaz)}
    assert ms["White House"].place is not None and ms["White House"].place.name == "White House"
    m = _given(text, "White House", gaz)
    assert m is not None and m.place is not None and m.place.country_code == "US"


def test_country_institution_resolves_to_the_capital(gaz: Gazetteer) -> None:
    for text, span in [
        ("The Syrian Foreign Ministry summoned the envoy.", "Syrian Foreign Ministry"),
        ("Lawmakers in Syria's parliament voted on Monday.", "Syria's parliament"),
    ]:
        m = _given(text, span, gaz)
        assert m is not None and m.place is not None, span
        assert m.place.name == "Damascus" and m.geo_precision == 1, span


def test_embassy_is_not_placed_in_its_own_country_capital(gaz: Gazetteer) -> None:
    m = _given("Staff left the Syrian Embassy on Monday.", "Syrian Embassy", gaz)
    assert m is None or m.place is None or m.place.name != "Damascus"


def test_landmark_as_speaker_is_not_the_event_location(gaz: Gazetteer) -> None:
    # like "Damascus accused ...": the seat of a government speaking is not the scene
    for text in (
        "Bankova accused Russian forces of shelling Kharkiv on Friday.",
        "The White House condemned the shelling of Saraqib on Friday.",
    ):
        doc = _doc(text)
        i = text.index("shelling")
        loc = choose_event_location(doc, find_places(doc, gaz), Span(i, i + 8, "shelling"))
        assert loc is not None and loc.span.text in ("Kharkiv", "Saraqib"), text


def test_event_at_a_landmark_is_coded_at_its_town() -> None:
    # ACLED's location is a populated place: the square is evidence, the town is the location
    from marsad.pipeline import extract_text

    events = extract_text(
        "Thousands of protesters rallied in Taksim Square on Saturday demanding new elections, police said.",
        published="2024-05-05",
    )
    assert events and events[0].location == "Istanbul"
    assert events[0].country == "Turkey"
    assert abs(events[0].latitude - 41.04) < 0.1


@pytest.mark.parametrize(
    ("text", "town", "admin1"),
    [
        # a seat of government is also an actor ("the Kremlin" = the Russian government): after a
        # locative it is where the crowd stood, not a name to drop
        ("Thousands rallied outside the Kremlin on Sunday.", "Moscow", "Moscow"),
        # ACLED codes Washington as its own first-level area
        (
            "Hundreds of protesters gathered outside the White House on Saturday to demand a ceasefire.",
            "Washington",
            "District of Columbia",
        ),
    ],
)
def test_a_protest_outside_a_seat_of_government_is_in_its_city(text: str, town: str, admin1: str) -> None:
    from marsad.pipeline import extract_text

    events = extract_text(text, published="2024-05-05")
    assert [(e.location, e.admin1) for e in events] == [(town, admin1)]
