"""Fuse the reports of one incident into the event analysts see.

Every choice is made over the reports sorted by event_id, and ties are broken by event_id, so the
result does not depend on the order articles were ingested in.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from functools import cache, lru_cache
from typing import Any

from marsad.coding.actors import interaction_code
from marsad.fusion.match import actor_key, has_figure, is_relative_date
from marsad.knowledge import read_json, taxonomy
from marsad.mentions.claims import is_generic_speaker
from marsad.model import Article, Claim, Event, Evidence
from marsad.text import fold

_DATE_FIELDS = ("event_date", "time_precision")
_PLACE_FIELDS = (
    "iso",
    "country",
    "admin1",
    "admin2",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
    "geonameid",
)
_TYPE_FIELDS = ("sub_event_type", "event_type", "disorder_type", "civilian_targeting")


@cache
def _scales() -> tuple[tuple[str, ...], dict[str, str]]:
    raw = read_json("fusion_rules.json")["source_scale"]
    return tuple(raw["order"]), {fold(k): v for k, v in raw["outlets"].items()}


def _outlet(report: Event, articles: dict[str, Article]) -> str:
    """The outlet that published the report: its article's ``source``.

    Without one, the first name of ``report.source`` when the extractor put the outlet
    there (evidence rule ``article.source...``, or no evidence at all: a hand-built report). Never the
    speakers the extractor found in the text: they are primary sources, not outlets.
    """
    art = articles.get(report.article_id)
    if art is not None and art.source:
        return art.source
    if not report.source:
        return ""
    ev = report.evidence.get("source")
    if ev is None or ev.rule.startswith("article.source"):
        return report.source.split("; ")[0].strip()
    return ""


def named_sources(report: Event, articles: dict[str, Article]) -> list[str]:
    """The named primary sources a report lists after its outlet (generic speakers dropped).

    ``report.source`` is "outlet; named; named" when the article has an outlet, else "named; named".
    A speaker that is only a description ("security sources", "survivors") is never a source, even
    when an older extraction wrote it there.
    """
    if not report.source:
        return []
    names = [n.strip() for n in report.source.split("; ") if n.strip()]
    art = articles.get(report.article_id)
    ev = report.evidence.get("source")
    if art is not None and art.source:
        names = [n for n in names if n != art.source]
    elif ev is None or ev.rule.startswith("article.source"):
        names = names[1:]  # the first name is the outlet the extractor was given
    return [n for n in names if not is_generic_speaker(n)]


def _filled(ev: Event) -> int:
    fields = ("event_date", "sub_event_type", "actor1", "actor2", "location", "fatalities")
    return sum(1 for f in fields if getattr(ev, f) not in ("", None))


def best_report(reports: list[Event]) -> Event:
    """The report whose wording leads the incident: most confident, most complete, then smallest id."""
    return min(reports, key=lambda r: (-round(r.confidence, 6), -_filled(r), r.event_id))


def report_claims(report: Event, articles: dict[str, Article]) -> list[Claim]:
    """The report's claims with article and outlet set; one in the outlet's voice when it has none."""
    outlet = _outlet(report, articles)
    if report.claims:
        return [
            replace(c, article_id=c.article_id or report.article_id, outlet=c.outlet or outlet)
            for c in report.claims
        ]
    if not has_figure(report):
        return [Claim(claimant=outlet, fatalities=None, article_id=report.article_id, outlet=outlet)]
    span = None
    ev = report.evidence.get("fatalities")
    if ev is not None and ev.spans:
        span = ev.spans[0]
    return [
        Claim(
            claimant=outlet,
            fatalities=report.fatalities,
            span=span,
            article_id=report.article_id,
            outlet=outlet,
        )
    ]


def _claim_key(c: Claim) -> tuple:
    span = (c.span.start, c.span.end) if c.span is not None else (-1, -1)
    return (c.article_id, c.claimant, -1 if c.fatalities is None else c.fatalities, span, c.outlet)


def merge_claims(claims: list[Claim]) -> list[Claim]:
    """Union of claims, one per (article, claimant, figure), sorted; an article's figure-less
    claim is dropped when the same article gives a figure (it only said who reported)."""
    with_figure = {c.article_id for c in claims if c.fatalities is not None}
    kept: dict[tuple, Claim] = {}
    for c in sorted(claims, key=_claim_key):
        if c.fatalities is None and c.article_id in with_figure:
            continue
        kept.setdefault((c.article_id, c.claimant, c.fatalities), c)
    return [kept[k] for k in sorted(kept, key=lambda k: _claim_key(kept[k]))]


def coded_totals(reports: list[Event]) -> list[tuple[int, Event]]:
    """(figure, report) for every report that states a toll, in event_id order.

    A report's coded figure already applies the single-article rules (subsets of a total are not
    added to it, a rising toll takes the latest, a party's tally of enemy dead yields to an
    independent figure), so it is the figure to compare across reports.
    """
    return [(r.fatalities or 0, r) for r in sorted(reports, key=lambda r: r.event_id) if has_figure(r)]


def fatality_bounds(reports: list[Event], claims: list[Claim]) -> tuple[int | None, int | None]:
    """(lowest credible, highest) figure of an incident: lowest over the reports' coded totals
    (claims only when no report codes one), highest over every figure anyone gave."""
    totals = [f for f, _ in coded_totals(reports)]
    figures = [c.fatalities for c in claims if c.fatalities is not None]
    if not totals and not figures:
        return None, None
    low = min(totals) if totals else min(figures)
    return low, max([*totals, *figures])


def _fuse_fatalities(fused: Event, members: list[Event]) -> None:
    """ACLED's lowest credible figure across reports, with the evidence of the report that gives it.

    Compared across reports are their coded totals, not every claim: "3 civilians" and "8 people"
    in one article count different victim groups, and the minimum of the two would undercount the
    incident. Claims stay on the fused event, so the disagreement remains visible.
    """
    totals = coded_totals(members)
    if totals:
        low, src = min(totals, key=lambda t: (t[0], t[1].event_id))
        ev = src.evidence.get("fatalities")
        fused.fatalities = low
        fused.evidence["fatalities"] = Evidence(
            list(ev.spans) if ev is not None else [],
            f"acled:lowest_credible;from_article:{src.article_id}",
        )
        return
    low, _ = fatality_range(fused.claims)
    fused.fatalities = low if low is not None else 0
    lowest = [c for c in fused.claims if c.fatalities is not None and c.fatalities == low]
    if lowest:
        c = lowest[0]
        fused.evidence["fatalities"] = Evidence(
            [c.span] if c.span is not None else [], f"acled:lowest_credible;from_article:{c.article_id}"
        )
    else:
        fused.evidence["fatalities"] = Evidence(rule="acled:none_reported=0")


def fatality_range(claims: list[Claim]) -> tuple[int | None, int | None]:
    """Lowest and highest figure over the claims that give one (None, None when none does)."""
    figures = [c.fatalities for c in claims if c.fatalities is not None]
    if not figures:
        return None, None
    return min(figures), max(figures)


def sources_of(reports: list[Event], articles: dict[str, Article]) -> list[dict[str, Any]]:
    """One entry per contributing article: {article_id, outlet, url, title, published}, sorted."""
    out = []
    for aid in sorted({r.article_id for r in reports}):
        art = articles.get(aid)
        out.append(
            {
                "article_id": aid,
                "outlet": (art.source if art is not None else None) or "",
                "url": art.url if art is not None else None,
                "title": art.title if art is not None else None,
                "published": art.published.isoformat() if art is not None and art.published else None,
            }
        )
    return out


@lru_cache(maxsize=4096)
def _fold_outlet(name: str) -> str:
    return fold(name)


def source_scale(reports: list[Event], articles: dict[str, Article]) -> str:
    """ACLED source_scale of the mix: 'narrowest-widest' of the known scales ('' if none is known)."""
    order, outlets = _scales()
    found: set[str] = set()
    for r in reports:
        for part in (r.source_scale or "").split("-"):
            if part.strip() in order:
                found.add(part.strip())
        scale = outlets.get(_fold_outlet(_outlet(r, articles)))
        if scale:
            found.add(scale)
    if not found:
        return ""
    ranked = sorted(found, key=order.index)
    return ranked[0] if len(ranked) == 1 else f"{ranked[0]}-{ranked[-1]}"


def _with_provenance(ev: Evidence | None, article_id: str) -> Evidence:
    base = ev if ev is not None else Evidence()
    rule = f"{base.rule};from_article:{article_id}" if base.rule else f"from_article:{article_id}"
    return Evidence(list(base.spans), rule)


def _copy_fields(target: Event, src: Event, fields: tuple[str, ...]) -> None:
    for f in fields:
        setattr(target, f, getattr(src, f))
        if getattr(src, f) in ("", None):
            target.evidence.pop(f, None)
        else:
            target.evidence[f] = _with_provenance(src.evidence.get(f), src.article_id)


def _date_source(reports: list[Event]) -> Event | None:
    dated = [r for r in reports if r.event_date]
    if not dated:
        return None
    votes = Counter((r.event_date, r.time_precision) for r in dated)
    # most precise; a date the text states beats one resolved from "yesterday"; then the most
    # reports; then the earliest (a follow-up tends to carry its own, later, news peg)
    return min(
        dated,
        key=lambda r: (
            r.time_precision or 9,
            is_relative_date(r),
            -votes[(r.event_date, r.time_precision)],
            r.event_date,
            r.event_id,
        ),
    )


def _place_source(reports: list[Event]) -> Event | None:
    placed = [r for r in reports if r.country]
    if not placed:
        return None
    votes = Counter(r.geonameid if r.geonameid is not None else r.location for r in placed)
    return min(
        placed,
        key=lambda r: (
            r.geo_precision or 9,
            not r.admin1,
            -votes[r.geonameid if r.geonameid is not None else r.location],
            r.event_id,
        ),
    )


def _type_source(reports: list[Event], best: Event) -> Event:
    typed = [r for r in reports if r.sub_event_type]
    if not typed:
        return best
    votes = Counter(r.sub_event_type for r in typed)
    tax = taxonomy()

    def rank(sub: str) -> int:
        return tax.rank(sub) if sub in tax.event_type_of else len(tax.precedence)

    top = min(votes, key=lambda s: (-votes[s], rank(s)))
    return (
        best
        if best.sub_event_type == top
        else min((r for r in typed if r.sub_event_type == top), key=lambda r: r.event_id)
    )


def _specificity(name: str, inter: int | None) -> int:
    k = actor_key(name, inter)
    if k is None:
        return 0
    return {"named": 3, "state": 3, "crowd": 2, "generic": 1}[k.kind]


def _fill_actors(fused: Event, reports: list[Event], best: Event) -> None:
    """The best report's actors, with an unnamed or missing side replaced by a name another report gives."""
    fused.actor1, fused.inter1, fused.assoc_actor_1 = best.actor1, best.inter1, best.assoc_actor_1
    fused.actor2, fused.inter2, fused.assoc_actor_2 = best.actor2, best.inter2, best.assoc_actor_2
    for f in ("actor1", "inter1", "actor2", "inter2", "assoc_actor_1", "assoc_actor_2"):
        if f in best.evidence:
            fused.evidence[f] = _with_provenance(best.evidence[f], best.article_id)
    # candidate named actors from the other reports, most reports first
    seen: Counter[tuple[str, int | None]] = Counter()
    where: dict[tuple[str, int | None], tuple[Event, str]] = {}
    for r in reports:
        for slot in ("1", "2"):
            name, inter = getattr(r, f"actor{slot}"), getattr(r, f"inter{slot}")
            if _specificity(name, inter) == 3:
                seen[(name, inter)] += 1
                where.setdefault((name, inter), (r, slot))
    present = {fused.actor1, fused.actor2}
    for slot in ("1", "2"):
        name, inter = getattr(fused, f"actor{slot}"), getattr(fused, f"inter{slot}")
        if _specificity(name, inter) >= 2:
            continue  # named, state or a crowd/victims: keep the best report's side
        # an unnamed armed side takes a named armed actor (not victims/crowds) another report gives
        options = sorted(
            (k for k in seen if k[0] not in present and (inter is None or k[1] not in (5, 6, 7))),
            key=lambda k: (-seen[k], k[0]),
        )
        if not options:
            continue
        new = options[0]
        src, src_slot = where[new]
        setattr(fused, f"actor{slot}", new[0])
        setattr(fused, f"inter{slot}", new[1])
        present.add(new[0])
        for f in ("actor", "inter"):
            ev = src.evidence.get(f"{f}{src_slot}")
            fused.evidence[f"{f}{slot}"] = _with_provenance(ev, src.article_id)
    if fused.inter1 or fused.inter2:
        fused.interaction = interaction_code(fused.inter1, fused.inter2)
    else:
        fused.interaction = best.interaction


def fuse(reports: list[Event], articles: dict[str, Article]) -> Event:
    """One incident from all its member reports, whatever order they come in.

    Date: most precise, stated before relative, then most reports. Place: lowest geo_precision, then
    most reports. Type: most reports, then taxonomy precedence. Notes and actors: the lead report's
    (the best of those with that type), an unnamed side upgraded to a group another report names.
    Fatalities: ACLED's lowest credible figure, the minimum over the reports' coded totals (reports
    that give none do not count as zero; sub-group claims do not undercut a total); every claim is
    kept so the disagreement stays visible. Source: the articles' outlets, then the named primary
    sources the reports cite (never generic speakers). Evidence rules carry ``from_article:<id>``.
    """
    if not reports:
        raise ValueError("fuse needs at least one report")
    members = sorted(reports, key=lambda r: r.event_id)
    typed = _type_source(members, best_report(members))
    # the lead report tells the incident as the fused record codes it (its type, hence its roles)
    lead = best_report([r for r in members if r.sub_event_type == typed.sub_event_type] or members)
    fused = Event(article_id=members[0].article_id, event_id=members[0].event_id)
    fused.notes = lead.notes
    if "notes" in lead.evidence:
        fused.evidence["notes"] = _with_provenance(lead.evidence["notes"], lead.article_id)

    src = _date_source(members)
    if src is not None:
        _copy_fields(fused, src, _DATE_FIELDS)
    src = _place_source(members)
    if src is not None:
        _copy_fields(fused, src, _PLACE_FIELDS)
    _copy_fields(fused, typed, _TYPE_FIELDS)
    _fill_actors(fused, members, lead)
    fused.claims = merge_claims([c for r in members for c in report_claims(r, articles)])
    _fuse_fatalities(fused, members)

    outlets = sorted({o for o in (_outlet(r, articles) for r in members) if o})
    named = sorted({n for r in members for n in named_sources(r, articles)} - set(outlets))
    fused.source = "; ".join(outlets + named)
    fused.source_scale = source_scale(members, articles)
    n_articles = len({r.article_id for r in members})
    # corroboration by independent articles raises confidence a little, never past 1
    fused.confidence = round(min(1.0, max(r.confidence for r in members) + 0.05 * (n_articles - 1)), 3)
    return fused
