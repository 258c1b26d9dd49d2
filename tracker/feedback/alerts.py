"""Spike alerts ("shitstorm" warnings) on a campaign's negative feedback.

Two rules, either one raises the alert:

- spike: the negative comments of the last 24 h exceed the mean plus 3 standard
  deviations of the negative counts of the 14 days before (24 h windows counted back from
  now), and are at least `spike_min_count`, so that 0 -> 2 is no storm. The standard
  deviation counts as at least the square root of the mean, the noise of a count with
  that mean: a perfectly steady 5 a day would otherwise make 6 a spike;
- share: of at least `share_min_volume` comments in the last 24 h, more than the
  founder's `negative_share` are negative.

`assess_feedback` is the pure rule on counts; `alert_counts` builds the counts with one
SQL aggregate query; `current_alert` puts both together for a campaign.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import and_, case, func, select
from sqlmodel import Session

from tracker.models import Campaign, Channel, Entry, Feedback, FeedbackSettings

HISTORY_DAYS = 14
SIGMAS = 3.0
WINDOW = timedelta(hours=24)
MAX_ALERT_ENTRIES = 200


@dataclass(frozen=True)
class AlertCounts:
    """Negative comments per 24 h window, and all comments of the last 24 h."""

    history: tuple[int, ...]  # negatives in the HISTORY_DAYS windows before, oldest first
    negative: int  # negatives in the last 24 h
    total: int  # all comments in the last 24 h


@dataclass(frozen=True)
class AlertRules:
    """The thresholds a founder sets (tracker.models.FeedbackSettings)."""

    negative_share: float = 0.6
    share_min_volume: int = 10
    spike_min_count: int = 5


@dataclass(frozen=True)
class Assessment:
    """What the rules say about the counts, with the figures behind it."""

    counts: AlertCounts
    rules: AlertRules
    mean: float
    stdev: float
    spike: bool
    share_exceeded: bool

    @property
    def active(self) -> bool:
        return self.spike or self.share_exceeded

    @property
    def spread(self) -> float:
        """The standard deviation, at least the square root of the mean (count noise)."""
        return max(self.stdev, math.sqrt(self.mean))

    @property
    def spike_threshold(self) -> float:
        """The mean plus 3 standard deviations: more negatives than this is a spike."""
        return self.mean + SIGMAS * self.spread

    @property
    def share(self) -> float | None:
        """The negative share of the last 24 h, None without comments."""
        return self.counts.negative / self.counts.total if self.counts.total else None

    @property
    def kinds(self) -> tuple[str, ...]:
        """The rules that fired: "spike", "share" or both."""
        return tuple(k for k, on in (("spike", self.spike), ("share", self.share_exceeded)) if on)

    def describe(self) -> str:
        """Say in one English line what fired (for the CLI and logs)."""
        parts = []
        if self.spike:
            parts.append(
                f"{self.counts.negative} negative comments in 24 h, above "
                f"{self.spike_threshold:.1f} (mean {self.mean:.1f} + 3 x sd {self.spread:.1f} "
                f"of the previous {len(self.counts.history)} days)"
            )
        if self.share_exceeded:
            parts.append(
                f"{self.share:.0%} of {self.counts.total} comments in 24 h are negative "
                f"(threshold {self.rules.negative_share:.0%})"
            )
        if not parts:
            return f"calm: {self.counts.negative} negative of {self.counts.total} in 24 h"
        return "; ".join(parts)


def assess_feedback(counts: AlertCounts, rules: AlertRules) -> Assessment:
    """Apply the spike rule and the share rule to the counts."""
    history = counts.history or (0,)
    mean = sum(history) / len(history)
    stdev = math.sqrt(sum((n - mean) ** 2 for n in history) / len(history))
    spread = max(stdev, math.sqrt(mean))
    spike = counts.negative >= rules.spike_min_count and counts.negative > mean + SIGMAS * spread
    share_exceeded = (
        counts.total >= rules.share_min_volume
        and counts.total > 0
        and counts.negative / counts.total > rules.negative_share
    )
    return Assessment(counts, rules, mean, stdev, spike, share_exceeded)


def alert_counts(session: Session, campaign: Campaign, *, now: datetime) -> AlertCounts:
    """Count negative comments per 24 h window back from now, and all of the last 24 h."""
    negative = Feedback.label == "negative"

    def window(k: int):
        # k = 0 is the last 24 h (open-ended: a feed's clock may run a little ahead).
        start = Feedback.published_at >= now - (k + 1) * WINDOW
        return start if k == 0 else and_(start, Feedback.published_at < now - k * WINDOW)

    def count(condition):
        return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)

    # All HISTORY_DAYS + 1 windows as conditional sums of one indexed scan.
    columns = [count(and_(negative, window(k))) for k in range(HISTORY_DAYS + 1)]
    columns.append(count(window(0)))
    row = session.execute(
        select(*columns).where(
            Feedback.campaign_id == campaign.id,
            Feedback.published_at >= now - (HISTORY_DAYS + 1) * WINDOW,
        )
    ).one()
    values = [int(value) for value in row]
    return AlertCounts(
        history=tuple(reversed(values[1 : HISTORY_DAYS + 1])),
        negative=values[0],
        total=values[-1],
    )


def rules_of(settings: FeedbackSettings) -> AlertRules:
    """Return the alert rules of stored (or default) settings."""
    return AlertRules(
        negative_share=settings.negative_share,
        share_min_volume=settings.share_min_volume,
        spike_min_count=settings.spike_min_count,
    )


def current_alert(
    session: Session, campaign: Campaign, settings: FeedbackSettings, *, now: datetime
) -> Assessment:
    """Assess the campaign's feedback of the last 24 h against its settings."""
    return assess_feedback(alert_counts(session, campaign, now=now), rules_of(settings))


@dataclass(frozen=True)
class AlertEntry:
    """A negative comment behind an alert, as the author published it."""

    entry_id: int
    published_at: datetime
    author: str | None
    title: str
    text: str
    link: str | None
    channel: str
    category: str
    sentiment: float


def alert_entries(session: Session, campaign: Campaign, *, now: datetime) -> list[AlertEntry]:
    """Return the negative comments of the last 24 h, newest first."""
    rows = session.execute(
        select(Feedback, Entry, Channel.title, Channel.source_url)
        .join(Entry, Entry.id == Feedback.entry_id)
        .join(Channel, Channel.id == Feedback.channel_id)
        .where(
            Feedback.campaign_id == campaign.id,
            Feedback.label == "negative",
            Feedback.published_at >= now - WINDOW,
        )
        .order_by(Feedback.published_at.desc(), Feedback.entry_id.desc())
        .limit(MAX_ALERT_ENTRIES)
    ).all()
    return [
        AlertEntry(
            entry_id=entry.id,
            published_at=entry.published_at,
            author=entry.author,
            title=entry.title,
            text=entry.summary_text,
            link=entry.link,
            channel=title or source_url,
            category=feedback.category,
            sentiment=feedback.sentiment,
        )
        for feedback, entry, title, source_url in rows
    ]
