"""Trigger finder: lexicon coverage, spans, negation, modality and background."""

from __future__ import annotations

from datetime import date

import pytest

from marsad.knowledge import read_json, taxonomy
from marsad.mentions.triggers import GENERIC_CLASSES, find_triggers, lexicon
from marsad.model import Article, Document
from marsad.text import make_document


def _doc(text: str, published: date | None = None) -> Document:
    return make_document(Article(text, published=published))


def _cues(text: str, published: date | None = None) -> dict[str, tuple[str, bool, bool]]:
    return {
        t.span.text.lower(): (t.cue, t.negated, t.hypothetical) for t in find_triggers(_doc(text, published))
    }


def test_lexicon_types_are_known() -> None:
    known = set(taxonomy().sub_event_types) | GENERIC_CLASSES
    raw = read_json("triggers.json")
    ids = [c["id"] for c in raw["cues"]]
    assert len(ids) == len(set(ids))
    for cue in raw["cues"]:
        assert cue["type"] in known, cue["id"]
        assert cue["patterns"] and cue["weight"] > 0


def test_spans_point_into_text() -> None:
    text = "Headline: Air strikes hit market\n\nWarplanes bombed the town on Monday, killing five civilians."
    doc = _doc(text)
    trs = find_triggers(doc)
    assert trs
    for t in trs:
        assert text[t.span.start : t.span.end] == t.span.text
    found = {t.span.text.lower(): t.sub_event_type for t in trs}
    assert found["air strikes"] == "Air/drone strike"
    assert found["warplanes bombed"] == "Air/drone strike"
    assert found["killing"] == "violence_generic"


@pytest.mark.parametrize(
    ("sentence", "phrase", "cue"),
    [
        ("Militants planted a roadside bomb near the bridge.", "roadside bomb", "ied"),
        ("A man blew himself up at the checkpoint.", "blew himself up", "suicide"),
        ("Gunmen opened fire on the bus.", "opened fire", "harm"),
        ("The rebels took control of the district capital.", "took control of", "territory_take"),
        ("Police fired tear gas at the crowd.", "tear gas", "intervention"),
        ("Police used rubber bullets.", "rubber bullets", "intervention"),
        ("Youths set fire to tyres on the highway.", "set fire to tyres", "riot"),
        ("Teachers went on strike over unpaid wages.", "went on strike", "protest"),
        ("Students staged a sit-in at the ministry.", "sit-in", "protest"),
        ("Thousands took to the streets of the capital.", "took to the streets", "protest"),
        ("A hand grenade was thrown into the bar.", "hand grenade", "grenade"),
        (
            "Fighters fired rocket-propelled grenades at the convoy.",
            "rocket-propelled grenades",
            "grenade_launcher",
        ),
        ("Residents reported the smell of chlorine after the attack.", "chlorine", "chemical"),
        ("Two women were raped by soldiers.", "raped", "sexual"),
        ("The warring parties signed a ceasefire agreement.", "ceasefire", "agreement"),
        ("Engineers defused an IED near the school.", "defused", "disrupted"),
        ("The army set up a new military base in the valley.", "set up a new military base", "hq"),
        ("The rally was held in March.", "rally", "protest"),
    ],
)
def test_news_cues(sentence: str, phrase: str, cue: str) -> None:
    got = _cues(sentence)
    hits = [v[0] for k, v in got.items() if phrase in k]  # a longer cue may swallow the phrase
    assert hits, got
    assert hits[0] == cue


def test_month_march_is_not_a_protest() -> None:
    got = _cues("On 3 March 2024, gunmen killed two farmers.")
    assert "march" not in got
    assert got["killed"][0] == "kill"


def test_negation() -> None:
    got = _cues(
        "The clashes lasted an hour but no one was killed. Neither fatalities nor injuries were reported."
    )
    assert got["killed"][1] is True
    assert got["injuries"][1] is True
    assert got["clashes"][1] is False


def test_negation_does_not_cross_clause() -> None:
    got = _cues("No soldiers were hurt, but two civilians were killed.")
    assert got["killed"][1] is False


@pytest.mark.parametrize(
    "sentence",
    [
        "The group threatened to attack the capital.",
        "Unions said they will protest on Friday.",
        "The army vowed to recapture the town.",
        "Officials fear the militia could seize the airport.",
        "The minister called for a ceasefire.",
    ],
)
def test_modality_marks_hypothetical(sentence: str) -> None:
    trs = find_triggers(_doc(sentence))
    assert trs
    assert all(t.hypothetical for t in trs), [(t.span.text, t.hypothetical) for t in trs]


def test_may_the_month_is_not_modal() -> None:
    trs = find_triggers(_doc("On 9 May 2024, soldiers clashed with rebels."))
    assert [t.hypothetical for t in trs] == [False]


def test_background_year() -> None:
    text = "Rebels entered the city on Saturday. The city was recaptured by government forces in 2016."
    trs = {t.span.text: t for t in find_triggers(_doc(text, published=date(2024, 11, 30)))}
    assert trs["recaptured"].hypothetical is True
    assert trs["entered the city"].hypothetical is False


def test_full_date_is_not_background() -> None:
    trs = find_triggers(
        _doc("On 4 May 2020, militants captured the village of Kolo.", published=date(2020, 5, 6))
    )
    assert [t.hypothetical for t in trs] == [False]


def test_bad_input() -> None:
    with pytest.raises(TypeError):
        find_triggers("not a document")  # type: ignore[arg-type]
    assert find_triggers(_doc("")) == []
    assert find_triggers(_doc("Nothing happened here at all.")) == []


def test_background_cue_must_share_the_clause() -> None:
    text = (
        "Russian jets carried out air strikes on the city on Saturday, the first such raids there since 2016."
    )
    trs = {t.span.text: t for t in find_triggers(_doc(text, published=date(2024, 11, 30)))}
    assert trs["air strikes"].hypothetical is False


def test_reason_cues_mark_background() -> None:
    trs = {
        t.span.text: t
        for t in find_triggers(_doc("A man suspected of kidnapping a child was beaten by locals."))
    }
    assert trs["kidnapping"].hypothetical is True
    assert trs["beaten"].hypothetical is False


def test_non_event_verbs_are_not_triggers() -> None:
    got = _cues("The ministry wants to demonstrate its commitment and will deal with the backlog.")
    assert not any(v[0] == "protest" for v in got.values()), got


def test_bad_pattern_names_its_cue(monkeypatch: pytest.MonkeyPatch) -> None:
    import marsad.mentions.triggers as trig

    raw = read_json("triggers.json")
    raw["cues"] = [{"id": "broken_cue", "type": "Attack", "weight": 1.0, "patterns": ["(unclosed"]}]
    monkeypatch.setattr(trig, "read_json", lambda name: raw)
    trig.lexicon.cache_clear()
    try:
        with pytest.raises(ValueError, match="broken_cue"):
            trig.lexicon()
    finally:
        monkeypatch.undo()
        trig.lexicon.cache_clear()


def test_every_cue_is_indexed_by_its_first_letters() -> None:
    # a pattern starting with a wildcard would make every word a candidate (slow): keep the index tight
    assert lexicon().index.unindexed == []


def test_text_end_terminates() -> None:
    assert [t.span.text for t in find_triggers(_doc("Soldiers clashed."))] == ["clashed"]


def _live(text: str) -> list[str]:
    return [t.span.text for t in find_triggers(_doc(text)) if not t.negated and not t.hypothetical]


@pytest.mark.parametrize(
    "sentence",
    [
        # diplomacy and proposals: a ceasefire named, not agreed
        "Foreign ministers urged Moscow to accept the proposed ceasefire or face further sanctions.",
        "Talks on a ceasefire will resume next week in Geneva.",
        # weapon nouns with no attack
        "The ship carried a missile propellant ingredient bound for the port.",
        # figurative uses
        "The senator called the ruling an attack on democracy.",
        "The president attacked the newspaper for refusing to back his tariffs.",
        "Ukrainians are fighting for their freedom, the lawmaker said.",
        "The Oval Office clash between the two leaders stunned diplomats.",
        "We only have one shot at getting this right, the minister said.",
        "He has regained control over his health after years of treatment.",
        "The film bombed at the box office last weekend.",
        # base-form verbs describe habits, not incidents
        "Elephants sometimes kill people who stray into their path.",
        # a suicide vest worn, not detonated
        "Officials said the commander had been wearing a suicide vest when he was found.",
        # disasters, not assailants
        "Collapsing buildings injured 15 people as the cyclone hit the coast.",
        # bomb-making and warrants
        "Police said the cell was making remote-controlled bombs in a rented flat.",
        "The opposition leader rejected the arrest warrant as politically motivated.",
        # blame and back-references
        "Officials blamed several recent attacks on militants based across the border.",
        # curfews mentioned as background
        "Workers lost their wages during the coronavirus lockdown.",
    ],
)
def test_non_events_are_not_live(sentence: str) -> None:
    assert _live(sentence) == [], _live(sentence)


@pytest.mark.parametrize(
    ("sentence", "phrase"),
    [
        ("The two sides agreed to a ceasefire on Sunday.", "agreed to a ceasefire"),
        ("A ceasefire took effect at midnight.", "ceasefire took effect"),
        ("Rockets struck a residential block in the city overnight.", "Rockets struck"),
        ("Gunmen opened fire on a bus, killing four passengers.", "opened fire"),
        ("Unknown gunmen attempted to assassinate a local official.", "assassinate"),
        ("A soldier was shot in the leg by a sniper.", "shot"),
        ("Authorities imposed a curfew after the riots.", "curfew"),
        ("A suicide bomber detonated his explosive vest at the gate.", "suicide bomber"),
    ],
)
def test_real_events_stay_live(sentence: str, phrase: str) -> None:
    assert phrase in _live(sentence), _live(sentence)


def test_quoted_speech_is_not_asserted() -> None:
    text = (
        'The president said: "We will crush the terrorists and their backers wherever they attack our people." '
        "Rebels attacked an army post near the town on Friday."
    )
    live = _live(text)
    assert "attacked an army post" in live
    assert all(t.hypothetical for t in find_triggers(_doc(text)) if t.span.start < text.index("Rebels"))


def test_scare_quotes_do_not_hide_events() -> None:
    # short quotations are the reporter's words with a source's phrase, not speech
    assert _live('The army said rebels had invaded "large parts" of the city.')


def test_needs_names_a_known_context_group() -> None:
    lex = lexicon()
    for cue in lex.cues.values():
        assert not cue.needs or cue.needs in lex.context, cue


@pytest.mark.parametrize(
    "sentence",
    [
        "The activist remains in detention in a facility near the border.",
        "The new law targeted gaming addiction among teenagers.",
        "The bill would legalise the interception of foreign vessels.",
    ],
)
def test_states_and_policy_words_are_not_events(sentence: str) -> None:
    assert _live(sentence) == [], _live(sentence)


def test_air_force_targeting_is_an_air_strike() -> None:
    trs = find_triggers(_doc("The air force targeted rebel positions outside the town on Sunday."))
    assert any(t.cue == "airstrike" and not t.hypothetical for t in trs)


def test_news_cues_for_defections_found_bodies_brawls_and_atgms() -> None:
    from marsad.model import Article
    from marsad.text import make_document

    cases = {
        "Twelve policemen switched sides and joined the Taliban in Faryab on Monday.": "Change to group/activity",
        "The bodies of two men were found dumped near a highway outside Culiacan.": "violence_generic",
        "A fist fight broke out between rival lawmakers in parliament on Tuesday.": "riot_generic",
        "Rebels destroyed an army tank with an anti-tank missile near the front line.": "Shelling/artillery/missile attack",
    }
    for sentence, expected in cases.items():
        found = {t.sub_event_type for t in find_triggers(make_document(Article(text=sentence)))}
        assert expected in found, (sentence, found)


# --- issue 4: news wording for rare types, disasters, truces --------------------------------------


def _flagged_cues(text: str) -> list[tuple[str, str, bool]]:
    from marsad.mentions.triggers import find_triggers as _ft
    from marsad.model import Article as _A
    from marsad.text import make_document as _md

    return [(t.cue, t.sub_event_type, t.negated or t.hypothetical) for t in _ft(_md(_A(text)))]


@pytest.mark.parametrize(
    ("text", "cue"),
    [
        ("Troops dislodged the insurgents from the market town on Saturday.", "territory_retake"),
        ("The junta's soldiers won back the town after a week of fighting.", "territory_retake"),
        ("Police took four journalists into custody in the capital.", "arrest"),
        ("The peacekeepers handed over their camp to the national army.", "withdrawal"),
        ("The mission transferred the forward operating base to the army on Tuesday.", "withdrawal"),
        ("The rebels established a training camp in the forest, elders said.", "hq"),
        ("The group formed a new naval unit to patrol the coast.", "change"),
        ("The movement announced a new leader after its commander died.", "change"),
        ("Settlers uprooted dozens of olive trees belonging to farmers.", "looting"),
        ("Officers ousted the president and seized power overnight.", "coup"),
    ],
)
def test_news_wording_flagged_cues(text: str, cue: str) -> None:
    live = [c for c, _, dead in _flagged_cues(text) if not dead]
    assert cue in live, _flagged_cues(text)


def test_truce_is_not_a_battle() -> None:
    cues = _flagged_cues(
        "The government and the rebels agreed to a permanent cessation of hostilities on Wednesday."
    )
    assert not any(c == "clash" and not dead for c, _, dead in cues)
    assert any(t == "Agreement" and not dead for _, t, dead in cues)


@pytest.mark.parametrize(
    "text",
    [
        "Heavy rains triggered landslides in the hills on Thursday, killing 14 people.",
        "A fuel truck overturned on the highway and burst into flames, killing two people.",
    ],
)
def test_deaths_in_disasters_are_no_violence(text: str) -> None:
    assert all(dead for c, _, dead in _flagged_cues(text) if c in ("kill", "death"))


def test_disaster_words_do_not_hide_an_attack() -> None:
    cues = _flagged_cues("Weeks after the landslide, gunmen attacked the camp and killed five farmers.")
    assert any(c == "kill" and not dead for c, _, dead in cues)


# --- round 2: announcements, commitments, metaphors and statistics in news prose ---


def test_announced_dissolution_is_not_blocked_by_would() -> None:
    cues = _cues("The Lions Brigade said on Friday it would disband and join the interior ministry's police.")
    assert cues["disband"] == ("group_change", False, False)


def test_threatened_dissolution_stays_hypothetical() -> None:
    cues = _cues("Donors threatened that the council could disband the unit.")
    assert cues["disband"][2] is True


@pytest.mark.parametrize(
    "sentence",
    [
        "The insurgents vowed on Tuesday to attack every convoy on the highway.",
        "The governor promised last week to end the fighting and to rebuild every school damaged by the shelling.",
        "The commander swore in a video to attack the port.",
    ],
)
def test_commitment_scopes_over_its_clause(sentence: str) -> None:
    trs = find_triggers(_doc(sentence))
    assert trs and all(t.hypothetical for t in trs), [(t.span.text, t.hypothetical) for t in trs]


def test_commitment_scope_stops_at_comma() -> None:
    trs = find_triggers(
        _doc("Militants who had threatened to attack the town, stormed it on Monday, killing four guards.")
    )
    killing = [t for t in trs if t.span.text == "killing"]
    assert killing and not killing[0].hypothetical


@pytest.mark.parametrize(
    "sentence",
    [
        "Unions denounced the plan as a massacre of the working class.",
        "The senator launched an attack on the governor's budget proposal.",
        "Columnists called the decision an assault on public services.",
        "The firm bombarded customers with emails for weeks.",
    ],
)
def test_economic_and_political_metaphors_are_not_events(sentence: str) -> None:
    trs = find_triggers(_doc(sentence))
    assert all(t.hypothetical or t.negated for t in trs), [(t.span.text, t.hypothetical) for t in trs]


def test_match_report_is_figurative() -> None:
    trs = find_triggers(
        _doc(
            "United laid siege to the goal in the second half and the defenders fought like warriors for a draw."
        )
    )
    assert trs and all(t.hypothetical for t in trs)


def test_fans_fighting_police_after_a_match_is_real() -> None:
    cues = _cues("Fans clashed with police after the match and the game was abandoned in the second half.")
    assert cues["clashed"][2] is False


@pytest.mark.parametrize(
    "sentence",
    [
        "Forty years after the massacre, relatives still wait for justice.",
        "Some 3 million Afghans have fled their homes since the war began.",
        "Mourners gathered to remember those who died in the bombing.",
    ],
)
def test_anniversaries_and_statistics_are_background(sentence: str) -> None:
    trs = [t for t in find_triggers(_doc(sentence)) if t.sub_event_type != "protest_generic"]
    assert trs and all(t.hypothetical for t in trs), [(t.span.text, t.hypothetical) for t in trs]


def test_protest_ahead_of_arrests_is_not_yet_held() -> None:
    cues = _cues("Police detained 25 students on Monday ahead of a march planned for Friday.")
    assert cues["march"][2] is True
    assert cues["detained"][2] is False


def test_riot_police_are_not_a_riot() -> None:
    cues = _cues("Riot police stood guard outside the ministry.")
    assert "riot" not in cues


def test_charges_name_an_earlier_act() -> None:
    cues = _cues("Police arrested 14 men on Tuesday on charges of inciting riots.")
    assert cues["riots"][2] is True
    assert cues["arrested"][2] is False


def test_policy_called_an_assault_is_figurative() -> None:
    trs = find_triggers(_doc("The new fuel tax is an assault on motorists, the opposition said."))
    assert all(t.hypothetical for t in trs)


def test_coach_and_side_make_a_match_report() -> None:
    trs = find_triggers(_doc("The coach said his side had been ambushed by a hungry team in the cup final."))
    assert all(t.hypothetical for t in trs)


def test_months_of_violence_before_a_deal_is_background() -> None:
    cues = _cues("Elders signed a reconciliation accord on Sunday after months of revenge killings.")
    assert cues["killings"][2] is True


# --- earlier-dated subordinate clauses (issue #4) ---------------------------------------------


def _flags(text: str) -> dict[str, bool]:
    """Trigger text -> hypothetical/background flag, for a report published in 2025."""
    return {t.span.text.lower(): t.hypothetical for t in find_triggers(_doc(text, date(2025, 6, 9)))}


@pytest.mark.parametrize(
    ("sentence", "main", "background"),
    [
        # appositive with its own earlier date
        (
            "Troops on Sunday set up a new military base in Ansongo, a town their aircraft bombed last month.",
            "set up a new military base",
            "aircraft bombed",
        ),
        # relative clause dated to an earlier year
        (
            "Bandits on Monday abducted 14 travellers near Gusau, the town where gunmen killed 9 people in 2021.",
            "abducted",
            "killed",
        ),
        # "N years after ...": the quantity dates the clause itself
        (
            "Government forces on Friday recaptured the port of Kismayo, three years after insurgents seized control of it.",
            "recaptured",
            "seized control of",
        ),
        # a dated participle phrase that is the subject of the main verb
        (
            "Twelve aid workers kidnapped in Darfur last month have been freed, officials said on Monday.",
            "been freed",
            "kidnapped",
        ),
    ],
)
def test_trigger_in_earlier_dated_clause_is_background(sentence: str, main: str, background: str) -> None:
    flags = _flags(sentence)
    assert flags[main] is False
    assert flags[background] is True


def test_main_verb_after_the_date_closes_the_relative_clause() -> None:
    flags = _flags("Police who were attacked last week clashed again with rioters on Tuesday in Nairobi.")
    assert flags["clashed"] is False


def test_dated_clause_alone_stays_an_event() -> None:
    # nothing else in the sentence: the dated event is what the sentence reports
    assert (
        _flags("Residents mourned in Gao, where militants killed 20 villagers last month.")["killed"] is False
    )


def test_reported_that_clause_is_not_a_relative_clause() -> None:
    flags = _flags("Police said on Monday that gunmen attacked a bus last week and abducted six passengers.")
    assert flags["abducted"] is False


def test_current_year_is_not_an_earlier_date() -> None:
    flags = _flags("Soldiers on Sunday shelled Tessit, which rebels captured in 2025.")
    # same year as the report: not history, so both remain
    assert flags["captured"] is False
