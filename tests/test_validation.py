"""The one place that checks integers, ids and moments from outside."""

from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from werkzeug.exceptions import NotFound

from tracker.errors import InvalidInput
from tracker.validation import (
    ID_MAX,
    check_moment,
    parse_day,
    parse_id,
    parse_int,
    parse_optional_id,
)


@pytest.mark.parametrize(
    "text",
    ["", " ", "x", "1.5", "1_000", "\u0661\u0662", "+1", "0x10", "9" * 5000, "1e3"],
)
def test_parse_int_refuses_what_is_not_ascii_digits(text):
    with pytest.raises(InvalidInput) as caught:
        parse_int(text, field="count")
    assert "count" in caught.value.errors


def test_parse_int_keeps_to_its_range():
    assert parse_int(" 42 ", field="n") == 42
    assert parse_int("-3", field="n", minimum=-5) == -3
    with pytest.raises(InvalidInput, match="at most 10"):
        parse_int("11", field="n", maximum=10)
    with pytest.raises(InvalidInput, match="at least 0"):
        parse_int("-1", field="n")
    with pytest.raises(InvalidInput, match="at most"):
        parse_int("99999999999999999999999999", field="n")


def test_ids_stop_at_the_database_integer():
    assert parse_id(str(ID_MAX)) == ID_MAX
    for text in ("0", str(ID_MAX + 1), "abc"):
        with pytest.raises(InvalidInput):
            parse_id(text)
        assert parse_optional_id(text) is None


@pytest.mark.parametrize(
    "moment",
    [
        datetime(1, 1, 1, tzinfo=timezone(timedelta(hours=1))),
        datetime(9999, 12, 31, 23, 59, 59, tzinfo=timezone(timedelta(hours=-14))),
        datetime(1999, 12, 31, 23, 0, tzinfo=UTC),
    ],
)
def test_moments_outside_the_sane_range_are_refused(moment):
    with pytest.raises(InvalidInput, match="between 2000-01-01 and 2100-01-01"):
        check_moment(moment, field="pledged_at")


def test_what_happened_may_not_lie_in_the_future():
    now = datetime(2026, 11, 27, tzinfo=UTC)
    assert check_moment(now + timedelta(hours=3), field="at", now=now, past_only=True)
    with pytest.raises(InvalidInput, match="future"):
        check_moment(now + timedelta(days=2), field="at", now=now, past_only=True)
    with pytest.raises(InvalidInput, match="time zone"):
        check_moment(datetime(2026, 1, 1), field="at")


def test_parse_day():
    assert parse_day("2026-11-27", field="day") == date(2026, 11, 27)
    for text in ("0001-01-01", "9999-12-31", "2026-13-01", "yesterday"):
        with pytest.raises(InvalidInput):
            parse_day(text, field="day")


def test_route_ids_past_the_database_integer_do_not_match(app):
    urls = app.url_map.bind("localhost")
    assert urls.match(f"/c/demo/reports/{ID_MAX}.pdf")[1] == {"slug": "demo", "version": ID_MAX}
    for version in (str(ID_MAX + 1), "9" * 30, "0", "\u0661"):
        with pytest.raises(NotFound):
            urls.match(f"/c/demo/reports/{version}.pdf")


def test_the_debug_server_links_to_an_address_a_browser_can_open():
    from tracker.cli import local_address

    assert local_address("127.0.0.1", 5000) == "http://127.0.0.1:5000"
    assert local_address("0.0.0.0", 5000) == "http://127.0.0.1:5000"  # noqa: S104
    assert local_address("::1", 8000) == "http://[::1]:8000"
    assert local_address("::", 8000) == "http://[::1]:8000"
