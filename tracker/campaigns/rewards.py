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
    values = _read(campaign, errors, title=title, price=price, limit=limit, backers=backers)
    count = session.execute(
        select(func.count()).where(RewardTier.campaign_id == campaign.id)
    ).scalar_one()
    if count >= MAX_TIERS:
        errors["title"] = f"A campaign shows at most {MAX_TIERS} rewards."
    if errors:
        raise InvalidInput(errors)
    tier = RewardTier(campaign_id=campaign.id, position=count, **values)
    session.add(tier)
    session.flush()
    return tier


def get_reward_tier(session: Session, campaign: Campaign, tier_id: int) -> RewardTier:
    """Return the campaign's tier with this id; NotFound for any other."""
    tier = session.get(RewardTier, tier_id)
    if tier is None or tier.campaign_id != campaign.id:
        raise NotFound(f"reward tier {tier_id}")
    return tier


def update_reward_tier(
    session: Session,
    campaign: Campaign,
    tier_id: int,
    *,
    title: str | None = None,
    price: str | None = None,
    limit: str | None = None,
    backers: str | None = None,
) -> RewardTier:
    """Change the given fields of a tier (None: unchanged), with the checks of add_reward_tier."""
    tier = get_reward_tier(session, campaign, tier_id)
    errors: dict[str, str] = {}
    values = _read(campaign, errors, title=title, price=price, limit=limit, backers=backers)
    if errors:
        raise InvalidInput(errors)
    for field, value in values.items():
        setattr(tier, field, value)
    session.add(tier)
    session.flush()
    return tier


def remove_reward_tier(session: Session, campaign: Campaign, tier_id: int) -> None:
    """Delete one of the campaign's tiers, closing its gap; NotFound for any other."""
    session.delete(get_reward_tier(session, campaign, tier_id))
    session.flush()
    _renumber(session, reward_tiers(session, campaign))


def move_reward_tier(
    session: Session,
    campaign: Campaign,
    tier_id: int,
    *,
    direction: str | None = None,
    to: int | None = None,
) -> tuple[int, int]:
    """Move a tier one place 'up' or 'down', or to place `to` (1 is first); return (place, of)."""
    tier = get_reward_tier(session, campaign, tier_id)
    tiers = reward_tiers(session, campaign)
    index = tiers.index(tier)
    if to is not None:
        if not 1 <= to <= len(tiers):
            raise InvalidInput({"to": f"must be between 1 and {len(tiers)}"})
        target = to - 1
    elif direction in ("up", "down"):
        # At either end there is nowhere to go: it stays (the pages show no such button).
        target = min(max(index + (-1 if direction == "up" else 1), 0), len(tiers) - 1)
    else:
        raise InvalidInput({"direction": "Move 'up' or 'down'."})
    tiers.insert(target, tiers.pop(index))
    _renumber(session, tiers)
    return target + 1, len(tiers)


def _renumber(session: Session, tiers: list[RewardTier]) -> None:
    # Dense positions from 0: a later add (position = count) lands after the last one.
    for position, tier in enumerate(tiers):
        if tier.position != position:
            tier.position = position
            session.add(tier)
    session.flush()


def _read(campaign: Campaign, errors: dict[str, str], **given: str | None) -> dict:
    """Return the stored values of the given fields (None: not given), adding bad ones to errors."""
    values: dict = {}
    if given["title"] is not None:
        title = " ".join((strip_forbidden_chars(given["title"]) or "").split())
        if not title:
            errors["title"] = "Give the reward a title."
        elif len(title) > TITLE_MAX:
            errors["title"] = f"Use at most {TITLE_MAX} characters."
        values["title"] = title
    if given["price"] is not None:
        values["price_minor"] = _price(given["price"], campaign.currency, errors)
    for field, minimum in (("limit", 1), ("backers", 0)):
        text = given[field]
        if text is None:
            continue
        try:
            values[field] = parse_int(text, field=field, minimum=minimum) if text.strip() else None
        except InvalidInput as error:
            errors.update(error.errors)
    return values


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
