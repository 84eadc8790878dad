"""Actor coding: final ACLED actor names, inter and interaction codes, and who acted on whom.

``actor_name`` turns an ``ActorMention`` into the ACLED name for an event in a given country:
generic roles become "Military Forces of Syria (2000-)", "Civilians (Syria)"...; country-dependent
groups pick their country variant ("Islamic State" in Iraq -> "Islamic State (Iraq)"); a country
the text gives the actor ("Russian jets") wins over the event country.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import cache
from typing import TYPE_CHECKING

from marsad.knowledge import read_json
from marsad.mentions.actors import Entry, _expand, actor_inter, lexicon
from marsad.model import ActorMention, Event, Evidence, Span
from marsad.text import fold

if TYPE_CHECKING:  # roles imports this module
    from marsad.coding.roles import Roles

__all__ = [
    "actor_inter",
    "actor_name",
    "agent_and_patient",
    "apply_default_dyad",
    "apply_same_kind_opponent",
    "default_dyad",
    "associated_name",
    "external_inter",
    "finalize_actors",
    "interaction_code",
    "with_context",
]


def _event_cc(country: str, country_code: str) -> str:
    if country_code:
        return country_code.upper()
    return lexicon().country_by_name.get(fold(country), "") if country else ""


def _entry_of(mention: ActorMention) -> Entry | None:
    lex = lexicon()
    rule = mention.rule.split("+", 1)[0]
    kind, _, rest = rule.partition(":")
    if kind == "role":
        return lex.entries.get(f"role:{rest.split(':')[0]}")
    if kind == "group":
        return lex.entries.get(f"group:{rest.split(':')[0]}")
    # an implied participant ("a man was shot dead") has no words of its own: its role names it
    if not mention.name and mention.role in lex.roles:
        return lex.roles[mention.role]
    return None


def _rule_part(rule: str, key: str) -> str:
    """Value of a ``+key:value`` qualifier of a mention rule ("role:military+ctx:SY" -> "SY")."""
    for part in rule.split("+")[1:]:
        k, _, v = part.partition(":")
        if k == key:
            return v
    return ""


def with_context(mention: ActorMention, cc: str = "", sub_event_type: str = "") -> ActorMention:
    """A copy of ``mention`` that knows the article's implied country and the event type.

    ``actor_name`` uses the context country only when the event has none (the place was not
    resolved): "the army" next to "Iraqi forces" is Iraq's army, never a bare "Military Forces".
    """
    extra = (f"+ctx:{cc}" if cc and not mention.country_code else "") + (
        f"+sub:{sub_event_type}" if sub_event_type else ""
    )
    if not extra:
        return mention
    return replace(mention, rule=mention.rule + extra)


# Events where unspecified "security forces" are the police (crowd control and arrests).
_CROWD_CONTROL = frozenset({"Protest with intervention", "Excessive force against protesters", "Arrests"})
_SECURITY_FORCES = re.compile(r"\bsecurity (?:forces|personnel|officers|men|agents)\b", re.IGNORECASE)


def actor_name(mention: ActorMention, country: str, country_code: str = "") -> str:
    """The ACLED name of ``mention`` in an event located in ``country`` (ACLED name, e.g. "Syria")."""
    lex = lexicon()
    ev = _event_cc(country, country_code) or _rule_part(mention.rule, "ctx")
    entry = _entry_of(mention)
    own = mention.country_code
    if entry is not None and entry.kind == "role":
        foreign = lex.foreign_forces.get(f"{own}@{ev}") if (own and ev and entry.role == "military") else None
        if foreign:
            return foreign
        cc = own or ev
        sub = _rule_part(mention.rule, "sub")
        if entry.role == "military" and sub in _CROWD_CONTROL and _SECURITY_FORCES.search(mention.span.text):
            # ACLED codes "security forces" dispersing, shooting at or arresting protesters as the police
            entry = lex.roles.get("police", entry)
        template = (
            (dict(entry.by_country).get(f"{cc}:{sub}") if cc and sub else None)
            or (entry.for_country(cc) if cc else None)
            or entry.name
        )
    elif entry is not None and entry.kind == "group":
        # a country the text gives the unit ("Turkish gendarmerie") decides; else the event's country
        key = own if "+country:" in mention.rule else (ev or own)
        template = (entry.for_country(key) if key else None) or entry.name
        if "{" not in template:
            return template
    else:
        template = mention.name
    cc = own or ev
    name = _expand(template, cc, lex, "" if cc in lex.countries else country)
    if "{" in name:  # no country at all: drop the placeholder rather than leak it
        name = _expand(name, "", lex, "International") if "({country})" in name else name
        name = re.sub(r"\{military\}", "Military Forces", name)
        name = re.sub(r"\{police\}", "Police Forces", name)
        name = re.sub(r"\{government\}", "Government", name)
    return name


def associated_name(label: str, country: str, country_code: str = "") -> str:
    """Fill an associated-actor label template, e.g. "Teachers ({country})" -> "Teachers (Iran)"."""
    if "{" not in label:
        return label
    lex = lexicon()
    cc = _event_cc(country, country_code)
    return _expand(label, cc, lex, "" if cc in lex.countries else (country or "International"))


def interaction_code(inter1: int | None, inter2: int | None = None) -> int:
    """ACLED interaction: both inter codes as two digits, lower first (1, 7 -> 17); one actor alone -> inter*10."""
    a, b = int(inter1 or 0), int(inter2 or 0)
    if a and b:
        return int(f"{min(a, b)}{max(a, b)}")
    return (a or b) * 10


# --- who acted on whom ---------------------------------------------------------------------------

_PASSIVE_BY = re.compile(
    r"\b(?:by|at the hands of|carried out by|claimed by|blamed on|attributed to)\s+(?:the\s+|a\s+|an\s+|suspected\s+|alleged\s+)*$",
    re.IGNORECASE,
)
_AGENT_SUFFIX = re.compile(
    r"^[-\s]*(?:planted|placed|laid|fired|launched|led|backed|controlled|triggered|detonated|operated)\b",
    re.IGNORECASE,
)
_BETWEEN = re.compile(r"\bbetween\s+(?:the\s+)?$", re.IGNORECASE)
# "between A and [Syrian and non-Syrian allied] B": words may qualify B after the joining "and"
_JOIN_LOOSE = re.compile(r"^[^.;()]{0,40}?(?:^|[\s,])(?:and|against|with|&)\s", re.IGNORECASE)
_SUPPORT = re.compile(
    r"\b(?:backed|supported|assisted|accompanied|aided|joined|reinforced|escorted|helped|covered|protected|"
    r"supervised|alongside|along with|together with|loyal to|allied with|in coordination with)\s+(?:by\s+)?"
    r"(?:the\s+|its\s+|their\s+|allied\s+|loyal(?:ist)?\s+|pro-government\s+|pro-regime\s+)*$",
    re.IGNORECASE,
)
_VERSUS = re.compile(r"^[^.;]{0,60}?\b(?:against|versus|vs)\b", re.IGNORECASE)
_ONE_HAND = re.compile(r"\bon (?:the )?one (?:hand|side)\b", re.IGNORECASE)
_PASSIVE_AUX = re.compile(
    r"\b(?:was|were|been|being|be|got|get|is|are)\s+(?:\w+ly\s+|not\s+|also\s+|all\s+|reportedly\s+)*$",
    re.IGNORECASE,
)
_TARGET_CUE = re.compile(
    r"\b(?:against|targeting|targeted|on|at|killing|killed|wounding|injuring|attacked|kidnapped|abducted)\s+(?:the\s+|a\s+|an\s+|two\s+|several\s+)*$",
    re.IGNORECASE,
)


def agent_and_patient(
    sentence_text: str,
    trigger_span: Span,
    actors: list[ActorMention],
    sentence_start: int | None = None,
) -> tuple[list[ActorMention], list[ActorMention]]:
    """Split the actors of one sentence into agents (actor1 side) and patients (actor2 side).

    Offsets of ``trigger_span`` and the mentions are article offsets; ``sentence_start`` is the
    sentence's article offset (inferred from the trigger text when not given). Rules, strongest first:
    passive agents ("killed by X", "at the hands of X", "X-planted IED"), "between X and Y",
    then position (before the trigger acts, after it suffers). Civilians are never agents when
    someone else can be. ACLED puts protesters first in protest events: the caller decides that.
    """
    if not actors:
        return [], []
    if sentence_start is None:
        k = sentence_text.find(trigger_span.text) if trigger_span.text else -1
        sentence_start = trigger_span.start - k if k >= 0 else min(a.span.start for a in actors)
    base = sentence_start
    ordered = sorted(actors, key=lambda a: a.span.start)

    def before(a: ActorMention) -> str:
        return sentence_text[max(0, a.span.start - base - 40) : max(0, a.span.start - base)]

    def between(a: ActorMention, b: ActorMention) -> str:
        return sentence_text[max(0, a.span.end - base) : max(0, b.span.start - base)]

    def after(a: ActorMention) -> str:
        return sentence_text[max(0, a.span.end - base) : max(0, a.span.end - base) + 20]

    # an unattributed bomb stands for its unknown planter only when nobody else can be the agent
    bombs = [a for a in ordered if a.role == "explosive"]
    if bombs and len(bombs) < len(ordered):
        ordered = [a for a in ordered if a.role != "explosive"]
    # "X, backed by Y, ..." : Y sides with X and takes no part in deciding the direction
    supporters = [a for a in ordered if _SUPPORT.search(before(a))]
    ordered = [a for a in ordered if a not in supporters] or ordered
    if len(ordered) == len(supporters):
        supporters = []
    agents: list[ActorMention] = []
    patients: list[ActorMention] = []
    passive = False
    marked = [a for a in ordered if _PASSIVE_BY.search(before(a)) or _AGENT_SUFFIX.match(after(a))]
    if marked:
        agents = marked
        patients = [a for a in ordered if a not in marked]
    else:
        # "A, backed by B, on one side and C on the other clashed"
        hand = _ONE_HAND.search(sentence_text)
        if hand is not None:
            agents = [a for a in ordered if a.span.start - base < hand.start()]
            patients = [a for a in ordered if a.span.start - base >= hand.start()]
            if not agents or not patients:
                agents, patients = [], []
        x = next((a for a in ordered if _BETWEEN.search(before(a))), None) if not agents else None
        if x is not None:
            later = [a for a in ordered if a.span.start > x.span.start]
            # "between A and B against C": A and B fight side by side, C is the other side
            prev = x
            versus = None
            for a in later:
                if _VERSUS.search(between(prev, a)):
                    versus = a
                    break
                prev = a
            if versus is not None:
                agents = [a for a in ordered if a.span.start < versus.span.start]
                patients = [a for a in ordered if a.span.start >= versus.span.start]
            elif later and _JOIN_LOOSE.match(between(x, later[0])):
                y = later[0]
                agents = [a for a in ordered if a.span.start < y.span.start]
                patients = [a for a in ordered if a.span.start >= y.span.start]
        trig_at = max(0, trigger_span.start - base)
        if not agents and not patients and _PASSIVE_AUX.search(sentence_text[max(0, trig_at - 30) : trig_at]):
            # "two soldiers were killed in IS attacks": the subject suffers, later actors act
            patients = [a for a in ordered if a.span.start < trigger_span.start]
            agents = [a for a in ordered if a.span.start >= trigger_span.start]
            passive = True
        if not agents and not patients:
            for a in ordered:
                if a.span.start < trigger_span.start and not _TARGET_CUE.search(before(a)):
                    agents.append(a)
                else:
                    patients.append(a)
    # civilians do not act in political violence when an armed actor is present
    armed_patients = [a for a in patients if a.inter not in (6, 7)]
    civ_agents = [a for a in agents if a.inter == 7]
    if civ_agents and (len(civ_agents) < len(agents) or armed_patients):
        agents = [a for a in agents if a.inter != 7]
        patients = sorted(patients + civ_agents, key=lambda a: a.span.start)
        if not agents and armed_patients:
            agents = armed_patients
            patients = [a for a in patients if a not in armed_patients]
    if not agents and bombs and len(bombs) < len(actors):
        agents = bombs[:1]
    if not agents and patients and not passive and not all(a.inter == 7 for a in patients):
        agents, patients = [patients[0]], patients[1:]
    for sup in supporters:
        principal = max(
            (a for a in agents + patients if a.span.start < sup.span.start),
            key=lambda a: a.span.start,
            default=None,
        )
        side = patients if principal is not None and principal in patients else agents
        side.append(sup)
    return agents, patients


# --- default conflict dyads --------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Dyad:
    country: str  # ISO2
    start: str  # ISO date, inclusive
    end: str
    sides: tuple[str, str]  # ACLED names or templates; the first is the usual attacker
    sub_event_types: frozenset[str]
    both_sides_for: frozenset[str] = frozenset()


@cache
def dyads() -> tuple[Dyad, ...]:
    """The default-dyad table (``actors_dyads.json``), loaded once."""
    out = []
    for d in read_json("actors_dyads.json").get("dyads", []):
        sides = tuple(d.get("sides", ()))
        if len(sides) != 2 or not d.get("country"):
            continue
        out.append(
            Dyad(
                d["country"],
                d.get("from", "0000-01-01"),
                d.get("to", "9999-12-31"),
                sides,
                frozenset(d.get("sub_event_types", ())),
                frozenset(d.get("both_sides_for", ())),
            )
        )
    return tuple(out)


def _dyad_for(country: str, event_date: str, sub_event_type: str) -> Dyad | None:
    cc = _event_cc(country, "")
    if not cc or len(event_date) < 10:
        return None
    for d in dyads():
        if d.country == cc and d.start <= event_date[:10] <= d.end and sub_event_type in d.sub_event_types:
            return d
    return None


def default_dyad(country: str, event_date: str, sub_event_type: str) -> tuple[str, str] | None:
    """The two parties of the dominant frontline in ``country`` on ``event_date``, if the table has one."""
    d = _dyad_for(country, event_date, sub_event_type)
    if d is None:
        return None
    cc, lex = d.country, lexicon()
    return _expand(d.sides[0], cc, lex), _expand(d.sides[1], cc, lex)


def apply_default_dyad(ev: Event) -> bool:
    """Name the unnamed side(s) of a frontline clash or shelling from the country's default dyad.

    Only sides the text left unnamed are touched: an implied perpetrator (evidence rule
    ``implied:...``) or an empty actor2 facing one party of the dyad. Returns whether it changed ``ev``.
    """
    pair = default_dyad(ev.country, ev.event_date, ev.sub_event_type)
    if pair is None:
        return False
    ev1 = ev.evidence.get("actor1")
    implied1 = not ev.actor1 or (ev1 is not None and ev1.rule.startswith("implied:"))
    changed = False
    if implied1 and not ev.actor2:
        d = _dyad_for(ev.country, ev.event_date, ev.sub_event_type)
        both = d is not None and ev.sub_event_type in d.both_sides_for
        ev.actor1, ev.actor2 = pair if both else (pair[0], "")
        if not both:
            ev.inter2 = None
        changed = True
    elif implied1 and ev.actor2 in pair:
        ev.actor1 = pair[1] if ev.actor2 == pair[0] else pair[0]
        changed = True
    elif not implied1 and not ev.actor2 and ev.actor1 in pair:
        ev.actor2 = pair[1] if ev.actor1 == pair[0] else pair[0]
        changed = True
    if not changed:
        return False
    rule = Evidence(rule="actors_dyads:default_frontline_dyad")
    for slot in (1, 2):
        name = getattr(ev, f"actor{slot}")
        if name in pair and (slot == 2 or implied1):
            setattr(ev, f"inter{slot}", actor_inter(name, 0) or None)
            ev.evidence[f"actor{slot}"] = rule
            ev.evidence[f"inter{slot}"] = Evidence(rule="actor_dictionary:inter")
    ev.interaction = interaction_code(ev.inter1, ev.inter2)
    ev.evidence["interaction"] = Evidence(rule="acled:interaction_from_inter_codes")
    return True


# --- whole-event conventions ------------------------------------------------------------------

_STATE_PREFIXES = ("Military Forces of ", "Police Forces of ", "Government of ")


@cache
def _of_names() -> tuple[tuple[str, str], ...]:
    """(of_name, code) pairs, longest first, so "the Democratic Republic of Congo" beats "Congo"."""
    pairs = {(c.of_name, c.code) for c in lexicon().countries.values()}
    return tuple(sorted(pairs, key=lambda p: -len(p[0])))


def state_country(name: str) -> str:
    """ISO2 of the state an ACLED state-force name belongs to ("Military Forces of Turkey (2016-)" -> TR)."""
    for prefix in _STATE_PREFIXES:
        if name.startswith(prefix):
            rest = name[len(prefix) :]
            for of_name, code in _of_names():
                if rest.startswith(of_name) and rest[len(of_name) : len(of_name) + 1] in ("", " "):
                    return code
    return ""


def external_inter(name: str, inter: int | None, country: str) -> int | None:
    """ACLED codes a state's forces acting outside its own territory as external forces (inter 8)."""
    if inter != 1 or not country:
        return inter
    own = state_country(name)
    ev = _event_cc(country, "")
    return 8 if own and ev and own != ev else inter


# Generic (unnamed) non-state actors: a fight with nobody else named is between two of them.
_GENERIC_NONSTATE = re.compile(
    r"^(?:Unidentified (?:Armed Group|Gang|Communal Militia|Clan Militia|Tribal Militia)\b|Militia \(|"
    r"\w[\w' -]* (?:Ethnic|Clan|Communal|Tribal) Militia \()"
)


def apply_same_kind_opponent(ev: Event) -> bool:
    """An armed clash that names one generic side only ("a shoot-out between gunmen", "two militia groups
    clashed") is coded by ACLED between two actors of that kind. Returns whether it changed ``ev``."""
    if ev.sub_event_type != "Armed clash" or not ev.actor1 or ev.actor2:
        return False
    if ev.inter1 not in (2, 3, 4) or not _GENERIC_NONSTATE.match(ev.actor1):
        return False
    ev.actor2, ev.inter2 = ev.actor1, ev.inter1
    ev.evidence["actor2"] = Evidence(rule="acled:clash_between_unnamed_groups_of_one_kind")
    ev.evidence["inter2"] = Evidence(rule="actor_dictionary:inter")
    return True


def finalize_actors(ev: Event) -> None:
    """Apply the conventions that need the whole event (country, date, both actors).

    Call once after actor1/actor2 are filled: names unnamed frontline sides from the default
    dyad table, gives a one-sided clash between generic groups its second side, recodes foreign
    state forces as external (inter 8), then recomputes interaction.
    """
    apply_default_dyad(ev)
    apply_same_kind_opponent(ev)
    for slot in (1, 2):
        name = getattr(ev, f"actor{slot}")
        inter = getattr(ev, f"inter{slot}")
        new = external_inter(name, inter, ev.country) if name else inter
        if new != inter:
            setattr(ev, f"inter{slot}", new)
            ev.evidence[f"inter{slot}"] = Evidence(
                ev.evidence.get(f"inter{slot}", Evidence()).spans, "acled:foreign_state_forces_external"
            )
    if ev.inter1 is not None:
        ev.interaction = interaction_code(ev.inter1, ev.inter2)
        ev.evidence["interaction"] = Evidence(rule="acled:interaction_from_inter_codes")


def fill_actors(ev: Event, roles: Roles) -> None:
    """Actor fields of ``ev`` from chosen roles, by ACLED's conventions: names from ``actor_name`` in
    the event's country, inter codes from the actor dictionary, associated actors, then
    ``finalize_actors`` (default dyads, external forces, interaction). The one way both the rules'
    coder and the learned refiner fill actors."""
    country = ev.country
    for slot, mention, rule in ((1, roles.actor1, roles.rule1), (2, roles.actor2, roles.rule2)):
        if mention is None:
            continue
        name = actor_name(mention, country, "")
        if not name or (slot == 2 and name == ev.actor1 and ev.inter1 != 5):  # rioters may fight rioters
            continue
        setattr(ev, f"actor{slot}", name)
        setattr(ev, f"inter{slot}", actor_inter(name, mention.inter))
        spans = [mention.span] if mention.span.end > mention.span.start else []
        ev.evidence[f"actor{slot}"] = Evidence(spans, rule or mention.rule)
        ev.evidence[f"inter{slot}"] = Evidence(spans, "actor_dictionary:inter")
        if mention.associated:
            setattr(ev, f"assoc_actor_{slot}", associated_name(mention.associated, country))
            ev.evidence[f"assoc_actor_{slot}"] = Evidence(spans, "actor_dictionary:associated")
    assoc: list[str] = []
    for a in roles.assoc1:
        n = actor_name(a, country, "")
        if n and n not in (ev.actor1, ev.actor2) and n not in assoc:
            assoc.append(n)
    if assoc:
        ev.assoc_actor_1 = "; ".join(([ev.assoc_actor_1] if ev.assoc_actor_1 else []) + assoc)
        ev.evidence["assoc_actor_1"] = Evidence([a.span for a in roles.assoc1], "same_side_as_actor1")
    if ev.inter1 is not None:
        ev.interaction = interaction_code(ev.inter1, ev.inter2 or 0)
        ev.evidence["interaction"] = Evidence(rule="acled:interaction_from_inter_codes")
    finalize_actors(ev)
