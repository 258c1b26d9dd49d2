"""`make run` starts the web server and one worker together (honcho, Procfile.dev); Ctrl-C
stops both and leaves no process behind (#15)."""

import os
import re
import signal
import socket
import subprocess
import sys
from pathlib import Path

import httpx

from tests.worker import Worker, wait_for

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def _descendants(pid: int) -> set[int]:
    """Return the processes below pid, from /proc (children of every thread)."""
    found, queue = set(), [pid]
    while queue:
        parent = queue.pop()
        for task in Path(f"/proc/{parent}/task").glob("*"):
            try:
                children = (task / "children").read_text().split()
            except OSError:  # it exited meanwhile
                continue
            for child in map(int, children):
                if child not in found:
                    found.add(child)
                    queue.append(child)
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_the_makefile_runs_the_procfile_with_honcho():
    recipe = (ROOT / "Makefile").read_text().split("\nrun:", 1)[1].split("\n\n", 1)[0]
    assert "$(BIN)/honcho start --procfile Procfile.dev --port $(PORT)" in recipe
    procfile = (ROOT / "Procfile.dev").read_text()
    assert re.search(r"^web: exec \.venv/bin/tracker --debug run ", procfile, re.MULTILINE)
    assert re.search(r"^worker: exec \.venv/bin/tracker worker$", procfile, re.MULTILINE)


def test_web_and_worker_start_together_and_ctrl_c_stops_both(tmp_path):
    port = _free_port()
    env = {
        **os.environ,
        "PATH": f"{BIN}:{os.environ['PATH']}",
        "HOST": "127.0.0.1",
        "TRACKER_DATABASE_URL": f"sqlite:///{tmp_path / 'tracker.sqlite3'}",
        "PYTHONUNBUFFERED": "1",
    }
    upgrade = subprocess.run(
        [BIN / "tracker", "db", "upgrade"], env=env, capture_output=True, text=True, check=False
    )
    assert upgrade.returncode == 0, upgrade.stderr
    honcho = Worker(  # reads what honcho prints, as for a worker
        [BIN / "honcho", "start", "--procfile", "Procfile.dev", "--port", str(port)],
        env,
        cwd=ROOT,
        start_new_session=True,  # its own process group, as a terminal's foreground job
    )
    try:
        honcho.wait_started()
        status = wait_for(lambda: _answer(f"http://127.0.0.1:{port}/"), timeout=60, what="web")
        assert status < 500, honcho.output
        processes = _descendants(honcho.process.pid)
        assert len(processes) >= 2, processes  # the web server (and its reloader), the worker
        os.killpg(honcho.process.pid, signal.SIGINT)  # Ctrl-C in the terminal
        honcho.wait()
    finally:
        if honcho.process.poll() is None:
            os.killpg(honcho.process.pid, signal.SIGKILL)
            honcho.stop()
    output = honcho.output
    # Both got the stop signal themselves (exec in Procfile.dev) and ended cleanly.
    assert "worker stopped" in output and "worker.1 stopped (rc=0)" in output, output
    assert "web.1 stopped (rc=0)" in output, output
    wait_for(lambda: not [pid for pid in processes if _alive(pid)], timeout=30, what="no orphan")


def _answer(url: str) -> int | None:
    try:
        return httpx.get(url, timeout=5).status_code
    except httpx.TransportError:
        return None
