"""Parse single values of crowdfunding exports: money, dates, states and countries.

Money becomes integer minor units plus an ISO 4217 code; dates become timezone-aware UTC
datetimes, and a date or time that names no zone is taken as UTC, because no platform
documents the zone of its naive timestamps and UTC is the one reading that never shifts
with the importer's machine. Every parser raises `PledgeValueError`, whose message is a
short human reason; the caller shows the value beside it. Values the ledger cannot hold
are refused here: amounts past validation.MONEY_MAX_MINOR, moments outside the sane
range or in the future, digits other than ASCII 0-9, unknown countries and fulfilment
states.
"""

import functools
import re
from datetime import UTC, datetime

from babel import Locale

from tracker.errors import InvalidInput
from tracker.money import is_currency, minor_digits
from tracker.validation import COUNT_MAX, MONEY_MAX_MINOR, check_moment, is_ascii_digits


class PledgeValueError(ValueError):
    """Signal a value that cannot be read, with a short human reason."""


# Symbols the English locale data does not carry but exports print.
_EXTRA_SYMBOLS = {
    "US$": "USD",
    "AU$": "AUD",
    "C$": "CAD",
    "CAN$": "CAD",
    "S$": "SGD",
    "SG$": "SGD",
    "R$": "BRL",
}
# Symbols shared by several currencies: they only ever mean the campaign's own currency.
_LOCAL_SYMBOLS = {
    "kr": ("SEK", "NOK", "DKK", "ISK"),
    "kr.": ("DKK", "ISK"),
    "Fr.": ("CHF",),
    "zł": ("PLN",),
    "Kč": ("CZK",),
}
_THOUSANDS_ONLY = " '\u00a0\u202f"
# ASCII digits only: int() would read Arabic-Indic or full-width digits, which no export
# writes on purpose and which hide what a cell says from the person checking the file.
_NUMBER = re.compile(r"\d+(?:[,. '\u00a0\u202f]\d+)*", re.ASCII)
_GROUPED = re.compile(r"\d{1,3}(?:([,. '\u00a0\u202f])\d{3})*", re.ASCII)
# Whole-unit digits past this cannot fit MONEY_MAX_MINOR in any currency: refused before
# int() sees them (a 5,000-digit cell would otherwise raise, or take the CPU).
_MAX_WHOLE_DIGITS = len(str(MONEY_MAX_MINOR))


def _refuse_foreign_digits(text: str) -> None:
    if not text.isascii() and any(c.isdigit() for c in text if not c.isascii()):
        raise PledgeValueError("digits other than 0-9")


@functools.cache
def _symbols() -> dict[str, str]:
    symbols = {}
    for code, symbol in Locale("en").currency_symbols.items():
        if symbol != code and is_currency(code):
            symbols[symbol] = code
    symbols.update(_EXTRA_SYMBOLS)
    return symbols


@functools.cache
def _symbol_of(code: str) -> str:
    return Locale("en").currency_symbols.get(code, code)


def parse_currency(text: str) -> str:
    """Return the ISO 4217 code in `text`, upper-cased and checked."""
    code = text.strip().upper()
    if not is_currency(code):
        raise PledgeValueError(f"unknown currency {code[:12]!r}")
    return code


def _currency_of_symbol(symbol: str, default: str) -> str:
    if symbol in _LOCAL_SYMBOLS:
        if default not in _LOCAL_SYMBOLS[symbol]:
            raise PledgeValueError(f"ambiguous currency symbol {symbol!r}")
        return default
    own = _symbol_of(default)
    # A bare '$' or '¥' is the narrow form of the campaign's CA$, A$ or CN¥.
    if symbol == own or (not symbol[-1].isalpha() and own.endswith(symbol)):
        return default
    code = _symbols().get(symbol)
    if code is None:
        raise PledgeValueError(f"unknown currency symbol {symbol[:8]!r}")
    return code


def _split_number(number: str, decimal_comma: bool) -> tuple[str, str]:
    """Return the integer and fraction digits of a number with separators."""
    seps = [c for c in number if not c.isdigit()]
    if not seps:
        return number, ""
    last = seps[-1]
    is_decimal = False
    if last in ".," and any(c != last for c in seps):
        is_decimal = True
    elif last in ".," and len(seps) == 1:
        fraction = number.rsplit(last, 1)[1]
        # Three digits after a lone separator could be thousands: the format decides.
        is_decimal = len(fraction) != 3 or (last == ",") == decimal_comma
    if is_decimal:
        whole, fraction = number.rsplit(last, 1)
        if last in whole:
            raise PledgeValueError("not a money amount")
    else:
        whole, fraction = number, ""
    if not whole.isdigit() and not _grouped(whole):
        raise PledgeValueError("not a money amount")
    return "".join(c for c in whole if c.isdigit()), fraction


def _grouped(whole: str) -> bool:
    match = _GROUPED.fullmatch(whole)
    if match is None:
        return False
    return len({c for c in whole if not c.isdigit()}) == 1


@functools.lru_cache(maxsize=4096)
def parse_money(text: str, default_currency: str, decimal_comma: bool = False) -> tuple[int, str]:
    """Return (minor units, ISO code) for an amount like '$1,234.00 USD' or '25,50'."""
    _refuse_foreign_digits(text)
    s = text.strip()
    negative = False
    if s[:1] == "(" and s[-1:] == ")":
        negative, s = True, s[1:-1].strip()
    if s[:1] in ("-", "\u2212"):
        negative, s = True, s[1:].lstrip()
    code = None
    if len(s) > 3 and s[-3:].isascii() and s[-3:].isalpha() and s[-3:].isupper():
        code, s = s[-3:], s[:-3].rstrip()
    elif (
        len(s) > 3
        and s[:3].isascii()
        and s[:3].isalpha()
        and s[:3].isupper()
        and not s[3].isalpha()
    ):
        code, s = s[:3], s[3:].lstrip()
    match = _NUMBER.search(s)
    if match is None:
        raise PledgeValueError("missing amount" if not s else "not a money amount")
    prefix, suffix = s[: match.start()].strip(), s[match.end() :].strip()
    if prefix.endswith(("-", "\u2212")):
        negative, prefix = True, prefix[:-1].rstrip()
    if (prefix and suffix) or prefix[-1:] in (".", ",") or suffix[:1] in (".", ","):
        raise PledgeValueError("not a money amount")
    whole, fraction = _split_number(match.group(), decimal_comma)
    if code is not None:
        code = parse_currency(code)
    elif prefix or suffix:
        code = _currency_of_symbol(prefix or suffix, default_currency)
    else:
        code = default_currency
    digits = minor_digits(code)
    if len(fraction) > digits:
        if fraction[digits:].strip("0"):
            raise PledgeValueError(f"more decimal places than {code} has")
        fraction = fraction[:digits]
    whole = whole.lstrip("0")
    if len(whole) > _MAX_WHOLE_DIGITS:
        raise _too_large(code, digits)
    minor = int(whole or "0") * 10**digits + int(fraction.ljust(digits, "0") or "0")
    if minor > MONEY_MAX_MINOR:
        raise _too_large(code, digits)
    return (-minor if negative else minor), code


def _too_large(code: str, digits: int) -> PledgeValueError:
    return PledgeValueError(
        f"more than the largest amount, {MONEY_MAX_MINOR // 10**digits:,} {code}"
    )


@functools.lru_cache(maxsize=4096)
def _parse_iso(s: str) -> datetime:
    head, space, zone = s.rpartition(" ")
    # Exporters write '10:00:00 UTC' or '10:00:00 -0700'; ISO 8601 wants no space there.
    if space and len(head) > 10 and (zone in ("UTC", "GMT") or zone[:1] in ("+", "-")):
        s = head + ("Z" if zone in ("UTC", "GMT") else zone)
    moment = datetime.fromisoformat(s)
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment  # check_moment converts to UTC: year 1 at +01:00 has no UTC datetime


def parse_datetime(text: str, now: datetime | None = None) -> datetime:
    """Return the aware UTC datetime of '2014/04/24, 05:37' or an ISO 8601 date, if past."""
    s = text.strip()
    _refuse_foreign_digits(s)
    try:
        if s[4:5] == "/" and s[7:8] == "/":
            # Kickstarter's 'YYYY/MM/DD, HH:MM' rewritten as ISO with a zero offset: a
            # C-level parse, three times faster than building the datetime field by field.
            day, _, clock = s.replace(",", " ", 1).partition(" ")
            clock = clock.strip()
            moment = datetime.fromisoformat(f"{day.replace('/', '-')}T{clock or '00:00'}+00:00")
        else:
            moment = _parse_iso(s)
    except ValueError:
        raise PledgeValueError("missing date" if not s else "not a date") from None
    try:
        # A pledge is something that happened: nothing before 2000 or after tomorrow.
        return check_moment(moment, field="date", now=now, past_only=True)
    except InvalidInput as error:
        raise PledgeValueError(error.errors["date"]) from None


def parse_quantity(text: str) -> int:
    """Return the non-negative whole number in `text`; blank means 0."""
    s = text.strip()
    if not s:
        return 0
    if not is_ascii_digits(s):
        _refuse_foreign_digits(s)
        raise PledgeValueError("not a whole number")
    if len(s) > 10 or int(s) > COUNT_MAX:
        raise PledgeValueError(f"more than {COUNT_MAX}")
    return int(s)


# Raw states of Kickstarter, Indiegogo, Open Collective and Goteo, keyed case-folded.
STATUSES = {
    "pledged": "pledged",
    "collected": "collected",
    "failed": "failed",
    "dropped": "dropped",
    "refunded": "refunded",
    "errored": "failed",
    "error": "failed",
    "authentication_required": "failed",
    "canceled": "dropped",
    "cancelled": "dropped",
    "disputed": "refunded",
    "completed": "collected",
    "incomplete": "failed",
    "deferred": "pledged",
    "deferred with error": "failed",
    "unfulfilled": "collected",
    "preparing for fulfillment": "collected",
    "fulfilled": "collected",
    "paid": "collected",
    "refund": "refunded",
    "rejected": "failed",
    "expired": "failed",
    "pending": "pledged",
    "new": "pledged",
    "processing": "pledged",
    "charged": "collected",
    "paid to project": "collected",
    "returned": "refunded",
}

FULFILMENTS = {
    "sent": "sent",
    "fulfilled": "sent",
    "shipped": "sent",
    "delivered": "sent",
    "yes": "sent",
    "unsent": "unsent",
    "not sent": "unsent",
    "unfulfilled": "unsent",
    "not fulfilled": "unsent",
    "no": "unsent",
    "preparing": "preparing",
    "preparing for fulfillment": "preparing",
    "in progress": "preparing",
}


def parse_status(text: str) -> str:
    """Return which of pledged|collected|failed|dropped|refunded a raw state means."""
    status = STATUSES.get(" ".join(text.split()).casefold())
    if status is None:
        raise PledgeValueError("missing status" if not text.strip() else "unknown status")
    return status


def parse_fulfilment(text: str) -> str | None:
    """Return 'sent', 'unsent' or 'preparing', None for a blank cell; refuse other words."""
    words = " ".join(text.split()).casefold()
    if not words:
        return None
    state = FULFILMENTS.get(words)
    if state is None:
        raise PledgeValueError("unknown fulfilment state")
    return state


# Two-letter codes in the locale data that name no place a reward can ship to.
_NOT_PLACES = frozenset({"EU", "EZ", "UN", "QO", "XA", "XB", "ZZ"})


@functools.cache
def _country_names() -> dict[str, str]:
    territories = {
        code: name
        for code, name in Locale("en").territories.items()
        if len(code) == 2 and code not in _NOT_PLACES
    }
    names = {name.casefold(): code for code, name in territories.items()}
    names.update({code.casefold(): code for code in territories})
    names.update({"usa": "US", "uk": "GB", "united states of america": "US"})
    return names


@functools.lru_cache(maxsize=1024)
def parse_country(text: str) -> str | None:
    """Return the ISO 3166 alpha-2 code for a code or English name, None for a blank cell."""
    words = " ".join(text.split()).casefold()
    if not words:
        return None
    code = _country_names().get(words)
    if code is None:
        # Refused rather than stored as unknown: the per-country figures would lose it.
        raise PledgeValueError("unknown country")
    return code
