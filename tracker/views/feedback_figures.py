"""The feedback charts in the reader's language: their words, their key figures, both sizes."""

from __future__ import annotations

from datetime import date, timedelta

from flask_babel import format_decimal, format_percent, gettext, ngettext
from markupsafe import Markup

from tracker.charts.svg import ChartText
from tracker.dates import format_day
from tracker.feedback.charts import fill_days, mood_chart_svg, voice_chart_svg
from tracker.feedback.stats import ChannelVolume, DailySentiment
from tracker.views.figures import ChartFigure
from tracker.views.i18n import current_locale

TREND_DAYS = timedelta(days=29)  # the public page's window: 30 days, today included


def mood_text(days: list[DailySentiment]) -> ChartText:
    """Word the chart of comments and mood over days (one item per day) in the locale."""
    return ChartText(
        title=gettext("Comments and mood per day"),
        description=describe_mood(days),
        locale=current_locale(),
        labels={
            "positive": gettext("Positive"),
            "neutral": gettext("Neutral"),
            "negative": gettext("Negative"),
            "average": gettext("Average mood"),
            "comments": gettext("Comments per day"),
            "mood": gettext("Average mood, from −1 to +1"),  # noqa: RUF001 (a minus sign)
        },
    )


def mood_figure(days: list[DailySentiment], *, id_prefix: str = "mood") -> ChartFigure:
    """Draw comments and mood per day, wide and narrow, with the key figures as caption."""
    text = mood_text(days)
    # Safe: the chart writer escapes every text it prints (tracker.charts.svg).
    return ChartFigure(
        wide=Markup(mood_chart_svg(days, text, id_prefix=f"{id_prefix}-wide")),  # noqa: S704
        narrow=Markup(  # noqa: S704
            mood_chart_svg(days, text, narrow=True, id_prefix=f"{id_prefix}-narrow")
        ),
        caption=text.description,
    )


def recent_mood(trend: list[DailySentiment], *, today: date) -> ChartFigure:
    """Draw the public page's last 30 days of comments and mood."""
    first = today - TREND_DAYS
    days = fill_days([d for d in trend if d.day >= first], first=first, last=today)
    return mood_figure(days, id_prefix="public-mood")


def describe_mood(days: list[DailySentiment]) -> str:
    """State the key figures of comments and mood over the days, in the current locale."""
    locale = current_locale()
    first, last = format_day(days[0].day, locale=locale), format_day(days[-1].day, locale=locale)
    total = sum(d.total for d in days)
    if not total:
        return gettext("No comments from %(first)s to %(last)s.", first=first, last=last)
    positive, neutral, negative = (sum(getattr(d, n) for d in days) for n in MOOD_NAMES)
    busiest = max(days, key=lambda d: d.total)
    average = sum(d.average * d.total for d in days) / total
    sentences = [
        ngettext(
            "%(count)s comment from %(first)s to %(last)s: %(positive)s positive, "
            "%(neutral)s neutral, %(negative)s negative.",
            "%(count)s comments from %(first)s to %(last)s: %(positive)s positive, "
            "%(neutral)s neutral, %(negative)s negative.",
            total,
            count=format_decimal(total),
            first=first,
            last=last,
            positive=format_decimal(positive),
            neutral=format_decimal(neutral),
            negative=format_decimal(negative),
        ),
        ngettext(
            "Busiest day: %(day)s with %(count)s comment.",
            "Busiest day: %(day)s with %(count)s comments.",
            busiest.total,
            day=format_day(busiest.day, locale=locale),
            count=format_decimal(busiest.total),
        ),
        gettext("Average mood: %(mood)s (from −1 to +1).", mood=_signed(average)),  # noqa: RUF001
    ]
    return " ".join(sentences)


MOOD_NAMES = ("positive", "neutral", "negative")


def _signed(value: float) -> str:
    text = format_decimal(round(abs(value), 2), format="0.##")
    return text if abs(value) < 0.005 else ("+" if value > 0 else "\u2212") + text


def voice_text(volume: list[ChannelVolume]) -> ChartText:
    """Word the share-of-voice chart in the current locale."""
    parts = [
        f"{channel.title} {format_decimal(channel.count)} ({format_percent(channel.share)})"
        for channel in volume
    ]
    return ChartText(
        title=gettext("Share of voice"),
        description=gettext("Comments per channel: %(parts)s.", parts="; ".join(parts)),
        locale=current_locale(),
    )


def voice_figure(volume: list[ChannelVolume]) -> ChartFigure:
    """Draw each channel's share of the comments, wide and narrow, with its caption."""
    text = voice_text(volume)
    # Safe: the chart writer escapes every text it prints (tracker.charts.svg).
    return ChartFigure(
        wide=Markup(voice_chart_svg(volume, text, id_prefix="voice-wide")),  # noqa: S704
        narrow=Markup(  # noqa: S704
            voice_chart_svg(volume, text, narrow=True, id_prefix="voice-narrow")
        ),
        caption=text.description,
    )
