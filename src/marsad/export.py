"""Write events as JSON Lines, CSV (ACLED column order), GeoJSON or Parquet.

Events are usually the store's fused incidents (:class:`marsad.store.Incident`): ACLED's ``source``
column names every outlet, and trailing columns carry the sources' URLs, how many articles
reported the event and a link back to its evidence (``evidence_url``, the web API's
``/api/events/<id>`` unless the caller gives another base).

Every writer streams: events are consumed one at a time (Parquet in row
batches), so exporting a large store does not hold it in memory. Each returns a
small dict of counts so that a caller can report what was written and what was
left out and why (GeoJSON cannot place events without coordinates).
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import math
import sys
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import IO, Any
from urllib.parse import quote

from marsad.model import ACLED_FIELDS, Event

FORMATS: tuple[str, ...] = ("jsonl", "csv", "geojson", "parquet")
EXTENSIONS: dict[str, str] = {
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".csv": "csv",
    ".geojson": "geojson",
    ".parquet": "parquet",
    ".pq": "parquet",
}
# ACLED's columns first (so the file drops into ACLED tooling), then marsad's own.
EXTRA_FIELDS: tuple[str, ...] = (
    "article_id",
    "geonameid",
    "confidence",
    "evidence",
    "sources_urls",
    "n_sources",
    "evidence_url",
)
# Where an event's evidence can be read: the web API (``marsad serve``) route for one event.
LINK_BASE = "/api/events/"
COLUMNS: tuple[str, ...] = (*ACLED_FIELDS, *EXTRA_FIELDS)

Destination = str | Path | IO[Any]
Counts = dict[str, Any]


class ExportError(ValueError):
    """The requested export cannot be done (unknown format, binary format to stdout, ...)."""


def _formats_hint() -> str:
    return f"valid formats: {', '.join(FORMATS)} (extensions: {', '.join(EXTENSIONS)})"


def infer_format(path_or_stream: Destination, fmt: str | None = None) -> str:
    """The explicit ``fmt`` if valid, else the one implied by the file extension."""
    if fmt:
        f = fmt.lower().lstrip(".")
        f = {"json": "jsonl", "ndjson": "jsonl", "pq": "parquet"}.get(f, f)
        if f not in FORMATS:
            raise ExportError(f"unknown export format {fmt!r}; {_formats_hint()}")
        return f
    if isinstance(path_or_stream, str | Path) and str(path_or_stream) != "-":
        suffix = Path(path_or_stream).suffix.lower()
        if suffix in EXTENSIONS:
            return EXTENSIONS[suffix]
        raise ExportError(f"cannot infer the export format of {str(path_or_stream)!r}; {_formats_hint()}")
    raise ExportError(f"the export format must be given when writing to a stream; {_formats_hint()}")


@contextlib.contextmanager
def _open_text(dest: Destination, newline: str | None = None) -> Iterator[IO[str]]:
    if isinstance(dest, str | Path):
        if str(dest) == "-":
            yield sys.stdout
            sys.stdout.flush()
            return
        with open(dest, "w", encoding="utf-8", newline=newline) as fh:
            yield fh
        return
    if isinstance(dest, io.BufferedIOBase | io.RawIOBase):
        wrapper = io.TextIOWrapper(dest, encoding="utf-8", newline=newline)  # type: ignore[arg-type]
        try:
            yield wrapper
        finally:
            wrapper.flush()
            wrapper.detach()  # leave the caller's stream open
        return
    yield dest  # an already-open text stream


open_text = _open_text  # for other writers of text files or stdout (``marsad changes``)


def _cell(value: Any) -> Any:
    return "" if value is None else value


def _compact(obj: Any) -> str:
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"))


def _sources(ev: Event) -> list[dict[str, Any]]:
    # only incidents carry sources; a plain extracted event has its one article
    sources = getattr(ev, "sources", None)
    return sources if isinstance(sources, list) else []


def evidence_url(ev: Event, link_base: str = LINK_BASE) -> str:
    """Link back to the event's evidence: ``link_base`` + the (URL-quoted) event id."""
    return f"{link_base}{quote(ev.event_id, safe=':@')}" if ev.event_id else ""


def _record(ev: Event, link_base: str) -> dict[str, Any]:
    """``Event.to_dict()`` plus the link columns (sources and claims come with incidents)."""
    d = ev.to_dict()
    sources = _sources(ev)
    d["sources_urls"] = "; ".join(s.get("url") or "" for s in sources if s.get("url"))
    d["n_sources"] = len(sources) if sources else None
    d["evidence_url"] = evidence_url(ev, link_base)
    return d


def _row(ev: Event, link_base: str = LINK_BASE) -> dict[str, Any]:
    d = _record(ev, link_base)
    return {c: d.get(c) for c in COLUMNS}


# --- writers ------------------------------------------------------------------------


def write_jsonl(events: Iterable[Event], path_or_stream: Destination, link_base: str = LINK_BASE) -> Counts:
    """One JSON object per line: every field, evidence nested, sources and claims, evidence_url."""
    n = 0
    with _open_text(path_or_stream) as fh:
        for ev in events:
            fh.write(json.dumps(_record(ev, link_base), ensure_ascii=False))
            fh.write("\n")
            n += 1
    return {"format": "jsonl", "written": n, "skipped": 0, "skipped_reasons": {}}


def write_csv(events: Iterable[Event], path_or_stream: Destination, link_base: str = LINK_BASE) -> Counts:
    """ACLED column order, then article_id, geonameid, confidence, evidence (compact JSON),
    sources_urls ('; '-joined), n_sources and evidence_url; UTF-8."""
    n = 0
    with _open_text(path_or_stream, newline="") as fh:
        writer = csv.writer(fh, quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
        writer.writerow(COLUMNS)
        for ev in events:
            row = _row(ev, link_base)
            row["evidence"] = _compact(row["evidence"] or {})
            writer.writerow([_cell(row[c]) for c in COLUMNS])
            n += 1
    return {"format": "csv", "written": n, "skipped": 0, "skipped_reasons": {}}


def _coordinates(ev: Event) -> tuple[float, float] | str:
    """(lon, lat) or the reason the event cannot be placed."""
    if ev.latitude is None or ev.longitude is None:
        return "no coordinates"
    try:
        lat, lon = float(ev.latitude), float(ev.longitude)
    except (TypeError, ValueError):
        return "invalid coordinates"
    if not (math.isfinite(lat) and math.isfinite(lon) and -90 <= lat <= 90 and -180 <= lon <= 180):
        return "invalid coordinates"
    return lon, lat


def write_geojson(events: Iterable[Event], path_or_stream: Destination, link_base: str = LINK_BASE) -> Counts:
    """FeatureCollection of Points [lon, lat], every field as a property.

    Events without usable coordinates cannot be drawn: they are counted per reason
    in the returned dict rather than silently dropped.
    """
    written = 0
    reasons: dict[str, int] = {}
    with _open_text(path_or_stream) as fh:
        fh.write('{"type": "FeatureCollection", "features": [')
        for ev in events:
            where = _coordinates(ev)
            if isinstance(where, str):
                reasons[where] = reasons.get(where, 0) + 1
                continue
            feature = {
                "type": "Feature",
                "id": ev.event_id or None,
                "geometry": {"type": "Point", "coordinates": list(where)},
                "properties": _record(ev, link_base),
            }
            fh.write(",\n" if written else "\n")
            fh.write(json.dumps(feature, ensure_ascii=False))
            written += 1
        fh.write("\n]}\n")
    return {
        "format": "geojson",
        "written": written,
        "skipped": sum(reasons.values()),
        "skipped_reasons": reasons,
    }


_PARQUET_BATCH = 5000


def _arrow_schema() -> Any:
    import pyarrow as pa

    ints = {
        "time_precision",
        "inter1",
        "inter2",
        "interaction",
        "iso",
        "geo_precision",
        "fatalities",
        "geonameid",
        "n_sources",
    }
    floats = {"latitude", "longitude", "confidence"}
    return pa.schema(
        [(c, pa.int64() if c in ints else pa.float64() if c in floats else pa.string()) for c in COLUMNS]
    )


def _to_int(value: Any) -> int | None:
    if value is None or value == "":
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def write_parquet(events: Iterable[Event], path_or_stream: Destination, link_base: str = LINK_BASE) -> Counts:
    """Typed columns (integers, floats, strings) in the CSV column order; evidence as a JSON string."""
    if isinstance(path_or_stream, str | Path) and str(path_or_stream) == "-":
        raise ExportError("parquet is a binary format and cannot be written to stdout; give a file path")
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = _arrow_schema()
    kinds = {f.name: f.type for f in schema}
    conv: dict[str, Callable[[Any], Any]] = {}
    for c, t in kinds.items():
        if pa.types.is_integer(t):
            conv[c] = _to_int
        elif pa.types.is_floating(t):
            conv[c] = lambda v: None if v is None or v == "" else float(v)
        else:
            conv[c] = lambda v: None if v is None else str(v)

    n = 0
    sink = str(path_or_stream) if isinstance(path_or_stream, Path) else path_or_stream
    with pq.ParquetWriter(sink, schema) as writer:
        batch: dict[str, list[Any]] = {c: [] for c in COLUMNS}

        def flush() -> None:
            writer.write_table(
                pa.table({c: pa.array(batch[c], type=kinds[c]) for c in COLUMNS}, schema=schema)
            )
            for col in batch.values():
                col.clear()

        for ev in events:
            row = _row(ev, link_base)
            row["evidence"] = _compact(row["evidence"] or {})
            for c in COLUMNS:
                batch[c].append(conv[c](row[c]))
            n += 1
            if n % _PARQUET_BATCH == 0:
                flush()
        if batch["event_id"] or n == 0:
            flush()  # an empty export still gets the schema
    return {"format": "parquet", "written": n, "skipped": 0, "skipped_reasons": {}}


WRITERS: dict[str, Callable[..., Counts]] = {
    "jsonl": write_jsonl,
    "csv": write_csv,
    "geojson": write_geojson,
    "parquet": write_parquet,
}


def write_events(
    events: Iterable[Event], path_or_stream: Destination, fmt: str | None = None, link_base: str = LINK_BASE
) -> Counts:
    """Write events in ``fmt`` (or the format of the file extension); ``"-"`` is stdout for text formats.

    ``link_base`` prefixes each event id in ``evidence_url`` (e.g. ``http://host:8000/api/events/``).
    Returns ``{"format", "written", "skipped", "skipped_reasons"}``.
    """
    return WRITERS[infer_format(path_or_stream, fmt)](events, path_or_stream, link_base=link_base)
