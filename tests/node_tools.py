"""Locate the npm test tools (axe-core, vnu-jar): skip without them, but fail in CI."""

import os
import shutil
from pathlib import Path

import pytest

NODE_MODULES = Path(__file__).resolve().parents[1] / "node_modules"


def _missing(reason: str):
    if os.environ.get("CI", "").lower() in ("true", "1"):
        pytest.fail(f"{reason}, and CI must run this test: run `make node-deps`")
    pytest.skip(f"{reason}: run `make node-deps` (npm ci) to enable this test")


def node_tool(relative: str) -> Path:
    """Return the path of a file inside node_modules, or skip (fail in CI) without it."""
    path = NODE_MODULES / relative
    if not path.exists():
        _missing(f"{path} is missing")
    return path


def java() -> str:
    """Return the java executable the Nu HTML Checker runs on, or skip (fail in CI)."""
    found = shutil.which("java")
    if found is None:
        _missing("java is not installed")
    return found
