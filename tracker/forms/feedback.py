"""Forms of the feedback inbox and its alert settings."""

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, NumberRange

from tracker.feedback.replies import MAX_ANSWER_LENGTH, MAX_NOTE_LENGTH
from tracker.forms import TrackerForm, WholeNumberField
from tracker.models import FEEDBACK_STATES


class StateForm(TrackerForm):
    state = SelectField(_l("State"), choices=[(s, s) for s in FEEDBACK_STATES])
    back = HiddenField()  # the inbox's filter as a query string, to return to without JS


class NoteForm(TrackerForm):
    note = TextAreaField(
        _l("Private note"),
        validators=[Length(max=MAX_NOTE_LENGTH, message=_l("Use at most 5000 characters."))],
    )
    back = HiddenField()


class AnswerForm(TrackerForm):
    """The team's public answer; the domain checks the address (tracker.feedback.replies)."""

    answer_text = TextAreaField(
        _l("Your answer, as backers read it on the public page"),
        validators=[Length(max=MAX_ANSWER_LENGTH, message=_l("Use at most 2000 characters."))],
    )
    answer_url = StringField(_l("Link to your reply"))
    back = HiddenField()


class SettingsForm(TrackerForm):
    negative_share = WholeNumberField(
        _l("Alert when more than this share of a day's comments is negative (%)"),
        validators=[
            InputRequired(_l("Give a percentage.")),
            NumberRange(min=1, max=100, message=_l("Give a percentage from 1 to 100.")),
        ],
    )
    share_min_volume = WholeNumberField(
        _l("… and the last 24 hours have at least this many comments"),
        validators=[InputRequired(), NumberRange(min=1, max=100000)],
    )
    spike_min_count = WholeNumberField(
        _l("A spike needs at least this many negative comments in 24 hours"),
        validators=[InputRequired(), NumberRange(min=1, max=100000)],
    )
