"""Internal consistency of event records (marsad.coding.consistency), on hand-built events and on
every event the pipeline emits for the team-written news-prose set and the sample articles."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from conftest import E2E, EXAMPLES
from marsad.coding import learned
from marsad.coding.consistency import civilian_targeting, expected_inter, problems, rules, settle, violations
from marsad.knowledge import taxonomy
from marsad.model import Article, Event
from marsad.sources import read_inputs

NEWS_PROSE = Path(__file__).resolve().parent / "fixtures" / "news_prose.jsonl"


def _event(sub: str, actor1: str = "", inter1=None, actor2: str = "", inter2=None, **kw) -> Event:
    tax = taxonomy()
    ev = Event(
        article_id="a",
        sub_event_type=sub,
        event_type=tax.event_type_of[sub],
        disorder_type=tax.disorder_of[sub],
        actor1=actor1,
        inter1=inter1,
        actor2=actor2,
        inter2=inter2,
        country=kw.pop("country", "Mali"),
    )
    if inter1:
        ev.interaction = (
            int(f"{min(inter1, inter2 or inter1)}{max(inter1, inter2 or 0)}") if inter2 else inter1 * 10
        )
    for k, v in kw.items():
        setattr(ev, k, v)
    return ev


def test_consistent_records_pass():
    assert (
        problems(
            _event(
                "Armed clash",
                "Military Forces of Mali (2021-)",
                1,
                "JNIM: Group for Support of Islam and Muslims",
                2,
            )
        )
        == []
    )
    assert problems(_event("Peaceful protest", "Protesters (Mali)", 6)) == []
    vac = _event(
        "Attack",
        "Unidentified Armed Group (Mali)",
        3,
        "Civilians (Mali)",
        7,
        civilian_targeting="Civilian targeting",
    )
    assert problems(vac) == []
    ied = _event(
        "Remote explosive/landmine/IED",
        "Unidentified Armed Group (Mali)",
        3,
        "Civilians (Mali)",
        7,
        civilian_targeting="Civilian targeting",
    )
    assert problems(ied) == []
    assert problems(_event("Other")) == []  # no actors at all is incomplete, not inconsistent


def test_taxonomy_fields_must_follow_the_sub_event_type():
    ev = _event("Armed clash", "Military Forces of Mali (2021-)", 1)
    ev.event_type = "Violence against civilians"
    ev.disorder_type = "Demonstrations"
    found = " ".join(problems(ev))
    assert "event_type" in found and "disorder_type" in found
    assert problems(_event("Other", sub_event_type="Shootout")) == ["unknown sub_event_type 'Shootout'"]


def test_inter_codes_must_match_the_actor_kind():
    ev = _event(
        "Armed clash", "Military Forces of Mali (2021-)", 3, "JNIM: Group for Support of Islam and Muslims", 2
    )
    assert any("inter1=3" in p for p in problems(ev))
    ev = _event("Arrests", "Police Forces of Mali (2021-)", 1, "Civilians (Mali)", None)
    assert any("inter2=None" in p for p in problems(ev))
    ev = _event("Other", "", 3)
    assert any("without actor1" in p for p in problems(ev))
    # state forces abroad are external (8), at home state forces (1)
    assert expected_inter("Military Forces of France (2017-2022)", 1, "Mali") == 8
    assert expected_inter("Military Forces of Mali (2021-)", 1, "Mali") == 1
    foreign = _event("Air/drone strike", "Military Forces of France (2017-2022)", 1, country="Mali")
    assert any("coded 8" in p for p in problems(foreign))


def test_sides_must_fit_the_event_type():
    clash = _event("Armed clash", "Military Forces of Mali (2021-)", 1, "Civilians (Mali)", 7)
    assert any("cannot be actor2 of 'Battles'" in p for p in problems(clash))
    riot = _event("Violent demonstration", "Protesters (Mali)", 6)
    assert any("cannot be actor1 of 'Riots'" in p for p in problems(riot))
    bomb = _event("Remote explosive/landmine/IED", "Civilians (Iraq)", 7, country="Iraq")
    assert any("cannot be actor1" in p for p in problems(bomb))
    vac = _event("Attack", "Unidentified Armed Group (Mali)", 3, civilian_targeting="Civilian targeting")
    assert any("needs an actor2" in p for p in problems(vac))


def test_interaction_is_the_pair_of_inter_codes():
    ev = _event(
        "Armed clash", "Military Forces of Mali (2021-)", 1, "JNIM: Group for Support of Islam and Muslims", 2
    )
    ev.interaction = 21
    assert any("interaction=21" in p and "give 12" in p for p in problems(ev))
    ev = _event("Other", interaction=10)
    assert any("without inter1" in p for p in problems(ev))


def test_civilian_targeting_only_where_civilians_are_targeted():
    label = rules().civ_label
    arrest = _event(
        "Arrests", "Police Forces of Mali (2021-)", 1, "Civilians (Mali)", 7, civilian_targeting=label
    )
    assert any("set for 'Arrests'" in p for p in problems(arrest))
    assert civilian_targeting(arrest) == ""
    vac = _event("Attack", "Unidentified Armed Group (Mali)", 3, "Civilians (Mali)", 7)
    assert any("should be" in p for p in problems(vac)) and civilian_targeting(vac) == label
    shelling = _event(
        "Shelling/artillery/missile attack",
        "Military Forces of Mali (2021-)",
        1,
        "JNIM: Group for Support of Islam and Muslims",
        2,
    )
    assert civilian_targeting(shelling) == ""
    mob = _event("Mob violence", "Rioters (Mali)", 5, "Civilians (Mali)", 7)
    assert civilian_targeting(mob) == label
    force = _event(
        "Excessive force against protesters",
        "Protesters (Mali)",
        6,
        "Police Forces of Mali (2021-)",
        1,
        civilian_targeting=label,
    )
    assert problems(force) == []  # a judgement ACLED may make: protesters are civilians


def test_settle_rederives_the_dependent_fields():
    label = rules().civ_label
    ev = _event(
        "Arrests", "Police Forces of Mali (2021-)", 1, "Civilians (Mali)", 7, civilian_targeting=label
    )
    ev.event_type, ev.disorder_type, ev.interaction = "Battles", "Political violence", 71
    settle(ev)
    assert (ev.event_type, ev.disorder_type) == ("Strategic developments", "Strategic developments")
    assert ev.interaction == 17 and ev.civilian_targeting == ""
    assert "civilian_targeting" not in ev.evidence
    assert problems(ev) == []
    vac = _event("Attack", "Unidentified Armed Group (Mali)", 3, "Civilians (Mali)", 7)
    settle(vac)
    assert vac.civilian_targeting == label and vac.evidence["civilian_targeting"].rule
    lone = _event("Other", interaction=10)
    settle(lone)
    assert lone.interaction is None


def test_violations_keys_events():
    good = _event("Peaceful protest", "Protesters (Mali)", 6)
    bad = _event("Armed clash", "Military Forces of Mali (2021-)", 1, "Civilians (Mali)", 7)
    bad.event_id = "a:1"
    assert list(violations([good, bad])) == ["a:1"]


def _articles() -> list[Article]:
    out = []
    for line in NEWS_PROSE.read_text(encoding="utf-8").splitlines():
        if line.strip():
            r = json.loads(line)
            out.append(
                Article(
                    text=r["text"],
                    id=r["id"],
                    published=date.fromisoformat(r["published"]),
                    source=r.get("source"),
                )
            )
    for folder in (EXAMPLES / "articles", E2E):
        if folder.exists():
            out.extend(a for a in read_inputs([str(folder)]) if isinstance(a, Article))
    return out


@pytest.mark.usefixtures("warm_pipeline")
@pytest.mark.parametrize("learned_on", ["1", "0"])
def test_every_emitted_event_is_consistent(learned_on, monkeypatch):
    from marsad.pipeline import extract_article

    monkeypatch.setenv(learned.SWITCH_ENV, learned_on)
    learned._pipeline_model.cache_clear()
    try:
        arts = _articles()
        assert len(arts) > 140
        events = [e for a in arts for e in extract_article(a)]
        assert len(events) >= len(arts) - 40  # most paragraphs report an event
        assert violations(events) == {}
        if learned_on == "1":  # the refiner acts on this set, and its switches are recoded
            assert any(e.evidence["sub_event_type"].rule.startswith("learned:") for e in events)
    finally:
        learned._pipeline_model.cache_clear()
