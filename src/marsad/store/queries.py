"""Read-only SQL behind the web API: filtered incidents, one incident's dossier, stats and trends.

The store module is the only writer; this module only reads (connections are opened read-only
and with ``query_only``), so a bug here can never damage the database. "Events" in the API are
live rows of ``incidents`` (``deleted_at IS NULL``); their reports are rows of ``events``.
"""

from __future__ import annotations

import json
import math
import re
import sqlite3
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from marsad.model import ACLED_FIELDS

__all__ = [
    "EventFilter",
    "FilterError",
    "article",
    "connect",
    "count_events",
    "event_detail",
    "find_events",
    "geojson_features",
    "iter_points",
    "map_clusters",
    "page_events",
    "iter_events",
    "parse_date",
    "parse_filter",
    "resolve",
    "stats",
    "trends",
]

# Columns returned for each incident in lists (ACLED columns plus what the page shows).
LIST_COLUMNS: tuple[str, ...] = (
    "incident_id",
    *ACLED_FIELDS[1:],
    "geonameid",
    "confidence",
    "n_reports",
    "n_articles",
    "fatalities_low",
    "fatalities_high",
    "created_at",
    "updated_at",
)
_JSON_COLUMNS = ("evidence", "sources", "claims")
# incident_id breaks ties: deterministic pages, and the recommended browse index holds that order
_SORTS = {
    "date": "i.event_date ASC, i.incident_id ASC",
    "-date": "i.event_date DESC, i.incident_id DESC",
    "fatalities": "i.fatalities ASC, i.incident_id ASC",
    "-fatalities": "i.fatalities DESC, i.incident_id DESC",
    "updated": "i.updated_at ASC, i.incident_id ASC",
    "-updated": "i.updated_at DESC, i.incident_id DESC",
}
MAX_LIMIT = 1000

_WORD = re.compile(r"\w+", re.UNICODE)
TRIGRAM = 3  # shortest actor text the trigram index can find
MMAP_BYTES = 1 << 30
CACHE_KIB = 16384
CANDIDATES_MAX = 10000  # other filters leaving at most this many: text filters checked on those alone
PROBE_ABOVE = 3000  # text matches past which membership probes beat reading each match (measured)


class FilterError(ValueError):
    """A filter parameter is malformed; the message says which and how to write it."""


@dataclass(frozen=True, slots=True)
class EventFilter:
    """Validated filters shared by the list, GeoJSON, CSV and stats endpoints (all optional)."""

    date_from: str | None = None
    date_to: str | None = None
    country: tuple[str, ...] = ()
    admin1: tuple[str, ...] = ()
    event_type: tuple[str, ...] = ()
    sub_event_type: tuple[str, ...] = ()
    actor: str | None = None
    bbox: tuple[float, float, float, float] | None = None  # west, south, east, north
    q: str | None = None
    min_fatalities: int | None = None
    # Set by resolve(): the rowids (a JSON array) of the incidents the text filters match, searched
    # once per request instead of once per query; ``matched_actor`` says whether ``actor`` is in it.
    matched: str | None = field(default=None, compare=False, repr=False)
    n_matched: int = field(default=0, compare=False, repr=False)
    matched_actor: bool = field(default=False, compare=False, repr=False)

    def where(self) -> tuple[str, list[Any]]:
        """SQL condition over alias ``i`` (always restricted to live incidents) and its parameters.

        Works on any store as it stands; :func:`resolve` first makes the text filters much cheaper.
        """
        conds = ["i.deleted_at IS NULL"]
        args: list[Any] = []
        if self.date_from:
            conds.append("i.event_date >= ?")
            args.append(self.date_from)
        if self.date_to:
            conds.append("i.event_date <= ?")
            args.append(self.date_to)
        for col in ("country", "admin1", "event_type", "sub_event_type"):
            values: tuple[str, ...] = getattr(self, col)
            if values:
                conds.append(f"i.{col} IN ({', '.join('?' for _ in values)})")
                args.extend(values)
        if self.actor and not self.matched_actor:
            # LIKE: what the trigram index answers, for stores without it and one- or two-letter text
            pat = "%" + self.actor.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
            conds.append(
                "(i.actor1 LIKE ? ESCAPE '\\' OR i.actor2 LIKE ? ESCAPE '\\'"
                " OR i.assoc_actor_1 LIKE ? ESCAPE '\\' OR i.assoc_actor_2 LIKE ? ESCAPE '\\')"
            )
            args.extend([pat] * 4)
        if self.bbox:
            west, south, east, north = self.bbox
            conds.append("i.latitude BETWEEN ? AND ?")
            args += [south, north]
            if west <= east:
                conds.append("i.longitude BETWEEN ? AND ?")
                args += [west, east]
            else:  # box crossing the antimeridian
                conds.append("(i.longitude >= ? OR i.longitude <= ?)")
                args += [west, east]
        if self.min_fatalities is not None:
            conds.append("COALESCE(i.fatalities, 0) >= ?")
            args.append(self.min_fatalities)
        if self.matched is not None:
            if not self.n_matched:
                conds.append("0")
            else:
                # Few matches: SQLite reads just those rows. Many: a membership probe ("+" keeps the
                # list from driving the search) while it walks an index in the wanted order, since
                # reading thousands of rows one by one costs more than scanning an index.
                lead = "+" if self.n_matched > PROBE_ABOVE else ""
                conds.append(f"{lead}i.rowid IN (SELECT value FROM json_each(?))")
                args.append(self.matched)
        elif self.q:
            match = fts_query(self.q)
            if match:
                # an incident matches when its own text (notes, actors, place) or any of its articles does
                conds.append(
                    "+i.incident_id IN (SELECT incident_id FROM incidents_fts WHERE incidents_fts MATCH ?"
                    " UNION SELECT e.incident_id FROM events e JOIN articles a ON a.id = e.article_id"
                    " WHERE a.rowid IN (SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?))"
                )
                args += [match, match]
        return " AND ".join(conds), args


def fts_query(text: str) -> str:
    """User words as an FTS5 query that cannot be a syntax error: every word quoted, all required."""
    words = _WORD.findall(text)
    return " ".join(f'"{w}"' for w in words[:20])


# --- parsing ------------------------------------------------------------------


def _iso_date(name: str, value: str | None) -> str | None:
    if value is None or value == "":
        return None
    try:
        return date.fromisoformat(value.strip()).isoformat()
    except ValueError:
        raise FilterError(
            f"{name}={value!r} is not a date; write it as YYYY-MM-DD, e.g. 2024-11-30"
        ) from None


def parse_date(name: str, value: str | None) -> str | None:
    """An optional ISO date parameter, normalised; :class:`FilterError` naming ``name`` when malformed."""
    return _iso_date(name, value)


def _values(params: Mapping[str, Sequence[str] | str | None], name: str) -> tuple[str, ...]:
    raw = params.get(name)
    if raw is None:
        return ()
    items = [raw] if isinstance(raw, str) else list(raw)
    return tuple(v.strip() for v in items if v and v.strip())


def _one(params: Mapping[str, Sequence[str] | str | None], name: str) -> str | None:
    vals = _values(params, name)
    return vals[-1] if vals else None


def parse_bbox(value: str) -> tuple[float, float, float, float]:
    """``west,south,east,north`` in degrees (WGS84), as in the GeoJSON/OGC convention."""
    parts = value.split(",")
    if len(parts) != 4:
        raise FilterError(
            f"bbox={value!r} must be four numbers west,south,east,north, e.g. 42.0,1.5,46.0,5.0"
        )
    try:
        west, south, east, north = (float(p) for p in parts)
    except ValueError:
        raise FilterError(f"bbox={value!r} must be four numbers west,south,east,north") from None
    if not all(math.isfinite(v) for v in (west, south, east, north)):
        raise FilterError(f"bbox={value!r} must be finite numbers")
    if not (-180 <= west <= 180 and -180 <= east <= 180):
        raise FilterError(f"bbox={value!r}: longitudes must lie in [-180, 180]")
    if not (-90 <= south <= 90 and -90 <= north <= 90):
        raise FilterError(f"bbox={value!r}: latitudes must lie in [-90, 90]")
    if south > north:
        raise FilterError(f"bbox={value!r}: south ({south}) is north of north ({north})")
    return west, south, east, north


def parse_int(
    name: str, value: str | None, default: int | None, low: int = 0, high: int | None = None
) -> int | None:
    """An integer parameter within [low, high], with a message naming the parameter when it is not."""
    if value is None or value == "":
        return default
    try:
        n = int(value)
    except ValueError:
        raise FilterError(f"{name}={value!r} is not a whole number") from None
    if n < low:
        raise FilterError(f"{name}={n} must be at least {low}")
    if high is not None and n > high:
        raise FilterError(f"{name}={n} must be at most {high}")
    return n


def parse_filter(params: Mapping[str, Sequence[str] | str | None]) -> EventFilter:
    """Validate query parameters (repeatable ``country``, ``admin1``, ``event_type``, ``sub_event_type``).

    Raises :class:`FilterError` with a message fit for a 400 response.
    """
    date_from = _iso_date("date_from", _one(params, "date_from"))
    date_to = _iso_date("date_to", _one(params, "date_to"))
    if date_from and date_to and date_from > date_to:
        raise FilterError(f"date_from ({date_from}) is after date_to ({date_to})")
    bbox_raw = _one(params, "bbox")
    q = _one(params, "q")
    if q and not fts_query(q):
        q = None  # only punctuation: nothing to search for
    actor = _one(params, "actor")
    return EventFilter(
        date_from=date_from,
        date_to=date_to,
        country=_values(params, "country"),
        admin1=_values(params, "admin1"),
        event_type=_values(params, "event_type"),
        sub_event_type=_values(params, "sub_event_type"),
        actor=actor[:200] if actor else None,
        bbox=parse_bbox(bbox_raw) if bbox_raw else None,
        q=q[:500] if q else None,
        min_fatalities=parse_int("min_fatalities", _one(params, "min_fatalities"), None),
    )


# --- connections ----------------------------------------------------------------


def connect(path: str | Path) -> sqlite3.Connection:
    """A read-only connection to an existing store (FileNotFoundError when there is none)."""
    p = Path(path)
    if not p.is_file():
        raise FileNotFoundError(f"no marsad store at {p}")
    try:
        conn = sqlite3.connect(f"{p.resolve().as_uri()}?mode=ro", uri=True, check_same_thread=False)
        conn.execute("SELECT 1 FROM sqlite_master LIMIT 1")
    except sqlite3.OperationalError:
        # read-only WAL databases need the -shm file; open read-write, but never write (query_only)
        conn = sqlite3.connect(str(p), check_same_thread=False)
    conn.execute("PRAGMA query_only = ON")
    # memory-mapped reads: page lookups without a system call each (the OS shares the pages between
    # worker threads); a bigger private cache keeps the hot index pages
    conn.execute(f"PRAGMA mmap_size = {MMAP_BYTES}")
    conn.execute(f"PRAGMA cache_size = -{CACHE_KIB}")
    conn.row_factory = sqlite3.Row
    return conn


def _where(conn: sqlite3.Connection, f: EventFilter) -> tuple[str, list[Any]]:
    return resolve(conn, f).where()


def _actor_phrase(text: str) -> str:
    # a quoted trigram phrase is a substring match, any case (Unicode case folding); quotes are text
    return '"' + text.replace('"', '""') + '"'


def resolve(conn: sqlite3.Connection, f: EventFilter) -> EventFilter:
    """``f`` with its text filters (``q``; ``actor`` on stores with the trigram index) searched now.

    Call it once per request and pass the result to every query of that request: the full-text
    searches then run once, and the SQL gets a plain list of rowids. Same matches as ``f.where()``.
    """
    if f.matched is not None:
        return f
    if not (f.q and fts_query(f.q)) and not f.actor:
        return f
    narrowed = _resolve_among_candidates(conn, f)
    if narrowed is not None:
        return narrowed
    parts: list[str] = []
    args: list[str] = []
    actor_done = False
    if f.actor and len(f.actor) >= TRIGRAM and _has(conn, "incidents_actors"):
        parts.append("SELECT rowid AS r FROM incidents_actors WHERE incidents_actors MATCH ?")
        args.append(_actor_phrase(f.actor))
        actor_done = True
    match = fts_query(f.q) if f.q else ""
    if match:
        # incidents_fts shares its incidents' rowids; an article reaches its incidents via the reports
        parts.append(
            "SELECT r FROM (SELECT rowid AS r FROM incidents_fts WHERE incidents_fts MATCH ?"
            " UNION SELECT i.rowid FROM articles_fts JOIN articles a ON a.rowid = articles_fts.rowid"
            " JOIN events e ON e.article_id = a.id JOIN incidents i ON i.incident_id = e.incident_id"
            " WHERE articles_fts MATCH ?)"
        )
        args += [match, match]
    if not parts:
        return f
    # the list is built inside SQLite: handing thousands of rows to Python one by one costs more
    n, rowids = conn.execute(
        f"SELECT COUNT(*), json_group_array(r) FROM ({' INTERSECT '.join(parts)})", args
    ).fetchone()
    return replace(f, matched=rowids, n_matched=int(n), matched_actor=actor_done)


def _resolve_among_candidates(conn: sqlite3.Connection, f: EventFilter) -> EventFilter | None:
    """When the other filters leave few incidents, test the text filters on those alone.

    A common word or name can match tens of thousands of incidents; building that list costs more
    than checking a few thousand candidates (actor by LIKE, words by membership in the full-text
    hits, which SQLite collects as bare rowids). None when the other filters leave too many.
    """
    rest = replace(f, q=None, actor=None)
    if rest == EventFilter():
        return None
    where, args = rest.where()
    n, cands = conn.execute(
        f"SELECT COUNT(*), json_group_array(r) FROM (SELECT i.rowid AS r FROM incidents i WHERE {where}"
        f" LIMIT {CANDIDATES_MAX + 1})",
        args,
    ).fetchone()
    if n > CANDIDATES_MAX:
        return None
    conds = ["i.rowid IN (SELECT value FROM json_each(?))"]
    cargs: list[Any] = [cands]
    if f.actor:
        actor_where, actor_args = EventFilter(actor=f.actor).where()
        conds.append(actor_where)
        cargs += actor_args
    match = fts_query(f.q) if f.q else ""
    if match:
        conds.append(
            "(i.rowid IN (SELECT rowid FROM incidents_fts WHERE incidents_fts MATCH ?) OR EXISTS (SELECT 1"
            " FROM events e JOIN articles a ON a.id = e.article_id WHERE e.incident_id = i.incident_id"
            " AND a.rowid IN (SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?)))"
        )
        cargs += [match, match]
    m, rowids = conn.execute(
        "SELECT COUNT(*), json_group_array(r) FROM (SELECT i.rowid AS r FROM incidents i"
        f" WHERE {' AND '.join(conds)})",
        cargs,
    ).fetchone()
    return replace(f, matched=rowids, n_matched=int(m), matched_actor=True)


def _has(conn: sqlite3.Connection, name: str) -> bool:
    return conn.execute("SELECT 1 FROM sqlite_master WHERE name = ?", (name,)).fetchone() is not None


def has_incidents_table(conn: sqlite3.Connection) -> bool:
    row = conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'incidents'").fetchone()
    return row is not None


# --- lists ----------------------------------------------------------------------


def _row(r: sqlite3.Row, skip_rowid: bool = False) -> dict[str, Any]:
    d = dict(r)
    if skip_rowid:
        d.pop("rowid", None)
    d["event_id"] = d["incident_id"]
    for key in _JSON_COLUMNS:
        if key in d:
            d[key] = _loads(d[key], [] if key != "evidence" else {})
    return d


def _loads(raw: str | None, default: Any) -> Any:
    if not raw:
        return default
    try:
        return json.loads(raw)
    except (json.JSONDecodeError, TypeError):
        return default  # a hand-edited row must not break the page


def count_events(conn: sqlite3.Connection, f: EventFilter) -> int:
    f = resolve(conn, f)
    text_only = replace(f, q=None, actor=None if f.matched_actor else f.actor) == EventFilter()
    if f.matched is not None and text_only and _has(conn, "incidents_retired"):
        # only text filters: the matches less the retired ones among them (no scan of every incident)
        retired = conn.execute(
            "SELECT COUNT(*) FROM incidents i INDEXED BY incidents_retired WHERE i.deleted_at IS NOT NULL"
            " AND i.rowid IN (SELECT value FROM json_each(?))",
            (f.matched,),
        ).fetchone()[0]
        return f.n_matched - int(retired)
    where, args = f.where()
    return int(conn.execute(f"SELECT COUNT(*) FROM incidents i WHERE {where}", args).fetchone()[0])


def _page(conn: sqlite3.Connection, f: EventFilter, limit: int | None, offset: int, sort: str) -> list[int]:
    """Row ids of one page: found on indexes alone, so skipped rows (deep offsets) cost no row reads."""
    if sort not in _SORTS:
        raise FilterError(f"sort={sort!r} must be one of {', '.join(_SORTS)}")
    where, args = _where(conn, f)
    sql = f"SELECT i.rowid FROM incidents i WHERE {where} ORDER BY {_SORTS[sort]} LIMIT ? OFFSET ?"
    return [r[0] for r in conn.execute(sql, [*args, -1 if limit is None else limit, offset])]


def _by_rowid(conn: sqlite3.Connection, columns: str, rowids: list[int]) -> Iterator[sqlite3.Row]:
    """Rows for the given ids in the given order (chunks stay under SQLite's parameter limit)."""
    for k in range(0, len(rowids), 500):
        chunk = rowids[k : k + 500]
        rows = {
            r[0]: r
            for r in conn.execute(
                f"SELECT i.rowid, {columns} FROM incidents i WHERE i.rowid IN ({', '.join('?' * len(chunk))})",
                chunk,
            )
        }
        for rid in chunk:
            if rid in rows:
                yield rows[rid]


_LIST_SQL_COLUMNS = ", ".join("i." + c for c in LIST_COLUMNS)


def find_events(
    conn: sqlite3.Connection, f: EventFilter, limit: int = 100, offset: int = 0, sort: str = "-date"
) -> tuple[int, list[dict[str, Any]]]:
    """(total matching, one page of incidents) ordered by ``sort`` (see ``_SORTS``)."""
    rows = page_events(conn, f, limit, offset, sort)
    return count_events(conn, f), rows


def page_events(
    conn: sqlite3.Connection, f: EventFilter, limit: int = 100, offset: int = 0, sort: str = "-date"
) -> list[dict[str, Any]]:
    """One page of matching incidents ordered by ``sort`` (see ``_SORTS``)."""
    ids = _page(conn, f, limit, offset, sort)
    return [_row(r, skip_rowid=True) for r in _by_rowid(conn, _LIST_SQL_COLUMNS, ids)]


def iter_events(
    conn: sqlite3.Connection, f: EventFilter, limit: int | None = None, sort: str = "-date"
) -> Iterator[dict[str, Any]]:
    """Matching incidents one by one (exports), in ``sort`` order."""
    for r in _by_rowid(conn, _LIST_SQL_COLUMNS, _page(conn, f, limit, 0, sort)):
        yield _row(r, skip_rowid=True)


GEO_COLUMNS = (
    "incident_id",
    "event_date",
    "event_type",
    "sub_event_type",
    "actor1",
    "actor2",
    "country",
    "admin1",
    "location",
    "fatalities",
    "geo_precision",
    "n_articles",
    "latitude",
    "longitude",
)


def geojson_features(conn: sqlite3.Connection, f: EventFilter, limit: int | None = None) -> list[str]:
    """Matching incidents with coordinates as GeoJSON Feature strings, newest first.

    SQLite's JSON functions build each feature: no Python dict per row, no json.dumps of a large list.
    """
    props = ", ".join(
        f"'{c}', i.{c}" for c in GEO_COLUMNS if c not in ("incident_id", "latitude", "longitude")
    )
    feature = (
        "json_object('type', 'Feature', 'id', i.incident_id, 'properties', json_object('id', i.incident_id, "
        f"{props}), 'geometry', json_object('type', 'Point', 'coordinates', json_array(i.longitude, i.latitude)))"
    )
    out: list[str] = []
    rowids = _page(conn, f, limit, 0, "-date")
    for k in range(0, len(rowids), 500):
        chunk = rowids[k : k + 500]
        rows = dict(
            conn.execute(
                f"SELECT i.rowid, {feature} FROM incidents i WHERE i.rowid IN ({', '.join('?' * len(chunk))})"
                " AND i.latitude IS NOT NULL AND i.longitude IS NOT NULL",
                chunk,
            ).fetchall()
        )
        out.extend(rows[r] for r in chunk if r in rows)
    return out


CLUSTER_PX = 64  # a map cell's side on screen: about one cluster marker per cell
MAX_ZOOM = 20


def map_clusters(conn: sqlite3.Connection, f: EventFilter, zoom: int) -> dict[str, Any]:
    """Matching incidents with coordinates, gathered into square map cells for zoom level ``zoom``.

    A cell is about :data:`CLUSTER_PX` screen pixels wide at that zoom (Web Mercator tiles of 256
    px), so the page draws a few hundred markers for any number of events: the server does the
    clustering. A cell holding one incident comes back as that incident (id, type, date, place,
    fatalities); a larger one as its count, fatalities, mean position and event types.
    """
    cell = CLUSTER_PX * 360.0 / (256 * 2**zoom)
    where, args = _where(conn, resolve(conn, f))
    groups: dict[tuple[int, int], dict[str, Any]] = {}
    for gx, gy, etype, n, fsum, lat, lon, first in conn.execute(
        "SELECT CAST((i.longitude + 180) / ? AS INTEGER) AS gx, CAST((i.latitude + 90) / ? AS INTEGER) AS gy,"
        " COALESCE(i.event_type, ''), COUNT(*), COALESCE(SUM(i.fatalities), 0), SUM(i.latitude),"
        " SUM(i.longitude), MIN(i.rowid)"  # the rowid: a small sort record (the grouping sorts every row)
        f" FROM incidents i WHERE {where} AND i.latitude IS NOT NULL AND i.longitude IS NOT NULL"
        " GROUP BY gx, gy, 3",
        [cell, cell, *args],
    ):
        g = groups.setdefault((gx, gy), {"count": 0, "fatalities": 0, "lat": 0.0, "lon": 0.0, "types": {}})
        g["count"] += n
        g["fatalities"] += fsum
        g["lat"] += lat
        g["lon"] += lon
        g["types"][etype] = g["types"].get(etype, 0) + n
        g["first"] = first
    singles = [g["first"] for g in groups.values() if g["count"] == 1]
    details: dict[str, dict[str, Any]] = {}
    for k in range(0, len(singles), 500):
        chunk = singles[k : k + 500]
        for r in conn.execute(
            "SELECT rowid, incident_id, event_date, event_type, sub_event_type, location, admin1, country,"
            f" fatalities, latitude, longitude FROM incidents WHERE rowid IN ({', '.join('?' * len(chunk))})",
            chunk,
        ):
            details[r["rowid"]] = dict(r)
    cells: list[dict[str, Any]] = []
    points: list[dict[str, Any]] = []
    for g in groups.values():
        if g["count"] == 1 and g["first"] in details:
            d = details[g["first"]]
            del d["rowid"]
            d["id"] = d.pop("incident_id")
            points.append(d)
            continue
        types = sorted(g["types"].items(), key=lambda kv: (-kv[1], kv[0]))
        cells.append(
            {
                "count": g["count"],
                "fatalities": g["fatalities"],
                "latitude": round(g["lat"] / g["count"], 5),
                "longitude": round(g["lon"] / g["count"], 5),
                "types": dict(types),
            }
        )
    cells.sort(key=lambda c: -c["count"])
    return {
        "zoom": zoom,
        "cell_degrees": cell,
        "events": sum(c["count"] for c in cells) + len(points),
        "clusters": cells,
        "points": points,
    }


def iter_points(
    conn: sqlite3.Connection, f: EventFilter, limit: int | None = None
) -> Iterator[tuple[Any, ...]]:
    """(GEO_COLUMNS values) of matching incidents that have coordinates, newest first: the map's layer."""
    cols = ", ".join("i." + c for c in GEO_COLUMNS)
    for r in _by_rowid(conn, cols, _page(conn, f, limit, 0, "-date")):
        if r["latitude"] is not None and r["longitude"] is not None:
            yield tuple(r)[1:]


# --- one incident -------------------------------------------------------------------


def _attribute_spans(evidence: dict[str, Any], texts: dict[str, str]) -> dict[str, Any]:
    """Give every evidence span the article it points into.

    Fused evidence may say so itself (``article_id`` on the field or the span, or in the rule text);
    otherwise the span belongs to the first article whose text holds its words at its offsets.
    """
    out: dict[str, Any] = {}
    for name, ev in evidence.items():
        if not isinstance(ev, dict):
            continue
        field_article = ev.get("article_id") or next((a for a in texts if a in str(ev.get("rule", ""))), None)
        spans = []
        for sp in ev.get("spans", []) or []:
            if not isinstance(sp, dict):
                continue
            start, end, words = sp.get("start"), sp.get("end"), sp.get("text", "")
            aid = sp.get("article_id") or field_article
            if not aid and isinstance(start, int) and isinstance(end, int):
                aid = next((a for a, t in texts.items() if t[start:end] == words), None)
            spans.append({**sp, "article_id": aid})
        out[name] = {**ev, "spans": spans}
    return out


def event_detail(conn: sqlite3.Connection, incident_id: str) -> dict[str, Any] | None:
    """One live incident with sources, claims, evidence (spans tied to articles), reports and history."""
    r = conn.execute(
        f"SELECT {', '.join(LIST_COLUMNS)}, evidence, sources, claims, deleted_at FROM incidents"
        " WHERE incident_id = ?",
        (incident_id,),
    ).fetchone()
    if r is None or r["deleted_at"] is not None:
        return None
    d = _row(r)
    d.pop("deleted_at", None)
    reports = [
        {
            "event_id": e["event_id"],
            "article_id": e["article_id"],
            "event_date": e["event_date"],
            "sub_event_type": e["sub_event_type"],
            "actor1": e["actor1"],
            "actor2": e["actor2"],
            "location": e["location"],
            "fatalities": e["fatalities"],
            "evidence": _loads(e["evidence"], {}),
            "claims": _loads(e["claims"], []),
        }
        for e in conn.execute(
            "SELECT event_id, article_id, event_date, sub_event_type, actor1, actor2, location, fatalities,"
            " evidence, claims FROM events WHERE incident_id = ? ORDER BY event_id",
            (incident_id,),
        )
    ]
    article_ids = list(
        dict.fromkeys(
            [
                *(s.get("article_id") for s in d["sources"] if isinstance(s, dict)),
                *(rep["article_id"] for rep in reports),
            ]
        )
    )
    article_ids = [a for a in article_ids if a]
    arts = _articles(conn, article_ids)
    texts = {a["id"]: a["text"] for a in arts}
    d["evidence"] = _attribute_spans(d["evidence"] if isinstance(d["evidence"], dict) else {}, texts)
    d["reports"] = reports
    d["articles"] = arts
    d["revisions"] = [
        dict(x)
        for x in conn.execute(
            "SELECT at, change, field, old, new, reason FROM revisions WHERE incident_id = ? ORDER BY id",
            (incident_id,),
        )
    ]
    return d


def _articles(conn: sqlite3.Connection, ids: list[str]) -> list[dict[str, Any]]:
    if not ids:
        return []
    rows = conn.execute(
        "SELECT id, title, published, source, url, origin, text, ingested_at, near_duplicate_of FROM articles"
        f" WHERE id IN ({', '.join('?' for _ in ids)})",
        ids,
    )
    by_id = {r["id"]: dict(r) for r in rows}
    return [by_id[i] for i in ids if i in by_id]


def article(conn: sqlite3.Connection, article_id: str) -> dict[str, Any] | None:
    """One stored article with its text and the reports (and incidents) extracted from it."""
    found = _articles(conn, [article_id])
    if not found:
        return None
    a = found[0]
    a["events"] = [
        {
            "event_id": r["event_id"],
            "incident_id": r["incident_id"],
            "sub_event_type": r["sub_event_type"],
            "evidence": _loads(r["evidence"], {}),
        }
        for r in conn.execute(
            "SELECT event_id, incident_id, sub_event_type, evidence FROM events WHERE article_id = ? ORDER BY seq",
            (article_id,),
        )
    ]
    return a


# --- aggregates ---------------------------------------------------------------------


def stats(conn: sqlite3.Connection, f: EventFilter) -> dict[str, Any]:
    """Counts and fatalities per day (split by event type), per type, per sub-event type, per admin1."""
    where, args = _where(conn, f)
    base = f"FROM incidents i WHERE {where}"
    # the day index streams the groups in order and holds every column the common filters test, so
    # no sort and no row reads; the planner, without statistics, would pick a country index instead
    day_index = " INDEXED BY incidents_day" if _has(conn, "incidents_day") else ""
    per_day: list[dict[str, Any]] = []
    for day, etype, n, fsum in conn.execute(
        f"SELECT i.event_date, i.event_type, COUNT(*), COALESCE(SUM(i.fatalities), 0)"
        f" FROM incidents i{day_index} WHERE {where}"
        " AND i.event_date != '' GROUP BY i.event_date, i.event_type ORDER BY i.event_date",
        args,
    ):
        if not per_day or per_day[-1]["date"] != day:
            per_day.append({"date": day, "events": 0, "fatalities": 0, "by_type": {}})
        slot = per_day[-1]
        slot["events"] += n
        slot["fatalities"] += fsum
        prev = slot["by_type"].get(etype or "", {"events": 0, "fatalities": 0})
        slot["by_type"][etype or ""] = {"events": prev["events"] + n, "fatalities": prev["fatalities"] + fsum}
    # one pass for every categorical breakdown (a few hundred groups), summed up in Python
    groups: dict[str, dict[Any, list[int]]] = {k: {} for k in ("type", "sub", "country", "admin1")}
    total = fat = 0
    # grouping by the bare columns lets SQLite stream over an index in that order (no sort)
    for country, admin1, etype, sub, n, fsum in conn.execute(
        "SELECT i.country, i.admin1, i.event_type, i.sub_event_type, COUNT(*), COALESCE(SUM(i.fatalities), 0)"
        f" {base} GROUP BY i.country, i.admin1, i.event_type, i.sub_event_type",
        args,
    ):
        country, admin1, etype, sub = country or "", admin1 or "", etype or "", sub or ""
        total += n
        fat += fsum
        for key, value in (
            ("type", etype),
            ("sub", sub),
            ("country", country),
            ("admin1", (country, admin1)),
        ):
            acc = groups[key].setdefault(value, [0, 0])
            acc[0] += n
            acc[1] += fsum
    first = per_day[0]["date"] if per_day else None
    last = per_day[-1]["date"] if per_day else None

    def ranked(key: str, limit: int | None = None) -> list[dict[str, Any]]:
        items = sorted(groups[key].items(), key=lambda kv: (-kv[1][0], str(kv[0])))[:limit]
        return [{"key": k, "events": n, "fatalities": s} for k, (n, s) in items]

    return {
        "events": total,
        "fatalities": fat,
        "first_date": first,
        "last_date": last,
        "per_day": per_day,
        "per_type": ranked("type"),
        "per_sub_event_type": ranked("sub"),
        "per_country": ranked("country"),
        "per_admin1": [
            {
                "key": f"{c}/{a}",
                "country": c,
                "admin1": a,
                "events": g["events"],
                "fatalities": g["fatalities"],
            }
            for g in ranked("admin1", 200)
            for c, a in [g["key"]]
        ],
    }


LARGE_INCREASE = 0.25
MODERATE_INCREASE = 0.10


def trends(conn: sqlite3.Connection, f: EventFilter, as_of: date | None = None) -> dict[str, Any]:
    """ACLED early-warning style: per admin1, this week's events against the previous four weeks' average.

    The week is the 7 days ending ``as_of`` (default: the latest event date in the selection).
    An increase of more than 25% is flagged "large", 10-25% "moderate"; an area with events this
    week and none in the four weeks before is "new". Actors whose first event falls in this
    week are listed as new actors.
    """
    base = EventFilter(**{**_fields(f), "date_from": None, "date_to": None})
    where, args = _where(conn, base)
    if as_of is None:
        last = conn.execute(
            f"SELECT MAX(NULLIF(i.event_date, '')) FROM incidents i WHERE {where}", args
        ).fetchone()[0]
        if not last:
            return {"as_of": None, "week": None, "admin1": [], "new_actors": []}
        as_of = date.fromisoformat(last[:10])
    week_start = as_of - timedelta(days=6)
    prev_start = week_start - timedelta(days=28)
    rows = conn.execute(
        "SELECT COALESCE(i.country, ''), COALESCE(i.admin1, ''),"
        " SUM(i.event_date >= ?), SUM(CASE WHEN i.event_date >= ? THEN COALESCE(i.fatalities, 0) ELSE 0 END),"
        " SUM(i.event_date < ?), SUM(CASE WHEN i.event_date < ? THEN COALESCE(i.fatalities, 0) ELSE 0 END)"
        f" FROM incidents i WHERE {where} AND i.event_date BETWEEN ? AND ? GROUP BY 1, 2",
        [week_start.isoformat()] * 4 + args + [prev_start.isoformat(), as_of.isoformat()],
    ).fetchall()
    areas = []
    for country, admin1, n_week, f_week, n_prev, f_prev in rows:
        avg = n_prev / 4
        change = (n_week - avg) / avg if avg else None
        if n_week and not n_prev:
            flag = "new"
        elif change is not None and change > LARGE_INCREASE:
            flag = "large"
        elif change is not None and change >= MODERATE_INCREASE:
            flag = "moderate"
        else:
            flag = ""
        areas.append(
            {
                "country": country,
                "admin1": admin1,
                "this_week": n_week,
                "fatalities_this_week": f_week,
                "weekly_average_before": round(avg, 2),
                "fatalities_weekly_average_before": round(f_prev / 4, 2),
                "change": round(change, 3) if change is not None else None,
                "flag": flag,
            }
        )
    order = {"new": 0, "large": 1, "moderate": 2, "": 3}
    areas.sort(
        key=lambda a: (order[a["flag"]], -(a["change"] or 0), -a["this_week"], a["country"], a["admin1"])
    )
    week_actors: dict[str, int] = {}
    first_day: dict[str, str] = {}
    for a1, a2, day in conn.execute(
        f"SELECT i.actor1, i.actor2, i.event_date FROM incidents i WHERE {where} AND i.event_date BETWEEN ? AND ?",
        [*args, week_start.isoformat(), as_of.isoformat()],
    ):
        for actor in {a1, a2}:
            if actor:
                week_actors[actor] = week_actors.get(actor, 0) + 1
                first_day[actor] = min(first_day.get(actor, day), day)
    seen_before: set[str] = set()
    names = sorted(week_actors)
    for k in range(0, len(names), 400):
        chunk = names[k : k + 400]
        marks = ", ".join("?" * len(chunk))
        for col in ("actor1", "actor2"):
            seen_before.update(
                r[0]
                for r in conn.execute(
                    f"SELECT DISTINCT i.{col} FROM incidents i WHERE {where} AND i.{col} IN ({marks})"
                    " AND i.event_date != '' AND i.event_date < ?",
                    [*args, *chunk, week_start.isoformat()],
                )
            )
    new_actors = [
        {"actor": a, "first_date": first_day[a], "events": n}
        for a, n in sorted(week_actors.items(), key=lambda kv: (-kv[1], kv[0]))
        if a not in seen_before
    ]
    return {
        "as_of": as_of.isoformat(),
        "week": [week_start.isoformat(), as_of.isoformat()],
        "previous": [prev_start.isoformat(), (week_start - timedelta(days=1)).isoformat()],
        "admin1": areas,
        "new_actors": new_actors,
    }


def _fields(f: EventFilter) -> dict[str, Any]:
    return {k: getattr(f, k) for k in EventFilter.__dataclass_fields__}
