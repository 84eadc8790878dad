"""Actor coding: final ACLED actor names, inter and interaction codes, and who acted on whom.

``actor_name`` turns an ``ActorMention`` into the ACLED name for an event in a given country:
generic roles become "Military Forces of Syria (2000-)", "Civilians (Syria)"...; country-dependent
groups pick their country variant ("Islamic State" in Iraq -> "Islamic State (Iraq)"); a country
the text gives the actor ("Russian jets") wins over the event country.
"""

from __future__ import annotations

import re
from dataclasses import replace

from marsad.mentions.actors import Entry, _expand, actor_inter, lexicon
from marsad.model import ActorMention, Span
from marsad.text import fold

__all__ = [
    "actor_inter",
    "actor_name",
    "agent_and_patient",
    "associated_name",
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
    extra = (f"+ctx:{cc}" if cc and not mention.country_code else "") + (f"+sub:{sub_event_type}" if sub_event_type else "")
    if not extra:
        return mention
    return replace(mention, rule=mention.rule + extra)


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
_JOIN = re.compile(r"(?:^|[\s,])(?:and|against|with|&)\s+(?:the\s+)?$", re.IGNORECASE)
_SUPPORT = re.compile(
    r"\b(?:backed|supported|assisted|accompanied|aided|joined|reinforced|escorted|helped|covered|protected|"
    r"supervised|alongside|along with|together with|loyal to|allied with|in coordination with)\s+(?:by\s+)?(?:the\s+)?$",
    re.IGNORECASE,
)
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
        for x, y in zip(ordered, ordered[1:], strict=False):
            gap = sentence_text[max(0, x.span.end - base) : max(0, y.span.start - base)]
            if _BETWEEN.search(before(x)) and _JOIN.match(gap):
                agents = [x]
                patients = [y]
                rest = [a for a in ordered if a is not x and a is not y]
                for a in rest:
                    (agents if a.span.start < max(x.span.start, y.span.start) else patients).append(a)
                break
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
