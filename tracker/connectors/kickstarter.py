"""Kickstarter's live figures: a project's public stats.json.

`/projects/<creator>/<slug>/stats.json?v=1` is undocumented but long used by trackers:

    {"project": {"id": 1, "state": "live", "pledged": "12345.0",
                 "backers_count": 321, "comments_count": 45, ...}}

`pledged` is in the project's currency, which is the campaign's. The endpoint is derived
from the URL given, so any host that serves the same shape can be followed (tests).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from urllib.parse import urlsplit

from sqlmodel import Session

from tracker.connectors.api import Api, ApiError, dig
from tracker.connectors.registry import Reading
from tracker.connectors.snapshots import record_live_figures
from tracker.connectors.urls import plain_netloc
from tracker.errors import InvalidInput
from tracker.models import Campaign, Channel
from tracker.money import minor_digits

_PROJECT = re.compile(r"/projects/([A-Za-z0-9_-]{1,100})/([A-Za-z0-9_-]{1,200})(?:/.*)?")
_AMOUNT = re.compile(r"[0-9]{1,11}(?:\.[0-9]{1,6})?", re.ASCII)
CHANGED = "Kickstarter's stats.json {what}: the endpoint may have changed; import a backer report"


@dataclass(frozen=True)
class ProjectStats:
    """A Kickstarter project's figures as stats.json gives them."""

    pledged: str  # major units, as text: "12345.0"
    backers: int
    comments: int
    state: str


def source_url(url: str) -> str:
    """Return the project's URL (scheme, host, /projects/creator/slug); InvalidInput if not one."""
    text = url.strip()
    parts = urlsplit(text if "://" in text else f"https://{text}")
    match = _PROJECT.fullmatch(parts.path)
    if parts.scheme not in ("http", "https") or not parts.netloc or match is None:
        reason = "Use a Kickstarter project URL: https://www.kickstarter.com/projects/creator/slug."
        raise InvalidInput({"url": reason})
    return f"{parts.scheme}://{plain_netloc(parts)}/projects/{match.group(1)}/{match.group(2)}"


def stats_url(project_url: str) -> str:
    """Return the stats.json URL of a project URL."""
    return f"{source_url(project_url)}/stats.json?v=1"


def _count(project: dict, key: str) -> int:
    value = project.get(key)
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ApiError(CHANGED.format(what=f"has no count project.{key}"))
    return value


def parse_stats(data: object) -> ProjectStats:
    """Return the figures of a stats.json document; ApiError when its shape changed."""
    project = dig(data, "project")
    if not isinstance(project, dict):
        raise ApiError(CHANGED.format(what="has no project"))
    pledged = project.get("pledged")
    if isinstance(pledged, int | float) and not isinstance(pledged, bool):
        pledged = repr(float(pledged))
    if not isinstance(pledged, str) or not _AMOUNT.fullmatch(pledged.strip()):
        raise ApiError(CHANGED.format(what="has no amount project.pledged"))
    state = project.get("state")
    return ProjectStats(
        pledged=pledged.strip(),
        backers=_count(project, "backers_count"),
        comments=_count(project, "comments_count"),
        state=state if isinstance(state, str) else "",
    )


def read(url: str, *, api: Api, now: datetime) -> Reading:
    """Read the project's stats.json (conditionally)."""
    answer = api.get_json(stats_url(url), conditional=True)
    data = None if answer.data is None else parse_stats(answer.data)
    return Reading(answer.fetched, data)


def store(session: Session, channel: Channel, data: ProjectStats, *, now: datetime) -> int:
    """Record the project's figures as a funding snapshot of the channel's campaign."""
    campaign = session.get(Campaign, channel.campaign_id)
    # Rounded to the currency's minor unit: a float's tail is not a cent.
    digits = minor_digits(campaign.currency)
    amount_minor = int(Decimal(data.pledged).scaleb(digits).to_integral_value())
    return record_live_figures(
        session, channel, amount_minor=amount_minor, backers=data.backers, now=now
    )
