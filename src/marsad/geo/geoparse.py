"""One geoparse output line per input line: every toponym resolved, plus the event's location.

This is what ``marsad geoparse`` writes (issue 3):
``{"id", "toponyms": [{"start", "end", "text", "name", "geonameid", "lat", "lon", "country",
"admin1", "feature_class", "geo_precision"}], "event_location": {"start", "end"} | null}``.
``country`` is the ISO 3166-1 alpha-2 code. The main event is the first live (not negated,
not hypothetical) trigger that has a place near it; its location is chosen by
``choose_event_location``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from marsad.geo.event_location import choose_event_location
from marsad.geo.gazetteer import Gazetteer, default_gazetteer
from marsad.mentions.places import find_places, resolve_spans
from marsad.mentions.triggers import find_triggers
from marsad.model import Article, Document, PlaceMention, Span, TriggerMention
from marsad.text import make_document


class GeoparseInputError(ValueError):
    """The input line cannot be geoparsed (no text, bad spans...): the message says why."""


def toponym_dict(m: PlaceMention | None, span: Span) -> dict[str, Any]:
    """The output form of one toponym; the resolution fields are null when it is not resolved."""
    p = m.place if m is not None else None
    return {
        "start": span.start,
        "end": span.end,
        "text": span.text,
        "name": p.name if p else None,
        "geonameid": p.geonameid if p else None,
        "lat": round(p.lat, 5) if p else None,
        "lon": round(p.lon, 5) if p else None,
        "country": p.country_code if p else None,
        "admin1": (p.admin1 or None) if p else None,
        "feature_class": p.feature_class if p else None,
        "geo_precision": m.geo_precision if (m is not None and p is not None) else None,
    }


def main_trigger(
    doc: Document, triggers: Sequence[TriggerMention], places: Sequence[PlaceMention]
) -> Span | None:
    """The trigger of the article's main event: news puts it first, so the earliest live trigger
    whose sentence (or the one before) names a place; else the earliest live trigger."""
    live = [t for t in triggers if not t.negated and not t.hypothetical]
    if not live:
        # no coded trigger: an action verb still says which clause the place belongs to
        a = _ACTION.search(doc.text) if FALLBACK_VERB else None
        return Span(a.start(), a.end(), a.group(0)) if a else None
    starts = sorted(m.span.start for m in places if m.kind != "demonym")
    for t in live:
        s = doc.sentence_at(t.span.start)
        if s is None:
            continue
        prev = doc.sentences[s.index - 1] if s.index > 0 else s
        if any(prev.start <= x < s.end for x in starts):
            if PREFER_VERB:
                # "gunmen killed ...", "attacks in X ... was captured": the clause's verb anchors
                # the event better than a noun naming attackers or a series of attacks
                verb = next(
                    (u for u in live if s.start <= u.span.start < s.end and _VERBAL.search(u.span.text)), None
                )
                if verb is not None:
                    return verb.span
            return t.span
    return live[0].span


PREFER_VERB = True
FALLBACK_VERB = True
_ACTION = re.compile(
    r"\b(?:patroll?(?:ed|ing|s)?|march(?:ed|ing)|demonstrat(?:ed|ing)|protest(?:ed|ing)|rall(?:ied|ying)|"
    r"bomb(?:ed|ing)|shell(?:ed|ing)|captur(?:ed|ing)|attack(?:ed|ing)|destroy(?:ed|ing)|storm(?:ed|ing)|"
    r"enter(?:ed|ing)|raid(?:ed|ing)|clash(?:ed|ing)|fir(?:ed|ing)|evacuat(?:ed|ing)|seiz(?:ed|ing)|"
    r"kill(?:ed|ing)|shot|struck|exploded|detonated|abducted|kidnapp?ed|arrested|looted|burn(?:ed|t)|torched)\b",
    re.I,
)
_VERBAL = re.compile(
    r"^(?:\w+ed|shot|struck|hit|took|blew|fought|overran|seized|stormed|bombed|shelled|killed|captured)\b",
    re.I,
)


def _given_spans(record: Mapping[str, Any], text: str) -> list[Span]:
    raw = record.get("toponyms")
    if not isinstance(raw, list):
        raise GeoparseInputError("given_spans: the record has no 'toponyms' list")
    spans: list[Span] = []
    for i, t in enumerate(raw):
        try:
            s, e = int(t["start"]), int(t["end"])
        except (TypeError, KeyError, ValueError):
            raise GeoparseInputError(f"given_spans: toponym {i} lacks integer start/end") from None
        if not 0 <= s < e <= len(text):
            raise GeoparseInputError(f"given_spans: toponym {i} span [{s}, {e}) is outside the text")
        spans.append(Span(s, e, text[s:e]))
    return spans


def geoparse_record(
    record: Mapping[str, Any], gazetteer: Gazetteer | None = None, given_spans: bool = False
) -> dict[str, Any]:
    """Geoparse one input line (``{"id", "text", ...}``) into the issue-3 output line.

    With ``given_spans`` the spans in the record's ``toponyms`` field are resolved (one output
    toponym per span, unresolved ones with null fields) instead of finding names.
    Raises ``GeoparseInputError`` when the record has no usable text or its spans are invalid.
    """
    if not isinstance(record, Mapping):
        raise GeoparseInputError("a record must be a JSON object")
    text = record.get("text")
    if not isinstance(text, str):
        raise GeoparseInputError("the record has no 'text' string")
    rid = record.get("id")
    gaz = gazetteer or default_gazetteer()
    doc = make_document(Article(text=text, id=str(rid) if rid not in (None, "") else ""))
    if given_spans:
        spans = _given_spans(record, text)
        resolved = resolve_spans(doc, spans, gaz) if spans else []
        toponyms = [toponym_dict(m, sp) for m, sp in zip(resolved, spans, strict=True)]
        places = [
            m if m is not None else PlaceMention(sp, None, "toponym", 1, 0.3, "given:unresolved")
            for m, sp in zip(resolved, spans, strict=True)
        ]
    else:
        filled = find_places(doc, gaz, fill_unresolved=True) if text.strip() else []
        toponyms = [toponym_dict(m, m.span) for m in filled]
        # the event-location rules weigh a venue by its own name, not by the article's town
        # that stands in for it in the output
        places = [
            PlaceMention(m.span, None, m.kind, 1, 0.3, m.rule.removesuffix(":article_place"))
            if m.rule.endswith(":article_place")
            else m
            for m in filled
        ]
    loc = None
    if places:
        trig = main_trigger(doc, find_triggers(doc), places)
        best = choose_event_location(doc, places, trig, gazetteer=gaz)
        if best is not None:
            loc = {"start": best.span.start, "end": best.span.end}
    return {"id": rid, "toponyms": toponyms, "event_location": loc}
