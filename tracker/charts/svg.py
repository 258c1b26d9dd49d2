"""A small SVG writer: elements with presentation attributes, escaped text, text widths.

No <style> element and no style attribute: the same markup is a standalone image, an
inline figure under the page's Content-Security-Policy (style-src 'self') and a PDF part.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from xml.sax.saxutils import escape, quoteattr

from tracker.text import strip_forbidden_chars


@dataclass(frozen=True)
class ChartText:
    """The words of a chart in the reader's language, and that language for numbers."""

    title: str
    description: str  # the key figures in a sentence: <desc>, and the page's caption
    locale: str
    labels: dict[str, str] = field(default_factory=dict)


INK, MUTED, GRID, BACKGROUND = "#1d1d1f", "#55555f", "#d9d9e0", "#ffffff"
DEFAULT_FONT = "system-ui, 'DejaVu Sans', Verdana, sans-serif"
# Advance widths in em of DejaVu Sans, the widest of the fonts a chart is likely shown in
# (Debian's system-ui; Source Sans 3 in the PDF is narrower): label layout that fits
# with these fits on screen and paper. Any character not listed counts as WIDE.
NARROW, WIDE = 0.34, 0.66
_ADVANCES = {
    **dict.fromkeys(" .,:;!|'()[]ijlftI", NARROW),
    **dict.fromkeys("0123456789", 0.64),
    **dict.fromkeys("abcdeghknopqsuvxyz", 0.62),
    **dict.fromkeys("mw", 0.92),
    **dict.fromkeys("r", 0.42),
    **dict.fromkeys("MW", 0.9),
    "\u00a0": NARROW,
    "\u202f": NARROW,
    "-": 0.37,
}


def text_width(text: str, size: float) -> float:
    """Estimate the width of text set at size (px) from DejaVu Sans' advances."""
    return size * sum(_ADVANCES.get(ch, WIDE) for ch in text)


def number(value: float) -> str:
    """Write a coordinate with at most one decimal ('12', '12.5')."""
    rounded = round(value, 1)
    return str(int(rounded)) if rounded == int(rounded) else str(rounded)


class Svg:
    """Collect elements and write them as one <svg> element."""

    def __init__(self, width: int, height: int, **attrs) -> None:
        self.width, self.height = width, height
        self.root = {
            "xmlns": "http://www.w3.org/2000/svg",
            "viewBox": f"0 0 {width} {height}",
            "width": width,
            "height": height,
            **attrs,
        }
        self.parts: list[str] = []

    def add(self, tag: str, text: str | None = None, *, title: str | None = None, **attrs):
        """Add an element; title adds an SVG <title> (a tooltip and an accessible name)."""
        inner = ""
        if title:
            inner += f"<title>{_text(title)}</title>"
        if text is not None:
            inner += _text(text)
        self.parts.append(f"<{tag}{_attributes(attrs)}>{inner}</{tag}>")

    def open(self, tag: str, *, title: str | None = None, **attrs) -> None:
        """Open a group-like element; close it with close()."""
        self.parts.append(f"<{tag}{_attributes(attrs)}>")
        if title:
            self.parts.append(f"<title>{_text(title)}</title>")

    def close(self, tag: str = "g") -> None:
        self.parts.append(f"</{tag}>")

    def render(self) -> str:
        """Return the SVG markup."""
        return f"<svg{_attributes(self.root)}>{''.join(self.parts)}</svg>"


def _text(value: str) -> str:
    return escape(strip_forbidden_chars(value) or "")


def _attributes(attrs: dict) -> str:
    written = []
    for name, value in attrs.items():
        if value is None or value is False:
            continue
        name = name.rstrip("_").replace("_", "-")  # class_ -> class, font_size -> font-size
        if isinstance(value, float):
            value = number(value)
        written.append(f" {name}={quoteattr(strip_forbidden_chars(str(value)) or '')}")
    return "".join(written)
