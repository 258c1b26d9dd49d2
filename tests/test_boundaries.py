"""One module speaks to each of these libraries, so one place holds its settings (#11)."""

import ast
import sys
from pathlib import Path

import pytest

import tracker

ROOT = Path(tracker.__file__).parent
# library -> the one module of ours that imports it
BOUNDARIES = {
    "feedgen": "atom.py",  # every Atom document: the timeline feed and the alert feed
    "nh3": "markup.py",  # one allow-list for founder Markdown and feed HTML
}


def _importers() -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for path in sorted(ROOT.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and not node.level:
                names = [node.module]
            else:
                continue
            for name in names:
                top = name.split(".")[0]
                if top not in sys.stdlib_module_names:
                    found.setdefault(top, set()).add(path.relative_to(ROOT).as_posix())
    return found


@pytest.mark.parametrize("library", sorted(BOUNDARIES))
def test_one_module_imports_the_library(library):
    assert _importers().get(library) == {BOUNDARIES[library]}
