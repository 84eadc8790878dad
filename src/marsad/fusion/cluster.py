"""Incidents as connected components of the same-incident graph (single linkage over reports).

Components do not depend on the order reports arrive in. Blocking by date window keeps the cost
near-linear: a report is compared only with reports whose windows overlap its own.
"""

from __future__ import annotations

from collections.abc import Callable

from marsad.fusion.match import date_window, same_incident
from marsad.model import Event


def cluster(reports: list[Event], match: Callable[[Event, Event], bool] = same_incident) -> list[list[Event]]:
    """Group reports into incidents; each group sorted by event_id, groups by their first event_id.

    Reports without a date stay alone (they fuse with nothing).
    """
    parent = list(range(len(reports)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    windowed = sorted(
        ((w, i) for i, r in enumerate(reports) if (w := date_window(r)) is not None),
        key=lambda x: (x[0][0], reports[x[1]].event_id),
    )
    # sweep: windows sorted by start; compare with earlier ones whose end is not before this start
    active: list[tuple[str, int]] = []
    for (start, end), i in windowed:
        active = [(e, j) for e, j in active if e >= start]
        for _, j in active:
            if find(i) != find(j) and match(reports[i], reports[j]):
                parent[find(i)] = find(j)
        active.append((end, i))
    groups: dict[int, list[Event]] = {}
    for i, r in enumerate(reports):
        groups.setdefault(find(i), []).append(r)
    out = [sorted(g, key=lambda r: r.event_id) for g in groups.values()]
    return sorted(out, key=lambda g: g[0].event_id)
