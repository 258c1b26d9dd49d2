"""What a webhook's chat message says (Discord, Slack), in the campaign's language.

The worker calls it with the app's context pushed (tracker/jobs/webhooks.py). The generic
JSON body is data, the same in every language: it names the campaign's language.
"""

from __future__ import annotations

from datetime import date

from flask_babel import force_locale, gettext

from tracker.views.filters import status_label
from tracker.views.i18n import day_text


def headline(event: dict) -> str:
    """Return one sentence saying what happened, in the language the event's campaign has."""
    # Events queued before they named a language were written in English.
    with force_locale(event["campaign"].get("language") or "en"):
        return _headline(event)


def _headline(event: dict) -> str:
    campaign, kind = event["campaign"]["title"], event["event"]
    if kind == "update.published":
        title = event["update"]["title"] or gettext("untitled")
        return gettext("%(campaign)s posted an update: %(title)s", campaign=campaign, title=title)
    if kind == "milestone.changed":
        return f"{campaign}: {_change(event['milestone']['title'], event['change'])}"
    if kind == "report.published":
        title = event["report"]["title"]
        return gettext("%(campaign)s published a report: %(title)s", campaign=campaign, title=title)
    return gettext("Test message from the tracker for %(campaign)s", campaign=campaign)


def _change(title: str, change: dict) -> str:
    # The timeline's sentences (tracker/views/timeline_text.py), translated once for both.
    if change["field"] != "due_on":
        return gettext(
            "“%(title)s” is now %(status)s", title=title, status=status_label(change["to"])
        )
    days = {"title": title, "old": _day(change["from"]), "new": _day(change["to"])}
    if change["reason"]:
        return gettext(
            "“%(title)s” moved from %(old)s to %(new)s: %(reason)s", reason=change["reason"], **days
        )
    return gettext("“%(title)s” moved from %(old)s to %(new)s", **days)


def _day(iso: str | None) -> str:
    return day_text(date.fromisoformat(iso)) if iso else gettext("no date")
