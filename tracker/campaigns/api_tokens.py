"""Per-campaign API tokens for scripts: shown once, stored as a hash, revocable."""

import hashlib
import secrets

from sqlmodel import Session, select

from tracker.errors import InvalidInput, NotFound
from tracker.models import ApiToken, Campaign, utcnow

PREFIX = "trk_"


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_token(session: Session, campaign: Campaign, *, name: str) -> tuple[ApiToken, str]:
    """Create a token and return it with its secret, which is never stored."""
    name = (name or "").strip()
    if not name or len(name) > 80:
        raise InvalidInput({"name": "Give the token a name of 1 to 80 characters."})
    secret = PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        campaign_id=campaign.id, name=name, prefix=secret[:12], token_hash=_hash(secret)
    )
    session.add(token)
    session.flush()
    return token, secret


def tokens_of(session: Session, campaign: Campaign) -> list[ApiToken]:
    """Return the campaign's tokens, newest first."""
    return list(
        session.exec(
            select(ApiToken)
            .where(ApiToken.campaign_id == campaign.id)
            .order_by(ApiToken.created_at.desc(), ApiToken.id.desc())
        )
    )


def revoke_token(session: Session, campaign: Campaign, token_id: int) -> ApiToken:
    """Revoke one of the campaign's tokens."""
    token = session.get(ApiToken, token_id)
    if token is None or token.campaign_id != campaign.id:
        raise NotFound(token_id)
    token.revoked_at = token.revoked_at or utcnow()
    session.add(token)
    session.flush()
    return token


def is_valid_token(session: Session, campaign: Campaign, secret: str | None) -> bool:
    """Tell whether secret is a live token of this campaign, noting its use."""
    if not secret or not secret.startswith(PREFIX):
        return False
    token = session.exec(select(ApiToken).where(ApiToken.token_hash == _hash(secret))).first()
    if token is None or token.campaign_id != campaign.id or token.revoked_at is not None:
        return False
    token.last_used_at = utcnow()
    session.add(token)
    return True
