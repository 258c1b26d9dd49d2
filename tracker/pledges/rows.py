"""Turn the cells of export rows into pledge rows, or row errors naming the bad cell."""

from collections.abc import Iterator
from dataclasses import dataclass, fields
from datetime import UTC, datetime

from tracker.pledges.formats import Layout
from tracker.pledges.values import (
    PledgeValueError,
    parse_country,
    parse_currency,
    parse_datetime,
    parse_fulfilment,
    parse_money,
    parse_quantity,
    parse_status,
)

_VALUE_LIMIT = 80
KEY_MAX = 100  # the ledger's platform_key column
# Add-on cells hold small counts: a lookup beats parsing each one.
_QUANTITIES = {str(n): n for n in range(1, 100)}
# Per-file memos of amounts, dates and countries: exports repeat a few tiers, minutes and
# countries many times. Past this many entries a memo starts afresh, to bound memory.
_MEMO_LIMIT = 20_000
_UNSEEN = object()


@dataclass(frozen=True, slots=True)
class PledgeRow:
    """Hold one pledge as the numbers need it, with no personal data."""

    line: int  # 1-based physical line where the row starts in its file
    source: str  # file name, or ZIP member name
    platform_key: str
    amount_minor: int
    currency: str
    status: str  # pledged|collected|failed|dropped|refunded
    status_raw: str  # the platform's word, or the implied one when the file has none
    pledged_at: datetime | None  # aware UTC
    tier: str | None
    country: str | None  # ISO 3166 alpha-2
    fulfilment: str | None  # sent|unsent|preparing, None when unknown
    addons: tuple[tuple[str, int], ...]


@dataclass(frozen=True, slots=True)
class RowError:
    """Say which cell of which row could not be read, and why."""

    line: int
    source: str
    column: str
    value: str
    reason: str

    def __str__(self) -> str:
        if not self.column:
            return f"{self.source}:{self.line}: {self.reason}"
        return f"{self.source}:{self.line}: {self.column} {self.value!r}: {self.reason}"


_SETTERS = tuple(getattr(PledgeRow, f.name).__set__ for f in fields(PledgeRow))


def _pledge_row(line, source, key, amount, currency, status, raw, at, tier, country, ful, addons):
    """Build a PledgeRow through its slots: the frozen __init__ costs twice as much."""
    row = object.__new__(PledgeRow)
    s0, s1, s2, s3, s4, s5, s6, s7, s8, s9, s10, s11 = _SETTERS
    s0(row, line)
    s1(row, source)
    s2(row, key)
    s3(row, amount)
    s4(row, currency)
    s5(row, status)
    s6(row, raw)
    s7(row, at)
    s8(row, tier)
    s9(row, country)
    s10(row, ful)
    s11(row, addons)
    return row


def _is_set(text: str) -> bool:
    return text.strip().casefold() not in ("", "false", "no", "n", "0")


def _transaction_filter(layout: Layout):
    """Return a function giving an Open Collective row's status, or None to skip it."""
    cols = layout.transaction
    if not cols:
        return None
    type_i, kind_i = cols["type"], cols["kind"]
    refund_i, refunded_i, refund_id_i = cols["is_refund"], cols["is_refunded"], cols["refund_id"]

    def status_of(row: list[str]) -> str | None:
        if row[type_i].strip().upper() != "CREDIT":
            return None
        if row[kind_i].strip().upper() != "CONTRIBUTION":
            return None
        if refund_i is not None and _is_set(row[refund_i]):
            return None
        # The original transaction points at its refund, so a refund later in the file
        # (or earlier: exports run newest first) needs no second pass.
        if refunded_i is not None and _is_set(row[refunded_i]):
            return "refunded"
        if refund_id_i is not None and row[refund_id_i].strip():
            return "refunded"
        return "collected"

    return status_of


def convert_rows(
    layout: Layout,
    reader,
    *,
    source: str,
    default_currency: str,
    decimal_comma: bool = False,
) -> Iterator[PledgeRow | RowError]:
    """Yield a PledgeRow or the first RowError of each row a csv reader gives."""
    # One long loop on purpose: everything it needs is a local, which is what keeps
    # parsing near 150,000 rows/s; per-row helper calls and attribute lookups cost more.
    names, width = layout.names, len(layout.names)
    key_i, amount_i, date_i, status_i = layout.key, layout.amount, layout.pledged_at, layout.status
    currency_i, tiers, countries = layout.currency, layout.tiers, layout.countries
    fulfil_i, blank_fulfil, addon_cols = layout.fulfilment, layout.blank_fulfilment, layout.addons
    implied, key_length = layout.implied_status, layout.key_length
    status_of = _transaction_filter(layout)
    money, when, make = parse_money, parse_datetime, _pledge_row
    now = datetime.now(UTC)  # once per file: the clock costs more than the date check
    # Per-file memos: the states and fulfilment words of one file are a handful of strings.
    statuses: dict[str, str] = {}
    fulfils: dict[str, str | None] = {}
    amounts: dict[str, tuple[int, str]] = {}
    moments: dict[str, datetime] = {}
    places: dict[str, str | None] = {}
    line = reader.line_num + 1
    for row in reader:
        start, line = line, reader.line_num + 1
        if len(row) != width:
            if not any(row):
                continue
            if len(row) > width and not any(row[width:]):
                del row[width:]
            else:
                # Cells have shifted: a value shown could come from a personal column.
                reason = f"{len(row)} cells where the header has {width}"
                yield RowError(start, source, "", "", reason)
                continue
        status = raw = None
        if status_of is not None:
            status = status_of(row)
            if status is None:
                continue
            raw = "REFUNDED" if status == "refunded" else implied[1]
        column = key_i
        try:
            key = row[key_i].strip()
            if key_length:
                key = key[:key_length]
            if not key:
                if not any(row):
                    continue
                raise PledgeValueError("missing value")
            if len(key) > KEY_MAX:
                # Cut to fit, two keys could become one and collide in the ledger.
                raise PledgeValueError(f"longer than {KEY_MAX} characters")
            currency = default_currency
            if currency_i is not None and row[currency_i].strip():
                column = currency_i
                currency = parse_currency(row[currency_i])
            column = amount_i
            text = row[amount_i]
            if currency_i is None:
                parsed = amounts.get(text)
                if parsed is None:
                    if len(amounts) > _MEMO_LIMIT:
                        amounts.clear()
                    parsed = amounts[text] = money(text, currency, decimal_comma)
                amount, code = parsed
            else:
                amount, code = money(text, currency, decimal_comma)
            if amount < 0:
                raise PledgeValueError("negative amount")
            if code != currency and currency_i is not None and row[currency_i].strip():
                raise PledgeValueError(f"amount in {code} but the currency column says {currency}")
            pledged_at = None
            if date_i is not None:
                column = date_i
                text = row[date_i]
                pledged_at = moments.get(text)
                if pledged_at is None and text and not text.isspace():
                    if len(moments) > _MEMO_LIMIT:
                        moments.clear()
                    pledged_at = moments[text] = when(text, now)
            if status_i is not None:
                column = status_i
                raw = row[status_i]
                status = statuses.get(raw)
                if status is None:
                    status = statuses[raw] = parse_status(raw)
                raw = raw.strip()
            elif status is None:
                status, raw = implied
            tier = None
            for i in tiers:
                tier = row[i].strip() or None
                if tier:
                    break
            country = None
            for i in countries:
                cell = row[i]
                if cell:
                    column = i
                    country = places.get(cell, _UNSEEN)
                    if country is _UNSEEN:
                        if len(places) > _MEMO_LIMIT:
                            places.clear()
                        country = places[cell] = parse_country(cell)
                    if country:
                        break
            fulfilment = blank_fulfil
            if fulfil_i is not None and row[fulfil_i].strip():
                column = fulfil_i
                text = row[fulfil_i]
                fulfilment = fulfils.get(text, "")
                if fulfilment == "":
                    if len(fulfils) > _MEMO_LIMIT:
                        fulfils.clear()
                    fulfilment = fulfils[text] = parse_fulfilment(text)
            addons = ()
            if addon_cols:
                found = []
                for i, name in addon_cols:
                    cell = row[i]
                    if cell and cell != "0":
                        quantity = _QUANTITIES.get(cell)
                        if quantity is None:
                            column = i
                            quantity = parse_quantity(cell)
                        if quantity:
                            found.append((name, quantity))
                addons = tuple(found)
        except PledgeValueError as exc:
            value = " ".join(row[column].split())
            yield RowError(start, source, names[column], value[:_VALUE_LIMIT], str(exc))
            continue
        yield make(
            start,
            source,
            key,
            amount,
            code,
            status,
            raw,
            pledged_at,
            tier,
            country,
            fulfilment,
            addons,
        )
