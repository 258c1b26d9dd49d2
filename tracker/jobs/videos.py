"""The campaign video's job: fetch its thumbnail once the founder saved the link."""

from __future__ import annotations

import logging
from pathlib import Path

from sqlmodel import Session

from tracker.campaigns.thumbnail_sources import ThumbnailUnavailable, download_thumbnail
from tracker.campaigns.video_thumbnails import (
    FETCH_JOB,
    awaited_video,
    failure_reason,
    prepare_thumbnail,
    record_failure,
    store_thumbnail,
)
from tracker.config import YOUTUBE_THUMBNAIL_URL
from tracker.errors import InvalidInput
from tracker.feeds.fetch_policy import fetch_policy
from tracker.jobs.registry import JobContext, job
from tracker.media.storage import remove_files

log = logging.getLogger(__name__)


@job(FETCH_JOB)
def fetch_video_thumbnail(context: JobContext, campaign_id: int, video_url: str) -> None:
    """Fetch, check and store the thumbnail of the video link; record why not when it fails."""
    media_dir = Path(context.config["MEDIA_DIR"])
    youtube_base = str(context.config.get("YOUTUBE_THUMBNAIL_URL") or YOUTUBE_THUMBNAIL_URL)
    with Session(context.engine, expire_on_commit=False) as session:
        video = awaited_video(session, campaign_id, video_url)
        session.rollback()  # no transaction stays open while fetching
        if video is None:
            return  # the founder replaced or removed the link meanwhile
        try:
            data = download_thumbnail(
                video, policy=fetch_policy(context.config), youtube_base=youtube_base
            )
            image = prepare_thumbnail(data)
        except ThumbnailUnavailable as error:
            reason = error.reason
        except InvalidInput as error:
            reason = failure_reason(error)
        except Exception as error:  # a bug: the founder sees it failed, the worker goes on
            log.exception("%s: campaign %s failed unexpectedly", FETCH_JOB, campaign_id)
            reason = f"Unexpected error: {type(error).__name__}"
        else:
            unused = store_thumbnail(session, campaign_id, video_url, image, media_dir=media_dir)
            session.commit()
            remove_files(media_dir, unused)
            return
        record_failure(session, campaign_id, video_url, reason)
        session.commit()
