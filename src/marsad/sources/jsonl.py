"""JSON Lines (one article object per line, streamed) and plain JSON (an object or a list of them)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from datetime import date
from typing import IO, Any

from marsad.model import Article
from marsad.sources.base import InputProblem, Item, parse_published, text_size_problem
from marsad.sources.decode import DecodeError, decode

_CHUNK = 1 << 16


def iter_lines(head: bytes, stream: IO[bytes], max_line: int) -> Iterator[tuple[int, bytes | None]]:
    """``(line_number, line)`` for each line of ``head`` + the rest of ``stream``.

    Memory stays bounded by ``max_line``: an over-long line is skipped to its end and
    reported as ``(line_number, None)`` instead of being read whole.
    """
    buf = head
    lineno = 0
    eof = False
    search_from = 0
    while True:
        nl = buf.find(b"\n", search_from)
        if nl < 0:
            if not eof and len(buf) <= max_line:
                chunk = stream.read(_CHUNK)
                if chunk:
                    search_from = len(buf)
                    buf += chunk
                else:
                    eof = True
                continue
            if len(buf) > max_line:
                lineno += 1
                yield lineno, None
                buf, search_from = _skip_to_next_line(stream), 0
                if buf is None:
                    return
                continue
            if buf:  # last line without a final newline
                lineno += 1
                yield lineno, buf
            return
        lineno += 1
        yield lineno, (buf[:nl] if nl <= max_line else None)
        buf, search_from = buf[nl + 1 :], 0


def _skip_to_next_line(stream: IO[bytes]) -> bytes | None:
    """Discard the rest of an over-long line; return what follows it (None at end of input)."""
    while chunk := stream.read(_CHUNK):
        i = chunk.find(b"\n")
        if i >= 0:
            return chunk[i + 1 :]
    return None


def read_jsonl(
    lines: Iterable[tuple[int, bytes | None]], origin: str, published: date | None, max_article_bytes: int
) -> Iterator[Item]:
    """Articles from JSON Lines; a bad line yields a problem naming ``file:line`` and reading goes on."""
    warned_encoding = False
    for lineno, raw in lines:
        where = f"{origin}:{lineno}"
        if raw is None:
            yield InputProblem(
                where,
                f"line is longer than the {max_article_bytes:,}-byte article limit; raise max_article_bytes "
                "if this article is genuine",
            )
            continue
        if not raw.strip():
            continue
        try:
            line, note = decode(raw)
        except DecodeError as e:
            yield InputProblem(where, str(e))
            continue
        if note and not warned_encoding:
            warned_encoding = True
            yield InputProblem(origin, f"{note} (first at line {lineno})", fatal=False)
        try:
            rec = json.loads(line)
        except json.JSONDecodeError as e:
            yield InputProblem(where, f"invalid JSON: {e.msg} at column {e.colno}")
            continue
        yield from article_from_record(rec, where, published, max_article_bytes)


def read_json(data: str, origin: str, published: date | None, max_article_bytes: int) -> Iterator[Item]:
    """Articles from a JSON document: one article object, or a list of them."""
    try:
        doc = json.loads(data)
    except json.JSONDecodeError as e:
        yield InputProblem(origin, f"invalid JSON: {e.msg} at line {e.lineno} column {e.colno}")
        return
    if isinstance(doc, dict):
        yield from article_from_record(doc, origin, published, max_article_bytes)
    elif isinstance(doc, list):
        if not doc:
            yield InputProblem(origin, "JSON list is empty: no articles")
        for i, rec in enumerate(doc):
            yield from article_from_record(rec, f"{origin}[{i}]", published, max_article_bytes)
    else:
        yield InputProblem(origin, "JSON must be an article object or a list of article objects")


def article_from_record(
    rec: Any, where: str, published: date | None, max_article_bytes: int
) -> Iterator[Item]:
    """An Article from one JSON object with ``text`` and optional id/title/published/source/url."""
    if not isinstance(rec, dict):
        yield InputProblem(where, f"expected a JSON object with a 'text' field, got {type(rec).__name__}")
        return
    text = rec.get("text")
    if not isinstance(text, str):
        keys = ", ".join(sorted(map(str, rec))[:10]) or "none"
        yield InputProblem(where, f"no 'text' string field (fields present: {keys})")
        return
    if not text.strip():
        yield InputProblem(where, "'text' is empty or whitespace only")
        return
    if big := text_size_problem(where, text, max_article_bytes):
        yield big
        return
    own_date = parse_published(rec.get("published"))
    if rec.get("published") not in (None, "") and own_date is None:
        yield InputProblem(
            where, f"unreadable 'published' value {str(rec.get('published'))[:40]!r}; ignored", fatal=False
        )
    rid = rec.get("id")
    yield Article(
        text=text,
        id=str(rid) if isinstance(rid, str | int) and str(rid).strip() else "",
        title=_opt_str(rec.get("title")),
        published=own_date or published,
        source=_opt_str(rec.get("source")),
        url=_opt_str(rec.get("url")),
        origin=where,
    )


def _opt_str(v: Any) -> str | None:
    return v.strip() or None if isinstance(v, str) else None
