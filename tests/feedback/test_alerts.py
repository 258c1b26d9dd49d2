"""The spike rule on synthetic series, the share rule, and the counts query."""

from datetime import timedelta

import pytest

from tests.factories import make_campaign
from tests.factories.feedback import NOW, comment, make_feedback_channel, post_comments
from tracker.feedback.alerts import (
    AlertCounts,
    AlertRules,
    alert_counts,
    alert_entries,
    assess_feedback,
)

RULES = AlertRules(negative_share=0.6, share_min_volume=10, spike_min_count=5)
ANGRY = "This is a scam, I want my money back. Terrible, dishonest team."
HAPPY = "Love the new trailer, great work!"


def _assess(history, negative, total=None):
    return assess_feedback(AlertCounts(tuple(history), negative, total or 100), RULES)


def test_a_storm_after_calm_days_is_a_spike():
    result = _assess([1, 0, 2, 1, 0, 1, 1, 2, 0, 1, 1, 0, 2, 1], negative=14)
    assert result.spike and result.active and result.kinds == ("spike",)
    assert result.spike_threshold < 14
    assert "14 negative comments in 24 h" in result.describe()


def test_a_quiet_start_is_no_storm_below_the_minimum_count():
    assert not _assess([0] * 14, negative=2).active  # 0 -> 2 is no storm
    assert not _assess([], negative=4).active
    assert _assess([0] * 14, negative=5).spike  # the minimum reached over a silent past


def test_a_slow_rise_is_no_storm():
    rising = [1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7]
    result = _assess(rising, negative=8)
    assert not result.spike, result.describe()
    assert result.mean == pytest.approx(4.0)


def test_the_share_rule_needs_its_own_minimum_volume():
    assert not _assess([5] * 14, negative=7, total=9).share_exceeded  # 78% of 9: too few
    loud = _assess([5] * 14, negative=7, total=10)
    assert loud.share_exceeded and not loud.spike and loud.kinds == ("share",)
    assert not _assess([5] * 14, negative=6, total=10).share_exceeded  # 60% is not above


def test_counts_per_window_come_from_the_database(session):
    campaign = make_campaign(session)
    channel = make_feedback_channel(session, campaign)
    at = [NOW - timedelta(hours=h) for h in (1, 2, 3, 30, 30.5, 24 * 14 + 5)]
    comments = [comment(ANGRY, at=t, author=f"@a{i}") for i, t in enumerate(at)]
    comments += [
        comment(HAPPY, at=NOW - timedelta(hours=4)),
        comment(HAPPY, at=NOW - timedelta(days=20)),
    ]
    post_comments(session, channel, comments)
    counts = alert_counts(session, campaign, now=NOW)
    assert (counts.negative, counts.total) == (3, 4)
    assert len(counts.history) == 14
    assert counts.history[-1] == 2  # 24-48 h ago, the newest history window
    assert counts.history[0] == 1  # 14-15 days ago, the oldest
    entries = alert_entries(session, campaign, now=NOW)
    assert [e.published_at for e in entries] == sorted(at[:3], reverse=True)
