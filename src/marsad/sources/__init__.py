"""Source readers: files, directories and stdin -> :class:`marsad.model.Article`.

``read_inputs`` never raises for one bad input: it yields an :class:`InputProblem` for it and
goes on with the rest, so a batch run reports every skipped file instead of dying on the first.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator, Sequence
from datetime import date
from typing import IO

from marsad.model import Article
from marsad.sources.base import InputProblem, Item, parse_published, too_big
from marsad.sources.decode import DecodeError, binary_reason, declared_charset, decode
from marsad.sources.feed import read_feed
from marsad.sources.html import read_html
from marsad.sources.jsonl import iter_lines, read_json, read_jsonl
from marsad.sources.plain import article_from_text, split_title

__all__ = [
    "InputProblem",
    "read_inputs",
    "detect_format",
    "format_by_extension",
    "parse_published",
    "split_title",
]

STDIN = "-"
_HEAD = 1 << 16

_BY_EXTENSION = {
    ".txt": "text", ".text": "text",
    ".html": "html", ".htm": "html", ".xhtml": "html",
    ".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "json",
    ".xml": "feed", ".rss": "feed", ".atom": "feed",
}  # fmt: skip

# Whole-file formats are read into memory: cap them. A page carries markup and a feed several
# articles, so they may exceed the one-article limit by these factors.
_FILE_FACTOR = {"text": 1, "html": 4, "json": 20, "feed": 20}


def read_inputs(
    inputs: Sequence[str], *, published: date | None = None, max_article_bytes: int = 5_000_000
) -> Iterator[Article | InputProblem]:
    """Yield an Article for every article found in ``inputs``, an InputProblem for everything else.

    Each input is a file, a directory (read recursively in sorted order, hidden entries
    skipped) or ``"-"`` for stdin. ``published`` is the date for articles that carry none.
    """
    if isinstance(inputs, str):  # a lone path is a common slip: treat it as a one-item list
        inputs = [inputs]
    for spec in inputs:
        try:
            spec = os.fspath(spec)
        except TypeError:
            yield InputProblem(
                repr(spec), "not a path: inputs must be file or directory paths, or '-' for stdin"
            )
            continue
        if spec == STDIN:
            yield from _guarded(
                "<stdin>",
                lambda: _read_stream("<stdin>", sys.stdin.buffer, None, None, published, max_article_bytes),
            )
        elif os.path.isdir(spec):
            found = False
            unreadable: list[OSError] = []
            for path in _walk(spec, unreadable.append):
                found = True
                yield from _guarded(path, lambda p=path: _read_file(p, published, max_article_bytes))
            for err in unreadable:
                yield InputProblem(str(err.filename or spec), f"cannot list directory: {err.strerror or err}")
            if not found and not unreadable:
                yield InputProblem(spec, "directory contains no (non-hidden) files")
        else:
            yield from _guarded(spec, lambda p=spec: _read_file(p, published, max_article_bytes))


def detect_format(name: str | None, head: bytes) -> str:
    """``text`` | ``html`` | ``jsonl`` | ``json`` | ``feed``: by extension, else by sniffing the first bytes."""
    fmt = format_by_extension(name)
    if fmt:
        return fmt
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n")[:4096]
    if start.startswith(b"{"):
        return "jsonl"
    if start.startswith(b"["):
        return "json"
    if start.startswith(b"<"):
        low = start.lower()
        if b"<rss" in low or b"<feed" in low or b"<rdf:rdf" in low:
            return "feed"
        return "html"
    return "text"


def format_by_extension(name: str | None) -> str | None:
    return _BY_EXTENSION.get(os.path.splitext(name)[1].lower()) if name else None


# --- internals ----------------------------------------------------------------


def _guarded(origin: str, produce) -> Iterator[Item]:
    # Last line of defence: one input's unexpected failure must not stop the batch.
    try:
        yield from produce()
    except PermissionError:
        yield InputProblem(origin, "permission denied: cannot read this file (check its permissions)")
    except FileNotFoundError:
        yield InputProblem(origin, "no such file or directory")
    except OSError as e:
        yield InputProblem(origin, f"cannot read: {e.strerror or e}")
    except Exception as e:  # noqa: BLE001 - reported, not swallowed
        yield InputProblem(
            origin, f"unexpected error while reading ({type(e).__name__}: {e}); please report it"
        )


def _walk(root: str, onerror) -> Iterator[str]:
    for dirpath, dirnames, filenames in os.walk(root, onerror=onerror):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            if not name.startswith(".") and not name.endswith("~"):
                yield os.path.join(dirpath, name)


def _read_file(path: str, published: date | None, limit: int) -> Iterator[Item]:
    if not os.path.exists(path):
        yield InputProblem(path, "no such file or directory")
        return
    if not os.path.isfile(path):
        yield InputProblem(path, "not a regular file (device, socket or pipe?); pass '-' to read stdin")
        return
    size = os.path.getsize(path)
    if size == 0:
        yield InputProblem(path, "empty file")
        return
    with open(path, "rb") as f:
        yield from _read_stream(path, f, path, size, published, limit)


def _read_stream(
    origin: str, f: IO[bytes], name: str | None, size: int | None, published: date | None, limit: int
) -> Iterator[Item]:
    fmt = format_by_extension(name)
    # Refuse an oversized whole-file input before reading it (a 50 MB .txt costs one stat call).
    if fmt in _FILE_FACTOR and size is not None and size > limit * _FILE_FACTOR[fmt]:
        yield too_big(origin, size, limit * _FILE_FACTOR[fmt], "file" if fmt != "text" else "article")
        return
    head = f.read(_HEAD)
    if not head:
        yield InputProblem(origin, "empty input")
        return
    if reason := binary_reason(head):
        yield InputProblem(origin, reason)
        return
    fmt = fmt or detect_format(None, head)
    if fmt == "jsonl":
        yield from read_jsonl(iter_lines(head, f, limit), origin, published, limit)
        return
    cap = limit * _FILE_FACTOR[fmt]
    data = head + f.read(cap + 1 - len(head)) if len(head) <= cap else head
    if len(data) > cap:
        yield too_big(origin, len(data), cap, "file" if fmt != "text" else "article")
        return
    if fmt == "feed":  # feedparser honours the XML encoding declaration itself
        yield from read_feed(data, origin, published, limit)
        return
    try:
        text, note = decode(data, declared=declared_charset(head) if fmt == "html" else None)
    except DecodeError as e:
        yield InputProblem(origin, str(e))
        return
    if note:
        yield InputProblem(origin, note, fatal=False)
    if not text.strip():
        yield InputProblem(origin, "contains only whitespace")
        return
    if fmt == "html":
        yield from read_html(text, origin, published)
    elif fmt == "json":
        yield from read_json(text, origin, published, limit)
    else:
        yield article_from_text(text, origin, published)
