"""Hero images: the founder uploads or removes one; anyone fetches its resized files."""

from pathlib import Path

from flask import Blueprint, abort, current_app, flash, send_from_directory, url_for
from flask_babel import gettext as _

from tracker.campaigns.hero import (
    check_hero_image,
    hero_files,
    remove_hero_image,
    set_hero_image,
)
from tracker.db import get_session
from tracker.errors import InvalidInput
from tracker.forms import ActionForm, attach_errors
from tracker.forms.campaigns import HeroImageForm
from tracker.media.storage import is_file_name, remove_files
from tracker.views.absolute_urls import absolute_url
from tracker.views.access import team_campaign
from tracker.views.founder import campaign_settings_page
from tracker.views.rendering import see_other

bp = Blueprint("media", __name__)
# A file's name is the hash of its content: it never changes, so browsers keep it a year.
YEAR = 365 * 24 * 3600


def media_dir() -> Path:
    """Return the folder the app keeps uploaded images in (TRACKER_MEDIA_DIR)."""
    return Path(current_app.config["MEDIA_DIR"])  # settled by create_app


def hero_url(campaign) -> str | None:
    """Return the absolute address of the campaign's largest hero file, or None."""
    files = hero_files(campaign)
    return absolute_url("media.media_file", name=files[-1].name) if files else None


def hero_bytes(campaign) -> bytes | None:
    """Return the largest file of the campaign's hero image (share card, report), or None."""
    files = hero_files(campaign)
    path = media_dir() / files[-1].name if files else None
    # A file lost with a restored database and no media backup: drawn without the image.
    return path.read_bytes() if path is not None and path.is_file() else None


@bp.get("/media/<name>")
def media_file(name):
    if not is_file_name(name):
        abort(404)
    response = send_from_directory(media_dir(), name, mimetype="image/webp", max_age=YEAR)
    response.cache_control.public = True
    response.cache_control.immutable = True
    return response


@bp.post("/dashboard/<slug>/image")
@team_campaign
def upload_image(campaign):
    form = HeroImageForm()
    if form.validate_on_submit():
        session = get_session()
        try:
            image = check_hero_image(form.image.data.read())
        except InvalidInput as error:
            attach_errors(form, error.errors)
        else:
            unused = set_hero_image(session, campaign, image, media_dir=media_dir())
            session.commit()
            remove_files(media_dir(), unused)
            flash(_("The hero image is saved."))
            return see_other(url_for("founder.edit_campaign", slug=campaign.slug))
    return campaign_settings_page(campaign, image_form=form, status=422)


@bp.post("/dashboard/<slug>/image/remove")
@team_campaign
def remove_image(campaign):
    if not ActionForm().validate_on_submit():
        abort(400)
    session = get_session()
    unused = remove_hero_image(session, campaign)
    session.commit()
    remove_files(media_dir(), unused)
    flash(_("The hero image is removed."))
    return see_other(url_for("founder.edit_campaign", slug=campaign.slug))
