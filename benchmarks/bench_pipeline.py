"""End-to-end speed and memory of marsad on real prose (not a unit test).

Reads the public-domain VOA stories in ../shared/eval/voa/ (or any JSONL of articles
given with --input), runs the full pipeline, and prints articles/s and peak memory.

    python benchmarks/bench_pipeline.py                 # all cores
    python benchmarks/bench_pipeline.py --workers 1     # one core
    python benchmarks/bench_pipeline.py --stage geo     # geoparsing alone
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import time
from pathlib import Path

DEFAULT = Path(__file__).resolve().parents[1].parent / "shared" / "eval" / "voa" / "voa_stories.jsonl"


def peak_rss_mb() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(own, kids) / 1024.0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--input", type=Path, default=DEFAULT)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument(
        "--repeat", type=int, default=5, help="Passes over the corpus (more articles, steadier rate)."
    )
    ap.add_argument("--stage", choices=["all", "geo"], default="all")
    args = ap.parse_args()
    if not args.input.exists():
        print(f"benchmark corpus not found at {args.input}; pass --input FILE.jsonl", file=sys.stderr)
        return 2

    t0 = time.perf_counter()
    from marsad.pipeline import parse_published, process, warm

    gaz = warm()
    load_s = time.perf_counter() - t0
    from marsad.model import Article

    rows = [json.loads(line) for line in args.input.open(encoding="utf-8")]
    articles = [
        Article(
            text=r["text"],
            id=f"{r['id']}#{i}",
            title=r.get("title"),
            published=parse_published(r.get("published")),
        )
        for i in range(args.repeat)
        for r in rows
    ]
    words = sum(len(a.text.split()) for a in articles)
    t1 = time.perf_counter()
    c1 = time.process_time()  # CPU time too: on a shared machine wall time measures the neighbours
    n_events = 0
    if args.stage == "geo":
        from marsad.mentions.places import find_places
        from marsad.text import make_document

        for a in articles:
            n_events += len(find_places(make_document(a), gaz))
        what = "toponyms"
    else:
        for item in process(iter(articles), workers=args.workers):
            if isinstance(item, tuple):
                n_events += len(item[1])
        what = "events"
    dt = time.perf_counter() - t1
    cpu = time.process_time() - c1
    result = {
        "stage": args.stage,
        "articles": len(articles),
        "words_per_article": round(words / len(articles)),
        "workers": args.workers if args.stage == "all" else 1,
        "seconds": round(dt, 2),
        "articles_per_s": round(len(articles) / dt, 1),
        # single-process stages only: with workers the CPU time is spent in other processes
        **(
            {"cpu_s": round(cpu, 2), "articles_per_cpu_s": round(len(articles) / cpu, 1)}
            if args.stage == "geo"
            else {}
        ),
        what: n_events,
        "startup_s": round(load_s, 2),
        "peak_rss_mb": round(peak_rss_mb(), 1),
    }
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
