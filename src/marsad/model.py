"""The shared vocabulary of marsad: every stage speaks in these types.

Data flows one way: Article -> Document -> mentions -> Candidate -> Event.
Offsets are always character offsets into ``Article.text`` so that every
field of an event can point back at the words that support it.
"""

from __future__ import annotations

import hashlib
from bisect import bisect_right
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any


@dataclass(frozen=True, slots=True)
class Span:
    """A half-open character range ``[start, end)`` of the article text."""

    start: int
    end: int
    text: str

    def overlaps(self, other: Span) -> bool:
        return self.start < other.end and other.start < self.end


@dataclass(slots=True)
class Article:
    """One news report as read from a source, before any NLP."""

    text: str
    id: str = ""
    title: str | None = None
    published: date | None = None
    source: str | None = None
    url: str | None = None
    origin: str | None = None  # file path or "<stdin>": where the reader found it

    def __post_init__(self) -> None:
        if not self.id:
            self.id = content_id(self.text)

    @property
    def content_hash(self) -> str:
        return content_id(self.text)


def content_id(text: str) -> str:
    """Stable id of an article body: identical text => identical id (idempotent ingest)."""
    return hashlib.sha256(text.strip().encode("utf-8")).hexdigest()[:16]


@dataclass(frozen=True, slots=True)
class Sentence:
    start: int
    end: int
    text: str
    index: int


@dataclass(slots=True)
class Document:
    """An article split into sentences (offsets into ``article.text``)."""

    article: Article
    sentences: list[Sentence]
    _starts: list[int] = field(default_factory=list, repr=False, compare=False)

    @property
    def text(self) -> str:
        return self.article.text

    def sentence_at(self, offset: int) -> Sentence | None:
        if len(self._starts) != len(self.sentences):
            self._starts = [s.start for s in self.sentences]
        k = bisect_right(self._starts, offset) - 1
        if k >= 0 and offset < self.sentences[k].end:
            return self.sentences[k]
        return None


# --- places -----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Place:
    """A gazetteer entry (GeoNames-derived)."""

    geonameid: int
    name: str
    lat: float
    lon: float
    country_code: str  # ISO 3166-1 alpha-2
    country: str  # ACLED-style country name
    admin1: str = ""
    admin2: str = ""
    feature_class: str = "P"  # GeoNames: P populated place, A admin area, ...
    feature_code: str = ""  # PPL, PPLA, ADM1, PCLI, ...
    population: int = 0


@dataclass(slots=True)
class PlaceMention:
    """A place named (or implied, for demonyms) in the text, resolved or not."""

    span: Span
    place: Place | None
    kind: str = "toponym"  # toponym | demonym | country | admin1
    geo_precision: int = 1  # ACLED: 1 town, 2 near a town / part of a region, 3 region or larger
    score: float = 1.0
    rule: str = ""  # which recogniser/resolver decision produced it


# --- actors -----------------------------------------------------------------


@dataclass(slots=True)
class ActorMention:
    """A reference to a conflict actor, normalised to ACLED naming."""

    span: Span
    name: str  # ACLED-style actor name, e.g. "Military Forces of Syria (2000-)"
    inter: int  # ACLED inter code 1-8
    role: str = ""  # military | police | rebel | militia | rioters | protesters | civilians | ...
    country_code: str = ""  # ISO alpha-2 when the actor is country-bound
    associated: str = ""  # ACLED associated-actor label, e.g. "Health Workers (Israel)"
    rule: str = ""


# --- dates and numbers ------------------------------------------------------


@dataclass(slots=True)
class DateMention:
    span: Span
    value: date
    precision: int = 1  # ACLED time_precision: 1 day, 2 week/approximate, 3 month
    rule: str = ""
    end_value: date | None = None  # for ranges ("between 3 and 5 May")


@dataclass(slots=True)
class CasualtyMention:
    """A count of people killed (or wounded, ...) with ACLED's conventions applied."""

    span: Span
    value: int
    kind: str = "killed"  # killed | injured | arrested | abducted | participants
    rule: str = ""  # e.g. "vague:dozens=12", "at_least", "explicit"
    who: str = ""  # optional victim description ("civilians", "soldiers")


# --- triggers, candidates, events --------------------------------------------


@dataclass(slots=True)
class TriggerMention:
    """A cue word or phrase that signals an ACLED sub-event type."""

    span: Span
    sub_event_type: str
    weight: float = 1.0
    cue: str = ""  # lexicon entry id that matched
    negated: bool = False
    hypothetical: bool = False  # future, conditional, denied, historical background


@dataclass(slots=True)
class Mentions:
    """Everything the mention finders saw in one document."""

    places: list[PlaceMention] = field(default_factory=list)
    actors: list[ActorMention] = field(default_factory=list)
    dates: list[DateMention] = field(default_factory=list)
    casualties: list[CasualtyMention] = field(default_factory=list)
    triggers: list[TriggerMention] = field(default_factory=list)


@dataclass(slots=True)
class Evidence:
    """Why a field holds its value: text span(s) and/or the rule that derived it."""

    spans: list[Span] = field(default_factory=list)
    rule: str = ""

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"spans": [{"start": s.start, "end": s.end, "text": s.text} for s in self.spans]}
        if self.rule:
            d["rule"] = self.rule
        return d


@dataclass(slots=True)
class Claim:
    """Who said what about an event: one source's statement, kept even when sources disagree.

    ``claimant`` is the speaker named in the text ("SOHR", "the army"), or the outlet when the
    report states the fact in its own voice; ``outlet`` is the publication that carried it.
    """

    claimant: str
    fatalities: int | None = None
    span: Span | None = None  # the words of the claim (offsets into the article that made it)
    article_id: str = ""
    outlet: str = ""

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {
            "claimant": self.claimant,
            "fatalities": self.fatalities,
            "article_id": self.article_id,
            "outlet": self.outlet,
        }
        if self.span is not None:
            d["span"] = {"start": self.span.start, "end": self.span.end, "text": self.span.text}
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Claim:
        sp = d.get("span")
        return cls(
            claimant=d.get("claimant", ""),
            fatalities=d.get("fatalities"),
            span=Span(sp["start"], sp["end"], sp["text"]) if sp else None,
            article_id=d.get("article_id", ""),
            outlet=d.get("outlet", ""),
        )


@dataclass(slots=True)
class Candidate:
    """One event frame anchored on a trigger, with the mentions attached to it."""

    trigger: TriggerMention
    sentence: Sentence
    sub_event_type: str
    score: float
    actors: list[ActorMention] = field(default_factory=list)
    places: list[PlaceMention] = field(default_factory=list)
    dates: list[DateMention] = field(default_factory=list)
    casualties: list[CasualtyMention] = field(default_factory=list)


# ACLED column order, used by exports and the store.
ACLED_FIELDS: tuple[str, ...] = (
    "event_id",
    "event_date",
    "time_precision",
    "disorder_type",
    "event_type",
    "sub_event_type",
    "actor1",
    "assoc_actor_1",
    "inter1",
    "actor2",
    "assoc_actor_2",
    "inter2",
    "interaction",
    "civilian_targeting",
    "iso",
    "country",
    "admin1",
    "admin2",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
    "source",
    "source_scale",
    "notes",
    "fatalities",
)


@dataclass(slots=True)
class Event:
    """An ACLED-compatible event record with evidence for every filled field."""

    article_id: str
    event_id: str = ""
    event_date: str = ""  # ISO YYYY-MM-DD, empty when the text gives no date
    time_precision: int | None = None
    disorder_type: str = ""
    event_type: str = ""
    sub_event_type: str = ""
    actor1: str = ""
    assoc_actor_1: str = ""
    inter1: int | None = None
    actor2: str = ""
    assoc_actor_2: str = ""
    inter2: int | None = None
    interaction: int | None = None
    civilian_targeting: str = ""
    iso: int | None = None  # ISO 3166-1 numeric, as ACLED
    country: str = ""
    admin1: str = ""
    admin2: str = ""
    location: str = ""
    latitude: float | None = None
    longitude: float | None = None
    geo_precision: int | None = None
    geonameid: int | None = None
    source: str = ""
    source_scale: str = ""
    notes: str = ""
    fatalities: int | None = None
    confidence: float = 0.0
    evidence: dict[str, Evidence] = field(default_factory=dict)
    claims: list[Claim] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["evidence"] = {k: v.to_dict() for k, v in self.evidence.items()}
        d["claims"] = [c.to_dict() for c in self.claims]
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Event:
        d = dict(d)
        ev = d.pop("evidence", {}) or {}
        claims = d.pop("claims", []) or []
        known = set(cls.__dataclass_fields__)
        e = cls(**{k: v for k, v in d.items() if k in known})
        e.evidence = {
            k: Evidence(
                spans=[Span(s["start"], s["end"], s["text"]) for s in v.get("spans", [])],
                rule=v.get("rule", ""),
            )
            for k, v in ev.items()
        }
        e.claims = [Claim.from_dict(c) for c in claims]
        return e
