"""What backers see: the list of public campaigns and a campaign's progress page."""

from flask import Blueprint, abort, render_template

from tracker.campaigns import get_visible_campaign, public_campaigns
from tracker.db import get_session
from tracker.errors import NotFound
from tracker.milestones import history_of, milestones_of
from tracker.views.access import current_user_id

bp = Blueprint("public", __name__)


@bp.get("/")
def index():
    return render_template("public/index.html", campaigns=public_campaigns(get_session()))


@bp.get("/c/<slug>")
def campaign(slug):
    session = get_session()
    try:
        campaign = get_visible_campaign(session, slug, current_user_id())
    except NotFound:
        abort(404)
    roadmap = milestones_of(session, campaign.id, public_only=True)
    return render_template(
        "public/campaign.html",
        campaign=campaign,
        milestones=roadmap,
        history=history_of(session, [m.id for m in roadmap]),
    )
