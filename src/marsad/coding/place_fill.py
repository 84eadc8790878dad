"""Corrections to the place chosen for an event, from what the report itself says about it.

ACLED codes the village's coordinates, else the nearest named place, and always the first-level
area the report names. ``event_place`` picks the mention; these rules repair the choice when the
text contradicts the gazetteer:

- a country chosen while the frame names one of its first-level areas gives way to that area;
- a name the gazetteer missed at one mention but resolved at another takes that resolution;
- a stand-in for an unresolved name that lies in another country than the article's is replaced
  by the nearest place of the article's country;
- no place at all, but a body that works in one country only ("the OSCE SMM observed ..."):
  that country (``country_of_cues``);
- an area that qualifies the place ("Gediz, Kutahya", "X village (Y district, Z province)") is
  the event's admin1: a namesake elsewhere gives way to the same name inside that area, else the
  area's seat when the namesake is far, else only the admin1 name is taken from the text.
"""

from __future__ import annotations

import re
from dataclasses import replace
from functools import cache

from marsad.evaluate.metrics import haversine_km
from marsad.geo.gazetteer import Gazetteer
from marsad.knowledge import read_json
from marsad.model import PlaceMention, Span
from marsad.text import fold

# what may stand between a place and the area that qualifies it: "(Nyabihanga, ", ", ",
# " village in ", " (Djugu district, " -- no sentence or list break
_QUALIFIER_GAP = re.compile(
    r"^(?:\s+(?:village|town|city|area|locality|district|neighbou?rhood|camp))?"
    r"(?:\s*[,(]\s*|\s+in\s+(?:the\s+)?)"
    r"(?:[A-Z][\w'’.-]*(?:[ -][\w'’.-]+){0,3}\s*(?:district|sub-?district|county|township|department|"
    r"municipality|subdivision|locality|commune|division)?\s*,\s*){0,2}$"
)
# the name goes on past the mention: "Mato Grosso" read inside "Mato Grosso do Sul"
_NAME_GOES_ON = re.compile(r"^[ -](?:d[aeo]s?|del|de|la|el|al|[A-Z])")
# a list goes on after the area ("in Aleppo, Idlib and Hama"): the area is then no qualifier
_LIST_GOES_ON = re.compile(r"^\s*(?:,\s*[A-Z]|and\b|or\b|&)")
# how far after a name its qualifier may run ("X (Y district, Z province)")
_QUALIFIER_WINDOW = 60
# a town this big is where the gazetteer says, whatever area a report puts it in
_CITY_POP = 100_000
# a namesake this far from the area the text names is not the place meant
_FAR_KM = 150.0


@cache
def _cue_pattern() -> tuple[re.Pattern[str] | None, dict[str, str]]:
    cues = {k: v for k, v in read_json("country_cues.json").get("cues", {}).items() if not k.startswith("_")}
    if not cues:
        return None, {}
    alts = "|".join(re.escape(k) for k in sorted(cues, key=len, reverse=True))
    return re.compile(rf"(?<![\w-])(?:{alts})(?![\w-])"), cues


def country_of_cues(text: str, gazetteer: Gazetteer) -> PlaceMention | None:
    """No place resolved, but the report names a body that works in one country only ("the OSCE
    SMM observed ... near X": Ukraine; ``country_cues.json``): code the event at that country."""
    pattern, cues = _cue_pattern()
    m = pattern.search(text) if pattern is not None else None
    if m is None:
        return None
    place = gazetteer.country_place(cues[m.group(0)])
    if place is None:
        return None
    return PlaceMention(
        span=Span(m.start(), m.end(), m.group(0)),
        place=place,
        kind="country",
        geo_precision=3,
        rule="country_cue",
    )


def country_to_area(chosen: PlaceMention, places: list[PlaceMention], gazetteer: Gazetteer) -> PlaceMention:
    """A country chosen while the frame names one of its first-level areas: the area is more specific."""
    p = chosen.place
    if p is None or chosen.kind != "country":
        return chosen
    for m in places:
        q = m.place
        if q is not None and m.kind == "admin1" and q.country_code == p.country_code and q.admin1:
            seat = gazetteer.admin1_seat(q)
            if seat is not None:
                q = replace(q, lat=seat[0], lon=seat[1])
            return replace(
                m, place=q, geo_precision=max(2, m.geo_precision), rule=f"{m.rule}:area_of_country"
            )
    return chosen


def same_name_resolved(
    chosen: PlaceMention, places: list[PlaceMention], text: str, gazetteer: Gazetteer, home: str = ""
) -> PlaceMention:
    """A stand-in for a name the resolver left open: another mention of the same name that resolved
    in the article's clear home country, else the gazetteer's place of that name in the stand-in's country ("Mar del Plata (Buenos Aires)"
    left open because the qualifier read as the capital city, not the province)."""
    p = chosen.place
    if p is None or not chosen.rule.startswith("unresolved->"):
        return chosen
    key = fold(text[chosen.span.start : chosen.span.end])
    for m in places:
        if (
            m.place is not None
            and m.kind == "toponym"
            and not m.rule.startswith("unresolved->")
            # another mention: this one's own reading was rejected as a far namesake
            and m.span.start != chosen.span.start
            and bool(home)
            and m.place.country_code == home
            and fold(text[m.span.start : m.span.end]) == key
        ):
            return replace(m, span=chosen.span)
    # only the namesake whose own first-level area the text names right after it
    after = fold(text[chosen.span.end : chosen.span.end + _QUALIFIER_WINDOW])
    same = [
        c
        for c in gazetteer.lookup(key)
        if c.feature_class == "P"
        and c.country_code == p.country_code
        and c.admin1
        and fold(c.admin1) in after
    ]
    if not same:
        return chosen
    best = max(same, key=lambda c: c.population)
    return replace(chosen, place=best, kind="toponym", geo_precision=1, rule=f"{chosen.rule}:same_name")


def _sentence_of(text: str, pos: int) -> tuple[int, int]:
    lo = max(text.rfind(". ", 0, pos), text.rfind("\n", 0, pos)) + 1
    hi = text.find(". ", pos)
    return lo, len(text) if hi < 0 else hi


def clear_home(home: str, places: list[PlaceMention]) -> str:
    """The article's country only when more of its towns and areas are named than of any other
    country's (country names are left out: "US dollar", "Turkish-backed" name no scene)."""
    count: dict[str, int] = {}
    for m in places:
        if m.place is not None and m.kind in ("toponym", "admin1") and m.place.country_code:
            count[m.place.country_code] = count.get(m.place.country_code, 0) + 1
    top = count.get(home, 0)
    return home if top and all(n < top for cc, n in count.items() if cc != home) else ""


def home_stand_in(chosen: PlaceMention, places: list[PlaceMention], text: str, home: str) -> PlaceMention:
    """A stand-in abroad for a name the gazetteer lacks ("Colonia X" placed at a namesake of another
    word of the sentence): the article's own country holds the scene, so its nearest place stands in."""
    p = chosen.place
    if not home or p is None or not chosen.rule.startswith("unresolved->") or p.country_code == home:
        return chosen
    abroad = [m for m in places if m.place is not None and m.place.country_code == p.country_code]
    # only a lone namesake abroad against two different towns or areas of the article's country
    # in the same sentence ("in Coatzacoalcos, Veracruz, ... Molotov cocktails ... in Colonia X")
    s = _sentence_of(text, chosen.span.start)
    local = [
        m
        for m in places
        if m.place is not None
        and m.place.country_code == home
        and m.kind in ("toponym", "admin1")
        and s[0] <= m.span.start < s[1]
    ]
    if len(abroad) > 1 or len({fold(m.place.name) for m in local if m.place is not None}) < 2:
        return chosen
    near = min(local, key=lambda m: abs(m.span.start - chosen.span.start))
    place = near.place
    assert place is not None
    named = fold(p.name) == fold(text[chosen.span.start : chosen.span.end])
    if named:
        place = replace(place, name=p.name)
    return replace(chosen, place=place, kind=near.kind, rule=f"unresolved->{near.rule}")


def _as_area(m: PlaceMention, text: str, gazetteer: Gazetteer) -> PlaceMention | None:
    """A mention read as a first-level area: an area, or a city that shares its name with one, as
    a qualifier in "X (Buenos Aires)" or "X, Rio de Janeiro" names the province, not the city."""
    q = m.place
    if q is None or not q.admin1:
        return None
    if m.kind == "admin1":
        return m
    if m.kind != "toponym":
        return None
    area = gazetteer.admin1(q.country_code, text[m.span.start : m.span.end])
    if area is not None:
        return replace(m, place=area, kind="admin1")
    return m if fold(q.name) == fold(q.admin1) else None


def _qualifying_area(
    chosen: PlaceMention, places: list[PlaceMention], text: str, gazetteer: Gazetteer
) -> PlaceMention | None:
    """The first-level area named right after the chosen place as its qualifier, if any."""
    p = chosen.place
    for mention in places:
        if mention.span.start < chosen.span.end:
            continue
        if _NAME_GOES_ON.match(text[mention.span.end : mention.span.end + 5]):
            continue
        m = _as_area(mention, text, gazetteer)
        q = m.place if m is not None else None
        if m is None or q is None:
            continue
        if not _QUALIFIER_GAP.match(text[chosen.span.end : m.span.start]):
            continue
        if _LIST_GOES_ON.match(text[m.span.end : m.span.end + 6]):
            return None
        if p is not None and q.country_code != p.country_code:
            return None
        return m
    return None


def stated_area(
    chosen: PlaceMention, places: list[PlaceMention], text: str, gazetteer: Gazetteer, home: str
) -> PlaceMention:
    """The area the text names for the place decides its admin1 (see the module docstring)."""
    p = chosen.place
    if p is None or chosen.kind not in ("toponym",):
        return chosen
    area = _qualifying_area(chosen, places, text, gazetteer)
    if area is None or area.place is None:
        return chosen
    a = area.place
    if p.country_code == a.country_code and p.admin1 == a.admin1:
        return chosen
    surface = text[chosen.span.start : chosen.span.end]
    inside = [
        c
        for c in gazetteer.lookup(fold(surface))
        if c.country_code == a.country_code and c.admin1 == a.admin1 and c.feature_class == "P"
    ]
    if inside:
        best = max(inside, key=lambda c: c.population)
        return replace(chosen, place=best, rule=f"{chosen.rule}:stated_area")
    if p.population >= _CITY_POP:
        return chosen  # "Mariupol, Zaporizhia": a city is known better than a note's slip
    seat = gazetteer.admin1_seat(a) or (a.lat, a.lon)  # a town named like its province is its seat
    if haversine_km(p.lat, p.lon, seat[0], seat[1]) > _FAR_KM:
        moved = replace(a, name=p.name, lat=seat[0], lon=seat[1], feature_class="P", feature_code="")
        return replace(
            chosen, place=moved, geo_precision=max(2, chosen.geo_precision), rule=f"{chosen.rule}:stated_area"
        )
    return replace(chosen, place=replace(p, admin1=a.admin1, admin2=""), rule=f"{chosen.rule}:stated_area")


def refine(
    chosen: PlaceMention,
    frame_places: list[PlaceMention],
    places: list[PlaceMention],
    text: str,
    gazetteer: Gazetteer,
    home: str,
) -> PlaceMention:
    """All the corrections above, most specific last."""
    home = clear_home(home, places)
    chosen = country_to_area(chosen, frame_places, gazetteer)
    chosen = same_name_resolved(chosen, places, text, gazetteer, home)
    chosen = home_stand_in(chosen, places, text, home)
    return stated_area(chosen, frame_places, text, gazetteer, home)
