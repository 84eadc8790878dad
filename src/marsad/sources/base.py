"""Types and small helpers shared by the source readers."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from email.utils import parsedate_to_datetime

from marsad.model import Article


@dataclass(slots=True)
class InputProblem:
    """An input that was skipped (``fatal``) or read with a caveat (``fatal=False``).

    ``origin`` names the file (``path:line`` for one JSONL line, ``<stdin>`` for standard
    input); ``reason`` says what is wrong and, where it helps, what to do about it.
    """

    origin: str
    reason: str
    fatal: bool = True

    def __str__(self) -> str:
        kind = "skipped" if self.fatal else "warning"
        return f"{self.origin}: {kind}: {self.reason}"


Item = Article | InputProblem

_ISO_DATE = re.compile(r"^\s*(\d{4})-(\d{2})-(\d{2})")


def parse_published(value: object) -> date | None:
    """A publication date from ISO dates/datetimes or RFC 822 strings; None if unusable.

    The *local* calendar date is kept (no conversion to UTC): "Tuesday" in the text
    means Tuesday where the reporter was, and the offset would shift the day.
    """
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if not isinstance(value, str) or not value.strip():
        return None
    s = value.strip()
    m = _ISO_DATE.match(s)
    if m:
        try:
            return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        except ValueError:
            return None
    try:
        return parsedate_to_datetime(s).date()
    except (TypeError, ValueError, IndexError):
        return None


def too_big(origin: str, size: int, limit: int, what: str = "article") -> InputProblem:
    return InputProblem(
        origin,
        f"{what} is {size:,} bytes, larger than the {limit:,}-byte limit; split it into smaller "
        "articles or raise max_article_bytes",
    )


def text_size_problem(origin: str, text: str, limit: int) -> InputProblem | None:
    # A str never needs more than 4 UTF-8 bytes per character: skip the encode when it cannot exceed.
    if len(text) * 4 <= limit:
        return None
    size = len(text.encode("utf-8", errors="replace"))
    return too_big(origin, size, limit) if size > limit else None
