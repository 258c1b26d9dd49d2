"""Fixtures: every database test runs on SQLite and on PostgreSQL; a live server for browsers."""

import os
import re
import shutil
import threading

import pytest
from sqlalchemy import create_engine, inspect, text
from sqlmodel import Session
from werkzeug.serving import make_server

from tracker import create_app
from tracker.db import make_engine
from tracker.schema import upgrade

POSTGRES_URL = os.environ.get("TRACKER_TEST_POSTGRES_URL")
REQUIRE_POSTGRES = os.environ.get("TRACKER_TEST_REQUIRE_POSTGRES") == "1"
CHROMIUM = "/usr/lib/chromium/chromium"
PASSWORD = "correct horse battery"


def _worker() -> str:
    # Unique per process: two test runs at once (xdist workers, or two developers' runs
    # against one server) must never share, truncate or drop each other's schema.
    return f"{os.environ.get('PYTEST_XDIST_WORKER', 'main')}_{os.getpid()}"


def drop_schema(schema: str) -> None:
    """Drop a test schema of the PostgreSQL test database."""
    admin = create_engine(POSTGRES_URL)
    with admin.begin() as connection:
        connection.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
    admin.dispose()


def postgres_schema_url(schema: str) -> str:
    """Return the test PostgreSQL URL with search_path set to schema, recreating it empty."""
    admin = create_engine(POSTGRES_URL)
    with admin.begin() as connection:
        connection.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    admin.dispose()
    separator = "&" if "?" in POSTGRES_URL else "?"
    return f"{POSTGRES_URL}{separator}options=-csearch_path%3D{schema}"


def pytest_configure(config):
    if REQUIRE_POSTGRES and not POSTGRES_URL:
        raise pytest.UsageError(
            "TRACKER_TEST_REQUIRE_POSTGRES=1 but TRACKER_TEST_POSTGRES_URL is not set: "
            "the PostgreSQL half of the database tests cannot run"
        )


def pytest_collection_modifyitems(config, items):
    if POSTGRES_URL:
        return
    postgres = [item for item in items if _on_postgres(item)]
    if postgres:
        config.hook.pytest_deselected(items=postgres)
        items[:] = [item for item in items if not _on_postgres(item)]


def _on_postgres(item) -> bool:
    callspec = getattr(item, "callspec", None)
    return callspec is not None and "postgresql" in callspec.params.values()


def pytest_terminal_summary(terminalreporter, config):
    # One line instead of a skip per test: said at the end, where it is read, even with -q.
    if not POSTGRES_URL and not hasattr(config, "workerinput"):
        terminalreporter.write_line(
            "PostgreSQL: TRACKER_TEST_POSTGRES_URL is not set, so the database tests ran on "
            "SQLite only (their PostgreSQL half was deselected)",
            yellow=True,
        )


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory):
    path = tmp_path_factory.mktemp("template") / "tracker.sqlite3"
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    engine.dispose()
    return path


@pytest.fixture(scope="session")
def postgres_database():
    schema = f"t_{_worker()}"
    url = postgres_schema_url(schema)
    engine = make_engine(url)
    upgrade(engine)
    tables = [name for name in inspect(engine).get_table_names() if name != "alembic_version"]
    yield url, engine, tables
    engine.dispose()
    drop_schema(schema)


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request, tmp_path):
    """Return the URL of a migrated, empty database of each kind."""
    if request.param == "sqlite":
        path = tmp_path / "tracker.sqlite3"
        shutil.copy(request.getfixturevalue("sqlite_template"), path)
        yield f"sqlite:///{path}"
        return
    url, engine, tables = request.getfixturevalue("postgres_database")
    yield url
    with engine.begin() as connection:
        connection.execute(text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))


@pytest.fixture
def app(db_url, tmp_path):
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-secret-key",
            "DATABASE_URL": db_url,
            "LOGIN_MAX_FAILURES": 5,
            # Tests change data and look again at once; test_caching.py covers the microcache.
            "PUBLIC_MICROCACHE_SECONDS": 0,
            # Each test its own job queue: the default beside a PostgreSQL database is the
            # instance folder, which every test run shares.
            "QUEUE_URL": f"sqlite:///{tmp_path / 'queue.sqlite3'}",
        }
    )
    yield app
    app.extensions["tracker.engine"].dispose()


@pytest.fixture
def session(app):
    with Session(app.extensions["tracker.engine"], expire_on_commit=False) as session:
        yield session


@pytest.fixture
def client(app):
    return FormClient(app.test_client())


class FormClient:
    """A test client that sends the CSRF token with every POST, as the browser does."""

    TOKEN_RE = re.compile(r'"X-CSRFToken": "([^"]+)"')

    def __init__(self, client):
        self.raw = client

    def __getattr__(self, name):
        return getattr(self.raw, name)

    def token(self) -> str:
        page = self.raw.get("/auth/login").get_data(as_text=True)
        match = self.TOKEN_RE.search(page)
        return match.group(1)

    def post(self, url, data=None, **kwargs):
        data = {"csrf_token": self.token(), **(data or {})}
        return self.raw.post(url, data=data, **kwargs)

    def login(self, email, password=PASSWORD):
        response = self.post("/auth/login", {"email": email, "password": password})
        assert response.status_code == 303, response.get_data(as_text=True)
        return response


@pytest.fixture
def live_server(app):
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join()


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }
