"""Founder Markdown and feed HTML as public pages show them: no image from another host."""

import re

import pytest

from tracker.markup import link_outside_images, render_markdown


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        (
            '<p>See <img src="https://cdn.example/chart.png" alt="the chart"> here</p>',
            '<p>See <a href="https://cdn.example/chart.png" rel="nofollow noopener noreferrer">'
            "the chart</a> here</p>",
        ),
        (
            '<img src="https://cdn.example/a.png?x=1&amp;y=2">',
            '<a href="https://cdn.example/a.png?x=1&amp;y=2" rel="nofollow noopener noreferrer">'
            "https://cdn.example/a.png?x=1&amp;y=2</a>",
        ),
        # A tracking pixel shows nothing: it goes.
        ('<p>Hi<img src="https://t.example/p.gif" width="1" height="1" alt=""></p>', "<p>Hi</p>"),
        ('<p>Hi<img src="https://t.example/p.gif" height="0PX" alt="x"></p>', "<p>Hi</p>"),
        # Inside a link the image leaves its words, not a link in a link.
        (
            '<a href="https://blog.example/">Go <img src="https://cdn.example/b.png" alt="b"></a>',
            '<a href="https://blog.example/">Go b</a>',
        ),
        # Our own files are no third party.
        (
            '<img src="/static/icons/logo.svg" alt="logo">',
            '<img src="/static/icons/logo.svg" alt="logo">',
        ),
        (
            '<img src="/\\cdn.example/c.png" alt="c">',
            '<a href="/\\cdn.example/c.png" rel="nofollow noopener noreferrer">c</a>',
        ),
        (
            '<img src="//cdn.example/c.png" alt="c">',
            '<a href="//cdn.example/c.png" rel="nofollow noopener noreferrer">c</a>',
        ),
        (
            "<p>5 &lt; 6 &amp; <code>&lt;img&gt;</code></p>",
            "<p>5 &lt; 6 &amp; <code>&lt;img&gt;</code></p>",
        ),
        ('<img src="https://x.example/q.png" alt="&quot;&lt;b&gt;">', None),
    ],
)
def test_outside_images_become_links(html, expected):
    result = link_outside_images(html)
    sources = re.findall(r"<img [^>]*src=\"([^\"]*)\"", result)
    assert all(src.startswith("/") and not src.startswith("//") for src in sources)
    if expected is not None:
        assert result == expected
    else:
        assert "<img" not in result and "<b>" not in result


def test_markdown_images_from_other_hosts_become_links():
    html = render_markdown("![diagram](https://cdn.example/d.png) and ![logo](/static/l.svg)")
    assert '<img src="https://' not in html
    assert (
        '<a href="https://cdn.example/d.png" rel="nofollow noopener noreferrer">diagram</a>' in html
    )
    assert '<img src="/static/l.svg" alt="logo">' in html


EVERY_KEPT = (
    '<h1>a</h1><h5>b</h5><p><b>c</b> <i>d</i> <a href="mailto:ada@example.org">e</a></p>'
    "<table><thead><tr><th>f</th></tr></thead><tbody><tr><td>g</td></tr></tbody></table>"
    '<figure><img src="/i.png" alt="h" width="2" height="3"><figcaption>i</figcaption></figure>'
)


def test_founder_markup_and_feed_html_keep_the_same_elements():
    from tracker.feeds.content import make_html_cleaner, stored_html_for_display
    from tracker.markup import sanitize_html

    def elements(html):
        return sorted(re.findall(r"<([a-z0-9]+)[^>]*>", html))

    founder = elements(sanitize_html(EVERY_KEPT))
    assert founder == elements(EVERY_KEPT)
    assert elements(make_html_cleaner("https://blog.example/").clean(EVERY_KEPT)) == founder
    assert elements(stored_html_for_display(EVERY_KEPT)) == founder
