"""Image files for upload tests, drawn with Pillow: sound ones and every kind of bad one."""

import io

from PIL import Image

SVG_WITH_SCRIPT = (
    b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="800" height="600">'
    b"<script>alert(document.cookie)</script><rect width='800' height='600'/></svg>"
)
GPS_IFD = 0x8825


def image_bytes(fmt="JPEG", size=(1200, 800), colour="#c03000", *, exif_place=False) -> bytes:
    """Return an image of the given format and size; with exif_place, a GPS position in it."""
    image = Image.new("RGB", size, colour)
    buffer = io.BytesIO()
    options = {}
    if exif_place:
        exif = Image.Exif()
        exif[0x010F] = "PhoneMaker"  # Make
        exif[0x0112] = 6  # Orientation: rotate 90° clockwise to show
        exif.get_ifd(GPS_IFD).update({1: "N", 2: (52.0, 31.0, 12.0), 3: "E", 4: (13.0, 24.0, 1.0)})
        options["exif"] = exif.tobytes()
    image.save(buffer, format=fmt, **options)
    return buffer.getvalue()


def bomb_png(side=12_000) -> bytes:
    """Return a PNG of a few kilobytes claiming side by side pixels: a decompression bomb."""
    buffer = io.BytesIO()
    Image.new("1", (side, side)).save(buffer, format="PNG")
    return buffer.getvalue()


def truncated_jpeg() -> bytes:
    """Return a JPEG cut off in the middle of its pixel data."""
    noisy = Image.effect_noise((1200, 800), 80).convert("RGB")
    buffer = io.BytesIO()
    noisy.save(buffer, format="JPEG", quality=90)
    data = buffer.getvalue()
    return data[: len(data) // 2]
