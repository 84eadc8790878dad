"""Compose the stages: Article -> Document -> Mentions -> Events.

Cheap before expensive: trigger matching runs first and an article with no
live trigger stops there (most of a news feed reports no violence). Knowledge
resources and the gazetteer load once per process; with several workers they
are loaded before forking so the children share them copy-on-write.
"""

from __future__ import annotations

import multiprocessing as mp
import os
from collections import Counter
from collections.abc import Iterable, Iterator
from datetime import date
from functools import cache

from marsad.coding.assemble import assemble
from marsad.coding.learned import refine_default
from marsad.geo.gazetteer import Gazetteer, default_gazetteer
from marsad.mentions.actors import find_actors
from marsad.mentions.claims import warm as warm_claims
from marsad.mentions.dates import dateline_date, find_dates
from marsad.mentions.numbers import find_casualties
from marsad.mentions.places import find_places
from marsad.mentions.triggers import find_triggers
from marsad.mentions.triggers import warm as warm_triggers
from marsad.model import ActorMention, Article, Document, Event, Mentions, TriggerMention
from marsad.sources import InputProblem, parse_published
from marsad.text import make_document


def country_hints(actors: list[ActorMention]) -> Counter[str]:
    """Countries the actors imply ("Houthi" -> YE, "Afghan forces" -> AF): a prior for place resolution."""
    return Counter(a.country_code for a in actors if a.country_code)


# Sentences after a trigger that may still carry its toll ("The clashes killed 11").
CONTINUATION = 2


def focus(doc: Document, triggers: list[TriggerMention]) -> Document:
    """The same document restricted to the sentences an event frame can use.

    Actor and casualty finders only need trigger sentences and the few after
    them; skipping the rest (background, quotes, diplomacy) is most of the
    saving on long articles.
    """
    keep: set[int] = set()
    for t in triggers:
        if t.negated or t.hypothetical:
            continue
        s = doc.sentence_at(t.span.start)
        if s is not None:
            keep.update(range(s.index, s.index + CONTINUATION + 1))
    return Document(doc.article, [s for s in doc.sentences if s.index in keep])


def find_mentions(doc: Document, published: date | None, gazetteer: Gazetteer) -> Mentions:
    triggers = find_triggers(doc)
    if not any(not t.negated and not t.hypothetical for t in triggers):
        return Mentions(triggers=triggers)
    near = focus(doc, triggers)
    actors = find_actors(near)
    return Mentions(
        places=find_places(doc, gazetteer, country_hints=country_hints(actors)),
        actors=actors,
        dates=find_dates(doc, published),
        casualties=find_casualties(near),
        triggers=triggers,
    )


def extract_article(article: Article, gazetteer: Gazetteer | None = None) -> list[Event]:
    """All events one article reports, most salient first."""
    gaz = gazetteer or default_gazetteer()
    doc = make_document(article)
    # no publication date in the metadata: a dateline ("KABUL, March 3, 2024 (Reuters) -") gives it
    published = article.published or dateline_date(doc)
    mentions = find_mentions(doc, published, gaz)
    return refine_default(assemble(doc, mentions, gaz, published=published, source=article.source), doc)


def extract_text(text: str, published: date | str | None = None, source: str | None = None) -> list[Event]:
    return extract_article(Article(text=text, published=parse_published(published), source=source))


@cache
def warm() -> Gazetteer:
    """Load every resource once (before forking workers)."""
    gaz = default_gazetteer()
    warm_triggers()
    warm_claims()
    extract_article(
        Article(
            text="On 1 May 2020, soldiers clashed with rebels near Aleppo, Syria. Two people were killed."
        ),
        gaz,
    )
    return gaz


def _work(article: Article) -> tuple[Article, list[Event] | str]:
    try:
        return article, extract_article(article)
    except Exception as exc:  # one bad article must not sink the batch
        return article, f"extraction failed: {type(exc).__name__}: {exc}"


def default_workers() -> int:
    return max(1, min(os.cpu_count() or 1, 8))


def process(
    items: Iterable[Article | InputProblem], workers: int = 1, chunksize: int = 8
) -> Iterator[tuple[Article, list[Event]] | InputProblem]:
    """Run extraction over a stream; problems pass through in order, nothing is dropped silently."""
    warm()

    def articles_and_problems() -> Iterator[Article | InputProblem]:
        yield from items

    if workers <= 1:
        for item in articles_and_problems():
            if isinstance(item, InputProblem):
                yield item
                continue
            art, result = _work(item)
            yield (art, result) if not isinstance(result, str) else InputProblem(art.origin or art.id, result)
        return

    problems: list[InputProblem] = []

    def only_articles() -> Iterator[Article]:
        for item in articles_and_problems():
            if isinstance(item, InputProblem):
                problems.append(item)
            else:
                yield item

    ctx = mp.get_context("fork")
    with ctx.Pool(workers) as pool:
        for art, result in pool.imap(_work, only_articles(), chunksize=chunksize):
            while problems:
                yield problems.pop(0)
            if isinstance(result, str):
                yield InputProblem(art.origin or art.id, result)
            else:
                yield art, result
    yield from problems
