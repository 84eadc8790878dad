"""Scoring primitives shared by the evaluations (pure functions, no I/O).

The normalisations follow ``shared/eval/README.md`` to the letter: a score is
only comparable across versions if every run normalises names the same way,
so nothing here "helps" beyond the written definition (no accent folding, no
alias tables).
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

EARTH_RADIUS_KM = 6371.0088  # IUGG mean radius

_PUNCT = re.compile(r"[^\w\s]|_", re.UNICODE)
_REGIME_YEARS = re.compile(r"\(\s*\d{4}\s*-\s*(?:\d{4})?\s*\)")
_PLACE_STOPWORDS = frozenset(
    {"governorate", "province", "region", "state", "the", "al", "el", "ad", "ar", "as", "an"}
)


def _punct_to_spaces(s: str) -> str:
    return " ".join(_PUNCT.sub(" ", s).split())


def normalise_place(name: str | None) -> str:
    """Country / admin1 key: lower case, punctuation to spaces, admin words and articles dropped."""
    if not name:
        return ""
    words = _punct_to_spaces(str(name).lower()).split()
    return " ".join(w for w in words if w not in _PLACE_STOPWORDS)


def normalise_actor(name: str | None) -> str:
    """Actor key: lower case, regime years like "(2000-)" or "(2014-2021)" removed, punctuation to spaces."""
    if not name:
        return ""
    return _punct_to_spaces(_REGIME_YEARS.sub(" ", str(name)).lower())


def actor_set(*names: str | None) -> set[str]:
    """Normalised non-empty actor names."""
    return {k for k in (normalise_actor(n) for n in names) if k}


def to_int(value: object) -> int | None:
    """Lenient int for gold values that arrive as "12", 12, 12.0 or "" (None when not a number)."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    try:
        f = float(str(value).strip())
    except ValueError:
        return None
    if not math.isfinite(f) or f != int(f):
        return None
    return int(f)


def to_float(value: object) -> float | None:
    if value is None or isinstance(value, bool) or value == "":
        return None
    try:
        f = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return f if math.isfinite(f) else None


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in kilometres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp = p2 - p1
    dl = math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


def inter_pair(*codes: object) -> tuple[int, ...]:
    """Sorted tuple of the non-zero inter codes (missing counts as zero)."""
    return tuple(sorted(c for c in (to_int(x) for x in codes) if c))


@dataclass(frozen=True, slots=True)
class ClassScore:
    label: str
    precision: float
    recall: float
    f1: float
    support: int  # gold count
    predicted: int  # predicted count


def per_class_scores(gold: Sequence[str], pred: Sequence[str | None]) -> dict[str, ClassScore]:
    """Per-label P/R/F1 over aligned gold/pred lists (pred None = no prediction, counts as a miss).

    Labels are every gold label plus every predicted one, so that spurious
    predicted types are visible in the table; the F1 averages only use gold labels.
    """
    if len(gold) != len(pred):
        raise ValueError("gold and pred must have the same length")
    tp: dict[str, int] = {}
    n_gold: dict[str, int] = {}
    n_pred: dict[str, int] = {}
    for g, p in zip(gold, pred, strict=True):
        n_gold[g] = n_gold.get(g, 0) + 1
        if p is not None:
            n_pred[p] = n_pred.get(p, 0) + 1
            if p == g:
                tp[g] = tp.get(g, 0) + 1
    out: dict[str, ClassScore] = {}
    for label in sorted(set(n_gold) | set(n_pred)):
        t, ng, npred = tp.get(label, 0), n_gold.get(label, 0), n_pred.get(label, 0)
        p = t / npred if npred else 0.0
        r = t / ng if ng else 0.0
        f = 2 * t / (ng + npred) if (ng + npred) else 0.0
        out[label] = ClassScore(label, p, r, f, ng, npred)
    return out


def weighted_and_macro_f1(scores: dict[str, ClassScore]) -> tuple[float, float]:
    """(support-weighted F1, unweighted mean F1) over the labels that occur in gold."""
    gold_labels = [s for s in scores.values() if s.support > 0]
    if not gold_labels:
        return 0.0, 0.0
    total = sum(s.support for s in gold_labels)
    weighted = sum(s.f1 * s.support for s in gold_labels) / total
    macro = sum(s.f1 for s in gold_labels) / len(gold_labels)
    return weighted, macro


def micro_prf(pairs: Iterable[tuple[set[str], set[str]]]) -> tuple[float, float, float]:
    """Micro-averaged (P, R, F1) over (predicted set, gold set) pairs."""
    tp = n_pred = n_gold = 0
    for predicted, gold in pairs:
        tp += len(predicted & gold)
        n_pred += len(predicted)
        n_gold += len(gold)
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if (p + r) else 0.0
    return p, r, f
