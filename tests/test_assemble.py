"""Assembly rules: frames, dates, places and actors as an ACLED coder would set them (team-written text)."""

from __future__ import annotations

import marsad


def _primary(text: str, published: str = "2024-05-08"):
    events = marsad.extract(text, published=published)
    assert events, "expected at least one event"
    return events[0], events


def test_dateline_is_not_the_event_date() -> None:
    ev, _ = _primary(
        "KANO, Nigeria, May 8 (Test Wire) - Gunmen killed three farmers in a village near Kano on Monday, "
        "police said."
    )
    assert ev.event_date == "2024-05-06"
    assert ev.evidence["event_date"].spans[0].text == "on Monday"


def test_headline_takes_the_date_of_the_lead() -> None:
    ev, _ = _primary(
        "Army retakes Douma from rebels\n\nSyrian troops recaptured the town of Douma on Sunday after two "
        "days of fighting with rebels, state media said."
    )
    assert ev.sub_event_type == "Government regains territory"
    assert ev.event_date == "2024-05-05"


def test_aggregate_history_is_not_an_event() -> None:
    _, events = _primary(
        "Police fired tear gas at students protesting in Nairobi on Tuesday. More than 600 people were killed "
        "in political violence in April alone, according to a rights group."
    )
    assert all(e.fatalities != 600 for e in events)


def test_reporting_monitor_abroad_is_not_the_location() -> None:
    ev, _ = _primary(
        "The UK-based Syrian Observatory for Human Rights said 12 fighters were killed in clashes between "
        "rebels and government forces near Idlib on Tuesday."
    )
    assert ev.country == "Syria"


def test_brief_report_is_one_incident_with_the_whole_toll() -> None:
    ev, events = _primary(
        "On 4 May 2024, soldiers clashed with militants near Kunduz. Three soldiers died in the fighting. "
        "Two militants were also killed."
    )
    assert ev.sub_event_type == "Armed clash"
    assert ev.fatalities == 5
    assert len([e for e in events if e.event_type == "Battles"]) == 1


def test_actors_country_when_no_place_is_known() -> None:
    ev, _ = _primary("On 4 May 2024, Taliban fighters attacked an army checkpoint, killing two soldiers.")
    assert ev.country == "Afghanistan" and ev.geo_precision == 3
    assert ev.evidence["country"].rule.startswith("event_location:country_of_actors")


def test_every_event_cites_text_that_exists() -> None:
    text = (
        "Protesters threw stones at police in Karachi on Friday, and officers fired tear gas to disperse them, "
        "witnesses said."
    )
    for ev in marsad.extract(text, published="2024-05-11"):
        for field, evidence in ev.evidence.items():
            assert evidence.spans or evidence.rule, field
            for span in evidence.spans:
                assert text[span.start : span.end] == span.text
