"""Funding totals pushed without a backer report: a script, the dashboard or the CLI."""

import re
from datetime import datetime

from sqlmodel import Session

from tracker.errors import InvalidInput
from tracker.models import Campaign, FundingSnapshot, utcnow
from tracker.money import minor_digits, parse_major_amount
from tracker.validation import COUNT_MAX, MONEY_MAX_MINOR, check_moment, parse_int

# Digits with optional thousands separators and decimals, as people type a total. No
# exponent: Decimal would read '1e999999999' and int() would then build a billion digits.
_TOTAL = re.compile(r"[0-9][0-9,_ ]{0,30}(?:\.[0-9]{1,6})?", re.ASCII)


def parse_total(value: str | int | float | None, currency: str) -> int:
    """Return a total like '12,345.50' (or a JSON number) in minor units, or raise InvalidInput."""
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise InvalidInput({"amount": "Give the total in whole units, e.g. 12345.50."})
    text = str(value).strip()
    if not _TOTAL.fullmatch(text):
        reason = f"'{text[:40]}' is not an amount (give the total in whole units, e.g. 12345.50)"
        raise InvalidInput({"amount": reason})
    try:
        amount_minor = parse_major_amount(text, currency)
    except ValueError as error:
        raise InvalidInput({"amount": str(error)}) from None
    if amount_minor > MONEY_MAX_MINOR:
        largest = MONEY_MAX_MINOR // 10 ** minor_digits(currency)
        raise InvalidInput({"amount": f"must be at most {largest:,} {currency}"})
    return amount_minor


def parse_backers(value: str | int | float | None) -> int:
    """Return a number of backers from text or a JSON number, or raise InvalidInput."""
    if isinstance(value, float):
        value = str(value)  # 1.5 is refused as text; 1.0 is not a count either
    return parse_int(value, field="backers", minimum=0, maximum=COUNT_MAX)


def parse_taken_at(value: str | None) -> datetime | None:
    """Return the aware moment of an ISO 8601 text, None when absent, or raise InvalidInput."""
    if value is None or value == "":
        return None
    try:
        if not isinstance(value, str):
            raise ValueError
        return datetime.fromisoformat(value)
    except ValueError:
        raise InvalidInput(
            {"at": "Give the time as ISO 8601 with a zone, e.g. 2026-11-20T18:00:00Z."}
        ) from None


def record_snapshot(
    session: Session,
    campaign: Campaign,
    *,
    amount_minor: int,
    backers: int,
    source: str,
    taken_at: datetime | None = None,
) -> FundingSnapshot:
    """Record the platform's current totals for the campaign."""
    errors = {}
    if amount_minor is None or not 0 <= amount_minor <= MONEY_MAX_MINOR:
        errors["amount"] = "The amount must be zero or more, and at most 10^13 minor units."
    try:
        parse_int(backers, field="backers", minimum=0, maximum=COUNT_MAX)
    except InvalidInput as error:
        errors.update(error.errors)
    if taken_at is not None:
        try:
            # Totals are something that happened: between 2000 and (about) now.
            taken_at = check_moment(taken_at, field="at", past_only=True)
        except InvalidInput as error:
            errors.update(error.errors)
    if errors:
        raise InvalidInput(errors)
    snapshot = FundingSnapshot(
        campaign_id=campaign.id,
        amount_minor=amount_minor,
        backers=backers,
        source=source,
        taken_at=taken_at or utcnow(),
    )
    session.add(snapshot)
    session.flush()
    return snapshot
