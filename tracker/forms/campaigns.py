"""Forms for campaigns, their team and their milestones."""

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import NumberRange, Optional

from tracker.models import PLATFORMS

STATUS_LABELS = {
    "planned": "Planned",
    "in_progress": "In progress",
    "done": "Done",
    "delayed": "Delayed",
    "dropped": "Dropped",
}


class CampaignForm(FlaskForm):
    slug = StringField("Address (slug)")
    title = StringField("Title")
    tagline = StringField("Tagline")
    description_md = TextAreaField("Description (Markdown)")
    goal = StringField("Funding goal")
    currency = StringField("Currency (ISO 4217, e.g. EUR)", default="EUR")
    starts_on = DateField("Start date", validators=[Optional()])
    ends_on = DateField("End date", validators=[Optional()])
    platform = SelectField("Platform", choices=[SelectChoice(p, p.title()) for p in PLATFORMS])
    language = SelectField(
        "Language", choices=[SelectChoice("en", "English"), SelectChoice("de", "Deutsch")]
    )
    is_public = BooleanField("Public (backers can see it)")


class EditorForm(FlaskForm):
    email = EmailField("Email of a registered user")


class MilestoneForm(FlaskForm):
    title = StringField("Title")
    description_md = TextAreaField("Description (Markdown)")
    due_on = DateField("Planned date", validators=[Optional()])
    status = SelectField("Status", choices=[SelectChoice(*item) for item in STATUS_LABELS.items()])
    progress = IntegerField("Progress (%)", validators=[Optional(), NumberRange(0, 100)])
    completed_on = DateField("Completed on", validators=[Optional()])
    threshold = StringField("Funding threshold (stretch goal)")
    tag = StringField("Tag (e.g. beta, for #beta)")
    is_public = BooleanField("Public", default=True)


class StatusForm(FlaskForm):
    status = SelectField("Status", choices=[SelectChoice(*item) for item in STATUS_LABELS.items()])
