"""Locale choice (English, German) and the formatting filters templates use."""

from flask import Flask, request
from flask_babel import Babel

from tracker.money import format_money

LOCALE_COOKIE = "lang"


def select_locale() -> str:
    """Choose the locale from the remembered choice, else from Accept-Language."""
    from flask import current_app

    languages = current_app.config["LANGUAGES"]
    chosen = request.cookies.get(LOCALE_COOKIE)
    if chosen in languages:
        return chosen
    return request.accept_languages.best_match(languages) or languages[0]


def init_app(app: Flask) -> None:
    """Enable Flask-Babel and register the money filter."""
    Babel(app, locale_selector=select_locale)

    @app.template_filter("money")
    def _money(amount_minor: int, currency: str) -> str:
        from flask_babel import get_locale

        return format_money(amount_minor, currency, str(get_locale() or "en"))
