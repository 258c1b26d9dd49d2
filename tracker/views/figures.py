"""The funding chart and the progress bar in the reader's language: words, key figures, sizes.

The page, the dashboard's funding tab, the standalone SVG and the PDF report all draw the
chart through these functions, so they say the same thing in the same words.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import format_decimal, format_percent, gettext, ngettext
from markupsafe import Markup

from tracker.charts.funding import ChartText, FundingChart, funding_chart_svg
from tracker.charts.progress import BarText, progress_bar_svg
from tracker.dates import format_day
from tracker.money import format_money
from tracker.pledges.funding import FundingSummary
from tracker.public.progress import ProgressBar, funded_percent
from tracker.views.i18n import current_locale


@dataclass(frozen=True)
class ChartFigure:
    """A chart drawn twice (a phone gets the narrow one) and its key figures in a sentence."""

    wide: Markup
    narrow: Markup
    caption: str


def funding_chart_data(campaign, funding: FundingSummary, *, today: date, markers=()):
    """Return what the chart of the campaign's funding draws."""
    return FundingChart(
        starts_on=campaign.starts_on,
        ends_on=campaign.ends_on,
        today=today,
        curve=funding.curve,
        goal_minor=funding.goal_minor,
        currency=funding.currency,
        projection=funding.projection,
        markers=tuple(markers),
        daily_bars=funding.source == "pledges",
    )


def funding_chart_text(campaign, funding: FundingSummary, *, today: date) -> ChartText:
    """Word the chart in the current locale: title, legend, key figures."""
    return ChartText(
        title=gettext("Pledged by day"),
        description=describe_funding(campaign, funding, today=today),
        locale=current_locale(),
        labels={
            "total": gettext("Pledged in total"),
            "daily": gettext("Pledged per day"),
            "goal": gettext("Goal"),
            "projection": gettext("Projection"),
            "update": gettext("Update"),
            "milestone": gettext("Milestone done"),
        },
    )


def funding_figure(
    campaign, funding: FundingSummary, *, today: date, markers=(), id_prefix: str = "funding"
) -> ChartFigure:
    """Draw the chart wide and narrow for a page, with its caption."""
    chart = funding_chart_data(campaign, funding, today=today, markers=markers)
    text = funding_chart_text(campaign, funding, today=today)
    # Safe: the chart writer escapes every text it prints (tracker.charts.svg).
    return ChartFigure(
        wide=Markup(funding_chart_svg(chart, text, id_prefix=f"{id_prefix}-wide")),  # noqa: S704
        narrow=Markup(  # noqa: S704
            funding_chart_svg(chart, text, narrow=True, id_prefix=f"{id_prefix}-narrow")
        ),
        caption=text.description,
    )


def describe_funding(campaign, funding: FundingSummary, *, today: date) -> str:
    """State the chart's key figures in a sentence or three, in the current locale."""
    locale = current_locale()

    def money(minor: int) -> str:
        return format_money(minor, funding.currency, locale)

    sentences = [
        ngettext(
            "%(pledged)s pledged of the %(goal)s goal (%(percent)s), by %(count)s backer.",
            "%(pledged)s pledged of the %(goal)s goal (%(percent)s), by %(count)s backers.",
            funding.backers,
            pledged=money(funding.net_minor),
            goal=money(funding.goal_minor),
            percent=format_percent(funded_percent(funding.net_minor, funding.goal_minor) / 100),
            count=format_decimal(funding.backers),
        )
    ]
    if funding.source == "pledges":
        best, previous = None, 0
        for point in funding.curve:
            gained = point.amount_minor - previous
            previous = point.amount_minor
            if best is None or gained > best[1]:
                best = (point.day, gained)
        if best and best[1] > 0:
            sentences.append(
                gettext(
                    "Best day: %(day)s with %(amount)s.",
                    day=format_day(best[0], locale=locale),
                    amount=money(best[1]),
                )
            )
    projection = funding.projection
    if projection and today < campaign.ends_on:
        sentences.append(
            gettext(
                "If the pace holds: about %(expected)s by %(end)s (between %(low)s and %(high)s).",
                expected=money(projection.expected_minor),
                end=format_day(campaign.ends_on, locale=locale),
                low=money(projection.low_minor),
                high=money(projection.high_minor),
            )
        )
    return " ".join(sentences)


def progress_figure(bar: ProgressBar, currency: str, *, id_prefix: str = "progress"):
    """Draw the progress bar wide and narrow for a page; its caption is the page's list."""
    text = progress_bar_text(bar, currency)
    # Safe: the chart writer escapes every text it prints (tracker.charts.svg).
    return ChartFigure(
        wide=Markup(progress_bar_svg(bar, text, id_prefix=f"{id_prefix}-wide")),  # noqa: S704
        narrow=Markup(  # noqa: S704
            progress_bar_svg(bar, text, narrow=True, id_prefix=f"{id_prefix}-narrow")
        ),
        caption=text.name,
    )


def progress_bar_text(bar: ProgressBar, currency: str) -> BarText:
    """Word the bar in the current locale."""
    locale = current_locale()

    def money(minor: int) -> str:
        return format_money(minor, currency, locale)

    return BarText(
        name=gettext(
            "%(percent)s of the goal of %(goal)s",
            percent=format_percent(bar.percent / 100),
            goal=money(bar.goal_minor),
        ),
        goal=gettext("Goal: %(amount)s", amount=money(bar.goal_minor)),
        stretch=gettext("Stretch goals"),
        markers=[f"{m.label} · {money(m.amount_minor)}" for m in bar.stretch],
        within=[f"{m.label} · {money(m.amount_minor)}" for m in bar.within],
    )
