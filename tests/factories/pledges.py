"""Factories for the pledge ledger: import a file from tests/data, add pledges directly."""

from pathlib import Path

from tracker.models import Actor
from tracker.pledges.imports import import_pledges

DATA = Path(__file__).parent.parent / "data"


def import_file(session, campaign, relative: str, **options):
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
