"""Links between a founder's updates and milestones, made and undone by hand."""

from flask import Blueprint, abort, request, url_for

from tracker.campaigns.milestones import milestones_of
from tracker.db import get_session
from tracker.errors import NotFound
from tracker.feeds.milestone_links import (
    get_entry,
    link_by_hand,
    links_of_entries,
    relink_campaign,
    unlink_by_hand,
)
from tracker.forms import ActionForm
from tracker.forms.feeds import LinkForm
from tracker.views.access import team_campaign
from tracker.views.rendering import render_page_or_fragment, see_other, wants_fragment

bp = Blueprint("entry_links", __name__, url_prefix="/dashboard/<slug>/feeds")


def _checked_action():
    if not ActionForm().validate_on_submit():
        abort(400)


def _entry_links_changed(campaign, entry):
    session = get_session()
    if not wants_fragment() and request.form.get("back") == "overview":
        return see_other(url_for("feeds.overview", slug=campaign.slug) + "#milestone-updates")
    if not wants_fragment():
        url = url_for("feeds.channel_entries", slug=campaign.slug, channel_id=entry.channel_id)
        return see_other(url + f"#entry-{entry.id}")
    return render_page_or_fragment(
        "feeds/_entry_links.html",
        "feeds/_entry_links.html",
        campaign=campaign,
        entry=entry,
        linked=links_of_entries(session, [entry.id])[entry.id],
        milestones=milestones_of(session, campaign.id),
        action_form=ActionForm(formdata=None),
    )


@bp.post("/entries/<int:entry_id>/links")
@team_campaign
def link(campaign, entry_id):
    form, session = LinkForm(), get_session()
    if not form.validate_on_submit() or not form.milestone.data:
        abort(400)
    try:
        link_by_hand(session, campaign, entry_id=entry_id, milestone_id=form.milestone.data)
        entry = get_entry(session, campaign, entry_id)
    except NotFound:
        abort(404)
    session.commit()
    return _entry_links_changed(campaign, entry)


@bp.post("/entries/<int:entry_id>/links/<int:milestone_id>/delete")
@team_campaign
def unlink(campaign, entry_id, milestone_id):
    _checked_action()
    session = get_session()
    try:
        unlink_by_hand(session, campaign, entry_id=entry_id, milestone_id=milestone_id)
        entry = get_entry(session, campaign, entry_id)
    except NotFound:
        abort(404)
    session.commit()
    return _entry_links_changed(campaign, entry)


@bp.post("/relink")
@team_campaign
def relink(campaign):
    _checked_action()
    relink_campaign(get_session(), campaign)
    get_session().commit()
    return see_other(url_for("feeds.overview", slug=campaign.slug) + "#milestone-updates")
