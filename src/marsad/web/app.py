"""The analyst's desk: a FastAPI app serving the JSON API and the offline web page over one store.

Reads go through :mod:`marsad.store.queries` on read-only connections (one per worker thread);
the only write, ``POST /api/articles``, goes through the pipeline and :class:`marsad.store.Store`
like ``marsad ingest`` does, serialised by a lock.
"""

import csv
import hmac
import io
import os
import sqlite3
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Annotated, Any

from fastapi import Depends, FastAPI, HTTPException, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, Response, StreamingResponse
from fastapi.staticfiles import StaticFiles
from pydantic import BaseModel, Field

from marsad.model import ACLED_FIELDS
from marsad.store import queries
from marsad.store.queries import EventFilter, FilterError

STATIC = Path(__file__).parent / "static"
VENDOR = STATIC / "vendor"
MAX_POST_ARTICLES = 100
MAX_TEXT_CHARS = 1_000_000
GEOJSON_DEFAULT, GEOJSON_MAX = 10_000, 100_000
# Files the page needs from npm (scripts/build_web_assets.sh copies them into static/vendor).
VENDOR_FILES = (
    "leaflet.js",
    "leaflet.css",
    "leaflet.markercluster.js",
    "topojson-client.min.js",
    "countries-50m.json",
)


def vendor_missing() -> list[str]:
    """Front-end files not built yet (the page then explains how to build them)."""
    return [f for f in VENDOR_FILES if not (VENDOR / f).is_file()]


class ArticleIn(BaseModel):
    """One article to ingest; only ``text`` is required."""

    text: str = Field(min_length=1, max_length=MAX_TEXT_CHARS)
    title: str | None = None
    published: date | None = None
    source: str | None = None
    url: str | None = None


class ArticlesIn(BaseModel):
    articles: list[ArticleIn] = Field(min_length=1, max_length=MAX_POST_ARTICLES)


class ResultCache:
    """Results of the costly aggregate queries, valid until the store's files change.

    A write by any process (ingest, the POST endpoint) touches the database or its WAL file, so
    their modification times and sizes are a cheap version stamp shared by all worker threads.
    """

    def __init__(self, db: Path, size: int = 256) -> None:
        self.db = db
        self.size = size
        self.data: OrderedDict[Any, tuple[Any, Any]] = OrderedDict()
        self.lock = threading.Lock()

    def version(self) -> tuple[Any, ...]:
        stamp: list[Any] = []
        for suffix in ("", "-wal"):
            try:
                st = os.stat(f"{self.db}{suffix}")
                stamp.append((st.st_mtime_ns, st.st_size))
            except OSError:
                stamp.append(None)
        return tuple(stamp)

    def get(self, key: Any, compute: Callable[[], Any]) -> Any:
        version = self.version()
        with self.lock:
            hit = self.data.get(key)
            if hit is not None and hit[0] == version:
                self.data.move_to_end(key)
                return hit[1]
        value = compute()
        with self.lock:
            self.data[key] = (version, value)
            while len(self.data) > self.size:
                self.data.popitem(last=False)
        return value


def _bearer(request: Request) -> str | None:
    auth = request.headers.get("authorization", "")
    if auth.lower().startswith("bearer "):
        return auth[7:].strip()
    return request.cookies.get("marsad_token")


def _same(given: str | None, expected: str) -> bool:
    return given is not None and hmac.compare_digest(given.encode(), expected.encode())


def create_app(db_path: str | Path, write_token: str | None = None, read_token: str | None = None) -> FastAPI:
    """The web app over the store at ``db_path`` (which must exist).

    ``write_token`` enables ``POST /api/articles`` (without it writing is disabled: 403);
    ``read_token``, when set, is required by every ``/api`` read too.
    """
    db = Path(db_path)
    if not db.is_file():
        raise FileNotFoundError(f"no marsad store at {db}")
    local = threading.local()
    write_lock = threading.Lock()
    cache = ResultCache(db)

    app = FastAPI(
        title="marsad",
        summary="Conflict events extracted from news, with the evidence behind every field.",
        version="1",
        docs_url=None,  # the stock /docs pulls Swagger UI from a CDN; ours is served offline below
        redoc_url=None,
    )

    def conn() -> sqlite3.Connection:
        c = getattr(local, "conn", None)
        if c is None:
            c = local.conn = queries.connect(db)
        return c

    def require_read(request: Request) -> None:
        if read_token and not _same(_bearer(request), read_token):
            raise HTTPException(
                401,
                "reading needs a token: send 'Authorization: Bearer <token>'",
                headers={"WWW-Authenticate": "Bearer"},
            )

    def require_write(request: Request) -> None:
        if not write_token:
            raise HTTPException(
                403, "writing disabled: start the server with MARSAD_API_TOKEN set to allow it"
            )
        if not _same(_bearer(request), write_token):
            raise HTTPException(
                401,
                "wrong or missing token: send 'Authorization: Bearer <token>'",
                headers={"WWW-Authenticate": "Bearer"},
            )

    def filters(
        request: Request,
        date_from: Annotated[str | None, Query(description="first event date, YYYY-MM-DD")] = None,
        date_to: Annotated[str | None, Query(description="last event date, YYYY-MM-DD")] = None,
        country: Annotated[list[str], Query(description="country name (repeatable)")] = [],  # noqa: B006
        admin1: Annotated[list[str], Query(description="admin1 name (repeatable)")] = [],  # noqa: B006
        event_type: Annotated[list[str], Query(description="ACLED event type (repeatable)")] = [],  # noqa: B006
        sub_event_type: Annotated[list[str], Query(description="ACLED sub-event type (repeatable)")] = [],  # noqa: B006
        actor: Annotated[
            str | None, Query(description="part of an actor name (actor1/2, associated)")
        ] = None,
        bbox: Annotated[str | None, Query(description="west,south,east,north in degrees")] = None,
        q: Annotated[
            str | None, Query(description="full-text words (all required) in notes or articles")
        ] = None,
        min_fatalities: Annotated[str | None, Query(description="minimum fatalities (>= 0)")] = None,
    ) -> EventFilter:
        require_read(request)
        return queries.parse_filter(
            {
                "date_from": date_from,
                "date_to": date_to,
                "country": country,
                "admin1": admin1,
                "event_type": event_type,
                "sub_event_type": sub_event_type,
                "actor": actor,
                "bbox": bbox,
                "q": q,
                "min_fatalities": min_fatalities,
            }
        )

    Filters = Annotated[EventFilter, Depends(filters)]

    @app.exception_handler(FilterError)
    async def _bad_filter(request: Request, exc: FilterError) -> JSONResponse:
        return JSONResponse({"detail": str(exc)}, status_code=400)

    @app.exception_handler(RequestValidationError)
    async def _bad_request(request: Request, exc: RequestValidationError) -> JSONResponse:
        msgs = []
        for err in exc.errors():
            where = ".".join(str(p) for p in err.get("loc", ()) if p not in ("body", "query", "path"))
            msgs.append(f"{where}: {err.get('msg', 'invalid')}" if where else str(err.get("msg", "invalid")))
        return JSONResponse({"detail": "; ".join(msgs) or "invalid request"}, status_code=400)

    @app.exception_handler(sqlite3.Error)
    async def _db_error(request: Request, exc: sqlite3.Error) -> JSONResponse:
        return JSONResponse({"detail": f"database error: {exc}"}, status_code=503)

    # --- reads ------------------------------------------------------------------

    @app.get("/api/events", tags=["events"])
    def list_events(
        f: Filters,
        limit: Annotated[
            str | None, Query(description=f"page size, 1-{queries.MAX_LIMIT} (default 100)")
        ] = None,
        offset: Annotated[str | None, Query(description="rows to skip (default 0)")] = None,
        sort: Annotated[
            str, Query(description="date, -date, fatalities, -fatalities, updated, -updated")
        ] = "-date",
    ) -> dict[str, Any]:
        """Live incidents matching the filters, one page at a time, with the total count."""
        n = queries.parse_int("limit", limit, 100, low=1, high=queries.MAX_LIMIT) or 100
        skip = queries.parse_int("offset", offset, 0) or 0
        c = conn()
        f = queries.resolve(c, f)  # text searches once for the page and the count
        rows = queries.page_events(c, f, limit=n, offset=skip, sort=sort)
        total = cache.get(("count", f), lambda: queries.count_events(c, f))
        for r in rows:
            r.pop("evidence", None)
        return {"total": total, "limit": n, "offset": skip, "events": rows}

    @app.get("/api/events.geojson", tags=["events"])
    def events_geojson(
        f: Filters,
        limit: Annotated[str | None, Query(description=f"most features, 1-{GEOJSON_MAX}")] = None,
    ) -> Response:
        """Matching incidents with coordinates as a GeoJSON FeatureCollection (newest first)."""
        n = queries.parse_int("limit", limit, GEOJSON_DEFAULT, low=1, high=GEOJSON_MAX) or GEOJSON_DEFAULT
        c = conn()
        f = queries.resolve(c, f)
        features = queries.geojson_features(c, f, limit=n)
        total = cache.get(("count", f), lambda: queries.count_events(c, f))
        head = f'{{"type":"FeatureCollection","total":{total},"truncated":{"true" if total > n else "false"},"features":['
        return Response(head + ",".join(features) + "]}", media_type="application/geo+json")

    @app.get("/api/events.clusters", tags=["events"])
    def events_clusters(
        f: Filters,
        zoom: Annotated[str | None, Query(description=f"map zoom level, 0-{queries.MAX_ZOOM}")] = None,
    ) -> dict[str, Any]:
        """Matching events gathered into map cells for a zoom level (server-side clustering).

        The page asks for its view (``bbox``) at its zoom and draws a few hundred markers whatever
        the number of events; a cell with one event comes back as that event.
        """
        z = queries.parse_int("zoom", zoom, 3, low=0, high=queries.MAX_ZOOM)
        c = conn()
        return cache.get(("clusters", f, z), lambda: queries.map_clusters(c, f, z or 0))

    @app.get("/api/events.csv", tags=["events"], response_class=StreamingResponse)
    def events_csv(f: Filters) -> StreamingResponse:
        """Matching incidents as CSV with ACLED's columns (event_id is the incident id)."""
        rows = queries.iter_events(conn(), f)

        def lines() -> Iterator[str]:
            buf = io.StringIO()
            w = csv.writer(buf)
            w.writerow(ACLED_FIELDS)
            for r in rows:
                w.writerow(["" if r.get(k) is None else r.get(k) for k in ACLED_FIELDS])
                if buf.tell() > 65536:
                    yield buf.getvalue()
                    buf.seek(0)
                    buf.truncate()
            yield buf.getvalue()

        return StreamingResponse(
            lines(),
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": 'attachment; filename="marsad-events.csv"'},
        )

    @app.get("/api/events/{event_id}", tags=["events"])
    def get_event(event_id: str, request: Request) -> dict[str, Any]:
        """One incident: fields, sources, claims, evidence spans (tied to articles), reports, revisions."""
        require_read(request)
        d = queries.event_detail(conn(), event_id)
        if d is None:
            raise HTTPException(404, f"no event {event_id!r}")
        return d

    @app.get("/api/articles/{article_id}", tags=["articles"])
    def get_article(article_id: str, request: Request) -> dict[str, Any]:
        """One stored article with its text and the events extracted from it."""
        require_read(request)
        a = queries.article(conn(), article_id)
        if a is None:
            raise HTTPException(404, f"no article {article_id!r}")
        return a

    @app.get("/api/stats", tags=["stats"])
    def get_stats(f: Filters) -> dict[str, Any]:
        """Counts and fatalities per day (stacked by event type), per type, per country and admin1."""
        c = conn()
        return cache.get(("stats", f), lambda: queries.stats(c, f))

    @app.get("/api/trends", tags=["stats"])
    def get_trends(
        f: Filters,
        as_of: Annotated[
            str | None, Query(description="last day of 'this week' (default: latest event)")
        ] = None,
    ) -> dict[str, Any]:
        """Per admin1: this week against the previous four weeks' average; actors seen for the first time."""
        day = queries.parse_date("as_of", as_of)
        c = conn()
        return cache.get(
            ("trends", f, day), lambda: queries.trends(c, f, as_of=date.fromisoformat(day) if day else None)
        )

    # --- write ------------------------------------------------------------------

    @app.post("/api/articles", tags=["articles"], dependencies=[Depends(require_write)])
    def post_articles(body: ArticleIn | ArticlesIn) -> dict[str, Any]:
        """Ingest one article (or ``{"articles": [...]}``) through the pipeline into the store."""
        from marsad.model import Article
        from marsad.pipeline import extract_article
        from marsad.store import Store

        items = body.articles if isinstance(body, ArticlesIn) else [body]
        results = []
        for item in items:
            art = Article(
                text=item.text,
                title=item.title,
                published=item.published,
                source=item.source,
                url=item.url,
                origin="api",
            )
            try:
                events = extract_article(art)
                with write_lock, Store(db) as st:
                    added = st.add_article(art, events)
            except Exception as exc:  # one bad article must not lose the others' results
                results.append(
                    {"article_id": art.id, "status": "failed", "reason": f"{type(exc).__name__}: {exc}"}
                )
                continue
            rows = (
                conn()
                .execute(
                    "SELECT event_id, incident_id FROM events WHERE article_id = ? ORDER BY seq", (art.id,)
                )
                .fetchall()
            )
            results.append(
                {
                    "article_id": art.id,
                    "status": "added" if added else "already stored",
                    "events": [r["event_id"] for r in rows],
                    "incidents": sorted({r["incident_id"] for r in rows if r["incident_id"]}),
                }
            )
        return {"results": results}

    # --- page ---------------------------------------------------------------------

    @app.get("/", include_in_schema=False)
    def index() -> FileResponse:
        return FileResponse(STATIC / "index.html", media_type="text/html")

    @app.get("/api/health", tags=["meta"])
    def health() -> dict[str, Any]:
        """Liveness, and whether the page's front-end libraries are installed."""
        return {
            "ok": True,
            "vendor_missing": vendor_missing(),
            "writing": bool(write_token),
            "read_token_required": bool(read_token),
        }

    @app.get("/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        if (VENDOR / "swagger-ui-bundle.js").is_file():
            return get_swagger_ui_html(
                openapi_url="/openapi.json",
                title="marsad API",
                swagger_js_url="/static/vendor/swagger-ui-bundle.js",
                swagger_css_url="/static/vendor/swagger-ui.css",
                swagger_favicon_url="/static/favicon.svg",
            )
        return HTMLResponse(_plain_docs(app.openapi()))

    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    app.state.cache = cache  # benchmarks clear it to time uncached answers
    return app


def _plain_docs(spec: dict[str, Any]) -> str:
    """An offline list of endpoints when Swagger UI's files are not installed."""
    import html

    items = []
    for path, ops in spec.get("paths", {}).items():
        for method, op in ops.items():
            params = ", ".join(p["name"] for p in op.get("parameters", []))
            items.append(
                f"<li><code>{method.upper()} {html.escape(path)}</code> {html.escape(op.get('summary', ''))}"
                f"<br><small>{html.escape(op.get('description', ''))} {html.escape(params)}</small></li>"
            )
    return (
        "<!doctype html><meta charset=utf-8><title>marsad API</title><h1>marsad API</h1>"
        "<p>Machine-readable description: <a href=/openapi.json>/openapi.json</a>.</p><ul>"
        + "".join(items)
        + "</ul>"
    )
