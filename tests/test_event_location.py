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


def _event_place(text: str):
    from marsad.geo.event_location import event_place

    gaz = default_gazetteer()
    doc = make_document(Article(text=text, id="t"))
    places = find_places(doc, gaz)
    return event_place(doc, places, main_trigger(doc, find_triggers(doc), places), gaz)


def test_unknown_subplace_is_coded_at_its_town_not_the_state():
    # "Zona Sete" is no gazetteer name: the stand-in is the town of "Maringa, Parana", not Parana
    best = _event_place(
        "Gunmen killed a shopkeeper in Maringa, Parana, on Tuesday in the Zona Sete neighborhood."
    )
    assert best is not None and best.span.text == "Zona Sete"
    assert best.place.name == "Maringá" and best.place.admin1 == "Parana" and best.geo_precision == 2


def test_country_qualified_by_a_town_in_brackets_gives_way_to_the_town():
    best = _event_place("Saudi-led jets struck targets in western Yemen (Hays, Al Hudaydah) on Monday.")
    assert best is not None and best.span.text == "Hays" and best.place.country_code == "YE"


def test_far_namesake_of_a_subplace_is_coded_at_the_town_that_sets_the_scene():
    from marsad.geo.event_location import _namesake, event_place
    from marsad.model import Place, PlaceMention, Span

    text = "In Maringa, police found a body in Vila Nova on Friday."
    doc = make_document(Article(text=text, id="t"))
    maringa = Place(1, "Maringa", -23.42, -51.93, "BR", "Brazil", "Parana")
    far = Place(2, "Vila Nova", -10.45, -37.0, "BR", "Brazil", "Sergipe")  # ~2,000 km away
    s1, s2 = text.index("Maringa"), text.index("Vila Nova")
    town = PlaceMention(Span(s1, s1 + 7, "Maringa"), maringa, "toponym", 1)
    sub = PlaceMention(Span(s2, s2 + 9, "Vila Nova"), far, "toponym", 1)
    assert _namesake(doc, sub, [town, sub])
    assert not _namesake(doc, town, [town, sub])  # the scene-setter itself is no namesake
    # a namesake in the same admin area, or with no town before it, is kept as resolved
    near = PlaceMention(sub.span, Place(3, "Vila Nova", -23.5, -51.5, "BR", "Brazil", "Parana"), "toponym", 1)
    assert not _namesake(doc, near, [town, near])
    assert not _namesake(doc, sub, [sub])
    # chosen or not, event_place never returns the far namesake's coordinates for this sentence
    trig = Span(text.index("found"), text.index("found") + 5, "found")
    best = event_place(doc, [town, sub], trig)
    assert best is not None and best.place == maringa
