"""Flask-WTF forms: input coercion and CSRF; the rules live in the domain modules."""

from datetime import datetime

from flask_wtf import FlaskForm
from wtforms import DateTimeLocalField, IntegerField, PasswordField, StringField

from tracker.dates import from_local
from tracker.errors import InvalidInput
from tracker.text import strip_forbidden_chars
from tracker.validation import COUNT_MAX, parse_int


class TrackerForm(FlaskForm):
    """The base of every form: CSRF, and text fields stripped of what XML forbids."""

    class Meta:
        def bind_field(self, form, unbound_field, options):
            field_class = unbound_field.field_class
            # Passwords are compared, never printed: they keep every character typed.
            if issubclass(field_class, StringField) and not issubclass(field_class, PasswordField):
                filters = unbound_field.kwargs.get("filters") or ()
                options["filters"] = (*filters, strip_forbidden_chars)
            return unbound_field.bind(form=form, **options)

    def __init__(self, *args, zone_name: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self:
            if isinstance(field, LocalMomentField):
                field.set_zone(zone_name or "UTC")


class ActionForm(TrackerForm):
    """A form with nothing but its CSRF token, for buttons that change state."""


class WholeNumberField(IntegerField):
    """An integer field read by tracker.validation: ASCII digits within the database integer."""

    def process_formdata(self, valuelist):
        if not valuelist:
            return
        try:
            self.data = parse_int(
                valuelist[0], field=self.name, minimum=-COUNT_MAX, maximum=COUNT_MAX
            )
        except InvalidInput as error:
            self.data = None
            raise ValueError(
                self.invalid_value_message or self.gettext("Not a valid integer value.")
            ) from error


class LocalMomentField(DateTimeLocalField):
    """A date and time typed in the campaign's time zone, its label naming the zone.

    The label holds %(zone)s; the form's zone_name fills it in. moment is the aware UTC
    datetime, None when left empty.
    """

    zone_name = "UTC"

    def set_zone(self, zone_name: str) -> None:
        self.zone_name = zone_name
        self.label.text = str(self.label.text) % {"zone": zone_name}

    @property
    def moment(self) -> datetime | None:
        return from_local(self.data, self.zone_name) if self.data else None


def attach_errors(form: FlaskForm, errors: dict[str, str]) -> None:
    """Show each domain error next to its field, or above the form when it has none."""
    for name, reason in errors.items():
        field = getattr(form, name, None)
        if field is not None and hasattr(field, "errors"):
            field.errors = [*field.errors, reason]
        else:
            form.form_errors.append(reason)
