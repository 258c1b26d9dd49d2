"""The published PDF as a report e-mail's attachment, when the campaign asks for it."""

from __future__ import annotations

from tracker.mail.messages import Attachment
from tracker.models import Campaign, PublishedReport

# Many mail servers refuse messages over 10-25 MB, and base64 adds a third: above this
# the e-mail keeps only the link, which every subscriber gets anyway.
MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024


def report_filename(campaign: Campaign, report: PublishedReport) -> str:
    """Return the attachment's name: the campaign's slug and the report's version."""
    return f"{campaign.slug}-report-v{report.version}.pdf"


def report_attachment(campaign: Campaign, report: PublishedReport) -> Attachment | None:
    """Return the stored PDF as an attachment; None when it is too large to send."""
    # The bytes published, never rendered again: every subscriber gets the same file.
    if report.size > MAX_ATTACHMENT_BYTES:
        return None
    return Attachment(filename=report_filename(campaign, report), data=report.pdf)
