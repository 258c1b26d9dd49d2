"""Forms for backer report uploads, pushed totals and API tokens."""

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    HiddenField,
    IntegerField,
    SelectField,
    StringField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, NumberRange, Optional

from tracker.forms import LocalMomentField, TrackerForm
from tracker.pledges.formats import FORMATS

# What founders call each export; the internal names ("kickstarter-d") are never shown.
FORMAT_NAMES = {
    "kickstarter": "Kickstarter",
    "indiegogo": "Indiegogo",
    "opencollective": "Open Collective",
    "generic": _l("Generic CSV"),
}
GENERATION_NAMES = {
    "kickstarter-a": _l("Kickstarter backer report (first format)"),
    "kickstarter-b": _l("Kickstarter backer report (second format)"),
    "kickstarter-c": _l("Kickstarter backer report (with survey columns)"),
    "kickstarter-d": _l("Kickstarter backer report (2024 format)"),
    "indiegogo-contributions": _l("Indiegogo contributions export"),
    "indiegogo-payments": _l("Indiegogo payments export"),
    "opencollective-fields": _l("Open Collective transactions CSV"),
    "opencollective-labels": _l("Open Collective transactions CSV"),
    "opencollective-api": _l("Open Collective API, polled"),
}
FORMAT_CHOICES = [
    SelectChoice("auto", _l("Detect from the header")),
    *(SelectChoice(f, FORMAT_NAMES.get(f, f)) for f in FORMATS),
]


class UploadForm(TrackerForm):
    report = FileField(
        _l("Backer report (CSV, or ZIP of CSVs)"),
        validators=[FileRequired(_l("Choose a file to upload."))],
    )
    format = SelectField(_l("Format"), choices=FORMAT_CHOICES)
    skip_bad_rows = BooleanField(_l("Import the good rows even if some are bad"))


class ConfirmImportForm(TrackerForm):
    """The second step for a report with no row in the campaign's currency."""

    held = HiddenField()  # tracker.pledges.held_uploads token
    filename = HiddenField()
    format = SelectField(choices=FORMAT_CHOICES)
    skip_bad_rows = BooleanField()


class SnapshotForm(TrackerForm):
    amount = StringField(_l("Total pledged"), validators=[InputRequired()])
    backers = IntegerField(_l("Backers"), validators=[InputRequired(), NumberRange(min=0)])
    taken_at = LocalMomentField(_l("As of (%(zone)s time, optional)"), validators=[Optional()])


class TokenForm(TrackerForm):
    name = StringField(_l("Token name (e.g. cron on my server)"), validators=[InputRequired()])
