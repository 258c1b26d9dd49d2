"""Forms of the feeds dashboard: channels, posts by hand, follower counts, OPML, links."""

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, NumberRange, Optional

from tracker.connectors.kinds import KINDS
from tracker.forms import LocalMomentField, TrackerForm

ROLE_CHOICES = [
    SelectChoice("updates", _l("Updates (our own posts)")),
    SelectChoice("feedback", _l("Feedback (what followers say)")),
]

# Each kind of tracker.connectors.kinds.KINDS as founders call it (`--kind` in the CLI).
KIND_NAMES = {
    "feed": _l("Feed (RSS or Atom)"),
    "kickstarter": _l("Kickstarter (live figures)"),
    "opencollective": _l("Open Collective"),
    "mastodon": _l("Mastodon (or another fediverse server)"),
    "bluesky": _l("Bluesky"),
    "youtube": _l("YouTube"),
    "hackernews": _l("Hacker News"),
    "reddit": _l("Reddit"),
    "github": _l("GitHub (stars, forks, watchers)"),
}
KIND_CHOICES = [
    SelectChoice("", _l("Detect automatically")),
    *(SelectChoice(kind, KIND_NAMES[kind]) for kind in KINDS),
]


class ChannelForm(TrackerForm):
    url = StringField(
        _l("Profile, page or feed"), validators=[InputRequired(_l("Paste a URL or a handle."))]
    )
    role = SelectField(_l("Role"), choices=ROLE_CHOICES)
    kind = SelectField(_l("Kind"), choices=KIND_CHOICES, default="")
    commits = BooleanField(_l("GitHub: follow commits instead of releases"))


class PostForm(TrackerForm):
    channel = SelectField(_l("Channel"), coerce=int, validate_choice=False)
    url = StringField(_l("Link to the post (optional)"))
    published_at = LocalMomentField(
        _l("Posted at (%(zone)s time)"),
        validators=[InputRequired(_l("Give the date of the post."))],
    )
    text = TextAreaField(_l("Text"), validators=[InputRequired(_l("Paste the post's text."))])


class FollowersForm(TrackerForm):
    channel = SelectField(_l("Channel"), coerce=int, validate_choice=False)
    count = IntegerField(_l("Followers"), validators=[InputRequired(), NumberRange(min=0)])
    taken_at = LocalMomentField(_l("As of (%(zone)s time, optional)"), validators=[Optional()])


class FollowersCsvForm(TrackerForm):
    csv = FileField(
        _l("Follower counts (CSV: channel,taken_at,count)"),
        validators=[FileRequired(_l("Choose a file to upload."))],
    )


class OpmlForm(TrackerForm):
    opml = FileField(_l("OPML file"), validators=[FileRequired(_l("Choose a file to upload."))])
    role = SelectField(_l("Role of its feeds"), choices=ROLE_CHOICES)


class LinkForm(TrackerForm):
    milestone = SelectField(_l("Milestone"), coerce=int, validate_choice=False)
