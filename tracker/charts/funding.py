"""The funding chart: the total as a line over the campaign's days, pledges per day as bars.

On the campaign's own range (start to end; days still to come stay empty), with the goal
line across the whole plot, the projection dashed with its band, and markers for updates
and milestones, each with an SVG <title>, and a legend. Two sizes: wide (720 px, the
page on a desktop, the PDF) and narrow (360 px, a phone: fewer ticks, larger type).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from babel import Locale
from babel.numbers import format_currency

from tracker.charts.axes import TimeAxis, ValueAxis, value_ticks
from tracker.charts.funding_series import (
    BARS,
    GOAL,
    MILESTONE,
    PROJECTION,
    TOTAL,
    draw_bars,
    draw_goal,
    draw_markers,
    draw_projection,
    draw_total,
)
from tracker.charts.grid import draw_time_axis, draw_value_grid, time_ticks
from tracker.charts.legend import LegendItem, draw_legend
from tracker.charts.svg import BACKGROUND, DEFAULT_FONT, INK, ChartText, Svg, text_width
from tracker.money import to_major
from tracker.pledges.funding import CurvePoint, Projection

LABELS = {  # English words for callers that give none (tests, scripts)
    "total": "Pledged in total",
    "daily": "Pledged per day",
    "goal": "Goal",
    "projection": "Projection",
    "update": "Update",
    "milestone": "Milestone",
}


@dataclass(frozen=True)
class Marker:
    """A moment worth a mark on the line: an update posted, a milestone reached."""

    day: date
    label: str
    kind: str  # "update" or "milestone"


@dataclass(frozen=True)
class FundingChart:
    """What the chart shows; amounts in minor units of the currency."""

    starts_on: date
    ends_on: date
    today: date
    curve: list[CurvePoint]  # cumulative, by day
    goal_minor: int
    currency: str
    projection: Projection | None = None
    markers: tuple[Marker, ...] = ()
    daily_bars: bool = True  # False for totals pushed without pledges: no daily amounts


@dataclass(frozen=True)
class Size:
    width: int
    font: int
    main: int  # height of the total's panel
    bars: int  # height of the daily panel
    right: int  # right margin


WIDE, NARROW = Size(720, 12, 200, 56, 16), Size(360, 13, 170, 44, 10)


def funding_chart_svg(
    chart: FundingChart,
    text: ChartText,
    *,
    narrow: bool = False,
    font_family: str | None = None,
    id_prefix: str = "funding",
) -> str:
    """Draw the chart as SVG markup, a standalone image or a figure inside a page."""
    size = NARROW if narrow else WIDE
    labels = {**LABELS, **text.labels}
    money = _money_formatter(chart.currency, text.locale)
    first = chart.starts_on
    last = max([chart.ends_on, *(p.day for p in chart.curve)])
    totals = _totals_by_day(chart.curve, first=first, last=min(last, chart.today))
    daily = _daily(chart.curve, first=first) if chart.daily_bars else {}
    projecting = chart.projection is not None and chart.today < chart.ends_on
    top = max(
        [
            chart.goal_minor,
            *(amount for _, amount in totals),
            chart.projection.high_minor if projecting else 0,
        ]
    )
    y_ticks = value_ticks(float(to_major(max(top, 1), chart.currency)), count=4)
    most = max(daily.values(), default=1)
    bar_ticks = value_ticks(float(to_major(most, chart.currency)), count=1)
    left = 10 + max(text_width(money(v), size.font) for v in [*y_ticks, *bar_ticks])
    svg = Svg(
        size.width,
        0,  # known once the legend's rows are
        role="img",
        aria_labelledby=f"{id_prefix}-title",
        aria_describedby=f"{id_prefix}-desc",
        font_family=font_family or DEFAULT_FONT,
        font_size=size.font,
        class_="chart funding-chart",
    )
    svg.add("title", text.title, id=f"{id_prefix}-title")
    svg.add("desc", text.description, id=f"{id_prefix}-desc")
    svg.add("rect", width=size.width, height="100%", fill=BACKGROUND)
    svg.add("text", text.title, x=8, y=20, font_weight="bold", font_size=size.font + 2, fill=INK)
    axis = TimeAxis(first, last, left, size.width - size.right)
    main = ValueAxis(y_ticks[-1], bottom_px=40 + size.main, top_px=40)
    draw_value_grid(svg, main, y_ticks, axis, money, font_size=size.font, css="y-label")
    bottom = main.bottom_px
    if daily:
        bars = ValueAxis(bar_ticks[-1], bottom_px=bottom + 26 + size.bars, top_px=bottom + 26)
        draw_value_grid(svg, bars, bar_ticks, axis, money, font_size=size.font, css="bar-label")
        draw_bars(svg, axis, bars, daily, currency=chart.currency, locale=text.locale)
        bottom = bars.bottom_px
    if projecting:
        draw_projection(svg, axis, main, chart, label=labels["projection"], locale=text.locale)
    goal_text = f"{labels['goal']}: {money(float(to_major(chart.goal_minor, chart.currency)))}"
    draw_goal(
        svg,
        axis,
        main,
        goal_minor=chart.goal_minor,
        currency=chart.currency,
        text=goal_text,
        font_size=size.font,
    )
    if totals:
        draw_total(svg, axis, main, totals, currency=chart.currency, locale=text.locale)
    draw_markers(svg, axis, main, totals, chart, labels=labels, locale=text.locale)
    ticks = time_ticks(axis, locale=text.locale, font_size=size.font, width=size.width)
    draw_time_axis(svg, ticks, bottom=bottom, font_size=size.font)
    items = [LegendItem("line", TOTAL, labels["total"])]
    if daily:
        items.append(LegendItem("bar", BARS, labels["daily"]))
    items.append(LegendItem("dash", GOAL, labels["goal"]))
    if projecting:
        items.append(LegendItem("band", PROJECTION, labels["projection"]))
    kinds = {marker.kind for marker in chart.markers}
    if "update" in kinds:
        items.append(LegendItem("dot", TOTAL, labels["update"]))
    if "milestone" in kinds:
        items.append(LegendItem("diamond", MILESTONE, labels["milestone"]))
    legend_top = bottom + size.font + 22
    height = draw_legend(
        svg, items, top=legend_top, left=8, right=size.width - 8, font_size=size.font
    )
    svg.height = round(height + 8)
    svg.root["viewBox"] = f"0 0 {size.width} {svg.height}"
    svg.root["height"] = svg.height
    return svg.render()


def _money_formatter(currency: str, locale: str):
    # Whole units on the axes ("48.000 €", "€48,000"): the locale's pattern without cents.
    pattern = Locale.parse(locale).currency_formats["standard"].pattern
    whole = pattern.replace(".00", "").replace(".##", "")

    def money(value: float) -> str:
        return format_currency(value, currency, whole, locale=locale, currency_digits=False)

    return money


def _totals_by_day(curve: list[CurvePoint], *, first: date, last: date) -> list[tuple[date, int]]:
    """Return the running total on each day from first to last (pledges before first count)."""
    if not curve or last < first:
        return []
    known = {point.day: point.amount_minor for point in curve}
    before = [point.amount_minor for point in curve if point.day < first]
    running, totals, day = (before[-1] if before else 0), [], first
    while day <= last:
        running = known.get(day, running)
        totals.append((day, running))
        day += timedelta(days=1)
    return totals


def _daily(curve: list[CurvePoint], *, first: date) -> dict[date, int]:
    daily, previous = {}, 0
    for point in curve:
        if point.day >= first:
            daily[point.day] = point.amount_minor - previous
        previous = point.amount_minor
    return {day: amount for day, amount in daily.items() if amount > 0}
