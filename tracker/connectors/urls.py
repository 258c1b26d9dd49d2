"""The shape of a connector's URL: scheme, host and a path pattern, credentials dropped."""

import re
from urllib.parse import urlsplit


def match_path(url: str, pattern: re.Pattern) -> tuple[str, str, re.Match] | None:
    """Return (scheme, netloc, match) when url is http(s) and its path fits pattern, else None.

    A URL without a scheme is read as https; the netloc never keeps user:password@.
    """
    text = url.strip()
    try:
        parts = urlsplit(text if "://" in text else f"https://{text}")
        match = pattern.fullmatch(parts.path) if parts.hostname else None
    except ValueError:
        return None
    if match is None or parts.scheme not in ("http", "https"):
        return None
    return parts.scheme, parts.netloc.rsplit("@", 1)[-1], match
