"""After a video link is saved (dashboard or CLI): queue its thumbnail's fetch, drop old files."""

from pathlib import Path

from flask import current_app

from tracker.campaigns.video_thumbnails import FETCH_JOB, ThumbnailChange, record_failure
from tracker.jobs import QueueUnavailable, enqueue
from tracker.media.storage import remove_files


def follow_video_change(session, campaign, change: ThumbnailChange) -> None:
    """Act on a committed change: delete unused files, hand the fetch to the worker."""
    # Not views.media.media_dir: that module imports the founder's views, which import this.
    remove_files(Path(current_app.config["MEDIA_DIR"]), change.unused)
    if change.fetch_url is None:
        return
    try:
        enqueue(FETCH_JOB, campaign.id, change.fetch_url)  # the worker fetches, never a request
    except QueueUnavailable as error:
        record_failure(
            session, campaign.id, change.fetch_url, f"Could not queue the fetch: {error}"
        )
        session.commit()
