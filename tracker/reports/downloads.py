"""Exported PDFs kept for an hour so that an htmx export can hand them over as a download.

Files live in one folder (the instance folder's report-exports/), named by campaign and a
random token: only the campaign's team, through its dashboard route, can fetch one.
"""

from __future__ import annotations

import re
import secrets
import time
from pathlib import Path

KEEP_SECONDS = 3600
TOKEN_RE = re.compile(r"^[A-Za-z0-9_-]{20,64}$")


def store_download(folder: Path, campaign_id: int, pdf: bytes) -> str:
    """Keep the PDF for an hour; return the token that fetches it."""
    folder.mkdir(parents=True, exist_ok=True)
    _purge(folder)
    token = secrets.token_urlsafe(24)
    path = folder / f"{campaign_id}-{token}.pdf"
    temporary = path.with_suffix(".part")
    temporary.write_bytes(pdf)
    temporary.replace(path)  # never serve a half-written file
    return token


def load_download(folder: Path, campaign_id: int, token: str) -> bytes | None:
    """Return the campaign's kept PDF of this token, or None when unknown or expired."""
    if not TOKEN_RE.match(token or ""):
        return None
    path = folder / f"{campaign_id}-{token}.pdf"
    try:
        if time.time() - path.stat().st_mtime > KEEP_SECONDS:
            return None
        return path.read_bytes()
    except FileNotFoundError:
        return None


def _purge(folder: Path) -> None:
    cutoff = time.time() - KEEP_SECONDS
    for path in folder.glob("*.p*"):
        try:
            if path.stat().st_mtime < cutoff:
                path.unlink()
        except FileNotFoundError:
            pass  # another worker purged it first
