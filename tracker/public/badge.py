"""An embeddable progress badge (SVG) for READMEs and websites."""

from xml.sax.saxutils import escape

from tracker.text import strip_forbidden_chars

# Average advance of Verdana 11px glyphs: close enough to size a badge without a font file.
CHAR_WIDTH = 6.6
PADDING = 10
COLOURS = {"funded": "#1b7a3d", "running": "#1f5fbf", "short": "#8a5a00"}


def _width(text: str) -> int:
    return round(len(text) * CHAR_WIDTH) + 2 * PADDING


def render_badge(label: str, value: str, *, state: str, title: str) -> str:
    """Return a flat two-part badge: label on grey, value on a colour for the state."""
    left, right = _width(label), _width(value)
    total = left + right
    colour = COLOURS.get(state, COLOURS["running"])
    label, value, title = (escape(strip_forbidden_chars(text)) for text in (label, value, title))
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{total}" height="20" role="img" '
        f'aria-label="{label}: {value}"><title>{title}</title>'
        f'<rect width="{left}" height="20" fill="#4a4a55"/>'
        f'<rect x="{left}" width="{right}" height="20" fill="{colour}"/>'
        f'<g fill="#fff" font-family="Verdana,DejaVu Sans,sans-serif" font-size="11" '
        f'text-anchor="middle">'
        f'<text x="{left / 2}" y="14">{label}</text>'
        f'<text x="{left + right / 2}" y="14">{value}</text></g></svg>'
    )
