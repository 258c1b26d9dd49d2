"""Signed links for subscribers: confirm (expires after CONFIRM_DAYS) and unsubscribe (never).

Signed with the app's secret key (itsdangerous); a token names the subscriber's id and a
digest of its address and creation time, so a link stops working once the subscription
it was made for is deleted, even if another row later gets the same id.
"""

from __future__ import annotations

import hashlib
from datetime import timedelta
from functools import lru_cache

from itsdangerous import BadSignature, SignatureExpired, URLSafeSerializer, URLSafeTimedSerializer

from tracker.models import Subscriber

CONFIRM_DAYS = 7
CONFIRM_MAX_AGE = timedelta(days=CONFIRM_DAYS)
_CONFIRM_SALT = "mail-confirm"
_UNSUBSCRIBE_SALT = "mail-unsubscribe"


class BadToken(Exception):
    """The link is not ours, was changed, or has expired (expired is True then)."""

    def __init__(self, *, expired: bool = False) -> None:
        super().__init__("expired" if expired else "invalid")
        self.expired = expired


def subscriber_digest(subscriber: Subscriber) -> str:
    """Return what ties a token to one subscription: its address and creation time."""
    stamp = subscriber.created_at.isoformat(timespec="microseconds")
    text = f"{subscriber.campaign_id}:{subscriber.address}:{stamp}"
    return hashlib.sha256(text.encode()).hexdigest()[:20]


def confirm_token(secret: str, subscriber: Subscriber) -> str:
    """Return the token of the subscriber's confirmation link."""
    serializer = URLSafeTimedSerializer(secret, salt=_CONFIRM_SALT)
    return serializer.dumps([subscriber.id, subscriber_digest(subscriber)])


def unsubscribe_token(secret: str, subscriber: Subscriber) -> str:
    """Return the token of the subscriber's unsubscribe link (it does not expire)."""
    # The serializer is kept: the worker signs one token for each message of a report.
    serializer = _unsubscribe_serializer(secret)
    return serializer.dumps([subscriber.id, subscriber_digest(subscriber)])


@lru_cache(maxsize=4)
def _unsubscribe_serializer(secret: str) -> URLSafeSerializer:
    return URLSafeSerializer(secret, salt=_UNSUBSCRIBE_SALT)


def read_confirm_token(secret: str, token: str) -> tuple[int, str]:
    """Return (subscriber id, digest) of a confirmation token; BadToken if not valid now."""
    serializer = URLSafeTimedSerializer(secret, salt=_CONFIRM_SALT)
    try:
        value = serializer.loads(token, max_age=int(CONFIRM_MAX_AGE.total_seconds()))
    except SignatureExpired:
        raise BadToken(expired=True) from None
    except BadSignature:
        raise BadToken() from None
    return _pair(value)


def read_unsubscribe_token(secret: str, token: str) -> tuple[int, str]:
    """Return (subscriber id, digest) of an unsubscribe token; BadToken if not ours."""
    try:
        value = URLSafeSerializer(secret, salt=_UNSUBSCRIBE_SALT).loads(token)
    except BadSignature:
        raise BadToken() from None
    return _pair(value)


def _pair(value) -> tuple[int, str]:
    if (
        not isinstance(value, list)
        or len(value) != 2
        or not isinstance(value[0], int)
        or not isinstance(value[1], str)
    ):
        raise BadToken()
    return value[0], value[1]
