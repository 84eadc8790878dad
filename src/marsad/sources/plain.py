"""Plain-text articles: one article per file, with optional front matter and an optional headline line.

Front matter (optional) is a block of ``key: value`` lines between two ``---`` lines at the very top,
for the metadata a text file otherwise cannot carry::

    ---
    published: 2024-01-23
    source: Example Wire
    ---
    Headline

    Body...

Keys: ``title``, ``published``, ``source``, ``url``; others are ignored.
"""

from __future__ import annotations

import re
from datetime import date

from marsad.model import Article
from marsad.sources.base import parse_published

# A headline: one short line, then a blank line, then the body.
_TITLE = re.compile(r"\A[ \t]*([^\n]{1,150}?)[ \t]*\r?\n[ \t]*\r?\n\s*")
_MAX_TITLE_WORDS = 25
_FRONT = re.compile(r"\A\ufeff?---[ \t]*\r?\n((?:[^\n]*\n){0,30}?)---[ \t]*(?:\r?\n|\Z)")
_FIELD = re.compile(r"^\s*([A-Za-z_]+)\s*:\s*(.*?)\s*$", re.MULTILINE)
_KEYS = ("title", "published", "source", "url")


def split_front_matter(text: str) -> tuple[dict[str, str], str]:
    """``(fields, rest)``: the front-matter fields (lower-cased keys) and the text after the block."""
    m = _FRONT.match(text)
    if not m:
        return {}, text
    fields = {k.lower(): v.strip("\"'") for k, v in _FIELD.findall(m.group(1))}
    return {k: v for k, v in fields.items() if k in _KEYS and v}, text[m.end() :]


def split_title(text: str) -> tuple[str | None, str]:
    """Split off a first-line headline; return ``(title, body)``.

    A first line counts as a headline only when it is short, does not read like the end of a
    sentence (headlines rarely end in a period) and a blank line separates it from more text.
    Otherwise the whole text is the body: a false headline would hide a sentence from analysis.
    """
    m = _TITLE.match(text)
    if m:
        line = m.group(1)
        body = text[m.end() :]
        if (
            body.strip()
            and len(line.split()) <= _MAX_TITLE_WORDS
            and not line.rstrip().endswith((".", ",", ":", ";"))
        ):
            return line.strip(), body.rstrip()
    return None, text.strip()


def article_from_text(text: str, origin: str, published: date | None) -> Article:
    meta, rest = split_front_matter(text)
    title, body = split_title(rest)
    return Article(
        text=body,
        title=meta.get("title") or title,
        published=parse_published(meta.get("published")) or published,
        source=meta.get("source"),
        url=meta.get("url"),
        origin=origin,
    )
