"""Source readers: each format, each kind of bad input, batch robustness, stable ids."""

from __future__ import annotations

import io
import os
import sys
import time
from datetime import date
from pathlib import Path

import pytest

from marsad.model import Article, content_id
from marsad.sources import InputProblem, detect_format, read_inputs, split_title
from marsad.sources.decode import DecodeError, binary_reason, decode
from marsad.sources.jsonl import iter_lines

FIX = Path(__file__).parent / "fixtures" / "sources"


def read(*paths: object, **kw) -> list[Article | InputProblem]:
    return list(read_inputs([str(p) for p in paths], **kw))


def articles(items: list) -> list[Article]:
    return [i for i in items if isinstance(i, Article)]


def problems(items: list, fatal: bool | None = None) -> list[InputProblem]:
    return [i for i in items if isinstance(i, InputProblem) and (fatal is None or i.fatal == fatal)]


# --- plain text ----------------------------------------------------------------


def test_txt_with_headline_splits_title_and_keeps_body_exact():
    [a] = read(FIX / "titled.txt")
    assert a.title == "Shelling hits market in river town"
    assert a.text.startswith("KAMPALA, March 4 (Wire) - Artillery shells")
    assert a.text.endswith("The army denied firing on the town.")
    assert a.origin == str(FIX / "titled.txt")
    assert a.id == content_id(a.text)


def test_txt_without_headline_keeps_first_sentence_in_body():
    [a] = read(FIX / "untitled.txt")
    assert a.title is None
    assert a.text.startswith("Police arrested 14 people on Friday")
    assert "\n\nOrganisers said" in a.text


@pytest.mark.parametrize(
    "text,title",
    [
        ("Short headline\n\nBody sentence here.", "Short headline"),
        ("A full sentence that ends with a period.\n\nBody.", None),
        ("Headline\nno blank line after it.", None),
        ("Only a headline\n\n   ", None),
        (" ".join(["word"] * 30) + "\n\nBody.", None),
    ],
)
def test_split_title_rules(text, title):
    got_title, body = split_title(text)
    assert got_title == title
    assert body.strip()  # never drops all text
    if title:
        assert title not in body


def test_published_default_applies_only_without_own_date():
    day = date(2024, 3, 5)
    [a] = read(FIX / "titled.txt", published=day)
    assert a.published == day
    items = read(FIX / "articles.jsonl", published=day)
    by_id = {a.id: a for a in articles(items)}
    assert by_id["a1"].published == date(2024, 1, 7)  # its own date wins
    assert by_id["a7"].published == day


# --- HTML ------------------------------------------------------------------------


def test_html_main_text_title_date_and_no_boilerplate():
    [a] = read(FIX / "page.html")
    assert a.title == "Militants ambush convoy near desert town"
    assert a.published == date(2024, 2, 14)
    assert a.source == "The Daily Ledger"
    assert a.url == "https://ledger.example.org/world/convoy-ambush"
    assert a.text.startswith("Gunmen ambushed a military supply convoy")
    for boiler in ("Subscribe now", "Cookie settings", "Ten recipes", "All rights reserved"):
        assert boiler not in a.text


def test_malformed_html_is_a_problem():
    [p] = read(FIX / "malformed.html")
    assert isinstance(p, InputProblem) and p.fatal
    assert "no article text found" in p.reason


def test_html_declared_charset_is_used(tmp_path):
    page = (FIX / "page.html").read_text(encoding="utf-8")
    page = page.replace('charset="utf-8"', 'charset="windows-1252"').replace(
        "asked not to be named", "asked not to be named \u2014 \u201cwe hid\u201d, said Ren\u00e9e"
    )
    f = tmp_path / "legacy.html"
    f.write_bytes(page.encode("cp1252"))
    items = read(f)
    [warn] = problems(items, fatal=False)
    assert "cp1252" in warn.reason and "declared" in warn.reason
    [a] = articles(items)
    assert "\u201cwe hid\u201d, said Ren\u00e9e" in a.text


# --- JSON Lines / JSON ------------------------------------------------------------------


def test_jsonl_fields_and_bad_lines_do_not_stop_the_file():
    items = read(FIX / "articles.jsonl")
    arts = articles(items)
    assert [a.id for a in arts] == [
        "a1",
        content_id("An article without an id gets a content id."),
        "a6",
        "a7",
    ]
    a1 = arts[0]
    assert (a1.title, a1.source, a1.url) == ("Border clash", "Test Wire", "https://example.org/a1")
    assert arts[1].published == date(2024, 1, 8)  # datetime with Z accepted
    assert arts[-1].text == "The final line has no trailing newline."  # last line without newline
    fatal = problems(items, fatal=True)
    origins = [p.origin for p in fatal]
    name = str(FIX / "articles.jsonl")
    assert origins == [f"{name}:3", f"{name}:4", f"{name}:5"]
    assert "invalid JSON" in fatal[0].reason
    assert "'text'" in fatal[1].reason and "id, title" in fatal[1].reason
    assert "empty" in fatal[2].reason
    [warn] = problems(items, fatal=False)
    assert warn.origin == f"{name}:7" and "last week" in warn.reason


def test_jsonl_integer_id_becomes_string(tmp_path):
    f = tmp_path / "x.ndjson"
    f.write_text('{"id": 42, "text": "Numbered."}\n', encoding="utf-8")
    [a] = read(f)
    assert a.id == "42"


def test_json_list(tmp_path):
    items = read(FIX / "list.json")
    assert [a.id for a in articles(items)] == ["j1", "j2"]
    assert articles(items)[0].published == date(2024, 6, 1)


def test_iter_lines_bounds_long_lines():
    data = b"short\n" + b"x" * 5000 + b"\nafter\nlast"
    got = list(iter_lines(data[:3], io.BytesIO(data[3:]), max_line=100))
    assert got == [(1, b"short"), (2, None), (3, b"after"), (4, b"last")]


def test_jsonl_oversized_line_is_skipped(tmp_path):
    f = tmp_path / "big.jsonl"
    big = '{"id": "big", "text": "' + "y" * 3000 + '"}'
    f.write_text('{"id": "a", "text": "one"}\n' + big + '\n{"id": "b", "text": "two"}\n', encoding="utf-8")
    items = read(f, max_article_bytes=1000)
    assert [a.id for a in articles(items)] == ["a", "b"]
    [p] = problems(items)
    assert p.origin.endswith("big.jsonl:2") and "1,000-byte" in p.reason


def test_jsonl_streams_large_file(tmp_path):
    f = tmp_path / "many.jsonl"
    line = '{"text": "Article number %d with some words in it."}\n'
    with open(f, "w", encoding="utf-8") as out:
        for i in range(20000):
            out.write(line % i)
    it = read_inputs([str(f)])
    first = next(it)  # available before the whole file is parsed
    assert isinstance(first, Article) and first.text.startswith("Article number 0 ")
    assert sum(1 for _ in it) == 19999


# --- feeds -------------------------------------------------------------------------------


def test_rss_entries_become_articles():
    items = read(FIX / "feed.xml")
    arts = articles(items)
    assert not problems(items)
    assert [a.title for a in arts] == [
        "Curfew declared after clashes in northern city",
        "Rebels free two aid workers",
    ]
    a, b = arts
    assert a.source == "Frontier Wire" and a.url == "https://frontier.example.net/news/curfew"
    # the local date of the pubDate, not the UTC one (23:30 +0300 is still the 6th locally)
    assert a.published == date(2024, 3, 6)
    assert "<" not in a.text and "\n\nShops were ordered to close at 6 p.m." in a.text
    assert "said & thanked" in b.text
    assert a.id == content_id(a.text)


def test_atom_prefers_content_over_summary():
    [a] = read(FIX / "atom.atom")
    assert a.text.startswith("A drone struck a fuel depot")
    assert a.published == date(2024, 5, 1)
    assert a.source == "Atom Desk"


def test_broken_feed_with_entries_warns_and_reads():
    items = read(FIX / "broken_feed.xml")
    assert any(not p.fatal and "not well-formed" in p.reason for p in problems(items))
    assert articles(items)[0].text.startswith("Hundreds of teachers marched")


def test_feed_without_entries_is_a_problem(tmp_path):
    f = tmp_path / "empty.rss"
    f.write_text('<?xml version="1.0"?><rss version="2.0"><channel><title>T</title></channel></rss>')
    [p] = read(f)
    assert p.fatal and "no entries" in p.reason


# --- sniffing ------------------------------------------------------------------------------


def test_sniffing_without_extension():
    items = read(FIX / "noext_feed", FIX / "noext_jsonl", FIX / "noext_text")
    arts = articles(items)
    assert arts[0].source == "Frontier Wire"
    assert any(a.id == "s1" for a in arts)
    assert arts[-1].text.startswith("Police arrested")
    assert detect_format(None, b"\xef\xbb\xbf  <!DOCTYPE html><html>") == "html"
    assert detect_format("x.HTM", b"{") == "html"


# --- bad input ------------------------------------------------------------------------------


def test_empty_and_whitespace_files(tmp_path):
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "blank.txt").write_bytes(b"  \n\t\n ")
    p1, p2 = read(tmp_path / "empty.txt", tmp_path / "blank.txt")
    assert p1.fatal and "empty" in p1.reason
    assert p2.fatal and "whitespace" in p2.reason


@pytest.mark.parametrize(
    "data,needle",
    [
        (b"%PDF-1.7\n%binary", "PDF"),
        (b"abc\x00def" * 10, "NUL"),
        (bytes(range(1, 32)) * 20, "non-text"),
        (b"\x1f\x8b\x08\x00", "gzip"),
    ],
)
def test_binary_input_refused(tmp_path, data, needle):
    f = tmp_path / "file.txt"
    f.write_bytes(data)
    [p] = read(f)
    assert p.fatal and "binary" in p.reason and needle in p.reason


def test_utf16_with_bom_is_text_not_binary(tmp_path):
    f = tmp_path / "u16.txt"
    f.write_bytes("Troops entered the town.".encode("utf-16"))
    items = read(f)
    assert articles(items)[0].text == "Troops entered the town."
    assert "utf-16" in problems(items, fatal=False)[0].reason


def test_cp1252_text_decoded_with_warning(tmp_path):
    f = tmp_path / "legacy.txt"
    f.write_bytes(
        "The minister said \u201cwe will rebuild the caf\u00e9s\u201d \u2014 on Monday.".encode("cp1252")
    )
    items = read(f)
    [warn] = problems(items)
    assert not warn.fatal and "cp1252" in warn.reason and "UTF-8" in warn.reason
    assert (
        articles(items)[0].text
        == "The minister said \u201cwe will rebuild the caf\u00e9s\u201d \u2014 on Monday."
    )


def test_utf8_bom_is_stripped_silently(tmp_path):
    f = tmp_path / "bom.txt"
    f.write_bytes(b"\xef\xbb\xbfPlain body text.")
    [a] = read(f)
    assert a.text == "Plain body text."


def test_decode_rejects_undecodable():
    with pytest.raises(DecodeError):
        decode(b"\xff\xfe\x00")  # UTF-16 BOM then an odd trailing byte
    assert binary_reason(b"Just text\n") is None


def test_huge_txt_refused_fast_without_reading(tmp_path):
    f = tmp_path / "huge.txt"
    with open(f, "wb") as out:  # sparse 50 MB file: created instantly
        out.truncate(50 * 1024 * 1024)
    t = time.perf_counter()
    [p] = read(f)
    assert time.perf_counter() - t < 0.5
    assert p.fatal and "52,428,800 bytes" in p.reason and "5,000,000-byte" in p.reason
    assert "max_article_bytes" in p.reason


def test_size_limit_can_be_raised(tmp_path):
    f = tmp_path / "mid.txt"
    f.write_text("word " * 400, encoding="utf-8")
    assert problems(read(f, max_article_bytes=1000))
    assert articles(read(f, max_article_bytes=10_000))


def test_missing_path_and_directory_batch(tmp_path):
    d = tmp_path / "batch"
    (d / "sub").mkdir(parents=True)
    (d / "b.txt").write_text("Second file body.", encoding="utf-8")
    (d / "a.txt").write_text("First file body.", encoding="utf-8")
    (d / "sub" / "c.jsonl").write_text('{"id": "c", "text": "Nested."}\nnot json\n', encoding="utf-8")
    (d / ".hidden.txt").write_text("Hidden.", encoding="utf-8")
    (d / ".git").mkdir()
    (d / ".git" / "x.txt").write_text("Hidden dir.", encoding="utf-8")
    (d / "zz.bin").write_bytes(b"\x00\x01\x02")
    items = read(tmp_path / "nope.txt", d, FIX / "titled.txt")
    assert "no such file" in items[0].reason and items[0].fatal
    assert [a.text for a in articles(items)] == [
        "First file body.",
        "Second file body.",
        "Nested.",
        "KAMPALA, March 4 (Wire) - Artillery shells struck a market on Monday, killing two traders, "
        "local officials said.\n\nThe army denied firing on the town.",
    ]
    assert len(problems(items)) == 3  # missing, bad JSONL line, binary


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root can read anything")
def test_permission_denied(tmp_path):
    f = tmp_path / "secret.txt"
    f.write_text("Unreadable.", encoding="utf-8")
    f.chmod(0)
    try:
        items = read(f, FIX / "untitled.txt")
    finally:
        f.chmod(0o644)
    assert "permission denied" in items[0].reason
    assert isinstance(items[1], Article)


def test_empty_directory(tmp_path):
    [p] = read(tmp_path)
    assert "no (non-hidden) files" in p.reason


def test_stdin_sniffed(monkeypatch):
    data = b'{"id": "in1", "text": "From standard input."}\n'
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
    [a] = list(read_inputs(["-"]))
    assert a.id == "in1" and a.origin == "<stdin>:1"


def test_stdin_oversized_text(monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"a" * 5000)))
    [p] = list(read_inputs(["-"], max_article_bytes=1000))
    assert p.fatal and "1,000-byte" in p.reason


def test_ids_stable_across_reads():
    paths = [FIX / "titled.txt", FIX / "page.html", FIX / "feed.xml", FIX / "articles.jsonl"]
    first = [a.id for a in articles(read(*paths))]
    second = [a.id for a in articles(read(*paths))]
    assert first == second and len(set(first)) == len(first)


def test_examples_are_all_readable():
    examples = Path(__file__).parents[1] / "examples" / "articles"
    if not examples.exists():
        pytest.skip("no examples")
    items = read(examples)
    assert not problems(items), problems(items)
    arts = articles(items)
    assert len(arts) >= 20
    assert all(a.published for a in arts)
    assert len({a.id for a in arts}) == len(arts)


def test_txt_front_matter(tmp_path):
    f = tmp_path / "fm.txt"
    f.write_text(
        "---\npublished: 2024-01-23\nsource: Example Wire\nurl: https://x.example/a\n---\n"
        "Headline here\n\nBody text of the report.\n",
        encoding="utf-8",
    )
    [a] = read(f, published=date(2020, 1, 1))
    assert (a.published, a.source, a.url, a.title) == (
        date(2024, 1, 23),
        "Example Wire",
        "https://x.example/a",
        "Headline here",
    )
    assert a.text == "Body text of the report."


def test_expected_json_matches_example_ids():
    import json

    root = Path(__file__).parents[1] / "examples"
    if not (root / "expected.json").exists():
        pytest.skip("no examples")
    expected = json.loads((root / "expected.json").read_text(encoding="utf-8"))["articles"]
    ids = {a.id for a in articles(read(root / "articles"))}
    assert ids == set(expected)


def test_jsonl_cp1252_lines_warn_once(tmp_path):
    f = tmp_path / "legacy.jsonl"
    lines = [
        '{"id": "a", "text": "caf\u00e9 \u201cquoted\u201d"}',
        "[1, 2]",
        '{"id": "b", "text": "Ren\u00e9e said"}',
    ]
    f.write_bytes(("\n".join(lines) + "\n").encode("cp1252"))
    items = read(f)
    assert [a.text for a in articles(items)] == ["caf\u00e9 \u201cquoted\u201d", "Ren\u00e9e said"]
    [warn] = problems(items, fatal=False)
    assert "cp1252" in warn.reason and "line 1" in warn.reason
    [bad] = problems(items, fatal=True)
    assert bad.origin.endswith("legacy.jsonl:2") and "got list" in bad.reason


def test_lone_string_input_is_not_split_into_characters():
    items = list(read_inputs(str(FIX / "untitled.txt")))
    assert len(items) == 1 and isinstance(items[0], Article)


def test_non_path_inputs_are_reported(tmp_path):
    (tmp_path / "a.txt").write_text("Body.", encoding="utf-8")
    items = list(read_inputs([None, tmp_path / "a.txt"]))  # type: ignore[list-item]
    assert isinstance(items[0], InputProblem) and "not a path" in items[0].reason
    assert isinstance(items[1], Article) and items[1].origin == str(tmp_path / "a.txt")
