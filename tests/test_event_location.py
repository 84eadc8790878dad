"""Event-location choice: the objective of a second attack verb, names glued into person or
organisation names, a city that only holds a named neighbourhood, and the main-trigger choice."""

from __future__ import annotations

import pytest

from marsad.geo.event_location import choose_event_location
from marsad.geo.gazetteer import default_gazetteer
from marsad.geo.geoparse import geoparse_record, main_trigger
from marsad.mentions.places import find_places
from marsad.mentions.triggers import find_triggers
from marsad.model import Article
from marsad.text import make_document


def _choose(text: str) -> str | None:
    doc = make_document(Article(text=text, id="t"))
    places = find_places(doc, default_gazetteer())
    best = choose_event_location(doc, places, main_trigger(doc, find_triggers(doc), places))
    return best.span.text if best is not None else None


def test_objective_after_targeting_beats_the_area():
    text = (
        "Government troops launched an offensive in the southern countryside of Idlib on Monday, "
        "targeting the village of Saraqib."
    )
    assert _choose(text) == "Saraqib"


def test_agent_after_by_is_not_the_objective():
    text = "The town of Jenin was captured by Israel in a raid on Tuesday."
    assert _choose(text) == "Jenin"


def test_city_that_holds_a_named_neighbourhood_steps_back():
    text = "Four shoppers were killed in the Hodan neighbourhood of Mogadishu on Sunday."
    assert _choose(text) == "Hodan"


def test_name_inside_an_organisation_is_not_the_scene():
    text = "Fighters of Liwaa Al-Quds shelled positions in Aleppo on Friday."
    assert _choose(text) == "Aleppo"


def test_town_named_before_a_place_noun_of_another_is_a_modifier():
    text = "Police said three men were shot dead in the north Sinai town of El-Arish on Friday."
    assert _choose(text) == "El-Arish"


def test_main_trigger_prefers_a_verb_over_an_actor_noun():
    text = "Unidentified gunmen killed four traders in Kano on Monday."
    doc = make_document(Article(text=text, id="t"))
    places = find_places(doc, default_gazetteer())
    trig = main_trigger(doc, find_triggers(doc), places)
    assert trig is not None and trig.text.lower() == "killed"


def test_main_trigger_falls_back_to_an_action_verb():
    text = "Warships from several navies have patrolled the waters off Somalia since May."
    doc = make_document(Article(text=text, id="t"))
    trig = main_trigger(doc, [], find_places(doc, default_gazetteer()))
    assert trig is not None and trig.text == "patrolled"


@pytest.mark.parametrize("text", ["", "   ", "no places here at all."])
def test_geoparse_record_without_places_has_no_location(text: str):
    out = geoparse_record({"id": "x", "text": text})
    assert out["event_location"] is None
