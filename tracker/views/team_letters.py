"""The e-mails a campaign's team members opt in to, in the campaign's language.

Rendered from templates/mail/team/ by the worker (it pushes the app's context); links are
absolute at the configured public address. `tracker.mail.team` decides who gets them.
"""

from __future__ import annotations

from datetime import timedelta

from flask import render_template
from flask_babel import force_locale, gettext

from tracker.mail.messages import Letter
from tracker.mail.team import StormNews, WeekSummary
from tracker.models import Campaign
from tracker.views.absolute_urls import absolute_url


def _letter(name: str, campaign: Campaign, subject: str, **values) -> Letter:
    values = {
        **values,
        "campaign": campaign,
        "subject": subject,
        "letter_language": campaign.language,
        "settings_url": absolute_url("founder.team", slug=campaign.slug),
    }
    return Letter(
        subject=subject,
        text=render_template(f"mail/team/{name}.txt", **values),
        html=render_template(f"mail/team/{name}.html", **values),
        language=campaign.language,
    )


def alert_letter(campaign: Campaign, storm: StormNews) -> Letter:
    """Return the storm-of-criticism alert: what fired, the newest negative comments."""
    with force_locale(campaign.language):
        subject = gettext(
            "Storm of criticism on %(title)s: %(count)d negative comments in 24 hours",
            title=campaign.title,
            count=storm.assessment.counts.negative,
        )
        return _letter(
            "alert",
            campaign,
            subject,
            storm=storm,
            inbox_url=absolute_url("feedback.inbox", slug=campaign.slug),
        )


def summary_letter(campaign: Campaign, summary: WeekSummary) -> Letter:
    """Return the weekly summary: the week's updates, milestone changes, comments, funding."""
    with force_locale(campaign.language):
        subject = gettext("%(title)s: your week", title=campaign.title)
        return _letter(
            "summary",
            campaign,
            subject,
            summary=summary,
            week_last=summary.week.end - timedelta(seconds=1),  # its Sunday, in its zone
            dashboard_url=absolute_url("founder.campaign", slug=campaign.slug),
        )
