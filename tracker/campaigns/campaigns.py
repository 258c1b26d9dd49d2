"""Campaigns and their team: create, edit, look up with access rules."""

import re
from dataclasses import dataclass
from datetime import date

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from tracker.campaigns.currency import currency_change_refusal, rescale_thresholds
from tracker.campaigns.video import parse_video
from tracker.errors import InvalidInput, NotFound
from tracker.models import PLATFORMS, Campaign, CampaignMember, User, utcnow
from tracker.money import is_currency
from tracker.time_zones import DEFAULT_TIME_ZONE, canonical_time_zone
from tracker.validation import check_day, parse_web_address

SLUG_RE = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,58}[a-z0-9])?$")
LANGUAGES = ("en", "de")
MAX_GOAL_MINOR = 10**15
LINK_FIELDS = ("platform_url", "late_pledge_url", "video_url")


@dataclass(frozen=True)
class CampaignInput:
    """Plain values of a campaign, as a form or the CLI gives them."""

    slug: str
    title: str
    goal_minor: int
    currency: str
    starts_on: date
    ends_on: date
    tagline: str = ""
    description_md: str = ""
    platform: str = "other"
    language: str = "en"
    is_public: bool = False
    cadence_days: int = 14
    timezone: str = DEFAULT_TIME_ZONE
    platform_url: str = ""
    late_pledge_url: str = ""
    video_url: str = ""
    video_embed: bool = False
    public_feedback: bool = True
    public_rewards: bool = True
    attach_report_pdf: bool = False
    image_alt: str = ""


def validate_campaign(session: Session, data: CampaignInput, *, existing: Campaign | None = None):
    """Raise InvalidInput with a reason per field when data is not a valid campaign."""
    errors: dict[str, str] = {}
    if not SLUG_RE.match(data.slug or ""):
        errors["slug"] = "Use 1-60 lowercase letters, digits and dashes (not at either end)."
    elif (existing is None or existing.slug != data.slug) and find_campaign(session, data.slug):
        errors["slug"] = f"The address '{data.slug}' is taken."
    _check_text(errors, "title", data.title, 120, required=True)
    _check_text(errors, "tagline", data.tagline, 200)
    _check_text(errors, "description_md", data.description_md, 20000)
    _check_text(errors, "image_alt", data.image_alt, 250)
    if data.goal_minor is None or data.goal_minor <= 0:
        errors["goal"] = "The goal must be more than zero."
    elif data.goal_minor > MAX_GOAL_MINOR:
        errors["goal"] = "The goal is too large."
    if not is_currency(data.currency or ""):
        errors["currency"] = f"'{data.currency}' is not an ISO 4217 currency code."
    elif existing is not None and (
        refusal := currency_change_refusal(session, existing, data.currency)
    ):
        errors["currency"] = refusal
    for field in ("starts_on", "ends_on"):
        if getattr(data, field) is None:
            errors[field] = "This field is required."
            continue
        try:
            check_day(getattr(data, field), field=field)
        except InvalidInput as error:
            errors.update(error.errors)
    if not errors.keys() & {"starts_on", "ends_on"} and data.ends_on < data.starts_on:
        errors["ends_on"] = "The end date is before the start date."
    if data.platform not in PLATFORMS:
        errors["platform"] = f"Choose one of: {', '.join(PLATFORMS)}."
    if data.cadence_days is None or not 1 <= data.cadence_days <= 365:
        errors["cadence_days"] = "Give the update cadence in days, from 1 to 365."
    if data.language not in LANGUAGES:
        errors["language"] = f"Choose one of: {', '.join(LANGUAGES)}."
    if canonical_time_zone(data.timezone) is None:
        errors["timezone"] = (
            f"'{(data.timezone or '')[:64]}' is not a time zone: use an IANA name "
            "such as Europe/Berlin or America/Toronto, or UTC."
        )
    for field in ("platform_url", "late_pledge_url"):
        _check_link(errors, field, parse_web_address, getattr(data, field))
    _check_link(errors, "video_url", parse_video, data.video_url)
    if errors:
        raise InvalidInput(errors)


def _check_link(errors, field, parse, value):
    try:
        parse(value, field=field)
    except InvalidInput as error:
        errors.update(error.errors)


def _check_text(errors, field, value, max_length, *, required=False):
    if required and not (value or "").strip():
        errors[field] = "This field is required."
    elif len(value or "") > max_length:
        errors[field] = f"Use at most {max_length} characters."


def create_campaign(session: Session, *, owner: User, data: CampaignInput) -> Campaign:
    """Create a campaign owned by owner."""
    data = _normalized(data)
    validate_campaign(session, data)
    campaign = Campaign(owner_id=owner.id, **vars(data))
    session.add(campaign)
    _flush_or_refuse(session, data)
    session.add(CampaignMember(campaign_id=campaign.id, user_id=owner.id, role="owner"))
    session.flush()
    return campaign


def update_campaign(session: Session, campaign: Campaign, data: CampaignInput) -> Campaign:
    """Change a campaign's fields."""
    data = _normalized(data)
    validate_campaign(session, data, existing=campaign)
    rescale_thresholds(session, campaign, campaign.currency, data.currency)
    for name, value in vars(data).items():
        setattr(campaign, name, value)
    campaign.updated_at = utcnow()
    session.add(campaign)
    _flush_or_refuse(session, data, existing=campaign)
    return campaign


def _flush_or_refuse(session: Session, data: CampaignInput, *, existing=None) -> None:
    try:
        session.flush()
    except IntegrityError:
        # A parallel request took the slug after our check. The failed flush has ended the
        # transaction: roll it back and let the check raise the refusal it would have raised.
        session.rollback()
        validate_campaign(session, data, existing=existing)
        raise


def _normalized(data: CampaignInput) -> CampaignInput:
    return CampaignInput(
        **{
            **vars(data),
            "slug": (data.slug or "").strip().lower(),
            "title": (data.title or "").strip(),
            "tagline": (data.tagline or "").strip(),
            "image_alt": (data.image_alt or "").strip(),
            "currency": (data.currency or "").strip().upper(),
            "timezone": canonical_time_zone(data.timezone) or data.timezone or "",
            **{name: (getattr(data, name) or "").strip() for name in LINK_FIELDS},
        }
    )


def input_of(campaign: Campaign, **changes) -> CampaignInput:
    """Return the campaign's values as an input, with changes applied."""
    values = {name: getattr(campaign, name) for name in CampaignInput.__dataclass_fields__}
    return CampaignInput(**{**values, **changes})


def find_campaign(session: Session, slug: str) -> Campaign | None:
    """Return the campaign with this slug, if any."""
    return session.exec(select(Campaign).where(Campaign.slug == slug)).first()


def is_member(session: Session, campaign: Campaign, user_id: int | None) -> bool:
    """Tell whether the user is on the campaign's team (owner or editor)."""
    if user_id is None:
        return False
    return session.get(CampaignMember, (campaign.id, user_id)) is not None


def get_campaign_for_member(session: Session, slug: str, user_id: int | None) -> Campaign:
    """Return the campaign if the user is on its team; NotFound otherwise."""
    campaign = find_campaign(session, slug)
    if campaign is None or not is_member(session, campaign, user_id):
        raise NotFound(slug)
    return campaign


def get_visible_campaign(session: Session, slug: str, user_id: int | None) -> Campaign:
    """Return a public campaign, or a draft to its own team; NotFound otherwise."""
    campaign = find_campaign(session, slug)
    if campaign is None or not (campaign.is_public or is_member(session, campaign, user_id)):
        raise NotFound(slug)
    return campaign


def campaigns_of(session: Session, user_id: int) -> list[Campaign]:
    """Return the campaigns the user is on the team of, newest first."""
    return list(
        session.exec(
            select(Campaign)
            .join(CampaignMember, CampaignMember.campaign_id == Campaign.id)
            .where(CampaignMember.user_id == user_id)
            .order_by(Campaign.created_at.desc())
        )
    )


def public_campaigns(session: Session) -> list[Campaign]:
    """Return the public campaigns, the ones ending soonest first."""
    return list(session.exec(select(Campaign).where(Campaign.is_public).order_by(Campaign.ends_on)))


def team_of(session: Session, campaign: Campaign) -> list[tuple[User, str]]:
    """Return the campaign's team as (user, role) pairs, owner first."""
    rows = session.exec(
        select(User, CampaignMember.role)
        .join(CampaignMember, CampaignMember.user_id == User.id)
        .where(CampaignMember.campaign_id == campaign.id)
        .order_by(CampaignMember.role.desc(), User.email)
    )
    return list(rows)
