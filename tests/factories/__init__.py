"""Small factories for tests: make_user (cheaply hashed), make_campaign, make_milestone."""

from datetime import date, timedelta
from itertools import count

from werkzeug.security import generate_password_hash

from tracker.accounts.users import normalize_email
from tracker.campaigns.campaigns import CampaignInput, create_campaign
from tracker.campaigns.milestones import MilestoneInput, add_milestone
from tracker.models import Actor, User

PASSWORD = "correct horse battery"
# One round: scrypt costs 0.1 s a hash on an idle machine (0.7 s on a busy one), paid at
# every make_user and again at every login. tests/accounts/ exercise the real hashing.
CHEAP_HASH = "pbkdf2:sha256:1"
_numbers = count(1)


def make_user(session, *, email=None, password=PASSWORD):
    email = normalize_email(email or f"founder{next(_numbers)}@example.com")
    user = User(email=email, password_hash=generate_password_hash(password, method=CHEAP_HASH))
    session.add(user)
    session.commit()
    return user


def make_campaign(session, owner=None, **overrides):
    owner = owner or make_user(session)
    n = next(_numbers)
    values = {
        "slug": f"campaign-{n}",
        "title": f"Campaign {n}",
        "goal_minor": 5_000_000,
        "currency": "EUR",
        "starts_on": date(2026, 11, 1),
        "ends_on": date(2026, 12, 15),
        "is_public": True,
        **overrides,
    }
    campaign = create_campaign(session, owner=owner, data=CampaignInput(**values))
    session.commit()
    return campaign


def make_milestone(session, campaign, **overrides):
    values = {"title": f"Milestone {next(_numbers)}", "due_on": date(2027, 2, 1), **overrides}
    milestone = add_milestone(
        session, campaign, MilestoneInput(**values), actor=Actor(label="test")
    )
    session.commit()
    return milestone


def days(n: int) -> timedelta:
    return timedelta(days=n)
