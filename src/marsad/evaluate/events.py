"""Event coding evaluation against ACLED-coded notes (``acled_dev.jsonl``).

Implements the "Events" metrics of ``shared/eval/README.md``: every note is
scored on its *primary* event (the first one the extractor emits); a note with
no event is wrong on every field. The extractor only ever sees the note text
and the non-gold input fields, so a leak of gold values into the system is
impossible by construction.
"""

from __future__ import annotations

import json
import random
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from marsad.evaluate.metrics import (
    ClassScore,
    actor_set,
    haversine_km,
    inter_pair,
    micro_prf,
    normalise_place,
    per_class_scores,
    to_float,
    to_int,
    weighted_and_macro_f1,
)
from marsad.model import Event

# Top-level record keys an extractor may see (README: "Input the system sees").
INPUT_FIELDS: tuple[str, ...] = ("id", "published", "title", "source")

# Metric names in report order.
METRICS: tuple[str, ...] = (
    "coverage",
    "event_type_acc",
    "sub_event_acc",
    "sub_event_wF1",
    "sub_event_mF1",
    "event_date_acc",
    "fatalities_acc",
    "loc_25km",
    "loc_161km",
    "country_acc",
    "admin1_acc",
    "actor_P",
    "actor_R",
    "actor_F1",
    "inter_set_acc",
)

Extractor = Callable[[str, dict[str, Any]], list[Event]]
Progress = Callable[[int, int], None]


@dataclass(slots=True)
class FieldError:
    """One wrong field of one note, kept for error analysis."""

    id: str
    field: str
    gold: Any
    predicted: Any


@dataclass(slots=True)
class EventsReport:
    metrics: dict[str, float]
    n: int
    per_sub_type: dict[str, ClassScore] = field(default_factory=dict)
    errors: list[FieldError] = field(default_factory=list)
    skipped: list[tuple[int, str]] = field(default_factory=list)  # (line number, reason) of unreadable rows
    failures: list[tuple[str, str]] = field(default_factory=list)  # (note id, exception) extractor crashes
    seconds: float = 0.0  # wall time spent inside the extractor

    @property
    def notes_per_second(self) -> float:
        return self.n / self.seconds if self.seconds > 0 else 0.0


# --- reading gold ----------------------------------------------------------------


def load_gold(path: str | Path) -> tuple[list[dict[str, Any]], list[tuple[int, str]]]:
    """Rows with a text and a gold dict, plus (line number, reason) for every row skipped."""
    rows: list[dict[str, Any]] = []
    skipped: list[tuple[int, str]] = []
    with open(path, encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as exc:
                skipped.append((lineno, f"invalid JSON: {exc.msg}"))
                continue
            if not isinstance(row, dict):
                skipped.append((lineno, "not a JSON object"))
            elif not isinstance(row.get("text"), str) or not row["text"].strip():
                skipped.append((lineno, "no text"))
            elif not isinstance(row.get("gold"), dict):
                skipped.append((lineno, "no gold object"))
            else:
                row.setdefault("id", f"line{lineno}")
                rows.append(row)
    return rows, skipped


def sample_rows(rows: list[dict[str, Any]], sample: int | None, seed: int = 0) -> list[dict[str, Any]]:
    """Seeded random subset of ``sample`` rows, kept in file order (all rows when sample is None)."""
    if sample is None or sample >= len(rows):
        return list(rows)
    if sample < 0:
        raise ValueError(f"sample must be >= 0, got {sample}")
    picked = sorted(random.Random(seed).sample(range(len(rows)), sample))
    return [rows[i] for i in picked]


def input_fields(row: dict[str, Any]) -> dict[str, Any]:
    """What the extractor may see besides the text: never anything from ``gold``."""
    return {k: row[k] for k in INPUT_FIELDS if k in row and row[k] is not None}


# --- scoring one note -------------------------------------------------------------


@dataclass(slots=True)
class _NoteScore:
    hits: dict[str, bool]
    actors_pred: set[str]
    actors_gold: set[str]


def _score_note(note_id: str, gold: dict[str, Any], ev: Event | None, errors: list[FieldError]) -> _NoteScore:
    hits: dict[str, bool] = {}

    def check(name: str, ok: bool, g: Any, p: Any) -> None:
        hits[name] = ok
        if not ok:
            errors.append(FieldError(note_id, name, g, p))

    g_type = str(gold.get("event_type") or "").strip()
    g_sub = str(gold.get("sub_event_type") or "").strip()
    g_date = str(gold.get("event_date") or "").strip()
    g_fat = to_int(gold.get("fatalities"))
    g_lat, g_lon = to_float(gold.get("latitude")), to_float(gold.get("longitude"))
    g_iso = to_int(gold.get("iso"))
    g_country = normalise_place(gold.get("country"))
    g_admin1 = normalise_place(gold.get("admin1"))
    g_actors = actor_set(gold.get("actor1"), gold.get("actor2"))
    g_inter = inter_pair(gold.get("inter1"), gold.get("inter2"))

    if ev is None:
        for name, g in (
            ("event_type", g_type),
            ("sub_event_type", g_sub),
            ("event_date", g_date),
            ("fatalities", g_fat),
            ("loc_25km", (g_lat, g_lon)),
            ("loc_161km", (g_lat, g_lon)),
            ("country", gold.get("country")),
            ("admin1", gold.get("admin1")),
            ("inter_set", list(g_inter)),
        ):
            check(name, False, g, None)
        if g_actors:
            errors.append(FieldError(note_id, "actors", sorted(g_actors), []))
        return _NoteScore(hits, set(), g_actors)

    check("event_type", bool(g_type) and ev.event_type.strip() == g_type, g_type, ev.event_type)
    check("sub_event_type", bool(g_sub) and ev.sub_event_type.strip() == g_sub, g_sub, ev.sub_event_type)
    check("event_date", bool(g_date) and (ev.event_date or "").strip() == g_date, g_date, ev.event_date)
    p_fat = to_int(ev.fatalities)
    check("fatalities", g_fat is not None and p_fat is not None and p_fat == g_fat, g_fat, ev.fatalities)

    p_lat, p_lon = to_float(ev.latitude), to_float(ev.longitude)
    dist = None
    if None not in (g_lat, g_lon, p_lat, p_lon):
        dist = haversine_km(g_lat, g_lon, p_lat, p_lon)  # type: ignore[arg-type]
    predicted_loc = {"latitude": p_lat, "longitude": p_lon, "location": ev.location, "km": dist}
    check("loc_25km", dist is not None and dist <= 25.0, (g_lat, g_lon), predicted_loc)
    check("loc_161km", dist is not None and dist <= 161.0, (g_lat, g_lon), predicted_loc)

    p_country = normalise_place(ev.country)
    p_iso = to_int(ev.iso)
    country_ok = (bool(g_country) and p_country == g_country) or (bool(g_iso) and p_iso == g_iso)
    check("country", country_ok, gold.get("country"), ev.country)
    check("admin1", bool(g_admin1) and normalise_place(ev.admin1) == g_admin1, gold.get("admin1"), ev.admin1)

    p_actors = actor_set(ev.actor1, ev.actor2)
    if p_actors != g_actors:
        errors.append(FieldError(note_id, "actors", sorted(g_actors), sorted(p_actors)))
    p_inter = inter_pair(ev.inter1, ev.inter2)
    check("inter_set", p_inter == g_inter, list(g_inter), list(p_inter))
    return _NoteScore(hits, p_actors, g_actors)


# --- the evaluation ---------------------------------------------------------------


def score_predictions(
    rows: list[dict[str, Any]], predictions: list[list[Event]]
) -> tuple[dict[str, float], dict[str, ClassScore], list[FieldError]]:
    """Metrics for aligned gold rows and per-row extractor outputs (testable without an extractor)."""
    if len(rows) != len(predictions):
        raise ValueError("rows and predictions must have the same length")
    n = len(rows)
    errors: list[FieldError] = []
    counts = dict.fromkeys(
        (
            "event_type",
            "sub_event_type",
            "event_date",
            "fatalities",
            "loc_25km",
            "loc_161km",
            "country",
            "admin1",
            "inter_set",
        ),
        0,
    )
    covered = 0
    actor_pairs: list[tuple[set[str], set[str]]] = []
    gold_subs: list[str] = []
    pred_subs: list[str | None] = []
    for row, events in zip(rows, predictions, strict=True):
        ev = events[0] if events else None
        covered += ev is not None
        note = _score_note(str(row.get("id", "")), row["gold"], ev, errors)
        for k, ok in note.hits.items():
            counts[k] += ok
        actor_pairs.append((note.actors_pred, note.actors_gold))
        gold_subs.append(str(row["gold"].get("sub_event_type") or "").strip())
        pred_subs.append((ev.sub_event_type.strip() or None) if ev is not None else None)

    per_class = per_class_scores(gold_subs, pred_subs)
    w_f1, m_f1 = weighted_and_macro_f1(per_class)
    a_p, a_r, a_f = micro_prf(actor_pairs)

    def share(k: int) -> float:
        return k / n if n else 0.0

    metrics = {
        "coverage": share(covered),
        "event_type_acc": share(counts["event_type"]),
        "sub_event_acc": share(counts["sub_event_type"]),
        "sub_event_wF1": w_f1,
        "sub_event_mF1": m_f1,
        "event_date_acc": share(counts["event_date"]),
        "fatalities_acc": share(counts["fatalities"]),
        "loc_25km": share(counts["loc_25km"]),
        "loc_161km": share(counts["loc_161km"]),
        "country_acc": share(counts["country"]),
        "admin1_acc": share(counts["admin1"]),
        "actor_P": a_p,
        "actor_R": a_r,
        "actor_F1": a_f,
        "inter_set_acc": share(counts["inter_set"]),
    }
    return metrics, per_class, errors


def evaluate_events(
    gold_path: str | Path,
    extract: Extractor,
    sample: int | None = None,
    seed: int = 0,
    progress: Progress | None = None,
) -> EventsReport:
    """Run ``extract(text, fields)`` over the (sampled) gold notes and score the primary events.

    ``progress(done, total)`` is called after every note. An extractor exception on
    one note is recorded in ``report.failures`` and scored as "no event" instead of
    aborting a long run.
    """
    rows, skipped = load_gold(gold_path)
    rows = sample_rows(rows, sample, seed)
    predictions: list[list[Event]] = []
    failures: list[tuple[str, str]] = []
    spent = 0.0
    total = len(rows)
    for i, row in enumerate(rows, 1):
        t0 = time.perf_counter()
        try:
            events = list(extract(row["text"], input_fields(row)) or [])
        except Exception as exc:  # noqa: BLE001 - one bad note must not sink a 7,000-note run
            failures.append((str(row.get("id", "")), f"{type(exc).__name__}: {exc}"))
            events = []
        spent += time.perf_counter() - t0
        predictions.append(events)
        if progress is not None:
            progress(i, total)
    metrics, per_class, errors = score_predictions(rows, predictions)
    return EventsReport(
        metrics=metrics,
        n=total,
        per_sub_type=per_class,
        errors=errors,
        skipped=skipped,
        failures=failures,
        seconds=spent,
    )


# --- reporting --------------------------------------------------------------------


def format_table(report: EventsReport) -> str:
    """Aligned plain-text report: headline metrics, then per-sub-type P/R/F1."""
    lines = [f"events evaluation: n={report.n}"]
    if report.seconds > 0:
        lines[0] += f"  ({report.notes_per_second:.1f} notes/s in the extractor)"
    if report.skipped:
        lines.append(f"skipped rows: {len(report.skipped)}")
    if report.failures:
        lines.append(f"extractor failures: {len(report.failures)} (first: {report.failures[0][1]})")
    width = max(len(k) for k in METRICS)
    lines.append("")
    lines.append(f"{'metric':<{width}}  value")
    lines.append(f"{'-' * width}  ------")
    for k in METRICS:
        if k in report.metrics:
            lines.append(f"{k:<{width}}  {report.metrics[k]:6.3f}")
    if report.per_sub_type:
        rows = sorted(report.per_sub_type.values(), key=lambda s: (-s.support, s.label))
        lw = max(len("sub_event_type"), *(len(s.label) for s in rows))
        lines.append("")
        lines.append(f"{'sub_event_type':<{lw}}  {'P':>6}  {'R':>6}  {'F1':>6}  {'support':>7}  {'pred':>6}")
        lines.append(f"{'-' * lw}  {'-' * 6}  {'-' * 6}  {'-' * 6}  {'-' * 7}  {'-' * 6}")
        for s in rows:
            lines.append(
                f"{s.label:<{lw}}  {s.precision:6.3f}  {s.recall:6.3f}  {s.f1:6.3f}  {s.support:7d}  {s.predicted:6d}"
            )
    return "\n".join(lines)


def to_json(report: EventsReport, include_errors: bool = True) -> str:
    """The report as JSON (errors can be many: leave them out for a compact summary)."""
    d: dict[str, Any] = {
        "n": report.n,
        "metrics": report.metrics,
        "per_sub_type": {k: asdict(v) for k, v in report.per_sub_type.items()},
        "seconds": round(report.seconds, 3),
        "skipped": [{"line": ln, "reason": r} for ln, r in report.skipped],
        "failures": [{"id": i, "error": e} for i, e in report.failures],
    }
    if include_errors:
        d["errors"] = [asdict(e) for e in report.errors]
    return json.dumps(d, ensure_ascii=False, indent=2, default=str)
