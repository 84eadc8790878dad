"""Article -> Document: sentence splitting and light tokenisation.

Pure regular expressions on purpose: this runs on every article and must stay
far faster than any statistical model (the pipeline targets 50+ articles/s on
two cores). Offsets always index ``Article.text``.
"""

from __future__ import annotations

import re
import unicodedata

from marsad.model import Article, Document, Sentence

# Abbreviations after which a period does not end a sentence.
_ABBREV = {
    "mr",
    "mrs",
    "ms",
    "dr",
    "gen",
    "lt",
    "col",
    "maj",
    "capt",
    "sgt",
    "cpl",
    "pvt",
    "adm",
    "gov",
    "sen",
    "rep",
    "pres",
    "st",
    "jr",
    "sr",
    "prof",
    "rev",
    "hon",
    "no",
    "vs",
    "etc",
    "inc",
    "ltd",
    "co",
    "corp",
    "jan",
    "feb",
    "mar",
    "apr",
    "jun",
    "jul",
    "aug",
    "sep",
    "sept",
    "oct",
    "nov",
    "dec",
    "mt",
    "ft",
    "u.s",
    "u.n",
    "u.k",
    "e.g",
    "i.e",
    "approx",
    "est",
    "dept",
    "govt",
    "brig",
    "cmdr",
    "lt.col",
    "sheikh",
}

# One character class first: re then jumps straight to the few stops and newlines instead of
# trying three branches at every position. The class is the stop ("." or a newline); for a stop,
# group 1 is the closing quotes after it and group 2 the blank before the next sentence.
_BOUNDARY = re.compile(
    r"""[.!?\n](?:(?<=[.!?])(["'”’)\]]*)(\s+)(?=["'“‘(\[]?[A-Z0-9])|(?<=\n)\s*\n|(?<=\n)(?=\S))"""
)
_TOKEN = re.compile(r"\w+(?:[-'’]\w+)*|[^\w\s]", re.UNICODE)


def split_sentences(text: str) -> list[Sentence]:
    """Split text into sentences; newlines (paragraphs, headlines) always split."""
    sentences: list[Sentence] = []
    start = 0
    for m in _BOUNDARY.finditer(text):
        if m.group(2):
            before = text[start : m.start()]
            last = before.rsplit(None, 1)[-1] if before.strip() else ""
            word = last.lower().rstrip(".")
            # "U.S." / "Gen." / "No. 5" / initials "J." do not end a sentence
            if word in _ABBREV or (len(word) == 1 and word.isalpha()):
                continue
            end = m.end(1)
        else:
            end = m.start()
        _append(sentences, text, start, end)
        start = m.end()
    _append(sentences, text, start, len(text))
    return sentences


def _append(out: list[Sentence], text: str, start: int, end: int) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        out.append(Sentence(start, end, text[start:end], len(out)))


def make_document(article: Article) -> Document:
    return Document(article=article, sentences=split_sentences(article.text))


def tokens(text: str, offset: int = 0) -> list[tuple[int, int, str]]:
    """Word and punctuation tokens as (start, end, text), offsets shifted by ``offset``."""
    return [(m.start() + offset, m.end() + offset, m.group()) for m in _TOKEN.finditer(text)]


def fold(s: str) -> str:
    """Accent-, case- and punctuation-insensitive key for dictionary lookups.

    "Ma'arrat an-Nu‘man" -> "maarrat an numan"; used by every dictionary matcher so
    that the gazetteer, the actor list and the text are compared the same way.
    """
    s = unicodedata.normalize("NFKD", s)
    s = "".join(c for c in s if not unicodedata.combining(c))
    s = (
        s.lower()
        .replace("'", "")
        .replace("’", "")
        .replace("‘", "")
        .replace("ʻ", "")
        .replace("ʿ", "")
        .replace("ʾ", "")
    )
    s = re.sub(r"[^\w]+", " ", s)
    return " ".join(s.split())
