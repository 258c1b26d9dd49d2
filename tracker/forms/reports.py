"""The report form: which period, which language, and the founder's note."""

from flask_babel import lazy_gettext as _l
from wtforms import DateField, HiddenField, RadioField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length, Optional

from tracker.forms import TrackerForm


class _PeriodFields(TrackerForm):
    kind = RadioField(
        _l("Period"),
        choices=[
            SelectChoice("month", _l("A calendar month")),
            SelectChoice("range", _l("From a day to a day")),
            SelectChoice("since_last", _l("Since the last published report")),
        ],
        default="month",
    )
    # No placeholder: HTML allows none on a month input; the hint gives the example.
    month = StringField(_l("Month"), render_kw={"type": "month"})
    start = DateField(_l("From"), validators=[Optional()])
    end = DateField(_l("To"), validators=[Optional()])
    language = SelectField(
        _l("Language of the report"),
        choices=[
            SelectChoice("", _l("The campaign's language")),
            SelectChoice("en", "English"),
            SelectChoice("de", "Deutsch"),
        ],
        default="",
    )


class ReportPeriodForm(_PeriodFields):
    """The period and language, read from the query string to show the period's figures."""

    class Meta:
        csrf = False  # a GET that only chooses what to show


class ReportForm(_PeriodFields):
    """The period, language and note, posted to preview, export or publish."""

    note = TextAreaField(
        _l("A note from the team (Markdown)"),
        validators=[Length(max=20000, message=_l("Use at most 20000 characters."))],
    )


class PublishForm(ReportForm):
    """The report form again, once the founder confirmed which version it publishes."""

    confirmed = HiddenField()
    revision = HiddenField()  # the version the confirmation page announced
