"""Date mentions resolved to calendar dates with ACLED time_precision.

A small regex grammar of our own (dateparser's search_dates is slow and misreads "(34 miles)" as 1934).

Decisions (ACLED Codebook, "Time precision"; checked on the dev coder notes):
- An explicit day ("On 9 May 2020", "May 9", "yesterday", "on Saturday") -> precision 1.
- "Around 9 May 2020", "As reported on ...", "Reported on ...", "on or about" -> precision 2
  (ACLED's notes write exactly these for approximate dates; the dev notes confirm precision 2).
- Day ranges ("between 3 and 5 May", "3-5 May", "the night of 4-5 May", "since Wednesday"), weeks
  ("earlier this week", "last week") -> precision 2; the value is the FIRST day (the event had begun by
  then: ACLED's start-of-span practice for a multi-day clash), ``end_value`` the last day.
- A month without a day ("in May", "earlier this month", "last month") -> precision 3, value = 1st day.
- A year without month ("in 2016", "since 2011") -> precision 3 with rule "background_year" (history the
  assembler should not use as the event date); "year_only" when it is the published year.
- Weekday names resolve to the latest such day on or before the published date (a Saturday article's
  "on Saturday" is that day, "last Saturday" the one before); "next Tuesday" and other future references
  are skipped, and no mention ever lies after the published date. Relative expressions need a published
  date: without one they are skipped, never guessed.
- "Between Monday and Wednesday" / "from Friday to Monday" -> the first day, precision 2, ``end_value``
  the last (ACLED splits a multi-day event by day only when the text says what happened each day; a
  report that does not is coded once, from its first day).
- The start of an ongoing span ("300 have died since the offensive began on Wednesday", "since
  Wednesday") -> precision 2, rule ``since_*``, ``end_value`` the published date: it dates the tally
  it belongs to, never other incidents of the article (the assembler does not inherit it).
- A date right after a speech verb or a toll update ("officials said on Friday", "in a statement on
  Saturday", "the toll rose to 100 on Tuesday") -> rule ``statement:*``: the day something was said,
  which the assembler uses only when the text gives no date of the event itself.
- Named days ("on Christmas Eve") resolve like a yearless date (``fixed_days`` in the lexicon).
- A dateline with a year ("KABUL, March 3, 2024 (Reuters) -") gives the publication date of an article
  without one (``dateline_date``); it is never the event date.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache

from marsad.knowledge import read_json
from marsad.model import Article, DateMention, Document, Span


def _alt(words: list[str]) -> str:
    ws = sorted({w.lower() for w in words}, key=len, reverse=True)
    return "|".join(r"\s+".join(re.escape(p) for p in w.split()) for w in ws)


@dataclass(frozen=True)
class _Grammar:
    months: dict[str, int]
    weekdays: dict[str, int]
    relative_days: dict[str, int]
    patterns: tuple[tuple[str, re.Pattern[str]], ...]
    approx_before: re.Pattern[str]
    approx_after: re.Pattern[str]
    future_before: re.Pattern[str]
    statement_before: re.Pattern[str]
    fixed_days: dict[str, tuple[int, int]]
    anchors: tuple[tuple[str, str], ...]  # (literal, group): no pattern of the group matches far from it


@cache
def _grammar() -> _Grammar:
    raw = read_json("dates_lexicon.json")
    months = {k.lower(): int(v) for k, v in raw["months"].items()}
    weekdays = {k.lower(): int(v) for k, v in raw["weekdays"].items()}
    rel = {k.lower(): int(v) for k, v in raw["relative_days"].items()}
    fixed = {k.lower(): (int(v[0]), int(v[1])) for k, v in raw.get("fixed_days", {}).items()}
    # "May" the month vs "may" the verb: month names must be capitalised (case-sensitive part below)
    full = "|".join(
        sorted(
            {m.capitalize() for m in months if len(m) > 4} | {"May", "June", "July"}, key=len, reverse=True
        )
    )
    abbr = "|".join(
        sorted(
            {m.capitalize() for m in months if len(m) <= 4} - {"May", "June", "July"}, key=len, reverse=True
        )
    )
    mon = rf"(?P<mon>(?:{full})(?![\w])|(?:{abbr})(?:\.|(?![\w])))"
    mon2 = mon.replace("?P<mon>", "?P<mon2>")
    wd_names = sorted({w.capitalize() for w in weekdays if len(w) > 4}, key=len, reverse=True)
    wd = rf"(?P<wd>{'|'.join(wd_names)})"
    day = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
    day2 = r"(?P<day2>[0-3]?\d)(?:st|nd|rd|th)?"
    year = r"(?P<year>(?:19|20)\d\d)(?!\d)"
    to = r"\s*(?:-|–|—|to|and|until|till|through|/)\s*"
    p: list[tuple[str, str]] = [
        ("iso", r"(?<!\d)(?P<year>(?:19|20)\d\d)-(?P<m>[01]\d)-(?P<day>[0-3]\d)(?!\d)"),
        ("numeric", r"(?<![\d/.])(?P<a>[0-3]?\d)[/.](?P<b>[01]?\d)[/.](?P<year>(?:19|20)\d\d)(?![\d/])"),
        # 3-5 May 2020 / between 3 and 5 May / night of 4-5 May / 28 April - 2 May 2020
        (
            "range",
            rf"(?:(?i:between|from)\s+)?(?:(?i:the\s+night\s+of)\s+)?{day}(?:\s+{mon2})?{to}{day2}(?:\s+of)?\s+{mon}(?:,?\s+{year})?",
        ),
        # May 3-5, 2020 / May 3 to 5
        ("range_md", rf"(?:(?i:between|from)\s+)?{mon}\s+{day}{to}{day2}(?:,?\s+{year})?(?![\d:])"),
        # "Friday 29 November 2024", "Friday, Nov. 29": one date, not a weekday plus a date
        ("wd_dm", rf"{wd},?\s+(?:(?i:the)\s+)?{day}(?:\s+(?i:of))?\s+{mon}(?:,?\s+{year})?"),
        ("wd_md", rf"{wd},?\s+{mon}\s+{day}(?:,?\s+{year})?(?![\d:])"),
        ("dmy", rf"(?<![\d.])(?:(?i:the)\s+)?{day}(?:\s+(?i:of))?\s+{mon},?\s+{year}"),
        ("mdy", rf"{mon}\s+{day},?\s+{year}"),
        ("dm", rf"(?<![\d.,])(?:(?i:the)\s+)?{day}(?:\s+(?i:of))?\s+{mon}(?![\w])"),
        ("md", rf"{mon}\s+{day}(?![\d:.,]\d|\w|\s*(?:%|km|people|soldiers|civilians))"),
        (
            "month_year",
            rf"(?:(?i:in|since|during|by|until|early|late|mid|mid-|end\s+of|beginning\s+of|from)\s+)*(?:(?i:early|late|mid-?)\s*)?{mon},?\s+{year}",
        ),
        (
            "month",
            rf"(?:(?i:in|since|during|early|late|mid|mid-|end\s+of|beginning\s+of|last|this|earlier\s+in)\s+)+(?:(?i:early|late|mid-?)\s*)?{mon}(?![\w])",
        ),
        # "between Monday and Wednesday", "from Monday to Wednesday": one multi-day span
        (
            "wd_range",
            rf"(?i:between|from)\s+{wd}{to}{wd.replace('?P<wd>', '?P<wd2>')}(?![\w])",
        ),
        (
            "weekday",
            rf"(?i:(?:(?:late|early)\s+)?(?:on|since|from|last|this|next|until|by|coming|the\s+following)\s+)?(?:(?i:late|early)\s+)?{wd}(?:'s|’s)?(?:\s+(?i:night|morning|afternoon|evening))?",
        ),
        ("relative", rf"\b(?i:{_alt(list(rel))})(?![\w])"),
        ("fixed_day", rf"(?:(?i:on|at)\s+)?(?i:{_alt(list(fixed))})(?![\w])"),
        (
            "week",
            r"(?i:(?:earlier|late|early)\s+this\s+week|last\s+week|this\s+week|earlier\s+in\s+the\s+week|the\s+previous\s+week|the\s+past\s+week)(?![\w])",
        ),
        (
            "month_rel",
            r"(?i:(?:earlier|late|early)\s+this\s+month|last\s+month|this\s+month|the\s+previous\s+month|earlier\s+in\s+the\s+month)(?![\w])",
        ),
        (
            "year",
            r"(?i:(?:in|since|during|from|until|by|of|early|late|mid|mid-|end\s+of|the\s+year)\s+)+(?P<year>(?:19|20)\d\d)(?![\d\-/]|\s*(?:%|km|people|soldiers|troops))",
        ),
    ]
    compiled = tuple((name, re.compile(rx)) for name, rx in p)
    approx_before = re.compile(rf"(?i:\b(?:{_alt(raw['approximate_before'])}))\s*$")
    approx_after = re.compile(rf"^\s*,?\s*(?i:{_alt(raw['approximate_after'])})")
    future_before = re.compile(rf"(?i:\b(?:{_alt(raw['future_cues'])})\b)")
    # "officials said on Friday that ...", "the toll rose to 100 on Tuesday": when it was said, not done
    statement_before = re.compile(
        rf"(?i:\b(?:{_alt(raw.get('statement_before', []))})(?:\s+[\w,.]+)?\s+(?:(?:late|early)\s+)?(?:on\s+)?)$"
    )
    anchors: list[tuple[str, str]] = []
    for m in months:
        anchors.append((m.capitalize(), "month"))
    for w in wd_names:
        anchors.append((w, "weekday"))
    for w in (
        "today",
        "yesterday",
        "tonight",
        "overnight",
        "night",
        "morning",
        "afternoon",
        "evening",
        "day",
        "days",
    ):
        anchors += [(w, "relative"), (w.capitalize(), "relative")]
    anchors += [("week", "week"), ("month", "month_rel")]
    for k in fixed:
        first = k.split()[0]
        anchors.append((first.capitalize(), "fixed_day"))
    anchors += [("19", "year"), ("20", "year")]
    return _Grammar(
        months,
        weekdays,
        rel,
        compiled,
        approx_before,
        approx_after,
        future_before,
        statement_before,
        fixed,
        tuple(dict.fromkeys(anchors)),
    )


def _month(g: _Grammar, s: str | None) -> int | None:
    if not s:
        return None
    return g.months.get(s.rstrip(".").lower())


def _safe_date(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


def _year_for(month: int, day: int, published: date | None, default_year: int | None) -> int | None:
    """Year for a date written without one: keep it on or before the published date."""
    if published is not None:
        if default_year is not None and default_year < published.year:
            return default_year  # the text is about an earlier year it names ("On 3 May 2019 ... by 5 May")
        y = published.year
        cand = _safe_date(y, month, day)
        if cand is not None and cand > published:
            if (cand - published).days <= _FUTURE_DAYS:
                return None  # "an expected arrival of March 26" in a mid-March report: a future date
            y -= 1
        return y
    return default_year


# A yearless date at most this many days after publication is read as a future reference (skipped),
# further ahead as last year's ("Dec. 28" in a 3 January report).
_FUTURE_DAYS = 60


def _latest_weekday(published: date, wd: int, strictly_before: bool = False) -> date:
    back = (published.weekday() - wd) % 7
    if back == 0 and strictly_before:
        back = 7
    return published - timedelta(days=back)


_GROUP_PATTERNS: dict[str, tuple[str, ...]] = {
    "month": ("range", "range_md", "wd_dm", "wd_md", "dmy", "mdy", "dm", "md", "month_year", "month"),
    "weekday": ("wd_range", "weekday"),
    "relative": ("relative",),
    "fixed_day": ("fixed_day",),
    "week": ("week",),
    "month_rel": ("month_rel",),
    "year": ("iso", "numeric", "year"),
}
# characters scanned before/after an anchor: "between the 26th of April - 29 April 2020" fits
_BEFORE = {"month": 48, "year": 40}
_AFTER = {"month": 32}


def _anchor_windows(g: _Grammar, text: str) -> list[tuple[int, int, str]]:
    """(start, end, group) windows around anchor words found with str.find (much faster than a regex)."""
    out: list[tuple[int, int, str]] = []
    n = len(text)
    for lit, group in g.anchors:
        i = text.find(lit)
        while i != -1:
            j = i + len(lit)
            if group == "year":
                ok = (
                    (i == 0 or not text[i - 1].isdigit())
                    and text[j : j + 2].isdigit()
                    and (j + 2 >= n or not text[j + 2].isdigit())
                )
            else:
                ok = (i == 0 or not text[i - 1].isalpha()) and (j >= n or not text[j].isalpha())
            if ok:
                out.append((max(0, i - _BEFORE.get(group, 36)), min(n, j + _AFTER.get(group, 24)), group))
            i = text.find(lit, j)
    return out


@dataclass
class _Raw:
    start: int
    end: int
    name: str
    m: re.Match[str]


def find_dates(doc: Document, published: date | None) -> list[DateMention]:
    """Every resolvable date expression of the document, in text order."""
    if doc is None:
        return []
    text = getattr(doc, "text", None)
    if not isinstance(text, str) or not text:
        return []
    if published is not None and not isinstance(published, date):
        published = None
    g = _grammar()
    raws: list[_Raw] = []
    # Scan only small windows around anchor words (month/weekday names, years, day/week words), each
    # with the patterns that anchor can start: scanning a 700-word article with every pattern costs ~10x.
    by_name = dict(g.patterns)
    seen: set[tuple[str, int, int]] = set()
    for lo, hi, group in _anchor_windows(g, text):
        for name in _GROUP_PATTERNS[group]:
            for m in by_name[name].finditer(text, lo, hi):
                key = (name, m.start(), m.end())
                if key not in seen:
                    seen.add(key)
                    raws.append(_Raw(m.start(), m.end(), name, m))

    # a full date written anywhere lets "9 May" resolve without a published date, and anchors the
    # year of "9 May" in an article about an earlier year
    default_year = None
    for r in sorted(raws, key=lambda r: r.start):
        if r.name in ("dmy", "mdy", "iso", "numeric") or (r.name.startswith("range") and r.m.group("year")):
            default_year = int(r.m.group("year"))
            break

    resolved: list[tuple[_Raw, DateMention]] = []
    for r in raws:
        try:
            dm = _resolve(g, text, r, published, default_year)
        except (ValueError, OverflowError):
            dm = None
        if dm is None:
            continue
        if published is not None and dm.value > published:
            continue  # never in the future of the report
        if published is not None and dm.end_value is not None and dm.end_value > published:
            dm.end_value = published
        resolved.append((r, dm))
    # longest valid match wins; ties go to the earlier (more specific) pattern
    order = {name: i for i, (name, _) in enumerate(g.patterns)}
    resolved.sort(key=lambda x: (-(x[0].end - x[0].start), order[x[0].name]))
    chosen: list[tuple[_Raw, DateMention]] = []
    for r, dm in resolved:
        if all(r.end <= c.start or r.start >= c.end for c, _ in chosen):
            chosen.append((r, dm))
    chosen.sort(key=lambda x: x[0].start)
    return [dm for _, dm in chosen]


_SINCE_START = re.compile(
    r"\b(?:since|after)\s+(?:the\s+|a\s+|an\s+|its\s+|their\s+)?(?:[\w-]+\s+){0,4}?"
    r"(?:began|started|erupted|broke\s+out|was\s+launched|were\s+launched|launched|kicked\s+off)"
    r"\s+(?:on\s+|late\s+on\s+|early\s+on\s+)?$",
    re.I,
)

# "KABUL, March 3 (Reuters) -": a dateline names the filing date of the report.
_DATELINE_BEFORE = re.compile(r"^\s*[A-Z][A-Z .'/-]+(?:,[^.\n]{0,60})?,?\s*$")
_DATELINE_AFTER = re.compile(r"^,?\s*(?:\d{4}\s*)?(?:\([^)]{0,60}\)\s*)?[-\u2013\u2014:]")


def is_dateline(d: DateMention, text: str) -> bool:
    """ "BAGHDAD, May 3 (Agency) -": the filing date of the report, not the date of the event."""
    return d.span.start < 80 and bool(
        _DATELINE_BEFORE.match(text[: d.span.start])
        and _DATELINE_AFTER.match(text[d.span.end : d.span.end + 70])
    )


def dateline_date(doc: Document) -> date | None:
    """The publication date a dateline gives ("KABUL, March 3, 2024 (Reuters) -"), or None.

    Only a dateline with a year is used: a yearless one ("KABUL, March 3 -") cannot be placed
    without a publication date, and a guessed year would date every relative expression wrongly.
    """
    text = getattr(doc, "text", None)
    if not isinstance(text, str) or not text:
        return None
    # only the opening words can hold a dateline: scan a prefix (offsets are unchanged)
    for d in find_dates(Document(Article(text=text[:160], id="dateline"), []), None):
        if d.span.start >= 80:
            break
        if d.precision == 1 and is_dateline(d, text):
            return d.value
    return None


def _future_context(g: _Grammar, text: str, start: int) -> bool:
    lo = max(text.rfind(".", 0, start), text.rfind(";", 0, start), start - 50)
    return bool(g.future_before.search(text[lo + 1 : start] if lo >= 0 else text[:start]))


def _resolve(
    g: _Grammar, text: str, r: _Raw, published: date | None, default_year: int | None
) -> DateMention | None:
    m, name = r.m, r.name
    start, end = r.start, r.end
    value: date | None = None
    end_value: date | None = None
    precision, rule = 1, name
    gd = m.groupdict()

    if name == "iso":
        value = _safe_date(int(gd["year"]), int(gd["m"]), int(gd["day"]))
    elif name == "numeric":
        a, b, y = int(gd["a"]), int(gd["b"]), int(gd["year"])
        if a == b:
            value = _safe_date(y, a, a)
        elif a > 12 >= b:
            value = _safe_date(y, b, a)  # 25/5/2020: day first
        elif b > 12 >= a:
            value = _safe_date(y, a, b)  # 5/25/2020: month first
        else:
            return None  # 9/5/2020: ambiguous, never guess
        rule = "numeric_unambiguous"
    elif name in ("dmy", "mdy", "dm", "md", "wd_dm", "wd_md"):
        month = _month(g, gd["mon"])
        d = int(gd["day"])
        if month is None or not 1 <= d <= 31:
            return None
        if gd.get("year"):
            y: int | None = int(gd["year"])
        else:
            y = _year_for(month, d, published, default_year)
            rule = f"{name}:year_inferred"
        if y is None:
            return None
        value = _safe_date(y, month, d)
    elif name in ("range", "range_md"):
        month = _month(g, gd["mon"])
        month1 = _month(g, gd.get("mon2")) or month
        d1, d2 = int(gd["day"]), int(gd["day2"])
        if month is None or month1 is None:
            return None
        if gd.get("year"):
            y2 = int(gd["year"])
        else:
            yy = _year_for(month, d2, published, default_year)
            if yy is None:
                return None
            y2 = yy
        y1 = y2 - 1 if month1 > month else y2
        value, end_value = _safe_date(y1, month1, d1), _safe_date(y2, month, d2)
        if value is None or end_value is None or end_value < value or (end_value - value).days > 62:
            return None
        precision, rule = 2, "range:first_day"
        if value == end_value:
            precision, end_value, rule = 1, None, "dmy"
    elif name in ("month_year", "month"):
        month = _month(g, gd["mon"])
        if month is None:
            return None
        lead = text[start:end].lower()
        if gd.get("year"):
            y = int(gd["year"])
        elif published is not None:
            y = published.year if month <= published.month else published.year - 1
            if lead.startswith("last") and month == published.month:
                y -= 1
        elif default_year is not None:
            y = default_year
        else:
            return None
        if "next" in lead:
            return None
        value, precision, rule = date(y, month, 1), 3, "month"
    elif name == "wd_range":
        if published is None or _future_context(g, text, start):
            return None
        last = _latest_weekday(published, g.weekdays[gd["wd2"].lower()])
        back = (g.weekdays[gd["wd2"].lower()] - g.weekdays[gd["wd"].lower()]) % 7
        value, end_value = last - timedelta(days=back), last
        precision, rule = 2, "weekday_range:first_day"
    elif name == "weekday":
        if published is None:
            return None
        lead = text[start:end].lower()
        if lead.startswith(("next", "coming", "until", "by", "the following")) or _future_context(
            g, text, start
        ):
            return None
        wd = g.weekdays[gd["wd"].lower()]
        value = _latest_weekday(published, wd, strictly_before=lead.startswith("last"))
        rule = "weekday"
        if lead.startswith(("since", "from")):
            precision, end_value, rule = 2, published, "since_weekday"
    elif name == "relative":
        if published is None:
            return None
        key = " ".join(text[start:end].lower().split())
        value = published + timedelta(days=g.relative_days.get(key, 0))
        rule = f"relative:{key}"
    elif name == "fixed_day":
        key = " ".join(text[start:end].lower().split())
        key = re.sub(r"^(?:on|at)\s+", "", key).replace("’", "'")
        md = g.fixed_days.get(key) or g.fixed_days.get(key.replace("'", "’"))
        if md is None:
            return None
        y = _year_for(md[0], md[1], published, default_year)
        if y is None:
            return None
        value, rule = _safe_date(y, md[0], md[1]), "fixed_day"
    elif name == "week":
        if published is None:
            return None
        key = text[start:end].lower()
        monday = published - timedelta(days=published.weekday())
        if "last" in key or "previous" in key:
            value, end_value = monday - timedelta(days=7), monday - timedelta(days=1)
        elif "past" in key:
            value, end_value = published - timedelta(days=7), published
        else:
            value, end_value = monday, published
        precision, rule = 2, "week"
    elif name == "month_rel":
        if published is None:
            return None
        key = text[start:end].lower()
        first = published.replace(day=1)
        if "last" in key or "previous" in key:
            value = (first - timedelta(days=1)).replace(day=1)
        else:
            value = first
        precision, rule = 3, "month_relative"
    elif name == "year":
        y = int(gd["year"])
        value, precision = date(y, 1, 1), 3
        rule = "year_only" if published is not None and y == published.year else "background_year"
        if published is not None and y > published.year:
            return None
    if value is None:
        return None
    if g.statement_before.search(text[max(0, start - 40) : start]):
        rule = f"statement:{rule}"
    # "300 have died since the offensive began on Wednesday": the start of an ongoing span, not a
    # one-day event; the span runs to the report (ACLED: first day, precision 2)
    if precision == 1 and _SINCE_START.search(text[max(0, start - 70) : start]):
        precision, rule = 2, f"since_start:{rule}"
        end_value = published if published is not None and published > value else None

    # approximate qualifiers ("Around 9 May 2020 (as reported)", "As reported on ...")
    if precision == 1 and name not in ("relative", "weekday"):
        before = text[max(0, start - 30) : start]
        bm = g.approx_before.search(before)
        am = g.approx_after.match(text[end : end + 30])
        if bm:
            start = max(0, start - 30) + bm.start()
            precision, rule = 2, f"{rule}:approximate"
        if am:
            end = end + am.end()
            precision, rule = 2, f"{rule}:as_reported"
    elif name == "range" or name == "range_md":
        am = g.approx_after.match(text[end : end + 30])
        if am:
            end += am.end()
    return DateMention(Span(start, end, text[start:end]), value, precision, rule, end_value)
