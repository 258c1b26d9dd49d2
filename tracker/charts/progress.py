"""The progress bar as SVG: the goal's track filled to the total, then the stretch track with
each stretch goal marked and labelled, labels in rows so that none covers another."""

from __future__ import annotations

from dataclasses import dataclass

from tracker.charts.svg import DEFAULT_FONT, INK, MUTED, Svg, text_width
from tracker.public.progress import ProgressBar

TRACK, FILL, REACHED, STRETCH = "#e4e4ea", "#1f5fbf", "#1b7a3d", "#8a5a00"
ELLIPSIS = "…"


@dataclass(frozen=True)
class BarText:
    """The bar's words in the reader's language."""

    name: str  # the accessible name: "67 % of the goal of €2,000.00"
    goal: str  # under the goal track's end: "Goal: €2,000.00"
    stretch: str  # the second track's heading: "Stretch goals"
    markers: list[str]  # one per bar.stretch: "Second oscillator · €3,000.00"
    within: list[str]  # one per bar.within


@dataclass(frozen=True)
class Size:
    width: int
    font: int


WIDE, NARROW = Size(720, 12), Size(360, 13)


def progress_bar_svg(
    bar: ProgressBar, text: BarText, *, narrow: bool = False, id_prefix: str = "progress"
) -> str:
    """Draw the bar, for a page (wide or narrow) or a standalone image."""
    size = NARROW if narrow else WIDE
    width, font = size.width, size.font
    svg = Svg(
        width,
        0,
        role="img",
        aria_labelledby=f"{id_prefix}-title",
        font_family=DEFAULT_FONT,
        font_size=font,
        class_="progress-bar",
    )
    svg.add("title", text.name, id=f"{id_prefix}-title")
    # The goal's track: its whole width is the goal, whatever comes after it.
    svg.add("rect", x=0, y=4, width=width, height=24, rx=12, fill=TRACK, class_="track")
    if bar.fill > 0:
        svg.add(
            "rect",
            x=0,
            y=4,
            width=max(width * bar.fill, 24.0),
            height=24,
            rx=12,
            fill=REACHED if bar.reached else FILL,
            class_="fill",
        )
    for marker, label in zip(bar.within, text.within, strict=True):
        x = min(max(width * marker.position, 2.0), width - 2.0)
        svg.add(
            "line",
            title=label,
            x1=x,
            x2=x,
            y1=0,
            y2=32,
            stroke=INK,
            stroke_width=2,
            class_="marker within" + (" reached" if marker.reached else ""),
        )
    svg.add(
        "text",
        text.goal,
        x=width,
        y=30 + font + 4,
        text_anchor="end",
        fill=INK,
        font_weight="bold",
        class_="goal-label",
    )
    bottom = 30 + font + 8
    if bar.stretch:
        bottom = _stretch_track(svg, bar, text, top=bottom + 14, width=width, font=font)
    svg.height = round(bottom + 4)
    svg.root["viewBox"] = f"0 0 {width} {svg.height}"
    svg.root["height"] = svg.height
    return svg.render()


def _stretch_track(svg: Svg, bar: ProgressBar, text: BarText, *, top, width, font) -> float:
    svg.add("text", text.stretch, x=0, y=top, fill=MUTED, class_="stretch-heading")
    track_y = top + 8
    svg.add("rect", x=0, y=track_y, width=width, height=8, rx=4, fill=TRACK, class_="stretch-track")
    if bar.stretch_fill > 0:
        svg.add(
            "rect",
            x=0,
            y=track_y,
            width=max(width * bar.stretch_fill, 8.0),
            height=8,
            rx=4,
            fill=REACHED,
            class_="stretch-fill",
        )
    rows: list[list[tuple[float, float]]] = []
    bottom = track_y + 8
    labels = _shortened(text.markers, most=width * 0.6, font=font)
    for marker, label in zip(bar.stretch, labels, strict=True):
        x = min(max(width * marker.position, 6.0), width - 6.0)
        colour = REACHED if marker.reached else STRETCH
        svg.add(
            "circle",
            title=label,
            cx=x,
            cy=track_y + 4,
            r=6,
            fill=colour,
            stroke="#ffffff",
            stroke_width=1.5,
            class_="marker stretch",
        )
        label_width = text_width(label, font)
        left = min(max(x - label_width / 2, 0.0), width - label_width - 1)
        extent = (left - 6, left + label_width + 6)
        row = next(
            (
                n
                for n, taken in enumerate(rows)
                if all(extent[1] <= a or b <= extent[0] for a, b in taken)
            ),
            len(rows),
        )
        if row == len(rows):
            rows.append([])
        rows[row].append(extent)
        y = track_y + 8 + (row + 1) * (font + 6)
        svg.add(
            "text",
            label,
            x=left,
            y=y,
            fill=colour if marker.reached else INK,
            class_="marker-label",
        )
        bottom = max(bottom, y + 4)
    return bottom


def _shortened(labels: list[str], *, most: float, font: float) -> list[str]:
    """Cut a label's title at a word until the label is at most `most` px wide."""
    return [_cut(label, most, font) for label in labels]


def _cut(label: str, most: float, font: float) -> str:
    if text_width(label, font) <= most:
        return label
    title, _, amount = label.rpartition(" · ")
    words = title.split(" ")
    while len(words) > 1:
        words.pop()
        shorter = f"{' '.join(words)}{ELLIPSIS} · {amount}"
        if text_width(shorter, font) <= most:
            return shorter
    return f"{words[0]}{ELLIPSIS} · {amount}"
