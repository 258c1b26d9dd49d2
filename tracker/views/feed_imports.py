"""Posts and follower counts added by hand, follower CSV files, OPML in and out."""

from flask import current_app, url_for

from tracker.db import get_session
from tracker.errors import InvalidInput, NotFound
from tracker.feeds.channel_lists import channels_of
from tracker.feeds.channels import add_post_by_hand, get_channel, max_channels
from tracker.feeds.followers import FollowerCsvRejected, import_followers_csv, record_followers
from tracker.feeds.opml import MAX_OPML_BYTES, OpmlError, import_opml, write_opml
from tracker.forms import attach_errors
from tracker.forms.feeds import FollowersCsvForm, FollowersForm, OpmlForm, PostForm
from tracker.models import utcnow
from tracker.views.access import team_campaign
from tracker.views.feeds import bp, channel_choices, render_overview
from tracker.views.rendering import see_other


@bp.post("/posts")
@team_campaign
def add_post(campaign):
    session = get_session()
    form = PostForm(prefix="post", zone_name=campaign.timezone)
    form.channel.choices = channel_choices(campaign)
    if form.validate_on_submit():
        channel = _post_added(session, campaign, form)
        if channel is not None:
            session.commit()
            return see_other(
                url_for("feeds.channel_entries", slug=campaign.slug, channel_id=channel.id)
            )
    return render_overview(campaign, status=422, post_form=form)


def _post_added(session, campaign, form):
    """Add the submitted post to its channel and return the channel; None when refused."""
    try:
        channel = get_channel(session, campaign, form.channel.data)
        add_post_by_hand(
            session,
            channel,
            url=form.url.data or "",
            published_at=form.published_at.moment,
            text=form.text.data,
            now=utcnow(),
        )
    except NotFound:
        attach_errors(form, {"channel": "Choose a channel of this campaign."})
        return None
    except InvalidInput as error:
        session.rollback()
        attach_errors(form, error.errors)
        return None
    return channel


@bp.post("/followers")
@team_campaign
def add_followers(campaign):
    session, form = get_session(), FollowersForm(prefix="followers", zone_name=campaign.timezone)
    if form.validate_on_submit():
        try:
            channel = get_channel(session, campaign, form.channel.data)
            taken_at = form.taken_at.moment
            record_followers(
                session,
                channel,
                count=form.count.data,
                taken_at=taken_at,
                source="form",
                now=utcnow(),
            )
        except NotFound:
            attach_errors(form, {"channel": "Choose a channel of this campaign."})
        except InvalidInput as error:
            attach_errors(form, error.errors)
        else:
            session.commit()
            return see_other(url_for("feeds.overview", slug=campaign.slug) + "#followers")
    return render_overview(campaign, status=422, followers_form=form)


@bp.post("/followers.csv")
@team_campaign
def upload_followers(campaign):
    session, form = get_session(), FollowersCsvForm()
    if form.validate_on_submit():
        try:
            saved = import_followers_csv(session, campaign, form.csv.data.read(), now=utcnow())
        except FollowerCsvRejected as error:
            session.rollback()
            return render_overview(campaign, status=422, csv_form=form, csv_errors=error.errors)
        session.commit()
        return render_overview(
            campaign, csv_form=FollowersCsvForm(formdata=None), csv_saved=len(saved)
        )
    return render_overview(campaign, status=422, csv_form=form)


@bp.post("/opml")
@team_campaign
def upload_opml(campaign):
    session, form = get_session(), OpmlForm(prefix="opml")
    if form.validate_on_submit():
        try:
            result = import_opml(
                session,
                campaign,
                form.opml.data.read(MAX_OPML_BYTES + 1),  # read_opml refuses what is larger
                role=form.role.data,
                max_channels=max_channels(current_app.config),
            )
        except OpmlError as error:
            attach_errors(form, {"opml": str(error)})
        else:
            session.commit()
            return render_overview(
                campaign, opml_form=OpmlForm(formdata=None, prefix="opml"), opml_result=result
            )
    return render_overview(campaign, status=422, opml_form=form)


@bp.get("/channels.opml")
@team_campaign
def download_opml(campaign):
    channels = [row.channel for row in channels_of(get_session(), campaign)]
    body = write_opml(campaign.title, channels, now=utcnow())
    response = current_app.response_class(body, mimetype="text/x-opml")
    response.headers["Content-Disposition"] = f'attachment; filename="{campaign.slug}-feeds.opml"'
    return response
