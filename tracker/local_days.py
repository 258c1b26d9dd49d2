"""Moments counted by the campaign's local day: SQL groups them by quarter hour, we name the day.

SQL's date() is UTC on SQLite and the server's zone on PostgreSQL, and SQLite knows no
time zones. Both dialects can group by the quarter hour since the epoch, and every zone's
offset is a whole number of quarter hours (+05:45, -03:30, +12:45), so a quarter hour lies
within one local day. A campaign has a few thousand of them at most; their days are
named here, so a pledge at 23:30 UTC counts on the next day in Berlin.
"""

from datetime import date, datetime

from sqlalchemy import Integer
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement

from tracker.dates import zone

QUARTER_SECONDS = 900


class quarter_hour(FunctionElement):
    """The quarter hour a moment falls in, counted from the epoch, as SQL."""

    type = Integer()
    inherit_cache = True
    name = "quarter_hour"


@compiles(quarter_hour, "sqlite")
def _quarter_hour_sqlite(element, compiler, **kw):
    # The stored text read once per row: integer division floors the positive epoch.
    return f"CAST(strftime('%s', {compiler.process(element.clauses, **kw)}) AS INTEGER) / 900"


@compiles(quarter_hour, "postgresql")
def _quarter_hour_postgresql(element, compiler, **kw):
    # EXTRACT(EPOCH) of a timestamptz does not depend on the session's time zone.
    return f"FLOOR(EXTRACT(EPOCH FROM {compiler.process(element.clauses, **kw)}) / 900)"


def day_of_quarter(quarter, zone_name: str | None) -> date:
    """Return the local day of the zone a quarter hour (from quarter_hour) falls on."""
    return datetime.fromtimestamp(int(quarter) * QUARTER_SECONDS, zone(zone_name)).date()
