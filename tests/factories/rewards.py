"""Reward tiers for tests: three of a EUR campaign, in the founder's order."""

from tracker.campaigns.rewards import add_reward_tier

TIERS = [
    {"title": "Early bird kit", "price": "89", "limit": "3"},
    {"title": "Assembled deck", "price": "149"},
    {"title": "Signed case", "price": "250", "backers": "4"},
]


def make_tiers(session, campaign) -> list[int]:
    """Add the three TIERS to the campaign and return their ids, in order."""
    ids = [add_reward_tier(session, campaign, **tier).id for tier in TIERS]
    session.commit()
    return ids
