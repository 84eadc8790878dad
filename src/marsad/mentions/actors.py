"""Actor mentions: who did what to whom, normalised towards ACLED actor names.

Dictionary matching on folded, singularised word n-grams (no NER model: it must cost well under a
millisecond per sentence). Knowledge lives in ``knowledge/data/actors_*``:

- ``actors_countries.tsv``: ACLED country names, regime years, country words and adjectives;
- ``actors_roles.json``: generic roles (military, police, civilians, gunmen...) with their cues;
- ``actors_groups.tsv``: named groups and state units with aliases and case-sensitive acronyms;
- ``actors_associated.json``: social groups (teachers, journalists...) and ethnic/clan names.

A mention's ``name`` is final when it holds no ``{placeholder}``; otherwise (a generic role or a
country-dependent group whose country the text does not state) ``marsad.coding.actors.actor_name``
fills it in from the event country. Always prefer ``actor_name``: some names depend on the event
country even when the text gives one ("Saudi forces" in Yemen are "Operation Restoring Hope").

``role`` is the generic role (military, police, government, rebels, islamists, militants,
armed_group, explosive, gang, communal_militia, clan_militia, tribal_militia, progov_militia,
militia, protesters, rioters, civilians, private_security) or, for named groups, their kind
(state, rebel, militia, identity, external; party = a political party, coded as civilians with the
party as associated actor). ``explosive`` marks an unattributed bomb: a perpetrator of last resort.
Protest and riot verbs ("protested", "staged a sit-in", "scuffle") also yield protester/rioter
mentions so the actor of a protest exists even when the text names nobody.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from functools import cache, lru_cache
from typing import NamedTuple

from marsad.knowledge import data_path, read_json
from marsad.model import ActorMention, Document, Span
from marsad.text import fold

# Arabic article variants are folded to "al" so "Ahrar ash-Sham" = "Ahrar al Sham".
_ARTICLES = frozenset(
    {"el", "ad", "ash", "as", "ar", "at", "az", "an", "ath", "adh", "ul", "ud", "ed", "es", "et", "ez"}
)
_NO_SINGULAR = ("ss", "us", "is", "ys")
# names that end in -s but are not plurals ("Hamas" is not many "Hama")
_KEEP_S = frozenset(
    {
        "hamas",
        "texas",
        "abbas",
        "caracas",
        "honduras",
        "bahamas",
        "kansas",
        "atlas",
        "alias",
        "vegas",
        "christmas",
    }
)
_ACRONYM_STRIP = re.compile(r"[\s.\-/]")
# Words that may follow a named group and belong to its mention ("HTS fighters", "Taliban militants").
_GROUP_SUFFIX = frozenset(
    "fighter militant member element cell operative force troop unit gunman gunmen insurgent rebel terrorist "
    "militia militiaman militiamen commander supporter loyalist men group movement faction jihadist personnel "
    "soldier sniper affiliate remnant security special armed intelligence police".split()
)
_ETHNIC_MILITIA_NEXT = frozenset(
    "militia militiaman militiamen gunman gunmen fighter herdsman herdsmen men youth attacker".split()
)
_ETHNIC_GROUP_NEXT = frozenset(
    "community people villager resident family tribe clan group farmer civilian".split()
)


@lru_cache(maxsize=200_000)
def norm_word(w: str) -> str:
    """Fold one word and reduce it to the form used as a lexicon key (article variants, plural -s)."""
    w = fold(w).replace(" ", "")
    if w in _ARTICLES:
        return "al"
    if len(w) > 3 and w.endswith("s") and not w.endswith(_NO_SINGULAR) and w not in _KEEP_S:
        if w.endswith("ies") and len(w) > 4:
            return w[:-3] + "y"
        return w[:-1]
    return w


class Word(NamedTuple):
    start: int
    end: int
    key: str  # normalised form; "" for punctuation that blocks n-grams
    surface: str


# Word parts (hyphenated tokens split: "pro-Houthi" -> pro, Houthi) and single punctuation marks.
_PART = re.compile(r"[^\W_]+(?:['’][^\W_]+)*|[^\w\s]")
_SKIP = frozenset({".", "-", "‐", "–"})  # "U.S." and "pro-Houthi" must stay one phrase
_NORM: dict[str, str] = {}


def words(text: str, offset: int = 0) -> list[Word]:
    """Normalised words of ``text``; hyphenated tokens split, possessive 's dropped, '.' ignored."""
    out: list[Word] = []
    norm = _NORM
    for m in _PART.finditer(text):
        tok = m.group()
        start = m.start() + offset
        if len(tok) == 1 and not tok.isalnum():
            if tok not in _SKIP:
                out.append(Word(start, start + 1, "", tok))
            continue
        if len(tok) > 2 and tok[-2] in "'’" and tok[-1] in "sS":
            tok = tok[:-2]
        k = norm.get(tok)
        if k is None:
            k = norm_word(tok)
            if len(norm) < 500_000:
                norm[tok] = k
        if k:
            out.append(Word(start, start + len(tok), k, tok))
    return out


def _key(phrase: str) -> tuple[str, ...]:
    return tuple(w.key for w in words(phrase) if w.key)


def _acronym_form(s: str) -> str:
    return _ACRONYM_STRIP.sub("", s)


@dataclass(frozen=True, slots=True)
class Country:
    code: str
    name: str  # ACLED country name
    of_name: str  # as written after "Forces of"
    years: str
    military_override: str


@dataclass(frozen=True, slots=True)
class Entry:
    """One lexicon entry; several surface keys point at it."""

    id: str
    kind: str  # group | role | assoc | ethnic | country
    name: str  # ACLED name or template
    inter: int
    role: str
    cc: str = ""
    by_country: tuple[tuple[str, str], ...] = ()
    modified_only: bool = False
    acronym: str = ""  # when set, the text must show exactly this surface (case-sensitive)
    associated: str = ""

    def for_country(self, cc: str) -> str | None:
        for k, v in self.by_country:
            if k == cc:
                return v
        for k, v in self.by_country:
            if k == "*":
                return v
        return None


@dataclass(slots=True)
class Lexicon:
    keys: dict[tuple[str, ...], list[Entry]] = field(default_factory=dict)
    max_len: dict[str, int] = field(default_factory=dict)  # first word -> longest key starting with it
    entries: dict[str, Entry] = field(default_factory=dict)
    countries: dict[str, Country] = field(default_factory=dict)
    country_by_name: dict[str, str] = field(default_factory=dict)  # folded ACLED name -> code
    inter_by_name: dict[str, int] = field(default_factory=dict)
    roles: dict[str, Entry] = field(default_factory=dict)
    state_modifiers: frozenset[str] = frozenset()
    backed_words: frozenset[str] = frozenset()
    combined: dict[str, str] = field(default_factory=dict)
    foreign_forces: dict[str, str] = field(default_factory=dict)
    actor_verbs: frozenset[str] = frozenset()
    owned_words: frozenset[str] = frozenset()

    def add(self, phrase: str, entry: Entry) -> None:
        k = _key(phrase)
        if not k:
            return
        bucket = self.keys.setdefault(k, [])
        if entry not in bucket:
            bucket.append(entry)
        self.max_len[k[0]] = max(self.max_len.get(k[0], 0), len(k))
        self.entries[entry.id] = entry


def _by_country(spec: str | dict | None) -> tuple[tuple[str, str], ...]:
    if not spec:
        return ()
    if isinstance(spec, dict):
        return tuple(spec.items())
    pairs = []
    for item in spec.split("|"):
        if "=" in item:
            k, v = item.split("=", 1)
            pairs.append((k.strip(), v.strip()))
    return tuple(pairs)


def _rows(name: str) -> list[list[str]]:
    text = data_path(name).read_text(encoding="utf-8")
    rows = []
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        rows.append(next(csv.reader([line], delimiter="\t", quoting=csv.QUOTE_NONE)))
    return rows


@cache
def lexicon() -> Lexicon:
    """Load all actor knowledge once per process."""
    lex = Lexicon()
    for row in _rows("actors_countries.tsv"):
        row += [""] * (6 - len(row))
        code, name, of_name, years, override, wordlist = (c.strip() for c in row[:6])
        lex.countries[code] = Country(code, name, of_name or name, years, override)
        lex.country_by_name[fold(name)] = code
        for w in filter(None, (x.strip() for x in wordlist.split("|"))):
            lex.country_by_name.setdefault(fold(w), code)
            # short upper-case forms (US, UK, DRC, CAR) only count when written so
            acr = w if (w.replace(".", "").isupper() and len(w.replace(".", "")) <= 4) else ""
            lex.add(w, Entry(f"country:{code}:{w}", "country", name, 1, "country", cc=code, acronym=acr))

    roles = read_json("actors_roles.json")
    lex.state_modifiers = frozenset(norm_word(w) for w in roles.get("state_modifiers", []))
    lex.backed_words = frozenset(norm_word(w) for w in roles.get("backed_words", []))
    lex.combined = dict(roles.get("combined", {}))
    lex.foreign_forces = {k: v for k, v in roles.get("foreign_forces", {}).items() if "@" in k}
    lex.actor_verbs = frozenset(norm_word(w) for w in roles.get("actor_verbs", []))
    lex.owned_words = frozenset(norm_word(w) for w in roles.get("owned_words", []))
    for role, spec in roles["roles"].items():
        bc = _by_country(spec.get("by_country"))
        base = Entry(f"role:{role}", "role", spec["name"], int(spec["inter"]), role, by_country=bc)
        lex.roles[role] = base
        lex.entries[base.id] = base
        for cue in spec.get("cues", []):
            lex.add(cue, base)
        mod = Entry(
            f"role:{role}:mod",
            "role",
            spec["name"],
            int(spec["inter"]),
            role,
            by_country=bc,
            modified_only=True,
        )
        for cue in spec.get("modified_cues", []):
            lex.add(cue, mod)

    group_rows = _rows("actors_groups.tsv")
    own_names = {r[0].strip() for r in group_rows if r and "{" not in r[0]}
    for i, row in enumerate(group_rows):
        row += [""] * (7 - len(row))
        name, inter, role, cc, aliases, acronyms, bc = (c.strip() for c in row[:7])
        if not name or not inter.isdigit():
            continue
        aliases_list = [x.strip() for x in aliases.split("|") if x.strip()]
        acronym_list = [x.strip() for x in acronyms.split("|") if x.strip()]
        if role == "party":
            # ACLED names parties as associated actors of civilians, protesters or rioters
            civ_name = roles["roles"]["civilians"]["name"]
            base = Entry(f"group:{i}", "assoc", civ_name, 7, "party", cc=cc, associated=name)
            for a in aliases_list:
                lex.add(a, base)
            for a in acronym_list:
                lex.add(
                    a,
                    Entry(f"group:{i}:{a}", "assoc", civ_name, 7, "party", cc=cc, acronym=a, associated=name),
                )
            continue
        by = _by_country(bc)
        base = Entry(f"group:{i}", "group", name, int(inter), role or "group", cc=cc, by_country=by)
        if "{" not in name:
            # a group's own row decides its inter code over another row that merely refers to it
            lex.inter_by_name[name] = int(inter)
        for _, v in by:
            if "{" not in v and v not in own_names:
                lex.inter_by_name.setdefault(v, int(inter))
        for a in aliases_list:
            lex.add(a, base)
        for a in acronym_list:
            lex.add(a, Entry(f"group:{i}:{a}", "group", name, int(inter), role or "group", cc, by, acronym=a))

    assoc = read_json("actors_associated.json")
    civ = lex.roles.get("civilians")
    for label, cues in assoc["groups"].items():
        e = Entry(
            f"assoc:{label}",
            "assoc",
            civ.name if civ else "Civilians ({country})",
            7,
            "civilians",
            associated=label,
        )
        for cue in cues:
            lex.add(cue, e)
    for kind, names in assoc.get("ethnic", {}).items():
        for n in names:
            lex.add(n, Entry(f"ethnic:{n}", "ethnic", n, 4, kind))
    return lex


# --- matching -----------------------------------------------------------------------------------


@dataclass(slots=True)
class _Match:
    i: int  # first word index
    j: int  # one past the last word index
    entry: Entry


@lru_cache(maxsize=256)
def _shouting(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and sum(c.isupper() for c in letters) > 0.6 * len(letters)


def _valid(entry: Entry, ws: list[Word], i: int, j: int, text: str, base: int) -> bool:
    if not entry.acronym:
        return True
    surface = text[ws[i].start - base : ws[j - 1].end - base]
    if _acronym_form(surface) != _acronym_form(entry.acronym):
        return False
    # in an all-caps headline "IS" or "US" may be an ordinary word
    return not (len(_acronym_form(entry.acronym)) <= 2 and _shouting(text))


_PRIORITY = {"group": 0, "role": 1, "assoc": 2, "country": 3, "ethnic": 4}


def _scan(ws: list[Word], text: str, base: int, lex: Lexicon) -> list[_Match]:
    out: list[_Match] = []
    keys = [w.key for w in ws]
    n = len(ws)
    i = 0
    while i < n:
        first = ws[i].key
        longest = lex.max_len.get(first, 0) if first else 0
        found: _Match | None = None
        for length in range(min(longest, n - i), 0, -1):
            key = tuple(keys[i : i + length])
            entries = lex.keys.get(key)
            if not entries:
                continue
            ok = [e for e in entries if _valid(e, ws, i, i + length, text, base)]
            if ok:
                ok.sort(key=lambda e: (_PRIORITY[e.kind], e.modified_only))
                found = _Match(i, i + length, ok[0])
                break
        if found is None:
            i += 1
            continue
        if found.entry.kind == "group":
            while found.j < n and ws[found.j].key in _GROUP_SUFFIX:
                found.j += 1
        out.append(found)
        i = found.j
    return out


def _modifier_countries(matches: list[_Match], k: int, ws: list[Word], lex: Lexicon) -> tuple[list[str], int]:
    """Countries written right before match k ("Syrian and Russian jets"); returns codes and first word."""
    codes: list[str] = []
    start = matches[k].i
    pos = matches[k].i
    idx = k - 1
    while idx >= 0:
        p = matches[idx]
        gap = ws[p.j : pos]
        if p.entry.kind != "country":
            break
        if gap and not (codes and len(gap) == 1 and gap[0].key in ("and", "or", ",", "/")):
            break
        if p.i > 0 and ws[p.i - 1].key == "pro":  # "pro-Turkish factions" are not Turkish forces
            break
        if p.j < len(ws) and ws[p.j].key in lex.backed_words:
            break
        codes.append(p.entry.cc)
        start = p.i
        pos = p.i
        idx -= 1
    return codes, start


def _country_after(matches: list[_Match], k: int, ws: list[Word]) -> tuple[list[str], int]:
    """'forces of Azerbaijan', 'Police Forces of the Philippines', 'military forces of India and Pakistan'."""
    m = matches[k]
    j = m.j
    codes: list[str] = []
    if not (j < len(ws) and ws[j].key == "of"):
        return codes, m.j
    pos = j + 1
    last = m.j
    for nxt in matches[k + 1 :]:
        gap = [w.key for w in ws[pos : nxt.i]]
        allowed = ("the",) if not codes else ("and", "or", ",", "the")
        if nxt.entry.kind != "country" or len(gap) > 2 or any(g not in allowed for g in gap):
            break
        codes.append(nxt.entry.cc)
        last = nxt.j
        pos = nxt.j
    # "a convoy of Russian soldiers": the country belongs to the next actor, not to "convoy"
    following = k + 1 + len(codes)
    if (
        codes
        and following < len(matches)
        and matches[following].i == last
        and matches[following].entry.kind != "country"
    ):
        return [], m.j
    return codes, last


def _expand(template: str, cc: str, lex: Lexicon, country_name: str = "") -> str:
    """Fill {military} {police} {government} {country} for the country ``cc`` (or the given name)."""
    if "{" not in template:
        return template
    c = lex.countries.get(cc) if cc else None
    if c is None and not country_name:
        return template
    name = c.name if c else country_name
    of_name = c.of_name if c else country_name
    years = f" ({c.years})" if c and c.years else ""
    military = (
        c.military_override if c and c.military_override else ""
    ) or f"Military Forces of {of_name}{years}"
    return (
        template.replace("{military}", military)
        .replace("{police}", f"Police Forces of {of_name}{years}")
        .replace("{government}", f"Government of {of_name}{years}")
        .replace("{country}", name)
    )


# ACLED inter codes of generic names, by prefix; named groups take theirs from actors_groups.tsv.
_INTER_PREFIX: tuple[tuple[str, int], ...] = (
    ("Military Forces of", 1),
    ("Police Forces of", 1),
    ("Government of", 1),
    ("Rioters", 5),
    ("Protesters", 6),
    ("Civilians", 7),
    ("Private Security Forces", 8),
    ("Militia (", 3),
    ("Unidentified Armed Group", 3),
    ("Unidentified Gang", 3),
    ("Islamist Militia", 2),
    ("Opposition Rebels", 2),
    ("Islamic State", 2),
)
_INTER_SUFFIX: tuple[tuple[str, int], ...] = (
    ("Communal Militia", 4),
    ("Ethnic Militia", 4),
    ("Clan Militia", 4),
    ("Tribal Militia", 4),
    ("Caste Militia", 4),
)


def actor_inter(name: str, default: int = 0) -> int:
    """ACLED inter code of a final actor name (``default`` when the name is unknown)."""
    known = lexicon().inter_by_name.get(name)
    if known:
        return known
    for prefix, code in _INTER_PREFIX:
        if name.startswith(prefix):
            return code
    base = name.split(" (", 1)[0]
    for suffix, code in _INTER_SUFFIX:
        if base.endswith(suffix):
            return code
    return default


def _span(ws: list[Word], i: int, j: int, text: str) -> Span:
    s, e = ws[i].start, ws[j - 1].end
    return Span(s, e, text[s:e])


def _mention(
    entry: Entry, span: Span, cc: str, lex: Lexicon, rule: str, name: str | None = None
) -> ActorMention:
    template = name if name is not None else entry.name
    own = cc or entry.cc
    resolved = template
    if entry.kind == "role" and own:
        resolved = entry.for_country(own) or template
    resolved = _expand(resolved, own, lex) if own else resolved
    inter = actor_inter(resolved, entry.inter) if "{" not in resolved else entry.inter
    assoc = _expand(entry.associated, own, lex) if (entry.associated and own) else entry.associated
    return ActorMention(span, resolved, inter, entry.role, own, assoc, rule)


# "riot gear", "riot police": equipment and units of the police, not people rioting
_RIOT_ATTRIBUTE = re.compile(
    r"\s*(?:gear|police|policemen|squads?|shields?|units?|officers?|control|vans?|trucks?|troops|forces)\b",
    re.I,
)


def _riot_attribute(m: _Match, ws: list[Word], sent_text: str, sent_start: int) -> bool:
    """The rioter cue "riot" used as a modifier of a police word, not as people rioting."""
    last = ws[m.j - 1]
    if last.key != "riot":
        return False
    rel = last.end - sent_start
    return bool(_RIOT_ATTRIBUTE.match(sent_text[rel : rel + 20]))


def find_actors(doc: Document) -> list[ActorMention]:
    """Every actor reference in ``doc``, in text order."""
    lex = lexicon()
    text = doc.text
    out: list[ActorMention] = []
    for sent in doc.sentences:
        ws = words(sent.text, sent.start)
        if not ws:
            continue
        matches = _scan(ws, sent.text, sent.start, lex)
        used = 0  # words already taken by an ethnic phrase ("Tiv villagers")
        for k, m in enumerate(matches):
            e = m.entry
            if m.i < used:
                continue
            if e.kind == "country":
                men = _country_as_actor(matches, k, ws, text, lex)
                if men:
                    out.append(men)
                continue
            if e.kind == "ethnic":
                men = _ethnic(m, ws, text, lex)
                if men:
                    out.append(men)
                    used = m.j + 1
                continue
            if e.kind == "assoc" and _assoc_as_modifier(matches, k, ws, lex):
                continue
            if _political_camp(m, ws):
                continue
            if e.kind == "role" and e.role == "rioters" and _riot_attribute(m, ws, sent.text, sent.start):
                continue
            codes, first = _modifier_countries(matches, k, ws, lex)
            after, last = _country_after(matches, k, ws)
            if after and not codes:
                codes = after
            if e.kind == "role" and e.modified_only and not codes:
                prev = ws[m.i - 1].key if m.i > 0 else ""
                prev_match = matches[k - 1] if k > 0 else None
                if (
                    prev_match
                    and prev_match.j == m.i
                    and prev_match.entry.kind == "role"
                    and prev_match.entry.role == e.role
                ):
                    # "regime helicopters": extend the previous mention over the equipment word
                    if out and out[-1].span.end == ws[m.i - 1].end:
                        s = out[-1].span.start
                        out[-1].span = Span(s, ws[m.j - 1].end, text[s : ws[m.j - 1].end])
                    continue
                if prev not in lex.state_modifiers:
                    continue
                first = m.i - 1
            span = _span(ws, first, max(last, m.j), text)
            if e.kind == "group" and e.cc:
                codes = []  # a named group's own country is fixed by the table
            if len(codes) >= 2 and e.role == "military":
                combo = lex.combined.get("+".join(sorted(set(codes))))
                if combo:
                    out.append(ActorMention(span, combo, 1, "military", "", "", "combined"))
                    continue
            rule = f"{e.kind}:{e.id.split(':', 1)[1]}"
            if not codes:
                out.append(_mention(e, span, "", lex, rule))
            else:
                for cc in dict.fromkeys(codes):
                    out.append(_mention(e, span, cc, lex, rule + f"+country:{cc}"))
    return out


_ARMED_INTER = frozenset({1, 2, 3, 4, 8})
# "opposition activists", "opposition politicians": the word names a political camp, not armed rebels
_CAMP_NEXT = frozenset(
    "activist politician figure leader party lawmaker supporter member parliamentarian candidate".split()
)


def _political_camp(m: _Match, ws: list[Word]) -> bool:
    """A group word used for a political camp ("opposition activists"), not for an armed actor.

    ("IS-held town" stays an actor: ACLED makes the holder of an attacked place its target.)"""
    if m.j >= len(ws):
        return False
    nxt = ws[m.j]
    last = ws[m.j - 1]
    return m.entry.kind == "group" and last.key == "opposition" and nxt.key in _CAMP_NEXT


def _assoc_as_modifier(matches: list[_Match], k: int, ws: list[Word], lex: Lexicon) -> bool:
    """A social-group word that is not people here: an adjective of an armed actor ("Muslim separatists")
    or part of a proper name ("Imam Sahib district"). Before protesters or civilians it stays (their
    associated group)."""
    m = matches[k]
    if m.j >= len(ws):
        return False
    nxt = matches[k + 1] if k + 1 < len(matches) else None
    if nxt is not None and nxt.i == m.j and nxt.entry.kind in ("group", "role"):
        return nxt.entry.inter in _ARMED_INTER
    first, after = ws[m.i].surface, ws[m.j].surface
    # mid-sentence capitalised word glued to another capitalised word that is no actor: a name
    return (
        m.i > 0
        and first[:1].isupper()
        and after[:1].isupper()
        and bool(ws[m.j].key)
        and ws[m.j].key not in lex.max_len
    )


def _country_as_actor(
    matches: list[_Match], k: int, ws: list[Word], text: str, lex: Lexicon
) -> ActorMention | None:
    """A country word standing for people or forces: "Palestinians", "Afghan-owned", "Turkey shelled"."""
    m = matches[k]
    e = m.entry
    surface = " ".join(w.surface for w in ws[m.i : m.j])
    folded = fold(surface)
    civ = lex.roles["civilians"]
    nxt = ws[m.j].key if m.j < len(ws) else ""
    if (
        m.j - m.i == 1
        and folded.endswith("s")
        and folded not in lex.country_by_name
        and folded[:-1] in lex.country_by_name
    ):
        return _mention(civ, _span(ws, m.i, m.j, text), e.cc, lex, f"demonym:{e.cc}")
    if nxt in lex.owned_words:
        return _mention(civ, _span(ws, m.i, m.j + 1, text), e.cc, lex, f"owned:{e.cc}")
    c = lex.countries.get(e.cc)
    is_name = bool(e.acronym) or (c is not None and folded == fold(c.name))
    if not is_name:
        return None
    # "Turkey and Russia conducted a joint patrol": look past a chain of countries for the verb
    j = m.j
    for later in matches[k + 1 :]:
        if later.entry.kind != "country" or [w.key for w in ws[j : later.i]] not in (["and"], [","], ["or"]):
            break
        j = later.j
    if (
        j < len(ws)
        and ws[j].key in lex.actor_verbs
        and (m.i == 0 or ws[m.i - 1].key not in ("in", "of", "from", "to", "into", "at", "near"))
    ):
        mil = lex.roles["military"]
        return _mention(mil, _span(ws, m.i, m.j, text), e.cc, lex, f"country-actor:{e.cc}")
    return None


def _ethnic(m: _Match, ws: list[Word], text: str, lex: Lexicon) -> ActorMention | None:
    """'Fulani militia' -> Fulani Ethnic Militia (X); 'Dinka villagers' -> civilians with a group label."""
    if m.j >= len(ws):
        return None
    nxt = ws[m.j].key
    kind = m.entry.role
    canon = " ".join(w.surface for w in ws[m.i : m.j])
    canon = canon[:1].upper() + canon[1:]
    if nxt in _ETHNIC_MILITIA_NEXT:
        e = Entry(m.entry.id, "group", f"{canon} {kind} Militia ({{country}})", 4, "identity")
        return _mention(e, _span(ws, m.i, m.j + 1, text), "", lex, f"ethnic:{canon}")
    if nxt in _ETHNIC_GROUP_NEXT:
        civ = lex.roles["civilians"]
        e = Entry(
            m.entry.id, "assoc", civ.name, 7, "civilians", associated=f"{canon} {kind} Group ({{country}})"
        )
        return _mention(e, _span(ws, m.i, m.j + 1, text), "", lex, f"ethnic:{canon}")
    return None


@dataclass(frozen=True, slots=True)
class ArticleProfile:
    """What a whole article names: countries and armed groups, most frequent first."""

    countries: tuple[tuple[str, int], ...]
    groups: tuple[tuple[Entry, int], ...]  # non-state armed groups (inter 2-4) by mentions


@lru_cache(maxsize=64)
def article_profile(text: str) -> ArticleProfile:
    """One cheap dictionary pass over the article (cached: several frames of one article ask)."""
    lex = lexicon()
    countries: dict[str, int] = {}
    groups: dict[str, int] = {}
    entries: dict[str, Entry] = {}
    for m in _scan(words(text), text, 0, lex):
        e = m.entry
        if e.kind == "country":
            countries[e.cc] = countries.get(e.cc, 0) + 1
        elif e.kind == "group" and e.inter in (2, 3, 4) and e.role not in ("state", "external", "party"):
            gid = ":".join(e.id.split(":")[:2])  # an acronym and its full name are one group
            groups[gid] = groups.get(gid, 0) + 1
            entries.setdefault(gid, lex.entries.get(gid, e))
    return ArticleProfile(
        tuple(sorted(countries.items(), key=lambda kv: -kv[1])),
        tuple(sorted(((entries[g], n) for g, n in groups.items()), key=lambda en: -en[1])),
    )


def country_words(text: str) -> tuple[tuple[str, int], ...]:
    """Countries named in ``text`` (names and adjectives), most frequent first: an article's home prior."""
    return article_profile(text).countries
