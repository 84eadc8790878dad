#!/usr/bin/env python3
"""Score the pipeline on the team-written news-prose dev set (tests/fixtures/news_prose.jsonl).

ACLED's coder notes are formulaic; this set is wire-style prose (datelines, attribution,
relative dates, passive voice) plus paragraphs that must yield no event (background,
threats, statistics, figurative language). It measures whether the rules generalise.

Each paragraph is scored on its primary event (the first the pipeline emits) against the
first expected event; per-sub-type precision/recall counts every paragraph's primary
prediction. Usage:

    python scripts/check_news_prose.py [--file F] [--json] [--errors] [--no-learned]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections import Counter
from datetime import date
from pathlib import Path
from typing import Any

DEFAULT = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "news_prose.jsonl"


def load(path: Path) -> list[dict[str, Any]]:
    rows = []
    with path.open(encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                rows.append(json.loads(line))
            except json.JSONDecodeError as exc:
                raise SystemExit(f"{path}:{n}: not JSON ({exc})") from None
    return rows


def same_place(pred: Any, gold_name: str, gaz: Any) -> bool:
    """Same name, or the gazetteer knows the gold name as a spelling of the predicted place
    ("Izium" / "Izyum", "Douma" / "Duma"): the dev set is written as reporters spell it."""
    from marsad.text import fold

    if fold(pred.location) == fold(gold_name):
        return True
    if pred.geonameid is None:
        return False
    ids = {p.geonameid for p in gaz.lookup(fold(gold_name))}
    ids |= {p.geonameid for p in gaz.lookup_variant(gold_name)}
    return pred.geonameid in ids


def score(rows: list[dict[str, Any]]) -> dict[str, Any]:
    from marsad.evaluate.metrics import actor_set, normalise_place
    from marsad.model import Article
    from marsad.pipeline import extract_article, warm

    gaz = warm()
    hits: Counter[str] = Counter()
    counts: Counter[str] = Counter()
    tp: Counter[str] = Counter()
    gold_n: Counter[str] = Counter()
    pred_n: Counter[str] = Counter()
    actor_tp = actor_pred = actor_gold = 0
    false_events = none_rows = 0
    errors: list[dict[str, Any]] = []
    t0 = time.perf_counter()
    for r in rows:
        art = Article(
            text=r["text"], id=r["id"], published=date.fromisoformat(r["published"]), source=r.get("source")
        )
        events = extract_article(art)
        expected = r.get("expected") or []
        pred = events[0] if events else None
        if not expected:
            none_rows += 1
            if events:
                false_events += 1
                pred_n[pred.sub_event_type] += 1
                errors.append({"id": r["id"], "field": "false_event", "pred": pred.sub_event_type})
            continue
        gold = expected[0]
        gold_n[gold["sub_event_type"]] += 1
        if pred is not None:
            pred_n[pred.sub_event_type] += 1
        checks = {
            "detected": pred is not None,
            "sub_event_type": pred is not None and pred.sub_event_type == gold["sub_event_type"],
            "event_type": pred is not None and pred.event_type == gold["event_type"],
            "event_date": pred is not None and pred.event_date == gold["event_date"],
            "country": pred is not None and normalise_place(pred.country) == normalise_place(gold["country"]),
            "fatalities": pred is not None and (pred.fatalities or 0) == int(gold["fatalities"] or 0),
        }
        if gold.get("location"):
            checks["location"] = pred is not None and same_place(pred, gold["location"], gaz)
        if checks["sub_event_type"]:
            tp[gold["sub_event_type"]] += 1
        for k, ok in checks.items():
            counts[k] += 1
            hits[k] += int(ok)
            if not ok and k != "detected":
                errors.append(
                    {
                        "id": r["id"],
                        "field": k,
                        "gold": gold.get(k),
                        "pred": getattr(pred, k, None) if pred else None,
                    }
                )
        g = actor_set(gold.get("actor1"), gold.get("actor2"))
        p = actor_set(pred.actor1, pred.actor2) if pred else set()
        actor_tp += len(g & p)
        actor_gold += len(g)
        actor_pred += len(p)
    elapsed = time.perf_counter() - t0
    ap = actor_tp / actor_pred if actor_pred else 0.0
    ar = actor_tp / actor_gold if actor_gold else 0.0
    per_type = {}
    for st in sorted(set(gold_n) | set(pred_n)):
        p_ = tp[st] / pred_n[st] if pred_n[st] else 0.0
        r_ = tp[st] / gold_n[st] if gold_n[st] else 0.0
        f_ = 2 * p_ * r_ / (p_ + r_) if p_ + r_ else 0.0
        per_type[st] = {"support": gold_n[st], "predicted": pred_n[st], "P": p_, "R": r_, "F1": f_}
    macro = [v["F1"] for v in per_type.values() if v["support"]]
    return {
        "paragraphs": len(rows),
        "event_paragraphs": len(rows) - none_rows,
        "accuracy": {k: hits[k] / counts[k] for k in counts},
        "sub_event_mF1": sum(macro) / len(macro) if macro else 0.0,
        "actor_P": ap,
        "actor_R": ar,
        "actor_F1": 2 * ap * ar / (ap + ar) if ap + ar else 0.0,
        "no_event_paragraphs": none_rows,
        "false_events": false_events,
        "per_sub_event_type": per_type,
        "ms_per_paragraph": 1000 * elapsed / max(len(rows), 1),
        "errors": errors,
    }


def print_table(rep: dict[str, Any], show_errors: bool) -> None:
    print(f"paragraphs: {rep['paragraphs']} ({rep['event_paragraphs']} with events)")
    for k, v in rep["accuracy"].items():
        print(f"  {k:<16} {v:.3f}")
    print(f"  {'sub_event_mF1':<16} {rep['sub_event_mF1']:.3f}")
    print(f"  {'actor P/R/F1':<16} {rep['actor_P']:.3f} / {rep['actor_R']:.3f} / {rep['actor_F1']:.3f}")
    print(f"  false events on {rep['no_event_paragraphs']} no-event paragraphs: {rep['false_events']}")
    print(f"  {rep['ms_per_paragraph']:.1f} ms/paragraph")
    print(f"\n{'sub_event_type':<38} {'n':>3} {'pred':>4} {'P':>6} {'R':>6} {'F1':>6}")
    for st, v in sorted(rep["per_sub_event_type"].items(), key=lambda kv: kv[1]["F1"]):
        print(f"{st:<38} {v['support']:>3} {v['predicted']:>4} {v['P']:>6.2f} {v['R']:>6.2f} {v['F1']:>6.2f}")
    if show_errors:
        print()
        for e in rep["errors"]:
            print(json.dumps(e, ensure_ascii=False))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--file", type=Path, default=DEFAULT)
    ap.add_argument("--json", action="store_true", help="Print the report as JSON.")
    ap.add_argument("--errors", action="store_true", help="List every wrong field.")
    ap.add_argument("--no-learned", action="store_true", help="Disable the learned sub-type refinement.")
    args = ap.parse_args(argv)
    if not args.file.is_file():
        print(f"error: {args.file} not found", file=sys.stderr)
        return 2
    if args.no_learned:
        os.environ["MARSAD_LEARNED"] = "0"
    rep = score(load(args.file))
    if args.json:
        if not args.errors:
            rep.pop("errors")
        print(json.dumps(rep, indent=1))
    else:
        print_table(rep, args.errors)
    return 0


if __name__ == "__main__":
    sys.exit(main())
