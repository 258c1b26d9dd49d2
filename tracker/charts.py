"""SVG charts with pygal, shared by the dashboard, the public page and the PDF report.

pygal (and lxml with it) is imported by the functions that draw, not at startup: every
CLI command and server process would pay for it, most never draw a chart.
"""

from dataclasses import dataclass
from datetime import date

from tracker.money import to_major
from tracker.pledges.funding import CurvePoint

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


@dataclass(frozen=True)
class Marker:
    """A moment worth a dot on the curve: an update posted, a milestone reached."""

    day: date
    label: str
    kind: str  # "update" or "milestone"


def funding_chart_svg(
    curve: list[CurvePoint],
    *,
    goal_minor: int,
    currency: str,
    title: str,
    markers: tuple[Marker, ...] = (),
    labels: dict[str, str] | None = None,
    width: int = 720,
    height: int = 320,
    font_family: str | None = None,
) -> str:
    """Render the cumulative funding curve with the goal line as a standalone SVG.

    font_family overrides the style's fonts, e.g. for a PDF that embeds its own font.
    """
    labels = {
        "funded": "Funded",
        "goal": "Goal",
        "update": "Update",
        "milestone": "Milestone",
        **(labels or {}),
    }
    import pygal

    style = chart_style()
    if font_family:
        fonts = {key: font_family for key in style.to_dict() if key.endswith("font_family")}
        style = chart_style(**{**style.to_dict(), **fonts})
    chart = pygal.DateLine(
        style=style,
        width=width,
        height=height,
        title=title,
        show_dots=False,
        x_label_rotation=0,
        truncate_label=-1,
        legend_at_bottom=True,
        js=(),
        disable_xml_declaration=True,
        show_minor_x_labels=False,
        x_labels_major_count=6,
        value_formatter=lambda value: f"{value:,.0f} {currency}",
        dots_size=4,
        no_data_text="—",
        explicit_size=True,
    )
    points = [(point.day, float(to_major(point.amount_minor, currency))) for point in curve]
    chart.add(labels["funded"], points, fill=True)
    if points:
        goal = float(to_major(goal_minor, currency))
        chart.add(
            labels["goal"],
            [(points[0][0], goal), (points[-1][0], goal)],
            stroke_style={"dasharray": "6, 4", "width": 2},
        )
    for kind in ("update", "milestone"):
        dots = [
            (marker.day, _value_on(points, marker.day), marker.label)
            for marker in markers
            if marker.kind == kind
        ]
        if dots and points:
            chart.add(
                labels[kind],
                [{"value": (d, v), "label": label} for d, v, label in dots],
                stroke=False,
                show_dots=True,
            )
    return without_scripts(chart.render_tree())


def without_scripts(tree) -> str:
    """Serialise a pygal tree without the config <script> pygal always embeds."""
    from lxml import etree

    # pygal always embeds a config <script>; our charts are static images, so drop it.
    for script in tree.findall(".//{http://www.w3.org/2000/svg}script") + tree.findall(".//script"):
        script.getparent().remove(script)
    return etree.tostring(tree, encoding="unicode")


def _value_on(points: list[tuple[date, float]], day: date) -> float:
    value = 0.0
    for point_day, amount in points:
        if point_day > day:
            break
        value = amount
    return value
