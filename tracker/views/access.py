"""Access rules as decorators: founder routes answer 404 for what is not yours."""

from functools import wraps

from flask import abort
from flask_login import current_user, login_required

from tracker.campaigns.campaigns import get_campaign_for_member
from tracker.db import get_session
from tracker.errors import NotFound


def team_campaign(view):
    """Load the campaign of the slug for a logged-in team member, else 404."""

    @login_required
    @wraps(view)
    def wrapper(slug, **kwargs):
        try:
            campaign = get_campaign_for_member(get_session(), slug, current_user.id)
        except NotFound:
            abort(404)
        return view(campaign, **kwargs)

    return wrapper


def current_user_id() -> int | None:
    """Return the id of the logged-in user, or None."""
    return current_user.id if current_user.is_authenticated else None
