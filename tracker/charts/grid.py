"""Axes drawn: a value grid with its labels at the left, day ticks and labels below."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from tracker.charts.axes import Tick, TimeAxis, ValueAxis
from tracker.charts.svg import GRID, MUTED, Svg
from tracker.dates import format_day, format_month, format_short_day


def draw_value_grid(
    svg: Svg,
    axis: ValueAxis,
    ticks: list[float],
    time_axis: TimeAxis,
    label: Callable[[float], str],
    *,
    font_size: float,
    css: str,
) -> None:
    """Draw a line across the plot at each tick value and its label right-aligned before it."""
    svg.open("g", class_="grid")
    for value in ticks:
        y = axis.y(value)
        svg.add(
            "line",
            x1=time_axis.left,
            x2=time_axis.right,
            y1=y,
            y2=y,
            stroke=GRID,
            stroke_width=1,
            stroke_dasharray="2 3" if value else None,
        )
        svg.add(
            "text",
            label(value),
            x=time_axis.left - 6,
            y=y + font_size * 0.35,
            text_anchor="end",
            fill=MUTED,
            class_=css,
        )
    svg.close()


def time_ticks(axis: TimeAxis, *, locale: str, font_size: float, width: float) -> list[Tick]:
    """Return the day ticks of the axis, labelled in the locale, inside the image's width."""

    def day_label(day: date, with_year: bool) -> str:
        if with_year:
            return format_day(day, locale=locale)
        return format_short_day(day, locale=locale)

    def month_label(day: date, with_year: bool) -> str:
        return format_month(day, locale=locale, with_year=with_year)

    return axis.day_ticks(
        day_label=day_label, month_label=month_label, font_size=font_size, bounds=(2, width - 2)
    )


def draw_time_axis(svg: Svg, ticks: list[Tick], *, bottom: float, font_size: float) -> None:
    """Draw each tick as a short mark below the plot with its label under it."""
    svg.open("g", class_="x-axis")
    for tick in ticks:
        svg.add("line", x1=tick.position, x2=tick.position, y1=bottom, y2=bottom + 4, stroke=MUTED)
        svg.add(
            "text",
            tick.label,
            x=tick.position,
            y=bottom + 6 + font_size,
            text_anchor="middle",
            fill=MUTED,
            class_="x-label",
        )
    svg.close()
