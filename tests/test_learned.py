"""The learned sub-event classifier: features, training, weights on disk, refinement policy, CLI."""

from __future__ import annotations

import json

import numpy as np
import pytest
from click.testing import CliRunner

from marsad.cli import main
from marsad.coding import learned
from marsad.coding.learned import LinearModel, ModelError, RefinePolicy, features, refine
from marsad.model import Article, Event, Evidence, Span
from marsad.text import make_document
from marsad.train import GoldError, fit, read_gold

# Tiny synthetic training set, written for these tests: three sub-types and "none".
TINY = {
    "Air/drone strike": [
        "Warplanes bombed the village at dawn.",
        "A drone strike hit a car on the highway.",
        "Jets carried out air strikes on the town.",
        "An air raid destroyed the market.",
        "Fighter jets bombed rebel positions overnight.",
        "A drone struck a house near the border.",
    ],
    "Peaceful protest": [
        "Hundreds of teachers marched to demand higher pay.",
        "Students staged a peaceful sit-in outside the ministry.",
        "Traders protested against new taxes in the square.",
        "Nurses rallied outside parliament over unpaid wages.",
        "Farmers demonstrated peacefully against land seizures.",
        "Workers held a march against job cuts.",
    ],
    "Arrests": [
        "Police arrested five suspects in a night raid.",
        "An opposition leader was detained at his home.",
        "Authorities arrested a journalist on charges of incitement.",
        "Officers detained three men accused of smuggling weapons.",
        "Security services arrested the union chief.",
        "Police took two activists into custody.",
    ],
    "none": [
        "The football team won the cup final on Sunday.",
        "Inflation rose sharply last month.",
        "The minister opened a new hospital.",
        "Heavy rain is expected later this week.",
        "The company reported record profits.",
        "The festival attracted thousands of tourists.",
    ],
}


@pytest.fixture(scope="module")
def tiny_model() -> LinearModel:
    texts = [t for ts in TINY.values() for t in ts]
    labels = [k for k, ts in TINY.items() for _ in ts]
    return fit(texts, labels, c=20.0)


# --- features and model ------------------------------------------------------------


def test_features_fold_digits_and_include_char_ngrams():
    f = features("Gunmen killed 12 people")
    assert "w:killed" in f and "b:gunmen_killed" in f and "b:<s>_gunmen" in f
    assert "w:00" in f and "w:12" not in f  # digits folded: any toll looks alike
    assert " ki" in {x[2:] for x in f if x.startswith("c:")}
    assert features("Gunmen killed 40 people") == f


def test_vector_matches_training_features(tiny_model):
    text = "Warplanes bombed the market while teachers marched; police arrested 4 men."
    idx, vals = tiny_model.vector(text)
    expected = sorted(tiny_model.vocab[f] for f in features(text) if f in tiny_model.vocab)
    assert sorted(idx.tolist()) == expected
    assert abs(float(vals @ vals) - 1.0) < 1e-5  # l2-normalised


def test_tiny_training_set_is_learned(tiny_model):
    # unseen sentences, same vocabulary family
    assert tiny_model.predict("Jets bombed a village near the river.")[0] == "Air/drone strike"
    assert tiny_model.predict("Teachers marched peacefully to the ministry.")[0] == "Peaceful protest"
    assert tiny_model.predict("Police arrested two suspects overnight.")[0] == "Arrests"
    assert tiny_model.predict("The team won the final.")[0] == "none"
    proba = tiny_model.predict_proba("A drone strike hit the town.")
    assert set(proba) == set(TINY) and abs(sum(proba.values()) - 1.0) < 1e-5


def test_unknown_text_gives_prior_not_error(tiny_model):
    proba = tiny_model.predict_proba("")
    assert abs(sum(proba.values()) - 1.0) < 1e-5


def test_weights_round_trip_without_pickle(tiny_model, tmp_path):
    path = tiny_model.save(tmp_path / "m.npz")
    with np.load(path, allow_pickle=False) as z:  # plain arrays only
        assert {"classes", "features", "idf", "coef", "intercept", "meta"} <= set(z.files)
    again = LinearModel.load(path)
    text = "Police detained protesters after a drone strike."
    a, b = tiny_model.predict_proba(text), again.predict_proba(text)
    assert a.keys() == b.keys() and all(abs(a[k] - b[k]) < 1e-6 for k in a)


def test_save_to_directory_path(tiny_model, tmp_path):
    path = tiny_model.save(tmp_path / "models")
    assert path.name == "model.npz" and path.is_file()
    assert LinearModel.load(tmp_path / "models").classes == tiny_model.classes  # a directory: its model.npz


def test_bad_model_files_raise_model_error(tmp_path, tiny_model):
    with pytest.raises(ModelError, match="no such model"):
        LinearModel.load(tmp_path / "missing.npz")
    junk = tmp_path / "junk.npz"
    junk.write_bytes(b"not a zip file")
    with pytest.raises(ModelError, match="not a marsad model"):
        LinearModel.load(junk)
    # a future format version is refused rather than misread
    path = tiny_model.save(tmp_path / "v.npz")
    with np.load(path, allow_pickle=False) as z:
        arrays = {k: z[k] for k in z.files}
    meta = json.loads(str(arrays["meta"]))
    meta["format_version"] = 99
    arrays["meta"] = np.array(json.dumps(meta))
    np.savez(tmp_path / "v99.npz", **arrays)
    with pytest.raises(ModelError, match="format"):
        LinearModel.load(tmp_path / "v99.npz")


def test_shipped_model_loads_and_covers_taxonomy():
    from marsad.knowledge import taxonomy

    path = learned.data_path(learned.SHIPPED)
    model = LinearModel.load(str(path))
    assert set(taxonomy().sub_event_types) | {"none"} == set(model.classes)
    assert model.meta.get("policy") == "shipped"
    assert model.predict("An air strike destroyed a school and killed six children.")[0] == "Air/drone strike"


# --- refinement policy -----------------------------------------------------------------

TEXT = "Jets bombed the town of Kafr Nabl on Monday. Six people died."


def _event(sub: str, rule: str) -> tuple[Event, object]:
    doc = make_document(Article(text=TEXT))
    from marsad.knowledge import taxonomy

    span = Span(5, 11, TEXT[5:11])
    ev = Event(article_id=doc.article.id, sub_event_type=sub, event_type=taxonomy().event_type_of[sub])
    ev.evidence["sub_event_type"] = Evidence([span], rule)
    return ev, doc


def _policy(**kw) -> RefinePolicy:
    base = dict(
        threshold=0.3,
        margin=0.05,
        unsure_rules=("generic_default:*",),
        sure_rules=("explicit_label",),
        allowed=frozenset(),
        forbidden=frozenset(),
        within_event_type=True,
        any_switch=False,
    )
    base.update(kw)
    return RefinePolicy(**base)


def test_refine_overrides_unsure_rule_when_confident_and_plausible(tiny_model):
    ev, doc = _event("Arrests", "generic_default:violence_generic")
    pol = _policy(allowed=frozenset({("Arrests", "Air/drone strike")}))
    out = refine([ev], doc, tiny_model, pol)
    assert out[0] is ev and ev.sub_event_type == "Air/drone strike"
    assert ev.event_type == "Explosions/Remote violence"
    assert ev.disorder_type == "Political violence"
    rule = ev.evidence["sub_event_type"].rule
    assert rule.startswith("learned:") and "generic_default:violence_generic=Arrests" in rule
    assert ev.evidence["sub_event_type"].spans  # the trigger span is kept as evidence


def test_refine_keeps_rules_that_are_sure(tiny_model):
    ev, doc = _event("Arrests", "arrest_by_state")
    refine([ev], doc, tiny_model, _policy(allowed=frozenset({("Arrests", "Air/drone strike")})))
    assert ev.sub_event_type == "Arrests"
    ev, doc = _event("Arrests", "explicit_label")
    refine([ev], doc, tiny_model, _policy(unsure_rules=("*",), any_switch=True))
    assert ev.sub_event_type == "Arrests"


def test_refine_needs_confidence(tiny_model):
    ev, doc = _event("Arrests", "generic_default:x")
    refine([ev], doc, tiny_model, _policy(threshold=0.999, any_switch=True))
    assert ev.sub_event_type == "Arrests"
    ev, doc = _event("Arrests", "generic_default:x")
    refine([ev], doc, tiny_model, _policy(margin=0.999, any_switch=True))
    assert ev.sub_event_type == "Arrests"


def test_refine_refuses_implausible_switch(tiny_model):
    # Arrests -> Air/drone strike crosses event types and is not listed
    ev, doc = _event("Arrests", "generic_default:x")
    refine([ev], doc, tiny_model, _policy())
    assert ev.sub_event_type == "Arrests"


def test_refine_respects_forbidden_switches(tiny_model):
    ev, doc = _event("Arrests", "generic_default:x")
    refine(
        [ev],
        doc,
        tiny_model,
        _policy(any_switch=True, forbidden=frozenset({("Arrests", "Air/drone strike")})),
    )
    assert ev.sub_event_type == "Arrests"
    ev, doc = _event("Arrests", "generic_default:x")
    refine([ev], doc, tiny_model, _policy(any_switch=True))
    assert ev.sub_event_type == "Air/drone strike"


def test_refine_never_turns_an_event_into_none(tiny_model):
    doc = make_document(Article(text="The football team won the cup final on Sunday."))
    ev = Event(article_id="x", sub_event_type="Arrests", event_type="Strategic developments")
    ev.evidence["sub_event_type"] = Evidence([Span(4, 12, "football")], "generic_default:x")
    refine([ev], doc, tiny_model, _policy(unsure_rules=("*",), any_switch=True, threshold=0.0, margin=0.0))
    assert ev.sub_event_type in {"Arrests", "Air/drone strike", "Peaceful protest"}  # never "none"


def test_refine_without_evidence_or_events_is_a_no_op(tiny_model):
    assert refine([], make_document(Article(text="x")), tiny_model) == []
    ev = Event(article_id="x", sub_event_type="Arrests", event_type="Strategic developments")
    refine([ev], make_document(Article(text="Jets bombed the town.")), tiny_model, _policy(any_switch=True))
    assert ev.sub_event_type == "Arrests"


# --- a switch across event types recodes the record ---------------------------------------

CLASH_TEXT = (
    "Gunmen attacked an army checkpoint near Kidal, Mali, on Tuesday. The soldiers fought back for "
    "several hours before the assailants withdrew."
)
TINY_CLASH = {
    "Armed clash": [
        "Gunmen attacked an army post and the soldiers fought back for hours.",
        "Troops clashed with militants near the border.",
        "Soldiers and rebels exchanged fire overnight.",
        "The army repelled an assault by jihadists after heavy fighting.",
        "Fighting broke out between the militia and government forces.",
        "Insurgents attacked a military base and troops returned fire.",
    ],
    "Attack": [
        "Gunmen shot dead three villagers in their homes.",
        "Armed men killed a farmer on his way to the market.",
        "Militants executed two traders on the road.",
        "Gunmen opened fire on worshippers leaving a mosque.",
        "Attackers stormed a village and killed civilians.",
        "A teacher was shot dead by unidentified gunmen.",
    ],
    "none": TINY["none"],
}


@pytest.fixture(scope="module")
def clash_model() -> LinearModel:
    texts = [t for ts in TINY_CLASH.values() for t in ts]
    labels = [k for k, ts in TINY_CLASH.items() for _ in ts]
    return fit(texts, labels, c=20.0)


def _attack_on_civilians() -> tuple[Event, object]:
    """What the rules coded, wrongly: the army post's defenders read as civilian victims."""
    doc = make_document(Article(text=CLASH_TEXT))
    start = CLASH_TEXT.index("attacked")
    ev = Event(
        article_id=doc.article.id,
        sub_event_type="Attack",
        event_type="Violence against civilians",
        disorder_type="Political violence",
        actor1="Unidentified Armed Group (Mali)",
        inter1=3,
        actor2="Civilians (Mali)",
        inter2=7,
        interaction=37,
        civilian_targeting="Civilian targeting",
        country="Mali",
        location="Kidal",
    )
    ev.evidence["sub_event_type"] = Evidence([Span(start, start + 8, "attacked")], "one_sided_assault")
    gun = CLASH_TEXT.index("Gunmen")
    ev.evidence["actor1"] = Evidence([Span(gun, gun + 6, "Gunmen")], "role:armed_group")
    return ev, doc


def test_switch_across_event_types_recodes_roles_and_codes(clash_model):
    from marsad.coding.consistency import problems

    ev, doc = _attack_on_civilians()
    out = refine([ev], doc, clash_model, _policy(unsure_rules=("*",), any_switch=True))
    assert out[0] is ev
    assert (ev.sub_event_type, ev.event_type, ev.disorder_type) == (
        "Armed clash",
        "Battles",
        "Political violence",
    )
    # the soldiers are now the other side, not "Civilians (Mali)"; codes follow the names
    assert ev.actor1 == "Unidentified Armed Group (Mali)" and ev.inter1 == 3
    assert ev.actor2.startswith("Military Forces of Mali") and ev.inter2 == 1
    assert ev.interaction == 13 and ev.civilian_targeting == ""
    assert "civilian_targeting" not in ev.evidence
    assert ev.evidence["actor2"].spans and ev.evidence["actor2"].spans[0].text in CLASH_TEXT
    assert ev.evidence["sub_event_type"].rule.startswith("learned:")
    assert "armed clash" in ev.notes
    assert problems(ev) == []


def test_switch_is_refused_when_no_consistent_record_results(clash_model, monkeypatch):
    ev, doc = _attack_on_civilians()
    monkeypatch.setattr(learned, "problems", lambda e: ["cannot be made consistent"])
    refine([ev], doc, clash_model, _policy(unsure_rules=("*",), any_switch=True))
    assert ev.sub_event_type == "Attack" and ev.actor2 == "Civilians (Mali)"
    assert ev.evidence["sub_event_type"].rule == "one_sided_assault"


def test_recode_without_trigger_evidence_is_none():
    ev = Event(article_id="x", sub_event_type="Attack", event_type="Violence against civilians")
    assert learned.recode(ev, make_document(Article(text=CLASH_TEXT)), "Armed clash") is None
    ev, doc = _attack_on_civilians()
    assert learned.recode(ev, doc, "Shootout") is None
    assert ev.sub_event_type == "Attack"  # recode works on a copy


def test_refine_default_settles_every_event(monkeypatch):
    monkeypatch.setenv(learned.SWITCH_ENV, "0")
    learned._pipeline_model.cache_clear()
    try:
        doc = make_document(Article(text="Police arrested five men in Bamako, Mali, on Monday."))
        ev = Event(
            article_id=doc.article.id,
            sub_event_type="Arrests",
            event_type="Strategic developments",
            disorder_type="Strategic developments",
            actor1="Police Forces of Mali (2021-)",
            inter1=1,
            actor2="Civilians (Mali)",
            inter2=7,
            interaction=17,
            civilian_targeting="Civilian targeting",
            country="Mali",
        )
        assert learned.refine_default([ev], doc) == [ev]
        assert ev.civilian_targeting == "" and ev.sub_event_type == "Arrests"
    finally:
        learned._pipeline_model.cache_clear()


# --- choosing the model (marsad ... --model) -----------------------------------------------


@pytest.fixture
def model_env(monkeypatch):
    """use_model writes os.environ directly: restore both variables and the caches afterwards."""
    for var in (learned.MODEL_ENV, learned.SWITCH_ENV):
        monkeypatch.setenv(var, "placeholder")
        monkeypatch.delenv(var)
    yield
    learned._load_cached.cache_clear()
    learned._pipeline_model.cache_clear()


@pytest.mark.usefixtures("model_env")
def test_use_model_installs_a_trained_model(tiny_model, tmp_path, monkeypatch):
    import os

    path = tiny_model.save(tmp_path / "m" / "model.npz")
    monkeypatch.setenv(learned.SWITCH_ENV, "0")  # an explicit model switches refinement back on
    model = learned.use_model(tmp_path / "m")  # the directory holding model.npz
    assert model.classes == tiny_model.classes
    assert os.environ[learned.MODEL_ENV] == str(path.resolve())
    assert learned.default_model().classes == tiny_model.classes
    assert learned._pipeline_model().classes == tiny_model.classes


@pytest.mark.usefixtures("model_env")
def test_use_model_refuses_what_marsad_train_did_not_write(tiny_model, tmp_path):
    import os

    junk = tmp_path / "junk.npz"
    junk.write_bytes(b"x")
    with pytest.raises(ModelError, match="not an .npz archive"):
        learned.use_model(junk)
    with pytest.raises(ModelError, match="no such model"):
        learned.use_model(tmp_path / "missing.npz")
    other = tmp_path / "other.npz"
    np.savez(other, weights=np.zeros(3))
    with pytest.raises(ModelError, match="not a marsad model"):
        learned.use_model(other)
    # right arrays, labels that are not sub-event types
    alien = LinearModel(["Shootout", "none"], {"w:x": 0}, np.ones(1), np.zeros((1, 2)), np.zeros(2), {})
    with pytest.raises(ModelError, match="Shootout"):
        learned.use_model(alien.save(tmp_path / "alien.npz"))
    bad_policy = LinearModel(
        tiny_model.classes, tiny_model.vocab, tiny_model.idf, tiny_model.coef, tiny_model.intercept,
        {"policy": "reckless"},
    )  # fmt: skip
    with pytest.raises(ModelError, match="reckless"):
        learned.use_model(bad_policy.save(tmp_path / "policy.npz"))
    assert learned.MODEL_ENV not in os.environ  # nothing installed by a refused model


def test_policy_file_is_valid():
    for name in ("shipped", "user"):
        pol = learned.policy(name)
        assert 0 < pol.threshold <= 1 and pol.margin >= 0
        assert not pol.unsure("explicit_label")
    with pytest.raises(ModelError):
        learned.policy("no-such-policy")


def test_switch_and_user_model_environment(monkeypatch, tiny_model, tmp_path):
    monkeypatch.setenv(learned.SWITCH_ENV, "0")
    assert learned.default_model() is None
    monkeypatch.delenv(learned.SWITCH_ENV)
    path = tiny_model.save(tmp_path / "user.npz")
    monkeypatch.setenv(learned.MODEL_ENV, str(path))
    assert learned.model_path() == path
    assert learned.default_model().classes == tiny_model.classes
    monkeypatch.setenv(learned.MODEL_ENV, str(tmp_path / "missing.npz"))
    with pytest.raises(ModelError):
        learned.default_model()


def test_broken_user_model_does_not_break_the_pipeline(monkeypatch, tmp_path):
    monkeypatch.setenv(learned.MODEL_ENV, str(tmp_path / "missing.npz"))
    learned._pipeline_model.cache_clear()
    try:
        doc = make_document(Article(text=TEXT))
        ev, _ = _event("Arrests", "generic_default:x")
        assert learned.refine_default([ev], doc) == [ev]
    finally:
        learned._pipeline_model.cache_clear()


# --- gold files and the train command -------------------------------------------------------


def _write_csv(path, rows, header="event_id_cnty,sub_event_type,notes"):
    path.write_text(header + "\n" + "\n".join(rows) + "\n", encoding="utf-8")
    return path


def _csv_rows() -> list[str]:
    out = []
    n = 0
    for label, texts in TINY.items():
        if label == "none":
            continue
        for t in texts:
            n += 1
            out.append(f'X{n},{label},"{t}"')
    return out


def test_read_gold_csv_and_jsonl(tmp_path):
    texts, labels, problems = read_gold(_write_csv(tmp_path / "a.csv", [*_csv_rows(), "X99,Bogus type,text"]))
    assert len(texts) == 18 and set(labels) == {"Air/drone strike", "Peaceful protest", "Arrests"}
    assert problems and "Bogus type" in problems[0]
    jl = tmp_path / "g.jsonl"
    jl.write_text(
        json.dumps({"text": "Jets bombed the town.", "gold": {"sub_event_type": "Air/drone strike"}})
        + "\n"
        + json.dumps({"text": "Police arrested two men.", "label": "Arrests"})
        + "\n",
        encoding="utf-8",
    )
    texts, labels, _ = read_gold(jl)
    assert labels == ["Air/drone strike", "Arrests"]


@pytest.mark.parametrize(
    "content,fmt,message",
    [
        ("", "acled-csv", "empty file"),
        ("event_id_cnty,notes\nX1,some text\n", "acled-csv", "missing column(s) sub_event_type"),
        ("a,b\n1,2\n", "acled-csv", "missing column(s) notes, sub_event_type"),
        ("\n\n", "jsonl", "empty file"),
        ("{not json\n", "jsonl", "not JSON"),
        ('{"text": "x"}\n', "jsonl", "has no label"),
        ('{"text": "x", "label": "Arrests"}\n', "jsonl", "at least two"),
        ('{"text": "", "label": "Arrests"}\n', "jsonl", "no usable training rows"),
    ],
)
def test_read_gold_rejects_bad_files(tmp_path, content, fmt, message):
    path = tmp_path / ("bad.csv" if fmt == "acled-csv" else "bad.jsonl")
    path.write_text(content, encoding="utf-8")
    with pytest.raises(GoldError) as exc:
        read_gold(path, fmt)
    assert message in str(exc.value)


def test_train_command_writes_a_usable_model(tmp_path):
    gold = _write_csv(tmp_path / "export.csv", _csv_rows())
    out = tmp_path / "model" / "m.npz"
    res = CliRunner().invoke(main, ["train", "--gold", str(gold), "-o", str(out)])
    assert res.exit_code == 0, res.output
    model = LinearModel.load(out)
    assert model.meta["policy"] == "user" and model.meta["n_train"] == 18
    assert model.predict("Fighter jets bombed the village.")[0] == "Air/drone strike"


def test_train_command_default_output_under_user_data_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    gold = _write_csv(tmp_path / "export.csv", _csv_rows())
    res = CliRunner().invoke(main, ["train", "--gold", str(gold)])
    assert res.exit_code == 0, res.output
    assert (tmp_path / "xdg" / "marsad" / "model" / "model.npz").is_file()


def test_train_command_rejects_bad_files_clearly(tmp_path):
    bad = tmp_path / "export.csv"
    bad.write_text("event_id_cnty,notes\nX1,Jets bombed the town.\n", encoding="utf-8")
    res = CliRunner().invoke(main, ["train", "--gold", str(bad), "-o", str(tmp_path / "m.npz")])
    assert res.exit_code != 0
    assert "missing column(s) sub_event_type" in res.output
    assert not (tmp_path / "m.npz").exists()
    empty = tmp_path / "empty.jsonl"
    empty.write_text("", encoding="utf-8")
    res = CliRunner().invoke(main, ["train", "--gold", str(empty)])
    assert res.exit_code != 0 and "empty file" in res.output
    res = CliRunner().invoke(main, ["train", "--gold", str(tmp_path / "nope.csv")])
    assert res.exit_code != 0 and "no such file" in res.output
