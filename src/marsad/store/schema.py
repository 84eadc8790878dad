"""Database schema as an ordered list of migrations (each a tuple of SQL statements).

``PRAGMA user_version`` records how many steps a database has applied; opening
an older file runs the missing steps in order, inside one transaction each.
Never edit a released step: append a new one.
"""

from __future__ import annotations

import sqlite3

from marsad.model import ACLED_FIELDS

# SQL column types for the Event fields; anything not listed is TEXT.
_INTEGER = {"time_precision", "inter1", "inter2", "interaction", "iso", "geo_precision", "fatalities"}
_REAL = {"latitude", "longitude"}


def _event_columns() -> str:
    cols = []
    for name in ACLED_FIELDS:
        if name == "event_id":
            continue
        sql_type = "INTEGER" if name in _INTEGER else "REAL" if name in _REAL else "TEXT"
        cols.append(f"    {name} {sql_type}")
    return ",\n".join(cols)


def _statements(sql: str) -> tuple[str, ...]:
    # sqlite3.complete_statement knows that a trigger body's inner ';' does not end the statement
    out: list[str] = []
    pending = ""
    for piece in sql.split(";"):
        pending += piece + ";"
        if sqlite3.complete_statement(pending):
            if pending.strip(" \n;"):
                out.append(pending.strip().rstrip(";"))
            pending = ""
    if pending.strip(" \n;"):
        out.append(pending.strip().rstrip(";"))
    return tuple(out)


MIGRATIONS: tuple[tuple[str, ...], ...] = (
    # 1: articles, events, problems
    _statements(f"""
CREATE TABLE articles (
    id TEXT PRIMARY KEY,
    content_hash TEXT NOT NULL,
    origin TEXT,
    title TEXT,
    published TEXT,
    source TEXT,
    url TEXT,
    text TEXT NOT NULL,
    ingested_at TEXT NOT NULL
);
CREATE INDEX articles_content_hash ON articles(content_hash);
CREATE TABLE events (
    event_id TEXT PRIMARY KEY,
    article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    seq INTEGER NOT NULL,
{_event_columns()},
    geonameid INTEGER,
    confidence REAL,
    evidence TEXT NOT NULL DEFAULT '{{}}'
);
CREATE INDEX events_article ON events(article_id);
CREATE INDEX events_event_date ON events(event_date);
CREATE INDEX events_country ON events(country);
CREATE INDEX events_sub_event_type ON events(sub_event_type);
CREATE TABLE problems (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    origin TEXT,
    reason TEXT NOT NULL,
    at TEXT NOT NULL
);
"""),
    # 2: fusion across articles, claims, revisions, full-text search.
    # ``events`` rows stay what one article reported (a "report"); ``incidents`` are the fused events
    # analysts see (one per real-world incident, every contributing report linked by incident_id).
    _statements(f"""
ALTER TABLE articles ADD COLUMN near_duplicate_of TEXT;
ALTER TABLE articles ADD COLUMN signature BLOB;
ALTER TABLE articles ADD COLUMN extracted_with TEXT;
ALTER TABLE events ADD COLUMN incident_id TEXT;
ALTER TABLE events ADD COLUMN claims TEXT NOT NULL DEFAULT '[]';
CREATE INDEX events_incident ON events(incident_id);
CREATE INDEX articles_near_duplicate ON articles(near_duplicate_of);
CREATE TABLE incidents (
    incident_id TEXT PRIMARY KEY,
{_event_columns()},
    geonameid INTEGER,
    confidence REAL,
    evidence TEXT NOT NULL DEFAULT '{{}}',
    sources TEXT NOT NULL DEFAULT '[]',
    claims TEXT NOT NULL DEFAULT '[]',
    n_reports INTEGER NOT NULL DEFAULT 0,
    n_articles INTEGER NOT NULL DEFAULT 0,
    fatalities_low INTEGER,
    fatalities_high INTEGER,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    deleted_at TEXT
);
CREATE INDEX incidents_event_date ON incidents(event_date);
CREATE INDEX incidents_country_date ON incidents(country, event_date);
CREATE INDEX incidents_admin1 ON incidents(admin1);
CREATE INDEX incidents_sub_event_type ON incidents(sub_event_type);
CREATE INDEX incidents_updated ON incidents(updated_at);
CREATE TABLE revisions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at TEXT NOT NULL,
    incident_id TEXT NOT NULL,
    change TEXT NOT NULL,
    field TEXT,
    old TEXT,
    new TEXT,
    reason TEXT NOT NULL
);
CREATE INDEX revisions_at ON revisions(at);
CREATE INDEX revisions_incident ON revisions(incident_id);
CREATE VIRTUAL TABLE articles_fts USING fts5(title, text, content='articles', content_rowid='rowid');
CREATE TRIGGER articles_fts_insert AFTER INSERT ON articles BEGIN
    INSERT INTO articles_fts(rowid, title, text) VALUES (new.rowid, new.title, new.text);
END;
CREATE TRIGGER articles_fts_delete AFTER DELETE ON articles BEGIN
    INSERT INTO articles_fts(articles_fts, rowid, title, text) VALUES ('delete', old.rowid, old.title, old.text);
END;
INSERT INTO articles_fts(rowid, title, text) SELECT rowid, title, text FROM articles;
CREATE VIRTUAL TABLE incidents_fts USING fts5(incident_id UNINDEXED, notes, actors, location)
"""),
    # 3: fusion blocking: a report's candidates are the reports of its country (or none) in a date
    # range. Week- and month-precision reports have long windows; a partial index finds the few of
    # them near a date without scanning every report there.
    # incidents_fts rows share their incident's rowid (the store keeps them in step).
    _statements("""
CREATE INDEX events_country_date ON events(country, event_date);
CREATE INDEX events_coarse_date ON events(country, event_date) WHERE time_precision IS NULL OR time_precision > 1;
CREATE INDEX articles_extracted_with ON articles(extracted_with)
"""),
    # 4: the API's browse queries (measured by benchmarks/bench_api.py on 100,000 incidents): a
    # covering index for date-ordered pages and indexes for area and actor filters.
    _statements("""
CREATE INDEX incidents_browse ON incidents(event_date, incident_id, deleted_at, event_type, sub_event_type,
    country, admin1, fatalities, latitude, longitude, actor1, actor2, assoc_actor_1, assoc_actor_2);
CREATE INDEX incidents_area ON incidents(country, admin1, event_type, sub_event_type, deleted_at, fatalities,
    event_date);
CREATE INDEX incidents_actor1_date ON incidents(actor1, event_date, deleted_at);
CREATE INDEX incidents_actor2_date ON incidents(actor2, event_date, deleted_at)
"""),
    # 5: the API's actor filter is a substring match ("militia" finds "Militia 17 (Nigeria)"); a
    # trigram FTS5 index answers it without scanning every incident (LIKE '%x%' cannot use a b-tree).
    # It keeps its own copy of the names (not an external-content table), so a missed update could
    # only make a stale match, never corrupt the index; triggers keep it in step with incidents, so
    # the store's code does not write it. Rows share their incident's rowid.
    _statements("""
CREATE VIRTUAL TABLE incidents_actors USING fts5(actor1, actor2, assoc_actor_1, assoc_actor_2,
    tokenize='trigram');
CREATE TRIGGER incidents_actors_insert AFTER INSERT ON incidents BEGIN
    DELETE FROM incidents_actors WHERE rowid = new.rowid;
    INSERT INTO incidents_actors(rowid, actor1, actor2, assoc_actor_1, assoc_actor_2)
    VALUES (new.rowid, new.actor1, new.actor2, new.assoc_actor_1, new.assoc_actor_2);
END;
CREATE TRIGGER incidents_actors_update AFTER UPDATE OF actor1, actor2, assoc_actor_1, assoc_actor_2
ON incidents BEGIN
    DELETE FROM incidents_actors WHERE rowid = old.rowid;
    INSERT INTO incidents_actors(rowid, actor1, actor2, assoc_actor_1, assoc_actor_2)
    VALUES (new.rowid, new.actor1, new.actor2, new.assoc_actor_1, new.assoc_actor_2);
END;
CREATE TRIGGER incidents_actors_delete AFTER DELETE ON incidents BEGIN
    DELETE FROM incidents_actors WHERE rowid = old.rowid;
END;
INSERT INTO incidents_actors(rowid, actor1, actor2, assoc_actor_1, assoc_actor_2)
    SELECT rowid, actor1, actor2, assoc_actor_1, assoc_actor_2 FROM incidents;
-- full-text hits in articles reach their incidents through the reports without reading report rows
DROP INDEX IF EXISTS events_article;
CREATE INDEX events_article ON events(article_id, incident_id);
-- /api/stats per day and type: streamed in index order, filters checked inside the index
CREATE INDEX incidents_day ON incidents(event_date, event_type, deleted_at, fatalities, country, admin1,
    sub_event_type);
-- the few retired incidents: a text filter's total is its matches less these, no scan
CREATE INDEX incidents_retired ON incidents(deleted_at) WHERE deleted_at IS NOT NULL
"""),
)

SCHEMA_VERSION = len(MIGRATIONS)

# Incident columns, in table order (evidence, sources, claims and bookkeeping handled separately).
INCIDENT_COLUMNS: tuple[str, ...] = ("incident_id", *ACLED_FIELDS[1:], "geonameid", "confidence")

# Event columns stored in the events table, in table order (evidence handled separately).
EVENT_COLUMNS: tuple[str, ...] = (
    "event_id",
    "article_id",
    "seq",
    *ACLED_FIELDS[1:],
    "geonameid",
    "confidence",
)
