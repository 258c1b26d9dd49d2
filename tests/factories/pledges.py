"""Factories for the pledge ledger: import a file from tests/data, add pledges directly."""

from pathlib import Path

from tracker.models import Actor
from tracker.pledges.imports import import_pledges

DATA = Path(__file__).parent.parent / "data"


def import_file(session, campaign, relative: str, **options):
    # Tests read files of every currency into the EUR campaign fixture: the confirmation a
    # report entirely in another currency asks for is tested in test_currency_mix.py.
    options.setdefault("other_currency_ok", True)
    path = DATA / relative
    with path.open("rb") as fileobj:
        result = import_pledges(
            session,
            campaign=campaign,
            fileobj=fileobj,
            filename=path.name,
            actor=Actor(label="test"),
            **options,
        )
    session.commit()
    return result
