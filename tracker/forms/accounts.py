"""Forms for registering and logging in."""

from flask_babel import lazy_gettext as _l
from wtforms import EmailField, PasswordField
from wtforms.validators import EqualTo, InputRequired, Length

from tracker.accounts.users import password_problem
from tracker.forms import TrackerForm


class RegisterForm(TrackerForm):
    email = EmailField(_l("Email"), validators=[InputRequired(), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[InputRequired(), Length(max=256)])
    confirm = PasswordField(
        _l("Repeat password"),
        validators=[InputRequired(), EqualTo("password", message=_l("The passwords differ."))],
    )

    def validate(self, extra_validators=None):
        """Check the form, stating the password rule even when the passwords differ."""
        if super().validate(extra_validators):
            return True  # create_user checks the rule with the email's
        # A failed form never reaches create_user: "the passwords differ" alone would hide
        # that the password itself is too short.
        if not self.password.errors and (reason := password_problem(self.password.data)):
            self.password.errors.append(reason)
        return False


class LoginForm(TrackerForm):
    email = EmailField(_l("Email"), validators=[InputRequired(), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[InputRequired(), Length(max=256)])
