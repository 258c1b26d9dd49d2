"""A campaign's feedback alert settings: the thresholds, and the secret token that is the
private alert feed's URL."""

import secrets

from sqlalchemy import select
from sqlmodel import Session

from tracker.errors import InvalidInput, NotFound
from tracker.models import Campaign, FeedbackSettings, utcnow


def feedback_settings(session: Session, campaign: Campaign) -> FeedbackSettings:
    """Return the campaign's alert settings, creating the defaults on first use."""
    settings = session.get(FeedbackSettings, campaign.id)
    if settings is None:
        settings = FeedbackSettings(campaign_id=campaign.id, alert_token=_new_token())
        session.add(settings)
        session.flush()
    return settings


def peek_settings(session: Session, campaign: Campaign) -> FeedbackSettings:
    """Return the stored settings or unsaved defaults, without writing (for GET pages)."""
    return session.get(FeedbackSettings, campaign.id) or FeedbackSettings(
        campaign_id=campaign.id, alert_token=""
    )


def update_settings(
    session: Session,
    campaign: Campaign,
    *,
    negative_share: float,
    share_min_volume: int,
    spike_min_count: int,
) -> FeedbackSettings:
    """Change the alert thresholds: a share in (0, 1], minimum counts of at least 1."""
    errors = {}
    if not 0 < negative_share <= 1:
        errors["negative_share"] = "Give a share above 0 and at most 1 (e.g. 0.6 for 60%)."
    if not 1 <= share_min_volume <= 100_000:
        errors["share_min_volume"] = "Give a count from 1 to 100000."
    if not 1 <= spike_min_count <= 100_000:
        errors["spike_min_count"] = "Give a count from 1 to 100000."
    if errors:
        raise InvalidInput(errors)
    settings = feedback_settings(session, campaign)
    settings.negative_share = negative_share
    settings.share_min_volume = share_min_volume
    settings.spike_min_count = spike_min_count
    session.add(settings)
    session.flush()
    return settings


def regenerate_token(session: Session, campaign: Campaign) -> FeedbackSettings:
    """Give the private alert feed a new secret URL; the old one answers 404 from now on."""
    settings = feedback_settings(session, campaign)
    settings.alert_token, settings.token_created_at = _new_token(), utcnow()
    session.add(settings)
    session.flush()
    return settings


def settings_for_token(
    session: Session, slug: str, token: str
) -> tuple[Campaign, FeedbackSettings]:
    """Return the campaign and settings whose alert token this is; NotFound otherwise."""
    found = session.execute(
        select(Campaign, FeedbackSettings)
        .join(FeedbackSettings, FeedbackSettings.campaign_id == Campaign.id)
        .where(Campaign.slug == slug)
    ).first()
    # Compared as bytes: compare_digest refuses str with non-ASCII characters ("/é.atom").
    expected = (found[1].alert_token or "").encode() if found else b""
    if not expected or not token or not secrets.compare_digest(expected, token.encode()):
        raise NotFound("alert feed")
    return found[0], found[1]


def _new_token() -> str:
    return secrets.token_urlsafe(32)
