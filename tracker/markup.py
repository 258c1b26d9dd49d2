"""Render founder-written Markdown to HTML that is safe to show anywhere; the one allow-list.

Founder Markdown and feed HTML (tracker.feeds.content) are sanitised by nh3 with the same
allowed elements, attributes and URL schemes, all set here.

Public pages load no image from another host: a backer's visit would tell that host
who looked, and when (a tracking pixel). `link_outside_images` turns such images into
plain links with their alt text, in Markdown and in feed HTML alike, and the public
pages' Content-Security-Policy allows images from this site only.
"""

import html
import re
from functools import cache
from html.parser import HTMLParser

import nh3

# The one allow-list: founder Markdown (markdown-it emits a subset of it, raw HTML off)
# and feed HTML, at storing and again at display, keep these elements and attributes.
ALLOWED_TAGS = frozenset(
    {
        "a", "abbr", "b", "blockquote", "br", "cite", "code", "del", "em", "figcaption",
        "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "li", "ol", "p",
        "pre", "q", "s", "small", "strong", "sub", "sup", "table", "tbody", "td", "th",
        "thead", "tr", "u", "ul",
    }
)  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "img": {"src", "alt", "title", "width", "height"}}
URL_SCHEMES = frozenset({"http", "https", "mailto"})
LINK_REL = "nofollow noopener noreferrer"
# A path on this site: one slash, then no second slash or backslash (browsers read "/\x"
# as "//x", another host).
_OWN_PATH = re.compile(r"/(?![/\\])[^\\\s]*")

Cleaner = nh3.Cleaner  # what html_cleaner returns, for the callers' annotations


def html_cleaner(*, base: str | None = None) -> Cleaner:
    """Return a sanitiser for the allow-list; with base, relative URLs resolve against it."""
    return nh3.Cleaner(
        tags=set(ALLOWED_TAGS),
        attributes={tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()},
        url_schemes=set(URL_SCHEMES),
        link_rel=LINK_REL,
        **({"url_relative": ("rewrite_with_base", base)} if base else {}),
    )


# Every tag goes, the text of script and style with it: for plain text, not display.
TEXT_ONLY = nh3.Cleaner(tags=set(), attributes={}, clean_content_tags={"script", "style"})
_SANITIZER = html_cleaner()


def sanitize_html(html: str) -> str:
    """Keep only allowlisted tags, attributes and URL schemes."""
    return _SANITIZER.clean(html)


def render_markdown(text: str) -> str:
    """Render Markdown without raw HTML, sanitise it, and link images of other hosts."""
    return link_outside_images(sanitize_html(_markdown().render(text or "")))


@cache
def _markdown():
    # Made on first use: importing markdown-it and building its rules costs every
    # process at startup what most of them (CLI commands, the poller) never render.
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark", {"html": False, "linkify": False}).enable("table")


def link_outside_images(clean_html: str) -> str:
    """Replace each image of another host in sanitised HTML by a link (a pixel by nothing)."""
    if "<img" not in clean_html:
        return clean_html
    rewriter = _ImageLinker()
    rewriter.feed(clean_html)
    rewriter.close()
    return "".join(rewriter.parts)


class _ImageLinker(HTMLParser):
    """Copy sanitised HTML, rewriting <img> elements whose source is not on this site.

    Only ever fed nh3's output: well-formed, no comments or declarations, so a start tag
    can be copied as it came and text re-escaped after the parser decoded it.
    """

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.in_link = 0

    def handle_starttag(self, tag, attrs):
        if tag == "img":
            self._image(dict(attrs))
            return
        if tag == "a":
            self.in_link += 1
        self.parts.append(self.get_starttag_text())

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag):
        if tag == "a":
            self.in_link = max(0, self.in_link - 1)
        self.parts.append(f"</{tag}>")

    def handle_data(self, data):
        self.parts.append(html.escape(data, quote=False))

    def _image(self, attrs: dict) -> None:
        src = (attrs.get("src") or "").strip()
        if _OWN_PATH.fullmatch(src):
            self.parts.append(self.get_starttag_text())
            return
        if _is_pixel(attrs) or not src:
            return
        words = html.escape(attrs.get("alt") or attrs.get("title") or src, quote=False)
        if self.in_link:
            self.parts.append(words)  # a link inside a link is no valid HTML
        else:
            self.parts.append(f'<a href="{html.escape(src)}" rel="{LINK_REL}">{words}</a>')


def _is_pixel(attrs: dict) -> bool:
    sizes = [attrs.get("width"), attrs.get("height")]
    return any(size and size.strip().lower().removesuffix("px") in ("0", "1") for size in sizes)
