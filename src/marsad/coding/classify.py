"""Sub-event classification: a trigger plus its frame -> one of ACLED's 25 sub-event types.

``classify`` resolves a trigger (a lexicon cue, possibly a generic class such as
``violence_generic``) using the other triggers of its sentence, the actors found
there (``ActorMention.inter``/``role``) and word groups from the trigger lexicon
(``context`` in ``triggers.json``) standing in for actors the actor finder missed.
It returns the type and the name of the rule that decided it, so every decision
can be explained.

The rules follow the ACLED codebook:
- ground fighting in the frame makes shelling or air strikes part of an Armed clash;
  territory changing hands through fighting beats the clash;
- a killing of civilians is an Attack, of soldiers/fighters an Armed clash, by a
  crowd Mob violence;
- a protest's outcome decides its type: lethal force -> Excessive force,
  protester violence -> Violent demonstration, dispersal/arrests -> intervention;
- arrests by non-state actors are abductions.

``salience`` ranks candidates so the article's primary event comes first.
"""

from __future__ import annotations

import re
from functools import cache

from marsad.knowledge import taxonomy
from marsad.mentions.triggers import GENERIC_CLASSES, cue_pattern, lexicon
from marsad.model import ActorMention, Sentence, TriggerMention

AC = "Armed clash"
GRT = "Government regains territory"
NSA = "Non-state actor overtakes territory"
NVT = "Non-violent transfer of territory"
ATTACK = "Attack"
PP = "Peaceful protest"
PWI = "Protest with intervention"
EXF = "Excessive force against protesters"
VD = "Violent demonstration"
MOB = "Mob violence"
ABD = "Abduction/forced disappearance"
ARR = "Arrests"
SEX = "Sexual violence"
LOOT = "Looting/property destruction"
SHL = "Shelling/artillery/missile attack"
IED = "Remote explosive/landmine/IED"

REMOTE = ("Chemical weapon", "Suicide bomb", "Air/drone strike", IED, "Grenade", SHL)
STRATEGIC = (
    "Agreement",
    ARR,
    "Change to group/activity",
    "Disrupted weapons use",
    "Headquarters or base established",
    LOOT,
    NVT,
    "Other",
)
_INDIRECT = re.compile(r"\b(?:mortars?|artillery|rockets?|missiles?|shells?|howitzers?|tanks?)\b", re.I)
_ONE_SIDED = re.compile(r"\b(?:ambush\w*|storm\w*|gunfire|firing|assault\w*|raid\w*|attack\w*)", re.I)
_OBLIQUE = re.compile(
    r"\b(?:with|against|from|versus|vs|targeting|on|by|backed by|supported by|alongside|and)\s+(?:the\s+|\w+\s+)?$",
    re.I,
)
_PEOPLE = re.compile(
    r"\b(?:militants|fighters|soldiers|members|people|civilians|men|women|persons|rebels|insurgents|troops|"
    r"policemen|officers|gunmen|suspects|commanders?|leaders?)\b\W+(?:\w+\W+){0,5}(?:were|was|been|or|and)\W+(?:\w+\W+)?$",
    re.I,
)
_CLAUSE_OPEN = re.compile(
    r"\b(?:that|said|says|reported|confirmed|claimed|stated|announced|according to)\b|[;:]|,\s*(?:and|while|as|when|after)\b",
    re.I,
)
_STATE_INTERS = {1}
_FOUND = re.compile(r"\b(?:bod(?:y|ies)|found|discovered|recovered|remains|dumped)\b", re.I)
# Combat around a suicide attack (besides the context word groups): other weapons fired in the same fight.
_COMBAT = re.compile(
    r"\b(?:fired (?:at|on|upon)|rockets?|artillery|atgms?|anti[- ]tank|air ?raids?|air ?strikes?|shelling|infiltrat\w+|"
    r"stormed|clashed|clashes)\b",
    re.I,
)
_ARMED_INTERS = {1, 2, 3, 4, 8}
# Forces off duty or out of service: ACLED counts them as civilians.
_OFF_DUTY = re.compile(
    r"\b(?:off[- ]duty|(?:former|ex-?|retired)\s+(?:\w+\s+)?(?:soldiers?|policem[ae]n|police officers?|officers?|"
    r"bodyguards?|guards?|servicem[ae]n|members? of the (?:army|police|security forces)|army officers?|commanders?))",
    re.I,
)
# A bomb carried, planted or rigged by the people shot: their attribute, not the attack
_PLANTER = re.compile(
    r"(?<![-\w])(?:planting|to plant|rigged with|laden with|carrying|transporting|laying|to lay|placing|to place)\W+"
    r"(?:\w+\W+){0,2}$",
    re.I,
)
# Cues that report one side's fire (not a two-sided fight): "fired ... at the positions", "bursts of fire".
_ONE_WAY_FIRE = re.compile(
    r"^(?:fired|firing|bursts? of|(?:heavy )?machine.?gun fire|grenade launchers?|rpg|rocket.propelled)", re.I
)
# How much text after the sentence may still describe the same protest/battle ("Police later dispersed them.").
_FOLLOW_CHARS = 300
_BY_AGENT = re.compile(r"^\W*(?:\w+\W+){0,3}?by\b", re.IGNORECASE)
_PASSIVE = re.compile(r"\b(?:was|were|been|being|is|are)\s+(?:\w+\s+)?$", re.IGNORECASE)


_LIVE_FIRE = re.compile(
    r"(?:opened fire|open fire|fired (?:on|at|upon|into|live)|shot (?:dead|and killed))", re.I
)


_RIOT_GAS = re.compile(
    r"\b(?:tear_?gas|teargas|pepper spray|water cannons?|protest\w*|demonstrat\w*|crowds?)\b", re.I
)


def _riot_control_gas(trigger: TriggerMention, frame: list[TriggerMention], window: str) -> bool:
    """Symptoms of tear gas at a protest ("leaving dozens choking") are not a chemical weapon attack."""
    chem = [t for t in [*frame, trigger] if t.sub_event_type == "Chemical weapon"]
    return all(t.cue == "chemical_symptom" for t in chem) and _RIOT_GAS.search(window) is not None


def _accident(t: TriggerMention) -> bool:
    return t.cue in ("accident_explicit", "depot_accident") or (
        t.cue == "other" and t.span.text.lower().startswith("accidental")
    )


@cache
def _labels() -> dict[str, str]:
    """Lower-case sub-event type -> type, for notes that start with an explicit label ("Arrests: ...")."""
    return {t.lower(): t for t in taxonomy().sub_event_types}


def _has(group: str, s: str) -> bool:
    return lexicon().context[group].search(s) is not None


def _find(group: str, s: str) -> list[re.Match[str]]:
    return list(lexicon().context[group].finditer(s))


def _live(triggers: list[TriggerMention], exclude: TriggerMention | None = None) -> list[TriggerMention]:
    return [t for t in triggers if not t.negated and not t.hypothetical and t is not exclude]


def _follow(text: str, sentence: Sentence) -> str:
    """The sentence plus what follows it in the same paragraph (outcomes are often told next)."""
    tail = text[sentence.end : sentence.end + _FOLLOW_CHARS]
    cut = tail.find("\n\n")
    if cut >= 0:
        tail = tail[:cut]
    return sentence.text + tail


def classify(
    trigger: TriggerMention,
    sentence: Sentence,
    triggers_in_sentence: list[TriggerMention],
    actors: list[ActorMention],
    text: str,
) -> tuple[str, str]:
    """ACLED sub-event type of ``trigger`` in its sentence, and the rule that decided it."""
    if trigger is None or sentence is None:
        raise ValueError("classify needs a trigger and its sentence")
    text = text or ""
    frame = _live(triggers_in_sentence or [], exclude=trigger)
    types = {t.sub_event_type for t in frame} | {trigger.sub_event_type}
    sent_actors = [a for a in actors or [] if sentence.start <= a.span.start < sentence.end]
    s = sentence.text
    label = _explicit_label(s)
    if label:
        return label, "explicit_label"
    kind = trigger.sub_event_type

    # Overriding types (ACLED precedence): chemical, suicide and sexual violence win whatever else happened.
    if "Chemical weapon" in types:
        if not _riot_control_gas(trigger, frame, _follow(text, sentence)):
            return "Chemical weapon", "frame:chemical_weapon"
        if trigger.cue == "chemical_symptom":
            others = [t for t in frame if t.sub_event_type != "Chemical weapon"]
            if not others:
                return "Other", "riot_control_gas_symptoms"
            best = max(others, key=lambda t: t.weight)
            rest = [t for t in triggers_in_sentence if t is not trigger]
            return classify(best, sentence, rest, actors, text)
    if kind in (*REMOTE, "clash_generic", "violence_generic") and _has("chemical_agent", trigger.span.text):
        # "fired shells containing chlorine gas at their positions": one long fire cue naming the agent
        return "Chemical weapon", "chemical_agent_in_cue"
    if "Suicide bomb" in types:
        # a suicide attack opening a ground battle is coded as the battle (ACLED)
        window = _follow(text, sentence)
        # the paragraph around it: a suicide vehicle sent against positions amid rockets, raids or gunfire
        # is one move of a battle (ACLED codes the battle)
        around = text[max(0, sentence.start - _FOLLOW_CHARS) : sentence.start] + window
        in_battle = any(t.cue == "clash" for t in frame) or (
            _has("armed_victim", around)
            and (_has("armed_combat_weapons", around) or _COMBAT.search(around) is not None)
        )
        if _suicide_device_stopped(frame, trigger, text):
            return "Disrupted weapons use", "suicide_device_stopped"
        if not in_battle and not _suicide_bomber_killed(frame, trigger, text):
            return "Suicide bomb", "frame:suicide_bomb"
        if kind == "Suicide bomb":
            return AC, "suicide_attack_within_battle"
    if kind == "Agreement":
        moves = [t for t in frame if t.sub_event_type in ("territory_generic", NVT)]
        if moves:
            # "under a deal brokered by elders, the fighters left the town": the handover is the event
            rest = [t for t in triggers_in_sentence if t is not trigger]
            return classify(moves[0], sentence, rest, actors, text)
    if trigger.cue in (
        "kill",
        "harm",
        "death",
        "explosion",
        "shelling",
        "shelling_weak",
        "ied",
        "grenade",
    ) and any(_accident(t) for t in frame):
        # "an accidental explosion at the barracks injured four soldiers": no attacker, no battle
        return "Other", "accident_casualties"
    if (
        trigger.cue == "kill"
        and any(t.cue == "mass_grave" for t in frame)
        and _FOUND.search(trigger.span.text)
    ):
        # "a mass grave with 17 bodies was found": the discovery is the event (ACLED: Other)
        return "Other", "mass_grave_found"
    outcome = _outcome_of_violence(trigger, frame, s, text)
    if outcome is not None:
        return outcome
    protest_here = any(t.sub_event_type == "protest_generic" for t in [*frame, trigger])
    if SEX in types and kind in (SEX, "violence_generic", ABD) and not protest_here:
        return SEX, "frame:sexual_violence"

    if kind == SEX and protest_here:
        return _protest_outcome(trigger, frame, sent_actors, _follow(text, sentence), text)
    if trigger.cue == "protest_weak" and _agent(trigger, sentence, sent_actors, text) in (
        "state",
        "nonstate",
    ):
        # "soldiers blocked the road": a security measure, not claim-making
        return "Other", "blockade_by_armed_actor"
    if kind == "protest_generic" and _cause(trigger, text):
        # "police arrested dozens after violent protests over ...": the protest is the earlier cause
        acts = [t for t in frame if t.sub_event_type == "arrest_generic" and not _cause(t, text)]
        if acts:
            return classify(
                acts[0], sentence, [t for t in triggers_in_sentence if t is not trigger], actors, text
            )
    if kind == "protest_generic" or kind in (PP, PWI, EXF):
        return _protest_outcome(trigger, frame, sent_actors, _follow(text, sentence), text)
    if kind == "lethal_force_generic":
        if _protest_frame(types, s, sent_actors) or _has("protest_actor", s):
            if _rioting(frame) or _has("riot_violence", s) or any(a.inter == 5 for a in sent_actors):
                return VD, "lethal_force_against_rioters"
            return EXF, "lethal_force_at_protest"
        return _violence(trigger, frame, types, sent_actors, text, sentence)
    if kind == "intervention_generic":
        if "riot_generic" in types or _has("riot_violence", s):
            return VD, "intervention_against_rioters"
        if not _gathering(types, _follow(text, sentence), sent_actors):
            if re.search(r"air$|warning shots", trigger.span.text, re.I):
                # shots into the air at a border or a patrol: a show of force, nobody targeted
                return "Other", "warning_shots_without_gathering"
            # "soldiers fired rubber bullets at fishermen": force against people who were not assembled
            return _victims(trigger, sentence, sent_actors, text)[0], "less_lethal_force_without_gathering"
        return PWI, "intervention_against_gathering"
    if kind in ("riot_generic", VD):
        return _riot(types, s, sent_actors, trigger)
    if kind == MOB:
        if _protest_frame(types, s, sent_actors) and not _has("communal", s):
            return VD, "mob_at_protest"
        if _has("grievance", s) and _has("riot_violence", s) and not _has("communal", s):
            return VD, "mob_with_demands"
        return MOB, "cue:mob"
    if kind == "territory_generic" or kind == NVT:
        if trigger.cue != "territory_retake" and not any(t.cue == "clash" for t in frame):
            # "herdsmen invaded the village and killed 30 residents in their homes": a raid on civilians
            kills = [t for t in frame if t.cue in ("kill", "harm", "shot")]
            if kills and _victim_class(kills[0], sentence)[0] == "civilian":
                return _victims(kills[0], sentence, sent_actors, text)
        if trigger.cue == "territory_enter":
            others = [t for t in frame if t.sub_event_type not in ("territory_generic", NVT)]
            if others:
                # "troops entered the village and detained 70 men": a raid, told by what was done there
                best = min(
                    others,
                    key=lambda t: (
                        taxonomy().rank(t.sub_event_type)
                        if t.sub_event_type in taxonomy().event_type_of
                        else 99
                    ),
                )
                return classify(
                    best, sentence, [t for t in triggers_in_sentence if t is not trigger], actors, text
                )
        return _territory(trigger, frame, types, sent_actors, text, sentence)
    if kind in REMOTE:
        return _remote(trigger, frame, types, s, sent_actors, text, sentence)
    if kind == "clash_generic":
        return _clash(trigger, frame, types, s, sent_actors, text, sentence)
    if kind == "violence_generic":
        return _violence(trigger, frame, types, sent_actors, text, sentence)
    if kind == "arrest_generic":
        if any(t.cue == "coup" for t in frame):
            return "Other", "arrest_during_coup"
        # an arrest is a protest event only when there is a gathering, not merely activists; protests
        # named as the cause ("arrested ... after violent protests over ...") are an earlier event
        protests = [t for t in frame if t.sub_event_type in ("protest_generic", PP) and not _cause(t, text)]
        # "rounded up activists ahead of a planned rally": the gathering has not happened yet
        planned = any(
            t.sub_event_type == "protest_generic" and t.hypothetical for t in triggers_in_sentence or []
        )
        if protests or (_has("gathering", s) and not planned and not any(_cause(t, text) for t in frame)):
            return PWI, "arrests_at_protest"
        violent = [t for t in frame if t.cue in ("kill", "clash") or t.sub_event_type in REMOTE]
        if violent:
            # "killing five militants and arresting eight": the arrests are part of the fighting
            return classify(violent[0], sentence, triggers_in_sentence, actors, text)
        agent = _agent(trigger, sentence, sent_actors, text)
        if agent == "nonstate":
            if _victim_class(trigger, sentence)[0] == "armed":
                # "HTS fighters arrested four IS members": one armed group seizing another's men
                return AC, "non_state_arrest_of_combatants"
            return ABD, "arrest_by_non_state_actor"
        return ARR, "arrest_by_state" if agent == "state" else "arrest_default_state"
    if kind == ABD:
        if any(t.sub_event_type == "protest_generic" for t in frame):
            return _protest_outcome(trigger, frame, sent_actors, _follow(text, sentence), text)
        if any(t.cue == "clash" for t in frame):
            return AC, "abduction_during_battle"
        kills = [t for t in frame if t.cue == "kill"]
        if kills:
            return _victims(kills[0], sentence, sent_actors, text)
        if _abductees_released(trigger, sentence):
            # "the abducted passengers were released": the release is the news, the abduction is earlier
            return "Other", "abductees_released"
        victim, _ = _victim_class(trigger, sentence)
        if victim == "armed":
            return AC, "abduction_of_combatants"
        return ABD, "cue:abduction"
    if kind == LOOT:
        if _protest_frame(types, s, sent_actors) or "riot_generic" in types:
            return VD, "destruction_by_demonstrators"
        if MOB in types:
            return MOB, "destruction_by_mob"
        return LOOT, "cue:looting_destruction"
    if kind in GENERIC_CLASSES:  # a generic class without a rule: treat as an unqualified attack
        return ATTACK, f"generic_default:{kind}"
    return kind, f"cue:{trigger.cue or _slug(kind)}"


# "villagers fled following clashes", "a base set up due to continued attacks": violence named as a cause
_CAUSE_BEFORE = re.compile(
    r"\b(?:following|after|amid|due to|because of|in response to|owing to|fleeing|fled|flee|escaping|"
    r"to (?:protect|shield|secure) (?:\w+ ){0,4}(?:from|against)|against (?:continued|repeated|recent|frequent))"
    r"\W+(?:\w+\W+){0,5}$",
    re.I,
)
_CAUSES_AFTER = re.compile(
    r"^\W*(?:\w+\W+){0,8}?(?:forced|forcing|displac\w+|drove|driving|caused|causing|prompted|prompting)\b",
    re.I,
)
_VIOLENT_KINDS = ("clash_generic", "violence_generic", "territory_generic", "riot_generic")


_AFTER_CAUSE = re.compile(
    r"\b(?:after|following|over|since|in connection with|in the wake of)\W+(?:\w+\W+){0,3}$", re.I
)


def _cause(t: TriggerMention, text: str) -> bool:
    """A trigger told as the earlier cause of the event ("after violent protests", "following clashes")."""
    return _AFTER_CAUSE.search(text[max(0, t.span.start - 40) : t.span.start]) is not None


def _outcome_of_violence(
    trigger: TriggerMention, frame: list[TriggerMention], s: str, text: str
) -> tuple[str, str] | None:
    """A strategic development reported together with the violence that caused it.

    ACLED codes displacement after fighting as Other, and a base set up because of attacks as
    Headquarters or base established, when the note's own event is the outcome; killings in the
    same sentence keep it a violent event.
    """
    if trigger.sub_event_type not in _VIOLENT_KINDS or any(t.cue in ("kill",) for t in [*frame, trigger]):
        return None
    before = text[max(0, trigger.span.start - 70) : trigger.span.start]
    after = text[trigger.span.end : trigger.span.end + 90]
    caused = _CAUSE_BEFORE.search(before) is not None or _CAUSES_AFTER.search(after) is not None
    if not caused:
        return None
    if any(t.sub_event_type == "Headquarters or base established" for t in frame):
        return "Headquarters or base established", "base_set_up_because_of_violence"
    if any(t.cue == "restriction" for t in frame):
        return "Other", "restriction_imposed_because_of_violence"
    if _has("displacement", s) and not _has("lethal_force", s):
        return "Other", "displacement_caused_by_violence"
    return None


def _suicide_device_stopped(frame: list[TriggerMention], trigger: TriggerMention, text: str) -> bool:
    """'forces destroyed a suicide car bomb before it reached them': the weapon was neutralised."""
    sui = [t for t in [*frame, trigger] if t.sub_event_type == "Suicide bomb"]
    return bool(sui) and all(
        re.search(r"vbieds?$|car bombs?$|truck bombs?$|vests?$|belts?$", t.span.text, re.I)
        and re.search(
            r"\b(?:destroyed|stopped|intercepted|neutrali[sz]ed|defused|dismantled|foiled|thwarted|seized|captured|"
            r"found|discovered)\W+(?:\w+\W+){0,4}$",
            text[max(0, t.span.start - 60) : t.span.start],
            re.I,
        )
        for t in sui
    )


def _suicide_bomber_killed(frame: list[TriggerMention], trigger: TriggerMention, text: str) -> bool:
    """'forces killed two suicide bombers': the forces engaged the attackers (a battle), or no bombing took place."""
    sui = [t for t in [*frame, trigger] if t.sub_event_type == "Suicide bomb"]
    # any bomber shot by the forces means they engaged the attackers
    return any(
        re.search(r"bombers?$|attackers?$", t.span.text, re.I)
        and re.search(
            r"\b(?:killed|shot|arrested|captured|intercepted|neutrali[sz]ed)\W+(?:\w+\W+){0,4}$",
            text[max(0, t.span.start - 60) : t.span.start],
            re.I,
        )
        for t in sui
    )


# An abduction named as the captives' description: "twenty abducted pupils", "the men they seized",
# "children abducted from a school last month have been released".
_ATTRIBUTIVE = re.compile(
    r"(?:\b(?:the|all|those|of|\d+|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|\w+teen|twenty|"
    r"thirty|forty|fifty|sixty|seventy|eighty|ninety|\w+-\w+|dozens of|hundreds of|scores of))\s+$",
    re.I,
)
_REDUCED_RELATIVE = re.compile(r"^\s+(?:from|in|by|during|last|earlier|on)\b", re.I)


def _abductees_released(trigger: TriggerMention, sentence: Sentence) -> bool:
    """Is the sentence about captives being freed, the abduction only describing them?"""
    s = sentence.text
    releases = _find("release", s)
    if not releases:
        return False
    pos = trigger.span.start - sentence.start
    end = trigger.span.end - sentence.start
    if releases[0].start() < pos or re.search(
        r"(?:kidnappers|abductors|captors|hostage.takers)$", trigger.span.text, re.I
    ):
        return True  # "kidnappers freed the 12 students they seized last week"
    if _ATTRIBUTIVE.search(s[:pos]):
        return True
    return (
        _REDUCED_RELATIVE.match(s[end:]) is not None
        and re.search(r"\b(?:were|was|been)\b", releases[0].group()) is not None
    )


def _slug(t: str) -> str:
    return re.sub(r"[^a-z]+", "_", t.lower()).strip("_")


def _explicit_label(s: str) -> str | None:
    """A sentence opening with a sub-event type name and a colon ("Looting: ...") states its type."""
    head, sep, _ = s.partition(":")
    if not sep or len(head) > 40:
        return None
    return _labels().get(head.strip().lower())


_GATHERING = re.compile(
    r"\b(?:protest\w*|demonstrat\w*|rall(?:y|ies)|march(?:ed|es|ers)?|crowds?|gathering|gathered|assembl\w+|"
    r"sit[- ]ins?|mobs?|rioters?|strikers?|picket\w*|disperse[ds]?|dispersing|dispersal|broke up)\b",
    re.I,
)


def _gathering(types: set[str], window: str, actors: list[ActorMention]) -> bool:
    """Is there an assembly in view for crowd-control weapons to be used against?"""
    return _protest_frame(types, window, actors) or _GATHERING.search(window) is not None


def _protest_frame(types: set[str], s: str, actors: list[ActorMention]) -> bool:
    if "protest_generic" in types or PP in types:
        return True
    if any(a.inter == 6 or a.role == "protesters" for a in actors):
        return True
    return False


def _protest_outcome(
    trigger: TriggerMention,
    frame: list[TriggerMention],
    actors: list[ActorMention],
    window: str,
    window_text: str,
) -> tuple[str, str]:
    types = {t.sub_event_type for t in frame}
    # Killings are often the reason for a protest ("protest over the killing of ..."): only force
    # used against the protesters counts, and violent protesters make it a violent demonstration.
    rioting = (
        _rioting(frame) or VD in types or _has("riot_violence", window) or any(a.inter == 5 for a in actors)
    )
    lethal = "lethal_force_generic" in types or cue_pattern("lethal_force").search(window) is not None
    if not lethal and _state_near(window, actors):
        # "police shot dead two people during the demonstration" (but not "a protest over the killing of ...")
        lethal = any(t.cue == "kill" and not _is_reason(t, window_text) for t in frame)
        # "three were killed when police opened fire on worshippers chanting slogans": the shooting is the force
        lethal = lethal or (
            any(t.cue == "kill" for t in frame)
            and any(t.cue in ("harm", "shot") and _LIVE_FIRE.match(t.span.text) for t in frame)
        )
    if lethal and not rioting:
        return EXF, "protest+lethal_force"
    if rioting:
        return VD, "protest+protester_violence"
    # an arrest word alone is not enough: protests are often *about* an arrest
    if "intervention_generic" in types or _dispersal(window):
        return PWI, "protest+intervention"
    return PP, "protest:no_intervention"


# "demanded the release of activists who were detained last week": the arrest is the grievance, not the outcome
_GRIEVANCE_BEFORE = re.compile(
    r"\b(?:who|whom|that|release of|releasing|free|freeing|detention of|arrest of|over|against|demand\w*|"
    r"condemn\w*|denounc\w*|protest\w*)\W+(?:\w+\W+){0,5}$",
    re.I,
)


def _dispersal(window: str) -> bool:
    """Force or arrests used on the gathering (not arrests the protesters complain about)."""
    for m in lexicon().context["dispersal"].finditer(window):
        if re.match(r"(?:arrest|detain|were|was|been|\w+ (?:were|was|been))", m.group(), re.I) or re.search(
            r"(?:arrested|detained)$", m.group(), re.I
        ):
            if _GRIEVANCE_BEFORE.search(window[max(0, m.start() - 60) : m.start()]):
                continue
        return True
    return False


_REASON = re.compile(
    r"\b(?:over|against|after|following|about|condemn\w*|denounc\w*|protest\w*|demonstrat\w*|"
    r"for|to demand|demanding|justice for|answers? (?:for|over)|who|people|persons|those|victims|families|"
    r"relation to|connection with|inquiry|probe|investigation|arrest of|commemorat\w+|anniversary)\W+(?:\w+\W+){0,8}$",
    re.I,
)


# "unrest spread", "amid unrest": a word for the situation, not for what the protesters did
_SITUATION = re.compile(r"^(?:unrest|turmoil)$", re.I)


def _rioting(frame: list[TriggerMention]) -> bool:
    return any(t.sub_event_type == "riot_generic" and not _SITUATION.match(t.span.text) for t in frame)


def _is_reason(trigger: TriggerMention, text: str) -> bool:
    """A killing the protest is *about* ("protest over the killing of a student"), not one at it."""
    return _REASON.search(text[max(0, trigger.span.start - 60) : trigger.span.start]) is not None


def _state_near(window: str, actors: list[ActorMention]) -> bool:
    return any(a.inter in _STATE_INTERS for a in actors) or _has("state_agent", window)


_DAMAGE_ONLY = re.compile(r"^(?:vandali|smash|ransack)", re.I)


def _riot(
    types: set[str], s: str, actors: list[ActorMention], trigger: TriggerMention | None = None
) -> tuple[str, str]:
    if _protest_frame(types, s, actors) or _has("protest_actor", s):
        return VD, "riot_by_demonstrators"
    if _has("grievance", s):
        return VD, "riot_with_demands"
    if MOB in types or (_has("communal", s) and not _has("protest_actor", s)):
        return MOB, "riot_communal_or_mob"
    if _has("nonstate_agent", s) or any(a.inter in (2, 3, 4, 8) for a in actors):
        return LOOT, "destruction_by_armed_group"
    if trigger is not None and _DAMAGE_ONLY.match(trigger.span.text) and not _has("mob_actor", s):
        # "vandals smashed the office": damage by a few people, no crowd and nobody hurt
        return LOOT, "vandalism_without_crowd"
    # rioting with no demonstration in sight: ACLED's mob violence
    return MOB, "riot_without_demonstration"


# A handover or entry told as peaceful: no battle whatever fighting words appear nearby ("with no fighting reported")
_NO_FIGHT = re.compile(
    r"\b(?:without (?:a |any )?(?:single )?(?:fight|fighting|resistance|clashes|shots?|bloodshed|a shot being fired)|"
    r"(?:with )?no (?:fighting|clashes|resistance|shots?)(?: (?:were |was )?(?:reported|fired))?|unopposed|"
    r"handed (?:\w+ ){0,3}over)\b",
    re.I,
)
_RETAKE_WORD = re.compile(r"(?:regained|retook|retaken|retake|recaptured|reclaimed|restored)\b", re.I)


def _territory(
    trigger: TriggerMention,
    frame: list[TriggerMention],
    types: set[str],
    actors: list[ActorMention],
    text: str,
    sentence: Sentence,
) -> tuple[str, str]:
    window = _follow(text, sentence)
    fighting = any(t.sub_event_type in ("clash_generic", *REMOTE) for t in frame) or _has(
        "fighting", sentence.text
    )
    if trigger.sub_event_type == NVT or trigger.cue == "withdrawal":
        if not fighting or _NO_FIGHT.search(window):
            return NVT, "withdrawal_without_fighting"
        # forces pulling out under attack: the other side takes the ground
        loser = _agent(trigger, sentence, actors, text)
        if loser == "state":
            return NSA, "state_withdrawal_under_attack"
        if loser == "nonstate":
            return GRT, "non_state_withdrawal_under_attack"
        return AC, "withdrawal_under_fire"
    if trigger.span.text.lower().startswith("captur") and _PEOPLE.search(
        text[max(sentence.start, trigger.span.start - 80) : trigger.span.start]
    ):
        # "three militants were killed or captured": people taken, not ground
        return _victims(trigger, sentence, actors, text)
    agent = _agent(trigger, sentence, actors, text)
    if not fighting and (
        re.search(
            r"without (?:a )?(?:fight|fighting|resistance|clashes)|handed over|peacefully", window, re.I
        )
        # a flag raised or control handed over, not the other side's withdrawal (then the taker overtook it)
        or any(
            t.sub_event_type == NVT and not re.match(r"withdr|pull|retreat|evacuat", t.span.text, re.I)
            for t in frame
        )
    ):
        return NVT, "territory_without_fighting"
    if agent == "state":
        return GRT, "territory_to_state"
    if agent == "nonstate":
        return NSA, "territory_to_non_state"
    # "regained control after the RSF withdrew": the side that left lost the ground
    for w in frame:
        if w.cue == "withdrawal" and re.match(r"withdr|pull|retreat|evacuat", w.span.text, re.I):
            loser = _agent(w, sentence, actors, text)
            if loser == "nonstate":
                return GRT, "territory_after_non_state_withdrawal"
            if loser == "state":
                return NSA, "territory_after_state_withdrawal"
    if trigger.cue == "territory_retake" or _RETAKE_WORD.match(trigger.span.text):
        return GRT, "retake_default_state"
    return NSA, "territory_default_non_state"


def _remote(
    trigger: TriggerMention,
    frame: list[TriggerMention],
    types: set[str],
    s: str,
    actors: list[ActorMention],
    text: str,
    sentence: Sentence,
) -> tuple[str, str]:
    if "territory_generic" in types and any(t.sub_event_type == "territory_generic" for t in frame):
        terr = next(t for t in frame if t.sub_event_type == "territory_generic")
        return _territory(terr, frame, types, actors, text, sentence)
    # Ground fighting around the strikes: ACLED codes the battle (Armed clash).
    if any(t.cue == "clash" for t in frame) and trigger.sub_event_type in (SHL, "Air/drone strike"):
        return AC, "remote_within_ground_fighting"
    if trigger.sub_event_type in (SHL, "Air/drone strike") and "Disrupted weapons use" in types:
        window = _follow(text, sentence)
        if _has("partial_interception", window):
            # "40 rockets, most of which were intercepted; one struck a house": ACLED codes the attack
            return trigger.sub_event_type, "strike_partly_intercepted"
        if any(t.cue == "disrupted" and t.span.start < trigger.span.start for t in frame) and not any(
            t.cue in ("kill", "harm") for t in frame
        ):
            # "air defences shot down all 20 drones": nothing struck, the interception is the event
            return "Disrupted weapons use", "strike_fully_intercepted"
    if trigger.sub_event_type in (SHL, "Air/drone strike") and _has("air_defence", _follow(text, sentence)):
        # strikes engaged by the target's air defences: both sides fire (ACLED: Armed clash)
        return AC, "strike_engaged_by_air_defence"
    if trigger.cue == "ied" and _PLANTER.search(text[max(0, trigger.span.start - 50) : trigger.span.start]):
        kills = [t for t in frame if t.cue in ("kill", "shot", "harm")]
        if kills:
            # "troops shot dead two men planting IEDs": the shooting is the event, the bomb its context
            return _victims(kills[0], sentence, actors, text)
    if (trigger.sub_event_type == SHL or trigger.cue == "explosion") and _has(
        "mutual_fire", _follow(text, sentence)
    ):
        # both sides fire ("returned fire", "exchanges in both directions"): a battle, not a one-way shelling
        return AC, "shelling_answered_by_fire"
    if trigger.sub_event_type == SHL and _has("small_arms", s) and not _has("civilian_target", s):
        return AC, "shelling_with_small_arms"
    if "Disrupted weapons use" in types and not any(t.cue in ("kill", "harm") for t in frame):
        if trigger.sub_event_type in (SHL, "Air/drone strike") and _has("partial_interception", s):
            return trigger.sub_event_type, "strike_partly_intercepted"
        return "Disrupted weapons use", "weapon_neutralised"
    if trigger.sub_event_type in (SHL, "Air/drone strike") and _has(
        "partial_interception", _follow(text, sentence)
    ):
        return trigger.sub_event_type, "strike_partly_intercepted"
    if trigger.sub_event_type in (IED, SHL, "Grenade") and _has("disrupted_outcome", s):
        # a bomb going off while being planted, a dud, a device blown up by sappers: not an attack
        return "Disrupted weapons use", "weapon_failed_or_neutralised"
    if trigger.sub_event_type == "Grenade" and any(t.cue == "clash" for t in frame):
        return AC, "grenade_in_battle"
    if (
        trigger.sub_event_type == "Grenade"
        and _has("armed_combat_weapons", _follow(text, sentence))
        and _victim_class(trigger, sentence)[0] != "civilian"
    ):
        return AC, "grenade_with_gunfire"
    if trigger.sub_event_type in (IED, SHL) and _has("war_remnant", _follow(text, sentence)):
        # old mines and shells going off: ACLED's explosive remnants of war are Other
        return "Other", "explosive_remnant_of_war"
    # The most specific weapon named in the frame wins over a bare "explosion".
    remote_in_frame = [t for t in frame if t.sub_event_type in REMOTE and t.cue != "explosion"]
    own = trigger.sub_event_type
    if trigger.cue == "explosion" and remote_in_frame:
        best = min(remote_in_frame, key=lambda t: taxonomy().rank(t.sub_event_type))
        return best.sub_event_type, "explosion_attributed_to_named_weapon"
    if trigger.cue == "explosion" and re.search(r"(?:explosions|blasts)$", trigger.span.text, re.I):
        # a series of unattributed explosions (heard, observed, counted) is indirect fire, not a planted bomb
        return SHL, "repeated_explosions_as_shelling"
    if own == SHL and any(t.sub_event_type == "Air/drone strike" for t in frame):
        return "Air/drone strike", "frame:air_strike_over_shelling"
    return own, f"cue:{trigger.cue}"


def _clash(
    trigger: TriggerMention,
    frame: list[TriggerMention],
    types: set[str],
    s: str,
    actors: list[ActorMention],
    text: str,
    sentence: Sentence,
) -> tuple[str, str]:
    terr = [t for t in frame if t.sub_event_type == "territory_generic"]
    if terr:
        return _territory(terr[0], frame, types, actors, text, sentence)
    for w in (t for t in frame if t.cue == "withdrawal"):
        # "government forces pulled out after rebels launched an offensive": the battle moved the front
        got = _territory(w, [*frame, trigger], types, actors, text, sentence)
        if got[0] in (GRT, NSA):
            return got
    if _protest_frame(types, s, actors) or "riot_generic" in types:
        return VD, "clash_with_demonstrators"
    if any(a.inter == 5 for a in actors) and not any(a.inter in (2, 3, 4) for a in actors):
        # rioters without an organised armed group: a violent demonstration if they make demands
        return (VD, "clash_of_rioters_with_demands") if _has("grievance", s) else (MOB, "clash_of_rioters")
    if _has("protest_actor", s) and not _has("nonstate_agent", s):
        return VD, "clash_with_demonstrators"
    if _has("crude_weapons", s) and not _has("firearms", s) and not _has("nonstate_agent", s) and not actors:
        # stones and sticks rather than guns: rioting, with demands a violent demonstration
        return (VD, "clash_with_stones_and_demands") if _has("grievance", s) else (MOB, "clash_with_stones")
    if any(a.role == "party" for a in actors) and not _has("firearms", s) and not _has("nonstate_agent", s):
        # supporters of rival parties fighting with sticks or machetes: rioting (ACLED), not a battle
        return (
            (VD, "party_supporters_clash_with_demands")
            if _has("grievance", s)
            else (
                MOB,
                "party_supporters_clash",
            )
        )
    if (
        _civilian_agent(trigger, sentence, actors, text)
        and not _has("firearms", s)
        and not _has("nonstate_agent", s)
        and not any(a.inter in (2, 3, 4, 8) for a in actors)
    ):
        # "a group of citizens clashed with police officers": people without weapons, not a battle
        return (VD, "people_clash_with_demands") if _has("grievance", s) else (MOB, "people_clash")
    armed_actors = [a for a in actors if a.inter in _ARMED_INTERS]
    # Communal or clan fighting is an armed clash (identity militias) unless only crude weapons were used.
    if MOB in types:
        return MOB, "clash_with_mob"
    if (
        not (len({a.name for a in armed_actors}) >= 2)
        and _has("mob_actor", s)
        and not _has("firearms", s)
        and not _has("nonstate_agent", s)
        and not _has("armed_victim_nonstate", s)
    ):
        return MOB, "clash_of_unorganised_group"
    unarmed = [a for a in actors if a.inter in (5, 6, 7)]
    organised = [a for a in actors if a.inter in (2, 3, 4, 8)]
    if unarmed and not organised and not _has("firearms", s) and not _has("nonstate_agent", s):
        # workers, villagers or journalists fighting police or each other: rioting, not a battle
        return (
            (VD, "clash_of_civilians_with_demands") if _has("grievance", s) else (MOB, "clash_of_civilians")
        )
    if _ONE_SIDED.search(trigger.span.text):
        # an ambush or a raid may hit civilians: then it is an attack, not a battle
        victim, _ = _victim_class(trigger, sentence)
        if victim == "civilian":
            return ATTACK, "one_sided_assault_on_civilians"
    if trigger.cue == "grenade_launcher" and SHL in types:
        return SHL, "launcher_with_shelling"
    if (
        _ONE_WAY_FIRE.search(trigger.span.text)
        and _has("heavy_weapons", s)
        and not _has("small_arms", s)
        and not any(t.cue == "clash" and not _ONE_WAY_FIRE.search(t.span.text) for t in frame)
        and not _has("mutual_fire", _follow(text, sentence))
    ):
        # one side firing heavy weapons (grenade launchers, heavy machine guns, cannons) at the other's
        # positions with no answer and no small arms: ACLED codes the stand-off fire as shelling
        return SHL, "one_way_heavy_weapons_fire"
    if (
        _INDIRECT.search(trigger.span.text)
        and not _has("armed_combat_weapons", s)
        and not _has("mutual_fire", _follow(text, sentence))
    ):
        return SHL, "indirect_fire_at_positions"
    return AC, "clash"


# "A crowd beat ... to death": an unorganised group of people as the agent of the violence.
_CROWD_AGENT = re.compile(
    r"\b(?:an?|the)\s+(?:angry\s+|enraged\s+|large\s+)?(?:crowd|mob|group of (?:residents|villagers|youths|locals))\b"
    r"(?:\s+\w+){0,8}\s*$",
    re.IGNORECASE,
)


def _violence(
    trigger: TriggerMention,
    frame: list[TriggerMention],
    types: set[str],
    actors: list[ActorMention],
    text: str,
    sentence: Sentence,
) -> tuple[str, str]:
    s = sentence.text
    remote = [t for t in frame if t.sub_event_type in REMOTE]
    if remote:
        best = min(remote, key=lambda t: (t.cue == "explosion", taxonomy().rank(t.sub_event_type)))
        return _remote(
            best, [t for t in frame if t is not best] + [trigger], types, s, actors, text, sentence
        )
    if "territory_generic" in types:
        terr = next(t for t in frame if t.sub_event_type == "territory_generic")
        return _territory(terr, frame, types, actors, text, sentence)
    if _protest_frame(types, s, actors) and ("protest_generic" in types or _has("protest_actor", s)):
        if trigger.cue in ("kill", "harm") and _state_near(s, actors) and not _has("riot_violence", s):
            if trigger.cue == "kill" or "lethal_force_generic" in types:
                return EXF, "violence_against_protesters_lethal"
            return PWI, "violence_against_protesters"
        return VD, "violence_at_protest"
    if "riot_generic" in types:
        return _riot(types, s, actors)
    if MOB in types:
        return MOB, "violence_by_mob"
    if _CROWD_AGENT.search(s[: max(0, trigger.span.start - sentence.start)]) and trigger.cue in (
        "kill",
        "harm",
    ):
        return MOB, "crowd_violence"
    if (
        "arrest_generic" in types
        and trigger.cue == "raid"
        and not any(t.cue in ("kill", "harm") for t in frame)
    ):
        return ARR, "raid_to_arrest"
    if ABD in types and trigger.cue != "kill":
        return ABD, "harm_during_abduction"
    if LOOT in types and trigger.cue == "raid" and not any(t.cue == "kill" for t in frame):
        return LOOT, "raid_for_loot"
    if (
        LOOT in types
        and trigger.cue in ("harm", "raid")
        and not any(t.cue == "kill" for t in frame)
        and _victim_class(trigger, sentence)[0] == ""
    ):
        return LOOT, "attack_on_property"
    if "clash_generic" in types and any(t.cue == "clash" for t in frame):
        return _clash(next(t for t in frame if t.cue == "clash"), frame, types, s, actors, text, sentence)
    return _victims(trigger, sentence, actors, text)


def _victims(
    trigger: TriggerMention, sentence: Sentence, actors: list[ActorMention], text: str
) -> tuple[str, str]:
    """Attack (civilian victims) vs Armed clash (armed victims) vs Mob violence (crowd perpetrators)."""
    s = sentence.text
    if _OFF_DUTY.search(s) and trigger.cue in ("kill", "harm", "shot", "death"):
        # ACLED: a former or off-duty soldier or guard attacked away from duty is a civilian victim
        return ATTACK, "off_duty_or_former_forces"
    if actors:
        inters = {a.inter for a in actors}
        armed = [a for a in actors if a.inter in _ARMED_INTERS]
        if 7 in inters and (armed or 5 in inters):
            hits_forces = armed and _armed_victims(trigger, sentence)
            agent = _agent(trigger, sentence, actors, text)
            if agent == "" and _civilian_agent(trigger, sentence, actors, text):
                # "a group of residents attacked police officers", "villagers beat two suspects to death":
                # unorganised people as the perpetrators
                if hits_forces and _has("grievance", s):
                    return VD, "crowd_against_forces_with_demands"
                return MOB, "crowd_against_forces" if hits_forces else "crowd_against_person"
            if hits_forces and (
                agent in ("state", "nonstate")
                or (agent == "" and any(a.inter in (2, 3, 4, 8) for a in actors))
            ):
                # "a soldier and a civilian were killed in an attack on a checkpoint": the armed target
                # makes it a battle (ACLED), whoever else was hit
                return AC, "actors:armed_victims_with_civilians"
            return (MOB if not armed else ATTACK), "actors:civilian_victims"
        if len({a.name for a in armed}) >= 2:
            return AC, "actors:two_armed_sides"
        if 5 in inters and not armed:
            return MOB, "actors:rioters"
    victim, agent_region = _victim_class(trigger, sentence)
    if victim == "civilian":
        if (
            _has("mob_actor", agent_region)
            and not _has("nonstate_agent", agent_region)
            and not _has("state_agent", agent_region)
        ):
            return MOB, "crowd_against_person"
        return ATTACK, "civilian_victims"
    if victim == "armed":
        return AC, "armed_victims"
    if _has("state_agent", s) and _has("nonstate_agent", s) and not _has("civilian_victim", s):
        return AC, "armed_parties_only"
    if (
        _has("mob_actor", agent_region)
        and not _has("nonstate_agent", s)
        and not _has("state_agent", agent_region)
    ):
        return MOB, "crowd_violence"
    return ATTACK, "violence_default_attack"


def _victim_class(trigger: TriggerMention, sentence: Sentence) -> tuple[str, str]:
    """('civilian' | 'armed' | '', agent region) from the words on the victim side of the trigger.

    Active voice ("gunmen killed three farmers"): victims follow the trigger;
    passive ("three farmers were killed by gunmen"): they precede it.
    """
    s = sentence.text
    rel_s = trigger.span.start - sentence.start
    rel_e = trigger.span.end - sentence.start
    before = s[max(0, rel_s - 80) : rel_s]
    after = s[rel_e : rel_e + 80]
    passive = _PASSIVE.search(before) is not None or _BY_AGENT.search(after) is not None
    if passive:
        victim_region, agent_region = before[-60:], after
    else:
        victim_region, agent_region = after, before
    civ_v = _nearest(_find("civilian_victim", victim_region), from_start=not passive)
    # a named armed group on the victim side ("assassinated a leader of HTS") counts as an armed victim
    armed_hits = _find("armed_victim", victim_region) + _find("nonstate_agent", victim_region)
    armed_hits.sort(key=lambda m: m.start())
    arm_v = _nearest(armed_hits, from_start=not passive)
    if civ_v is not None and (arm_v is None or civ_v < arm_v):
        return "civilian", agent_region
    if arm_v is not None:
        return "armed", agent_region
    return "", agent_region


# Places named after the trigger ("at a checkpoint", "near the base") locate the act; they are no target.
_AT_PLACE = re.compile(r"\b(?:at|near|in|outside|inside|close to|next to)\s+(?:\w+\s+){0,2}$", re.I)
_BY_PHRASE = re.compile(r"\bby\b")


def _armed_victims(trigger: TriggerMention, sentence: Sentence) -> bool:
    """Soldiers, police or guards among the victims of the trigger (ACLED: then it is a battle, even when
    civilians were hit too). In the active voice they must come before any civilians named."""
    s = sentence.text
    rel_s = trigger.span.start - sentence.start
    rel_e = trigger.span.end - sentence.start
    before = s[max(0, rel_s - 80) : rel_s]
    after = s[rel_e : rel_e + 80]
    passive = _PASSIVE.search(before) is not None or _BY_AGENT.search(after) is not None
    if passive:
        region = before[-60:]
    else:
        by = _BY_PHRASE.search(after)  # "shot in the street by armed men": the agent, not the victim
        region = after[: by.start()] if by else after
    armed = [m for m in _find("armed_victim", region) if not _AT_PLACE.search(region[: m.start()])]
    if not armed:
        return False
    civ = _find("civilian_victim", region)
    return passive or not civ or armed[0].start() < civ[0].start()


_CIVILIAN_SUBJECT = re.compile(
    r"\b(?:people|persons|citizens|residents|villagers|locals|youths?|men|women|individuals|crowd|mob|"
    r"group of \w+|family members|relatives|neighbou?rs|workers|students|traders|drivers|migrants)\b",
    re.I,
)


def _civilian_agent(
    trigger: TriggerMention, sentence: Sentence, actors: list[ActorMention], text: str
) -> bool:
    """Is the agent of the trigger ordinary people (no armed actor on the agent side)?"""
    t0, t1 = trigger.span.start, trigger.span.end
    by = _BY_AGENT.search(text[t1 : min(sentence.end, t1 + 80)])
    if by:
        region = text[t1 + by.end() : min(sentence.end, t1 + by.end() + 50)]
    elif _PASSIVE.search(text[max(sentence.start, t0 - 30) : t0]):
        return False  # "two people were killed": the people named are the victims
    else:
        before = text[max(sentence.start, t0 - 120) : t0]
        opens = [m.end() for m in _CLAUSE_OPEN.finditer(before)]
        region = before[opens[-1] :] if opens else before
    if _has("state_agent", region) or _has("nonstate_agent", region):
        return False
    return _CIVILIAN_SUBJECT.search(region) is not None


def _nearest(matches: list[re.Match[str]], from_start: bool) -> int | None:
    """Distance of the closest match to the trigger side of the region."""
    if not matches:
        return None
    return matches[0].start() if from_start else -matches[-1].end()


def _agent(trigger: TriggerMention, sentence: Sentence, actors: list[ActorMention], text: str) -> str:
    """'state', 'nonstate' or '' for who performed the trigger (subject, or the 'by' phrase in the passive)."""
    t0, t1 = trigger.span.start, trigger.span.end
    after_text = text[t1 : min(sentence.end, t1 + 80)]
    by = _BY_AGENT.search(after_text)
    before = text[max(sentence.start, t0 - 160) : t0]
    opens = [m.end() for m in _CLAUSE_OPEN.finditer(before)]
    clause_start = t0 - len(before) + (opens[-1] if opens else 0)
    passive = _PASSIVE.search(before) is not None
    if actors:
        cand: ActorMention | None = None
        if by:
            later = [a for a in actors if a.span.start >= t1 + by.start()]
            cand = min(later, key=lambda a: a.span.start) if later else None
        elif not passive:
            # the subject of the trigger's clause: the first actor there not introduced by "with", "from"...
            earlier = [
                a
                for a in actors
                if clause_start <= a.span.start
                and a.span.end <= t0
                and not _OBLIQUE.search(text[max(sentence.start, a.span.start - 30) : a.span.start])
            ]
            # "After battling IS ..., regime forces took control": the actor in the trigger's own
            # comma segment is its subject, not one named in an opening phrase
            comma = text.rfind(",", clause_start, t0)
            if comma >= 0:
                own = [a for a in earlier if a.span.start > comma]
                earlier = own or earlier
            cand = min(earlier, key=lambda a: a.span.start) if earlier else None
        if cand is not None:
            return (
                "state" if cand.inter in _STATE_INTERS else ("nonstate" if cand.inter in {2, 3, 4, 8} else "")
            )
    if by:
        region = after_text[by.end() : by.end() + 60]
        got = _side(region, first=True)
        if got:
            return got
    if passive:
        return ""  # "three men were arrested": the subject is the target, the agent is unnamed
    # the agent is the subject of the trigger's own clause, not of a reporting verb ("the army said that rebels ...")
    return _side(text[clause_start:t0], first=True)


def _side(region: str, first: bool) -> str:
    # actors named as the other side ("after clashes with HTS", "from IS") are not the agent
    st = [
        m
        for m in _find("state_agent", region)
        if not _OBLIQUE.search(region[max(0, m.start() - 30) : m.start()])
    ]
    ns = [
        m
        for m in _find("nonstate_agent", region)
        if not _OBLIQUE.search(region[max(0, m.start() - 30) : m.start()])
    ]
    if not st and not ns:
        return ""
    if not ns:
        return "state"
    if not st:
        return "nonstate"
    if first:
        return "state" if st[0].start() < ns[0].start() else "nonstate"
    return "state" if st[-1].end() > ns[-1].end() else "nonstate"


_VIOLENT = {
    "Political violence",
    "Political violence; Demonstrations",
}


def salience(
    trigger: TriggerMention,
    sentence_index: int,
    sub_event_type: str | None = None,
    fatalities: int = 0,
    n_sentences: int = 0,
) -> float:
    """How likely this trigger anchors the article's primary event (higher is more salient).

    Headline and lead sentences, violent types, fatalities and higher ACLED
    precedence raise it; negated or hypothetical triggers are nearly discarded.
    """
    del n_sentences  # reserved: long articles may want a flatter position curve
    tx = taxonomy()
    st = sub_event_type or trigger.sub_event_type
    score = float(trigger.weight)
    score *= 1.0 / (1.0 + 0.35 * max(0, sentence_index))
    if st in tx.disorder_of:
        disorder = tx.disorder_of[st]
        if st in STRATEGIC:
            score *= 0.6
        elif disorder in _VIOLENT:
            score *= 1.3
        score += 0.4 * (len(tx.precedence) - tx.rank(st)) / len(tx.precedence)
    if fatalities > 0:
        score += 0.5
    if trigger.negated or trigger.hypothetical:
        score *= 0.05
    return score
