"""Which of the places named around an event trigger is where the event happened.

Heuristics that read like an analyst: the place in the trigger's own sentence,
introduced by a locative ("in", "at", "near", "the village of"), closest to the
trigger; not the dateline or the place a statement was made from ("said in
Kabul"), not a capital standing for its government ("Damascus accused ..."), not
a demonym or a place inside an organisation's name.
"""

from __future__ import annotations

import math
import re
from dataclasses import replace
from functools import cache

from marsad.geo.gazetteer import Gazetteer, default_gazetteer
from marsad.geo.speakers import speaks
from marsad.knowledge import read_json
from marsad.model import Document, Place, PlaceMention, Span

_GOVERNMENT_VERB = re.compile(
    r"^[’']?s?\s+(?:has\s+|have\s+|had\s+|will\s+|would\s+)?(?:said|says|say|accused|accuses|announced|announces|"
    r"warned|warns|denied|denies|claimed|claims|condemned|condemns|blamed|blames|urged|urges|called|calls|"
    r"rejected|rejects|insisted|insists|demanded|demands|responded|responds|sent|sends|ordered|orders|"
    r"is|was|government|regime|authorities|officials|administration)\b",
    re.I,
)
_REPORTED_FROM = re.compile(
    r"\b(?:said|says|told|announced|reported|spoke|speaking|statement|news\s+conference|press\s+conference|"
    r"briefing|based|headquartered|reporter|correspondent|journalists?)\b[^.;]{0,40}\b(?:in|from)\s+(?:the\s+)?$",
    re.I,
)
_DIRECTION = (
    r"(?:north|south|east|west|central|northern|southern|eastern|western|north-?eastern|north-?western|"
    r"south-?eastern|south-?western|northeast|northwest|southeast|southwest|downtown|rural|occupied|restive)"
)
# "bombed Serbia", "stormed Zara", "shelling the town of X": the place is the attack's object
_OBJECT_GAP = re.compile(
    rf"^\s*(?:(?:on|in|at|into|near|across|over|toward|towards)\s+)?(?:the\s+)?(?:{_DIRECTION}\s+)?"
    r"(?:(?:[\w-]+\s+){0,2}(?:town|city|village|villages|district|area|neighbou?rhood|camp)\s+of\s+(?:the\s+)?)?$",
    re.I,
)
# "Moussa Ranimat, 28, of Kafr Tsurif": where a person comes from, not where it happened
# "Baghdad's northwestern neighborhood of Hurriyah", "Yala's Betong district": the possessor only
# locates a smaller place that follows
_POSSESSOR_OF_SUBPLACE = re.compile(
    r"^[’']s\s+(?:[\w-]+\s+){0,2}(?:neighbou?rhood|district|quarter|suburb|capital|city|town|village|area|"
    r"province|region|resorts?|port|camp|county|municipality|home\s?town|birthplace)\b",
    re.I,
)
# the same object slot reached through the possessor: "exploded in Baghdad's northern district of X"
_OBJECT_GAP_POSSESSIVE = re.compile(
    rf"^\s*(?:on|in|at|into|near)\s+(?:the\s+)?[A-Z][\w’'-]*(?:\s+[A-Z][\w’'-]*)*[’']s\s+(?:{_DIRECTION}\s+)?"
    r"(?:[\w-]+\s+){0,2}(?:town|city|village|district|area|neighbou?rhood|camp|capital|quarter|suburb)\s+of\s+$",
    re.I,
)
_PREP_GAP = re.compile(r"^\s*(?:on|in|at|into|near|across|over|toward|towards)\s", re.I)
# "the north Sinai town of El-Arish", "the East Darfur cities of X": the name before the noun only
# says where the place named after "of" lies
_MODIFIER_OF_SUBPLACE = re.compile(
    r"^\s+(?:[\w-]+\s+){0,2}?(?:town|towns|city|cities|village|villages|neighbou?rhood|district|quarter|suburb|"
    r"enclave|settlement|resort|port|camp|refugee\s+camp|border\s+town|market\s+town)\s+of\s+(?:the\s+)?[A-Z]"
    r"|^\s+capital(?:\s+city)?,?\s+[A-Z]"
    r"|^\s+capital\s+of\s+(?:the\s+)?[A-Z]"
)
_MODIFIER_OF_PENALTY = 1.0
# "in the Hodan neighbourhood of X": the name before the noun is the scene, X only holds it
_NAMED_SUBPLACE_GAP = re.compile(
    r"(?-i:[A-Z][\w’'-]*)\s+(?:area|district|neighbou?rhood|quarter|camp|sector|suburb)\s+of\s+(?:the\s+)?$"
)
_ORIGIN = re.compile(r"(?:\d+\s*,\s*|\bnative\s+)(?:of|from)\s+$", re.I)
_SUBPLACE_OF = re.compile(
    r"^\s+(?:area|district|neighbou?rhood|quarter|camp|refugee\s+camp|region|suburb|township|village|town|"
    r"sub-?district|countryside|outskirts|sector|front|frontline|axis)\s+(?:of|in|near)\s",
    re.I,
)
_COUNTRYSIDE = re.compile(r"\b(?:countryside|outskirts|suburbs|environs|vicinity)\s+of\s+(?:the\s+)?$", re.I)
# "Bonda, on the outskirts of the city of Santa Marta", "Bur Hakaba, 180 km (110 miles) south of
# Mogadishu": a reference point that only says where the scene, named first, lies
_REFERENCE_POINT = re.compile(
    r"(?:\b\d[\d,.]*\s*-?\s*(?:km|kms|kilomet(?:er|re)s?|miles?)\b[^.;]{0,30}?"
    r"\b(?:north|south|east|west|north-?east|north-?west|south-?east|south-?west)(?:ern)?\s+of"
    r"|\b(?:outskirts|suburbs|edge)\s+of\s+(?:the\s+)?(?:city|town|village|capital)\s+of)\s+(?:the\s+)?$",
    re.I,
)
_COUNTRYSIDE_AFTER = re.compile(r"^[’']?s?\s*(?:countryside|outskirts|suburbs|environs)\b", re.I)
_QUALIFIED = re.compile(r"^\s*\((?:[A-Z][^()]{1,60})\)")
_MODIFIER = re.compile(
    r"^\s+(?!(?:and|or|on|in|at|of|to|for|from|with|by|is|was|were|are|has|had|have|said|says|will|would|"
    r"after|before|since|during|over|under|as|but|that|which|who|where|when|while|because|"
    # a preposition follows a place, never a noun it qualifies: "enter Syria through", "Israel without"
    r"through|throughout|without|toward|towards|into|across|against|along|amid|despite|via|within|until|near|"
    r"last|this|yesterday|today|tonight|earlier|later)\b)[a-z]{3,}"
)
_DATELINE = re.compile(r"^\s*[A-Z][A-Z .'-]{2,}(?:,\s*[A-Z][\w .]+)?\s*(?:\([^)]{1,30}\))?\s*[-—–:]")


@cache
def _locatives() -> re.Pattern[str]:
    raw = read_json("geo_lexicon.json")
    words = sorted(
        set(raw["locative_preps"]) - {"of", "from", "to"}
        | {
            "outskirts of",
            "village of",
            "town of",
            "city of",
            "area of",
            "district of",
            "province of",
            "region of",
            "near",
            "across",
            "inside",
            "outside",
            "on",
        },
        key=len,
        reverse=True,
    )
    alt = "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in words)
    return re.compile(
        rf"\b(?:{alt})\s+(?:the\s+)?(?:{_DIRECTION}\s+)?"
        r"(?:(?:[\w’'-]+[\s-]+){0,3}(?:town|city|village|villages|towns|district|province|area|region|camp|governorate|"
        r"neighbou?rhood|outskirts|suburbs?|countryside|capital|port|border\s+town)\s+of\s+"
        # "in the East Timor capital Dili": a capital is named without "of" as well
        r"|(?:[\w’'-]+[\s-]+){1,3}capital(?:\s+city)?,?\s+)?(?:the\s+)?$",
        re.I,
    )


# "said the strike killed 12 civilians in", "told reporters that fighting in": a verb of speech
# followed by the reported clause; the place after it is that clause's scene, not where the
# statement was made
_REPORTED_CLAUSE = re.compile(r"\bthat\b", re.I)


def _reports_event(text: str, cue: int, place: int, trigger: Span | None) -> bool:
    """True when the event's trigger or a "that" stands between a verb of speech and a place."""
    if trigger is not None and cue <= trigger.start and trigger.end <= place:
        return True
    return _REPORTED_CLAUSE.search(text, cue, place) is not None


def _score(
    doc: Document,
    m: PlaceMention,
    trigger: Span | None,
    sent_start: int,
    sent_end: int,
    gazetteer: Gazetteer | None = None,
) -> float:
    text = doc.text
    before = text[max(sent_start, m.span.start - 60) : m.span.start]
    after = text[m.span.end : m.span.end + 40]
    s = 0.0
    if _locatives().search(before):
        s += _LOCATIVE_BONUS
    if m.kind == "toponym":
        s += 1.0
    elif m.kind == "admin1":
        s += 0.5
    elif m.kind == "country":
        s -= _COUNTRY_BASE
    elif m.kind == "demonym":
        s -= 3.0
    if "embedded" in m.rule:
        s -= 2.0
    if m.place is not None and m.place.feature_code in ("CONT", "RGN", "OCN", "SEA"):
        s -= 1.5  # "in west Africa", "the Middle East war": ACLED never codes a continent
    if m.place is None and "settlement" not in m.rule:
        s -= 0.5
    rep = _REPORTED_FROM.search(before)
    if rep and not _reports_event(text, m.span.start - len(before) + rep.start(), m.span.start, trigger):
        s -= 2.0
    if _ORIGIN.search(before):
        s -= 2.0
    if after[:2] in ("'s", "’s"):
        # "Pakistan's largest city, Karachi", "Yala's Betong district": the possessor only locates
        # the place that follows
        s -= 1.5 if m.kind == "country" else 1.0
        if _POSSESSOR_OF_SUBPLACE.match(after):
            s -= 1.5
    elif _MODIFIER_OF_SUBPLACE.match(after):
        s -= _MODIFIER_OF_PENALTY  # "the south Baghdad neighbourhood of X", "the West Bank town of X"
    elif _SUBPLACE_OF.match(after):
        s += 1.0  # "the Ben Younis area of Benghazi": the smaller place is the scene
    if before[-3:] in ("'s ", "’s "):
        s += 0.5
    if "settlement" in m.rule:
        s += 0.7
    if _COUNTRYSIDE.search(before) or _COUNTRYSIDE_AFTER.match(after):
        s -= 1.0  # "in the southern countryside of Idleb": locates a village named nearby  # "the town of X", "X village": the text itself says X is a place
    if _REFERENCE_POINT.search(before):
        s -= _REFERENCE_PENALTY
    if after[:1] == "-" and after[1:2].islower():
        s -= 2.0  # "US-led", "Iranian-backed": a modifier, not a scene
    if m.kind in ("country", "toponym") and speaks(text, m, gazetteer):
        # "Washington said", "the Kremlin's spokesman", "Russia accused": a country, its capital or
        # a seat of government standing for the government, a speaker rather than the scene
        s -= _SPEAKER_PENALTY
    elif m.kind in ("country", "toponym") and _GOVERNMENT_VERB.match(after):
        # "Aleppo was", "Russia is": a big place as the subject of a clause is seldom the scene
        p = m.place
        if p is not None and (p.feature_code == "PCLI" or p.population > 1_000_000):
            s -= 2.5
    if (
        m.span.start == sent_start
        and m.kind == "toponym"
        and (m.place is None or m.place.population < 100_000)
        and _SUBJECT_PERSON.match(after)
    ):
        s -= 1.5  # "Lane, a former running back, was shot": a sentence opening on a person
    if m.span.start == sent_start and _DATELINE.match(text[sent_start:sent_end]):
        s -= 3.0
    if _in_parentheses(text, m.span.start, sent_start):
        s -= 1.5  # "Bule (Djugu, Ituri)": the bracket only says where Bule lies
    elif _QUALIFIED.match(after):
        s += 0.5
    if m.kind == "country" and _MODIFIER.match(after):
        s -= 1.0  # "the US dollar", "Afghan forces": the name qualifies a noun
    if trigger is not None:
        gap = m.span.start - trigger.end if m.span.start >= trigger.end else trigger.start - m.span.end
        s -= max(0, gap) / _DIST_SCALE
        if m.span.start >= trigger.end:
            s += _AFTER_BONUS  # English puts the scene after the verb: "exploded in X"
            gap_text = text[trigger.end : m.span.start]
            if gap < 60 and _OBJECT_GAP.match(gap_text) and not _NAMED_SUBPLACE_GAP.search(gap_text):
                s += 2.0 if _PREP_GAP.match(gap_text) else _BARE_OBJECT_BONUS
            elif gap < 90 and _OBJECT_GAP_POSSESSIVE.match(text[trigger.end : m.span.start]):
                s += 2.0
        between = text[min(m.span.end, trigger.end) : max(m.span.start, trigger.start)]
        if ";" in between:
            s -= 1.0
        elif _CLAUSE_PENALTY and _OTHER_CLAUSE.search(between):
            s -= _CLAUSE_PENALTY  # "..., while a third targeted a home in Y": another event's scene
        if _DESTINATION_PENALTY and _DESTINATION.search(before):
            s -= _DESTINATION_PENALTY
    else:
        s -= m.span.start / 2000.0
    return s


# "an Ivory Coast city", "a Myanmar town near...", "this West Bank settlement": the country still
# says where
_PLACE_NOUN = re.compile(
    r"^\s+(?:[a-z-]+\s+)?(?:city|cities|town|towns|village|villages|settlement|settlements|border|borders|"
    r"battlefield|base|port|capital|province|provinces|region|territory|soil|airspace|waters|coast|side|"
    r"countryside|district|camp|prison|jail|mosque|market|hospital|school|checkpoint|outpost|embassy)\b"
)
_DETERMINER = re.compile(r"\b(?:a|an|this|that|these|those)\s+$", re.I)


_COMPOUND_ADJECTIVE = re.compile(r"-(?:[a-z]+ed|majority|dominated|held|led|backed|based|run|born|speaking)$")


def _only_modifier(doc: Document, m: PlaceMention) -> bool:
    """ "the US dollar", "US Coalition warplanes": a country name qualifying a noun, with no
    locative: never where anything happened."""
    if m.place is None and _COMPOUND_ADJECTIVE.search(m.span.text or doc.text[m.span.start : m.span.end]):
        return True  # "in Greek-dominated southern Cyprus", "a Shiite-majority area": an adjective
    if m.kind != "country":
        return False
    text = doc.text
    after = text[m.span.end : m.span.end + 30]
    if not _MODIFIER.match(after) or _PLACE_NOUN.match(after) or re.match(r"^\s+[a-z]+ed\b", after):
        return False  # "attack Syria recalled ...": a verb follows, the country is an object
    before = text[max(0, m.span.start - 60) : m.span.start]
    return not (_locatives().search(before) or _DETERMINER.search(before))


def _km(a: Place, b: Place) -> float:
    dlon = abs(a.lon - b.lon)
    if dlon > 180.0:
        dlon = 360.0 - dlon
    return 111.2 * math.hypot(dlon * math.cos(math.radians((a.lat + b.lat) / 2)), a.lat - b.lat)


_SUBJECT_PERSON = re.compile(
    r"^(?:,\s+(?:a|an|\d{1,2})\b(?!\s+(?:[\w’'-]+\s+){0,3}?(?:town|city|village|hamlet|area|district|suburb|"
    r"community|settlement|camp|port|locality|neighbou?rhood)\b)|\s+(?:was|is|has|had|said|says|told|who)\b)",
    re.I,
)
_OF_GAP = re.compile(
    rf"^\s+(?:refugee\s+)?(?:area|district|sub-?district|neighbou?rhood|quarter|camp|suburb|township|"
    rf"sector|locality|village|hamlet)\s+(?:of|in)\s+(?:the\s+)?(?:{_DIRECTION}\s+)?$",
    re.I,
)
_OF_GAP_PENALTY = 1.5
_COMMA_GAP = re.compile(r"^\s*,\s*$")
# "Mauthausen, near Linz", "Ait Yahia, south of the city of Tizi Ouzou", "Oldham, a mid-England town
# near Manchester", "Miranshah, the main town of North Waziristan": an appositive after a name
# places it against a better-known point, which only says where the scene, named first, lies
_PLACE_NOUN_SG = (
    r"(?:town|city|village|hamlet|area|district|sub-?district|suburb|region|community|capital|"
    r"neighbou?rhood|province|locality|settlement|camp|port|municipality|county|township|cities|towns)"
)
_RELATION = (
    r"(?:near|outside|close\s+to|on\s+the\s+outskirts\s+of|(?:north|south|east|west|north-?east|north-?west|"
    r"south-?east|south-?west)(?:ern)?\s+of)"
)
_APPOSITIVE_REF = re.compile(
    r"^\s*,\s*(?:"
    # "Linz", "about 180 km (110 miles) south of the city of"
    r"(?:(?:about|some|around|roughly|nearly|just)\s+)?(?:[\d,.]+\s*-?\s*(?:km|kms|kilomet\w+|miles?)\s*"
    rf"(?:\([^)]*\)\s*)?)?{_RELATION}"
    # "a town near", "the main town of", "an area close to"
    rf"|(?:a|an|the|one\s+of)\s+(?:[\w’'-]+\s+){{0,4}}?{_PLACE_NOUN_SG}\s+(?:(?:located|situated|lying)\s+)?"
    rf"(?:of|in|{_RELATION})"
    r")\s+(?:the\s+)?(?:(?-i:[A-Z])[\w’'-]*\s*[’']s\s+(?:[\w-]+\s+){0,2})?"
    rf"(?:{_PLACE_NOUN_SG}\s+(?:of\s+)?)?"
    # the rest of the chain: "near Linz, Austria", "in Biu Local Government Area of Borno State"
    r"(?:(?-i:[A-Z])[\w’'-]*(?:\s+(?-i:[A-Z])[\w’'-]*){0,4}\s*(?:,\s*|\s+(?:of|in)\s+(?:the\s+)?))*$",
    re.I,
)
_APPOSITIVE_PENALTY = 2.5
_AREA_OF = re.compile(
    r"\b(?:region|state|province|governorate|coast|countryside|area)\s+of\s+(?:the\s+)?$", re.I
)
# "Akhaura in Brahmanbaria district", "Khashaba, in the north of Kuttum", "the X district in south
# Baghdad": the name after the gap only says where the first lies
_IN_GAP = re.compile(
    r"^\s*(?:(?:village|town|city|district|sub-?district|area|neighbou?rhood|camp|locality|region)\s*)?,?\s*"
    r"in\s+(?:the\s+)?(?:(?:far\s+)?(?:north|south|east|west|north-?east|north-?west|south-?east|south-?west|"
    r"central|northern|southern|eastern|western)(?:ern)?\s+(?:of\s+(?:the\s+)?)?)?$",
    re.I,
)


# a building, street or gathering named after a place: "Highland Hospital", "the Veterans Day Parade"
_VENUE_AFTER = re.compile(
    r"^\s+(?:[A-Z][\w’'-]*\s+){0,3}(?:hospital|hotel|theat(?:er|re)|parade|street|road|avenue|square|bridge|"
    r"headquarters|mosque|church|temple|stadium|market|mall|restaurant|bar|cafe|"
    r"station|airport|embassy|consulate|building|tower|palace|prison|camp|base|zone)\b",
    re.I,
)


def _stray(doc: Document, m: PlaceMention, good: list[PlaceMention], lo: int) -> float:
    """ "In Celaya, Guanajuato, a man was found dead in Colonia Las Aves": a later name in a
    sentence that opened on a town lies inside that town; one resolved far away is a namesake."""
    for n in good:
        if (
            n is not m
            and n.span.end <= m.span.start
            and _COMMA_GAP.match(doc.text[n.span.end : m.span.start])
        ):
            return 1.5
        if (
            _APPOSITIVE_PENALTY
            and n is not m
            # "the coast region of Oaxaca, near X": a region's reference point is finer than it
            and n.kind == "toponym"
            and not _AREA_OF.search(doc.text[max(lo, n.span.start - 30) : n.span.start])
            and n.span.end <= m.span.start
            and _APPOSITIVE_REF.match(doc.text[n.span.end : m.span.start])
        ):
            return _APPOSITIVE_PENALTY
        if (
            _IN_GAP_PENALTY
            and n is not m
            and n.span.end <= m.span.start
            and n.kind == "toponym"
            and not (n.place is None and n.rule == "context:feature")
            and m.kind in ("toponym", "admin1")
            and _IN_GAP.match(doc.text[n.span.end : m.span.start])
        ):
            return _IN_GAP_PENALTY  # "in Cuernavaca, Morelos": the name after the comma only says where the first lies
        if (
            _OF_GAP_PENALTY
            and n is not m
            and n.span.end <= m.span.start
            and _OF_GAP.match(doc.text[n.span.end : m.span.start])
        ):
            return _OF_GAP_PENALTY  # "the Suuqa Xoolaha neighborhood of Mogadishu": the city only holds the scene
    if m.place is None or m.kind != "toponym" or m.place.feature_code in ("PCLI", "ADM1"):
        return 0.0
    loc = _locatives()
    for n in good:
        if n.span.end > m.span.start:
            break
        if n.place is None or n.kind not in ("toponym", "admin1") or n.place.feature_code == "PCLI":
            continue
        if _MODIFIER_OF_SUBPLACE.match(doc.text[n.span.end : n.span.end + 60]):
            continue  # "the north Sinai town of X": the modifier was read as a namesake town
        if _VENUE_AFTER.match(doc.text[n.span.end : n.span.end + 40]):
            continue  # "at Highland Hospital in Oakland": a venue's name, not a town that sets the scene
        if _DESTINATION.search(doc.text[max(lo, n.span.start - 60) : n.span.start]):
            continue  # "officials from the town of X ... found dead near Y": X is where they came from
        if doc.text[n.span.end : n.span.end + 2] in ("'s", "’s") and not _VENUE_AFTER.match(
            doc.text[m.span.end : m.span.end + 40]
        ):
            continue  # "Hama's Hamidiyeh": the possessor says the next name lies inside it, however resolved
        if loc.search(doc.text[max(lo, n.span.start - 40) : n.span.start]) and _km(m.place, n.place) > 150:
            return 2.0
    return 0.0


def _named_containers(good: list[PlaceMention]) -> set[tuple[str, str]]:
    """(country, admin1) of every town named in the scope: the areas that merely say where a
    named town lies."""
    out: set[tuple[str, str]] = set()
    for n in good:
        p = n.place
        if p is not None and n.kind == "toponym" and p.feature_class == "P" and p.country_code:
            out.add((p.country_code, p.admin1 or ""))
    return out


def _container(m: PlaceMention, inner: set[tuple[str, str]]) -> float:
    """ "the Vedeno region of Chechnya", "Bama Town ... Borno State": ACLED codes the most
    specific place, so an admin area holding a town named alongside steps back."""
    p = m.place
    if p is None or not inner:
        return 0.0
    if m.kind == "admin1" and p.feature_code == "ADM1" and (p.country_code, p.admin1 or "") in inner:
        return _CONTAINER_ADMIN1
    # a country steps back only through its other cues (its base score, "Iraq's"): a penalty here
    # measured no better on event_location.jsonl
    return 0.0


_CONTAINER_ADMIN1 = 1.0
_CONTAINER_UNRESOLVED = 2.0


def _holds_unresolved(text: str, m: PlaceMention, good: list[PlaceMention]) -> float:
    """ "the Mohammad Agha district of Logar province", "Gaidamgari village, in Bama LGA of Borno
    State": a first-level area right after a smaller place the gazetteer lacks only holds it."""
    p = m.place
    if not _CONTAINER_UNRESOLVED or m.kind != "admin1" or p is None or p.feature_code != "ADM1":
        return 0.0
    for n in good:
        if n.place is None and n.kind == "toponym" and 0 <= m.span.start - n.span.end < 80:
            if not re.search(r"[;.]", text[n.span.end : m.span.start]):
                return _CONTAINER_UNRESOLVED
    return 0.0


# a conjunction that opens another clause, with its own event and scene
# ("while another soldier died near Mosul"), not one that goes on about the same people ("while he
# was driving in X", "while on a trip to X")
_OTHER_CLAUSE = re.compile(
    r"(?:,\s*|\s)(?:while|whereas|even\s+as)\s+(?:another|other|more|an?|the|some|several|many|dozens|hundreds|"
    r"thousands|\d+|(?-i:[A-Z])[\w’'-]*)\b",
    re.I,
)
_CLAUSE_PENALTY = 1.0
# "walking through Hilla to the shrine city of Karbala", "officials from the town of X": where a
# movement ends or people come from; not "to retake the village of X", nor
# where an advance set out from ("advanced from the town of X") or a force left ("withdrew from the
# town of X", "driven from the town of X"), which is the scene of the event
_DESTINATION = re.compile(
    r"(?:\bto|\btowards?|(?<![a-z]ed )(?<![a-z]ing )(?<!withdrew )(?<!withdraw )(?<!withdraws )(?<!drove )(?<!driven )\bfrom)\s+the\s+(?:(?!the\b)[\w’'-]+\s+){0,3}"
    r"(?:city|town|village|capital|area|district|region)\s+of\s+(?:the\s+)?$",
    re.I,
)
_DESTINATION_PENALTY = 2.0
_SPEAKER_PENALTY = 2.5
_BARE_OBJECT_BONUS = 2.0
_DIST_SCALE = 90.0
_AFTER_BONUS = 0.9
_COUNTRY_BASE = 0.3
_LOCATIVE_BONUS = 1.2
_REFERENCE_PENALTY = 1.5
_IN_GAP_PENALTY = 2.5


# a capitalised word glued to the name that is not itself a place word: "Riek Machar", "the Rio Rosas
# bar", "the 17th Reserve Division", "Liwaa Al-Quds": the name is part of a person's or an
# organisation's name
_CAP_BEFORE = re.compile(r"(?<![.!?:;\"“(])\b([A-Z][\w’'-]*)\s+$")
_CAP_AFTER = re.compile(r"^\s+([A-Z][\w’'-]*)")
_NOT_NAME_PART = frozenset(
    "The A An In At On Near Of And Or But As By For From To With Into Across Outside Inside Around "
    "Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April May June "
    "July August September October November December Jan Feb Mar Apr Jun Jul Aug Sep Sept Oct Nov Dec".split()
)


@cache
def _place_words() -> frozenset[str]:
    raw = read_json("geo_lexicon.json")
    return frozenset(raw.get("name_part_ok", [])) | frozenset(raw.get("feature_words", [])) | _NOT_NAME_PART


def _glued_name(text: str, m: PlaceMention, sent_start: int, others: list[PlaceMention]) -> float:
    """A penalty when a capitalised word that is neither a place word nor another place is glued
    to the name: the name is then part of a person's or an organisation's name."""
    ok = _place_words()
    lo = max(sent_start, m.span.start - 30)
    b = _CAP_BEFORE.search(text[lo : m.span.start])
    if b and lo + b.start(1) > sent_start and b.group(1) not in ok:
        pos = lo + b.start(1)
        if not any(o.span.start <= pos < o.span.end for o in others):
            return _GLUED_BEFORE_PENALTY
    a = _CAP_AFTER.match(text[m.span.end : m.span.end + 30])
    if a and a.group(1) not in ok and not a.group(1).isupper():
        pos = m.span.end + a.start(1)
        if not any(o.span.start <= pos < o.span.end for o in others):
            return _GLUED_AFTER_PENALTY
    return 0.0


_GLUED_BEFORE_PENALTY = 0.7
_GLUED_AFTER_PENALTY = 0.7


# "launched an offensive in the countryside of X, targeting the key village of Y": a second verb of
# attack names the objective, which is more specific than the area the operation was launched in
_SECOND_VERB = re.compile(
    r"\b(?:target(?:ing|ed|s)?|strik(?:ing|es)|struck|storm(?:ing|ed|s)?|shell(?:ing|ed|s)?|"
    r"hitting|attack(?:ing|ed)|bomb(?:ing|ed)|raid(?:ing|ed)|captur(?:e|ed|ing)|seiz(?:e|ed|ing)|"
    r"recaptur(?:e|ed|ing)|recover(?:ing|ed)?|(?:advance|assault|attack|offensive|push|raid|strikes?)\s+on|"
    r"enter(?:ed|ing)?|overr(?:an|un|unning)|besieg(?:e|ed|ing)|encircl(?:e|ed|ing))\b",
    re.I,
)
_AGENT_GAP = re.compile(r"^\s*(?:and\s+\w+\s+)?(?:by|from|against)\b", re.I)
_SECOND_GAP = re.compile(r"^[^,;.:!?]{0,70}$")


def _objectives(text: str, good: list[PlaceMention], lo: int, hi: int) -> set[int]:
    """Start offsets of the first place after each verb of attack in ``text[lo:hi]``."""
    out: set[int] = set()
    ordered = sorted(good, key=lambda m: m.span.start)
    for v in _SECOND_VERB.finditer(text, lo, hi):
        nxt = next((m for m in ordered if m.span.start >= v.end()), None)
        if (
            nxt is None
            or not _SECOND_GAP.match(text[v.end() : nxt.span.start])
            or _AGENT_GAP.match(text[v.end() : nxt.span.start])
            or text[nxt.span.end : nxt.span.end + 2] in ("'s", "’s")
            or _glued_name(text, nxt, lo, good)
        ):
            continue  # "captured by Israel": the agent; "Iraq's": the possessor of the objective
        out.add(nxt.span.start)
    return out


_SECOND_OBJECT_BONUS = 2.0


# "In Nicosia, ...", "Earlier, in the Gaza Strip, ...", "On Monday in the Deir Ezzor Governorate, ...":
# a sentence that opens on a place sets the scene of the clause that follows
_FRAME_BEFORE = re.compile(
    r"^\W*(?:(?:earlier|later|meanwhile|separately|also|elsewhere|and|but|on\s+\w+(?:\s+\w+)?|\w+day|"
    r"last\s+\w+|yesterday|today)\s*,?\s+)*(?:in|across|inside|at|throughout)\s+(?:the\s+)?(?:[\w’'-]+\s+){0,3}$",
    re.I,
)
_FRAME_AFTER = re.compile(
    r"^(?:[’']s\s+\w+\s+(?:countryside|outskirts)|\s+(?:governorate|province|region|state))?\s*"
    r"(?:,|\s+(?:on|this|last|early|late|earlier|\w+day)\b)",
    re.I,
)
_FRAME_PENALTY = 3.0


def _frame(text: str, good: list[PlaceMention], trigger: Span | None, lo: int) -> PlaceMention | None:
    """The place a sentence opens on ("In X, ..."), when the trigger's clause follows it."""
    if not _FRAME_PENALTY or trigger is None or not good:
        return None
    m = min(good, key=lambda g: g.span.start)
    if (
        m.place is None
        or m.span.end > trigger.start
        or "," not in text[m.span.end : trigger.start]
        or not _FRAME_BEFORE.match(text[lo : m.span.start])
        or not _FRAME_AFTER.match(text[m.span.end : m.span.end + 40])
    ):
        return None
    return m


def _outside_frame(m: PlaceMention, frame: PlaceMention | None) -> float:
    """A place the frame cannot hold (a large place of another country: "In Nicosia, ... marched on
    the US embassy") or one that only holds the frame ("In Luebeck, ... stay in Germany")."""
    if frame is None or m is frame or m.place is None or frame.place is None:
        return 0.0
    p, f = m.place, frame.place
    if p.country_code != f.country_code:
        # a big foreign town, unless the text calls it a village ("the village of X" read as a
        # namesake abroad) or it was matched only through a spelling variant
        big = p.population >= 100_000 and "settlement" not in m.rule and not m.rule.startswith("variant")
        return _FRAME_PENALTY if m.kind in ("country", "admin1") or big else 0.0
    if m.kind == "country" and frame.kind != "country":
        return _FRAME_PENALTY
    if p.feature_code == "ADM1" and frame.kind == "toponym" and f.admin1 == p.admin1:
        return _FRAME_PENALTY
    return 0.0


# "captured Barghouti on April 15 in a Ramallah house", "captured Qadeer in the eastern city of
# Gujranwala": a name the gazetteer lacks, taken as the object of a verb of seizing and followed by
# when and where, or by the town it was taken in, is the person or group taken. A bare "captured X
# in Y" stays a place: villages are captured in provinces ("captured Halbeh in Idleb").
_CAPTIVE_VERB = re.compile(
    r"\b(?:captured|capture|seized|seize|targeting|targeted|arrested|abducted|kidnapped|detained)\s+(?:the\s+)?$",
    re.I,
)
_CAPTIVE_AFTER = re.compile(
    r"^\s+(?:(?:on|last|early|late)\s+[^,;]{1,25}?\s+(?:in|at)\s"
    r"|(?:in|at)\s+(?:an?\s+(?:raid|house|home|hideout|operation|ambush)\b"
    r"|the\s+(?:[\w-]+\s+){0,2}(?:city|town|capital)\s+of\s))",
    re.I,
)


def _captive(text: str, m: PlaceMention, good: list[PlaceMention]) -> bool:
    """True for such a name when another place follows it in the scope (it is then no place at all)."""
    return (
        m.place is None
        and m.rule == "context:locative"
        and _CAPTIVE_VERB.search(text[max(0, m.span.start - 30) : m.span.start]) is not None
        and _CAPTIVE_AFTER.match(text[m.span.end : m.span.end + 60]) is not None
        and any(n.span.start > m.span.end for n in good)
    )


def _in_parentheses(text: str, pos: int, lo: int) -> bool:
    window = text[max(lo, pos - 80) : pos]
    return window.rfind("(") > window.rfind(")")


def choose_event_location(
    doc: Document,
    places: list[PlaceMention],
    trigger_span: Span | None,
    last_resort: bool = True,
    gazetteer: Gazetteer | None = None,
) -> PlaceMention | None:
    """The place where the event anchored on ``trigger_span`` happened, or None.

    Looks in the trigger's sentence first, then the closest earlier sentences (a
    report often names the place once and describes the attack after), then the
    whole document. Without a trigger it picks the best locative of the first
    sentence that has a place. With ``last_resort``, when every place only qualifies a
    noun ("U.S. jets ... over Iraq use") or is a demonym, the first of them is still
    the best guess at the scene; ``event_place`` turns that off, since coding has its
    own fallbacks (the article's places, the actors' country).
    """
    if not places:
        return None
    sents = doc.sentences or []
    if trigger_span is not None:
        s = doc.sentence_at(trigger_span.start)
        bounds = (s.start, s.end) if s else (0, len(doc.text))
        scopes: list[tuple[int, int]] = [bounds]
        earlier = [x for x in sents if x.end <= bounds[0]]
        for x in reversed(earlier[-3:]):
            scopes.append((x.start, x.end))
        later = [x for x in sents if x.start >= bounds[1]]
        for x in later[:1]:
            scopes.append((x.start, x.end))
    else:
        scopes = [(x.start, x.end) for x in sents] or [(0, len(doc.text))]
    for lo, hi in scopes:
        inside = [m for m in places if lo <= m.span.start < hi]
        good = [m for m in inside if m.kind != "demonym" and not _only_modifier(doc, m)]
        if not good:
            continue
        good = [m for m in good if not _captive(doc.text, m, good)]
        inner = _named_containers(good)
        goals = _objectives(doc.text, good, lo, hi) if _SECOND_OBJECT_BONUS else set()
        frame = _frame(doc.text, good, trigger_span, lo)
        return max(
            good,
            key=lambda m: (
                _score(doc, m, trigger_span, lo, hi, gazetteer)
                - _outside_frame(m, frame)
                - _stray(doc, m, good, lo)
                - _container(m, inner)
                - _holds_unresolved(doc.text, m, good)
                - _glued_name(doc.text, m, lo, inside)
                # an area holding a named town is no objective of its own
                + (_SECOND_OBJECT_BONUS if m.span.start in goals and not _container(m, inner) else 0.0)
            ),
        )
    rest = [m for m in places if m.kind != "demonym" and not _only_modifier(doc, m)]
    if rest:
        return rest[0]
    if not last_resort:
        return None
    rest = [m for m in places if m.kind != "demonym"] or places
    return rest[0]


def event_place(
    doc: Document, places: list[PlaceMention], trigger_span: Span | None, gazetteer: Gazetteer | None = None
) -> PlaceMention | None:
    """Like ``choose_event_location`` but always with coordinates, for coding an event.

    A whole admin1 area is placed at its main town, as ACLED codes region-level events
    (geoparsing keeps the area's middle, as GeoNames does); ``gazetteer`` is the one that
    resolved ``places`` (default: the process-wide one).

    When the chosen name is not in the gazetteer ("the village of Kafr X (Ariha, Idleb)"),
    the closest resolved place that qualifies it stands in: a bracketed or following
    admin area or town in the same sentence, else the nearest resolved place before it;
    its geo_precision is at least 2 (ACLED: the event was near, not at, that point).
    """
    return _at_seat(_event_place(doc, places, trigger_span, gazetteer), gazetteer)


def _at_seat(m: PlaceMention | None, gazetteer: Gazetteer | None) -> PlaceMention | None:
    if m is None or m.place is None or m.place.feature_code != "ADM1":
        return m
    gaz = gazetteer or default_gazetteer()
    seat = gaz.admin1_seat(m.place)
    if seat is None or seat == (m.place.lat, m.place.lon):
        return m
    return replace(m, place=replace(m.place, lat=seat[0], lon=seat[1]))


def _speakers_country(
    doc: Document, best: PlaceMention, places: list[PlaceMention], gazetteer: Gazetteer | None
) -> PlaceMention | None:
    """The scene's country when only a speaking capital or seat of government is left to stand in
    ("rebels seized the town of X, Kinshasa said"): the name coded at country level, not at the
    capital far away."""
    if not _names_itself(doc.text, best):
        return None
    said = [
        m for m in places if m.place is not None and m.place.country_code and speaks(doc.text, m, gazetteer)
    ]
    if not said:
        return None
    near = min(said, key=lambda m: abs(m.span.start - best.span.start))
    assert near.place is not None
    country = (gazetteer or default_gazetteer()).country_place(near.place.country_code)
    if country is None:
        return None
    pick = PlaceMention(
        span=near.span, place=country, kind="country", geo_precision=3, rule="speaker_country"
    )
    return named_at(best, pick, doc.text)


def _event_place(
    doc: Document, places: list[PlaceMention], trigger_span: Span | None, gazetteer: Gazetteer | None = None
) -> PlaceMention | None:
    best = choose_event_location(doc, places, trigger_span, last_resort=False, gazetteer=gazetteer)
    if best is None:
        return None
    city = _holding_city(doc.text, best, places)
    if city is not None:
        return city
    if best.place is not None:
        finer = _finer_in_scope(doc, best, places)
        if finer is not None:
            return finer
        if not _namesake(doc, best, places):
            return best
    s = doc.sentence_at(best.span.start)
    lo, hi = (s.start, s.end) if s else (0, len(doc.text))
    resolved = [
        m
        for m in places
        if m.place is not None
        and m.kind != "demonym"
        and lo <= m.span.start < hi
        and not _only_modifier(doc, m)
        # "seized the town of X, Kinshasa said": a speaking capital says nothing of where X lies
        and not speaks(doc.text, m, gazetteer)
    ]
    after = [m for m in resolved if m.span.start >= best.span.end and m is not best]
    before = [m for m in resolved if m.span.end <= best.span.start and m is not best]
    pick = (
        _finest_qualifier(doc.text, best, after)
        if after
        else (_head_of_chain(doc.text, before) if before else None)
    )
    if pick is None:
        rest = [
            m
            for m in places
            if m.place is not None
            and m.kind != "demonym"
            and m is not best
            and not _only_modifier(doc, m)
            and not speaks(doc.text, m, gazetteer)
        ]
        if not rest:
            return _speakers_country(doc, best, places, gazetteer)
        pick = min(rest, key=lambda m: abs(m.span.start - best.span.start))
    if _names_itself(doc.text, best):
        # "the town of Kawlin", "near Robotyne": the text vouches that the name is the scene, so
        # ACLED's location is that name, a town; the stand-in only lends its coordinates and admin
        # areas, a town of the sentence rather than its region or country when there is one
        return named_at(best, _town_within(doc, pick, resolved, lo, hi) or pick, doc.text)
    return PlaceMention(
        span=best.span,
        place=pick.place,
        kind=pick.kind,
        geo_precision=max(2, pick.geo_precision),
        score=pick.score * 0.5,
        rule=f"unresolved->{pick.rule or pick.kind}",
    )


def named_at(scene: PlaceMention, pick: PlaceMention, text: str) -> PlaceMention:
    """``scene``, a settlement the gazetteer lacks, coded under its own name at the point and admin
    areas of ``pick`` (a place that qualifies it, or coding's fallback: the actors' country)."""
    assert pick.place is not None
    name = scene.span.text or text[scene.span.start : scene.span.end]
    return PlaceMention(
        span=scene.span,
        place=replace(pick.place, name=name),
        kind="toponym",
        geo_precision=max(2, pick.geo_precision),
        score=pick.score * 0.5,
        rule=f"unresolved->{pick.rule or pick.kind}",
    )


def unplaced_scene(
    doc: Document,
    places: list[PlaceMention],
    trigger_span: Span | None,
    gazetteer: Gazetteer | None = None,
) -> PlaceMention | None:
    """The event's scene when the text names it as a settlement ("the town of Kiwanja", "near Gwer")
    that the gazetteer lacks and no place of its frame can stand in for it (``event_place`` is then
    None): coding still names it, at whatever place it falls back to (``named_at``)."""
    best = choose_event_location(doc, places, trigger_span, last_resort=False, gazetteer=gazetteer)
    if best is None or best.place is not None or not _names_itself(doc.text, best):
        return None
    return best


# "the Karte Parwan area of Kabul", "the Carrefour neighbourhood of Port-au-Prince": ACLED codes a
# part of a big city at the city (a district of a town is often a place of its own, and is kept)
_HELD_BY_CITY = re.compile(
    r"^(?:\s+(?-i:[A-Z])[\w’'-]*){0,2}\s+(?:neighbou?rhoods?|quarter|area|suburb)\s+of\s+(?:the\s+)?(?:(?:city|capital)\s+of\s+)?$",
    re.I,
)
_CITY_POP = 250_000


def _holding_city(text: str, best: PlaceMention, places: list[PlaceMention]) -> PlaceMention | None:
    """The big city named right after "neighbourhood of" / "area of" that holds the chosen name."""
    nxt = min((m for m in places if m.span.start >= best.span.end), key=lambda m: m.span.start, default=None)
    if nxt is None or not _HELD_BY_CITY.match(text[best.span.end : nxt.span.start]):
        return None
    p = nxt.place
    if p is None or nxt.kind != "toponym" or p.feature_class != "P" or p.population < _CITY_POP:
        return None
    return nxt


# the context rules of places.py that find a name the gazetteer lacks from the words around it
_SELF_NAMING_RULES = (
    "context:settlement",
    "context:locative",
    "context:qualified",
    "context:abroad",
)
_NAME_SHAPE = re.compile(r"^[A-Z][\w’'-]*(?:[ -][A-Za-z][\w’'-]*){0,3}$")


# "Nigeria's Kaduna state", "Sudan's Blue Nile": the possessor only says where the finer area lies
_POSSESSOR_GAP = re.compile(r"^[’']s\s+(?:[a-z-]+\s+)?$")
_GRAIN = {"toponym": 0, "admin1": 1, "country": 2}


def _finest_qualifier(text: str, best: PlaceMention, after: list[PlaceMention]) -> PlaceMention:
    """The stand-in among the places right after a name the gazetteer lacks: in "Kuriga, in
    Nigeria's Kaduna state" the state says more about where Kuriga lies than the country."""
    pick = after[0]
    for nxt in after[1:]:
        p, q = pick.place, nxt.place
        if (
            p is None
            or q is None
            or not _POSSESSOR_GAP.match(text[pick.span.end : nxt.span.start])
            or q.country_code != p.country_code
            or _GRAIN.get(nxt.kind, 3) >= _GRAIN.get(pick.kind, 3)
        ):
            break
        pick = nxt
    return pick


def _town_within(
    doc: Document, area: PlaceMention, resolved: list[PlaceMention], lo: int, hi: int
) -> PlaceMention | None:
    """The first town of the sentence inside ``area`` (a country or first-level area), not the
    dateline ("ABUJA (Reuters) -" names where the report was filed, not a neighbour of the scene)."""
    a = area.place
    if a is None or area.kind not in ("country", "admin1"):
        return None
    dateline = _DATELINE.match(doc.text[lo:hi]) is not None
    for m in resolved:
        p = m.place
        if (
            p is not None
            and m.kind == "toponym"
            and p.country_code == a.country_code
            and (area.kind == "country" or p.admin1 == a.admin1)
            and not (dateline and m.span.start == lo)
        ):
            return m
    return None


# ACLED codes a neighbourhood, street or camp at the town that holds it ("the Zona Sete
# neighborhood" of Maringa is coded Maringa), so only a name that is itself a settlement is kept
_SUBCITY = r"(?:neighbou?rhoods?|quarters?|suburbs?|camps?|streets?|roads?|avenues?|squares?|markets?|blocks?|estates?|colon(?:y|ies))"
_SUBCITY_BEFORE = re.compile(rf"\b{_SUBCITY}\s+(?:of|called|known\s+as)\s+(?:the\s+)?$", re.I)
_SUBCITY_AFTER = re.compile(rf"^\s+{_SUBCITY}\b", re.I)


@cache
def _subplace_prefixes() -> frozenset[str]:
    return frozenset(read_json("geo_lexicon.json").get("subplace_prefix", []))


def _names_itself(text: str, m: PlaceMention) -> bool:
    """An unresolved mention that its context shows to be a settlement's name, shaped like one."""
    surface = m.span.text or text[m.span.start : m.span.end]
    return (
        m.place is None
        and m.kind == "toponym"
        and m.rule.startswith(_SELF_NAMING_RULES)
        and _NAME_SHAPE.match(surface) is not None
        and surface.split()[0] not in _subplace_prefixes()
        and not _SUBCITY_BEFORE.search(text[max(0, m.span.start - 40) : m.span.start])
        and not _SUBCITY_AFTER.match(text[m.span.end : m.span.end + 30])
    )


# the stand-in for a name the gazetteer lacks, or resolves only to a far namesake, is the place
# that qualifies it; in "in Pacaja, Para, ... in X neighborhood" that is the town, not its state
_CHAIN_GAP = re.compile(
    r"^\s*(?:(?:city|town|village|municipality|district|county|sub-?district|department)\s*)?[,(]\s*$", re.I
)


def _head_of_chain(text: str, before: list[PlaceMention]) -> PlaceMention:
    """The last resolved place before a name, stepping back over "Town, State" to the town."""
    pick = before[-1]
    k = len(before) - 1
    while k > 0 and pick.kind in ("admin1", "country"):
        prev = before[k - 1]
        gap = text[prev.span.end : pick.span.start]
        p, q = prev.place, pick.place
        if (
            p is None
            or q is None
            or not _CHAIN_GAP.match(gap)
            or prev.kind != "toponym"
            or p.country_code != q.country_code
            or (pick.kind == "admin1" and p.admin1 != q.admin1)
        ):
            break
        pick, k = prev, k - 1
    return pick


# a town this far from every other place resolved in its sentence is a namesake of a place the
# gazetteer lacks ("Colonia Las Aves" in Celaya read as a La Colonia 1,300 km away)
_NAMESAKE_KM = 120.0


def _namesake(doc: Document, best: PlaceMention, places: list[PlaceMention]) -> bool:
    p = best.place
    if (
        not _NAMESAKE_KM
        or p is None
        or best.kind != "toponym"
        or p.feature_class != "P"
        or p.feature_code in ("PCLI", "ADM1")
    ):
        return False
    s = doc.sentence_at(best.span.start)
    lo, hi = (s.start, s.end) if s else (0, len(doc.text))
    anchors = [
        m
        for m in places
        if m is not best
        and m.place is not None
        # only a place named before sets the scene: one after qualifies the name ("X, State")
        and lo <= m.span.start < best.span.start
        and m.kind in ("toponym", "admin1")
        and m.place.feature_code != "PCLI"
        and m.place.geonameid != p.geonameid
        and not _only_modifier(doc, m)
        # a scene of its own ("in Celaya"), not a word of an organisation's name ("Ahrar al-Sham")
        and _locatives().search(doc.text[max(lo, m.span.start - 40) : m.span.start]) is not None
        and not _glued_name(doc.text, m, lo, places)
    ]
    if not anchors:
        return False
    for a in anchors:
        q = a.place
        assert q is not None
        if q.country_code != p.country_code:
            continue
        if q.admin1 == p.admin1 or _km(p, q) <= _NAMESAKE_KM:
            return False
    # only when the anchors agree among themselves: two far-apart towns are a list, not a namesake
    pts = [a.place for a in anchors if a.place is not None and a.kind == "toponym"]
    return all(_km(x, y) <= _NAMESAKE_KM for x in pts for y in pts)


def _finer_in_scope(doc: Document, best: PlaceMention, places: list[PlaceMention]) -> PlaceMention | None:
    """ACLED codes the most specific place: a country or region chosen while its own sentence
    qualifies it with a town inside it ("western Yemen (Ad Durayhimi, Al Hudaydah)") gives way to
    that town."""
    p = best.place
    if p is None or best.kind not in ("country", "admin1"):
        return None
    s = doc.sentence_at(best.span.start)
    lo, hi = (s.start, s.end) if s else (0, len(doc.text))
    inside = [
        m
        for m in places
        if m is not best
        and m.place is not None
        and lo <= m.span.start < hi
        and m.kind == "toponym"
        and m.place.feature_class == "P"
        and m.place.country_code == p.country_code
        and (best.kind == "country" or m.place.admin1 == p.admin1)
        and not _only_modifier(doc, m)
    ]
    if not inside:
        return None
    return min(inside, key=lambda m: abs(m.span.start - best.span.start))
