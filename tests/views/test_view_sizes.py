"""Views stay short and view modules small (STYLE.md rules 5 and 11)."""

import ast
from pathlib import Path

import tracker.views

VIEWS = Path(tracker.views.__file__).parent
MAX_VIEW_LINES = 25  # parse, call the domain, commit once, render or redirect
MAX_MODULE_LINES = 400  # split a module along what it holds near here
ROUTES = {"get", "post", "put", "patch", "delete", "route"}


def _routed_views(tree):
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef) and any(
            isinstance(d, ast.Call) and isinstance(d.func, ast.Attribute) and d.func.attr in ROUTES
            for d in node.decorator_list
        ):
            yield node


def test_every_view_is_short():
    long_views = {
        f"{path.stem}.{node.name}": node.end_lineno - node.lineno + 1
        for path in sorted(VIEWS.glob("*.py"))
        for node in _routed_views(ast.parse(path.read_text(encoding="utf-8")))
        if node.end_lineno - node.lineno + 1 > MAX_VIEW_LINES
    }
    assert long_views == {}


def test_every_view_module_is_small():
    sizes = {
        path.name: len(path.read_text(encoding="utf-8").splitlines()) for path in VIEWS.glob("*.py")
    }
    assert {name: n for name, n in sizes.items() if n > MAX_MODULE_LINES} == {}
