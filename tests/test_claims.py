"""Claims: who said what, which figure each source gave, and the coded figure (team-written sentences)."""

from __future__ import annotations

from datetime import date

import marsad
from marsad.mentions.claims import find_attributions, source_names
from marsad.model import Article, Event
from marsad.pipeline import extract_article
from marsad.text import make_document


def speakers(text: str) -> list[tuple[str, str, bool, str]]:
    doc = make_document(Article(text=text))
    return [(a.span.text, a.claimant, a.named, a.party) for a in find_attributions(doc)]


def extract(text: str, source: str = "Test Wire", published: date = date(2024, 6, 12)) -> list[Event]:
    return extract_article(Article(text=text, published=published, source=source))


# --- finding attributions --------------------------------------------------------------------------


def test_named_monitor_with_abbreviation_is_one_canonical_source() -> None:
    got = speakers(
        "The Syrian Observatory for Human Rights (SOHR) reported that nine fighters died near Hama. "
        "SOHR said the fighting continued."
    )
    assert [g[1] for g in got] == ["Syrian Observatory for Human Rights"] * 2
    assert all(g[2] for g in got)


def test_trailing_speaker_after_comma() -> None:
    ((span, claimant, named, party),) = speakers("Two guards were shot dead at the checkpoint, police said.")
    assert (span, claimant, named, party) == ("police", "police", False, "state")


def test_according_to_and_inverted_speaker() -> None:
    got = speakers(
        "According to the Interior Ministry, four bandits were arrested. "
        '"We will not rest," said Amina Bello, a district chief.'
    )
    assert got[0][1] == "Interior Ministry" and got[0][2]
    assert got[1][1] == "Amina Bello" and got[1][2]


def test_anonymous_official_told_an_agency() -> None:
    doc = make_document(
        Article(text="A local official who asked not to be named told Reuters that six villagers died.")
    )
    (a,) = find_attributions(doc)
    assert a.claimant == "local official" and not a.named
    assert a.via == "Reuters"


def test_passive_reporting_and_responsibility_claims_are_not_speakers() -> None:
    assert speakers("No casualties were reported after the blast.") == []
    assert speakers("The group claimed responsibility for the ambush.") == []


def test_pronoun_speaker_takes_the_previous_source() -> None:
    got = speakers("Amnesty International documented the raid. It said 14 people were detained.")
    assert [g[1] for g in got] == ["Amnesty International", "Amnesty International"]


def test_demonym_army_is_a_party_but_not_a_named_source() -> None:
    ((_, claimant, named, party),) = speakers("The Malian army said it repelled the assault.")
    assert claimant == "Malian army" and not named and party == "state"


# --- claims on events ------------------------------------------------------------------------------


def test_claims_and_sources_on_the_event() -> None:
    (ev,) = extract(
        "The Syrian Observatory for Human Rights reported that 14 fighters were killed in clashes between "
        "rebels and government forces near Idlib on Tuesday."
    )
    assert ev.source == "Test Wire; Syrian Observatory for Human Rights"
    assert ev.evidence["source"].spans[0].text.startswith("The Syrian Observatory")
    (claim,) = ev.claims
    assert claim.claimant == "Syrian Observatory for Human Rights"
    assert claim.fatalities == 14
    assert claim.outlet == "Test Wire" and claim.article_id == ev.article_id
    assert "14" in claim.span.text


def test_disagreeing_sources_keep_both_claims_and_code_the_lowest() -> None:
    (ev,) = extract(
        "Police said 12 people were killed when militants stormed an army base in Maiduguri on Monday. "
        "Hospital sources put the death toll at 19."
    )
    assert ev.fatalities == 12
    assert ev.evidence["fatalities"].rule.startswith("claims:lowest_credible")
    figures = {c.claimant: c.fatalities for c in ev.claims}
    assert figures == {"police": 12, "hospital sources": 19}


def test_party_tally_of_enemy_dead_yields_to_an_independent_figure() -> None:
    (ev,) = extract(
        "The army said it killed 40 militants in clashes near Kunduz on Sunday. "
        "Local officials said 25 people died in the fighting."
    )
    assert ev.fatalities == 25
    assert {c.fatalities for c in ev.claims} == {40, 25}


def test_party_tally_alone_is_coded() -> None:
    (ev,) = extract("The army said it killed 40 militants in clashes near Kunduz on Sunday.")
    assert ev.fatalities == 40
    assert ev.claims[0].claimant == "army"


def test_updated_toll_is_not_a_disagreement() -> None:
    (ev,) = extract(
        "A car bomb killed eight people in Mogadishu on Monday, police said. "
        "The death toll later rose to 15, hospital officials said."
    )
    assert ev.fatalities == 15


def test_different_victims_from_different_sources_add_up() -> None:
    (ev,) = extract(
        "Two policemen were killed when militants attacked a checkpoint in Bannu on Friday, police said. "
        "The militants said three of their fighters died in the attack."
    )
    assert ev.fatalities == 5


def test_outlet_voice_count_is_a_claim_of_the_outlet() -> None:
    (ev,) = extract("Gunmen killed seven villagers in Zamfara on Saturday.", source="Daily Test")
    assert [(c.claimant, c.fatalities) for c in ev.claims] == [("Daily Test", 7)]
    assert ev.source == "Daily Test"


def test_claims_survive_the_event_dict_round_trip() -> None:
    (ev,) = marsad.extract(
        "Police said 3 protesters were shot dead in Kano on 4 June 2024.", published="2024-06-12"
    )
    back = Event.from_dict(ev.to_dict())
    assert back.claims == ev.claims and back.claims


def test_bad_input_gives_no_attributions() -> None:
    doc = make_document(Article(text="   "))
    assert find_attributions(doc) == []
    assert find_attributions(None) == []  # type: ignore[arg-type]


def test_generic_speakers_are_never_named_sources() -> None:
    from marsad.mentions.claims import is_generic_speaker

    for generic in (
        "security sources",
        "Security sources",
        "Survivors",
        "Freed passengers",
        "Several witnesses",
        "Medical Sources",
        "Pakistani authorities",
        "a local official",
        "",
    ):
        assert is_generic_speaker(generic), generic
    for named in ("Human Rights Watch", "Interior Ministry", "Provincial Governor Ali Khan", "Reuters", "UN"):
        assert not is_generic_speaker(named), named


def test_sentence_initial_description_is_not_a_source() -> None:
    text = (
        "Gunmen killed four people at a market in Konduga on Monday. Freed passengers said the attackers "
        "wore uniforms. Provincial Governor Ali Khan said 4 people were killed."
    )
    doc = make_document(Article(text=text, id="t", source="Sahel Wire"))
    names, _ = source_names("Sahel Wire", find_attributions(doc))
    assert names == "Sahel Wire; Provincial Governor Ali Khan"
