"""The rewards block of the public page: the founder's tiers, or the backer report's counts.

Only counts per tier name leave the ledger (FundingSummary.by_tier): no backer data.
"""

from dataclasses import dataclass

from tracker.models import RewardTier
from tracker.pledges.funding import Share


@dataclass(frozen=True)
class PublicReward:
    title: str
    price_minor: int | None  # None: only known from the report, which holds no price
    backers: int
    limit: int | None

    @property
    def left(self) -> int | None:
        """Return how many are left of a limited reward (never below 0), None if unlimited."""
        return None if self.limit is None else max(0, self.limit - self.backers)

    @property
    def sold_out(self) -> bool:
        return self.left == 0


def public_rewards(tiers: list[RewardTier], by_tier: list[Share]) -> list[PublicReward]:
    """Return the founder's tiers, backers counted from the report where not entered; without
    tiers, the report's own tiers by their pledges."""
    counted = {share.name.casefold(): share.pledges for share in by_tier if share.name}
    if tiers:
        return [
            PublicReward(
                title=tier.title,
                price_minor=tier.price_minor,
                backers=tier.backers
                if tier.backers is not None
                else counted.get(tier.title.casefold(), 0),
                limit=tier.limit,
            )
            for tier in tiers
        ]
    return [PublicReward(s.name, None, s.pledges, None) for s in by_tier if s.name]
