"""A small learned sub-event classifier that second-guesses the rules where they were unsure.

The model is linear (multinomial logistic regression) over word uni/bigrams and character
3-5-grams of the trigger sentence and the one after it. Training uses scikit-learn
(``marsad.train``); prediction here is plain numpy on weights stored in an ``.npz`` of
numeric and fixed-width string arrays, loaded with ``allow_pickle=False``: no pickle, no
dependence on the scikit-learn version that trained it.

The shipped weights are trained only on team-written sentences
(``knowledge/data/training/sentences.jsonl``). A user holding an ACLED licence can train on
their own export (``marsad train``) and point ``MARSAD_MODEL`` at the result.

``refine`` never invents or drops events: it only changes the sub-event type of an event
whose deciding rule the active policy lists as overridable, when the model is confident,
clearly prefers another type, and the switch is plausible. Policies live in
``knowledge/data/training/refine.json``: the shipped model (out-of-domain, team-written
sentences) only acts when nearly certain; a model trained on the user's own coded data is
in-domain and trusted more.
"""

from __future__ import annotations

import copy
import json
import logging
import os
import re
from dataclasses import dataclass, field, fields
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np

from marsad.coding.actors import fill_actors as _fill_actors
from marsad.coding.consistency import problems, settle
from marsad.coding.roles import Roles, assign_roles
from marsad.knowledge import data_path, read_json, taxonomy
from marsad.mentions.actors import find_actors
from marsad.model import Document, Event, Evidence, Sentence, TriggerMention

NONE_LABEL = "none"
FORMAT_VERSION = 1
MODEL_ENV = "MARSAD_MODEL"  # path of a user-trained model (.npz)
SWITCH_ENV = "MARSAD_LEARNED"  # "0" turns refinement off
SHIPPED = "training/model.npz"
_OFF = ("0", "false", "off", "no")

log = logging.getLogger(__name__)

_WORD = re.compile(r"[^\W\d_]+|\d+", re.UNICODE)
_DIGIT = re.compile(r"\d")


class ModelError(ValueError):
    """A model file that cannot be used (missing, corrupt, wrong format)."""


# --- features -------------------------------------------------------------------


def words(text: str) -> list[str]:
    """Lower-cased word tokens with digits folded to 0 ("killed 12" and "killed 40" look alike)."""
    return _WORD.findall(_DIGIT.sub("0", text.lower()))


def word_features(w: str) -> list[str]:
    """The word itself and its character 3-5-grams (inflections, transliteration variants)."""
    padded = f" {w} "
    n = len(padded)
    return ["w:" + w] + ["c:" + padded[i : i + k] for k in (3, 4, 5) for i in range(n - k + 1)]


def features(text: str) -> set[str]:
    """Binary features of a text: words, word bigrams and in-word character 3-5-grams."""
    ws = words(text)
    out: set[str] = set()
    for w in set(ws):
        out.update(word_features(w))
    out.update("b:" + p + "_" + w for p, w in zip(["<s>", *ws], ws, strict=False))
    return out


# --- model ----------------------------------------------------------------------


@dataclass(slots=True)
class LinearModel:
    """Multinomial logistic regression over ``features``; scores = x @ coef + intercept."""

    classes: list[str]
    vocab: dict[str, int]
    idf: np.ndarray  # (F,) float32
    coef: np.ndarray  # (F, C) float32: row per feature so a document gathers only its rows
    intercept: np.ndarray  # (C,) float32
    meta: dict[str, Any]
    _cache: dict[str, tuple[int, ...]] = field(default_factory=dict, repr=False)

    def _word_ids(self, w: str) -> tuple[int, ...]:
        # words repeat across articles (Zipf): their known feature ids are computed once
        ids = self._cache.get(w)
        if ids is None:
            if len(self._cache) > 200_000:
                self._cache.clear()
            vocab = self.vocab
            ids = self._cache[w] = tuple(vocab[f] for f in word_features(w) if f in vocab)
        return ids

    def vector(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        """Indices and l2-normalised idf weights of the known features of ``text`` (== ``features``)."""
        ws = words(text)
        found: set[int] = set()
        for w in set(ws):
            found.update(self._word_ids(w))
        vocab = self.vocab
        for p, w in zip(["<s>", *ws], ws, strict=False):
            i = vocab.get("b:" + p + "_" + w)
            if i is not None:
                found.add(i)
        idx = np.fromiter(found, dtype=np.int64, count=len(found))
        if idx.size == 0:
            return idx, np.zeros(0, dtype=np.float32)
        vals = self.idf[idx]
        return idx, vals / np.sqrt(float(vals @ vals))

    def predict_proba(self, text: str) -> dict[str, float]:
        idx, vals = self.vector(text)
        scores = self.intercept + (vals @ self.coef[idx] if idx.size else 0.0)
        scores = scores - scores.max()
        p = np.exp(scores)
        p /= p.sum()
        return {c: float(v) for c, v in zip(self.classes, p, strict=True)}

    def predict(self, text: str) -> tuple[str, float]:
        """Most probable label and its probability."""
        proba = self.predict_proba(text)
        best = max(proba, key=proba.__getitem__)
        return best, proba[best]

    def save(self, path: str | Path) -> Path:
        path = Path(path)
        if path.suffix != ".npz":
            path = path / "model.npz" if path.is_dir() or not path.suffix else path.with_suffix(".npz")
        path.parent.mkdir(parents=True, exist_ok=True)
        names = sorted(self.vocab, key=self.vocab.__getitem__)
        meta = dict(self.meta, format_version=FORMAT_VERSION)
        with path.open("wb") as fh:
            np.savez_compressed(
                fh,
                classes=np.array(self.classes, dtype=str),
                features=np.array(names, dtype=str),
                idf=self.idf.astype(np.float32),
                coef=self.coef.astype(np.float32),
                intercept=self.intercept.astype(np.float32),
                meta=np.array(json.dumps(meta, ensure_ascii=False), dtype=str),
            )
        return path

    @classmethod
    def load(cls, path: str | Path) -> LinearModel:
        path = Path(path)
        if path.is_dir():
            path = path / "model.npz"
        try:
            with path.open("rb") as fh:
                if fh.read(4) != b"PK\x03\x04":  # np.load would try (and refuse) pickle: say what it is
                    raise ModelError(f"{path}: not a marsad model (not an .npz archive)")
            with np.load(path, allow_pickle=False) as z:
                classes = [str(c) for c in z["classes"]]
                names = [str(f) for f in z["features"]]
                idf = z["idf"].astype(np.float32)
                coef = z["coef"].astype(np.float32)
                intercept = z["intercept"].astype(np.float32)
                meta = json.loads(str(z["meta"]))
        except ModelError:
            raise
        except FileNotFoundError:
            raise ModelError(f"{path}: no such model file") from None
        except (OSError, KeyError, ValueError) as exc:
            raise ModelError(f"{path}: not a marsad model ({type(exc).__name__}: {exc})") from None
        if meta.get("format_version") != FORMAT_VERSION:
            raise ModelError(
                f"{path}: model format {meta.get('format_version')!r}, expected {FORMAT_VERSION}"
            )
        if (
            coef.shape != (len(names), len(classes))
            or idf.shape != (len(names),)
            or intercept.shape != (len(classes),)
        ):
            raise ModelError(f"{path}: inconsistent array shapes")
        unknown = sorted(set(classes) - set(taxonomy().event_type_of) - {NONE_LABEL})
        if unknown:
            raise ModelError(f"{path}: labels that are not ACLED sub-event types: {', '.join(unknown[:5])}")
        return cls(classes, {f: i for i, f in enumerate(names)}, idf, coef, intercept, meta)


@cache
def _load_cached(path: str) -> LinearModel:
    return LinearModel.load(path)


def model_path() -> Path | None:
    """The model the pipeline uses: ``$MARSAD_MODEL`` if set, else the shipped weights if present."""
    user = os.environ.get(MODEL_ENV)
    if user:
        return Path(user).expanduser()
    shipped = data_path(SHIPPED)
    return Path(str(shipped)) if shipped.is_file() else None


def default_model() -> LinearModel | None:
    """The active model, or None when refinement is switched off or no model exists.

    A broken user model is an error worth reporting, not something to ignore silently.
    """
    if os.environ.get(SWITCH_ENV, "1").strip().lower() in _OFF:
        return None
    path = model_path()
    if path is None:
        return None
    model = _load_cached(str(path))
    policy(str(model.meta.get("policy", "shipped")))  # an unknown policy name is a broken model file
    return model


def use_model(path: str | Path) -> LinearModel:
    """Make the model at ``path`` the pipeline's, for this process and the workers it forks.

    Checks first that it is a model written by ``marsad train`` (format, arrays, labels, policy),
    raising ``ModelError`` with the reason if not; then sets ``$MARSAD_MODEL`` and forgets any
    model loaded before. An explicit model also switches refinement on (``$MARSAD_LEARNED``).
    Call it before the first extraction: worker processes inherit the choice when they fork.
    """
    p = Path(path).expanduser()
    if p.is_dir():
        p = p / "model.npz"
    model = LinearModel.load(p)
    policy(str(model.meta.get("policy", "shipped")))
    os.environ[MODEL_ENV] = str(p.resolve())
    if os.environ.get(SWITCH_ENV, "1").strip().lower() in _OFF:
        os.environ[SWITCH_ENV] = "1"
    _load_cached.cache_clear()
    _pipeline_model.cache_clear()
    return model


# --- refinement of rule decisions ------------------------------------------------


@dataclass(frozen=True, slots=True)
class RefinePolicy:
    """When the model may overrule the rules (one entry of ``training/refine.json``)."""

    threshold: float
    margin: float
    unsure_rules: tuple[str, ...]  # rule names or "prefix*" patterns ("*" = every rule)
    sure_rules: tuple[str, ...]  # never overruled, even when matched by unsure_rules
    allowed: frozenset[tuple[str, str]]  # (rules' type, model's type) switches across event types
    forbidden: frozenset[tuple[str, str]]  # switches never made, whatever the other settings
    within_event_type: bool  # any switch inside one event type is plausible
    any_switch: bool  # every switch is plausible (an in-domain model trained on the user's own data)

    def unsure(self, rule: str) -> bool:
        if _matches(rule, self.sure_rules):
            return False
        return _matches(rule, self.unsure_rules)

    def plausible(self, old: str, new: str) -> bool:
        tax = taxonomy()
        if (old, new) in self.forbidden:
            return False
        if self.any_switch:
            return True
        if self.within_event_type and tax.event_type_of.get(old) == tax.event_type_of.get(new):
            return True
        return (old, new) in self.allowed


def _matches(rule: str, patterns: tuple[str, ...]) -> bool:
    return any(rule.startswith(p[:-1]) if p.endswith("*") else rule == p for p in patterns)


@cache
def policy(name: str = "shipped") -> RefinePolicy:
    """A named policy from ``training/refine.json`` ("shipped" for the team's weights, "user" for
    models trained with ``marsad train`` on the user's own coded data)."""
    raw = read_json("training/refine.json")["policies"]
    if name not in raw:
        raise ModelError(f"refine.json has no policy {name!r} (known: {', '.join(sorted(raw))})")
    spec = raw[name]
    tax = taxonomy()

    def switches(key: str) -> frozenset[tuple[str, str]]:
        out = set()
        for old, new in spec.get(key, []):
            if old not in tax.event_type_of or new not in tax.event_type_of:
                raise ValueError(f"refine.json: unknown sub-event type in {key} {old!r} -> {new!r}")
            out.add((old, new))
        return frozenset(out)

    return RefinePolicy(
        threshold=float(spec.get("threshold", 0.8)),
        margin=float(spec.get("margin", 0.3)),
        unsure_rules=tuple(spec.get("unsure_rules", [])),
        sure_rules=tuple(spec.get("sure_rules", [])),
        allowed=switches("allowed_switches"),
        forbidden=switches("forbidden_switches"),
        within_event_type=bool(spec.get("within_event_type", True)),
        any_switch=bool(spec.get("any_switch", False)),
    )


def event_text(ev: Event, doc: Document) -> str:
    """The words the model reads for an event: its trigger sentence and the next one."""
    spans = ev.evidence.get("sub_event_type", Evidence()).spans
    if not spans:
        return ""
    s = doc.sentence_at(spans[0].start)
    if s is None:
        return spans[0].text
    nxt = s.index + 1
    following = doc.sentences[nxt].text if nxt < len(doc.sentences) else ""
    return f"{s.text} {following}".strip()


# Fields that follow from the sub-event type and the actors: re-derived after a switch.
_ACTOR_FIELDS = (
    "actor1",
    "assoc_actor_1",
    "inter1",
    "actor2",
    "assoc_actor_2",
    "inter2",
    "interaction",
    "civilian_targeting",
)


def _frame_sentences(ev: Event, doc: Document) -> list[Sentence]:
    """The sentences the event was coded from: its trigger's and those its actors and toll cite."""
    keep: dict[int, Sentence] = {}
    for f in ("sub_event_type", "actor1", "actor2", "assoc_actor_1", "assoc_actor_2", "fatalities"):
        for sp in ev.evidence.get(f, Evidence()).spans:
            s = doc.sentence_at(sp.start)
            if s is not None:
                keep[s.index] = s
    return [keep[i] for i in sorted(keep)]


def recode(ev: Event, doc: Document, sub_event_type: str) -> Event | None:
    """A copy of ``ev`` coded as ``sub_event_type``, every dependent field re-derived.

    Taxonomy fields come from the taxonomy; actor roles, names, inter codes, interaction and
    civilian targeting are recoded by the same steps as the rules' coding (``assign_roles``,
    ``actor_name``, ``finalize_actors``) for the new type, from the actors of the event's own
    sentences: an attack on civilians recoded as an armed clash needs armed actors on both sides,
    not "Civilians (X)" as actor2. Returns None when no consistent record results (the caller
    keeps the rules' type) or the event lacks the evidence to recode it.
    """
    from marsad.coding.assemble import summarise  # assemble is the pipeline's coder; import late

    tax = taxonomy()
    if sub_event_type not in tax.event_type_of:
        return None
    spans = ev.evidence.get("sub_event_type", Evidence()).spans
    sentence = doc.sentence_at(spans[0].start) if spans else None
    if sentence is None:
        return None
    new = copy.deepcopy(ev)
    new.sub_event_type = sub_event_type
    new.event_type = tax.event_type_of[sub_event_type]
    new.disorder_type = tax.disorder_of[sub_event_type]
    new.evidence["event_type"] = Evidence(spans, "taxonomy:event_type_of_sub_event_type")
    new.evidence["disorder_type"] = Evidence(spans, "taxonomy:disorder_type_of_sub_event_type")
    for f in _ACTOR_FIELDS:
        setattr(new, f, "" if isinstance(getattr(new, f), str) else None)
        new.evidence.pop(f, None)
    trigger = TriggerMention(span=spans[0], sub_event_type=sub_event_type, cue="learned")
    actors = find_actors(Document(doc.article, _frame_sentences(ev, doc)))
    fill_actors(new, assign_roles(sub_event_type, trigger, sentence, actors, doc.text))
    new.notes = summarise(new)
    return new if not problems(new) else None


def fill_actors(ev: Event, roles: Roles) -> None:
    """Actor fields from chosen roles (the coder's ``fill_actors``), then the dependent fields settled."""
    _fill_actors(ev, roles)
    settle(ev)


def refine(
    events: list[Event],
    doc: Document,
    model: LinearModel | None = None,
    pol: RefinePolicy | None = None,
) -> list[Event]:
    """Let the model change an event's sub-event type where the rules were unsure.

    Conditions, all required: the deciding rule is one listed as unsure; the model's
    top label is a sub-event type (not "none") different from the rules' one; its
    probability is at least ``threshold`` and beats the rules' type by ``margin``;
    the switch stays within the event type or is a listed plausible confusion; and the
    event recoded for the new type (``recode``: taxonomy fields, actor roles, inter codes,
    interaction, civilian targeting) is internally consistent. Events are changed in
    place and returned (same list, same order).
    """
    model = model if model is not None else default_model()
    if model is None or not events:
        return events
    pol = pol or policy(str(model.meta.get("policy", "shipped")))
    tax = taxonomy()
    for ev in events:
        sub_ev = ev.evidence.get("sub_event_type")
        if sub_ev is None or not pol.unsure(sub_ev.rule):
            continue
        text = event_text(ev, doc)
        if not text:
            continue
        proba = model.predict_proba(text)
        best = max(proba, key=proba.__getitem__)
        p = proba[best]
        old = ev.sub_event_type
        if best in (NONE_LABEL, old) or best not in tax.event_type_of:
            continue
        if p < pol.threshold or p - proba.get(old, 0.0) < pol.margin or not pol.plausible(old, best):
            continue
        new = recode(ev, doc, best)
        if new is None:
            log.debug("learned switch %s -> %s refused: no consistent record", old, best)
            continue
        new.evidence["sub_event_type"] = Evidence(sub_ev.spans, f"learned:{p:.2f}(rules:{sub_ev.rule}={old})")
        for f in fields(Event):  # in place: callers may hold the event
            setattr(ev, f.name, getattr(new, f.name))
    return events


@cache
def _pipeline_model() -> LinearModel | None:
    try:
        return default_model()
    except ModelError as exc:
        # one clear warning, then the rules alone: a bad model file must not fail every article
        log.warning("learned sub-event model disabled: %s", exc)
        return None


def refine_default(events: list[Event], doc: Document) -> list[Event]:
    """Pipeline hook: ``refine`` with the active model (none: the rules' types stand), then ``settle``
    every event so the fields derived from others always agree with them."""
    model = _pipeline_model()
    if model is not None:
        events = refine(events, doc, model)
    for ev in events:
        settle(ev)
    return events
