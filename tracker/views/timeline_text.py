"""Timeline items in words, in the reader's language (for the Atom feed's titles)."""

from datetime import date

from flask_babel import gettext

from tracker.campaigns.timeline import TimelineItem
from tracker.views.filters import status_label
from tracker.views.i18n import day_text


def describe(item: TimelineItem, *, zone_name: str | None = None) -> str:
    """Return a one-line title for the item (days of moments in the zone)."""
    if item.report is not None:
        return " — ".join([item.title, *report_edition_labels(item.report, zone_name=zone_name)])
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
    return day_text(date.fromisoformat(value)) if value else "?"


def report_edition_labels(report, *, zone_name: str | None = None) -> list[str]:
    """Say which version of its period a published report (a ReportListing) is, if not the
    only one: "Version 2, replaces the one of ...", "Superseded by version 3 of ..."."""
    labels = []
    if report.revision > 1:
        labels.append(
            gettext(
                "Version %(num)d, replaces the one of %(day)s",
                num=report.revision,
                day=day_text(report.replaces_issued_at, zone_name=zone_name),
            )
        )
    if report.superseded:
        labels.append(
            gettext(
                "Superseded by version %(num)d of %(day)s",
                num=report.newest_revision,
                day=day_text(report.newest_issued_at, zone_name=zone_name),
            )
        )
    return labels
