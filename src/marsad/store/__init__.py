"""The event store: the only code that writes the database (embedded SQLite, WAL mode).

An article and its events are written in one transaction, so a run that is
interrupted leaves either both or neither, and re-running skips what is
already stored (resume without duplicates).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from types import TracebackType
from typing import Any

from marsad.model import Article, Event
from marsad.store.schema import EVENT_COLUMNS, MIGRATIONS, SCHEMA_VERSION

__all__ = ["SCHEMA_VERSION", "Store", "StoreError"]


class StoreError(RuntimeError):
    """The database cannot be used (newer schema, unreadable file, ...)."""


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _iso(value: date | str | None) -> str | None:
    if value is None:
        return None
    return value.isoformat() if isinstance(value, date) else str(value)


_INSERT_ARTICLE = (
    "INSERT OR IGNORE INTO articles (id, content_hash, origin, title, published, source, url, text, ingested_at)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
_INSERT_EVENT = (
    f"INSERT INTO events ({', '.join(EVENT_COLUMNS)}, evidence)"
    f" VALUES ({', '.join('?' for _ in EVENT_COLUMNS)}, ?)"
)
# Text fields of Event default to "" (never None): NULLs read back from SQL are mapped to "".
_STR_FIELDS = frozenset(k for k, f in Event.__dataclass_fields__.items() if f.default == "")
_SELECT_EVENTS = f"SELECT {', '.join(c for c in EVENT_COLUMNS if c != 'seq')}, evidence FROM events"


class Store:
    """SQLite-backed store of articles, events and skipped inputs.

    Use as a context manager (``with Store(path) as st: ...``); ``":memory:"`` works for tests.
    """

    def __init__(self, path: str | Path) -> None:
        self.path = str(path)
        if self.path != ":memory:":
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        # isolation_level=None: we issue BEGIN/COMMIT ourselves, one transaction per article/batch
        try:
            self._db = sqlite3.connect(self.path, isolation_level=None)
        except sqlite3.Error as exc:
            raise StoreError(f"cannot open store {self.path}: {exc}") from exc
        try:
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")  # WAL + NORMAL: durable at checkpoints, fast
            self._db.execute("PRAGMA foreign_keys=ON")
            self._migrate()
        except sqlite3.DatabaseError as exc:
            self._db.close()
            raise StoreError(f"cannot open store {self.path}: {exc}") from exc
        except BaseException:
            self._db.close()
            raise

    # --- lifecycle ---------------------------------------------------------------

    def __enter__(self) -> Store:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def close(self) -> None:
        self._db.close()

    def _migrate(self) -> None:
        version = self._db.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise StoreError(
                f"store {self.path} has schema version {version}, newer than this marsad ({SCHEMA_VERSION})"
            )
        for step, statements in enumerate(MIGRATIONS[version:], start=version + 1):
            # executescript would commit implicitly; run statements one by one inside our transaction
            self._db.execute("BEGIN IMMEDIATE")
            try:
                for statement in statements:
                    self._db.execute(statement)
                self._db.execute(f"PRAGMA user_version = {step}")
                self._db.execute("COMMIT")
            except BaseException:
                self._db.execute("ROLLBACK")
                raise

    @property
    def schema_version(self) -> int:
        return int(self._db.execute("PRAGMA user_version").fetchone()[0])

    # --- writing -----------------------------------------------------------------

    def _insert(self, article: Article, events: list[Event]) -> bool:
        cur = self._db.execute(
            _INSERT_ARTICLE,
            (
                article.id,
                article.content_hash,
                article.origin,
                article.title,
                _iso(article.published),
                article.source,
                article.url,
                article.text,
                _now(),
            ),
        )
        if cur.rowcount == 0:
            return False  # already stored: its events are too (same transaction)
        rows = []
        for seq, ev in enumerate(events):
            event_id = ev.event_id or f"{article.id}:{seq}"
            d = ev.to_dict()
            d["event_id"], d["article_id"], d["seq"] = event_id, article.id, seq
            rows.append((*(d.get(c) for c in EVENT_COLUMNS), json.dumps(d["evidence"], ensure_ascii=False)))
        try:
            self._db.executemany(_INSERT_EVENT, rows)
        except sqlite3.IntegrityError as exc:
            # event ids must be unique across the store; a clash is a pipeline bug, not bad input
            raise StoreError(f"cannot store events of article {article.id}: {exc}") from exc
        return True

    def add_article(self, article: Article, events: list[Event]) -> bool:
        """Store an article with its events atomically; False (and nothing written) if already present.

        Events without an ``event_id`` get ``article_id:index``. An event id already used by
        another article raises :class:`StoreError` and the whole transaction is rolled back.
        """
        return self.add_many([(article, events)]) == 1

    def add_many(self, items: Iterable[tuple[Article, list[Event]]]) -> int:
        """Store a small batch in one transaction (faster than one per article); returns how many were new."""
        added = 0
        self._db.execute("BEGIN IMMEDIATE")
        try:
            for article, events in items:
                added += self._insert(article, events)
            self._db.execute("COMMIT")
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        return added

    def add_problem(self, problem_origin: str | None, reason: str) -> None:
        """Record an input that was skipped (unreadable file, empty text, ...) and why."""
        self._db.execute("BEGIN IMMEDIATE")
        try:
            self._db.execute(
                "INSERT INTO problems (origin, reason, at) VALUES (?, ?, ?)", (problem_origin, reason, _now())
            )
            self._db.execute("COMMIT")
        except BaseException:
            self._db.execute("ROLLBACK")
            raise

    # --- reading -----------------------------------------------------------------

    def has_article(self, article_id: str) -> bool:
        return self._db.execute("SELECT 1 FROM articles WHERE id = ?", (article_id,)).fetchone() is not None

    def known_article_ids(self) -> set[str]:
        return {r[0] for r in self._db.execute("SELECT id FROM articles")}

    def known_content_hashes(self) -> set[str]:
        """Hashes of every stored article body: the key that makes re-ingesting the same text a no-op."""
        return {r[0] for r in self._db.execute("SELECT content_hash FROM articles")}

    def get_article(self, article_id: str) -> Article | None:
        row = self._db.execute(
            "SELECT id, title, published, source, url, origin, text FROM articles WHERE id = ?", (article_id,)
        ).fetchone()
        if row is None:
            return None
        aid, title, published, source, url, origin, text = row
        pub: date | None = None
        if published:
            try:
                pub = date.fromisoformat(published[:10])
            except ValueError:
                pub = None
        return Article(text=text, id=aid, title=title, published=pub, source=source, url=url, origin=origin)

    def iter_events(
        self,
        country: str | None = None,
        event_type: str | None = None,
        since: date | str | None = None,
        until: date | str | None = None,
        article_id: str | None = None,
    ) -> Iterator[Event]:
        """Events in (event_date, article, order-in-article) order; ``since``/``until`` are inclusive ISO dates.

        ``event_type`` matches either the event type or the sub-event type.
        """
        where: list[str] = []
        args: list[Any] = []
        if country:
            where.append("country = ? COLLATE NOCASE")
            args.append(country)
        if event_type:
            where.append("(event_type = ? OR sub_event_type = ?)")
            args += [event_type, event_type]
        if since:
            where.append("event_date >= ?")
            args.append(_iso(since))
        if until:
            where.append("event_date <= ?")
            args.append(_iso(until))
        if article_id:
            where.append("article_id = ?")
            args.append(article_id)
        sql = _SELECT_EVENTS
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " ORDER BY event_date, article_id, seq"
        names = [c for c in EVENT_COLUMNS if c != "seq"]
        for row in self._db.execute(sql, args):
            d = {k: ("" if v is None and k in _STR_FIELDS else v) for k, v in zip(names, row, strict=False)}
            try:
                d["evidence"] = json.loads(row[-1]) if row[-1] else {}
            except json.JSONDecodeError:
                d["evidence"] = {}  # a hand-edited row must not stop an export
            yield Event.from_dict(d)

    def count_articles(self) -> int:
        return int(self._db.execute("SELECT COUNT(*) FROM articles").fetchone()[0])

    def count_events(self) -> int:
        return int(self._db.execute("SELECT COUNT(*) FROM events").fetchone()[0])

    def problems(self) -> list[tuple[str | None, str, str]]:
        """(origin, reason, at) of every recorded problem, oldest first."""
        return list(self._db.execute("SELECT origin, reason, at FROM problems ORDER BY id"))

    def summary(self) -> dict[str, Any]:
        """Counts for a quick look: events per event type / sub-event type / country, total fatalities."""

        def grouped(col: str) -> dict[str, int]:
            rows = self._db.execute(
                f"SELECT COALESCE({col}, ''), COUNT(*) FROM events GROUP BY 1 ORDER BY 2 DESC, 1"
            )
            return {k: int(n) for k, n in rows}

        fatalities = self._db.execute("SELECT COALESCE(SUM(fatalities), 0) FROM events").fetchone()[0]
        dates = self._db.execute(
            "SELECT MIN(NULLIF(event_date, '')), MAX(NULLIF(event_date, '')) FROM events"
        ).fetchone()
        return {
            "articles": self.count_articles(),
            "events": self.count_events(),
            "problems": int(self._db.execute("SELECT COUNT(*) FROM problems").fetchone()[0]),
            "fatalities": int(fatalities),
            "first_event_date": dates[0],
            "last_event_date": dates[1],
            "by_event_type": grouped("event_type"),
            "by_sub_event_type": grouped("sub_event_type"),
            "by_country": grouped("country"),
        }
