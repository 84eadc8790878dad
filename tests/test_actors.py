"""Actor mentions and actor coding, on sentences written for these tests."""

from __future__ import annotations

import pytest

from marsad.coding.actors import (
    actor_inter,
    actor_name,
    agent_and_patient,
    associated_name,
    interaction_code,
)
from marsad.mentions.actors import find_actors, lexicon, norm_word
from marsad.model import Article, Span
from marsad.text import make_document


def mentions(text: str):
    return find_actors(make_document(Article(text=text)))


def names(text: str, country: str) -> list[str]:
    return [actor_name(m, country) for m in mentions(text)]


def test_lexicon_loads_once_and_has_entries():
    lex = lexicon()
    assert lex is lexicon()
    assert len(lex.keys) > 1000
    assert lex.countries["SY"].name == "Syria"


def test_country_adjective_gives_state_forces():
    got = names("The Syrian army shelled the village while Russian jets circled overhead.", "Syria")
    assert got == ["Military Forces of Syria (2000-)", "Military Forces of Russia (2000-)"]


def test_actor_country_wins_over_event_country():
    (m,) = [m for m in mentions("Israeli troops raided the camp at dawn.") if m.role == "military"]
    assert m.country_code == "IL"
    assert actor_name(m, "Palestine") == "Military Forces of Israel (2022-)"


def test_generic_roles_take_event_country():
    got = names("Gunmen on a motorcycle shot dead two civilians near the market.", "Mexico")
    assert got == ["Unidentified Armed Group (Mexico)", "Civilians (Mexico)"]
    assert names("Police dispersed the protesters with tear gas.", "Kenya") == [
        "Police Forces of Kenya (2022-)",
        "Protesters (Kenya)",
    ]


def test_forces_of_country_and_chains():
    got = names("Military forces of India and Pakistan exchanged fire across the border.", "India")
    assert got == ["Military Forces of India (2014-)", "Military Forces of Pakistan (2024-)"]
    assert names("Forces of the Philippines arrested him.", "Philippines") == [
        "Police Forces of the Philippines (2022-)"
    ] or names("Forces of the Philippines arrested him.", "Philippines") == [
        "Military Forces of the Philippines (2022-)"
    ]


def test_acronyms_are_case_sensitive():
    assert [m.name for m in mentions("It is clear that the attack is over.")] == []
    ms = mentions("IS fighters attacked an SDF checkpoint.")
    assert [actor_name(m, "Syria") for m in ms] == ["Islamic State (Syria)", "QSD: Syrian Democratic Forces"]
    assert ms[0].span.text == "IS fighters"


def test_country_dependent_group_names():
    text = "Islamic State militants ambushed a convoy."
    assert names(text, "Iraq") == ["Islamic State (Iraq)"]
    assert names(text, "Nigeria") == ["Islamic State (West Africa)"]
    assert names("Daesh claimed the bombing.", "Syria") == ["Islamic State (Syria)"]


def test_aliases_and_transliterations():
    for text in (
        "Hay'at Tahrir al-Sham shelled the town.",
        "Hayat Tahrir ash-Sham shelled the town.",
        "Tahrir al-Sham fighters shelled the town.",
    ):
        assert names(text, "Syria") == ["HTS: Hayat Tahrir al Sham"], text
    assert names("Ansar Allah fired a missile.", "Yemen") == [
        "Military Forces of Yemen (2016-) Supreme Political Council"
    ]
    assert names("Pro-Hadi forces repelled the attack.", "Yemen") == ["Military Forces of Yemen (2012-)"]
    assert names("Al-Shabab insurgents stormed the base.", "Somalia") == ["Al Shabaab"]


def test_hama_is_not_hamas():
    assert "Hamas Movement" not in names("Russian air strikes hit the countryside of Hama.", "Syria")
    assert names("Hamas fired rockets.", "Israel") == ["Hamas Movement"]


def test_combined_syrian_russian_forces():
    assert names("Syrian and Russian warplanes bombed the town.", "Syria") == [
        "Allied Syrian and/or Russian Forces"
    ]


def test_backed_and_pro_country_words_do_not_make_state_forces():
    got = names("Turkish-backed factions shelled the village.", "Syria")
    assert got == ["Opposition Rebels (Syria)"]
    assert "Military Forces of Turkey (2002-)" not in names("Pro-Turkish factions fired mortars.", "Syria")


def test_social_groups_become_associated_labels():
    (m,) = mentions("Medical interns protested outside the ministry.")[:1]
    assert m.associated == "Health Workers ({country})"
    assert associated_name(m.associated, "Israel") == "Health Workers (Israel)"
    assert actor_name(m, "Israel") == "Civilians (Israel)"
    (j,) = [m for m in mentions("Two Indian journalists were beaten.") if m.associated]
    assert j.associated == "Journalists (India)"


def test_protest_verb_yields_protesters():
    got = names("Hundreds of workers demonstrated against unpaid wages.", "Chile")
    assert "Protesters (Chile)" in got


def test_ethnic_militia_and_group():
    ms = mentions("Fulani militiamen attacked Tiv villagers.")
    assert [actor_name(m, "Nigeria") for m in ms] == [
        "Fulani Ethnic Militia (Nigeria)",
        "Civilians (Nigeria)",
    ]
    assert associated_name(ms[1].associated, "Nigeria") == "Tiv Ethnic Group (Nigeria)"
    assert actor_inter(actor_name(ms[0], "Nigeria")) == 4


def test_foreign_forces_override_and_country_actor():
    assert names("Saudi forces fired artillery at villages.", "Yemen") == ["Operation Restoring Hope"]
    assert names("Turkey and Russia conducted a joint patrol.", "Syria") == [
        "Military Forces of Turkey (2002-)",
        "Military Forces of Russia (2000-)",
    ]
    assert "Civilians (Palestine)" in names("Soldiers fired tear gas at Palestinians.", "Palestine")


def test_regime_equipment_extends_mention():
    ms = mentions("Regime helicopters dropped barrel bombs.")
    assert len(ms) == 1 and ms[0].span.text == "Regime helicopters"
    assert actor_name(ms[0], "Syria") == "Military Forces of Syria (2000-)"
    assert mentions("Drones were seen over the area.") == []  # equipment alone is nobody


def test_spans_point_into_text():
    text = "Headline\n\nOn Monday, Afghan forces killed 3 Taliban militants in Helmand."
    for m in mentions(text):
        assert text[m.span.start : m.span.end] == m.span.text
    assert [m.span.text for m in mentions(text)] == ["Afghan forces", "Taliban militants"]


def test_inter_and_interaction_codes():
    assert actor_inter("Military Forces of Syria (2000-)") == 1
    assert actor_inter("Protesters (India)") == 6
    assert actor_inter("Taliban") == 2
    assert actor_inter("Unidentified Communal Militia (Chad)") == 4
    assert interaction_code(1, 7) == 17
    assert interaction_code(7, 1) == 17
    assert interaction_code(6, None) == 60
    assert interaction_code(None, None) == 0


def test_no_country_never_leaks_placeholders():
    for m in mentions("Soldiers and protesters clashed; gunmen fled."):
        assert "{" not in actor_name(m, "")


def _split(text: str, trigger: str):
    doc = make_document(Article(text=text))
    ms = find_actors(doc)
    k = text.index(trigger)
    agents, patients = agent_and_patient(text, Span(k, k + len(trigger), trigger), ms, sentence_start=0)
    return [a.span.text for a in agents], [p.span.text for p in patients]


@pytest.mark.parametrize(
    ("text", "trigger", "agents", "patients"),
    [
        ("Taliban militants attacked a police checkpoint.", "attacked", ["Taliban militants"], ["police"]),
        ("Two soldiers were killed by Al-Shabaab fighters.", "killed", ["Al-Shabaab fighters"], ["soldiers"]),
        ("A civilian was killed at the hands of unknown gunmen.", "killed", ["unknown gunmen"], ["civilian"]),
        ("Clashes broke out between the army and ISWAP.", "Clashes", ["army"], ["ISWAP"]),
        ("A Houthi-planted IED killed three civilians.", "killed", ["Houthi"], ["civilians"]),
        ("Villagers were shot as soldiers opened fire.", "shot", ["soldiers"], ["Villagers"]),
    ],
)
def test_agent_and_patient(text, trigger, agents, patients):
    assert _split(text, trigger) == (agents, patients)


def test_bad_input_does_not_crash():
    assert find_actors(make_document(Article(text=""))) == []
    assert find_actors(make_document(Article(text="!!! ??? ... 123"))) == []
    assert agent_and_patient("", Span(0, 0, ""), []) == ([], [])
    assert norm_word("") == ""


def test_unattributed_bomb_is_only_a_fallback_agent():
    text = "A roadside bomb planted by the Taliban killed two soldiers."
    agents, patients = _split(text, "killed")
    assert agents == ["Taliban"] and patients == ["soldiers"]
    agents, patients = _split("A roadside bomb killed two soldiers.", "killed")
    assert agents == ["roadside bomb"] and patients == ["soldiers"]


def test_supporters_side_with_their_principal():
    text = "Clashes broke out between the army, backed by allied militias, and Boko Haram fighters."
    agents, patients = _split(text, "Clashes")
    assert agents == ["army", "allied militias"] and patients == ["Boko Haram fighters"]


def test_parties_are_associated_actors():
    (m,) = mentions("Opposition party members were beaten. BJP workers gathered.")[-1:]
    assert m.span.text == "BJP workers"
    assert actor_name(m, "India") == "Civilians (India)"
    assert m.associated == "BJP: Bharatiya Janata Party"


def test_unit_naming_follows_the_units_country():
    assert names("Turkish gendarmerie detained a suspect.", "Syria") == [
        "Military Forces of Turkey (2002-) Gendarmerie"
    ]
    assert names("Gendarmes detained a suspect.", "Mali") == ["Police Forces of Mali (2021-) Gendarmerie"]
    assert names("Russian military police patrolled the town.", "Syria") == [
        "Military Forces of Russia (2000-) Military Police"
    ]


def test_country_after_of_belongs_to_next_actor():
    ms = mentions("A convoy of Russian soldiers was hit.")
    assert [m.span.text for m in ms] == ["Russian soldiers"]


# --- issue 4: social-group words that are no people; same-kind opponents; frontline dyads ----------


def test_religious_word_in_place_name_or_before_armed_actor_is_no_civilian() -> None:
    ms = mentions("A policeman was killed by Taliban fighters in Imam Sahib district on Monday.")
    assert all(m.inter != 7 for m in ms), [(m.span.text, m.inter) for m in ms]
    ms = mentions("Muslim separatists shot a ranger near the village.")
    assert [m.inter for m in ms] == [2]


def test_religious_word_before_protesters_keeps_associated_group() -> None:
    ms = mentions("Muslim protesters marched through the town centre.")
    assert any(m.associated.startswith("Muslim Group") for m in ms)


def test_clash_between_unnamed_groups_gets_two_sides() -> None:
    from marsad.coding.actors import apply_same_kind_opponent
    from marsad.model import Event

    ev = Event(
        article_id="a", sub_event_type="Armed clash", actor1="Unidentified Armed Group (Brazil)", inter1=3
    )
    assert apply_same_kind_opponent(ev)
    assert (ev.actor2, ev.inter2) == ("Unidentified Armed Group (Brazil)", 3)
    assert ev.evidence["actor2"].rule.startswith("acled:")
    named = Event(article_id="b", sub_event_type="Armed clash", actor1="Taliban", inter1=2)
    assert not apply_same_kind_opponent(named) and named.actor2 == ""
    attack = Event(
        article_id="c", sub_event_type="Attack", actor1="Unidentified Armed Group (Brazil)", inter1=3
    )
    assert not apply_same_kind_opponent(attack)


def test_frontline_dyad_names_one_side_for_unattributed_shelling() -> None:
    from marsad.coding.actors import apply_default_dyad
    from marsad.model import Event

    shell = Event(
        article_id="s",
        sub_event_type="Shelling/artillery/missile attack",
        country="Ukraine",
        event_date="2020-05-05",
    )
    assert apply_default_dyad(shell)
    assert shell.actor1.startswith("Military Forces of Ukraine") and shell.actor2 == ""
    clash = Event(article_id="c", sub_event_type="Armed clash", country="Ukraine", event_date="2020-05-05")
    assert apply_default_dyad(clash)
    assert clash.actor2.startswith("NAF")


def test_opposition_activists_are_no_armed_rebels() -> None:
    ms = mentions("Syrian opposition activists said warplanes struck the town.")
    assert all(m.inter not in (2, 3) for m in ms), [(m.span.text, m.name) for m in ms]


def test_security_forces_at_protests_are_police() -> None:
    from marsad.coding.actors import with_context

    text = "Iranian security forces opened fire on protesters in the town."
    sf = next(m for m in mentions(text) if m.role == "military")
    named = actor_name(with_context(sf, "", "Excessive force against protesters"), "Iran")
    assert named.startswith("Police Forces of Iran"), named
    assert actor_name(with_context(sf, "", "Armed clash"), "Iran").startswith("Military Forces of Iran")


def test_speaker_of_the_report_is_no_party() -> None:
    from marsad.coding.roles import assign_roles
    from marsad.mentions.triggers import find_triggers

    text = "Gunmen shot dead two traders at the market on Monday, police said."
    doc = make_document(Article(text=text))
    trig = next(t for t in find_triggers(doc) if t.cue == "kill")
    roles = assign_roles("Attack", trig, doc.sentences[0], find_actors(doc), text)
    got = {r.role for r in (roles.actor1, roles.actor2) if r is not None}
    assert "police" not in got, got


def test_riot_as_a_police_attribute_is_not_rioters() -> None:
    doc = make_document(Article(text="Officers in riot gear dispersed the marchers; a riot broke out later."))
    rioters = [a.span.text for a in find_actors(doc) if a.inter == 5]
    assert rioters == ["riot"]
    assert all(a.span.start > doc.text.index("later") - 20 for a in find_actors(doc) if a.inter == 5)
