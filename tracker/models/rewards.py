"""The reward tiers a campaign shows backers: what the founder entered, never backer data."""

from datetime import datetime

from sqlalchemy import BigInteger
from sqlmodel import Field, SQLModel

from tracker.models.types import UTCDateTime, utcnow


class RewardTier(SQLModel, table=True):
    """One public reward: its title, price, how many there are and how many are taken."""

    __tablename__ = "reward_tiers"

    id: int | None = Field(default=None, primary_key=True)
    campaign_id: int = Field(foreign_key="campaigns.id", index=True, ondelete="CASCADE")
    title: str = Field(max_length=200)  # matched to the backer report's tier names
    price_minor: int = Field(sa_type=BigInteger)  # in the campaign's currency
    limit: int | None = None  # None: unlimited
    # None: counted from the last backer report's pledges of the tier with this title.
    backers: int | None = None
    position: int = 0
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
