"""What the founder's own updates did: pledges and feedback after each, ranked."""

from flask import Blueprint, render_template

from tracker.db import get_session
from tracker.models import utcnow
from tracker.public.update_impact import update_impacts, update_silence
from tracker.views.access import team_campaign

bp = Blueprint("insights", __name__, url_prefix="/dashboard/<slug>/insights")


@bp.get("/impact")
@team_campaign
def impact(campaign):
    session = get_session()
    return render_template(
        "insights/impact.html",
        campaign=campaign,
        impacts=update_impacts(session, campaign),
        silence=update_silence(session, campaign, today=utcnow().date()),
    )
