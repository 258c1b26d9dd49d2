"""Flask-WTF forms: input coercion and CSRF; the rules live in the domain modules."""

from flask_wtf import FlaskForm


class ActionForm(FlaskForm):
    """A form with nothing but its CSRF token, for buttons that change state."""


def attach_errors(form: FlaskForm, errors: dict[str, str]) -> None:
    """Show each domain error next to its field, or above the form when it has none."""
    for name, reason in errors.items():
        field = getattr(form, name, None)
        if field is not None and hasattr(field, "errors"):
            field.errors = [*field.errors, reason]
        else:
            form.form_errors.append(reason)
