"""Between two tests the PostgreSQL test schema is emptied in one round trip, ids back at 1."""

import pytest
from sqlalchemy import event, func, select

from tests.conftest import _empty_postgres
from tests.factories import make_user
from tracker.models import User


@pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)
def test_emptying_the_schema_takes_one_round_trip_and_restarts_the_ids(request, session):
    _url, engine, tables = request.getfixturevalue("postgres_database")
    make_user(session)
    make_user(session)
    session.close()
    statements = []

    def count(_connection, _cursor, statement, *_args):
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        _empty_postgres(engine, tables)
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert len(statements) == 1, statements  # one per table before: a round trip each
    assert session.scalar(select(func.count()).select_from(User)) == 0
    assert make_user(session).id == 1
