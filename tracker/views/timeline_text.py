"""Timeline items in words, in the reader's language (for the Atom feed's titles)."""

from datetime import date

from flask_babel import format_date, gettext

from tracker.campaigns.timeline import TimelineItem
from tracker.views.filters import status_label


def describe(item: TimelineItem) -> str:
    """Return a one-line title for the item."""
    if item.kind != "milestone" or item.change is None:
        return item.title
    field, old, new = item.change
    if field == "status":
        return gettext("“%(title)s” is now %(status)s", title=item.title, status=status_label(new))
    days = {"title": item.title, "old": _day(old), "new": _day(new)}
    if item.summary:
        return gettext(
            "“%(title)s” moved from %(old)s to %(new)s: %(reason)s", reason=item.summary, **days
        )
    return gettext("“%(title)s” moved from %(old)s to %(new)s", **days)


def _day(value: str | None) -> str:
    return format_date(date.fromisoformat(value)) if value else "?"
