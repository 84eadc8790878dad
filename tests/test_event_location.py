"""Event-location choice: the objective of a second attack verb, names glued into person or
organisation names, a city that only holds a named neighbourhood, and the main-trigger choice."""

from __future__ import annotations

from datetime import date

import pytest

from marsad.geo.event_location import _names_itself, choose_event_location
from marsad.geo.gazetteer import default_gazetteer
from marsad.geo.geoparse import geoparse_record, main_trigger
from marsad.mentions.places import find_places
from marsad.mentions.triggers import find_triggers
from marsad.model import Article, PlaceMention, Span
from marsad.pipeline import extract_article
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


# --- a name the gazetteer lacks: ACLED's location is the name, a nearby place lends coordinates


def test_unknown_village_keeps_its_name_and_the_state_that_holds_it():
    text = (
        "Gunmen abducted 40 pupils from a school in the village of Wakurindo, in Nigeria's Kaduna "
        "state, on Thursday, residents said."
    )
    got = _event_place(text)
    assert got is not None and got.place is not None
    assert got.span.text == "Wakurindo"
    assert got.place.name == "Wakurindo"
    assert got.place.country_code == "NG" and got.place.admin1 == "Kaduna"
    assert got.kind == "toponym" and got.geo_precision >= 2


def test_unknown_village_does_not_borrow_the_dateline_city():
    text = (
        "ABUJA, May 2 (Reuters) - Gunmen abducted 12 farmers in the village of Wakurindo in Nigeria "
        "on Sunday, police said."
    )
    got = _event_place(text)
    assert got is not None and got.place is not None
    assert got.place.name == "Wakurindo"
    assert got.place.country_code == "NG"
    assert got.place.admin1 != "Federal Capital Territory"


def test_unknown_village_borrows_a_town_of_its_sentence_over_the_country():
    text = "Militants attacked the village of Wakurindo near Maiduguri in Nigeria on Sunday, killing five."
    got = _event_place(text)
    assert got is not None and got.place is not None
    assert got.place.name == "Wakurindo"
    assert got.place.admin1 == "Borno"


def test_assembled_event_codes_the_unknown_village_by_name():
    text = (
        "Gunmen abducted 40 pupils from a school in the village of Wakurindo, in Nigeria's Kaduna "
        "state, on Thursday, residents said."
    )
    events = extract_article(Article(text=text, id="t", published=date(2024, 3, 8)))
    assert events and events[0].location == "Wakurindo"
    assert events[0].country == "Nigeria" and events[0].admin1 == "Kaduna"


def test_only_a_name_its_context_vouches_for_is_kept():
    def mention(surface: str, rule: str) -> PlaceMention:
        return PlaceMention(Span(0, len(surface), surface), None, "toponym", 1, 0.3, rule)

    assert _names_itself("Wakurindo", mention("Wakurindo", "context:settlement"))
    assert _names_itself("Wakurindo", mention("Wakurindo", "context:abroad"))
    assert not _names_itself("Wakurindo", mention("Wakurindo", ""))
    assert not _names_itself("the market", mention("the market", "context:settlement"))


def test_unknown_neighbourhood_is_coded_at_its_town():
    def mention(text: str, surface: str) -> PlaceMention:
        start = text.index(surface)
        return PlaceMention(
            Span(start, start + len(surface), surface), None, "toponym", 1, 0.3, "context:settlement"
        )

    text = "A girl was raped in the Wakuri neighbourhood of the city on Saturday."
    assert not _names_itself(text, mention(text, "Wakuri"))
    text = "Shots were fired in the neighbourhood of Wakuri on Saturday."
    assert not _names_itself(text, mention(text, "Wakuri"))
    text = "Shots were fired in Colonia Wakuri on Saturday."
    assert not _names_itself(text, mention(text, "Colonia Wakuri"))
