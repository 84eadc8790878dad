"""End-to-end regression on the team's synthetic samples (examples/articles vs examples/expected.json).

The thresholds sit about 0.1 below what the pipeline measured when they were set (see
``python scripts/check_samples.py``): raise them as the pipeline improves, never lower them to hide
a regression.
"""

from __future__ import annotations

import json
from collections import Counter

import pytest

from conftest import EXAMPLES, assert_evidence_points_at_text, assert_taxonomy_consistent
from marsad.model import Article, Event
from marsad.pipeline import extract_article
from marsad.sources import InputProblem, read_inputs

pytestmark = pytest.mark.usefixtures("warm_pipeline")

# Share of samples whose primary event matches the hand coding, field by field.
# Measured 2026-11-25 (end of the day): primary_type 0.72, country 0.92, location 0.48, date 0.92,
# fatalities 0.92, actor1 0.68.
THRESHOLDS = {
    "primary_type": 0.62,
    "country": 0.82,
    "location": 0.38,
    "date": 0.82,
    "fatalities": 0.82,
    "actor1": 0.58,
}
# Events beyond the hand-coded ones (background, duplicates): measured 21 over 25 articles.
MAX_EXTRA_EVENTS = 30


@pytest.fixture(scope="module")
def samples() -> list[tuple[Article, dict, list[Event]]]:
    expected = json.loads((EXAMPLES / "expected.json").read_text(encoding="utf-8"))["articles"]
    by_title = {v.get("title"): k for k, v in expected.items()}
    out = []
    for item in read_inputs([str(EXAMPLES / "articles")]):
        assert not isinstance(item, InputProblem) or not item.fatal, f"sample unreadable: {item}"
        if isinstance(item, InputProblem):
            continue
        key = item.id if item.id in expected else by_title.get(item.title)
        assert key is not None, f"no hand coding for sample {item.id} ({item.title!r})"
        out.append((item, expected[key], extract_article(item)))
    return out


def _ok(p: Event | None, gold: dict) -> dict[str, bool]:
    return {
        "primary_type": p is not None and p.sub_event_type == gold["sub_event_type"],
        "country": p is not None and p.country == gold.get("country"),
        "location": p is not None and p.location.lower() == str(gold.get("location", "")).lower(),
        "date": p is not None and p.event_date == gold.get("event_date"),
        "fatalities": p is not None and p.fatalities == gold.get("fatalities"),
        "actor1": p is not None and p.actor1.split(" (")[0] == gold.get("actor1", "").split(" (")[0],
    }


def test_all_samples_read_and_coded(samples) -> None:
    assert len(samples) == 25
    assert len({a.id for a, _, _ in samples}) == 25
    # Every sample reports an event; measured coverage 24/25 (a split inside an armed group is missed).
    empty = [a.title for a, _, events in samples if not events]
    assert len(empty) <= 2, empty


@pytest.fixture(scope="module")
def scores(samples) -> dict[str, float]:
    hits: Counter[str] = Counter()
    for _, exp, events in samples:
        ok = _ok(events[0] if events else None, exp["events"][0])
        hits.update(k for k, v in ok.items() if v)
    return {k: hits[k] / len(samples) for k in THRESHOLDS}


@pytest.mark.parametrize("field", list(THRESHOLDS))
def test_primary_event_accuracy_does_not_regress(scores: dict[str, float], field: str) -> None:
    assert scores[field] >= THRESHOLDS[field], f"{field}: {scores[field]:.2f} < {THRESHOLDS[field]}"


def test_extra_events_bounded(samples) -> None:
    extra = sum(max(0, len(events) - len(exp["events"])) for _, exp, events in samples)
    assert extra <= MAX_EXTRA_EVENTS


def test_every_sub_event_type_is_found_somewhere(samples) -> None:
    """Each of ACLED's 25 sub-event types is the main event of one sample: most must be recognised."""
    gold = {exp["events"][0]["sub_event_type"] for _, exp, _ in samples}
    found = {e.sub_event_type for _, _, events in samples for e in events}
    assert len(gold) == 25
    assert len(gold & found) >= 19, sorted(gold - found)  # measured 21


def test_event_records_are_well_formed(samples) -> None:
    ids: list[str] = []
    for art, _, events in samples:
        for e in events:
            ids.append(e.event_id)
            assert e.article_id == art.id and e.event_id.startswith(art.id + ":")
            assert_taxonomy_consistent(e)
            assert_evidence_points_at_text(e, art.text)
            assert e.fatalities is not None and e.fatalities >= 0 and "fatalities" in e.evidence
            if e.latitude is not None:
                assert -90 <= e.latitude <= 90 and -180 <= e.longitude <= 180
                assert e.country and e.location and e.geo_precision in (1, 2, 3)
            if e.event_date:
                assert art.published is None or e.event_date <= art.published.isoformat()
            for slot in (1, 2):
                name, inter = getattr(e, f"actor{slot}"), getattr(e, f"inter{slot}")
                assert bool(name) == (inter is not None), (slot, name, inter)
                assert inter is None or 1 <= inter <= 8
            if e.inter1:
                a, b = e.inter1, e.inter2 or 0
                assert e.interaction == (int(f"{min(a, b)}{max(a, b)}") if b else a * 10)
    assert len(ids) == len(set(ids))


def test_samples_are_deterministic(samples) -> None:
    for art, _, events in samples[:8]:
        again = extract_article(art)
        assert [e.to_dict() for e in again] == [e.to_dict() for e in events]
