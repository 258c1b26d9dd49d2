"""Login throttling per (account, address), per-account backoff, per-address ceiling, timing."""

import time
from datetime import timedelta
from statistics import median

import pytest

from tests.conftest import PASSWORD
from tests.factories import make_user
from tracker.accounts.login_throttle import LoginLimits, login_wait
from tracker.accounts.users import authenticate, create_user
from tracker.models import LoginAttempt, utcnow

ATTACKER = "203.0.113.66"
HOME = "198.51.100.7"
WRONG = "wrong password!"
LIMITS = LoginLimits(
    pair_failures=5,
    window=timedelta(minutes=15),
    address_failures=30,
    backoff_after=5,
    backoff_max=timedelta(minutes=5),
    known_for=timedelta(days=30),
)


def _login(client, email, password, address):
    return client.post(
        "/auth/login",
        {"email": email, "password": password},
        environ_base={"REMOTE_ADDR": address},
    )


def _fail(client, email, address, times=5):
    for _ in range(times):
        assert _login(client, email, WRONG, address).status_code == 422


def test_failures_from_one_address_do_not_lock_its_other_accounts(client, session):
    alice, bob = make_user(session), make_user(session)
    _fail(client, alice.email, ATTACKER)
    assert _login(client, bob.email, PASSWORD, ATTACKER).status_code == 303


def test_anyone_failing_on_an_account_does_not_lock_out_its_owner(client, session):
    alice = make_user(session)
    assert _login(client, alice.email, PASSWORD, HOME).status_code == 303
    _fail(client, alice.email, ATTACKER)
    # Further tries from elsewhere wait for the account's backoff (or fail).
    for n in range(6):
        response = _login(client, alice.email, WRONG, f"203.0.113.{n}")
        assert response.status_code in (422, 429)
    assert _login(client, alice.email, PASSWORD, HOME).status_code == 303


def test_the_failing_pair_waits_with_retry_after(client, session):
    alice = make_user(session)
    _fail(client, alice.email, ATTACKER)
    response = _login(client, alice.email, PASSWORD, ATTACKER)
    assert response.status_code == 429
    assert "Too many attempts" in response.get_data(as_text=True)
    assert 0 < int(response.headers["Retry-After"]) <= 15 * 60


def _attempts(session, email, address, times, *, at, succeeded=False):
    for n in range(times):
        moment = at + timedelta(seconds=n)
        session.add(
            LoginAttempt(email=email, address=address, succeeded=succeeded, attempted_at=moment)
        )
    session.commit()
    return at + timedelta(seconds=times - 1)


def test_account_backoff_doubles_is_capped_and_ends(session):
    start = utcnow() - timedelta(minutes=10)
    last = start
    for n in range(5):
        last = _attempts(
            session, "a@example.com", f"203.0.113.{n}", 1, at=start + timedelta(seconds=n)
        )

    def wait(now, address="192.0.2.1"):
        return login_wait(session, email="a@example.com", address=address, limits=LIMITS, now=now)

    assert wait(last) == 1
    assert wait(last + timedelta(seconds=1)) == 0
    last = _attempts(session, "a@example.com", "192.0.2.99", 3, at=last + timedelta(seconds=5))
    assert wait(last) == 8
    last = _attempts(session, "a@example.com", "192.0.2.98", 4, at=last + timedelta(seconds=9))
    assert wait(last) == 128
    last = _attempts(session, "a@example.com", "192.0.2.97", 4, at=last + timedelta(seconds=1))
    assert wait(last) == 300  # capped
    # A pair that logged in lately skips the backoff.
    _attempts(session, "a@example.com", HOME, 1, at=start - timedelta(days=3), succeeded=True)
    assert wait(last, address=HOME) == 0
    # Past the window the failures no longer count.
    assert wait(last + timedelta(minutes=15)) == 0


def test_address_ceiling_spares_known_pairs(session):
    now = utcnow()
    _attempts(session, "known@example.com", ATTACKER, 1, at=now - timedelta(days=1), succeeded=True)
    for n in range(30):
        _attempts(session, f"victim{n}@example.com", ATTACKER, 1, at=now - timedelta(seconds=n))

    def wait(email, address=ATTACKER):
        return login_wait(session, email=email, address=address, limits=LIMITS, now=now)

    assert 0 < wait("next@example.com") <= 15 * 60
    assert wait("known@example.com") == 0
    assert wait("victim1@example.com", address=HOME) == 0


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_login_takes_as_long_for_unknown_accounts(session):
    # The real hash, not the factories' cheap one: its cost is what must not differ.
    user = create_user(session, email="timed@example.com", password=PASSWORD)
    session.commit()

    def timed(email):
        started = time.perf_counter()
        assert authenticate(session, email=email, password=WRONG, address=HOME) is None
        return time.perf_counter() - started

    known = median(timed(user.email) for _ in range(3))
    unknown = median(timed(f"nobody{n}@example.com") for n in range(3))
    assert 0.25 < unknown / known < 4, (unknown, known)
