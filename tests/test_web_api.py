"""The JSON API over a store filled by hand (incidents written directly, as the store would)."""

from __future__ import annotations

import csv
import io
import json
import shutil
import sqlite3
from datetime import date
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from marsad.store import Store
from marsad.store.schema import INCIDENT_COLUMNS
from marsad.web.app import create_app

ART1 = (
    "Gunmen killed four villagers in Kiwanja on 3 March 2025, local officials said. "
    "The attackers fled towards the hills."
)
ART2 = "Four people died when armed men raided Kiwanja village on Monday, a rights group reported."
ART3 = "Hundreds of traders marched peacefully through Goma on 10 March 2025 to demand lower taxes."
ART4 = "Soldiers and rebels fought for hours near Rutshuru on 9 March 2025; twelve fighters were killed."


def _span(text: str, words: str) -> dict:
    start = text.index(words)
    return {"start": start, "end": start + len(words), "text": words}


def _incident(incident_id: str, **fields) -> dict:
    row = {c: None for c in INCIDENT_COLUMNS}
    row.update(
        incident_id=incident_id,
        time_precision=1,
        iso=180,
        country="Democratic Republic of Congo",
        admin1="North Kivu",
        geo_precision=1,
        confidence=0.8,
    )
    row.update(fields)
    return row


def fill(path: Path) -> None:
    """Four live incidents and one deleted, with articles, reports and revisions."""
    Store(path).close()  # the schema, made by the store itself
    db = sqlite3.connect(path)
    articles = [
        ("a1", ART1, "Kiwanja attack", "2025-03-04", "Radio Okapi", "https://example.org/a1"),
        ("a2", ART2, "Village raid", "2025-03-05", "Daily Wire", "https://example.net/a2"),
        ("a3", ART3, "Goma traders march", "2025-03-10", "Radio Okapi", "https://example.org/a3"),
        ("a4", ART4, "Rutshuru fighting", "2025-03-09", "Daily Wire", None),
    ]
    for aid, text, title, pub, source, url in articles:
        db.execute(
            "INSERT INTO articles (id, content_hash, title, published, source, url, text, ingested_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, '2025-03-11T00:00:00')",
            (aid, aid, title, pub, source, url, text),
        )
    ev1 = {
        "actor1": {"spans": [_span(ART1, "Gunmen")], "rule": "actor"},
        "fatalities": {"spans": [_span(ART2, "Four people died")], "article_id": "a2"},
        "location": {"spans": [_span(ART1, "Kiwanja")]},
        "event_date": {"spans": [_span(ART1, "3 March 2025")]},
    }
    incidents = [
        _incident(
            "i1",
            event_date="2025-03-03",
            disorder_type="Political violence",
            event_type="Violence against civilians",
            sub_event_type="Attack",
            actor1="Unidentified Armed Group (Democratic Republic of Congo)",
            actor2="Civilians (Democratic Republic of Congo)",
            inter1=3,
            inter2=7,
            location="Kiwanja",
            latitude=-1.18,
            longitude=29.35,
            fatalities=4,
            notes="Gunmen killed four villagers in Kiwanja.",
            evidence=json.dumps(ev1),
            sources=json.dumps(
                [
                    {
                        "article_id": "a1",
                        "outlet": "Radio Okapi",
                        "url": "https://example.org/a1",
                        "title": "Kiwanja attack",
                        "published": "2025-03-04",
                    },
                    {
                        "article_id": "a2",
                        "outlet": "Daily Wire",
                        "url": "https://example.net/a2",
                        "title": "Village raid",
                        "published": "2025-03-05",
                    },
                ]
            ),
            claims=json.dumps([{"claimant": "local officials", "fatalities": 4, "article_id": "a1"}]),
            n_reports=2,
            n_articles=2,
        ),
        _incident(
            "i2",
            event_date="2025-03-10",
            disorder_type="Demonstrations",
            event_type="Protests",
            sub_event_type="Peaceful protest",
            actor1="Protesters (Democratic Republic of Congo)",
            inter1=6,
            location="Goma",
            latitude=-1.68,
            longitude=29.22,
            fatalities=0,
            notes="Traders marched in Goma against taxes.",
            sources=json.dumps(
                [{"article_id": "a3", "outlet": "Radio Okapi", "url": "https://example.org/a3"}]
            ),
            n_reports=1,
            n_articles=1,
        ),
        _incident(
            "i3",
            event_date="2025-03-09",
            disorder_type="Political violence",
            event_type="Battles",
            sub_event_type="Armed clash",
            actor1="Military Forces of the Democratic Republic of Congo (2019-)",
            actor2="M23: March 23 Movement",
            inter1=1,
            inter2=2,
            location="Rutshuru",
            latitude=-1.19,
            longitude=29.45,
            fatalities=12,
            notes="Soldiers and rebels fought near Rutshuru.",
            sources=json.dumps([{"article_id": "a4", "outlet": "Daily Wire"}]),
            n_reports=1,
            n_articles=1,
        ),
        _incident(
            "i4",
            event_date="2025-02-01",
            country="Somalia",
            iso=706,
            admin1="Bay",
            event_type="Explosions/Remote violence",
            sub_event_type="Suicide bomb",
            actor1="Al Shabaab",
            location="Baidoa",
            latitude=3.11,
            longitude=43.65,
            fatalities=7,
            notes="A suicide bomber struck Baidoa.",
        ),
        _incident(
            "gone",
            event_date="2025-03-08",
            event_type="Battles",
            latitude=-1.2,
            longitude=29.4,
            deleted_at="2025-03-11T00:00:00",
        ),
    ]
    cols = [
        *INCIDENT_COLUMNS,
        "evidence",
        "sources",
        "claims",
        "n_reports",
        "n_articles",
        "created_at",
        "updated_at",
        "deleted_at",
    ]
    for inc in incidents:
        inc.setdefault("evidence", "{}")
        inc.setdefault("sources", "[]")
        inc.setdefault("claims", "[]")
        inc.setdefault("n_reports", 0)
        inc.setdefault("n_articles", 0)
        inc.setdefault("deleted_at", None)
        inc.update(created_at="2025-03-11T00:00:00", updated_at="2025-03-11T00:00:00")
        cur = db.execute(
            f"INSERT INTO incidents ({', '.join(cols)}) VALUES ({', '.join('?' for _ in cols)})",
            [inc.get(c) for c in cols],
        )
        # incidents_fts rows share their incident's rowid, as the store writes them
        db.execute(
            "INSERT INTO incidents_fts (rowid, incident_id, notes, actors, location) VALUES (?, ?, ?, ?, ?)",
            (
                cur.lastrowid,
                inc["incident_id"],
                inc.get("notes") or "",
                f"{inc.get('actor1') or ''} {inc.get('actor2') or ''}",
                inc.get("location") or "",
            ),
        )
    reports = [
        ("a1:0", "a1", "i1", {"actor1": {"spans": [_span(ART1, "Gunmen")]}}),
        ("a2:0", "a2", "i1", {"fatalities": {"spans": [_span(ART2, "Four people died")]}}),
        ("a3:0", "a3", "i2", {"location": {"spans": [_span(ART3, "Goma")]}}),
        ("a4:0", "a4", "i3", {}),
    ]
    for eid, aid, iid, ev in reports:
        db.execute(
            "INSERT INTO events (event_id, article_id, seq, incident_id, event_date, sub_event_type, evidence)"
            " VALUES (?, ?, 0, ?, '2025-03-03', 'Attack', ?)",
            (eid, aid, iid, json.dumps(ev)),
        )
    db.executemany(
        "INSERT INTO revisions (at, incident_id, change, field, old, new, reason) VALUES (?, ?, ?, ?, ?, ?, ?)",
        [
            ("2025-03-04T00:00:00", "i1", "created", None, None, None, "new report a1:0"),
            ("2025-03-05T00:00:00", "i1", "updated", "n_reports", "1", "2", "report a2:0 joined"),
        ],
    )
    db.commit()
    db.close()


@pytest.fixture(scope="module")
def db_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("web") / "store.db"
    fill(path)
    return path


@pytest.fixture(scope="module")
def client(db_path: Path) -> TestClient:
    return TestClient(create_app(db_path))


def ids(resp) -> list[str]:
    assert resp.status_code == 200, resp.text
    return [e["incident_id"] for e in resp.json()["events"]]


# --- list and filters -------------------------------------------------------------


def test_list_returns_live_incidents_newest_first(client: TestClient) -> None:
    r = client.get("/api/events")
    assert ids(r) == ["i2", "i3", "i1", "i4"]  # the deleted incident is not shown
    body = r.json()
    assert body["total"] == 4 and body["limit"] == 100 and body["offset"] == 0
    assert body["events"][0]["event_id"] == "i2"  # event_id is the incident id


def test_pagination_keeps_total(client: TestClient) -> None:
    r = client.get("/api/events", params={"limit": 2, "offset": 1})
    assert ids(r) == ["i3", "i1"]
    assert r.json()["total"] == 4


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"date_from": "2025-03-05"}, ["i2", "i3"]),
        ({"date_to": "2025-03-03"}, ["i1", "i4"]),
        ({"date_from": "2025-03-03", "date_to": "2025-03-09"}, ["i3", "i1"]),
        ({"country": "Somalia"}, ["i4"]),
        ({"country": ["Somalia", "Democratic Republic of Congo"]}, ["i2", "i3", "i1", "i4"]),
        ({"admin1": "North Kivu"}, ["i2", "i3", "i1"]),
        ({"event_type": "Battles"}, ["i3"]),
        ({"sub_event_type": ["Attack", "Peaceful protest"]}, ["i2", "i1"]),
        ({"actor": "m23"}, ["i3"]),
        ({"actor": "Civilians"}, ["i1"]),
        ({"actor": "100%_"}, []),
        ({"actor": "civilians (democratic"}, ["i1"]),  # a substring across words, any case
        ({"actor": "arch 23 Mov"}, ["i3"]),  # inside words, not only word prefixes
        ({"actor": "23"}, ["i3"]),  # shorter than a trigram: scanned, same meaning
        ({"actor": 'M23" OR "x'}, []),  # quotes are text, not search syntax
        ({"bbox": "29.3,-1.5,29.5,-1.0"}, ["i3", "i1"]),
        ({"bbox": "40,0,50,5"}, ["i4"]),
        ({"bbox": "170,-10,30,10"}, ["i2", "i3", "i1"]),  # crosses the antimeridian
        ({"min_fatalities": 5}, ["i3", "i4"]),
        ({"min_fatalities": 0}, ["i2", "i3", "i1", "i4"]),
        ({"q": "traders"}, ["i2"]),  # incident notes
        ({"q": "hills"}, ["i1"]),  # only in an article's text
        ({"q": "rights group"}, ["i1"]),  # second article of a fused incident
        ({"q": 'suicide" (*'}, ["i4"]),  # FTS syntax is neutralised, never an error
        ({"q": "nothingmatchesthis"}, []),
        ({"q": "!!!"}, ["i2", "i3", "i1", "i4"]),  # nothing to search for: no filter
        (
            {"country": "Democratic Republic of Congo", "min_fatalities": 1, "date_from": "2025-03-01"},
            ["i3", "i1"],
        ),
    ],
)
def test_filters(client: TestClient, params: dict, expected: list[str]) -> None:
    assert ids(client.get("/api/events", params=params)) == expected


def test_actor_index_follows_every_write_and_old_stores_still_answer(db_path: Path, tmp_path: Path) -> None:
    path = tmp_path / "copy.db"
    shutil.copy(db_path, path)
    db = sqlite3.connect(path)
    db.execute("UPDATE incidents SET actor1 = 'Wazalendo militia' WHERE incident_id = 'i2'")
    db.execute("DELETE FROM incidents WHERE incident_id = 'i4'")
    # the store's upsert: INSERT ... ON CONFLICT DO UPDATE keeps the rowid and fires the update trigger
    db.execute(
        "INSERT INTO incidents (incident_id, event_date, actor1, created_at, updated_at)"
        " VALUES ('i3', '2025-03-09', 'Raia Mutomboki', 'x', 'x') ON CONFLICT(incident_id) DO UPDATE SET"
        " actor1 = excluded.actor1, actor2 = NULL"
    )
    db.execute(
        "INSERT INTO incidents (incident_id, event_date, actor1, created_at, updated_at)"
        " VALUES ('i9', '2025-03-12', 'Twirwaneho', 'x', 'x')"
    )
    db.commit()
    c = TestClient(create_app(path))
    expected = {
        "wazalendo": ["i2"],
        "protesters": [],  # i2's old name is gone from the index
        "shabaab": [],  # deleted row
        "m23": [],  # replaced by the upsert
        "mutomboki": ["i3"],
        "twirwan": ["i9"],
    }
    for actor, want in expected.items():
        assert ids(c.get("/api/events", params={"actor": actor})) == want, actor
    # a store made before migration 5 has no trigram index: the filter scans, with the same meaning
    db.execute("DROP TABLE incidents_actors")
    db.commit()
    db.close()
    c = TestClient(create_app(path))
    for actor, want in expected.items():
        r = c.get("/api/events", params={"actor": actor})
        assert ids(r) == want and r.json()["total"] == len(want), actor


@pytest.mark.parametrize(
    "params",
    [
        {"actor": "civilians"},
        {"actor": "23"},
        {"q": "Kiwanja"},
        {"q": "hills", "actor": "armed"},
        {"q": "traders", "country": "Democratic Republic of Congo"},  # text checked on the candidates
        {"actor": "m23", "min_fatalities": "1", "date_from": "2025-03-01"},
        {"q": "nothingmatchesthis", "country": "Somalia"},
    ],
)
def test_resolved_text_filters_match_the_plain_sql(db_path: Path, params: dict) -> None:
    from marsad.store import queries

    conn = queries.connect(db_path)
    f = queries.parse_filter(params)
    where, args = f.where()  # the self-contained SQL (LIKE, FTS subqueries)
    plain = [r[0] for r in conn.execute(f"SELECT i.incident_id FROM incidents i WHERE {where}", args)]
    r = queries.resolve(conn, f)
    assert r == f  # still the same filter (it is the results cache's key)
    # searched up front, except a two-letter actor alone (a LIKE scan, the trigram index cannot help)
    assert (r.matched is None) == (params == {"actor": "23"})
    got = [e["incident_id"] for e in queries.page_events(conn, r)]
    assert sorted(got) == sorted(plain)
    assert queries.count_events(conn, r) == len(plain) == queries.count_events(conn, f)


def test_text_only_total_leaves_out_retired_incidents(db_path: Path, tmp_path: Path) -> None:
    path = tmp_path / "copy.db"
    shutil.copy(db_path, path)
    db = sqlite3.connect(path)
    db.execute("UPDATE incidents SET actor1 = 'Civilians (Burundi)' WHERE incident_id = 'gone'")
    db.commit()
    db.close()
    r = TestClient(create_app(path)).get("/api/events", params={"actor": "civilians"})
    assert ids(r) == ["i1"] and r.json()["total"] == 1


def test_map_clusters(client: TestClient) -> None:
    located = 4  # live incidents with coordinates
    world = client.get("/api/events.clusters", params={"zoom": 2}).json()
    assert world["events"] == located
    assert sum(c["count"] for c in world["clusters"]) + len(world["points"]) == located
    # at zoom 2 the three North Kivu incidents share a cell; Baidoa is alone and comes back as itself
    assert [c["count"] for c in world["clusters"]] == [3]
    assert sum(world["clusters"][0]["types"].values()) == 3
    assert [p["id"] for p in world["points"]] == ["i4"] and world["points"][0]["event_type"]
    near = client.get("/api/events.clusters", params={"zoom": 12}).json()
    assert sorted(p["id"] for p in near["points"]) == ["i1", "i2", "i3", "i4"] and not near["clusters"]
    # the list filters apply, the bbox being the map's view
    only = client.get("/api/events.clusters", params={"zoom": 12, "bbox": "40,0,50,5"}).json()
    assert [p["id"] for p in only["points"]] == ["i4"]
    typed = client.get("/api/events.clusters", params={"zoom": 2, "event_type": "Battles"}).json()
    assert typed["events"] == 1 and typed["points"][0]["id"] == "i3"
    for bad in ("x", "-1", "99"):
        r = client.get("/api/events.clusters", params={"zoom": bad})
        assert r.status_code == 400 and "zoom" in r.json()["detail"]


def test_sort_by_fatalities(client: TestClient) -> None:
    assert ids(client.get("/api/events", params={"sort": "-fatalities"})) == ["i3", "i4", "i1", "i2"]


@pytest.mark.parametrize(
    ("params", "words"),
    [
        ({"date_from": "2025-13-01"}, "date_from"),
        ({"date_to": "yesterday"}, "YYYY-MM-DD"),
        ({"date_from": "2025-03-10", "date_to": "2025-03-01"}, "after"),
        ({"bbox": "1,2,3"}, "four numbers"),
        ({"bbox": "a,b,c,d"}, "four numbers"),
        ({"bbox": "0,10,10,5"}, "north"),
        ({"bbox": "0,0,200,5"}, "longitudes"),
        ({"bbox": "nan,0,1,1"}, "finite"),
        ({"limit": -1}, "limit"),
        ({"limit": 0}, "limit"),
        ({"limit": 100000}, "at most"),
        ({"limit": "ten"}, "whole number"),
        ({"offset": -5}, "offset"),
        ({"min_fatalities": -1}, "min_fatalities"),
        ({"min_fatalities": "many"}, "whole number"),
        ({"sort": "random()"}, "sort"),
    ],
)
def test_bad_parameters_are_400_with_a_message(client: TestClient, params: dict, words: str) -> None:
    r = client.get("/api/events", params=params)
    assert r.status_code == 400, r.text
    assert words in r.json()["detail"]


@pytest.mark.parametrize("path", ["/api/events.geojson", "/api/events.csv", "/api/stats", "/api/trends"])
def test_every_filtered_endpoint_rejects_bad_filters(client: TestClient, path: str) -> None:
    r = client.get(path, params={"date_from": "03/05/2025"})
    assert r.status_code == 400 and "date_from" in r.json()["detail"]


# --- one event, one article -------------------------------------------------------


def test_event_detail_has_sources_claims_evidence_and_history(client: TestClient) -> None:
    r = client.get("/api/events/i1")
    assert r.status_code == 200
    d = r.json()
    assert d["sub_event_type"] == "Attack" and d["fatalities"] == 4
    assert [s["url"] for s in d["sources"]] == ["https://example.org/a1", "https://example.net/a2"]
    assert d["claims"][0]["claimant"] == "local officials"
    assert [x["change"] for x in d["revisions"]] == ["created", "updated"]
    assert {a["id"] for a in d["articles"]} == {"a1", "a2"}
    assert {rep["event_id"] for rep in d["reports"]} == {"a1:0", "a2:0"}
    ev = d["evidence"]
    # spans are tied to the article whose text they index: found by offsets, or stated by fusion
    assert ev["actor1"]["spans"][0]["article_id"] == "a1"
    assert ev["fatalities"]["spans"][0]["article_id"] == "a2"
    texts = {a["id"]: a["text"] for a in d["articles"]}
    for field in ev.values():
        for sp in field["spans"]:
            assert texts[sp["article_id"]][sp["start"] : sp["end"]] == sp["text"]


def test_missing_and_deleted_events_are_404(client: TestClient) -> None:
    assert client.get("/api/events/nope").status_code == 404
    r = client.get("/api/events/gone")
    assert r.status_code == 404 and "gone" in r.json()["detail"]


def test_article(client: TestClient) -> None:
    r = client.get("/api/articles/a2")
    assert r.status_code == 200
    a = r.json()
    assert a["text"] == ART2 and a["source"] == "Daily Wire"
    assert a["events"][0]["incident_id"] == "i1"
    assert client.get("/api/articles/zzz").status_code == 404


# --- exports and aggregates -----------------------------------------------------------


def test_geojson_honours_filters(client: TestClient) -> None:
    r = client.get("/api/events.geojson", params={"event_type": "Battles"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/geo+json")
    fc = r.json()
    assert fc["type"] == "FeatureCollection" and fc["total"] == 1 and not fc["truncated"]
    (feat,) = fc["features"]
    assert feat["geometry"] == {"type": "Point", "coordinates": [29.45, -1.19]}
    assert feat["properties"]["id"] == "i3" and feat["properties"]["fatalities"] == 12
    r = client.get("/api/events.geojson", params={"limit": 1})
    assert len(r.json()["features"]) == 1 and r.json()["truncated"]
    assert client.get("/api/events.geojson", params={"limit": 0}).status_code == 400


def test_csv_has_acled_columns_and_honours_filters(client: TestClient) -> None:
    from marsad.model import ACLED_FIELDS

    r = client.get("/api/events.csv", params={"country": "Democratic Republic of Congo"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(r.text)))
    assert tuple(rows[0]) == ACLED_FIELDS
    assert [x["event_id"] for x in rows] == ["i2", "i3", "i1"]
    assert rows[2]["fatalities"] == "4" and rows[2]["actor2"] == "Civilians (Democratic Republic of Congo)"


def test_stats(client: TestClient) -> None:
    s = client.get("/api/stats").json()
    assert s["events"] == 4 and s["fatalities"] == 23
    assert s["first_date"] == "2025-02-01" and s["last_date"] == "2025-03-10"
    days = {d["date"]: d for d in s["per_day"]}
    assert days["2025-03-09"]["by_type"] == {"Battles": {"events": 1, "fatalities": 12}}
    assert {t["key"]: t["events"] for t in s["per_type"]}["Protests"] == 1
    kivu = next(a for a in s["per_admin1"] if a["admin1"] == "North Kivu")
    assert (
        kivu["country"] == "Democratic Republic of Congo" and kivu["events"] == 3 and kivu["fatalities"] == 16
    )
    s = client.get("/api/stats", params={"country": "Somalia"}).json()
    assert s["events"] == 1 and [d["date"] for d in s["per_day"]] == ["2025-02-01"]


def test_trends_flags_rising_areas_and_new_actors(client: TestClient) -> None:
    t = client.get("/api/trends", params={"as_of": "2025-03-10"}).json()
    assert t["week"] == ["2025-03-04", "2025-03-10"]
    areas = {a["admin1"]: a for a in t["admin1"]}
    kivu = areas["North Kivu"]
    # two events this week against one in the four weeks before (0.25 a week)
    assert kivu["this_week"] == 2 and kivu["weekly_average_before"] == 0.25 and kivu["flag"] == "large"
    assert "Bay" not in areas  # nothing in the window
    new = {a["actor"] for a in t["new_actors"]}
    assert "M23: March 23 Movement" in new and "Protesters (Democratic Republic of Congo)" in new
    assert "Unidentified Armed Group (Democratic Republic of Congo)" not in new  # seen on 3 March
    assert client.get("/api/trends", params={"as_of": "soon"}).status_code == 400


def test_trends_thresholds() -> None:
    from marsad.store import queries

    db = sqlite3.connect(":memory:")
    db.row_factory = sqlite3.Row
    db.execute(
        "CREATE TABLE incidents (incident_id, event_date, country, admin1, fatalities, actor1, actor2,"
        " assoc_actor_1, assoc_actor_2, latitude, longitude, event_type, sub_event_type, deleted_at)"
    )
    rows = []
    # 'Up' had 4 a week, now 6 (+50%: large); 'Mid' 10 a week, now 11 (+10%: moderate); 'Flat' 4 then 4
    for area, before, now in (("Up", 16, 6), ("Mid", 40, 11), ("Flat", 16, 4)):
        rows += [(f"{area}b{k}", "2025-01-10", area) for k in range(before)]
        rows += [(f"{area}n{k}", "2025-02-05", area) for k in range(now)]
    db.executemany(
        "INSERT INTO incidents (incident_id, event_date, admin1, country) VALUES (?, ?, ?, 'X')", rows
    )
    t = queries.trends(db, queries.EventFilter(), as_of=date(2025, 2, 7))
    flags = {a["admin1"]: a["flag"] for a in t["admin1"]}
    assert flags == {"Up": "large", "Mid": "moderate", "Flat": ""}


# --- page, docs, OpenAPI -------------------------------------------------------------


def test_openapi_and_offline_docs(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    for path in (
        "/api/events",
        "/api/events/{event_id}",
        "/api/articles/{article_id}",
        "/api/events.geojson",
        "/api/events.csv",
        "/api/stats",
        "/api/trends",
    ):
        assert path in spec["paths"], path
    assert "post" in spec["paths"]["/api/articles"]
    docs = client.get("/docs")
    assert docs.status_code == 200
    assert "cdn" not in docs.text.lower() and "unpkg" not in docs.text.lower()


def test_page_is_served_without_external_urls(client: TestClient) -> None:
    r = client.get("/")
    assert r.status_code == 200 and "<title>" in r.text
    for asset in ("/static/app.js", "/static/app.css"):
        body = client.get(asset).text
        assert "https://" not in body.replace("https://www.naturalearthdata.com", ""), asset
    assert "https://" not in r.text


# --- tokens ----------------------------------------------------------------------------


def test_writing_disabled_without_token(client: TestClient) -> None:
    r = client.post("/api/articles", json={"text": "Rebels attacked a base."})
    assert r.status_code == 403 and "writing disabled" in r.json()["detail"]


def test_write_token_rules(db_path: Path, tmp_path: Path) -> None:
    import shutil

    db = tmp_path / "w.db"
    shutil.copy(db_path, db)
    c = TestClient(create_app(db, write_token="s3cret"))
    before = c.get("/api/stats").json()["events"]  # cached until the store changes
    text = (
        "Al Shabaab militants attacked a military base in Baidoa, Somalia, on 12 March 2025, "
        "killing three soldiers, officials said."
    )
    assert c.post("/api/articles", json={"text": text}).status_code == 401
    r = c.post("/api/articles", json={"text": text}, headers={"Authorization": "Bearer wrong"})
    assert r.status_code == 401
    ok = c.post(
        "/api/articles",
        json={"text": text, "published": "2025-03-12", "source": "Test Wire"},
        headers={"Authorization": "Bearer s3cret"},
    )
    assert ok.status_code == 200, ok.text
    (res,) = ok.json()["results"]
    assert res["status"] == "added" and res["events"], res
    assert c.get(f"/api/articles/{res['article_id']}").json()["source"] == "Test Wire"
    assert res["incidents"]  # the write shows in cached aggregates and in the event list at once
    assert c.get("/api/stats").json()["events"] > before
    listed = {e["incident_id"] for e in c.get("/api/events", params={"limit": 1000}).json()["events"]}
    assert set(res["incidents"]) <= listed
    again = c.post(
        "/api/articles", json={"articles": [{"text": text}]}, headers={"Authorization": "Bearer s3cret"}
    )
    assert again.json()["results"][0]["status"] == "already stored"
    bad = c.post("/api/articles", json={"text": ""}, headers={"Authorization": "Bearer s3cret"})
    assert bad.status_code == 400 and "text" in bad.json()["detail"]
    bad = c.post(
        "/api/articles",
        json={"text": "x", "published": "someday"},
        headers={"Authorization": "Bearer s3cret"},
    )
    assert bad.status_code == 400


def test_read_token_when_configured(db_path: Path) -> None:
    c = TestClient(create_app(db_path, read_token="r3ad"))
    assert c.get("/api/events").status_code == 401
    assert c.get("/api/events/i1").status_code == 401
    assert c.get("/api/stats", headers={"Authorization": "Bearer nope"}).status_code == 401
    assert c.get("/api/events", headers={"Authorization": "Bearer r3ad"}).status_code == 200
    c.cookies.set("marsad_token", "r3ad")
    assert c.get("/api/articles/a1").status_code == 200
    assert c.get("/").status_code == 200  # the page itself carries no data
    assert c.get("/openapi.json").status_code == 200


def test_missing_store_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="no marsad store"):
        create_app(tmp_path / "none.db")


def test_serve_command_explains_what_to_run_first(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from marsad.cli import main

    r = CliRunner().invoke(main, ["serve", "--db", str(tmp_path / "none.db")])
    assert r.exit_code == 2 and "marsad run" in r.output
