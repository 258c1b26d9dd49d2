"""Uploaded reports held on disk while the founder confirms them, for up to an hour.

A browser cannot send a chosen file again by itself: the confirmation step posts the
token of the held copy instead. Copies are named by campaign and a random token, so a
token only ever opens its own campaign's file, and a guessed one opens nothing.
"""

import os
import re
import secrets
import shutil
import time
from pathlib import Path
from typing import BinaryIO

HOLD_SECONDS = 3600
_TOKEN = re.compile(r"[A-Za-z0-9_-]{32}")


class HeldUploadGone(LookupError):
    """The held copy does not exist (any more): confirmed, expired or never held."""


def hold_upload(directory: Path, *, campaign_id: int, fileobj: BinaryIO) -> str:
    """Copy the upload into directory and return the token that opens it again."""
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    drop_expired(directory)
    token = secrets.token_urlsafe(24)
    fileobj.seek(0)
    with _path(directory, campaign_id, token).open("xb") as held:
        shutil.copyfileobj(fileobj, held)
    return token


def open_held(directory: Path, *, campaign_id: int, token: str) -> BinaryIO:
    """Return the held upload for reading, or raise HeldUploadGone."""
    if not _TOKEN.fullmatch(token or ""):
        raise HeldUploadGone(token)
    path = _path(directory, campaign_id, token)
    try:
        if path.stat().st_mtime < time.time() - HOLD_SECONDS:
            raise HeldUploadGone(token)
        return path.open("rb")
    except FileNotFoundError:
        raise HeldUploadGone(token) from None


def drop_held(directory: Path, *, campaign_id: int, token: str) -> None:
    """Delete a held upload once it is imported."""
    if _TOKEN.fullmatch(token or ""):
        _path(directory, campaign_id, token).unlink(missing_ok=True)


def drop_expired(directory: Path) -> None:
    """Delete the held uploads nobody confirmed within the hour."""
    oldest = time.time() - HOLD_SECONDS
    for entry in os.scandir(directory):
        try:
            if entry.name.endswith(".held") and entry.stat().st_mtime < oldest:
                os.unlink(entry.path)
        except FileNotFoundError:
            pass  # another worker dropped it first


def _path(directory: Path, campaign_id: int, token: str) -> Path:
    return directory / f"{campaign_id}-{token}.held"
