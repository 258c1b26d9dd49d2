"""Open Collective: a collective's totals through the public GraphQL API v2.

One POST per poll to TRACKER_OPENCOLLECTIVE_API_URL (default the public endpoint):

    account(slug) { currency, stats { totalAmountReceived { valueInCents currency },
                                      contributorsCount } }
    transactions(account: [{slug}], type: CREDIT, kind: [CONTRIBUTION], limit: 100)
        { totalCount, nodes { id, createdAt, amount { valueInCents currency },
                              isRefunded } }

The totals become funding snapshots (source opencollective). Transactions are asked for
as amounts only: no account, no name, no message of a contributor is requested.
GraphQL answers errors with HTTP 200 and an `errors` list: read as a channel error.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlsplit

from sqlmodel import Session

from tracker.connectors.api import Api, ApiError, dig
from tracker.connectors.registry import Reading
from tracker.connectors.snapshots import record_live_figures
from tracker.errors import InvalidInput
from tracker.models import Campaign, Channel

_SLUG = re.compile(r"/([A-Za-z0-9][A-Za-z0-9_-]{0,99})/?")
TRANSACTIONS_PER_POLL = 100
QUERY = """
query Collective($slug: String!, $limit: Int!) {
  account(slug: $slug) {
    slug
    currency
    stats {
      totalAmountReceived { valueInCents currency }
      contributorsCount
    }
  }
  transactions(account: [{slug: $slug}], type: CREDIT, kind: [CONTRIBUTION], limit: $limit) {
    totalCount
    nodes { id createdAt amount { valueInCents currency } isRefunded }
  }
}
""".strip()
CHANGED = "Open Collective's API {what}: the API may have changed; import the transactions CSV"


@dataclass(frozen=True)
class Contribution:
    """One contribution as an amount: no contributor is read."""

    id: str
    created_at: datetime | None
    amount_minor: int
    currency: str
    refunded: bool


@dataclass(frozen=True)
class CollectiveTotals:
    """A collective's totals and its newest contributions."""

    received_minor: int
    currency: str
    contributors: int
    contributions: tuple[Contribution, ...]


def source_url(url: str) -> str:
    """Return the collective's page URL (scheme, host, /slug); InvalidInput for any other."""
    text = url.strip()
    parts = urlsplit(text if "://" in text else f"https://{text}")
    if parts.scheme not in ("http", "https") or not parts.netloc or not _SLUG.fullmatch(parts.path):
        reason = "Use an Open Collective page URL: https://opencollective.com/your-collective."
        raise InvalidInput({"url": reason})
    return f"{parts.scheme}://{parts.netloc}/{parts.path.strip('/')}"


def slug_of(url: str) -> str:
    """Return the collective's slug from its page URL."""
    return urlsplit(source_url(url)).path.strip("/")


def _cents(amount: object, what: str) -> tuple[int, str]:
    cents, currency = dig(amount, "valueInCents"), dig(amount, "currency")
    if isinstance(cents, bool) or not isinstance(cents, int | float) or cents < 0:
        raise ApiError(CHANGED.format(what=f"gave no amount in cents for {what}"))
    if not isinstance(currency, str) or not re.fullmatch(r"[A-Z]{3}", currency):
        raise ApiError(CHANGED.format(what=f"gave no currency for {what}"))
    return round(cents), currency


def _moment(value: object) -> datetime | None:
    try:
        moment = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else None


def _contributions(data: object) -> tuple[Contribution, ...]:
    nodes = dig(data, "data", "transactions", "nodes")
    if not isinstance(nodes, list):
        return ()
    found = []
    for node in nodes:
        identifier = dig(node, "id")
        if not isinstance(identifier, str) or not identifier:
            continue
        amount, currency = _cents(dig(node, "amount"), "a transaction")
        refunded = dig(node, "isRefunded") is True
        found.append(
            Contribution(identifier, _moment(dig(node, "createdAt")), amount, currency, refunded)
        )
    return tuple(found)


def parse_collective(data: object) -> CollectiveTotals:
    """Return a collective's totals from a GraphQL answer; ApiError for errors or a new shape."""
    errors = dig(data, "errors")
    if isinstance(errors, list) and errors:
        message = dig(errors[0], "message")
        text = message[:200] if isinstance(message, str) else "an error"
        raise ApiError(f"Open Collective's API answered: {text}")
    account = dig(data, "data", "account")
    if account is None and isinstance(dig(data, "data"), dict):
        raise ApiError("not found: Open Collective has no collective by this name")
    stats = dig(account, "stats")
    if not isinstance(stats, dict):
        raise ApiError(CHANGED.format(what="gave no stats"))
    received, currency = _cents(stats.get("totalAmountReceived"), "the total received")
    contributors = stats.get("contributorsCount")
    if isinstance(contributors, bool) or not isinstance(contributors, int) or contributors < 0:
        raise ApiError(CHANGED.format(what="gave no contributorsCount"))
    return CollectiveTotals(received, currency, contributors, _contributions(data))


def read(url: str, *, api: Api, now: datetime) -> Reading:
    """Ask the GraphQL API for the collective's totals and newest contributions."""
    variables = {"slug": slug_of(url), "limit": TRANSACTIONS_PER_POLL}
    answer = api.post_json(api.base_url("opencollective"), {"query": QUERY, "variables": variables})
    return Reading(answer.fetched, parse_collective(answer.data))


def store(session: Session, channel: Channel, data: CollectiveTotals, *, now: datetime) -> int:
    """Record the totals as a funding snapshot when they are in the campaign's currency."""
    campaign = session.get(Campaign, channel.campaign_id)
    if data.currency != campaign.currency:
        raise ApiError(
            f"the collective counts in {data.currency}, the campaign in {campaign.currency}: "
            "choose the collective's currency for the campaign"
        )
    return record_live_figures(
        session, channel, amount_minor=data.received_minor, backers=data.contributors, now=now
    )
