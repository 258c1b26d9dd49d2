"""The one way people read dates here: a day, a moment with its time zone, chart ticks.

A day reads "Nov 27, 2026" / "27. Nov. 2026" and a moment "Nov 27, 2026, 2:05 PM CET" /
"27. Nov. 2026, 14:05 CET", in the campaign's time zone and labelled with it; machine
outputs (JSON, Atom, CSV, <time datetime>) keep ISO 8601. Babel does the wording.
"""

from __future__ import annotations

import functools
from datetime import UTC, date, datetime, time, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from babel.dates import format_skeleton, format_time, get_datetime_format

DEFAULT_ZONE = "UTC"


@functools.cache
def zone(name: str | None) -> tzinfo:
    """Return the IANA time zone of that name; UTC for no name or an unknown one."""
    if not name or name == "UTC":
        return UTC
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        # The campaign form checks the name; a stored one the system no longer knows
        # must not turn every page of the campaign into an error.
        return UTC


def local_day(value: date | datetime, zone_name: str | None = None) -> date:
    """Return the calendar day of value in the zone (a date stays what it is)."""
    if isinstance(value, datetime):
        return _local(value, zone_name).date()
    return value


def today_in(zone_name: str | None, *, now: datetime | None = None) -> date:
    """Return the calendar day it is now in the zone: the campaign's today, not UTC's."""
    return _local(now or datetime.now(UTC), zone_name).date()


def local_midnight(day: date, zone_name: str | None = None) -> datetime:
    """Return the moment the day begins in the zone, as an aware UTC datetime."""
    return datetime.combine(day, time(), tzinfo=zone(zone_name)).astimezone(UTC)


def from_local(naive: datetime, zone_name: str | None) -> datetime:
    """Return the moment a wall-clock time typed in the zone means, as an aware UTC datetime."""
    return naive.replace(tzinfo=zone(zone_name)).astimezone(UTC)


def format_day(value: date | datetime, *, locale: str, zone_name: str | None = None) -> str:
    """Format a day: 'Nov 27, 2026' in English, '27. Nov. 2026' in German."""
    return format_skeleton("yMMMd", local_day(value, zone_name), locale=locale)


def format_moment(at: datetime, *, locale: str, zone_name: str | None = None) -> str:
    """Format a moment with its zone: 'Nov 27, 2026, 2:05 PM CET'."""
    local = _local(at, zone_name)
    day = format_skeleton("yMMMd", local.date(), locale=locale)
    clock = format_time(local.replace(tzinfo=None), "short", locale=locale)
    joined = get_datetime_format("medium", locale=locale).replace("{1}", day)
    # The tz database's abbreviation (CET, EST, IST, UTC, or "+03" where it has none):
    # the same label in every language, which CLDR's zone names are not ("+0100" in en).
    return f"{joined.replace('{0}', clock)} {local.tzname()}"


def format_short_day(day: date, *, locale: str) -> str:
    """Format a day without its year, for chart ticks: 'Nov 27' / '27. Nov.'."""
    return format_skeleton("MMMd", day, locale=locale)


def format_month(day: date, *, locale: str, with_year: bool = False) -> str:
    """Format a day's month, for chart ticks: 'Nov' or 'Nov 2026'."""
    return format_skeleton("yMMM" if with_year else "MMM", day, locale=locale)


def _local(at: datetime, zone_name: str | None) -> datetime:
    aware = at if at.tzinfo else at.replace(tzinfo=UTC)  # stored moments are UTC
    return aware.astimezone(zone(zone_name))
