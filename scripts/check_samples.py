"""Compare the pipeline's events on examples/articles with the team's hand coding (examples/expected.json)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from marsad.pipeline import extract_article
from marsad.sources import InputProblem, read_inputs

ROOT = Path(__file__).resolve().parents[1]


def main() -> int:
    expected = json.loads((ROOT / "examples" / "expected.json").read_text())["articles"]
    by_title = {v.get("title"): k for k, v in expected.items()}
    verbose = "-v" in sys.argv
    hits = {"primary_type": 0, "country": 0, "location": 0, "date": 0, "fatalities": 0, "actor1": 0}
    n = extra = 0
    for art in read_inputs([str(ROOT / "examples" / "articles")]):
        if isinstance(art, InputProblem):
            continue
        key = art.id if art.id in expected else by_title.get(art.title)
        if key is None:
            print("no expectation for", art.id, art.title)
            continue
        gold = expected[key]["events"][0]
        events = extract_article(art)
        n += 1
        extra += max(0, len(events) - len(expected[key]["events"]))
        p = events[0] if events else None
        ok = {
            "primary_type": p is not None and p.sub_event_type == gold["sub_event_type"],
            "country": p is not None and p.country == gold.get("country"),
            "location": p is not None and p.location.lower() == str(gold.get("location", "")).lower(),
            "date": p is not None and p.event_date == gold.get("event_date"),
            "fatalities": p is not None and p.fatalities == gold.get("fatalities"),
            "actor1": p is not None and p.actor1.split(" (")[0] == gold.get("actor1", "").split(" (")[0],
        }
        for k, v in ok.items():
            hits[k] += v
        if verbose and not all(ok.values()):
            print(
                f"\n{key}: gold {gold['sub_event_type']} | {gold.get('event_date')} | {gold.get('location')} | "
                f"{gold.get('actor1')} v {gold.get('actor2')} | {gold.get('fatalities')}"
            )
            for e in events[:4]:
                print(
                    f"   -> {e.sub_event_type} | {e.event_date} | {e.location}, {e.country} | {e.actor1} v {e.actor2} | {e.fatalities}"
                )
    print(
        json.dumps(
            {"articles": n, **{k: round(v / max(n, 1), 2) for k, v in hits.items()}, "extra_events": extra}
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
