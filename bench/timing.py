"""Time a command the way cron runs it: wall-clock seconds from start to exit."""

from __future__ import annotations

import subprocess
import sys
import time


def time_command(command: list[str], env: dict[str, str], cwd: str) -> tuple[float, str]:
    """Run command to completion; return its wall-clock seconds and its output (exit on failure)."""
    started = time.perf_counter()
    result = subprocess.run(command, env=env, cwd=cwd, capture_output=True, check=False)
    seconds = time.perf_counter() - started
    if result.returncode != 0:
        sys.exit(f"{' '.join(command)} failed:\n{result.stderr.decode(errors='replace')}")
    return seconds, result.stdout.decode(errors="replace")
