"""Reports -> incidents inside the store's write transaction (fusion across articles).

An incident is a connected component of the "same incident" graph over reports (single linkage,
pairs from different articles), so membership does not depend on the order articles arrive in.
Adding a report never splits an incident, so existing incidents join the graph as single nodes;
only re-extraction, which removes reports, recomputes the components of the incidents it touched.

Edges come from two places: :func:`marsad.fusion.same_incident` on candidates found by SQL
blocking (date window and country, never all pairs), and near-duplicate articles (a syndicated or
rewritten copy), whose reports are paired with the original's so the copy adds a source, not an
incident.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache
from typing import Any

from marsad import fusion
from marsad.model import ACLED_FIELDS, Article, Event
from marsad.store.schema import EVENT_COLUMNS, INCIDENT_COLUMNS

__all__ = [
    "REVISED_FIELDS",
    "Incident",
    "IncidentWriter",
    "event_dict",
    "incident_from_row",
    "report_from_row",
]


@dataclass(slots=True)
class Incident(Event):
    """A fused event (one real-world incident) with every source behind it.

    An :class:`Event` (exports and the API treat it as one) plus the store's bookkeeping: the
    articles that reported it and the range of fatality figures sources gave.
    """

    sources: list[dict[str, Any]] = field(default_factory=list)
    n_reports: int = 0
    n_articles: int = 0
    fatalities_low: int | None = None
    fatalities_high: int | None = None
    created_at: str = ""
    updated_at: str = ""


# Fields whose changes the revision log records (old -> new), so a downstream copy can follow them.
REVISED_FIELDS: tuple[str, ...] = (
    *ACLED_FIELDS[1:],
    "geonameid",
    "fatalities_low",
    "fatalities_high",
    "n_reports",
    "n_articles",
    "sources",
)
_REAL = {"latitude", "longitude", "confidence"}

REPORT_COLUMNS: tuple[str, ...] = tuple(c for c in EVENT_COLUMNS if c != "seq")
SELECT_REPORTS = f"SELECT {', '.join(REPORT_COLUMNS)}, evidence, claims, incident_id FROM events"
_STR_FIELDS = frozenset(k for k, f in Event.__dataclass_fields__.items() if f.default == "")

_INCIDENT_DATA = (*INCIDENT_COLUMNS, "evidence", "sources", "claims", "n_reports", "n_articles")
_INCIDENT_ALL = (*_INCIDENT_DATA, "fatalities_low", "fatalities_high", "created_at", "updated_at")
# article_id of an incident: the article of its smallest report (the one its id comes from)
SELECT_INCIDENTS = (
    f"SELECT {', '.join(_INCIDENT_ALL)},"
    " (SELECT article_id FROM events WHERE events.event_id = incidents.incident_id) FROM incidents"
)
_UPSERT_INCIDENT = (
    f"INSERT INTO incidents ({', '.join(_INCIDENT_ALL)}, deleted_at)"
    f" VALUES ({', '.join('?' for _ in _INCIDENT_ALL)}, NULL)"
    " ON CONFLICT(incident_id) DO UPDATE SET "
    + ", ".join(f"{c} = excluded.{c}" for c in _INCIDENT_ALL if c not in ("incident_id", "created_at"))
    + ", created_at = CASE WHEN incidents.deleted_at IS NULL THEN incidents.created_at"
    " ELSE excluded.created_at END, deleted_at = NULL"
)


def _loads(text: str | None, default: Any) -> Any:
    if not text:
        return default
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        return default  # a hand-edited row must not stop a read


def report_from_row(row: Sequence[Any]) -> tuple[Event, str | None]:
    """A row of :data:`SELECT_REPORTS` -> (report, incident id)."""
    n = len(REPORT_COLUMNS)
    d = {
        k: ("" if v is None and k in _STR_FIELDS else v) for k, v in zip(REPORT_COLUMNS, row[:n], strict=True)
    }
    d["evidence"] = _loads(row[n], {})
    d["claims"] = _loads(row[n + 1], [])
    if d.get("confidence") is None:
        d["confidence"] = 0.0  # Event's default (NULL in files written by hand or old versions)
    return Event.from_dict(d), row[n + 2]


def incident_from_row(row: Sequence[Any]) -> Incident:
    """A row of :data:`SELECT_INCIDENTS` -> :class:`Incident` (``event_id`` is the incident id)."""
    d = {
        k: ("" if v is None and k in _STR_FIELDS else v) for k, v in zip(_INCIDENT_ALL, row[:-1], strict=True)
    }
    d["event_id"] = d.pop("incident_id")
    d["article_id"] = row[-1] or ""
    d["evidence"] = _loads(d["evidence"], {})
    d["claims"] = _loads(d["claims"], [])
    d["sources"] = _loads(d["sources"], [])
    if d.get("confidence") is None:
        d["confidence"] = 0.0
    d["created_at"] = d["created_at"] or ""
    d["updated_at"] = d["updated_at"] or ""
    inc = Incident.from_dict(d)
    return inc


_EVENT_FIELDS = tuple(f for f in Event.__dataclass_fields__ if f not in ("evidence", "claims"))


def event_dict(ev: Event) -> dict[str, Any]:
    """``Event.to_dict()`` without dataclasses.asdict's deep copies (a hot path of every ingest)."""
    d = {f: getattr(ev, f) for f in _EVENT_FIELDS}
    d["evidence"] = {k: v.to_dict() for k, v in ev.evidence.items()}
    d["claims"] = [c.to_dict() for c in ev.claims]
    return d


def _compact(obj: Any) -> str:
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"), sort_keys=True)


def _text(name: str, value: Any) -> str | None:
    """A field value as the revision log writes it (stable across SQL round trips)."""
    if value is None:
        return None
    if name in _REAL:
        try:
            return repr(float(value))
        except (TypeError, ValueError):
            return str(value)
    return str(value)


# --- blocking ---------------------------------------------------------------------------------

_PROBE_DATES = ("2024-01-01", "2024-01-15", "2024-01-31", "2024-02-29", "2024-12-31")


@cache
def _window_lengths() -> dict[int | None, int]:
    """Longest date window (days) fusion gives a report of each time precision."""
    out: dict[int | None, int] = {}
    for p in (1, 2, 3, None):
        longest = 0
        for d in _PROBE_DATES:
            w = fusion.date_window(Event(article_id="probe", event_date=d, time_precision=p))
            if w is not None:
                longest = max(longest, (date.fromisoformat(w[1][:10]) - date.fromisoformat(w[0][:10])).days)
        out[p] = longest
    return out


def _day(value: str) -> date | None:
    try:
        return date.fromisoformat(value[:10])
    except (TypeError, ValueError):
        return None


def _ranges(ev: Event) -> list[tuple[str, str, bool]]:
    """Date ranges to search for reports that could be ``ev``'s incident: (from, to, coarse only).

    Generous on purpose (fusion decides, blocking only must not miss): any report whose window
    overlaps ``ev``'s lies within ``ev``'s window length plus its own; coarse (week/month) reports
    have long windows but are few, so they get their own wider, separately indexed range.
    """
    d = _day(ev.event_date)
    if d is None:
        return []
    w = fusion.date_window(ev)
    if w is None:
        return []
    lo, hi = _day(w[0]) or d, _day(w[1]) or d
    own = (hi - lo).days
    lengths = _window_lengths()
    fine = max(lengths[1], 0)
    widest = max(lengths.values())
    out = [
        (
            min(lo, d - timedelta(own + fine)).isoformat(),
            max(hi, d + timedelta(own + fine)).isoformat(),
            False,
        )
    ]
    if widest > fine:
        span = timedelta(own + widest)
        out.append(((min(lo, d - span)).isoformat(), (max(hi, d + span)).isoformat(), True))
    return out


def candidate_sql(has_country: bool, coarse: bool) -> str:
    """The blocking query: reports in a date range, of the report's country (or unplaced).

    Written so SQLite seeks the (country, event_date) index (or the partial index of coarse
    reports) instead of scanning a whole country: a store of years of reports stays fast.
    """
    if has_country:
        sql = f"{SELECT_REPORTS} WHERE country IN (?, '') AND event_date BETWEEN ? AND ?"
    else:
        sql = f"{SELECT_REPORTS} INDEXED BY events_event_date WHERE event_date BETWEEN ? AND ?"
    if coarse:
        # the same expression as the partial index of migration 3, so SQLite can use it
        sql += " AND (time_precision IS NULL OR time_precision > 1)"
    return sql


# --- union-find -------------------------------------------------------------------------------


class _UnionFind:
    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def add(self, x: str) -> None:
        self.parent.setdefault(x, x)

    def find(self, x: str) -> str:
        p = self.parent
        root = x
        while p[root] != root:
            root = p[root]
        while p[x] != root:
            p[x], x = root, p[x]
        return root

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            lo, hi = sorted((ra, rb))
            self.parent[hi] = lo


def _pairs(xs: list[Event], ys: list[Event]) -> list[tuple[str, str]]:
    """Report pairs of two near-duplicate articles (each list in article order).

    Each report joins its best counterpart of the same event type; a report with none joins the
    other article's main report only when its own article is the shorter (the copy that lost
    detail), so a copy always adds a source while a fuller original keeps its extra incidents.
    """
    out: list[tuple[str, str]] = []
    if not xs or not ys:
        return out
    for a, b, a_id in ((xs, ys, xs[0].article_id), (ys, xs, ys[0].article_id)):
        shorter = (len(a), a_id) > (len(b), b[0].article_id)  # ties: one side, deterministically
        for i, r in enumerate(a):
            same = [
                (r.sub_event_type != s.sub_event_type, abs(i - j), s.event_id)
                for j, s in enumerate(b)
                if s.event_type == r.event_type and r.event_type
            ]
            if same:
                out.append((r.event_id, min(same)[2]))
            elif shorter:
                out.append((r.event_id, b[0].event_id))
    return out


@dataclass(slots=True)
class _Component:
    reports: list[Event]
    old_ids: set[str]
    current: dict[str, str | None]  # report id -> incident id it has now


class IncidentWriter:
    """Fuses one article's reports into the incidents table (the caller holds the transaction)."""

    def __init__(self, db: sqlite3.Connection, now: str, reason: str) -> None:
        self.db = db
        self.now = now
        self.reason = reason
        self.revisions = 0

    # --- reading helpers ---------------------------------------------------------------------

    def _reports(self, where: str, args: Iterable[Any]) -> list[tuple[Event, str | None]]:
        rows = self.db.execute(f"{SELECT_REPORTS} WHERE {where} ORDER BY article_id, seq", tuple(args))
        return [report_from_row(r) for r in rows]

    def _articles(self, ids: Iterable[str]) -> dict[str, Article]:
        out: dict[str, Article] = {}
        ids = sorted(set(ids))
        for k in range(0, len(ids), 500):
            chunk = ids[k : k + 500]
            rows = self.db.execute(
                # fusion reads outlet, url, title and date, never the body: leave the text out
                "SELECT id, title, published, source, url, origin FROM articles"
                f" WHERE id IN ({', '.join('?' for _ in chunk)})",
                chunk,
            )
            for aid, title, published, source, url, origin in rows:
                out[aid] = Article(
                    text="", id=aid, title=title, published=_day(published or ""), source=source,
                    url=url, origin=origin,
                )  # fmt: skip
        return out

    def _candidates(
        self, ev: Event, exclude_articles: set[str]
    ) -> list[tuple[str, str | None, Sequence[Any]]]:
        """(report id, incident id, row) of stored reports that blocking keeps for ``ev``."""
        seen: set[str] = set()
        out: list[tuple[str, str | None, Sequence[Any]]] = []
        country = ev.country
        for lo, hi, coarse in _ranges(ev):
            sql = candidate_sql(bool(country), coarse)
            args = [country, lo, hi] if country else [lo, hi]
            for row in self.db.execute(sql, args):
                rid, aid = row[0], row[1]
                if rid in seen or aid in exclude_articles:
                    continue
                seen.add(rid)
                out.append((rid, row[-1], row))
        return out

    # --- fusion -------------------------------------------------------------------------------

    def fuse(
        self,
        new: list[Event],
        new_articles: set[str],
        near_duplicates: Iterable[tuple[str, str]] = (),
        recompute: set[str] = frozenset(),  # type: ignore[assignment]
    ) -> None:
        """Attach ``new`` (already in ``events``) to incidents and rewrite every incident touched.

        ``near_duplicates``: article pairs known to be copies of each other; ``recompute``: incident
        ids whose membership must be rebuilt from their remaining reports (re-extraction).
        """
        uf = _UnionFind()
        loose: dict[str, Event] = {}  # reports that are nodes of their own
        current: dict[str, str | None] = {}

        def node(report_id: str, incident_id: str | None) -> str:
            if report_id in loose or not incident_id:
                return "r:" + report_id
            return "i:" + incident_id

        # 1. incidents being rebuilt: their remaining reports, linked pairwise again
        rebuilt: list[Event] = []
        for iid in sorted(recompute):
            for ev, cur in self._reports("incident_id = ?", (iid,)):
                loose[ev.event_id], current[ev.event_id] = ev, cur
                uf.add("r:" + ev.event_id)
                rebuilt.append(ev)
        for i, a in enumerate(rebuilt):
            for b in rebuilt[i + 1 :]:
                if a.article_id != b.article_id and uf.find("r:" + a.event_id) != uf.find("r:" + b.event_id):
                    if fusion.same_incident(a, b):
                        uf.union("r:" + a.event_id, "r:" + b.event_id)
        # 2. the new reports
        for ev in new:
            loose[ev.event_id], current[ev.event_id] = ev, None
            uf.add("r:" + ev.event_id)
        # 3. blocking candidates of each new report
        for ev in new:
            me = "r:" + ev.event_id
            for rid, iid, row in self._candidates(ev, new_articles):
                if not iid and rid not in loose:  # a report never fused (should not happen): adopt it
                    loose[rid], current[rid] = report_from_row(row)[0], None
                other = node(rid, iid)
                uf.add(other)
                if uf.find(other) == uf.find(me):
                    continue  # already linked: skip the comparison
                cand = loose.get(rid) or report_from_row(row)[0]
                if fusion.same_incident(ev, cand):
                    uf.union(me, other)
        # 4. near-duplicate articles: pair their reports
        pairs = sorted({(min(p), max(p)) for p in near_duplicates if p[0] != p[1]})
        by_article: dict[str, list[tuple[Event, str | None]]] = {}
        for aid in sorted({a for p in pairs for a in p}):
            by_article[aid] = self._reports("article_id = ?", (aid,))
        for x, y in pairs:
            xs, ys = by_article[x], by_article[y]
            incident_of = {e.event_id: cur for e, cur in (*xs, *ys)}
            for e, cur in (*xs, *ys):
                if not cur and e.event_id not in loose:
                    loose[e.event_id], current[e.event_id] = e, None
            for r, s in _pairs([e for e, _ in xs], [e for e, _ in ys]):
                a, b = node(r, incident_of.get(r)), node(s, incident_of.get(s))
                uf.add(a)
                uf.add(b)
                uf.union(a, b)
        self._write(uf, loose, current, recompute)

    def _write(
        self, uf: _UnionFind, loose: dict[str, Event], current: dict[str, str | None], recompute: set[str]
    ) -> None:
        groups: dict[str, list[str]] = {}
        for n in uf.parent:
            groups.setdefault(uf.find(n), []).append(n)
        components: list[_Component] = []
        for nodes in groups.values():
            if len(nodes) == 1 and nodes[0].startswith("i:"):
                continue  # an untouched incident: nothing joined it
            comp = _Component([], set(), {})
            for n in sorted(nodes):
                if n.startswith("r:"):
                    ev = loose[n[2:]]
                    comp.reports.append(ev)
                    comp.current[ev.event_id] = current.get(ev.event_id)
                    if current.get(ev.event_id):
                        comp.old_ids.add(current[ev.event_id])  # type: ignore[arg-type]
                else:
                    iid = n[2:]
                    comp.old_ids.add(iid)
                    for ev, cur in self._reports("incident_id = ?", (iid,)):
                        comp.reports.append(ev)
                        comp.current[ev.event_id] = cur
            if comp.reports:
                components.append(comp)
        articles = self._articles(a for c in components for a in (r.article_id for r in c.reports))
        new_ids: dict[str, str] = {}  # old incident id -> an incident that now holds its reports
        live: set[str] = set()
        for comp in components:
            iid = self._write_incident(comp.reports, articles)
            live.add(iid)
            for old in comp.old_ids:
                if old != iid:
                    new_ids.setdefault(old, iid)
            moves = [(iid, rid) for rid, cur in comp.current.items() if cur != iid]
            self.db.executemany("UPDATE events SET incident_id = ? WHERE event_id = ?", moves)
        for old in sorted((set(new_ids) | set(recompute)) - live):
            if old in new_ids:
                self._retire(old, "merged", new_ids[old])
            else:
                self._retire(old, "deleted", None)

    def _revision(
        self, incident_id: str, change: str, name: str | None, old: str | None, new: str | None
    ) -> None:
        self.db.execute(
            "INSERT INTO revisions (at, incident_id, change, field, old, new, reason) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (self.now, incident_id, change, name, old, new, self.reason),
        )
        self.revisions += 1

    def _retire(self, incident_id: str, change: str, successor: str | None) -> None:
        row = self.db.execute(
            "SELECT rowid FROM incidents WHERE incident_id = ? AND deleted_at IS NULL", (incident_id,)
        ).fetchone()
        if row is None:
            return
        self.db.execute(
            "UPDATE incidents SET deleted_at = ?, updated_at = ? WHERE rowid = ?",
            (self.now, self.now, row[0]),
        )
        self.db.execute("DELETE FROM incidents_fts WHERE rowid = ?", (row[0],))
        self._revision(incident_id, change, "incident_id" if successor else None, incident_id, successor)

    def _write_incident(self, reports: list[Event], articles: dict[str, Article]) -> str:
        reports = sorted(reports, key=lambda e: e.event_id)
        fused = fusion.fuse(reports, articles)
        iid = reports[0].event_id  # the contract: the smallest member id, whatever the order
        values = self._row(iid, fused, reports, articles)
        old = self.db.execute(
            f"SELECT {', '.join(REVISED_FIELDS)}, deleted_at FROM incidents WHERE incident_id = ?", (iid,)
        ).fetchone()
        created_at = self.now
        if old is None or old[-1] is not None:
            self._revision(iid, "created", None, None, None)
            changed = True
        else:
            changed = False
            for k, name in enumerate(REVISED_FIELDS):
                before, after = _text(name, old[k]), _text(name, values[name])
                if before != after:
                    self._revision(iid, "updated", name, before, after)
                    changed = True
        if not changed:
            cur = self.db.execute(
                "SELECT evidence, claims, confidence FROM incidents WHERE incident_id = ?", (iid,)
            ).fetchone()
            if cur == (values["evidence"], values["claims"], values["confidence"]):
                return iid  # nothing at all changed: leave the row (and updated_at) alone
        values["created_at"], values["updated_at"] = created_at, self.now
        self.db.execute(_UPSERT_INCIDENT, [values[c] for c in _INCIDENT_ALL])
        rowid = self.db.execute("SELECT rowid FROM incidents WHERE incident_id = ?", (iid,)).fetchone()[0]
        self.db.execute("DELETE FROM incidents_fts WHERE rowid = ?", (rowid,))
        actors = " ; ".join(
            x for x in (fused.actor1, fused.assoc_actor_1, fused.actor2, fused.assoc_actor_2) if x
        )
        place = ", ".join(x for x in (fused.location, fused.admin2, fused.admin1, fused.country) if x)
        self.db.execute(
            "INSERT INTO incidents_fts (rowid, incident_id, notes, actors, location) VALUES (?, ?, ?, ?, ?)",
            (rowid, iid, fused.notes, actors, place),
        )
        return iid

    @staticmethod
    def _row(iid: str, fused: Event, reports: list[Event], articles: dict[str, Article]) -> dict[str, Any]:
        d = event_dict(fused)
        values: dict[str, Any] = {c: d.get(c) for c in INCIDENT_COLUMNS if c != "incident_id"}
        values["incident_id"] = iid
        aids = sorted({r.article_id for r in reports})
        low, high = fusion.fatality_range(fused.claims)
        values["evidence"] = _compact(d.get("evidence") or {})
        values["sources"] = _compact(fusion.sources_of(reports, articles))
        values["claims"] = _compact(d.get("claims") or [])
        values["n_reports"] = len(reports)
        values["n_articles"] = len(aids)
        values["fatalities_low"], values["fatalities_high"] = low, high
        return values
