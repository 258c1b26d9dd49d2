"""Engine, per-request Session and the SQLite connection settings."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from flask import Flask, current_app, g
from sqlalchemy import Engine, create_engine, event

if TYPE_CHECKING:
    from sqlmodel import Session

SQLITE_BUSY_TIMEOUT_MS = 5000


def default_database_url(instance_path: str) -> str:
    """Return the URL of the SQLite file in the instance folder."""
    return f"sqlite:///{Path(instance_path) / 'tracker.sqlite3'}"


def make_engine(url: str) -> Engine:
    """Create an engine; SQLite gets WAL, a busy timeout and foreign keys."""
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000})
        event.listen(engine, "connect", _configure_sqlite)
        return engine
    engine = create_engine(url, pool_pre_ping=True)
    event.listen(engine, "connect", _configure_postgres)
    return engine


def _configure_sqlite(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    # WAL lets several gunicorn workers read while one writes.
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    # 32 MB of page cache (allocated only as used): big imports keep their indexes in memory.
    cursor.execute("PRAGMA cache_size=-32000")
    cursor.close()


def _configure_postgres(dbapi_connection, _record) -> None:
    # Day boundaries (funding per day, feedback per day) are UTC days, whatever the server says.
    with dbapi_connection.cursor() as cursor:
        cursor.execute("SET TIME ZONE 'UTC'")
    dbapi_connection.commit()


def get_engine() -> Engine:
    """Return the current app's engine."""
    return current_app.extensions["tracker.engine"]


def get_session() -> Session:
    """Return the Session of this request, opening it on first use."""
    # SQLModel (the ORM and pydantic) loads with the first session, not with the engine:
    # a cron poll with nothing due asks in SQLAlchemy Core and never needs it.
    from sqlmodel import Session

    if "db_session" not in g:
        g.db_session = Session(get_engine(), expire_on_commit=False)
    return g.db_session


def _close_session(_exc=None) -> None:
    session = g.pop("db_session", None)
    if session is not None:
        session.close()


def init_app(app: Flask) -> None:
    """Create the engine from DATABASE_URL and close sessions after each request."""
    url = app.config["DATABASE_URL"]
    if not url:
        # A fresh checkout has no instance folder yet: the default SQLite file lives there.
        Path(app.instance_path).mkdir(parents=True, exist_ok=True)
        url = default_database_url(app.instance_path)
    app.config["DATABASE_URL"] = url
    app.extensions["tracker.engine"] = make_engine(url)
    app.teardown_appcontext(_close_session)
