"""Transliteration-tolerant keys for place names.

News prose spells Arabic, Persian and Pashto names many ways (Saraqib/Saraqeb,
Deir ez-Zor/Deir Ezzor/Dayr az Zawr, Tal/Tell/Tall Rifaat). ``variant_key`` maps
such spellings onto one key. It is deliberately lossy, so the matcher only
consults it after an exact (folded) lookup failed, and only for capitalised
multi-letter names.
"""

from __future__ import annotations

import re
from functools import lru_cache

from marsad.text import fold

# Arabic definite article, written apart ("al Bab", after fold() removed the hyphen).
_ARTICLES = frozenset("al el ad ar as an at az ash ath ed er es ez en ul il ud ur us un ut uz".split())
# Article fused with a sun letter: "ezzor" = "ez" + "zor", "assafira" = "as" + "safira".
_FUSED = re.compile(r"^(?:a|e|u)([dnrstz])\1(?=[a-z]{2})")
_FUSED_AL = re.compile(r"^(?:al|el)(?=[a-z]{4})")
_SUBS = (
    ("tell ", "tal "),
    ("tall ", "tal "),
    ("ou", "u"),
    ("oo", "u"),
    ("ee", "i"),
    ("ei", "i"),
    ("ay", "i"),
    ("ai", "i"),
    ("aw", "u"),
    ("ow", "u"),
    ("ah", "a"),
    ("eh", "a"),
    ("ph", "f"),
    ("dh", "d"),
    ("gh", "g"),
    ("kh", "k"),
    ("sh", "s"),
    ("ch", "s"),
    ("th", "t"),
)
# single letters last, in one pass: none of them produces a letter another one rewrites, so
# the table equals the replacements one by one (q>k c>k j>g y>i w>u e>i o>u)
_LETTERS = str.maketrans("qcjywe" + "o", "kkgiui" + "u")
_DOUBLE = re.compile(r"([a-z])\1+")


def _first_letter(m: re.Match[str]) -> str:
    # a function, not the template r"\1": re expands a template in Python on every match
    return m.group(1)


@lru_cache(maxsize=100_000)
def variant_key(name: str) -> str:
    """A spelling-insensitive key: 'Deir ez-Zor', 'Dayr az Zawr' and 'Deir Ezzor' meet.

    Accepts raw or folded text. Returns "" when nothing distinctive is left
    (e.g. the name was only an article), so callers can skip it.
    """
    return variant_of_folded(fold(name))


def variant_of_folded(key: str) -> str:
    """``variant_key`` for text already passed through ``fold`` (the index build calls this)."""
    words = key.split()
    kept: list[str] = []
    for i, w in enumerate(words):
        if w in _ARTICLES and i < len(words) - 1:
            continue
        # re.sub with a template costs microseconds even without a match: test first
        if i > 0 and len(w) >= 4:
            if w[1] == w[2] and w[0] in "aeu" and _FUSED.match(w):
                w = w[2:]
            elif w[0] in "ae" and _FUSED_AL.match(w):
                w = w[2:]
        kept.append(w)
    s = " ".join(kept)
    s = " " + s + " "
    for a, b in _SUBS:
        if a in s:
            s = s.replace(a, b)
    s = s.translate(_LETTERS)
    if _DOUBLE.search(s):
        s = _DOUBLE.sub(_first_letter, s)
    # a trailing -a/-ah/-eh and the vowel-less spelling meet ("Raqqa"/"Raqqah" -> "raka")
    s = s.replace("h ", " ")
    key = " ".join(s.split())
    return key if len(key.replace(" ", "")) >= 3 else ""
