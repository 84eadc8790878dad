"""The composed pipeline through its Python API: ``marsad.extract`` and ``marsad.pipeline``.

Every article here was written for this test file (fictional incidents in real places).
"""

from __future__ import annotations

from datetime import date

import pytest

import marsad
from conftest import assert_evidence_points_at_text, assert_taxonomy_consistent
from marsad import pipeline
from marsad.model import Article, Event
from marsad.pipeline import extract_article, parse_published, process
from marsad.sources import InputProblem

pytestmark = pytest.mark.usefixtures("warm_pipeline")

CLASH = (
    "MAIDUGURI, Nigeria (Sahel Test Wire) - Nigerian soldiers clashed with Boko Haram fighters near the "
    "town of Bama in Borno state on Tuesday, killing at least 12 people, including 3 children, military "
    "officials said.\n\nThe fighting lasted several hours before the insurgents withdrew, a resident said."
)
PROTEST = (
    "Thousands of teachers marched through the streets of Nairobi, Kenya, on Monday to demand higher pay. "
    "The protest was peaceful and ended in the afternoon, police said."
)
AIR_STRIKE = (
    "Israeli warplanes carried out an air strike on a house in Khan Younis in the southern Gaza Strip on "
    "Wednesday, killing five people, medics said."
)
DIPLOMACY = (
    "The foreign ministers of France and Germany met in Berlin on Thursday to discuss trade and climate "
    "policy. Both sides praised the talks as constructive."
)
# The primary event (a deadly bombing) is reported second: salience, not position, decides the order.
TWO_EVENTS = (
    "Hundreds of students protested peacefully in Mogadishu on Saturday against rising fuel prices, "
    "witnesses said.\n\nOn Sunday, a suicide bomber blew himself up at a crowded market in Baidoa, Somalia, "
    "killing at least 20 people and wounding 40 others, police said."
)

# Fields that must carry evidence whenever they are filled (the README's promise for every field).
SOURCED_FIELDS = (
    "sub_event_type",
    "event_date",
    "actor1",
    "inter1",
    "actor2",
    "inter2",
    "country",
    "admin1",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
    "iso",
    "fatalities",
    "source",
)


def _only(events: list[Event]) -> Event:
    assert events, "expected at least one event"
    return events[0]


def _check_common(ev: Event, text: str) -> None:
    assert_taxonomy_consistent(ev)
    assert_evidence_points_at_text(ev, text)
    for f in SOURCED_FIELDS:
        value = getattr(ev, f)
        if value not in (None, ""):
            assert f in ev.evidence, f"{f}={value!r} has no evidence"
    assert ev.latitude is not None and -90 <= ev.latitude <= 90
    assert ev.longitude is not None and -180 <= ev.longitude <= 180
    assert ev.geo_precision in (1, 2, 3)


# --- marsad.extract on news paragraphs --------------------------------------------


def test_clash_with_toll() -> None:
    ev = _only(marsad.extract(CLASH, published="2024-03-14", source="Sahel Test Wire"))
    _check_common(ev, CLASH)
    assert (ev.sub_event_type, ev.event_type, ev.disorder_type) == (
        "Armed clash",
        "Battles",
        "Political violence",
    )
    # "on Tuesday" in a report published Thursday 14 March 2024
    assert ev.event_date == "2024-03-12" and ev.time_precision == 1
    assert ev.evidence["event_date"].spans[0].text == "on Tuesday"
    assert (ev.country, ev.location, ev.admin1) == ("Nigeria", "Bama", "Borno")
    assert ev.iso == 566
    assert abs(ev.latitude - 11.52) < 0.2 and abs(ev.longitude - 13.69) < 0.2
    # ACLED: "at least 12 ... including 3 children" is 12, not 15
    assert ev.fatalities == 12
    assert "12" in ev.evidence["fatalities"].spans[0].text
    assert ev.actor1.startswith("Military Forces of Nigeria") and ev.inter1 == 1
    assert ev.actor2.startswith("Boko Haram") and ev.inter2 == 2
    assert ev.interaction == 12
    assert ev.source == "Sahel Test Wire"


def test_peaceful_protest() -> None:
    ev = _only(marsad.extract(PROTEST, published="2024-05-08"))
    _check_common(ev, PROTEST)
    assert (ev.event_type, ev.sub_event_type, ev.disorder_type) == (
        "Protests",
        "Peaceful protest",
        "Demonstrations",
    )
    assert ev.event_date == "2024-05-06"  # Monday before Wednesday 8 May
    assert (ev.country, ev.location) == ("Kenya", "Nairobi")
    assert ev.actor1 == "Protesters (Kenya)" and ev.inter1 == 6
    assert ev.fatalities == 0  # none reported -> 0, with the rule that says so
    assert ev.evidence["fatalities"].rule
    assert ev.source == ""  # no source given: nothing invented


def test_air_strike() -> None:
    ev = _only(marsad.extract(AIR_STRIKE, published=date(2024, 1, 19), source="Levant Test Daily"))
    _check_common(ev, AIR_STRIKE)
    assert (ev.event_type, ev.sub_event_type) == ("Explosions/Remote violence", "Air/drone strike")
    assert ev.event_date == "2024-01-17"
    assert ev.country == "Palestine"
    assert ev.evidence["location"].spans[0].text == "Khan Younis"
    assert ev.fatalities == 5
    assert ev.actor1.startswith("Military Forces of Israel")
    assert ev.actor2 == "Civilians (Palestine)" and ev.inter2 == 7
    assert ev.civilian_targeting == "Civilian targeting"


@pytest.mark.parametrize(
    "text",
    [
        DIPLOMACY,
        "The government plans to hold elections next year, the minister said, adding that no violence was reported.",
        "",
        "   \n\n  ",
    ],
    ids=["diplomacy", "no-violence", "empty", "whitespace"],
)
def test_non_events_yield_nothing(text: str) -> None:
    assert marsad.extract(text, published="2024-02-02") == []


def test_primary_event_first_and_ids() -> None:
    events = marsad.extract(TWO_EVENTS, published="2024-06-10")
    assert [e.sub_event_type for e in events] == ["Suicide bomb", "Peaceful protest"]
    bomb, protest = events
    assert (bomb.location, bomb.event_date, bomb.fatalities) == ("Baidoa", "2024-06-09", 20)
    assert (protest.location, protest.event_date, protest.fatalities) == ("Mogadishu", "2024-06-08", 0)
    for e in events:
        _check_common(e, TWO_EVENTS)
    ids = [e.event_id for e in events]
    assert len(set(ids)) == len(ids)
    assert all(i.startswith(events[0].article_id + ":") for i in ids)


def test_deterministic_across_runs() -> None:
    first = [e.to_dict() for e in marsad.extract(TWO_EVENTS, published="2024-06-10", source="W")]
    second = [e.to_dict() for e in marsad.extract(TWO_EVENTS, published="2024-06-10", source="W")]
    assert first == second
    # The id is a content hash: independent of the caller's metadata.
    other = marsad.extract(TWO_EVENTS, published="2024-06-10", source="Another Wire")
    assert [e.event_id for e in other] == [d["event_id"] for d in first]


def test_vague_count_follows_acled_convention() -> None:
    ev = _only(
        marsad.extract(
            "Gunmen killed dozens of villagers in an attack on Kidal, Mali, on Friday.", "2024-06-10"
        )
    )
    assert ev.sub_event_type == "Attack" and ev.country == "Mali"
    assert ev.fatalities == 12  # ACLED codes "dozens" as 12


def test_attribution_article_is_not_a_victim() -> None:
    text = (
        "Rebels attacked a village near Beni in North Kivu on Sunday, killing four civilians, "
        "a local official said."
    )
    assert _only(marsad.extract(text, published="2024-06-10")).fatalities == 4


def test_without_published_date_no_date_is_invented() -> None:
    ev = _only(marsad.extract(PROTEST))
    # A weekday cannot be resolved without a publication date: leave it empty rather than guess.
    assert ev.event_date == "" and ev.time_precision is None
    assert "event_date" not in ev.evidence


def test_bad_published_value_is_ignored_not_fatal() -> None:
    assert parse_published("not a date") is None
    ev = _only(marsad.extract(PROTEST, published="not a date"))
    assert ev.sub_event_type == "Peaceful protest"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, None),
        ("", None),
        ("2024-03-14", date(2024, 3, 14)),
        ("2024-03-14T23:30:00Z", date(2024, 3, 14)),
        ("2024-03-14T08:00:00+03:00", date(2024, 3, 14)),
        (date(2024, 3, 14), date(2024, 3, 14)),
        ("14/03/2024", None),
    ],
)
def test_parse_published(value, expected) -> None:
    assert parse_published(value) == expected


def test_every_filled_field_has_evidence() -> None:
    ev = _only(marsad.extract(CLASH, published="2024-03-14", source="Sahel Test Wire"))
    bookkeeping = {"article_id", "event_id", "confidence", "evidence", "geonameid", "claims"}
    d = ev.to_dict()
    missing = [
        k for k, v in d.items() if k not in bookkeeping and v not in (None, "") and k not in ev.evidence
    ]
    assert missing == []


# --- process(): batches, problems, workers -------------------------------------------


def _batch() -> list[Article | InputProblem]:
    return [
        Article(text=CLASH, published=date(2024, 3, 14), origin="clash.txt"),
        InputProblem("broken.txt", "empty file"),
        Article(text=DIPLOMACY, published=date(2024, 2, 2), origin="talks.txt"),
        Article(text=AIR_STRIKE, published=date(2024, 1, 19), origin="strike.txt"),
    ]


def _summary(results) -> list[tuple[str, ...]]:
    out = []
    for r in results:
        if isinstance(r, InputProblem):
            out.append(("problem", r.origin, r.reason))
        else:
            art, events = r
            out.append(("article", art.origin, *(e.event_id + "|" + e.sub_event_type for e in events)))
    return out


def test_process_single_worker_keeps_order_and_problems() -> None:
    got = _summary(process(_batch(), workers=1))
    assert [g[:2] for g in got] == [
        ("article", "clash.txt"),
        ("problem", "broken.txt"),
        ("article", "talks.txt"),
        ("article", "strike.txt"),
    ]
    assert got[2] == ("article", "talks.txt")  # no events, but the article is not dropped
    assert got[0][2].endswith("|Armed clash")


def test_process_two_workers_same_results() -> None:
    one = _summary(process(_batch(), workers=1))
    two = _summary(process(_batch(), workers=2))
    assert sorted(a for a in two if a[0] == "article") == sorted(a for a in one if a[0] == "article")
    assert [p for p in two if p[0] == "problem"] == [("problem", "broken.txt", "empty file")]


def test_extraction_failure_becomes_a_problem(monkeypatch: pytest.MonkeyPatch) -> None:
    real = pipeline.extract_article

    def flaky(article: Article, gazetteer=None):
        if "Berlin" in article.text:
            raise RuntimeError("boom")
        return real(article, gazetteer)

    monkeypatch.setattr(pipeline, "extract_article", flaky)
    got = list(process(_batch(), workers=1))
    problems = [g for g in got if isinstance(g, InputProblem)]
    assert [(p.origin, p.reason) for p in problems] == [
        ("broken.txt", "empty file"),
        ("talks.txt", "extraction failed: RuntimeError: boom"),
    ]
    assert sum(1 for g in got if not isinstance(g, InputProblem)) == 2  # the batch went on


def test_extract_article_uses_article_metadata() -> None:
    art = Article(text=AIR_STRIKE, published=date(2024, 1, 19), source="Levant Test Daily")
    [ev] = extract_article(art)
    assert ev.article_id == art.id
    assert ev.event_id == f"{art.id}:0"
    assert ev.event_date == "2024-01-17"


def test_dateline_dates_an_article_without_publication_metadata() -> None:
    text = (
        "MOGADISHU, June 12, 2024 (Test Wire) - Al Shabaab fighters attacked an army base near Afgooye "
        "on Tuesday, killing four soldiers, officials said."
    )
    (ev,) = extract_article(Article(text=text))
    assert ev.event_date == "2024-06-11"  # the Tuesday before the dateline's Wednesday
    assert ev.evidence["event_date"].spans[0].text == "on Tuesday"
    # metadata wins over the dateline
    (ev2,) = extract_article(Article(text=text, published=date(2024, 6, 20)))
    assert ev2.event_date == "2024-06-18"
