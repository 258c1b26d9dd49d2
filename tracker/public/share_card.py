"""The PNG card shown when the campaign page is shared: title, tagline, figures, funding bar.

Drawn with the shipped font static/fonts/card-sans (Source Sans 3, every Latin, Cyrillic
and Greek glyph in one file: Pillow draws a string with one font). Pillow and fontTools
are imported when a card is drawn, not at startup (most processes never draw one).
"""

from __future__ import annotations

import functools
import io
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from tracker.public.progress import ProgressBar
from tracker.resources import resource_dir
from tracker.text import strip_forbidden_chars

if TYPE_CHECKING:
    from PIL import ImageFont

WIDTH, HEIGHT, MARGIN = 1200, 630, 72
HERO_LEFT = 760  # the hero image fills the card's right side, from here to the edge
BACKGROUND, INK, MUTED, TRACK, FILL = "#fcfcfd", "#1d1d1f", "#55555f", "#e4e4ea", "#1f5fbf"
GOAL_REACHED, STRETCH = "#1b7a3d", "#8a5a00"
ELLIPSIS = "…"
TOP, ACCENT = 60, 10  # the top margin below an accent band across the card
TITLE_SIZES = (64, 56, 48, 42)  # the largest that fits the title in two lines wins
MIN_TITLE_SIZE = 16  # below the sizes above only to fit one very long word whole
TAGLINE_SIZE, TAGLINE_LEADING, TAGLINE_LAST = 32, 40, 304  # the last baseline above figures
# Baselines of the figures block, from the raised amount down to the footer.
RAISED_Y, GOAL_LINE_Y, BAR_TOP, BAR_HEIGHT, FOOTER_Y = 370, 420, 446, 30, 600
STRETCH_TOP, STRETCH_HEIGHT, STRETCH_LABEL_Y, STRETCH_LABEL_SIZE = 494, 10, 536, 22
BUTTON_SIZE, BUTTON_PAD = 26, 20  # "Back this project": its text and the room around it


@dataclass(frozen=True)
class ShareCard:
    """What the card says, already worded and formatted in the campaign's language."""

    title: str
    tagline: str
    raised: str  # "€41,616.00 pledged"
    goal_line: str  # "83% of €50,000.00 · 412 backers · 12 days left"
    bar: ProgressBar  # the page's bar: its whole width is the goal
    footer: str  # the page's address
    stretch_labels: tuple[str, ...] = ()  # one per bar.stretch: "Case · €60,000.00"
    hero_png: bytes | None = None  # the campaign's hero image (issue 13), if it has one
    call_to_action: str = ""  # "Back this project on kickstarter.com", drawn as a button


@dataclass(frozen=True)
class TextRun:
    """One line of text on the card: its left end on the baseline, size and weight."""

    text: str
    x: float
    y: float
    size: int
    bold: bool
    colour: str


@dataclass
class CardLayout:
    """Where everything goes: the lines of text, the bar and the hero image's box."""

    runs: list[TextRun]
    bar: tuple[float, float, float, float]  # left, top, right, bottom of the goal's track
    fill_right: float  # right end of the filled part (== left when nothing is pledged)
    hero_box: tuple[int, int, int, int] | None
    stretch: tuple[float, float, float] | None = None  # track's top, bottom, fill's right end
    stretch_marks: list[tuple[float, bool]] = field(default_factory=list)  # x, reached
    button: tuple[float, float, float, float] | None = None  # the call to action's box


def font_file(*, bold: bool) -> Path:
    """Return the font file the card draws regular or bold text with."""
    weight = "700" if bold else "400"
    return resource_dir("static") / "fonts" / "card-sans" / f"card-sans-{weight}.woff2"


@functools.cache
def _font(size: int, bold: bool) -> ImageFont.FreeTypeFont:
    from PIL import ImageFont

    return ImageFont.truetype(str(font_file(bold=bold)), size)


@functools.cache
def _covered(bold: bool) -> frozenset[int]:
    from fontTools.ttLib import TTFont

    return frozenset(TTFont(str(font_file(bold=bold)), lazy=True).getBestCmap())


def drawable(text: str, *, bold: bool) -> str:
    """Return text in one line, without the characters the card's font has no glyph for."""
    # A missing glyph is drawn as a box ("□41,616.00"): better left out than shown broken.
    covered = _covered(bold)
    text = strip_forbidden_chars(text) or ""
    kept = "".join(ch if ord(ch) in covered else " " if ch.isspace() else "" for ch in text)
    # Runs of spaces become one; a no-break space (money: "41.616,00 €") stays as it is.
    return re.sub(r"[ \t\r\n]+", " ", kept).strip()


def undrawable(text: str, *, bold: bool) -> list[str]:
    """Return the characters of text the card's font has no glyph for, each once, in order."""
    covered, missing = _covered(bold), []
    for ch in strip_forbidden_chars(text) or "":
        if ord(ch) not in covered and not ch.isspace() and ch not in missing:
            missing.append(ch)
    return missing


def _width(text: str, size: int, bold: bool) -> float:
    return _font(size, bold).getlength(text)


def wrap_words(text: str, *, size: int, bold: bool, width: float, max_lines: int) -> list[str]:
    """Break text into at most max_lines lines at spaces; end a cut text with an ellipsis."""
    words, lines = [word for word in text.split(" ") if word], []
    for word in words:
        if lines and _width(f"{lines[-1]} {word}", size, bold) <= width:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    if len(lines) <= max_lines:
        return lines
    kept = lines[:max_lines]
    # Whole words only: drop the last word until the line and the ellipsis fit.
    last = kept[-1].split(" ")
    while len(last) > 1 and _width(" ".join(last) + ELLIPSIS, size, bold) > width:
        last.pop()
    kept[-1] = " ".join(last) + ELLIPSIS
    return kept


def _title_size(title: str, width: float) -> int:
    longest = max(title.split(" "), key=lambda word: _width(word + ELLIPSIS, 100, True), default="")
    # Every word fits a line whole: a very long word shrinks the type instead of breaking.
    whole = int(100 * width / max(_width(longest + ELLIPSIS, 100, True), 1))
    for size in TITLE_SIZES:
        if (
            size <= whole
            and len(wrap_words(title, size=size, bold=True, width=width, max_lines=3)) <= 2
        ):
            return size
    return max(min(TITLE_SIZES[-1], whole), MIN_TITLE_SIZE)


def layout_card(card: ShareCard) -> CardLayout:
    """Place the card's text, bar and hero image; nothing here draws."""
    right = HERO_LEFT - 48 if card.hero_png else WIDTH - MARGIN
    width = right - MARGIN
    runs: list[TextRun] = []
    title = drawable(card.title, bold=True)
    size = _title_size(title, width)
    y = TOP + size * 0.8
    for line in wrap_words(title, size=size, bold=True, width=width, max_lines=2):
        runs.append(TextRun(line, MARGIN, y, size, True, INK))
        y += size * 1.12
    tagline = drawable(card.tagline, bold=False)
    y += 12
    room = min(int((TAGLINE_LAST - y) // TAGLINE_LEADING) + 1, 2)
    if tagline and room > 0:
        lines = wrap_words(tagline, size=TAGLINE_SIZE, bold=False, width=width, max_lines=room)
        for line in lines:
            runs.append(TextRun(line, MARGIN, y, TAGLINE_SIZE, False, MUTED))
            y += TAGLINE_LEADING
    runs.append(_line(card.raised, RAISED_Y, 56, True, INK, width))
    runs.append(_line(card.goal_line, GOAL_LINE_Y, 30, False, MUTED, width))
    button = None
    footer_left = MARGIN
    if action := drawable(card.call_to_action, bold=True):
        label = _line(action, FOOTER_Y, BUTTON_SIZE, True, BACKGROUND, width - 2 * BUTTON_PAD)
        label = TextRun(label.text, MARGIN + BUTTON_PAD, FOOTER_Y, BUTTON_SIZE, True, BACKGROUND)
        right_end = label.x + _width(label.text, BUTTON_SIZE, True) + BUTTON_PAD
        button = (MARGIN, FOOTER_Y - BUTTON_SIZE - 4, right_end, FOOTER_Y + 12)
        runs.append(label)
        footer_left = right_end + 24
    footer = drawable(card.footer, bold=False)
    # The page's address beside the button when it fits whole; the card links there anyway.
    if _width(footer, 26, False) <= MARGIN + width - footer_left:
        runs.append(TextRun(footer, footer_left, FOOTER_Y, 26, False, MUTED))
    elif button is None:
        runs.append(_line(card.footer, FOOTER_Y, 26, False, MUTED, width))
    fill_right = MARGIN + (max(BAR_HEIGHT, width * card.bar.fill) if card.bar.fill > 0 else 0)
    layout = CardLayout(
        runs=runs,
        bar=(MARGIN, BAR_TOP, right, BAR_TOP + BAR_HEIGHT),
        fill_right=fill_right,
        hero_box=(HERO_LEFT, 0, WIDTH, HEIGHT) if card.hero_png else None,
        button=button,
    )
    if card.bar.stretch:
        _place_stretch_goals(layout, card, width)
    return layout


def _place_stretch_goals(layout: CardLayout, card: ShareCard, width: float) -> None:
    """Put the stretch track under the goal's, each goal marked; labels where they fit."""
    bar = card.bar
    stretch_right = MARGIN + (
        max(STRETCH_HEIGHT, width * bar.stretch_fill) if bar.stretch_fill else 0
    )
    layout.stretch = (STRETCH_TOP, STRETCH_TOP + STRETCH_HEIGHT, stretch_right)
    rows: list[list[tuple[float, float]]] = [[], []]
    for marker, label in zip(bar.stretch, card.stretch_labels, strict=True):
        x = MARGIN + min(max(width * marker.position, 8), width - 8)
        layout.stretch_marks.append((x, marker.reached))
        text, size = drawable(label, bold=False), STRETCH_LABEL_SIZE
        text_width = _width(text, size, False)
        left = min(max(x - text_width / 2, MARGIN), MARGIN + width - text_width)
        extent = (left - 12, left + text_width + 12)
        # Two lines of labels on a card; a label that would cover another is left to the page.
        for row, taken in enumerate(rows):
            if all(extent[1] <= a or b <= extent[0] for a, b in taken):
                taken.append(extent)
                colour = GOAL_REACHED if marker.reached else INK
                y = STRETCH_LABEL_Y + row * (size + 6)
                layout.runs.append(TextRun(text, left, y, size, False, colour))
                break


def _line(text: str, y: float, size: int, bold: bool, colour: str, width: float) -> TextRun:
    text = drawable(text, bold=bold)
    lines = wrap_words(text, size=size, bold=bold, width=width, max_lines=1) or [""]
    return TextRun(lines[0], MARGIN, y, size, bold, colour)


def render_share_card(card: ShareCard) -> bytes:
    """Draw the card and return PNG bytes."""
    from PIL import Image, ImageDraw

    layout = layout_card(card)
    image = Image.new("RGB", (WIDTH, HEIGHT), BACKGROUND)
    if layout.hero_box and card.hero_png:
        _paste_hero(image, card.hero_png, layout.hero_box)
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, WIDTH, ACCENT), fill=FILL)
    if layout.button:
        draw.rounded_rectangle(layout.button, 10, fill=FILL)
    for run in layout.runs:
        draw.text(
            (run.x, run.y), run.text, fill=run.colour, font=_font(run.size, run.bold), anchor="ls"
        )
    left, top, _right, bottom = layout.bar
    radius = (bottom - top) / 2
    draw.rounded_rectangle(layout.bar, radius, fill=TRACK)
    if layout.fill_right > left:
        colour = GOAL_REACHED if card.bar.reached else FILL
        draw.rounded_rectangle((left, top, layout.fill_right, bottom), radius, fill=colour)
    if layout.stretch:
        top, bottom, fill_right = layout.stretch
        radius = (bottom - top) / 2
        draw.rounded_rectangle((left, top, layout.bar[2], bottom), radius, fill=TRACK)
        if fill_right > left:
            draw.rounded_rectangle((left, top, fill_right, bottom), radius, fill=GOAL_REACHED)
        for x, reached in layout.stretch_marks:
            middle = (top + bottom) / 2
            draw.ellipse(
                (x - 9, middle - 9, x + 9, middle + 9),
                fill=GOAL_REACHED if reached else STRETCH,
                outline=BACKGROUND,
                width=3,
            )
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def _paste_hero(image, png: bytes, box: tuple[int, int, int, int]) -> None:
    from PIL import Image, ImageOps

    left, top, right, bottom = box
    with Image.open(io.BytesIO(png)) as hero:
        # Cover the box, cropping the middle: a hero of any shape fills it without bars.
        fitted = ImageOps.fit(hero.convert("RGB"), (right - left, bottom - top))
    image.paste(fitted, (left, top))
