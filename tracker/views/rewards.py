"""The founder's reward tiers: list, add, edit, reorder and remove what the public page shows."""

from flask import Blueprint, abort, flash, render_template, url_for
from flask_babel import gettext as _

from tracker.campaigns.rewards import (
    add_reward_tier,
    get_reward_tier,
    move_reward_tier,
    remove_reward_tier,
    reward_tiers,
    update_reward_tier,
)
from tracker.db import get_session
from tracker.errors import InvalidInput, NotFound
from tracker.forms import ActionForm, attach_errors
from tracker.forms.rewards import RewardTierForm
from tracker.money import to_major
from tracker.views.access import team_campaign
from tracker.views.rendering import render_page_or_fragment, see_other, wants_fragment

bp = Blueprint("rewards", __name__, url_prefix="/dashboard/<slug>/rewards")


def _overview(campaign, form, status=200):
    return render_page_or_fragment(
        "rewards/overview.html",
        "rewards/_tiers.html",
        status,
        campaign=campaign,
        tiers=reward_tiers(get_session(), campaign),
        form=form,
    )


def _back_to(campaign, tier_id):
    return see_other(url_for("rewards.overview", slug=campaign.slug, _anchor=f"tier-{tier_id}"))


def _values(form) -> dict[str, str]:
    return {name: getattr(form, name).data or "" for name in ("title", "price", "limit", "backers")}


def _as_typed(tier, currency: str) -> dict[str, str]:
    """Return the tier's fields as the form's text: whole units, counts, empty for None."""
    return {
        "title": tier.title,
        "price": str(to_major(tier.price_minor, currency)),
        "limit": "" if tier.limit is None else str(tier.limit),
        "backers": "" if tier.backers is None else str(tier.backers),
    }


def _tier(campaign, tier_id):
    try:
        return get_reward_tier(get_session(), campaign, tier_id)
    except NotFound:
        abort(404)


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
        tier = add_reward_tier(session, campaign, **_values(form))
    except InvalidInput as error:
        session.rollback()
        attach_errors(form, error.errors)
        return _overview(campaign, form, 422)
    session.commit()
    flash(_("The reward %(title)s is added.", title=tier.title))
    return _back_to(campaign, tier.id)


@bp.route("/<int:tier_id>/edit", methods=["GET", "POST"])
@team_campaign
def edit(campaign, tier_id):
    tier, session = _tier(campaign, tier_id), get_session()
    form = RewardTierForm(data=_as_typed(tier, campaign.currency))
    if form.validate_on_submit():
        try:
            update_reward_tier(session, campaign, tier.id, **_values(form))
        except InvalidInput as error:
            attach_errors(form, error.errors)
        else:
            session.commit()
            flash(_("The reward %(title)s is saved.", title=tier.title))
            return _back_to(campaign, tier.id)
    status = 422 if form.errors else 200
    return render_template("rewards/edit.html", campaign=campaign, tier=tier, form=form), status


@bp.post("/<int:tier_id>/move/<any(up, down):direction>")
@team_campaign
def move(campaign, tier_id, direction):
    if not ActionForm().validate_on_submit():
        abort(400)
    session = get_session()
    try:
        move_reward_tier(session, campaign, tier_id, direction=direction)
    except NotFound:
        abort(404)
    session.commit()
    if not wants_fragment():
        return _back_to(campaign, tier_id)
    return _overview(campaign, RewardTierForm(formdata=None))


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
