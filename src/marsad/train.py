"""Fit the learned sub-event classifier (``marsad.coding.learned``) and the ``marsad train`` command.

Training needs scikit-learn; prediction does not (weights are written as plain arrays).
Gold data comes in three shapes:

- ``acled-csv``: an ACLED export, with ``notes`` and ``sub_event_type`` columns;
- ``jsonl``: one object a line with ``text`` and either ``gold.sub_event_type`` (as the
  evaluation files) or ``label`` (as the team-written ``training/sentences.jsonl``,
  where ``label`` may also be ``none``).

The shipped model is rebuilt with
``marsad train --gold src/marsad/knowledge/data/training/sentences.jsonl
-o src/marsad/knowledge/data/training/model.npz``; never ship weights fitted on ACLED rows.
"""

from __future__ import annotations

import csv
import json
import os
import random
import sys
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

import click
import numpy as np

from marsad.coding.learned import NONE_LABEL, LinearModel, features
from marsad.knowledge import taxonomy

FORMATS = ("acled-csv", "jsonl")


class GoldError(ValueError):
    """Training data that cannot be used, with a message a user can act on."""


def default_model_dir() -> Path:
    """Per-user data directory (XDG): ~/.local/share/marsad/model."""
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "marsad" / "model"


def guess_format(path: Path) -> str:
    return "acled-csv" if path.suffix.lower() in (".csv", ".tsv", ".txt") else "jsonl"


def read_gold(path: str | Path, fmt: str | None = None) -> tuple[list[str], list[str], list[str]]:
    """(texts, labels, problems) from a gold file; rows without text or with an unknown label are
    skipped and described in ``problems``. Raises GoldError when nothing usable remains."""
    path = Path(path)
    if not path.is_file():
        raise GoldError(f"{path}: no such file")
    fmt = fmt or guess_format(path)
    if fmt not in FORMATS:
        raise GoldError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")
    valid = set(taxonomy().event_type_of) | {NONE_LABEL}
    texts: list[str] = []
    labels: list[str] = []
    problems: list[str] = []
    rows = _csv_rows(path) if fmt == "acled-csv" else _jsonl_rows(path)
    for where, text, label in rows:
        text = (text or "").strip()
        label = (label or "").strip()
        if not text:
            problems.append(f"{where}: empty text")
        elif label not in valid:
            problems.append(f"{where}: unknown sub_event_type {label!r}")
        else:
            texts.append(text)
            labels.append(label)
    if not texts:
        detail = f" ({problems[0]}{' ...' if len(problems) > 1 else ''})" if problems else ""
        raise GoldError(f"{path}: no usable training rows{detail}")
    if len(set(labels)) < 2:
        raise GoldError(f"{path}: need at least two different sub-event types, found only {labels[0]!r}")
    return texts, labels, problems


def _csv_rows(path: Path):
    try:
        fh = path.open(encoding="utf-8-sig", newline="")
    except OSError as exc:
        raise GoldError(f"{path}: {exc}") from None
    with fh:
        head = fh.read(4096)
        if not head.strip():
            raise GoldError(f"{path}: empty file")
        fh.seek(0)
        try:
            dialect = csv.Sniffer().sniff(head, delimiters=",;\t")
        except csv.Error:
            dialect = csv.excel
        reader = csv.DictReader(fh, dialect=dialect)
        cols = {(c or "").strip().lower(): c for c in reader.fieldnames or []}
        missing = [c for c in ("notes", "sub_event_type") if c not in cols]
        if missing:
            raise GoldError(
                f"{path}: missing column(s) {', '.join(missing)}; an ACLED export has 'notes' and "
                f"'sub_event_type' (found: {', '.join(reader.fieldnames or []) or 'none'})"
            )
        try:
            for n, row in enumerate(reader, 2):
                yield f"line {n}", row.get(cols["notes"]), row.get(cols["sub_event_type"])
        except (csv.Error, UnicodeDecodeError) as exc:
            raise GoldError(f"{path}: unreadable CSV ({exc})") from None


def _jsonl_rows(path: Path):
    try:
        fh = path.open(encoding="utf-8")
    except OSError as exc:
        raise GoldError(f"{path}: {exc}") from None
    with fh:
        empty = True
        try:
            for n, line in enumerate(fh, 1):
                if not line.strip():
                    continue
                empty = False
                try:
                    rec = json.loads(line)
                except json.JSONDecodeError as exc:
                    raise GoldError(f"{path}: line {n} is not JSON ({exc.msg})") from None
                if not isinstance(rec, dict):
                    raise GoldError(f"{path}: line {n} is not a JSON object")
                gold = rec.get("gold")
                label = gold.get("sub_event_type") if isinstance(gold, dict) else rec.get("label")
                if label is None and "sub_event_type" in rec:
                    label = rec["sub_event_type"]
                if label is None:
                    raise GoldError(
                        f"{path}: line {n} has no label; expected 'gold.sub_event_type' or 'label' with 'text'"
                    )
                yield f"line {n}", rec.get("text") or rec.get("notes"), label
        except UnicodeDecodeError as exc:
            raise GoldError(f"{path}: not UTF-8 text ({exc.reason})") from None
        if empty:
            raise GoldError(f"{path}: empty file")


def fit(
    texts: Sequence[str],
    labels: Sequence[str],
    c: float = 10.0,
    min_df: int = 1,
    max_features: int = 60_000,
    seed: int = 0,
) -> LinearModel:
    """Fit a multinomial logistic regression on ``features`` with idf weights.

    ``max_features`` keeps the most frequent features so a model trained on a large
    export stays a few megabytes; class weights are balanced so rare sub-types
    (chemical weapon, non-violent transfer) are not drowned by armed clashes.
    """
    from scipy.sparse import csr_matrix
    from sklearn.linear_model import LogisticRegression

    if len(texts) != len(labels) or not texts:
        raise GoldError("need as many labels as texts, and at least one of each")
    feats = [features(t) for t in texts]
    df: Counter[str] = Counter()
    for f in feats:
        df.update(f)
    kept = [f for f, n in df.items() if n >= min_df]
    kept.sort(key=lambda f: (-df[f], f))
    kept = kept[:max_features]
    vocab = {f: i for i, f in enumerate(kept)}
    n_docs = len(texts)
    idf = np.array([np.log((1 + n_docs) / (1 + df[f])) + 1.0 for f in kept], dtype=np.float32)
    rows, cols, vals = [], [], []
    for r, fs in enumerate(feats):
        idx = [vocab[f] for f in fs if f in vocab]
        if not idx:
            continue
        w = idf[idx]
        w = w / np.sqrt(float(w @ w))
        rows.extend([r] * len(idx))
        cols.extend(idx)
        vals.extend(w.tolist())
    x = csr_matrix((vals, (rows, cols)), shape=(n_docs, len(kept)), dtype=np.float32)
    clf = LogisticRegression(C=c, max_iter=3000, class_weight="balanced", random_state=seed)
    clf.fit(x, list(labels))
    classes = [str(k) for k in clf.classes_]
    coef = clf.coef_.astype(np.float32)
    intercept = clf.intercept_.astype(np.float32)
    if len(classes) == 2:  # binary sklearn models keep one row: expand to both classes for softmax
        coef = np.vstack([-coef[0] / 2, coef[0] / 2])
        intercept = np.array([-intercept[0] / 2, intercept[0] / 2], dtype=np.float32)
    meta = {"n_train": n_docs, "c": c, "min_df": min_df, "labels": dict(Counter(labels))}
    return LinearModel(classes, vocab, idf, np.ascontiguousarray(coef.T), intercept, meta)


def split(
    texts: Sequence[str], labels: Sequence[str], fraction: float = 0.5, seed: int = 0
) -> tuple[tuple[list[str], list[str]], tuple[list[str], list[str]]]:
    """Seeded random split into (train, held-out)."""
    order = list(range(len(texts)))
    random.Random(seed).shuffle(order)
    cut = int(len(order) * fraction)
    a, b = order[:cut], order[cut:]
    return ([texts[i] for i in a], [labels[i] for i in a]), ([texts[i] for i in b], [labels[i] for i in b])


def accuracy(model: LinearModel, texts: Sequence[str], labels: Sequence[str]) -> float:
    if not texts:
        return 0.0
    return sum(model.predict(t)[0] == y for t, y in zip(texts, labels, strict=True)) / len(texts)


@click.command()
@click.option(
    "--gold", required=True, type=click.Path(dir_okay=False),
    help="Labelled data: an ACLED export CSV (notes, sub_event_type) or JSONL (text + gold.sub_event_type or label).",
)  # fmt: skip
@click.option(
    "-o", "--output", "output", default=None, type=click.Path(),
    help="Where to write the model (.npz file or directory; default: ~/.local/share/marsad/model/model.npz).",
)  # fmt: skip
@click.option(
    "--format", "fmt", type=click.Choice(FORMATS), default=None, help="Default: from the extension."
)
@click.option("--c", "c", type=click.FloatRange(min=1e-4), default=10.0, show_default=True,
              help="Inverse regularisation strength.")  # fmt: skip
@click.option("--min-df", type=click.IntRange(1), default=1, show_default=True,
              help="Drop features seen in fewer rows.")  # fmt: skip
@click.option("--policy", type=click.Choice(["user", "shipped"]), default="user", show_default=True,
              help="How far the pipeline trusts the model (training/refine.json); 'shipped' is for team data.")  # fmt: skip
@click.option("--holdout", type=click.FloatRange(0.0, 0.9), default=0.0, show_default=True,
              help="Hold out this fraction to report accuracy (the written model uses the rest).")  # fmt: skip
def train(gold, output, fmt, c, min_df, policy, holdout):
    """Fit the learned sub-event classifier on your own labelled data (e.g. a licensed ACLED export).

    Use the result with ``--model PATH`` (extract, run, ingest, evaluate events) or MARSAD_MODEL=PATH. Do not redistribute weights fitted on ACLED data.
    """
    try:
        texts, labels, problems = read_gold(gold, fmt)
    except GoldError as exc:
        raise click.ClickException(str(exc)) from None
    for p in problems[:10]:
        click.echo(f"skipped: {p}", err=True)
    if len(problems) > 10:
        click.echo(f"skipped: ... {len(problems) - 10} more", err=True)
    held: tuple[list[str], list[str]] = ([], [])
    if holdout:
        (texts, labels), held = split(texts, labels, 1.0 - holdout)
    click.echo(f"training on {len(texts)} rows, {len(set(labels))} labels", err=True)
    try:
        model = fit(texts, labels, c=c, min_df=min_df)
    except ValueError as exc:
        raise click.ClickException(f"training failed: {exc}") from None
    model.meta["source"] = Path(gold).name
    model.meta["policy"] = policy
    out = Path(output).expanduser() if output else default_model_dir() / "model.npz"
    path = model.save(out)
    if held[0]:
        click.echo(f"held-out accuracy: {accuracy(model, *held):.3f} on {len(held[0])} rows", err=True)
    click.echo(
        f"model written to {path}; use it with `marsad extract --model {path}` (also run, ingest,"
        f" evaluate events) or MARSAD_MODEL={path}",
        err=True,
    )
    sys.exit(0)
