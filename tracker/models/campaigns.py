"""Campaigns, their team and their milestones with a history of every slip."""

from datetime import date, datetime

from sqlalchemy import BigInteger, Text, UniqueConstraint, false, true
from sqlmodel import Field, SQLModel

from tracker.models.types import UTCDateTime, utcnow

PLATFORMS = ("kickstarter", "indiegogo", "opencollective", "other")
MILESTONE_STATUSES = ("planned", "in_progress", "done", "delayed", "dropped")


class Campaign(SQLModel, table=True):
    __tablename__ = "campaigns"

    id: int | None = Field(default=None, primary_key=True)
    slug: str = Field(max_length=60, unique=True)
    title: str = Field(max_length=120)
    tagline: str = Field(default="", max_length=200)
    description_md: str = Field(default="", sa_type=Text)
    goal_minor: int = Field(sa_type=BigInteger)
    currency: str = Field(max_length=3)
    starts_on: date
    ends_on: date
    platform: str = Field(default="other", max_length=20)
    language: str = Field(default="en", max_length=5)
    is_public: bool = False
    # How often backers should hear from the team; the dashboard warns past it.
    cadence_days: int = Field(default=14, sa_column_kwargs={"server_default": "14"})
    # IANA name (tracker.time_zones); dates and times on the campaign's pages are shown in it.
    timezone: str = Field(default="UTC", max_length=64, sa_column_kwargs={"server_default": "UTC"})
    # "Back this project": the pledge page on the platform, and where it points once the
    # campaign has ended (a late-pledge or pre-order page); "" when the founder gave none.
    platform_url: str = Field(default="", max_length=500, sa_column_kwargs={"server_default": ""})
    late_pledge_url: str = Field(
        default="", max_length=500, sa_column_kwargs={"server_default": ""}
    )
    # The hero image: the content hash its resized files are named by (tracker/media/), and
    # the size of the largest one; None when the campaign has no image.
    image_key: str | None = Field(default=None, max_length=64)
    image_width: int | None = None
    image_height: int | None = None
    # What the image shows, for people who cannot see it; "" leaves it decorative.
    image_alt: str = Field(default="", max_length=250, sa_column_kwargs={"server_default": ""})
    # A YouTube or PeerTube link; the player is embedded only when the founder opts in.
    video_url: str = Field(default="", max_length=500, sa_column_kwargs={"server_default": ""})
    video_embed: bool = Field(default=False, sa_column_kwargs={"server_default": false()})
    # Sections the founder may hide from the public page as a whole.
    public_feedback: bool = Field(default=True, sa_column_kwargs={"server_default": true()})
    public_rewards: bool = Field(default=True, sa_column_kwargs={"server_default": true()})
    # The report e-mail carries the published PDF (not only its link): off, mail stays small.
    attach_report_pdf: bool = Field(default=False, sa_column_kwargs={"server_default": false()})
    owner_id: int = Field(foreign_key="users.id", index=True)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class CampaignMember(SQLModel, table=True):
    __tablename__ = "campaign_members"

    campaign_id: int = Field(foreign_key="campaigns.id", primary_key=True, ondelete="CASCADE")
    user_id: int = Field(foreign_key="users.id", primary_key=True, index=True)
    role: str = Field(default="editor", max_length=10)  # owner or editor
    added_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    # What this member chose to get by e-mail about the campaign (tracker/jobs/team_mail.py):
    # the storm-of-criticism alert, the weekly summary. Off until they opt in.
    mail_alerts: bool = Field(default=False, sa_column_kwargs={"server_default": false()})
    mail_summary: bool = Field(default=False, sa_column_kwargs={"server_default": false()})


class CampaignInvitation(SQLModel, table=True):
    """An owner's invitation to join the team as an editor, until the invitee answers."""

    __tablename__ = "campaign_invitations"
    __table_args__ = (
        UniqueConstraint("campaign_id", "user_id", name="uq_campaign_invitations_campaign_user"),
    )

    id: int | None = Field(default=None, primary_key=True)
    campaign_id: int = Field(foreign_key="campaigns.id", ondelete="CASCADE")
    user_id: int = Field(foreign_key="users.id", index=True)
    invited_by: int = Field(foreign_key="users.id")
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class Milestone(SQLModel, table=True):
    __tablename__ = "milestones"
    __table_args__ = (UniqueConstraint("campaign_id", "tag", name="uq_milestones_campaign_tag"),)

    id: int | None = Field(default=None, primary_key=True)
    campaign_id: int = Field(foreign_key="campaigns.id", index=True, ondelete="CASCADE")
    title: str = Field(max_length=160)
    description_md: str = Field(default="", sa_type=Text)
    due_on: date
    status: str = Field(default="planned", max_length=20)
    progress: int | None = None
    completed_on: date | None = None
    is_public: bool = True
    threshold_minor: int | None = Field(default=None, sa_type=BigInteger)
    tag: str | None = Field(default=None, max_length=40)
    position: int = 0
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class MilestoneChange(SQLModel, table=True):
    """One change of a milestone's status or planned date: who, when, from, to."""

    __tablename__ = "milestone_changes"

    id: int | None = Field(default=None, primary_key=True)
    milestone_id: int = Field(foreign_key="milestones.id", index=True, ondelete="CASCADE")
    field: str = Field(max_length=20)  # "status" or "due_on"
    old_value: str | None = Field(default=None, max_length=40)
    new_value: str = Field(max_length=40)
    actor_id: int | None = Field(default=None, foreign_key="users.id")
    actor_label: str = Field(default="", max_length=254)  # e.g. "cli" when no user acted
    changed_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, index=True)
    # Why a planned date moved, in the team's words: public, plain text, may be empty.
    reason: str = Field(default="", max_length=160, sa_column_kwargs={"server_default": ""})


class VideoThumbnail(SQLModel, table=True):
    """The picture of a campaign's video, fetched by the worker into the media folder."""

    __tablename__ = "video_thumbnails"

    campaign_id: int = Field(foreign_key="campaigns.id", primary_key=True, ondelete="CASCADE")
    # The link it was fetched for: a job for a link the founder has since replaced stores nothing.
    video_url: str = Field(max_length=500)
    state: str = Field(default="waiting", max_length=10)  # waiting, fetched or failed
    error: str = Field(default="", max_length=300)  # why it failed, in one line
    # Like the hero image (tracker/media/): the content hash of its files, the largest size.
    image_key: str | None = Field(default=None, max_length=64, index=True)
    image_width: int | None = None
    image_height: int | None = None
    requested_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    finished_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
