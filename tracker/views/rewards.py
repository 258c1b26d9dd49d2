"""The founder's reward tiers: list, add and remove what the public page shows."""

from flask import Blueprint, abort, render_template, url_for

from tracker.campaigns.rewards import add_reward_tier, remove_reward_tier, reward_tiers
from tracker.db import get_session
from tracker.errors import InvalidInput, NotFound
from tracker.forms import ActionForm, attach_errors
from tracker.forms.rewards import RewardTierForm
from tracker.views.access import team_campaign
from tracker.views.rendering import see_other

bp = Blueprint("rewards", __name__, url_prefix="/dashboard/<slug>/rewards")


def _overview(campaign, form, status=200):
    return render_template(
        "rewards/overview.html",
        campaign=campaign,
        tiers=reward_tiers(get_session(), campaign),
        form=form,
        action_form=ActionForm(formdata=None),
    ), status


@bp.get("/")
@team_campaign
def overview(campaign):
    return _overview(campaign, RewardTierForm(formdata=None))


@bp.post("/")
@team_campaign
def add(campaign):
    form, session = RewardTierForm(), get_session()
    if not form.validate_on_submit():
        return _overview(campaign, form, 422)
    try:
        add_reward_tier(
            session,
            campaign,
            title=form.title.data or "",
            price=form.price.data or "",
            limit=form.limit.data or "",
            backers=form.backers.data or "",
        )
    except InvalidInput as error:
        session.rollback()
        attach_errors(form, error.errors)
        return _overview(campaign, form, 422)
    session.commit()
    return see_other(url_for("rewards.overview", slug=campaign.slug))


@bp.post("/<int:tier_id>/delete")
@team_campaign
def remove(campaign, tier_id):
    if not ActionForm().validate_on_submit():
        abort(400)
    session = get_session()
    try:
        remove_reward_tier(session, campaign, tier_id)
    except NotFound:
        abort(404)
    session.commit()
    return see_other(url_for("rewards.overview", slug=campaign.slug))
