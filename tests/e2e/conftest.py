"""Browser tests run on SQLite alone unless they name their databases themselves."""

import pytest

ONE_DATABASE = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)


@pytest.hookimpl(tryfirst=True)  # before the fixture's own params and the marks are applied
def pytest_generate_tests(metafunc):
    # A browser test proves what the page does; what each database does is proven on both by
    # the request-level tests (tests/views/ and each area's). A browser test that needs
    # PostgreSQL says so: @pytest.mark.parametrize("db_url", [...], indirect=True).
    if "db_url" not in metafunc.fixturenames:
        return
    for marker in metafunc.definition.iter_markers("parametrize"):
        names = marker.args[0]
        if "db_url" in ([n.strip() for n in names.split(",")] if isinstance(names, str) else names):
            return
    metafunc.definition.add_marker(ONE_DATABASE)
