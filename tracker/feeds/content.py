"""Turn untrusted feed text and HTML into safe HTML, plain text, tags and counts.

Every piece of HTML reaches nh3 through `nesting.balanced`, which bounds nh3's work
(its time grows with the square of the nesting depth).
"""

from __future__ import annotations

import html
import re
from urllib.parse import urljoin, urlsplit

from tracker.feeds.nesting import MAX_DEPTH, TooDeep, balanced, text_of
from tracker.markup import TEXT_ONLY, Cleaner, html_cleaner

SUMMARY_LIMIT = 2000

# Block boundaries become spaces in plain text, so "<p>a</p><p>b</p>" reads "a b".
_BLOCK_START = re.compile(r"<(?=/?(?:p|li|h[1-4]|blockquote|pre|figure|figcaption)\b|br\b|hr\b)")
# A hashtag needs a letter: "#42" is an issue or a rank, not a tag.
_HASHTAG = re.compile(r"(?<![\w&/#])#(\d*[^\W\d][\w-]{0,49})")
# hnrss writes "Points: 120" and "# Comments: 45"; Lemmy writes "120 points | 45 comments".
_HNRSS_POINTS = re.compile(r"\bPoints:\s*(\d{1,9})\b")
_HNRSS_COMMENTS = re.compile(r"#\s*Comments:\s*(\d{1,9})\b")
_LEMMY_COUNTS = re.compile(r"\b(\d{1,9}) points? \| (\d{1,9}) comments?\b")


def http_url(value: str | None, *, base: str) -> str | None:
    """Return `value` resolved against `base` if it is an absolute http(s) URL, else None."""
    if not value:
        return None
    # urlsplit drops tabs and newlines, the usual disguises of "java\tscript:".
    resolved = urljoin(base, value.strip())
    try:
        parts = urlsplit(resolved)
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return None
    return resolved


def make_html_cleaner(base: str) -> Cleaner:
    """Return the allow-list sanitiser (tracker.markup) resolving relative URLs against `base`."""
    return html_cleaner(base=http_url(base, base=base) or "https://invalid.invalid/")


def clean_html(cleaner: Cleaner, value: str, *, max_depth: int = MAX_DEPTH) -> str:
    """Return `value` sanitised by `cleaner`; raise TooDeep for markup nested too deep."""
    # So few tags cannot nest deep enough to cost nh3 much, however they are arranged:
    # they skip the (slower, pure Python) balancing, and keep their markup as written.
    if value.count("<") > MAX_DEPTH:
        value = balanced(value, max_depth=max_depth)
    return cleaner.clean(value)


def plain_text(value: str, *, is_html: bool) -> str:
    """Return `value` as plain text: tags stripped, entities decoded, spaces collapsed."""
    if "<" not in value and ("&" not in value or not is_html):
        return " ".join(value.split())
    if not is_html:
        # Keep a plain "&amp;" literal: only the markup-looking parts should go.
        value = value.replace("&", "&amp;")
    try:
        text = clean_html(TEXT_ONLY, _BLOCK_START.sub(" <", value))
    except TooDeep:
        return text_of(value)
    return " ".join(html.unescape(text).split())


def plain_text_to_html(text: str) -> str:
    """Return plain text as escaped HTML paragraphs with line breaks."""
    paragraphs = re.split(r"\n\s*\n", text.strip())
    return "".join(
        "<p>" + "<br>".join(html.escape(line.strip()) for line in paragraph.splitlines()) + "</p>"
        for paragraph in paragraphs
        if paragraph.strip()
    )


def truncate(text: str, limit: int = SUMMARY_LIMIT) -> str:
    """Return `text` cut at a word boundary to at most `limit` characters."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    return (cut[:space] if space > limit // 2 else cut) + "…"


def hashtags(text: str) -> list[str]:
    """Return the lower-cased hashtags of `text`, without the '#'."""
    return [tag.lower() for tag in _HASHTAG.findall(text)] if "#" in text else []


def engagement_from_text(text: str) -> dict[str, int]:
    """Return the points and comments that hnrss and Lemmy write into entry text."""
    counts: dict[str, int] = {}
    if match := _LEMMY_COUNTS.search(text):
        counts["points"], counts["comments"] = int(match.group(1)), int(match.group(2))
        return counts
    if match := _HNRSS_POINTS.search(text):
        counts["points"] = int(match.group(1))
    if match := _HNRSS_COMMENTS.search(text):
        counts["comments"] = int(match.group(1))
    return counts


_STORED = html_cleaner()


def stored_html_for_display(value: str) -> str:
    """Return stored entry HTML cleaned once more, so a template never trusts the database."""
    try:
        # Stored HTML was balanced below MAX_DEPTH; nh3 may have added a level or two.
        return clean_html(_STORED, value or "", max_depth=3 * MAX_DEPTH)
    except TooDeep:
        # Rows stored before nesting was bounded: show their text rather than spend minutes.
        return plain_text_to_html(text_of(value))
