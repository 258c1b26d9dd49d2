"""Name the worker process that runs a job, and tell whether a named one has gone.

A job claimed by a worker that was killed (SIGKILL, OOM, a lost machine) would show
"running" until its rows' time limit. Jobs record `worker_name()`; a worker on the same
host can then ask the operating system whether that process still lives. Other hosts'
workers cannot be asked: their jobs wait for a worker starting there, or the time limit.
"""

from __future__ import annotations

import os
import secrets
import socket

# Told apart from an earlier process that had the same pid (a restarted container's 1).
_START = secrets.token_hex(4)


def worker_name() -> str:
    """Return this process's name as jobs record it: host, pid and a token of its start."""
    return f"{socket.gethostname()}:{os.getpid()}:{_START}"


def host_prefix() -> str:
    """Return the start of the names of this host's workers."""
    return f"{socket.gethostname()}:"


def is_gone(name: str) -> bool:
    """Tell whether the worker of that name has surely stopped (False when we cannot tell)."""
    parts = name.split(":")  # a host name holds no colon
    if len(parts) != 3:
        return False
    host, pid_text, start = parts
    if host != socket.gethostname() or not pid_text.isdigit():
        return False
    pid = int(pid_text)
    if pid == os.getpid():
        return start != _START
    try:
        os.kill(pid, 0)  # signal 0: only asks whether the process exists
    except ProcessLookupError:
        return True
    except PermissionError:
        return False  # it exists, run by another user
    return False
