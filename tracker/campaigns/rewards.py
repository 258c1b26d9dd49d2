"""A campaign's public reward tiers as the founder enters them: title, price, limit, backers."""

from sqlalchemy import func, select
from sqlmodel import Session

from tracker.errors import InvalidInput, NotFound
from tracker.models import Campaign, RewardTier
from tracker.money import parse_major_amount
from tracker.text import strip_forbidden_chars
from tracker.validation import parse_int

MAX_TIERS = 50
TITLE_MAX = 200
PRICE_MAX_MINOR = 10**12  # far above any reward, well inside BIGINT


def reward_tiers(session: Session, campaign: Campaign) -> list[RewardTier]:
    """Return the campaign's tiers in the founder's order, cheapest first among equals."""
    return list(
        session.execute(
            select(RewardTier)
            .where(RewardTier.campaign_id == campaign.id)
            .order_by(RewardTier.position, RewardTier.price_minor, RewardTier.id)
        ).scalars()
    )


def export_reward_tiers(session: Session, campaign: Campaign) -> list[dict]:
    """Return the tiers for the export, in the founder's order."""
    return [
        {
            "title": tier.title,
            "price_minor": tier.price_minor,
            "limit": tier.limit,
            "backers": tier.backers,
            "position": tier.position,
            "created_at": tier.created_at.isoformat(),
        }
        for tier in reward_tiers(session, campaign)
    ]


def add_reward_tier(
    session: Session,
    campaign: Campaign,
    *,
    title: str,
    price: str,
    limit: str = "",
    backers: str = "",
) -> RewardTier:
    """Add a tier; an empty limit is unlimited, empty backers are counted from the report."""
    errors: dict[str, str] = {}
    title = " ".join((strip_forbidden_chars(title) or "").split())
    if not title:
        errors["title"] = "Give the reward a title."
    elif len(title) > TITLE_MAX:
        errors["title"] = f"Use at most {TITLE_MAX} characters."
    price_minor = _price(price, campaign.currency, errors)
    counts = {}
    for field, text, minimum in (("limit", limit, 1), ("backers", backers, 0)):
        try:
            counts[field] = parse_int(text, field=field, minimum=minimum) if text.strip() else None
        except InvalidInput as error:
            errors.update(error.errors)
    count = session.execute(
        select(func.count()).where(RewardTier.campaign_id == campaign.id)
    ).scalar_one()
    if count >= MAX_TIERS:
        errors["title"] = f"A campaign shows at most {MAX_TIERS} rewards."
    if errors:
        raise InvalidInput(errors)
    tier = RewardTier(
        campaign_id=campaign.id,
        title=title,
        price_minor=price_minor,
        limit=counts["limit"],
        backers=counts["backers"],
        position=count,
    )
    session.add(tier)
    session.flush()
    return tier


def remove_reward_tier(session: Session, campaign: Campaign, tier_id: int) -> None:
    """Delete one of the campaign's tiers; NotFound for any other."""
    tier = session.get(RewardTier, tier_id)
    if tier is None or tier.campaign_id != campaign.id:
        raise NotFound(f"reward tier {tier_id}")
    session.delete(tier)
    session.flush()


def _price(text: str, currency: str, errors: dict[str, str]) -> int:
    try:
        minor = parse_major_amount(text or "", currency)
    except ValueError as error:
        errors["price"] = str(error) if (text or "").strip() else "Give the reward's price."
        return 0
    if minor < 0:
        errors["price"] = "must be at least 0"
    elif minor > PRICE_MAX_MINOR:
        errors["price"] = "is too large"
    return minor
