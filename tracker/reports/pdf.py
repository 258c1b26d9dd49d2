"""HTML to a tagged PDF, rendered by WeasyPrint in a child process bounded in time.

WeasyPrint (imported by `tracker.reports.layout` only, when a PDF is rendered) fetches
through `StaticFilesFetcher`, which serves files of static/ under ASSETS_URL and refuses
everything else (file:, http(s):, data: and any other scheme), so founder-written
content cannot make it read a file or the network. WeasyPrint has no time limit of its
own: each document is laid out in a child process forked from this one (imports and
caches already warm), killed when it runs too long.
"""

from __future__ import annotations

import gc
import logging
import multiprocessing
import traceback
from dataclasses import dataclass
from datetime import datetime

from tracker.reports.static_files import ASSETS_URL

DEFAULT_TIMEOUT_SECONDS = 20.0  # config.REPORT_TIMEOUT_SECONDS; callers pass theirs
_WEASYPRINT_LOGGER = logging.getLogger("weasyprint")


class PdfError(RuntimeError):
    """Rendering the PDF failed; the message says why in one line."""


class PdfTimeout(PdfError):
    """Rendering took longer than allowed and was stopped."""


@dataclass(frozen=True)
class PdfMetadata:
    """What the PDF says about itself: title, author, subject, language (BCP 47)."""

    title: str
    author: str
    subject: str
    language: str
    created: datetime | None = None
    keywords: tuple[str, ...] = ()


@dataclass(frozen=True)
class LongVersion:
    """Another HTML for documents that run past `after_pages` pages (e.g. with a TOC).

    Both versions must paginate alike (what differs fits on a page of its own), so the
    page count of one tells which to keep; `likely` says which to lay out first, and a
    wrong guess costs a second layout, never a wrong choice.
    """

    html: str
    after_pages: int = 3
    likely: bool = False


@dataclass(frozen=True)
class RenderedPdf:
    """The PDF bytes, how many pages they hold and the URLs the fetcher refused."""

    data: bytes
    pages: int
    refused: tuple[str, ...] = ()


def html_to_pdf(
    html: str,
    *,
    metadata: PdfMetadata,
    base_url: str = ASSETS_URL,
    timeout: float = DEFAULT_TIMEOUT_SECONDS,
    long_version: LongVersion | None = None,
) -> RenderedPdf:
    """Lay out html as a tagged PDF/UA-1 document in a child process bounded in time."""
    # WeasyPrint takes half a second to import: only rendering a PDF pays it.
    from tracker.reports.layout import warm_fonts

    warm_fonts(html, base_url)
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(
        target=_render_in_child,
        args=(sender, html, metadata, base_url, long_version),
        daemon=True,
    )
    # Frozen objects are left alone by the child's collector: without this, its first
    # collections walk (and so copy, page by page) the parent's whole heap.
    gc.freeze()
    try:
        child.start()
    finally:
        gc.unfreeze()
    sender.close()
    try:
        if not receiver.poll(timeout):
            raise PdfTimeout(f"rendering the PDF took longer than {timeout:g} s and was stopped")
        try:
            outcome = receiver.recv()
        except EOFError:
            raise PdfError("the PDF renderer stopped without an answer") from None
    finally:
        receiver.close()
        if child.is_alive():
            child.kill()
        child.join()
    if isinstance(outcome, str):
        raise PdfError(outcome)
    return outcome


def _render_in_child(sender, html, metadata, base_url, long_version) -> None:
    try:
        outcome: RenderedPdf | str = render_pdf(
            html, metadata=metadata, base_url=base_url, long_version=long_version
        )
    except Exception as error:  # reported to the parent as one line, with the trace logged
        _WEASYPRINT_LOGGER.debug("PDF rendering failed:\n%s", traceback.format_exc())
        outcome = f"rendering the PDF failed: {type(error).__name__}: {error}"
    sender.send(outcome)
    sender.close()


def render_pdf(
    html: str,
    *,
    metadata: PdfMetadata,
    base_url: str = ASSETS_URL,
    long_version: LongVersion | None = None,
) -> RenderedPdf:
    """Lay out and write the PDF in this process, without a time limit (see html_to_pdf)."""
    # WeasyPrint takes half a second to import: only rendering a PDF pays it.
    from tracker.reports.layout import PDF_VARIANT, StaticFilesFetcher, apply_metadata, lay_out

    fetcher = StaticFilesFetcher()
    started_long = bool(long_version and long_version.likely)
    document = lay_out(long_version.html if started_long else html, base_url, fetcher)
    if long_version is not None:
        is_long = len(document.pages) > long_version.after_pages
        if is_long != started_long:
            document = lay_out(long_version.html if is_long else html, base_url, fetcher)
    apply_metadata(document, metadata)
    data = document.write_pdf(pdf_variant=PDF_VARIANT)
    return RenderedPdf(data=data, pages=len(document.pages), refused=tuple(fetcher.refused))
