"""Play Open Collective's GraphQL API v2 on a FeedServer: a collective and its transactions.

The answers take their shape from tests/data/connectors/opencollective_collective.json
(written by hand from the documented schema); the transactions are made up here, newest
first, and served a page at a time by the request's limit and offset, as the API does.
A request number may be given a scripted failure (a 429, malformed JSON) instead.
"""

from __future__ import annotations

import copy
import json
import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from tests.feed_server import FeedServer, RecordedRequest, Route

DATA = Path(__file__).parent.parent / "data" / "connectors"
SHAPE = json.loads((DATA / "opencollective_collective.json").read_text())["data"]
JSON = {"Content-Type": "application/json; charset=utf-8"}
PATH = "/graphql/v2"
START = datetime(2026, 11, 1, 9, 0, tzinfo=UTC)


def graphql_id(n: int, prefix: str = "c") -> str:
    """Return a made-up transaction id shaped like the API's (four groups of eight)."""
    return f"{prefix}{n:07d}-k3v9x2pq-m4n8b6c1-z7y5w3r2"


def contribution(n: int, *, cents: int = 2500, refunded: bool = False) -> dict:
    """Return transaction n (later n, later createdAt) as the API lists a contribution."""
    node = copy.deepcopy(SHAPE["contributions"]["nodes"][0])
    created = START + timedelta(hours=n, milliseconds=250)
    node.update(
        id=graphql_id(n),
        legacyId=10_000 + n,
        createdAt=created.isoformat(timespec="milliseconds").replace("+00:00", "Z"),
        amount={"valueInCents": cents, "currency": "EUR"},
        isRefunded=refunded,
    )
    return node


def refund(n: int, of: int) -> dict:
    """Return refund n of contribution `of`, as the refunds list gives it."""
    node = copy.deepcopy(SHAPE["refunds"]["nodes"][0])
    node.update(
        id=graphql_id(n, "r"),
        legacyId=50_000 + n,
        refundTransaction={"id": graphql_id(of), "legacyId": 10_000 + of},
    )
    return node


@dataclass
class CollectiveApi:
    """The collective the server plays: its totals and transactions, newest first."""

    contributions: list[dict] = field(default_factory=list)
    refunds: list[dict] = field(default_factory=list)
    received_cents: int = 1250075
    contributors: int = 87
    exists: bool = True
    failures: dict[int, Route] = field(default_factory=dict)  # request number (1-based)
    calls: int = 0
    in_flight: threading.Barrier | None = None  # every poller waits here on its first request
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, *numbers: int, refunded: bool = False) -> None:
        """Add contributions by number; the list stays newest first."""
        made = [contribution(n, refunded=refunded) for n in numbers]
        self.contributions = sorted(
            self.contributions + made, key=lambda node: node["createdAt"], reverse=True
        )

    def answer(self, request: RecordedRequest) -> Route:
        with self._lock:
            self.calls += 1
            number = self.calls
        if number in self.failures:
            return self.failures[number]
        payload = json.loads(request.body)
        query, variables = payload["query"], payload["variables"]
        offset, limit = variables["offset"], variables["limit"]
        data: dict = {}
        first = "account(" in query
        if first:
            if self.in_flight is not None:
                self.in_flight.wait()
            if not self.exists:
                return Route(body=b'{"data": {"account": null}}', headers=JSON)
            account = copy.deepcopy(SHAPE["account"])
            account["stats"]["totalAmountReceived"]["valueInCents"] = self.received_cents
            account["stats"]["contributorsCount"] = self.contributors
            data["account"] = account
        for name, nodes in (("contributions", self.contributions), ("refunds", self.refunds)):
            if first or variables.get(name):
                page = nodes[offset : offset + limit]
                data[name] = {"totalCount": len(nodes), "nodes": page}
        return Route(body=json.dumps({"data": data}).encode(), headers=JSON)


def serve_collective(server: FeedServer, api: CollectiveApi) -> None:
    """Answer the GraphQL endpoint from `api`."""
    server.route(PATH, api.answer)
