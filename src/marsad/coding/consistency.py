"""Is an event record internally consistent, as ACLED's codebook requires?

Every field derived from another must agree with it: event_type and disorder_type with the
sub-event type (per ``taxonomy.json``); each inter code with the kind of actor it codes (per the
actor dictionary, foreign state forces being external, 8); interaction with the two inter codes;
the sides' kinds with the event type (battles are fought by armed actors, violence against
civilians has civilians as actor2, protesters lead protests, rioters riots); civilian_targeting
only where civilians are the target. The rules live in ``knowledge/data/consistency.json``.

``problems`` lists what is wrong with one event (empty when consistent): tests run it over every
event the pipeline emits, and the learned refiner uses it to refuse a switch it cannot make valid.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from marsad.coding.actors import external_inter, interaction_code
from marsad.knowledge import read_json, taxonomy
from marsad.mentions.actors import actor_inter
from marsad.model import Event, Evidence

__all__ = [
    "Rules",
    "civilian_targeting",
    "expected_inter",
    "problems",
    "rules",
    "settle",
    "violations",
]


@dataclass(frozen=True, slots=True)
class Rules:
    inter1: dict[str, frozenset[int]]  # event type -> inter codes actor1 may have
    inter2: dict[str, frozenset[int]]
    actor2_required: frozenset[str]  # event types that always have a second side
    civ_label: str
    civ_always: frozenset[str]  # event types always coded as civilian targeting
    civ_if_actor2_civilians: frozenset[str]  # ... exactly when actor2 is civilians
    civ_may: frozenset[str]  # sub-event types where it may be set


@cache
def rules() -> Rules:
    """The consistency rules (``consistency.json``), loaded once and checked against the taxonomy."""
    raw = read_json("consistency.json")
    known = set(taxonomy().event_type_of.values())
    spec = raw["event_types"]
    if set(spec) != known:
        raise ValueError(f"consistency.json: event_types must be exactly {sorted(known)}")
    civ = raw["civilian_targeting"]
    return Rules(
        inter1={et: frozenset(int(i) for i in v["inter1"]) for et, v in spec.items()},
        inter2={et: frozenset(int(i) for i in v["inter2"]) for et, v in spec.items()},
        actor2_required=frozenset(et for et, v in spec.items() if v.get("actor2_required")),
        civ_label=str(civ["label"]),
        civ_always=frozenset(civ.get("always", [])),
        civ_if_actor2_civilians=frozenset(civ.get("when_actor2_civilians", [])),
        civ_may=frozenset(civ.get("may", [])),
    )


def expected_inter(name: str, inter: int | None, country: str) -> int | None:
    """The inter code ACLED gives actor ``name`` in an event in ``country``.

    A name the dictionary knows fixes its code; an unknown name keeps the one it was given. State
    forces outside their own country are external (8).
    """
    if not name:
        return None
    code = actor_inter(name, inter or 0) or None
    return external_inter(name, code, country)


def civilian_targeting(ev: Event) -> str:
    """ACLED's civilian_targeting for ``ev``: the label where civilians are the target, else "".

    Always for violence against civilians; for explosions and riots when actor2 is civilians; kept
    as coded for sub-types where it is a judgement (excessive force against protesters); never for
    battles, protests or strategic developments ("police arrested civilians" targets no one).
    """
    r = rules()
    et = taxonomy().event_type_of.get(ev.sub_event_type, ev.event_type)
    if et in r.civ_always or (et in r.civ_if_actor2_civilians and ev.inter2 == 7):
        return r.civ_label
    if ev.sub_event_type in r.civ_may and ev.civilian_targeting:
        return r.civ_label
    return ""


def settle(ev: Event) -> Event:
    """Re-derive, in place, the fields that follow from others: event_type and disorder_type from
    the sub-event type, interaction from the inter codes, civilian_targeting from the event type
    and actor2. A field that already agrees keeps its evidence; a corrected one cites its rule."""
    tax = taxonomy()
    sub = ev.sub_event_type
    spans = ev.evidence.get("sub_event_type", Evidence()).spans
    if sub in tax.event_type_of:
        if ev.event_type != tax.event_type_of[sub]:
            ev.event_type = tax.event_type_of[sub]
            ev.evidence["event_type"] = Evidence(spans, "taxonomy:event_type_of_sub_event_type")
        if ev.disorder_type != tax.disorder_of[sub]:
            ev.disorder_type = tax.disorder_of[sub]
            ev.evidence["disorder_type"] = Evidence(spans, "taxonomy:disorder_type_of_sub_event_type")
    want = interaction_code(ev.inter1, ev.inter2) if ev.inter1 else None
    if ev.interaction != want:
        ev.interaction = want
        if want is None:
            ev.evidence.pop("interaction", None)
        else:
            ev.evidence["interaction"] = Evidence(rule="acled:interaction_from_inter_codes")
    civ = civilian_targeting(ev)
    if ev.civilian_targeting != civ:
        ev.civilian_targeting = civ
        if civ:
            ev.evidence["civilian_targeting"] = Evidence(
                ev.evidence.get("actor2", Evidence()).spans, "acled:civilians_targeted"
            )
        else:
            ev.evidence.pop("civilian_targeting", None)
    return ev


def problems(ev: Event) -> list[str]:
    """Every internal inconsistency of ``ev`` as a readable message; empty when the record is valid."""
    out: list[str] = []
    tax = taxonomy()
    sub = ev.sub_event_type
    if sub not in tax.event_type_of:
        return [f"unknown sub_event_type {sub!r}"]
    et = tax.event_type_of[sub]
    if ev.event_type != et:
        out.append(f"event_type {ev.event_type!r} but {sub!r} belongs to {et!r}")
    if ev.disorder_type != tax.disorder_of[sub]:
        out.append(f"disorder_type {ev.disorder_type!r} but {sub!r} is {tax.disorder_of[sub]!r}")
    r = rules()
    for slot in (1, 2):
        name, inter = getattr(ev, f"actor{slot}"), getattr(ev, f"inter{slot}")
        if not name:
            if inter:
                out.append(f"inter{slot}={inter} without actor{slot}")
            continue
        if inter is None or not 1 <= inter <= 8:
            out.append(f"actor{slot} {name!r} has inter{slot}={inter!r} (must be 1-8)")
            continue
        want = expected_inter(name, inter, ev.country)
        if want != inter:
            out.append(f"inter{slot}={inter} but {name!r} is coded {want}")
        allowed = (r.inter1 if slot == 1 else r.inter2)[et]
        if inter not in allowed:
            out.append(f"actor{slot} {name!r} (inter {inter}) cannot be actor{slot} of {et!r}")
    if ev.actor2 and not ev.actor1:
        out.append("actor2 without actor1")
    if et in r.actor2_required and ev.actor1 and not ev.actor2:
        out.append(f"{et!r} needs an actor2")
    if ev.inter1:
        want_ix = interaction_code(ev.inter1, ev.inter2)
        if ev.interaction != want_ix:
            out.append(f"interaction={ev.interaction} but inter {ev.inter1}/{ev.inter2 or 0} give {want_ix}")
    elif ev.interaction:
        out.append(f"interaction={ev.interaction} without inter1")
    civ_target = et in r.civ_always or (et in r.civ_if_actor2_civilians and ev.inter2 == 7)
    if civ_target and ev.civilian_targeting != r.civ_label:
        out.append(f"civilian_targeting should be {r.civ_label!r} ({et}, actor2 {ev.actor2!r})")
    if ev.civilian_targeting and not civ_target and sub not in r.civ_may:
        out.append(f"civilian_targeting {ev.civilian_targeting!r} set for {sub!r} with actor2 {ev.actor2!r}")
    if ev.civilian_targeting and ev.civilian_targeting != r.civ_label:
        out.append(f"civilian_targeting {ev.civilian_targeting!r} is not {r.civ_label!r}")
    return out


def violations(events: Iterable[Event]) -> dict[str, list[str]]:
    """``problems`` of each inconsistent event, keyed by event_id (article_id when it has none)."""
    out: dict[str, list[str]] = {}
    for i, ev in enumerate(events):
        found = problems(ev)
        if found:
            out[ev.event_id or f"{ev.article_id}#{i}"] = found
    return out
