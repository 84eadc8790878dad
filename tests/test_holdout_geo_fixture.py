"""Integrity of the held-out geoparsing set (offsets and coordinates), not a score."""

import json
from pathlib import Path

HOLDOUT = Path(__file__).parent / "fixtures" / "geo" / "holdout_news.jsonl"


def _rows() -> list[dict]:
    with open(HOLDOUT, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def test_holdout_spans_match_their_text() -> None:
    rows = _rows()
    assert len({r["id"] for r in rows}) == len(rows) >= 60
    for r in rows:
        text = r["text"]
        for t in r["toponyms"]:
            assert 0 <= t["start"] < t["end"] <= len(text), (r["id"], t)
            assert text[t["start"] : t["end"]] == t["text"], (r["id"], t)


def test_holdout_located_toponyms_have_valid_coordinates() -> None:
    located = 0
    for r in _rows():
        for t in r["toponyms"]:
            if "lat" not in t and "lon" not in t:
                continue  # a demonym or an organisation's name: annotated, not scored
            located += 1
            assert -90.0 <= float(t["lat"]) <= 90.0, (r["id"], t)
            assert -180.0 <= float(t["lon"]) <= 180.0, (r["id"], t)
            assert t["geonameid"] is None or isinstance(t["geonameid"], int), (r["id"], t)
    assert located >= 500
