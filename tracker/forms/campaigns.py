"""Forms for campaigns, their team and their milestones."""

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
    URLField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import NumberRange, Optional

from tracker.campaigns.milestone_changes import REASON_MAX
from tracker.forms import TrackerForm
from tracker.models import PLATFORMS
from tracker.time_zones import DEFAULT_TIME_ZONE, time_zone_names

STATUS_LABELS = {
    "planned": _l("Planned"),
    "in_progress": _l("In progress"),
    "done": _l("Done"),
    "delayed": _l("Delayed"),
    "dropped": _l("Dropped"),
}


class CampaignForm(TrackerForm):
    # static/js/slug.js suggests it from the title while it is empty.
    slug = StringField(_l("Address (slug)"), render_kw={"data-slug-from": "title"})
    title = StringField(_l("Title"))
    tagline = StringField(_l("Tagline"))
    description_md = TextAreaField(_l("Description (Markdown)"))
    goal = StringField(_l("Funding goal"))
    currency = StringField(_l("Currency (ISO 4217, e.g. EUR)"), default="EUR")
    starts_on = DateField(_l("Start date"), validators=[Optional()])
    ends_on = DateField(_l("End date"), validators=[Optional()])
    platform = SelectField(
        _l("Platform"),
        choices=[SelectChoice(p, _l("Other") if p == "other" else p.title()) for p in PLATFORMS],
    )
    # Language names stay in their own language, as everywhere a language is chosen.
    language = SelectField(
        _l("Language"), choices=[SelectChoice("en", "English"), SelectChoice("de", "Deutsch")]
    )
    # The domain checks the name, with a reason next to the field (not WTForms' "Not a
    # valid choice"); the choices are read when a form is built, not at import.
    timezone = SelectField(
        _l("Time zone"),
        choices=lambda: [(name, name.replace("_", " ")) for name in time_zone_names()],
        default=DEFAULT_TIME_ZONE,
        validate_choice=False,
    )
    is_public = BooleanField(_l("Public (backers can see it)"))
    cadence_days = IntegerField(
        _l("Update cadence (days)"), default=14, validators=[Optional(), NumberRange(1, 365)]
    )
    platform_url = URLField(_l("Pledge page on the platform"))
    late_pledge_url = URLField(_l("Late-pledge or pre-order page"))
    image_alt = StringField(
        _l("What the hero image shows (for people who cannot see it)"),
        render_kw={"maxlength": 250},
    )
    video_url = URLField(_l("Video (YouTube or PeerTube)"))
    video_embed = BooleanField(_l("Play the video on the page"))
    public_feedback = BooleanField(_l("Show the feedback section"), default=True)
    public_rewards = BooleanField(_l("Show the reward tiers"), default=True)
    attach_report_pdf = BooleanField(_l("Attach the PDF to report e-mails"))


class EditorForm(TrackerForm):
    email = EmailField(_l("Email of a registered user"))


class TeamMailForm(TrackerForm):
    alerts = BooleanField(_l("Alert me when a storm of criticism starts"))
    summary = BooleanField(_l("Send me a summary every week"))


class MilestoneForm(TrackerForm):
    title = StringField(_l("Title"))
    description_md = TextAreaField(_l("Description (Markdown)"))
    due_on = DateField(_l("Planned date"), validators=[Optional()])
    status = SelectField(
        _l("Status"), choices=[SelectChoice(*item) for item in STATUS_LABELS.items()]
    )
    progress = IntegerField(_l("Progress (%)"), validators=[Optional(), NumberRange(0, 100)])
    completed_on = DateField(_l("Completed on"), validators=[Optional()])
    threshold = StringField(_l("Funding threshold (stretch goal)"))
    tag = StringField(_l("Tag (e.g. beta, for #beta)"))
    is_public = BooleanField(_l("Public"), default=True)
    # Not a milestone attribute: it goes with this change of the planned date only.
    reason = StringField(
        _l("Why the planned date moves (public)"), render_kw={"maxlength": REASON_MAX}
    )


class StatusForm(TrackerForm):
    status = SelectField(
        _l("Status"), choices=[SelectChoice(*item) for item in STATUS_LABELS.items()]
    )


class HeroImageForm(TrackerForm):
    image = FileField(
        _l("Hero image (JPEG, PNG or WebP, up to 10 MB)"),
        validators=[FileRequired(_l("Choose a file to upload."))],
        render_kw={"accept": "image/jpeg,image/png,image/webp"},
    )
