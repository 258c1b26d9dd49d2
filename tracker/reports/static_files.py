"""The files a PDF may load: our static files, under a URL that resolves nowhere else."""

from __future__ import annotations

from pathlib import Path

from tracker.resources import resource_dir

STATIC_ROOT = resource_dir("static").resolve()
# A name that can never resolve (RFC 6761): only StaticFilesFetcher answers for it.
ASSETS_URL = "https://assets.tracker.invalid/static/"
# The hero image travels inside the report's HTML; the fetcher takes no other data: URL.
IMAGE_DATA_URL = "data:image/webp;base64,"


def static_path(url: str) -> Path | None:
    """Return the file under static/ that url names, or None for any other URL."""
    if not url.startswith(ASSETS_URL):
        return None
    relative = url[len(ASSETS_URL) :].split("?", 1)[0].split("#", 1)[0]
    if not relative or "\\" in relative or "%" in relative:
        return None
    path = (STATIC_ROOT / relative).resolve()
    if not path.is_relative_to(STATIC_ROOT) or not path.is_file():
        return None
    return path
