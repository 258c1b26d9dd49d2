"""The declared dependencies are what the app imports: nothing arrives only through another."""

import ast
import re
import sys
import tomllib
from importlib.metadata import packages_distributions
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOURCES = ("tracker", "migrations", "wsgi.py")
# Declared although no import statement of ours names them, and why.
NOT_IMPORTED = {
    "psycopg": "SQLAlchemy loads it for postgresql+psycopg:// database URLs",
    "gunicorn": "the server that runs the app",
    "tzdata": "zoneinfo reads it where the OS has no time zone database",
}


def _canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()  # as PEP 503 normalises project names


def _declared() -> set[str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    return {
        _canonical(re.match(r"[A-Za-z0-9][A-Za-z0-9._-]*", requirement).group())
        for requirement in project["dependencies"]
    }


def _imported() -> dict[str, set[str]]:
    """Return each third-party top-level module the app imports and the files that do."""
    files = [path for name in SOURCES for path in sorted((ROOT / name).glob("**/*.py"))]
    files += [ROOT / name for name in SOURCES if name.endswith(".py")]
    modules: dict[str, set[str]] = {}
    for path in files:
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and not node.level:
                names = [node.module]
            else:
                continue
            for name in names:
                top = name.split(".")[0]
                if top != "tracker" and top not in sys.stdlib_module_names:
                    modules.setdefault(top, set()).add(str(path.relative_to(ROOT)))
    return modules


def test_every_imported_module_comes_from_a_declared_dependency():
    declared, providers = _declared(), packages_distributions()
    undeclared = {
        module: sorted(files)
        for module, files in _imported().items()
        if not {_canonical(dist) for dist in providers.get(module, ())} & declared
    }
    assert not undeclared, f"imported, not in [project] dependencies: {undeclared}"


def test_every_declared_dependency_is_imported():
    providers = packages_distributions()
    imported = {_canonical(dist) for module in _imported() for dist in providers.get(module, ())}
    unused = _declared() - imported - set(NOT_IMPORTED)
    assert not unused, f"declared, imported nowhere: {sorted(unused)}"


def test_the_time_zone_database_is_declared():
    # zoneinfo reads the OS's tz database; where there is none (Windows, slim containers)
    # only the tzdata package knows Europe/Berlin, and every campaign's dates need it.
    assert "tzdata" in _declared()
    assert "tzdata" in NOT_IMPORTED
