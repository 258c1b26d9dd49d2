"""A campaign video's thumbnail: awaited from the worker, stored in the media folder, or why not.

The public page shows it from /media/ (never from the video site); until it is fetched,
or when it could not be, the page shows its own placeholder picture.
"""

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import update
from sqlmodel import Session

from tracker.campaigns.hero import HeroFile, key_users, stored_files
from tracker.campaigns.video import Video, saved_video
from tracker.errors import InvalidInput
from tracker.media.images import ResizedImage, prepare_image
from tracker.media.storage import file_name, write_files
from tracker.models import Campaign, VideoThumbnail, utcnow

FETCH_JOB = "campaigns.video_thumbnail"
# Smaller than a hero image may be: the page shows it beside the call to action, and a
# PeerTube instance's smallest picture is 280 by 157.
MIN_SIZE = (240, 135)
MAX_ERROR_LENGTH = 300


@dataclass(frozen=True)
class ThumbnailChange:
    """What saving the video link asks of the caller: a fetch to queue, files to delete."""

    fetch_url: str | None  # the video link to queue the fetch for, if any
    unused: list[str]


def request_thumbnail(session: Session, campaign: Campaign, *, now: datetime) -> ThumbnailChange:
    """Match the thumbnail to the campaign's saved video: awaited for a new link, gone without."""
    row = session.get(VideoThumbnail, campaign.id)
    video = saved_video(campaign)
    if video is None:
        if row is None:
            return ThumbnailChange(None, [])
        unused = _release(session, row)
        session.delete(row)
        session.flush()
        return ThumbnailChange(None, unused)
    # Fetched or on its way for this very link: nothing to do. Failed: saving tries again.
    if row is not None and row.video_url == video.url and row.state != "failed":
        return ThumbnailChange(None, [])
    unused = _release(session, row) if row is not None else []
    row = row or VideoThumbnail(campaign_id=campaign.id, video_url=video.url)
    awaited = {"video_url": video.url, "state": "waiting", "error": "", "requested_at": now}
    cleared = dict.fromkeys(("finished_at", "image_key", "image_width", "image_height"))
    for name, value in (awaited | cleared).items():
        setattr(row, name, value)
    session.add(row)
    session.flush()
    return ThumbnailChange(video.url, unused)


def awaited_video(session: Session, campaign_id: int, video_url: str) -> Video | None:
    """Return the video whose thumbnail is awaited for this link; None if no longer so."""
    row = session.get(VideoThumbnail, campaign_id)
    if row is None or row.video_url != video_url or row.state != "waiting":
        return None
    campaign = session.get(Campaign, campaign_id)
    return saved_video(campaign) if campaign is not None else None


def prepare_thumbnail(data: bytes) -> ResizedImage:
    """Check and re-encode a fetched thumbnail as an upload is; InvalidInput says why not."""
    return prepare_image(data, field="thumbnail", min_size=MIN_SIZE)


def store_thumbnail(
    session: Session, campaign_id: int, video_url: str, image: ResizedImage, *, media_dir: Path
) -> list[str]:
    """Write the thumbnail's files and record them for the link; return files left unused."""
    names = {file_name(image.key, width): data for width, data in image.files.items()}
    write_files(media_dir, names)
    stored = _finish(
        session,
        campaign_id,
        video_url,
        state="fetched",
        image_key=image.key,
        image_width=image.width,
        image_height=image.height,
    )
    # The link changed while fetching: the files are nobody's unless another uses the key.
    return [] if stored or key_users(session, image.key) else list(names)


def record_failure(session: Session, campaign_id: int, video_url: str, reason: str) -> None:
    """Record in one line why the link's thumbnail could not be had (the page keeps its own)."""
    line = " ".join(reason.split())
    if len(line) > MAX_ERROR_LENGTH:
        line = line[: MAX_ERROR_LENGTH - 1] + "…"
    _finish(session, campaign_id, video_url, state="failed", error=line or "failed")


def failure_reason(error: InvalidInput) -> str:
    """Return the reason a fetched picture was refused, in one sentence for the founder."""
    return "The picture was refused: " + " ".join(error.errors.values())


def shown_thumbnail(session: Session, campaign: Campaign) -> VideoThumbnail | None:
    """Return the thumbnail record of the campaign's current video link, if any."""
    row = session.get(VideoThumbnail, campaign.id)
    return row if row is not None and row.video_url == campaign.video_url else None


def thumbnail_files(row: VideoThumbnail | None) -> list[HeroFile]:
    """Return the files of a fetched thumbnail, narrowest first (empty otherwise)."""
    if row is None or row.state != "fetched":
        return []
    return stored_files(row.image_key, row.image_width, row.image_height)


def _finish(session: Session, campaign_id: int, video_url: str, **values) -> bool:
    # Only while still awaited for this link: on PostgreSQL the WHERE is checked again
    # after a concurrent save of the form, which then wins.
    done = session.execute(
        update(VideoThumbnail)
        .where(
            VideoThumbnail.campaign_id == campaign_id,
            VideoThumbnail.video_url == video_url,
            VideoThumbnail.state == "waiting",
        )
        .values(finished_at=utcnow(), **values)
    ).rowcount
    if done:
        # The public page changed: its ETag and Last-Modified follow the campaign's stamp.
        session.execute(
            update(Campaign).where(Campaign.id == campaign_id).values(updated_at=utcnow())
        )
    session.flush()
    return bool(done)


def _release(session: Session, row: VideoThumbnail) -> list[str]:
    """Return the row's files unless another image or thumbnail shares them."""
    if not row.image_key or key_users(session, row.image_key) > 1:
        return []
    return [file.name for file in stored_files(row.image_key, row.image_width, row.image_height)]
