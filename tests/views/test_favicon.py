"""A favicon on every page: SVG first, a PNG for browsers without SVG icons."""

import io

from PIL import Image


def test_every_page_links_the_svg_icon_and_its_png_fallback(client):
    for url in ("/", "/auth/login"):
        page = client.get_text(url)
        assert '<link rel="icon" href="/static/icons/favicon.svg" type="image/svg+xml">' in page
        assert 'href="/static/icons/favicon-32.png" type="image/png" sizes="32x32"' in page
        assert '<link rel="apple-touch-icon" href="/static/icons/apple-touch-icon.png">' in page


def test_the_icons_are_served(client):
    svg = client.get_checked("/static/icons/favicon.svg")
    assert svg.mimetype == "image/svg+xml" and b"<script" not in svg.data
    for url, size in (
        ("/static/icons/favicon-32.png", (32, 32)),
        ("/static/icons/apple-touch-icon.png", (180, 180)),
        ("/favicon.ico", (32, 32)),
    ):
        response = client.get_checked(url)
        with Image.open(io.BytesIO(response.data)) as icon:
            assert (icon.format, icon.size) == ("PNG", size)
