"""SVG charts of follower feedback with pygal: sentiment per day, labels per day, voices.

pygal (and lxml with it) is imported by the functions that draw, not at startup.
"""

from __future__ import annotations

from datetime import date, timedelta

from tracker.feedback.stats import ChannelVolume, DailySentiment

# The options of our pygal Style (see chart_style).
STYLE_OPTIONS = dict(
    background="#ffffff",
    plot_background="#ffffff",
    foreground="#1d1d1f",
    foreground_strong="#1d1d1f",
    foreground_subtle="#5a5a66",
    colors=("#1f5fbf", "#b3261e", "#1b7a3d", "#8a5a00"),
    font_family="DejaVu Sans, Verdana, sans-serif",
    label_font_size=11,
    major_label_font_size=11,
    legend_font_size=12,
    title_font_size=14,
    # Quiet grid lines: the data, not the guides, should catch the eye.
    guide_stroke_color="#d9d9e0",
    major_guide_stroke_color="#c4c4cc",
    guide_stroke_dasharray="2,3",
    major_guide_stroke_dasharray="2,3",
)


def chart_style(**overrides):
    """Return our pygal Style, with overrides."""
    from pygal.style import Style

    return Style(**{**STYLE_OPTIONS, **overrides})


def without_scripts(tree) -> str:
    """Serialise a pygal tree without the config <script> pygal always embeds."""
    from lxml import etree

    # pygal always embeds a config <script>; our charts are static images, so drop it.
    for script in tree.findall(".//{http://www.w3.org/2000/svg}script") + tree.findall(".//script"):
        script.getparent().remove(script)
    return etree.tostring(tree, encoding="unicode")

# The labels chart: our style's fonts and backgrounds, pygal's defaults otherwise.
LABEL_STYLE_OPTIONS = dict(
    **{
        name: STYLE_OPTIONS[name]
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
    import pygal

    labels = {"average": "Average sentiment", **(labels or {})}
    chart = pygal.DateLine(
        style=chart_style(),
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
    import pygal
    from pygal.style import Style

    chart = pygal.StackedBar(
        style=Style(**LABEL_STYLE_OPTIONS),
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
    import pygal

    chart = pygal.Pie(
        style=chart_style(),
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
