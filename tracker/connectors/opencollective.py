"""Open Collective: a collective's totals and contributions through the public GraphQL API v2.

Each poll POSTs to TRACKER_OPENCOLLECTIVE_API_URL (default the public endpoint) first

    account(slug) { currency, stats { totalAmountReceived { valueInCents currency },
                                      contributorsCount } }
    contributions: transactions(account: [{slug}], type: CREDIT, kind: [CONTRIBUTION],
                                limit, offset) { nodes { id legacyId createdAt
                                amount { valueInCents currency } isRefund isRefunded } }
    refunds: transactions(account: [{slug}], type: DEBIT, kind: [CONTRIBUTION], limit,
                          offset) { nodes { id kind isRefund refundTransaction { id legacyId } } }

and then the next pages of either list (PAGE_QUERY, newest first, limit/offset) until a
page holds only transactions it read before (the channel's memo keeps the newest ids) or
is not full, at most MAX_PAGES. So a poll where nothing is new is one request. The
totals become funding snapshots; contributions become pledges of the ledger
(tracker.pledges.live) under the key the transactions CSV export gives them; a refund
marks the contribution it refunds. Transactions are asked for as amounts only: no
account, no name, no message of a contributor is requested. GraphQL answers errors with
HTTP 200 and an `errors` list: read as a channel error. A failure on any page fails the
whole poll, which then stores nothing.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlsplit

from sqlmodel import Session

from tracker.connectors.api import Api, ApiError, dig, latest_hints
from tracker.connectors.registry import Reading
from tracker.connectors.snapshots import record_live_figures
from tracker.connectors.social import lock_channel
from tracker.connectors.urls import plain_netloc
from tracker.errors import InvalidInput
from tracker.models import Campaign, Channel
from tracker.money import minor_digits
from tracker.pledges.formats import opencollective_keys
from tracker.pledges.live import LivePledge, LiveRefund, record_live_pledges

_SLUG = re.compile(r"/([A-Za-z0-9][A-Za-z0-9_-]{0,99})/?")
PAGE_SIZE = 100  # transactions per list and request
MAX_PAGES = 20  # a first poll reads the newest 2,000; the CSV import brings older ones
MEMO_IDS = 2 * PAGE_SIZE  # enough for the page after the new ones to be all known
_CONTRIBUTIONS = """
  contributions: transactions(account: [{slug: $slug}], type: CREDIT, kind: [CONTRIBUTION],
                              limit: $limit, offset: $offset)%s {
    nodes { id legacyId createdAt amount { valueInCents currency } isRefund isRefunded }
  }"""
_REFUNDS = """
  refunds: transactions(account: [{slug: $slug}], type: DEBIT, kind: [CONTRIBUTION],
                        limit: $limit, offset: $offset)%s {
    nodes { id kind isRefund refundTransaction { id legacyId } }
  }"""
QUERY = (
    """query Collective($slug: String!, $limit: Int!, $offset: Int!) {
  account(slug: $slug) {
    slug
    currency
    stats {
      totalAmountReceived { valueInCents currency }
      contributorsCount
    }
  }"""
    + _CONTRIBUTIONS % ""
    + _REFUNDS % ""
    + "\n}"
)
PAGE_QUERY = (
    "query CollectivePage($slug: String!, $limit: Int!, $offset: Int!, "
    "$contributions: Boolean!, $refunds: Boolean!) {"
    + _CONTRIBUTIONS % " @include(if: $contributions)"
    + _REFUNDS % " @include(if: $refunds)"
    + "\n}"
)
LISTS = ("contributions", "refunds")
CHANGED = "Open Collective's API {what}: the API may have changed; import the transactions CSV"


@dataclass(frozen=True)
class Contribution:
    """One contribution as an amount: no contributor is read."""

    id: str  # the API's id; the CSV export's shortId is its first eight characters
    legacy_id: int | None
    created_at: datetime | None
    cents: int  # Open Collective counts every currency in hundredths
    currency: str
    refunded: bool


@dataclass(frozen=True)
class Refund:
    """A transaction that refunds a contribution, by the contribution's ids."""

    id: str
    refunds_id: str
    refunds_legacy_id: int | None


@dataclass(frozen=True)
class CollectiveTotals:
    """A collective's totals and the contributions and refunds a poll read, newest first."""

    received_cents: int
    currency: str
    contributors: int
    contributions: tuple[Contribution, ...] = ()
    refunds: tuple[Refund, ...] = ()
    memo: str | None = None  # the channel's memo once this poll is stored: the newest ids


def source_url(url: str) -> str:
    """Return the collective's page URL (scheme, host, /slug); InvalidInput for any other."""
    text = url.strip()
    parts = urlsplit(text if "://" in text else f"https://{text}")
    if parts.scheme not in ("http", "https") or not parts.netloc or not _SLUG.fullmatch(parts.path):
        reason = "Use an Open Collective page URL: https://opencollective.com/your-collective."
        raise InvalidInput({"url": reason})
    return f"{parts.scheme}://{plain_netloc(parts)}/{parts.path.strip('/')}"


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


def _legacy_id(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _nodes(data: object, name: str) -> list:
    nodes = dig(data, "data", name, "nodes")
    if not isinstance(nodes, list):
        raise ApiError(CHANGED.format(what=f"gave no list of {name}"))
    return nodes


def _id(node: object) -> str:
    identifier = dig(node, "id")
    if not isinstance(identifier, str) or not identifier.strip() or len(identifier) > 100:
        raise ApiError(CHANGED.format(what="gave a transaction without an id"))
    return identifier.strip()


def _contributions(data: object) -> list[Contribution]:
    found = []
    for node in _nodes(data, "contributions"):
        if dig(node, "isRefund") is True:
            continue  # a refund of the collective's own spending, as the CSV import skips
        cents, currency = _cents(dig(node, "amount"), "a transaction")
        found.append(
            Contribution(
                _id(node),
                _legacy_id(dig(node, "legacyId")),
                _moment(dig(node, "createdAt")),
                cents,
                currency,
                dig(node, "isRefunded") is True,
            )
        )
    return found


def _refunds(data: object) -> list[Refund]:
    found = []
    for node in _nodes(data, "refunds"):
        # The collective's outgoing contributions share the list (asked for by type and
        # kind, which every version of the API takes): only refunds are kept.
        if dig(node, "isRefund") is not True and dig(node, "kind") != "REFUND":
            continue
        original = dig(node, "refundTransaction")
        if isinstance(original, dict) and isinstance(original.get("id"), str):
            legacy = _legacy_id(original.get("legacyId"))
            found.append(Refund(_id(node), original["id"], legacy))
    return found


def _check_errors(data: object) -> None:
    errors = dig(data, "errors")
    if isinstance(errors, list) and errors:
        message = dig(errors[0], "message")
        text = message[:200] if isinstance(message, str) else "an error"
        raise ApiError(f"Open Collective's API answered: {text}")


def parse_collective(data: object) -> CollectiveTotals:
    """Return a collective's totals from a GraphQL answer; ApiError for errors or a new shape."""
    _check_errors(data)
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
    return CollectiveTotals(
        received, currency, contributors, tuple(_contributions(data)), tuple(_refunds(data))
    )


def _remembered(memo: str | None) -> dict[str, list[str]]:
    """Return the ids of the newest transactions the last polls read, by list."""
    try:
        remembered = json.loads(memo or "{}")
    except ValueError:
        remembered = {}
    lists = remembered if isinstance(remembered, dict) else {}
    return {name: [i for i in lists.get(name) or () if isinstance(i, str)] for name in LISTS}


def _page_ids(data: object, name: str) -> list[str]:
    return [_id(node) for node in _nodes(data, name)]


def _more(ids: list[str], known: set[str]) -> bool:
    """Tell whether the next page is needed: this one is full and holds a new transaction."""
    return len(ids) == PAGE_SIZE and not known.issuperset(ids)


def read(url: str, *, api: Api, now: datetime) -> Reading:
    """Read the collective's totals, then pages of transactions until only known ones come."""
    endpoint, slug = api.base_url("opencollective"), slug_of(url)
    variables = {"slug": slug, "limit": PAGE_SIZE, "offset": 0}
    first = api.post_json(endpoint, {"query": QUERY, "variables": variables})
    totals = parse_collective(first.data)
    remembered = _remembered(api.memo)
    known = {name: set(ids) for name, ids in remembered.items()}
    seen = {name: _page_ids(first.data, name) for name in LISTS}
    more = {name: _more(seen[name], known[name]) for name in LISTS}
    contributions, refunds, answers = list(totals.contributions), list(totals.refunds), [first]
    while any(more.values()) and len(answers) < MAX_PAGES:
        variables = {**variables, "offset": variables["offset"] + PAGE_SIZE, **more}
        answer = api.post_json(endpoint, {"query": PAGE_QUERY, "variables": variables})
        answers.append(answer)
        _check_errors(answer.data)
        if more["contributions"]:
            contributions += _contributions(answer.data)
        if more["refunds"]:
            refunds += _refunds(answer.data)
        for name in LISTS:
            if more[name]:
                ids = _page_ids(answer.data, name)
                seen[name] += ids
                more[name] = _more(ids, known[name])
    memo = {name: list(dict.fromkeys(seen[name] + remembered[name]))[:MEMO_IDS] for name in LISTS}
    read_all = CollectiveTotals(
        totals.received_cents,
        totals.currency,
        totals.contributors,
        tuple(contributions),
        tuple(refunds),
        json.dumps(memo),
    )
    return Reading(latest_hints([answer.fetched for answer in answers]), read_all)


def _minor(cents: int, currency: str) -> int:
    # Open Collective counts in hundredths whatever the currency; the ledger in its minor unit.
    return cents * 10 ** minor_digits(currency) // 100


def _pledges(data: CollectiveTotals) -> tuple[list[LivePledge], list[LiveRefund]]:
    pledges = [
        LivePledge(
            keys=opencollective_keys(c.id, c.legacy_id),
            alias=None if c.legacy_id is None else str(c.legacy_id),
            amount_minor=_minor(c.cents, c.currency),
            currency=c.currency,
            pledged_at=c.created_at,
            refunded=c.refunded,
        )
        for c in data.contributions
    ]
    refunds = [
        LiveRefund(opencollective_keys(r.refunds_id, r.refunds_legacy_id)) for r in data.refunds
    ]
    return pledges, refunds


def store(session: Session, channel: Channel, data: CollectiveTotals, *, now: datetime) -> int:
    """Store the contributions as pledges and the totals as a funding snapshot."""
    lock_channel(session, channel)  # a second poller waits here, then finds all stored
    campaign = session.get(Campaign, channel.campaign_id)
    if data.currency != campaign.currency:
        raise ApiError(
            f"the collective counts in {data.currency}, the campaign in {campaign.currency}: "
            "choose the collective's currency for the campaign"
        )
    pledges, refunds = _pledges(data)
    stored = record_live_pledges(
        session,
        campaign,
        platform="opencollective",
        source=channel.feed_url,
        pledges=pledges,
        refunds=refunds,
        now=now,
    )
    if stored is not None:
        # Only once the ledger has them: a poll that had to leave them counts them next time.
        channel.connector_memo = data.memo
    received = _minor(data.received_cents, data.currency)
    figures = record_live_figures(
        session, channel, amount_minor=received, backers=data.contributors, now=now
    )
    return (stored or 0) + figures
