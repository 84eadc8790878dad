"""A seat of government that speaks is a speaker, not the scene of the event it speaks about.

News lets a government speak through its country ("Russia accused"), its capital ("Washington
said"), the building it sits in ("the White House said", "Downing Street warned") or an institution
("the Kremlin's spokesman"). Such a name is where a statement came from: "Washington said an
airstrike killed 12 civilians in Idlib" happened in Idlib. ``speaks`` tells such a mention; the
words come from ``speakers.json``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from marsad.geo.gazetteer import Gazetteer, default_gazetteer
from marsad.knowledge import read_json
from marsad.model import Place, PlaceMention

SPEAKERS_FILE = "speakers.json"
# landmark codes of seats of government and palaces that stand for a head of state
SEAT_CODES = frozenset(("ADMF", "PAL"))
_IN_BEFORE = re.compile(r"\b(?:in|at|from)\s+(?:the\s+)?$", re.I)


@dataclass(frozen=True, slots=True)
class _Cues:
    subject: re.Pattern[str]  # after the name: "[, in a statement,] [on Monday] said"
    possessor: re.Pattern[str]  # after the name: "'s statement", "'s top diplomat"
    qualifier: re.Pattern[str]  # after the name: " spokesman", " officials"
    source: re.Pattern[str]  # before the name: "according to", "a statement from the"


def _alt(words: list[str]) -> str:
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in sorted(set(words), key=len, reverse=True))


@cache
def _cues() -> _Cues:
    raw = read_json(SPEAKERS_FILE)
    verbs, nouns = _alt(raw["reaction_verbs"]), _alt(raw["statement_nouns"])
    between, source = _alt(raw["between"]), _alt(raw["source_before"])
    return _Cues(
        subject=re.compile(
            r"^(?:\s*,\s*in\s+an?\s+(?:[\w-]+\s+){0,2}statement\s*,)?"
            rf"(?:\s+(?:on\s+)?(?:{between}))*\s+(?:{verbs})\b",
            re.I,
        ),
        possessor=re.compile(rf"^[’']s?\s+(?:[a-z-]+\s+){{0,2}}?(?:{nouns})\b", re.I),
        qualifier=re.compile(rf"^\s+(?:{nouns})\b", re.I),
        source=re.compile(rf"\b(?:{source})\s+(?:the\s+)?$", re.I),
    )


def is_seat(m: PlaceMention, gazetteer: Gazetteer | None = None) -> bool:
    """A name that can stand for a government: a country, its capital, or a seat-of-government
    landmark ("the Kremlin", "Downing Street", "Buckingham Palace")."""
    p = m.place
    if p is None or m.kind in ("demonym", "admin1"):
        return False
    return (
        m.kind == "country"
        or p.feature_code == "PCLI"
        or p.feature_code in SEAT_CODES
        or _is_capital(p, gazetteer)
    )


def _is_capital(p: Place, gazetteer: Gazetteer | None) -> bool:
    if p.feature_class != "P" or not p.country_code:
        return False
    info = (gazetteer or default_gazetteer()).country(p.country_code)
    return info is not None and info.capital is not None and info.capital.geonameid == p.geonameid


def speaks(text: str, m: PlaceMention, gazetteer: Gazetteer | None = None) -> bool:
    """True when ``m`` is a seat of government used as a speaker: the subject of a verb of speech
    or reaction, the owner or qualifier of a statement or spokesman, or a statement's source."""
    if not is_seat(m, gazetteer):  # most mentions are no seat: skip the text tests
        return False
    after = text[m.span.end : m.span.end + 60]
    before = text[max(0, m.span.start - 40) : m.span.start]
    c = _cues()
    return bool(
        # "the government in Sanaa announced": the verb's subject is the government sitting there
        (c.subject.match(after) and not _IN_BEFORE.search(before))
        or c.possessor.match(after)
        or c.qualifier.match(after)
        or c.source.search(before)
    )
