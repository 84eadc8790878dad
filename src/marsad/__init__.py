"""marsad: news reports in, ACLED-style conflict events with evidence out."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from marsad.model import Event

__version__ = "0.1.0"


def extract(text: str, published: date | str | None = None, source: str | None = None) -> list[Event]:
    """Code the events reported in one article, most salient first."""
    from marsad.pipeline import extract_text

    return extract_text(text, published=published, source=source)
