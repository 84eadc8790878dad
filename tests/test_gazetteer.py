"""Gazetteer: the tiny fixture index, name variants, dump loading, cache build, the real index."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from marsad.geo.gazetteer import (
    Gazetteer,
    GazetteerError,
    default_gazetteer,
    gazetteer_from_places,
    load_gazetteer,
)
from marsad.geo.normalize import variant_key
from marsad.model import Place
from marsad.text import fold

FIXTURES = Path(__file__).parent / "fixtures" / "geo"


def fixture_places() -> tuple[list[Place], dict[int, list[str]]]:
    raw = json.loads((FIXTURES / "places.json").read_text(encoding="utf-8"))
    places = [Place(**p) for p in raw["places"]]
    alts = {int(k): v for k, v in raw["alternates"].items()}
    return places, alts


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    places, alts = fixture_places()
    return gazetteer_from_places(places, alts)


def test_lookup_by_folded_name_and_alternate(gaz: Gazetteer) -> None:
    assert [p.geonameid for p in gaz.lookup("saraqib")] == [163270]
    assert [p.geonameid for p in gaz.lookup(fold("Saraqeb"))] == [163270]
    names = {(p.name, p.feature_code) for p in gaz.lookup("aleppo")}
    assert names == {("Aleppo", "PPL"), ("Aleppo", "ADM1")}
    assert gaz.lookup("nowhere at all") == []
    assert gaz.lookup(None) == []  # type: ignore[arg-type]


def test_variant_lookup_meets_transliterations(gaz: Gazetteer) -> None:
    assert variant_key("Deir ez-Zor") == variant_key("Dayr az Zawr") == variant_key("Deir Ezzor")
    assert variant_key("Tal Rifaat") == variant_key("Tell Rifaat")
    assert variant_key("Saraqib") == variant_key("Saraqeb")
    assert variant_key("Mosul") != variant_key("Homs")
    assert [p.name for p in gaz.lookup_variant("Maarat al Numan")] == ["Ma'arrat an Nu'man"]
    assert [p.name for p in gaz.lookup_variant("Tall Rifaat")] == ["Tall Rif'at"]


def test_folded_variant_lookup_and_memo_agree_with_raw(gaz: Gazetteer) -> None:
    for raw in ("Maarat al-Numan", "Tall Rifaat", "Saraqeb", "Nowhere Town"):
        first = gaz.variant_ids(raw)
        assert gaz.variant_ids_folded(fold(raw)) == first
        # remembered answers are copies: a caller extending its list must not change the next one
        first.append(-1)
        assert -1 not in gaz.variant_ids(raw) and -1 not in gaz.variant_ids_folded(fold(raw))
    hits = gaz.ids("aleppo")
    hits.clear()
    assert len(gaz.ids("aleppo")) == 2


def test_memoised_shortcuts_agree_with_the_lookups_they_skip(gaz: Gazetteer) -> None:
    # the matcher asks these for every capitalised word; the remembered answer must equal a fresh one
    for raw in ("Saraqeb", "Maarat al Numan", "Nowhere Town", "President"):
        key = fold(raw)
        for _ in range(2):  # first answer computed, second remembered
            assert gaz.has_variants_folded(key) == bool(gaz.variant_ids_folded(key))
    assert gaz.has_variants_folded(fold("Saraqeb")) is True
    assert gaz.has_variants_folded(fold("President")) is False
    for _ in range(2):
        assert gaz.could_continue("maarat") is True  # "Ma'arrat an Nu'man" by its variant key
        assert gaz.could_continue("tall") is True  # "Tall Rif'at"
        assert gaz.could_continue("aleppo") is False


def test_admin1_names_by_country(gaz: Gazetteer) -> None:
    by_cc = gaz.admin1_by_country()
    assert {i for _, i in by_cc["SY"]} == {gaz.admin1_index("SY", "Idleb"), gaz.admin1_index("SY", "Aleppo")}
    assert all(name == fold(name) for rows in by_cc.values() for name, _ in rows)
    assert "XX" not in by_cc and gaz.admin1_by_country() is by_cc


def test_country_info(gaz: Gazetteer) -> None:
    sy = gaz.country("sy")
    assert sy is not None and sy.iso3 == "SYR" and sy.numeric == 760 and sy.name == "Syria"
    assert sy.capital is not None and sy.capital.name == "Aleppo"  # most populous stands in for the capital
    assert gaz.country("XX") is None and gaz.country("") is None
    assert gaz.country_by_name("the United States").iso2 == "US"
    assert gaz.country_by_name("U.S.").iso2 == "US"
    assert gaz.country_by_name("Narnia") is None


def test_admin1_by_spelling(gaz: Gazetteer) -> None:
    assert gaz.admin1("SY", "Idlib").name == "Idleb"
    assert gaz.admin1("SY", "Idlib Province").name == "Idleb"
    assert gaz.admin1("AF", "Idlib") is None
    assert gaz.admin1("SY", "") is None


def test_demonyms_map_to_countries(gaz: Gazetteer) -> None:
    assert gaz.demonyms[fold("Syrian")] == "SY"
    assert gaz.demonyms[fold("Afghans")] == "AF"
    assert "kurdish" not in gaz.demonyms  # an ethnic group is not a country


def test_dump_adds_villages_and_skips_bad_rows() -> None:
    places, alts = fixture_places()
    g = gazetteer_from_places(places, alts, dump=FIXTURES / "SY_tiny.txt")
    (village,) = g.lookup("kafr nabudah")
    assert village.geonameid == 99000001 and village.admin1 == "Idleb" and village.population == 3400
    assert g.lookup(fold("Kfar Nabudeh"))[0].geonameid == 99000001
    assert g.lookup("maarzaf")[0].admin1 == "Aleppo"
    assert g.lookup("jabal az zawiyah") == []  # mountains (class T) are not kept
    assert g.lookup("broken") == []  # unparsable coordinates
    with pytest.raises(GazetteerError):
        gazetteer_from_places(places, alts, dump=FIXTURES / "missing.txt")


def _hand_listed(gid: int, name: str, lat: float, lon: float, cc: str, code: str) -> Place:
    """A geo_features.json-style row: a hand-picked point without a GeoNames id."""
    return Place(gid, name, lat, lon, cc, "Syria" if cc else "", "", "", "L", code, 100_000)


def test_dump_keeps_large_features_only() -> None:
    places, alts = fixture_places()
    g = gazetteer_from_places(places, alts, dump=FIXTURES / "SY_tiny.txt")
    (region,) = g.lookup("sahl qarnabi")
    assert (region.geonameid, region.feature_class, region.feature_code) == (99000010, "L", "RGN")
    assert g.lookup("qarnabi plain")[0].geonameid == 99000010  # its alternate name too
    (sea,) = g.lookup("bahr zawari")  # a sea across borders carries no country
    assert sea.geonameid == 99000015 and sea.country_code == ""
    assert g.lookup("nahr maarzaf") == []  # a stream: never kept
    assert g.lookup("tall qarnabi") == []  # a hill: never kept
    assert g.lookup("wadi qarnabi") == []  # a valley: only gives its point to a hand-listed one
    assert g.lookup("northern highlands") == []  # only generic words
    # a mountain range named like a village: the village is what prose means
    assert [p.geonameid for p in g.lookup("maarzaf")] == [99000003]


def test_dump_point_and_id_replace_a_hand_listed_feature() -> None:
    places, alts = fixture_places()
    places += [
        _hand_listed(-900_000, "Ghab Plain", 35.5, 36.2, "SY", "RGN"),
        _hand_listed(-900_001, "Zawari", -8.0, 72.0, "", "OCN"),
        _hand_listed(-900_002, "Qarnabi", 35.6, 36.4, "SY", "RGN"),
    ]
    alts = {**alts, -900_001: ["Zawari Ocean"], -900_002: ["Wadi Qarnabi"]}
    g = gazetteer_from_places(places, alts, dump=FIXTURES / "SY_tiny.txt")
    # same name: GeoNames' point and id, our code and prior; the namesake 10,000 km away is another
    (ghab,) = g.lookup("ghab plain")
    assert (ghab.geonameid, ghab.lat, ghab.lon) == (99000017, 35.65, 36.35)
    assert (ghab.feature_code, ghab.population) == ("RGN", 100_000)
    (ocean,) = g.lookup("zawari")  # by its alias, a feature of the same kind (water)
    assert (ocean.geonameid, ocean.lat, ocean.feature_class) == (99000018, -5.0, "H")
    assert g.lookup("zawari ocean")[0].geonameid == 99000018
    (q,) = g.lookup("qarnabi")  # a valley (terrain) is not the region of the same alias
    assert (q.geonameid, q.lat) == (-900_002, 35.6)


def test_cache_dir_and_missing_dump(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MARSAD_CACHE_DIR", str(tmp_path))
    with pytest.raises(GazetteerError):
        load_gazetteer(dump=tmp_path / "nope.txt")


def test_index_is_built_once_atomically_and_silently(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import marsad.geo.gazetteer as gz
    from marsad.geo.build import build_small_index

    places, alts = fixture_places()
    calls: list[int] = []

    def fake_build(dump=None):  # the real build reads 80 MB of package data; the cache logic is what we test
        calls.append(1)
        return build_small_index(places, alts)

    monkeypatch.setattr(gz, "build_index", fake_build)
    for stale in range(5):
        (tmp_path / f"gazetteer-stale{stale}.marshal").write_bytes(b"old")
    g1 = gz.load_gazetteer(directory=tmp_path)
    g2 = gz.load_gazetteer(directory=tmp_path)
    assert calls == [1]  # the second load read the cached file
    assert [p.name for p in g1.lookup("saraqib")] == [p.name for p in g2.lookup("saraqib")] == ["Saraqib"]
    files = sorted(p.name for p in tmp_path.iterdir())
    assert not any(f.startswith(".gazetteer-") for f in files)  # no temp file left behind
    assert len(files) <= 3  # stale versions pruned
    assert capsys.readouterr().out == ""
    # a corrupt cache file is rebuilt, not fatal
    gz.index_path(directory=tmp_path).write_bytes(b"\x00garbage")
    gz.load_gazetteer(directory=tmp_path)
    assert calls == [1, 1]


@pytest.mark.skipif(os.environ.get("MARSAD_SKIP_FULL_GAZETTEER") == "1", reason="full build disabled")
def test_real_gazetteer_loads_from_cache_and_knows_acled_names() -> None:
    # load time is measured by benchmarks/bench_pipeline.py, not asserted here
    default_gazetteer()  # builds the cache on first use
    g = load_gazetteer()
    assert g.country("CD").name == "Democratic Republic of Congo"
    assert g.country("CI").name == "Ivory Coast"
    assert g.country("TR").name == "Turkey"
    assert g.country("PS").name == "Palestine"
    assert g.country("SZ").name == "eSwatini"
    assert g.country("US").numeric == 840
    assert g.country_by_name("DRC").iso2 == "CD"
    assert g.admin1("SY", "Idlib").name == "Idleb"
    assert g.admin1("SY", "Rif Dimashq").name == "Rural Damascus"
    assert g.admin1("SY", "Deir Ezzor").name == "Deir ez Zor"
    assert g.admin1("AF", "Nangarhar") is not None
    saraqib = g.lookup_variant("Saraqeb")
    assert saraqib and saraqib[0].country == "Syria" and saraqib[0].admin1 == "Idleb"


@pytest.mark.skipif(os.environ.get("MARSAD_SKIP_FULL_GAZETTEER") == "1", reason="full build disabled")
def test_real_gazetteer_uses_acled_admin1_naming() -> None:
    g = default_gazetteer()

    def admin1_of(name: str, cc: str) -> set[str]:
        return {p.admin1 for p in g.lookup(fold(name)) if p.country_code == cc and p.feature_code == "PPL"}

    assert admin1_of("Omsk", "RU") == {"Omsk Oblast"}  # renamed: the bundled data says "Omsk"
    assert admin1_of("Gabes", "TN") == {"Gabes"}  # not the transliteration "Qabis"
    assert admin1_of("Bamako", "ML") == {"Bamako"}  # a capital coded as its own admin1
    assert admin1_of("Gulu", "UG") == {"Gulu"}  # Uganda: ACLED's admin1 is the district
    assert g.admin1("IQ", "Salahuddin") is not None
    assert admin1_of("Zaranj", "AF") == {"Nimruz"}  # ACLED's spelling, not GeoNames' "Nimroz"
    assert admin1_of("Matadi", "CD") == {"Kongo-Central"}  # Bas-Congo renamed in 2015
    # a province newer than the bundled admin data is known by name, placed at its capital
    ituri = g.admin1("CD", "Ituri")
    assert ituri is not None and ituri.feature_code == "ADM1"
    assert g.admin1_seat(ituri) == pytest.approx((1.5667, 30.25), abs=0.01)


@pytest.mark.skipif(os.environ.get("MARSAD_SKIP_FULL_GAZETTEER") == "1", reason="full build disabled")
@pytest.mark.parametrize(
    ("text", "country"),
    [
        ("Protesters gathered in Alexandria on Friday, Egyptian police said.", "EG"),
        ("A man was arrested in Alexandria, Virginia, on Friday after a shooting.", "US"),
        ("Gunmen attacked a checkpoint in Tripoli, the Libyan capital, on Monday.", "LY"),
        ("Lebanese army units deployed in Tripoli, Lebanon, on Monday.", "LB"),
        ("A man was arrested in Alexandria, Egypt, on Friday.", "EG"),
    ],
)
def test_real_gazetteer_resolves_ambiguous_cities_by_context(text: str, country: str) -> None:
    from marsad.mentions.places import find_places
    from marsad.model import Article
    from marsad.text import make_document

    ms = find_places(make_document(Article(text=text)), default_gazetteer())
    city = next(m for m in ms if m.span.text in ("Alexandria", "Tripoli"))
    assert city.place is not None and city.place.country_code == country


def test_acled_admin_overrides_rewrite_capitals_and_admin2_countries() -> None:
    from marsad.geo.build import _acled_admin_overrides, _Builder

    b = _Builder()
    lex = {
        "strip_prefix": [],
        "strip_suffix": ["District"],
        "capital_admin1": {"_comment": "x", "ML": "Bamako", "US": "District of Columbia"},
        "admin1_from_admin2": {"countries": ["UG"]},
    }
    rows = [
        (1, "Bamako", 12.6, -8.0, "ML", "Koulikoro", "", "P", "PPL", 2_000_000),
        (2, "Kati", 12.7, -8.1, "ML", "Koulikoro", "", "P", "PPL", 100_000),
        (3, "Gulu", 2.8, 32.3, "UG", "Northern", "Gulu District", "P", "PPL", 150_000),
        (4, "Gulu District", 2.8, 32.3, "UG", "Northern", "Gulu District", "A", "ADM2", 200_000),
        # the capital itself, whatever its name, when the area's name is no town's
        (5, "Washington", 38.9, -77.0, "US", "Maryland", "", "P", "PPL", 689_545),
        (6, "Bethesda", 39.0, -77.1, "US", "Maryland", "", "P", "PPL", 63_000),
    ]
    for r in rows:
        b.add_place(r, [], r[1])
    _acled_admin_overrides(b, lex, {"ML": 0, "US": 4})
    assert [r[5] for r in b.places] == [
        "Bamako",
        "Koulikoro",
        "Gulu",
        "Northern",
        "District of Columbia",
        "Maryland",
    ]


@pytest.mark.skipif(os.environ.get("MARSAD_SKIP_FULL_GAZETTEER") == "1", reason="full build disabled")
def test_spelling_variant_of_a_bigger_city_does_not_outvote_the_exact_name() -> None:
    # "Tijuana" and China's "Taiyuan" share a transliteration key: only exact names vote for a
    # country, so the variant's larger population cannot pull the article to China
    from marsad.mentions.places import find_places
    from marsad.model import Article
    from marsad.text import make_document

    (m,) = find_places(make_document(Article(text="He was shot in Tijuana on Friday.")), default_gazetteer())
    assert m.place is not None and m.place.country_code == "MX"
