"""Check an uploaded image and resize it: the one module that decodes images (Pillow).

Pillow is imported when an image is checked, not at startup (most processes never do).
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass

from tracker.errors import InvalidInput

MAX_BYTES = 10 * 2**20
# Checked from the header before any pixel is decoded: a small file that claims a huge
# canvas (a decompression bomb) is refused without allocating it.
MAX_PIXELS = 40_000_000
MIN_WIDTH, MIN_HEIGHT = 400, 200
MAX_RATIO = 5  # wider than 5:1 or taller than 1:5 shows as a sliver on a phone
# The page's srcset, the share card's right side and the report's cover draw from these.
WIDTHS = (480, 960, 1600)
FORMATS = ("JPEG", "PNG", "WEBP")
WEBP_QUALITY = 82
ACCEPTED = "Upload a JPEG, PNG or WebP image."


@dataclass(frozen=True)
class ResizedImage:
    """An accepted image: its content key, largest size and WebP files by width."""

    key: str
    width: int
    height: int
    files: dict[int, bytes]


def prepare_image(
    data: bytes, *, field: str = "image", min_size: tuple[int, int] = (MIN_WIDTH, MIN_HEIGHT)
) -> ResizedImage:
    """Check data is a sound JPEG, PNG or WebP image; return it resized, without metadata."""
    image = _open(data, field)
    width, height = image.size
    min_width, min_height = min_size
    if width < min_width or height < min_height:
        _refuse(
            field,
            f"The image is {width} by {height} pixels: give one at least "
            f"{min_width} by {min_height} pixels.",
        )
    if max(width / height, height / width) > MAX_RATIO:
        _refuse(
            field,
            f"The image is {width} by {height} pixels: give one at most {MAX_RATIO} times "
            "as wide as it is high, or as high as it is wide.",
        )
    image = _decoded(image, field)
    # Upright now (the camera's orientation applied), and perhaps decoded at a reduced
    # scale that still covers the largest width: the files are made from that.
    largest = min(image.width, WIDTHS[-1])
    scaled_height = max(1, round(image.height * largest / image.width))
    if largest < image.width:
        image = _resized(image, largest)
    files = {w: _webp(image, w) for w in sorted({min(w, largest) for w in WIDTHS})}
    # Named by their content: a changed image is a new name, so caches may keep a file forever.
    digest = hashlib.sha256()
    for width_of_file in sorted(files):
        digest.update(files[width_of_file])
    key = digest.hexdigest()[:32]
    return ResizedImage(key=key, width=largest, height=scaled_height, files=files)


def _open(data: bytes, field: str):
    from PIL import Image, UnidentifiedImageError

    if not data:
        _refuse(field, f"The file is empty. {ACCEPTED}")
    if len(data) > MAX_BYTES:
        _refuse(field, f"The image is larger than {MAX_BYTES // 2**20} MB.")
    if _looks_like_svg(data):
        _refuse(field, f"SVG images are not accepted: they can carry scripts. {ACCEPTED}")
    try:
        image = Image.open(io.BytesIO(data), formats=FORMATS)
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, ValueError):
        _refuse(field, f"This file is not a JPEG, PNG or WebP image. {ACCEPTED}")
    width, height = image.size
    if width * height > MAX_PIXELS:
        _refuse(
            field,
            f"The image is {width} by {height} pixels: at most "
            f"{MAX_PIXELS // 1_000_000} megapixels are accepted.",
        )
    return image


def _decoded(image, field: str):
    from PIL import Image, ImageFile, ImageOps

    try:
        if image.format == "JPEG":
            # Decode at 1/2, 1/4 or 1/8 scale when that still covers the largest file: a
            # 24-megapixel photo is read in a fraction of the time and memory.
            image.draft("RGB", (min(image.width, WIDTHS[-1]), min(image.height, WIDTHS[-1])))
        # Importing WeasyPrint sets LOAD_TRUNCATED_IMAGES for the whole process, and a cut
        # off upload would then load with grey in place of its missing half.
        truncated_ok = ImageFile.LOAD_TRUNCATED_IMAGES
        ImageFile.LOAD_TRUNCATED_IMAGES = False
        try:
            image.load()
        finally:
            ImageFile.LOAD_TRUNCATED_IMAGES = truncated_ok
        # The camera's orientation is applied to the pixels; the EXIF block (place, device,
        # time) is then left behind, as every file is written anew below.
        image = ImageOps.exif_transpose(image)
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError):
        _refuse(field, "The image file is damaged or incomplete: upload it again.")
    has_alpha = image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info
    return image.convert("RGBA" if has_alpha else "RGB")


def _resized(image, width: int):
    from PIL import Image

    height = max(1, round(image.height * width / image.width))
    return image.resize((width, height), Image.LANCZOS, reducing_gap=3.0)


def _webp(image, width: int) -> bytes:
    resized = image if width == image.width else _resized(image, width)
    buffer = io.BytesIO()
    # method 2: a quarter of the time of the default 4 for files within 3 % of its size.
    resized.save(buffer, format="WEBP", quality=WEBP_QUALITY, method=2)
    return buffer.getvalue()


def _looks_like_svg(data: bytes) -> bool:
    head = data[:1024].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return head.startswith((b"<?xml", b"<svg", b"<!doctype svg", b"<!--")) or b"<svg" in head


def _refuse(field: str, reason: str):
    raise InvalidInput({field: reason})
