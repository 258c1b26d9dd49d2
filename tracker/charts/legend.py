"""A chart's legend: a swatch and a name per series, in rows that wrap at the image's edge."""

from __future__ import annotations

from dataclasses import dataclass

from tracker.charts.svg import Svg, text_width

SWATCH, SPACING = 18, 16  # swatch width, space after an item's name


@dataclass(frozen=True)
class LegendItem:
    shape: str  # line, dash, bar, band, dot, diamond
    colour: str
    name: str


def draw_legend(
    svg: Svg, items: list[LegendItem], *, top: float, left: float, right: float, font_size: float
) -> float:
    """Draw the items in rows from top; return the y of the last row's bottom."""
    row_height = font_size + 8
    x, y = left, top + font_size * 0.5
    svg.open("g", class_="legend")
    for item in items:
        width = SWATCH + 6 + text_width(item.name, font_size)
        if x > left and x + width > right:
            x, y = left, y + row_height
        _swatch(svg, item, x, y)
        svg.add(
            "text",
            item.name,
            x=x + SWATCH + 6,
            y=y + font_size * 0.35,
            fill="#1d1d1f",
            class_="legend-label",
        )
        x += width + SPACING
    svg.close()
    return y + row_height / 2


def _swatch(svg: Svg, item: LegendItem, x: float, y: float) -> None:
    colour = item.colour
    if item.shape in ("line", "dash"):
        svg.add(
            "line",
            x1=x,
            x2=x + SWATCH,
            y1=y,
            y2=y,
            stroke=colour,
            stroke_width=2.5,
            stroke_dasharray="6 4" if item.shape == "dash" else None,
        )
    elif item.shape == "bar":
        svg.add("rect", x=x + 4, y=y - 6, width=10, height=12, fill=colour)
    elif item.shape == "band":
        svg.add("rect", x=x, y=y - 6, width=SWATCH, height=12, fill=colour, fill_opacity="0.12")
        svg.add(
            "line",
            x1=x,
            x2=x + SWATCH,
            y1=y,
            y2=y,
            stroke=colour,
            stroke_width=2,
            stroke_dasharray="5 4",
        )
    elif item.shape == "diamond":
        svg.add("path", d=f"M{x + 9},{y - 6} l6,6 l-6,6 l-6,-6 Z", fill=colour)
    else:
        svg.add("circle", cx=x + 9, cy=y, r=5, fill=colour)
