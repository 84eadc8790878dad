"""RSS/Atom feeds: every entry becomes an article."""

from __future__ import annotations

import time
from datetime import date

from marsad.model import Article
from marsad.sources.base import InputProblem, Item, parse_published, text_size_problem
from marsad.sources.html import fragment_to_text


def read_feed(data: bytes, origin: str, published: date | None, max_article_bytes: int) -> list[Item]:
    """Articles from the entries of an RSS or Atom feed (content, else summary, as text).

    A feed with parse errors but usable entries is still read, with a warning; one without
    entries is a problem.
    """
    import feedparser

    # Bytes, never str: given a str that looks like a URL, feedparser would try to fetch it.
    parsed = feedparser.parse(bytes(data))
    entries = parsed.get("entries") or []
    if not entries:
        why = f" ({parsed.get('bozo_exception')})" if parsed.get("bozo") else ""
        return [InputProblem(origin, f"no entries found in the feed{why}; is this an RSS/Atom feed?")]
    out: list[Item] = []
    if parsed.get("bozo"):
        out.append(
            InputProblem(
                origin,
                f"feed is not well-formed ({parsed.get('bozo_exception')}); read {len(entries)} entries anyway",
                fatal=False,
            )
        )
    source = (parsed.get("feed") or {}).get("title") or None
    for i, entry in enumerate(entries, 1):
        where = f"{origin}#entry{i}"
        text = _entry_text(entry)
        if not text:
            out.append(InputProblem(where, "feed entry has no content or summary text"))
            continue
        if big := text_size_problem(where, text, max_article_bytes):
            out.append(big)
            continue
        title = fragment_to_text(entry.get("title", "")) or None
        out.append(
            Article(
                text=text,
                title=title,
                published=_entry_date(entry) or published,
                source=source,
                url=entry.get("link") or None,
                origin=origin,
            )
        )
    return out


def _entry_text(entry: dict) -> str:
    # Full content beats the summary, which is often a teaser of the same text.
    for c in entry.get("content") or []:
        value = c.get("value") or ""
        text = value.strip() if c.get("type") == "text/plain" else fragment_to_text(value)
        if text:
            return text
    summary = entry.get("summary") or ""
    return fragment_to_text(summary)


def _entry_date(entry: dict) -> date | None:
    for key in ("published", "updated", "created"):
        d = parse_published(entry.get(key))
        if d:
            return d
    for key in ("published_parsed", "updated_parsed"):
        st = entry.get(key)
        if isinstance(st, time.struct_time):
            return date(st.tm_year, st.tm_mon, st.tm_mday)
    return None
