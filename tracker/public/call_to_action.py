"""The page's main action: back the project on its platform, or pledge late once it ended."""

from dataclasses import dataclass
from urllib.parse import urlsplit

from tracker.models import Campaign


@dataclass(frozen=True)
class CallToAction:
    """Where "Back this project" leads, and whether it is the late-pledge page."""

    url: str
    late: bool

    @property
    def host(self) -> str:
        """Return the site the button leads to, e.g. kickstarter.com, shown beside it."""
        host = urlsplit(self.url).hostname or ""
        return host.removeprefix("www.")


def call_to_action(campaign: Campaign, *, ended: bool) -> CallToAction | None:
    """Return the platform page while the campaign runs, the late-pledge page after it."""
    if not ended:
        return CallToAction(campaign.platform_url, late=False) if campaign.platform_url else None
    # An ended campaign's pledge page takes no pledges: without a late-pledge or pre-order
    # page there is nothing to ask a backer to do, and no button.
    return CallToAction(campaign.late_pledge_url, late=True) if campaign.late_pledge_url else None
