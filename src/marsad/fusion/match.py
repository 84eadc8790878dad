"""Do two reports describe the same incident? Date, place, type and actor agreement rules.

A "report" is one article's extracted event. Each rule is a small pure function so that it can be
tested and tuned alone; ``same_incident`` requires all four. The thresholds and compatible pairs
live in ``knowledge/data/fusion_rules.json``.
"""

from __future__ import annotations

import calendar
import math
import re
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache, lru_cache

from marsad.knowledge import read_json, taxonomy
from marsad.model import Event


@dataclass(frozen=True)
class Rules:
    exact_days: int
    loose_days: int
    week_days: int
    loose_rules: tuple[str, ...]
    loose_words: tuple[str, ...]
    radius_km: dict[int, float]
    same_event_type_agrees: frozenset[str]
    compatible: frozenset[frozenset[str]]
    generic_prefixes: tuple[str, ...]
    non_combatant_inters: frozenset[int]
    follow_up_days: int
    same_place_km: float
    toll_ratio: float
    tolled_protest_types: frozenset[str]


@cache
def rules() -> Rules:
    raw = read_json("fusion_rules.json")
    d, p, t, a, f = raw["date"], raw["place"], raw["types"], raw["actors"], raw["follow_up"]
    known = set(taxonomy().sub_event_types)
    pairs = []
    for x, y in t["compatible"]:
        if x not in known or y not in known:
            raise ValueError(f"fusion_rules.json: unknown sub-event type in pair {x!r}, {y!r}")
        pairs.append(frozenset((x, y)))
    for x in f.get("tolled_protest_types", []):
        if x not in known:
            raise ValueError(f"fusion_rules.json: unknown sub-event type {x!r} in tolled_protest_types")
    return Rules(
        exact_days=int(d["exact"]),
        loose_days=int(d["loose"]),
        week_days=int(d["week"]),
        loose_rules=tuple(d["loose_rules"]),
        loose_words=tuple(w.lower() for w in d["loose_words"]),
        radius_km={int(k): float(v) for k, v in p["radius_km"].items()},
        same_event_type_agrees=frozenset(t["same_event_type_agrees"]),
        compatible=frozenset(pairs),
        generic_prefixes=tuple(a["generic_prefixes"]),
        non_combatant_inters=frozenset(int(x) for x in a["non_combatant_inters"]),
        follow_up_days=int(f["max_days"]),
        same_place_km=float(f["same_place_km"]),
        toll_ratio=float(f["toll_ratio"]),
        tolled_protest_types=frozenset(f.get("tolled_protest_types", [])),
    )


# --- dates ---------------------------------------------------------------------------------------


def _parse(iso: str) -> date | None:
    try:
        return date.fromisoformat(iso[:10])
    except (TypeError, ValueError):
        return None


def is_relative_date(ev: Event) -> bool:
    """Was the date resolved from words relative to publication ('yesterday', 'on Tuesday')?"""
    evidence = ev.evidence.get("event_date")
    rule = evidence.rule if evidence is not None else ""
    return rule.startswith(("weekday", "since_weekday", "relative:", "published_date")) or (
        "inherited_from_context" in rule
    )


def is_loose_date(ev: Event) -> bool:
    """Could another outlet honestly give the day before or after? (night-time, weak evidence)"""
    evidence = ev.evidence.get("event_date")
    if evidence is None:
        return True  # a date nobody can point at is weak
    r = rules()
    if any(x in evidence.rule for x in r.loose_rules):
        return True
    words = " ".join(s.text.lower() for s in evidence.spans)
    return any(w in words for w in r.loose_words)


def agreement_window(ev: Event) -> tuple[str, str] | None:
    """ISO dates [from, to] the report's date allows (its precision and slack, see the rules file).

    Precision 1: the day itself, whether stated ("on 12 March") or resolved from relative words
    ("yesterday", "on Tuesday"); one day either side when the report straddles midnight ("late on
    Tuesday", "overnight") or the date is weak (inherited from context, the publication date).
    Precision 2: three days either side (about the same week). Precision 3: the calendar month.
    """
    d = _parse(ev.event_date) if ev.event_date else None
    if d is None:
        return None
    r = rules()
    precision = ev.time_precision or 1
    if precision >= 3:
        last = calendar.monthrange(d.year, d.month)[1]
        return d.replace(day=1).isoformat(), d.replace(day=last).isoformat()
    if precision == 2:
        half = r.week_days
    else:
        half = r.loose_days if is_loose_date(ev) else r.exact_days
    return (d - timedelta(days=half)).isoformat(), (d + timedelta(days=half)).isoformat()


def date_window(ev: Event) -> tuple[str, str] | None:
    """ISO dates [from, to] within which another report could be the same incident (for blocking).

    The agreement window, widened for a precise date by the follow-up allowance (a toll update dated
    two days later can still match, see :func:`follow_up`): any report that can match this one has
    a window overlapping it. None when the report has no usable date (it fuses with nothing).
    """
    w = agreement_window(ev)
    if w is None or (ev.time_precision or 1) != 1:
        return w
    extra = timedelta(days=rules().follow_up_days)
    lo, hi = date.fromisoformat(w[0]) - extra, date.fromisoformat(w[1]) + extra
    return min(w[0], lo.isoformat()), max(w[1], hi.isoformat())


def dates_agree(a: Event, b: Event) -> bool:
    """Do the two reports' agreement windows share a day?"""
    wa, wb = agreement_window(a), agreement_window(b)
    if wa is None or wb is None:
        return False
    # ISO strings compare as dates; overlapping windows = a day both reports allow
    return wa[0] <= wb[1] and wb[0] <= wa[1]


# --- places --------------------------------------------------------------------------------------


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine, mean Earth radius)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0088 * math.asin(min(1.0, math.sqrt(h)))


def _norm(s: str) -> str:
    return " ".join(s.lower().split())


def places_agree(a: Event, b: Event) -> bool:
    """Same geonameid, or close enough for the coarser report's geo_precision, in the same country.

    Precision 1 (a town): within 25 km; precision 2 (near a town, a district): 50 km; precision 3
    (a region): the same admin1. A report placed only at country level agrees only with another
    country-level report: it cannot tell two towns' incidents apart.
    """
    if not a.country or not b.country or _norm(a.country) != _norm(b.country):
        return False
    if a.geonameid is not None and a.geonameid == b.geonameid:
        return True
    a_country_only, b_country_only = not a.admin1, not b.admin1
    if a_country_only or b_country_only:
        return a_country_only and b_country_only
    precision = max(a.geo_precision or 1, b.geo_precision or 1)
    if precision >= 3:
        if _norm(a.admin1) != _norm(b.admin1):
            return False
        coarse = [e for e in (a, b) if (e.geo_precision or 1) >= 3]
        # a region-level report links to a finer one only with a detail of its own
        return len(coarse) == 2 or all(_specific(e) for e in coarse)
    if a.latitude is None or a.longitude is None or b.latitude is None or b.longitude is None:
        # no coordinates to measure: the same named location in the same admin1
        return (
            _norm(a.admin1) == _norm(b.admin1) and bool(a.location) and _norm(a.location) == _norm(b.location)
        )
    radius = rules().radius_km.get(precision, max(rules().radius_km.values()))
    return distance_km(a.latitude, a.longitude, b.latitude, b.longitude) <= radius


def has_figure(ev: Event) -> bool:
    """Does the report state a toll? (the extractor codes 0 when the text gives none)"""
    if ev.fatalities is None:
        return False
    evidence = ev.evidence.get("fatalities")
    return ev.fatalities > 0 or (evidence is not None and bool(evidence.spans))


def _specific(ev: Event) -> bool:
    return has_figure(ev) or any(k.kind == "named" for k in _keys(ev))


# --- event types ---------------------------------------------------------------------------------


def types_agree(a: Event, b: Event) -> bool:
    """Same sub-event type, the same event type where any variant is one incident, or a listed pair."""
    return _types_agree(a.sub_event_type, a.event_type, b.sub_event_type, b.event_type)


@lru_cache(maxsize=4096)
def _types_agree(sa: str, ea: str, sb: str, eb: str) -> bool:
    if not sa or not sb:
        return False
    if sa == sb:
        return True
    r = rules()
    tax = taxonomy()
    ta, tb = tax.event_type_of.get(sa, ea), tax.event_type_of.get(sb, eb)
    if ta == tb and ta in r.same_event_type_agrees:
        return True
    if {ta, tb} == {"Protests", "Riots"}:
        return True
    return frozenset((sa, sb)) in r.compatible


def types_could_match(a: Event, sub_event_type: str, event_type: str) -> bool:
    """Could ``a`` be one incident with a report of these types? (False: :func:`same_incident`
    is False too, so a caller may skip reading the rest of that report)."""
    if _types_agree(a.sub_event_type, a.event_type, sub_event_type or "", event_type or ""):
        return True
    tolled = rules().tolled_protest_types
    return a.sub_event_type in tolled or sub_event_type in tolled


# --- actors --------------------------------------------------------------------------------------

_YEARS = re.compile(r"\s*\(\d{4}-\d{0,4}\)")
_STATE = re.compile(
    r"^(?:Military|Police|Government|Navy|Air Force|Gendarmerie)\b.*?\bof\s+(.+)$", re.IGNORECASE
)


@dataclass(frozen=True)
class ActorKey:
    """How an actor name counts when comparing reports."""

    kind: str  # state | named | generic | crowd
    key: str  # state: its country; named: the normalised name; else ""


@lru_cache(maxsize=4096)
def actor_key(name: str, inter: int | None) -> ActorKey | None:
    """How an ACLED actor name counts when comparing reports (None for no actor)."""
    if not name:
        return None
    r = rules()
    clean = _YEARS.sub("", name).strip()
    if inter in r.non_combatant_inters:
        return ActorKey("crowd", "")
    if inter == 1:
        m = _STATE.match(clean)
        if m:
            return ActorKey("state", _norm(m.group(1)))
        return ActorKey("state", _norm(clean))
    if clean.startswith(r.generic_prefixes):
        return ActorKey("generic", "")
    return ActorKey("named", _norm(clean))


def _keys(ev: Event) -> list[ActorKey]:
    out = []
    for name, inter in ((ev.actor1, ev.inter1), (ev.actor2, ev.inter2)):
        k = actor_key(name, inter)
        if k is not None:
            out.append(k)
    return out


def actors_agree(a: Event, b: Event) -> bool:
    """No named actor contradicts the other report.

    Two reports disagree when both name non-state groups and share none (M23 vs ADF), or both name
    state forces and share no country, or, for one-sided violence (attacks on civilians, strikes,
    bombs), both name all their armed actors and share none (a group's attack and the army's air
    strikes that followed). Unidentified groups ("gunmen"), civilians, protesters and rioters never
    contradict: they are how an outlet describes someone it does not name. Which actor is actor1
    does not matter (outlets tell the story from either side).
    """
    ka, kb = _keys(a), _keys(b)
    for kind in ("named", "state"):
        na = {k.key for k in ka if k.kind == kind}
        nb = {k.key for k in kb if k.kind == kind}
        if na and nb and not (na & nb):
            return False
    if _one_sided(a) or _one_sided(b):
        # one-sided violence is defined by its perpetrator: when both reports name every armed
        # actor they mention (no "gunmen"), they must share one. In a battle one outlet may
        # name only the attacker and another only the defender, so this does not apply there.
        sa = {(k.kind, k.key) for k in ka if k.kind in ("named", "state")}
        sb = {(k.kind, k.key) for k in kb if k.kind in ("named", "state")}
        armed_a = [k for k in ka if k.kind != "crowd"]
        armed_b = [k for k in kb if k.kind != "crowd"]
        specific_a = bool(armed_a) and all(k.kind != "generic" for k in armed_a)
        specific_b = bool(armed_b) and all(k.kind != "generic" for k in armed_b)
        if specific_a and specific_b and not (sa & sb):
            return False
    return True


def _one_sided(ev: Event) -> bool:
    return taxonomy().event_type_of.get(ev.sub_event_type, ev.event_type) in (
        "Violence against civilians",
        "Explosions/Remote violence",
    )


# --- all together --------------------------------------------------------------------------------


def _coarse(a: Event, b: Event) -> bool:
    """Is one of the two placed only at region level (and not at the same gazetteer entry)?"""
    return max(a.geo_precision or 1, b.geo_precision or 1) >= 3 and not (
        a.geonameid is not None and a.geonameid == b.geonameid
    )


def _same_place(a: Event, b: Event) -> bool:
    if (a.geo_precision or 1) > 2 or (b.geo_precision or 1) > 2:
        return False
    if a.geonameid is not None and a.geonameid == b.geonameid:
        return True
    if a.latitude is None or a.longitude is None or b.latitude is None or b.longitude is None:
        return False
    return distance_km(a.latitude, a.longitude, b.latitude, b.longitude) <= rules().same_place_km


def _day_gap(a: Event, b: Event) -> int | None:
    da, db = _parse(a.event_date or ""), _parse(b.event_date or "")
    if da is None or db is None:
        return None
    return abs((da - db).days)


def follow_up(a: Event, b: Event) -> bool:
    """Two precise reports a day or two apart that corroborate each other (a toll follow-up)."""
    r = rules()
    if (a.time_precision or 1) != 1 or (b.time_precision or 1) != 1:
        return False
    gap = _day_gap(a, b)
    if gap is None or gap > r.follow_up_days or not _same_place(a, b):
        return False
    if has_figure(a) and has_figure(b) and a.fatalities and b.fatalities:
        lo, hi = sorted((a.fatalities, b.fatalities))
        if lo >= r.toll_ratio * hi:
            return True
    if a.sub_event_type == b.sub_event_type:
        groups_a = {
            n for n, i in ((a.actor1, a.inter1), (a.actor2, a.inter2)) if i in (2, 3, 4) and _named(n, i)
        }
        groups_b = {
            n for n, i in ((b.actor1, b.inter1), (b.actor2, b.inter2)) if i in (2, 3, 4) and _named(n, i)
        }
        return bool(groups_a & groups_b)
    return False


def tolled_protest_follow_up(a: Event, b: Event) -> bool:
    """Is one report a protest or vigil whose stated deaths are the other report's violence?

    A peaceful protest has no fatalities in ACLED's coding, so a "peaceful protest" report that
    states deaths is telling the violence it responds to ("relatives of the seven people killed in
    the bar held a vigil"). It is that incident's follow-up when it is in the same place, dated the
    same day or up to ``max_days`` later, and its toll corroborates the violent report's.
    """
    r = rules()
    for protest, violent in ((a, b), (b, a)):
        if protest.sub_event_type not in r.tolled_protest_types or not has_figure(protest):
            continue
        if violent.disorder_type != "Political violence" or not has_figure(violent):
            continue
        if (protest.time_precision or 1) != 1 or (violent.time_precision or 1) != 1:
            continue  # blocking widens only precise dates by the follow-up allowance
        if not protest.fatalities or not violent.fatalities or not _same_place(protest, violent):
            continue
        dp, dv = _parse(protest.event_date or ""), _parse(violent.event_date or "")
        if dp is None or dv is None or not 0 <= (dp - dv).days <= r.follow_up_days:
            continue
        lo, hi = sorted((protest.fatalities, violent.fatalities))
        if lo >= r.toll_ratio * hi:
            return True
    return False


def _named(name: str, inter: int | None) -> bool:
    k = actor_key(name, inter)
    return k is not None and k.kind == "named"


def same_incident(a: Event, b: Event) -> bool:
    """Do two reports from different articles describe one incident? Pure and symmetric.

    All of: dates within precision (a region-level place needs the same day), places within geo
    precision, compatible event types, no contradicting actors. A follow-up report dated a day or
    two later still matches when it corroborates the incident (see :func:`follow_up`), and so does a
    "peaceful protest" that states the incident's deaths (:func:`tolled_protest_follow_up`). Reports of the
    same article are never merged here: the extractor already decided they differ.
    """
    if a.article_id and a.article_id == b.article_id:
        return False
    if not types_agree(a, b):
        return tolled_protest_follow_up(a, b)
    if not (places_agree(a, b) and actors_agree(a, b)):
        return False
    if _coarse(a, b):
        # a province-wide report matched on a neighbouring day would chain unrelated incidents
        return bool(a.event_date) and a.event_date == b.event_date and a.time_precision == b.time_precision
    return dates_agree(a, b) or follow_up(a, b)


# --- linkage guard -------------------------------------------------------------------------------


def conflicts(a: Event, b: Event) -> bool:
    """Can the two reports NOT be one incident, whatever links them? (they name different groups)

    Single linkage joins two incidents through any report that matches both: a vague report of
    "an attack in Quetta" naming the Taliban would chain a Taliban attack to a BLA hijacking. Two
    reports that each name non-state armed groups (inter 2-4) and share none are the evidence that
    the chain is wrong. Disagreeing state forces are not: outlets often credit one air strike to
    Russian or to Syrian jets.
    Reports of one article never conflict here (the extractor split them; another article may
    tell them as one).
    """
    if a.article_id and a.article_id == b.article_id:
        return False
    ga, gb = armed_groups(a), armed_groups(b)
    return bool(ga) and bool(gb) and not (ga & gb)


def armed_groups(ev: Event) -> set[str]:
    """Normalised names of the non-state armed groups (inter 2-4) the report names (what
    :func:`conflicts` compares)."""
    out = set()
    for name, inter in ((ev.actor1, ev.inter1), (ev.actor2, ev.inter2)):
        k = actor_key(name, inter) if inter in (2, 3, 4) else None
        if k is not None and k.kind == "named":
            out.add(k.key)
    return out


def match_score(a: Event, b: Event) -> int:
    """How strongly two matching reports agree (higher first when the linkage guard must choose).

    Points for the same gazetteer entry (or a few km apart), the same day, the same sub-event type,
    shared named groups and state forces, and close casualty figures. Only the order matters.
    """
    score = 0
    if a.geonameid is not None and a.geonameid == b.geonameid:
        score += 3
    elif _same_place(a, b):
        score += 2
    elif a.admin1 and _norm(a.admin1) == _norm(b.admin1 or ""):
        score += 1
    if a.event_date and a.event_date == b.event_date:
        score += 2
    if a.sub_event_type and a.sub_event_type == b.sub_event_type:
        score += 2
    elif a.event_type and a.event_type == b.event_type:
        score += 1
    ka, kb = _keys(a), _keys(b)
    shared = {(k.kind, k.key) for k in ka if k.kind in ("named", "state")} & {
        (k.kind, k.key) for k in kb if k.kind in ("named", "state")
    }
    score += sum(3 if kind == "named" else 1 for kind, _ in shared)
    if has_figure(a) and has_figure(b):
        fa, fb = a.fatalities or 0, b.fatalities or 0
        if fa == fb:
            score += 3
        elif min(fa, fb) >= rules().toll_ratio * max(fa, fb):
            score += 2
    return score
