"""Events evaluation: a hand-written gold file and a fake extractor with hand-computed answers."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from marsad.evaluate import EvalDataNotFound, gold_path_or_explain
from marsad.evaluate.events import evaluate_events, format_table, sample_rows, to_json
from marsad.evaluate.metrics import (
    haversine_km,
    inter_pair,
    micro_prf,
    normalise_actor,
    normalise_place,
    per_class_scores,
    weighted_and_macro_f1,
)
from marsad.model import Event


def _gold(**kw: object) -> dict[str, object]:
    base: dict[str, object] = {
        "event_date": "2021-03-04",
        "event_type": "Battles",
        "sub_event_type": "Armed clash",
        "actor1": "",
        "actor2": "",
        "inter1": "0",
        "inter2": "0",
        "iso": "999",
        "country": "Testland",
        "admin1": "",
        "latitude": 0.0,
        "longitude": 0.0,
        "fatalities": 0,
    }
    base.update(kw)
    return base


GOLD_ROWS = [
    {
        "id": "n1",
        "text": "Army and rebels clashed in Northville on 4 March 2021; three were killed.",
        "published": "2021-03-05",
        "gold": _gold(
            actor1="Military Forces of Testland (2010-)",
            actor2="Rebels of Testland",
            inter1="1",
            inter2="2",
            admin1="Al-Northern Province",
            latitude=10.0,
            longitude=20.0,
            fatalities=3,
        ),
    },
    {
        "id": "n2",
        "text": "Hundreds marched peacefully in Eastburg.",
        "gold": _gold(
            event_type="Protests",
            sub_event_type="Peaceful protest",
            actor1="Protesters (Testland)",
            inter1="6",
            admin1="East",
        ),
    },
    {
        "id": "n3",
        "text": "Gunmen shot a villager dead near Southby.",
        "gold": _gold(
            event_type="Violence against civilians",
            sub_event_type="Attack",
            actor1="Unidentified Armed Group (Testland)",
            actor2="Civilians (Testland)",
            inter1="3",
            inter2="7",
            admin1="South",
            latitude=5.0,
            longitude=5.0,
            fatalities=1,
        ),
    },
    {
        "id": "n4",
        "text": "Fighting was reported again.",
        "gold": _gold(actor1="Military Forces of Testland (2010-2020)", actor2="Rebels of Testland"),
    },
]

PREDICTIONS = {
    "n1": [
        Event(
            article_id="n1",
            event_date="2021-03-04",
            event_type="Battles",
            sub_event_type="Armed clash",
            actor1="military forces of testland",
            actor2="Police Forces of Testland (2010-)",
            inter1=1,
            inter2=3,
            iso=999,
            country="Wrongname",  # right through the ISO code
            admin1="Northern",  # "al" and "province" are dropped from gold
            latitude=10.1,  # ~11 km north
            longitude=20.0,
            fatalities=3,
        ),
        # a second, worse event must not count: only the first is primary
        Event(article_id="n1", event_type="Protests", sub_event_type="Peaceful protest"),
    ],
    "n2": [
        Event(
            article_id="n2",
            event_date="2021-03-05",
            event_type="Protests",
            sub_event_type="Protest with intervention",
            actor1="Protesters (Testland)",
            inter1=6,
            country="testland",
            admin1="East State",
            latitude=1.0,  # ~111 km away
            longitude=0.0,
            fatalities=None,  # gold 0: an empty prediction is wrong
        )
    ],
    "n3": [
        Event(
            article_id="n3",
            event_date="2021-03-04",
            event_type="Battles",
            sub_event_type="Armed clash",
            actor1="Unidentified Armed Group (Testland)",
            inter1=3,
            fatalities=1,
        )
    ],
    "n4": [],
}


@pytest.fixture()
def gold_file(tmp_path: Path) -> Path:
    p = tmp_path / "gold.jsonl"
    lines = [json.dumps(r) for r in GOLD_ROWS]
    lines.insert(2, "{not json")  # a broken row is skipped with its reason, not a crash
    p.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return p


def test_metrics_match_hand_computed_values(gold_file: Path) -> None:
    seen: list[tuple[str, dict]] = []

    def extract(text: str, fields: dict) -> list[Event]:
        seen.append((text, fields))
        return PREDICTIONS[fields["id"]]

    report = evaluate_events(gold_file, extract)
    m = report.metrics
    assert report.n == 4
    assert report.skipped and report.skipped[0][0] == 3 and "JSON" in report.skipped[0][1]
    assert m["coverage"] == pytest.approx(0.75)
    assert m["event_type_acc"] == pytest.approx(0.5)
    assert m["sub_event_acc"] == pytest.approx(0.25)
    # Armed clash: tp 1, predicted 2, gold 2 -> F1 0.5; Peaceful protest, Attack: 0
    assert m["sub_event_wF1"] == pytest.approx((0.5 * 2) / 4)
    assert m["sub_event_mF1"] == pytest.approx(0.5 / 3)
    assert m["event_date_acc"] == pytest.approx(0.5)
    assert m["fatalities_acc"] == pytest.approx(0.5)
    assert m["loc_25km"] == pytest.approx(0.25)
    assert m["loc_161km"] == pytest.approx(0.5)
    assert m["country_acc"] == pytest.approx(0.5)
    assert m["admin1_acc"] == pytest.approx(0.5)
    # actors: tp 1+1+1+0 = 3, predicted 2+1+1+0 = 4, gold 2+1+2+2 = 7
    assert m["actor_P"] == pytest.approx(3 / 4)
    assert m["actor_R"] == pytest.approx(3 / 7)
    assert m["actor_F1"] == pytest.approx(6 / 11)
    assert m["inter_set_acc"] == pytest.approx(0.25)

    # the extractor saw text and input fields only, never gold
    assert [f["id"] for _, f in seen] == ["n1", "n2", "n3", "n4"]
    assert seen[0][1] == {"id": "n1", "published": "2021-03-05"}
    assert all("gold" not in f for _, f in seen)

    by_field = {(e.id, e.field) for e in report.errors}
    assert ("n2", "fatalities") in by_field and ("n1", "fatalities") not in by_field
    assert ("n4", "event_type") in by_field and ("n1", "inter_set") in by_field
    assert report.per_sub_type["Armed clash"].support == 2
    assert report.per_sub_type["Protest with intervention"].predicted == 1


def test_report_rendering(gold_file: Path) -> None:
    report = evaluate_events(gold_file, lambda text, f: PREDICTIONS[f["id"]])
    table = format_table(report)
    assert "actor_F1" in table and "0.545" in table
    assert "Armed clash" in table and "Peaceful protest" in table
    d = json.loads(to_json(report))
    assert d["n"] == 4 and d["metrics"]["coverage"] == pytest.approx(0.75)
    assert d["per_sub_type"]["Armed clash"]["f1"] == pytest.approx(0.5)
    assert any(e["id"] == "n4" for e in d["errors"])
    assert "errors" not in json.loads(to_json(report, include_errors=False))


def test_extractor_crash_counts_as_no_event(gold_file: Path) -> None:
    def extract(text: str, fields: dict) -> list[Event]:
        if fields["id"] == "n1":
            raise RuntimeError("boom")
        return PREDICTIONS[fields["id"]]

    calls: list[tuple[int, int]] = []
    report = evaluate_events(gold_file, extract, progress=lambda done, total: calls.append((done, total)))
    assert report.failures == [("n1", "RuntimeError: boom")]
    assert report.metrics["coverage"] == pytest.approx(0.5)
    assert calls[-1] == (4, 4)


def test_sampling_is_deterministic(gold_file: Path) -> None:
    ids: list[list[str]] = []
    for _ in range(2):
        got: list[str] = []
        evaluate_events(gold_file, lambda t, f, got=got: got.append(f["id"]) or [], sample=2, seed=7)
        ids.append(got)
    assert ids[0] == ids[1] and len(ids[0]) == 2
    rows = [{"id": str(i)} for i in range(100)]
    assert sample_rows(rows, 10, 1) == sample_rows(rows, 10, 1)
    assert sample_rows(rows, 10, 1) != sample_rows(rows, 10, 2)
    assert sample_rows(rows, None) == rows


def test_normalisers() -> None:
    assert normalise_actor("Military Forces of Syria (2000-)") == "military forces of syria"
    assert normalise_actor("Government of Yemen (2014-2021) Houthi") == "government of yemen houthi"
    assert normalise_actor("Al-Shabaab") == "al shabaab"
    assert normalise_place("Sana'a Governorate") == "sana a"
    assert normalise_place("Al-Anbar") == "anbar"
    assert normalise_place("The Gambia") == "gambia"
    assert normalise_place(None) == ""


def test_metric_primitives() -> None:
    assert haversine_km(0, 0, 1, 0) == pytest.approx(111.2, abs=0.1)
    assert haversine_km(48.85, 2.35, 48.85, 2.35) == 0.0
    assert inter_pair("7", 1) == (1, 7)
    assert inter_pair(0, None, "") == ()
    scores = per_class_scores(["a", "a", "b"], ["a", "b", None])
    assert scores["a"].f1 == pytest.approx(2 / 3) and scores["b"].f1 == 0.0
    assert weighted_and_macro_f1(scores) == pytest.approx(((2 / 3) * 2 / 3, (2 / 3) / 2))
    assert micro_prf([]) == (0.0, 0.0, 0.0)


def test_gold_path_or_explain(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    missing = tmp_path / "nowhere"
    with pytest.raises(EvalDataNotFound, match="evaluation data not found at .*see README"):
        gold_path_or_explain(missing / "acled_dev.jsonl")
    (tmp_path / "acled_dev.jsonl").write_text("", encoding="utf-8")
    assert gold_path_or_explain(tmp_path) == tmp_path / "acled_dev.jsonl"
    monkeypatch.setenv("MARSAD_EVAL_DIR", str(tmp_path))
    assert gold_path_or_explain(None) == tmp_path / "acled_dev.jsonl"
    assert gold_path_or_explain("acled_dev.jsonl") == tmp_path / "acled_dev.jsonl"
