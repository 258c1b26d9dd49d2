"""Sign the json hook's bodies so that a receiver can tell they come from us, and fresh.

The scheme (as Stripe's and Slack's): every POST of a json hook carries

    X-Tracker-Event: update.published        (milestone.changed, report.published, ping)
    X-Tracker-Delivery: 1f0c...              (the same on every retry of one event)
    X-Tracker-Timestamp: 1796113200          (Unix seconds when this attempt was signed)
    X-Tracker-Signature: v1=5d41402abc4b...  (lowercase hex)

where the v1 signature is HMAC-SHA256, keyed with the hook's secret (the UTF-8 bytes of
the string shown once when the hook was made), over the bytes

    timestamp + "." + raw request body

To verify: read the raw body before parsing it, compute the HMAC over
`f"{timestamp}.".encode() + body`, compare it with the header's hex in constant time
(`hmac.compare_digest`), and refuse a timestamp more than 5 minutes (REPLAY_WINDOW) from
your clock. A retry is signed again with its own timestamp; to drop a repeat of an event
you already handled, remember X-Tracker-Delivery. `verify` below does exactly this.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

REPLAY_WINDOW = 300  # seconds a receiver should accept between the timestamp and its clock
VERSION = "v1"


def make_secret() -> str:
    """Return a new random hook secret."""
    return "whsec_" + secrets.token_urlsafe(32)


def signature(secret: str, timestamp: int, body: bytes) -> str:
    """Return the X-Tracker-Signature value for body signed at timestamp."""
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return f"{VERSION}={mac.hexdigest()}"


def signed_headers(secret: str, *, timestamp: int, body: bytes) -> dict[str, str]:
    """Return the timestamp and signature headers for body."""
    return {
        "X-Tracker-Timestamp": str(timestamp),
        "X-Tracker-Signature": signature(secret, timestamp, body),
    }


def verify(secret: str, *, timestamp: str, given: str, body: bytes, now: float) -> bool:
    """Tell whether a received body is ours and fresh, as a receiver checks it."""
    if not timestamp.isdigit() or abs(now - int(timestamp)) > REPLAY_WINDOW:
        return False
    return hmac.compare_digest(signature(secret, int(timestamp), body), given)
