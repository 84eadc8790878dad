"""Store: atomic article+reports writes, resume without duplicates, filters, round trip.

Fusion across articles, revisions and re-extraction: tests/test_store_fusion.py; the SIGKILL
crash test: tests/test_store_crash.py.
"""

from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path

import pytest

from marsad.model import ACLED_FIELDS, Article, Event, Evidence, Span
from marsad.store import SCHEMA_VERSION, Store, StoreError


def _article(text: str, **kw: object) -> Article:
    return Article(text=text, **kw)  # type: ignore[arg-type]


def _event(article: Article, **kw: object) -> Event:
    base: dict[str, object] = {
        "article_id": article.id,
        "event_date": "2024-03-02",
        "event_type": "Battles",
        "sub_event_type": "Armed clash",
        "country": "Sudan",
        "fatalities": 4,
    }
    base.update(kw)
    return Event(**base)  # type: ignore[arg-type]


def test_round_trip_keeps_every_field(tmp_path: Path) -> None:
    a = _article(
        "Fighting in El Fasher killed four people on Saturday.",
        title="Clashes",
        published=date(2024, 3, 3),
        source="Example Wire",
        url="https://example.org/x",
        origin="feed.xml",
    )
    ev = Event(
        article_id=a.id,
        event_id=f"{a.id}:0",
        event_date="2024-03-02",
        time_precision=1,
        disorder_type="Political violence",
        event_type="Battles",
        sub_event_type="Armed clash",
        actor1="Military Forces of Sudan (2019-)",
        assoc_actor_1="",
        inter1=1,
        actor2="Rapid Support Forces",
        inter2=2,
        interaction=12,
        civilian_targeting="",
        iso=729,
        country="Sudan",
        admin1="North Darfur",
        admin2="El Fasher",
        location="El Fasher",
        latitude=13.6279,
        longitude=25.3494,
        geo_precision=1,
        geonameid=379252,
        source="Example Wire",
        source_scale="International",
        notes="Fighting in El Fasher killed four people.",
        fatalities=4,
        confidence=0.82,
        evidence={
            "fatalities": Evidence([Span(26, 30, "four")], "explicit"),
            "location": Evidence([Span(12, 21, "El Fasher")]),
        },
    )
    db = tmp_path / "sub" / "m.db"
    with Store(db) as st:
        assert st.add_article(a, [ev]) is True
        assert st.get_article(a.id) == a
    with Store(db) as st:  # reopened: persisted, schema not re-applied
        assert st.schema_version == SCHEMA_VERSION
        (back,) = list(st.iter_reports())
        (incident,) = list(st.iter_events())  # what analysts see: the fused event
    assert back == ev
    # one report fuses into an incident that keeps its fields, id and a source entry per article
    assert incident.event_id == ev.event_id and incident.article_id == a.id
    for name in ("event_date", "sub_event_type", "actor1", "actor2", "location", "latitude", "fatalities"):
        assert getattr(incident, name) == getattr(ev, name), name
    assert incident.sources == [
        {
            "article_id": a.id,
            "outlet": "Example Wire",
            "url": "https://example.org/x",
            "title": "Clashes",
            "published": "2024-03-03",
        }
    ]
    assert (incident.n_reports, incident.n_articles) == (1, 1)
    assert incident.source == "Example Wire"


def test_resume_without_duplicates(tmp_path: Path) -> None:
    db = tmp_path / "m.db"
    a1, a2 = _article("One report."), _article("Another report.")
    with Store(db) as st:
        assert st.add_article(a1, [_event(a1), _event(a1, country="Chad")])
        assert not st.add_article(a1, [_event(a1)])  # same id again: ignored, no new events
        assert st.has_article(a1.id) and not st.has_article(a2.id)
        assert st.known_article_ids() == {a1.id}
        assert st.count_events() == 2
        ids = sorted(e.event_id for e in st.iter_reports())
    assert ids == [f"{a1.id}:0", f"{a1.id}:1"]  # deterministic default ids
    with Store(db) as st:
        assert st.add_many([(a1, [_event(a1)]), (a2, [_event(a2)])]) == 1
        assert st.count_articles() == 2 and st.count_events() == 3


def test_failed_transaction_leaves_nothing(tmp_path: Path) -> None:
    a1, a2 = _article("First text."), _article("Second text.")
    with Store(tmp_path / "m.db") as st:
        st.add_article(a1, [_event(a1, event_id="dup")])
        with pytest.raises(StoreError, match="dup|UNIQUE"):
            st.add_article(a2, [_event(a2, event_id="fresh"), _event(a2, event_id="dup")])
        # neither the article nor its first event survived the rollback: a retry can store it
        assert not st.has_article(a2.id)
        assert st.count_events() == 1
        assert st.add_article(a2, [_event(a2, country="Chad")])
        # the rolled-back attempt left no incident or revision behind
        assert st.count_incidents() == 2 and {e.article_id for e in st.iter_events()} == {a1.id, a2.id}
        assert {r["incident_id"] for r in st.changes()} == {"dup", f"{a2.id}:0"}


def test_exact_duplicate_text_under_another_id_is_skipped() -> None:
    a = _article("Gunmen attacked a bus near Kano on Monday.", id="feed-1")
    again = _article("Gunmen attacked a bus near Kano on Monday.", id="feed-2")
    with Store(":memory:") as st:
        assert st.add_article(a, [_event(a)])
        assert not st.add_article(again, [_event(again)])
        assert st.count_articles() == 1 and st.count_events() == 1


def test_filters_and_summary() -> None:
    a, b = _article("Text A."), _article("Text B.")
    with Store(":memory:") as st:
        st.add_article(
            a,
            [
                _event(a, event_date="2024-01-05", fatalities=2),
                _event(
                    a,
                    event_date="2024-02-01",
                    event_type="Protests",
                    sub_event_type="Peaceful protest",
                    fatalities=0,
                ),
            ],
        )
        st.add_article(b, [_event(b, event_date="2024-03-01", country="Chad", fatalities=None)])
        st.add_problem("bad.html", "no text extracted")

        assert [e.event_date for e in st.iter_events()] == ["2024-01-05", "2024-02-01", "2024-03-01"]
        assert [e.event_date for e in st.iter_reports(since="2024-02-01")] == ["2024-02-01", "2024-03-01"]
        assert [e.article_id for e in st.iter_events(article_id=b.id)] == [b.id]
        assert {e.country for e in st.iter_events(country="chad")} == {"Chad"}
        assert len(list(st.iter_events(event_type="Protests"))) == 1
        assert len(list(st.iter_events(event_type="Armed clash"))) == 2
        assert [e.event_date for e in st.iter_events(since="2024-02-01")] == ["2024-02-01", "2024-03-01"]
        assert [e.event_date for e in st.iter_events(until=date(2024, 2, 1))] == ["2024-01-05", "2024-02-01"]
        assert list(st.iter_events(country="Sudan", since="2024-02-01", event_type="Battles")) == []

        s = st.summary()
        assert s["events"] == 3 and s["reports"] == 3 and s["articles"] == 2 and s["problems"] == 1
        assert s["fatalities"] == 2
        assert s["by_event_type"] == {"Battles": 2, "Protests": 1}
        assert s["by_country"] == {"Sudan": 2, "Chad": 1}
        assert (s["first_event_date"], s["last_event_date"]) == ("2024-01-05", "2024-03-01")
        assert st.problems()[0][:2] == ("bad.html", "no text extracted")


def test_schema_has_acled_columns_and_wal(tmp_path: Path) -> None:
    db = tmp_path / "m.db"
    Store(db).close()
    con = sqlite3.connect(db)
    cols = {r[1] for r in con.execute("PRAGMA table_info(events)")}
    assert set(ACLED_FIELDS) | {"article_id", "geonameid", "confidence", "evidence"} <= cols
    indexes = {r[1] for r in con.execute("PRAGMA index_list(events)")}
    assert {"events_event_date", "events_country", "events_sub_event_type", "events_coarse_date"} <= indexes
    tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert {"incidents", "revisions", "articles_fts", "incidents_fts"} <= tables
    assert con.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert con.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    con.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    con.commit()
    con.close()
    with pytest.raises(StoreError, match="newer"):
        Store(db)


def test_unreadable_file_gives_store_error(tmp_path: Path) -> None:
    bad = tmp_path / "not-a-db.db"
    bad.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(StoreError, match="cannot open store"):
        Store(bad)


def test_file_from_before_fusion_gets_incidents_on_open(tmp_path: Path) -> None:
    from marsad.store.schema import MIGRATIONS

    db = tmp_path / "old.db"
    con = sqlite3.connect(db)
    for statement in MIGRATIONS[0]:  # a store written by marsad before migration 2
        con.execute(statement)
    con.execute("PRAGMA user_version = 1")
    for aid, outlet in (("old-1", "Wire A"), ("old-2", "Wire B")):
        con.execute(
            "INSERT INTO articles (id, content_hash, title, source, text, ingested_at) VALUES (?, ?, ?, ?, ?, ?)",
            (aid, aid, "t", outlet, f"Report {aid} of fighting in El Fasher.", "2024-03-03T00:00:00+00:00"),
        )
        con.execute(
            "INSERT INTO events (event_id, article_id, seq, event_date, time_precision, event_type, sub_event_type,"
            " country, fatalities) VALUES (?, ?, 0, '2024-03-02', 1, 'Battles', 'Armed clash', 'Sudan', 4)",
            (f"{aid}:0", aid),
        )
    con.commit()
    con.close()
    with Store(db) as st:
        assert st.schema_version == SCHEMA_VERSION
        (inc,) = list(st.iter_events())  # both country-level reports of the same clash fuse
        assert inc.event_id == "old-1:0" and inc.n_articles == 2 and inc.source == "Wire A; Wire B"
        assert st.fuse_pending() == 0  # nothing left to do
