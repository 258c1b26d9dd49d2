"""Follower feedback: the score of each comment of a feedback channel, the founder's reply
queue and note, and a campaign's alert settings.

Scores live in a 1:1 table beside `entries` rather than in columns on it: entries of
updates channels are never scored, the feeds area owns `entries`, and rescoring rewrites
these rows without touching what the poller stored. Campaign, channel and publication
time are copied from the entry (entries never change once stored) so that the inbox
filters and the daily aggregates read one indexed table.
"""

from datetime import datetime

from sqlalchemy import Float, Index, Text
from sqlmodel import Field, SQLModel

from tracker.models.types import UTCDateTime, utcnow

FEEDBACK_STATES = ("new", "needs_reply", "answered", "ignored")
SENTIMENT_LABELS = ("positive", "neutral", "negative")
DEFAULT_NEGATIVE_SHARE = 0.6
DEFAULT_SHARE_MIN_VOLUME = 10
DEFAULT_SPIKE_MIN_COUNT = 5


class Feedback(SQLModel, table=True):
    """What scoring says about one entry of a feedback channel, and the founder's triage."""

    __tablename__ = "feedback"
    __table_args__ = (
        Index("ix_feedback_campaign_published", "campaign_id", "published_at"),
        Index("ix_feedback_campaign_rules", "campaign_id", "rules_version"),
        # The public pages' freshness stamp: the latest change of a reply state.
        Index("ix_feedback_campaign_state_changed", "campaign_id", "state_changed_at"),
    )

    entry_id: int = Field(foreign_key="entries.id", primary_key=True, ondelete="CASCADE")
    campaign_id: int = Field(foreign_key="campaigns.id", ondelete="CASCADE")
    channel_id: int = Field(foreign_key="channels.id", index=True, ondelete="CASCADE")
    published_at: datetime = Field(sa_type=UTCDateTime)
    language: str = Field(max_length=5)  # en, de, other
    sentiment: float = Field(sa_type=Float)  # in [-1, 1]
    label: str = Field(max_length=10)  # SENTIMENT_LABELS
    category: str = Field(max_length=12)  # tracker.feedback.rules.CATEGORIES
    reason: str = Field(default="", sa_type=Text)  # "why this label", shown in the inbox
    rules_version: int
    # Found by the milestone's #tag or title in the comment, like the feeds' own linking.
    milestone_id: int | None = Field(
        default=None, foreign_key="milestones.id", index=True, ondelete="SET NULL"
    )
    milestone_how: str | None = Field(default=None, max_length=10)  # tag or title
    state: str = Field(default="new", max_length=12)  # FEEDBACK_STATES
    state_changed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    note: str = Field(default="", sa_type=Text)  # private to the team, never public
    # The team's public answer to an answered question: a link to the reply, its words, or
    # both; the public page and the report show it beside the question.
    answer_url: str | None = Field(default=None, sa_type=Text)
    answer_text: str = Field(default="", sa_type=Text, sa_column_kwargs={"server_default": ""})
    scored_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class FeedbackSettings(SQLModel, table=True):
    """A campaign's alert thresholds and the secret of its private Atom alert feed."""

    __tablename__ = "feedback_settings"

    campaign_id: int = Field(foreign_key="campaigns.id", primary_key=True, ondelete="CASCADE")
    negative_share: float = Field(default=DEFAULT_NEGATIVE_SHARE, sa_type=Float)
    share_min_volume: int = DEFAULT_SHARE_MIN_VOLUME
    spike_min_count: int = DEFAULT_SPIKE_MIN_COUNT
    # Shown to the team as part of the feed URL (like a private calendar URL), so it is
    # stored as is; regenerating it is how a leaked URL is revoked.
    alert_token: str = Field(max_length=64, unique=True)
    token_created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
