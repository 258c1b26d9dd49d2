"""SQLModel tables, one module per area; importing this registers them all."""

from tracker.models.accounts import Actor, LoginAttempt, User
from tracker.models.campaigns import (
    MILESTONE_STATUSES,
    PLATFORMS,
    Campaign,
    CampaignInvitation,
    CampaignMember,
    Milestone,
    MilestoneChange,
    VideoThumbnail,
)
from tracker.models.feedback import (
    FEEDBACK_STATES,
    SENTIMENT_LABELS,
    Feedback,
    FeedbackSettings,
)
from tracker.models.feeds import (
    CHANNEL_ROLES,
    Channel,
    ChannelCount,
    EngagementObservation,
    Entry,
    EntryMilestone,
    FollowerSnapshot,
)
from tracker.models.mail import MailRound, OutboxMessage, SubscribeAttempt, Subscriber
from tracker.models.pledges import (
    ApiToken,
    FundingSnapshot,
    Pledge,
    PledgeAddon,
    PledgeImport,
    PledgeStatusChange,
)
from tracker.models.reports import PublishedReport
from tracker.models.rewards import RewardTier
from tracker.models.types import UTCDateTime, utcnow
from tracker.models.webhooks import WEBHOOK_KINDS, Webhook, WebhookAttempt, WebhookDelivery

__all__ = [
    "CHANNEL_ROLES",
    "FEEDBACK_STATES",
    "MILESTONE_STATUSES",
    "PLATFORMS",
    "SENTIMENT_LABELS",
    "WEBHOOK_KINDS",
    "Actor",
    "ApiToken",
    "Campaign",
    "CampaignInvitation",
    "CampaignMember",
    "Channel",
    "ChannelCount",
    "EngagementObservation",
    "Entry",
    "EntryMilestone",
    "Feedback",
    "FeedbackSettings",
    "FollowerSnapshot",
    "FundingSnapshot",
    "LoginAttempt",
    "MailRound",
    "Milestone",
    "MilestoneChange",
    "OutboxMessage",
    "Pledge",
    "PledgeAddon",
    "PledgeImport",
    "PledgeStatusChange",
    "PublishedReport",
    "RewardTier",
    "SubscribeAttempt",
    "Subscriber",
    "UTCDateTime",
    "User",
    "VideoThumbnail",
    "Webhook",
    "WebhookAttempt",
    "WebhookDelivery",
    "utcnow",
]
