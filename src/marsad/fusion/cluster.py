"""Incidents from the same-incident graph over reports: guarded single linkage.

Plain single linkage chains: a vague report that matches two incidents joins them, and so would
a junk report naming the wrong group. The guard: links are taken strongest first (ties by report
ids), and a link that would join two groups is taken only when no report of one conflicts with a
report of the other (named actors contradict, :func:`marsad.fusion.match.conflicts`); otherwise the
bridging report stays with the group it matched best. Compatible incidents still join through a
bridge (a follow-up that matches both a stated-date and a relative-date report).

The result is a function of the reports and their links alone, never of the order they arrive in:
the store recomputes the whole linked component a new report touches with the same function.
Blocking by date window keeps link-finding near-linear: a report is compared only with reports
whose windows overlap its own.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from marsad.fusion.match import conflicts, date_window, match_score, same_incident
from marsad.model import Event

Link = tuple[str, str]


def link_key(a: str, b: str) -> Link:
    """The key of the link between two report ids (unordered)."""
    return (a, b) if a <= b else (b, a)


def guarded_groups(
    reports: Iterable[Event],
    links: dict[Link, float],
    conflict: Callable[[Event, Event], bool] = conflicts,
) -> list[list[Event]]:
    """Group reports along ``links`` ({(id, id): score}), strongest first, never joining two groups
    that hold conflicting reports. Groups sorted by event_id inside, by their first id outside.

    Links naming a report not in ``reports`` are ignored.
    """
    by_id = {r.event_id: r for r in reports}
    parent = {rid: rid for rid in by_id}
    members: dict[str, list[str]] = {rid: [rid] for rid in by_id}
    cache: dict[Link, bool] = {}

    def find(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def clash(x: str, y: str) -> bool:
        key = link_key(x, y)
        if key not in cache:
            cache[key] = conflict(by_id[x], by_id[y])
        return cache[key]

    for (a, b), _ in sorted(links.items(), key=lambda kv: (-kv[1], kv[0])):
        if a not in by_id or b not in by_id:
            continue
        ra, rb = find(a), find(b)
        if ra == rb:
            continue
        if any(clash(x, y) for x in members[ra] for y in members[rb]):
            continue  # the guard: these two groups cannot be one incident
        lo, hi = sorted((ra, rb))
        parent[hi] = lo
        members[lo].extend(members.pop(hi))
    out = [sorted((by_id[m] for m in ms), key=lambda r: r.event_id) for ms in members.values()]
    return sorted(out, key=lambda g: g[0].event_id)


def find_links(
    reports: list[Event], match: Callable[[Event, Event], bool] = same_incident
) -> dict[Link, float]:
    """Every same-incident link among ``reports`` with its score, by a sweep over date windows.

    Reports without a date link to nothing (they fuse with nothing).
    """
    windowed = sorted(
        ((w, i) for i, r in enumerate(reports) if (w := date_window(r)) is not None),
        key=lambda x: (x[0][0], reports[x[1]].event_id),
    )
    links: dict[Link, float] = {}
    # sweep: windows sorted by start; compare with earlier ones whose end is not before this start
    active: list[tuple[str, int]] = []
    for (start, end), i in windowed:
        active = [(e, j) for e, j in active if e >= start]
        for _, j in active:
            a, b = reports[i], reports[j]
            if match(a, b):
                links[link_key(a.event_id, b.event_id)] = match_score(a, b)
        active.append((end, i))
    return links


def cluster(reports: list[Event], match: Callable[[Event, Event], bool] = same_incident) -> list[list[Event]]:
    """Group reports into incidents (guarded single linkage); each group sorted by event_id, groups
    by their first event_id. Reports without a date stay alone."""
    return guarded_groups(reports, find_links(reports, match))
