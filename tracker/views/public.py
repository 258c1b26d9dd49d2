"""What backers see: the list of public campaigns, a campaign's progress page, its timeline."""

from datetime import timedelta

from flask import Blueprint, abort, current_app, render_template, request

from tracker.campaigns.campaigns import get_visible_campaign, is_member, public_campaigns
from tracker.campaigns.hero import hero_files
from tracker.campaigns.milestones import get_milestone, milestones_of
from tracker.campaigns.rewards import reward_tiers
from tracker.campaigns.timeline import Cursor, timeline_page
from tracker.campaigns.video import Video, saved_video
from tracker.campaigns.video_thumbnails import shown_thumbnail, thumbnail_files
from tracker.dates import today_in
from tracker.db import get_session
from tracker.errors import InvalidInput, NotFound
from tracker.feedback.public_figures import public_feedback
from tracker.models import Campaign
from tracker.pledges.funding_cache import cached_summary
from tracker.public.call_to_action import call_to_action
from tracker.public.freshness import campaign_content_stamp, public_index_stamp
from tracker.public.page import chart_markers, gather_public_page
from tracker.public.rewards import public_rewards
from tracker.validation import parse_id
from tracker.views.absolute_urls import absolute_url
from tracker.views.access import current_user_id
from tracker.views.caching import conditional_page, microcached
from tracker.views.feedback_figures import recent_mood
from tracker.views.figures import funding_figure, progress_figure
from tracker.views.i18n import current_locale
from tracker.views.rendering import render_page_or_fragment
from tracker.views.report_links import published_report_links
from tracker.views.security import CONTENT_SECURITY_POLICY

bp = Blueprint("public", __name__)
PAGE_REPORTS = 3  # the newest; the reports page lists them all
# Backers' browsers load images from this site only: markup.link_outside_images made the
# others links, so no third party learns who looked at a campaign, and when.
PUBLIC_PAGE_POLICY = "; ".join(
    "img-src 'self' data:" if directive.startswith("img-src ") else directive
    for directive in CONTENT_SECURITY_POLICY.split("; ")
)


@bp.after_request
def _own_images_only(response):
    # A page that embeds its video has set its own policy (with_video_frame).
    response.headers.setdefault("Content-Security-Policy", PUBLIC_PAGE_POLICY)
    return response


def with_video_frame(response, video: Video | None, *, embed: bool):
    """Let the page frame exactly its video's player, when the founder opted in."""
    if video is not None and embed and response.status_code == 200:
        policy = f"{PUBLIC_PAGE_POLICY}; frame-src {video.embed_origin}"
        response.headers["Content-Security-Policy"] = policy
    return response


@bp.get("/")
@microcached
def index():
    session = get_session()
    stamp = public_index_stamp(session)

    def render():
        return render_template("public/index.html", campaigns=public_campaigns(session))

    if stamp is None:
        return conditional_page(("empty",), render)
    return conditional_page(stamp.parts, render, changed_at=stamp.changed_at)


def visible_campaign(slug: str) -> Campaign:
    """Return the campaign if this visitor may see it; abort with 404 otherwise."""
    try:
        return get_visible_campaign(get_session(), slug, current_user_id())
    except NotFound:
        abort(404)


def cached_funding(session, campaign: Campaign):
    """Return the campaign's funding figures from the app's cache of ledger versions."""
    cache = current_app.extensions["tracker.funding_cache"]
    return cached_summary(cache, session, campaign, today=today_in(campaign.timezone))


@bp.get("/c/<slug>")
@microcached
def campaign(slug):
    session, campaign = get_session(), visible_campaign(slug)
    stamp = campaign_content_stamp(session, campaign)
    video = saved_video(campaign)
    response = conditional_page(
        stamp.parts,
        lambda: _render_campaign(session, campaign, video, changed_at=stamp.changed_at),
        changed_at=stamp.changed_at,
        zone_name=campaign.timezone,
    )
    return with_video_frame(response, video, embed=campaign.video_embed)


def _render_campaign(session, campaign: Campaign, video: Video | None, *, changed_at):
    """Render the campaign's public page (conditional_page calls it only when it is sent)."""
    page = gather_public_page(session, campaign, funding=cached_funding(session, campaign))
    page_url = absolute_url("public.campaign", slug=campaign.slug)
    today = today_in(campaign.timezone)
    feedback = _shown_feedback(session, campaign)
    return render_template(
        "public/campaign.html",
        page=page,
        campaign=campaign,
        milestones=page.milestones,
        history=page.history,
        feedback=feedback,
        mood=recent_mood(feedback.trend, today=today) if feedback else None,
        mood_since=today - timedelta(days=13),
        is_team=is_member(session, campaign, current_user_id()),
        page_url=page_url,
        json_ld=campaign_json_ld(campaign, page_url, changed_at=changed_at),
        today=today,
        funding_chart=_funding_chart(session, campaign, page.funding, today=today),
        progress=progress_figure(page.bar, page.funding.currency),
        reports=published_report_links(session, campaign, limit=PAGE_REPORTS),
        rewards=_shown_rewards(session, campaign, page.funding),
        hero=hero_files(campaign),
        video=video,
        video_thumbnail=thumbnail_files(shown_thumbnail(session, campaign)) if video else [],
        cta=call_to_action(campaign, ended=page.funding.ended),
    )


def _shown_feedback(session, campaign: Campaign):
    # Switched off by the founder: the whole section goes, never single comments.
    if not campaign.public_feedback:
        return None
    return public_feedback(session, campaign, language=current_locale())


def _funding_chart(session, campaign: Campaign, funding, *, today):
    markers = chart_markers(session, campaign, today=today)
    return funding_figure(campaign, funding, today=today, markers=markers)


def _shown_rewards(session, campaign: Campaign, funding) -> list:
    if not campaign.public_rewards:
        return []
    return public_rewards(reward_tiers(session, campaign), funding.by_tier)


@bp.get("/c/<slug>/timeline")
@microcached
def timeline(slug):
    session, campaign = get_session(), visible_campaign(slug)
    before = _cursor(request.args.get("before"))
    milestone_id = _shown_milestone_id(session, campaign, request.args.get("milestone"))
    stamp = campaign_content_stamp(session, campaign)

    def render():
        page = timeline_page(session, campaign, before=before, milestone_id=milestone_id)
        fragment = "public/_timeline_items.html" if before else "public/_timeline.html"
        return render_page_or_fragment(
            "public/timeline.html",
            fragment,
            campaign=campaign,
            timeline=page,
            milestones=milestones_of(session, campaign.id, public_only=True),
            milestone_id=milestone_id,
        )

    return conditional_page(
        stamp.parts, render, changed_at=stamp.changed_at, zone_name=campaign.timezone
    )


def _shown_milestone_id(session, campaign: Campaign, value: str | None) -> int | None:
    """Return the id of the public milestone the timeline shows; 404 for any other value."""
    if not value:
        return None  # "All milestones"
    try:
        milestone = get_milestone(session, campaign, parse_id(value, field="milestone"))
    except (InvalidInput, NotFound):
        abort(404)
    if not milestone.is_public:
        abort(404)  # exactly like an id that does not exist
    return milestone.id


def _cursor(value: str | None) -> Cursor | None:
    if not value:
        return None
    try:
        return Cursor.decode(value)
    except ValueError:
        abort(400)


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
