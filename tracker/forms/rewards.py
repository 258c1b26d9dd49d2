"""The founder's reward tier form; prices and counts are checked by tracker.campaigns.rewards."""

from flask_babel import lazy_gettext as _l
from wtforms import StringField

from tracker.forms import TrackerForm


class RewardTierForm(TrackerForm):
    title = StringField(_l("Title"))
    price = StringField(_l("Price"))
    limit = StringField(_l("How many there are (empty: unlimited)"))
    backers = StringField(_l("Backers so far (empty: counted from your last backer report)"))
