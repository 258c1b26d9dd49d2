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
changes: text passes through only where it holds no "<" that could start a tag, tags are
written anew and raw text is escaped, so nothing it reads as text can become a tag.
Markup that is balanced already and plainly written passes unchanged, found with two
regex passes. Python's html.parser is no alternative: on 3.11 it is quadratic on inputs
such as "<!--" * n.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator

MAX_DEPTH = 100

_ATTRS = r"""(?:[^>"']++|"[^"]*+"?|'[^']*+'?)*+"""
_TOKEN = re.compile(
    rf"""<(?:
        (?P<end>/)?(?P<name>[A-Za-z][^\t\n\f\r\ />]*+)(?P<attrs>{_ATTRS})(?P<close>>)?
      | !--(?:-?>|.*?--!?>|.*+)          # a comment
      | [!?/][^>]*+>?                    # a declaration, "<?", or "</" and no letter
    )""",
    re.VERBOSE | re.DOTALL,
)
# What `_plainly_balanced` accepts: a "<" that may start a tag, and a plainly written tag.
_TAG_START = re.compile(r"<[A-Za-z/!?]")
_PLAIN_TAG = re.compile(
    r"""<(/?)([A-Za-z][A-Za-z0-9-]*+)
        (?:[\t\n\f\r\ ]++[A-Za-z_:][-A-Za-z0-9_:.]*+(?:="[^"<>]*+"|='[^'<>]*+')?+)*+
        [\t\n\f\r\ ]*+(/?)>""",
    re.VERBOSE,
)
# Inside a tag: a name (it may start with "="), then optionally "=" and a value.
_ATTRIBUTE = re.compile(
    r"""(?P<name>[^\t\n\f\r />][^\t\n\f\r />=]*+)
        (?:[\t\n\f\r ]*+=[\t\n\f\r ]*+(?P<value>"[^"]*+"?|'[^']*+'?|[^\t\n\f\r >]*+))?""",
    re.VERBOSE,
)
_SAFE_ATTRIBUTE_NAME = re.compile(r"[a-z_:][-a-z0-9_:.]*")
_SPACE = "\t\n\f\r "
# Attributes written plainly: names, quoted values without "<" or ">", space between.
_PLAIN_ATTRIBUTES = re.compile(
    r"""(?:[\t\n\f\r\ ]++[A-Za-z_:][-A-Za-z0-9_:.]*+(?:="[^"<>]*+"|='[^'<>]*+')?+)*+
        [\t\n\f\r\ ]*+/?""",
    re.VERBOSE,
)
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
_IMPLIES_CLOSE = _CLOSES_P | _SIBLINGS.keys()
# Elements whose content is text up to their end tag; textarea and title decode it.
_ESCAPABLE_RAW_TEXT = frozenset({"textarea", "title"})
_RAW_TEXT_END = {
    name: re.compile(rf"</{name}(?=[\t\n\f\r />])", re.IGNORECASE)
    for name in ("iframe", "noembed", "noframes", "script", "style", "xmp", *_ESCAPABLE_RAW_TEXT)
}

# A raw-text element and its content, up to its end tag or the end of input (never fails
# once started, so no "<script" is scanned twice).
_RAW_TEXT_ELEMENT = re.compile(
    r"""<(?P<name>iframe|noembed|noframes|script|style|xmp|textarea|title)(?=[\t\n\f\r\ />])
        [^>]*+(?:>.*?(?:(?=</(?P=name)[\t\n\f\r\ />])|\Z)|\Z)""",
    re.VERBOSE | re.DOTALL | re.IGNORECASE,
)


class TooDeep(ValueError):
    """The markup nests elements deeper than the limit."""

    def __init__(self, limit: int) -> None:
        super().__init__(f"nested deeper than {limit} levels")
        self.limit = limit


def _text(value: str) -> str:
    return html.unescape(value) if "&" in value else value


def _tokens(value: str) -> Iterator[tuple[str, str, str]]:
    """Yield ("text", raw text, ""), ("start", name, attrs), ("end", name, "") in order.

    Text comes as written: it holds no "<" that starts a tag, so it can pass through as
    it is. The content of script, style, textarea ... comes as ("literal", text, ""),
    text to be escaped; textarea and title decode their character references first.
    """
    position, length = 0, len(value)
    while (match := _TOKEN.search(value, position)) is not None:
        start = match.start()
        if start > position:
            yield "text", value[position:start], ""
        position = match.end()
        end, name, attrs, close = match.groups()
        if name is None or close is None:
            continue  # a comment, a declaration, or a tag cut off by the end of input
        name = name.translate(_ASCII_LOWER)
        if end:
            yield "end", name, ""
            continue
        yield "start", name, attrs
        if name == "plaintext":
            yield "literal", value[position:], ""
            return
        if name in _RAW_TEXT_END:
            found = _RAW_TEXT_END[name].search(value, position)
            stop = found.start() if found else length
            if stop > position:
                text = value[position:stop]
                yield "literal", _text(text) if name in _ESCAPABLE_RAW_TEXT else text, ""
            position = stop
    if position < length:
        yield "text", value[position:], ""


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
    if _PLAIN_ATTRIBUTES.fullmatch(raw):
        # The common case: quoted values, nothing odd. As written, HTML reads them alike.
        stripped = raw.rstrip(_SPACE)
        if stripped.endswith("/"):
            return stripped[:-1], True
        return raw, False
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


def _plainly_balanced(value: str, max_depth: int) -> bool:
    """Return True if `value` is balanced already, in markup too plain to read otherwise.

    Every "<" must start a plainly written tag (quoted attribute values without "<" or
    ">") or be text; every end tag must close the innermost open element; no raw-text
    element, comment or "/>" on a non-void element. Such markup is what `balanced` would
    write itself, found with two regex passes and one loop over the tags.
    """
    tags = _PLAIN_TAG.findall(value)
    if len(tags) != len(_TAG_START.findall(value)):
        return False
    stack: list[str] = []
    for slash, name, self_closing in tags:
        name = name.lower()
        if slash:
            if not stack or stack[-1] != name:
                return False
            stack.pop()
        elif name in VOID:
            continue
        elif self_closing or name in _RAW_TEXT_END or name == "plaintext":
            return False
        elif len(stack) >= max_depth:
            return False  # `balanced` closes what HTML closes implicitly, then decides
        else:
            stack.append(name)
    return True


def balanced(value: str, *, max_depth: int = MAX_DEPTH) -> str:
    """Return `value` as balanced HTML; raise TooDeep past `max_depth` open elements."""
    if _plainly_balanced(value, max_depth):
        return value
    out: list[str] = []
    stack: list[str] = []
    for kind, name, attrs in _tokens(value):
        if kind == "text":
            out.append(name)
        elif kind == "start":
            if name in _IMPLIES_CLOSE:
                _close_implied(stack, name, out)
            serialised, self_closing = _attributes(attrs) if attrs else ("", False)
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
            if stack and stack[-1] == name:
                out.append(f"</{stack.pop()}>")
            elif name == "br":
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
    without_raw_text = _RAW_TEXT_ELEMENT.sub(" ", value)
    return " ".join(_text(_TOKEN.sub(" ", without_raw_text)).split())


def start_tags(value: str) -> Iterator[tuple[str, dict[str, str]]]:
    """Yield each start tag's name and its attributes (decoded), in document order."""
    for kind, name, attrs in _tokens(value):
        if kind == "start":
            found: dict[str, str] = {}
            for match in _ATTRIBUTE.finditer(attrs):
                name_of = match["name"].translate(_ASCII_LOWER)
                found.setdefault(name_of, _text(_unquoted(match["value"])))
            yield name, found
