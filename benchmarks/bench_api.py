"""How fast the web API answers over a large store: GET /api/events (target < 200 ms) and friends.

Fills a store with N synthetic incidents (default 100,000; one short article and one report each,
written directly with SQL into a schema made by marsad.store.Store), then times each request
through the ASGI app in-process (FastAPI + SQLite, no network) and prints median and p95.

    python benchmarks/bench_api.py [--n 100000] [--db /tmp/bench_api.db] [--repeat 25] [--reuse]
    python benchmarks/bench_api.py --reuse --browser 5   # the page in headless Chromium, 5 loads

``--browser N`` serves the store with uvicorn and loads the page N times in Debian's chromium
(Playwright), timing: first markers on the map, the page ready (map, table and timeline filled),
and applying an event-type filter until table and map are redrawn; plus the longest main-thread
task the browser reported (how long the page could not answer a click).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sqlite3
import statistics
import time
from datetime import date, timedelta
from pathlib import Path

from fastapi.testclient import TestClient

from marsad.store import Store
from marsad.store.schema import INCIDENT_COLUMNS
from marsad.web.app import create_app

# (country, iso, weight, [(admin1, lat, lon)]): a rough picture of where ACLED's events fall
COUNTRIES = [
    (
        "Ukraine",
        804,
        22,
        [
            ("Donetsk", 48.0, 37.8),
            ("Kharkiv", 49.99, 36.23),
            ("Kherson", 46.64, 32.61),
            ("Zaporizhia", 47.84, 35.14),
            ("Dnipropetrovsk", 48.46, 35.04),
        ],
    ),
    (
        "Syria",
        760,
        10,
        [
            ("Idleb", 35.93, 36.63),
            ("Aleppo", 36.2, 37.16),
            ("Deir ez Zor", 35.33, 40.14),
            ("Dara", 32.62, 36.1),
        ],
    ),
    ("Myanmar", 104, 9, [("Sagaing", 21.88, 95.98), ("Magway", 20.15, 94.93), ("Shan", 21.0, 97.9)]),
    (
        "Sudan",
        729,
        6,
        [("Khartoum", 15.5, 32.56), ("North Darfur", 13.63, 25.35), ("Al Jazirah", 14.4, 33.52)],
    ),
    ("Nigeria", 566, 6, [("Borno", 11.85, 13.16), ("Zamfara", 12.17, 6.25), ("Kaduna", 10.52, 7.44)]),
    (
        "Democratic Republic of Congo",
        180,
        6,
        [("North Kivu", -0.5, 29.2), ("Ituri", 1.56, 30.25), ("South Kivu", -2.5, 28.86)],
    ),
    ("Somalia", 706, 4, [("Banadir", 2.05, 45.32), ("Bay", 3.12, 43.65), ("Lower Shabelle", 1.87, 44.83)]),
    (
        "Mexico",
        484,
        8,
        [("Guerrero", 17.55, -99.5), ("Michoacan", 19.7, -101.19), ("Jalisco", 20.67, -103.35)],
    ),
    ("Yemen", 887, 4, [("Taizz", 13.58, 44.02), ("Marib", 15.46, 45.32), ("Al Hudaydah", 14.8, 42.95)]),
    ("Pakistan", 586, 5, [("Khyber Pakhtunkhwa", 34.0, 71.5), ("Balochistan", 30.18, 66.99)]),
    (
        "India",
        356,
        8,
        [("Manipur", 24.81, 93.94), ("Jammu and Kashmir", 34.08, 74.8), ("Punjab", 31.1, 75.3)],
    ),
    (
        "Brazil",
        76,
        5,
        [("Rio de Janeiro", -22.9, -43.2), ("Bahia", -12.97, -38.5), ("Sao Paulo", -23.55, -46.63)],
    ),
    ("Burkina Faso", 854, 4, [("Sahel", 14.0, -0.05), ("Est", 12.06, 0.35), ("Centre-Nord", 13.1, -1.08)]),
    ("Colombia", 170, 3, [("Cauca", 2.44, -76.61), ("Antioquia", 6.25, -75.56), ("Narino", 1.21, -77.28)]),
]
# (event_type, sub_event_type, weight, actor1 templates, share with a death toll)
TYPES = [
    ("Protests", "Peaceful protest", 30, ["Protesters ({c})"], 0.0),
    ("Protests", "Protest with intervention", 4, ["Protesters ({c})"], 0.05),
    ("Riots", "Violent demonstration", 5, ["Rioters ({c})"], 0.1),
    ("Riots", "Mob violence", 3, ["Rioters ({c})"], 0.3),
    ("Battles", "Armed clash", 14, ["Military Forces of {c}", "Rebel Group {k} ({c})"], 0.6),
    ("Battles", "Government regains territory", 1, ["Military Forces of {c}"], 0.4),
    ("Explosions/Remote violence", "Shelling/artillery/missile attack", 12, ["Military Forces of {c}"], 0.3),
    ("Explosions/Remote violence", "Air/drone strike", 7, ["Military Forces of {c}"], 0.4),
    (
        "Explosions/Remote violence",
        "Remote explosive/landmine/IED",
        2,
        ["Unidentified Armed Group ({c})"],
        0.5,
    ),
    (
        "Violence against civilians",
        "Attack",
        12,
        ["Unidentified Armed Group ({c})", "Militia {k} ({c})"],
        0.8,
    ),
    (
        "Violence against civilians",
        "Abduction/forced disappearance",
        3,
        ["Unidentified Armed Group ({c})"],
        0.0,
    ),
    ("Strategic developments", "Looting/property destruction", 2, ["Militia {k} ({c})"], 0.0),
    ("Strategic developments", "Arrests", 2, ["Police Forces of {c}"], 0.0),
]
DISORDER = {
    "Protests": "Demonstrations",
    "Riots": "Demonstrations",
    "Strategic developments": "Strategic developments",
}
WORDS = (
    "checkpoint village market convoy district road clinic school bridge camp border outpost mosque church "
    "river hills harbour airport base station"
).split()


def fill(path: Path, n: int, seed: int = 7) -> None:
    """Write n incidents (plus an article and a report each) in a few large transactions."""
    rng = random.Random(seed)
    Store(path).close()
    db = sqlite3.connect(path)
    db.execute("PRAGMA synchronous=OFF")
    end = date(2025, 10, 31)
    cweights = [c[2] for c in COUNTRIES]
    tweights = [t[2] for t in TYPES]
    cols = [
        *INCIDENT_COLUMNS,
        "evidence",
        "sources",
        "claims",
        "n_reports",
        "n_articles",
        "fatalities_low",
        "fatalities_high",
        "created_at",
        "updated_at",
    ]
    # explicit rowids: incidents_fts rows share their incident's rowid, as the store writes them
    ins_inc = f"INSERT INTO incidents (rowid, {', '.join(cols)}) VALUES (?, {', '.join('?' for _ in cols)})"
    ins_art = (
        "INSERT INTO articles (id, content_hash, title, published, source, url, text, ingested_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
    )
    ins_ev = (
        "INSERT INTO events (event_id, article_id, seq, incident_id, event_date, event_type, sub_event_type,"
        " country, admin1, fatalities, evidence) VALUES (?, ?, 0, ?, ?, ?, ?, ?, ?, ?, ?)"
    )
    ins_fts = "INSERT INTO incidents_fts (rowid, incident_id, notes, actors, location) VALUES (?, ?, ?, ?, ?)"
    batch: dict[str, list] = {"inc": [], "art": [], "ev": [], "fts": []}

    def flush() -> None:
        db.execute("BEGIN")
        db.executemany(ins_art, batch["art"])
        db.executemany(ins_inc, batch["inc"])
        db.executemany(ins_ev, batch["ev"])
        db.executemany(ins_fts, batch["fts"])
        db.execute("COMMIT")
        for v in batch.values():
            v.clear()

    for k in range(n):
        country, iso, _, regions = rng.choices(COUNTRIES, cweights)[0]
        admin1, lat, lon = rng.choice(regions)
        etype, sub, _, actors, p_dead = rng.choices(TYPES, tweights)[0]
        # more recent days are busier (a growing feed)
        day = end - timedelta(days=int(rng.triangular(0, 1095, 0)))
        actor1 = rng.choice(actors).format(c=country, k=rng.randint(1, 40))
        actor2 = f"Civilians ({country})" if etype == "Violence against civilians" else ""
        dead = int(rng.expovariate(0.25)) + 1 if rng.random() < p_dead else 0
        iid = f"b{k:07d}:0"
        aid = f"b{k:07d}"
        place = f"{admin1} {rng.choice(WORDS)}"
        notes = f"On {day}, {sub.lower()} by {actor1} near a {rng.choice(WORDS)} in {admin1}, {country}."
        text = (
            f"{notes} Witnesses described the {rng.choice(WORDS)} and the {rng.choice(WORDS)}. "
            f"{dead} people were killed, officials said. " * 3
        )
        ev = {
            "location": {"spans": [{"start": 0, "end": 2, "text": text[:2]}], "rule": f"from_article:{aid}"}
        }
        src = [
            {
                "article_id": aid,
                "outlet": "Bench Wire",
                "url": f"https://example.org/{aid}",
                "title": sub,
                "published": day.isoformat(),
            }
        ]
        row = {c: None for c in cols}
        row.update(
            incident_id=iid,
            event_date=day.isoformat(),
            time_precision=1,
            disorder_type=DISORDER.get(etype, "Political violence"),
            event_type=etype,
            sub_event_type=sub,
            actor1=actor1,
            actor2=actor2,
            iso=iso,
            country=country,
            admin1=admin1,
            location=place,
            latitude=lat + rng.uniform(-1, 1),
            longitude=lon + rng.uniform(-1, 1),
            geo_precision=rng.choice((1, 1, 1, 2, 3)),
            source="Bench Wire",
            notes=notes,
            fatalities=dead,
            confidence=0.7,
            evidence=json.dumps(ev),
            sources=json.dumps(src),
            claims="[]",
            n_reports=1,
            n_articles=1,
            fatalities_low=dead,
            fatalities_high=dead,
            created_at="2025-11-01T00:00:00",
            updated_at="2025-11-01T00:00:00",
        )
        batch["inc"].append([k + 1, *(row[c] for c in cols)])
        batch["art"].append(
            (
                aid,
                aid,
                sub,
                day.isoformat(),
                "Bench Wire",
                f"https://example.org/{aid}",
                text,
                "2025-11-01T00:00:00",
            )
        )
        batch["ev"].append(
            (iid, aid, iid, day.isoformat(), etype, sub, country, admin1, dead, json.dumps(ev))
        )
        batch["fts"].append((k + 1, iid, notes, f"{actor1} ; {actor2}", place))
        if len(batch["inc"]) >= 5000:
            flush()
    if batch["inc"]:
        flush()
    db.execute("ANALYZE")
    db.close()


CASES: list[tuple[str, str]] = [
    ("no filter (first page)", "/api/events"),
    ("country + one month", "/api/events?country=Sudan&date_from=2025-06-01&date_to=2025-06-30"),
    ("event_type + min_fatalities", "/api/events?event_type=Battles&min_fatalities=5"),
    ("sub_event_type", "/api/events?sub_event_type=Air/drone%20strike"),
    ("admin1 + year", "/api/events?admin1=Borno&date_from=2025-01-01&date_to=2025-12-31"),
    ("bbox (eastern Ukraine)", "/api/events?bbox=35,46,39,50"),
    ("actor substring", "/api/events?actor=militia%2017"),
    ("actor, common (28% of events)", "/api/events?actor=Military"),
    ("actor, 2 letters (scan)", "/api/events?actor=17"),
    ("full text q", "/api/events?q=checkpoint%20clinic"),
    ("full text q, common word", "/api/events?q=bridge"),
    ("country + actor + q", "/api/events?country=Sudan&actor=mil&q=bridge"),
    (
        "all filters",
        "/api/events?country=Ukraine&date_from=2025-01-01&date_to=2025-10-31&event_type=Explosions/"
        "Remote%20violence&min_fatalities=1&bbox=30,44,40,52&actor=Military&q=bridge",
    ),
    ("deep page (offset 50000)", "/api/events?offset=50000&limit=100"),
    ("deep page, filtered", "/api/events?event_type=Protests&offset=20000&limit=100"),
    ("sort by fatalities", "/api/events?sort=-fatalities&country=Somalia"),
    ("detail", "/api/events/b0001234:0"),
    ("stats (all)", "/api/stats"),
    ("stats (country)", "/api/stats?country=Ukraine"),
    ("trends (all)", "/api/trends"),
    ("map clusters, world (zoom 3)", "/api/events.clusters?zoom=3"),
    ("map clusters, view (zoom 8)", "/api/events.clusters?zoom=8&bbox=35,46,39,50"),
    ("map clusters, filtered", "/api/events.clusters?zoom=4&event_type=Battles&date_from=2025-01-01"),
    ("geojson 10,000 features", "/api/events.geojson?limit=10000"),
    ("geojson country + year", "/api/events.geojson?country=Sudan&date_from=2025-01-01"),
]


PAGE_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
]
_LONG_TASKS = """
window.__longest = 0;
new PerformanceObserver((l) => { for (const e of l.getEntries()) window.__longest = Math.max(window.__longest, e.duration); })
  .observe({ type: "longtask", buffered: true });
"""


def bench_page(path: Path, runs: int) -> None:
    """Time the page against the store at ``path`` in headless Chromium (see the module docstring)."""
    import socket
    import threading

    import uvicorn
    from playwright.sync_api import sync_playwright

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = uvicorn.Server(
        uvicorn.Config(create_app(path), host="127.0.0.1", port=port, log_level="warning")
    )
    threading.Thread(target=server.run, daemon=True).start()
    while not server.started:
        time.sleep(0.05)
    url = f"http://127.0.0.1:{port}/"
    marks: dict[str, list[float]] = {
        "first markers": [],
        "page ready": [],
        "filter applied": [],
        "longest task": [],
    }
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=PAGE_ARGS)
        for _ in range(runs):
            ctx = browser.new_context(viewport={"width": 1280, "height": 900})
            pg = ctx.new_page()
            pg.add_init_script(_LONG_TASKS)
            t0 = time.perf_counter()
            pg.goto(url)
            pg.wait_for_selector(".event-marker, .marker-cluster", timeout=120_000)
            marks["first markers"].append((time.perf_counter() - t0) * 1000)
            pg.wait_for_selector("body[data-ready='1']", timeout=120_000)
            marks["page ready"].append((time.perf_counter() - t0) * 1000)
            pg.select_option("#f-event_type", label="Battles")
            pg.evaluate("document.querySelector('#summary').textContent = ''")
            t0 = time.perf_counter()
            pg.click("#apply")
            pg.wait_for_function("document.querySelector('#summary').textContent.includes('matching')")
            pg.wait_for_load_state("networkidle")
            marks["filter applied"].append((time.perf_counter() - t0) * 1000)
            marks["longest task"].append(float(pg.evaluate("window.__longest")))
            ctx.close()
        browser.close()
    server.should_exit = True
    print(
        f"page in headless Chromium, {runs} loads; load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}"
    )
    for label, vals in marks.items():
        vals.sort()
        p95 = vals[min(len(vals) - 1, int(round(0.95 * (len(vals) - 1))))]
        print(f"{label:34} {statistics.median(vals):15.1f} {p95:8.1f}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=100_000)
    ap.add_argument("--db", default="/tmp/marsad_bench_api.db")
    ap.add_argument("--repeat", type=int, default=25)
    ap.add_argument("--reuse", action="store_true", help="keep an existing benchmark store")
    ap.add_argument("--browser", type=int, default=0, metavar="N", help="time the page in Chromium N times")
    ap.add_argument("--only", default="", help="run only cases whose label contains this text")
    args = ap.parse_args()
    path = Path(args.db)
    if not (args.reuse and path.exists()):
        for suffix in ("", "-wal", "-shm"):
            Path(str(path) + suffix).unlink(missing_ok=True)
        t0 = time.perf_counter()
        fill(path, args.n)
        print(
            f"filled {args.n} incidents in {time.perf_counter() - t0:.1f} s ({path.stat().st_size / 1e6:.0f} MB)"
        )
    db = sqlite3.connect(path)
    db.execute(
        "PRAGMA journal_mode=WAL"
    )  # what Store uses; also makes the benchmark store openable read-only
    db.execute("ANALYZE")
    db.close()
    if args.browser:
        bench_page(path, args.browser)
        return
    app = create_app(path)
    client = TestClient(app)
    print(
        f"{args.n} incidents, {args.repeat} runs each; uncached = result cache cleared;"
        f" load average {' '.join(f'{x:.2f}' for x in os.getloadavg())} on {os.cpu_count()} cores"
    )
    print(f"{'request':34} {'uncached median':>15} {'p95 ms':>8} {'cached median':>14} {'total':>8}")
    for label, url in CASES:
        if args.only and args.only not in label:
            continue
        r = client.get(url)  # warm-up (page cache, connection)
        if r.status_code == 404:  # an older version without this endpoint (comparisons)
            print(f"{label:34} {'n/a':>15}")
            continue
        assert r.status_code == 200, (url, r.text)
        body = r.json()
        shown = body.get("total", "")
        cold, warm = [], []
        for _ in range(args.repeat):
            app.state.cache.data.clear()
            t0 = time.perf_counter()
            client.get(url)
            cold.append((time.perf_counter() - t0) * 1000)
            t0 = time.perf_counter()
            client.get(url)
            warm.append((time.perf_counter() - t0) * 1000)
        cold.sort()
        p95 = cold[min(len(cold) - 1, int(round(0.95 * (len(cold) - 1))))]
        print(
            f"{label:34} {statistics.median(cold):15.1f} {p95:8.1f} {statistics.median(warm):14.1f} {str(shown):>8}"
        )


if __name__ == "__main__":
    main()
