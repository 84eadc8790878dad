"""Store fusion: reports of different articles become one incident with every source behind it.

Covers the store's side of issue 5 (the matching rules themselves are tested with marsad.fusion):
order-independent incidents, merges logged, near-duplicate copies adding sources, exact duplicates
skipped, revisions with old/new values, re-extraction (changes and deletions), ``changes --since``,
full-text search and index use. All texts are written for these tests.
"""

from __future__ import annotations

import itertools
import random
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from marsad.model import Article, Event, Evidence, Span
from marsad.store import Incident, Store, StoreError, extraction_version
from marsad.store.incidents import _ranges, candidate_sql

BAMA = {
    "iso": 566,
    "country": "Nigeria",
    "admin1": "Borno",
    "location": "Bama",
    "latitude": 11.5221,
    "longitude": 13.6856,
    "geo_precision": 1,
    "geonameid": 2348773,
}
MAIDUGURI = {**BAMA, "location": "Maiduguri", "latitude": 11.8464, "longitude": 13.1603, "geonameid": 2331447}
GARISSA = {
    "iso": 404,
    "country": "Kenya",
    "admin1": "Garissa",
    "location": "Garissa",
    "latitude": -0.4532,
    "longitude": 39.6461,
    "geo_precision": 1,
    "geonameid": 197745,
}
ARMY = ("Military Forces of Nigeria (2015-2023)", 1)
BOKO = ("Boko Haram - Jamaatu Ahli is-Sunnah lid-Dawati wal-Jihad", 2)
ISWAP = ("Islamic State West Africa Province", 2)
GUNMEN = ("Unidentified Armed Group (Nigeria)", 3)


def clash(article: Article, side: tuple[str, int], killed: int, day: str = "2024-03-12", **kw: Any) -> Event:
    """An armed clash between the army and ``side`` at Bama (unless ``kw`` moves it)."""
    figure = str(killed)
    at = article.text.find(figure)
    base: dict[str, Any] = {
        "article_id": article.id,
        "event_date": day,
        "time_precision": 1,
        "disorder_type": "Political violence",
        "event_type": "Battles",
        "sub_event_type": "Armed clash",
        "actor1": ARMY[0],
        "inter1": ARMY[1],
        "actor2": side[0],
        "inter2": side[1],
        "interaction": 10 + side[1],
        **BAMA,
        "source": article.source or "",
        "notes": article.text[:80],
        "fatalities": killed,
        "confidence": 0.7,
        "evidence": {
            "fatalities": Evidence([Span(at, at + len(figure), figure)] if at >= 0 else [], "explicit")
        },
    }
    base.update(kw)
    return Event(**base)


def protest(article: Article, day: str = "2024-03-12") -> Event:
    return Event(
        article_id=article.id,
        event_date=day,
        time_precision=1,
        disorder_type="Demonstrations",
        event_type="Protests",
        sub_event_type="Peaceful protest",
        actor1="Protesters (Nigeria)",
        inter1=6,
        interaction=60,
        **MAIDUGURI,
        notes=article.text[:80],
        fatalities=0,
        confidence=0.6,
    )


def art(aid: str, outlet: str, text: str, published: str = "2024-03-13") -> Article:
    return Article(
        text=text,
        id=aid,
        source=outlet,
        url=f"https://{outlet.lower().replace(' ', '')}.example/{aid}",
        title=text.split(".")[0],
        published=date.fromisoformat(published),
    )


def corpus() -> list[tuple[Article, list[Event]]]:
    """Six articles: one clash told three ways (one outlet only says 'gunmen'), a clash with another
    group the same day in the same town, a protest nearby and an unrelated attack in Kenya."""
    a1 = art(
        "a1", "Sahel Wire", "Boko Haram fighters clashed with soldiers in Bama on Tuesday; 12 people died."
    )
    a2 = art(
        "a2", "Daily Courier", "Gunmen and troops fought for hours in Bama, Borno State, leaving 15 dead."
    )
    a3 = art("a3", "Lake Chad Monitor", "The army said it repelled a Boko Haram assault on Bama, killing 20.")
    a4 = art("a4", "Sahel Wire", "Hundreds marched in Maiduguri on Tuesday to demand better security.")
    a5 = art(
        "a5", "Borno Post", "ISWAP militants attacked an army base outside Bama; 7 soldiers were killed."
    )
    a6 = art("a6", "Coast Herald", "Militants ambushed a police convoy near Garissa, killing 3 officers.")
    return [
        (a1, [clash(a1, BOKO, 12)]),
        (a2, [clash(a2, GUNMEN, 15)]),
        (a3, [clash(a3, BOKO, 20)]),
        (a4, [protest(a4)]),
        (a5, [clash(a5, ISWAP, 7)]),
        (
            a6,
            [
                clash(
                    a6,
                    ("Al Shabaab", 2),
                    3,
                    actor1="Police Forces of Kenya (2022-)",
                    **GARISSA,
                )
            ],
        ),
    ]


def snapshot(st: Store) -> dict[str, dict[str, Any]]:
    """Live incidents by id, without the timestamps that record when they were written."""
    out = {}
    for inc in st.iter_incidents():
        d = inc.to_dict()
        d.pop("created_at")
        d.pop("updated_at")
        out[inc.event_id] = d
    return out


def ingest(items: list[tuple[Article, list[Event]]], db: str | Path = ":memory:") -> Store:
    st = Store(db)
    for article, events in items:
        st.add_article(article, events)
    return st


def test_reports_of_one_incident_fuse_with_sources_and_claims() -> None:
    items = corpus()
    with ingest([items[0], items[2], items[3]]) as st:  # a1, a3 (same clash), a4 (protest)
        assert st.count_reports() == 3 and st.count_incidents() == 2
        inc = st.get_incident("a1:0")
        assert isinstance(inc, Incident)
        assert [s["article_id"] for s in inc.sources] == ["a1", "a3"]
        assert inc.source == "Lake Chad Monitor; Sahel Wire"  # outlets, as ACLED's source column
        assert (inc.n_reports, inc.n_articles) == (2, 2)
        # ACLED codes the lowest credible figure; every outlet's figure stays visible
        assert inc.fatalities == 12 and (inc.fatalities_low, inc.fatalities_high) == (12, 20)
        assert sorted((c.outlet, c.fatalities) for c in inc.claims) == [
            ("Lake Chad Monitor", 20),
            ("Sahel Wire", 12),
        ]
        assert {e.event_id for e in st.incident_reports("a1:0")} == {"a1:0", "a3:0"}
        assert st.article_incidents() == {"a1": {"a1:0"}, "a3": {"a1:0"}, "a4": {"a4:0"}}
        assert [e.sub_event_type for e in st.iter_events(since="2024-03-12", until="2024-03-12")] == [
            "Armed clash",
            "Peaceful protest",
        ]


def test_unrelated_events_nearby_stay_apart() -> None:
    items = corpus()
    with ingest([items[0], items[4], items[3], items[5]]) as st:  # Boko Haram, ISWAP, protest, Kenya
        assert st.count_incidents() == 4  # two named groups the same day in Bama are two incidents
        assert all(len(ids) == 1 for ids in st.article_incidents().values())


def test_a_report_matching_two_contradicting_incidents_joins_only_the_best() -> None:
    items = corpus()
    with ingest([items[0], items[4]]) as st:
        assert st.count_incidents() == 2
        # "gunmen" agrees with both Boko Haram and ISWAP, but those two name different groups: the
        # guard keeps them apart and the report joins the closer match (15 dead is near 12, not 7)
        st.add_article(*items[1])
        assert set(snapshot(st)) == {"a1:0", "a5:0"}
        assert {e.event_id for e in st.incident_reports("a1:0")} == {"a1:0", "a2:0"}
        assert {e.event_id for e in st.incident_reports("a5:0")} == {"a5:0"}
        assert not [r for r in st.changes() if r["change"] in ("merged", "deleted")]


def bridge_corpus() -> list[tuple[Article, list[Event]]]:
    """Two reports of one clash that do not match each other (two days apart, one says only
    'gunmen' and gives no toll) and an overnight report that matches both."""
    b1 = art("b1", "Sahel Wire", "Boko Haram fighters clashed with soldiers in Bama; 12 people died.")
    b2 = art("b2", "Borno Post", "Residents of Bama described how gunmen fought troops for hours.")
    b3 = art("b3", "Daily Courier", "Overnight, Boko Haram and the army fought in Bama, leaving 11 dead.")
    reports = [clash(b1, BOKO, 12, day="2024-04-02"), clash(b2, GUNMEN, 0, day="2024-04-04")]
    for r in reports:  # stated dates: exact days
        r.evidence["event_date"] = Evidence([Span(0, 4, "date")], "explicit")
    j = clash(b3, BOKO, 11, day="2024-04-03")
    j.evidence["event_date"] = Evidence([Span(0, 9, "Overnight")], "explicit")  # could be either day
    return [(b1, [reports[0]]), (b2, [reports[1]]), (b3, [j])]


def test_a_bridging_report_merges_compatible_incidents_and_logs_it() -> None:
    items = bridge_corpus()
    with ingest(items[:2]) as st:
        assert set(snapshot(st)) == {"b1:0", "b2:0"}
        st.add_article(*items[2])
        assert set(snapshot(st)) == {"b1:0"}
        merged = [r for r in st.changes() if r["change"] == "merged"]
        assert [(r["incident_id"], r["old"], r["new"], r["reason"]) for r in merged] == [
            ("b2:0", "b2:0", "b1:0", "ingest: article b3")
        ]
        gone = st.get_incident("b2:0")
        assert gone is not None and list(st.iter_incidents(include_deleted=True)) != list(st.iter_incidents())


def test_guarded_incidents_do_not_depend_on_ingest_order() -> None:
    # the guard chooses among links; every order of the same reports must give the same choice
    items = corpus()[:2] + corpus()[4:5] + bridge_corpus()
    with ingest(items) as st:
        reference, links = snapshot(st), st.article_incidents()
    assert links["a2"] == {"a1:0"} and links["a5"] == {"a5:0"} and links["b2"] == {"b1:0"}
    orders = list(itertools.permutations(items))
    for order in [orders[-1], *random.Random(11).sample(orders, 10)]:
        with ingest(list(order)) as other:
            assert snapshot(other) == reference, [a.id for a, _ in order]
            assert other.article_incidents() == links


def test_incidents_do_not_depend_on_ingest_order() -> None:
    items = corpus()
    with ingest(items) as st:
        reference, links = snapshot(st), st.article_incidents()
        revisions = st.count_revisions()
        # the same articles again, shuffled: nothing new, nothing revised
        shuffled = items[:]
        random.Random(3).shuffle(shuffled)
        assert sum(st.add_article(a, e) for a, e in shuffled) == 0
        assert st.count_revisions() == revisions and snapshot(st) == reference
    rng = random.Random(7)
    for _ in range(12):
        order = items[:]
        rng.shuffle(order)
        with ingest(order) as other:
            assert snapshot(other) == reference, [a.id for a, _ in order]
            assert other.article_incidents() == links


def test_field_changes_are_logged_with_old_and_new() -> None:
    items = corpus()
    with ingest([items[2]]) as st:  # a3 alone: 20 killed
        (created,) = st.changes()
        assert (created["incident_id"], created["change"], created["field"]) == ("a3:0", "created", None)
        st.add_article(*items[0])  # a1 (12 killed) joins and gives the incident its smaller id
        changes = list(st.changes())[1:]
        assert {(r["incident_id"], r["change"]) for r in changes} == {("a1:0", "created"), ("a3:0", "merged")}
        st.add_article(*items[1])  # a2: 15 killed, another outlet
        updated = {r["field"]: (r["old"], r["new"]) for r in st.changes() if r["change"] == "updated"}
        assert "fatalities_high" not in updated  # 20 is still the highest
        assert updated["n_articles"] == ("2", "3")
        assert updated["source"] == (
            "Lake Chad Monitor; Sahel Wire",
            "Daily Courier; Lake Chad Monitor; Sahel Wire",
        )
        assert "fatalities" not in updated  # 12 is still the lowest figure


def _copy_text() -> tuple[str, str]:
    original = (
        "Suspected jihadist fighters attacked the town of Bama in Borno State late on Tuesday, "
        "exchanging fire with soldiers for several hours before withdrawing into the bush, residents "
        "and security sources said on Wednesday. At least 12 people were killed, among them four "
        "soldiers and eight civilians caught in the crossfire, according to a local official who "
        "asked not to be named. The attackers burned shops near the main market and stole food "
        "from a warehouse run by an aid group. The army said troops had repelled the assault and "
        "were pursuing the attackers. Bama, about 70 kilometres south-east of Maiduguri, has been "
        "attacked repeatedly since the insurgency began more than a decade ago, and thousands of "
        "displaced families live in camps around the town."
    )
    rewrite = original.replace("residents and security sources said", "residents told reporters")
    return original, rewrite


def test_near_duplicate_copy_adds_a_source_not_an_incident() -> None:
    original, rewrite = _copy_text()
    wire = art("w1", "Sahel Wire", original)
    copy = art("c1", "Borno Post", rewrite, published="2024-03-14")
    # the copy's extractor resolved "Tuesday" from a later publication date and read the toll as a
    # different type: the near-duplicate link still makes it a source of the same incident
    copy_event = clash(copy, GUNMEN, 12, day="2024-03-05", sub_event_type="Attack", event_type="Battles")
    with ingest([(wire, [clash(wire, BOKO, 12)]), (copy, [copy_event])]) as st:
        assert st.near_duplicate_of("c1") == "w1" and st.near_duplicate_of("w1") is None
        assert st.summary()["near_duplicates"] == 1
        (inc,) = st.iter_incidents()
        assert [s["article_id"] for s in inc.sources] == ["c1", "w1"] and inc.n_articles == 2
    with ingest([(copy, [copy_event]), (wire, [clash(wire, BOKO, 12)])]) as st:  # other order
        assert st.near_duplicate_of("w1") == "c1"
        assert st.count_incidents() == 1


def test_near_duplicate_index_is_rebuilt_from_the_file(tmp_path: Path) -> None:
    original, rewrite = _copy_text()
    db = tmp_path / "m.db"
    wire = art("w1", "Sahel Wire", original)
    with ingest([(wire, [clash(wire, BOKO, 12)])], db) as st:
        pass
    copy = art("c1", "Borno Post", rewrite)
    with Store(db) as st:  # a new process: the LSH index comes from stored signatures
        st.add_article(copy, [])
        assert st.near_duplicate_of("c1") == "w1"


def _rebuild(items: list[tuple[Article, list[Event]]], db: Path) -> Store:
    st = Store(db)
    st.add_many(items, extracted_with="old-version")
    return st


def test_reextract_logs_changes_and_deletions(tmp_path: Path) -> None:
    items = [it for it in corpus() if it[0].id != "a5"]
    db = tmp_path / "m.db"
    with _rebuild(items, db) as st:
        assert st.stale_articles(extraction_version()) == [a.id for a, _ in items]
        before = st.count_revisions()
        stamp = max(r["at"] for r in st.changes())
        events = {a.id: evs for a, evs in items}

        def extract(article: Article) -> list[Event]:
            if article.id == "a1":  # a knowledge change: the toll is now read as 10
                return [clash(article, BOKO, 10)]
            if article.id == "a6":  # ... and the Kenya story is no longer an event
                return []
            if article.id == "a4":
                raise ValueError("simulated extractor failure")
            return events[article.id]

        stats = st.reextract(extract, reason="triggers.json: new toll rule", version="v2")
        assert stats == {"articles": 5, "changed": 2, "failed": 1, "revisions": stats["revisions"]}
        log = [r for r in st.changes(since=stamp) if r["reason"] == "triggers.json: new toll rule"]
        assert st.count_revisions() - before == stats["revisions"] == len(log)
        fields = {(r["incident_id"], r["change"], r["field"]): (r["old"], r["new"]) for r in log}
        assert fields[("a1:0", "updated", "fatalities")] == ("12", "10")
        assert fields[("a1:0", "updated", "fatalities_low")] == ("12", "10")
        assert ("a6:0", "deleted", None) in fields
        assert st.get_incident("a6:0") is not None  # soft-deleted: kept so changes can report it
        assert "a6:0" not in snapshot(st) and st.count_incidents() == 2
        assert st.problems()[-1][1].startswith("re-extraction failed: ValueError")
        # the failed article keeps its reports and stays stale; the others are current
        assert st.stale_articles("v2") == ["a4"]
        # an unchanged re-extraction writes no revision
        again = st.reextract(extract, reason="again", version="v2", everything=True)
        assert again["changed"] == 0 and again["revisions"] == 0


def test_reextract_splits_an_incident_whose_bridge_vanishes() -> None:
    items = bridge_corpus()
    with ingest(items) as st:  # b3 (overnight) bridges b1 and b2
        assert set(snapshot(st)) == {"b1:0"}
        assert st.replace_reports("b3", [], "v2", "overnight report withdrawn")
        assert set(snapshot(st)) == {"b1:0", "b2:0"}
        assert {e.event_id for e in st.incident_reports("b2:0")} == {"b2:0"}
        # the same three articles ingested without b3 give the same incidents
        with ingest([items[1], items[0], (items[2][0], [])]) as fresh:
            assert snapshot(fresh) == snapshot(st)


def test_changes_since() -> None:
    items = corpus()
    with ingest(items[:2]) as st:
        rows = list(st.changes())
        assert rows and all(
            set(r) == {"incident_id", "change", "field", "old", "new", "reason", "at"} for r in rows
        )
        assert list(st.changes(since="2999-01-01")) == []
        assert list(st.changes(since=date(2000, 1, 1))) == rows
        assert list(st.changes(since="2000-01-01T10:00:00+02:00")) == rows
        with pytest.raises(StoreError, match="not a date"):
            list(st.changes(since="last tuesday"))


def test_full_text_search_over_articles_and_incidents() -> None:
    items = corpus()
    with ingest(items) as st:
        db = st._db
        hits = {
            r[0]
            for r in db.execute(
                "SELECT a.id FROM articles_fts f JOIN articles a ON a.rowid = f.rowid WHERE articles_fts MATCH 'Garissa'"
            )
        }
        assert hits == {"a6"}

        def incidents(query: str) -> set[str]:
            rows = db.execute("SELECT incident_id FROM incidents_fts WHERE incidents_fts MATCH ?", (query,))
            return {r[0] for r in rows}

        assert incidents("actors:Boko") == {"a1:0"}
        assert incidents("location:Garissa") == {"a6:0"}
        assert incidents("notes:marched") == {"a4:0"}
        assert db.execute("SELECT COUNT(*) FROM incidents_fts").fetchone()[0] == st.count_incidents()


def test_blocking_uses_indexes_not_all_pairs() -> None:
    with Store(":memory:") as st:
        a = art("x", "Wire", "Text.")
        ranges = _ranges(clash(a, BOKO, 1, time_precision=1))
        assert [coarse for _, _, coarse in ranges] == [False, True]
        expected = {
            (True, False): "events_country_date (country=? AND event_date>? AND event_date<?)",
            (True, True): "events_coarse_date (country=? AND event_date>? AND event_date<?)",
            (False, False): "events_event_date (event_date>? AND event_date<?)",
            (False, True): "events_event_date (event_date>? AND event_date<?)",
        }
        for (has_country, coarse), index in expected.items():
            args = ["Nigeria", "2024-03-10", "2024-03-14"][0 if has_country else 1 :]
            plan = " ".join(
                r[-1]
                for r in st._db.execute("EXPLAIN QUERY PLAN " + candidate_sql(has_country, coarse), args)
            )
            assert "SEARCH events USING INDEX " + index in plan, plan
            assert "SCAN" not in plan
        plan = " ".join(
            r[-1]
            for r in st._db.execute("EXPLAIN QUERY PLAN SELECT * FROM events WHERE incident_id = ?", ("x",))
        )
        assert "events_incident" in plan


def test_undated_reports_fuse_with_nothing() -> None:
    a, b = art("u1", "Wire A", "One text."), art("u2", "Wire B", "Another text.")
    with ingest([(a, [clash(a, BOKO, 2, day="")]), (b, [clash(b, BOKO, 2, day="")])]) as st:
        assert st.count_incidents() == 2


def test_store_incidents_are_the_guarded_clustering_of_all_reports() -> None:
    # ingesting one article at a time gives what one pass over every report gives
    from marsad.fusion import cluster

    items = corpus() + bridge_corpus()
    reports = []
    for article, evs in items:
        for i, e in enumerate(evs):
            reports.append(replace(e, event_id=f"{article.id}:{i}"))  # the ids the store gives
    expected = [[r.event_id for r in g] for g in cluster(reports)]
    assert ["a1:0", "a2:0", "a3:0"] in expected and ["b1:0", "b2:0", "b3:0"] in expected
    for seed in (1, 2):
        order = items[:]
        random.Random(seed).shuffle(order)
        with ingest(order) as st:
            got = sorted(
                sorted(e.event_id for e in st.incident_reports(i.event_id)) for i in st.iter_incidents()
            )
            assert got == expected
