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


# --- one article, many events; dates on news prose (issue 4) ------------------------------------------

OFFENSIVE = (
    "Government troops withdrew from Kunduz after Taliban fighters launched a major offensive. "
    "The army confirmed that the insurgents had entered several districts of the city.\n"
    "A UN agency said that at least 120 people, including 15 civilians, have died since the offensive "
    "began on Tuesday. In a statement on Saturday, the president vowed to retake the city.\n"
    "The war in the country began in 2001 and has killed more than 100,000 people. The city was also "
    "captured briefly by the group in 2015.\n"
    "The army said the fighters launched attacks from several directions, leading to battles in the "
    "outskirts. Afghan warplanes conducted air strikes on Kunduz on Saturday."
)


def test_multi_event_article_splits_by_type_and_date_without_background() -> None:
    events = marsad.extract(OFFENSIVE, published="2024-06-15")  # a Saturday
    by_type: dict[str, list] = {}
    for e in events:
        by_type.setdefault(e.sub_event_type, []).append(e)
    clash = by_type["Armed clash"]
    assert len(clash) == 1, "the fighting told twice is one event"
    assert (clash[0].event_date, clash[0].time_precision, clash[0].fatalities) == ("2024-06-11", 2, 120)
    assert "Air/drone strike" in by_type and by_type["Air/drone strike"][0].event_date == "2024-06-15"
    # history (2001, 2015) and the war-long total are context, never events or tolls
    assert all(e.event_date >= "2024-06-01" for e in events)
    assert all(e.fatalities != 100_000 for e in events)


def test_victims_counted_are_not_rioters() -> None:
    (ev,) = marsad.extract(
        "Monitors said 40 people, including 6 civilians, have died since the offensive by rebels began "
        "on Monday.",
        published="2024-06-15",
    )
    assert ev.sub_event_type != "Mob violence"
    assert ev.fatalities == 40


def test_statement_date_yields_to_the_event_date() -> None:
    ev, _ = _primary(
        "Police officials said on Tuesday that gunmen had stormed a school near Kaduna on Monday.",
        published="2024-05-08",
    )
    assert ev.event_date == "2024-05-06"
    assert ev.time_precision == 1


def test_statement_date_alone_dates_the_event_approximately() -> None:
    ev, _ = _primary(
        "Soldiers recaptured the town of Ber from separatist rebels, the army said on Monday.",
        published="2024-05-08",
    )
    assert (ev.event_date, ev.time_precision) == ("2024-05-06", 2)


def test_same_incident_told_twice_is_one_event() -> None:
    events = marsad.extract(
        "Gunmen killed five villagers in an attack near Gusau on Sunday, police said. "
        "Residents said the gunmen killed five villagers and burned homes in the attack.",
        published="2024-05-08",
    )
    assert len([e for e in events if e.sub_event_type == "Attack"]) == 1


def test_recalled_attacks_are_neither_events_nor_tolls() -> None:
    events = marsad.extract(
        "Gunmen killed four farmers near Jos on Monday, police said. Last year's attack on the same "
        "village killed 50 people. Two years ago, bandits captured the village after a week of fighting.",
        published="2024-05-08",
    )
    assert [(e.sub_event_type, e.event_date, e.fatalities) for e in events] == [("Attack", "2024-05-06", 4)]


def test_event_in_earlier_dated_appositive_is_context() -> None:
    ev, events = _primary(
        "Troops on Sunday set up a new military base in Ansongo, a town their aircraft bombed last month, "
        "officials said."
    )
    assert [e.sub_event_type for e in events] == ["Headquarters or base established"]
    assert ev.event_date == "2024-05-05"


def test_date_of_background_clause_is_not_the_event_date() -> None:
    ev, events = _primary(
        "Troops set up a new military base in Ansongo, a town their aircraft bombed last month."
    )
    assert [e.sub_event_type for e in events] == ["Headquarters or base established"]
    # no date of its own: the report's date, not the bombing's month
    assert ev.event_date == "2024-05-08"
    assert ev.time_precision == 2


def test_release_is_the_news_not_the_earlier_abduction() -> None:
    ev, _ = _primary(
        "Twelve aid workers kidnapped in Darfur last month have been freed, officials said on Monday."
    )
    assert ev.sub_event_type != "Abduction/forced disappearance"
    assert not ev.event_date.startswith("2024-04")
