"""Charts of follower feedback: comments per day by mood and the average mood, on one time
axis; and each channel's share of the comments. Drawn with tracker.charts, no library.

Both daily panels take the same days, the same margins and the same axis, whether drawn
together (the dashboard, the public page) or alone (their standalone SVGs): a day sits at
the same x in each, so the two read as one picture.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from babel.numbers import format_decimal, format_percent

from tracker.charts.axes import TimeAxis, ValueAxis, value_ticks
from tracker.charts.grid import draw_time_axis, draw_value_grid, time_ticks
from tracker.charts.legend import LegendItem, draw_legend
from tracker.charts.svg import (
    BACKGROUND,
    DEFAULT_FONT,
    INK,
    MUTED,
    ChartText,
    Svg,
    text_width,
)
from tracker.dates import format_day
from tracker.feedback.stats import ChannelVolume, DailySentiment

MOODS = (("positive", "#1b7a3d"), ("neutral", "#8a8a99"), ("negative", "#b3261e"))
AVERAGE = "#1f5fbf"
LABELS = {
    "positive": "Positive",
    "neutral": "Neutral",
    "negative": "Negative",
    "average": "Average mood",
    "comments": "Comments per day",
    "mood": "Average mood, from \u22121 to +1",
}


@dataclass(frozen=True)
class Size:
    width: int
    font: int
    comments: int  # panel heights
    mood: int
    right: int


WIDE, NARROW = Size(720, 12, 130, 100, 16), Size(360, 13, 110, 90, 10)


def fill_days(days: list[DailySentiment], *, first: date, last: date) -> list[DailySentiment]:
    """Return one item per day from first to last, days without feedback as zeros."""
    known = {d.day: d for d in days}
    filled, day = [], first
    while day <= last:
        filled.append(known.get(day) or DailySentiment(day, 0.0, 0, 0, 0))
        day += timedelta(days=1)
    return filled


def mood_chart_svg(
    days: list[DailySentiment],
    text: ChartText,
    *,
    panels: tuple[str, ...] = ("comments", "mood"),
    narrow: bool = False,
    id_prefix: str = "feedback",
) -> str:
    """Draw comments per day (stacked by mood) and the average mood, one item of days a day."""
    # days holds every day of the range (see fill_days): the axis spans exactly them.
    size = NARROW if narrow else WIDE
    labels = {**LABELS, **text.labels}
    count_ticks = value_ticks(max((d.total for d in days), default=1) or 1, count=3)

    def count(value: float) -> str:
        return format_decimal(value, locale=text.locale)

    def mood(value: float) -> str:
        return _signed(value, text.locale)

    # The same left margin for both panels, drawn together or alone, so that they align.
    widest = max(text_width(label, size.font) for label in [*map(count, count_ticks), "+1"])
    left = 10 + widest
    svg = _open(size, text, id_prefix)
    axis = TimeAxis(days[0].day, days[-1].day, left, size.width - size.right)
    top = 30
    for panel in panels:
        svg.add("text", labels[panel], x=left, y=top + size.font, fill=MUTED, class_="panel-title")
        top += size.font + 10
        if panel == "comments":
            scale = ValueAxis(count_ticks[-1], bottom_px=top + size.comments, top_px=top)
            draw_value_grid(
                svg, scale, count_ticks, axis, count, font_size=size.font, css="count-label"
            )
            _draw_counts(svg, axis, scale, days, labels, text.locale)
        else:
            scale = _MoodAxis(bottom_px=top + size.mood, top_px=top)
            draw_value_grid(
                svg, scale, [-1.0, 0.0, 1.0], axis, mood, font_size=size.font, css="mood-label"
            )
            _draw_mood(svg, axis, scale, days, labels, text.locale)
        top = scale.bottom_px + 14
    bottom = top - 14
    ticks = time_ticks(axis, locale=text.locale, font_size=size.font, width=size.width)
    draw_time_axis(svg, ticks, bottom=bottom, font_size=size.font)
    items = []
    if "comments" in panels:
        items += [LegendItem("bar", colour, labels[name]) for name, colour in MOODS]
    if "mood" in panels:
        items.append(LegendItem("dot", AVERAGE, labels["average"]))
    end = draw_legend(
        svg, items, top=bottom + size.font + 22, left=8, right=size.width - 8, font_size=size.font
    )
    return _close(svg, end)


class _MoodAxis(ValueAxis):
    """Mood from -1 (bottom) to +1 (top)."""

    def __init__(self, *, bottom_px: float, top_px: float) -> None:
        super().__init__(2.0, bottom_px=bottom_px, top_px=top_px)

    def y(self, value: float) -> float:
        return super().y(value + 1.0)


def _draw_counts(svg: Svg, axis: TimeAxis, scale: ValueAxis, days, labels, locale) -> None:
    width = max(axis.slot * 0.7, 1.0)
    svg.open("g", class_="counts")
    for day in days:
        if not day.total:
            continue
        base, x = scale.bottom_px, axis.x(day.day) - width / 2
        parts = ", ".join(f"{getattr(day, name)} {labels[name].lower()}" for name, _ in MOODS)
        svg.open("g", title=f"{format_day(day.day, locale=locale)}: {parts}", class_="day")
        for name, colour in MOODS:
            n = getattr(day, name)
            if n:
                top = scale.y(_stacked(day, name))
                svg.add(
                    "rect",
                    x=x,
                    y=top,
                    width=width,
                    height=max(base - top, 0.5),
                    fill=colour,
                    class_=f"bar {name}",
                )
                base = top
        svg.close()
    svg.close()


def _stacked(day: DailySentiment, name: str) -> int:
    # The bars stack bottom-up in MOODS' order: the top of `name` is the count so far.
    order = [mood for mood, _ in MOODS]
    return sum(getattr(day, mood) for mood in order[: order.index(name) + 1])


def _draw_mood(svg: Svg, axis: TimeAxis, scale: ValueAxis, days, labels, locale) -> None:
    svg.open("g", class_="mood")
    previous = None
    for day in days:
        if not day.total:
            previous = None  # no line across a day without comments
            continue
        x, y = axis.x(day.day), scale.y(day.average)
        if previous:
            svg.add(
                "line", x1=previous[0], y1=previous[1], x2=x, y2=y, stroke=AVERAGE, stroke_width=1.5
            )
        title = f"{format_day(day.day, locale=locale)}: {_signed(day.average, locale)}"
        svg.add("circle", title=title, cx=x, cy=y, r=3.5, fill=AVERAGE, class_="average")
        previous = (x, y)
    svg.close()


def _signed(value: float, locale: str) -> str:
    # "+0.25", "-0.5" (a true minus sign), "0": which side of neutral, in the locale's digits.
    text = format_decimal(abs(value), format="0.##", locale=locale)
    return text if abs(value) < 0.005 else ("+" if value > 0 else "\u2212") + text


def voice_chart_svg(
    volume: list[ChannelVolume],
    text: ChartText,
    *,
    narrow: bool = False,
    id_prefix: str = "voice",
) -> str:
    """Draw each channel's comments as a bar, longest first, with count and share."""
    size = NARROW if narrow else WIDE
    rows = [
        (
            channel.title,
            f"{format_decimal(channel.count, locale=text.locale)} "
            f"({format_percent(channel.share, locale=text.locale)})",
            channel.share,
        )
        for channel in volume
    ]
    svg = _open(size, text, id_prefix)
    top, row = 34, size.font * 2 + 14
    most = max((share for *_, share in rows), default=1) or 1
    for name, figure, share in rows:
        svg.add("text", name, x=8, y=top + size.font, fill=INK, class_="channel")
        room = size.width - 16 - text_width(figure, size.font) - 8
        width = max(room * share / most, 2.0)
        svg.add(
            "rect",
            x=8,
            y=top + size.font + 6,
            width=width,
            height=size.font,
            rx=3,
            fill=AVERAGE,
            class_="share",
        )
        svg.add(
            "text",
            figure,
            x=8 + width + 6,
            y=top + 2 * size.font + 5,
            fill=MUTED,
            class_="share-label",
        )
        top += row
    return _close(svg, top)


def _open(size: Size, text: ChartText, id_prefix: str) -> Svg:
    svg = Svg(
        size.width,
        0,
        role="img",
        aria_labelledby=f"{id_prefix}-title",
        aria_describedby=f"{id_prefix}-desc",
        font_family=DEFAULT_FONT,
        font_size=size.font,
        class_="chart feedback-chart",
    )
    svg.add("title", text.title, id=f"{id_prefix}-title")
    svg.add("desc", text.description, id=f"{id_prefix}-desc")
    svg.add("rect", width=size.width, height="100%", fill=BACKGROUND)
    svg.add("text", text.title, x=8, y=20, font_weight="bold", font_size=size.font + 2, fill=INK)
    return svg


def _close(svg: Svg, bottom: float) -> str:
    svg.height = round(bottom + 8)
    svg.root["viewBox"] = f"0 0 {svg.width} {svg.height}"
    svg.root["height"] = svg.height
    return svg.render()
