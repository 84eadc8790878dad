"""Event triggers: cue words and phrases that signal an ACLED sub-event type.

The lexicon lives in ``knowledge/data/triggers.json`` (an analyst edits it, not
this code). Each cue maps either to an ACLED sub-event type or to one of the
generic classes below, which ``coding/classify.py`` resolves from the actors,
victims and the other cues in the sentence:

- ``violence_generic``: killing or harm (Attack / Armed clash / Mob violence ...)
- ``clash_generic``: fighting between armed sides
- ``territory_generic``: control of a place changes hands
- ``protest_generic``: a demonstration (its outcome is decided by the frame)
- ``riot_generic``: violent crowd action
- ``intervention_generic``: non-lethal force against a gathering
- ``lethal_force_generic``: live fire / killings at a gathering
- ``arrest_generic``: arrests and detentions

Matching is one precompiled regular expression run once per sentence; each
hit is then checked for negation ("no one was killed"), modality ("threatened
to attack", "will protest") and historical background ("captured in 2016").
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache, lru_cache
from re import _constants as _sre_c  # private but stable since 3.11: used only to index patterns
from re import _parser as _sre_parser

from marsad.knowledge import read_json
from marsad.model import Document, Sentence, Span, TriggerMention

GENERIC_CLASSES: frozenset[str] = frozenset(
    {
        "violence_generic",
        "clash_generic",
        "territory_generic",
        "protest_generic",
        "riot_generic",
        "intervention_generic",
        "lethal_force_generic",
        "arrest_generic",
    }
)

# A literal space in a lexicon pattern matches spaces/hyphens ("air strike",
# "air-strike"); "_" makes that separator optional ("airstrike").
_SEP = r"[\s\-\"“”‘’']+"  # quotes too: 'invaded "large parts" of the city'
_OPT_SEP = r"[\s\-]?"

# How far (in characters) before a trigger a negation or modal cue may sit.
_HYP_WINDOW = 60
# Clause breaks stop the scope of negation/modality ("no one was hurt, but two were killed").
_CLAUSE_BREAK = re.compile(
    r"[;:()]|,\s*(?:but|while|whereas|and|although|after|when)\b|\bbut\b|\bwhile\b|\bafter\b"
)
_YEAR = re.compile(r"\b(1[89]\d\d|20\d\d)\b")
_MONTH_BEFORE_YEAR = re.compile(
    r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?,?\s*(?:\d{1,2},?\s*)?$", re.IGNORECASE
)


@dataclass(frozen=True, slots=True)
class Cue:
    id: str
    sub_event_type: str
    weight: float
    needs: str = ""  # context group that must occur in the sentence for the cue to report an event
    not_after: re.Pattern[str] | None = None  # words right before the cue that make it a non-event noun
    # the announcement is the event ("said it would disband"): modal verbs do not make it hypothetical
    announce: bool = False


@dataclass(frozen=True)
class Lexicon:
    """The compiled trigger lexicon (built once per process)."""

    index: _Index
    cues: dict[str, Cue]  # regex group name -> cue
    negation: re.Pattern[str]
    hypothetical: re.Pattern[str]
    reason: re.Pattern[str]
    background: re.Pattern[str]
    context: dict[str, re.Pattern[str]]
    figurative_before: re.Pattern[str]
    figurative_after: re.Pattern[str]
    natural_cause: re.Pattern[str]
    demand: re.Pattern[str]
    non_event_forms: frozenset[str]
    announce_blockers: re.Pattern[str] | None = None
    commitment: re.Pattern[str] | None = None
    pre_protest: re.Pattern[str] | None = None


def warm() -> int:
    """Build the lexicon and every per-prefix matcher now (else they compile lazily over the first
    articles, ~4 ms extra each for the first few dozen). Returns the number of matchers."""
    index = lexicon().index
    keys = {k for k in index.prefix_keys() if len(k) == _KEY}
    for k in keys:
        index.matcher(k)
    return len(keys)


def compile_pattern(p: str) -> str:
    """Lexicon pattern -> regex source (separators expanded)."""
    return p.replace(" ", _SEP).replace("_", _OPT_SEP)


_KEY = 3  # cues are indexed by (up to) the first three letters they can start with


def _extend(cur: set[str], items: list, k: int) -> tuple[set[str], set[str]]:
    """Extend prefixes ``cur`` over parsed regex ``items``: (still open, closed) prefix sets."""
    open_, closed = set(cur), set()
    for op, av in items:
        full = {x for x in open_ if len(x) >= k}
        closed |= full
        open_ -= full
        if not open_:
            break
        if op is _sre_c.LITERAL:
            open_ = {x + chr(av).lower() for x in open_}
        elif op is _sre_c.IN and all(iop is _sre_c.LITERAL for iop, _ in av) and len(av) <= 8:
            open_ = {x + chr(c).lower() for x in open_ for _, c in av}
        elif op is _sre_c.SUBPATTERN:
            open_, c = _extend(open_, list(av[-1]), k)
            closed |= c
        elif op is _sre_c.BRANCH:
            new: set[str] = set()
            for alt in av[1]:
                o, c = _extend(open_, list(alt), k)
                new |= o
                closed |= c
            open_ = new
        elif op in (_sre_c.MAX_REPEAT, _sre_c.MIN_REPEAT):
            lo, hi, sub = av
            o, c = _extend(open_, list(sub), k)
            closed |= c
            if hi != 1:  # a repeated group may go on: what follows is unknown
                closed |= o | (open_ if lo == 0 else set())
                open_ = set()
            else:
                open_ = o | (open_ if lo == 0 else set())
        elif op in (_sre_c.ASSERT, _sre_c.ASSERT_NOT, _sre_c.AT):
            continue  # zero-width: consumes nothing
        else:
            closed |= open_
            open_ = set()
        if len(open_) > 256:  # pathological alternations: stop refining
            closed |= open_
            open_ = set()
    return open_, closed


def _min_width(src: str) -> int:
    """Shortest text a pattern can match (orders alternatives longest first)."""
    return int(_sre_parser.parse(src, re.IGNORECASE).getwidth()[0])


def _prefixes(src: str) -> set[str]:
    """Lower-case prefixes (length <= 3) that every match of ``src`` starts with one of."""
    o, c = _extend({""}, list(_sre_parser.parse(src, re.IGNORECASE)), _KEY)
    return o | c


def _trie_regex(words: set[str]) -> str:
    """A regex matching any of ``words`` as a prefix, shaped as a trie (fast in Python's engine)."""
    trie: dict = {}
    for w in words:
        node = trie
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}

    def build(node: dict) -> str:
        if "" in node:
            return ""  # a shorter key already accepts any continuation
        alts = [re.escape(ch) + build(child) for ch, child in sorted(node.items())]
        return alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"

    return build(trie) if trie else "(?!)"


class _Index:
    """Cue patterns indexed by their first letters.

    One alternation of ~900 patterns costs ~10 ms per article in Python's regex
    engine; a word only needs the few patterns that can begin with its first
    three letters, so the matcher for each 3-letter key is built (and cached) on
    first use from the patterns filed under that key or its shorter prefixes.
    """

    def __init__(self, entries: list[tuple[str, str]]) -> None:
        self._by_prefix: dict[str, list[tuple[int, str]]] = {}
        self.unindexed: list[str] = []  # patterns that may start with anything: every word must try them
        for order, (src, name) in enumerate(entries):  # entries come longest first
            pres = _prefixes(src)
            if "" in pres:
                self.unindexed.append(src)
            for pre in pres:
                self._by_prefix.setdefault(pre, []).append((order, f"(?P<{name}>{src})"))
        self._cache: dict[str, re.Pattern[str] | None] = {}
        # Word starts worth a look: a trie-shaped regex over all indexed prefixes, so that the
        # scan skips the ~95% of words that cannot begin any cue without leaving C.
        self.starts = re.compile(r"(?<![\w-])(?=" + _trie_regex(set(self._by_prefix)) + ")", re.IGNORECASE)

    def prefix_keys(self) -> list[str]:
        return list(self._by_prefix)

    def matcher(self, key: str) -> re.Pattern[str] | None:
        try:
            return self._cache[key]
        except KeyError:
            pass
        groups: list[tuple[int, str]] = []
        for n in range(len(key), -1, -1):
            groups.extend(self._by_prefix.get(key[:n], ()))
        rx = None
        if groups:
            body = "|".join(g for _, g in sorted(set(groups)))
            rx = re.compile(rf"(?:{body})(?![\w-])", re.IGNORECASE)
        self._cache[key] = rx
        return rx


def _alternation(patterns: list[str]) -> re.Pattern[str]:
    body = "|".join(compile_pattern(p) for p in sorted(patterns, key=len, reverse=True))
    return re.compile(rf"(?<![\w-])(?:{body})(?![\w-])", re.IGNORECASE)


@cache
def lexicon() -> Lexicon:
    """Load and compile ``triggers.json`` (cached: one build per process)."""
    raw = read_json("triggers.json")
    entries: list[tuple[str, str]] = []  # (pattern source, group name)
    cues: dict[str, Cue] = {}
    for i, entry in enumerate(raw["cues"]):
        not_after = entry.get("not_after")
        cue = Cue(
            entry["id"],
            entry["type"],
            float(entry.get("weight", 1.0)),
            entry.get("needs", ""),
            re.compile(rf"(?<![\w-])(?:{not_after})\s+$", re.IGNORECASE) if not_after else None,
            bool(entry.get("announce", False)),
        )
        if cue.needs and cue.needs not in raw["context"]:
            raise ValueError(f"triggers.json: cue {cue.id!r} needs unknown context group {cue.needs!r}")
        for j, pat in enumerate(entry["patterns"]):
            try:
                re.compile(compile_pattern(pat), re.IGNORECASE)
            except re.error as err:  # an analyst's typo must name itself, not break every article
                raise ValueError(f"triggers.json: cue {entry.get('id')!r} pattern {pat!r}: {err}") from err
            name = f"c{i}_{j}"
            cues[name] = cue
            entries.append((pat, name))
    # Longer patterns first so that "suicide car bomb" wins over "car bomb" at the same position.
    entries.sort(key=lambda e: _min_width(compile_pattern(e[0])), reverse=True)
    index = _Index([(compile_pattern(p), name) for p, name in entries])
    mods = raw["modifiers"]
    neg = re.compile(
        rf"(?<![\w-])(?:{'|'.join(compile_pattern(p) for p in mods['negation'])})(?![\w-])", re.IGNORECASE
    )
    hyp = _alternation([p for p in mods["hypothetical"] if p not in ("may",)] + ["(?-i:may)"])
    background = _alternation(mods["background"])
    reason = _alternation(mods["reason"])
    context = {k: _alternation(v) for k, v in raw["context"].items()}
    fig_before = re.compile(
        rf"(?:{'|'.join(compile_pattern(p) for p in mods['figurative_before'])})\W*$", re.I
    )
    fig_after = re.compile(
        rf"^\W*(?:{'|'.join(compile_pattern(p) for p in mods['figurative_after'])})(?![\w-])", re.I
    )
    forms = frozenset(w.lower() for w in mods["non_event_forms"])
    demand = _alternation(mods["demand"])
    natural = re.compile(rf"(?:{'|'.join(compile_pattern(p) for p in mods['natural_cause'])})\W*$", re.I)
    return Lexicon(
        index,
        cues,
        neg,
        hyp,
        reason,
        background,
        context,
        fig_before,
        fig_after,
        natural,
        demand,
        forms,
        _alternation(mods.get("announce_blockers", ["(?!)"])),
        _alternation(mods.get("commitment", ["(?!)"])),
        re.compile(rf"(?:{'|'.join(compile_pattern(p) for p in mods.get('pre_protest', ['(?!)']))})$", re.I),
    )


@cache
def cue_pattern(cue_id: str) -> re.Pattern[str]:
    """All patterns of one lexicon entry as a single search regex (for looking past a sentence)."""
    for entry in read_json("triggers.json")["cues"]:
        if entry["id"] == cue_id:
            return _alternation(entry["patterns"])
    raise KeyError(f"no trigger cue {cue_id!r} in triggers.json")


def _clause_tail(text: str) -> str:
    """The part of ``text`` after the last clause break (the scope of a preceding modifier)."""
    cut = 0
    for m in _CLAUSE_BREAK.finditer(text):
        cut = m.end()
    return text[cut:]


def _is_background(
    text: str,
    sentence: Sentence,
    start: int,
    end: int,
    lex: Lexicon,
    ref_year: int | None,
    dated_only: bool = False,
) -> bool:
    """True when the trigger is dated to an earlier year or framed as history ("since 2011")."""
    # The history cue must sit in the trigger's own clause ("was captured ... in 2016"), or frame the
    # whole sentence from its start ("In 2016, ..."); "air strikes on Saturday, its first since 2016"
    # is a current event.
    lo = max(sentence.start, start - 80)
    head = text[lo:start]
    cut = max(head.rfind(","), head.rfind(";"))
    if cut >= 0 and lo + cut > sentence.start + 25:
        lo = lo + cut + 1
    hi = min(sentence.end, end + 60)
    tail = text[end:hi]
    stop = min((i for i in (tail.find(","), tail.find(";")) if i >= 0), default=-1)
    if stop >= 0:
        hi = end + stop
    window = text[lo:hi]
    for m in lex.background.finditer(window):
        y = _YEAR.search(m.group())
        if y is None:
            # undated history cue ("years ago", "anniversary") close to the trigger; a protest *marking*
            # an anniversary is itself current, so protests only yield to dated history
            if not dated_only and m.start() + lo >= start - 40 and m.end() + lo <= end + 40:
                return True
            continue
        before = text[max(sentence.start, lo + y.start() - 14) : lo + y.start()]
        if _MONTH_BEFORE_YEAR.search(before):
            continue  # a full date ("9 May 2020"): the event's own date, not background
        if ref_year is None or int(y.group()) < ref_year:
            return True
    return False


@cache
def _past_clause_patterns() -> tuple[re.Pattern[str], re.Pattern[str], tuple[str, ...]]:
    mods = read_json("triggers.json")["modifiers"]
    keys = tuple(k.lower() for k in mods["past_clause_keys"])
    return _alternation(mods["past_clause_openers"]), _alternation(mods["past_clause_dates"]), keys


# A comma, semicolon, dash or bracket ends the scope of a relative clause.
_SEGMENT_BREAK = re.compile(r"[,;:()\u2013\u2014]|\s-\s")
# "students abducted last month have been released": a dated noun phrase that is the subject of the
# main verb right after it
_AUX_AFTER = re.compile(r"\s+(?:have|has|had|were|was|are|is|remain(?:s|ed)?)\b", re.I)
# "officials said that ...": a reported clause is the news, not a relative clause
_SAY_BEFORE = re.compile(
    r"\b(?:said|says|say|saying|reported|reports|stated|announced|claimed|confirmed|added|told|warned|"
    r"noted|insisted|denied|showed|shows|believed?|alleged|knew|learned)\b(?:\s+[\w'-]+){0,3}\s*$",
    re.I,
)
_VERB_AFTER = re.compile(r"\s+(?:have|has|had|were|was|are|is|[a-z]+ed)\b")
_APPOSITIVE = re.compile(r"\s*(?:a|an|the)\s", re.I)
_QUANTITY_AFTER = re.compile(r"(?:after|since)$", re.I)


def past_clauses(text: str, sentence: Sentence, ref_year: int | None = None) -> list[tuple[int, int]]:
    """Spans (offsets into ``text``) of subordinate clauses of ``sentence`` that carry their own
    earlier date: "a town its jets bombed last month", "where gunmen killed 12 people in 2019",
    "two years after militants seized it", "students abducted last month (have been released)".

    An event told there is context for the sentence's main clause, which reports the news.
    """
    opener, dated, _ = _past_clause_patterns()
    lo, hi = sentence.start, sentence.end
    out: list[tuple[int, int]] = []
    for d in dated.finditer(text, lo, hi):
        y = _YEAR.search(d.group())
        if y is not None and ref_year is not None and int(y.group()) >= ref_year:
            continue
        seg_lo = lo
        for b in _SEGMENT_BREAK.finditer(text, lo, d.start()):
            seg_lo = b.end()
        brk = _SEGMENT_BREAK.search(text, d.end(), hi)
        seg_hi = brk.start() if brk else hi
        if _QUANTITY_AFTER.search(d.group()):
            # "two years after militants seized it": the date opens the clause itself
            out.append((d.start(), seg_hi))
            continue
        start = None
        for o in opener.finditer(text, seg_lo, d.start()):
            if o.group().lower() == "that" and _SAY_BEFORE.search(text, seg_lo, o.start()):
                continue
            start = o.start()
        if start is None and seg_lo > lo and _APPOSITIVE.match(text, seg_lo):
            start = seg_lo  # ", a town its jets bombed last month"
        if start is not None:
            # "soldiers who were ambushed last week clashed again on Tuesday": a restrictive clause
            # (no comma before it) on the subject is closed by the main verb right after the date;
            # ", where clashes last year displaced thousands" runs on to the comma
            restrictive = not text[seg_lo:start].isspace() and start > seg_lo
            closed = restrictive and _VERB_AFTER.match(text, d.end(), hi) is not None
            out.append((start, d.end() if closed else seg_hi))
        elif _AUX_AFTER.match(text, d.end(), hi):
            out.append((seg_lo, d.end()))
    return out


def _inside(span: Span, clauses: list[tuple[int, int]]) -> bool:
    return any(a <= span.start and span.end <= b for a, b in clauses)


# A weak cue ("gunmen") outside the dated clause is not a main-clause event of its own.
_MAIN_EVENT_WEIGHT = 1.5


def _mark_past_clauses(text: str, sent: Sentence, found: list[TriggerMention], ref_year: int | None) -> None:
    """Flag triggers inside an earlier-dated subordinate clause as background, but only when the
    sentence's main clause reports an event of its own (else the dated one is all there is)."""
    clauses = past_clauses(text, sent, ref_year)
    if not clauses:
        return
    inner = [t for t in found if _inside(t.span, clauses)]
    main = [
        t
        for t in found
        if not t.negated
        and not t.hypothetical
        and t.weight >= _MAIN_EVENT_WEIGHT
        and not _inside(t.span, clauses)
    ]
    if inner and main:
        for t in inner:
            t.hypothetical = True


# Direct speech: a quotation this long is a statement ("We will crush the attackers"), not the reporter's account.
_QUOTE = re.compile(r"“[^”]{1,1500}”|\"[^\"\n]{1,1500}\"")
_MIN_QUOTE_WORDS = 8


def quote_spans(text: str) -> list[tuple[int, int]]:
    """Character ranges of direct speech (quotations of at least a few words, not scare quotes)."""
    return [(m.start(), m.end()) for m in _QUOTE.finditer(text) if len(m.group().split()) >= _MIN_QUOTE_WORDS]


def _in_spans(pos: int, spans: list[tuple[int, int]]) -> bool:
    return any(a < pos < b for a, b in spans)


def find_triggers(doc: Document) -> list[TriggerMention]:
    """All trigger mentions in ``doc`` in text order, flagged for negation and modality."""
    if doc is None or not isinstance(getattr(doc, "sentences", None), list):
        raise TypeError("find_triggers expects a marsad.model.Document")
    lex = lexicon()
    text = doc.text or ""
    published = getattr(doc.article, "published", None)
    ref_year = published.year if published is not None else None
    quotes = quote_spans(text)
    out: list[TriggerMention] = []
    for sent in doc.sentences:
        out.extend(_sentence_triggers(text, sent, lex, ref_year, quotes))
    return out


def sentence_triggers(text: str, sentence: Sentence, ref_year: int | None = None) -> list[TriggerMention]:
    """Triggers of one sentence (offsets into ``text``)."""
    return _sentence_triggers(text, sentence, lexicon(), ref_year, quote_spans(text))


# "attempted to kill" reports an (attempted) act; a bare base form ("they kill people") does not.
_ATTEMPT = re.compile(r"\b(?:attempt(?:ed|s|ing)?|tried|try|trying)\s+to\s+$", re.I)


def _asserted(
    text: str,
    sent: Sentence,
    start: int,
    end: int,
    matched: str,
    cue: Cue,
    lex: Lexicon,
    quotes: list[tuple[int, int]],
) -> bool:
    """Does the reporter assert that this happened? False for quoted speech, figurative use
    ("a political clash", "fighting for their freedom"), base-form verbs ("they kill people") and
    noun-only cues without an event around them ("a missile programme", "ceasefire talks")."""
    if matched.lower() in lex.non_event_forms and not _ATTEMPT.search(
        text[max(sent.start, start - 30) : start]
    ):
        return False
    if cue.not_after is not None and cue.not_after.search(text[max(sent.start, start - 20) : start]):
        return False
    if quotes and _in_spans(start, quotes):
        return False
    if lex.figurative_before.search(text[max(sent.start, start - 40) : start]):
        return False
    if lex.figurative_after.search(text[end : min(sent.end, end + 60)]):
        return False
    if cue.sub_event_type != "protest_generic" and _sports_frame(text[sent.start : sent.end]):
        return False  # "bombarded the home goal", "fought like soldiers": a match report
    if cue.sub_event_type == "violence_generic" and lex.natural_cause.search(
        text[max(sent.start, start - 40) : start]
    ):
        return False  # "collapsing walls injured 15": a disaster, not an assailant
    if (
        cue.id in ("kill", "death")
        and (
            lex.context["disaster"].search(text[sent.start : start])
            or _disaster_after(text[end : sent.end], lex)
        )
        # an armed group near the deaths (not one named only in the attribution: "..., the Taliban said")
        and not lex.context["nonstate_agent"].search(text[sent.start : min(sent.end, end + 40)])
        and not lex.context["state_agent"].search(text[sent.start : start])
    ):
        return False  # "rains triggered landslides, killing 14": deaths told as the outcome of a disaster
    if cue.needs:
        # the context must come from the other words of the sentence, not from the cue itself ("one shot")
        rest = text[sent.start : start] + " \u2026 " + text[end : sent.end]
        if lex.context[cue.needs].search(rest) is None:
            return False
    return True


# "25 people died when a bus plunged into a ravine": a clause right after the deaths that names their cause
_CAUSE_CLAUSE = re.compile(r"^[^,;]{0,40}?\b(?:when|after|as)\b([^,;]{0,80})", re.I)


def _disaster_after(tail: str, lex: Lexicon) -> bool:
    """Does a when/after/as clause just after a death name a disaster or accident as its cause?"""
    m = _CAUSE_CLAUSE.search(tail)
    return m is not None and lex.context["disaster"].search(m.group(1)) is not None


# Words that keep a sports sentence literal: fans fighting police after a match are a real event.
_SPORTS_VIOLENCE = re.compile(
    r"\b(?:police|fans|supporters|hooligans|ultras|stabbed|shot dead|gunmen|bombs?|bombings?|bombers?|(?<!like )(?<!like a )soldiers?)\b",
    re.I,
)


@lru_cache(maxsize=512)
def _sports_frame(sentence: str) -> bool:
    """A sentence about a match (two or more distinct sports words) and no real violence in it."""
    rx = lexicon().context.get("sports_frame")
    if rx is None:
        return False
    hits = {m.group().lower() for m in rx.finditer(sentence)}
    return len(hits) >= 2 and _SPORTS_VIOLENCE.search(sentence) is None


# A commitment ("promised to crush ... and to rebuild") scopes over the rest of its clause, up to a comma.
_COMMIT_WORDS = 25


def _committed(prefix: str, lex: Lexicon) -> bool:
    """Is the trigger inside the scope of a promise, vow or threat earlier in its clause?"""
    if lex.commitment is None:
        return False
    tail = _clause_tail(prefix)
    tail = tail[tail.rfind(",") + 1 :]
    words = tail.split()[-_COMMIT_WORDS:]
    return lex.commitment.search(" ".join(words)) is not None


def _iter_matches(text: str, start: int, end: int, index: _Index) -> Iterator[re.Match[str]]:
    """Leftmost non-overlapping cue matches in ``text[start:end]`` (cues start at word starts)."""
    starts = index.starts
    pos = start
    while pos < end:
        w = starts.search(text, pos, end)
        if w is None:
            return
        p = w.start()
        rx = index.matcher(text[p : p + _KEY].lower())
        m = rx.match(text, p, end) if rx is not None else None
        if m is not None and m.end() > p:
            yield m
            pos = m.end()
        else:
            pos = p + 1


def _sentence_triggers(
    text: str, sent: Sentence, lex: Lexicon, ref_year: int | None, quotes: list[tuple[int, int]] | None = None
) -> list[TriggerMention]:
    out: list[TriggerMention] = []
    # most sentences carry no history cue at all: test once, not per trigger
    has_history = lex.background.search(sent.text) is not None
    for m in _iter_matches(text, sent.start, sent.end, lex.index):
        name = m.lastgroup
        if name is None:
            continue
        cue = lex.cues[name]
        start, end = m.start(), m.end()
        words = _clause_tail(text[max(sent.start, start - _HYP_WINDOW) : start]).split()
        # only the last few words before the trigger can negate it ("no one was killed", "did not attack")
        negated = lex.negation.search(" ".join(words[-4:])) is not None
        if cue.announce:
            # "said it would dissolve itself": only refusals, threats and conditions block an announcement
            hypothetical = (
                (
                    lex.announce_blockers is not None
                    and lex.announce_blockers.search(" ".join(words[-6:])) is not None
                )
                or (has_history and _is_background(text, sent, start, end, lex, ref_year))
                or not _asserted(text, sent, start, end, m.group(), cue, lex, quotes or [])
            )
            out.append(
                TriggerMention(
                    span=Span(start, end, m.group()),
                    sub_event_type=cue.sub_event_type,
                    weight=cue.weight,
                    cue=cue.id,
                    negated=negated,
                    hypothetical=hypothetical,
                )
            )
            continue
        hypothetical = (
            lex.hypothetical.search(" ".join(words[-6:])) is not None
            or lex.reason.search(" ".join(words[-5:])) is not None  # "a man suspected of kidnapping ..."
            # "demanded the release of prisoners": wanted, not done (a protest's own demands do not count)
            or (
                cue.sub_event_type != "protest_generic"
                and lex.demand.search(" ".join(words[-4:])) is not None
            )
            or (
                has_history
                and _is_background(
                    text, sent, start, end, lex, ref_year, dated_only=cue.sub_event_type == "protest_generic"
                )
            )
            or not _asserted(text, sent, start, end, m.group(), cue, lex, quotes or [])
            or _committed(text[sent.start : start], lex)
            # "arrested ahead of a planned rally": the protest has not happened
            or (
                cue.sub_event_type == "protest_generic"
                and lex.pre_protest is not None
                and lex.pre_protest.search(" ".join(words[-5:]) + " ") is not None
            )
        )
        out.append(
            TriggerMention(
                span=Span(start, end, m.group()),
                sub_event_type=cue.sub_event_type,
                weight=cue.weight,
                cue=cue.id,
                negated=negated,
                hypothetical=hypothetical,
            )
        )
    if has_past_date(sent.text) and len(out) > 1:
        _mark_past_clauses(text, sent, out, ref_year)
    return out


def has_past_date(sentence_text: str) -> bool:
    """Cheap test: does the sentence carry an earlier-date phrase a subordinate clause could own?"""
    _, dated, keys = _past_clause_patterns()
    low = sentence_text.lower()
    # substring tests first: the regex alone costs ~1 ms per 700 words
    return any(k in low for k in keys) and dated.search(sentence_text) is not None
