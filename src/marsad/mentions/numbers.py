"""Numbers and casualty counts: "killing 8 people", "two soldiers and three civilians were killed".

A compact grammar of our own (no quantulum3/dateparser): a number-phrase regex finds candidate counts,
then the words around each decide what it counts (killed, injured, arrested, abducted, protest
participants) and whom. Everything that only *looks* like a count (distances, ages, years, money,
times, dates) fails the context test because no casualty verb governs it.

ACLED conventions applied here (values are the lowest figure the words support):
- "at least 20", "more than 20", "up to 20", "about 20" -> 20; ranges "10-15", "between 10 and 15" -> 10.
- vague words ("several", "dozens", "hundreds") -> the numbers in ``vague_counts.json``.
- "killed and wounded N" (one figure for both) -> half of N, rounded down ("killed_or_injured").
- groups named inside a larger count ("300 people, including 20 civilians") -> rule "subset".
- ACLED coder statements ("Fatalities coded as 0", "20 fatalities split up between 3 events") are
  emitted with rules "coded", "coded_split", "split_events" for ``coding.fatalities`` to apply.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass
from functools import cache

from marsad.knowledge import read_json
from marsad.model import CasualtyMention, Document, Span

_MONTHS = (
    "january|february|march|april|may|june|july|august|september|october|november|december|"
    "jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec"
)
# Words after a number that make it a measure, not a head count.
_MEASURE_AFTER = re.compile(
    r"\s*(?:%|percent\b|per\s*cent\b|km\b|kms\b|kilomet|mile|metre|meter|m\b|mm\b|cm\b|kg\b|kilo|ton|"
    r"hour|hrs?\b|minute|mins?\b|second|day|week|month|year|yr|decade|centur|am\b|a\.m|pm\b|p\.m|[:h]\d|"
    r"h\b|gmt|utc|times\b|dollars|usd|euros?\b|pounds|rupees|naira|shillings|francs|afghanis|lira|"
    r"acres|hectares|°|st\b|nd\b|rd\b|th\b|feet|foot|ft\b|inch|litre|liter|barrels|rounds\b|shells\b|"
    r"rockets\b|missiles\b|mortars?\b|airstrikes?\b|strikes\b|houses\b|homes\b|vehicles\b|cars\b|"
    r"-?year-old|-?years?-old|-?month-old|-?km|-?kilomet|-?mile|-?metre|-?meter|-?storey|-?hour|-?day|"
    r"(?:" + _MONTHS + r")\b)",
    re.I,
)
_MEASURE_BEFORE = re.compile(
    r"(?:[$€£¥₹]\s*|\bno\.\s*|\bnumber\s+|\bresolution\s+|\baged\s+|\bage\s+|\bages\s+|\bpage\s+|\bkm\s+|"
    r"\broute\s+|\bhighway\s+|\bbrigade\s+|\bdivision\s+|\bbattalion\s+|\bregiment\s+|\bcorps\s+|\barticle\s+|"
    # "at 5" is a time, but "put the toll at 19" a count
    r"\b(?:" + _MONTHS + r")\s+|\bon\s+the\s+|(?<!toll\s)\bat\s+)$",
    re.I,
)
_YEAR = re.compile(r"^(?:1[89]\d\d|20\d\d)$")

_SUBSET_WORDS = re.compile(
    r"\s*(?:,\s*|\(\s*|-\s*|–\s*|—\s*)?(?:including|among\s+them|among\s+whom|among\s+those|of\s+whom|of\s+them|"
    r"mostly|mainly|most\s+of\s+them|all\s+of\s+them|among\s+the\s+(?:dead|victims|killed))\b",
    re.I,
)
_WORD = re.compile(r"[A-Za-z][\w'’/-]*|\d+-[A-Za-z][\w-]*|\d[\d,.]*|[(),;:.!?\[\]\"“”]|\S")


@dataclass(frozen=True)
class _Lexicon:
    units: dict[str, int]
    scales: dict[str, int]
    fixed: dict[str, int]
    vague: dict[str, int]
    who: frozenset[str]
    who_classes: dict[str, tuple[str, ...]]
    np: re.Pattern[str]  # a whole number phrase with qualifiers
    verb_right: dict[str, re.Pattern[str]]  # kind -> verb phrase at the current position (after aux words)
    verb_left: dict[str, list[tuple[str, str]]]  # last word -> [(phrase, kind)] ending right before a number
    combined_left: re.Pattern[str]
    combined_right: re.Pattern[str]
    participant_nouns: frozenset[str]
    allowed_ed: frozenset[str]  # "-ed" words that describe victims ("armed", "unidentified"), not verbs
    breaks: frozenset[str]  # words that end the victim description before any casualty verb


def _alt(words: list[str]) -> str:
    """Longest-first alternation of phrases; spaces match any whitespace."""
    ws = sorted({w.lower() for w in words}, key=len, reverse=True)
    return "|".join(r"\s+".join(re.escape(p) for p in w.split()) for w in ws)


@cache
def _lexicon() -> _Lexicon:
    raw = read_json("numbers_lexicon.json")
    vague_raw = read_json("vague_counts.json")
    vague = {k.lower(): int(v) for k, v in vague_raw.items() if not k.startswith("_")}
    units = {k.lower(): int(v) for k, v in raw["units"].items()}
    scales = {k.lower(): int(v) for k, v in raw["scales"].items()}
    fixed = {k.lower(): int(v) for k, v in raw["fixed"].items()}

    word = _alt(list(units) + list(scales))
    words = rf"(?:{word})(?:(?:\s+|-)(?:and\s+)?(?:{word}))*"
    digits = (
        r"\d{1,3}(?:,\d{3})+(?![\d])|\d{1,3}(?:\.\d{3})+(?![\d.,])|\d+(?:\.\d+)?"
        rf"(?:\s+(?:{_alt(list(scales))}))?"
    )
    atom = rf"(?:{_alt(list(fixed))}|{digits}|{words})"
    vague_alt = _alt(list(vague))
    qual = _alt(raw["qualifiers_floor"])
    np = re.compile(
        rf"(?<![\w.,$€£'’-])(?P<qual>(?:(?:{qual})\s+){{0,2}})"
        rf"(?P<num>between\s+{atom}\s+(?:and|to)\s+{atom}|from\s+{atom}\s+to\s+{atom}"
        rf"|{atom}(?:\s*(?:-|–|to|or)\s*{atom}(?![\w]))?|(?:{vague_alt})|an?|one|another|the\s+other)(?![\w]|[.,]\d)",
        re.I,
    )
    aux = _alt(raw["aux"])

    def right(key: str) -> re.Pattern[str]:
        return re.compile(rf"(?P<aux>(?:(?:{aux})\s+){{0,4}})(?P<verb>{_alt(raw[key])})\b", re.I)

    kinds = ("killed", "injured", "arrested", "abducted", "participants")
    kill_l = r"(?:killed|killing|kills|kill)"
    inj_l = r"(?:wounded|wounding|injured|injuring|hurt)"
    combined_left = re.compile(
        rf"\b(?:{kill_l}\s+(?:and|or)\s+{inj_l}|{inj_l}\s+(?:and|or)\s+{kill_l})\s*$", re.I
    )
    combined_right = re.compile(
        rf"(?P<aux>(?:(?:{aux})\s+){{0,4}})(?P<verb>(?:killed|dead)\s+(?:and|or)\s+(?:wounded|injured)|"
        rf"(?:wounded|injured)\s+(?:and|or)\s+(?:killed|dead))\b",
        re.I,
    )
    return _Lexicon(
        units=units,
        scales=scales,
        fixed=fixed,
        vague=vague,
        who=frozenset(w.lower() for w in raw["who"]),
        who_classes={k: tuple(v) for k, v in raw["who_classes"].items()},
        np=np,
        verb_right={k: right(f"{k}_right") for k in kinds},
        verb_left=_left_index(raw, kinds),
        combined_left=combined_left,
        combined_right=combined_right,
        participant_nouns=frozenset(w.lower() for w in raw["participant_nouns"]),
        allowed_ed=frozenset(raw["participle_adjectives"]),
        breaks=frozenset(raw["clause_breaks"]),
    )


def _left_index(raw: dict, kinds: tuple[str, ...]) -> dict[str, list[tuple[str, str]]]:
    """Verb phrases that govern a following number, indexed by their last word (longest first)."""
    index: dict[str, list[tuple[str, str]]] = {}
    for kind in kinds:
        for phrase in raw.get(f"{kind}_left", []):
            norm = " ".join(phrase.lower().split())
            index.setdefault(norm.rsplit(" ", 1)[-1], []).append((norm, kind))
    for v in index.values():
        v.sort(key=lambda pk: -len(pk[0]))
    return index


def _left_kind(before: str) -> str | None:
    """Kind of the verb phrase that ends ``before`` ("... killing" -> killed), if any."""
    words = before.lower().split()[-5:]
    if not words:
        return None
    cands = _lexicon().verb_left.get(words[-1])
    if not cands:
        return None
    tail = " ".join(words)
    for phrase, kind in cands:
        if tail == phrase or tail.endswith(" " + phrase):
            head = tail[: len(tail) - len(phrase)].split()
            # "attempted to kill a commander", "threatened to kill 5 hostages": no one died
            if head and head[-1] == "to" and phrase.split()[0] in _INFINITIVES:
                return None
            return kind
    return None


_INFINITIVES = {
    "kill",
    "execute",
    "behead",
    "murder",
    "assassinate",
    "arrest",
    "detain",
    "abduct",
    "kidnap",
    "injure",
    "wound",
    "hurt",
    "eliminate",
    "neutralize",
    "neutralise",
    "massacre",
}


# --- parse_number -------------------------------------------------------------------------------


def _parse_atom(text: str) -> int | None:
    lex = _lexicon()
    t = " ".join(text.lower().replace("–", "-").split())
    if not t:
        return None
    if t in lex.fixed:
        return lex.fixed[t]
    if t in lex.vague:
        return lex.vague[t]
    if t in ("a", "an", "one", "another", "the other"):
        return 1
    m = re.fullmatch(r"(\d[\d,.]*)(?:\s+(\w+))?", t)
    if m:
        num, scale = m.group(1), m.group(2)
        if scale and scale not in lex.scales:
            return None
        if re.fullmatch(r"\d{1,3}(?:,\d{3})+", num):
            value: float = int(num.replace(",", ""))
        elif re.fullmatch(r"\d{1,3}(?:\.\d{3})+", num) and not scale:
            # "1.200" with three-digit groups is a European thousands separator, not 1.2 people
            value = int(num.replace(".", ""))
        elif re.fullmatch(r"\d+(?:\.\d+)?", num):
            value = float(num)
        else:
            return None
        if scale:
            value *= lex.scales[scale]
        return int(value)
    total = current = 0
    seen = False
    for w in re.split(r"[\s-]+", t):
        if w == "and" or not w:
            continue
        if w in lex.units:
            current += lex.units[w]
        elif w == "hundred":
            current = (current or 1) * 100
        elif w in lex.scales:
            total += (current or 1) * lex.scales[w]
            current = 0
        elif w == "a" and not seen:
            current = 1  # "a hundred and twenty"
        else:
            return None
        seen = True
    return total + current if seen else None


def parse_number(text: str) -> int | None:
    """A count written in digits or words, or an ACLED vague word: "1,200" -> 1200, "twenty-one" -> 21,
    "a dozen" -> 12, "dozens" -> 12, "a couple of" -> 2. Ranges give their lowest figure; qualifiers
    ("at least", "more than") are ignored. None when the text is not a count."""
    if not isinstance(text, str):
        return None
    m = _lexicon().np.fullmatch(" ".join(text.strip().split()))
    if not m:
        return None
    return _value(m.group("num"))[0]


def _value(num: str) -> tuple[int | None, str]:
    """Value and rule for the number part of a phrase (lowest figure for ranges)."""
    lex = _lexicon()
    low = " ".join(num.lower().split())
    if low in lex.vague:
        return lex.vague[low], f"vague:{low}={lex.vague[low]}"
    m = re.fullmatch(r"(?:between|from)\s+(.+?)\s+(?:and|to)\s+(.+)", low)
    if not m:
        m = re.fullmatch(r"(.+?)\s*(?:-|–|\bto\b|\bor\b)\s*(.+)", low)
        if m and (_parse_atom(m.group(1)) is None or _parse_atom(m.group(2)) is None):
            m = None
        # "twenty-one" is one number: a hyphen makes a range only between digits ("3-5")
        if m and re.fullmatch(r"[a-z]+-[a-z]+", low):
            m = None
    if m:
        a, b = _parse_atom(m.group(1)), _parse_atom(m.group(2))
        if a is not None and b is not None:
            return min(a, b), "range_low"
    v = _parse_atom(low)
    return v, "explicit"


# --- find_casualties ----------------------------------------------------------------------------


@dataclass
class _NP:
    start: int  # offsets into the sentence
    end: int
    value: int
    rule: str
    single: bool  # "a"/"an"/"one": needs a known victim noun to count


def _np_at(text: str, pos: int) -> _NP | None:
    m = _lexicon().np.match(text, pos)
    if not m or not m.group("num"):
        return None
    return _make_np(text, m)


def _make_np(text: str, m: re.Match[str]) -> _NP | None:
    num = m.group("num")
    value, rule = _value(num)
    if value is None:
        return None
    qual = " ".join(m.group("qual").lower().split())
    if qual and qual not in ("the", "all", "all the", "only", "just", "reportedly"):
        rule = f"{rule}:{qual.replace(' ', '_')}" if rule == "explicit" else rule
    single = num.lower() in ("a", "an", "one", "another", "the other")
    start = m.start("qual") if qual else m.start("num")
    return _NP(start, m.end(), value, rule, single)


def _is_measure(text: str, np: _NP) -> bool:
    after = text[np.end : np.end + 24]
    if _MEASURE_AFTER.match(after):
        return True
    num = text[np.start : np.end].strip()
    if _YEAR.match(num) and not re.match(r"\s+(?:people|persons|protesters|demonstrators)", after, re.I):
        return True
    before = text[max(0, np.start - 24) : np.start]
    if _NAME_COMMA.search(before) and re.match(r"\s*,", after):
        return True  # "Tamerlan, 26, died": an age in apposition to a name
    return bool(_MEASURE_BEFORE.search(before))


_NAME_COMMA = re.compile(r"[A-Z][\w'’-]+,\s*$")


def _who_class(words: list[str]) -> str:
    lex = _lexicon()
    joined = " ".join(w.lower() for w in words)
    for cls, stems in lex.who_classes.items():
        if any(s in joined for s in stems):
            return cls
    return ""


def _words(text: str, pos: int, limit: int = 24) -> list[tuple[int, int, str]]:
    out = []
    for m in _WORD.finditer(text, pos):
        out.append((m.start(), m.end(), m.group()))
        if len(out) >= limit:
            break
    return out


@dataclass
class _Walk:
    kind: str
    verb_end: int
    who: list[str]
    chained: list[_NP]
    subsets: list[_NP]
    combined: bool
    passive_singular: bool  # "was killed" / "has been killed": a singular person died


# "1 killed 3 injured": the next number starts a new count, it is not an object of "killed"
_NEXT_COUNT = re.compile(r"\s+\d+\s+(?:\w+\s+)?(?:injured|wounded|hurt|killed|dead|arrested|missing)\b", re.I)
_ACTIVE_OBJECT = re.compile(
    r"\s+(?:(?:a|an|the|his|her|their|its|him|them|two|three|four|five|six|seven|eight|nine|ten|"
    r"at\s+least|several|dozens|many)\b|\d|[A-Z])",
)


def _walk_right(text: str, np: _NP) -> _Walk | None:
    """From the end of a number phrase, skip the victim words (and chained "and N others", and
    "including N ..." subsets) until a casualty verb; None when the clause ends first."""
    lex = _lexicon()
    pos = np.end
    who: list[str] = []
    chained: list[_NP] = []
    subsets: list[_NP] = []
    who_mark = 0
    steps = 0
    while pos < len(text) and steps < 24:
        steps += 1
        cm = lex.combined_right.match(text, pos + (len(text[pos:]) - len(text[pos:].lstrip())))
        if cm:
            return _Walk("killed", cm.end(), who, chained, subsets, True, False)
        rest = text[pos:]
        lead = len(rest) - len(rest.lstrip())
        at = pos + lead
        for kind, pat in lex.verb_right.items():
            vm = pat.match(text, at)
            if vm:
                if kind == "participants" and not _participant_subject(who, np):
                    continue
                passive = bool(vm.group("aux").strip())
                active = (
                    not passive
                    and bool(_ACTIVE_OBJECT.match(text, vm.end()))
                    and not _NEXT_COUNT.match(text, vm.end())
                )
                verb = vm.group("verb").lower()
                # "a death spiral", "an Islamic body": singular "death"/"body" only for one ("1 death") or
                # a body that was found
                if verb in ("death", "body") and np.single and text[np.start : np.end].lower() != "one":
                    if verb == "death" or not _BODY_FOUND.match(text, vm.end()):
                        return None
                # "3 gunmen killed a man": active voice, the number counts the attackers
                if (
                    active
                    and kind != "participants"
                    and verb not in ("dead", "fatalities", "fatality", "deaths", "bodies")
                ):
                    return None
                if kind != "killed" and _THEN_KILLED.match(text, vm.end()):
                    kind = "killed"  # "kidnapped and killed": the graver outcome counts
                singular = not re.search(r"\b(?:were|have|are)\b", vm.group("aux"), re.I)
                return _Walk(kind, vm.end(), who, chained, subsets, False, singular)
        sm = _SUBSET_WORDS.match(text, pos)
        if sm:
            # "two militants including their chief were killed": the breakdown ends at the verb
            stop = _next_verb(text, sm.end(), _clause_end(text, sm.end()))
            pos = (
                _collect_subsets(text, sm.end(), subsets, stop=stop)
                if stop is not None
                else _collect_subsets(text, sm.end(), subsets)
            )
            continue
        ap = _APPOSITIVE.match(text, pos)
        if ap:
            pos = ap.end()  # "1 child, a shepherd, was killed"
            continue
        if text.startswith("(", at):
            close = text.find(")", at)
            if close == -1:
                return None
            _collect_subsets(text, at + 1, subsets, stop=close)
            pos = close + 1
            continue
        cm2 = _CHAIN_JOIN.match(text, pos)
        if cm2:
            nxt = _np_at(text, cm2.end())
            if nxt is not None and not _is_measure(text, nxt):
                chained.append(nxt)
                pos = nxt.end
                who_mark = len(who)
                continue
            kin = _KIN.match(text, cm2.end())
            if kin:  # "a councilor and his wife were shot dead"
                chained.append(_NP(kin.start(), kin.end(), 1, "kin", True))
                pos = kin.end()
                continue
            if text[at] == ",":
                # "an opposition fighter, as well as a civilian, succumbed": a comma before the verb
                if any(
                    pat.match(text, at + 1 + len(text[at + 1 :]) - len(text[at + 1 :].lstrip()))
                    for k, pat in lex.verb_right.items()
                    if k != "participants"
                ):
                    pos = at + 1
                    continue
                return None
        wm = _WORD.match(text, at)
        if not wm:
            return None
        w = wm.group().lower()
        if not re.match(r"[a-z]|\d+-[a-z]", w):
            return None
        if w in lex.breaks or (w.endswith("ed") and w not in lex.allowed_ed and w not in lex.who):
            return None
        who.append(wm.group())
        pos = wm.end()
        if len(who) - who_mark > 7:
            return None
    return None


_VERB_TAIL = re.compile(
    r"(?:\s+(?:were|was|have\s+been|had\s+been|are|is)\s+(?:also\s+)?(?:reported|confirmed|recorded|registered))?",
    re.I,
)
_THEN_KILLED = re.compile(
    r"\s+and\s+(?:later\s+|then\s+|subsequently\s+)?(?:killed|executed|murdered|shot\s+dead|beheaded|died)\b",
    re.I,
)
_APPOSITIVE = re.compile(
    r"\s*,\s*(?:(?:likely|possibly|probably|reportedly|allegedly|believed\s+to\s+be|said\s+to\s+be)\s+)?"
    r"(?:a|an|the)\s+[^,;.()]{1,60},",
    re.I,
)
_KIN = re.compile(
    r"(?:his|her|their)\s+(?:wife|husband|son|daughter|brother|sister|mother|father|child|cousin|nephew|niece|"
    r"uncle|aunt|friend|bodyguard|driver|companion|colleague)\b",
    re.I,
)


def _next_verb(text: str, pos: int, end: int) -> int | None:
    """Start of the first casualty verb phrase in ``text[pos:end]``, if any."""
    lex = _lexicon()
    best = None
    for kind, pat in lex.verb_right.items():
        if kind == "participants":
            continue
        m = pat.search(text, pos, end)
        if m and (best is None or m.start() < best):
            best = m.start()
    return best


def _participant_subject(who: list[str], np: _NP) -> bool:
    lex = _lexicon()
    return any(w.lower() in lex.participant_nouns for w in who) or (not who and not np.single)


def _collect_subsets(text: str, pos: int, out: list[_NP], stop: int | None = None) -> int:
    """Numbers of a breakdown ("including 20 civilians and 3 children") up to the clause end."""
    end = stop if stop is not None else _clause_end(text, pos)
    for m in _lexicon().np.finditer(text, pos, end):
        np = _make_np(text, m)
        if np and not _is_measure(text, np) and not (np.single and not _has_who_after(text, np)):
            out.append(np)
    return end if stop is None else stop


def _clause_end(text: str, pos: int) -> int:
    m = re.compile(r"[,;)]|\.(?!\d)").search(text, pos)
    return m.start() + (1 if m and text[m.start()] in ",)" else 0) if m else len(text)


def _has_who_after(text: str, np: _NP) -> bool:
    lex = _lexicon()
    for _, _, w in _words(text, np.end, 3):
        if w.lower() in lex.who:
            return True
    return False


_CODED = re.compile(
    r"\b(?:fatalities|fatality|deaths|casualties|dead|these|they|figure|toll|number)\b[^.;]{0,80}?"
    r"\b(?:coded|rounded(?:\s+(?:down|up))?|recorded|counted)\s+(?:as\s+|to\s+|at\s+)?(?P<n>\d+)\b",
    re.I,
)
_CODED_NUM_FIRST = re.compile(
    r"(?<![\w.])(?P<n>\d+)\s+(?:fatalities|fatality|deaths)\s+(?:were\s+|are\s+|have\s+been\s+)?coded\s+"
    r"(?:to|for|in)\s+(?:the|this)\s+event",
    re.I,
)
_CODED_HERE = re.compile(
    r"\bcoded\s+(?P<n>\d+)\s+(?:fatalities|fatality|deaths)\b|\bcoded\s+(?:the\s+)?(?:fatalities|deaths)\s+(?:as|to|at)\s+(?P<n2>\d+)",
    re.I,
)
_CODED_EACH = re.compile(
    r"\bwith\s+(?P<n>\d+)\s+(?:fatalities\s+)?(?:coded\s+)?(?:to|for|in)\s+each\b|,\s*(?P<n2>\d+)\s+each\b"
    r"|\b(?:divided|split|spread|distributed)\s+(?P<n3>\d+)\s+(?:on|to|for|in|per)\s+each\b"
    r"|\b(?P<n4>\d+)\s+(?:fatalities|deaths)\s+each\b",
    re.I,
)
_UNKNOWN_FATALITIES = re.compile(
    r"\b(?:unknown|unclear|unspecified|undetermined)\s+(?:reported\s+)?(?:fatalities|deaths|dead)\b", re.I
)
_FATALITIES_RANGE = re.compile(
    r"\b(?:fatalities|deaths|death\s+toll|casualties)\s+(?:figures?\s+)?(?:range|ranges|ranging|vary|varies|varying)\s+"
    r"(?:from|between)\s+(?P<a>\d+)\s+(?:to|and|-)\s+(?P<b>\d+)",
    re.I,
)
_SPLIT_LIST = re.compile(
    r"\b(?:split|spread|divided|distributed)\s+(?:equally\s+|evenly\s+)?(?:between|across|among|over)\s+"
    r"(?:the\s+)?(?:events|locations|areas)\s+(?:in|at|of)\s+(?P<rest>[^.;]+)",
    re.I,
)
_SPLIT = re.compile(
    r"\b(?:split|spread|divided|distributed|shared|coded)\s+(?:up\s+)?(?:equally\s+|evenly\s+)?"
    r"(?:between|across|over|among|amongst)\s+(?:the\s+)?(?P<n>\d+|two|three|four|five|six|seven|eight|nine|ten|both)\s+"
    r"(?:separate\s+|different\s+)?(?:events|locations|incidents|districts|areas|days|places|villages|sites|"
    r"provinces|attacks|clashes|governorates|towns|communes|municipalities)\b(?:\s*\((?P<share>\d+)\))?",
    re.I,
)
_SPLIT_NUM = re.compile(
    r"(?P<total>\d+)\s+(?:reported\s+)?(?:fatalities|deaths)\s+(?:were\s+|are\s+|have\s+been\s+)?"
    r"(?:split|spread|divided|distributed)",
    re.I,
)
_DISTRIBUTED = re.compile(
    r"\b(?:distributed|split|spread|divided)\s+(?P<total>\d+)\s+(?:reported\s+)?(?:fatalities|deaths)\s+"
    r"(?:equally\s+|evenly\s+)?(?:over|across|between|among)\s+(?P<rest>[^.;]+)",
    re.I,
)
_AS_FOLLOWS = re.compile(r"\bsplit\s+as\s+follows\s*:\s*[^.;\d]*?(?P<n>\d+)", re.I)
_NONE = re.compile(
    r"\b(?:no|neither|nor|without|zero|not\s+any)\s+(?:\w+\s+){0,3}?(?P<what>fatalities|fatality|casualties|"
    r"casualty|deaths|death|losses|loss\s+of\s+life|killed|dead|injuries|injury|injured|victims|"
    r"(?:one|body)\s+(?:was\s+)?(?:killed|hurt|injured|wounded))\b"
    r"|\b(?P<who>no\s+one|nobody|none)\s+(?:was|were|has\s+been|had\s+been)\s+(?:\w+\s+)?"
    r"(?P<what2>killed|hurt|injured|wounded|harmed)\b",
    re.I,
)
_NO_INFO = re.compile(r"\bno\s+(?:information|info|reports?|details|word|data)\b", re.I)


def _number_word(s: str) -> int | None:
    return 2 if s.lower() == "both" else _parse_atom(s)


def _coder_statements(sent: str, off: int) -> list[CasualtyMention]:
    """ACLED notes' own statements about how fatalities were coded."""
    out: list[CasualtyMention] = []
    low = sent.lower()
    if not any(k in low for k in _CODER_KEYS):
        return out

    def span(a: int, b: int) -> Span:
        return Span(off + a, off + b, sent[a:b])

    cm = _CODED.search(sent) or _CODED_NUM_FIRST.search(sent) or _CODED_HERE.search(sent)
    each = _CODED_EACH.search(sent)
    split = _SPLIT.search(sent)
    split_list = _SPLIT_LIST.search(sent)
    if each and not cm and re.search(r"\b(?:fatalities|deaths)\b", sent, re.I):
        share = int(each.group("n") or each.group("n2") or each.group("n3") or each.group("n4"))
        out.append(CasualtyMention(span(each.start(), each.end()), share, "killed", "coded_split"))
        return out
    if cm:
        value = int(cm.group("n") or cm.groupdict().get("n2"))
        if each:
            share = int(each.group("n") or each.group("n2") or each.group("n3") or each.group("n4"))
            out.append(CasualtyMention(span(cm.start(), each.end()), share, "killed", "coded_split"))
        elif split and split.start() >= cm.start():
            n = _number_word(split.group("n")) or 1
            share = int(split.group("share")) if split.group("share") else _round_share(value, n)
            out.append(CasualtyMention(span(cm.start(), split.end()), share, "killed", f"coded_split:{n}"))
        elif split_list and split_list.start() >= cm.start():
            n = _count_items(split_list.group("rest"))
            out.append(
                CasualtyMention(
                    span(cm.start(), split_list.end()), _round_share(value, n), "killed", f"coded_split:{n}"
                )
            )
        else:
            g = "n" if cm.group("n") else "n2"
            out.append(CasualtyMention(span(cm.start(g), cm.end(g)), value, "killed", "coded"))
        return out
    rm = _FATALITIES_RANGE.search(sent)
    if rm:
        low = min(int(rm.group("a")), int(rm.group("b")))
        out.append(CasualtyMention(span(rm.start("a"), rm.end("b")), low, "killed", "range_low"))
        return out
    dm = _DISTRIBUTED.search(sent)
    if dm:
        parts = _count_items(dm.group("rest"))
        n_m = re.search(
            r"\b(\d+|two|three|four|five|six|seven|eight|nine|ten)\s+(?:events|locations|areas)",
            dm.group("rest"),
        )
        n = (_number_word(n_m.group(1)) or parts) if n_m else max(parts, 1)
        value = _round_share(int(dm.group("total")), n)
        out.append(CasualtyMention(span(dm.start(), dm.end()), value, "killed", f"coded_split:{n}"))
        return out
    af = _AS_FOLLOWS.search(sent)
    if af:
        out.append(
            CasualtyMention(
                span(af.start("n"), af.end("n")), int(af.group("n")), "killed", "coded_split:as_follows"
            )
        )
        return out
    if split:
        n = _number_word(split.group("n")) or 1
        tm = _SPLIT_NUM.search(sent)
        if split.group("share"):
            out.append(
                CasualtyMention(
                    span(split.start(), split.end()), int(split.group("share")), "killed", f"coded_split:{n}"
                )
            )
        elif tm and tm.end() <= split.end():
            value = _round_share(int(tm.group("total")), n)
            out.append(CasualtyMention(span(tm.start(), split.end()), value, "killed", f"coded_split:{n}"))
        elif re.search(r"\b(?:fatalities|deaths|casualties|killed)\b", sent, re.I):
            out.append(CasualtyMention(span(split.start(), split.end()), n, "killed", "split_events"))
    return out


_CODER_KEYS = (
    "coded",
    "split",
    "spread",
    "distribut",
    "divided",
    "each",
    "rang",
    "vary",
    "varies",
    "follows",
)


def _count_items(rest: str) -> int:
    """Number of places in "in A, B, C, and D" (stops at a parenthesis or "with")."""
    rest = re.split(r"\(|\bwith\b", rest, maxsplit=1)[0]
    return max(1, len([p for p in re.split(r",\s*(?:and\s+)?|\s+and\s+", rest.strip()) if p.strip()]))


def _round_share(total: int, n: int) -> int:
    """ACLED's per-event share of a split total: nearest integer, halves down (20/3 -> 7, 10/3 -> 3,
    57/2 -> 28, 1/2 -> 0), as the dev notes' coded shares show."""
    if n <= 0:
        return total
    return -((-2 * total + n) // (2 * n))


def find_casualties(doc: Document) -> list[CasualtyMention]:
    """Counts of people killed / injured / arrested / abducted and protest sizes, sentence by sentence."""
    out: list[CasualtyMention] = []
    sentences = getattr(doc, "sentences", None)
    text = getattr(doc, "text", None)
    if not sentences or not isinstance(text, str):
        return out
    hits = _hint_positions(text)
    for sent in sentences:
        if hits is not None:
            i = bisect_left(hits, sent.start)
            if i >= len(hits) or hits[i] >= sent.end:
                continue
        try:
            out.extend(_sentence_casualties(sent.text, sent.start, prefiltered=hits is not None))
        except (ValueError, IndexError, re.error):  # defensive: odd input must never crash the pipeline
            continue
    return out


def _hint_positions(text: str) -> list[int] | None:
    """Sorted offsets of the hint stems in the whole text (one str.find sweep per stem: much faster than
    testing every sentence); None when lower-casing changes the length (offsets would not line up)."""
    low = text.lower()
    if len(low) != len(text):
        return None
    pos: list[int] = []
    for stem in _HINT_STEMS:
        i = low.find(stem)
        while i != -1:
            pos.append(i)
            i = low.find(stem, i + 1)
    pos.sort()
    return pos


# Cheap prefilter (substring tests on the lower-cased sentence, far faster than a regex alternation):
# a sentence with none of these stems has no casualty count.
_HINT_STEMS = (
    "kill", "dead", "died", "death", "fatal", "wound", "injur", "hurt", "arrest", "detain", "abduct", "kidnap",
    "protest", "demonstrat", "rall", "march", "gather", "strike", "casualt", "bod", "slain", "execut", "behead",
    "murder", "assassinat", "massacr", "lynch", "perish", "succumb", "lost", "toll", "hostage", "size=",
    "neutrali", "eliminat", "seiz", "held", "apprehend", "rounded", "sit-in", "participa", "loss", "coded",
    "split", "corpse", "remains", "missing", "custody", "shot", "stabbed", "beaten", "hanged", "martyr",
    "took part", "himself", "herself", "joined", "strik", "chant", "riot", "block", "assembl", "picket", "sat in",
    " alive",
)  # fmt: skip


_SPEAKER = re.compile(
    r"(?:an?|one|two|three|several)\s+(?:[\w-]+\s+){0,3}?(?:official|spokes\w*|source|witness|resident|officer|"
    r"commander|leader|doctor|medic|journalist|reporter|activist|monitor|chief|elder|lawmaker|statement)s?"
    r"\s+(?:\w+\s+)?(?:said|says|told|added|confirmed|reported|stated|explained)\b",
    re.IGNORECASE,
)


def _sentence_casualties(text: str, off: int, prefiltered: bool = False) -> list[CasualtyMention]:
    if not prefiltered:
        low = text.lower()
        if not any(stem in low for stem in _HINT_STEMS):
            return []
    lex = _lexicon()
    out: list[CasualtyMention] = []
    taken: list[tuple[int, int]] = []

    protest = bool(_PROTEST_WORDS.search(text))

    def add(np: _NP, kind: str, rule: str, who: str) -> None:
        if any(a < np.end and np.start < b for a, b in taken):
            return
        if _SPEAKER.match(text, np.start):
            return  # "killing four civilians, a local official said": the speaker, not a victim
        taken.append((np.start, np.end))
        if kind == "killed":
            pre = text[max(0, np.start - 70) : np.start]
            if _PRIOR_DEATH.search(pre) or (protest and _AFTER_CLAUSE.search(pre)):
                rule = "prior_event"
        span = Span(off + np.start, off + np.end, text[np.start : np.end])
        out.append(CasualtyMention(span, np.value, kind, rule, who))

    coded = _coder_statements(text, off)
    for c in coded:
        taken.append((c.span.start - off, c.span.end - off))
    out.extend(coded)

    for m in _UNKNOWN_FATALITIES.finditer(text):
        if not any(a < m.end() and m.start() < b for a, b in taken):
            v = _lexicon().vague["unknown number of"]
            out.append(
                CasualtyMention(
                    Span(off + m.start(), off + m.end(), m.group()), v, "killed", f"vague:unknown={v}"
                )
            )
            taken.append((m.start(), m.end()))

    for m in re.finditer(r"\[size=([^\]]*)\]", text):
        inner = m.group(1).strip()
        sm = lex.np.search(inner)
        if sm and sm.group("num"):
            v, rule = _value(sm.group("num"))
            if v is not None:
                a = m.start(1) + sm.start()
                out.append(
                    CasualtyMention(
                        Span(off + a, off + m.start(1) + sm.end(), inner[sm.start() : sm.end()]),
                        v,
                        "participants",
                        f"size:{rule}",
                    )
                )
        taken.append((m.start(), m.end()))

    low_text = text.lower()
    has_neg = any(k in low_text for k in ("no", "neither", "nor", "without", "zero", "none", "nobody"))
    for m in _NONE.finditer(text) if has_neg else ():
        what = (m.group("what") or m.group("what2") or "").lower()
        kind = "injured" if re.match(r"injur|hurt|wound|harm", what) else "killed"
        if "casualt" in what or "victim" in what or "loss" in what:
            kind = "killed"
        rule = "no_information" if _NO_INFO.match(text, m.start()) else "none_reported"
        out.append(CasualtyMention(Span(off + m.start(), off + m.end(), m.group()), 0, kind, rule))
        taken.append((m.start(), m.end()))

    for m in _TO_DEATH.finditer(text):
        tnp = _np_at(text, m.start("obj"))
        if tnp is not None and not _is_measure(text, tnp):
            add(tnp, "killed", f"{tnp.rule}:to_death" if tnp.rule != "explicit" else "explicit", "")
            taken.append((m.start(), m.end()))

    for m in lex.np.finditer(text):
        np = _make_np(text, m)
        if np is None or any(a < np.end and np.start < b for a, b in taken):
            continue
        if _is_measure(text, np):
            continue
        before = text[max(0, np.start - 60) : np.start]
        if _AGENT_BEFORE.search(before):
            continue  # "abducted by four men": the number counts perpetrators
        cl = lex.combined_left.search(before)
        if cl and not re.match(
            r"\s*(?:unknown|unclear|unspecified|undetermined)", text[np.start : np.end], re.I
        ):
            if np.single and not _has_who_after(text, np):
                continue
            half = _NP(np.start, np.end, np.value // 2, np.rule, np.single)
            walk = _walk_right(text, np)
            add(
                half,
                "killed",
                f"killed_or_injured:{np.rule}",
                _who_class(walk.who if walk else _following_who(text, np)),
            )
            continue
        left_kind = _left_kind(before)
        if left_kind is None and _TOLL_BEFORE.search(text, max(0, np.start - 160), np.start):
            left_kind = "killed"  # "the death toll from the bombing at a mosque ... rose to 100"
        if left_kind in ("killed", "injured", "arrested", "abducted"):
            who = _following_who(text, np)
            if np.single and not who and not _NOUN_NEXT.match(text, np.end):
                continue
            if re.match(r"\s+(?:times|others?\s+times)\b", text[np.end :], re.I):
                continue
            add(np, left_kind, np.rule, _who_class(who))
            _subsets_after(text, np, left_kind, add)
            _chain_after(text, np, left_kind, add)
            continue
        if re.match(
            r"\s+of\s+(?:them|whom|those|the\s+(?:dead|victims|killed|wounded|injured))\b",
            text[np.end :],
            re.I,
        ):
            # "five were injured, one of them seriously": the kind is the earlier count's
            walk = _walk_right(text, np)
            prev = [c for c in out if c.span.start < off + np.start and c.value > 0]
            kind = walk.kind if walk else (prev[-1].kind if prev else "")
            if kind:
                add(np, kind, "subset", "")
            continue
        walk = _walk_right(text, np)
        if walk is None:
            continue
        if np.single and not walk.chained and not walk.passive_singular:
            continue  # "a police station who were shot": a singular noun cannot be "were" killed
        if np.single and not _has_who_after(text, np) and (walk.chained or len(walk.who) > 5):
            continue
        if walk.combined:
            if re.match(r"(?:unknown|unclear)", text[np.start : np.end], re.I):
                continue
            add(
                _NP(np.start, np.end, np.value // 2, np.rule, np.single),
                "killed",
                f"killed_or_injured:{np.rule}",
                _who_class(walk.who),
            )
            continue
        host_cls = _who_class(_following_who(text, np) or walk.who)
        add(np, walk.kind, np.rule, host_cls)
        for c in walk.chained:
            add(c, walk.kind, c.rule, _who_class(_following_who(text, c)))
        for i, sub in enumerate(walk.subsets):
            cls = _who_class(_following_who(text, sub))
            # "21 militants including 2 commanders and 4 soldiers": soldiers are not militants
            additive = i > 0 and cls and host_cls and cls != host_cls
            add(sub, walk.kind, sub.rule if additive else "subset", cls)
        # "8 people were killed, including 3 children" / "Some deaths were reported, including at least 2"
        vm = _VERB_TAIL.match(text, walk.verb_end)
        sm = _SUBSET_WORDS.match(text, vm.end() if vm else walk.verb_end)
        if sm:
            subs: list[_NP] = []
            _collect_subsets(text, sm.end(), subs)
            for sub in subs:
                add(sub, walk.kind, "subset", _who_class(_following_who(text, sub)))
        # numbers inside "a judge of a court was killed" belong to the one victim
        taken.append((np.start, walk.verb_end))
    if not any(c.kind == "killed" for c in out):
        # "security forces shot him and killed him": a pronoun victim, counted when nothing else is
        pm = _PRONOUN_KILLED.search(text) or _definite_killed().search(text) or _SINGULAR_PASSIVE.search(text)
        if pm:
            g = next(n for n in ("p", "p2", "p3", "p4", "p5", "p6") if n in pm.re.groupindex and pm.group(n))
            a, b = pm.start(g), pm.end(g)
            # "shot him" / "the death of the commander" / "the head of the council was shot dead"
            rules = {_PRONOUN_KILLED.pattern: "pronoun", _SINGULAR_PASSIVE.pattern: "singular_passive"}
            rule = rules.get(pm.re.pattern, "definite_singular")
            out.append(CasualtyMention(Span(off + a, off + b, text[a:b]), 1, "killed", rule))
    out.sort(key=lambda c: c.span.start)
    return out


_BODY_FOUND = re.compile(
    r"\s+(?:was|has\s+been|had\s+been)\s+(?:\w+\s+)?(?:found|discovered|recovered|pulled)", re.I
)
# "stabbed a man to death", "shot two men to death"
_TO_DEATH = re.compile(
    r"\b(?:stabbed|stabbing|beat|beating|beaten|tortured|torturing|shot|shooting|hacked|hacking|burned|burnt|"
    r"burning|stoned|stoning|clubbed|clubbing|hanged|hanging|strangled|strangling|trampled|crushed)\s+"
    r"(?P<obj>[^.;,]{1,60}?)\s+to\s+death\b",
    re.I,
)
# a toll whose subject is separated from its verb by a long noun phrase ("the death toll from a
# suicide bombing at a mosque in Peshawar rose to 100")
_TOLL_BEFORE = re.compile(
    r"\b(?:death|casualty)\s+toll\b[^.;]{0,140}?\b(?:rose|has\s+risen|had\s+risen|risen|climbed|has\s+climbed|"
    r"jumped|increased|reached|has\s+reached|stands|stood|now\s+stands)\s+(?:to\s+|at\s+)?"
    r"(?:at\s+least\s+|more\s+than\s+|over\s+|nearly\s+|almost\s+|about\s+|around\s+)?$",
    re.I,
)
_AGENT_BEFORE = re.compile(r"\bby\s+(?:(?:at\s+least|about|around|some|up\s+to|more\s+than)\s+)?$", re.I)
# "demonstrated over the killing of a driver": a death that caused the event, not one the event caused
_PRIOR_DEATH = re.compile(
    r"\b(?:over|against|following|after|condemning|denouncing|protesting|mourning|about|for|denounce|condemn|"
    r"protest|justice\s+for|in\s+protest\s+(?:at|of|against|over)|response\s+to|retaliation\s+for|"
    r"revenge\s+for|avenge|reprisal\s+for)\s+(?:the\s+)?(?:alleged\s+|recent\s+|brutal\s+)?"
    r"(?:killing|killings|death|deaths|murder|murders|assassination|lynching|execution)\s+of\s+$",
    re.I,
)
_PROTEST_WORDS = re.compile(
    r"\b(?:protest|demonstrat|rall(?:y|ied)|march(?:ed|es)?\b|sit-in|vigil|riot)", re.I
)
_AFTER_CLAUSE = re.compile(r"\b(?:after|following|over|against|because)\b[^.;]{0,40}$", re.I)
_NOUN_NEXT = re.compile(r"\s+(?!(?:few|lot|number|total|further|similar|result)\b)[A-Za-z]")
_PRONOUN_KILLED = re.compile(
    r"\b(?:killed|killing|shot\s+dead|shooting\s+dead|murdered|executed|beheaded|assassinated|lynched|"
    r"stabbed\s+to\s+death|beat\s+to\s+death|beaten\s+to\s+death)\s+(?P<p>him|her)\b"
    r"|\b(?P<p2>he|she)\s+(?:was|had\s+been|has\s+been)\s+(?:\w+\s+)?(?:killed|shot\s+dead|murdered|"
    r"executed|beheaded|assassinated|lynched|beaten\s+to\s+death|stabbed\s+to\s+death)\b|\b(?P<p3>he|she)\s+died\b"
    r"|\bkilled\s+(?P<p4>himself|herself)\b|\bblew\s+(?P<p5>himself|herself)\s+up\b"
    r"|\b(?:in|caused|causing|led\s+to|leading\s+to)\s+(?P<p6>his|her)\s+death\b",
    re.I,
)
# "the leader of a local group was shot dead", "was attacked and beaten to death": a singular subject
# ("was") of a killing verb is one death, when the sentence gives no count
_SINGULAR_PASSIVE = re.compile(
    r"\b(?P<p>(?:was|has\s+been|had\s+been)\s+(?:reportedly\s+|allegedly\s+|later\s+|also\s+)?(?:\w+\s+and\s+)?"
    r"(?:killed|shot\s+dead|shot\s+to\s+death|assassinated|murdered|beheaded|executed|lynched|gunned\s+down|"
    r"beaten\s+to\s+death|stabbed\s+to\s+death|hacked\s+to\s+death|burned\s+to\s+death|burnt\s+to\s+death|"
    r"tortured\s+to\s+death|found\s+dead|found\s+killed|fatally\s+\w+))\b",
    re.I,
)


@cache
def _definite_killed() -> re.Pattern[str]:
    lex = _lexicon()
    singular = [
        w
        for w in lex.who
        if not w.endswith("s")
        and " " not in w
        and w
        not in (
            "police",
            "personnel",
            "staff",
            "militia",
            "dead",
            "wounded",
            "injured",
            "local",
            "family",
            "crew",
            "elderly",
        )
    ]
    return re.compile(
        r"\b(?:killed|killing|assassinated|assassinating|executed|executing|beheaded|murdered|shot\s+dead|"
        r"(?:the\s+)?(?:death|killing|assassination|murder|execution)\s+of)\s+(?P<p>(?:the|its|their|his|her)\s+"
        r"(?:[\w'’-]+\s+){0,3}?(?:" + "|".join(sorted(singular, key=len, reverse=True)) + r"))\b",
        re.I,
    )


def _following_who(text: str, np: _NP) -> list[str]:
    """Victim words right after a number ("8 [Taliban militants]"), up to a break word."""
    lex = _lexicon()
    who: list[str] = []
    for _, _, w in _words(text, np.end, 6):
        lw = w.lower()
        if (
            not re.match(r"[a-z]", lw)
            or lw in lex.breaks
            or lw in ("and", "were", "was", "who", "have", "had")
        ):
            break
        who.append(w)
        if lw in lex.who:
            return who
    return [w for w in who if w.lower() in lex.who or w[:1].isupper()]


_CHAIN_JOIN = re.compile(
    r"\s*(?:,\s*as\s+well\s+as\s+|,?\s*along\s+with\s+|,?\s*together\s+with\s+|,\s*(?:and\s+)?|and\s+|"
    r"as\s+well\s+as\s+|plus\s+)",
    re.I,
)


_OF_THEM = re.compile(r"\s+of\s+(?:them|whom|those)\b", re.I)


def _chain_after(text: str, np: _NP, kind: str, add) -> None:  # type: ignore[no-untyped-def]
    """ "killing 8 soldiers and 5 fighters": the 5 is governed by the same verb. A comma-led list that
    adds up to the first figure ("12 people, seven women and five men") is its breakdown (subsets)."""
    chain: list[tuple[_NP, str, str]] = []
    comma_first: bool | None = None
    cur = np
    for _ in range(4):
        pos = cur.end
        for _s, e, w in _words(text, cur.end, 8):
            if w.lower() in _lexicon().breaks or not re.match(r"[A-Za-z]", w) or w.lower() == "and":
                break
            pos = e
        jm = _CHAIN_JOIN.match(text, pos)
        if not jm:
            break
        if comma_first is None:
            comma_first = jm.group().strip().startswith(",") and "and" not in jm.group()
        nxt = _np_at(text, jm.end())
        if nxt is None:
            kin = _KIN.match(text, jm.end())
            if kin:  # "killed a member of the council and his brother"
                nxt = _NP(kin.start(), kin.end(), 1, "kin", True)
                chain.append((nxt, "kin", ""))
                cur = nxt
                continue
            break
        if _is_measure(text, nxt) or (nxt.single and not _has_who_after(text, nxt)):
            break
        if _OF_THEM.match(text, nxt.end):
            # "at least 70 people, many of them children": part of the count, not another group
            add(nxt, kind, "subset", _who_class(_following_who(text, nxt)))
            break
        chain.append((nxt, nxt.rule, _who_class(_following_who(text, nxt))))
        cur = nxt
    breakdown = bool(comma_first) and len(chain) >= 2 and sum(c.value for c, _, _ in chain) == np.value
    for c, rule, who in chain:
        add(c, kind, "subset" if breakdown else rule, who)


def _subsets_after(text: str, np: _NP, kind: str, add) -> None:  # type: ignore[no-untyped-def]
    """ "killing 8 people, including 3 children": the 3 is part of the 8."""
    who_end = np.end
    for _s, e, w in _words(text, np.end, 6):
        if w.lower() in _lexicon().who or w[:1].isupper():
            who_end = e
            continue
        break
    sm = _SUBSET_WORDS.match(text, who_end)
    if sm:
        subs: list[_NP] = []
        _collect_subsets(text, sm.end(), subs)
        for s_np in subs:
            add(s_np, kind, "subset", _who_class(_following_who(text, s_np)))
    elif text.startswith(" (", who_end) or text.startswith("(", who_end):
        at = text.find("(", who_end)
        close = text.find(")", at)
        if close > at:
            subs = []
            _collect_subsets(text, at + 1, subs, stop=close)
            for s_np in subs:
                add(s_np, kind, "subset", _who_class(_following_who(text, s_np)))
