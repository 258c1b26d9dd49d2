"""A campaign's video link: which YouTube or PeerTube video it is, and how to embed it."""

import re
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

from tracker.errors import InvalidInput
from tracker.validation import parse_web_address

YOUTUBE_HOSTS = frozenset(
    ("youtube.com", "www.youtube.com", "m.youtube.com", "youtube-nocookie.com", "youtu.be")
)
# youtube-nocookie sets no cookie until the visitor plays the video.
YOUTUBE_EMBED_ORIGIN = "https://www.youtube-nocookie.com"
_YOUTUBE_ID = re.compile(r"[A-Za-z0-9_-]{11}")
_YOUTUBE_PATH = re.compile(r"/(?:shorts|embed|live)/([A-Za-z0-9_-]{11})/?")
# PeerTube runs on any host: its video paths are what we recognise (a UUID or a short id).
_PEERTUBE_PATH = re.compile(
    r"/(?:w|videos/watch|videos/embed)/"
    r"([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|[1-9A-HJ-NP-Za-km-z]{22})/?"
)


@dataclass(frozen=True)
class Video:
    """A video the public page links to, and may embed when the founder opts in."""

    platform: str  # "youtube" or "peertube"
    video_id: str
    url: str  # the link as the founder gave it
    embed_url: str
    embed_origin: str  # the one origin the page's frame-src allows

    @property
    def platform_name(self) -> str:
        """Return the platform's name as people write it."""
        return "YouTube" if self.platform == "youtube" else "PeerTube"


def parse_video(text: str | None, *, field: str = "video_url") -> Video | None:
    """Return the YouTube or PeerTube video of a link (None for ""), or raise InvalidInput."""
    url = parse_web_address(text, field=field)
    if not url:
        return None
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    if host in YOUTUBE_HOSTS:
        video_id = _youtube_id(host, parts)
        if video_id:
            embed = f"{YOUTUBE_EMBED_ORIGIN}/embed/{video_id}"
            return Video("youtube", video_id, url, embed, YOUTUBE_EMBED_ORIGIN)
    elif parts.scheme == "https" and (match := _PEERTUBE_PATH.fullmatch(parts.path)):
        origin = f"https://{parts.netloc.lower()}"
        video_id = match.group(1)
        return Video("peertube", video_id, url, f"{origin}/videos/embed/{video_id}", origin)
    raise InvalidInput(
        {
            field: "Give the address of a YouTube or PeerTube video, e.g. "
            "https://www.youtube.com/watch?v=… or https://peertube.example/w/…"
        }
    )


def saved_video(campaign) -> Video | None:
    """Return the campaign's video; None without one (or one no longer recognised)."""
    try:
        return parse_video(campaign.video_url)
    except InvalidInput:
        return None


def _youtube_id(host: str, parts) -> str | None:
    if host == "youtu.be":
        candidate = parts.path.strip("/")
    elif parts.path == "/watch":
        candidate = (parse_qs(parts.query).get("v") or [""])[0]
    else:
        match = _YOUTUBE_PATH.fullmatch(parts.path)
        candidate = match.group(1) if match else ""
    return candidate if _YOUTUBE_ID.fullmatch(candidate) else None
