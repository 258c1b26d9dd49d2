"""Check integers, ids and moments that arrive from outside: one place for the whole app.

Every route argument, query string, form field, CLI argument, uploaded row and API body
that carries a number or a date goes through here, so that a value past what the
database or the calendar can hold becomes a clear refusal instead of a 500.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from urllib.parse import urlsplit

from tracker.errors import InvalidInput

# Every id column is a PostgreSQL INTEGER (SQLite would take more, PostgreSQL refuses).
ID_MAX = 2**31 - 1
# Money in minor units: 10^13 cents is a hundred billion, far past any campaign, and far
# inside BIGINT, so sums over millions of rows cannot overflow either.
MONEY_MAX_MINOR = 10**13
# Counts (backers, quantities, thresholds): inside INTEGER.
COUNT_MAX = 2**31 - 1
# Crowdfunding platforms, feeds and reports have nothing before this date.
EARLIEST_DAY = date(2000, 1, 1)
LATEST_DAY = date(2100, 1, 1)
EARLIEST = datetime(2000, 1, 1, tzinfo=UTC)
LATEST = datetime(2100, 1, 1, tzinfo=UTC)
# What already happened (a pledge, a snapshot) may come from a clock a little ahead.
CLOCK_SKEW = timedelta(days=1)
# Longer digit strings are refused before int() ever sees them.
_MAX_DIGITS = 19


def is_ascii_digits(text: str) -> bool:
    """Return whether text is one or more ASCII digits and nothing else."""
    return text.isascii() and text.isdigit()


def parse_int(
    text: str | int | None,
    *,
    field: str,
    minimum: int = 0,
    maximum: int = COUNT_MAX,
) -> int:
    """Return text as an int within [minimum, maximum], or raise InvalidInput for field."""
    if isinstance(text, bool):
        raise InvalidInput({field: "must be a whole number"})
    if isinstance(text, int):
        value = text
    else:
        raw = (text or "").strip()
        digits = raw[1:] if raw.startswith("-") else raw
        if not is_ascii_digits(digits):
            raise InvalidInput({field: f"{_shorten(raw)!r} is not a whole number"})
        if len(digits.lstrip("0")) > _MAX_DIGITS:
            raise InvalidInput({field: f"must be at most {maximum}"})
        value = int(raw)
    if value < minimum:
        raise InvalidInput({field: f"must be at least {minimum}"})
    if value > maximum:
        raise InvalidInput({field: f"must be at most {maximum}"})
    return value


def parse_id(text: str | int | None, *, field: str = "id") -> int:
    """Return text as a database id (1 to ID_MAX), or raise InvalidInput."""
    return parse_int(text, field=field, minimum=1, maximum=ID_MAX)


def parse_optional_id(text: str | None) -> int | None:
    """Return text as a database id, or None when it is empty or not one."""
    try:
        return parse_id(text)
    except InvalidInput:
        return None


def check_moment(
    moment: datetime, *, field: str, now: datetime | None = None, past_only: bool = False
) -> datetime:
    """Return an aware moment as UTC if it lies in the sane range, or raise InvalidInput.

    With past_only the moment may not lie more than CLOCK_SKEW after now: a pledge or a
    snapshot reports what happened.
    """
    if moment.tzinfo is None:
        raise InvalidInput({field: "needs a time zone"})
    try:
        moment = moment.astimezone(UTC)
    except OverflowError:
        raise InvalidInput({field: _range_reason()}) from None
    if not EARLIEST <= moment < LATEST:
        raise InvalidInput({field: _range_reason()})
    if past_only:
        latest = (now or datetime.now(UTC)) + CLOCK_SKEW
        if moment > latest:
            raise InvalidInput({field: f"{moment:%Y-%m-%d %H:%M} UTC lies in the future"})
    return moment


def check_day(day: date, *, field: str) -> date:
    """Return day if it lies in the sane range, or raise InvalidInput."""
    if not EARLIEST_DAY <= day < LATEST_DAY:
        raise InvalidInput({field: _range_reason()})
    return day


def parse_day(text: str | None, *, field: str) -> date:
    """Return an ISO date (YYYY-MM-DD) in the sane range, or raise InvalidInput."""
    raw = (text or "").strip()
    try:
        day = date.fromisoformat(raw)
    except ValueError:
        raise InvalidInput({field: f"{_shorten(raw)!r} is not a date (YYYY-MM-DD)"}) from None
    return check_day(day, field=field)


def _range_reason() -> str:
    return f"must lie between {EARLIEST_DAY.isoformat()} and {LATEST_DAY.isoformat()}"


def _shorten(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[:limit] + "…"


WEB_ADDRESS_MAX = 500


def parse_web_address(text: str | None, *, field: str) -> str:
    """Return text as an http(s) address a backer's browser may open ("" stays ""), or raise."""
    raw = (text or "").strip()
    if not raw:
        return ""
    if len(raw) > WEB_ADDRESS_MAX:
        raise InvalidInput({field: f"Use at most {WEB_ADDRESS_MAX} characters."})
    try:
        parts = urlsplit(raw) if raw.isprintable() and " " not in raw else None
        if parts is not None:
            parts.port  # noqa: B018 (a port out of range raises ValueError)
    except ValueError:
        parts = None
    if parts is None or parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise InvalidInput(
            {field: f"{_shorten(raw)!r} is not a web address: give one starting with https://"}
        )
    if parts.username is not None or parts.password is not None:
        # Shown to every visitor: a name and password in the address would be public.
        raise InvalidInput({field: "The address may not hold a user name or password."})
    return raw
