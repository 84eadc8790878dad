"""Invented gazetteer rows for tests that build a small gazetteer of their own."""

from __future__ import annotations

from marsad.model import Place

_AREA_CODES = frozenset(("PCLI", "ADM1", "ADM2"))


def place(gid: int, name: str, lat: float, lon: float, cc: str, admin1: str, code: str, pop: int) -> Place:
    """A gazetteer row: areas (country, first- and second-level) get feature class A, towns P."""
    return Place(
        geonameid=gid,
        name=name,
        lat=lat,
        lon=lon,
        country_code=cc,
        country=cc,
        admin1=admin1,
        feature_class="A" if code in _AREA_CODES else "P",
        feature_code=code,
        population=pop,
    )
