"""The feeds dashboard: its page and the channels (add, poll, pause, remove, their entries)."""

from flask import Blueprint, abort, current_app, flash, render_template, request, url_for
from flask_babel import gettext as _
from markupsafe import Markup

from tracker.campaigns.milestones import milestones_of
from tracker.db import get_session
from tracker.errors import InvalidInput, NotFound
from tracker.feeds.channel_jobs import (
    add_channel_later,
    finish_job,
    job_view,
    remove_unfound,
    request_job,
)
from tracker.feeds.channel_lists import (
    channel_page,
    channel_row,
    count_entries,
    entries_of,
    first_channels,
    page_count,
)
from tracker.feeds.channels import (
    count_channels,
    get_channel,
    max_channels,
    pause_channel,
    resume_channel,
)
from tracker.feeds.content import stored_html_for_display
from tracker.feeds.fetch_policy import fetch_policy
from tracker.feeds.milestone_links import (
    links_of_entries,
    updates_by_milestone,
)
from tracker.feeds.store import latest_engagement
from tracker.forms import ActionForm, attach_errors
from tracker.forms.feeds import (
    ChannelForm,
    FollowersCsvForm,
    FollowersForm,
    OpmlForm,
    PostForm,
)
from tracker.jobs import QueueUnavailable, enqueue
from tracker.models import utcnow
from tracker.validation import parse_int
from tracker.views.access import team_campaign
from tracker.views.rendering import render_page_or_fragment, see_other, wants_fragment

bp = Blueprint("feeds", __name__, url_prefix="/dashboard/<slug>/feeds")
PER_PAGE = 25
CHANNELS_PER_PAGE = 50
# What the worker runs for each job a channel's row may show (tracker/jobs/feeds.py).
CHANNEL_JOBS = {"poll": "feeds.poll_channel", "discover": "feeds.discover_channel"}


@bp.app_template_filter("entry_html")
def entry_html(value: str) -> Markup:
    # Safe: stored entry HTML is cleaned with the allowlist again before it is shown.
    return Markup(stored_html_for_display(value))  # noqa: S704


@bp.app_template_global("channel_job")
def channel_job(channel):
    return job_view(channel, now=utcnow())


def _channel_or_404(campaign, channel_id):
    try:
        return get_channel(get_session(), campaign, channel_id)
    except NotFound:
        abort(404)


def _page_number(total: int, per_page: int) -> int:
    """Return the ?page= asked for (1 when none is); 404 for a page that does not exist."""
    try:
        page = parse_int(request.args.get("page", "1"), field="page", minimum=1)
    except InvalidInput:
        abort(404)
    if page > page_count(total, per_page):
        abort(404)
    return page


def channel_choices(campaign):
    """Return the (id, label) choices of the campaign's channels for the forms."""
    # The oldest channels a campaign may have: bounded even where earlier imports went past.
    limit = max_channels(current_app.config)
    return [(c.id, _label(c)) for c in first_channels(get_session(), campaign, limit=limit)]


def _forms(campaign, **given):
    choices = channel_choices(campaign)
    forms = {
        "channel_form": ChannelForm(formdata=None),
        "post_form": PostForm(formdata=None, prefix="post", zone_name=campaign.timezone),
        "followers_form": FollowersForm(
            formdata=None, prefix="followers", zone_name=campaign.timezone
        ),
        "csv_form": FollowersCsvForm(formdata=None),
        "opml_form": OpmlForm(formdata=None, prefix="opml"),
        **given,
    }
    forms["post_form"].channel.choices = choices
    forms["followers_form"].channel.choices = choices
    return forms


def _label(channel) -> str:
    return f"{channel.title or channel.feed_url or channel.source_url} ({channel.role})"


def _channel_list(campaign, page: int | None = None) -> dict:
    """Return one page of channels for the template (the last page when none is asked)."""
    session = get_session()
    pages = page_count(count_channels(session, campaign), CHANNELS_PER_PAGE)
    page = pages if page is None else page
    rows = channel_page(session, campaign, page=page, per_page=CHANNELS_PER_PAGE)
    return {"channels": rows, "list_page": page, "list_pages": pages}


def render_overview(campaign, status=200, page=1, **given):
    """Render the feeds page; forms given (with their errors) replace the blank ones."""
    session = get_session()
    context = {
        "campaign": campaign,
        **_channel_list(campaign, page),
        "milestones": milestones_of(session, campaign.id),
        "updates": updates_by_milestone(session, campaign, public_only=False),
        "action_form": ActionForm(formdata=None),
        **_forms(campaign, **given),
    }
    return render_template("feeds/overview.html", **context), status


@bp.get("/")
@team_campaign
def overview(campaign):
    total = count_channels(get_session(), campaign)
    return render_overview(campaign, page=_page_number(total, CHANNELS_PER_PAGE))


@bp.post("/channels")
@team_campaign
def add(campaign):
    form, session = ChannelForm(), get_session()
    added = _channel_added(session, campaign, form) if form.validate_on_submit() else None
    if added is not None:
        session.commit()
        if added.channel.job == "discover":  # recorded with the channel
            _queue_job(added.channel, "discover", added.channel.job_id)
        if not wants_fragment():
            flash(added_message(added))
            return see_other(url_for("feeds.overview", slug=campaign.slug))
        form = ChannelForm(formdata=None)
    return _channels_answer(campaign, form, added)


def _channel_added(session, campaign, form):
    """Add the submitted channel (a discovery is recorded, not run); None when it is refused."""
    try:
        return add_channel_later(
            session,
            campaign,
            text=form.url.data,
            role=form.role.data,
            policy=fetch_policy(current_app.config),
            now=utcnow(),
            github_commits=form.commits.data,
            max_channels=max_channels(current_app.config),
            kind=form.kind.data or None,
        )
    except InvalidInput as error:
        session.rollback()
        attach_errors(form, error.errors)
        return None


def _channels_answer(campaign, form, added):
    if not wants_fragment():
        return render_overview(campaign, status=422, channel_form=form)
    return render_page_or_fragment(
        "feeds/overview.html",
        "feeds/_channels.html",
        200 if added else 422,
        campaign=campaign,
        **_channel_list(campaign),  # the last page: a new channel is at its end
        channel_form=form,
        added_message=added_message(added) if added else None,
        action_form=ActionForm(formdata=None),
    )


def added_message(added) -> str:
    """Say what happens to a channel just added: the same words with and without htmx."""
    channel = added.channel
    if channel.job == "discover":
        return _(
            "Looking for the feed of %(url)s: its row shows what is found.", url=channel.source_url
        )
    message = _("Now following %(url)s.", url=channel.feed_url or channel.source_url)
    if added.hand_kept:
        message += " " + _("This platform has no feed: add its posts by hand.")
    return message


def _channel_changed(campaign, channel):
    if not wants_fragment():
        return see_other(url_for("feeds.overview", slug=campaign.slug) + f"#channel-{channel.id}")
    return render_page_or_fragment(
        "feeds/_channel_row.html",
        "feeds/_channel_row.html",
        campaign=campaign,
        row=channel_row(get_session(), channel),
        action_form=ActionForm(formdata=None),
    )


def _checked_action():
    if not ActionForm().validate_on_submit():
        abort(400)


def _queue_job(channel, job: str, job_id: str | None = None) -> None:
    """Record the job on the channel (unless given, recorded), commit, hand it to the worker."""
    session = get_session()
    if job_id is None:
        job_id = request_job(session, channel, job, now=utcnow())
    session.commit()  # the worker must find the job it is sent
    if job_id is None:
        return  # the same job is on its way already
    try:
        enqueue(CHANNEL_JOBS[job], channel.id, job_id)
    except QueueUnavailable as error:
        reason = f"could not queue the job: {error}"
        finish_job(session, channel.id, job_id, now=utcnow(), error=reason)
        session.commit()


@bp.post("/channels/<int:channel_id>/poll")
@team_campaign
def poll_now(campaign, channel_id):
    _checked_action()
    channel = _channel_or_404(campaign, channel_id)
    _queue_job(channel, "poll")  # the worker fetches; this request never waits on the feed
    return _channel_changed(campaign, channel)


@bp.post("/channels/<int:channel_id>/remove")
@team_campaign
def remove(campaign, channel_id):
    _checked_action()
    channel, session = _channel_or_404(campaign, channel_id), get_session()
    try:
        remove_unfound(session, channel)
    except InvalidInput:
        abort(400)
    session.commit()
    if not wants_fragment():
        return see_other(url_for("feeds.overview", slug=campaign.slug) + "#channels")
    return current_app.response_class("", status=200)  # htmx removes the row


@bp.get("/channels/<int:channel_id>/row")
@team_campaign
def channel_row_fragment(campaign, channel_id):
    # The row asks for itself while a job is on its way; a browser without htmx reloads.
    channel = _channel_or_404(campaign, channel_id)
    return _channel_changed(campaign, channel)


@bp.post("/channels/<int:channel_id>/pause")
@team_campaign
def pause(campaign, channel_id):
    _checked_action()
    channel = _channel_or_404(campaign, channel_id)
    pause_channel(get_session(), channel, now=utcnow())
    get_session().commit()
    return _channel_changed(campaign, channel)


@bp.post("/channels/<int:channel_id>/resume")
@team_campaign
def resume(campaign, channel_id):
    _checked_action()
    channel = _channel_or_404(campaign, channel_id)
    resume_channel(get_session(), channel, now=utcnow())
    get_session().commit()
    return _channel_changed(campaign, channel)


@bp.get("/channels/<int:channel_id>")
@team_campaign
def channel_entries(campaign, channel_id):
    channel, session = _channel_or_404(campaign, channel_id), get_session()
    total = count_entries(session, channel)
    page = _page_number(total, PER_PAGE)
    entries = entries_of(session, channel, page=page, per_page=PER_PAGE)
    return render_template(
        "feeds/channel.html",
        campaign=campaign,
        channel=channel,
        entries=entries,
        page=page,
        pages=page_count(total, PER_PAGE),
        total=total,
        links=links_of_entries(session, [e.id for e in entries]),
        engagement=latest_engagement(session, [e.id for e in entries]),
        milestones=milestones_of(session, campaign.id),
        action_form=ActionForm(formdata=None),
    )
