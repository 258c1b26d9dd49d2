"""SVG charts of follower feedback with pygal: sentiment per day, labels per day, voices."""

from __future__ import annotations

from datetime import date, timedelta

import pygal
from pygal.style import Style

from tracker.charts import STYLE, without_scripts
from tracker.feedback.stats import ChannelVolume, DailySentiment

LABEL_STYLE = Style(
    **{
        name: getattr(STYLE, name)
        for name in (
            "background",
            "plot_background",
            "foreground",
            "foreground_strong",
            "foreground_subtle",
            "font_family",
            "label_font_size",
            "major_label_font_size",
            "legend_font_size",
            "title_font_size",
        )
    },
    colors=("#1b7a3d", "#8a8a99", "#b3261e"),  # positive, neutral, negative
)
_COMMON = {
    "js": (),
    "disable_xml_declaration": True,
    "explicit_size": True,
    "legend_at_bottom": True,
    "truncate_label": -1,
    "no_data_text": "—",
}


def fill_days(days: list[DailySentiment], *, first: date, last: date) -> list[DailySentiment]:
    """Return one item per day from first to last, days without feedback as zeros."""
    known = {d.day: d for d in days}
    filled, day = [], first
    while day <= last:
        filled.append(known.get(day) or DailySentiment(day, 0.0, 0, 0, 0))
        day += timedelta(days=1)
    return filled


def sentiment_chart_svg(
    days: list[DailySentiment], *, title: str, labels: dict[str, str] | None = None
) -> str:
    """Render the daily average sentiment, in [-1, 1], as a standalone SVG."""
    labels = {"average": "Average sentiment", **(labels or {})}
    chart = pygal.DateLine(
        style=STYLE,
        width=720,
        height=280,
        title=title,
        range=(-1, 1),
        x_label_rotation=0,
        show_minor_x_labels=False,
        x_labels_major_count=6,
        dots_size=3,
        value_formatter=lambda value: f"{value:+.2f}",
        **_COMMON,
    )
    chart.add(labels["average"], [(d.day, d.average) for d in days if d.total])
    return without_scripts(chart.render_tree())


def labels_chart_svg(
    days: list[DailySentiment], *, title: str, labels: dict[str, str] | None = None
) -> str:
    """Render the comments per day, stacked by sentiment label, as a standalone SVG."""
    labels = {
        "positive": "Positive",
        "neutral": "Neutral",
        "negative": "Negative",
        **(labels or {}),
    }
    chart = pygal.StackedBar(
        style=LABEL_STYLE,
        width=720,
        height=280,
        title=title,
        x_label_rotation=0,
        show_minor_x_labels=False,
        x_labels_major_every=max(len(days) // 6, 1),
        print_zeroes=False,
        **_COMMON,
    )
    chart.x_labels = [d.day.isoformat() for d in days]
    for name in ("positive", "neutral", "negative"):
        chart.add(labels[name], [getattr(d, name) for d in days])
    return without_scripts(chart.render_tree())


def voice_chart_svg(volume: list[ChannelVolume], *, title: str) -> str:
    """Render each channel's share of all comments (share of voice) as a standalone SVG."""
    chart = pygal.Pie(
        style=STYLE,
        width=480,
        height=320,
        title=title,
        inner_radius=0.45,
        value_formatter=lambda value: f"{value:,.0f}",
        **_COMMON,
    )
    for channel in volume:
        chart.add(f"{channel.title} ({channel.share:.0%})", channel.count)
    return without_scripts(chart.render_tree())
