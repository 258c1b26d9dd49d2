"""A campaign's hero image: set it from an upload, remove it, name its files."""

from dataclasses import dataclass
from pathlib import Path

from sqlmodel import Session, func, select

from tracker.media.images import WIDTHS, ResizedImage, prepare_image
from tracker.media.storage import file_name, write_files
from tracker.models import Campaign, VideoThumbnail, utcnow


@dataclass(frozen=True)
class HeroFile:
    """One resized file of the hero image."""

    name: str
    width: int
    height: int


def check_hero_image(data: bytes) -> ResizedImage:
    """Return the upload resized, or raise InvalidInput({"image": reason})."""
    return prepare_image(data, field="image")


def set_hero_image(
    session: Session, campaign: Campaign, image: ResizedImage, *, media_dir: Path
) -> list[str]:
    """Write the image's files and make it the campaign's; return the files no longer used."""
    write_files(media_dir, {file_name(image.key, w): data for w, data in image.files.items()})
    unused = _files_left_behind(session, campaign, new_key=image.key)
    campaign.image_key, campaign.image_width, campaign.image_height = (
        image.key,
        image.width,
        image.height,
    )
    campaign.updated_at = utcnow()
    session.add(campaign)
    session.flush()
    return unused


def remove_hero_image(session: Session, campaign: Campaign) -> list[str]:
    """Take the image off the campaign; return its files, unless another campaign uses them."""
    unused = _files_left_behind(session, campaign, new_key=None)
    campaign.image_key = campaign.image_width = campaign.image_height = None
    campaign.updated_at = utcnow()
    session.add(campaign)
    session.flush()
    return unused


def hero_files(campaign: Campaign) -> list[HeroFile]:
    """Return the files of the campaign's image, narrowest first (empty without one)."""
    return stored_files(campaign.image_key, campaign.image_width, campaign.image_height)


def stored_files(key: str | None, width: int | None, height: int | None) -> list[HeroFile]:
    """Return the files of the image stored under key at largest width, narrowest first."""
    if not key or not width or not height:
        return []
    widths = sorted({min(each, width) for each in WIDTHS})
    return [HeroFile(file_name(key, each), each, round(height * each / width)) for each in widths]


def key_users(session: Session, key: str) -> int:
    """Count the hero images and video thumbnails whose files are those of key."""
    images = select(func.count(Campaign.id)).where(Campaign.image_key == key)
    thumbnails = (
        select(func.count()).select_from(VideoThumbnail).where(VideoThumbnail.image_key == key)
    )
    return session.exec(images).one() + session.exec(thumbnails).one()


def _files_left_behind(session: Session, campaign: Campaign, *, new_key: str | None) -> list[str]:
    old_key = campaign.image_key
    if old_key is None or old_key == new_key:
        return []
    # The same picture uploaded to two campaigns (or a video's thumbnail uploaded as the
    # image) shares its files: keep them while in use. This campaign's own use is one.
    return [] if key_users(session, old_key) > 1 else [file.name for file in hero_files(campaign)]
