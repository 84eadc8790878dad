"""Who is actor1 and who is actor2, by ACLED's conventions for each event type.

ACLED fixes some slots by definition (the protesters of a protest are actor1;
the victims of violence against civilians are actor2, as civilians) and reads
the rest from the sentence: the agent of the trigger is actor1, its target
actor2. When the type implies a participant the text never names ("a crowd
marched", "a man was shot dead"), the actor is implied and its evidence is the
trigger span, with a rule saying so.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from marsad.coding.actors import agent_and_patient, with_context
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


def assign_roles(
    sub_event_type: str,
    trigger: TriggerMention,
    sentence: Sentence,
    actors: list[ActorMention],
    text: str,
) -> Roles:
    """Pick actor1, actor2 and actor1's associates; each carries the frame's context country and type."""
    roles = _assign(sub_event_type, trigger, sentence, actors, text)
    cc = context_country(actors)

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
        r = rioters or (
            ActorMention(
                protesters.span,
                "",
                5,
                "rioters",
                protesters.country_code,
                protesters.associated,
                "protesters_turned_rioters",
            )
            if protesters
            else implied("rioters", 5, trigger, "implied:riot_trigger")
        )
        other = (state or civilians or [None])[0]
        if other is None and sub_event_type == "Mob violence":
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
    a1 = next(iter(pool_agents), None) or next(iter(pool_patients), None)
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
    if sub_event_type == "Non-state actor overtakes territory" and a1 is not None and a1.inter == 1:
        a1, a2 = (a2, a1) if a2 is not None and a2.inter in (2, 3, 4) else (a1, a2)
    if (
        sub_event_type == "Government regains territory"
        and a2 is not None
        and a2.inter == 1
        and (a1 is None or a1.inter != 1)
    ):
        a1, a2 = a2, a1
    if a1 is None and violent:
        a1 = implied("armed_group", 3, trigger, "implied:unidentified_armed_group")
    if a1 is None and sub_event_type == "Looting/property destruction":
        a1 = implied("unidentified_perpetrator", 3, trigger, "implied:unidentified_perpetrator")
    roles = Roles(a1, a2, a1.rule if a1 else "", a2.rule if a2 else "")
    roles.assoc1 = assoc
    return roles


BATTLES = {"Armed clash", "Government regains territory", "Non-state actor overtakes territory"}
REMOTE = {
    "Air/drone strike",
    "Shelling/artillery/missile attack",
    "Remote explosive/landmine/IED",
    "Grenade",
    "Suicide bomb",
    "Chemical weapon",
}


def same_actor(a: ActorMention | None, b: ActorMention | None) -> bool:
    if a is None or b is None:
        return False
    return (a.name or a.role) == (b.name or b.role) and (a.country_code or "") == (b.country_code or "")
