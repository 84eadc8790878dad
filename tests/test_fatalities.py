"""code_fatalities: ACLED's fatality figure for one event (sentences written for these tests)."""

from marsad.coding.fatalities import code_fatalities, is_background_total
from marsad.mentions.numbers import find_casualties
from marsad.model import Article, CasualtyMention, Span
from marsad.text import make_document


def fat(text: str) -> tuple[int | None, str]:
    doc = make_document(Article(text=text))
    value, ev = code_fatalities(find_casualties(doc), doc)
    for s in ev.spans:
        assert text[s.start : s.end] == s.text
    return value, ev.rule


def test_subset_is_not_added():
    assert fat("More than 300 people, including at least 20 civilians, have died since Wednesday.")[0] == 300


def test_disjoint_groups_add_up():
    assert fat("Two soldiers and three civilians were killed in the ambush.") == (5, "sum")
    note = "2 policemen were killed in the attack on the post. Local officials said 3 militants were also killed."
    assert fat(note)[0] == 5


def test_repeated_figure_is_not_double_counted():
    text = (
        "A car bomb killed 12 people in the market. The 12 people killed were mostly shoppers, police said."
    )
    assert fat(text)[0] == 12


def test_lowest_figure_and_vague_conventions():
    assert fat("At least 20 rebels were killed.")[0] == 20
    assert fat("Between 10 and 15 fighters were killed.")[0] == 10
    assert fat("Airstrikes killed dozens of fighters.")[0] == 12
    assert fat("Some deaths were reported, including at least 2 from a landmine.")[0] == 2


def test_injuries_and_arrests_are_never_fatalities():
    assert fat("Police wounded 14 protesters and arrested 30.") == (0, "no_fatalities_mentioned")


def test_no_fatalities():
    assert fat("Protesters blocked the highway for an hour.") == (0, "no_fatalities_mentioned")
    assert fat("Shelling hit the village. No fatalities were reported.") == (0, "none_reported")


def test_coder_statements_take_precedence():
    assert fat("1 soldier was killed in the raid. Fatalities coded as 0 (a partisan outlet reported 1).") == (
        0,
        "coded",
    )
    value, rule = fat(
        "Clashes on three fronts killed more than 20 fighters. 20 fatalities split up between 3 events."
    )
    assert (value, rule) == (7, "coded_split:3")
    assert (
        fat(
            "Unknown number of fatalities coded as 10 and split between the two events with 5 coded to each."
        )[0]
        == 5
    )


def test_split_without_figure_divides_the_total():
    text = "Militants killed 48 fighters across the two attacks. Fatalities split between 2 events."
    assert fat(text)[0] == 24


def test_background_totals_are_dropped():
    text = (
        "An airstrike killed 7 people in the town on Sunday. "
        "The war has killed more than half a million people since 2011."
    )
    doc = make_document(Article(text=text))
    cas = find_casualties(doc)
    assert any(is_background_total(c, doc) for c in cas)
    assert code_fatalities(cas, doc)[0] == 7


def test_works_without_document_and_on_bad_input():
    m = CasualtyMention(Span(0, 1, "4"), 4, "killed", "explicit")
    inj = CasualtyMention(Span(10, 11, "9"), 9, "injured", "explicit")
    assert code_fatalities([m, inj])[0] == 4
    assert code_fatalities([])[0] == 0
    assert code_fatalities(None)[0] == 0  # type: ignore[arg-type]


def test_prior_deaths_are_not_the_events_fatalities():
    assert fat("Students marched through the capital to protest against the murder of a journalist.")[0] == 0


def test_stated_total_replaces_its_parts():
    text = "Rioters killed a guard. 11 inmates were also killed (a total of 12 fatalities)."
    assert fat(text)[0] == 12


def test_split_share_rounds_half_down():
    assert (
        fat("Clashes in two districts killed 57 fighters. Fatalities spread across two locations.")[0] == 28
    )


def test_vague_share_of_a_count_is_not_added():
    assert fat("The raid killed at least 70 people, many of them children.")[0] == 70


def test_retaliation_for_a_killing_codes_zero():
    assert fat("Militants fired rockets at the base in retaliation for the killing of a commander.")[0] == 0
