"""Paragraphs that report no event: statistics, court cases, commemorations, disasters, policy."""

from __future__ import annotations

from datetime import date

import pytest

from marsad.mentions.triggers import find_triggers
from marsad.model import Article
from marsad.text import make_document


def _live(text: str) -> list[str]:
    """Cue ids of the triggers reported as having happened (neither negated nor hypothetical)."""
    doc = make_document(Article(text, published=date(2024, 5, 1)))
    return [t.cue for t in find_triggers(doc) if not t.negated and not t.hypothetical]


@pytest.mark.parametrize(
    "text",
    [
        # figurative: rights as the target, a legislative fight, a bill advancing
        "Lawmakers called the measure an attack on constitutional freedoms.",
        "Senators clashed over the spending package on Thursday.",
        "The bill eventually advanced on a party-line vote.",
        # statistics
        "The minister said homicides had fallen by 5% in the first quarter.",
        "More than 2,000 people were killed in armed violence in the region, a report said.",
        # court proceedings about an earlier act
        "Judges found that the defendant had ordered attacks on villagers.",
        # discourse about a war, history framed by a decade
        "The novel follows a young fighter through the bombardment of the city in the early 1980s.",
        "The study covered children who lived through years of shelling.",
        # commemoration
        "Ceremonies were held on Tuesday honouring soldiers who died fighting rebels.",
        # information released, not people
        "No details on the losses were released by the ministry.",
        # disasters and accidents
        "At least 20 people died when a bus plunged into a ravine on Tuesday.",
        "A fire at a crowded market killed 30 people overnight.",
        "Four miners were killed when a tunnel collapsed at the site.",
        "Rescue teams recovered the bodies and took the injured to hospital.",
        # plans and approvals
        "The cabinet approved the deployment of 500 police officers abroad.",
        "The army bought drones before the withdrawal of the peacekeepers.",
        "Opposition parties boycotted the meeting on Wednesday.",
    ],
)
def test_no_event_is_reported(text: str) -> None:
    assert _live(text) == []


@pytest.mark.parametrize(
    ("text", "cue"),
    [
        ("Gunmen killed four people when they attacked a bus on the highway.", "kill"),
        ("Soldiers clashed with rebels near the town on Sunday.", "clash"),
        ("Sellers of the local market demonstrated to demand lower rents.", "protest"),
        ("Workers boycotted their shifts and marched to the ministry.", "protest"),
        ("Gunmen attacked a village on Sunday, injuring ten residents.", "harm"),
        # an attribution or a crowd size, not information being released
        ("Up to 5,000 people, according to police figures, marched to the square.", "protest"),
        ("Last week, similar numbers marched in cities across the country.", "protest"),
    ],
)
def test_real_events_still_asserted(text: str, cue: str) -> None:
    assert cue in _live(text)
