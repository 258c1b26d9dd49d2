"""What the founder's own updates did: pledges and feedback after each, ranked."""

from flask import Blueprint, render_template, request

from tracker.dates import today_in
from tracker.db import get_session
from tracker.models import utcnow
from tracker.pledges.update_effects import update_effects
from tracker.public.update_impact import RANKINGS, update_impacts, update_silence
from tracker.views.access import team_campaign

bp = Blueprint("insights", __name__, url_prefix="/dashboard/<slug>/insights")


@bp.get("/impact")
@team_campaign
def impact(campaign):
    session = get_session()
    # A choice among RANKINGS, compared as text: anything else ranks by pledges.
    by = next((name for name in RANKINGS if name == request.args.get("by")), RANKINGS[0])
    now = utcnow()
    return render_template(
        "insights/impact.html",
        campaign=campaign,
        by=by,
        rankings=RANKINGS,
        impacts=update_impacts(session, campaign, by=by, now=now),
        silence=update_silence(session, campaign, today=today_in(campaign.timezone)),
        effects=update_effects(session, campaign, now=now),
    )
