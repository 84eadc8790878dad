"""Exports: column order, quoting, GeoJSON skip accounting, typed Parquet, format inference,
and fused incidents carrying their sources and a link back to their evidence."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from marsad.export import (
    COLUMNS,
    LINK_BASE,
    ExportError,
    infer_format,
    write_csv,
    write_events,
    write_geojson,
    write_jsonl,
    write_parquet,
)
from marsad.model import ACLED_FIELDS, Claim, Event, Evidence, Span
from marsad.store import Incident


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
    assert rows[0][len(ACLED_FIELDS) :] == [
        "article_id",
        "geonameid",
        "confidence",
        "evidence",
        "sources_urls",
        "n_sources",
        "evidence_url",
    ]
    first = dict(zip(rows[0], rows[1], strict=True))
    assert first["actor1"] == 'Unidentified Armed Group (Mali), "masked men"'
    assert first["notes"] == "Gunmen killed two herders,\nthen fled."
    assert first["location"] == "Ségou"
    assert first["latitude"] == "13.4317" and first["fatalities"] == "2"
    assert json.loads(first["evidence"]) == {
        "fatalities": {"spans": [{"start": 14, "end": 17, "text": "two"}], "rule": "explicit"}
    }
    assert first["evidence_url"] == "/api/events/a1:0" and first["n_sources"] == ""  # not an incident
    second = dict(zip(rows[0], rows[2], strict=True))
    assert second["latitude"] == "" and second["fatalities"] == "" and second["evidence"] == "{}"


def _incident() -> Incident:
    return Incident(
        article_id="w1",
        event_id="w1:0",
        event_date="2024-05-01",
        event_type="Battles",
        sub_event_type="Armed clash",
        country="Mali",
        location="Gao",
        latitude=16.27,
        longitude=-0.04,
        source="Radio Gao; Sahel Wire",
        fatalities=5,
        claims=[
            Claim("Sahel Wire", 5, article_id="w1", outlet="Sahel Wire"),
            Claim("the army", 9, article_id="r7", outlet="Radio Gao"),
        ],
        sources=[
            {
                "article_id": "r7",
                "outlet": "Radio Gao",
                "url": "https://radio.example/7",
                "title": "",
                "published": "",
            },
            {
                "article_id": "w1",
                "outlet": "Sahel Wire",
                "url": "https://wire.example/1",
                "title": "",
                "published": "",
            },
        ],
        n_reports=2,
        n_articles=2,
        fatalities_low=5,
        fatalities_high=9,
    )


def test_incident_rows_carry_sources_claims_and_links(tmp_path: Path) -> None:
    buf = io.StringIO()
    write_csv([_incident()], buf)
    (row,) = list(csv.DictReader(io.StringIO(buf.getvalue())))
    assert row["source"] == "Radio Gao; Sahel Wire"  # ACLED's column: every outlet
    assert row["sources_urls"] == "https://radio.example/7; https://wire.example/1"
    assert row["n_sources"] == "2" and row["fatalities"] == "5"
    assert row["evidence_url"] == LINK_BASE + "w1:0"
    buf = io.StringIO()
    write_jsonl([_incident()], buf, link_base="http://localhost:8000/api/events/")
    d = json.loads(buf.getvalue())
    assert [s["outlet"] for s in d["sources"]] == ["Radio Gao", "Sahel Wire"]
    assert [(c["claimant"], c["fatalities"]) for c in d["claims"]] == [("Sahel Wire", 5), ("the army", 9)]
    assert (d["fatalities_low"], d["fatalities_high"]) == (5, 9)
    assert d["evidence_url"] == "http://localhost:8000/api/events/w1:0"
    buf = io.StringIO()
    write_geojson([_incident()], buf)
    props = json.loads(buf.getvalue())["features"][0]["properties"]
    assert props["n_sources"] == 2 and len(props["sources"]) == 2
    pq = pytest.importorskip("pyarrow.parquet")
    write_parquet([_incident()], tmp_path / "i.parquet")
    (prow,) = pq.read_table(tmp_path / "i.parquet").to_pylist()
    assert prow["n_sources"] == 2 and prow["sources_urls"].startswith("https://radio.example/7")


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
