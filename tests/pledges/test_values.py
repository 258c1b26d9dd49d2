from datetime import UTC, datetime

import pytest

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


@pytest.mark.parametrize(
    ("text", "default", "expected"),
    [
        ("$1,234.00 USD", "USD", (123400, "USD")),
        ("€25.00 EUR", "USD", (2500, "EUR")),
        ("CA$ 25.00 CAD", "USD", (2500, "CAD")),
        ("US$ 5", "EUR", (500, "USD")),
        ("$5", "CAD", (500, "CAD")),
        ("25.00", "USD", (2500, "USD")),
        ("25", "EUR", (2500, "EUR")),
        ("7.5", "USD", (750, "USD")),
        ("USD 7.50", "EUR", (750, "USD")),
        ("¥1,000 JPY", "USD", (1000, "JPY")),
        ("1000.00 JPY", "USD", (1000, "JPY")),
        ("1,000", "JPY", (1000, "JPY")),
        ("£3.20", "USD", (320, "GBP")),
        ("1.234,56", "EUR", (123456, "EUR")),
        ("1 234,56 €", "EUR", (123456, "EUR")),
        ("25,5", "EUR", (2550, "EUR")),
        ("5 KWD", "USD", (5000, "KWD")),
        ("-$5.00 USD", "USD", (-500, "USD")),
        ("($5.00)", "USD", (-500, "USD")),
        ("$-5.00", "USD", (-500, "USD")),
    ],
)
def test_parse_money_reads_amounts_as_exports_print_them(text, default, expected):
    assert parse_money(text, default) == expected


def test_parse_money_reads_a_lone_three_digit_group_by_the_formats_convention():
    assert parse_money("1.234", "EUR", True) == (123400, "EUR")
    assert parse_money("1,234", "USD", False) == (123400, "USD")
    with pytest.raises(PledgeValueError, match="more decimal places than EUR"):
        parse_money("1,234", "EUR", True)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "missing amount"),
        ("abc", "not a money amount"),
        (".5", "not a money amount"),
        ("$12.3x USD", "not a money amount"),
        ("1,23,456", "not a money amount"),
        ("$5 €", "not a money amount"),
        ("$10.00 XYZ", "unknown currency 'XYZ'"),
        ("₿5", "unknown currency symbol"),
        ("kr 5", "ambiguous currency symbol"),
        ("12.345 USD", "more decimal places than USD has"),
        ("5.5 JPY", "more decimal places than JPY has"),
    ],
)
def test_parse_money_refuses_with_a_reason(text, reason):
    with pytest.raises(PledgeValueError, match=reason.replace("$", r"\$")):
        parse_money(text, "USD")


def test_parse_money_errors_are_value_errors():
    assert issubclass(PledgeValueError, ValueError)


def test_parse_currency_checks_codes_against_babel():
    assert parse_currency(" eur ") == "EUR"
    with pytest.raises(PledgeValueError, match="unknown currency 'XYZ'"):
        parse_currency("XYZ")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2014/04/24, 05:37", datetime(2014, 4, 24, 5, 37, tzinfo=UTC)),
        ("2014/04/24, 05:37:09", datetime(2014, 4, 24, 5, 37, 9, tzinfo=UTC)),
        ("2014/04/24", datetime(2014, 4, 24, tzinfo=UTC)),
        ("2014/04/24 05:37", datetime(2014, 4, 24, 5, 37, tzinfo=UTC)),
        ("2026-11-03 10:00 +02:00", datetime(2026, 11, 3, 8, tzinfo=UTC)),
        ("2026-11-03T10:00:00", datetime(2026, 11, 3, 10, tzinfo=UTC)),
        ("2026-11-03 10:00:00", datetime(2026, 11, 3, 10, tzinfo=UTC)),
        ("2026-11-03", datetime(2026, 11, 3, tzinfo=UTC)),
        ("2026-11-03T10:00:00Z", datetime(2026, 11, 3, 10, tzinfo=UTC)),
        ("2026-11-03T12:00:00+02:00", datetime(2026, 11, 3, 10, tzinfo=UTC)),
        ("2026-11-03 10:00:00 -0700", datetime(2026, 11, 3, 17, tzinfo=UTC)),
        ("2026-11-03 10:00:00 UTC", datetime(2026, 11, 3, 10, tzinfo=UTC)),
    ],
)
def test_parse_datetime_gives_aware_utc(text, expected):
    moment = parse_datetime(text)
    assert moment == expected
    assert moment.utcoffset().total_seconds() == 0


@pytest.mark.parametrize(
    ("text", "reason"),
    [("", "missing date"), ("soon", "not a date"), ("2014/02/30, 10:00", "not a date"),
     ("2014/04/24, 25:00", "not a date"), ("24/04/2014", "not a date")],
)  # fmt: skip
def test_parse_datetime_refuses_with_a_reason(text, reason):
    with pytest.raises(PledgeValueError, match=reason):
        parse_datetime(text)


@pytest.mark.parametrize(
    ("raw", "status"),
    [
        ("pledged", "pledged"),
        ("collected", "collected"),
        ("errored", "failed"),
        ("error", "failed"),
        ("authentication_required", "failed"),
        ("dropped", "dropped"),
        ("canceled", "dropped"),
        ("disputed", "refunded"),
        ("Completed", "collected"),
        ("Incomplete", "failed"),
        ("Deferred", "pledged"),
        ("Deferred with error", "failed"),
        ("Canceled", "dropped"),
        ("Preparing for Fulfillment", "collected"),
        ("PAID", "collected"),
        ("REFUND", "refunded"),
        ("REFUNDED", "refunded"),
        ("CANCELLED", "dropped"),
        ("paid to project", "collected"),
        ("returned", "refunded"),
        ("  Collected ", "collected"),
    ],
)
def test_parse_status_maps_platform_words_onto_five_states(raw, status):
    assert parse_status(raw) == status


def test_parse_status_refuses_unknown_and_blank():
    with pytest.raises(PledgeValueError, match="unknown status"):
        parse_status("exploded")
    with pytest.raises(PledgeValueError, match="missing status"):
        parse_status(" ")


@pytest.mark.parametrize(
    ("raw", "state"),
    [("Sent", "sent"), ("Fulfilled", "sent"), ("Unfulfilled", "unsent"), ("", None),
     ("Preparing for Fulfillment", "preparing")],
)  # fmt: skip
def test_parse_fulfilment_knows_three_states_and_blank(raw, state):
    assert parse_fulfilment(raw) == state


def test_parse_fulfilment_refuses_a_state_it_does_not_know():
    with pytest.raises(PledgeValueError, match="unknown fulfilment state"):
        parse_fulfilment("lost at sea")


@pytest.mark.parametrize(
    ("raw", "code"),
    [("us", "US"), ("DE", "DE"), ("United Kingdom", "GB"), ("germany", "DE"), ("XK", "XK"),
     ("", None)],
)  # fmt: skip
def test_parse_country_gives_alpha_2(raw, code):
    assert parse_country(raw) == code


@pytest.mark.parametrize("raw", ["Narnia", "XX", "ZZ", "D\u0395"])
def test_parse_country_refuses_what_it_does_not_know(raw):
    with pytest.raises(PledgeValueError, match="unknown country"):
        parse_country(raw)


def test_parse_quantity():
    assert parse_quantity("") == 0
    assert parse_quantity(" 3 ") == 3
    for bad in ("two", "-1", "1.5"):
        with pytest.raises(PledgeValueError, match="not a whole number"):
            parse_quantity(bad)
    with pytest.raises(PledgeValueError, match="digits other than 0-9"):
        parse_quantity("\u0663")
    with pytest.raises(PledgeValueError, match="more than 2147483647"):
        parse_quantity("9" * 30)
