"""Lay out report HTML with WeasyPrint: the only module that imports weasyprint.

Imported by `tracker.reports.pdf` when a PDF is rendered, never at startup: WeasyPrint
and the font tools it loads take about half a second to import.
"""

from __future__ import annotations

import base64
import html as html_escaping
import mimetypes
import re
import threading
from typing import TYPE_CHECKING

from weasyprint import HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

from tracker.reports.static_files import IMAGE_DATA_URL, static_path

if TYPE_CHECKING:
    from tracker.reports.pdf import PdfMetadata

PDF_VARIANT = "pdf/ua-1"
_STYLESHEET_RE = re.compile(r"<link\b[^>]*\brel=\"stylesheet\"[^>]*\bhref=\"([^\"]+)\"", re.I)


class StaticFilesFetcher(URLFetcher):
    """Serve files under static/ at ASSETS_URL; refuse every other URL."""

    def __init__(self):
        super().__init__(allowed_protocols=("https",), allow_redirects=False)
        self.refused: list[str] = []

    def fetch(self, url, headers=None):
        if url.startswith(IMAGE_DATA_URL):
            # The hero image, put into the HTML by the report itself (a file of our own).
            kind, _, encoded = url[len("data:") :].partition(";base64,")
            return URLFetcherResponse(
                url[:64], body=base64.b64decode(encoded), headers={"Content-Type": kind}
            )
        path = static_path(url)
        if path is None:
            self.refused.append(url[:200])
            raise ValueError(f"not one of our static files: {url[:200]}")
        mime_type, _ = mimetypes.guess_type(path.name)
        return URLFetcherResponse(
            url,
            body=path.read_bytes(),
            headers={"Content-Type": mime_type or "application/octet-stream"},
        )


def lay_out(html: str, base_url: str, fetcher: StaticFilesFetcher):
    """Return the WeasyPrint document of html, its files fetched through fetcher."""
    source = HTML(string=html, base_url=base_url, url_fetcher=fetcher)
    return source.render(font_config=_fonts.config, pdf_variant=PDF_VARIANT)


class _Fonts:
    """One font configuration for the process, so @font-face files are decoded once.

    WeasyPrint decodes a WOFF2 font in Python each time a new configuration meets it
    (a third of a report's time); a configuration keeps the decoded files and skips
    faces it already has. The parent warms it before forking, so children inherit it.
    """

    def __init__(self):
        self.config = FontConfiguration()
        self.warmed: set[str] = set()
        self.lock = threading.Lock()


_fonts = _Fonts()


def warm_fonts(html: str, base_url: str) -> None:
    """Decode the fonts of html's stylesheets into this process's font configuration."""
    head = html.split("</head>", 1)[0]
    stylesheets = [html_escaping.unescape(href) for href in _STYLESHEET_RE.findall(head)]
    if not stylesheets or _fonts.warmed.issuperset(stylesheets):
        return
    links = "".join(
        f'<link rel="stylesheet" href="{html_escaping.escape(href)}">' for href in stylesheets
    )
    with _fonts.lock:
        lay_out(
            f"<!doctype html><html><head>{links}</head><body></body></html>",
            base_url,
            StaticFilesFetcher(),
        )
        _fonts.warmed.update(stylesheets)


def apply_metadata(document, metadata: PdfMetadata) -> None:
    """Write title, author, subject, language and dates into the document's metadata."""
    info = document.metadata
    info.title = metadata.title
    info.authors = [metadata.author]
    info.description = metadata.subject
    info.lang = metadata.language
    info.keywords = list(metadata.keywords)
    info.generator = "tracker"
    if metadata.created is not None:
        info.created = info.modified = metadata.created.replace(microsecond=0).isoformat()
