"""HTML pages (main text and metadata via trafilatura) and HTML fragments (via lxml)."""

from __future__ import annotations

import re
from datetime import date

from marsad.model import Article
from marsad.sources.base import InputProblem, Item, parse_published

# Only the page's own metadata: htmldate's extensive search guesses dates from URLs and body text,
# which would then override the CLI's --published with a wrong date.
_DATE_PARAMS = {"extensive_search": False, "original_date": True, "outputformat": "%Y-%m-%d"}

_BLOCK_TAGS = (
    "p", "div", "section", "article", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6",
    "blockquote", "tr", "table", "pre", "header", "footer", "figure", "figcaption", "dd", "dt",
)  # fmt: skip
# Fewer words than this is navigation or a stub, not an article ("Home", "Subscribe now").
_MIN_WORDS = 8
_SPACES = re.compile(r"[ \t\r\f\v\u00a0]+")
_BLANKS = re.compile(r"\n\s*\n\s*")


def read_html(html: str, origin: str, published: date | None) -> list[Item]:
    """One article from a full HTML page: trafilatura's main text, title, date, site name."""
    import trafilatura

    try:
        doc = trafilatura.bare_extraction(
            html,
            with_metadata=True,
            include_comments=False,
            include_tables=False,
            date_extraction_params=_DATE_PARAMS,
        )
    except Exception as e:  # trafilatura/lxml raise assorted errors on broken markup
        return [InputProblem(origin, f"could not parse HTML: {type(e).__name__}: {e}")]
    text = (getattr(doc, "text", None) or "").strip() if doc is not None else ""
    title = (doc.title or "").strip() or None if doc is not None else None
    if title and text.startswith(title):
        # trafilatura repeats the <h1> headline as the first line; the title has its own field.
        text = text[len(title) :].lstrip()
    if len(text.split()) < _MIN_WORDS:
        return [
            InputProblem(
                origin,
                "no article text found in the HTML page (empty, malformed, script-rendered or not an article)",
            )
        ]
    return [
        Article(
            text=text,
            title=title,
            published=parse_published(doc.date) or published,
            source=(doc.sitename or None),
            url=(doc.url or None),
            origin=origin,
        )
    ]


def fragment_to_text(fragment: str) -> str:
    """Readable text of an HTML fragment (a feed entry body), one paragraph per block element."""
    if "<" not in fragment:
        import html as _html

        return _html.unescape(fragment).strip()
    from lxml import etree
    from lxml import html as lhtml

    try:
        root = lhtml.fragment_fromstring(fragment, create_parent="div")
    except (etree.ParserError, ValueError):
        return ""
    for el in list(root.iter("script", "style", "noscript", "iframe")):
        el.drop_tree()
    for el in root.iter("br"):
        el.tail = "\n" + (el.tail or "")
    for el in root.iter(*_BLOCK_TAGS):
        el.tail = "\n\n" + (el.tail or "")
        el.text = "\n\n" + (el.text or "")
    text = root.text_content()
    lines = [_SPACES.sub(" ", line).strip() for line in text.split("\n")]
    return _BLANKS.sub("\n\n", "\n".join(lines)).strip()
