"""Money as integer minor units plus an ISO 4217 code; parse and format amounts."""

import functools
from decimal import Decimal, InvalidOperation

from babel.numbers import format_currency, get_currency_precision, list_currencies

_CURRENCIES = frozenset(list_currencies())


def is_currency(code: str) -> bool:
    """Tell whether code is a known ISO 4217 currency code."""
    return code in _CURRENCIES


@functools.cache  # parsers call it per row
def minor_digits(currency: str) -> int:
    """Return how many minor-unit digits the currency has (EUR 2, JPY 0)."""
    return get_currency_precision(currency)


def parse_major_amount(text: str, currency: str) -> int:
    """Parse a plain decimal amount like '50000' or '1,250.50' into minor units."""
    cleaned = text.strip().replace(",", "").replace("_", "").replace(" ", "")
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        raise ValueError(f"'{text}' is not an amount") from None
    if not value.is_finite():
        raise ValueError(f"'{text}' is not an amount")
    scaled = value.scaleb(minor_digits(currency))
    if scaled != scaled.to_integral_value():
        raise ValueError(f"'{text}' has more decimals than {currency} allows")
    return int(scaled)


def to_major(amount_minor: int, currency: str) -> Decimal:
    """Return the amount in major units as an exact Decimal."""
    return Decimal(amount_minor).scaleb(-minor_digits(currency))


def format_money(amount_minor: int, currency: str, locale: str = "en") -> str:
    """Format minor units for display in the given locale, e.g. '€50,000.00'."""
    return format_currency(to_major(amount_minor, currency), currency, locale=locale)
