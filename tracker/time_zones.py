"""Time zones a campaign can run on: IANA names, checked against the zone database."""

import functools
from zoneinfo import ZoneInfo, available_timezones

DEFAULT_TIME_ZONE = "UTC"
# The IANA areas of canonical Area/Location names; the database's other entries are
# legacy aliases ("US/Eastern", "CET") or the host's own settings ("localtime"), which a
# founder never needs and which would make one zone appear under several names.
_AREAS = frozenset(
    {
        "Africa",
        "America",
        "Antarctica",
        "Arctic",
        "Asia",
        "Atlantic",
        "Australia",
        "Europe",
        "Indian",
        "Pacific",
    }
)


@functools.cache  # reading the zone database takes ~80 ms
def time_zone_names() -> tuple[str, ...]:
    """Return the zones a campaign can choose, UTC first, then in alphabetical order."""
    names = sorted(name for name in available_timezones() if name.split("/", 1)[0] in _AREAS)
    return (DEFAULT_TIME_ZONE, *names)


@functools.cache
def _by_folded_name() -> dict[str, str]:
    return {name.casefold(): name for name in time_zone_names()}


def canonical_time_zone(name: str) -> str | None:
    """Return the zone's name as the database spells it, or None when it is no zone."""
    return _by_folded_name().get((name or "").strip().casefold())


def zone_of(name: str) -> ZoneInfo:
    """Return the ZoneInfo for a stored zone name."""
    return ZoneInfo(name)
