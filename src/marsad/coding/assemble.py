"""Mentions -> candidates -> events: the ACLED coder's desk.

One candidate per sentence that carries an event trigger; candidates that
describe the same incident (a later sentence adding the toll, "the clashes
resulted in ...") are folded into the frame they continue; then ACLED's unit
of analysis applies: one event per day, location, actor pair and sub-event
type. Every filled field gets Evidence: the spans that support it or the name
of the rule that derived it.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field
from datetime import date

from marsad.coding.actors import fill_actors, interaction_code
from marsad.coding.classify import classify, salience
from marsad.coding.consistency import settle
from marsad.coding.fatalities import code_fatalities, is_background_total
from marsad.coding.place_fill import country_of_cues
from marsad.coding.place_fill import refine as refine_place
from marsad.coding.roles import assign_roles
from marsad.geo.event_location import event_place, named_at, unplaced_scene
from marsad.geo.gazetteer import Gazetteer
from marsad.geo.landmarks import landmark_town
from marsad.knowledge import taxonomy
from marsad.mentions.claims import (
    Attribution,
    claimed_counts,
    find_attributions,
    frame_claims,
    lowest_credible,
    source_names,
)
from marsad.mentions.dates import is_dateline
from marsad.mentions.triggers import has_past_date, past_clauses
from marsad.model import (
    ActorMention,
    Candidate,
    CasualtyMention,
    DateMention,
    Document,
    Event,
    Evidence,
    Mentions,
    PlaceMention,
    Sentence,
    Span,
    TriggerMention,
)

# A sentence this far from the previous frame, with nothing new of its own, still belongs to it.
_CONTINUATION_WINDOW = 2
# Dates this much older than the report are background history, not the event reported.
_BACKGROUND_DAYS = 45
# Aggregates and history ("has killed thousands over the past decade") are context, not events.
_AGGREGATE = re.compile(
    r"\b(?:over|in|during|for) the (?:past|last|previous) (?:\w+ )?(?:decades?|years?|months?)\b"
    r"|\bso far this (?:year|month)\b|\bthis year\b|\bsince (?:the )?(?:early |late |mid-)?(?:19|20)\d\d"
    r"|\bin recent (?:years|months)\b|\b(?:in|for) (?:\w+ )?(?:January|February|March|April|May|June|July|August|"
    r"September|October|November|December) alone\b|\bhave been (?:killed|displaced) since\b",
    re.IGNORECASE,
)
# A secondary frame needs this much trigger weight, or its own place, date, toll or named actor.
_SECONDARY_MIN_WEIGHT = 2.5


@dataclass
class Frame:
    """A candidate under construction: the sentences that describe one incident."""

    candidate: Candidate
    sentences: list[Sentence] = field(default_factory=list)
    rule: str = ""

    @property
    def sub_event_type(self) -> str:
        return self.candidate.sub_event_type


def build_frames(doc: Document, m: Mentions, published: date | None) -> list[Frame]:
    """Group trigger sentences into frames, one per described incident."""
    starts = [s.start for s in doc.sentences]
    by_sentence = _group(m.triggers, doc, starts)
    actors_in, casualties_in = _group(m.actors, doc, starts), _group(m.casualties, doc, starts)
    dates_in, places_in = _group(m.dates, doc, starts), _group(m.places, doc, starts)

    frames: list[Frame] = []
    for s in doc.sentences:
        trigs = by_sentence.get(s.index, [])
        live = [t for t in trigs if not t.negated and not t.hypothetical]
        actors = actors_in.get(s.index, [])
        casualties = casualties_in.get(s.index, [])
        if not live:
            # "The clashes resulted in 20 deaths" after a frame: the toll belongs to that frame.
            if frames and casualties and s.index - frames[-1].sentences[-1].index <= _CONTINUATION_WINDOW:
                frames[-1].sentences.append(s)
                frames[-1].candidate.casualties.extend(casualties)
            continue
        dates = dates_in.get(s.index, [])
        text, cs = doc.text, s  # what the classifier reads
        past = _background_clauses(doc, s, live, published)
        if past:
            # "... in Diffa, a year after a raid killed 17 soldiers there": the earlier event's date,
            # toll, actors and words are context, not parts of the main clause's event
            dates = [d for d in dates if not _within(d.span, past)]
            casualties = [c for c in casualties if not _within(c.span, past)]
            actors = [a for a in actors if not _within(a.span, past)]
            trigs = [t for t in trigs if not _within(t.span, past)]
            text, cs = _blank(doc.text, s, past)
        if _is_background(dates, published):
            continue
        if _AGGREGATE.search(cs.text) and not any(d.precision < 3 for d in dates):
            continue
        best: tuple[float, str, str, TriggerMention] | None = None
        fighters = _without_counted_victims(actors, casualties)
        for t in live:
            sub, rule = classify(t, cs, trigs, actors, text)
            if rule.startswith(_VICTIMS_AS_FIGHTERS) and len(fighters) < len(actors):
                # "300 people, including 20 civilians, have died since the offensive began": the
                # people counted are victims, not unarmed groups fighting each other; the classifier
                # sees the sentence with those counted victims blanked out
                masked_text, masked_s = _mask_counted_victims(text, cs, actors, casualties)
                sub, rule = classify(t, masked_s, trigs, fighters, masked_text)
            key = (salience(t, s.index, sub), sub, rule, t)
            if best is None or key[0] > best[0]:
                best = key
        assert best is not None
        _, sub, rule, trig = best
        places = places_in.get(s.index, [])
        cand = Candidate(
            trigger=trig,
            sentence=s,
            sub_event_type=sub,
            score=salience(trig, s.index, sub, fatalities=len(casualties)),
            actors=actors,
            places=places,
            dates=dates,
            casualties=casualties,
        )
        prev = frames[-1] if frames else None
        if prev is not None and _continues(prev, cand):
            _absorb(prev, cand)
            continue
        earlier = _referred_frame(frames, cand, doc.text)
        if earlier is not None:
            _absorb(earlier, cand)
            continue
        frames.append(Frame(cand, [s], rule))
    return frames


def _background_clauses(
    doc: Document, s: Sentence, live: list[TriggerMention], published: date | None
) -> list[tuple[int, int]]:
    """Earlier-dated subordinate clauses of ``s`` ("a town its jets bombed last month") when every
    live trigger stands outside them, so the main clause reports the event; else none."""
    if not has_past_date(s.text):
        return []
    clauses = past_clauses(doc.text, s, published.year if published is not None else None)
    if not clauses or any(_within(t.span, clauses) for t in live):
        return []
    return clauses


def _blank(text: str, s: Sentence, cuts: list[tuple[int, int]]) -> tuple[str, Sentence]:
    """``text`` with the ``cuts`` inside sentence ``s`` replaced by spaces (offsets unchanged)."""
    chars = list(s.text)
    for a, b in cuts:
        for i in range(max(a, s.start), min(b, s.end)):
            chars[i - s.start] = " "
    body = "".join(chars)
    return text[: s.start] + body + text[s.end :], Sentence(s.start, s.end, body, s.index)


def _within(span: Span, clauses: list[tuple[int, int]]) -> bool:
    return any(a <= span.start and span.end <= b for a, b in clauses)


# Classifier rules that read unarmed people as the fighters (rioting); wrong when those people are
# only the victims a casualty count names.
_VICTIMS_AS_FIGHTERS = ("clash_of_civilians", "people_clash")


def _without_counted_victims(
    actors: list[ActorMention], casualties: list[CasualtyMention]
) -> list[ActorMention]:
    """Actors minus the nouns of casualty counts ("300 people", "at least 20 civilians")."""
    ends = {c.span.end for c in casualties}
    return [
        a for a in actors if a.inter not in (5, 6, 7) or not any(0 <= a.span.start - e <= 2 for e in ends)
    ]


def _mask_counted_victims(
    text: str, s: Sentence, actors: list[ActorMention], casualties: list[CasualtyMention]
) -> tuple[str, Sentence]:
    """The text with each count and the victims it names ("at least 120 people") replaced by spaces;
    offsets are unchanged, so every span still points at the same place."""
    cuts: list[tuple[int, int]] = []
    for c in casualties:
        end = c.span.end
        for a in actors:
            if a.inter in (5, 6, 7) and 0 <= a.span.start - c.span.end <= 2:
                end = max(end, a.span.end)
        cuts.append((c.span.start, end))
    chars = list(text[s.start : s.end])
    for a, b in cuts:
        for i in range(max(a, s.start), min(b, s.end)):
            chars[i - s.start] = " "
    body = "".join(chars)
    return text[: s.start] + body + text[s.end :], Sentence(s.start, s.end, body, s.index)


_ATTRIBUTION_BEFORE = re.compile(r"\b(?:according to|said|told|cited by|quoted by)\s+(?:the\s+|a\s+)?$", re.I)
_BASED_AFTER = re.compile(r"^-(?:based|headquartered)\b")


def _source_label(x: PlaceMention | ActorMention, text: str) -> bool:
    """Who reports the event is not part of it: "according to the Syrian army", "the UK-based monitor"."""
    before = text[max(0, x.span.start - 30) : x.span.start]
    return bool(_ATTRIBUTION_BEFORE.search(before) or _BASED_AFTER.match(text[x.span.end : x.span.end + 16]))


def focus_country(m: Mentions) -> str:
    """The country the article is about: resolved places, weighted by kind, plus actors' own countries."""
    votes: dict[str, float] = {}
    for p in m.places:
        if p.place is not None and p.place.country_code:
            w = {"toponym": 1.0, "admin1": 1.5, "country": 1.0, "demonym": 0.5}.get(p.kind, 1.0)
            votes[p.place.country_code] = votes.get(p.place.country_code, 0.0) + w
    for a in m.actors:
        if a.country_code:
            votes[a.country_code] = votes.get(a.country_code, 0.0) + 0.5
    return max(votes, key=votes.__getitem__) if votes else ""


def _foreign_backdrop(p: PlaceMention, home: str, text: str) -> bool:
    """A foreign country named in passing ("supported by Turkey") is not where a local event happened;
    one a locative introduces ("struck positions in northern Iraq") is a scene."""
    return (
        bool(home)
        and p.kind in ("country", "demonym")
        and p.place is not None
        and p.place.country_code != home
        and not (
            p.kind == "country" and _PART_OF_COUNTRY.search(text[max(0, p.span.start - 40) : p.span.start])
        )
    )


# "positions in northern Iraq", "the Gara region of Iraq": a part of a country is a scene, while "the
# war in Libya" or "the Jordan border" only name one in passing
_PART_OF_COUNTRY = re.compile(
    r"\b(?:(?:in|into|across|inside)\s+(?:the\s+)?(?:far\s+)?(?:north|south|east|west|central|"
    r"north-?east|north-?west|south-?east|south-?west)(?:ern)?"
    r"|(?:region|regions|area|areas|part|parts|province|provinces|mountains|countryside)\s+of"
    r"(?:\s+(?:the\s+)?(?:north|south|east|west|central)(?:ern)?)?)\s+$",
    re.I,
)


def _inside_actor_names(actors: list[ActorMention], text: str):
    """A test for "al-Sham" in "Hayat Tahrir al-Sham": a place inside a group's name is not a place.

    Group names are sorted once so the test is a bisect, not a scan (long articles stay linear).
    """
    spans = sorted((a.span.start, a.span.end) for a in actors if a.rule.startswith("group:"))
    starts = [a for a, _ in spans]

    def inside(p: PlaceMention) -> bool:
        k = bisect_right(starts, p.span.start) - 1
        return any(
            spans[i][1] >= p.span.end and not _place_named_by_group(spans[i], p, text)
            for i in range(max(0, k - 2), k + 1)
        )

    return inside


# "protesters outside the Kremlin", "a rally in front of the White House": a locative before a name
# that is both a government (an actor) and a building (a place) makes it the place
_LOCATIVE_BEFORE = re.compile(
    r"\b(?:in|at|outside|inside|near|around|opposite|towards?|in\s+front\s+of)\s+(?:the\s+)?$", re.I
)


def _place_named_by_group(group: tuple[int, int], p: PlaceMention, text: str) -> bool:
    """The group's name is the place's own name (a seat of government standing for its government),
    and a locative puts it in the scene; "Islamic State in Iraq" keeps "Iraq" a part of the name."""
    head = text[group[0] : p.span.start].strip().lower()
    return head in ("", "the") and bool(_LOCATIVE_BEFORE.search(text[max(0, group[0] - 30) : group[0]]))


_WEAK_TRIGGER = 1.5


# A report this short (a coder's note, a news brief) describes one incident: its sentences elaborate it.
_BRIEF_CHARS = 600


def _one_incident_if_brief(frames: list[Frame], doc: Document) -> list[Frame]:
    if len(frames) < 2 or len(doc.text) > _BRIEF_CHARS:
        return frames
    head = frames[0]
    violent = {"Battles", "Explosions/Remote violence", "Violence against civilians", "Riots"}
    rest = []
    for f in frames[1:]:
        same_kind = (
            tax_event_type(f.sub_event_type) in violent and tax_event_type(head.sub_event_type) in violent
        )
        other_day = (
            f.candidate.dates
            and head.candidate.dates
            and f.candidate.dates[0].value != head.candidate.dates[0].value
        )
        if same_kind and not other_day:
            head.candidate.casualties.extend(
                c for c in f.candidate.casualties if c not in head.candidate.casualties
            )
            head.candidate.actors.extend(a for a in f.candidate.actors if a not in head.candidate.actors)
            if not head.candidate.places:
                head.candidate.places.extend(f.candidate.places)
            head.sentences.extend(f.sentences)
        else:
            rest.append(f)
    return [head, *rest]


def _stale(ev: Event, published: date | None) -> bool:
    """An event dated (by inheritance) long before the report is history the article recalls."""
    if published is None or not ev.event_date:
        return False
    return (published - date.fromisoformat(ev.event_date)).days > _BACKGROUND_DAYS


def _worth_coding(frame: Frame) -> bool:
    """Even the primary frame needs a firm cue or some concrete detail (place, date, toll)."""
    c = frame.candidate
    return c.trigger.weight >= _WEAK_TRIGGER or bool(c.places or c.dates or c.casualties)


def _stands_alone(frame: Frame) -> bool:
    """Is a secondary frame reported in its own right, not a passing mention?"""
    c = frame.candidate
    if c.trigger.weight >= _SECONDARY_MIN_WEIGHT:
        return True
    named = any(a.name and "{" not in a.name for a in c.actors)
    return bool(c.dates or c.casualties or named) and bool(c.places or c.dates)


def _group(items, doc: Document, starts: list[int]) -> dict[int, list]:
    """Mentions by sentence index, in one pass (bisect on sentence starts; long articles stay linear)."""
    out: dict[int, list] = {}
    for x in items:
        k = bisect_right(starts, x.span.start) - 1
        if k >= 0 and x.span.start < doc.sentences[k].end:
            out.setdefault(doc.sentences[k].index, []).append(x)
    return out


_BACK_REFERENCE = re.compile(r"\b(?:the|this|that|these|the same|the latest|the deadly)\s+(?:\w+\s+)?$", re.I)


def _referred_frame(frames: list[Frame], cand: Candidate, text: str) -> Frame | None:
    """ "The attack was claimed by ...": a definite mention of an incident already reported adds to it."""
    t = cand.trigger
    if not _BACK_REFERENCE.search(text[max(0, t.span.start - 25) : t.span.start]):
        return None
    spans_days = any(d.end_value is not None or "since" in d.rule for d in cand.dates)
    for f in reversed(frames):
        if spans_days and f.sub_event_type != cand.sub_event_type:
            # "300 have died since the offensive began on Wednesday" after "rebels took the city":
            # the multi-day fighting is its own event (another day, another sub-event type)
            continue
        if f.sub_event_type == cand.sub_event_type or tax_event_type(f.sub_event_type) == tax_event_type(
            cand.sub_event_type
        ):
            if cand.dates and f.candidate.dates and cand.dates[0].value != f.candidate.dates[0].value:
                return None
            return f
    return None


def tax_event_type(sub: str) -> str:
    return taxonomy().event_type_of[sub]


def _is_background(dates: list[DateMention], published: date | None) -> bool:
    """A sentence dated only in the past ("captured in 2016") reports history, not news."""
    if not dates:
        return False
    if all(d.rule.startswith("background") or d.precision == 3 for d in dates):
        return True
    if published is None:
        return False
    return all((published - d.value).days > _BACKGROUND_DAYS for d in dates)


def _continues(prev: Frame, cand: Candidate) -> bool:
    """Does this sentence elaborate the previous frame rather than report a new incident?"""
    gap = cand.sentence.index - prev.sentences[-1].index
    if gap > _CONTINUATION_WINDOW:
        return False
    if cand.dates and prev.candidate.dates and cand.dates[0].value != prev.candidate.dates[0].value:
        return False
    new_place = (
        cand.places
        and prev.candidate.places
        and not any(
            p.place and q.place and p.place.geonameid == q.place.geonameid
            for p in cand.places
            for q in prev.candidate.places
        )
    )
    if new_place:
        return False
    same_type = cand.sub_event_type == prev.sub_event_type
    # A sentence that only restates violence ("the fighting killed 11") carries no new actors or place.
    return same_type or (
        not cand.places
        and not cand.dates
        and taxonomy().rank(cand.sub_event_type) >= taxonomy().rank(prev.sub_event_type)
    )


def _absorb(prev: Frame, cand: Candidate) -> None:
    pc = prev.candidate
    prev.sentences.append(cand.sentence)
    if taxonomy().rank(cand.sub_event_type) < taxonomy().rank(pc.sub_event_type):
        pc.sub_event_type = cand.sub_event_type
        pc.trigger = cand.trigger
    pc.actors.extend(a for a in cand.actors if a not in pc.actors)
    pc.places.extend(cand.places)
    pc.dates.extend(cand.dates)
    pc.casualties.extend(cand.casualties)
    pc.score = max(pc.score, cand.score)


# --- frame -> event -----------------------------------------------------------


def frame_to_event(
    frame: Frame,
    doc: Document,
    m: Mentions,
    gazetteer: Gazetteer,
    published: date | None,
    source: str | None,
    attributions: list[Attribution] | None = None,
) -> Event:
    c = frame.candidate
    art = doc.article
    ev = Event(article_id=art.id)
    tax = taxonomy()
    ev.sub_event_type = c.sub_event_type
    ev.event_type = tax.event_type_of[c.sub_event_type]
    ev.disorder_type = tax.disorder_of[c.sub_event_type]
    ev.evidence["sub_event_type"] = Evidence([c.trigger.span], frame.rule or f"trigger:{c.trigger.cue}")

    _fill_date(ev, frame, doc, m, published)
    _fill_place(ev, frame, doc, m, gazetteer)
    _fill_actors(ev, frame, doc)
    _fill_fatalities(ev, c.casualties, doc)
    _fill_claims(ev, frame, doc, source or "", attributions or [])
    ev.confidence = _confidence(ev, c)
    ev.notes = summarise(ev)
    _derived_evidence(ev)
    return ev


def _derived_evidence(ev: Event) -> None:
    """Fields computed from other fields cite the field and the rule they come from."""
    sub = ev.evidence["sub_event_type"]
    ev.evidence["event_type"] = Evidence(sub.spans, "taxonomy:event_type_of_sub_event_type")
    ev.evidence["disorder_type"] = Evidence(sub.spans, "taxonomy:disorder_type_of_sub_event_type")
    if "event_date" in ev.evidence:
        date_ev = ev.evidence["event_date"]
        ev.evidence["time_precision"] = Evidence(date_ev.spans, f"acled:time_precision_of:{date_ev.rule}")
    if "location" in ev.evidence:
        ev.evidence["geonameid"] = ev.evidence["location"]
    ev.evidence["notes"] = Evidence(rule="summary:template_over_coded_fields")
    ev.evidence["confidence"] = Evidence(rule="confidence:trigger_weight+filled_fields")


def _fill_date(ev: Event, frame: Frame, doc: Document, m: Mentions, published: date | None) -> None:
    """The event's own date, else one inherited from context, else the date of a statement about it
    ("officials said on Friday"), else the publication date (precision 2). A statement or toll-update
    date is only the day by which the event had happened, so it yields to any date of the event itself.
    """
    c = frame.candidate
    usable = [d for d in c.dates if not d.rule.startswith("background") and not is_dateline(d, doc.text)]
    own = [d for d in usable if not d.rule.startswith("statement")]
    if own:
        _set_date(ev, own[0], own[0].rule)
        return
    # A headline or lead is dated by the first dated sentence ("... on Monday, officials said");
    # later sentences by the nearest earlier one, which sets the scene.
    live = [
        d
        for d in m.dates
        if not d.rule.startswith("background") and d.precision < 3 and not is_dateline(d, doc.text)
    ]
    # "since Wednesday", "since the offensive began on Wednesday": the start of a span, not a date
    # for the other incidents the article tells
    live = [
        d
        for d in live
        if "since" not in d.rule
        and not doc.text[max(0, d.span.start - 6) : d.span.start].lower().endswith("since ")
    ]
    inherited = _context_date([d for d in live if not d.rule.startswith("statement")], c, doc)
    if inherited is not None:
        _set_date(ev, inherited, f"{inherited.rule};inherited_from_context")
        return
    said = usable[0] if usable else _context_date(live, c, doc)
    if said is not None:
        _set_date(ev, said, f"{said.rule};event_by_statement_date", precision=max(said.precision, 2))
        return
    if published is not None:
        ev.event_date, ev.time_precision = published.isoformat(), 2
        ev.evidence["event_date"] = Evidence(rule="published_date:no_date_in_text")


def _context_date(live: list[DateMention], c: Candidate, doc: Document) -> DateMention | None:
    earlier = [d for d in live if d.span.start < c.sentence.start]
    if earlier:
        return earlier[-1]
    lead = [d for d in live if c.sentence.index <= 1 and d.span.start >= c.sentence.end]
    if lead:
        s = doc.sentence_at(lead[0].span.start)
        if s is not None and s.index <= 3:
            return lead[0]
    return None


def _set_date(ev: Event, d: DateMention, rule: str, precision: int | None = None) -> None:
    ev.event_date, ev.time_precision = d.value.isoformat(), precision or d.precision
    ev.evidence["event_date"] = Evidence([d.span], rule)


_COARSE = ("country", "admin1", "demonym")


def _most_specific(chosen: PlaceMention | None, places: list[PlaceMention]) -> PlaceMention | None:
    """ACLED codes the most specific location reported: a town in the frame beats its region or country."""
    if chosen is None or chosen.place is None or chosen.kind not in _COARSE:
        return chosen
    towns = [
        p
        for p in places
        if p.place is not None
        and p.kind == "toponym"
        and p.place.country_code == chosen.place.country_code
        and (chosen.kind == "country" or not chosen.place.admin1 or p.place.admin1 == chosen.place.admin1)
    ]
    return towns[0] if towns else chosen


# ACLED inter codes of actors bound to their own country's soil: rebels, militias, rioters,
# protesters, civilians (not 1, state forces, nor 8, external forces)
_HOME_INTER = frozenset((2, 3, 4, 5, 6, 7))


def _country_of_actors(m: Mentions, gazetteer: Gazetteer) -> PlaceMention | None:
    """No place resolved, but the actors belong to one country ("QSD fighters", "Taliban"): code the
    event at country level (geo_precision 3) rather than leave it off the map."""
    votes: dict[str, int] = {}
    for a in m.actors:
        if a.country_code:
            # rebels, militias, rioters, protesters and civilians are at home, while a state's
            # forces also deploy abroad ("Turkish forces captured a village from QSD forces": Syria)
            votes[a.country_code] = votes.get(a.country_code, 0) + (2 if a.inter in _HOME_INTER else 1)
    if not votes:
        return None
    cc = max(votes, key=votes.__getitem__)
    place = gazetteer.country_place(cc)
    if place is None:
        return None
    span = next(a.span for a in m.actors if a.country_code == cc)
    return PlaceMention(span=span, place=place, kind="country", geo_precision=3, rule="actor_country")


def _fill_place(ev: Event, frame: Frame, doc: Document, m: Mentions, gazetteer: Gazetteer) -> None:
    c = frame.candidate
    chosen: PlaceMention | None = None
    rule = ""
    scene: PlaceMention | None = None
    if c.places:
        chosen = _most_specific(event_place(doc, c.places, c.trigger.span, gazetteer), c.places)
        rule = "event_location:frame"
        if chosen is None:
            scene = unplaced_scene(doc, c.places, c.trigger.span, gazetteer)
    if chosen is None or chosen.place is None:
        earlier = [p for p in m.places if p.place is not None and p.span.start < c.sentence.start]
        later = [p for p in m.places if p.place is not None and p.span.start >= c.sentence.end]
        # a name inside another name ("Washington Post", "the US dollar") sets no scene, nor
        # does the nationality of an actor of known country ("Russian jets" bombed a Syrian
        # village): the actors' countries are weighed below
        actor_spans = [a.span for a in m.actors if a.country_code]
        pool = [
            p
            for p in earlier[::-1] + later
            if "embedded" not in p.rule
            and not (p.kind == "demonym" and any(p.span.overlaps(s) for s in actor_spans))
        ]
        towns = [p for p in pool if p.kind == "toponym"]
        chosen = (towns or pool or [None])[0]
        rule = "event_location:article_context"
    if chosen is None or chosen.place is None:
        # a body that works in one country only says more than the actors' nationality
        chosen = country_of_cues(doc.text, gazetteer)
        rule = "event_location:country_cue"
    if chosen is None or chosen.place is None:
        chosen = _country_of_actors(m, gazetteer)
        rule = "event_location:country_of_actors"
    if chosen is None or chosen.place is None:
        return
    if scene is not None:
        chosen = named_at(scene, chosen, doc.text)  # "the town of Kiwanja": the text names the scene
    chosen = refine_place(chosen, c.places, m.places, doc.text, gazetteer, focus_country(m))
    p = chosen.place
    assert p is not None
    info = gazetteer.country(p.country_code)
    ev.country = info.name if info else p.country
    ev.iso = info.numeric if info else None
    ev.admin1, ev.admin2 = p.admin1, p.admin2
    ev.location = landmark_town(p.name, p.country_code, p.feature_code) or p.name
    ev.latitude, ev.longitude = p.lat, p.lon
    ev.geonameid = p.geonameid
    ev.geo_precision = chosen.geo_precision
    span_ev = Evidence([chosen.span], f"{rule};{chosen.rule}" if chosen.rule else rule)
    for f in ("location", "latitude", "longitude", "geo_precision", "country", "iso"):
        ev.evidence[f] = span_ev
    if p.admin1:
        ev.evidence["admin1"] = Evidence([chosen.span], "gazetteer:admin1_of_location")


def _fill_actors(ev: Event, frame: Frame, doc: Document) -> None:
    c = frame.candidate
    fill_actors(ev, assign_roles(c.sub_event_type, c.trigger, c.sentence, c.actors, doc.text))
    settle(ev)


def _fill_fatalities(ev: Event, casualties: list[CasualtyMention], doc: Document) -> None:
    value, evidence = code_fatalities(casualties, doc)
    ev.fatalities = value if value is not None else 0
    ev.evidence["fatalities"] = evidence if value is not None else Evidence(rule="acled:none_reported=0")


def _fill_claims(
    ev: Event, frame: Frame, doc: Document, outlet: str, attributions: list[Attribution]
) -> None:
    """Who said what (model.Claim per speaker), ACLED's lowest credible figure when sources disagree,
    and Event.source = the outlet plus the named primary sources of the event's sentences."""
    bounds = [(s.start, s.end) for s in frame.sentences]
    mine = [a for a in attributions if any(lo <= a.cue.start < hi for lo, hi in bounds)]
    killed = [c for c in frame.candidate.casualties if c.kind == "killed" and not is_background_total(c, doc)]
    counts = claimed_counts(killed, mine, doc, outlet, code_fatalities) if killed else []
    low = lowest_credible(counts, doc) if len(counts) > 1 else None
    if low is not None:
        ev.fatalities, ev.evidence["fatalities"] = low
    ev.claims = frame_claims(frame.sentences, counts, mine, doc.article.id, outlet, doc.text)
    names, spans = source_names(outlet, mine)
    if names:
        ev.source = names
        rule = "article.source" + ("+named_sources" if spans else "") if outlet else "named_sources"
        ev.evidence["source"] = Evidence(spans, rule)


def _confidence(ev: Event, c: Candidate) -> float:
    score = 0.4 + 0.1 * min(c.trigger.weight, 2.0)
    score += 0.15 if ev.location else 0.0
    score += 0.1 if ev.actor1 else 0.0
    score += 0.1 if ev.event_date and ev.time_precision == 1 else 0.0
    return round(min(score, 0.99), 2)


def summarise(ev: Event) -> str:
    """One sentence an analyst can read in the table: who, what, where, when, toll."""
    when = f"On {ev.event_date}" if ev.event_date else "On an unreported date"
    where = ", ".join(x for x in (ev.location, ev.admin1, ev.country) if x) or "an unresolved location"
    who = ev.actor1 or "unidentified actors"
    against = f" involving {ev.actor2}" if ev.actor2 else ""
    toll = f" {ev.fatalities} reported fatalities." if ev.fatalities else ""
    return f"{when}, {ev.sub_event_type.lower()} by {who}{against} in {where}.{toll}"


_COMBAT_TYPES = {"Battles", "Explosions/Remote violence"}


def _inherit_combatants(pairs: list[tuple[Frame, Event]]) -> None:
    """A follow-up sentence ("more than 300 people have died since the offensive began") names no
    fighters: they are the ones the article named last for the same kind of violence."""
    by_position = sorted(pairs, key=lambda fe: fe[0].sentences[0].start)
    for i, (_frame, ev) in enumerate(by_position):
        if ev.event_type not in _COMBAT_TYPES:
            continue
        implied = not ev.actor1 or ev.evidence.get("actor1", Evidence()).rule.startswith("implied")
        if not implied:
            continue
        for _prev_frame, prev in reversed(by_position[:i]):
            if (
                prev.event_type in _COMBAT_TYPES
                and prev.actor1
                and not prev.evidence["actor1"].rule.startswith("implied")
            ):
                for f in ("actor1", "inter1", "actor2", "inter2", "interaction"):
                    setattr(ev, f, getattr(prev, f))
                    if f in prev.evidence:
                        ev.evidence[f] = Evidence(prev.evidence[f].spans, "inherited_from_earlier_frame")
                ev.notes = summarise(ev)
                break


# --- ACLED unit of analysis ----------------------------------------------------


def _span_end(frame: Frame, ev: Event) -> date | None:
    """Last day of the multi-day span the event is dated by ("since Wednesday", "3-5 May"), if any."""
    if "event_date" not in ev.evidence or not ev.event_date:
        return None
    used = ev.evidence["event_date"].spans
    for d in frame.candidate.dates:
        if d.end_value is not None and used and d.span == used[0]:
            return d.end_value
    return None


def fold_into_spans(pairs: list[tuple[Frame, Event]]) -> list[Event]:
    """The same fighting told twice: an event whose date was only inherited from context, of the
    same sub-event type, place and actors as an event dated by a multi-day span that covers that
    date, is part of it ("clashes have killed 300 since Wednesday ... the battles spread across a
    100 km strip"). ACLED would split the span by day if the text said what happened each day; a
    report that does not is coded once, from the first day (precision 2)."""
    spans = [(f, e, _span_end(f, e)) for f, e in pairs]
    out: list[Event] = []
    for _f, e, _end in spans:
        rule = e.evidence.get("event_date", Evidence()).rule
        inherited = "inherited_from_context" in rule or rule.startswith("published_date")
        host = None
        if inherited and e.event_date:
            for _f2, e2, end2 in spans:
                if e2 is e or end2 is None or e2.sub_event_type != e.sub_event_type:
                    continue
                if (e2.geonameid or e2.location) != (e.geonameid or e.location):
                    continue
                if e.actor1 and e2.actor1 and {e.actor1, e.actor2} - {"", e2.actor1, e2.actor2}:
                    continue
                if e2.event_date <= e.event_date <= end2.isoformat():
                    host = e2
                    break
        if host is None:
            out.append(e)
            continue
        for slot in ("actor1", "actor2"):
            if not getattr(host, slot) and getattr(e, slot):
                for fld in (slot, f"inter{slot[-1]}", f"assoc_actor_{slot[-1]}"):
                    setattr(host, fld, getattr(e, fld))
                    if fld in e.evidence:
                        host.evidence[fld] = e.evidence[fld]
        if (e.fatalities or 0) > (host.fatalities or 0) and not host.claims:
            host.fatalities = e.fatalities
            host.evidence["fatalities"] = e.evidence.get("fatalities", Evidence())
        host.claims.extend(c for c in e.claims if c not in host.claims)
        if e.source:
            names = host.source.split("; ") if host.source else []
            names += [n for n in e.source.split("; ") if n not in names]
            host.source = "; ".join(names)
        if host.actor1 and host.inter1 is not None:
            host.interaction = interaction_code(host.inter1, host.inter2 or 0)
        host.notes = summarise(host)
    return out


def merge_duplicates(events: list[Event]) -> list[Event]:
    """One event per day, location, actor pair and sub-event type (ACLED's unit)."""
    out: list[Event] = []
    seen: dict[tuple, Event] = {}
    for e in events:
        key = (e.event_date, e.geonameid or e.location, e.actor1, e.actor2, e.sub_event_type)
        if key in seen:
            kept = seen[key]
            if (e.fatalities or 0) > (kept.fatalities or 0):
                kept.fatalities = e.fatalities
                kept.evidence["fatalities"] = e.evidence.get("fatalities", Evidence())
            for f, evid in e.evidence.items():
                kept.evidence.setdefault(f, evid)
            continue
        seen[key] = e
        out.append(e)
    return out


def assemble(
    doc: Document,
    m: Mentions,
    gazetteer: Gazetteer,
    published: date | None = None,
    source: str | None = None,
) -> list[Event]:
    in_group_name = _inside_actor_names(m.actors, doc.text)
    m.places = [p for p in m.places if not in_group_name(p) and not _source_label(p, doc.text)]
    m.actors = [a for a in m.actors if not _source_label(a, doc.text)]
    home = focus_country(m)
    m.places = [p for p in m.places if not _foreign_backdrop(p, home, doc.text)]
    frames = build_frames(doc, m, published)
    frames.sort(key=lambda f: -f.candidate.score)
    frames = [f for f in frames[:1] if _worth_coding(f)] + [f for f in frames[1:] if _stands_alone(f)]
    frames = _one_incident_if_brief(frames, doc)
    # only the sentences of coded frames can hold their sources: skip the rest of a long article
    attributions = find_attributions(doc, {s for f in frames for s in f.sentences})
    events = [frame_to_event(f, doc, m, gazetteer, published, source, attributions) for f in frames]
    _inherit_combatants(list(zip(frames, events, strict=True)))
    events = fold_into_spans(list(zip(frames, events, strict=True)))
    events = [e for e in events if not _stale(e, published)]
    events = merge_duplicates(events)
    for i, e in enumerate(events):
        e.event_id = f"{doc.article.id}:{i}"
    return events


__all__ = [
    "assemble",
    "build_frames",
    "frame_to_event",
    "merge_duplicates",
    "summarise",
    "ActorMention",
    "Span",
]
