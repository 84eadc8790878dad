"""Pairwise merge precision/recall of cross-article fusion on a labelled article set.

The gold file is JSONL, one article per line: ``id, title, source, url, published, text`` and
``incident`` (the gold label: articles telling the same incident share it). Every article is run
through the pipeline and ingested into a temporary in-memory store; two articles are *predicted*
merged when any of their reports ended in the same incident (``Store.article_incidents``), *gold*
merged when they share the label. Precision and recall are over article pairs.

``method="cluster"`` skips the store and clusters the reports with :func:`marsad.fusion.cluster`
(the rules alone, without the store's near-duplicate pairing): useful to tune the rules.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from itertools import combinations
from pathlib import Path
from typing import Any

import click

from marsad.model import Article, Event

# The fixture the team wrote (original text), used when no --gold is given.
BUNDLED_GOLD = Path(__file__).resolve().parents[3] / "tests" / "fixtures" / "fusion" / "fusion_gold.jsonl"


@dataclass
class GoldArticle:
    article: Article
    incident: str


@dataclass
class FusionReport:
    articles: int = 0
    incidents_gold: int = 0
    incidents_predicted: int = 0
    pairs_gold: int = 0
    pairs_predicted: int = 0
    true_pairs: int = 0
    skipped: list[str] = field(default_factory=list)
    missed: list[tuple[str, str, str]] = field(default_factory=list)  # (incident, article, article)
    false: list[tuple[str, str, str, str]] = field(default_factory=list)  # (a, incident a, b, incident b)
    no_events: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.true_pairs / self.pairs_predicted if self.pairs_predicted else 1.0

    @property
    def recall(self) -> float:
        return self.true_pairs / self.pairs_gold if self.pairs_gold else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "articles": self.articles,
            "incidents_gold": self.incidents_gold,
            "incidents_predicted": self.incidents_predicted,
            "pairs_gold": self.pairs_gold,
            "pairs_predicted": self.pairs_predicted,
            "true_pairs": self.true_pairs,
            "merge_precision": round(self.precision, 4),
            "merge_recall": round(self.recall, 4),
            "merge_f1": round(self.f1, 4),
            "missed_pairs": [list(m) for m in self.missed],
            "false_pairs": [list(f) for f in self.false],
            "articles_without_events": self.no_events,
            "skipped": self.skipped,
        }


def load_gold(path: str | Path) -> tuple[list[GoldArticle], list[str]]:
    """Articles with their gold incident label; malformed lines are skipped with a reason."""
    out: list[GoldArticle] = []
    skipped: list[str] = []
    seen: set[str] = set()
    with open(path, encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                d = json.loads(line)
                if not isinstance(d, dict):
                    raise ValueError("not a JSON object")
                text, label = d.get("text"), d.get("incident")
                if not isinstance(text, str) or not text.strip():
                    raise ValueError("no 'text'")
                if not isinstance(label, str) or not label:
                    raise ValueError("no 'incident' label")
                published = date.fromisoformat(str(d["published"])[:10]) if d.get("published") else None
                art = Article(
                    text=text,
                    id=str(d.get("id") or ""),
                    title=d.get("title"),
                    published=published,
                    source=d.get("source"),
                    url=d.get("url"),
                    origin=f"{path}:{lineno}",
                )
            except (ValueError, TypeError) as exc:
                skipped.append(f"{path}:{lineno}: {exc}")
                continue
            if art.id in seen:
                skipped.append(f"{path}:{lineno}: duplicate id {art.id}")
                continue
            seen.add(art.id)
            out.append(GoldArticle(art, label))
    return out, skipped


def extract_all(gold: list[GoldArticle], extract: Callable[[Article], list[Event]]) -> list[list[Event]]:
    out = []
    for g in gold:
        try:
            events = extract(g.article)
        except Exception:  # one article the extractor chokes on is a miss, not a crash
            events = []
        for i, e in enumerate(events):
            e.article_id = g.article.id
            e.event_id = e.event_id or f"{g.article.id}:{i}"
        out.append(events)
    return out


def predicted_by_store(gold: list[GoldArticle], events: list[list[Event]]) -> dict[str, set[str]]:
    from marsad.store import Store

    with Store(":memory:") as st:
        for g, evs in zip(gold, events, strict=True):
            st.add_article(g.article, evs)
        return st.article_incidents()


def predicted_by_cluster(gold: list[GoldArticle], events: list[list[Event]]) -> dict[str, set[str]]:
    from marsad.fusion import cluster

    out: dict[str, set[str]] = {g.article.id: set() for g in gold}
    for group in cluster([e for evs in events for e in evs]):
        for e in group:
            out[e.article_id].add(group[0].event_id)
    return out


def score(gold: list[GoldArticle], predicted: dict[str, set[str]]) -> FusionReport:
    """Pairwise merge precision/recall of ``predicted`` (article id -> incident ids) against gold."""
    rep = FusionReport(articles=len(gold))
    label = {g.article.id: g.incident for g in gold}
    rep.incidents_gold = len(set(label.values()))
    rep.incidents_predicted = len({i for s in predicted.values() for i in s})
    ids = sorted(label)
    for a, b in combinations(ids, 2):
        same_gold = label[a] == label[b]
        same_pred = bool(predicted.get(a, set()) & predicted.get(b, set()))
        rep.pairs_gold += same_gold
        rep.pairs_predicted += same_pred
        rep.true_pairs += same_gold and same_pred
        if same_gold and not same_pred:
            rep.missed.append((label[a], a, b))
        elif same_pred and not same_gold:
            rep.false.append((a, label[a], b, label[b]))
    rep.no_events = [a for a in ids if not predicted.get(a)]
    return rep


def evaluate_fusion(
    path: str | Path | None = None,
    method: str = "store",
    extract: Callable[[Article], list[Event]] | None = None,
) -> FusionReport:
    """Run the pipeline over a labelled article set, fuse, and score pairwise merges."""
    if method not in ("store", "cluster"):
        raise ValueError(f"method must be 'store' or 'cluster', not {method!r}")
    if extract is None:
        from marsad.pipeline import extract_article

        extract = extract_article
    gold, skipped = load_gold(path or BUNDLED_GOLD)
    events = extract_all(gold, extract)
    predicted = (predicted_by_store if method == "store" else predicted_by_cluster)(gold, events)
    rep = score(gold, predicted)
    rep.skipped = skipped
    return rep


def format_report(rep: FusionReport) -> str:
    lines = [
        f"articles            {rep.articles}",
        f"incidents (gold)    {rep.incidents_gold}",
        f"incidents (pred.)   {rep.incidents_predicted}",
        f"pairs gold/pred/ok  {rep.pairs_gold}/{rep.pairs_predicted}/{rep.true_pairs}",
        f"merge_precision     {rep.precision:.3f}",
        f"merge_recall        {rep.recall:.3f}",
        f"merge_f1            {rep.f1:.3f}",
    ]
    if rep.missed:
        lines.append("missed pairs (same incident, not merged):")
        lines += [f"  {inc}: {a} ~ {b}" for inc, a, b in rep.missed]
    if rep.false:
        lines.append("false pairs (merged, different incidents):")
        lines += [f"  {a} [{ia}] ~ {b} [{ib}]" for a, ia, b, ib in rep.false]
    if rep.no_events:
        lines.append("articles without any incident: " + ", ".join(rep.no_events))
    for s in rep.skipped:
        lines.append(f"skipped: {s}")
    return "\n".join(lines)


@click.command("fusion")
@click.option(
    "--gold",
    type=click.Path(exists=True, dir_okay=False),
    default=None,
    help="Labelled articles JSONL (default: the bundled tests/fixtures/fusion/fusion_gold.jsonl).",
)
@click.option(
    "--method",
    type=click.Choice(["store", "cluster"]),
    default="store",
    show_default=True,
    help="store: ingest into an in-memory store; cluster: the fusion rules alone.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the metrics as JSON.")
def evaluate_fusion_cmd(gold: str | None, method: str, as_json: bool) -> None:
    """Pairwise merge precision/recall of cross-article fusion on labelled articles."""
    path = Path(gold) if gold else BUNDLED_GOLD
    if not path.is_file():
        raise click.ClickException(f"gold file not found: {path} (pass --gold FILE)")
    from marsad.pipeline import warm

    warm()
    rep = evaluate_fusion(path, method=method)
    click.echo(json.dumps(rep.to_dict(), indent=2) if as_json else format_report(rep))
