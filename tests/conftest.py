"""Fixtures: every database test runs on SQLite and on PostgreSQL; a live server for browsers;
the campaign "synth" of a signed-in founder; the CLI; the Nu HTML Checker."""

import os
import re
import shutil
import threading

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.exc import DBAPIError
from sqlmodel import Session
from werkzeug.serving import make_server
from werkzeug.test import TestResponse

from tests.app_code import TEMPLATE_CODE, URL_BUILDERS
from tests.factories import PASSWORD, make_campaign, make_user
from tests.node_tools import java, node_tool
from tests.nu_checker import NuChecker
from tracker import create_app
from tracker.db import make_engine
from tracker.schema import upgrade

POSTGRES_URL = os.environ.get("TRACKER_TEST_POSTGRES_URL")
REQUIRE_POSTGRES = os.environ.get("TRACKER_TEST_REQUIRE_POSTGRES") == "1"
CHROMIUM = "/usr/lib/chromium/chromium"


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
    config.addinivalue_line(
        "markers", "campaign(**values): values of the campaign fixture other than its defaults"
    )
    # Every Flask app of the run, also those a test makes itself, hands out watched clients
    # and builds its URLs with the run's compiled builders (tests/app_code.py).
    Flask.test_client_class = WatchedClient
    URL_BUILDERS.install()


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
    # Children before their parents: plain DELETEs in this order empty every table.
    tables = [
        name
        for name, _ in reversed(inspect(engine).get_sorted_table_and_fkc_names())
        if name not in (None, "alembic_version")
    ]
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
    _empty_postgres(engine, tables)


# Every sequence of the worker's schema back to its start, as TRUNCATE ... RESTART IDENTITY.
RESTART_SEQUENCES = (
    "SELECT setval(s.seqrelid, s.seqstart, false) FROM pg_sequence s "
    "JOIN pg_class c ON c.oid = s.seqrelid WHERE c.relnamespace = current_schema()::regnamespace"
)


def _empty_postgres(engine, tables: list[str]) -> None:
    """Delete every row of the test schema and restart its ids at 1."""
    # DELETE costs a tenth of TRUNCATE on tables this small (TRUNCATE makes new files:
    # 0.4 s after every PostgreSQL test on the busy test machine, 0.05 s this way). All in
    # one string, one round trip: a statement each took 110-190 ms on the busy machine,
    # one string 20-30 ms.
    deletes = "".join(f'DELETE FROM "{name}";' for name in tables)  # noqa: S608 (our tables)
    try:
        with engine.begin() as connection:
            connection.exec_driver_sql(f"{deletes}{RESTART_SEQUENCES}")
    except DBAPIError:  # a cycle of foreign keys has no order to delete in
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
            "MEDIA_DIR": str(tmp_path / "media"),
            "MAIL_DIR": str(tmp_path / "mail"),  # the .eml files when no SMTP_URL is set
        }
    )
    app.jinja_env.bytecode_cache = TEMPLATE_CODE
    yield app
    app.extensions["tracker.engine"].dispose()


@pytest.fixture
def session(app):
    with Session(app.extensions["tracker.engine"], expire_on_commit=False) as session:
        yield session


@pytest.fixture
def client(app):
    return FormClient(app.test_client())


class WatchedResponse(TestResponse):
    """A test response that remembers whether the test read its status."""

    status_read = False

    @property
    def status_code(self):
        self.status_read = True
        return TestResponse.status_code.fget(self)

    @status_code.setter
    def status_code(self, value):
        TestResponse.status_code.fset(self, value)

    @property
    def status(self):
        self.status_read = True
        return TestResponse.status.fget(self)

    @status.setter
    def status(self, value):
        TestResponse.status.fset(self, value)


class WatchedClient(FlaskClient):
    """A Flask test client whose responses a test must check the status of (see below)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.response_wrapper = type("Watched", (WatchedResponse, self.response_wrapper), {})
        self._depth = 0

    def open(self, *args, **kwargs):
        # Following a redirect opens again: only the answer the test gets counts.
        self._depth += 1
        try:
            response = super().open(*args, **kwargs)
        finally:
            self._depth -= 1
        if self._depth == 0:
            response.status_read = False  # werkzeug reads it to follow redirects
            _responses.append(response)
        return response


_responses: list[WatchedResponse] = []


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    _responses.clear()  # from here on: the requests of the test's fixtures count too


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    # A request whose status no test looks at lets a 500 pass unnoticed.
    result = yield
    unchecked = [
        f"{r.request.method} {r.request.full_path.rstrip('?')} -> {r.status_code}"
        for r in _responses
        if not r.status_read
    ]
    _responses.clear()
    if unchecked:
        pytest.fail("status never checked: " + "; ".join(unchecked), pytrace=False)
    return result


class FormClient:
    """A test client that sends the CSRF token with every POST, as the browser does."""

    TOKEN_RE = re.compile(r'"X-CSRFToken": "([^"]+)"')

    def __init__(self, client):
        self.raw = client

    def __getattr__(self, name):
        return getattr(self.raw, name)

    def token(self) -> str:
        page = self.raw.get("/auth/login")
        assert page.status_code == 200, page.status
        return self.TOKEN_RE.search(page.get_data(as_text=True)).group(1)

    def post(self, url, data=None, **kwargs):
        data = {"csrf_token": self.token(), **(data or {})}
        return self.raw.post(url, data=data, **kwargs)

    def get_checked(self, url, status=200, **kwargs):
        """GET url and check the status."""
        response = self.raw.get(url, **kwargs)
        assert response.status_code == status, (url, response.status_code)
        return response

    def get_text(self, url, status=200, **kwargs) -> str:
        """GET url, check the status and return the body as text."""
        return self.get_checked(url, status, **kwargs).get_data(as_text=True)

    def login(self, email, password=PASSWORD):
        response = self.post("/auth/login", {"email": email, "password": password})
        assert response.status_code == 303, response.get_data(as_text=True)
        return response

    def logout(self):
        response = self.post("/auth/logout")
        assert response.status_code == 303, response.status
        return response


@pytest.fixture
def owner(session):
    """Return the founder who owns the campaign fixture, not signed in."""
    return make_user(session, email="founder@example.com")


@pytest.fixture
def founder(client, owner):
    """Return the campaign's owner, signed in on client."""
    client.login(owner.email)
    return owner


@pytest.fixture
def campaign(request, session, owner):
    """Return owner's public EUR campaign "synth"; @pytest.mark.campaign(...) changes values."""
    marker = request.node.get_closest_marker("campaign")
    values = {"slug": "synth", "currency": "EUR", **(marker.kwargs if marker else {})}
    return make_campaign(session, owner=owner, **values)


@pytest.fixture
def cli(app):
    """Return a function that runs `tracker ARGS...` in app and returns click's result."""
    from tracker.cli import main

    runner = app.test_cli_runner()

    def invoke(*args, input=None):
        return runner.invoke(main, [str(arg) for arg in args], input=input)

    return invoke


@pytest.fixture
def smtp_sink():
    """Return a real SMTP server on 127.0.0.1 (tests/smtp_sink.py); set SMTP_URL to its url."""
    from tests.smtp_sink import SmtpSink

    with SmtpSink() as sink:
        yield sink


@pytest.fixture(scope="session")
def nu_checker(tmp_path_factory):
    """Return the Nu HTML Checker (skip without it, fail in CI)."""
    vnu = node_tool("vnu-jar/build/dist/vnu.jar")
    command = [java(), "-jar", str(vnu), "--format", "json", "--errors-only"]
    return NuChecker(command, tmp_path_factory.mktemp("nu"))


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
