"""Reports -> incidents inside the store's write transaction (fusion across articles).

An incident is a group of :func:`marsad.fusion.guarded_groups` over reports: single linkage over
"same incident" links between reports of different articles, strongest links first, never joining
two groups that name different armed groups (so one vague or mis-coded report cannot chain two
incidents). The grouping is a function of the reports alone, so membership does not depend on the
order articles arrive in: each ingest regroups the linked component its new reports touch (the whole
component, incidents the guard kept apart included, when a conflict is in play or a re-extraction
removed reports).

Links come from two places: :func:`marsad.fusion.same_incident` on candidates found by SQL
blocking (date window and country, never all pairs), and near-duplicate articles (a syndicated or
rewritten copy), whose reports are paired with the original's so the copy adds a source, not an
incident.
"""

from __future__ import annotations

import json
import sqlite3
from collections import Counter
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
_SUB_EVENT_TYPE = REPORT_COLUMNS.index("sub_event_type")
_EVENT_TYPE = REPORT_COLUMNS.index("event_type")
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


class _LinkedComponent:
    """The reports linked to some starting reports, directly or through others, with their links.

    Starting from the new reports (and incidents being rebuilt), each report brings in its
    incident's other reports, the reports it matches among the blocking candidates, and the
    reports of its article's near-duplicates. In ``full`` mode each new member is expanded the same
    way, so the component holds incidents the guard kept apart too; its reports are the only ones
    whose grouping can change.

    Outside ``full`` mode only the starting reports are expanded: when nothing in the result
    conflicts, every link is taken, so the incidents they touch simply join (and an incident the
    guard kept apart from one of them stays apart: groups only grow, so a blocked join stays
    blocked). :meth:`IncidentWriter.fuse` switches to ``full`` mode when a conflict appears.
    """

    def __init__(self, writer: IncidentWriter) -> None:
        self.writer = writer
        self.reports: dict[str, Event] = {}
        self.current: dict[str, str | None] = {}
        self.incidents: set[str] = set()
        self.links: dict[tuple[str, str], float] = {}
        self.pairs: set[tuple[str, str]] = set()  # near-duplicate article pairs
        self._frontier: list[str] = []
        self._compared: set[tuple[str, str]] = set()
        self._articles: set[str] = set()
        self._paired: set[tuple[str, str]] = set()
        self._expanded: set[str] = set()
        # within one regrouping nothing is written yet: candidate rows and parsed reports are reused
        self._rows: dict[tuple[Any, ...], list[Sequence[Any]]] = {}
        self._parsed: dict[str, Event] = {}
        self.full = False
        # members of a stored incident are one group already: chained so the grouping keeps them
        # together without re-deriving their links (outside full mode)
        self.kept: dict[tuple[str, str], float] = {}

    def add(self, ev: Event, incident_id: str | None, seed: bool = False) -> None:
        if ev.event_id in self.reports:
            return
        self.reports[ev.event_id] = ev
        self.current[ev.event_id] = incident_id
        if seed or self.full:
            self._frontier.append(ev.event_id)
        if incident_id:
            self.add_incident(incident_id)

    def add_incident(self, incident_id: str, seed: bool = False) -> None:
        if incident_id in self.incidents:
            return
        self.incidents.add(incident_id)
        members = self.writer._reports("incident_id = ?", (incident_id,))
        for ev, cur in members:
            self.add(ev, cur, seed)
        ids = sorted(ev.event_id for ev, _ in members)
        for a, b in zip(ids, ids[1:], strict=False):
            self.kept[(a, b)] = 0.0

    def has_conflict(self) -> bool:
        """Do two reports of the component name different armed groups (the guard's concern)?"""
        # the same test as fusion.conflicts, with each report's groups read once
        named = [(r.article_id, g) for r in self.reports.values() if (g := fusion.armed_groups(r))]
        return any(a != b and not (ga & gb) for i, (a, ga) in enumerate(named) for b, gb in named[i + 1 :])

    def expand_fully(self) -> None:
        """Expand every member, not only the starting reports: the guard needs every real link."""
        self.full = True
        self._frontier = [rid for rid in sorted(self.reports) if rid not in self._expanded]
        self.expand()

    def grouping_links(self) -> dict[tuple[str, str], float]:
        return self.links if self.full else {**self.kept, **self.links}

    def expand(self) -> None:
        db = self.writer.db
        while self._frontier:
            rid = self._frontier.pop()
            if rid in self._expanded:
                continue
            self._expanded.add(rid)
            ev = self.reports[rid]
            if ev.article_id not in self._articles:
                self._articles.add(ev.article_id)
                rows = db.execute(
                    "SELECT id, near_duplicate_of FROM articles WHERE near_duplicate_of IS NOT NULL"
                    " AND (id = ? OR near_duplicate_of = ?)",
                    (ev.article_id, ev.article_id),
                ).fetchall()
                self.pairs |= {(min(a, b), max(a, b)) for a, b in rows if a != b}
            for cid, ciid, row in self.writer._candidates(ev, {ev.article_id}, self._rows):
                key = fusion.link_key(rid, cid)
                if key in self._compared:
                    continue
                self._compared.add(key)
                cand = self.reports.get(cid) or self._parsed.get(cid)
                if cand is None and not fusion.types_could_match(ev, row[_SUB_EVENT_TYPE], row[_EVENT_TYPE]):
                    continue  # most candidates of a place and week are other kinds of event
                if cand is None:
                    # members of one place and week share candidates: parse each row once
                    cand = self._parsed[cid] = report_from_row(row)[0]
                if fusion.same_incident(ev, cand):
                    self.links[key] = fusion.match_score(ev, cand)
                    self.add(cand, ciid)
            if not self._frontier:
                self._pair_near_duplicates()

    def _pair_near_duplicates(self) -> None:
        """Links between the reports of near-duplicate articles (a copy adds a source)."""
        for x, y in sorted(self.pairs - self._paired):
            self._paired.add((x, y))
            xs = self.writer._reports("article_id = ?", (x,))
            ys = self.writer._reports("article_id = ?", (y,))
            for e, cur in (*xs, *ys):
                self.add(e, cur)  # new members go on the frontier: expand() continues with them
            for r, s in _pairs([e for e, _ in xs], [e for e, _ in ys]):
                # stronger than any rule-based link: the copy is the same story by construction
                self.links[fusion.link_key(r, s)] = _NEAR_DUPLICATE_SCORE


# A near-duplicate pairing outranks every same-incident link (match_score stays far below it).
_NEAR_DUPLICATE_SCORE = 1000.0


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
        self,
        ev: Event,
        exclude_articles: set[str],
        cache: dict[tuple[Any, ...], list[Sequence[Any]]] | None = None,
    ) -> list[tuple[str, str | None, Sequence[Any]]]:
        """(report id, incident id, row) of stored reports that blocking keeps for ``ev``.

        ``cache``: rows by query, for a caller that asks for many reports of one place and week
        (regrouping a component) while nothing is written.
        """
        seen: set[str] = set()
        out: list[tuple[str, str | None, Sequence[Any]]] = []
        country = ev.country
        for lo, hi, coarse in _ranges(ev):
            sql = candidate_sql(bool(country), coarse)
            args = [country, lo, hi] if country else [lo, hi]
            if cache is None:
                rows: Iterable[Sequence[Any]] = self.db.execute(sql, args)
            else:
                key = (sql, *args)
                if key not in cache:
                    cache[key] = self.db.execute(sql, args).fetchall()
                rows = cache[key]
            for row in rows:
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

        The whole linked component the new reports touch is regrouped with
        :func:`marsad.fusion.guarded_groups`: every report in it, every same-incident link among them
        (found by blocking, never all pairs) and every near-duplicate pairing. Incidents the guard
        kept apart are linked components too, so the grouping is what a single pass over all the
        reports would give, whatever order they came in.
        """
        comp = _LinkedComponent(self)
        for ev in new:
            comp.add(ev, None, seed=True)
        for iid in sorted(recompute):
            comp.add_incident(iid, seed=True)
        comp.pairs |= {(min(p), max(p)) for p in near_duplicates if p[0] != p[1]}
        comp.expand()
        if recompute or comp.has_conflict():
            # the guard may have to choose, or a removed report may lift an earlier choice:
            # find every link of every member (incidents kept apart join the component)
            comp.expand_fully()
        groups = fusion.guarded_groups(comp.reports.values(), comp.grouping_links())
        self._write(groups, comp.current, comp.incidents | set(recompute))

    def _write(self, groups: list[list[Event]], current: dict[str, str | None], old_ids: set[str]) -> None:
        articles = self._articles(r.article_id for g in groups for r in g)
        live: set[str] = set()
        holders: dict[str, Counter[str]] = {}  # old incident id -> new incidents holding its reports
        for reports in groups:
            iid = self._write_incident(reports, articles)
            live.add(iid)
            moves = []
            for r in reports:
                cur = current.get(r.event_id)
                if cur:
                    holders.setdefault(cur, Counter())[iid] += 1
                if cur != iid:
                    moves.append((iid, r.event_id))
            self.db.executemany("UPDATE events SET incident_id = ? WHERE event_id = ?", moves)
        for old in sorted(old_ids - live):
            held = holders.get(old)
            if held:
                # its reports live on elsewhere: the incident that took most of them succeeds it
                self._retire(old, "merged", min(held, key=lambda k: (-held[k], k)))
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
        low, high = fusion.fatality_bounds(reports, fused.claims)
        values["evidence"] = _compact(d.get("evidence") or {})
        values["sources"] = _compact(fusion.sources_of(reports, articles))
        values["claims"] = _compact(d.get("claims") or [])
        values["n_reports"] = len(reports)
        values["n_articles"] = len(aids)
        values["fatalities_low"], values["fatalities_high"] = low, high
        return values
