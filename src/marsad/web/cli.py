"""``marsad serve``: the web page and JSON API over a store (registered by marsad.cli)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click


@click.command()
@click.option(
    "--db",
    "db_path",
    default="marsad.db",
    show_default=True,
    type=click.Path(dir_okay=False),
    help="Store to serve (made by 'marsad ingest' or 'marsad run').",
)
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to listen on.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535), help="TCP port.")
@click.option(
    "--token-env",
    default="MARSAD_API_TOKEN",
    show_default=True,
    help="Environment variable holding the token that allows POST /api/articles (unset: writing disabled).",
)
@click.option(
    "--read-token-env",
    default="MARSAD_READ_TOKEN",
    show_default=True,
    help="Environment variable holding a token required for reads too (unset: reads are open).",
)
def serve(db_path: str, host: str, port: int, token_env: str, read_token_env: str) -> None:
    """Serve the analyst's page (map, timeline, evidence) and the JSON API at http://HOST:PORT/."""
    import uvicorn

    from marsad.store import Store, StoreError
    from marsad.web.app import create_app, vendor_missing

    db = Path(db_path)
    if not db.is_file():
        click.echo(
            f"error: no store at {db}. Fill one first, e.g. 'marsad run' (sample articles) or "
            f"'marsad ingest --db {db} PATH', then run 'marsad serve --db {db}'.",
            err=True,
        )
        sys.exit(2)
    try:
        Store(db).close()  # brings an older file up to the current schema before we read it
    except StoreError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(2)
    missing = vendor_missing()
    if missing:
        click.echo(
            "warning: the page's map libraries are not installed (" + ", ".join(missing) + "); "
            "run scripts/build_web_assets.sh. The JSON API works without them.",
            err=True,
        )
    write_token = os.environ.get(token_env) or None
    read_token = os.environ.get(read_token_env) or None
    click.echo(
        f"marsad: serving {db} at http://{host}:{port}/ (writing {'on' if write_token else 'off'})", err=True
    )
    uvicorn.run(
        create_app(db, write_token=write_token, read_token=read_token),
        host=host,
        port=port,
        log_level="warning",
    )
