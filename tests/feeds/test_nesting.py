"""Feed HTML reaches the sanitiser balanced and shallow, read in linear time."""

import contextlib
import re
import time
from pathlib import Path

import feedparser
import nh3
import pytest

from tracker.feeds.content import (
    clean_html,
    make_html_cleaner,
    plain_text,
    stored_html_for_display,
)
from tracker.feeds.nesting import MAX_DEPTH, VOID, TooDeep, balanced, text_of
from tracker.feeds.page_links import read_links
from tracker.feeds.parsing import _content

DATA = Path(__file__).parent.parent / "data" / "feeds"
DEMO = Path(__file__).parents[2] / "tracker" / "demo" / "data" / "feeds"
CLEANER = make_html_cleaner("https://blog.example/")
# Every tag the tricks below use, so that the sanitised tree shows html5ever's depth.
EVERY_TAG = {
    "a", "b", "i", "u", "s", "em", "strong", "div", "p", "span", "li", "ul", "ol", "table",
    "tr", "td", "th", "tbody", "blockquote", "font", "nobr", "code", "pre", "dl", "dt", "dd",
    "select", "option", "button", "svg", "g",
}  # fmt: skip


def depth(markup: str) -> int:
    """Return how deep the elements of serialised, well-formed HTML nest."""
    level = deepest = 0
    for closing, name in re.findall(r"<(/?)([a-z0-9]+)", markup):
        if name not in VOID:
            level += -1 if closing else 1
            deepest = max(deepest, level)
    return deepest


@pytest.mark.parametrize(
    "markup",
    [
        '<p>Hello <b>world</b> &amp; <a href="/x" title="a > b">link</a></p>',
        "<p>one<p>two<ul><li>a<li>b</ul>",
        "<div><span><div></span>x</div>",
        '<img src="a.png" alt=\'x "y"\'/><br/><p/>after',
        "<script>if (a<b) alert(1)</script><p>t</p>",
        "<!-- <div> --><p>c</p><!--x",
        "<a href=foo>unquoted</a> <A HREF='BAR'>upper</A>",
        "a < b and <3 &lt;tag&gt;",
        "<textarea><b>x</b></textarea>",
        '<p title="unterminated>rest of doc',
        "<table><tr><td>1<td>2</table>",
        "<pre>\ncode</pre>",
        '<a href="javascript:alert(1)">x</a><img src=x onerror=alert(1)>',
    ],
)
def test_balanced_markup_sanitises_as_the_original_did(markup):
    assert CLEANER.clean(balanced(markup)) == CLEANER.clean(markup)


def test_the_sample_feeds_sanitise_as_before():
    compared = 0
    for path in [*DATA.glob("*.*"), *DEMO.glob("*.*")]:
        if path.suffix == ".html" or "billion" in path.name:
            continue
        for raw in feedparser.parse(path.read_bytes(), sanitize_html=False).entries:
            body, is_html = _content(raw)
            if is_html:
                compared += 1
                assert CLEANER.clean(balanced(body)) == CLEANER.clean(body), path.name
    assert compared > 20


def test_400000_nested_divs_are_refused_at_once_and_read_as_text():
    deep = "<div>" * 400_000 + "deep &amp; text"
    with pytest.raises(TooDeep, match="nested deeper than 100 levels"):
        clean_html(CLEANER, deep)
    assert text_of(deep) == "deep & text"
    assert plain_text(deep, is_html=True) == "deep & text"
    assert stored_html_for_display(deep) == "<p>deep &amp; text</p>"


def test_sloppy_markup_of_many_paragraphs_rows_and_items_is_not_deep():
    sloppy = (
        "<p>para" * 300
        + "<ul>"
        + "<li>item" * 300
        + "</ul><table>"
        + "<tr><td>a<td>b" * 300
        + "</table><dl>"
        + "<dt>t<dd>d" * 300
        + "</dl>"
        + "<a href=/x>link" * 300
    )
    assert depth(nh3.clean(balanced(sloppy), tags=EVERY_TAG)) <= 4


@pytest.mark.parametrize(
    "trick",
    [
        "<span><div></span>" * 300,  # end tags html5ever ignores: 600 deep unbalanced
        "<b><div></b>" * 300,  # misnested formatting: 301 deep
        ("<div>" + "".join(f"<b id={n}>" for n in range(20)) + "</div>x") * 200,  # 4001 deep
        "<p><b>x" * 300,
        "<svg>" + "<g/>" * 1000 + "</svg>",
        "<select><option>" * 300,
    ],
)
def test_tricks_that_deepen_html5evers_tree_do_not_survive_balancing(trick):
    assert depth(nh3.clean(balanced(trick), tags=EVERY_TAG)) <= 2 * MAX_DEPTH


@pytest.mark.parametrize("markup", ["<blockquote>" * 101, "<table><td>" * 51, "<li><ul>" * 51])
def test_nesting_past_the_limit_is_refused(markup):
    with pytest.raises(TooDeep):
        balanced(markup)


def test_inputs_that_make_html_parser_quadratic_are_read_in_linear_time():
    # Python 3.11's html.parser needs minutes for each of these; the tokenizer reads
    # every character once. Measured: all of them together in well under a second.
    patterns = ["<!--", "<a", "</", "<!", "<a b='", '<a b="x', "&#", "<![CDATA[", "<a '\"", "<<"]
    started = time.monotonic()
    for pattern in patterns:
        value = pattern * 200_000
        with contextlib.suppress(TooDeep):
            balanced(value)
        text_of(value)
        read_links(value.encode(), base="https://blog.example/")
    assert time.monotonic() - started < 30  # generous; quadratic would take hours


def test_page_links_are_read_with_quoted_angle_brackets_and_broken_hrefs():
    page = (
        b'<html><head><base href="https://blog.example/sub/">'
        b'<link rel="alternate" type="application/rss+xml" title="a > b" href="feed.xml">'
        b'<link rel=alternate type=application/atom+xml href="http://[::1">'
        b'<META NAME="channelId" CONTENT="UC0123456789abcdefghijkl"></head></html>'
    )
    links = read_links(page, base="https://blog.example/")
    assert [link.href for link in links.alternates] == ["https://blog.example/sub/feed.xml"]
    assert links.meta == {"channelid": "UC0123456789abcdefghijkl"}


def test_the_text_of_refused_markup_leaves_scripts_and_styles_out():
    markup = "<p>a<script>var x = '<b>';</script>b<style>p {}</style> c &amp; d" + "<div>" * 200
    with pytest.raises(TooDeep):
        balanced(markup)
    assert text_of(markup) == "a b c & d"
    assert text_of("<script>" * 100_000) == ""  # an unclosed one runs to the end
