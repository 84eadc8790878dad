"""ACLED fatality figure for one event from the casualty mentions attached to it.

Rules, in order of precedence (ACLED Codebook, "Fatalities"):
1. An ACLED coder statement in the text ("Fatalities coded as 0", "20 fatalities split up between 3
   events" -> 7) is the answer.
2. Otherwise the killed counts: groups named in one clause are disjoint and add up ("two soldiers and
   three civilians" -> 5); groups named inside a larger count ("including 20 civilians") are subsets and
   are not added; the same deaths are often repeated across sentences (a headline, a later update), so
   sentences are not added: the largest sentence total wins (a rising death toll supersedes).
3. "split between N events" without a figure divides that total (nearest integer, halves up).
4. No killed count at all -> 0: ACLED records 0 when no fatalities are reported ("none_reported" when
   the text says so, "no_fatalities_mentioned" otherwise).
War-long totals ("the war has killed half a million people since 2011") are dropped when the document
is given (``is_background_total``), and so are deaths that caused the event rather than resulted from it
(rule "prior_event": "residents protested over the killing of a driver").
"""

from __future__ import annotations

import re
from functools import cache

from marsad.knowledge import read_json
from marsad.model import CasualtyMention, Document, Evidence


@cache
def _background_re() -> re.Pattern[str]:
    cues = read_json("numbers_lexicon.json").get("background_cues", [])
    return re.compile(r"\b(?:" + "|".join(cues) + r")\b", re.I)


# Mentions that are not the event's own death count: statements of none, breakdowns of a larger
# count, split instructions, and deaths that caused the event ("protested over the killing of ...").
_NOT_COUNTS = frozenset({"none_reported", "no_information", "subset", "split_events", "prior_event"})


def is_background_total(mention: CasualtyMention, doc: Document | None) -> bool:
    """True for a cumulative, war-long or year-long toll rather than the event's own deaths."""
    if doc is None or mention.kind != "killed" or mention.rule.startswith(("coded", "split")):
        return False
    sent = doc.sentence_at(mention.span.start)
    if sent is None:
        return False
    return bool(_background_re().search(sent.text))


def _round_share(total: int, n: int) -> int:
    """Nearest integer, halves down (57/2 -> 28), as ACLED's coded shares in the dev notes."""
    return -((-2 * total + n) // (2 * n)) if n > 0 else total


def code_fatalities(
    casualties: list[CasualtyMention], doc: Document | None = None
) -> tuple[int | None, Evidence]:
    """The ACLED ``fatalities`` value for one event and the evidence (spans + rule) behind it."""
    killed = [c for c in (casualties or []) if isinstance(c, CasualtyMention) and c.kind == "killed"]
    if doc is not None:
        killed = [c for c in killed if not is_background_total(c, doc)]

    coded = [c for c in killed if c.rule.startswith("coded")]
    if coded:
        # a split share is the most specific; otherwise the last statement refines earlier ones
        # ("Unknown fatalities coded as 10. Total fatalities coded to 11.")
        best = next((c for c in coded if c.rule.startswith("coded_split")), coded[-1])
        return best.value, Evidence([best.span], best.rule)

    killed = _prefer_explicit_subsets(killed, doc)
    splits = [c for c in killed if c.rule == "split_events"]
    counts = [c for c in killed if c.rule not in _NOT_COUNTS]
    if counts:
        total, spans, rule = _largest_sentence_total(counts, doc)
        if splits and splits[0].value > 1:
            n = splits[0].value
            return _round_share(total, n), Evidence(spans + [splits[0].span], f"{rule};split_events:{n}")
        return total, Evidence(spans, rule)
    subsets = [c for c in killed if c.rule == "subset"]
    if subsets:
        # only a breakdown was given ("including 3 children"): its sum is the lowest credible figure
        return sum(c.value for c in subsets), Evidence([c.span for c in subsets], "subset_only")
    none = [c for c in killed if c.rule in ("none_reported", "no_information")]
    if none:
        return 0, Evidence([none[0].span], none[0].rule)
    return 0, Evidence([], "no_fatalities_mentioned")


def _prefer_explicit_subsets(killed: list[CasualtyMention], doc: Document | None) -> list[CasualtyMention]:
    """ "Some deaths were reported, including at least 2": the explicit figure is the lowest credible
    count, so a vague total whose sentence gives explicit subsets yields to them."""
    out: list[CasualtyMention] = []
    for c in killed:
        if c.rule.startswith("vague"):
            key = _group_key(c, doc)
            subs = [
                s
                for s in killed
                if s.rule == "subset" and _group_key(s, doc) == key and s.span.start > c.span.start
            ]
            if subs and doc is not None:
                out.extend(_as_count(s) for s in subs)
                continue
        out.append(c)
    return out


def _as_count(c: CasualtyMention) -> CasualtyMention:
    return CasualtyMention(c.span, c.value, c.kind, "subset_of_vague", c.who)


def _group_key(c: CasualtyMention, doc: Document | None) -> int:
    if doc is not None:
        s = doc.sentence_at(c.span.start)
        if s is not None:
            return s.index
    return -1


def _largest_sentence_total(counts: list[CasualtyMention], doc: Document | None) -> tuple[int, list, str]:
    """Counts in one sentence add up (they were written as disjoint groups). Across sentences, the
    largest sentence is the base and another sentence adds only when all its victim groups are named
    and none was counted already ("2 policemen were killed ... 2 militants were also killed"); any
    other repeat is the same deaths told again (headline, update), so it is not added."""
    groups: dict[int, list[CasualtyMention]] = {}
    if doc is None:
        # without sentences, mentions more than ~200 characters apart are treated as separate reports
        key, last_end = 0, None
        for c in sorted(counts, key=lambda c: c.span.start):
            if last_end is not None and c.span.start - last_end > 200:
                key += 1
            groups.setdefault(key, []).append(c)
            last_end = c.span.end
    else:
        for c in counts:
            groups.setdefault(_group_key(c, doc), []).append(c)
    # "... (a total of 12 fatalities)": a stated total replaces the sum of its sentence's parts
    for k, g in groups.items():
        totals = [c for c in g if "total" in c.rule]
        if totals:
            groups[k] = [max(totals, key=lambda c: c.value)]
    ordered = sorted(groups.values(), key=lambda g: (-sum(c.value for c in g), g[0].span.start))
    used = list(ordered[0])
    classes = {c.who for c in used}
    for g in ordered[1:]:
        g_classes = {c.who for c in g}
        if "" in g_classes or "" in classes or g_classes & classes:
            continue
        used.extend(g)
        classes |= g_classes
    used.sort(key=lambda c: c.span.start)
    total = sum(c.value for c in used)
    return total, [c.span for c in used], "sum" if len(used) > 1 else (used[0].rule or "explicit")
