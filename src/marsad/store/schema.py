"""Database schema as an ordered list of migrations (each a tuple of SQL statements).

``PRAGMA user_version`` records how many steps a database has applied; opening
an older file runs the missing steps in order, inside one transaction each.
Never edit a released step: append a new one.
"""

from __future__ import annotations

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
    # migration SQL is ours and has no ';' inside literals, so a plain split is safe
    return tuple(s.strip() for s in sql.split(";") if s.strip())


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
)

SCHEMA_VERSION = len(MIGRATIONS)

# Event columns stored in the events table, in table order (evidence handled separately).
EVENT_COLUMNS: tuple[str, ...] = (
    "event_id",
    "article_id",
    "seq",
    *ACLED_FIELDS[1:],
    "geonameid",
    "confidence",
)
