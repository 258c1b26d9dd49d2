"""SQLModel tables, one module per area; importing this registers them all."""

from tracker.models.accounts import LoginAttempt, User
from tracker.models.campaigns import (
    MILESTONE_STATUSES,
    PLATFORMS,
    Campaign,
    CampaignMember,
    Milestone,
    MilestoneChange,
)
from tracker.models.types import UTCDateTime, utcnow

__all__ = [
    "MILESTONE_STATUSES",
    "PLATFORMS",
    "Campaign",
    "CampaignMember",
    "LoginAttempt",
    "Milestone",
    "MilestoneChange",
    "UTCDateTime",
    "User",
    "utcnow",
]
