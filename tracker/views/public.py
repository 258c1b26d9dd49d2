"""What backers see: the list of public campaigns and a campaign's progress page."""

from flask import Blueprint, abort, render_template, url_for

from tracker.campaigns import get_visible_campaign, is_member, public_campaigns
from tracker.db import get_session
from tracker.errors import NotFound
from tracker.freshness import campaign_page_stamp, public_index_stamp
from tracker.milestones import history_of, milestones_of
from tracker.models import Campaign
from tracker.views.access import current_user_id
from tracker.views.caching import conditional_page

bp = Blueprint("public", __name__)


@bp.get("/")
def index():
    session = get_session()
    stamp = public_index_stamp(session)

    def render():
        return render_template("public/index.html", campaigns=public_campaigns(session))

    if stamp is None:
        return conditional_page(("empty",), render)
    return conditional_page(stamp.parts, render, changed_at=stamp.changed_at)


@bp.get("/c/<slug>")
def campaign(slug):
    session = get_session()
    try:
        campaign = get_visible_campaign(session, slug, current_user_id())
    except NotFound:
        abort(404)
    stamp = campaign_page_stamp(session, campaign)

    def render():
        roadmap = milestones_of(session, campaign.id, public_only=True)
        page_url = url_for("public.campaign", slug=campaign.slug, _external=True)
        return render_template(
            "public/campaign.html",
            campaign=campaign,
            milestones=roadmap,
            history=history_of(session, [m.id for m in roadmap]),
            is_team=is_member(session, campaign, current_user_id()),
            page_url=page_url,
            json_ld=campaign_json_ld(campaign, page_url, changed_at=stamp.changed_at),
        )

    return conditional_page(stamp.parts, render, changed_at=stamp.changed_at)


def campaign_json_ld(campaign: Campaign, page_url: str, *, changed_at) -> dict:
    """Describe the page as schema.org data; the template serialises it with tojson."""
    project = {
        "@type": "Project",
        "name": campaign.title,
        "url": page_url,
        "inLanguage": campaign.language,
    }
    if campaign.tagline:
        project["description"] = campaign.tagline
    return {
        "@context": "https://schema.org",
        "@type": "WebPage",
        "url": page_url,
        "name": campaign.title,
        "inLanguage": campaign.language,
        "dateModified": changed_at.isoformat(),
        "mainEntity": project,
    }
