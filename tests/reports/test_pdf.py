"""The PDF boundary: only our static files are fetched, rendering is bounded in time."""

import time

import pytest

from tests.factories.reports import pdf_text, pdf_tool, recording_server
from tracker.reports.pdf import (
    LongVersion,
    PdfMetadata,
    PdfTimeout,
    html_to_pdf,
    render_pdf,
)
from tracker.reports.static_files import ASSETS_URL, static_path

META = PdfMetadata(title="Test report", author="Team", subject="A test", language="de")


@pytest.fixture
def http_server():
    with recording_server() as server:
        yield server


def test_static_path_serves_only_files_under_static():
    assert static_path(f"{ASSETS_URL}css/report.css").name == "report.css"
    refused = [
        "file:///etc/passwd",
        f"{ASSETS_URL}../__init__.py",
        f"{ASSETS_URL}css/../../config.py",
        f"{ASSETS_URL}%2e%2e/config.py",
        f"{ASSETS_URL}css",
        f"{ASSETS_URL}",
        "https://assets.tracker.invalid/config.py",
        "https://example.com/static/css/report.css",
        "data:text/css,body{}",
    ]
    assert [url for url in refused if static_path(url) is not None] == []


def test_the_fetcher_refuses_files_the_network_and_data(http_server, tmp_path):
    base, hits = http_server
    html = (
        f'<html><head><link rel="stylesheet" href="file:///etc/passwd">'
        f'<link rel="stylesheet" href="{base}/style.css"></head><body>'
        f'<p>Hallo</p><img src="file:///etc/passwd" alt="a">'
        f'<img src="{base}/pixel.png" alt="b">'
        f'<img src="data:image/png;base64,iVBORw0KGgo=" alt="c">'
        f'<img src="/etc/hostname" alt="d"></body></html>'
    )
    rendered = render_pdf(html, metadata=META)
    assert hits == []
    assert set(rendered.refused) == {
        "file:///etc/passwd",
        f"{base}/style.css",
        f"{base}/pixel.png",
        "data:image/png;base64,iVBORw0KGgo=",
        "https://assets.tracker.invalid/etc/hostname",
    }
    assert "root:" not in pdf_text(rendered.data, tmp_path)


def test_html_to_pdf_renders_in_a_child_with_metadata(tmp_path):
    rendered = html_to_pdf("<html><body><h1>Bericht</h1></body></html>", metadata=META)
    assert rendered.data.startswith(b"%PDF-") and rendered.pages == 1
    info = pdf_tool("pdfinfo", rendered.data, tmp_path)
    assert "Title:           Test report" in info
    assert "Tagged:          yes" in info


def test_long_version_is_chosen_past_the_page_limit(tmp_path):
    short = "<html><body><p>one page</p></body></html>"
    long_html = "<html><body><h1>Contents</h1><p>one page</p></body></html>"
    chosen = html_to_pdf(short, metadata=META, long_version=LongVersion(long_html, likely=True))
    assert chosen.pages == 1  # the guess was wrong: laid out again without
    assert "Contents" not in pdf_text(chosen.data, tmp_path)
    many = "<html><body>" + '<p style="break-after: page">x</p>' * 5 + "</body></html>"
    chosen = render_pdf(many, metadata=META, long_version=LongVersion(many.replace("x", "long")))
    assert chosen.pages == 5 and "long" in pdf_text(chosen.data, tmp_path)


def test_a_render_over_the_time_limit_is_stopped():
    rows = "<tr><td>cell</td><td>cell</td></tr>" * 20000
    huge = f"<html><body><table>{rows}</table></body></html>"
    started = time.monotonic()
    with pytest.raises(PdfTimeout, match=r"longer than 0\.3 s"):
        html_to_pdf(huge, metadata=META, timeout=0.3)
    assert time.monotonic() - started < 3
