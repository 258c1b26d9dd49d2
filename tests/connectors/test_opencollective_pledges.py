"""Open Collective's contributions as pledges: paged, keyed as the CSV export, one transaction."""

import json
import threading

import jsonschema
import pytest
from sqlalchemy import select
from sqlmodel import Session

from tests.connectors.opencollective_server import (
    JSON,
    PATH,
    CollectiveApi,
    graphql_id,
    refund,
    serve_collective,
)
from tests.feed_server import FeedServer, Route
from tests.test_export import SCHEMA
from tracker.export import export_campaign
from tracker.feeds.fetch_policy import FetchPolicy
from tracker.feeds.poller import poll_channel
from tracker.models import Campaign, Channel, FundingSnapshot, Pledge, PledgeStatusChange, utcnow

PAGE = 100  # what the connector asks for per request


@pytest.fixture
def server(app):
    app.config["ALLOW_PRIVATE_FEEDS"] = True  # the test server listens on 127.0.0.1
    with FeedServer() as running:
        app.config["OPENCOLLECTIVE_API_URL"] = running.url(PATH)
        yield running


@pytest.fixture
def api(server):
    collective = CollectiveApi()
    serve_collective(server, collective)
    return collective


@pytest.fixture
def channel(cli, server, session, campaign):
    result = cli("feeds", "add", "synth", "https://opencollective.com/synth-collective")
    assert result.exit_code == 0, result.output
    return session.scalars(select(Channel)).one()


def poll(cli, session, channel):
    """Poll the channel now (whatever its schedule) and return the CLI's output."""
    found = session.get(Channel, channel.id)
    found.next_poll_at = utcnow()
    session.commit()
    return cli("feeds", "poll").output


def pledges(session):
    session.expire_all()
    return session.scalars(select(Pledge).order_by(Pledge.pledged_at, Pledge.id)).all()


def summary(cli):
    result = cli("pledges", "summary", "synth", "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def last_error(cli):
    [listed] = json.loads(cli("feeds", "list", "synth", "--json").output)
    return listed["last_error"]


def test_contributions_become_pledges_keyed_by_the_exports_short_id(
    cli, server, api, session, channel
):
    api.add(1, 2)
    api.add(3, refunded=True)

    assert "1 changed" in poll(cli, session, channel)

    found = pledges(session)
    assert [p.platform_key for p in found] == [graphql_id(n)[:8] for n in (1, 2, 3)]
    assert {p.platform for p in found} == {"opencollective"}
    assert [(p.amount_minor, p.currency) for p in found] == [(2500, "EUR")] * 3
    assert [p.status for p in found] == ["collected", "collected", "refunded"]
    assert found[0].pledged_at.isoformat() == "2026-11-01T10:00:00+00:00"  # whole seconds
    assert all(p.tier is None and p.country is None for p in found)
    query = json.loads(server.requests_to(PATH)[0].body)["query"]
    for personal in ("fromAccount", "toAccount", "name", "email", "description", "memo"):
        assert personal not in query
    assert last_error(cli) is None


def test_pages_are_read_until_one_holds_only_known_transactions(cli, server, api, session, channel):
    api.add(*range(1, 251))
    poll(cli, session, channel)
    assert len(server.requests_to(PATH)) == 3  # 100 + 100 + 50
    assert len(pledges(session)) == 250

    server.requests.clear()
    api.add(251, 252, 253)
    poll(cli, session, channel)
    assert len(server.requests_to(PATH)) == 2  # page 2 holds only known ones
    assert len(pledges(session)) == 253

    server.requests.clear()
    poll(cli, session, channel)
    assert len(server.requests_to(PATH)) == 1  # nothing new: one request
    assert len(pledges(session)) == 253


def test_a_refund_reduces_the_pledge_it_refunds(cli, api, session, channel):
    api.add(1, 2)
    poll(cli, session, channel)
    # The list also carries the collective's own contributions to others: not refunds.
    outgoing = refund(2, of=1) | {"isRefund": False, "refundTransaction": None}
    api.refunds = [refund(1, of=2), outgoing]

    poll(cli, session, channel)

    statuses = {p.platform_key: p.status for p in pledges(session)}
    assert statuses == {graphql_id(1)[:8]: "collected", graphql_id(2)[:8]: "refunded"}
    [change] = session.scalars(select(PledgeStatusChange)).all()
    assert (change.old_status, change.new_status) == ("collected", "refunded")
    # Read again, the same refund changes nothing more.
    poll(cli, session, channel)
    assert len(session.scalars(select(PledgeStatusChange)).all()) == 1


@pytest.mark.parametrize(
    ("failure", "error"),
    [
        (Route(body=b'{"data": {"contributions": ', headers=JSON), "malformed JSON"),
        (
            Route(status=429, headers={"Retry-After": "600"}, body=b"{}"),
            "rate limited by the platform (HTTP 429); next try after",
        ),
        (
            Route(body=b'{"errors": [{"message": "Too many requests"}]}', headers=JSON),
            "Open Collective's API answered: Too many requests",
        ),
    ],
)
def test_a_failure_on_page_three_stores_nothing_of_the_poll(
    cli, api, session, channel, failure, error
):
    api.add(*range(1, 251))
    api.failures[3] = failure

    poll(cli, session, channel)

    assert error in last_error(cli)
    assert pledges(session) == []
    assert session.scalars(select(FundingSnapshot)).all() == []
    # The next poll reads every page again and stores them all.
    poll(cli, session, channel)
    assert len(pledges(session)) == 250
    assert last_error(cli) is None


def test_an_unknown_collective_is_a_clear_error(cli, api, session, channel):
    api.exists = False
    poll(cli, session, channel)
    assert last_error(cli).startswith("not found: Open Collective has no collective by this name")
    assert pledges(session) == []


def export_csv(tmp_path, numbers, *, refunded=()):
    """Write the transactions CSV the export gives for these contributions (default fields)."""
    lines = [
        "datetime,shortId,shortGroup,description,type,kind,isRefund,isRefunded,shortRefundId,"
        "displayAmount,amount,paymentProcessorFee,hostFee,netAmount,balance,currency,"
        "accountSlug,accountName,oppositeAccountSlug,oppositeAccountName"
    ]
    for n in sorted(numbers, reverse=True):
        at = f"2026-11-{1 + (9 + n) // 24:02d}T{(9 + n) % 24:02d}:00:00"
        flag = "REFUNDED" if n in refunded else ""
        lines.append(
            f"{at},{graphql_id(n)[:8]},g{n},Financial contribution,CREDIT,CONTRIBUTION,,{flag},,"
            f"€25.00 EUR,25.00,,,25.00,,EUR,synth-collective,Synth,backer-{n},Backer {n}"
        )
    path = tmp_path / "transactions.csv"
    path.write_text("\n".join(lines) + "\n")
    return path


def test_an_import_after_a_poll_counts_each_transaction_once(cli, api, session, channel, tmp_path):
    api.add(1, 2, 3)
    poll(cli, session, channel)
    path = export_csv(tmp_path, [1, 2, 3, 4])

    result = cli("pledges", "import", "synth", path)

    assert result.exit_code == 0, result.output
    assert "1 created, 0 updated, 3 unchanged" in result.output
    assert len(pledges(session)) == 4


def test_a_poll_after_an_import_counts_each_transaction_once(cli, api, session, channel, tmp_path):
    result = cli("pledges", "import", "synth", export_csv(tmp_path, [1, 2]))
    assert result.exit_code == 0, result.output
    api.add(1, 2, 3)
    api.refunds = [refund(1, of=1)]

    poll(cli, session, channel)

    statuses = {p.platform_key: p.status for p in pledges(session)}
    assert statuses == {
        graphql_id(1)[:8]: "refunded",
        graphql_id(2)[:8]: "collected",
        graphql_id(3)[:8]: "collected",
    }


def test_a_poll_finds_pledges_imported_by_their_legacy_transaction_id(
    cli, api, session, channel, tmp_path
):
    # The labelled export's Transaction ID is the legacy number, which the API also gives.
    path = tmp_path / "labels.csv"
    path.write_text(
        "Date & Time,Transaction ID,Credit/Debit,Kind,Gross Amount,Currency\n"
        "2026-11-01 10:00:00,10001,CREDIT,CONTRIBUTION,25.00,EUR\n"
    )
    assert cli("pledges", "import", "synth", path).exit_code == 0
    api.add(1, 2)

    poll(cli, session, channel)

    assert sorted(p.platform_key for p in pledges(session)) == sorted(["10001", graphql_id(2)[:8]])


def test_an_import_by_legacy_transaction_id_after_a_poll_counts_each_once(
    cli, api, session, channel, tmp_path
):
    api.add(1, 2)
    poll(cli, session, channel)
    path = tmp_path / "labels.csv"
    path.write_text(
        "Date & Time,Transaction ID,Credit/Debit,Kind,Is Refunded,Gross Amount,Currency\n"
        "2026-11-01 11:00:00,10002,CREDIT,CONTRIBUTION,REFUNDED,25.00,EUR\n"
        "2026-11-01 10:00:00,10001,CREDIT,CONTRIBUTION,,25.00,EUR\n"
        "2026-11-01 09:00:00,9999,CREDIT,CONTRIBUTION,,40.00,EUR\n"
    )

    result = cli("pledges", "import", "synth", path)

    assert result.exit_code == 0, result.output
    assert "1 created, 1 updated, 1 unchanged" in result.output
    statuses = {p.platform_key: p.status for p in pledges(session)}
    assert statuses == {
        "9999": "collected",
        graphql_id(1)[:8]: "collected",
        graphql_id(2)[:8]: "refunded",
    }


def test_figures_from_polled_pledges_alone_say_live(cli, api, session, channel, tmp_path):
    api.add(1, 2)
    poll(cli, session, channel)

    sources = summary(cli)["sources"]

    assert set(sources.values()) == {"live"}
    assert cli("pledges", "import", "synth", export_csv(tmp_path, [1, 2])).exit_code == 0
    assert summary(cli)["sources"]["breakdowns"] == "report"


def test_the_imported_report_still_wins_for_the_days_it_covers(
    cli, api, session, channel, tmp_path
):
    api.add(1, 2)
    poll(cli, session, channel)
    assert summary(cli)["sources"]["net_minor"] == "live"
    assert cli("pledges", "import", "synth", export_csv(tmp_path, [1, 2])).exit_code == 0
    figures = summary(cli)
    # The import came after the poll's totals: the report is the truth for today.
    assert figures["sources"]["net_minor"] == "report"
    assert figures["net_minor"] == 5000


def test_two_pollers_on_postgresql_store_each_transaction_once(app, api, session, channel):
    if session.bind.dialect.name != "postgresql":
        pytest.skip("row locks: several pollers run on PostgreSQL only")
    api.add(*range(1, 51))  # one page: both pollers have read everything before either stores
    api.in_flight = threading.Barrier(2, timeout=10)
    engine = app.extensions["tracker.engine"]
    policy = FetchPolicy(allow_private=True, api_urls=(("opencollective", api_url(app)),))
    outcomes, errors = [], []

    def poller():
        try:
            with Session(engine, expire_on_commit=False) as own:
                outcomes.append(poll_channel(own, own.get(Channel, channel.id), policy=policy))
                own.commit()
        except Exception as error:  # reported by the assertion below
            errors.append(error)

    threads = [threading.Thread(target=poller) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(outcome.new for outcome in outcomes)[0] == 0
    assert len(pledges(session)) == 50
    assert len(session.scalars(select(FundingSnapshot)).all()) == 1


def api_url(app):
    return app.config["OPENCOLLECTIVE_API_URL"]


def test_the_curve_has_one_point_a_day_when_live_pledges_and_totals_meet(
    cli, api, session, channel
):
    api.add(1)
    api.contributions[0]["createdAt"] = utcnow().isoformat().replace("+00:00", "Z")

    poll(cli, session, channel)

    curve = summary(cli)["curve"]
    days = [point["day"] for point in curve]
    assert len(days) == len(set(days)) == 1
    # After the last report (none yet), the platform's total carries today.
    assert (curve[-1]["source"], curve[-1]["amount_minor"]) == ("live", 1250075)


def test_the_polls_show_as_one_live_record_in_the_history_and_the_export(
    cli, client, founder, api, session, channel
):
    api.add(1, 2)
    poll(cli, session, channel)
    api.add(3)
    poll(cli, session, channel)

    page = client.get_text("/dashboard/synth/funding/imports")
    assert page.count("Open Collective API, polled") == 1
    document = export_campaign(session, session.get(Campaign, channel.campaign_id))
    jsonschema.validate(document, SCHEMA)
    [record] = document["pledge_imports"]
    assert (record["status"], record["created"]) == ("live", 3)
    assert record["filename"] == "https://opencollective.com/synth-collective"
