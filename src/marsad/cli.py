"""The ``marsad`` command: a thin layer over sources, pipeline, store, export and evaluate."""

from __future__ import annotations

import sys
import time
from collections import Counter
from datetime import date
from pathlib import Path

import click

from marsad.model import Article, Event
from marsad.sources import InputProblem, read_inputs

DEFAULT_DB = "marsad.db"
SAMPLES = Path("examples/articles")


class IsoDate(click.ParamType):
    name = "YYYY-MM-DD"

    def convert(self, value, param, ctx):
        if isinstance(value, date):
            return value
        try:
            return date.fromisoformat(value)
        except ValueError:
            self.fail(f"{value!r} is not a date; write it as YYYY-MM-DD, e.g. 2024-11-30", param, ctx)


class Progress:
    """Progress on stderr: a live line on a terminal, a plain line every 15 s otherwise (logs, CI)."""

    def __init__(self, enabled: bool = True) -> None:
        self.enabled = enabled
        self.live = sys.stderr.isatty()
        self.start = self.last = time.perf_counter()
        self.articles = self.events = self.problems = 0

    def line(self) -> str:
        rate = self.articles / max(time.perf_counter() - self.start, 1e-9)
        return f"{self.articles} articles, {self.events} events, {self.problems} skipped ({rate:.0f}/s)"

    def tick(self, force: bool = False) -> None:
        if not self.enabled:
            return
        now = time.perf_counter()
        if self.live and (force or self.articles % 25 == 0):
            click.echo("\r" + self.line(), err=True, nl=force)
        elif not self.live and (now - self.last >= 15 or (force and now - self.start >= 15)):
            click.echo(self.line(), err=True)
            self.last = now


def _report_problem(p: InputProblem, progress: Progress) -> None:
    if p.fatal:
        progress.problems += 1
    label = "skipped" if p.fatal else "note"
    click.echo(f"{label}: {p.origin}: {p.reason}", err=True)


def _workers_option(f):
    return click.option(
        "--workers", "-j", type=click.IntRange(1, 64), default=None,
        help="Worker processes (default: one per CPU core).",
    )(f)  # fmt: skip


def _max_bytes_option(f):
    return click.option(
        "--max-article-bytes", type=click.IntRange(1), default=5_000_000, show_default=True,
        help="Refuse single articles larger than this many bytes.",
    )(f)  # fmt: skip


def _use_model(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """Install the --model before any extraction (and before workers fork, so they inherit it)."""
    if value is None:
        return None
    from marsad.coding.learned import ModelError, use_model

    try:
        use_model(value)
    except ModelError as exc:
        raise click.BadParameter(
            f"{exc}. Give a model written by `marsad train --gold FILE -o {value}`.", ctx, param
        ) from None
    return value


def _model_option(f):
    return click.option(
        "--model", type=click.Path(), default=None, expose_value=False, callback=_use_model,
        metavar="PATH",
        help="Learned sub-event model written by `marsad train` (.npz or its directory); sets MARSAD_MODEL.",
    )(f)  # fmt: skip


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="marsad")
def main() -> None:
    """marsad: news reports in, ACLED-style conflict events with evidence out."""


@main.command()
@click.argument("inputs", nargs=-1, type=click.Path(allow_dash=True))
@click.option(
    "-o", "--output", default="-", type=click.Path(allow_dash=True), help="Output file (default: stdout)."
)
@click.option(
    "--format", "fmt", type=click.Choice(["jsonl", "csv", "geojson", "parquet"]), default=None,
    help="Output format (default: from the output file's extension, else jsonl).",
)  # fmt: skip
@click.option(
    "--published", type=IsoDate(), default=None, help="Publication date for articles that carry none."
)
@_workers_option
@_max_bytes_option
@_model_option
def extract(inputs, output, fmt, published, workers, max_article_bytes):
    """Extract events from INPUTS (.txt, .html, .jsonl, RSS/Atom feeds, directories, or - for stdin)."""
    from marsad.pipeline import default_workers, process

    if not inputs:
        inputs = ("-",)
    fmt = _check_format(output, fmt or (None if output != "-" else "jsonl"))
    progress = Progress()
    events: list[Event] = []
    articles = read_inputs(inputs, published=published, max_article_bytes=max_article_bytes)
    for item in process(articles, workers or default_workers()):
        if isinstance(item, InputProblem):
            _report_problem(item, progress)
            continue
        _, evs = item
        progress.articles += 1
        progress.events += len(evs)
        progress.tick()
        events.extend(evs)
    progress.tick(force=True)
    stats = _write(events, output, fmt)
    if stats.get("skipped"):
        click.echo(
            f"note: {stats['skipped']} events not written to {fmt}: {stats.get('skipped_reasons')}", err=True
        )
    sys.exit(1 if progress.problems else 0)


# Articles per store transaction: fewer commits (each may checkpoint the WAL) without holding
# more than a moment's work in memory; an interrupted run loses at most this uncommitted batch.
BATCH = 32
BATCH_SECONDS = 1.0


def _ingest(
    inputs, db: str, published: date | None, workers: int | None, max_article_bytes: int = 5_000_000
) -> tuple[int, int, int]:
    """Store new articles and their events; the same text twice is stored once (content hash)."""
    from marsad.pipeline import default_workers, process

    progress = Progress()
    added = skipped_known = 0
    with _open_store(db) as store:
        hashes = store.known_content_hashes()
        ids = store.known_article_ids()
        pending: list[tuple[Article, list[Event]]] = []
        flushed = time.perf_counter()

        def flush() -> None:
            nonlocal added, flushed
            if pending:
                added += _store_call(store.add_many, pending)
                pending.clear()
            flushed = time.perf_counter()

        def fresh():
            nonlocal skipped_known
            for item in read_inputs(inputs, published=published, max_article_bytes=max_article_bytes):
                if isinstance(item, Article):
                    if item.content_hash in hashes:
                        skipped_known += 1
                        continue
                    hashes.add(item.content_hash)
                    if item.id in ids:  # same id, different text (e.g. "1" in two JSONL files): keep both
                        item.id = f"{item.id}@{item.content_hash[:8]}"
                    ids.add(item.id)
                yield item

        try:
            for item in process(fresh(), workers or default_workers()):
                if isinstance(item, InputProblem):
                    _report_problem(item, progress)
                    if item.fatal:
                        store.add_problem(item.origin, item.reason)
                    continue
                pending.append(item)
                if len(pending) >= BATCH or time.perf_counter() - flushed >= BATCH_SECONDS:
                    flush()
                progress.articles += 1
                progress.events += len(item[1])
                progress.tick()
            flush()
        except KeyboardInterrupt:
            flush()  # what was extracted is complete: keep it
            progress.tick(force=True)
            click.echo(
                f"interrupted: {added} articles stored; run the same command again to resume.", err=True
            )
            sys.exit(130)
    progress.tick(force=True)
    return added, skipped_known, progress.problems


def _store_call(fn, *args):
    """Run a store write, turning StoreError into a one-line error instead of a traceback."""
    from marsad.store import StoreError

    try:
        return fn(*args)
    except StoreError as exc:
        raise click.ClickException(str(exc)) from None


def _open_store(db: str):
    from marsad.store import Store, StoreError

    try:
        return Store(db)
    except StoreError as exc:
        raise click.ClickException(f"{db}: {exc}") from None


@main.command()
@click.argument("inputs", nargs=-1, required=True, type=click.Path(allow_dash=True))
@click.option(
    "--db", default=DEFAULT_DB, show_default=True, type=click.Path(dir_okay=False), help="SQLite store."
)
@click.option(
    "--published", type=IsoDate(), default=None, help="Publication date for articles that carry none."
)
@_workers_option
@_max_bytes_option
@_model_option
def ingest(inputs, db, published, workers, max_article_bytes):
    """Store articles and their events; re-running adds nothing already stored (resumable)."""
    added, known, problems = _ingest(inputs, db, published, workers, max_article_bytes)
    click.echo(
        f"{added} new articles stored in {db}; {known} already there; {problems} inputs skipped.", err=True
    )
    sys.exit(1 if problems else 0)


@main.command()
@click.option("--db", default=DEFAULT_DB, show_default=True, type=click.Path(dir_okay=False))
@click.option(
    "-o", "--output", required=True, type=click.Path(allow_dash=True), help="Output file, or - for stdout."
)
@click.option("--format", "fmt", type=click.Choice(["jsonl", "csv", "geojson", "parquet"]), default=None)
@click.option("--country", default=None, help="Only events in this country (ACLED name).")
@click.option("--since", type=IsoDate(), default=None)
@click.option("--until", type=IsoDate(), default=None)
@click.option(
    "--link-base", default=None, metavar="URL",
    help="Prefix of each row's evidence_url (default /api/events/, the route of `marsad serve`).",
)  # fmt: skip
def export(db, output, fmt, country, since, until, link_base):
    """Export stored events (fused incidents, with their sources) as ACLED CSV, GeoJSON, Parquet or JSONL."""

    _require_db(db)
    fmt = _check_format(output, fmt)
    with _open_store(db) as store:
        stats = _write(store.iter_events(country=country, since=since, until=until), output, fmt, link_base)
    click.echo(f"{stats['written']} events written to {output} ({stats['format']}).", err=True)


def _check_format(output: str, fmt: str | None) -> str:
    """Fail before any work when the output format cannot be written (not after an hour of extraction)."""
    from marsad.export import ExportError, infer_format

    try:
        fmt = infer_format(output, fmt)
    except ExportError as exc:
        raise click.UsageError(str(exc)) from None
    if fmt == "parquet" and output == "-":
        raise click.UsageError(
            "Parquet is binary and cannot be written to stdout; give a file: -o events.parquet"
        )
    return fmt


def _write(events, output: str, fmt: str, link_base: str | None = None) -> dict:
    from marsad.export import LINK_BASE, ExportError, write_events

    try:
        return write_events(events, output, fmt, link_base=link_base or LINK_BASE)
    except (ExportError, OSError) as exc:
        raise click.ClickException(f"cannot write {output}: {exc}") from None


def _require_db(db: str) -> None:
    if not Path(db).exists():
        raise click.UsageError(f"no store at {db}; create one with: marsad ingest INPUT... --db {db}")


@main.command()
@click.argument("inputs", nargs=-1, type=click.Path(allow_dash=True))
@click.option("--db", default=DEFAULT_DB, show_default=True, type=click.Path(dir_okay=False))
@click.option("--out-dir", default="out", show_default=True, type=click.Path(file_okay=False))
@_workers_option
@_model_option
def run(inputs, db, out_dir, workers):
    """The main job: ingest INPUTS (default: the bundled samples) and write CSV + GeoJSON + a summary."""
    from marsad.export import write_events

    if not inputs:
        if not SAMPLES.exists():
            raise click.UsageError(
                f"no inputs given and no bundled samples at ./{SAMPLES}; run from the repository root "
                "or pass article files: marsad run ARTICLES..."
            )
        inputs = (str(SAMPLES),)
    t0 = time.perf_counter()
    added, known, problems = _ingest(inputs, db, None, workers)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    with _open_store(db) as store:
        events = list(store.iter_events())
        summary = store.summary()
    csv_path, geo_path = out / "events.csv", out / "events.geojson"
    write_events(events, csv_path, "csv")
    geo = write_events(events, geo_path, "geojson")
    click.echo(_summary_text(summary, events, added, known, problems, time.perf_counter() - t0))
    click.echo(
        f"\nStore:   {db}\nCSV:     {csv_path}\nGeoJSON: {geo_path} ({geo['written']} mapped, {geo['skipped']} without coordinates)"
    )
    sys.exit(1 if problems else 0)


def _summary_text(
    summary: dict, events: list[Event], added: int, known: int, problems: int, seconds: float
) -> str:
    lines = [
        f"{summary.get('articles', 0)} articles in store ({added} new, {known} already stored, {problems} inputs skipped) "
        f"in {seconds:.1f} s",
        f"{len(events)} events, {sum(e.fatalities or 0 for e in events)} fatalities"
        f" (fused from {summary.get('reports', len(events))} reports)",
        "",
        "Events per type:",
    ]
    for k, v in Counter(e.event_type for e in events).most_common():
        lines.append(f"  {v:5d}  {k}")
    lines.append("Events per country:")
    for k, v in Counter(e.country or "(unresolved)" for e in events).most_common(15):
        lines.append(f"  {v:5d}  {k}")
    return "\n".join(lines)


@main.command()
@click.option("--db", default=DEFAULT_DB, show_default=True, type=click.Path(dir_okay=False))
@click.option(
    "--reason", default=None,
    help="Why (logged with every change), e.g. 'triggers.json: drone strikes'. Default: the new version.",
)  # fmt: skip
@click.option("--all", "everything", is_flag=True, help="Re-extract every article, not only stale ones.")
@_workers_option
def reextract(db, reason, everything, workers):
    """Re-run extraction over stored articles after a knowledge or model change; log what changed.

    Articles extracted with another knowledge/model version (or all, with --all) get fresh reports;
    the incidents they touch are re-fused, each changed field is logged with REASON, and incidents
    left without reports are deleted (see `marsad changes`).
    """
    from marsad.pipeline import default_workers, process
    from marsad.store.version import extraction_version

    _require_db(db)
    version = extraction_version()
    reason = reason or f"re-extraction with marsad {version}"
    progress = Progress()
    changed = 0
    with _open_store(db) as store:
        ids = store.stale_articles(version, everything)
        before = store.count_revisions()
        for k in range(0, len(ids), 500):
            # read a chunk up front: the worker pool pulls its input from another thread
            chunk = [a for a in (store.get_article(i) for i in ids[k : k + 500]) if a is not None]
            for item in process(chunk, workers or default_workers()):
                if isinstance(item, InputProblem):
                    _report_problem(item, progress)
                    store.add_problem(item.origin, f"re-extraction: {item.reason}")
                    continue
                article, events = item
                changed += _store_call(store.replace_reports, article.id, events, version, reason)
                progress.articles += 1
                progress.events += len(events)
                progress.tick()
        progress.tick(force=True)
        revisions = store.count_revisions() - before
    click.echo(
        f"{len(ids)} articles re-extracted with {version}: {changed} changed, {revisions} revisions logged"
        f"{f', {progress.problems} failed' if progress.problems else ''}.",
        err=True,
    )
    sys.exit(1 if progress.problems else 0)


@main.command()
@click.option("--db", default=DEFAULT_DB, show_default=True, type=click.Path(dir_okay=False))
@click.option(
    "--since", required=True, metavar="DATE",
    help="Changes at or after this UTC date or date-time: 2024-11-30 or 2024-11-30T08:00:00.",
)  # fmt: skip
@click.option(
    "--format", "fmt", type=click.Choice(["jsonl", "csv"]), default=None, help="Default: from -o, else jsonl."
)
@click.option(
    "-o", "--output", default="-", type=click.Path(allow_dash=True), help="Output file (default: stdout)."
)
def changes(db, since, fmt, output):
    """List incident revisions since a date, one per line, so local copies can sync.

    Each line: incident_id, change (created | updated | merged | deleted), field, old, new, reason, at.
    A 'merged' incident lives on under the id in `new`; a 'deleted' one no longer exists.
    """
    import csv
    import json

    from marsad.export import open_text
    from marsad.store import StoreError, since_key

    _require_db(db)
    try:
        since_key(since)
    except StoreError as exc:
        raise click.BadParameter(str(exc), param_hint="--since") from None
    fmt = fmt or ("csv" if output.lower().endswith(".csv") else "jsonl")
    columns = ("incident_id", "change", "field", "old", "new", "reason", "at")
    n = 0
    with _open_store(db) as store, open_text(output, newline="") as out:
        writer = csv.DictWriter(out, columns, lineterminator="\r\n") if fmt == "csv" else None
        if writer is not None:
            writer.writeheader()
        for row in store.changes(since):
            if writer is not None:
                writer.writerow(row)
            else:
                out.write(json.dumps(row, ensure_ascii=False) + "\n")
            n += 1
    click.echo(f"{n} changes since {since}.", err=True)


@main.group()
def evaluate():
    """Accuracy on the dev sets in ../shared/eval (evaluation use only)."""


@evaluate.command("events")
@click.option("--gold", default=None, help="Gold JSONL (default: ../shared/eval/acled_dev.jsonl).")
@click.option(
    "--sample", type=click.IntRange(1), default=None, help="Score a seeded random sample of N notes."
)
@click.option("--seed", type=int, default=0, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="Print the metrics as JSON.")
@click.option(
    "--errors", type=click.Path(dir_okay=False), default=None, help="Write per-note errors as JSONL here."
)
@_model_option
def evaluate_events_cmd(gold, sample, seed, as_json, errors):
    """Run extraction on ACLED coder notes and print the metrics of ../shared/eval/README.md."""
    import dataclasses
    import json

    from marsad.evaluate.events import evaluate_events, format_table, to_json
    from marsad.pipeline import extract_text, warm

    path = _gold(gold, "acled_dev.jsonl")
    warm()
    report = evaluate_events(
        path,
        lambda text, fields: extract_text(text, fields.get("published"), fields.get("source")),
        sample=sample,
        seed=seed,
    )
    if errors:
        with open(errors, "w", encoding="utf-8") as fh:
            for e in report.errors:
                fh.write(
                    json.dumps(
                        e if isinstance(e, dict) else dataclasses.asdict(e), ensure_ascii=False, default=str
                    )
                    + "\n"
                )
    click.echo(to_json(report, include_errors=False) if as_json else format_table(report))


@evaluate.command("geo")
@click.option("--gold", default=None, help="GeoWebNews JSONL (default: ../shared/eval/geowebnews.jsonl).")
@click.option("--given-spans", is_flag=True, help="Resolve the gold spans instead of finding toponyms.")
@click.option("--sample", type=click.IntRange(1), default=None)
@click.option("--json", "as_json", is_flag=True)
def evaluate_geo_cmd(gold, given_spans, sample, as_json):
    """Toponym recognition and resolution on GeoWebNews (metrics of ../shared/eval/README.md)."""
    from marsad.evaluate.geo import evaluate_geowebnews

    path = _gold(gold, "geowebnews.jsonl")
    _print_metrics(evaluate_geowebnews(path, given_spans=given_spans, sample=sample), as_json)


@evaluate.command("event-location")
@click.option(
    "--gold", default=None, help="Event-location JSONL (default: ../shared/eval/event_location.jsonl)."
)
@click.option("--sample", type=click.IntRange(1), default=None)
@click.option("--json", "as_json", is_flag=True)
def evaluate_event_location_cmd(gold, sample, as_json):
    """Share of records whose chosen event location overlaps the gold one."""
    from marsad.evaluate.geo import evaluate_event_location

    path = _gold(gold, "event_location.jsonl")
    _print_metrics(evaluate_event_location(path, sample=sample), as_json)


def _gold(gold: str | None, default_name: str) -> Path:
    from marsad.evaluate import EvalDataNotFound, gold_path_or_explain

    try:
        return gold_path_or_explain(gold, default_name=default_name)
    except EvalDataNotFound as exc:
        raise click.ClickException(str(exc)) from None


def _print_metrics(metrics: dict, as_json: bool) -> None:
    import json

    if as_json:
        click.echo(json.dumps(metrics, indent=2, default=str))
        return
    width = max((len(k) for k in metrics), default=0)
    for k, v in metrics.items():
        if isinstance(v, float):
            click.echo(f"{k:<{width}}  {v:.3f}")
        elif isinstance(v, int | str):
            click.echo(f"{k:<{width}}  {v}")


@main.command()
@click.argument(
    "input_path", metavar="INPUT.jsonl", type=click.Path(exists=True, dir_okay=False, allow_dash=True)
)
@click.option(
    "-o", "--output", default="-", type=click.Path(allow_dash=True), help="Output JSONL (default: stdout)."
)
@click.option(
    "--given-spans", is_flag=True, help="Resolve each line's `toponyms` spans instead of finding places."
)
def geoparse(input_path, output, given_spans):
    """Find and resolve every place in each article of INPUT.jsonl (one JSON line out per line in)."""
    import json

    from marsad.geo.gazetteer import default_gazetteer
    from marsad.geo.geoparse import geoparse_record

    gaz = default_gazetteer()
    failed = 0
    src = click.open_file(input_path, encoding="utf-8")
    with src, click.open_file(output, "w", encoding="utf-8") as out:
        for lineno, line in enumerate(src, 1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
                if not isinstance(record, dict) or not isinstance(record.get("text"), str):
                    raise ValueError("each line must be a JSON object with a string 'text'")
                out.write(
                    json.dumps(geoparse_record(record, gaz, given_spans=given_spans), ensure_ascii=False)
                    + "\n"
                )
            except ValueError as exc:
                failed += 1
                click.echo(f"skipped: {input_path}:{lineno}: {exc}", err=True)
    sys.exit(1 if failed else 0)


from marsad.web.cli import serve  # noqa: E402  (web command lives with the web app)

main.add_command(serve)

from marsad.train import train  # noqa: E402  (learned sub-event classifier)

main.add_command(train)

from marsad.evaluate.fusion import evaluate_fusion_cmd  # noqa: E402  (fusion evaluation)

evaluate.add_command(evaluate_fusion_cmd, "fusion")


if __name__ == "__main__":  # pragma: no cover
    main()
