"""parse_number and find_casualties on sentences written for these tests (news-style and note-style)."""

import pytest

from marsad.mentions.numbers import find_casualties, parse_number
from marsad.model import Article
from marsad.text import make_document


@pytest.mark.parametrize(
    "text,value",
    [
        ("1,200", 1200),
        ("1.200", 1200),
        ("1.5 million", 1_500_000),
        ("three hundred", 300),
        ("three hundred and fifty", 350),
        ("twenty-one", 21),
        ("twenty one", 21),
        ("a dozen", 12),
        ("two dozen", 24),
        ("dozens", 12),
        ("hundreds", 100),
        ("several", 10),
        ("a couple of", 2),
        ("at least 20", 20),
        ("more than 300", 300),
        ("between 10 and 15", 10),
        ("10-15", 10),
        ("up to 15", 15),
        ("seven", 7),
    ],
)
def test_parse_number(text, value):
    assert parse_number(text) == value


@pytest.mark.parametrize("text", ["", "soldiers", "the", "km", None])
def test_parse_number_rejects_non_counts(text):
    assert parse_number(text) is None


def cas(text: str):
    return [
        (c.span.text, c.value, c.kind, c.rule) for c in find_casualties(make_document(Article(text=text)))
    ]


def kinds(text: str, kind: str = "killed"):
    return [(c.value, c.rule) for c in find_casualties(make_document(Article(text=text))) if c.kind == kind]


def test_left_verb_and_passive_counts():
    assert kinds("The blast tore through the bus station, killing 8 people.") == [(8, "explicit")]
    assert kinds("8 people were killed when the bridge collapsed under shelling.") == [(8, "explicit")]
    assert kinds("Nine villagers died of their wounds in hospital.") == [(9, "explicit")]


def test_subset_is_marked():
    found = find_casualties(
        make_document(
            Article(text="Monitors said more than 300 people, including at least 20 civilians, have died.")
        )
    )
    assert [(c.value, c.kind, c.rule) for c in found] == [
        (300, "killed", "explicit:more_than"),
        (20, "killed", "subset"),
    ]
    assert found[1].who == "civilians"
    sub = kinds("The strike killed 11 people, including 4 children, and wounded 9 others.")
    assert sub == [(11, "explicit"), (4, "subset")]


def test_disjoint_groups_and_singulars():
    assert kinds("Two soldiers and three civilians were killed in the ambush.") == [
        (2, "explicit"),
        (3, "explicit"),
    ]
    assert kinds("A soldier was killed at the checkpoint.") == [(1, "explicit")]
    assert kinds("Gunmen on motorbikes killed a civilian near the market.") == [(1, "explicit")]
    assert kinds("A retired teacher was shot dead outside his home.") == [(1, "explicit")]


def test_attackers_are_not_victims():
    # active voice: the number counts the gunmen, the victim is "a shopkeeper"
    assert kinds("Three gunmen killed a shopkeeper in the old town.") == [(1, "explicit")]


def test_bodies_tolls_and_ranges():
    assert kinds("Rescuers recovered the bodies of four men from the river.") == [(4, "explicit")]
    assert kinds("The death toll rose to 45 on Sunday.") == [(45, "explicit")]
    assert kinds("Between 10 and 15 fighters were killed.") == [(10, "range_low")]
    assert kinds("Up to 15 militiamen were killed in the raid.") == [(15, "explicit:up_to")]


def test_note_style_fatalities():
    assert kinds("Police dispersed the crowd. 1 fatality.") == [(1, "explicit")]
    assert kinds("Heavy shelling hit the town. 6 fatalities.") == [(6, "explicit")]


def test_none_reported():
    assert ("killed", 0) in [(k, v) for _, v, k, _ in cas("Neither injuries nor fatalities were reported.")]
    assert ("injured", 0) in [(k, v) for _, v, k, _ in cas("Neither injuries nor fatalities were reported.")]
    assert kinds("No casualties were reported.") == [(0, "none_reported")]
    assert kinds("No losses reported.") == [(0, "none_reported")]
    assert kinds("Nobody was killed in the fire.") == [(0, "none_reported")]


def test_vague_counts_use_acled_conventions():
    assert kinds("Airstrikes killed dozens of fighters.") == [(12, "vague:dozens of=12")]
    assert kinds("Several soldiers were killed in the attack.") == [(10, "vague:several=10")]
    # one figure for killed and wounded together: half, rounded down
    assert kinds("Militants killed and wounded 7 policemen.") == [(3, "killed_or_injured:explicit")]


def test_injured_arrested_abducted_participants():
    text = "Police arrested 15 protesters while 2 journalists were abducted and 4 people were wounded."
    got = {(k, v) for _, v, k, _ in cas(text)}
    assert {("arrested", 15), ("abducted", 2), ("injured", 4)} <= got
    assert not any(k == "killed" for _, _, k, _ in cas(text))
    assert ("participants", 2500) in {
        (k, v) for _, v, k, _ in cas("About 2500 people protested outside parliament.")
    }
    assert ("participants", 100) in {
        (k, v) for _, v, k, _ in cas("Hundreds of demonstrators marched to the palace.")
    }


def test_acled_coder_statements():
    assert kinds("Clashes hit three fronts. 20 fatalities split up between 3 events.") == [
        (7, "coded_split:3")
    ]
    assert kinds("Unknown reported fatalities coded as 10 and spread across two locations.") == [
        (5, "coded_split:2")
    ]
    assert (0, "coded") in kinds(
        "1 soldier was killed. Fatalities coded as 0 (a partisan outlet reported 1)."
    )
    assert kinds("Distributed 27 fatalities over the activities in Aleppo and Idlib.") == [
        (13, "coded_split:2")
    ]


@pytest.mark.parametrize(
    "text",
    [
        "The convoy stopped 55km (34 miles) north of the city.",
        "A 50-year-old trader was questioned at 17:00 on Tuesday.",
        "Donors pledged $2 million, about 40% of the 2016 budget.",
        "In 2016 the council met 3 times.",
        "The 5th Brigade moved to Route 7.",
    ],
)
def test_numbers_that_are_not_casualties(text):
    assert cas(text) == []


def test_spans_point_into_the_text():
    text = (
        "Headline\n\nOn Friday, shelling killed 6 civilians in the north. Medics treated 14 wounded people."
    )
    for c in find_casualties(make_document(Article(text=text))):
        assert text[c.span.start : c.span.end] == c.span.text


def test_bad_input_does_not_crash():
    assert find_casualties(make_document(Article(text=""))) == []
    assert find_casualties(None) == []  # type: ignore[arg-type]
    find_casualties(make_document(Article(text="killed killed 0 0 , , ( ) including including (((")))


def test_perpetrators_and_attempts_are_not_victims():
    assert kinds("A trader was abducted by four men and stabbed to death.") == []
    assert kinds("Gunmen attempted to kill a local commander outside the mosque.") == []


def test_deaths_that_caused_a_protest_are_marked():
    found = kinds("Residents demonstrated over the killing of a taxi driver by a soldier.")
    assert found == [(1, "prior_event")]


def test_kin_and_appositives_join_the_count():
    assert kinds("Unidentified gunmen shot and killed a council member and his brother.") == [
        (1, "explicit"),
        (1, "kin"),
    ]
    assert kinds("1 child, a young shepherd, was killed by a landmine.") == [(1, "explicit")]


def test_singular_victim_without_a_number():
    assert kinds("The head of the local council was shot dead by unidentified assailants.") == [
        (1, "singular_passive")
    ]
    assert kinds("Police said the gunman blew himself up at the gate.") == [(1, "pronoun")]


# --- news prose (issue 4) -----------------------------------------------------------------------


def killed(text: str) -> list[tuple[int, str]]:
    return [
        (c.value, c.rule) for c in find_casualties(make_document(Article(text=text))) if c.kind == "killed"
    ]


def test_toll_with_a_long_subject_is_a_count() -> None:
    got = killed(
        "The death toll from Monday's bombing at a crowded market in the old city rose to 41, police said."
    )
    assert got == [(41, "explicit")]


def test_vague_share_of_a_count_is_a_subset() -> None:
    got = killed("The raid killed at least 70 people, many of them children, the monitor said.")
    assert got[0] == (70, "explicit:at_least")
    assert got[1][1] == "subset"


def test_verb_before_its_object_counts_the_object() -> None:
    assert killed("Villagers beat to death two men accused of theft.") == [(2, "explicit")]
    assert killed("Vigilantes burned alive three suspected robbers.") == [(3, "explicit")]
    assert [v for v, _ in killed("Three soldiers embraced martyrdom in the exchange of fire.")] == [3]


def test_a_death_that_provoked_the_attack_is_not_its_toll() -> None:
    got = killed("The group fired rockets at the base in response to the killing of a senior commander.")
    assert got == [(1, "prior_event")]


def test_found_alive_is_no_death() -> None:
    assert killed("The missing hiker was found alive near the village.") == []
