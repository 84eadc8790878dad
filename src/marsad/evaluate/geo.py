"""Geoparsing metrics (definitions in ../shared/eval/README.md).

GeoWebNews: gold = toponyms with coordinates. A prediction matches a gold span it
equals, else one it overlaps (one-to-one); a prediction overlapping only
annotations without coordinates is ignored. Event location: share of records
with a gold location whose predicted event-location span overlaps it.
"""

from __future__ import annotations

import json
import random
import time
from pathlib import Path
from typing import Any

from marsad.evaluate import gold_path_or_explain
from marsad.evaluate.metrics import haversine_km, normalise_place
from marsad.geo.event_location import choose_event_location, event_place
from marsad.geo.gazetteer import Gazetteer, default_gazetteer
from marsad.mentions.places import find_places, resolve_spans
from marsad.model import Article, Document, PlaceMention, Span
from marsad.text import make_document


def _read_jsonl(path: Path, sample: int | None, seed: int = 0) -> list[dict[str, Any]]:
    rows = []
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            line = line.strip()
            if line:
                try:
                    rows.append(json.loads(line))
                except json.JSONDecodeError:
                    continue  # a broken line is skipped, not fatal
    if sample is not None and 0 < sample < len(rows):
        rows = random.Random(seed).sample(rows, sample)
    return rows


def _has_coords(t: dict[str, Any]) -> bool:
    return t.get("lat") is not None and t.get("lon") is not None


def match_toponyms(
    gold: list[dict[str, Any]], pred: list[tuple[int, int]]
) -> tuple[dict[int, int], int, int]:
    """One-to-one matching of predicted spans to located gold toponyms.

    Returns (pred index -> gold index for matches, false positives, ignored predictions).
    Equal spans are matched first, then overlapping ones, in text order.
    """
    located = [i for i, t in enumerate(gold) if _has_coords(t)]
    matched: dict[int, int] = {}
    used: set[int] = set()
    for pi, (ps, pe) in enumerate(pred):
        for gi in located:
            if gi not in used and gold[gi]["start"] == ps and gold[gi]["end"] == pe:
                matched[pi] = gi
                used.add(gi)
                break
    for pi, (ps, pe) in enumerate(pred):
        if pi in matched:
            continue
        for gi in located:
            if gi not in used and gold[gi]["start"] < pe and ps < gold[gi]["end"]:
                matched[pi] = gi
                used.add(gi)
                break
    fp = ignored = 0
    for pi, (ps, pe) in enumerate(pred):
        if pi in matched:
            continue
        over = [t for t in gold if t["start"] < pe and ps < t["end"]]
        if over and not any(_has_coords(t) for t in over):
            ignored += 1
        else:
            fp += 1
    return matched, fp, ignored


def _near(m: PlaceMention | None, t: dict[str, Any], km: float = 161.0) -> bool:
    if m is None or m.place is None:
        return False
    return haversine_km(m.place.lat, m.place.lon, float(t["lat"]), float(t["lon"])) <= km


def _same_id(m: PlaceMention | None, t: dict[str, Any]) -> bool:
    if m is None or m.place is None or t.get("geonameid") in (None, ""):
        return False
    try:
        return int(t["geonameid"]) == m.place.geonameid
    except (TypeError, ValueError):
        return False


def evaluate_geowebnews(
    path: str | Path | None = None,
    given_spans: bool = False,
    sample: int | None = None,
    gazetteer: Gazetteer | None = None,
) -> dict[str, Any]:
    """Toponym P/R/F1, acc161 and GeoNames-id accuracy on geowebnews.jsonl.

    With ``given_spans`` the gold spans are resolved (``resolve_spans``) and only the
    resolution measures are reported.
    """
    rows = _read_jsonl(gold_path_or_explain(path, "geowebnews.jsonl"), sample)
    gaz = gazetteer or default_gazetteer()
    n_gold = tp = fp = ignored = hit161 = hit_id = 0
    t0 = time.perf_counter()
    for r in rows:
        text = r.get("text") or ""
        gold = [t for t in r.get("toponyms") or [] if isinstance(t, dict) and "start" in t and "end" in t]
        located = [t for t in gold if _has_coords(t)]
        n_gold += len(located)
        doc = make_document(Article(text=text, id=str(r.get("id", ""))))
        if given_spans:
            spans = [Span(t["start"], t["end"], text[t["start"] : t["end"]]) for t in located]
            for t, m in zip(located, resolve_spans(doc, spans, gaz), strict=True):
                hit161 += _near(m, t)
                hit_id += _same_id(m, t)
            continue
        pred = find_places(doc, gaz, fill_unresolved=True)
        matched, f, ig = match_toponyms(gold, [(m.span.start, m.span.end) for m in pred])
        tp += len(matched)
        fp += f
        ignored += ig
        for pi, gi in matched.items():
            hit161 += _near(pred[pi], gold[gi])
            hit_id += _same_id(pred[pi], gold[gi])
    elapsed = time.perf_counter() - t0
    out: dict[str, Any] = {"documents": len(rows), "gold_toponyms": n_gold, "seconds": round(elapsed, 3)}
    if given_spans:
        out["acc161_given_spans"] = hit161 / n_gold if n_gold else 0.0
        out["geonameid_given_spans"] = hit_id / n_gold if n_gold else 0.0
        return out
    p = tp / (tp + fp) if tp + fp else 0.0
    rec = tp / n_gold if n_gold else 0.0
    out.update(
        {
            "toponym_P": p,
            "toponym_R": rec,
            "toponym_F1": 2 * p * rec / (p + rec) if p + rec else 0.0,
            "acc161_end_to_end": hit161 / n_gold if n_gold else 0.0,
            "geonameid_end_to_end": hit_id / n_gold if n_gold else 0.0,
            "true_positives": tp,
            "false_positives": fp,
            "ignored_predictions": ignored,
        }
    )
    return out


def evaluate_event_location(
    path: str | Path | None = None, sample: int | None = None, gazetteer: Gazetteer | None = None
) -> dict[str, Any]:
    """Share of records with a gold event location whose predicted location span overlaps it.

    ``event_location_acc`` is the README metric: the ``event_location`` of ``geoparse_record``
    (which reads only the text and finds the main event's trigger itself).
    ``event_location_acc_gold_trigger`` isolates the location choice: the same places, with the
    record's annotated trigger as the anchor.
    """
    from marsad.geo.geoparse import main_trigger
    from marsad.mentions.triggers import find_triggers

    rows = _read_jsonl(gold_path_or_explain(path, "event_location.jsonl"), sample)
    gaz = gazetteer or default_gazetteer()
    scored = hits = hits_gold = predicted = 0
    t0 = time.perf_counter()
    for r in rows:
        loc = r.get("location")
        if not loc:
            continue
        text = r.get("text") or ""
        scored += 1
        doc = make_document(Article(text=text, id=str(r.get("id", ""))))
        places = find_places(doc, gaz)
        if not places:
            continue
        choice = choose_event_location(
            doc, places, main_trigger(doc, find_triggers(doc), places), gazetteer=gaz
        )
        if choice is not None:
            predicted += 1
            hits += choice.span.start < loc["end"] and loc["start"] < choice.span.end
        trig = r.get("event_trigger") or None
        tspan = Span(trig["start"], trig["end"], trig.get("text", "")) if trig else None
        gchoice = choose_event_location(doc, places, tspan, gazetteer=gaz)
        if gchoice is not None and gchoice.span.start < loc["end"] and loc["start"] < gchoice.span.end:
            hits_gold += 1
    return {
        "records_with_location": scored,
        "predicted": predicted,
        "event_location_acc": hits / scored if scored else 0.0,
        "event_location_acc_gold_trigger": hits_gold / scored if scored else 0.0,
        "seconds": round(time.perf_counter() - t0, 3),
    }


def _actor_hints(doc: Document) -> dict[str, float]:
    """The countries the actors imply, as the pipeline passes them to ``find_places``."""
    from marsad.mentions.actors import find_actors  # the actor stage is optional for geo alone

    hints: dict[str, float] = {}
    for a in find_actors(doc):
        if a.country_code:
            hints[a.country_code] = hints.get(a.country_code, 0.0) + 1.0
    return hints


def evaluate_acled_locations(
    path: str | Path | None = None, sample: int | None = None, gazetteer: Gazetteer | None = None
) -> dict[str, Any]:
    """On ACLED notes: is the chosen place within 25/161 km of the coded location, is the country right?

    Mirrors the pipeline's geography: actor countries as hints, the main trigger as the anchor."""
    from marsad.geo.geoparse import main_trigger
    from marsad.mentions.triggers import find_triggers

    rows = _read_jsonl(gold_path_or_explain(path, "acled_dev.jsonl"), sample)
    gaz = gazetteer or default_gazetteer()
    n = w25 = w161 = country_ok = admin1_ok = any25 = none = 0
    for r in rows:
        g = r.get("gold") or {}
        try:
            glat, glon = float(g["latitude"]), float(g["longitude"])
        except (KeyError, TypeError, ValueError):
            continue
        n += 1
        doc = make_document(Article(text=r.get("text") or "", id=str(r.get("id", ""))))
        # the pipeline passes the actors' countries as a prior: measure the same thing
        places = find_places(doc, gaz, country_hints=_actor_hints(doc))
        best = event_place(doc, places, main_trigger(doc, find_triggers(doc), places), gaz)
        if any(haversine_km(m.place.lat, m.place.lon, glat, glon) <= 25 for m in places if m.place):
            any25 += 1
        if best is None or best.place is None:
            none += 1
            continue
        d = haversine_km(best.place.lat, best.place.lon, glat, glon)
        w25 += d <= 25
        w161 += d <= 161
        country_ok += normalise_place(best.place.country) == normalise_place(str(g.get("country", "")))
        admin1_ok += normalise_place(best.place.admin1) == normalise_place(str(g.get("admin1", "")))
    return {
        "notes": n,
        "no_place": none,
        "loc_25km": w25 / n if n else 0.0,
        "loc_161km": w161 / n if n else 0.0,
        "country_acc": country_ok / n if n else 0.0,
        "admin1_acc": admin1_ok / n if n else 0.0,
        "any_place_within_25km": any25 / n if n else 0.0,
    }
