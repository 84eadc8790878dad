"""The event store: the only code that writes the database (embedded SQLite, WAL mode).

An article, its reports (``events`` rows: what one article said) and every incident they touch
(``incidents``: the fused events analysts see) are written in one transaction, so a run that is
interrupted leaves either all or none of it, and re-running skips what is already stored (resume
without duplicates). Every change to an incident is logged in ``revisions``. See docs/store.md.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from types import TracebackType
from typing import Any

from marsad import fusion
from marsad.model import Article, Event
from marsad.store.incidents import (
    SELECT_INCIDENTS,
    SELECT_REPORTS,
    Incident,
    IncidentWriter,
    event_dict,
    incident_from_row,
    report_from_row,
)
from marsad.store.schema import EVENT_COLUMNS, MIGRATIONS, SCHEMA_VERSION
from marsad.store.version import extraction_version

__all__ = ["SCHEMA_VERSION", "Incident", "Store", "StoreError", "extraction_version", "since_key"]


class StoreError(RuntimeError):
    """The database cannot be used (newer schema, unreadable file, ...)."""


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _iso(value: date | str | None) -> str | None:
    if value is None:
        return None
    return value.isoformat() if isinstance(value, date) else str(value)


def since_key(value: date | datetime | str) -> str:
    """A date or date-time as the text revisions are stamped with (UTC ISO), for ``>=`` comparison."""
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
        except ValueError as exc:
            raise StoreError(
                f"{value!r} is not a date or date-time (write 2024-11-30 or 2024-11-30T08:00)"
            ) from exc
    if isinstance(value, datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value.astimezone(UTC).isoformat(timespec="seconds")
    return value.isoformat()


_INSERT_ARTICLE = (
    "INSERT OR IGNORE INTO articles (id, content_hash, origin, title, published, source, url, text, ingested_at,"
    " near_duplicate_of, signature, extracted_with) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
_INSERT_EVENT = (
    f"INSERT INTO events ({', '.join(EVENT_COLUMNS)}, evidence, claims)"
    f" VALUES ({', '.join('?' for _ in EVENT_COLUMNS)}, ?, ?)"
)
_REVISION_COLUMNS = ("incident_id", "change", "field", "old", "new", "reason", "at")


def _filters(
    country: str | None, event_type: str | None, since: date | str | None, until: date | str | None
) -> tuple[list[str], list[Any]]:
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
    return where, args


class Store:
    """SQLite-backed store of articles, events and skipped inputs.

    Use as a context manager (``with Store(path) as st: ...``); ``":memory:"`` works for tests.
    """

    def __init__(self, path: str | Path) -> None:
        self.path = str(path)
        self._ndi: fusion.NearDuplicateIndex | None = None
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
            self._db.execute("PRAGMA busy_timeout=10000")  # a reader (web) may hold the file briefly
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
        # statistics for the query planner (the API's filters); cheap, and only where they changed
        try:
            self._db.execute("PRAGMA optimize")
        except sqlite3.Error:
            pass  # a read-only or damaged file must still close
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
        if 0 < version < 2:
            self.fuse_pending()  # a file from before fusion: give its reports incidents now

    def fuse_pending(self, batch: int = 64) -> int:
        """Fuse reports that have no incident yet (a file written before fusion existed).

        Articles without a signature get one (and their near-duplicate link) on the way; returns
        how many articles were processed. Commits every ``batch`` articles, so it can resume.
        """
        todo = [
            r[0]
            for r in self._db.execute(
                "SELECT id FROM articles WHERE signature IS NULL OR id IN"
                " (SELECT article_id FROM events WHERE incident_id IS NULL) ORDER BY rowid"
            )
        ]
        for k in range(0, len(todo), batch):
            with self._transaction("fusion of reports stored before fusion existed") as writer:
                for aid in todo[k : k + batch]:
                    copies: list[str] = []
                    row = self._db.execute(
                        "SELECT signature, text FROM articles WHERE id = ?", (aid,)
                    ).fetchone()
                    if row[0] is None:
                        sig = fusion.signature(row[1])
                        copies = [c for c in self._near_duplicates().query(sig) if c != aid]
                        self._db.execute(
                            "UPDATE articles SET signature = ?, near_duplicate_of = ? WHERE id = ?",
                            (sig, copies[0] if copies else None, aid),
                        )
                        self._near_duplicates().add(aid, sig)
                    pending = [ev for ev, iid in self._reports_of(aid) if iid is None]
                    if pending or copies:
                        writer.fuse(pending, {aid}, near_duplicates=[(aid, c) for c in copies])
        return len(todo)

    @property
    def schema_version(self) -> int:
        return int(self._db.execute("PRAGMA user_version").fetchone()[0])

    # --- writing -----------------------------------------------------------------

    def _near_duplicates(self) -> fusion.NearDuplicateIndex:
        """The MinHash LSH index of stored articles, built on first need from their signatures."""
        if self._ndi is None:
            index = fusion.NearDuplicateIndex()
            for aid, sig in self._db.execute(
                "SELECT id, signature FROM articles WHERE signature IS NOT NULL ORDER BY rowid"
            ):
                index.add(aid, bytes(sig))
            self._ndi = index
        return self._ndi

    def _insert(self, article: Article, events: list[Event], version: str, writer: IncidentWriter) -> bool:
        if self._db.execute("SELECT 1 FROM articles WHERE id = ?", (article.id,)).fetchone():
            return False  # already stored: its reports are too (same transaction)
        if self._db.execute(
            "SELECT 1 FROM articles WHERE content_hash = ? LIMIT 1", (article.content_hash,)
        ).fetchone():
            return False  # the same text under another id: an exact duplicate adds nothing
        sig = fusion.signature(article.text)
        copies = [k for k in self._near_duplicates().query(sig) if k != article.id]
        self._db.execute(
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
                copies[0] if copies else None,
                sig,
                version,
            ),
        )
        self._near_duplicates().add(article.id, sig)
        reports = self._insert_reports(article.id, events)
        writer.reason = f"ingest: article {article.id}"
        writer.fuse(reports, {article.id}, near_duplicates=[(article.id, k) for k in copies])
        return True

    def _insert_reports(self, article_id: str, events: list[Event]) -> list[Event]:
        rows = []
        reports = []
        for seq, ev in enumerate(events):
            d = event_dict(ev)
            d["event_id"], d["article_id"], d["seq"] = ev.event_id or f"{article_id}:{seq}", article_id, seq
            rows.append(
                (
                    *(d.get(c) for c in EVENT_COLUMNS),
                    json.dumps(d["evidence"], ensure_ascii=False),
                    json.dumps(d["claims"], ensure_ascii=False),
                )
            )
            reports.append(Event.from_dict(d))
        try:
            self._db.executemany(_INSERT_EVENT, rows)
        except sqlite3.IntegrityError as exc:
            # event ids must be unique across the store; a clash is a pipeline bug, not bad input
            raise StoreError(f"cannot store events of article {article_id}: {exc}") from exc
        return reports

    def _transaction(self, reason: str = "") -> _Transaction:
        return _Transaction(self, reason)

    def add_article(self, article: Article, events: list[Event], extracted_with: str | None = None) -> bool:
        """Store an article with its reports and fuse them into incidents, atomically.

        False (and nothing written) if the article, or the same text under another id, is already
        stored. Events without an ``event_id`` get ``article_id:index``. An event id already used by
        another article raises :class:`StoreError` and the whole transaction is rolled back.
        ``extracted_with``: the extraction version (default: this marsad's knowledge version).
        """
        return self.add_many([(article, events)], extracted_with) == 1

    def add_many(
        self, items: Iterable[tuple[Article, list[Event]]], extracted_with: str | None = None
    ) -> int:
        """Store a small batch in one transaction (faster than one per article); returns how many were new."""
        version = extracted_with or extraction_version()
        added = 0
        with self._transaction() as writer:
            for article, events in items:
                added += self._insert(article, events, version, writer)
        return added

    def add_problem(self, problem_origin: str | None, reason: str) -> None:
        """Record an input that was skipped (unreadable file, empty text, ...) and why."""
        with self._transaction():
            self._db.execute(
                "INSERT INTO problems (origin, reason, at) VALUES (?, ?, ?)", (problem_origin, reason, _now())
            )

    # --- re-extraction --------------------------------------------------------------

    def stale_articles(self, version: str, everything: bool = False) -> list[str]:
        """Ids of articles extracted with another version than ``version`` (all with ``everything``)."""
        if everything:
            rows = self._db.execute("SELECT id FROM articles ORDER BY rowid")
        else:
            rows = self._db.execute(
                "SELECT id FROM articles WHERE extracted_with IS NOT ? ORDER BY rowid", (version,)
            )
        return [r[0] for r in rows]

    def replace_reports(self, article_id: str, events: list[Event], version: str, reason: str) -> bool:
        """Swap an article's reports for a fresh extraction and re-fuse the incidents they touch.

        Returns whether anything changed. An identical extraction only records the version (no
        revision); otherwise each changed incident field is logged with ``reason``, and incidents
        left without reports are soft-deleted with a 'deleted' revision.
        """
        if not self.has_article(article_id):
            raise StoreError(f"no article {article_id} in {self.path}")
        old = [ev for ev, _ in self._reports_of(article_id)]
        fresh = []
        for seq, ev in enumerate(events):
            d = event_dict(ev)
            d["event_id"], d["article_id"] = ev.event_id or f"{article_id}:{seq}", article_id
            fresh.append(Event.from_dict(d))
        with self._transaction(reason) as writer:
            changed = [event_dict(e) for e in old] != [event_dict(e) for e in fresh]
            if changed:
                touched = {
                    r[0]
                    for r in self._db.execute(
                        "SELECT DISTINCT incident_id FROM events WHERE article_id = ? AND incident_id IS NOT NULL",
                        (article_id,),
                    )
                }
                self._db.execute("DELETE FROM events WHERE article_id = ?", (article_id,))
                reports = self._insert_reports(article_id, fresh)
                links = self._db.execute(
                    "SELECT id, near_duplicate_of FROM articles WHERE near_duplicate_of IS NOT NULL"
                    " AND (id = ? OR near_duplicate_of = ?)",
                    (article_id, article_id),
                ).fetchall()
                writer.fuse(reports, {article_id}, near_duplicates=links, recompute=touched)
            self._db.execute("UPDATE articles SET extracted_with = ? WHERE id = ?", (version, article_id))
        return changed

    def reextract(
        self,
        extract: Callable[[Article], list[Event]],
        reason: str,
        version: str | None = None,
        everything: bool = False,
    ) -> dict[str, int]:
        """Re-run ``extract`` over stale articles (in this process) and replace their reports.

        Returns counts: ``articles`` looked at, ``changed``, ``failed`` (extraction raised; recorded
        as a problem, reports kept) and ``revisions`` written.
        """
        version = version or extraction_version()
        before = self.count_revisions()
        stats = {"articles": 0, "changed": 0, "failed": 0}
        for aid in self.stale_articles(version, everything):
            article = self.get_article(aid)
            if article is None:
                continue
            stats["articles"] += 1
            try:
                events = extract(article)
            except Exception as exc:  # one bad article must not stop the run
                self.add_problem(article.origin or aid, f"re-extraction failed: {type(exc).__name__}: {exc}")
                stats["failed"] += 1
                continue
            stats["changed"] += self.replace_reports(aid, events, version, reason)
        stats["revisions"] = self.count_revisions() - before
        return stats

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

    def near_duplicate_of(self, article_id: str) -> str | None:
        """The earlier article this one copies (syndicated or rewritten), if any."""
        row = self._db.execute(
            "SELECT near_duplicate_of FROM articles WHERE id = ?", (article_id,)
        ).fetchone()
        return row[0] if row else None

    def _reports_of(self, article_id: str) -> list[tuple[Event, str | None]]:
        rows = self._db.execute(f"{SELECT_REPORTS} WHERE article_id = ? ORDER BY seq", (article_id,))
        return [report_from_row(r) for r in rows]

    def iter_reports(
        self,
        country: str | None = None,
        event_type: str | None = None,
        since: date | str | None = None,
        until: date | str | None = None,
        article_id: str | None = None,
    ) -> Iterator[Event]:
        """What each article reported, before fusion, in (event_date, article, order-in-article) order."""
        where, args = _filters(country, event_type, since, until)
        if article_id:
            where.append("article_id = ?")
            args.append(article_id)
        sql = SELECT_REPORTS + (" WHERE " + " AND ".join(where) if where else "")
        for row in self._db.execute(sql + " ORDER BY event_date, article_id, seq", args):
            yield report_from_row(row)[0]

    def iter_incidents(
        self,
        country: str | None = None,
        event_type: str | None = None,
        since: date | str | None = None,
        until: date | str | None = None,
        article_id: str | None = None,
        include_deleted: bool = False,
    ) -> Iterator[Incident]:
        """Live fused events (with sources and claims) in (event_date, incident id) order.

        ``since``/``until`` are inclusive ISO dates; ``event_type`` matches either the event type or
        the sub-event type; ``article_id`` keeps the incidents that article reported.
        """
        where, args = _filters(country, event_type, since, until)
        if not include_deleted:
            where.append("deleted_at IS NULL")
        if article_id:
            where.append("incident_id IN (SELECT incident_id FROM events WHERE article_id = ?)")
            args.append(article_id)
        sql = SELECT_INCIDENTS + (" WHERE " + " AND ".join(where) if where else "")
        for row in self._db.execute(sql + " ORDER BY event_date, incident_id", args):
            yield incident_from_row(row)

    def iter_events(
        self,
        country: str | None = None,
        event_type: str | None = None,
        since: date | str | None = None,
        until: date | str | None = None,
        article_id: str | None = None,
    ) -> Iterator[Event]:
        """The events analysts see: live incidents (see :meth:`iter_incidents`; raw reports: :meth:`iter_reports`)."""
        return iter(self.iter_incidents(country, event_type, since, until, article_id))

    def get_incident(self, incident_id: str) -> Incident | None:
        row = self._db.execute(f"{SELECT_INCIDENTS} WHERE incident_id = ?", (incident_id,)).fetchone()
        return incident_from_row(row) if row else None

    def incident_reports(self, incident_id: str) -> list[Event]:
        """The reports fused into an incident, by id."""
        rows = self._db.execute(f"{SELECT_REPORTS} WHERE incident_id = ? ORDER BY event_id", (incident_id,))
        return [report_from_row(r)[0] for r in rows]

    def article_incidents(self) -> dict[str, set[str]]:
        """Article id -> ids of the incidents its reports belong to (articles without reports: empty)."""
        out: dict[str, set[str]] = {r[0]: set() for r in self._db.execute("SELECT id FROM articles")}
        for aid, iid in self._db.execute(
            "SELECT article_id, incident_id FROM events WHERE incident_id IS NOT NULL"
        ):
            out.setdefault(aid, set()).add(iid)
        return out

    def changes(self, since: date | datetime | str | None = None) -> Iterator[dict[str, Any]]:
        """Revisions at or after ``since`` (all without), oldest first, as dicts of
        incident_id, change, field, old, new, reason, at."""
        sql = f"SELECT {', '.join(_REVISION_COLUMNS)} FROM revisions"
        args: tuple[Any, ...] = ()
        if since is not None:
            sql += " WHERE at >= ?"
            args = (since_key(since),)
        for row in self._db.execute(sql + " ORDER BY id", args):
            yield dict(zip(_REVISION_COLUMNS, row, strict=True))

    def count_articles(self) -> int:
        return int(self._db.execute("SELECT COUNT(*) FROM articles").fetchone()[0])

    def count_events(self) -> int:
        """Reports: one row per event per article (see :meth:`count_incidents` for fused events)."""
        return int(self._db.execute("SELECT COUNT(*) FROM events").fetchone()[0])

    count_reports = count_events

    def count_incidents(self) -> int:
        return int(self._db.execute("SELECT COUNT(*) FROM incidents WHERE deleted_at IS NULL").fetchone()[0])

    def count_revisions(self) -> int:
        return int(self._db.execute("SELECT COUNT(*) FROM revisions").fetchone()[0])

    def problems(self) -> list[tuple[str | None, str, str]]:
        """(origin, reason, at) of every recorded problem, oldest first."""
        return list(self._db.execute("SELECT origin, reason, at FROM problems ORDER BY id"))

    def integrity_check(self) -> str:
        """SQLite's own check ("ok" when the file is sound)."""
        return str(self._db.execute("PRAGMA integrity_check").fetchone()[0])

    def summary(self) -> dict[str, Any]:
        """Counts for a quick look over live incidents (the fused events): per event type / sub-event
        type / country, total fatalities; plus articles, reports and problems."""
        live = "FROM incidents WHERE deleted_at IS NULL"

        def grouped(col: str) -> dict[str, int]:
            rows = self._db.execute(
                f"SELECT COALESCE({col}, ''), COUNT(*) {live} GROUP BY 1 ORDER BY 2 DESC, 1"
            )
            return {k: int(n) for k, n in rows}

        fatalities = self._db.execute(f"SELECT COALESCE(SUM(fatalities), 0) {live}").fetchone()[0]
        dates = self._db.execute(
            f"SELECT MIN(NULLIF(event_date, '')), MAX(NULLIF(event_date, '')) {live}"
        ).fetchone()
        return {
            "articles": self.count_articles(),
            "near_duplicates": int(
                self._db.execute(
                    "SELECT COUNT(*) FROM articles WHERE near_duplicate_of IS NOT NULL"
                ).fetchone()[0]
            ),
            "reports": self.count_reports(),
            "events": self.count_incidents(),
            "problems": int(self._db.execute("SELECT COUNT(*) FROM problems").fetchone()[0]),
            "fatalities": int(fatalities),
            "first_event_date": dates[0],
            "last_event_date": dates[1],
            "by_event_type": grouped("event_type"),
            "by_sub_event_type": grouped("sub_event_type"),
            "by_country": grouped("country"),
        }


class _Transaction:
    """``BEGIN IMMEDIATE`` ... ``COMMIT`` (``ROLLBACK`` on any error), yielding the incident writer.

    A rollback also drops the in-memory near-duplicate index: it may hold articles that never
    reached the file, and is rebuilt from the database on next need.
    """

    def __init__(self, store: Store, reason: str = "") -> None:
        self.store = store
        self.writer = IncidentWriter(store._db, _now(), reason)

    def __enter__(self) -> IncidentWriter:
        self.store._db.execute("BEGIN IMMEDIATE")
        return self.writer

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if exc_type is None:
            self.store._db.execute("COMMIT")
            return
        try:
            self.store._db.execute("ROLLBACK")
        finally:
            self.store._ndi = None
