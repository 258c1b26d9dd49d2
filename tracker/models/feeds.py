"""Social feeds: a campaign's channels, their entries, engagement over time, follower
counts and the links between a founder's updates and milestones."""

from datetime import datetime

from sqlalchemy import BigInteger, Index, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from tracker.models.types import UTCDateTime, utcnow

CHANNEL_ROLES = ("updates", "feedback")
PENDING_ORIGIN = "pending"  # the origin of a channel whose feed the worker is looking for
DEFAULT_POLL_INTERVAL = 3600  # seconds; server hints and backoff only push it later


class Channel(SQLModel, table=True):
    """One feed (or one hand-kept profile) of a campaign, and the state of its polling."""

    __tablename__ = "channels"
    __table_args__ = (
        UniqueConstraint("campaign_id", "feed_url", name="uq_channels_campaign_feed"),
        # The poller's one query: active, polled channels whose next poll is due.
        Index("ix_channels_due", "state", "polled", "next_poll_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    campaign_id: int = Field(foreign_key="campaigns.id", index=True, ondelete="CASCADE")
    role: str = Field(max_length=10)  # CHANNEL_ROLES
    # What the pasted URL turned out to be (discovery's label): mastodon-profile, youtube,
    # opml, x, pending ... for people; `kind` says which connector polls the channel.
    origin: str = Field(max_length=30)
    kind: str = Field(
        default="feed", max_length=20, sa_column_kwargs={"server_default": "feed"}
    )  # tracker.connectors.kinds.KINDS
    feed_url: str | None = Field(default=None, sa_type=Text)  # None: posts are added by hand
    source_url: str = Field(default="", sa_type=Text)  # what the founder pasted
    title: str = Field(default="", max_length=200)
    state: str = Field(default="active", max_length=10)  # active or paused
    # False for hand-kept channels and the demo's file-backed feeds: never fetched.
    polled: bool = True
    poll_interval: int = DEFAULT_POLL_INTERVAL  # seconds
    etag: str | None = Field(default=None, sa_type=Text)
    last_modified: str | None = Field(default=None, max_length=100)
    next_poll_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    last_polled_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    last_success_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    consecutive_errors: int = 0
    last_error: str | None = Field(default=None, sa_type=Text)
    last_error_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    last_warning: str | None = Field(default=None, sa_type=Text)  # a malformed feed's complaint
    # What a connector remembers between polls, as its own JSON (tracker/connectors/): the
    # social ones keep each recent post's replies count when its thread was last read, so
    # that a poll, which reads no database while it fetches, reads only changed threads.
    connector_memo: str | None = Field(default=None, sa_type=Text)
    paused_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    # The last job the dashboard queued for this channel (tracker/feeds/channel_jobs.py):
    # poll or discover; queued, running, done or failed; since when and, when it failed,
    # why. job_id tells a job whether it is still the one asked for.
    job: str | None = Field(default=None, max_length=10)
    job_state: str | None = Field(default=None, max_length=10)
    job_id: str | None = Field(default=None, max_length=36)
    job_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    job_error: str | None = Field(default=None, sa_type=Text)
    # The worker process running it (tracker/jobs/liveness.py): host:pid:start.
    job_worker: str | None = Field(default=None, max_length=300)


class Entry(SQLModel, table=True):
    """One post of a channel, sanitised; unique per (channel, key) even under races."""

    __tablename__ = "entries"
    __table_args__ = (
        UniqueConstraint("channel_id", "key", name="uq_entries_channel_key"),
        Index("ix_entries_campaign_published", "campaign_id", "published_at"),
        Index("ix_entries_channel_published", "channel_id", "published_at"),
        # The public pages' freshness stamp: the newest entry a campaign received.
        Index("ix_entries_campaign_first_seen", "campaign_id", "first_seen_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    channel_id: int = Field(foreign_key="channels.id", ondelete="CASCADE")
    # Denormalised from the channel: timelines are per campaign.
    campaign_id: int = Field(foreign_key="campaigns.id", ondelete="CASCADE")
    key: str = Field(max_length=600)  # guid:..., link:..., hash:... or manual:...
    title: str = Field(default="", sa_type=Text)
    link: str | None = Field(default=None, sa_type=Text)
    author: str | None = Field(default=None, sa_type=Text)
    content_html: str = Field(default="", sa_type=Text)  # sanitised with nh3 before storing
    summary_text: str = Field(default="", sa_type=Text)
    tags: str = Field(default="", sa_type=Text)  # space-separated, lowercase, without '#'
    published_at: datetime = Field(sa_type=UTCDateTime)
    published_guessed: bool = False  # missing or future date: first-seen time instead
    first_seen_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    source: str = Field(default="feed", max_length=10)  # feed or manual
    # A reply under one of the channel's own posts (Mastodon, Bluesky): that post. Replies
    # are follower feedback, never updates, whatever the channel's role.
    parent_id: int | None = Field(
        default=None, foreign_key="entries.id", index=True, ondelete="CASCADE"
    )
    # What the platform shows of a reply's author: the public handle (the display name is
    # `author`) and, where the API gives it, the follower count when the reply was first seen.
    author_handle: str | None = Field(default=None, max_length=300)
    author_followers: int | None = Field(default=None, sa_type=BigInteger)


class EngagementObservation(SQLModel, table=True):
    """A metric of an entry (views, ratings, points, comments) when it was seen to change."""

    __tablename__ = "engagement_observations"
    __table_args__ = (
        Index("ix_engagement_entry_metric_observed", "entry_id", "metric", "observed_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    entry_id: int = Field(foreign_key="entries.id", ondelete="CASCADE")
    observed_at: datetime = Field(sa_type=UTCDateTime)
    metric: str = Field(max_length=20)
    value: int = Field(sa_type=BigInteger)


class ChannelCount(SQLModel, table=True):
    """A count of a channel's own (a repository's stars, forks, watchers) when it changed."""

    __tablename__ = "channel_counts"
    __table_args__ = (
        Index("ix_channel_counts_channel_metric_observed", "channel_id", "metric", "observed_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    channel_id: int = Field(foreign_key="channels.id", ondelete="CASCADE")
    observed_at: datetime = Field(sa_type=UTCDateTime)
    metric: str = Field(max_length=20)
    value: int = Field(sa_type=BigInteger)


class FollowerSnapshot(SQLModel, table=True):
    """A follower count a founder read off a profile: no feed carries it."""

    __tablename__ = "follower_snapshots"
    __table_args__ = (Index("ix_follower_snapshots_channel_taken", "channel_id", "taken_at"),)

    id: int | None = Field(default=None, primary_key=True)
    channel_id: int = Field(foreign_key="channels.id", ondelete="CASCADE")
    taken_at: datetime = Field(sa_type=UTCDateTime)
    count: int = Field(sa_type=BigInteger)
    source: str = Field(max_length=20)  # form, cli, csv, demo
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class EntryMilestone(SQLModel, table=True):
    """An update that tells part of a milestone's story.

    A founder's unlink keeps the row with `unlinked_at` set, so that automatic linking,
    which only ever inserts missing rows, never brings the link back.
    """

    __tablename__ = "entry_milestones"

    entry_id: int = Field(foreign_key="entries.id", primary_key=True, ondelete="CASCADE")
    milestone_id: int = Field(
        foreign_key="milestones.id", primary_key=True, index=True, ondelete="CASCADE"
    )
    how: str = Field(max_length=10)  # tag, title or manual
    linked_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    unlinked_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
