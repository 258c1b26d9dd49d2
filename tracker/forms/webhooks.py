"""The form that adds a webhook: its kind and URL; the rules live in tracker.webhooks."""

from flask_babel import lazy_gettext as _l
from wtforms import SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired

from tracker.forms import TrackerForm

KIND_CHOICES = [
    SelectChoice("discord", _l("Discord")),
    SelectChoice("slack", _l("Slack")),
    SelectChoice("json", _l("JSON, signed (your own receiver)")),
]


class WebhookForm(TrackerForm):
    kind = SelectField(_l("Kind"), choices=KIND_CHOICES)
    url = StringField(_l("Webhook URL"), validators=[InputRequired(_l("Paste the webhook's URL."))])
