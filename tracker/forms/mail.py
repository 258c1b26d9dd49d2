"""E-mail forms: a backer's subscription, a founder's erasure of an address on request."""

from flask_babel import lazy_gettext as _l
from wtforms import EmailField, RadioField, SelectField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length

from tracker.forms import TrackerForm


class SubscribeForm(TrackerForm):
    """Address, language and what to receive; the domain checks the address."""

    address = EmailField(
        _l("E-mail address"),
        validators=[InputRequired(), Length(max=254)],
        render_kw={"autocomplete": "email"},
    )
    language = SelectField(
        _l("Language"),
        choices=[SelectChoice("en", "English"), SelectChoice("de", "Deutsch")],
        default="en",
    )
    receives = RadioField(
        _l("What to receive"),
        choices=[
            SelectChoice("reports", _l("Every published report")),
            SelectChoice("digest", _l("A weekly digest of updates and milestone changes")),
            SelectChoice("both", _l("Both")),
        ],
        default="both",
    )


class DeleteAddressForm(TrackerForm):
    """An address to delete, typed by the founder: subscribers are never listed."""

    address = EmailField(_l("E-mail address"), validators=[InputRequired(), Length(max=254)])
