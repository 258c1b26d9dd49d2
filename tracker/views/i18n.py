"""Locale choice (English, German), the remembered preference and the formatting filters."""

from datetime import timedelta

from babel import Locale
from flask import Flask, Response, current_app, request
from flask_babel import Babel, get_locale
from jinja2 import pass_context

from tracker.dates import format_day, format_moment
from tracker.money import format_money

LOCALE_COOKIE = "lang"
LOCALE_COOKIE_MAX_AGE = timedelta(days=365)
# Open Graph wants language_TERRITORY; the page itself is only "en" or "de".
OG_LOCALES = {"en": "en_US", "de": "de_DE"}
# Each language named in itself, so a reader finds their own whatever the page's language.
LANGUAGE_NAMES = {"en": "English", "de": "Deutsch"}


def select_locale() -> str:
    """Choose the locale from the remembered choice, else from Accept-Language."""
    languages = current_app.config["LANGUAGES"]
    chosen = request.cookies.get(LOCALE_COOKIE)
    if chosen in languages:
        return chosen
    return request.accept_languages.best_match(languages) or languages[0]


def current_locale() -> str:
    """Return the locale of this request as a language code, e.g. 'de'."""
    return str(get_locale() or current_app.config["BABEL_DEFAULT_LOCALE"])


def language_name(language: str) -> str:
    """Return a language's name in this request's language, e.g. 'Englisch' for 'en' in German."""
    return Locale.parse(language).get_display_name(current_locale()) or language


def og_locale(language: str | None = None) -> str:
    """Return the Open Graph locale (e.g. 'de_DE') of language, or of this request."""
    return OG_LOCALES.get(language or current_locale(), "en_US")


def remember_locale(response: Response, language: str) -> Response:
    """Set the cookie that remembers the chosen language for a year."""
    response.set_cookie(
        LOCALE_COOKIE,
        language,
        max_age=LOCALE_COOKIE_MAX_AGE,
        path="/",
        samesite="Lax",
        httponly=True,
        # Relaxed only in tests and by `tracker run --debug`, as for the session cookie.
        secure=current_app.config["SESSION_COOKIE_SECURE"],
    )
    return response


def init_app(app: Flask) -> None:
    """Enable Flask-Babel and register the money filter and the locale globals."""
    Babel(app, locale_selector=select_locale)

    @app.template_filter("money")
    def _money(amount_minor: int, currency: str) -> str:
        return format_money(amount_minor, currency, current_locale())

    # One format for a day and one for a moment on every page, in the campaign's time zone:
    # these replace Flask-Babel's filters of the same names and take no format argument.
    app.jinja_env.filters["dateformat"] = _day_filter
    app.jinja_env.filters["datetimeformat"] = _moment_filter
    app.add_template_global(og_locale, "og_locale")
    app.add_template_global(language_name, "language_name")
    app.add_template_global(
        lambda: [(code, LANGUAGE_NAMES.get(code, code)) for code in app.config["LANGUAGES"]],
        "language_choices",
    )


def day_text(value, *, zone_name: str | None = None) -> str:
    """Format a day (or a moment's day in the zone) in this request's locale."""
    return format_day(value, locale=current_locale(), zone_name=zone_name) if value else ""


def moment_text(value, *, zone_name: str | None = None) -> str:
    """Format a moment in the zone, naming the zone, in this request's locale."""
    return format_moment(value, locale=current_locale(), zone_name=zone_name) if value else ""


def _zone_of(context) -> str | None:
    # Pages about a campaign have it in their context: its dates are in its time zone.
    return getattr(context.get("campaign"), "timezone", None)


@pass_context
def _day_filter(context, value) -> str:
    return day_text(value, zone_name=_zone_of(context))


@pass_context
def _moment_filter(context, value) -> str:
    return moment_text(value, zone_name=_zone_of(context))
