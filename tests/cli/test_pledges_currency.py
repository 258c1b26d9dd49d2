"""The CLI contract of issue 12: imports say what became of other currencies, and
`tracker pledges summary SLUG --json` counts the campaign's currency only."""

import json
from datetime import date

import pytest
from sqlalchemy import func, select

from tests.factories.pledges import DATA
from tracker.models import Pledge

pytestmark = pytest.mark.campaign(
    goal_minor=50_000, starts_on=date(2026, 4, 20), ends_on=date(2099, 5, 30)
)


def _pledges(session) -> int:
    return session.execute(select(func.count()).select_from(Pledge)).scalar_one()


def test_a_report_with_no_row_in_the_currency_needs_the_flag(cli, session, campaign):
    refused = cli("pledges", "import", "synth", DATA / "pledges/kickstarter_d.csv")
    assert refused.exit_code == 1
    assert "Every row of kickstarter_d.csv is in CAD, none in EUR" in refused.output
    assert "--other-currency-ok" in refused.output
    assert _pledges(session) == 0
    result = cli(
        "pledges", "import", "synth", DATA / "pledges/kickstarter_d.csv", "--other-currency-ok"
    )
    assert result.exit_code == 0, result.output
    assert (
        "5 created, 0 updated, 0 unchanged, 0 rejected; 5 rows in CAD: listed apart, "
        "not counted in the EUR figures"
    ) in result.output
    assert _pledges(session) == 5


def test_summary_json_counts_the_campaigns_currency_only(cli, session, campaign):
    imported = cli("pledges", "import", "synth", DATA / "pledges/kickstarter_eur_usd.csv")
    assert imported.exit_code == 0, imported.output
    assert "1 row in USD: listed apart" in imported.output
    assert (
        cli(
            "pledges",
            "import",
            "synth",
            DATA / "pledges/kickstarter_d.csv",
            "--other-currency-ok",
        ).exit_code
        == 0
    )
    result = cli("pledges", "summary", "synth", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert (data["backers"], data["average_minor"], data["net_minor"]) == (2, 5_000, 10_000)
    assert (data["fulfilment_sent"], data["fulfilment_known"], data["percent_of_goal"]) == (
        1,
        2,
        20.0,
    )
    assert data["retrying_minor"] == 0
    assert data["by_status"] == [{"name": "collected", "pledges": 2, "amount_minor": 10_000}]
    assert data["other_currencies"] == [
        {"currency": "CAD", "pledges": 4, "net_minor": 37_100, "retrying_minor": 5_900},
        {"currency": "USD", "pledges": 1, "net_minor": 2_500, "retrying_minor": 0},
    ]
    text = cli("pledges", "summary", "synth")
    assert text.exit_code == 0, text.output
    assert "2 backers, average €50.00" in text.output
    assert "also 4 pledges in CAD: CA$371.00 (CA$59.00 of it retrying payment)" in text.output


def test_summary_json_has_failed_pledges_in_by_status_and_retrying(cli, session, campaign):
    imported = cli("pledges", "import", "synth", DATA / "ledger/kickstarter_v1.csv")
    assert imported.exit_code == 0, imported.output
    result = cli("pledges", "summary", "synth", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    by_status = {s["name"]: (s["pledges"], s["amount_minor"]) for s in data["by_status"]}
    assert by_status["failed"] == (1, 13_400)
    assert (data["retrying_minor"], data["net_minor"]) == (13_400, 135_900)
    text = cli("pledges", "summary", "synth")
    assert "net €1,359.00" in text.output
    assert "of it €134.00 retrying payment (1 pledge)" in text.output


def test_summary_of_an_unknown_campaign_fails_in_one_line(cli):
    result = cli("pledges", "summary", "nope", "--json")
    assert result.exit_code == 1
    assert result.output.strip() == "Error: not found: campaign 'nope'"
