"""Fusion rules: dates, places, types, actors, fatalities, order independence, near duplicates."""

from __future__ import annotations

import itertools
from datetime import date

import numpy as np
import pytest

from marsad.fusion import (
    NearDuplicateIndex,
    actors_agree,
    agreement_window,
    cluster,
    conflicts,
    date_window,
    dates_agree,
    fatality_bounds,
    fatality_range,
    fuse,
    guarded_groups,
    match_score,
    merge_claims,
    named_sources,
    places_agree,
    same_incident,
    signature,
    similarity,
    types_agree,
    types_could_match,
)
from marsad.model import Article, Claim, Event, Evidence, Span

# Two towns in one province about 12 km apart, and one about 80 km away (made-up coordinates).
TOWN = dict(country="Nigeria", iso=566, admin1="Borno", location="Konduga", latitude=11.65, longitude=13.42)
NEAR = dict(country="Nigeria", iso=566, admin1="Borno", location="Mairi", latitude=11.75, longitude=13.37)
FAR = dict(country="Nigeria", iso=566, admin1="Borno", location="Damboa", latitude=11.16, longitude=12.76)

STATE = ("Military Forces of Nigeria (2023-)", 1)
ISWAP = ("Islamic State West Africa Province", 2)
JAS = ("Jama'atu Ahlis Sunna Lidda'awati wal-Jihad", 2)
GUNMEN = ("Unidentified Armed Group (Nigeria)", 3)
CIVILIANS = ("Civilians (Nigeria)", 7)


def report(
    article: str,
    day: str = "2024-05-14",
    precision: int = 1,
    date_rule: str = "dmy",
    date_text: str = "on 14 May",
    place: dict | None = None,
    geo_precision: int = 1,
    geonameid: int | None = None,
    sub: str = "Attack",
    actor1: tuple[str, int] = GUNMEN,
    actor2: tuple[str, int] | None = CIVILIANS,
    fatalities: int = 0,
    stated: bool = True,
    confidence: float = 0.8,
    seq: int = 0,
) -> Event:
    from marsad.knowledge import taxonomy

    tax = taxonomy()
    ev = Event(
        article_id=article,
        event_id=f"{article}:{seq}",
        event_date=day,
        time_precision=precision,
        event_type=tax.event_type_of[sub],
        disorder_type=tax.disorder_of[sub],
        sub_event_type=sub,
        actor1=actor1[0],
        inter1=actor1[1],
        actor2=actor2[0] if actor2 else "",
        inter2=actor2[1] if actor2 else None,
        geo_precision=geo_precision,
        geonameid=geonameid,
        fatalities=fatalities,
        confidence=confidence,
        notes=f"notes of {article}",
        **(place or TOWN),
    )
    ev.evidence["event_date"] = Evidence([Span(0, len(date_text), date_text)], date_rule)
    if fatalities and stated:
        ev.evidence["fatalities"] = Evidence([Span(10, 20, f"{fatalities} killed")], "explicit")
    else:
        ev.evidence["fatalities"] = Evidence(rule="acled:none_reported=0")
    return ev


# --- dates ---------------------------------------------------------------------------------------


def test_agreement_window_by_precision() -> None:
    assert agreement_window(report("a")) == ("2024-05-14", "2024-05-14")
    # a relative date resolved against the publication day is as exact as a stated one
    assert agreement_window(report("a", date_rule="relative:yesterday")) == ("2024-05-14", "2024-05-14")
    # night-time reports straddle midnight; weak dates get a day either side
    assert agreement_window(report("a", date_rule="weekday", date_text="late on Tuesday")) == (
        "2024-05-13",
        "2024-05-15",
    )
    assert agreement_window(report("a", date_rule="published_date:no_date_in_text")) == (
        "2024-05-13",
        "2024-05-15",
    )
    assert agreement_window(report("a", precision=2)) == ("2024-05-11", "2024-05-17")
    assert agreement_window(report("a", day="2024-02-10", precision=3)) == ("2024-02-01", "2024-02-29")


def test_date_window_covers_follow_ups_and_rejects_missing_dates() -> None:
    assert date_window(report("a")) == ("2024-05-12", "2024-05-16")
    assert date_window(report("a", day="2024-02-10", precision=3)) == ("2024-02-01", "2024-02-29")
    assert date_window(report("a", day="")) is None
    assert date_window(report("a", day="not a date")) is None


def test_dates_agree_exact_loose_week_month() -> None:
    stated = report("a", day="2024-05-14")
    assert dates_agree(stated, report("b", day="2024-05-14"))
    assert dates_agree(stated, report("b", day="2024-05-14", date_rule="relative:yesterday"))
    assert not dates_agree(stated, report("b", day="2024-05-15"))
    assert not dates_agree(stated, report("b", day="2024-05-15", date_rule="relative:yesterday"))
    # "overnight" on one side: the other outlet may give either day
    assert dates_agree(stated, report("b", day="2024-05-15", date_text="overnight on Wednesday"))
    assert not dates_agree(stated, report("b", day="2024-05-16", date_text="overnight on Thursday"))
    assert dates_agree(stated, report("b", day="2024-05-17", precision=2))
    assert not dates_agree(stated, report("b", day="2024-05-19", precision=2))
    assert dates_agree(stated, report("b", day="2024-05-01", precision=3))
    assert not dates_agree(stated, report("b", day="2024-06-01", precision=3))
    assert not dates_agree(stated, report("b", day=""))


def test_follow_up_two_days_later_needs_corroboration() -> None:
    strike = report("a", sub="Air/drone strike", geonameid=7, fatalities=10)
    toll_update = report("b", day="2024-05-16", sub="Air/drone strike", geonameid=7, fatalities=13)
    next_strike = report(
        "c", day="2024-05-15", sub="Air/drone strike", geonameid=7, fatalities=0, stated=False
    )
    assert same_incident(strike, toll_update)  # same town, tolls agree
    assert not same_incident(strike, next_strike)  # same town next day, nothing in common
    assert not same_incident(
        strike, report("d", day="2024-05-16", sub="Air/drone strike", geonameid=7, fatalities=40)
    )
    assert not same_incident(
        strike, report("e", day="2024-05-17", sub="Air/drone strike", geonameid=7, fatalities=10)
    )
    # the same named group, same type, same town: corroborated without a toll
    raid = report("f", sub="Armed clash", actor1=ISWAP, actor2=STATE, geonameid=7, fatalities=4)
    claim = report("g", day="2024-05-16", sub="Armed clash", actor1=ISWAP, geonameid=7, fatalities=20)
    assert same_incident(raid, claim)


# --- places --------------------------------------------------------------------------------------


def test_places_agree_by_distance_and_precision() -> None:
    a = report("a")
    assert places_agree(a, report("b", place=NEAR))  # ~12 km
    assert not places_agree(a, report("b", place=FAR))  # ~90 km
    # region-level with a toll of its own: same admin1 is enough
    assert places_agree(a, report("b", place=FAR, geo_precision=3, fatalities=3))
    other_state = dict(FAR, admin1="Yobe")
    assert not places_agree(a, report("b", place=other_state, geo_precision=3, fatalities=3))
    assert not places_agree(a, report("b", place=dict(TOWN, country="Cameroon")))
    # same gazetteer entry agrees whatever the coordinates say
    assert places_agree(report("a", geonameid=7), report("b", place=FAR, geonameid=7))


def test_country_only_report_does_not_merge_with_a_town() -> None:
    country_only = dict(
        country="Nigeria", iso=566, admin1="", location="Nigeria", latitude=9.0, longitude=8.0
    )
    assert not places_agree(report("a"), report("b", place=country_only, geo_precision=3))
    assert places_agree(
        report("a", place=country_only, geo_precision=3), report("b", place=country_only, geo_precision=3)
    )


def test_region_level_report_needs_a_detail_and_the_same_day() -> None:
    region = dict(TOWN, location="Borno", latitude=11.5, longitude=13.0)
    vague = report("b", place=region, geo_precision=3)  # gunmen, no toll: could be any attack in Borno
    assert not places_agree(report("a", actor1=ISWAP, fatalities=6), vague)
    tolled = report("c", place=region, geo_precision=3, fatalities=15)
    assert places_agree(report("a", fatalities=12), tolled)
    assert same_incident(report("a", fatalities=12), tolled)
    # a night-time date would reach the next day; a province-wide report may not
    night = report("d", place=region, geo_precision=3, fatalities=15, date_text="on Tuesday night")
    assert not same_incident(report("e", day="2024-05-15", place=FAR, fatalities=6), night)


def test_radius_grows_with_geo_precision() -> None:
    thirty_km = dict(TOWN, location="Somewhere", latitude=11.65 + 0.27)
    assert not places_agree(report("a"), report("b", place=thirty_km))
    assert places_agree(report("a"), report("b", place=thirty_km, geo_precision=2))


# --- event types ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "x, y, ok",
    [
        ("Attack", "Attack", True),
        ("Armed clash", "Attack", True),
        ("Armed clash", "Non-state actor overtakes territory", True),
        ("Air/drone strike", "Shelling/artillery/missile attack", True),
        ("Suicide bomb", "Remote explosive/landmine/IED", True),
        ("Peaceful protest", "Protest with intervention", True),
        ("Protest with intervention", "Violent demonstration", True),
        ("Peaceful protest", "Remote explosive/landmine/IED", False),
        ("Armed clash", "Air/drone strike", False),
        ("Arrests", "Attack", False),
        ("Peaceful protest", "Attack", False),
    ],
)
def test_types_agree(x: str, y: str, ok: bool) -> None:
    assert types_agree(report("a", sub=x), report("b", sub=y)) is ok
    assert types_agree(report("b", sub=y), report("a", sub=x)) is ok


# --- actors --------------------------------------------------------------------------------------


def test_named_group_agrees_with_gunmen() -> None:
    assert actors_agree(report("a", actor1=ISWAP), report("b", actor1=GUNMEN))


def test_two_named_groups_disagree() -> None:
    assert not actors_agree(report("a", actor1=ISWAP), report("b", actor1=JAS))


def test_sides_may_be_swapped_and_state_forces_agree() -> None:
    a = report("a", sub="Armed clash", actor1=STATE, actor2=ISWAP)
    b = report("b", sub="Armed clash", actor1=ISWAP, actor2=("Police Forces of Nigeria (2023-)", 1))
    assert actors_agree(a, b)
    foreign = report("c", sub="Armed clash", actor1=("Military Forces of Chad (2021-)", 1), actor2=GUNMEN)
    assert not actors_agree(a, foreign)


def test_one_sided_violence_needs_a_shared_perpetrator_when_both_name_them() -> None:
    siege = report("a", actor1=("Al Shabaab", 2), geonameid=7, fatalities=5)
    air_strikes = report("b", sub="Air/drone strike", actor1=STATE, actor2=None, geonameid=7, fatalities=50)
    assert types_agree(siege, air_strikes)
    assert not actors_agree(siege, air_strikes)
    # one outlet does not name the attacker: nothing contradicts
    assert actors_agree(report("c", geonameid=7), air_strikes)
    # in a battle one outlet may name only the attacker, another only the defender
    attack = report("d", sub="Armed clash", actor1=ISWAP, actor2=None)
    defence = report("e", sub="Armed clash", actor1=STATE, actor2=None)
    assert actors_agree(attack, defence)


def test_victims_and_crowds_never_contradict() -> None:
    a = report("a", actor1=ISWAP, actor2=CIVILIANS)
    b = report("b", actor1=ISWAP, actor2=("Protesters (Nigeria)", 6))
    assert actors_agree(a, b)


# --- same_incident -------------------------------------------------------------------------------


def test_same_incident_is_symmetric_and_requires_every_rule() -> None:
    a = report("a", actor1=ISWAP, fatalities=12)
    b = report("b", date_rule="relative:yesterday", place=NEAR, fatalities=15)
    assert same_incident(a, b) and same_incident(b, a)
    assert not same_incident(a, report("b", place=FAR))
    assert not same_incident(a, report("b", sub="Peaceful protest", actor1=("Protesters (Nigeria)", 6)))
    assert not same_incident(a, report("b", actor1=JAS))
    assert not same_incident(a, report("b", day="2024-05-15"))  # the next day, stated: another attack
    # two events of one article are the extractor's call, not fusion's
    assert not same_incident(a, report("a", seq=1))


# --- fuse ----------------------------------------------------------------------------------------


def _articles(*ids: str) -> dict[str, Article]:
    outlets = {"a": "Reuters", "b": "Daily Trust", "c": "Premium Times", "d": "Reuters"}
    return {
        i: Article(
            text=f"text {i}",
            id=i,
            source=outlets.get(i, i.upper()),
            url=f"https://x.test/{i}",
            published=date(2024, 5, 15),
        )
        for i in ids
    }


def test_fuse_lowest_credible_fatalities_keeps_disagreement() -> None:
    reports = [
        report("a", fatalities=12),
        report("b", fatalities=15, actor1=ISWAP),
        report("c", fatalities=0, stated=False),  # gives no figure: not a zero
    ]
    fused = fuse(reports, _articles("a", "b", "c"))
    assert fused.fatalities == 12
    assert fatality_range(fused.claims) == (12, 15)
    assert {(c.article_id, c.outlet, c.fatalities) for c in fused.claims} == {
        ("a", "Reuters", 12),
        ("b", "Daily Trust", 15),
        ("c", "Premium Times", None),
    }
    assert "from_article:a" in fused.evidence["fatalities"].rule


def test_fuse_uses_extracted_claims_when_present() -> None:
    r = report("a", fatalities=20)
    r.claims = [Claim("the army", 20), Claim("residents", 31)]
    fused = fuse([r, report("b", fatalities=0, stated=False)], _articles("a", "b"))
    assert fused.fatalities == 20
    assert fatality_range(fused.claims) == (20, 31)
    assert all(c.article_id == "a" and c.outlet == "Reuters" for c in fused.claims if c.fatalities)


def test_fuse_explicit_zero_counts() -> None:
    zero = report("a", fatalities=0)
    zero.evidence["fatalities"] = Evidence([Span(0, 12, "no casualties")], "explicit_zero")
    fused = fuse([zero, report("b", fatalities=3)], _articles("a", "b"))
    assert fused.fatalities == 0 and fatality_range(fused.claims) == (0, 3)


def test_fuse_most_precise_date_place_and_named_actor() -> None:
    a = report(
        "a", day="2024-05-15", date_rule="relative:yesterday", place=FAR, geo_precision=2, confidence=0.9
    )
    b = report("b", day="2024-05-14", actor1=ISWAP, place=TOWN, geo_precision=1, confidence=0.6)
    fused = fuse([a, b], _articles("a", "b"))
    assert fused.event_date == "2024-05-14"  # stated beats relative
    assert fused.location == "Konduga" and fused.geo_precision == 1
    assert fused.actor1 == ISWAP[0] and fused.inter1 == 2  # the name beats "gunmen"
    assert fused.actor2 == CIVILIANS[0]
    assert fused.interaction == 27
    assert fused.notes == "notes of a"  # the most confident report leads
    assert fused.source == "Daily Trust; Reuters"
    assert fused.source_scale == "International"
    assert fused.event_id == "a:0"
    assert "from_article:b" in fused.evidence["location"].rule


def test_fuse_is_order_independent() -> None:
    reports = [
        report("a", fatalities=12, confidence=0.7),
        report("b", fatalities=15, actor1=ISWAP, place=NEAR, confidence=0.7),
        report("c", day="2024-05-15", date_rule="relative:yesterday", fatalities=0, stated=False),
        report("d", sub="Armed clash", fatalities=9, geo_precision=2),
    ]
    arts = _articles("a", "b", "c", "d")
    expected = fuse(reports, arts).to_dict()
    for perm in itertools.permutations(reports):
        assert fuse(list(perm), arts).to_dict() == expected


def test_fuse_rejects_empty() -> None:
    with pytest.raises(ValueError):
        fuse([], {})


def test_cluster_is_order_independent_single_linkage() -> None:
    a = report("a", actor1=ISWAP)
    b = report("b", actor1=ISWAP, place=NEAR, date_rule="relative:yesterday")
    c = report("c", place=FAR)  # too far from a, and b
    d = report("d", actor1=JAS, place=NEAR)  # another group: another incident
    e = report("e", day="")  # undated: alone
    expected = [["a:0", "b:0"], ["c:0"], ["d:0"], ["e:0"]]
    for perm in itertools.permutations([a, b, c, d, e]):
        assert [[r.event_id for r in g] for g in cluster(list(perm))] == expected


# --- near duplicates -----------------------------------------------------------------------------

WIRE = (
    "MAIDUGURI, Nigeria (Reuters) - Insurgents stormed a village in northeast Nigeria overnight, "
    "killing at least 12 farmers and burning dozens of homes, a local official and residents said on "
    "Wednesday. The attackers arrived on motorcycles shortly after midnight and opened fire on people "
    "sleeping outside their houses, said Bulama Ali, a community leader in Konduga district. Soldiers "
    "deployed to the area after the attack, the army said in a statement, adding that troops were "
    "pursuing the assailants into the forest. No group has claimed responsibility, but Islamic State "
    "West Africa Province has carried out similar raids in the area this year."
)
SYNDICATED = (
    "Insurgents stormed a village in northeast Nigeria overnight, killing at least 12 farmers and burning "
    "dozens of homes, a local official and residents said on Wednesday. The attackers arrived on "
    "motorcycles shortly after midnight and opened fire on people sleeping outside their houses, said "
    "Bulama Ali, a community leader in Konduga district. Soldiers deployed to the area after the attack, "
    "the army said in a statement, adding that troops were pursuing the assailants into the forest. No "
    "group has claimed responsibility, but Islamic State West Africa Province has carried out similar "
    "raids in the area this year. (Reporting by staff; editing by the desk)"
)
SAME_TOPIC = (
    "Gunmen killed 12 farmers in a night raid on a village in Konduga district of Borno State, "
    "residents told our correspondent on Wednesday. Witnesses said the attackers came on motorcycles and "
    "set homes ablaze before fleeing into the bush. The military said troops had been deployed and were "
    "tracking the attackers. Residents blamed Islamic State West Africa Province fighters, who have "
    "raided several communities in the area this year."
)


def test_signature_is_stable_bytes() -> None:
    s = signature(WIRE)
    assert isinstance(s, bytes) and len(s) == 128 * 8
    assert s == signature(WIRE)
    assert similarity(s, signature(WIRE)) == 1.0
    assert isinstance(signature(""), bytes)


def test_near_duplicate_finds_syndicated_copy_not_same_topic_story() -> None:
    assert similarity(signature(WIRE), signature(SYNDICATED)) >= 0.8
    assert similarity(signature(WIRE), signature(SAME_TOPIC)) < 0.3
    index = NearDuplicateIndex(threshold=0.8)
    index.add("wire", signature(WIRE))
    index.add("wire", signature(WIRE))  # idempotent
    assert len(index) == 1
    assert index.query(signature(SYNDICATED)) == ["wire"]
    assert index.query(signature(SAME_TOPIC)) == []


def test_near_duplicate_index_orders_best_first_and_rejects_garbage() -> None:
    index = NearDuplicateIndex(threshold=0.5)
    index.add("copy", signature(SYNDICATED))
    index.add("orig", signature(WIRE))
    assert index.query(signature(WIRE))[0] == "orig"
    with pytest.raises(ValueError):
        index.query(b"short")
    with pytest.raises(ValueError):
        NearDuplicateIndex(threshold=0)


def test_merge_claims_drops_an_articles_figureless_duplicate() -> None:
    claims = [
        Claim("Daily Trust", 15, article_id="b", outlet="Daily Trust"),
        Claim("Daily Trust", None, article_id="b", outlet="Daily Trust"),  # its second report: no toll
        Claim("Daily Trust", 15, Span(3, 9, "15 killed"), article_id="b", outlet="Daily Trust"),
        Claim("Reuters", None, article_id="a", outlet="Reuters"),
    ]
    merged = merge_claims(claims)
    assert [(c.article_id, c.fatalities) for c in merged] == [("a", None), ("b", 15)]
    assert merge_claims(list(reversed(claims))) == merged


def test_fuse_codes_actors_and_notes_from_a_report_of_the_chosen_type() -> None:
    clash = report("a", sub="Armed clash", actor1=GUNMEN, actor2=GUNMEN, confidence=0.95, fatalities=15)
    attacks = [report(x, actor1=ISWAP, confidence=0.9, fatalities=12) for x in ("b", "c")]
    fused = fuse([clash, *attacks], _articles("a", "b", "c"))
    assert fused.sub_event_type == "Attack"  # two reports to one
    assert (fused.actor1, fused.actor2) == (ISWAP[0], CIVILIANS[0])
    assert fused.notes == "notes of b"
    assert fused.fatalities == 12


def test_fuse_date_prefers_agreement_then_the_earliest_day() -> None:
    wire = report("b", date_rule="weekday", fatalities=4, geonameid=7)
    follow = report("a", day="2024-05-16", date_rule="weekday", fatalities=5, geonameid=7)
    assert fuse([wire, follow], _articles("a", "b")).event_date == "2024-05-14"
    third = report("c", day="2024-05-16", date_rule="weekday", fatalities=5, geonameid=7)
    assert fuse([wire, follow, third], _articles("a", "b", "c")).event_date == "2024-05-16"


def test_sparse_or_odd_reports_never_crash() -> None:
    empty_a, empty_b = Event(article_id="a", event_id="a:0"), Event(article_id="b", event_id="b:0")
    assert not same_incident(empty_a, empty_b)
    odd = Event(
        article_id="c",
        event_id="c:0",
        event_date="2024-13-45",
        time_precision=None,
        sub_event_type="Not a type",
        country="Nigeria",
        admin1="Borno",
        latitude=None,
        geo_precision=None,
        fatalities=None,
    )
    assert date_window(odd) is None and not same_incident(odd, report("d"))
    fused = fuse([empty_a, odd, report("d", fatalities=3)], _articles("a", "d"))
    assert fused.event_id == "a:0" and fused.fatalities == 3
    assert fuse([empty_b], {}).fatalities == 0
    assert cluster([]) == []


# --- linkage guard -------------------------------------------------------------------------------


def test_conflicts_only_between_different_named_groups() -> None:
    assert conflicts(report("a", actor1=ISWAP), report("b", actor1=JAS))
    assert not conflicts(report("a", actor1=ISWAP), report("b", actor1=ISWAP))
    assert not conflicts(report("a", actor1=ISWAP), report("b"))  # gunmen name nobody
    assert not conflicts(report("a", actor1=STATE), report("b", actor1=JAS))  # one side each
    assert not conflicts(report("a", actor1=ISWAP), report("a", actor1=JAS, seq=1))  # one article


def test_match_score_ranks_the_closer_report_higher() -> None:
    base = report("a", actor1=ISWAP, fatalities=12, geonameid=1)
    close = report("b", actor1=ISWAP, fatalities=12, geonameid=1)
    vague = report("c", fatalities=4, place=NEAR, date_rule="relative:yesterday")
    assert match_score(base, close) > match_score(base, vague)
    assert match_score(base, close) == match_score(close, base)


def test_a_bridge_between_two_named_groups_joins_only_its_best_match() -> None:
    iswap = report("a", actor1=ISWAP, fatalities=12)
    jas = report("b", actor1=JAS, fatalities=5)
    gunmen = report("c", fatalities=11)  # matches both: single linkage would chain them
    assert same_incident(gunmen, iswap) and same_incident(gunmen, jas) and not same_incident(iswap, jas)
    expected = [["a:0", "c:0"], ["b:0"]]
    for perm in itertools.permutations([iswap, jas, gunmen]):
        assert [[r.event_id for r in g] for g in cluster(list(perm))] == expected


def test_a_bridge_between_compatible_reports_still_joins_them() -> None:
    # b and c do not match each other (their stated days differ) but d, overnight, matches both
    b = report("b", day="2024-05-14", actor1=ISWAP)
    c = report("c", day="2024-05-16", date_text="on 16 May")
    d = report("d", day="2024-05-15", date_text="overnight", actor1=ISWAP)
    assert not same_incident(b, c) and same_incident(b, d) and same_incident(c, d)
    for perm in itertools.permutations([b, c, d]):
        assert [[r.event_id for r in g] for g in cluster(list(perm))] == [["b:0", "c:0", "d:0"]]


def test_guarded_groups_takes_strongest_links_first_and_ignores_unknown_ids() -> None:
    a, b, c = report("a", actor1=ISWAP), report("b", actor1=JAS), report("c")
    links = {("a:0", "c:0"): 1.0, ("b:0", "c:0"): 5.0, ("c:0", "zz:9"): 9.0}
    assert [[r.event_id for r in g] for g in guarded_groups([a, b, c], links)] == [["a:0"], ["b:0", "c:0"]]
    # without conflicts it is plain single linkage
    groups = guarded_groups([a, b, c], links, conflict=lambda x, y: False)
    assert [[r.event_id for r in g] for g in groups] == [["a:0", "b:0", "c:0"]]


# --- fused fatalities and sources ----------------------------------------------------------------


def test_fused_figure_compares_reports_totals_not_sub_group_claims() -> None:
    # one article: 8 killed in all, 3 of them civilians (its coded total is 8); another says 9
    a = report("a", fatalities=8)
    a.claims = [Claim("police", 8), Claim("residents", 3)]
    b = report("b", fatalities=9)
    fused = fuse([a, b], _articles("a", "b"))
    assert fused.fatalities == 8
    assert "from_article:a" in fused.evidence["fatalities"].rule
    assert {c.fatalities for c in fused.claims} == {8, 3, 9}  # every claim stays visible
    assert fatality_bounds([a, b], fused.claims) == (8, 9)
    # no report states a total: the claims decide
    c = report("c", fatalities=0, stated=False)
    c.claims = [Claim("a monitor", 6)]
    assert fuse([c], _articles("c")).fatalities == 6


def test_fused_source_lists_outlets_and_named_sources_never_generic_speakers() -> None:
    a = report("a")
    a.source = "Reuters; Human Rights Watch; security sources"  # an older extraction kept a generic one
    b = report("b")
    b.source = "Freed passengers; Provincial Governor Ali Khan"  # no outlet: names from the text only
    b.evidence["source"] = Evidence([Span(0, 5, "Freed")], "named_sources")
    arts = _articles("a", "b")
    arts["b"] = Article(text="", id="b", source=None)
    fused = fuse([a, b], arts)
    assert fused.source == "Reuters; Human Rights Watch; Provincial Governor Ali Khan"
    assert named_sources(b, arts) == ["Provincial Governor Ali Khan"]
    # a report's own speakers are never taken for its outlet
    assert fuse([b], {}).source == "Provincial Governor Ali Khan"


def test_signatures_reuse_the_template_permutations() -> None:
    from marsad.fusion import neardup

    mh = neardup._from_bytes(signature(WIRE))
    template = neardup._template()
    # shared arrays, not permutations drawn again for every stored signature
    assert all(np.shares_memory(x, y) for x, y in zip(mh.permutations, template.permutations, strict=True))
    assert mh.jaccard(neardup._from_bytes(signature(SYNDICATED))) == similarity(
        signature(WIRE), signature(SYNDICATED)
    )


def test_a_vigil_stating_the_deaths_is_a_follow_up_of_the_attack() -> None:
    attack = report("a", fatalities=7, geonameid=5)
    vigil = report("b", day="2024-05-16", sub="Peaceful protest", actor1=("Protesters (Nigeria)", 6))
    vigil.actor2, vigil.inter2, vigil.geonameid = "", None, 5
    assert not same_incident(attack, vigil)  # no toll: an ordinary protest, its own event
    vigil.fatalities = 7
    vigil.evidence["fatalities"] = Evidence([Span(0, 5, "seven")], "explicit")
    assert same_incident(attack, vigil) and same_incident(vigil, attack)
    elsewhere = report("c", day="2024-05-16", sub="Peaceful protest", place=NEAR, fatalities=7)
    before = report("d", day="2024-05-13", sub="Peaceful protest", fatalities=7, geonameid=5)
    other_toll = report("e", day="2024-05-15", sub="Peaceful protest", fatalities=2, geonameid=5)
    for p in (elsewhere, before, other_toll):
        assert not same_incident(attack, p), p.event_id


def test_types_could_match_never_rules_out_a_match() -> None:
    # the store skips reading a candidate when this is False: it must imply same_incident is False
    subs = ["Attack", "Armed clash", "Peaceful protest", "Air/drone strike", "Looting/property destruction"]
    for x in subs:
        for y in subs:
            a = report("a", sub=x, fatalities=7, geonameid=5)
            b = report("b", sub=y, fatalities=7, geonameid=5, day="2024-05-15")
            if same_incident(a, b):
                assert types_could_match(a, b.sub_event_type, b.event_type), (x, y)
    assert types_could_match(report("a", sub="Attack"), "Armed clash", "Battles")
    assert types_could_match(report("a", sub="Attack"), "Peaceful protest", "Protests")  # a vigil
    assert not types_could_match(
        report("a", sub="Armed clash"), "Looting/property destruction", "Strategic developments"
    )
