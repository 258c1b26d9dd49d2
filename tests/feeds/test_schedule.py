from datetime import UTC, datetime, timedelta

import pytest

from tracker.feeds.cache_hints import parse_retry_after
from tracker.feeds.schedule import backoff, next_poll_at, should_pause

NOW = datetime(2024, 6, 4, 12, 0, tzinfo=UTC)
HOUR = timedelta(hours=1)


def delay(**kwargs) -> timedelta:
    return next_poll_at(now=NOW, base_interval=kwargs.pop("base_interval", HOUR), **kwargs) - NOW


def test_success_without_hints_waits_the_base_interval():
    assert delay() == HOUR


def test_max_age_and_expires_only_ever_push_later():
    assert delay(max_age=3 * 3600) == 3 * HOUR
    assert delay(max_age=60) == HOUR
    assert delay(expires=NOW + 2 * HOUR) == 2 * HOUR
    assert delay(expires=NOW - HOUR) == HOUR


def test_max_age_wins_over_expires():
    assert delay(max_age=2 * 3600, expires=NOW + 5 * HOUR) == 2 * HOUR


@pytest.mark.parametrize("header", ["7200", "Tue, 04 Jun 2024 14:00:00 GMT"])
def test_retry_after_in_seconds_or_as_a_date_is_honoured(header):
    retry_after = parse_retry_after(header, now=NOW)
    assert delay(retry_after=retry_after, consecutive_errors=1) == 2 * HOUR
    assert delay(retry_after=retry_after) == 2 * HOUR


def test_retry_after_shorter_than_the_backoff_does_not_shorten_it():
    assert delay(retry_after=NOW + timedelta(minutes=10), consecutive_errors=2) == 4 * HOUR


def test_hints_are_clamped_between_floor_and_ceiling():
    assert delay(base_interval=timedelta(seconds=30)) == timedelta(minutes=5)
    assert delay(max_age=30 * 86400) == timedelta(hours=24)
    assert delay(retry_after=NOW + timedelta(days=400)) == timedelta(hours=24)


@pytest.mark.parametrize(
    ("errors", "expected"),
    [(1, 2 * HOUR), (2, 4 * HOUR), (3, 8 * HOUR), (4, 16 * HOUR), (5, 24 * HOUR), (500, 24 * HOUR)],
)
def test_errors_back_off_exponentially_up_to_a_day(errors, expected):
    assert backoff(HOUR, errors) == expected
    assert delay(consecutive_errors=errors) == expected


def test_cache_hints_do_not_apply_to_errors():
    assert delay(consecutive_errors=1, max_age=20 * 3600) == 2 * HOUR


def test_channel_pauses_after_ten_consecutive_failures():
    assert [should_pause(n) for n in (0, 1, 9, 10, 11)] == [False, False, False, True, True]
    assert should_pause(3, limit=3)
