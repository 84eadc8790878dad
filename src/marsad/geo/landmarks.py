"""Landmarks and institutions that stand for the place they are in.

News names places through buildings and institutions: "the White House said", "protesters
in Tahrir Square", "a drone hit Hmeimim air base", "a professor at Cornell University",
"the Russian Foreign Ministry". ``landmarks.tsv`` lists well-known ones with their point and
the town they stand in (the index copies that town's admin areas); ``institutions.json`` lists
the words that make a country-led name ("Russian Foreign Ministry", "Iran's parliament") an
institution seated in the country's capital.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from marsad.knowledge import data_path, read_json

LANDMARKS_FILE = "landmarks.tsv"
INSTITUTIONS_FILE = "institutions.json"

# feature codes a landmark row may carry (GeoNames class S, plus the few others the file uses)
LANDMARK_CODES = frozenset(
    "ADMF BLDG PAL CSTL AIRP AIRB MILB SQR ST STDM UNIV PRN MSQE CH SHRN TMPL HSTS MNMT MUS THTR HTL MALL MKT "
    "PRT PS INSM DAM CNL BDG GATE PRK BCH CMP CMTY AMUS ISL HBR MT PPLX PPL RGN".split()
)
# outside the town they are named after (an air base "near" its town), or an area: ACLED precision 2
_NEAR_CODES = frozenset(("AIRB", "MILB", "RGN"))


@dataclass(frozen=True, slots=True)
class Landmark:
    names: tuple[str, ...]  # the name first, then aliases
    lat: float
    lon: float
    cc: str
    city: str
    code: str


@cache
def read_landmarks() -> tuple[Landmark, ...]:
    """The rows of ``landmarks.tsv`` (comment lines start with "#")."""
    out: list[Landmark] = []
    text = data_path(LANDMARKS_FILE).read_text(encoding="utf-8")
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        cols = line.split("\t")
        if len(cols) != 6:
            raise ValueError(f"{LANDMARKS_FILE}:{n}: expected 6 tab-separated columns, got {len(cols)}")
        names = tuple(x.strip() for x in cols[0].split(";") if x.strip())
        code = cols[5].strip()
        if not names or code not in LANDMARK_CODES:
            raise ValueError(f"{LANDMARKS_FILE}:{n}: missing name or unknown feature code {code!r}")
        out.append(Landmark(names, float(cols[1]), float(cols[2]), cols[3].strip(), cols[4].strip(), code))
    return tuple(out)


def landmark_precision(code: str) -> int:
    """ACLED geo_precision of a landmark: 1 in its town, 2 for bases outside it and areas."""
    return 2 if code in _NEAR_CODES else 1


@dataclass(frozen=True, slots=True)
class InstitutionWords:
    seat: frozenset[str]  # folded words that make "<country> X" an institution in the capital
    abroad: frozenset[str]  # folded words of bodies seated in another country's capital
    host: frozenset[str]  # folded words of a school, club or embassy named for a foreign country


@cache
def institution_words() -> InstitutionWords:
    raw = read_json(INSTITUTIONS_FILE)
    return InstitutionWords(
        frozenset(w.lower() for w in raw["seat_words"]),
        frozenset(w.lower() for w in raw["abroad_words"]),
        frozenset(w.lower() for w in raw.get("host_words", ())),
    )


# codes of rows that are places in their own right (a camp, an island, a district): coded as themselves
_OWN_PLACE_CODES = frozenset(("PPL", "PPLX", "RGN", "ISL", "MT", "CMP", "CMTY"))


@cache
def _towns() -> dict[tuple[str, str, str], str]:
    return {
        (lm.names[0], lm.cc, lm.code): lm.city.split(",")[0].strip()
        for lm in read_landmarks()
        if lm.code not in _OWN_PLACE_CODES and lm.city
    }


def landmark_town(name: str, cc: str, code: str) -> str | None:
    """The town a listed building or venue stands in ("Taksim Square" -> "Istanbul"), else None.

    ACLED's location is a populated place: a protest in Taksim Square is coded at Istanbul,
    while the landmark stays the evidence."""
    return _towns().get((name, cc, code))
