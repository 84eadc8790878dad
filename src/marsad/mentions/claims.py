"""Who said what: attributions in the text and the casualty figures each source gave.

News prose reports tolls through speakers ("SOHR reported that more than 300 people ...", "..., police
said", "according to the army", "a local official who asked not to be named told Reuters"). This module
finds those attributions (``find_attributions``), links each killed-count to the statement that contains
it (``claimed_counts``), turns them into ``model.Claim`` records (``frame_claims``) and applies ACLED's
rule for disagreeing sources (``lowest_credible``).

Decisions (ACLED Codebook, "Fatalities" and "Sources"):
- A count belongs to the attribution in its own sentence whose statement covers it ("X said that ..."
  covers what follows the verb; "..., X said." what precedes the speaker; "according to X" the whole
  sentence); the nearest such speaker wins. A count no speaker covers is the outlet's own voice.
- When two or more sources give different figures for the same victims, every claim is kept and the
  event is coded with the lowest credible figure (ACLED: "the most conservative estimate").
- A party's tally of its enemies' dead ("the army said it killed 40 militants") is a claim like any
  other and is kept; it is not credible for the coded figure when an independent source (a monitor, a
  medic, the outlet itself, the other side) gives a figure for the same event; alone, it is coded
  (ACLED codes what is reported, and these tallies are often the only figure).
- A later toll that updates an earlier one ("the toll rose to 12") is not a disagreement: the
  existing rising-toll rule (largest figure) applies.
- Event.source lists the outlet and the *named* primary sources (organisations, news agencies a speaker
  told); generic speakers ("police", "witnesses", "a local official") are claims but not sources.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cache, lru_cache

from marsad.knowledge import read_json
from marsad.model import CasualtyMention, Claim, Document, Evidence, Sentence, Span
from marsad.text import fold


@dataclass(frozen=True, slots=True)
class Attribution:
    """One speaker and the stretch of text their statement covers."""

    span: Span  # the speaker's words ("The UK-based Syrian Observatory for Human Rights (SOHR)")
    cue: Span  # the attribution words ("reported", "according to")
    claimant: str  # canonical name for a known source, else the speaker's words without determiners
    named: bool  # a named source that belongs in Event.source
    party: str  # "state" | "armed_group" | "": a speaker who is a side in the fighting
    scope: tuple[int, int]  # character range of the statement
    via: str = ""  # "told Reuters": the agency that carried the statement


@dataclass(slots=True)
class ClaimedCount:
    """The killed-count one claimant gave for an event."""

    claimant: str
    attribution: Attribution | None  # None: the outlet's own voice
    mentions: list[CasualtyMention] = field(default_factory=list)
    value: int = 0
    evidence: Evidence = field(default_factory=Evidence)
    enemy_tally: bool = False  # a party counting its enemies' dead


@dataclass(frozen=True)
class _Lexicon:
    verb: re.Pattern[str]
    according: re.Pattern[str]
    known: tuple[tuple[str, str, bool], ...]  # (folded alias, canonical, single-word alias)
    media: tuple[str, ...]
    media_folded: frozenset[str]
    told_media: re.Pattern[str]
    state: frozenset[str]
    armed: frozenset[str]
    generic: frozenset[str]
    modifiers: frozenset[str]
    pronouns: frozenset[str]
    update: re.Pattern[str]


def _phrase_alt(words: Iterable[str]) -> str:
    ws = sorted(set(words), key=len, reverse=True)
    return "|".join(r"\s+".join(re.escape(p) for p in w.split()) for w in ws)


@cache
def _lexicon() -> _Lexicon:
    raw = read_json("claims_lexicon.json")
    known = []
    for canonical, aliases in raw["known_sources"].items():
        for a in [canonical, *aliases]:
            f = fold(a)
            known.append((f, canonical, " " not in f))
    known.sort(key=lambda k: -len(k[0]))
    media = tuple(raw["media"])
    return _Lexicon(
        verb=re.compile(rf"\b(?:{_phrase_alt(raw['verbs'])})\b", re.I),
        according=re.compile(r"\b(?:according\s+to|citing|cited\s+by|quoted\s+by)\s+", re.I),
        known=tuple(known),
        media=media,
        media_folded=frozenset(fold(m) for m in media),
        told_media=re.compile(rf"\s+(?P<m>{_phrase_alt(media)})\b"),
        state=frozenset(fold(w) for w in raw["state_words"]),
        armed=frozenset(fold(w) for w in raw["armed_group_words"]),
        generic=frozenset(fold(w) for w in raw["generic_words"]),
        modifiers=frozenset(fold(w) for w in raw.get("generic_modifiers", [])),
        pronouns=frozenset(fold(w) for w in raw["pronouns"]),
        update=re.compile(rf"\b(?:{_phrase_alt(raw['update_cues'])})\b", re.I),
    )


def warm() -> None:
    _lexicon()


# Clause boundaries a speaker phrase does not cross.
_CLAUSE_BREAK = re.compile(r"[,;:\"“”]|\bthat\b|\band\b|\bbut\b|\bwhile\b|\bwhereas\b|\bas\b", re.I)
_DETERMINERS = re.compile(r"^(?:the|a|an|its|their|his|her|one|two|several|some|or|and|but)\s+", re.I)
_PLACE_TAIL = re.compile(r"\s+(?:in|during|at|on|from|after|shaken|speaking|quoted)\b.*$", re.I)
_TRAILING_NOUN = re.compile(r"\s+(?:statement|said|in\s+a\s+statement)$", re.I)
_RELATIVE = re.compile(r"\s+(?:who|which|that|whose)\b.*$", re.I)
_AUX_BEFORE = re.compile(r"\b(?:was|were|been|be|is|are|being|not)\s+$", re.I)
_PERFECT = re.compile(r"\s+(?:has|have|had|also|further|later|earlier)\s*$", re.I)
_NOT_SPEECH_AFTER = re.compile(r"\s+(?:responsibility|credit|the\s+lives?|lives)\b", re.I)
_SPEAKER_AFTER = re.compile(
    r"\s+(?P<np>(?:[\w'’.-]+\s+){0,7}?[\w'’.-]+?)(?=\s*(?:[,.;:]|$|\s+(?:on|in|at|that|who)\b))"
)
_VIOLENT_WORDS = re.compile(r"\b(?:killed|died|dead|wounded|injured|attack\w*|clash\w*|fighting)\b", re.I)
_ENEMY_TALLY = re.compile(
    r"\b(?:it|they|we|its\s+(?:forces|troops|fighters)|their\s+(?:forces|fighters))\s+(?:had\s+|have\s+|has\s+)?"
    r"(?:killed|eliminated|neutrali[sz]ed|destroyed)\b",
    re.I,
)


# "..., police said on Monday." / "..., officials said in a statement.": the statement came before
_TRAILING = re.compile(
    r"\s+(?:on|late|early|yesterday|today|last|in\s+a\s+statement|in\s+a\s+post|later)\b[^,;:]{0,30}[.!?]?\s*$",
    re.I,
)
# Clause fragments the speaker heuristics can pick up that are not speakers at all.
_NOT_A_SPEAKER = re.compile(
    r"^(?:in|on|at|for|with|from|by|after|during|which|who|whom|that|this|these|those|there|according|"
    r"when|where|if|because|before|since|despite|although|though|the|a|an)\b|\b(?:according|said|says|told|"
    r"reported)\b|[\"“”‘’]",
    re.I,
)
_DESCRIPTIVE = re.compile(r"(?:-based|-led|-backed|ian|ean|ese|ish|i|an)$|^(?:The|A|An)$")


def _clean_speaker(words: str) -> str:
    s = _RELATIVE.sub("", " ".join(words.split())).strip(" ,.'\"“”’")
    s = _TRAILING_NOUN.sub("", s)
    s = _PLACE_TAIL.sub("", s)  # "the deputy controller in Quetta": where the speaker is, not who
    while True:
        t = _DETERMINERS.sub("", s)
        if t == s:
            return s
        s = t


def _canonical(speaker: str, lex: _Lexicon, sentence_initial: bool = False) -> tuple[str, bool, str]:
    """(claimant, named, party) for the speaker's words."""
    f = fold(speaker)
    padded = f" {f} "
    for alias, canonical, single in lex.known:
        if f" {alias} " in padded:
            if single and not re.search(rf"\b{re.escape(alias)}\b", speaker, re.I if len(alias) > 4 else 0):
                # "UN", "SOHR": short aliases count only when written as a name, not as a common word
                if not re.search(rf"\b{re.escape(alias.upper())}\b", speaker):
                    continue
            return canonical, True, ""
    words = f.split()
    party = ""
    if "monitor" in f or "monitoring" in f or "observatory" in f:
        party = ""  # a monitor is not a side, whatever its name says ("monitoring group")
    elif any(w in lex.state for w in words) or f in lex.state:
        party = "state"
    elif any(w in lex.armed for w in words) or f in lex.armed:
        party = "armed_group"
    # a proper name makes a named source; a demonym or "UK-based" before a common noun does not
    # ("the Syrian army" and "a UK-based monitoring group" are descriptions, "Interior Ministry" a name)
    common = lex.generic | lex.state | lex.armed | lex.modifiers
    split = speaker.split()
    # at a sentence start the first capital is the sentence's: with a lowercase head noun after it
    # ("Freed passengers said") the speaker is a description, not a name
    lower_head = len(split) > 1 and not any(c.isupper() for c in split[-1])
    caps = [w[:1].isupper() and fold(w) not in common and w not in ("The", "A", "An") for w in split]
    proper = [
        w
        for i, w in enumerate(split)
        if caps[i]
        # "Pakistani authorities" describes; "Ali Khan", "Iranian Foreign Ministry" name: a
        # demonym-like word counts inside a run of capitalised words
        and (not _DESCRIPTIVE.search(w) or (i > 0 and caps[i - 1]) or (i + 1 < len(split) and caps[i + 1]))
        # a capital at the start of a sentence proves nothing for a plural noun ("Survivors said")
        and not (i == 0 and sentence_initial and (lower_head or (w.endswith("s") and not w.isupper())))
    ]
    first = speaker.split()[0]
    if not proper and fold(first) in (lex.generic | lex.state | lex.armed) and not first.isupper():
        speaker = first.lower() + speaker[len(first) :]  # "Police said" and "..., police said" alike
    return speaker, bool(proper), party


def _speaker_before(text: str, sent: Sentence, at: int) -> tuple[int, int] | None:
    """Span of the speaker right before an attribution verb, within its clause."""
    lo = sent.start
    breaks = [lo] + [m.end() for m in _CLAUSE_BREAK.finditer(text, lo, at)]
    start, end = breaks[-1], at
    if not text[start:end].strip() and len(breaks) > 1 and text[start - 1] == ",":
        # "Ahmed Ali, a local official, said": the appositive before the comma is the speaker
        start, end = breaks[-2], start - 1
    chunk = text[start:end]
    pm = _PERFECT.search(chunk)
    if pm:
        chunk = chunk[: pm.start()]
    lead = len(chunk) - len(chunk.lstrip())
    start += lead
    chunk = chunk.strip()
    if (
        not chunk
        or len(chunk.split()) > 10
        or _VIOLENT_WORDS.search(chunk)
        or any(c.isdigit() for c in chunk)
    ):
        return None
    return start, start + len(chunk)


def find_attributions(doc: Document, sentences: Iterable[Sentence] | None = None) -> list[Attribution]:
    """Every attribution of the document (or of the given sentences only), in text order."""
    text = getattr(doc, "text", None)
    if not isinstance(text, str) or not text:
        return []
    lex = _lexicon()
    out: list[Attribution] = []
    for sent in sorted(sentences, key=lambda s: s.start) if sentences is not None else doc.sentences:
        for m in lex.according.finditer(text, sent.start, sent.end):
            sm = _SPEAKER_AFTER.match(text, m.end() - 1, sent.end)
            if sm is None:
                continue
            a, b = sm.start("np"), sm.end("np")
            out.append(
                _make(
                    text,
                    (a, b),
                    Span(m.start(), m.end(), text[m.start() : m.end()].strip()),
                    (sent.start, sent.end),
                    lex,
                    out,
                    sent,
                )
            )
        for m in lex.verb.finditer(text, sent.start, sent.end):
            if _AUX_BEFORE.search(text[max(sent.start, m.start() - 12) : m.start()]):
                continue  # "were reported", "was not said": passive, no speaker
            if _NOT_SPEECH_AFTER.match(text, m.end()):
                continue  # "claimed responsibility": an actor's act, not a statement of fact
            cue = Span(m.start(), m.end(), m.group())
            before = text[sent.start : m.start()].rstrip()
            sp = None
            scope = (sent.start, sent.end)
            if not before or before[-1] in ',"”’':
                # '"...," said the commander' / ', said Ahmed Ali, a local official.'
                sm = _SPEAKER_AFTER.match(text, m.end(), sent.end)
                if sm is not None and not _VIOLENT_WORDS.search(sm.group("np")):
                    if not any(ch.isdigit() for ch in sm.group("np")):
                        sp = (sm.start("np"), sm.end("np"))
                        scope = (sent.start, m.start())
            if sp is None:
                sp = _speaker_before(text, sent, m.start())
                if sp is None:
                    continue
                after = text[m.end() : sent.end]
                trailing = not after.strip() or after.lstrip()[0] in ".,;" or bool(_TRAILING.match(after))
                scope = (sent.start, sp[0]) if trailing else (m.end(), sent.end)
            att = _make(text, sp, cue, scope, lex, out, sent)
            if att is not None:
                out.append(att)
    out = [a for a in out if a is not None]
    out.sort(key=lambda a: a.cue.start)
    return out


def _make(
    text: str,
    sp: tuple[int, int],
    cue: Span,
    scope: tuple[int, int],
    lex: _Lexicon,
    earlier: list[Attribution | None],
    sent: Sentence,
) -> Attribution | None:
    speaker = _clean_speaker(text[sp[0] : sp[1]])
    if not speaker or not any(c.isalpha() for c in speaker) or _NOT_A_SPEAKER.search(speaker):
        return None
    sentence_initial = not text[sent.start : sp[0]].strip()
    if fold(speaker) in lex.pronouns:
        # "it said": the last speaker named within the two previous sentences
        prev = [a for a in earlier if a is not None and a.cue.start >= max(0, sent.start - 400)]
        if not prev:
            return None
        p = prev[-1]
        return Attribution(Span(sp[0], sp[1], text[sp[0] : sp[1]]), cue, p.claimant, p.named, p.party, scope)
    claimant, named, party = _canonical(speaker, lex, sentence_initial)
    if True:
        # "the army" after "the Syrian army", "Chaudhry" after "General Ahmed Sharif Chaudhry": the same
        # speaker named more briefly
        key = " " + fold(claimant)
        for a in reversed([a for a in earlier if a is not None]):
            if (" " + fold(a.claimant)).endswith(key) and a.claimant != claimant:
                claimant, named, party = a.claimant, a.named, a.party
                break
    via = ""
    if cue.text.lower().startswith("told"):
        mm = lex.told_media.match(text, cue.end)
        if mm is not None:
            via = mm.group("m") if mm.group("m")[:1].isupper() else ""  # "told reporters": no outlet
    return Attribution(Span(sp[0], sp[1], text[sp[0] : sp[1]]), cue, claimant, named, party, scope, via)


def attribution_of(
    mention: CasualtyMention, attributions: list[Attribution], doc: Document
) -> Attribution | None:
    """The speaker whose statement contains this count (same sentence, nearest cue), or None."""
    sent = doc.sentence_at(mention.span.start)
    if sent is None:
        return None
    best: tuple[int, Attribution] | None = None
    for a in attributions:
        if not (sent.start <= a.cue.start < sent.end):
            continue
        if not (a.scope[0] <= mention.span.start < a.scope[1]):
            continue
        d = abs(a.cue.start - mention.span.start)
        if best is None or d < best[0]:
            best = (d, a)
    return best[1] if best else None


def claimed_counts(
    killed: list[CasualtyMention],
    attributions: list[Attribution],
    doc: Document,
    outlet: str,
    code: Callable[[list[CasualtyMention], Document], tuple[int | None, Evidence]],
) -> list[ClaimedCount]:
    """Killed-counts grouped by claimant, each group coded with ``code`` (the fatalities rules)."""
    groups: dict[str, ClaimedCount] = {}
    for c in killed:
        a = attribution_of(c, attributions, doc)
        key = a.claimant if a is not None else outlet
        g = groups.setdefault(key, ClaimedCount(key, a))
        g.mentions.append(c)
    for g in groups.values():
        value, evidence = code(g.mentions, doc)
        g.value, g.evidence = value or 0, evidence
        g.enemy_tally = _enemy_tally(g, doc)
    return list(groups.values())


def _enemy_tally(g: ClaimedCount, doc: Document) -> bool:
    a = g.attribution
    if a is None or not a.party:
        return False
    enemy = "militants" if a.party == "state" else "security forces"
    if any(c.who == enemy for c in g.mentions):
        return True
    return any(
        _ENEMY_TALLY.search(doc.text, a.cue.end, min(c.span.start, a.scope[1]) + 1) is not None
        for c in g.mentions
        if c.span.start > a.cue.end
    )


_NOT_A_FIGURE = frozenset(
    {"none_reported", "no_information", "no_fatalities_mentioned", "subset", "split_events"}
)


def lowest_credible(counts: list[ClaimedCount], doc: Document) -> tuple[int, Evidence] | None:
    """ACLED's most conservative figure when sources disagree about the same deaths, else None
    (one source, an updated toll, or different victims: the ordinary fatality rules apply)."""
    if any(c.rule.startswith(("coded", "split")) for g in counts for c in g.mentions):
        return None  # a coder's own statement ("Fatalities coded as 5") is the answer
    figures = [g for g in counts if g.value > 0 and g.evidence.rule not in _NOT_A_FIGURE]
    if len({g.claimant for g in figures}) < 2 or len({g.value for g in figures}) < 2:
        return None
    lex = _lexicon()
    for g in figures:
        for c in g.mentions:
            if lex.update.search(doc.text, max(0, c.span.start - 40), c.span.start):
                return None
    classes = [{c.who for c in g.mentions if c.rule != "subset"} for g in figures]
    for i, ci in enumerate(classes):
        for cj in classes[i + 1 :]:
            if "" not in ci and "" not in cj and not ci & cj:
                return None  # different victims: disjoint groups add up, no disagreement
    credible = [g for g in figures if not g.enemy_tally] or figures
    best = min(credible, key=lambda g: g.value)
    n = len(figures)
    return best.value, Evidence(best.evidence.spans, f"claims:lowest_credible_of_{n}:{best.claimant}")


def frame_claims(
    sentences: list[Sentence],
    counts: list[ClaimedCount],
    attributions: list[Attribution],
    article_id: str,
    outlet: str,
    text: str,
) -> list[Claim]:
    """One Claim per speaker in the event's sentences (with their figure if they gave one), plus the
    outlet's own figure when it stated one."""
    idx = {(s.start, s.end) for s in sentences}
    by_claimant = {g.claimant: g for g in counts}
    claims: list[Claim] = []
    seen: set[str] = set()
    for a in attributions:
        if not any(lo <= a.cue.start < hi for lo, hi in idx):
            continue
        if a.claimant in seen:
            continue
        seen.add(a.claimant)
        g = by_claimant.get(a.claimant)
        figure = g.value if g is not None and g.attribution is not None else None
        spans = [a.span, a.cue] + ([c.span for c in g.mentions] if g is not None else [])
        lo, hi = min(s.start for s in spans), max(s.end for s in spans)
        claims.append(Claim(a.claimant, figure, Span(lo, hi, text[lo:hi]), article_id, outlet))
    own = by_claimant.get(outlet)
    if own is not None and own.attribution is None and own.mentions:
        lo = min(c.span.start for c in own.mentions)
        hi = max(c.span.end for c in own.mentions)
        claims.append(Claim(outlet or "report", own.value, Span(lo, hi, text[lo:hi]), article_id, outlet))
    for g in counts:
        if g.attribution is not None and g.claimant not in seen:
            seen.add(g.claimant)
            a = g.attribution
            spans = [a.span, a.cue, *(c.span for c in g.mentions)]
            lo, hi = min(s.start for s in spans), max(s.end for s in spans)
            claims.append(Claim(g.claimant, g.value, Span(lo, hi, text[lo:hi]), article_id, outlet))
    return claims


@lru_cache(maxsize=8192)
def is_generic_speaker(name: str) -> bool:
    """Is ``name`` a description of a speaker ("security sources", "Survivors", "Freed passengers")
    rather than a named source (an organisation, a person, a news agency)? Generic speakers make
    claims but never appear in Event.source."""
    name = " ".join(name.split())
    if not name:
        return True
    lex = _lexicon()
    if fold(name) in (lex.media_folded):
        return False
    words = name.split()
    if len(words) == 2 and words[1].islower() and fold(words[1]) in lex.generic:
        return True  # "Freed passengers", "Local residents": a capital that only opened a sentence
    return not _canonical(_clean_speaker(name), lex)[1]


def source_names(outlet: str, attributions: list[Attribution]) -> tuple[str, list[Span]]:
    """ "Reuters; Syrian Observatory for Human Rights": the outlet, then named sources in text order."""
    names: list[str] = [outlet] if outlet else []
    spans: list[Span] = []
    for a in attributions:
        for n in (a.claimant if a.named else "", a.via):
            if n and n not in names:
                names.append(n)
                spans.append(a.span)
    return "; ".join(names), spans


__all__ = [
    "Attribution",
    "ClaimedCount",
    "attribution_of",
    "claimed_counts",
    "find_attributions",
    "frame_claims",
    "is_generic_speaker",
    "lowest_credible",
    "source_names",
]
