"""The media folder: files written once under content-hash names, and their removal."""

import os
import re
import tempfile
from collections.abc import MutableMapping
from pathlib import Path

# <32 hex digits of the content hash>-<width>.webp: nothing else is ever served.
FILE_NAME = re.compile(r"[0-9a-f]{32}-[0-9]{2,4}\.webp")


def settle_media_dir(config: MutableMapping, instance_path: str) -> None:
    """Fill in MEDIA_DIR (media/ in the instance folder), for the web and the worker alike."""
    if not config.get("MEDIA_DIR"):
        config["MEDIA_DIR"] = str(Path(instance_path) / "media")


def file_name(key: str, width: int) -> str:
    """Return the name of the file of image key at width."""
    return f"{key}-{width}.webp"


def is_file_name(name: str) -> bool:
    """Tell whether name is one the media folder may hold (and serve)."""
    return FILE_NAME.fullmatch(name) is not None


def write_files(media_dir: Path, files: dict[str, bytes]) -> None:
    """Write each file under its name; a file already there is kept (same name, same bytes)."""
    media_dir.mkdir(parents=True, exist_ok=True)
    for name, data in files.items():
        target = media_dir / name
        if target.exists():
            continue
        # Written aside and renamed: a reader never sees half a file.
        handle, temporary = tempfile.mkstemp(dir=media_dir, prefix=".upload-")
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.chmod(temporary, 0o644)
        os.replace(temporary, target)


def remove_files(media_dir: Path, names: list[str]) -> None:
    """Delete the named files; one already gone is no error."""
    for name in names:
        if is_file_name(name):
            (media_dir / name).unlink(missing_ok=True)
