"""find_dates: explicit, relative, approximate and background dates (sentences written for these tests)."""

from datetime import date

import pytest

from marsad.mentions.dates import find_dates
from marsad.model import Article
from marsad.text import make_document

SAT = date(2024, 11, 30)  # a Saturday


def dates(text: str, published: date | None = SAT):
    return find_dates(make_document(Article(text=text)), published)


def first(text: str, published: date | None = SAT):
    found = dates(text, published)
    assert found, f"no date in {text!r}"
    return found[0]


@pytest.mark.parametrize(
    "text,expected",
    [
        ("On 9 May 2020, farmers marched to the governor's office.", date(2020, 5, 9)),
        ("The raid on May 9, 2020 left the market in ruins.", date(2020, 5, 9)),
        ("Officials confirmed on 1st May 2020 that the curfew stood.", date(2020, 5, 1)),
        ("Records dated 2020-05-09 were seized.", date(2020, 5, 9)),
        ("The ruling of 25/5/2020 was appealed.", date(2020, 5, 25)),
    ],
)
def test_explicit_dates_are_exact(text, expected):
    m = first(text)
    assert m.value == expected
    assert m.precision == 1
    assert text[m.span.start : m.span.end] == m.span.text


def test_day_month_without_year_takes_the_published_year_or_the_one_before():
    assert first("Gunmen stormed the village on the 9th of May.").value == date(2024, 5, 9)
    # a December date in a January report belongs to the previous year
    assert first("Troops withdrew on 28 December.", date(2025, 1, 3)).value == date(2024, 12, 28)
    # without a published date the year comes from another date in the text
    found = dates("Fighting began on 3 May. By 12 May 2020 it had spread.", None)
    assert [d.value for d in found] == [date(2020, 5, 3), date(2020, 5, 12)]


def test_yearless_date_without_any_year_is_not_guessed():
    assert dates("Fighting began on 3 May.", None) == []


def test_ambiguous_numeric_date_is_skipped():
    assert dates("The statement of 9/5/2020 was read aloud.") == []


def test_weekday_is_the_latest_such_day_on_or_before_published():
    found = dates("Rebels attacked on Saturday. Late on Tuesday, jets struck the depot.")
    assert [d.value for d in found] == [date(2024, 11, 30), date(2024, 11, 26)]
    assert all(d.precision == 1 for d in found)
    assert first("Shelling resumed Saturday night.").value == SAT


def test_future_weekday_references_are_skipped():
    assert dates("Talks will resume next Tuesday.") == []
    assert dates("The envoy will travel to the capital on Monday.") == []


def test_relative_days():
    got = {
        d.span.text.lower(): d.value
        for d in dates("Yesterday a mortar hit the school; last night and this morning, sirens.")
    }
    assert got["yesterday"] == date(2024, 11, 29)
    assert got["last night"] == date(2024, 11, 29)
    assert got["this morning"] == SAT


def test_weeks_and_months_are_approximate():
    week = first("Clashes earlier this week displaced hundreds.")
    assert week.precision == 2 and week.value == date(2024, 11, 25)
    month = first("Clashes earlier this month displaced hundreds.")
    assert month.precision == 3 and month.value == date(2024, 11, 1)
    last_month = first("Clashes last month displaced hundreds.")
    assert last_month.precision == 3 and last_month.value == date(2024, 10, 1)
    in_may = first("The offensive started in May.")
    assert in_may.precision == 3 and in_may.value == date(2024, 5, 1)


def test_since_weekday_is_a_start_date():
    m = first("Since Wednesday, more than 300 people have died.")
    assert m.value == date(2024, 11, 27)
    assert m.precision == 2
    assert m.end_value == SAT


@pytest.mark.parametrize(
    "text,start,end",
    [
        ("Curfews were imposed between 3 and 5 May 2020.", date(2020, 5, 3), date(2020, 5, 5)),
        ("Curfews were imposed 3-5 May 2020.", date(2020, 5, 3), date(2020, 5, 5)),
        ("Gunfire was heard on the night of 4-5 May 2020.", date(2020, 5, 4), date(2020, 5, 5)),
        ("Strikes hit the port from 28 April to 2 May 2020.", date(2020, 4, 28), date(2020, 5, 2)),
    ],
)
def test_ranges_take_the_first_day(text, start, end):
    m = first(text)
    assert (m.value, m.end_value, m.precision) == (start, end, 2)


@pytest.mark.parametrize(
    "text",
    [
        "Around 9 May 2020 (as reported), a trader was robbed.",
        "As reported on 9 May 2020, police raided a depot.",
        "Reported on 9 May 2020, drones hit a convoy.",
        "On or around 9 May 2020, the bridge was blown up.",
    ],
)
def test_approximate_qualifiers_give_precision_2(text):
    m = first(text)
    assert m.value == date(2020, 5, 9)
    assert m.precision == 2


def test_background_years():
    found = dates("The movement was founded in 2016 and has fought since 2011.")
    assert [(d.value.year, d.precision, d.rule) for d in found] == [
        (2016, 3, "background_year"),
        (2011, 3, "background_year"),
    ]


def test_numbers_that_are_not_dates():
    text = (
        "The town lies 55km (34 miles) from the border; a 50-year-old man may 9 times have called at 17:00."
    )
    assert dates(text) == []


def test_never_after_published():
    assert dates("Elections are set for 5 December 2024.") == []
    assert dates("Talks are expected on December 12.") == []  # yearless future reference


def test_bad_input_does_not_crash():
    assert find_dates(make_document(Article(text="")), SAT) == []
    # an impossible day falls back to the month it names
    bad_day = find_dates(make_document(Article(text="On 31 February 2020 nothing happened.")), SAT)
    assert [(d.value, d.precision) for d in bad_day] == [(date(2020, 2, 1), 3)]
    assert find_dates(None, SAT) == []  # type: ignore[arg-type]


def test_weekday_with_date_is_one_mention():
    found = dates("On Friday 29 November, the army said the town had fallen.")
    assert [(d.span.text, d.value) for d in found] == [("Friday 29 November", date(2024, 11, 29))]


def test_year_of_a_yearless_date_follows_a_full_date_in_an_older_story():
    found = dates("On 3 May 2019 the siege began; by 5 May the town had fallen.", date(2024, 11, 30))
    assert [d.value for d in found] == [date(2019, 5, 3), date(2019, 5, 5)]


# --- news prose: spans, statements, datelines, named days (issue 4) -------------------------------


def test_since_an_event_began_on_a_weekday_is_the_start_of_a_span() -> None:
    m = first("Monitors said 300 people have died since the offensive began on Wednesday.")
    assert (m.value, m.end_value, m.precision) == (date(2024, 11, 27), SAT, 2)
    assert m.rule.startswith("since_start")


def test_plain_weekday_is_not_a_span() -> None:
    m = first("Rebels shelled the town on Wednesday.")
    assert (m.value, m.precision, m.end_value) == (date(2024, 11, 27), 1, None)


def test_weekday_range_is_the_first_day_with_precision_2() -> None:
    m = first("Fighting raged between Monday and Wednesday around the airport.")
    assert (m.value, m.end_value, m.precision) == (date(2024, 11, 25), date(2024, 11, 27), 2)
    m = first("Clashes went on from Friday to Monday.", date(2024, 11, 26))
    assert (m.value, m.end_value) == (date(2024, 11, 22), date(2024, 11, 25))


def test_same_weekday_as_publication_is_that_day_unless_last() -> None:
    assert first("Troops fired on Saturday.").value == SAT
    assert first("Troops fired last Saturday.").value == date(2024, 11, 23)


def test_date_of_a_statement_is_marked() -> None:
    found = dates("Officials said on Friday that militants shelled the base on Thursday.")
    assert [(d.value, d.rule.startswith("statement")) for d in found] == [
        (date(2024, 11, 29), True),
        (date(2024, 11, 28), False),
    ]
    (toll,) = dates("The death toll rose to 40 on Friday.")
    assert toll.rule.startswith("statement")


def test_named_day_resolves_against_publication() -> None:
    m = first("Gunmen raided two villages on Christmas Eve.", date(2023, 12, 27))
    assert (m.value, m.precision) == (date(2023, 12, 24), 1)
    # a named day still to come this year is last year's
    assert first("Gunmen raided the town on Christmas Day.", date(2024, 3, 2)).value == date(2023, 12, 25)


def test_history_and_trends_are_not_event_dates() -> None:
    found = dates(
        "The war, which began in 2011, has killed thousands in recent years and over the past year."
    )
    assert all(d.rule == "background_year" for d in found)


def test_dateline_gives_the_publication_date() -> None:
    from marsad.mentions.dates import dateline_date

    doc = make_document(Article(text="KABUL, March 3, 2024 (Reuters) - A bomb exploded on Tuesday."))
    assert dateline_date(doc) == date(2024, 3, 3)
    # a yearless dateline cannot be placed without a publication date: never guessed
    assert dateline_date(make_document(Article(text="KABUL, March 3 (Reuters) - A bomb exploded."))) is None
    assert dateline_date(make_document(Article(text="On March 3, 2024 a bomb exploded."))) is None
