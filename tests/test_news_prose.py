"""The news-prose dev set (tests/fixtures/news_prose.jsonl) and its scoring script."""

from __future__ import annotations

import importlib.util
import json
from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from marsad.knowledge import taxonomy

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "tests" / "fixtures" / "news_prose.jsonl"
FIELDS = {
    "sub_event_type",
    "event_type",
    "event_date",
    "country",
    "location",
    "actor1",
    "actor2",
    "fatalities",
}


@pytest.fixture(scope="module")
def rows() -> list[dict]:
    return [json.loads(line) for line in FIXTURE.read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.fixture(scope="module")
def script():
    spec = importlib.util.spec_from_file_location(
        "check_news_prose", ROOT / "scripts" / "check_news_prose.py"
    )
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_fixture_shape(rows):
    tax = taxonomy()
    assert len(rows) >= 110
    assert len({r["id"] for r in rows}) == len(rows)
    per_type: Counter[str] = Counter()
    for r in rows:
        assert {"id", "published", "source", "text", "expected"} <= set(r), r.get("id")
        published = date.fromisoformat(r["published"])
        assert len(r["text"].split()) >= 12, r["id"]
        for e in r["expected"]:
            assert set(e) == FIELDS, r["id"]
            assert tax.event_type_of[e["sub_event_type"]] == e["event_type"], r["id"]
            # events happen on or before the day they are reported
            assert date.fromisoformat(e["event_date"]) <= published, r["id"]
            assert isinstance(e["fatalities"], int) and e["fatalities"] >= 0
            assert e["country"] and e["actor1"] or e["sub_event_type"] == "Other"
            assert "(20" not in e["actor1"] + e["actor2"]  # names without regime years
        if r["expected"]:
            per_type[r["expected"][0]["sub_event_type"]] += 1
    assert all(per_type[t] >= 4 for t in tax.sub_event_types), per_type
    assert sum(1 for r in rows if not r["expected"]) >= 15


def test_score_report_on_a_few_paragraphs(rows, script):
    sample = [r for r in rows if r["id"] in ("np-air-1", "np-pp-1", "np-none-1")]
    rep = script.score(sample)
    assert rep["paragraphs"] == 3 and rep["event_paragraphs"] == 2 and rep["no_event_paragraphs"] == 1
    assert set(rep["accuracy"]) >= {"detected", "sub_event_type", "event_type", "event_date", "country"}
    assert all(0.0 <= v <= 1.0 for v in rep["accuracy"].values())
    assert "Air/drone strike" in rep["per_sub_event_type"]


def test_script_cli_json(tmp_path, script, rows, capsys):
    small = tmp_path / "small.jsonl"
    small.write_text("\n".join(json.dumps(r) for r in rows[:3]) + "\n", encoding="utf-8")
    assert script.main(["--file", str(small), "--json"]) == 0
    rep = json.loads(capsys.readouterr().out)
    assert rep["paragraphs"] == 3 and "errors" not in rep
    assert script.main(["--file", str(tmp_path / "missing.jsonl")]) == 2


def test_pipeline_floor_on_news_prose(rows, script):
    """A loose floor so a change that breaks news prose badly is noticed (baseline well above)."""
    rep = script.score(rows)
    assert rep["accuracy"]["detected"] >= 0.8
    assert rep["accuracy"]["event_type"] >= 0.7
    assert rep["false_events"] <= 6
