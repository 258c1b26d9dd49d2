"""Rebuild untrusted HTML as balanced markup of bounded depth, in linear time.

nh3's parser (html5ever) spends time that grows with the square of the nesting depth:
one entry of 400,000 nested <div> kept a poll busy for 512 s. So feed HTML reaches nh3
only through `balanced`, which reads every character once (its patterns are possessive
or end at the end of input, so they never backtrack far or rescan), closes every element
it opens, and refuses with TooDeep anything nested deeper than MAX_DEPTH. Given balanced
markup that shallow, html5ever builds a tree of similar depth: its implied elements and
reconstructed formatting elements add at most a small factor.

The tokenizer follows the HTML tokenizer where it decides what is a tag (quoted attribute
values may hold `>`, `<!--` runs to `-->`, script and friends hold raw text), and the
tree rules that matter for ordinary sloppy markup (an open <p> or <li> closes when the
next one starts). Where it differs, on malformed markup, only the layout of that markup
changes: the output is re-escaped, so nothing it reads as text can become a tag. Python's
html.parser is no alternative: on 3.11 it is quadratic on inputs such as "<!--" * n.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator

MAX_DEPTH = 100

_ATTRS = r"""(?:[^>"']++|"[^"]*+"?|'[^']*+'?)*+"""
_TOKEN = re.compile(
    rf"""<(?:
        (?P<comment>!--(?:-?>|.*?--!?>|.*+))
      | (?P<bogus>[!?][^>]*+>?|/(?![A-Za-z])[^>]*+>?)
      | (?P<raw>script|style|xmp|iframe|noembed|noframes|textarea|title)(?=[\t\n\f\r />])
        (?P<rawattrs>{_ATTRS})>(?P<rawtext>.*?(?=</(?P=raw)[\t\n\f\r />])|.*+)
      | (?P<end>/)?(?P<name>[A-Za-z][^\t\n\f\r />]*+)(?P<attrs>{_ATTRS})(?P<close>>)?
    )""",
    re.VERBOSE | re.DOTALL | re.IGNORECASE,
)
# Inside a tag: a name (it may start with "="), then optionally "=" and a value.
_ATTRIBUTE = re.compile(
    r"""(?P<name>[^\t\n\f\r />][^\t\n\f\r />=]*+)
        (?:[\t\n\f\r ]*+=[\t\n\f\r ]*+(?P<value>"[^"]*+"?|'[^']*+'?|[^\t\n\f\r >]*+))?""",
    re.VERBOSE,
)
_SAFE_ATTRIBUTE_NAME = re.compile(r"[a-z_:][-a-z0-9_:.]*")
_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")

VOID = frozenset(
    {
        "area", "base", "basefont", "bgsound", "br", "col", "embed", "hr", "img", "input",
        "keygen", "link", "meta", "param", "source", "track", "wbr",
    }
)  # fmt: skip
# Start tags that close an open <p> (HTML's "close a p element" before inserting them).
_CLOSES_P = frozenset(
    {
        "address", "article", "aside", "blockquote", "center", "details", "dialog", "dir",
        "div", "dl", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3",
        "h4", "h5", "h6", "header", "hgroup", "hr", "listing", "main", "menu", "nav", "ol",
        "p", "pre", "search", "section", "summary", "table", "ul", "xmp",
    }
)  # fmt: skip
# Elements an implied close does not reach through (scope boundaries, lists, tables).
_BOUNDARY = frozenset(
    {
        "applet", "button", "caption", "dl", "html", "marquee", "menu", "object", "ol",
        "table", "td", "template", "th", "ul",
    }
)  # fmt: skip
_HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
# A new one of these closes an open one of the same group within the boundary.
_SIBLINGS = {
    "a": ("a",),
    "button": ("button",),
    "nobr": ("nobr",),
    **dict.fromkeys(_HEADINGS, _HEADINGS),
    "li": ("li",),
    "dt": ("dt", "dd"),
    "dd": ("dt", "dd"),
    "tr": ("tr",),
    "td": ("td", "th"),
    "th": ("td", "th"),
    "option": ("option",),
    "tbody": ("tbody", "thead", "tfoot"),
    "thead": ("tbody", "thead", "tfoot"),
    "tfoot": ("tbody", "thead", "tfoot"),
}
_TABLE_PARTS = frozenset({"tr", "td", "th", "tbody", "thead", "tfoot"})
# Raw-text elements whose content still decodes character references.
_ESCAPABLE_RAW_TEXT = frozenset({"textarea", "title"})


class TooDeep(ValueError):
    """The markup nests elements deeper than the limit."""

    def __init__(self, limit: int) -> None:
        super().__init__(f"nested deeper than {limit} levels")
        self.limit = limit


def _text(value: str) -> str:
    return html.unescape(value) if "&" in value else value


def _tokens(value: str) -> Iterator[tuple[str, str, str]]:
    """Yield ("text", text, ""), ("start", name, attrs) and ("end", name, "") in order.

    The content of raw-text elements (script, style ...) comes as a "raw" token.
    """
    position = 0
    for match in _TOKEN.finditer(value):
        start = match.start()
        if start > position:
            yield "text", _text(value[position:start]), ""
        position = match.end()
        _comment, _bogus, raw, raw_attrs, raw_text, end, name, attrs, close = match.groups()
        if raw is not None:
            raw = raw.translate(_ASCII_LOWER)
            yield "start", raw, raw_attrs
            if raw_text and raw in _ESCAPABLE_RAW_TEXT:
                yield "text", _text(raw_text), ""
            elif raw_text:
                yield "raw", raw_text, ""
        elif name is not None and close is not None:  # else cut off by the end of input
            name = name.translate(_ASCII_LOWER)
            if end:
                yield "end", name, ""
                continue
            yield "start", name, attrs
            if name == "plaintext":
                yield "text", value[position:], ""
                return
    if position < len(value):
        yield "text", _text(value[position:]), ""


def _unquoted(value: str | None) -> str:
    if not value:
        return ""
    if value[0] in "\"'":
        return value[1:-1] if len(value) > 1 and value[-1] == value[0] else value[1:]
    return value


def _attributes(raw: str) -> tuple[str, bool]:
    """Return the attributes re-serialised (first of each name wins) and the "/>" flag."""
    if not raw or raw.isspace():
        return "", False
    seen: dict[str, str] = {}
    end = 0
    for match in _ATTRIBUTE.finditer(raw):
        end = match.end()
        name = match["name"].translate(_ASCII_LOWER)
        if name not in seen and _SAFE_ATTRIBUTE_NAME.fullmatch(name):
            seen[name] = html.escape(_text(_unquoted(match["value"])), quote=True)
    serialised = "".join(f' {name}="{value}"' for name, value in seen.items())
    return serialised, raw[end:].rstrip().endswith("/")


def _open_index(stack: list[str], names: tuple[str, ...] | frozenset[str]) -> int | None:
    """Return where the innermost of `names` is open, if no boundary lies above it."""
    for index in range(len(stack) - 1, -1, -1):
        if stack[index] in names:
            return index
        if stack[index] in _BOUNDARY:
            return None
    return None


def _close_to(stack: list[str], index: int, out: list[str]) -> None:
    while len(stack) > index:
        out.append(f"</{stack.pop()}>")


def _close_implied(stack: list[str], name: str, out: list[str]) -> None:
    """Close what HTML closes implicitly when `name` starts (an open <p>, <li> ...)."""
    if name in _CLOSES_P and (index := _open_index(stack, ("p",))) is not None:
        _close_to(stack, index, out)
    siblings = _SIBLINGS.get(name)
    if siblings is None:
        return
    if name in _TABLE_PARTS:
        # Within one table: a cell closes the open cell, a row the open row.
        index = next((i for i in range(len(stack) - 1, -1, -1) if stack[i] == "table"), -1)
        found = next((i for i in range(len(stack) - 1, index, -1) if stack[i] in siblings), None)
    else:
        found = _open_index(stack, siblings)
    if found is not None:
        _close_to(stack, found, out)


def balanced(value: str, *, max_depth: int = MAX_DEPTH) -> str:
    """Return `value` as balanced HTML; raise TooDeep past `max_depth` open elements."""
    out: list[str] = []
    stack: list[str] = []
    for kind, name, attrs in _tokens(value):
        if kind == "start":
            if name not in VOID:
                _close_implied(stack, name, out)
            serialised, self_closing = _attributes(attrs)
            out.append(f"<{name}{serialised}>")
            if name in VOID:
                continue
            # "/>" closes an element only in SVG and MathML, as in HTML.
            if self_closing and ("svg" in stack or "math" in stack or name in ("svg", "math")):
                out.append(f"</{name}>")
                continue
            if len(stack) >= max_depth:
                raise TooDeep(max_depth)
            stack.append(name)
        elif kind == "end":
            if name == "br":
                out.append("<br>")  # as HTML reads "</br>"
            elif name in stack:  # at most max_depth steps
                index = len(stack) - 1 - stack[::-1].index(name)
                _close_to(stack, index, out)
        else:
            out.append(html.escape(name, quote=False))
    _close_to(stack, 0, out)
    return "".join(out)


def text_of(value: str) -> str:
    """Return the text of HTML `value`: tags, comments and scripts become spaces."""
    return " ".join(_text(_TOKEN.sub(" ", value)).split())


def start_tags(value: str) -> Iterator[tuple[str, dict[str, str]]]:
    """Yield each start tag's name and its attributes (decoded), in document order."""
    for kind, name, attrs in _tokens(value):
        if kind == "start":
            found: dict[str, str] = {}
            for match in _ATTRIBUTE.finditer(attrs):
                name_of = match["name"].translate(_ASCII_LOWER)
                found.setdefault(name_of, _text(_unquoted(match["value"])))
            yield name, found
