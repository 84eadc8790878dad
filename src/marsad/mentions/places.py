"""Place mentions: gazetteer matching over capitalised token n-grams, then joint resolution.

No statistical NER: general models miss or mislabel conflict place names (see
DEPENDENCIES.md), while a dictionary of GeoNames names and spellings, a few
context patterns and a country-focus prior find them at ~1 ms an article.

Recognition: every maximal run of capitalised tokens (lower-case particles such
as "al", "de", "of" allowed inside) is looked up longest-first as a folded key in
the gazetteer, the country names and the demonyms; a transliteration-tolerant
key is the fallback. Resolution: candidates are scored by population, feature
type, the article's country focus, admin areas named nearby ("X, Idlib",
"X in Idlib province") and closeness to the other places of the article.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache

from marsad.geo.gazetteer import Gazetteer, default_gazetteer
from marsad.geo.landmarks import LANDMARK_CODES, institution_words, landmark_precision
from marsad.knowledge import read_json
from marsad.model import Document, PlaceMention, Span
from marsad.text import fold

_MAX_NGRAM = 6
_MAX_CANDIDATES = 12  # per name, before scoring ("San Jose" has hundreds of namesakes)
_MAX_ANCHORS = 30
# a town named like a person ("Kelly", "Allen") must be this big to survive a glued first name
_PERSON_POP = 100_000
# Words with internal hyphens/apostrophes ("an-Nu'man"), and dotted acronyms ("U.S.", "U.A.E.").
_TOKEN = re.compile(r"(?:[A-Z]\.){2,}|[^\W\d_](?:[\w'’‐-]*[^\W_])?")
_POSSESSIVE = ("'s", "’s")
_ARTICLE_WORDS = (
    "al",
    "el",
    "ad",
    "ar",
    "as",
    "an",
    "at",
    "az",
    "ash",
    "ath",
    "ed",
    "er",
    "es",
    "ez",
    "en",
    "ul",
    "um",
    "umm",
    "il",
)
_ARTICLE_PREFIX = re.compile(r"^(?:al|el|ad|ar|as|an|at|az|ash|ath|ed|er|es|ez|en|ul|um|umm|il)[-‐'’]([A-Z])")
_APPOSITIVE = re.compile(
    r"^,\s+(?:a|an|the)\s+(?:[\w-]+\s+){0,3}(?:village|town|city|township|suburb|district|neighbou?rhood|"
    r"area|region|camp|hamlet|settlement|locality|commune|municipality)\b"
)
# a verb or preposition that puts an unknown capitalised name in the role of a place
_UNKNOWN_LOCATIVE = re.compile(
    r"\b(?:in|at|near|inside|outside|around|toward|towards|into|storming|stormed|entered|entering|captured|"
    r"seized|shelled|bombed|liberated|besieged|outskirts\s+of|capture|recapture|recaptured|seize|storm|"
    r"shelling|targeting|targeted|(?:withdrew|withdrawn|retreated|expelled|driven\s+out)\s+from|"
    r"(?:village|town|hamlet)|villages\s+of)\s+(?:the\s+)?$"
)
# the last word of every _UNKNOWN_LOCATIVE alternative (a gate before running it)
_LOCATIVE_GATE = frozenset(
    "in at near inside outside around toward towards into storming stormed entered entering captured seized "
    "shelled bombed liberated besieged of capture recapture recaptured seize storm shelling targeting "
    "targeted from village town hamlet".split()
)
_TRAIL_LETTERS = re.compile(r"[^\W\d_]+$")


def _last_word(before: str) -> str:
    """The last word of ``before`` (skipping one "the"), letters only: what a cue must be."""
    tail = before[-40:].rsplit(None, 2)  # the last two words are all that can matter
    if tail and tail[-1].lower() == "the":
        tail.pop()
    if not tail:
        return ""
    w = tail[-1]
    hit = _last_word_cache.get(w)
    if hit is None:
        m = _TRAIL_LETTERS.search(w)
        hit = m.group().lower() if m else ""
        if len(_last_word_cache) < 100_000:
            _last_word_cache[w] = hit
    return hit


_last_word_cache: dict[str, str] = {}


_AFTER_PLACE_COMMA = re.compile(
    r"(?:\b(?:district|province|city|town|village|villages|county|area|camp)|[A-Z][\w'’-]+)\s*,\s*$"
)
_NEVER_FIRST = frozenset(
    "the a an in on at of and but or for with from by to as if when while after before this that these those "
    "his her their its our we they he she it i you my your mr mrs ms dr president minister general".split()
)
_MODIFIER_SUFFIX = re.compile(
    r"[-‐](?:led|backed|based|born|made|owned|run|style|bound|allied|funded|sponsored|controlled|held|"
    r"aligned|affiliated|linked|supported|trained|armed|brokered|occupied|administered|registered|flagged)$"
)
_ABBREV_PREFIX = frozenset(("St", "Ste", "Mt", "Ft", "Pt"))
_CONTRACTION = re.compile(r"['’](?:re|ve|ll|d|t|m)$")
_AGE_AFTER = re.compile(r"^,\s+\d{1,2}\s*,")
_SENT_END = frozenset('.!?\n"“”:;')


@dataclass(frozen=True)
class _Lexicon:
    stop: frozenset[str]
    stop_ok_in_context: frozenset[str]
    particles: frozenset[str]
    near_before: re.Pattern[str]
    near_after: re.Pattern[str]
    admin_after: re.Pattern[str]
    admin1_after: re.Pattern[str]
    settlement_before: re.Pattern[str]
    settlement_after: re.Pattern[str]
    locative_before: re.Pattern[str]
    org_suffix: frozenset[str]
    title_prefix: frozenset[str]
    name_part_ok: frozenset[str]
    first_names: frozenset[str]
    feature_words: frozenset[str]
    subplace_prefix: frozenset[str]
    facility_words: frozenset[str]
    function_words: frozenset[str]  # folded: capitalised only at a sentence start, never a name
    place_preps: frozenset[str]  # prepositions a place takes and a person does not
    speech_after: re.Pattern[str]  # "X said": a speaker right after a name
    role_words: frozenset[str]  # "Director", "Chairman": a person's role, not a place name
    gate_before: frozenset[str]
    gate_after: frozenset[str]
    near_gate: frozenset[str]  # last words that can end a near_before match
    locative_gate: frozenset[str]  # last words that can end a locative_before match
    currency_after: re.Pattern[str]  # "US dollar", "Lebanese pound": a country word naming money
    street_pair: tuple[re.Pattern[str], re.Pattern[str]]  # "<X> and <Y> streets": first, second of a pair


def _alt(words: Iterable[str]) -> str:
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in sorted(words, key=len, reverse=True))


@cache
def lexicon() -> _Lexicon:
    raw = read_json("geo_lexicon.json")
    near = [
        w
        for w in raw["near"]
        if w not in ("countryside", "rural", "suburbs", "suburb", "outskirts", "between")
    ]
    return _Lexicon(
        stop=frozenset(raw["stop"]) - frozenset(raw["stop_allow_if_context"]),
        stop_ok_in_context=frozenset(raw["stop_allow_if_context"]),
        particles=frozenset(raw["particles"]),
        near_before=re.compile(
            rf"\b(?:{_alt(near)}|outskirts\s+of|suburbs\s+of|countryside\s+of|rural)\s+"
            r"(?:the\s+)?(?:(?:\w+\s+){0,2}(?:town|city|village|villages|towns|area|areas)\s+of\s+)?$",
            re.I,
        ),
        near_after=re.compile(
            r"^[’']?s?\s*(?:countryside|outskirts|suburbs|environs|surroundings|periphery|rural\s+areas?)\b",
            re.I,
        ),
        admin_after=re.compile(rf"^\s*(?:{_alt(raw['admin_words'])})\b", re.I),
        admin1_after=re.compile(rf"^\s*(?:{_alt(raw['admin1_words'])})\b", re.I),
        settlement_before=re.compile(rf"\b(?:{_alt(raw['settlement_words'])})\s+of\s+(?:the\s+)?$", re.I),
        settlement_after=re.compile(
            r"^\s*(?:town|village|villages|city|camp|district|sub-?district|neighbou?rhood|township|area|"
            r"locality|refugee\s+camp|local\s+council|[Ll]ocal\s+[Gg]overnment\s+[Aa]rea|LGA|county|governorate|province)\b"
        ),
        locative_before=re.compile(rf"\b(?:{_alt(raw['locative_preps'])})\s+(?:the\s+)?$", re.I),
        org_suffix=frozenset(raw["org_suffix"]),
        title_prefix=frozenset(raw["title_prefix"]),
        name_part_ok=frozenset(raw["name_part_ok"]),
        first_names=frozenset(raw["first_names"]),
        feature_words=frozenset(raw["feature_words"]),
        subplace_prefix=frozenset(w.rstrip(".") for w in raw.get("subplace_prefix", ())),
        facility_words=frozenset(w.lower() for w in raw.get("facility_words", ())),
        function_words=frozenset(w.lower() for w in raw.get("function_words", ())),
        place_preps=frozenset(w.lower() for w in raw.get("place_preps", ())),
        role_words=frozenset(raw.get("role_words", ())),
        speech_after=re.compile(
            rf"^\s+(?:{_alt(raw.get('speech_verbs', ()))})\b" if raw.get("speech_verbs") else r"(?!)"
        ),
        gate_before=frozenset(
            [w.split()[-1] for w in raw["near"]]
            + raw["locative_preps"]
            + ["of", "outskirts", "suburbs", "countryside", "rural"]
        ),
        gate_after=frozenset(
            raw["admin_words"]
            + raw["settlement_words"]
            + [
                "countryside",
                "outskirts",
                "suburbs",
                "environs",
                "surroundings",
                "periphery",
                "rural",
                "local",
                "refugee",
                "lga",
                "sub-district",
                "subdistrict",
                "villages",
                "neighbourhood",
                "neighborhood",
            ]
        ),
        near_gate=frozenset([w.split()[-1].lower() for w in near] + ["of", "rural"]),
        locative_gate=frozenset(w.split()[-1].lower() for w in raw["locative_preps"]),
        currency_after=_currency_pattern(raw.get("currency_words", ())),
        street_pair=_street_patterns(raw.get("street_plurals", ())),
    )


@dataclass(slots=True)
class _Tok:
    start: int
    end: int
    text: str
    key: str
    cap: bool
    particle: bool
    part: bool = False  # a part of a split hyphenated compound ("Amsterdam" of "Amsterdam-London")


@dataclass(slots=True)
class _Cand:
    """A recognised name with its gazetteer candidates, before resolution."""

    start: int
    end: int
    key: str
    ids: list[int]  # gazetteer place indices
    alt: set[int] = field(default_factory=set)  # ids matched through an alternate name
    vonly: set[int] = field(default_factory=set)  # ids matched only through the spelling-variant key
    kind: str = "toponym"  # toponym | country | demonym | admin1
    rule: str = "gazetteer"
    variant: bool = False
    weak: bool = False  # small single-word town: kept only with support (context or focus)
    context: bool = False  # a locative or settlement pattern vouches for it
    admin_hint: bool = False  # followed by "province"/"governorate"/...
    settlement_hint: bool = False  # "town of X", "X village"
    near: bool = False
    embedded: bool = False  # part of an organisation name ("Washington Post")
    facility: bool = False  # names a building: "Madina hospital", "Kabul University"
    sent_start: bool = False
    static: list[float] | None = None  # per-candidate score without the anchor term (cached)
    lone: list[float] | None = None  # per-candidate focus discount when no anchor is near (cached)
    person_like: bool = False  # glued to another capitalised word: "John Kelly", "Kelly Clarkson"
    person: bool = False  # surely a person, whatever the town's size: "Andrew Jordan", "Clark, 22,"
    org_glued: bool = False  # person_like only through the next word: "Slidell PD", "Nenagh MDC"
    place_cue: bool = False  # a locative, settlement or admin cue that only a place takes ("in X")
    choice: int | None = None
    score: float = 0.0
    margin: float = 0.0
    vote: dict[str, float] | None = None  # this name's say on the article's country (cached)


_fold_cache: dict[str, str] = {}


def _fold_token(t: str) -> str:
    k = _fold_cache.get(t)
    if k is None:
        k = fold(t)
        if len(_fold_cache) < 200_000:
            _fold_cache[t] = k
    return k


def _trie_alt(words: Iterable[str]) -> str:
    """A regex alternation of ``words`` as a prefix tree ("a(?:l|sh?|...)"): re tries the
    branches of a flat alternation one by one, and the token pattern meets every lower-case
    word of the text, so a flat list of ~40 particles made most of the tokenising time.
    Longer words are tried first along each path, like a longest-first flat list."""
    trie: dict = {}
    for w in words:
        node = trie
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node: dict) -> str:
        branches = [re.escape(ch) + emit(sub) for ch, sub in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        if "" in node:
            return (body if len(branches) > 1 else "(?:" + body + ")") + "?"
        return body

    return emit(trie)


@cache
def _token_re() -> re.Pattern[str]:
    """Only the tokens a place name can consist of: capitalised words, dotted acronyms,
    'al-Bab'-style words, and the particles allowed inside names. Lower-case words are
    skipped, which also keeps them from gluing two names together (the gap is not blank)."""
    # "the"/"on"/"do"... are particles too, but as separate words they are so common in English
    # that tokenising them costs more than the rare name needing them ("Isle of the Dead")
    common = {"the", "on", "upon", "do", "am", "im", "i", "e", "y", "et", "und", "zu", "er", "sur"}
    parts = _trie_alt(lexicon().particles - common)
    articles = _trie_alt(_ARTICLE_WORDS)
    # capitalised branches first; the lower-case ones (most words) behind one look-ahead
    # every branch starts with a letter, so "no word character before" is the word boundary;
    # the look-behind is cheaper than \b for re to test at every position of the text
    return re.compile(
        r"(?<!\w)(?:(?:[A-Z]\.){2,}"
        r"|[^\W\d_a-zß-öø-ÿ](?:[\w'’‐-]*[^\W_])?"
        rf"|(?=[a-z])(?:{articles}[-‐'’][A-Z][\w'’‐-]*"
        rf"|(?:{parts})\b))"
    )


@cache
def _token_scan_re() -> re.Pattern[str]:
    """The token pattern (group 1) after one character that is no ASCII letter or digit (a
    superset of the non-word characters a token must follow): one character class first, so
    re jumps between spaces and punctuation instead of entering the pattern inside every word."""
    return re.compile(r"[^a-zA-Z0-9](" + _token_re().pattern + ")")


# the last characters of a token that are no word characters ("U.S.", "al-"): the only tokens
# another token can follow with no character between them
_OPEN_END = frozenset(".'’‐-")


def _token_spans(text: str) -> list[tuple[int, int]]:
    """Spans of ``_token_re().finditer(text)``, found faster: the scan pattern consumes the
    character before each token, so a token at the text start or right after a token ending in
    punctuation ("U.S.Army") is looked for by the plain pattern, and the scan restarts after it."""
    spans: list[tuple[int, int]] = []
    append = spans.append
    at = _token_re().match
    scan = _token_scan_re().finditer
    pos = 0
    while True:
        m = at(text, pos)
        while m is not None:
            append(m.span())
            pos = m.end()
            m = at(text, pos) if text[pos - 1] in _OPEN_END else None
        for m in scan(text, pos):
            append(m.span(1))
            if text[m.end() - 1] in _OPEN_END:
                pos = m.end()
                break
        else:
            return spans


# raw token -> (characters cut from its end, word, key, cap, particle): news repeats the same
# words, so each distinct token is classified once per process
_tok_cache: dict[str, tuple[int, str, str, bool, bool]] = {}


def _classify_token(raw: str, particles: frozenset[str]) -> tuple[int, str, str, bool, bool]:
    w = raw
    if w.endswith(_POSSESSIVE) and len(w) > 3:
        w = w[:-2]
    mod = _MODIFIER_SUFFIX.search(w) if ("-" in w or "‐" in w) else None
    if mod:
        # "US-led", "Iranian-backed": the name without its participle
        w = w[: -len(mod.group())]
    first = w[0]
    if first.isupper():
        cap = not ("'" in w or "’" in w) or not _CONTRACTION.search(w)
    else:
        cap = first in "aeu" and "-" in w[:5] and bool(_ARTICLE_PREFIX.match(w))
    particle = w in particles
    # lower-case words only matter as particles inside a name: skip folding them
    key = _fold_token(w) if cap else (w if particle else "")
    return len(raw) - len(w), w, key, cap, particle


def _tokenize(text: str, lex: _Lexicon) -> list[_Tok]:
    out: list[_Tok] = []
    append = out.append
    particles = lex.particles
    cache = _tok_cache
    for s, e in _token_spans(text):
        raw = text[s:e]
        hit = cache.get(raw)
        if hit is None:
            hit = _classify_token(raw, particles)
            if len(cache) < 200_000:
                cache[raw] = hit
        cut, w, key, cap, particle = hit
        append(_Tok(s, e - cut, w, key, cap, particle))
    return out


_HYPHENS = re.compile(r"[-‐]")
_BIG_PART = 100_000


def _split_compounds(toks: list[_Tok], gaz: Gazetteer) -> list[_Tok]:
    """Split "Syrian-Turkish", "Amsterdam-London", "DPRK-South (Korea)", "UK-bashing" into their
    capitalised parts when the whole is no known name ("Guinea-Bissau", "Winston-Salem" and
    "Al-Bab" stay whole) and the parts are well-known places or peoples: a compound of two
    small towns is likelier a double surname ("Phillips-Spencer"). The parts are modifiers ("the
    Agra-Mumbai highway", "the Syrian-Turkish border"), so they are marked embedded: they count
    for the article's country and as toponyms, but are never chosen as the event's place."""
    if not any(t.cap and ("-" in t.text or "‐" in t.text) for t in toks):
        return toks
    out: list[_Tok] = []
    for t in toks:
        if not (t.cap and ("-" in t.text or "‐" in t.text)):
            out.append(t)
            continue
        mk = ("compound", t.text)
        parts = gaz.memo.get(mk)
        if parts is None:
            parts = _compound_parts(t.text, gaz)
            if len(gaz.memo) < 200_000:
                gaz.memo[mk] = parts
        if not parts:
            out.append(t)
            continue
        out.extend(_Tok(t.start + a, t.start + b, w, _fold_token(w), True, False, True) for a, b, w in parts)
    return out


def _compound_parts(word: str, gaz: Gazetteer) -> tuple[tuple[int, int, str], ...]:
    """The capitalised parts of a hyphenated word to match one by one, or () to keep it whole."""
    whole = _fold_token(word)
    if (
        gaz.knows(whole)
        or whole in gaz.demonyms
        or whole in gaz.region_demonyms
        or gaz.has_variants_folded(whole)
    ):
        return ()
    parts: list[tuple[int, int, str]] = []
    pos = 0
    for piece in _HYPHENS.split(word):
        if len(piece) >= 2 and piece[0].isupper():
            parts.append((pos, pos + len(piece), piece))
        pos += len(piece) + 1
    if not parts or (len(parts) == 1 and parts[0][1] - parts[0][0] == len(word)):
        return ()
    lower = len(parts) < len(_HYPHENS.split(word))  # "UK-bashing", "Newton-meters"
    for n, (_, _, w) in enumerate(parts):
        k = _fold_token(w)
        if k in gaz.demonyms or k in gaz.region_demonyms or gaz.country_of_key(k):
            continue  # a country or a people: "Syrian-Turkish", "UK-bashing"
        if lower:
            return ()  # a town with a lower-case word is a unit or a coinage ("Newton-meters")
        if k in _ARTICLE_WORDS or k in ("ej", "ek", "et"):
            return ()  # "Ej-Jarrah", "Es-Salt": an Arabic article opens the name
        if gaz.knows(k) and max((gaz.population(p) for p, a in gaz.ids(k) if not a), default=0) >= _BIG_PART:
            continue  # "Amsterdam-London"
        if n == len(parts) - 1 and n > 0 and gaz.could_continue(k):
            continue  # "DPRK-South Korea": the last part opens a name that goes on
        return ()  # "Diaz-Balart", "Melbourne-Blake", "Austro-Hungarian": a double surname or a coinage
    return tuple(parts)


def _joinable(text: str, a: _Tok, b: _Tok) -> bool:
    """Two tokens can be one name when only plain spaces separate them."""
    if b.start - a.end > 2:
        return False  # the usual answer, without slicing the gap
    gap = text[a.end : b.start]
    if gap == " ":
        return True  # by far the most common gap: skip the checks below
    if gap == ". " and (a.text in _ABBREV_PREFIX or a.text.title() in _ABBREV_PREFIX):
        return True  # "St. Louis", "Mt. Kenya", a dateline's "ST. LOUIS"
    return 0 < len(gap) <= 2 and gap.strip() == "" and "\n" not in gap or gap == ""


def _sentence_start(text: str, pos: int) -> bool:
    # asked for every match: strip the quotes and spaces of a short window in C first
    lo = pos - 8 if pos > 8 else 0
    head = text[lo:pos].rstrip(" \t\"“‘'(")
    if head:
        return head[-1] in _SENT_END
    if lo == 0:
        return True
    i = pos - 1
    while i >= 0 and text[i] in " \t\"“‘'(":
        i -= 1
    return i < 0 or text[i] in _SENT_END


def recognise(text: str, gaz: Gazetteer) -> list[_Cand]:
    """Find candidate place names in ``text`` (no resolution yet)."""
    lex = lexicon()
    toks = _split_compounds(_tokenize(text, lex), gaz)
    n = len(toks)
    out: list[_Cand] = []
    persons: set[str] = set()
    held: list[_Cand] = []  # single towns glued to the next capitalised word only
    sure: set[str] = set()  # surnames of sure persons ("Andrew Jordan"): even a big town's name
    # link[m]: toks[m + 1] can continue a name that reaches toks[m] (a capitalised word or an
    # inner particle, joined by a plain gap); asked again for every start of a run, so made once
    # (tokens more than two characters apart never join: most pairs, decided without a slice)
    link = [
        (b.cap or b.particle)
        and b.start - a.end <= 2
        and (text[a.end : b.start] == " " or _joinable(text, a, b))
        for a, b in zip(toks, toks[1:], strict=False)
    ]
    link.append(False)
    could_continue = gaz.could_continue
    key_flags = _key_flags_memo(gaz)
    i = 0
    while i < n:
        t = toks[i]
        if not t.cap or not t.key:
            i += 1
            continue
        # the longest run of joinable capitalised tokens / inner particles starting here
        j = i + 1
        prefix = t.key
        prefixes = [prefix]  # prefixes[m]: the key of toks[i : i + m + 1]
        limit = i + _MAX_NGRAM
        while j < limit and link[j - 1] and could_continue(prefix):
            prefix = prefix + " " + toks[j].key
            prefixes.append(prefix)
            j += 1
        # the unknown-name rule wants the whole capitalised run, not just what the gazetteer knows
        run_end = j
        while run_end < limit and link[run_end - 1]:
            run_end += 1
        cand = None
        for k in range(j, i, -1):
            last = toks[k - 1]
            if not last.cap:
                continue
            key = prefixes[k - i - 1]
            # most n-grams name nothing: skip the context work unless some table knows the key
            flags = key_flags.get(key)
            if flags is None:
                flags = _key_flags(key, gaz, key_flags)
            cand = _match(key, text, toks, i, k, gaz, lex) if flags & 1 else None
            # most capitalised words ("President", "Monday") have no spelling variant either:
            # one lookup skips the context work of _match_variant
            if cand is None and k - i <= 3 and flags & 2:
                # transliteration fallback ("Saraqeb", "Deir Ezzor", "Tell Rifaat") before a shorter exact match
                cand = _match_variant(key, text, toks, i, k, gaz, lex)
            if cand is not None:
                break
        if (
            t.text in lex.subplace_prefix
            and run_end - i >= 2
            and toks[run_end - 1].cap
            and (cand is None or cand.end <= t.end)
        ):
            # "Colonia Loma Alta", "Barangay Tagapo": one neighbourhood the gazetteer lacks, not
            # the town "La Colonia" nor a namesake of "Loma Alta"; left unresolved, the event is
            # coded at the town that holds it
            out.append(
                _Cand(
                    t.start,
                    toks[run_end - 1].end,
                    " ".join(x.key for x in toks[i:run_end]),
                    [],
                    rule="context:settlement",
                    context=True,
                    settlement_hint=True,
                )
            )
            i = run_end
            continue
        if cand is None:
            # "Sheryl Sandberg", "Ms. Sandberg": remember the surname, so that a later bare
            # "Sandberg said" is not taken for a town of that name
            if run_end - i >= 2 and t.text in lex.first_names and toks[run_end - 1].cap:
                persons.add(toks[run_end - 1].key)
            elif i > 0 and toks[i - 1].text.rstrip(".") in lex.title_prefix and run_end - i <= 3:
                persons.add(toks[run_end - 1].key)
            unknown = _unknown_place(text, toks, i, run_end, gaz, lex)
            if unknown is not None:
                out.append(unknown)
                while i < n and toks[i].start < unknown.end:
                    i += 1
                continue
            i += 1
            continue
        if cand.person or (cand.person_like and _best_pop(cand, gaz) < _PERSON_POP):
            if cand.org_glued:
                # "Slidell PD", "Peel Regional Police": decided once the whole article is read,
                # at once when the capitalised run ends in an organisation word
                tail = toks[k : min(run_end, k + 3)]
                cand.embedded = any(x.text in lex.org_suffix or x.text[:-1] in lex.org_suffix for x in tail)
                held.append(cand)
            else:
                persons.add(cand.key)
                if cand.person:
                    sure.add(cand.key)
            i += 1
            continue
        if cand.kind == "toponym" and _prefix_of_longer_name(text, toks, k):
            # "Madinat al Salah", "Bilad al Yubi", "Dara i Pech": the gazetteer knows only the
            # generic first word; the place is the whole (unknown) name
            unknown = _unknown_place(text, toks, i, run_end, gaz, lex)
            if unknown is not None:
                out.append(unknown)
            while i < n and toks[i].start < (unknown.end if unknown is not None else cand.end):
                i += 1
            continue
        if toks[i].part:
            # "the Syrian-Turkish border", "the Amsterdam-London leg": a modifier, never the event's place
            cand.embedded = True
        out.append(cand)
        # jump past the match
        while i < n and toks[i].start < cand.end:
            i += 1
    if persons:
        # "Kelly said" after "John Kelly": the surname again, not the town; but a name the
        # article also puts "in"/"near" or calls a town is that town ("A429 Cirencester
        # junction ... travelling to Cirencester" does not make Cirencester a surname)
        persons -= {c.key for c in out if c.place_cue}
        out = [
            c
            for c in out
            if not (
                c.key in persons
                and c.kind == "toponym"
                and (c.key in sure or _best_pop(c, gaz) < _PERSON_POP)
            )
        ]
    if held:
        # "Slidell PD", "The Allendale Woman's Club": a town glued only to the word after it
        # names an organisation after the town when the article names that town elsewhere
        towns = {c.key for c in out if c.kind in ("toponym", "admin1")}
        keep = [h for h in held if (h.embedded or h.key in towns) and h.key not in persons]
        for h in keep:
            h.embedded = True
        if keep:
            out = sorted(out + keep, key=lambda c: c.start)
    return out


def _key_flags_memo(gaz: Gazetteer) -> dict[str, int]:
    """folded n-gram -> flags (1: some table knows it, 2: it has spelling variants), kept with
    the gazetteer: the matcher asks about every capitalised word, and one dict lookup answers
    what took four lookups and two method calls."""
    memo = gaz.memo.get("key_flags")
    if memo is None:
        memo = gaz.memo["key_flags"] = {}
    return memo


def _key_flags(key: str, gaz: Gazetteer, memo: dict[str, int]) -> int:
    known = key in gaz.demonyms or key in gaz.region_demonyms or gaz.knows(key)
    flags = (1 if known else 0) | (2 if gaz.has_variants_folded(key) else 0)
    if len(memo) < 200_000:
        memo[key] = flags
    return flags


# Words that join the parts of one Arabic/Persian name: the articles, plus "bin"/"ibn" and Dari "i"/"e".
_LINKS = (frozenset(_ARTICLE_WORDS) - {"il"}) | {"bin", "ibn", "i", "e"}


def _prefix_of_longer_name(text: str, toks: list[_Tok], k: int) -> bool:
    """The match (ending before token ``k``) is followed, inside the same name, by an
    Arabic/Persian link word and another capitalised word ("Madinat al Salah", "Dara i Pech")."""
    if k + 1 >= len(toks) or k < 1:
        return False
    a, b = toks[k], toks[k + 1]
    return a.text in _LINKS and b.cap and _joinable(text, toks[k - 1], a) and _joinable(text, a, b)


def _unknown_place(
    text: str, toks: list[_Tok], i: int, j: int, gaz: Gazetteer, lex: _Lexicon
) -> _Cand | None:
    """A name the gazetteer lacks, kept (unresolved) when the context says it is a place:
    "the village of X", "X village", "X, a town ...", "in/at/near X", "X District"."""
    k = j
    while k > i and not toks[k - 1].cap:
        k -= 1
    t = toks[i]
    if (
        k <= i
        or t.key in _NEVER_FIRST
        # "Beyond Madinaty": the preposition is no part of the name ("As Sabaa": an Arabic article is)
        or (t.key in lex.function_words and t.key not in _ARTICLE_WORDS)
        or t.text in lex.first_names
        or t.key in gaz.demonyms
    ):
        return None
    # "Umm Khalifa", "Deir Khabiyeh": stop-listed words may open a longer name, not be one
    if (
        (k - i == 1 and t.text in lex.stop)
        or toks[k - 1].text in lex.stop
        and toks[k - 1].text not in lex.feature_words
    ):
        return None
    start, end = t.start, toks[k - 1].end
    before = text[max(0, start - 50) : start]
    after = text[end : end + 60]
    # cheap gates: the before-patterns end in a cue word, the after-patterns start with "," or one
    last = _last_word(before)
    a0 = after.lstrip()[:1]
    feature = toks[k - 1].text in lex.feature_words and k - i > 1
    if not (last == "of" or last in _LOCATIVE_GATE or a0 == "," or a0 == "L" or a0.islower() or feature):
        return None  # no rule below can fire: most capitalised runs end here
    name = text[start:end]
    if len(name) < 4 or (k - i == 1 and _acronym_like(name)):
        return None
    qualified = a0 == "," and k - i <= 3 and _area_after(text, toks, k, gaz)
    if qualified and k - i == 1 and not name.isupper() and _sentence_start(text, start):
        qualified = False  # "Ideally, Orange County could ...": a sentence adverb (datelines are in capitals)
    if qualified and any(
        tt.text in lex.first_names or tt.text in lex.title_prefix or tt.text in lex.role_words
        for tt in toks[i:k]
    ):
        qualified = False  # "Attorney General Ken Paxton, Texas' top lawyer", "Managing Director, Niger ..."
    if not qualified and not any(ch.islower() for ch in name):
        return None  # a headline in capitals; a dateline ("CAMP MURRAY, Wash.") is qualified
    if (
        (last == "of" and lex.settlement_before.search(before))
        or ((a0.islower() or a0 == "L") and lex.settlement_after.search(after))
        or (a0 == "," and _APPOSITIVE.match(after))
    ):
        rule = "context:settlement"
    elif feature:
        rule = "context:feature"
    elif qualified:
        # "Estey's Bridge, N.B.", "CAMP MURRAY, Wash.", "in Gwbert, Ceredigion": a name written
        # with its state or country after a comma is a place in that area
        rule = "context:qualified"
    elif last in _LOCATIVE_GATE and _UNKNOWN_LOCATIVE.search(before) and not _sentence_start(text, start):
        rule = "context:locative"
    else:
        return None
    # checked last: most runs fail the rules above, and these are the same for every outcome
    nxt = toks[k] if k < len(toks) else None
    if nxt is not None and nxt.text in lex.org_suffix and _joinable(text, toks[k - 1], nxt):
        return None
    key = " ".join(tt.key for tt in toks[i:k])
    return _Cand(start, end, key, [], rule=rule, context=True, settlement_hint=rule == "context:settlement")


def _area_after(text: str, toks: list[_Tok], k: int, gaz: Gazetteer) -> bool:
    """A first-level admin area or a country named right after ", " (token ``k`` on)."""
    if k >= len(toks) or not toks[k].cap or text[toks[k - 1].end : toks[k].start] not in (", ", ","):
        return False
    key = ""
    for m in range(k, min(k + 3, len(toks))):
        if m > k and not _joinable(text, toks[m - 1], toks[m]):
            break
        key = (key + " " + toks[m].key).strip()
        if gaz.country_of_key(key) or any(gaz.is_admin1(p) for p, _ in gaz.ids(key)):
            return True
    return False


def _best_pop(c: _Cand, gaz: Gazetteer) -> int:
    """Largest namesake by exact name (spelling variants would make any 'Kelly' a city)."""
    return max((gaz.population(p) for p in c.ids if p not in c.vonly), default=0)


def _match(
    key: str, text: str, toks: list[_Tok], i: int, k: int, gaz: Gazetteer, lex: _Lexicon
) -> _Cand | None:
    start, end = toks[i].start, toks[k - 1].end
    single = k - i == 1
    surface = text[start:end]
    iso2 = gaz.demonyms.get(key) if key not in gaz.region_demonyms else None
    if iso2 is not None and (surface[0].isupper()):
        cp = gaz.country_place_index(iso2)
        if cp is None:
            return None
        c = _Cand(start, end, key, [cp], kind="demonym", rule="demonym")
        _annotate(c, text, toks, i, k, gaz, lex)
        return None if c.embedded and single and c.rule == "title" else c
    ridx = gaz.region_demonyms.get(key)
    if ridx is not None:
        c = _Cand(start, end, key, [ridx], kind="demonym", rule="demonym:region")
        _annotate(c, text, toks, i, k, gaz, lex)
        return c
    reading = _readings(key, gaz)
    if reading is None:
        return None
    if single and surface in lex.stop and gaz.country_of_key(key) is None:
        return None
    # "US"/"IT"/"AN": all-caps short tokens only match when the key is an all-caps alias
    ids, alt, extra = reading
    c = _Cand(start, end, key, list(ids), alt=set(alt))
    if extra:
        c.ids.extend(extra)
        c.vonly.update(extra)
    _annotate(c, text, toks, i, k, gaz, lex)
    if c.rule == "title":
        return None
    return c


def _readings(key: str, gaz: Gazetteer) -> tuple[tuple[int, ...], frozenset[int], tuple[int, ...]] | None:
    """(exact ids, ids named by an alternate name, spelling-variant ids) of a folded name, or
    None when the gazetteer lacks it: the same for every mention, so remembered per gazetteer."""
    mk = ("readings", key)
    try:
        return gaz.memo[mk]
    except KeyError:
        pass
    pairs = _prefer_landmarks(gaz.ids(key), gaz)
    out: tuple[tuple[int, ...], frozenset[int], tuple[int, ...]] | None = None
    if pairs:
        ids = tuple(p for p, _ in pairs)
        extra: tuple[int, ...] = ()
        if len(key) >= 4:
            # spelling variants join the candidates ("Mansura" is also Syria's "Al Mansurah");
            # a variant only competes from a country where the exact name is no town by its own
            # name: next to Iraq's town "Daquq", Iraq's "Dihok" is a spelling accident, while
            # next to the governorate "Ar Raqqa" the city "Ar Raqqah" is a reading
            have = set(ids)
            ppl = gaz.code_ids("PPL", "PPLA", "PPLA2", "PPLA3", "PPLC", "PPLX")
            ccs = {gaz.country_code(p) for p, a in pairs if not a and gaz.feature_code_id(p) in ppl}
            # key is fold(surface) (tokens folded one by one): skip folding the surface again
            extra = tuple(
                v for v in gaz.variant_ids_folded(key) if v not in have and gaz.country_code(v) not in ccs
            )
        out = (ids, frozenset(p for p, a in pairs if a), extra)
    if len(gaz.memo) < 200_000:
        gaz.memo[mk] = out
    return out


# feature codes only landmark rows carry (towns and areas left out)
_LANDMARK_ONLY = tuple(sorted(LANDMARK_CODES - {"PPL", "PPLX", "RGN"}))


def _prefer_landmarks(pairs: list[tuple[int, bool]], gaz: Gazetteer) -> list[tuple[int, bool]]:
    """A listed landmark drops the namesakes that carry its name only as an alternate name
    ("White House" is also a by-name of Casablanca, "Pentagon" of no town news means)."""
    if len(pairs) < 2:
        return pairs
    marks = gaz.code_ids(*_LANDMARK_ONLY)
    if not any(gaz.feature_code_id(p) in marks for p, _ in pairs):
        return pairs
    return [(p, a) for p, a in pairs if not a or gaz.feature_code_id(p) in marks]


def _match_variant(
    key: str, text: str, toks: list[_Tok], i: int, k: int, gaz: Gazetteer, lex: _Lexicon
) -> _Cand | None:
    start, end = toks[i].start, toks[k - 1].end
    raw = text[start:end]
    opener = toks[i].key
    if (
        len(raw) < 5
        or raw in lex.stop
        or not raw[0].isupper()
        or (opener in lex.function_words and opener not in _ARTICLE_WORDS and k - i > 1)
    ):
        return None  # "IN THE", "The HALO": a spelling guess never opens with "the" ("As Sabaa" may)
    ids = gaz.variant_ids_folded(key)
    if not ids:
        return None
    c = _Cand(start, end, key, ids, variant=True, rule="variant")
    _annotate(c, text, toks, i, k, gaz, lex)
    if c.rule == "title" or (c.weak and not c.context):
        return None
    if not c.context and _doubtful_variant(c, raw, text, lex):
        return None
    return c


def _doubtful_variant(c: _Cand, raw: str, text: str, lex: _Lexicon) -> bool:
    """A spelling-variant guess with no locative cue that prose shows to be a word or a person:
    glued to another capitalised word ("Sarah Sanders", "Pieter Elbers"), a first name, a word
    that opens a sentence ("Seeing", "Again"), a headline in capitals ("REALLY BIG", unless a
    dateline follows), or a word the text also writes in lower case ("the Rent Allowance Scheme"
    next to "the scheme")."""
    if c.person_like or c.sent_start or raw in lex.first_names:
        return True
    if raw.isupper() and not re.match(r"^\s*(?:,|\()", text[c.end : c.end + 3]):
        return True
    if " " not in raw:
        low = raw.lower()
        return _has_word(text, low)
    return False


def _glued(ch: str) -> bool:
    """A character that continues a word (re's ``[\\w'’-]``)."""
    return ch.isalnum() or ch in "_'’-"


def _has_word(text: str, word: str) -> bool:
    """``word`` stands alone somewhere in ``text`` (no word character, apostrophe or hyphen on
    either side): str.find jumps between occurrences, where a regex opening with a look-behind
    was compiled per word and tried at every position of the article."""
    n = len(word)
    i = text.find(word)
    while i >= 0:
        if (i == 0 or not _glued(text[i - 1])) and (i + n >= len(text) or not _glued(text[i + n])):
            return True
        i = text.find(word, i + 1)
    return False


@cache
def _cue_words() -> tuple[int, int, int]:
    """How many whitespace-separated words at a window's end a near / settlement / locative cue
    can cover (its phrase, "the", "the two villages of"): at most one pattern token per word."""
    raw = read_json("geo_lexicon.json")

    def most(words: Iterable[str]) -> int:
        return max((len(w.split()) for w in words), default=1)

    near = most([*raw["near"], "outskirts of"]) + 5  # (the) (word word) town of
    return near, most(raw["settlement_words"]) + 2, most(raw["locative_preps"]) + 1


def _ends_with(rx: re.Pattern[str], before: str, words: int) -> bool:
    """``rx.search(before)`` for a cue pattern anchored at the end (``...$``) that covers at most
    ``words`` words: the search starts that many words back instead of trying every position of
    the window (the re.I alternations made these searches a large share of the matcher's time).
    A search from a position still sees the text before it, so word boundaries are unchanged."""
    parts = before.rsplit(None, words)
    return rx.search(before, len(parts[0]) if len(parts) > words else 0) is not None


def _annotate(c: _Cand, text: str, toks: list[_Tok], i: int, k: int, gaz: Gazetteer, lex: _Lexicon) -> None:
    """Context around a match: locatives, admin/settlement words, titles, organisation names."""
    start = c.start
    before = text[max(0, start - 60) : start]
    after = text[c.end : c.end + 40]
    prev = toks[i - 1] if i > 0 else None
    nxt = toks[k] if k < len(toks) else None
    if (
        prev is not None
        and prev.text.rstrip(".") in lex.title_prefix
        and _joinable_loose(text, prev, toks[i])
    ):
        c.rule = "title"
        return
    c.sent_start = _sentence_start(text, start)
    # cheap gates first: every before-pattern ends in a cue word, every after-pattern starts with one
    tail = before[-30:].lower().rsplit(None, 2)  # only the last word (past a "the") matters
    if tail and tail[-1] == "the":
        tail.pop()
    check_before = bool(tail) and tail[-1] in lex.gate_before
    head = after[:30].lower().replace("’s", " ").replace("'s", " ").split(None, 1)
    head0 = head[0].strip(",.;:") if head else ""
    check_after = head0 in lex.gate_after
    c.facility = head0 in lex.facility_words and not after.startswith(",")
    last = tail[-1] if check_before else ""
    cue_words = _cue_words()
    near_b = last in lex.near_gate and _ends_with(lex.near_before, before, cue_words[0])
    if check_after:
        c.near = near_b or bool(lex.near_after.search(after))
        c.admin_hint = bool(lex.admin_after.search(after))
        settle_after = bool(lex.settlement_after.search(after))
    else:
        c.near, c.admin_hint, settle_after = near_b, False, False
    admin_next = c.admin_hint or settle_after
    c.settlement_hint = (
        last == "of" and _ends_with(lex.settlement_before, before, cue_words[1])
    ) or settle_after
    locative = last in lex.locative_gate and _ends_with(lex.locative_before, before, cue_words[2])
    c.context = c.settlement_hint or c.admin_hint or c.near or locative
    # "to/from/of X" also takes people ("according to Kelly"): only these cues overrule a surname
    c.place_cue = c.settlement_hint or c.admin_hint or c.near or (locative and last in lex.place_preps)
    if nxt is not None and nxt.text in lex.org_suffix and _joinable(text, toks[k - 1], nxt):
        c.embedded = True
    surface = text[start : c.end]
    if (
        k - i > 1
        and c.kind == "toponym"
        and toks[i].text in lex.first_names
        and toks[k - 1].text not in lex.name_part_ok
        and toks[k - 1].text not in lex.feature_words
    ):
        # "Maria Magdalena": a first name opening the match; but a geographic head word
        # ("Beverly Hills", "Charlotte Island") makes the whole a place, not a person
        c.person_like = True
    if k - i == 1 and c.kind == "toponym":
        glued_prev = (
            prev is not None
            and prev.cap
            and not prev.particle
            and _joinable(text, prev, toks[i])
            and prev.text not in lex.name_part_ok
            # "A Nenagh councillor", "Beyond Madinaty", "the A429 Cirencester junction": a
            # capitalised function word or a road number is no first name
            and prev.key not in lex.function_words
            and not any(ch.isdigit() for ch in prev.text)
        )
        glued_next = (
            nxt is not None
            and nxt.cap
            and not nxt.particle
            and _joinable(text, toks[k - 1], nxt)
            and nxt.text not in lex.org_suffix
            and nxt.text not in lex.name_part_ok
            # "Konduga Local Government Area", "Daquq District": an admin word, not a surname
            and not admin_next
        )
        c.person_like = glued_prev or glued_next
        c.org_glued = glued_next and not glued_prev
        if glued_prev and prev is not None and prev.text in lex.first_names and not c.place_cue:
            c.person = True  # "Andrew Jordan", "John Bolton": a big town's name is a surname too
        if surface in lex.first_names and not c.settlement_hint and not c.near:
            # "Helen", "Laura": a town of that name exists, but prose means the person;
            # "Victoria Rowell", "Vladimir Putin": a first name before a surname, however big the town
            c.person_like, c.org_glued = True, False
            c.person = c.person or (glued_next and not c.place_cue)
        if lex.speech_after.match(after) and not c.place_cue:
            # "Sandberg said", "Maraga reiterated": a small town does not speak (a capital may,
            # for its government: the population rule in ``recognise`` keeps those); "officials in
            # Soledar said", "soldiers near Bakhmut said": after a locative the name is the place
            c.person_like, c.org_glued = True, False
        if _AGE_AFTER.match(after):
            # "Yassin, 35, was captured": an age follows a person, not a town
            c.person_like, c.person, c.org_glued = True, True, False
    if surface in lex.stop_ok_in_context and not c.context:
        # "Jordan said", "Mali's" vs "in Jordan": countries among these stay (handled by kind)
        if not any(gaz.feature_code(p) == "PCLI" for p in c.ids):
            c.weak = True
    if c.kind == "toponym":
        codes, best_pop = _name_facts(c, gaz)
        if "PCLI" in codes and not c.settlement_hint:
            c.kind = "country"
        elif "ADM1" in codes and (c.admin_hint or not any(code not in ("ADM1", "CONT") for code in codes)):
            c.kind = "admin1"
        multi = k - i > 1
        if c.kind == "toponym" and not multi and best_pop < 20_000:
            c.weak = True
        if c.kind == "toponym" and c.sent_start and not multi and best_pop < 100_000:
            c.weak = True
        if c.kind == "toponym" and not multi and _acronym_like(surface) and best_pop < 1_000_000:
            # "NATO", "AMLO", "MoD": acronyms, unless a dateline ("HOMS, Syria" / "HOMS (Reuters)")
            if not re.match(r"^\s*(?:,|\()", after):
                c.rule = "title"
        if c.variant and best_pop < 5_000 and not c.context:
            c.weak = True


def _name_facts(c: _Cand, gaz: Gazetteer) -> tuple[frozenset[str], int]:
    """Feature codes of a name's candidates and its biggest namesake's population: the same for
    every mention of a name, so remembered per gazetteer ("San Jose" has hundreds of ids)."""
    ids = c.ids
    mk = ("facts", c.key, c.variant, len(ids), len(c.vonly), ids[0] if ids else -1, ids[-1] if ids else -1)
    hit = gaz.memo.get(mk)
    if hit is None:
        codes = frozenset(gaz.feature_code(p) for p in ids)
        best_pop = _best_pop(c, gaz) if not c.variant else max(gaz.population(p) for p in ids)
        hit = (codes, best_pop)
        if len(gaz.memo) < 200_000:
            gaz.memo[mk] = hit
    return hit


def _acronym_like(w: str) -> bool:
    return len(w) <= 5 and sum(ch.isupper() for ch in w) >= 2


def _joinable_loose(text: str, a: _Tok, b: _Tok) -> bool:
    gap = text[a.end : b.start]
    return gap.strip(" .") == "" and len(gap) <= 3


# --- resolution ----------------------------------------------------------------


def _km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Equirectangular distance: within a few % of great-circle at the <400 km scales that matter here."""
    dlon = abs(a[1] - b[1])
    if dlon > 180.0:
        dlon = 360.0 - dlon
    x = dlon * math.cos(math.radians((a[0] + b[0]) / 2))
    return 111.2 * math.hypot(x, a[0] - b[0])


def _vote(c: _Cand, gaz: Gazetteer) -> dict[str, float]:
    """What one recognised name says about the article's country (computed once per name;
    the answer depends only on the name's reading, so it is shared across articles)."""
    if c.vote is None:
        ids = c.ids
        mk = (
            "vote",
            c.key,
            c.kind,
            c.variant,
            c.weak,
            len(ids),
            len(c.vonly),
            ids[0] if ids else -1,
            ids[-1] if ids else -1,
        )
        hit = gaz.memo.get(mk)
        if hit is None:
            hit = _vote_of(c, gaz)
            if len(gaz.memo) < 200_000:
                gaz.memo[mk] = hit
        c.vote = hit
    return c.vote


def _vote_of(c: _Cand, gaz: Gazetteer) -> dict[str, float]:
    if not c.ids:
        return {}
    if c.kind == "country":
        pcli = gaz.code_ids("PCLI")
        return {gaz.country_code(p): 2.0 for p in c.ids if gaz.feature_code_id(p) in pcli}
    ccs = {gaz.country_code(p) for p in c.ids} - {""}
    if c.kind == "demonym":
        return dict.fromkeys(ccs, 1.0)
    if c.variant or all(p in c.vonly for p in c.ids):
        # a spelling-variant guess ("Nayrab" ~ a Russian hamlet) must not vouch for its own country
        return {}
    if len(ccs) == 1:
        w = 1.5 if c.kind == "admin1" else (0.5 if c.weak else 1.0)
        return {next(iter(ccs)): w}
    if c.kind == "admin1" or not c.weak:
        # an ambiguous name still votes a little for the country of its biggest namesake, by exact
        # name only ("Tijuana" must not vote for China through Taiyuan's spelling key)
        exact = [p for p in c.ids if p not in c.vonly]
        best = max(exact, key=gaz.population) if exact else None
        if best is not None and gaz.population(best) > 100_000:
            return {gaz.country_code(best): 0.5}
    return {}


def _focus(cands: Sequence[_Cand], gaz: Gazetteer, hints: Mapping[str, float] | None = None) -> Counter[str]:
    """How strongly the article is about each country: named countries, demonyms, admin areas,
    and the countries the actors imply (``hints``: "Houthis" -> YE), which weigh like demonyms."""
    f: Counter[str] = Counter()
    for cc, votes in (hints or {}).items():
        try:
            v = float(votes)
        except (TypeError, ValueError):
            continue
        if isinstance(cc, str) and len(cc) == 2 and v > 0:
            # capped: a long report repeating "Taliban" must not outvote every named place
            f[cc.upper()] += min(v, 3.0)
    for c in cands:
        for cc, w in _vote(c, gaz).items():
            f[cc] += w
    return f


def _resolve(
    cands: list[_Cand], text: str, gaz: Gazetteer, hints: Mapping[str, float] | None = None
) -> Counter[str]:
    """Choose a candidate for every name; returns the article's country focus."""
    focus = _focus(cands, gaz, hints)
    total = sum(focus.values()) or 1.0
    top_cc = focus.most_common(1)[0][0] if focus else ""
    # admin areas named in the text, by (cc, admin1 name) -> positions
    admins: dict[tuple[str, str], list[int]] = {}
    # which names named each area: a name's own admin-area reading must not vouch for its town
    # reading ("Tripoli" the Libyan district backing Tripoli, Libya over Tripoli, Lebanon)
    admin_keys: dict[tuple[str, str], set[str]] = {}
    is_admin1 = gaz.is_admin1
    seen: dict[tuple[str, bool, int, int], list[tuple[str, str]]] = {}  # a repeated name: same ids
    for c in cands:
        sk = (c.key, c.variant, len(c.ids), c.ids[0] if c.ids else -1)
        areas = seen.get(sk)
        if areas is None:
            areas = seen[sk] = [(gaz.country_code(p), gaz.admin1_name(p)) for p in c.ids if is_admin1(p)]
        for area in areas:
            admins.setdefault(area, []).append(c.start)
            admin_keys.setdefault(area, set()).add(c.key)
    # every admin mention by position, so "which areas are named within 80 characters" is a
    # bisect, not a scan of all mentions (a book-length text names thousands)
    admin_at = sorted((x, area) for area, pos in admins.items() for x in pos)
    admin_pos = [x for x, _ in admin_at]
    listed = _list_mates(cands, text) if admin_at else {}
    # what each name says about the country focus, summed over its mentions: a name's own votes
    # are no evidence for its own readings ("Buenos Aires" voting for Argentina)
    key_votes: dict[str, Counter[str]] = {}
    for c in cands:
        v = _vote(c, gaz)
        if v:
            key_votes.setdefault(c.key, Counter()).update(v)
    anchors: list[tuple[float, float]] = []
    for c in cands:
        if len(c.ids) > _MAX_CANDIDATES:
            c.ids = _prune(c, gaz, focus, admins)
    # repeated names share their candidates: score each place once per round / per article
    static_memo: dict[tuple, list[float]] = {}
    for rnd in range(2):
        new_anchors: list[tuple[float, float]] = []
        amemo: dict[int, float] = {}
        no_anchor = gaz.code_ids("PCLI", "CONT")
        for c in cands:
            if not c.ids:
                continue
            if rnd == 1 and c.margin > 3.0:
                # clear winners stay; only close calls are re-scored with the anchors
                if c.choice is not None and gaz.feature_code(c.choice) == "PPL":
                    ll = gaz.latlon(c.choice)
                    if ll not in new_anchors and len(new_anchors) < _MAX_ANCHORS:
                        new_anchors.append(ll)
                continue
            if len(c.ids) == 1:
                c.choice, c.score, c.margin = c.ids[0], 0.0, 10.0
                if rnd == 0 and gaz.feature_code(c.ids[0]) == "PPL":
                    ll = gaz.latlon(c.ids[0])
                    if ll not in new_anchors and len(new_anchors) < _MAX_ANCHORS:
                        new_anchors.append(ll)
                continue
            nearby: frozenset[tuple[str, str]] = frozenset()
            if c.static is None:
                nearby = _admins_near(c.start, admin_pos, admin_at, listed.get(c.start))
                mk = (
                    c.key,
                    c.kind,
                    c.admin_hint,
                    tuple(c.ids),
                    frozenset(c.alt),
                    frozenset(c.vonly),
                    nearby,
                )
                c.static = static_memo.get(mk)
                c.lone = static_memo.get(("lone", mk))
            if c.static is None:
                # a town sharing the admin area's name: same admin1, or a city of 100k+ in that country
                # (a fact of the ids alone: common names come back article after article)
                # (a small town that carries the name only as a by-name does not count: "Montana
                # City" is no reason to read "Montana" as a town)
                pk = ("ppl_admins", mk[3], mk[4], mk[5])
                hit = gaz.memo.get(pk)
                if hit is None:
                    ppl = gaz.code_ids("PPL", "PPLC")
                    towns = [
                        q
                        for q in c.ids
                        if gaz.feature_code_id(q) in ppl
                        and not (q in c.alt and gaz.population(q) < _MINOR_POP)
                    ]
                    ppl_admins = {(gaz.country_code(q), gaz.admin1_name(q)) for q in towns} | {
                        (gaz.country_code(q), "*")
                        for q in towns
                        if gaz.population(q) >= 100_000 and q not in c.vonly
                    }
                    # the biggest namesakes that bear the name as their own: any, and towns
                    exact = [q for q in c.ids if q not in c.alt and q not in c.vonly]
                    exact_top = (
                        max((gaz.population(q) for q in exact), default=0),
                        max((gaz.population(q) for q in exact if gaz.feature_code_id(q) in ppl), default=0),
                    )
                    # cities that make the name known worldwide ("Manchester", "Colchester")
                    bigs = tuple(
                        (gaz.population(q), gaz.country_code(q))
                        for q in exact
                        if gaz.population(q) >= _PROMINENT_POP and gaz.feature_code_id(q) in ppl
                    )
                    if c.variant:
                        bigs = ()  # a respelling names no city of its own
                    hit = (ppl_admins, exact_top, bigs)
                    if len(gaz.memo) < 200_000:
                        gaz.memo[pk] = hit
                ppl_admins, exact_top, bigs = hit
                own = key_votes.get(c.key)
                c.static = [
                    _static_score(
                        c, p, gaz, focus, total, top_cc, admin_keys, ppl_admins, nearby, own, exact_top
                    )
                    for p in c.ids
                ]
                # most names have no city of 100k+ among their namesakes: nothing to discount
                c.lone = (
                    [_lone_focus(p, gaz, bigs, focus, total, top_cc, admin_keys) for p in c.ids]
                    if bigs
                    else None
                )
                static_memo[mk] = c.static
                static_memo[("lone", mk)] = c.lone
            best, best_s, second = None, -1e9, -1e9
            lone = c.lone or [0.0] * len(c.ids)
            for p, st, lo in zip(c.ids, c.static, lone, strict=True):
                if anchors:
                    a = amemo.get(p)
                    if a is None:
                        a = amemo[p] = _anchor_score(p, gaz, anchors, no_anchor)
                else:
                    a = 0.0  # the first round has no anchors yet: _anchor_score's own answer
                s = st + a
                if a <= 0.0:
                    s -= lo  # no other place of the article nearby: the country focus alone is weak
                if s > best_s:
                    best, best_s, second = p, s, best_s
                elif s > second:
                    second = s
            c.choice, c.score = best, best_s
            c.margin = best_s - second if len(c.ids) > 1 else 10.0
            if best is not None and gaz.feature_code(best) in ("PPL",) and (c.margin > 1.0 or rnd == 1):
                ll = gaz.latlon(best)
                if ll not in new_anchors and len(new_anchors) < _MAX_ANCHORS:
                    new_anchors.append(ll)
        anchors = new_anchors
    _one_sense(cands)
    return focus


def _one_sense(cands: Sequence[_Cand]) -> None:
    """A name repeated in one article means one place: a close call follows the clearest mention
    of the same name ("Parkland, Florida" early on decides the later bare "Parkland")."""
    lead: dict[tuple, _Cand] = {}
    for c in cands:
        if c.choice is not None and len(c.ids) > 1:
            k = (c.key, c.variant, len(c.ids), c.ids[0])
            if k not in lead or c.margin > lead[k].margin:
                lead[k] = c
    for c in cands:
        if c.choice is None or len(c.ids) <= 1:
            continue
        best = lead[(c.key, c.variant, len(c.ids), c.ids[0])]
        if (
            best.choice != c.choice
            and c.margin < 1.0
            and best.margin >= c.margin + 0.5
            and best.choice in c.ids
        ):
            c.choice = best.choice


def _admins_near(
    start: int,
    admin_pos: list[int],
    admin_at: list[tuple[int, tuple[str, str]]],
    mates: frozenset[int] | None = None,
) -> frozenset[tuple[str, str]]:
    """The admin areas named within 80 characters of ``start`` (``admin_pos``: the sorted
    positions of ``admin_at``): the only part of the static score that depends on where the
    name stands. ``mates``: positions of names listed with this one, which are its siblings
    ("Washington, New York and Boston"), not its qualifiers."""
    lo = bisect_right(admin_pos, start - 80)
    hi = bisect_left(admin_pos, start + 80, lo)
    if lo >= hi:
        return frozenset()
    if mates:
        return frozenset(admin_at[j][1] for j in range(lo, hi) if admin_at[j][0] not in mates)
    return frozenset(admin_at[j][1] for j in range(lo, hi))


def _list_mates(cands: Sequence[_Cand], text: str) -> dict[int, frozenset[int]]:
    """Start positions of the names in each list ("A, B and C", "A or B"), by member: a run of
    names joined by commas and a conjunction. A lone comma ("Tacoma, Washington") is a qualifier."""
    out: dict[int, frozenset[int]] = {}
    order = (
        cands
        if all(a.start < b.start for a, b in zip(cands, cands[1:], strict=False))
        else sorted({c.start: c for c in cands}.values(), key=lambda c: c.start)
    )
    run: list[_Cand] = []
    conj = False

    def close() -> None:
        if len(run) > 1 and conj:
            members = frozenset(x.start for x in run)
            for x in run:
                out[x.start] = members

    for c in order:
        # list gaps are short (", ", " and ", ", or "): most pairs need no regex
        if run and 0 <= c.start - run[-1].end <= 8 and _LIST_GAP.match(text[run[-1].end : c.start]):
            conj = (
                conj
                or "," not in text[run[-1].end : c.start]
                or bool(re.search(r"\b(?:and|or)\b", text[run[-1].end : c.start]))
            )
            run.append(c)
            continue
        close()
        run, conj = [c], False
    close()
    return out


def _prune(
    c: _Cand, gaz: Gazetteer, focus: Counter[str], admins: dict[tuple[str, str], list[int]]
) -> list[int]:
    """Keep the candidates that can win: the most populous, and any in a focus country or named admin."""
    # the sort and the per-place facts depend on the ids alone: the same common names
    # ("San Jose", "Tripoli") come back in article after article
    mk = ("prune", tuple(c.ids))
    hit = gaz.memo.get(mk)
    if hit is None:
        top = sorted(c.ids, key=gaz.population, reverse=True)[:_MAX_CANDIDATES]
        seen = set(top)
        rest = []
        for p in c.ids:
            if p not in seen:
                seen.add(p)
                cc = gaz.country_code(p)
                rest.append((p, cc, (cc, gaz.admin1_name(p))))
        hit = (top, rest)
        if len(gaz.memo) < 200_000:
            gaz.memo[mk] = hit
    keep = list(hit[0])
    for p, cc, area in hit[1]:
        if focus.get(cc) or area in admins:
            keep.append(p)
    return keep


_HAND_LISTED = (
    frozenset(("RGN", "SEA", "OCN", "PEN", "MTS", "VAL", "DSRT", "LK", "STRT", "FRST", "PCLH", "BLDG"))
    | LANDMARK_CODES
) - {"PPL", "PPLX"}


def _static_score(
    c: _Cand,
    p: int,
    gaz: Gazetteer,
    focus: Counter[str],
    total: float,
    top_cc: str,
    admins: Mapping[tuple[str, str], set[str]],
    ppl_admins: set[tuple[str, str]],
    nearby: frozenset[tuple[str, str]] = frozenset(),
    own_votes: Mapping[str, float] | None = None,
    exact_top: tuple[int, int] = (0, 0),
) -> float:
    """Everything but closeness to the other places: population, type, focus, admin context.
    ``own_votes``: what this name's mentions add to ``focus`` themselves; ``exact_top``: the
    populations of the biggest namesake and the biggest town that bear the name as their own
    (not as a by-name)."""
    facts = _place_facts(p, gaz)
    code, cc, s, a1 = facts
    by_name = p in c.alt
    if by_name:
        s -= 0.7
        pop = gaz.population(p)
        if exact_top[0] >= 10 * pop or exact_top[1] >= pop:
            # a by-name against a far bigger place, or a bigger town, of that very name
            # ("Birmingham" is also a by-name of a Georgia town, "Manchester" of a part of Richmond)
            s -= 1.0
    elif p in c.vonly:
        s -= 1.2
    if code == "PCLI":
        s += 3.0 if c.kind == "country" else 1.0
    elif code == "ADM1":
        if c.admin_hint:
            s += 2.5
        elif (cc, a1) in ppl_admins or (cc, "*") in ppl_admins:
            s -= 1.0  # "Idlib" alone: the city that gives the governorate its name
        else:
            s += 1.0
    elif code == "ADM2":
        s += 1.0 if c.admin_hint or c.key.endswith(" county") else -2.5
    elif code == "CONT":
        s += 3.0
    elif code == "PPLC":
        # a capital is the usual referent, yet a named country focus must be able to win; not
        # through a by-name ("Salisbury" was Harare, "Garden City" is Singapore's nickname)
        # nor through a part of a longer name ("Washington Township", "Vienna/Fairfax Metro")
        # and only where the rest of the article touches its country at all ("in Buenos Aires,
        # Nuevo Chimbote, Ancash" is a Peruvian place; "In Washington" in a US-Russia story is not)
        if (
            p not in c.alt
            and not c.rule.startswith("given:part")
            and focus.get(cc, 0.0) - (own_votes or {}).get(cc, 0.0) > 0.0
        ):
            s += 1.0
    elif code in _HAND_LISTED:
        s += 2.0  # hand-listed: chosen because news means these, not the hamlet of the same name
    elif c.admin_hint:
        s -= 1.0
    if cc:
        s += 2.0 * focus.get(cc, 0.0) / total
        if cc == top_cc:
            s += 0.5
    if code == "ADM1" and c.kind == "country" and own_votes and cc not in own_votes:
        # "Georgia" in a story about the United States, with nothing else pointing to the country
        # Georgia (no Tbilisi, no "Georgian"): the state of the country the rest of the article
        # is about (not "Mexico" in a Mexican story: the country is the article's own)
        rest = {k: v - own_votes.get(k, 0.0) for k, v in focus.items()}
        if rest.get(cc, 0.0) > 0.0 and max(rest.values()) <= rest[cc]:
            s += 2.0
    if code == "ADM1" and a1:
        named_by = admins.get((cc, a1))
        if named_by and len(named_by - {c.key}) > 0:
            # the area is also named another way ("Washington" ... "Wash.", "Calif." ... "California")
            s += 1.5
    elif a1:
        area = (cc, a1)
        named_by = admins.get(area)
        if (
            named_by
            and by_name
            and named_by == {c.key}
            and (gaz.population(p) < _MINOR_POP or exact_top[0] >= 10 * gaz.population(p))
        ):
            # "Montana", "Chiapas" name the area, not a town that has the name as a by-name
            named_by = None
        if named_by:
            # the name's own admin-area reading counts too ("Idlib" the city backed by Idleb the
            # governorate): measured better on ACLED notes than discounting it
            if area in nearby:
                s += 3.0
            elif exact_top[1] >= max(_PROMINENT_POP, 10 * gaz.population(p)) and not c.rule.startswith(
                "given:part"
            ):
                # the state named somewhere in the story is weak evidence for a town a tenth the
                # size of a city of that name ("Portland" in a Texan sports story is Oregon's);
                # not for part of a longer name ("Washington Township" is no city of Washington)
                s += 0.75
            else:
                s += 1.5
    return s


_PROMINENT_POP = 100_000
_PROMINENT_RATIO = 5


def _lone_focus(
    p: int,
    gaz: Gazetteer,
    bigs: tuple[tuple[int, str], ...],
    focus: Counter[str],
    total: float,
    top_cc: str,
    admins: Mapping[tuple[str, str], set[str]],
) -> float:
    """How much of ``p``'s country-focus bonus is discounted when no other place of the article
    lies near it: a much bigger namesake abroad ("Manchester", England against Manchester, New
    Hampshire) is the usual referent, and "the story mentions the US" alone is weak evidence
    against it. The town's own state named in the article, or a place near it, is real evidence."""
    code, cc, _, a1 = _place_facts(p, gaz)
    if not cc or code in ("ADM1", "ADM2", "PCLI", "CONT") or (a1 and (cc, a1) in admins):
        return 0.0
    pop = gaz.population(p)
    if not any(bcc != cc and bpop >= _PROMINENT_RATIO * pop for bpop, bcc in bigs):
        return 0.0
    return 0.5 * (2.0 * focus.get(cc, 0.0) / total + (0.5 if cc == top_cc else 0.0))


def _place_facts(p: int, gaz: Gazetteer) -> tuple[str, str, float, str]:
    """(feature code, country, log10 population prior, admin1) of place ``p``: the scorer asks
    about the same few thousand places in every article, so remembered per gazetteer."""
    mk = ("pfacts", p)
    hit = gaz.memo.get(mk)
    if hit is None:
        hit = (
            "PPLC" if _is_capital(p, gaz) else gaz.feature_code(p),
            gaz.country_code(p),
            math.log10(gaz.population(p) + 10),
            gaz.admin1_name(p),
        )
        if len(gaz.memo) < 200_000:
            gaz.memo[mk] = hit
    return hit


def _is_capital(p: int, gaz: Gazetteer) -> bool:
    """The bundled towns carry no PPLC code: a country's capital is known from its country row."""
    caps = gaz.memo.get(("capitals",))
    if caps is None:
        caps = gaz.memo[("capitals",)] = gaz.capital_indices()
    return p in caps


def _anchor_score(
    p: int, gaz: Gazetteer, anchors: list[tuple[float, float]], skip: frozenset[int] | None = None
) -> float:
    """Closeness to the anchors; ``skip``: the feature-code ids never anchored (countries,
    continents), passed in by a caller that scores many places."""
    if not anchors:
        return 0.0
    if skip is None:
        skip = gaz.code_ids("PCLI", "CONT")
    if gaz.feature_code_id(p) in skip:
        return 0.0
    ll = gaz.latlon(p)
    lat = ll[0]
    best = 0.0
    for a in anchors:
        if abs(lat - a[0]) > 3.6:
            continue  # over 400 km apart by latitude alone: no say (skips the distance maths)
        d = _km(ll, a)
        if d < 1.0:
            continue  # the place itself
        if d < 100:
            return 1.5
        if d < 400:
            best = 0.7
    return best


def _precision(c: _Cand, code: str) -> int:
    if c.kind in ("country", "demonym") or code in ("PCLI", "CONT"):
        return 3
    if code == "ADM1" or c.kind == "admin1":
        return 3
    if c.near:
        return 2
    # a landmark stands for its town (1); a base outside the town it is named after, 2
    return landmark_precision(code) if code in _HAND_LISTED and code in LANDMARK_CODES else 1


def _ranked(counts: Mapping[str, float]) -> list[tuple[str, float]]:
    return sorted(counts.items(), key=lambda kv: kv[1], reverse=True)


def _top_without(
    counts: Mapping[str, float],
    mine: dict[str, float],
    skip: str | None = None,
    ranked: list[tuple[str, float]] | None = None,
) -> float:
    """max(v - mine[x]) over ``counts`` (``skip`` left out), 0.0 when empty: the same as a scan
    of every entry, but only the few biggest counts and ``mine``'s own countries can win, so a
    long text naming a hundred countries does not cost a scan per place."""
    best: float | None = None
    for x in mine:
        if x != skip and x in counts:
            v = counts[x] - mine[x]
            if best is None or v > best:
                best = v
    # the biggest count outside ``mine`` (and ``skip``): at most len(mine) + 1 entries to pass
    for x, v in ranked if ranked is not None else _ranked(counts):
        if x in mine or x == skip:
            continue
        if best is None or v > best:
            best = v
        break
    return 0.0 if best is None else best


def _doubtful(
    c: _Cand,
    gaz: Gazetteer,
    cc: str,
    focus: Counter[str],
    top: float,
    places_focus: Counter[str] | None = None,
    ranked: tuple[list[tuple[str, float]], list[tuple[str, float]]] | None = None,
) -> bool:
    """A namesake abroad in an article about another country: "Nayrab" (Idlib) matching a Russian
    hamlet by spelling, "Karak" (Daraa) matching Jordan's Karak, "Olive Branch" a US town.

    ``places_focus`` counts only named places: "Turkish forces shelled Afrin" says nothing
    against Afrin being in Syria, while "Idleb" does say a village near it is Syrian."""
    if c.kind not in ("toponym", "admin1") or not cc or c.choice is None:
        return False
    mine = _vote(c, gaz)
    own = focus.get(cc, 0.0) - mine.get(cc, 0.0)  # support from the rest of the article
    # how firmly the rest of the article points anywhere (a lone name must not outvote itself)
    pf = places_focus if places_focus is not None else focus
    # ``ranked``: focus and pf sorted by count, made once per article by the caller
    top = _top_without(focus, mine, None, ranked[0] if ranked else None)
    ptop = _top_without(pf, mine, cc, ranked[1] if ranked else None)
    if own >= 1.0 or (own > 0.0 and own >= 0.5 * top):
        return False
    pop = gaz.population(c.choice)
    # a by-name or respelling is loose only where the name is nobody's own name in that country:
    # "Idleb" is a by-name of the city Idlib but the governorate's own name
    loose = c.variant or ((c.choice in c.alt or c.choice in c.vonly) and not _own_name_in(c, gaz, cc))
    if (c.variant or c.choice in c.vonly) and loose and own <= 0.0 and top >= 0.5:
        # a spelling accident ("Qaser" ~ Algiers, "Choro" ~ Seoul) never outvotes the country the
        # rest of the article points to, however big the city it happens to resemble
        return True
    if c.facility and own <= 0.0 and top >= 1.0 and pop < 5_000_000:
        # "Madina hospital" in a Mogadishu story: the building is where the story is, not in
        # a far namesake of its first word that nothing else in the article points to
        return True
    if c.kind == "admin1":
        # "Gelan district, Ghazni" is no Iranian province, "Wori" no Oregon: a foreign admin area
        # named like a local district or through a by-name, in an article about another country
        return own <= 0.0 and ((top >= 2.0 and (c.admin_hint or c.settlement_hint)) or (top >= 1.0 and loose))
    if loose and own <= 0.0 and top >= 1.0:
        # "Jang" is also a by-name of China's Anyang, "Roma" near a Syrian village no Rome: a
        # by-name abroad, however big the city, loses to the country the article points to
        return True
    if loose and pop < 100_000 and top >= 1.0:
        return True
    if c.variant and pop < 50_000 and not c.settlement_hint:
        return True
    if own <= 0.0 and ptop >= 1.5 and pop < 50_000:
        return True  # a small foreign town with no support: "village of X" is the focus country's
    if own <= 0.0 and top >= 1.0 and pop < _MINOR_POP:
        # a hamlet abroad that nothing else supports, in a note whose actors or demonyms point to
        # another country ("regime forces clashed with rebels in Kesra": no Tunisian hamlet)
        return True
    if c.settlement_hint:
        return False
    # actors' countries and demonyms ("Turkish forces shelled X") do not make an exact name foreign
    return (pop < 50_000 and (ptop >= 3.0 or (top >= 1.0 and loose))) or (pop < 10_000 and ptop >= 1.5)


def _own_name_in(c: _Cand, gaz: Gazetteer, cc: str) -> bool:
    """Whether some reading of ``c`` in country ``cc`` bears the name as its own name."""
    return any(gaz.country_code(p) == cc for p in c.ids if p not in c.alt and p not in c.vonly)


def _truncated_admin1(key: str, focus: Counter[str], gaz: Gazetteer) -> int | None:
    """An admin1 of a focus country whose name ``key`` is missing at most its last two letters."""
    if len(key) < 6:
        return None
    flat = key.replace(" ", "")
    for cc, votes in focus.most_common(2):
        if votes < 1.0:
            break
        mk = ("truncated_admin1", cc, flat)
        hit = gaz.memo.get(mk)
        if hit is None:
            rows = gaz.admin1_by_country().get(cc, ())
            found = {
                i
                for k, i in rows
                if k.replace(" ", "").startswith(flat) and 0 < len(k.replace(" ", "")) - len(flat) <= 2
            }
            hit = next(iter(found)) if len(found) == 1 else -1
            if len(gaz.memo) < 200_000:
                gaz.memo[mk] = hit
        if hit >= 0:
            return hit
    return None


# "X, Y", "X (Y", "X town (Y", "X district, Y", "X in Y", "X village in the Y"
_QUALIFIER_GAP = re.compile(
    r"^\s*(?:(?:town|village|city|district|sub-?district|area|neighbou?rhood|camp|locality)\s*)?"
    r"(?:,|\(|\bin\b(?:\s+the)?)\s*$"
)


def _obey_qualifiers(cands: list[_Cand], text: str, gaz: Gazetteer) -> None:
    """ "Salvador, Bahia", "Pisky, Donetsk", "As Sabaa (Tripoli)": the area written right after a
    town says where it lies. Re-pick the namesake inside that area; when none is there, the town
    is one the gazetteer lacks, and it is left unresolved (the event falls back to the area)."""
    mates: dict[int, frozenset[int]] | None = None
    for c, q in zip(cands, cands[1:], strict=False):
        if c.choice is None or q.choice is None or c.kind not in ("toponym", "country") or c.start == q.start:
            continue
        if q.kind not in ("admin1", "toponym", "country") or not _QUALIFIER_GAP.match(text[c.end : q.start]):
            continue
        area = _area_reading(q, gaz.country_code(c.choice), gaz.admin1_name(c.choice), gaz)
        if area is not None:
            # "Tacoma, Washington", "Portland, Maine": the qualifier is the state the town lies in,
            # not the capital or a town of the same name
            q.choice, q.kind, q.margin = area, "admin1", max(q.margin, 1.0)
            continue
        if mates is None:
            mates = _list_mates(cands, text)
        if c.start in mates.get(q.start, ()) and gaz.feature_code(q.choice) not in ("PCLI", "ADM1"):
            continue  # "Washington, New York and Boston": a list of towns, not a town and its qualifier
        qcode = gaz.feature_code(q.choice)
        if qcode == "PCLI":
            # "Tripoli, Lebanon", "Alexandria, Egypt": the namesake in that country
            qcc = gaz.country_code(q.choice)
            if c.kind == "toponym" and gaz.country_code(c.choice) != qcc:
                inside = [p for p in c.ids if gaz.country_code(p) == qcc and gaz.feature_code(p) != "PCLI"]
                if inside:
                    c.choice = max(inside, key=gaz.population)
                    c.margin = max(c.margin, 1.0)
            continue
        qcc, qa1 = gaz.country_code(q.choice), gaz.admin1_name(q.choice)
        if not qa1:
            continue
        if gaz.country_code(c.choice) == qcc and gaz.admin1_name(c.choice) == qa1:
            continue
        inside = [
            p for p in c.ids if gaz.country_code(p) == qcc and gaz.admin1_name(p) == qa1 and p != q.choice
        ]
        if inside:
            c.choice = max(inside, key=gaz.population)
            c.kind = "toponym"
            c.margin = max(c.margin, 1.0)
        elif gaz.feature_code(c.choice) not in ("PCLI", "ADM1") and (
            (gaz.population(c.choice) < 1_000_000 or _sure_area_abroad(c, q, gaz))
            and not (c.margin >= 3.0 and q.margin < 1.0 and qcc != gaz.country_code(c.choice))
        ):
            # a sure town is not dropped for a qualifier abroad that is itself a close call
            # ("Calamba City, Laguna": the Philippine province, not a Californian Laguna)
            ll, ql = gaz.latlon(c.choice), gaz.latlon(q.choice)
            if _km(ll, ql) > 150:
                c.choice = None
                c.rule = "context:qualified"


def _sure_area_abroad(c: _Cand, q: _Cand, gaz: Gazetteer) -> bool:
    """``q``, written after ``c`` as its qualifier, is surely a first-level area of another
    country than ``c``'s reading: "Ahmadabad district, Paktia" is no Indian city, however big."""
    return (
        q.choice is not None
        and c.choice is not None
        and gaz.feature_code(q.choice) == "ADM1"
        and len({gaz.country_code(p) for p in q.ids}) == 1
        and gaz.country_code(q.choice) != gaz.country_code(c.choice)
    )


def _area_reading(q: _Cand, cc: str, a1: str, gaz: Gazetteer) -> int | None:
    """``q``'s reading as the admin1 area (cc, a1) when ``q`` now stands for something outside it."""
    if not a1 or q.choice is None or (gaz.country_code(q.choice), gaz.admin1_name(q.choice)) == (cc, a1):
        return None
    return next(
        (p for p in q.ids if gaz.is_admin1(p) and gaz.country_code(p) == cc and gaz.admin1_name(p) == a1),
        None,
    )


# "X and Y", "X, Y", "X or Y": names in one list are names of one kind
_LIST_GAP = re.compile(r"^\s*(?:,|,?\s*(?:and|or|&)|/)\s*$")


def _obey_lists(cands: list[_Cand], text: str, gaz: Gazetteer) -> None:
    """ "California or Washington", "Texas, Georgia and Florida": a name listed next to a state is
    the state of that name when its own reading lies outside that state (the capital, a town in
    another state, a country); a town inside its same-named area keeps its town reading."""
    for c, q in zip(cands, cands[1:], strict=False):
        if c.choice is None or q.choice is None or not 0 <= q.start - c.end <= 8:
            continue
        if not _LIST_GAP.match(text[c.end : q.start]):
            continue
        for a, b in ((c, q), (q, c)):
            if not gaz.is_admin1(a.choice) or gaz.is_admin1(b.choice) or b.kind not in ("toponym", "country"):
                continue
            cc = gaz.country_code(a.choice)
            area = next(
                (
                    p
                    for p in b.ids
                    if gaz.is_admin1(p)
                    and gaz.country_code(p) == cc
                    and (gaz.country_code(b.choice), gaz.admin1_name(b.choice)) != (cc, gaz.admin1_name(p))
                ),
                None,
            )
            if area is not None:
                b.choice, b.kind, b.margin = area, "admin1", max(b.margin, 1.0)


def _to_mentions(
    cands: list[_Cand],
    text: str,
    gaz: Gazetteer,
    hints: Mapping[str, float] | None = None,
    focus: Counter[str] | None = None,
) -> list[PlaceMention]:
    if focus is None:
        focus = _focus(cands, gaz, hints)
    top = max(focus.values(), default=0.0)
    places_focus: Counter[str] = Counter()
    # what each weak name votes for its own country, all its mentions together: "Rifle" three
    # times in an Indian note must not lift the US focus enough to vouch for itself
    weak_votes: dict[str, Counter[str]] = {}
    for c in cands:
        if c.kind != "demonym":
            for cc, w in _vote(c, gaz).items():
                places_focus[cc] += w
        if c.weak:
            weak_votes.setdefault(c.key, Counter()).update(_vote(c, gaz))
    # a name the article puts "in"/"near" once is that place at its other mentions too
    vouched = {c.key for c in cands if c.context and c.choice is not None}
    out: list[PlaceMention] = []
    ranked = (_ranked(focus), _ranked(places_focus))
    for c in cands:
        if c.choice is None and c.rule.startswith("context") and focus:
            fix = _truncated_admin1(c.key, focus, gaz)
            if fix is not None:
                # "Deir-ez-Zo countryside": a clipped admin area of the article's country
                c.choice, c.ids, c.kind, c.rule, c.margin = fix, [fix], "admin1", "admin1:truncated", 1.0
        if c.choice is None:
            if c.rule.startswith("context"):
                out.append(
                    PlaceMention(Span(c.start, c.end, text[c.start : c.end]), None, "toponym", 1, 0.3, c.rule)
                )
            continue
        cc = gaz.country_code(c.choice)
        if (
            c.weak
            and not c.context
            and c.key not in vouched
            and focus.get(cc, 0.0) - weak_votes[c.key].get(cc, 0.0) < 0.5
        ):
            continue
        if _doubtful(c, gaz, cc, focus, top, places_focus, ranked) or _minor_namesake(c, gaz, focus):
            # a namesake abroad in an article about another country is a false friend; keep the
            # name itself when the context says it is a place (the event is still "there")
            if c.context:
                out.append(
                    PlaceMention(
                        Span(c.start, c.end, text[c.start : c.end]), None, "toponym", 1, 0.3, "context:abroad"
                    )
                )
            continue
        out.append(_mention(c, text, gaz))
    return out


def _mention(c: _Cand, text: str, gaz: Gazetteer) -> PlaceMention:
    """The public form of a resolved candidate (``c.choice`` must be set)."""
    assert c.choice is not None
    code = gaz.feature_code(c.choice)
    kind = c.kind
    if kind != "demonym":
        kind = {"PCLI": "country", "ADM1": "admin1"}.get(code, "toponym")
    score = 1.0 / (1.0 + math.exp(-(c.margin - 0.5)))
    if c.embedded:
        score *= 0.5
    rule = (
        c.rule
        + (":near" if c.near else "")
        + (":settlement" if c.settlement_hint and "settlement" not in c.rule else "")
        + (":embedded" if c.embedded else "")
    )
    return PlaceMention(
        Span(c.start, c.end, text[c.start : c.end]),
        gaz.place(c.choice),
        kind,
        _precision(c, code),
        round(score, 3),
        rule,
    )


def find_places(
    doc: Document,
    gazetteer: Gazetteer | None = None,
    country_hints: Mapping[str, float] | None = None,
    fill_unresolved: bool = False,
) -> list[PlaceMention]:
    """Every place named in ``doc`` with its span, resolved to a GeoNames-derived ``Place``.

    Kinds: toponym (town/city), admin1, country, demonym ("Syrian" -> Syria).
    geo_precision follows ACLED: 1 the town itself, 2 near/outskirts of a town,
    3 a region or country (represented by its representative point).
    """
    text = getattr(getattr(doc, "article", None), "text", None)
    if not isinstance(text, str) or not text.strip():
        return []
    gaz = gazetteer or default_gazetteer()
    cands = recognise(text, gaz)
    hints = country_hints if isinstance(country_hints, Mapping) else None
    cands = _with_abbreviations(cands, text, gaz, hints)
    for c in cands:
        if _currency(c, text, gaz):
            # "the US dollar exchange rate": still a toponym (a modifier), but it names money, so
            # it neither votes for the article's country nor stands for the event's place
            c.embedded, c.vote = True, {}
    focus = _resolve(cands, text, gaz, hints)
    _obey_qualifiers(cands, text, gaz)
    _obey_lists(cands, text, gaz)
    _cohere(cands, gaz)
    out = _to_mentions(cands, text, gaz, hints, focus)
    if fill_unresolved:
        out = _fill_unresolved(out, cands, text, gaz, focus)
    return out


def _currency_pattern(words: Iterable[str]) -> re.Pattern[str]:
    words = tuple(words)
    return re.compile(rf"\s+(?:{_alt(words)})\b", re.I) if words else re.compile(r"(?!)")


def _currency(c: _Cand, text: str, gaz: Gazetteer) -> bool:
    """A country or its demonym naming money ("the US dollar exchange rate", "the Lebanese
    pound"): says what currency, not where anything happened."""
    if c.kind != "demonym" and gaz.country_of_key(c.key) is None:
        return False
    return lexicon().currency_after.match(text, c.end) is not None


def _abbreviation_cand(
    start: int, end: int, surface: str, gaz: Gazetteer, focus: Mapping[str, float], given: bool = False
) -> _Cand | None:
    """ "NSW", "La.", "T&T", "SA": the reading in the country the article is most about. Recognised
    text needs that country in the focus; a given span falls back to the first reading listed."""
    ids, _ = gaz.abbreviations[surface]
    best = max(ids, key=lambda p: focus.get(gaz.country_code(p), 0.0))
    if focus.get(gaz.country_code(best), 0.0) <= 0.0 and not given:
        return None
    kind = "country" if gaz.feature_code(best) == "PCLI" else "admin1"
    return _Cand(start, end, fold(surface), [best], kind=kind, rule="abbreviation")


# an abbreviation written as a qualifier: "Slidell, La.", "HORRY COUNTY, SC"
_AFTER_PLACE = re.compile(r"[A-Z][\w.'’-]*,\s?$")


def _with_abbreviations(
    cands: list[_Cand], text: str, gaz: Gazetteer, hints: Mapping[str, float] | None
) -> list[_Cand]:
    """Add the state, province and country abbreviations the article writes ("NSW", "Calif." is
    already a gazetteer alias); they replace a same-span gazetteer reading ("WA" the Ghanaian town)."""
    table = gaz.abbreviations
    if not table:
        return cands
    rx = gaz.memo.get(("abbreviation_re",))
    if rx is None:
        # a bare prefix tree lets re skip to the possible first letters; the left edge is
        # checked below (a lookbehind first made the scan three times slower)
        rx = re.compile(rf"(?:{_trie_alt(table)})(?![\w&])")
        gaz.memo[("abbreviation_re",)] = rx
    focus: Counter[str] | None = None
    extra: list[_Cand] = []
    for m in rx.finditer(text):
        s = m.start()
        if s and (text[s - 1].isalnum() or text[s - 1] in "_&."):
            continue  # inside a word: "SA" in "USA"
        if table[m.group(0)][1] and not _AFTER_PLACE.search(text, max(0, m.start() - 40), m.start()):
            continue
        if focus is None:
            focus = _focus(cands, gaz, hints)
        c = _abbreviation_cand(m.start(), m.end(), m.group(0), gaz, focus)
        if c is not None:
            extra.append(c)
    if not extra:
        return cands
    kept = [c for c in cands if not any(e.start < c.end and c.start < e.end for e in extra)]
    return sorted(kept + extra, key=lambda c: c.start)


def _fill_unresolved(
    out: list[PlaceMention],
    cands: Sequence[_Cand],
    text: str,
    gaz: Gazetteer,
    focus: Mapping[str, float] | None = None,
) -> list[PlaceMention]:
    """Give a place the context vouches for but the gazetteer lacks ("Royal Street", "the Sloss
    Furnaces") the town the article is about, at geo_precision 2: a street or venue nearly always
    lies there. Only candidates that made it into ``out`` vote for that town. A small namesake
    abroad, far from that town, in a country nothing else names, yields to it too."""
    kept = {(m.span.start, m.span.end) for m in out if m.place is not None}
    main = _main_place([c for c in cands if (c.start, c.end) in kept], gaz, focus)
    if main is None or main.choice is None:
        return out
    place = gaz.place(main.choice)
    far: set[tuple[int, int]] = set()
    if focus:
        in_order = sorted((c for c in cands if (c.start, c.end) in kept), key=lambda c: c.start)
        far = {
            (c.start, c.end)
            for c in in_order
            if _far_namesake(c, main, gaz, focus, in_order, text)
            or (c.choice != main.choice and _street_named(c, text))
        }
    return [
        PlaceMention(m.span, place, "toponym", 2, 0.2, m.rule + ":article_place")
        if (m.place is None and m.kind == "toponym") or (m.span.start, m.span.end) in far
        else m
        for m in out
    ]


def resolve_spans(
    doc: Document, spans: Sequence[Span], gazetteer: Gazetteer | None = None
) -> list[PlaceMention | None]:
    """Resolve given toponym spans (gold spans in evaluation): one result per span, None when unknown.

    The rest of the document still informs the choice: the places ``find_places``
    recognises elsewhere set the country focus and the anchors.
    """
    text = getattr(getattr(doc, "article", None), "text", None)
    if not isinstance(text, str):
        return [None] * len(spans)
    gaz = gazetteer or default_gazetteer()
    lex = lexicon()
    found = recognise(text, gaz)
    toks: list[_Tok] | None = None
    given: list[_Cand | None] = []
    focus0: Counter[str] | None = None  # the recognised names' country focus, for abbreviations
    for sp in spans:
        if not (0 <= sp.start < sp.end <= len(text)):
            given.append(None)
            continue
        surface = text[sp.start : sp.end]
        key = fold(surface)
        if key.startswith("the "):
            key = key[4:]
        c: _Cand | None = None
        # an area adjective ("English" -> England) wins over the country demonym
        region = gaz.region_demonyms.get(key)
        iso2 = gaz.demonyms.get(key) if region is None else None
        if iso2 is None and region is None and key.endswith("s"):
            iso2 = gaz.demonyms.get(key[:-1])
        if surface.strip() in gaz.abbreviations:
            if focus0 is None:
                focus0 = _focus(found, gaz)
            c = _abbreviation_cand(sp.start, sp.end, surface.strip(), gaz, focus0, given=True)
        elif region is not None:
            c = _Cand(sp.start, sp.end, key, [region], kind="demonym", rule="demonym:region")
        elif iso2 is not None and gaz.country_place_index(iso2) is not None:
            c = _Cand(sp.start, sp.end, key, [gaz.country_place_index(iso2)], kind="demonym", rule="demonym")
        else:
            pairs = (
                _prefer_landmarks(gaz.ids(key), gaz)
                or _admin1_with_word(key, gaz, lex)
                or _compass_country(key, gaz)
            )
            if pairs:
                c = _Cand(sp.start, sp.end, key, [p for p, _ in pairs], alt={p for p, a in pairs if a})
            else:
                ids = gaz.variant_ids(surface)
                if ids:
                    c = _Cand(sp.start, sp.end, key, ids, variant=True, rule="variant")
        if c is None:
            c = _part_candidate(sp, surface, gaz, lex)
        if c is not None:
            if toks is None:
                toks = _tokenize(text, lex)
            ti = next((n for n, t in enumerate(toks) if t.start >= sp.start), len(toks))
            tk = next((n for n, t in enumerate(toks) if t.start >= sp.end), len(toks))
            if ti < tk:
                _annotate(c, text, toks, ti, tk, gaz, lex)
            if c.rule == "title":
                c.rule = "given"
        given.append(c)
    # resolve jointly: given spans replace recognised ones they overlap
    others = [f for f in found if not any(g and g.start < f.end and f.start < g.end for g in given)]
    allc = others + [g for g in given if g is not None]
    focus = _resolve(allc, text, gaz)
    in_order = sorted(allc, key=lambda c: c.start)
    _obey_qualifiers(in_order, text, gaz)
    _obey_lists(in_order, text, gaz)
    _cohere(allc, gaz)
    main = _main_place(allc, gaz, focus)
    by_start = {c.start: c for c in allc if c.choice is not None}
    out: list[PlaceMention | None] = []
    for g, sp in zip(given, spans, strict=True):
        if g is None or g.choice is None or g.rule.startswith("given:part"):
            # "the Guildhall School of Music in London", "Washington University in St. Louis":
            # a venue the gazetteer lacks is in the place its own phrase names next
            loc = _locator(text, sp, by_start)
            if loc is not None:
                m = _mention(loc, text, gaz)
                m.span = Span(sp.start, sp.end, text[sp.start : sp.end])
                m.geo_precision, m.kind, m.rule = max(2, m.geo_precision), "toponym", "given:locator"
                out.append(m)
                continue
        if (
            g is not None
            and g.choice is not None
            and (
                _stray_part(g, main, gaz)
                or _minor_namesake(g, gaz, focus)
                or _foreign_variant(g, gaz, focus)
                or _far_namesake(g, main, gaz, focus, in_order, text)
                or _hosted_institution(g, text[sp.start : sp.end], main, gaz)
                or (main is not None and main.choice != g.choice and _street_named(g, text))
            )
        ):
            g = None
        if g is None or g.choice is None:
            if main is not None and 0 <= sp.start < sp.end <= len(text):
                # a street, venue or institution the gazetteer lacks lies, nearly always, in the
                # town the article is about: better that town than nothing
                m = _mention(main, text, gaz)
                out.append(
                    PlaceMention(
                        Span(sp.start, sp.end, text[sp.start : sp.end]),
                        m.place,
                        "toponym",
                        2,
                        0.2,
                        "given:article_place",
                    )
                )
            else:
                out.append(None)
            continue
        m = _mention(g, text, gaz)
        if (m.span.start, m.span.end) != (sp.start, sp.end):
            m.span = Span(sp.start, sp.end, text[sp.start : sp.end])  # a part stood in for the whole
        out.append(m)
    return out


def _admin1_with_word(key: str, gaz: Gazetteer, lex: _Lexicon) -> tuple[tuple[int, bool], ...]:
    """ "Oaxaca State", "Kandahar Province": the first-level areas named by the words before an
    admin word the gazetteer does not join to the name (empty when there are none)."""
    head, _, word = key.rpartition(" ")
    if not head or not lex.admin1_after.match(word):
        return ()
    return tuple((p, a) for p, a in gaz.ids(head) if gaz.is_admin1(p))


_COMPASS = frozenset(
    "north northern south southern east eastern west western central northeast northeastern northwest "
    "northwestern southeast southeastern southwest southwestern".split()
)


def _compass_country(key: str, gaz: Gazetteer) -> tuple[tuple[int, bool], ...]:
    """ "Western US", "northern Syria": a part of a country the gazetteer has no row for stands
    for the country (a region-sized place, geo_precision 3)."""
    head, _, rest = key.partition(" ")
    if head not in _COMPASS or not rest:
        return ()
    iso2 = gaz.country_of_key(rest)
    cp = gaz.country_place_index(iso2) if iso2 else None
    return ((cp, False),) if cp is not None else ()


# "<venue> in <town>", "<venue>, <town>", "<venue> at <town>": the town follows at once
_LOCATOR_GAP = re.compile(r"^(?:\s+(?:in|at|near|outside)\s+(?:the\s+)?|\s*,\s*)$")


def _locator(text: str, sp: Span, by_start: Mapping[int, _Cand]) -> _Cand | None:
    """The resolved town or area named right after a venue span, or None."""
    window = text[sp.end : sp.end + 16]
    for n in range(1, len(window) + 1):
        c = by_start.get(sp.end + n)
        if c is not None:
            if c.kind in ("toponym", "admin1", "country") and _LOCATOR_GAP.match(window[:n]):
                return c
            return None
    return None


_MAIN_BIG_POP = 100_000
_STRAY_KM = 400.0
_PART_SKIP = frozenset(("the", "of", "and", "for", "at", "in", "on", "de", "la", "le"))


def _part_candidate(sp: Span, surface: str, gaz: Gazetteer, lex: _Lexicon) -> _Cand | None:
    """A name the gazetteer lacks that contains one it knows, longest part first:
    "Colorado State University" -> Colorado, "Tijuana River" -> Tijuana, "West Surrey" -> Surrey."""
    words = [(m.start(), m.end(), m.group()) for m in re.finditer(r"[^\W\d_][\w'’.-]*", surface)]
    n = len(words)
    # a leading part names the whole more often than an inner one ("Seoul Central District
    # Court" is in Seoul, not in a "Central District"): leading parts first, longest first
    country_part: _Cand | None = None
    # "French Quarter", "Frenchmen Street": a district or street named for a people is a place
    street = n > 1 and words[-1][2] in lex.feature_words
    order = [(size, 0) for size in range(n - 1, 0, -1)] + [
        (size, a) for size in range(n - 1, 0, -1) for a in range(1, n - size + 1)
    ]
    for size, a in order:
        part = words[a : a + size]
        if part[0][2].lower() in _PART_SKIP or part[-1][2].lower() in _PART_SKIP:
            continue
        if not all(w[2][0].isupper() or w[2].lower() in _PART_SKIP for w in part):
            continue
        sub = surface[part[0][0] : part[-1][1]]
        if a == 0 and country_part is None and not street:
            # "US Federal Reserve", "Russian Higher School of Economics", "European Commission":
            # an institution opened by a country or region stands for that country or region,
            # unless another part names a place ("British Embassy Tokyo")
            # "Iran's parliament": the country without its possessive
            k = fold(sub[:-2] if sub.endswith(_POSSESSIVE) else sub)
            # an area adjective first: "Scottish Parliament" is Scotland, not the UK's point
            cp = gaz.region_demonyms.get(k)
            iso2 = None
            if cp is None:
                iso2 = gaz.demonyms.get(k) or gaz.country_of_key(k)
                cp = gaz.country_place_index(iso2) if iso2 else None
            if cp is not None:
                country_part = _Cand(
                    sp.start + part[0][0], sp.start + part[-1][1], k, [cp], kind="demonym", rule="given:part"
                )
                cap = _institution_capital(iso2, [w[2] for w in words[size:]], gaz)
                if cap is not None:
                    # "Russian Foreign Ministry", "Iran's parliament": seated in the capital
                    country_part = _Cand(sp.start, sp.end, k, [cap], rule="given:part:institution")
                continue
        if len(sub) < 4 or sub in lex.stop:
            continue
        pairs = gaz.ids(fold(sub))
        if pairs and a > 0:
            # a trailing part is usually the generic head ("Trump Tower", "Woodman Point"):
            # only a big place or an admin area there names the whole
            pairs = [
                (p, x)
                for p, x in pairs
                if gaz.population(p) >= 100_000 or gaz.feature_code(p) in ("ADM1", "ADM2", "PCLI")
            ]
        if pairs:
            return _Cand(
                sp.start + part[0][0],
                sp.start + part[-1][1],
                fold(sub),
                [p for p, _ in pairs],
                alt={p for p, x in pairs if x},
                rule="given:part",
            )
    return country_part


def _institution_capital(iso2: str | None, rest: Sequence[str], gaz: Gazetteer) -> int | None:
    """The capital's place index when the words after a country word name a national
    institution ("Foreign Ministry", "parliament") and nothing seated abroad ("Embassy")."""
    if not iso2 or not rest:
        return None
    words = institution_words()
    low = [w.lower() for w in rest]
    if not any(w in words.seat for w in low) or any(w in words.abroad for w in low):
        return None
    return gaz.capital_index(iso2)


_MINOR_POP = 10_000


def _minor_namesake(c: _Cand, gaz: Gazetteer, focus: Mapping[str, float]) -> bool:
    """A hamlet in a country the article barely touches, chosen only because the gazetteer
    lacks the real referent ("Yorkshire", "Heathrow" in a British story land on small US
    namesakes): the article's own country is at least three times as present."""
    if c.choice is None or c.kind not in ("toponym", "admin1") or not focus:
        return False
    if gaz.population(c.choice) >= _MINOR_POP or gaz.feature_code(c.choice) in ("ADM1", "ADM2", "PCLI"):
        return False
    cc = gaz.country_code(c.choice)
    top_cc, top = max(focus.items(), key=lambda kv: kv[1])
    return bool(cc) and cc != top_cc and top >= 3.0 and focus.get(cc, 0.0) * 3.0 <= top


def _foreign_variant(c: _Cand, gaz: Gazetteer, focus: Mapping[str, float]) -> bool:
    """A name the gazetteer knows only by a spelling variant, read as a place in a country the
    article is not about ("Anfield" ~ Enfield, Connecticut in a Liverpool story; "Makeen" ~ a
    Romanian town in a Pakistani one): a respelling is no evidence against the article's country,
    so the name is better left to the place the article is about."""
    if c.choice is None or not c.variant or not focus:
        return False
    cc = gaz.country_code(c.choice)
    return focus.get(cc, 0.0) < 0.5 * max(focus.values())


_FAR_POP = 50_000


def _far_namesake(
    c: _Cand,
    main: _Cand | None,
    gaz: Gazetteer,
    focus: Mapping[str, float],
    cands: Sequence[_Cand],
    text: str,
) -> bool:
    """A small town abroad, far from the article's main place, in a country nothing else in the
    article points to (a Ghanaian village named like a new Lagos suburb the gazetteer lacks, in a
    Lagos story): the name is far likelier a local place the gazetteer lacks than a stray
    foreign village, so it yields to the main place. A country named, a demonym or another place
    there ("X, Ghana") keeps it, and so does a list with a place abroad ("trips to Tarawa,
    Fiji and Hawaii"): an itinerary names places abroad. ``cands``: the article's names in text order."""
    if main is None or main.choice is None or c.choice is None or c.kind != "toponym" or c is main:
        return False
    if main.kind not in ("toponym", "admin1") or not focus:
        return False
    if not gaz.feature_code(c.choice).startswith("PPL") or gaz.population(c.choice) >= _FAR_POP:
        return False
    cc, main_cc = gaz.country_code(c.choice), gaz.country_code(main.choice)
    if not cc or cc == main_cc or focus.get(main_cc, 0.0) < max(focus.values()):
        return False
    if _km(gaz.latlon(c.choice), gaz.latlon(main.choice)) <= _STRAY_KM:
        return False
    own = sum(_vote(o, gaz).get(cc, 0.0) for o in cands if o.key == c.key)
    if focus.get(cc, 0.0) - own > 0.0:
        return False
    # any mention of the name listed with a place outside the main place's country
    for m in cands:
        if m.key != c.key:
            continue
        for o in cands:
            if o.choice is None or o.key == c.key or gaz.country_code(o.choice) == main_cc:
                continue
            gap = text[o.end : m.start] if o.end <= m.start else text[m.end : o.start]
            if min(abs(m.start - o.end), abs(o.start - m.end)) <= 8 and _LIST_GAP.match(gap):
                return False
    return True


def _hosted_institution(c: _Cand, surface: str, main: _Cand | None, gaz: Gazetteer) -> bool:
    """ "The French International School", "the Turkish Embassy": a school, club or embassy
    named for a country stands in the country the article is about, not in the one it is named
    for; known only through its country word, it yields to the article's main place there."""
    if main is None or main.choice is None or c.choice is None or c.kind != "demonym":
        return False
    if not c.rule.startswith("given:part") or main.kind not in ("toponym", "admin1"):
        return False
    if gaz.country_code(main.choice) == gaz.country_code(c.choice):
        return False
    words = institution_words().host
    return any(w.lower() in words for w in re.findall(r"[^\W\d_]+", surface))


def _street_patterns(plurals: Iterable[str]) -> tuple[re.Pattern[str], re.Pattern[str]]:
    words = "|".join(re.escape(w) for w in plurals)
    name = r"[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*){0,2}"
    # first of a pair ("<name> and <Name> streets", "<name>/<Name> intersection"); second of one
    first = re.compile(rf"\s*(?:/|&|and)\s*{name}\s+(?:{words})\b")
    second = re.compile(rf"\s+(?:{words})\b")
    return first, second


_PAIR_BEFORE = re.compile(r"[A-Z][\w'’.-]*\s*(?:/|&|and)\s*$")


def _street_named(c: _Cand, text: str) -> bool:
    """ "Elm and Rochester streets", "the Main/Lyon intersection": a pair of names followed by a
    plural street word (``street_plurals`` in ``geo_lexicon.json``) are streets, which lie in the
    article's main place, whatever town elsewhere bears the name ("Kabul streets" alone are the
    streets of Kabul, so one name is not enough)."""
    if c.choice is None or c.kind not in ("toponym", "admin1"):
        return False
    first, second = lexicon().street_pair
    end = min(len(text), c.end + 60)
    if first.match(text, c.end, end):
        return True
    return bool(second.match(text, c.end, end)) and bool(
        _PAIR_BEFORE.search(text, max(0, c.start - 40), c.start)
    )


def _stray_part(c: _Cand, main: _Cand | None, gaz: Gazetteer) -> bool:
    """A venue or street known only through a small town in its name ("Stonewall Golf Club",
    "Collins Avenue") that lies far from the town the article is about: the name honours a
    person or a distant place, and the venue itself is, nearly always, in the article's town."""
    if main is None or main.choice is None or c.choice is None or not c.rule.startswith("given:part"):
        return False
    if main.choice == c.choice or main.kind not in ("toponym", "admin1"):
        return False
    code = gaz.feature_code(c.choice)
    if code in ("ADM1", "ADM2", "PCLI") or gaz.population(c.choice) >= _MAIN_BIG_POP:
        return False
    return _km(gaz.latlon(c.choice), gaz.latlon(main.choice)) > _STRAY_KM


def _main_place(
    cands: Sequence[_Cand], gaz: Gazetteer, focus: Mapping[str, float] | None = None
) -> _Cand | None:
    """The place the article is most about: most mentioned town or admin area (a big town or
    an admin area counts a little more, then towns first, then the earliest); else the country
    it names. Names known only through a part ("Faubourg" of "Faubourg Marigny") or a spelling
    variant are weak evidence of the article's town: they count only when nothing else does.
    A place agreeing with the others (near them) counts more, and one outside the article's
    leading country counts less: a story about an American suburb that names a British town (a
    house model, a football club) is still set in that suburb."""
    best: dict[int, tuple[float, int, _Cand]] = {}
    for weak_ok in (False, True):
        for c in cands:
            if c.choice is None or c.kind not in ("toponym", "admin1"):
                continue
            # an abbreviation ("WA", "La.") mostly qualifies a town or names the state in passing
            if not weak_ok and (c.variant or c.rule.startswith("given:part") or c.rule == "abbreviation"):
                continue
            code = gaz.feature_code(c.choice)
            rank = 2 if code.startswith("PPL") else (1 if code in ("ADM1", "ADM2") else 0)
            if rank == 0:
                continue
            if c.choice not in best:
                # a first mention of a city or province outweighs a second of a hamlet: an
                # unresolved venue is likelier in the big place the story names
                big = rank == 1 or gaz.population(c.choice) >= _MAIN_BIG_POP
                best[c.choice] = (1.0 if big else 0.0, rank, c)
            n, r, first = best[c.choice]
            best[c.choice] = (n + 1, r, first)
        if best:
            break
    if not best:
        # an article that names only a country: its buildings and streets are in that country
        return next((c for c in cands if c.choice is not None and c.kind in ("country", "demonym")), None)
    if len(best) > 1:
        best = _weigh_main(best, cands, gaz, focus)
    main = max(best.values(), key=lambda x: (x[0], x[1], -x[2].start))[2]
    if focus is None:
        focus = _focus(cands, gaz)
    top_cc, top = max(focus.items(), key=lambda kv: kv[1], default=("", 0.0))
    if top >= 3.0 and focus.get(gaz.country_code(main.choice), 0.0) * 4 < top:
        # no town of the country the article is about: that country beats a town named in
        # passing abroad (a surname read as a small US town in a British-Japanese trade story)
        lead = next(
            (
                c
                for c in cands
                if c.choice is not None
                and c.kind in ("country", "demonym")
                and gaz.feature_code(c.choice) == "PCLI"
                and gaz.country_code(c.choice) == top_cc
            ),
            None,
        )
        if lead is not None:
            return lead
    return main


_COHERE_KM = 150.0


def _cohere(cands: Sequence[_Cand], gaz: Gazetteer) -> None:
    """Between namesakes in one country, the one near the article's other places: "Kings
    County" is the one whose towns the story also names. A reading
    gains a point for each other name whose chosen place lies near it, half a point for one that
    only could (a namesake near it); a close call moves to a same-country namesake with at least
    one point more. States and countries are no neighbours, and a town inside a state the article
    names does not move out of it."""
    named = [c for c in cands if c.choice is not None and c.kind in ("toponym", "admin1") and c.ids]
    if len(named) < 2:
        return
    places = {c.key: (c.choice, c.ids) for c in named}
    if len(places) < 2:
        return
    # a state or province the article names (in any reading) keeps its towns: "X County" in
    # a story naming its state, "X, <state>" even when the state's name was read as a town
    areas = {(gaz.country_code(p), gaz.admin1_name(p)) for c in cands for p in c.ids if gaz.is_admin1(p)}
    # a state's or country's point is no neighbour: it stands for a large area
    wide = gaz.code_ids("ADM1", "PCLI", "CONT")

    def support(p: int, key: str) -> float:
        ll = gaz.latlon(p)
        pts = 0.0
        for k, (chosen, ids) in places.items():
            if k == key:
                continue
            if gaz.feature_code_id(chosen) not in wide and _km(ll, gaz.latlon(chosen)) <= _COHERE_KM:
                pts += 1.0
            elif any(
                gaz.feature_code_id(q) not in wide and _km(ll, gaz.latlon(q)) <= _COHERE_KM
                for q in ids[:_MAX_CANDIDATES]
            ):
                pts += 0.5
        return pts

    # a switch can make the case for another (a town, then its county): a few rounds
    for _ in range(3):
        moved = False
        for c in named:
            if c.margin >= _COHERE_MARGIN or len(c.ids) < 2:
                continue
            cc, code = gaz.country_code(c.choice), gaz.feature_code(c.choice)
            if code in ("ADM1", "PCLI") or code in _HAND_LISTED or _is_capital(c.choice, gaz):
                continue
            # a rival must bear the name as its own, and not be dwarfed by a reading that does
            floor = 0 if c.choice in c.alt else gaz.population(c.choice) // 10
            rivals = [
                q
                for q in c.ids
                if q != c.choice
                and gaz.country_code(q) == cc
                and gaz.feature_code(q) not in ("ADM1", "PCLI")
                and q not in c.alt
                and q not in c.vonly
                and gaz.population(q) >= floor
                and ((cc, gaz.admin1_name(q)) in areas or (cc, gaz.admin1_name(c.choice)) not in areas)
            ]
            if not rivals:
                continue
            own = support(c.choice, c.key)
            best = max(rivals, key=lambda q: support(q, c.key))
            if support(best, c.key) >= own + 1.0:
                c.choice = best
                places[c.key] = (best, c.ids)
                moved = True
        if not moved:
            break


_COHERE_MARGIN = 1.5


def _weigh_main(
    best: dict[int, tuple[float, int, _Cand]],
    cands: Sequence[_Cand],
    gaz: Gazetteer,
    focus: Mapping[str, float] | None,
) -> dict[int, tuple[float, int, _Cand]]:
    """Mention counts of the main-place contenders, weighed by agreement: each other place of the
    article within ``_COHERE_KM`` adds three quarters of a mention, and the count is scaled by its country's
    share of the article's focus (the leading country 1, a country named in passing down to 1/4)."""
    if focus is None:
        focus = _focus(cands, gaz)
    top = max(focus.values(), default=0.0)
    points = {
        c.choice: gaz.latlon(c.choice)
        for c in cands
        if c.choice is not None and c.kind in ("toponym", "admin1") and gaz.feature_code(c.choice) != "ADM1"
    }
    out: dict[int, tuple[float, int, _Cand]] = {}
    for p, (n, r, first) in best.items():
        ll = gaz.latlon(p)
        near = sum(1 for q, qll in points.items() if q != p and _km(ll, qll) <= _COHERE_KM)
        share = focus.get(gaz.country_code(p), 0.0) / top if top > 0 else 1.0
        out[p] = ((n + 0.75 * min(near, 4)) * min(1.0, max(0.25, share)), r, first)
    return out
