"""The PNG card shown when the campaign page is shared: title and funding progress.

Pillow is imported when a card is drawn, not at startup (most processes never draw one).
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PIL import ImageDraw, ImageFont

WIDTH, HEIGHT = 1200, 630
BACKGROUND, INK, MUTED, TRACK, FILL = "#fcfcfd", "#1d1d1f", "#5a5a66", "#e4e4ea", "#1f5fbf"
GOAL_REACHED = "#1b7a3d"


def _font(size: int) -> ImageFont.FreeTypeFont:
    from PIL import ImageFont

    # Pillow ships a scalable font: the card needs no system fonts.
    return ImageFont.load_default(size=size)


def _fit(draw: ImageDraw.ImageDraw, text: str, size: int, width: int) -> tuple[str, object]:
    font = _font(size)
    while draw.textlength(text, font=font) > width and len(text) > 4:
        text = text[:-2].rstrip() + "…"
    return text, font


def render_share_card(
    *, title: str, tagline: str, raised: str, goal_line: str, percent: float, footer: str
) -> bytes:
    """Draw the card and return PNG bytes."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (WIDTH, HEIGHT), BACKGROUND)
    draw = ImageDraw.Draw(image)
    margin = 72
    text, font = _fit(draw, title, 72, WIDTH - 2 * margin)
    draw.text((margin, 70), text, fill=INK, font=font)
    if tagline:
        text, font = _fit(draw, tagline, 34, WIDTH - 2 * margin)
        draw.text((margin, 170), text, fill=MUTED, font=font)
    draw.text((margin, 270), raised, fill=INK, font=_font(80))
    draw.text((margin, 370), goal_line, fill=MUTED, font=_font(34))
    top, bar_height = 440, 36
    draw.rounded_rectangle((margin, top, WIDTH - margin, top + bar_height), 18, fill=TRACK)
    share = max(0.0, min(percent / 100, 1.0))
    if share > 0:
        right = margin + max(bar_height, (WIDTH - 2 * margin) * share)
        draw.rounded_rectangle(
            (margin, top, right, top + bar_height),
            18,
            fill=GOAL_REACHED if percent >= 100 else FILL,
        )
    draw.text((margin, 520), footer, fill=MUTED, font=_font(28))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()
