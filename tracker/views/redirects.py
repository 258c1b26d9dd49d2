"""Where a view may send the browser back to (`next`): only paths on this site."""

import unicodedata
from urllib.parse import quote, unquote, urlsplit

# Longer targets are no page of ours; refusing them keeps the Location header small.
MAX_TARGET_LENGTH = 2048
# Characters RFC 3986 allows unescaped in a path and a query; all others get %-escaped.
_PATH_SAFE = "/%:@!$&'()*+,;=-._~"
_QUERY_SAFE = _PATH_SAFE + "?"


def same_site_path(target: str | None) -> str | None:
    """Return target as a %-escaped path on this site, or None when it may lead elsewhere."""
    if not target or len(target) > MAX_TARGET_LENGTH:
        return None
    # Browsers drop tabs and newlines, read '\' as '/' and decode once more in places,
    # so the target must be a plain path both as given and once decoded.
    if not (_is_plain_path(target) and _is_plain_path(unquote(target))):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or parts.fragment:
        return None
    path = quote(parts.path, safe=_PATH_SAFE)
    return f"{path}?{quote(parts.query, safe=_QUERY_SAFE)}" if parts.query else path


def _is_plain_path(text: str) -> bool:
    if not text.startswith("/") or text.startswith("//") or "\\" in text:
        return False
    # Control, format (zero-width, bidi) and space characters are never in our URLs.
    if any(ch.isspace() or unicodedata.category(ch).startswith("C") for ch in text):
        return False
    # Dot segments could be resolved into '//host' by whoever reads the path next.
    path = text.split("?", 1)[0]
    return not any(segment in (".", "..") for segment in path.split("/"))
