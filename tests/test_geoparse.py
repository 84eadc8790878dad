"""geoparse_record: the issue-3 output line, on the fixture gazetteer and hand-written sentences."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from marsad.geo.gazetteer import Gazetteer, gazetteer_from_places
from marsad.geo.geoparse import GeoparseInputError, geoparse_record
from marsad.model import Place

FIXTURES = Path(__file__).parent / "fixtures" / "geo"
KEYS = {
    "start",
    "end",
    "text",
    "name",
    "geonameid",
    "lat",
    "lon",
    "country",
    "admin1",
    "feature_class",
    "geo_precision",
}


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    raw = json.loads((FIXTURES / "places.json").read_text(encoding="utf-8"))
    places = [Place(**p) for p in raw["places"]]
    return gazetteer_from_places(places, {int(k): v for k, v in raw["alternates"].items()})


def test_output_line_shape_and_event_location(gaz: Gazetteer) -> None:
    text = "Speaking in Kabul, the governor said a bomb exploded in Jalalabad on Monday, killing five people."
    out = geoparse_record({"id": "a1", "text": text}, gaz)
    assert set(out) == {"id", "toponyms", "event_location"} and out["id"] == "a1"
    assert json.loads(json.dumps(out)) == out  # one JSON line as is
    by = {t["text"]: t for t in out["toponyms"]}
    assert set(by) >= {"Kabul", "Jalalabad"}
    for t in out["toponyms"]:
        assert set(t) == KEYS and text[t["start"] : t["end"]] == t["text"]
    j = by["Jalalabad"]
    assert j["geonameid"] == 1138336 and j["country"] == "AF" and j["feature_class"] == "P"
    assert j["geo_precision"] == 1 and isinstance(j["lat"], float)
    # the bombing happened in Jalalabad, not where the governor spoke
    assert out["event_location"] == {"start": j["start"], "end": j["end"]}


def test_event_location_prefers_the_town_inside_a_named_province(gaz: Gazetteer) -> None:
    # the province only says where Saraqib lies; ACLED codes the most specific place
    text = "Government forces shelled Idlib province on Tuesday, hitting a market in Saraqib."
    out = geoparse_record({"id": "c1", "text": text}, gaz)
    el = out["event_location"]
    assert el is not None and text[el["start"] : el["end"]] == "Saraqib"
    # a province with no town of its own named stays the event location
    text = "Government forces shelled Idlib province on Tuesday, hitting a market."
    el = geoparse_record({"id": "c2", "text": text}, gaz)["event_location"]
    assert el is not None and text[el["start"] : el["end"]] == "Idlib"


def test_given_spans_resolves_exactly_those(gaz: Gazetteer) -> None:
    text = "Rebels shelled Saraqeb, and the Xyzzy road was closed near Idlib."
    spans = [{"start": text.index(w), "end": text.index(w) + len(w)} for w in ("Saraqeb", "Idlib")]
    out = geoparse_record({"id": 7, "text": text, "toponyms": spans}, gaz, given_spans=True)
    assert [(t["start"], t["end"]) for t in out["toponyms"]] == [(s["start"], s["end"]) for s in spans]
    assert out["toponyms"][0]["name"] == "Saraqib" and out["toponyms"][0]["country"] == "SY"
    assert out["event_location"] == {"start": spans[0]["start"], "end": spans[0]["end"]}


def test_no_place_no_event_location(gaz: Gazetteer) -> None:
    out = geoparse_record({"id": "x", "text": "Nothing happened here today."}, gaz)
    assert out == {"id": "x", "toponyms": [], "event_location": None}
    assert geoparse_record({"id": "e", "text": ""}, gaz)["toponyms"] == []


@pytest.mark.parametrize(
    ("record", "given"),
    [
        ({"id": 1}, False),
        ("not a dict", False),
        ({"id": 1, "text": 5}, False),
        ({"id": 1, "text": "In Idlib."}, True),
        ({"id": 1, "text": "In Idlib.", "toponyms": [{"start": 3, "end": 99}]}, True),
        ({"id": 1, "text": "In Idlib.", "toponyms": [{"start": "a"}]}, True),
    ],
)
def test_bad_input_gives_a_clear_error(gaz: Gazetteer, record: object, given: bool) -> None:
    with pytest.raises(GeoparseInputError):
        geoparse_record(record, gaz, given_spans=given)  # type: ignore[arg-type]
