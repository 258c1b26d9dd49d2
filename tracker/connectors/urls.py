"""The shape of a connector's URL: scheme, host and a path pattern, credentials dropped."""

import re
from urllib.parse import SplitResult, urlsplit


def plain_netloc(parts: SplitResult) -> str:
    """Return the URL's host (lower case: hosts ignore case) and port, without user:password@."""
    return parts.netloc.rsplit("@", 1)[-1].lower()


def match_path(url: str, pattern: re.Pattern) -> tuple[str, str, re.Match] | None:
    """Return (scheme, netloc, match) when url is http(s) and its path fits pattern, else None.

    A URL without a scheme is read as https; the netloc is plain_netloc's.
    """
    text = url.strip()
    try:
        parts = urlsplit(text if "://" in text else f"https://{text}")
        match = pattern.fullmatch(parts.path) if parts.hostname else None
    except ValueError:
        return None
    if match is None or parts.scheme not in ("http", "https"):
        return None
    return parts.scheme, plain_netloc(parts), match
