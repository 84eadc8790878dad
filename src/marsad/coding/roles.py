"""Who is actor1 and who is actor2, by ACLED's conventions for each event type.

ACLED fixes some slots by definition (the protesters of a protest are actor1;
the victims of violence against civilians are actor2, as civilians) and reads
the rest from the sentence: the agent of the trigger is actor1, its target
actor2. When the type implies a participant the text never names ("a crowd
marched", "a man was shot dead"), the actor is implied and its evidence is the
trigger span, with a rule saying so; ``actor_name`` names it from its role and the
event country (``actors_roles.json``: "unidentified_perpetrator" carries per-country defaults,
e.g. an unnamed killer in Mexico is an unidentified gang).

Every returned mention carries the frame's context country (``+ctx:CC``: from the frame's own
actors, else the country the article names most) and the event type (``+sub:...``), so a frame
whose place was not resolved still gets country-specific names instead of bare templates.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from marsad.coding.actors import agent_and_patient, with_context
from marsad.mentions.actors import article_profile, country_words
from marsad.model import ActorMention, Sentence, TriggerMention

ARMED = {1, 2, 3, 4, 8}


@dataclass
class Roles:
    actor1: ActorMention | None = None
    actor2: ActorMention | None = None
    rule1: str = ""
    rule2: str = ""
    assoc1: list[ActorMention] = field(default_factory=list)


def implied(role: str, inter: int, trigger: TriggerMention, rule: str) -> ActorMention:
    return ActorMention(span=trigger.span, name="", inter=inter, role=role, rule=rule)


def _dedupe(actors: list[ActorMention]) -> list[ActorMention]:
    """One mention per distinct actor, keeping the first; drop mentions nested in longer ones."""
    out: list[ActorMention] = []
    for a in sorted(actors, key=lambda a: (a.span.start, -(a.span.end - a.span.start))):
        if any(o.span.start <= a.span.start and a.span.end <= o.span.end for o in out):
            continue
        if any((o.name or o.role) == (a.name or a.role) and o.country_code == a.country_code for o in out):
            continue
        out.append(a)
    return out


def context_country(actors: list[ActorMention]) -> str:
    """The country the actors of a frame imply ("Iraqi forces", "HTS" -> SY): most mentioned, first on ties."""
    counts: dict[str, int] = {}
    for a in actors:
        if a.country_code:
            counts[a.country_code] = counts.get(a.country_code, 0) + 1
    return max(counts, key=lambda cc: counts[cc], default="")


# generic names an article uses for the armed group it has named ("the rebels" after "HTS launched...")
_GENERIC_ARMED = frozenset({"rebels", "militants", "islamists", "insurgents", "armed_group", "explosive"})
# unknown attackers ("gunmen", "a suicide bomber") take a group's name only when the article attributes
_UNATTRIBUTED = frozenset({"armed_group", "explosive"})
_NO_CLAIM = re.compile(r"\b(?:no|not|nobody|none|no one|yet to|never)\b[^.]*$", re.IGNORECASE)
_ATTRIBUTABLE = frozenset(
    {"Attack", "Abduction/forced disappearance", "Armed clash", "Looting/property destruction"}
)
_CLAIM = re.compile(
    r"\b(?:claimed|claims? of responsibility|responsibility for|blamed|carried out the|were behind|was behind)\b",
    re.IGNORECASE,
)


def _resolve_generic(actors: list[ActorMention], text: str, sub_event_type: str) -> list[ActorMention]:
    """Read "the rebels" as the armed group the article names most, when one clearly leads.

    "An offensive spearheaded by HTS ... the rebels took the airport" -> HTS: only when the frame
    names no armed group itself and the leader has more mentions than any other group. Unknown
    attackers ("a suicide bomber") take a group's name only when the article attributes the attack
    ("X claimed responsibility"), and then the frame's own group is preferred.
    """
    if not any(a.role in _GENERIC_ARMED for a in actors):
        return actors
    groups = article_profile(text).groups
    if not groups or (len(groups) > 1 and groups[1][1] >= groups[0][1]):
        return actors
    leader = groups[0][0]
    claimed = (sub_event_type in REMOTE or sub_event_type in _ATTRIBUTABLE) and any(
        not _NO_CLAIM.search(text[max(0, m.start() - 30) : m.start()]) for m in _CLAIM.finditer(text)
    )
    named = {
        a.rule.split("+", 1)[0].split(":")[1]
        for a in actors
        if a.rule.startswith("group:") and a.inter in (2, 3, 4)
    }
    if named:
        # "HTS clashed with rebels": generic rebels beside a named group are someone else
        if not claimed or leader.id.split(":")[1] not in named:
            return actors
        kinds = _UNATTRIBUTED
    else:
        kinds = _GENERIC_ARMED if claimed else _GENERIC_ARMED - _UNATTRIBUTED
    return [
        ActorMention(
            a.span, leader.name, leader.inter, leader.role, leader.cc, "", f"{leader.id}+coref:{a.role}"
        )
        if a.role in kinds
        else a
        for a in actors
    ]


# "..., police said", "according to the army": the source of the report, not a party to the event
_SPEECH_AFTER = re.compile(
    r"^\W{0,3}(?:said|say|says|told|reported|confirmed|stated|added|announced|quoted)\b", re.IGNORECASE
)
_ACCORDING_TO = re.compile(r"\baccording to (?:the |a |an )?(?:\w+ ){0,2}$", re.IGNORECASE)


def _without_speakers(actors: list[ActorMention], text: str) -> list[ActorMention]:
    """Drop actors named only as the speaker of the report, when the frame names anyone else."""
    keep = [
        a
        for a in actors
        if not (
            _SPEECH_AFTER.match(text[a.span.end : a.span.end + 24])
            or _ACCORDING_TO.search(text[max(0, a.span.start - 40) : a.span.start])
        )
    ]
    return keep if keep else actors


def assign_roles(
    sub_event_type: str,
    trigger: TriggerMention,
    sentence: Sentence,
    actors: list[ActorMention],
    text: str,
) -> Roles:
    """Pick actor1, actor2 and actor1's associates; each carries the frame's context country and type."""
    actors = _without_speakers(actors, text or "")
    actors = _resolve_generic(actors, text, sub_event_type)
    roles = _assign(sub_event_type, trigger, sentence, actors, text)
    cc = context_country(actors) or next(iter(country_words(text)), ("", 0))[0]

    def ctx(a: ActorMention | None) -> ActorMention | None:
        return with_context(a, cc, sub_event_type) if a is not None else None

    roles.actor1, roles.actor2 = ctx(roles.actor1), ctx(roles.actor2)
    roles.assoc1 = [with_context(a, cc, sub_event_type) for a in roles.assoc1]
    return roles


def _assign(
    sub_event_type: str,
    trigger: TriggerMention,
    sentence: Sentence,
    actors: list[ActorMention],
    text: str,
) -> Roles:
    actors = _dedupe(actors)
    by_role = {a.role: a for a in reversed(actors) if a.role}
    protesters = by_role.get("protesters")
    rioters = by_role.get("rioters")
    state = [a for a in actors if a.inter == 1]
    civilians = [a for a in actors if a.inter == 7]
    armed = [a for a in actors if a.inter in ARMED]

    if sub_event_type == "Peaceful protest":
        p = protesters or implied("protesters", 6, trigger, "implied:protest_trigger")
        return Roles(p, None, p.rule or "protesters")
    if sub_event_type in ("Protest with intervention", "Excessive force against protesters"):
        p = protesters or implied("protesters", 6, trigger, "implied:protest_trigger")
        force = (
            state[0]
            if state
            else (armed[0] if armed else implied("police", 1, trigger, "implied:intervention"))
        )
        return Roles(p, force, p.rule or "protesters", force.rule or "intervening_force")
    if sub_event_type in ("Violent demonstration", "Mob violence"):
        # "residents blocked the road with burning tyres": the people who riot are the rioters
        crowd = protesters or (
            None
            if rioters
            else next((a for a in civilians if sentence.start <= a.span.start < trigger.span.start), None)
        )
        r = rioters or (
            ActorMention(
                crowd.span,
                "",
                5,
                "rioters",
                crowd.country_code,
                crowd.associated,
                "protesters_turned_rioters",
            )
            if crowd
            else implied("rioters", 5, trigger, "implied:riot_trigger")
        )
        # "groups of villagers clashed": civilians named before the act are the crowd, not its
        # victims, unless the sentence is passive ("a man was beaten by a mob")
        passive = bool(
            _PASSIVE.search(text[max(sentence.start, trigger.span.start - 25) : trigger.span.start])
        )
        victims = [a for a in civilians if a is not crowd and (passive or a.span.start > trigger.span.start)]
        # the counterpart is the force that meets the crowd, else the people it targets
        other = (state or victims or [None])[0]
        if sub_event_type == "Mob violence":
            if other is None and _MUTUAL.search(sentence.text):
                # "two groups of villagers clashed over land": rioters on both sides
                other = replace(r, rule="mutual_clash")
            if other is None:
                other = implied("civilians", 7, trigger, "implied:mob_victims")
        return Roles(r, other, r.rule, other.rule if other else "")

    agents, patients = agent_and_patient(sentence.text, trigger.span, actors, sentence.start)

    if sub_event_type in ("Attack", "Sexual violence", "Abduction/forced disappearance"):
        perpetrator = next((a for a in agents + patients if a.inter in ARMED or a.inter == 5), None)
        if perpetrator is None:
            perpetrator = implied("unidentified_perpetrator", 3, trigger, "implied:unidentified_perpetrator")
        victim = next((a for a in patients + agents if a.inter == 7), None)
        if victim is None:
            victim = implied("civilians", 7, trigger, "acled:victims_are_civilians")
        return Roles(perpetrator, victim, perpetrator.rule or "agent", victim.rule or "victims")

    if sub_event_type == "Arrests":
        arrester = state[0] if state else implied("police", 1, trigger, "implied:arresting_force")
        arrested = next((a for a in actors if a is not arrester and a.inter != 1), None)
        return Roles(
            arrester, arrested, arrester.rule or "arresting_force", arrested.rule if arrested else ""
        )

    violent = sub_event_type in BATTLES or sub_event_type in REMOTE
    pool_agents = [a for a in agents if a.inter in ARMED] if violent else agents
    pool_patients = [a for a in patients if a.inter in ARMED] if sub_event_type in BATTLES else patients
    # the umbrella a force fights under ("factions operating under Operation X") leads its side
    umbrella = next(
        (a for a in pool_agents if _UMBRELLA.search(text[max(0, a.span.start - 40) : a.span.start])), None
    )
    if umbrella is not None:
        pool_agents = [umbrella] + [a for a in pool_agents if a is not umbrella]
    # civilians do not shell, bomb or fight: a struck restaurant's diners are the target, never actor1
    first_patient = next((a for a in pool_patients if not violent or a.inter in ARMED), None)
    a1 = next(iter(pool_agents), None) or first_patient
    a2 = next((a for a in pool_patients if a is not a1 and not same_actor(a, a1)), None)
    if a2 is None and sub_event_type in BATTLES:
        a2 = next(
            (
                a
                for a in pool_agents
                if a is not a1 and not same_actor(a, a1) and not a.rule.startswith("supported")
            ),
            None,
        )
    assoc = [a for a in pool_agents if a is not a1 and a is not a2 and not same_actor(a, a1)]
    if sub_event_type in BATTLES and a1 is not None and a2 is not None and _allies(a1, a2):
        # pro-government militias fight beside the state, never against it
        if a2.inter == 1:
            a1, a2 = a2, a1
        assoc = [a2] + [a for a in assoc if a is not a2]
        a2 = next(
            (
                a
                for a in pool_patients + pool_agents
                if a is not a1 and a not in assoc and not same_actor(a, a1) and not _allies(a1, a)
            ),
            None,
        )
    if sub_event_type == "Non-state actor overtakes territory" and a1 is not None and a1.inter == 1:
        a1, a2 = (a2, a1) if a2 is not None and a2.inter in (2, 3, 4) else (a1, a2)
    if (
        sub_event_type == "Government regains territory"
        and a2 is not None
        and a2.inter == 1
        and (a1 is None or a1.inter != 1)
    ):
        a1, a2 = a2, a1
    if a1 is None and sub_event_type in BATTLES:
        a1 = implied("armed_group", 3, trigger, "implied:unidentified_armed_group")
    if a1 is None and (sub_event_type in REMOTE or sub_event_type == "Looting/property destruction"):
        a1 = implied("unidentified_perpetrator", 3, trigger, "implied:unidentified_perpetrator")
    roles = Roles(a1, a2, a1.rule if a1 else "", a2.rule if a2 else "")
    roles.assoc1 = assoc
    return roles


_PASSIVE = re.compile(r"\b(?:was|were|been|being|got)\s+(?:\w+ly\s+)?$", re.IGNORECASE)
_MUTUAL = re.compile(
    r"\b(?:clash(?:ed|es)?|fought|brawl(?:ed)?|scuffled?)\b[^.]{0,30}\b(?:each other|one another|between)\b"
    r"|\bbetween (?:two|rival)\b|\b(?:two|rival) (?:groups|mobs|families|factions|sides)\b",
    re.IGNORECASE,
)
_UMBRELLA = re.compile(
    r"\b(?:(?:operating|fighting|acting|serving)\s+(?:under|within)|as part of|under the (?:banner|umbrella|command) of)"
    r"\s+(?:the\s+)?$",
    re.IGNORECASE,
)
BATTLES = {"Armed clash", "Government regains territory", "Non-state actor overtakes territory"}
REMOTE = {
    "Air/drone strike",
    "Shelling/artillery/missile attack",
    "Remote explosive/landmine/IED",
    "Grenade",
    "Suicide bomb",
    "Chemical weapon",
}


def _progov(a: ActorMention) -> bool:
    return a.role == "progov_militia" or a.name == "Militia (Pro-Government)"


def _allies(a: ActorMention, b: ActorMention) -> bool:
    """A state force and a pro-government militia of the same country are one side."""
    if not ((a.inter == 1 and _progov(b)) or (b.inter == 1 and _progov(a))):
        return False
    return not (a.country_code and b.country_code and a.country_code != b.country_code)


def same_actor(a: ActorMention | None, b: ActorMention | None) -> bool:
    if a is None or b is None:
        return False
    return (a.name or a.role) == (b.name or b.role) and (a.country_code or "") == (b.country_code or "")
