"""What the funding chart draws on its axes: daily bars, the total, goal, projection, marks."""

from __future__ import annotations

from datetime import date

from tracker.charts.axes import TimeAxis, ValueAxis
from tracker.charts.svg import BACKGROUND, Svg, number
from tracker.dates import format_day
from tracker.money import format_money, to_major
from tracker.pledges.funding import CurvePoint

TOTAL, BARS, GOAL, PROJECTION, MILESTONE = "#1f5fbf", "#9db8e6", "#4a4a55", "#8a5a00", "#1b7a3d"


def draw_bars(
    svg: Svg, axis: TimeAxis, bars: ValueAxis, daily: dict[date, int], *, currency: str, locale: str
) -> None:
    """Draw a bar per day with pledges, its day and amount as its title."""
    width = max(axis.slot * 0.7, 1.0)
    svg.open("g", class_="bars", fill=BARS)
    for day, amount in sorted(daily.items()):
        value = float(to_major(amount, currency))
        y = bars.y(value)
        title = f"{format_day(day, locale=locale)}: {format_money(amount, currency, locale)}"
        svg.add(
            "rect",
            title=title,
            x=axis.x(day) - width / 2,
            y=y,
            width=width,
            height=max(bars.bottom_px - y, 1.0),
            class_="bar",
        )
    svg.close()


def draw_goal(
    svg: Svg,
    axis: TimeAxis,
    main: ValueAxis,
    *,
    goal_minor: int,
    currency: str,
    text: str,
    font_size: float,
) -> None:
    """Draw the goal as a dashed line across the whole plot, named with its amount."""
    y = main.y(float(to_major(goal_minor, currency)))
    # The whole width of the plot: a goal line that stops with the data reads as a
    # goal that changed.
    svg.add(
        "line",
        x1=axis.left,
        x2=axis.right,
        y1=y,
        y2=y,
        stroke=GOAL,
        stroke_width=1.5,
        stroke_dasharray="6 4",
        class_="goal",
    )
    # At the left, above the line: where the total, rising from zero, seldom is yet.
    svg.add(
        "text", text, x=axis.left + 4, y=y - 5, fill=GOAL, class_="goal-label", font_size=font_size
    )


def draw_total(
    svg: Svg,
    axis: TimeAxis,
    main: ValueAxis,
    totals: list[tuple[date, int]],
    *,
    currency: str,
    locale: str,
) -> None:
    """Draw the running total as a line, its last day as a dot titled with the amount."""
    points = " ".join(
        f"{number(axis.x(day))},{number(main.y(float(to_major(amount, currency))))}"
        for day, amount in totals
    )
    svg.add(
        "polyline",
        points=points,
        fill="none",
        stroke=TOTAL,
        stroke_width=2.5,
        stroke_linejoin="round",
        class_="total",
    )
    day, amount = totals[-1]
    title = f"{format_day(day, locale=locale)}: {format_money(amount, currency, locale)}"
    svg.add(
        "circle",
        title=title,
        cx=axis.x(day),
        cy=main.y(float(to_major(amount, currency))),
        r=3.5,
        fill=TOTAL,
        class_="total-end",
    )


def draw_projection(
    svg: Svg, axis: TimeAxis, main: ValueAxis, chart, *, label: str, locale: str
) -> None:
    """Draw the projection from today to the end: dashed, in its band of slow and fast weeks."""
    projection, currency = chart.projection, chart.currency
    start = max(chart.today, chart.starts_on)
    x0, x1 = axis.x(start), axis.x(chart.ends_on)
    y_now = main.y(float(to_major(_total_on(chart.curve, start), currency)))

    def y(minor: int) -> float:
        return main.y(float(to_major(minor, currency)))

    title = (
        f"{label}: {format_money(projection.expected_minor, currency, locale)} "
        f"({format_money(projection.low_minor, currency, locale)}\u2013"
        f"{format_money(projection.high_minor, currency, locale)}), "
        f"{format_day(chart.ends_on, locale=locale)}"
    )
    svg.open("g", title=title, class_="projection")
    band = (
        f"M{number(x0)},{number(y_now)} L{number(x1)},{number(y(projection.high_minor))} "
        f"L{number(x1)},{number(y(projection.low_minor))} Z"
    )
    svg.add("path", d=band, fill=PROJECTION, fill_opacity="0.12", class_="band")
    svg.add(
        "line",
        x1=x0,
        y1=y_now,
        x2=x1,
        y2=y(projection.expected_minor),
        stroke=PROJECTION,
        stroke_width=2,
        stroke_dasharray="5 4",
        class_="expected",
    )
    svg.close()


def _total_on(curve: list[CurvePoint], day: date) -> int:
    total = 0
    for point in curve:
        if point.day > day:
            break
        total = point.amount_minor
    return total


def draw_markers(
    svg: Svg,
    axis: TimeAxis,
    main: ValueAxis,
    totals: list[tuple[date, int]],
    chart,
    *,
    labels: dict[str, str],
    locale: str,
) -> None:
    """Mark updates (dots) and milestones (diamonds) on the line, titled with their names."""
    by_day = dict(totals)
    grouped: dict[tuple[date, str], list[str]] = {}
    for marker in chart.markers:
        if axis.first <= marker.day <= axis.last:
            grouped.setdefault((marker.day, marker.kind), []).append(marker.label)
    if not grouped:
        return
    svg.open("g", class_="markers")
    # Milestones last, over an update of the same day.
    for (day, kind), names in sorted(
        grouped.items(), key=lambda item: (item[0][1] != "update", item[0][0])
    ):
        x = axis.x(day)
        # On the line; a mark after the line's last day sits at the last total.
        amount = by_day.get(day, totals[-1][1] if totals and day > totals[-1][0] else 0)
        y = main.y(float(to_major(amount, chart.currency)))
        title = f"{labels.get(kind, kind)}, {format_day(day, locale=locale)}: {'; '.join(names)}"
        if kind == "milestone":
            d = f"M{number(x)},{number(y - 7)} l7,7 l-7,7 l-7,-7 Z"
            svg.add(
                "path",
                title=title,
                d=d,
                fill=MILESTONE,
                stroke=BACKGROUND,
                stroke_width=1.5,
                class_="marker milestone",
            )
        else:
            svg.add(
                "circle",
                title=title,
                cx=x,
                cy=y,
                r=5,
                fill=TOTAL,
                stroke=BACKGROUND,
                stroke_width=1.5,
                class_="marker update",
            )
    svg.close()
