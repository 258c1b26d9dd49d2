"""Which platform an own update came from, for the icon beside it on the public page."""

from urllib.parse import urlsplit

PLATFORMS = ("mastodon", "bluesky", "youtube", "github", "kickstarter", "reddit", "lemmy")
# A channel's connector (kind: mastodon, bluesky, kickstarter ...) or what its URL turned out
# to be (origin: mastodon-profile, youtube ...) names most platforms; a plain feed ("feed",
# "direct", "discovered", "manual") is told by its posts' host.
_HOSTS = {
    "youtube.com": "youtube",
    "youtu.be": "youtube",
    "github.com": "github",
    "kickstarter.com": "kickstarter",
    "reddit.com": "reddit",
    "bsky.app": "bluesky",
}


def source_platform(kind: str | None, origin: str | None, link: str | None) -> str:
    """Return the platform of an update (one of PLATFORMS) or "feed"."""
    for name in (kind or "", origin or ""):
        for platform in PLATFORMS:
            if name.startswith(platform):
                return platform
    host = (urlsplit(link or "").hostname or "").removeprefix("www.")
    for known, platform in _HOSTS.items():
        if host == known or host.endswith("." + known):
            return platform
    return "feed"
