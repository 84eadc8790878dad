"""Place recognition and resolution over the tiny fixture gazetteer, plus event-location choice."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from marsad.geo.event_location import choose_event_location, event_place
from marsad.geo.gazetteer import Gazetteer, gazetteer_from_places
from marsad.mentions.places import find_places, resolve_spans
from marsad.model import Article, Place, PlaceMention, Span
from marsad.text import make_document

FIXTURES = Path(__file__).parent / "fixtures" / "geo"


def fixture_places() -> tuple[list[Place], dict[int, list[str]]]:
    raw = json.loads((FIXTURES / "places.json").read_text(encoding="utf-8"))
    return [Place(**p) for p in raw["places"]], {int(k): v for k, v in raw["alternates"].items()}


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    places, alts = fixture_places()
    return gazetteer_from_places(places, alts)


def places_in(text: str, gaz: Gazetteer) -> list[PlaceMention]:
    return find_places(make_document(Article(text=text)), gaz)


def by_text(ms: list[PlaceMention]) -> dict[str, PlaceMention]:
    return {m.span.text: m for m in ms}


def test_spans_point_into_the_text(gaz: Gazetteer) -> None:
    text = "Shelling hit Saraqib on Monday."
    (m,) = places_in(text, gaz)
    assert text[m.span.start : m.span.end] == "Saraqib" == m.span.text
    assert m.place.geonameid == 163270 and m.kind == "toponym" and m.geo_precision == 1


def test_demonym_country_and_admin1_kinds(gaz: Gazetteer) -> None:
    ms = by_text(places_in("Syrian troops advanced in Idlib province, far from Afghanistan.", gaz))
    assert ms["Syrian"].kind == "demonym" and ms["Syrian"].place.country_code == "SY"
    assert ms["Syrian"].geo_precision == 3
    assert ms["Idlib"].kind == "admin1" and ms["Idlib"].place.feature_code == "ADM1"
    assert ms["Idlib"].geo_precision == 3
    assert ms["Afghanistan"].kind == "country" and ms["Afghanistan"].place.country == "Afghanistan"


def test_transliteration_variants_resolve(gaz: Gazetteer) -> None:
    ms = by_text(places_in("Jets struck Saraqeb and Maarat al-Numan in Syria.", gaz))
    assert ms["Saraqeb"].place.name == "Saraqib"
    assert ms["Maarat al-Numan"].place.geonameid == 166365


def test_near_and_countryside_give_precision_two(gaz: Gazetteer) -> None:
    ms = by_text(places_in("Clashes erupted near Tal Rifaat. Shells fell in the Saraqib countryside.", gaz))
    assert ms["Tal Rifaat"].place.name == "Tall Rif'at" and ms["Tal Rifaat"].geo_precision == 2
    assert ms["Saraqib"].geo_precision == 2


def test_admin_named_nearby_disambiguates(gaz: Gazetteer) -> None:
    a = by_text(places_in("A drone hit the village of Tell Aswad, Idlib, in Syria.", gaz))
    assert a["Tell Aswad"].place.geonameid == 900001
    b = by_text(places_in("A drone hit Tell Aswad in Aleppo province in Syria.", gaz))
    assert b["Tell Aswad"].place.geonameid == 900002


def test_country_focus_picks_namesake(gaz: Gazetteer) -> None:
    fr = by_text(places_in("French police said protesters marched in Paris.", gaz))
    assert fr["Paris"].place.country_code == "FR"
    us = by_text(places_in("A tornado hit Paris, Texas, on Sunday.", gaz))
    assert us["Paris"].place.country_code == "US" and us["Paris"].place.admin1 == "Texas"


def test_common_words_and_person_names_are_not_places(gaz: Gazetteer) -> None:
    ms = places_in("Police said John Kelly met Kelly supporters.", gaz)
    assert [m.span.text for m in ms] == []


def test_title_before_name_is_a_person(gaz: Gazetteer) -> None:
    ms = places_in("President Kabul visited Jalalabad in Afghanistan.", gaz)
    assert "Kabul" not in {m.span.text for m in ms}
    assert "Jalalabad" in {m.span.text for m in ms}


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "\u200b\u202e\ufeff",
        "ÆØÅ 🙂 ☃ 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 Saraqib\x00",
        "al- el- Al Al-",
        "U.S." * 50,
        "A" * 10000,
    ],
)
def test_bad_input_never_crashes(gaz: Gazetteer, text: str) -> None:
    ms = places_in(text, gaz)
    for m in ms:
        assert text[m.span.start : m.span.end] == m.span.text


def test_document_without_text_gives_nothing(gaz: Gazetteer) -> None:
    class Broken:
        article = None

    assert find_places(Broken(), gaz) == []  # type: ignore[arg-type]


def test_resolve_given_spans(gaz: Gazetteer) -> None:
    text = "Fighting near Idlib and in Jalalabad; Syrian and Afghan officials spoke. Xyzzy too."
    doc = make_document(Article(text=text))

    def span(word: str) -> Span:
        i = text.index(word)
        return Span(i, i + len(word), word)

    out = resolve_spans(
        doc, [span("Idlib"), span("Jalalabad"), span("Afghan"), span("Xyzzy"), Span(500, 510, "")], gaz
    )
    assert out[0].place.country_code == "SY"
    assert out[1].place.geonameid == 1138336
    assert out[2].place.country_code == "AF" and out[2].kind == "demonym"
    # an unknown name (a street, a venue) falls back to the town the article is about
    assert out[3] is not None and out[3].rule == "given:article_place" and out[3].geo_precision == 2
    assert out[3].span.text == "Xyzzy" and out[3].place.country_code in ("SY", "AF")
    assert out[4] is None


def test_given_span_resolved_through_a_known_part(gaz: Gazetteer) -> None:
    text = "Students at Kabul Polytechnic Institute protested."
    i = text.index("Kabul Polytechnic Institute")
    sp = Span(i, i + 27, text[i : i + 27])
    (m,) = resolve_spans(make_document(Article(text=text)), [sp], gaz)
    assert m.place.name == "Kabul" and m.rule.startswith("given:part")
    assert (m.span.start, m.span.end) == (sp.start, sp.end)


def test_actor_country_hint_decides_an_ambiguous_name(gaz: Gazetteer) -> None:
    text = "Gunmen attacked a checkpoint in Tripoli on Monday."
    assert by_text(places_in(text, gaz))["Tripoli"].place.country_code == "LY"
    doc = make_document(Article(text=text))
    # the actors (say, Lebanese Armed Forces) put the story in Lebanon
    hinted = by_text(find_places(doc, gaz, country_hints={"LB": 3}))
    assert hinted["Tripoli"].place.country_code == "LB"
    # junk hints are ignored, never fatal
    junk = find_places(doc, gaz, country_hints={"??": "x", 5: 1, "LB": -3})  # type: ignore[dict-item]
    assert by_text(junk)["Tripoli"].place.country_code == "LY"


def test_foreign_spelling_variant_dropped_in_focus_country(gaz: Gazetteer) -> None:
    # an Idlib village the gazetteer lacks must not become a small foreign town of a similar
    # spelling ("Kellie" ~ Kelly, US): unsupported abroad, it is dropped or left unresolved
    text = "Regime forces shelled Saraqib and Kellie in Idleb province, Syria."
    names = by_text(places_in(text, gaz))
    assert names["Saraqib"].place.country_code == "SY"
    assert "Kellie" not in names or names["Kellie"].place is None


def test_event_place_puts_an_admin1_at_its_seat(gaz: Gazetteer) -> None:
    text = "Clashes erupted in Idleb province on Monday."
    doc = make_document(Article(text=text))
    ms = find_places(doc, gaz)
    m = event_place(doc, ms, None, gaz)
    assert m is not None and m.place.feature_code == "ADM1" and m.geo_precision == 3


def test_event_location_prefers_locative_in_trigger_sentence(gaz: Gazetteer) -> None:
    text = "Speaking in Kabul, the governor said a bomb exploded in Jalalabad, killing five."
    doc = make_document(Article(text=text))
    ms = find_places(doc, gaz)
    i = text.index("exploded")
    loc = choose_event_location(doc, ms, Span(i, i + 8, "exploded"))
    assert loc is not None and loc.span.text == "Jalalabad"


def test_event_location_skips_capital_as_government(gaz: Gazetteer) -> None:
    text = "Damascus accused rebels of shelling Saraqib on Friday."
    doc = make_document(Article(text=text))
    i = text.index("shelling")
    loc = choose_event_location(doc, find_places(doc, gaz), Span(i, i + 8, "shelling"))
    assert loc is not None and loc.span.text == "Saraqib"
    assert choose_event_location(doc, [], None) is None


def test_unknown_village_in_context_is_kept_unresolved(gaz: Gazetteer) -> None:
    text = "Gunmen stormed the village of Umm Khalifa and later reached Qaryat Zor village near Saraqib."
    ms = by_text(places_in(text, gaz))
    assert ms["Umm Khalifa"].place is None and ms["Umm Khalifa"].rule.startswith("context")
    assert ms["Qaryat Zor"].place is None
    assert ms["Saraqib"].place is not None and ms["Saraqib"].geo_precision == 2


def test_unknown_name_cues_behind_punctuation_and_case(gaz: Gazetteer) -> None:
    # the cheap cue-word gates must let these through: a bracket before the cue, "The" capitalised
    text = "Fighting went on (in Kafr Qwert) after rebels shelled the town of Deir Bzzt, Syria."
    ms = by_text(places_in(text, gaz))
    assert ms["Kafr Qwert"].place is None and ms["Kafr Qwert"].rule == "context:locative"
    assert ms["Deir Bzzt"].rule == "context:settlement"
    # no cue at all: an unknown capitalised name is no place
    assert "Kafr Qwert" not in by_text(places_in("Kafr Qwert said the talks failed.", gaz))


def test_repeated_names_resolve_alike_and_calls_are_repeatable(gaz: Gazetteer) -> None:
    # per-name memos (scores, facts) must not leak between mentions or between calls
    text = (
        "Rebels shelled Aleppo on Monday. Aleppo province saw more fighting as Saraqib was hit. "
        "Later, Aleppo and Saraqib were quiet."
    )
    first = places_in(text, gaz)
    again = places_in(text, gaz)
    key = [(m.span.start, m.kind, m.place.geonameid if m.place else None) for m in first]
    assert key == [(m.span.start, m.kind, m.place.geonameid if m.place else None) for m in again]
    saraqib = {m.place.geonameid for m in first if m.span.text == "Saraqib"}
    assert saraqib == {163270}


def test_event_location_skips_a_reference_point(gaz: Gazetteer) -> None:
    # "30 km south of Aleppo" only says where Saraqib lies, though Aleppo is nearer the verb
    text = "Saraqib, about 30 km south of Aleppo, was shelled on Monday."
    doc = make_document(Article(text=text))
    i = text.index("shelled")
    assert choose_event_location(doc, find_places(doc, gaz), Span(i, i + 7, "shelled")).span.text == "Saraqib"


def test_event_location_skips_the_area_written_after_in(gaz: Gazetteer) -> None:
    # "in northern Idlib" only says where Saraqib lies, though Idlib is nearer the verb
    text = "A market in Saraqib in northern Idlib was shelled on Monday."
    doc = make_document(Article(text=text))
    i = text.index("shelled")
    chosen = choose_event_location(doc, find_places(doc, gaz), Span(i, i + 7, "shelled"))
    assert chosen.span.text == "Saraqib"


def test_event_place_falls_back_to_the_qualifying_area(gaz: Gazetteer) -> None:
    text = "On 3 May, rebels shelled the village of Umm Khalifa (Idlib) in Syria."
    doc = make_document(Article(text=text))
    i = text.index("shelled")
    trig = Span(i, i + 7, "shelled")
    ms = find_places(doc, gaz)
    assert choose_event_location(doc, ms, trig).span.text == "Umm Khalifa"
    located = event_place(doc, ms, trig)
    assert located is not None and located.span.text == "Umm Khalifa"
    assert located.place.admin1 == "Idleb" and located.geo_precision >= 2


def test_modifier_suffix_and_possessive_spans(gaz: Gazetteer) -> None:
    ms = places_in("Syria's army and French-backed units met near Idlib.", gaz)
    spans = {m.span.text for m in ms}
    assert "Syria" in spans and "Idlib" in spans
    assert all(not s.endswith(("'s", "-backed")) for s in spans)


def test_qualifier_repicks_the_namesake_inside_the_named_area(gaz: Gazetteer) -> None:
    ms = by_text(places_in("Dozens of farmers protested in Paris, Texas, on Friday.", gaz))
    assert ms["Paris"].place.country_code == "US" and ms["Paris"].place.admin1 == "Texas"


def test_qualifier_unresolves_a_namesake_outside_the_named_area(gaz: Gazetteer) -> None:
    # the only known "Saraqib" lies in Syria, far from Nangarhar: this one is a village the
    # gazetteer lacks, and the event is placed at the province written after it
    text = "Taliban fighters attacked a checkpoint in Saraqib, Nangarhar, killing two."
    doc = make_document(Article(text=text))
    ms = find_places(doc, gaz)
    (sar,) = [m for m in ms if m.span.text == "Saraqib"]
    assert sar.place is None and sar.rule == "context:qualified"
    ev = event_place(doc, ms, None, gaz)
    # ACLED's location keeps the village's name; the province only lends its point and admin1
    assert ev is not None and ev.place is not None and ev.geo_precision >= 2
    assert ev.place.name == "Saraqib" and ev.place.admin1 == "Nangarhar"


def test_generic_first_word_of_a_longer_name_is_not_the_place(gaz: Gazetteer) -> None:
    # "Kabul al Qadima" is a name the gazetteer lacks; its first word alone must not become Kabul
    ms = places_in("Gunmen attacked a checkpoint in Kabul al Qadima on Monday.", gaz)
    assert all(m.place is None or m.place.name != "Kabul" for m in ms)


def test_event_location_skips_the_comma_qualifier(gaz: Gazetteer) -> None:
    text = "On 3 May 2020, in Jalalabad, Nangarhar, gunmen attacked a police checkpoint."
    doc = make_document(Article(text=text))
    loc = choose_event_location(doc, find_places(doc, gaz), None)
    assert loc is not None and loc.span.text == "Jalalabad"


def test_event_location_ignores_a_country_used_as_a_modifier(gaz: Gazetteer) -> None:
    text = "Protesters angry at the high United States dollar rate blocked a road in Kabul."
    doc = make_document(Article(text=text))
    loc = choose_event_location(doc, find_places(doc, gaz), None)
    assert loc is not None and loc.span.text == "Kabul"


def test_foreign_actors_do_not_make_a_local_town_foreign(gaz: Gazetteer) -> None:
    # "Turkish forces" imply Turkey as an actor, not as the place: Saraqib stays in Syria
    text = "Turkish forces and allied factions shelled Saraqib on Monday."
    doc = make_document(Article(text=text))
    ms = by_text(find_places(doc, gaz, country_hints={"TR": 3}))
    assert ms["Saraqib"].place is not None and ms["Saraqib"].place.country_code == "SY"


def test_surname_after_a_title_is_not_a_town(gaz: Gazetteer) -> None:
    # a town of 34,000 shares the name; after "Mr. Saraqib" a bare "Saraqib" is still the man
    assert "Saraqib" in by_text(places_in("Later, Saraqib was shelled again.", gaz))
    text = "Mr. Saraqib met the governor. Later, Saraqib told reporters the talks had failed."
    assert "Saraqib" not in by_text(places_in(text, gaz))


def test_clipped_admin_area_of_the_focus_country(gaz: Gazetteer) -> None:
    text = "Taliban fighters attacked a police post in the village of Nangarh, Afghanistan."
    ms = by_text(find_places(make_document(Article(text=text)), gaz, country_hints={"AF": 2}))
    assert ms["Nangarh"].place is not None and ms["Nangarh"].place.name == "Nangarhar"
    assert ms["Nangarh"].kind == "admin1" and ms["Nangarh"].geo_precision == 3


def test_stray_part_of_a_venue_falls_back_to_the_article_town(gaz: Gazetteer) -> None:
    # "Kelly" is a hamlet an ocean away: the street is named after a person and lies in Aleppo
    text = "Shelling hit Kelly Street on Monday. Aleppo residents fled west from Aleppo."
    i = text.index("Kelly Street")
    sp = Span(i, i + 12, "Kelly Street")
    (m,) = resolve_spans(make_document(Article(text=text)), [sp], gaz)
    assert m is not None and m.place.name == "Aleppo" and m.rule == "given:article_place"
    assert (m.span.start, m.span.end) == (sp.start, sp.end) and m.geo_precision == 2


def test_part_near_the_article_town_is_kept(gaz: Gazetteer) -> None:
    text = "Students at Kabul Polytechnic Institute protested. Police in Jalalabad and Jalalabad watched."
    i = text.index("Kabul Polytechnic Institute")
    (m,) = resolve_spans(make_document(Article(text=text)), [Span(i, i + 27, text[i : i + 27])], gaz)
    assert m.place.name == "Kabul" and m.rule.startswith("given:part")


def test_fill_unresolved_gives_the_article_town(gaz: Gazetteer) -> None:
    text = "Gunmen stormed the village of Umm Khalifa, 20 km from Aleppo, and shelled Aleppo itself."
    doc = make_document(Article(text=text))
    plain = by_text(find_places(doc, gaz))
    assert plain["Umm Khalifa"].place is None  # the default keeps the unknown name unresolved
    filled = by_text(find_places(doc, gaz, fill_unresolved=True))
    m = filled["Umm Khalifa"]
    assert m.place is not None and m.place.name == "Aleppo" and m.geo_precision == 2
    assert m.rule.endswith(":article_place")
    assert filled["Aleppo"].place.geonameid == plain["Aleppo"].place.geonameid


def test_fill_unresolved_without_any_town_leaves_names_alone(gaz: Gazetteer) -> None:
    text = "Gunmen stormed the village of Umm Khalifa at dawn."
    ms = by_text(find_places(make_document(Article(text=text)), gaz, fill_unresolved=True))
    assert ms["Umm Khalifa"].place is None


def test_first_name_before_a_geographic_head_is_a_place() -> None:
    places, alts = fixture_places()
    extra = Place(
        geonameid=900010,
        name="Beverly Hills",
        lat=34.07,
        lon=-118.4,
        country_code="US",
        country="United States",
        feature_class="P",
        feature_code="PPL",
        population=34000,
    )
    g = gazetteer_from_places([*places, extra], alts)
    ms = by_text(places_in("Police in Beverly Hills closed the road on Sunday.", g))
    assert "Beverly Hills" in ms and ms["Beverly Hills"].place.geonameid == 900010


def test_particle_trie_matches_like_a_flat_longest_first_list() -> None:
    import re

    from marsad.mentions.places import _trie_alt

    words = ["al", "as", "ash", "umm", "um", "de", "del", "della", "bin", "bint"]
    flat = re.compile(r"\b(?:" + "|".join(sorted(words, key=len, reverse=True)) + r")\b")
    trie = re.compile(r"\b(?:" + _trie_alt(words) + r")\b")
    text = "ash as al della del de umm um bint bin dell ashes alas unbint d a"
    assert [m.span() for m in trie.finditer(text)] == [m.span() for m in flat.finditer(text)]


def test_admins_near_is_the_window_of_80_characters() -> None:
    from marsad.mentions.places import _admins_near

    at = [(10, ("SY", "Idlib")), (100, ("SY", "Aleppo")), (300, ("SY", "Hama"))]
    pos = [x for x, _ in at]
    assert _admins_near(20, pos, at) == {("SY", "Idlib")}
    assert _admins_near(89, pos, at) == {("SY", "Idlib"), ("SY", "Aleppo")}
    assert _admins_near(90, pos, at) == {("SY", "Aleppo")}  # 80 from Idlib: not near
    assert _admins_near(180, pos, at) == frozenset()  # exactly 80 away: not near
    assert _admins_near(0, [], []) == frozenset()


def test_top_without_equals_a_full_scan() -> None:
    from collections import Counter

    from marsad.mentions.places import _top_without

    counts = Counter({"SY": 4.0, "TR": 3.5, "IQ": 1.0, "US": 0.5})
    for mine in ({}, {"SY": 4.0}, {"SY": 1.0, "TR": 3.5}, {"FR": 2.0}):
        for skip in (None, "TR", "SY"):
            want = max((v - mine.get(x, 0.0) for x, v in counts.items() if x != skip), default=0.0)
            assert _top_without(counts, mine, skip) == want
    assert _top_without(Counter(), {"SY": 1.0}) == 0.0


def test_a_book_length_text_is_parsed_in_linear_time(gaz: Gazetteer) -> None:
    import time

    para = "Shelling hit Saraqib in Idlib province on Monday, and clashes near Aleppo killed two. "
    small = places_in(para * 20, gaz)
    t0 = time.perf_counter()
    big = places_in(para * 4000, gaz)
    dt = time.perf_counter() - t0
    assert len(big) == len(small) * 200
    assert dt < 10.0  # quadratic admin-area distances took minutes here


def test_given_venue_is_located_by_the_town_its_phrase_names(gaz: Gazetteer) -> None:
    # the article is about Idlib, but this venue's own phrase says where it is
    text = "Shelling hit Idlib and Saraqib. Earlier, students of the Grand Music Academy in Kabul marched."
    i = text.index("Grand Music Academy")
    sp = Span(i, i + 19, text[i : i + 19])
    (m,) = resolve_spans(make_document(Article(text=text)), [sp], gaz)
    assert m is not None and m.rule == "given:locator" and m.place.name == "Kabul"
    assert (m.span.start, m.span.end) == (sp.start, sp.end) and m.geo_precision == 2
    # no locator right after the venue: the article's town stands in, as before
    text2 = "Shelling hit Idlib and Saraqib. Students of the Grand Music Academy marched in protest."
    j = text2.index("Grand Music Academy")
    (m2,) = resolve_spans(make_document(Article(text=text2)), [Span(j, j + 19, text2[j : j + 19])], gaz)
    assert m2 is not None and m2.rule == "given:article_place" and m2.place.country_code == "SY"


def test_given_span_prefers_its_leading_part(gaz: Gazetteer) -> None:
    # "Kabul Idlib Road Office": both parts are places; the leading one names the whole
    text = "A blast hit the Kabul Idlib Road Office yesterday."
    i = text.index("Kabul Idlib Road Office")
    sp = Span(i, i + 23, text[i : i + 23])
    (m,) = resolve_spans(make_document(Article(text=text)), [sp], gaz)
    assert m is not None and m.place.name == "Kabul"


def test_neighbourhood_prefix_keeps_the_whole_name(gaz: Gazetteer) -> None:
    # "Colonia X" / "Barangay X" is one neighbourhood: never the town named by its second word
    ms = places_in("Gunmen shot a man in Colonia Kabul Norte on Friday.", gaz)
    (m,) = [m for m in ms if m.span.text.startswith("Colonia")]
    assert m.span.text == "Colonia Kabul Norte" and m.place is None and m.rule == "context:settlement"
    assert not any(m.place is not None and m.place.name == "Kabul" for m in ms)


def test_country_written_after_a_town_picks_the_namesake_there(gaz: Gazetteer) -> None:
    ms = by_text(places_in("Army units deployed in Tripoli, Lebanon, on Monday.", gaz))
    assert ms["Tripoli"].place.country_code == "LB"
    ms = by_text(places_in("Militias clashed in Tripoli, Libya, on Monday.", gaz))
    assert ms["Tripoli"].place.country_code == "LY"


# --- round 2: facility names, admin words after a town, variants beside an exact town ------------


def _pl(
    gid: int, name: str, lat: float, lon: float, cc: str, country: str, admin1: str, code: str, pop: int
) -> Place:
    return Place(
        geonameid=gid,
        name=name,
        lat=lat,
        lon=lon,
        country_code=cc,
        country=country,
        admin1=admin1,
        feature_class="A" if code in ("PCLI", "ADM1") else "P",
        feature_code=code,
        population=pop,
    )


@pytest.fixture(scope="module")
def gaz2() -> Gazetteer:
    places = [
        _pl(51537, "Somalia", 6.0, 48.0, "SO", "Somalia", "", "PCLI", 15_000_000),
        _pl(102358, "Saudi Arabia", 25.0, 45.0, "SA", "Saudi Arabia", "", "PCLI", 34_000_000),
        _pl(99237, "Iraq", 33.0, 44.0, "IQ", "Iraq", "", "PCLI", 38_000_000),
        _pl(2328926, "Nigeria", 10.0, 8.0, "NG", "Nigeria", "", "PCLI", 200_000_000),
        _pl(53654, "Mogadishu", 2.04, 45.34, "SO", "Somalia", "Banadir", "PPLC", 2_500_000),
        _pl(109223, "Madinah", 24.47, 39.61, "SA", "Saudi Arabia", "Medina", "PPL", 1_300_000),
        _pl(90001, "Daquq", 35.14, 44.45, "IQ", "Iraq", "Kirkuk", "PPL", 0),
        _pl(90002, "Dihok", 36.87, 42.99, "IQ", "Iraq", "Dahuk", "PPL", 340_000),
        _pl(90003, "Kirkuk", 35.47, 44.39, "IQ", "Iraq", "Kirkuk", "PPL", 1_000_000),
        _pl(2346795, "Konduga", 11.65, 13.42, "NG", "Nigeria", "Borno", "PPL", 13_400),
        _pl(2346794, "Borno", 11.5, 13.0, "NG", "Nigeria", "Borno", "ADM1", 4_000_000),
    ]
    # "Madina" is a by-name of Madinah; "Dakhuk" a spelling of Dihok that meets "Daquq" by key
    return gazetteer_from_places(places, {109223: ["Madina"], 90002: ["Dakhuk"]})


def test_facility_named_for_a_far_city_does_not_pull_the_story_abroad(gaz2: Gazetteer) -> None:
    text = "A doctor at Madina hospital in Mogadishu said the death toll from the bombing rose to 11."
    ms = by_text(places_in(text, gaz2))
    assert ms["Mogadishu"].place.country_code == "SO"
    madina = ms.get("Madina")
    assert madina is None or madina.place is None or madina.place.country_code != "SA"


def test_facility_rule_leaves_the_focus_country_alone(gaz2: Gazetteer) -> None:
    # the same words in a Saudi story name the Saudi city's hospital: nothing is doubtful
    text = "Pilgrims in Saudi Arabia were taken to Madina hospital after the crush."
    assert by_text(places_in(text, gaz2))["Madina"].place.country_code == "SA"


def test_admin_phrase_after_a_small_town_is_not_a_surname(gaz2: Gazetteer) -> None:
    text = "Gunmen stormed a farming settlement in Konduga Local Government Area of Borno State."
    ms = by_text(places_in(text, gaz2))
    assert ms["Konduga"].place.name == "Konduga" and ms["Konduga"].place.admin1 == "Borno"


def test_exact_town_beats_a_spelling_variant_in_the_same_country(gaz2: Gazetteer) -> None:
    text = "Four Iraqi soldiers were killed at a checkpoint in Daquq district on Sunday."
    assert by_text(places_in(text, gaz2))["Daquq"].place.name == "Daquq"


def test_institution_opened_by_a_country_stands_for_that_country(gaz2: Gazetteer) -> None:
    # a ministry sits in the capital; another body opened by the country stands for the country
    text = "The Iraqi Oil Ministry said exports rose. The Iraqi Central Bank agreed."
    doc = make_document(Article(text=text))
    spans = [
        Span(text.index(x), text.index(x) + len(x), x) for x in ("Iraqi Oil Ministry", "Iraqi Central Bank")
    ]
    ministry, bank = resolve_spans(doc, spans, gaz2)
    capital = gaz2.country("IQ").capital
    assert ministry is not None and capital is not None
    assert ministry.place.name == capital.name and ministry.geo_precision == 1
    assert bank is not None and bank.place.country_code == "IQ" and bank.geo_precision == 3


def test_given_span_on_a_hamlet_abroad_falls_back_to_the_article_country() -> None:
    # the gazetteer lacks the English county, only a small US namesake: in a British story the
    # span is placed at the story's town, not in the United States
    gaz = gazetteer_from_places(
        [
            _pl(2635167, "United Kingdom", 54.75, -2.7, "GB", "United Kingdom", "", "PCLI", 66_000_000),
            _pl(6252001, "United States", 39.76, -98.5, "US", "United States", "", "PCLI", 327_000_000),
            _pl(2643743, "London", 51.51, -0.13, "GB", "United Kingdom", "England", "PPLC", 8_900_000),
            _pl(2643123, "Manchester", 53.48, -2.24, "GB", "United Kingdom", "England", "PPL", 400_000),
            _pl(4794120, "Yorkshire", 38.79, -77.45, "US", "United States", "Virginia", "PPL", 7_500),
        ]
    )
    text = (
        "British forecasters in London and Manchester warned of floods. Rivers rose in Yorkshire on Monday."
    )
    doc = make_document(Article(text=text))
    at = text.index("Yorkshire")
    (m,) = resolve_spans(doc, [Span(at, at + len("Yorkshire"), "Yorkshire")], gaz)
    assert m is not None and m.place.country_code == "GB"
