"""Exports: column order, quoting, GeoJSON skip accounting, typed Parquet, format inference."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from marsad.export import (
    COLUMNS,
    ExportError,
    infer_format,
    write_csv,
    write_events,
    write_geojson,
    write_jsonl,
    write_parquet,
)
from marsad.model import ACLED_FIELDS, Event, Evidence, Span


def _events() -> list[Event]:
    placed = Event(
        article_id="a1",
        event_id="a1:0",
        event_date="2024-05-01",
        event_type="Violence against civilians",
        sub_event_type="Attack",
        actor1='Unidentified Armed Group (Mali), "masked men"',
        inter1=3,
        actor2="Civilians (Mali)",
        inter2=7,
        iso=466,
        country="Mali",
        location="Ségou",
        latitude=13.4317,
        longitude=-6.2157,
        geo_precision=1,
        geonameid=2451185,
        notes="Gunmen killed two herders,\nthen fled.",
        fatalities=2,
        confidence=0.7,
        evidence={"fatalities": Evidence([Span(14, 17, "two")], "explicit")},
    )
    unplaced = Event(
        article_id="a2", event_id="a2:0", event_type="Protests", sub_event_type="Peaceful protest"
    )
    bad = Event(article_id="a3", event_id="a3:0", latitude=95.0, longitude=10.0)
    return [placed, unplaced, bad]


def test_csv_columns_quoting_and_utf8(tmp_path: Path) -> None:
    p = tmp_path / "ev.csv"
    counts = write_events(_events(), p, None)
    assert counts["written"] == 3 and counts["format"] == "csv"
    with open(p, encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    assert tuple(rows[0]) == COLUMNS
    assert tuple(rows[0][: len(ACLED_FIELDS)]) == ACLED_FIELDS
    assert rows[0][-4:] == ["article_id", "geonameid", "confidence", "evidence"]
    first = dict(zip(rows[0], rows[1], strict=True))
    assert first["actor1"] == 'Unidentified Armed Group (Mali), "masked men"'
    assert first["notes"] == "Gunmen killed two herders,\nthen fled."
    assert first["location"] == "Ségou"
    assert first["latitude"] == "13.4317" and first["fatalities"] == "2"
    assert json.loads(first["evidence"]) == {
        "fatalities": {"spans": [{"start": 14, "end": 17, "text": "two"}], "rule": "explicit"}
    }
    second = dict(zip(rows[0], rows[2], strict=True))
    assert second["latitude"] == "" and second["fatalities"] == "" and second["evidence"] == "{}"


def test_jsonl_round_trips_to_events() -> None:
    buf = io.StringIO()
    counts = write_jsonl(_events(), buf)
    lines = buf.getvalue().splitlines()
    assert counts["written"] == 3 and len(lines) == 3
    assert [Event.from_dict(json.loads(line)) for line in lines] == _events()


def test_geojson_counts_what_it_cannot_place() -> None:
    buf = io.StringIO()
    counts = write_geojson(_events(), buf)
    assert counts["written"] == 1
    assert counts["skipped"] == 2
    assert counts["skipped_reasons"] == {"no coordinates": 1, "invalid coordinates": 1}
    fc = json.loads(buf.getvalue())
    assert fc["type"] == "FeatureCollection" and len(fc["features"]) == 1
    f = fc["features"][0]
    assert f["geometry"] == {"type": "Point", "coordinates": [-6.2157, 13.4317]}  # [lon, lat]
    assert f["properties"]["location"] == "Ségou" and f["properties"]["fatalities"] == 2
    assert f["properties"]["evidence"]["fatalities"]["rule"] == "explicit"


def test_geojson_empty_is_valid() -> None:
    buf = io.StringIO()
    assert write_geojson([], buf)["written"] == 0
    assert json.loads(buf.getvalue()) == {"type": "FeatureCollection", "features": []}


def test_parquet_typed_columns(tmp_path: Path) -> None:
    pq = pytest.importorskip("pyarrow.parquet")
    p = tmp_path / "ev.parquet"
    assert write_parquet(_events(), p)["written"] == 3
    table = pq.read_table(p)
    assert tuple(table.column_names) == COLUMNS
    assert str(table.schema.field("fatalities").type) == "int64"
    assert str(table.schema.field("latitude").type) == "double"
    assert str(table.schema.field("actor1").type) == "string"
    rows = table.to_pylist()
    assert rows[0]["fatalities"] == 2 and rows[1]["fatalities"] is None
    assert json.loads(rows[0]["evidence"])["fatalities"]["spans"][0]["text"] == "two"
    empty = tmp_path / "empty.parquet"
    write_events([], empty)
    assert pq.read_table(empty).num_rows == 0 and tuple(pq.read_table(empty).column_names) == COLUMNS


def test_stdout_and_streams(capsys: pytest.CaptureFixture[str]) -> None:
    write_events(_events()[:1], "-", "jsonl")
    assert json.loads(capsys.readouterr().out)["event_id"] == "a1:0"
    with pytest.raises(ExportError, match="stdout"):
        write_events(_events(), "-", "parquet")
    raw = io.BytesIO()
    write_events(_events()[:1], raw, "csv")  # binary streams get UTF-8 text
    assert "Ségou" in raw.getvalue().decode("utf-8")
    text = io.StringIO()
    assert write_csv([], text)["written"] == 0
    assert text.getvalue() == ",".join(COLUMNS) + "\r\n"  # header only


def test_format_inference_and_errors() -> None:
    assert infer_format("out/x.GEOJSON") == "geojson"
    assert infer_format("x.ndjson") == "jsonl"
    assert infer_format("x.pq") == "parquet"
    assert infer_format("anything.txt", "CSV") == "csv"
    with pytest.raises(ExportError, match="valid formats: jsonl, csv, geojson, parquet"):
        infer_format("x.xlsx")
    with pytest.raises(ExportError, match="valid formats"):
        infer_format("x.csv", "kml")
    with pytest.raises(ExportError, match="must be given"):
        infer_format("-")
