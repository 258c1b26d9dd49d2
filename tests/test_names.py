"""Module names say what they hold; comments and template notes name code that exists (#11).

The modules were renamed by area (39f666c); a name that survives only in a comment sends
the reader looking for something that is gone.
"""

import ast
import re
import sys
from pathlib import Path

import tracker

PACKAGE = Path(tracker.__file__).parent
TEMPLATES = PACKAGE.parent / "templates"
# The flat modules of before the move; `public_page` lives on as a template variable.
FLAT_MODULES = """bounded_inflate demo_feedback demo_feeds demo_files demo_pledges
    feed_content feed_discovery feed_export feed_http feed_http_transport feed_links
    feed_nesting feed_parse feed_store feedback_alerts feedback_atom feedback_charts
    feedback_export feedback_inbox feedback_keywords feedback_public feedback_rules
    feedback_scoring feedback_stats funding_report http_caching pledge_csv pledge_export
    pledge_formats pledge_history pledge_ledger pledge_limits pledge_rows pledge_runs
    pledge_values poll_claims poll_schedule public_address public_api report_data
    report_downloads report_feedback report_milestones report_periods""".split()  # noqa: SIM905
_BACKTICKED = re.compile(r"`([A-Za-z_][\w.]*)`")
# tracker.a.b and longer (tracker.example and extension keys like tracker.engine are not code)
_DOTTED = re.compile(r"\btracker(?:\.\w+){2,}")


def _texts() -> dict[str, str]:
    files = [*PACKAGE.rglob("*.py"), *TEMPLATES.rglob("*.html")]
    return {str(path): path.read_text(encoding="utf-8") for path in files}


def _known_names() -> set[str]:
    """Every module, package, definition, assignment, argument and template macro name."""
    names = set(sys.stdlib_module_names)
    for path in PACKAGE.rglob("*.py"):
        names.update(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                names.add(node.name)
            elif isinstance(node, ast.Name | ast.arg):
                names.add(node.id if isinstance(node, ast.Name) else node.arg)
            elif isinstance(node, ast.Attribute):
                names.add(node.attr)
            elif isinstance(node, ast.alias):
                names.add((node.asname or node.name).split(".")[-1])
    for path in TEMPLATES.rglob("*.html"):
        names.update(re.findall(r"macro (\w+)", path.read_text(encoding="utf-8")))
    return names


def _resolves(dotted: str) -> bool:
    """Tell whether tracker.a.b[.Name] names a module of ours, or a name defined in one."""
    parts = dotted.split(".")
    for cut in range(len(parts), 0, -1):
        base = PACKAGE.parent.joinpath(*parts[:cut])
        module = base.with_suffix(".py") if base.with_suffix(".py").is_file() else None
        if module is None and (base / "__init__.py").is_file():
            module = base / "__init__.py"
        if module is not None:
            rest = parts[cut:]
            return (
                not rest or re.search(rf"\b{re.escape(rest[0])}\b", module.read_text()) is not None
            )
    return False


def test_no_flat_module_name_survives():
    found = {
        f"{path}: {name}"
        for path, text in _texts().items()
        for name in FLAT_MODULES
        if re.search(rf"\b{name}\b", text)
    }
    assert found == set()


def test_dotted_names_of_our_modules_resolve():
    unresolved = {
        f"{path}: {dotted}"
        for path, text in _texts().items()
        for dotted in _DOTTED.findall(text)
        if not _resolves(dotted)
    }
    assert unresolved == set()


def test_names_in_backticks_exist():
    known = _known_names()
    unknown = {
        f"{path}: {name}"
        for path, text in _texts().items()
        for name in _BACKTICKED.findall(text)
        if not set(name.split(".")) <= known
    }
    assert unknown == set()


# Names that say nothing of what a module holds ("history": of pledges, imports, slips?).
VAGUE = {"utils", "util", "helpers", "services", "misc", "common", "base", "core", "history"}


def test_module_names_say_what_they_hold():
    vague = {
        path.relative_to(PACKAGE).as_posix() for path in PACKAGE.rglob("*.py") if path.stem in VAGUE
    }
    assert vague == set()
