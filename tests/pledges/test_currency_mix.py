"""Money is never mixed: every figure counts the campaign's currency, the rest stays apart.

The issue's example: a EUR campaign with EUR 100 from two backers (and one pledge in USD)
takes a Kickstarter report in CAD. Before, the funding tab showed 7 backers, an average
of EUR 14.28 (EUR 100 over pledges in three currencies) and "rewards sent 2 of 7".
"""

import json
from datetime import date

import pytest
from sqlalchemy import func, select

from tests.factories.pledges import import_file
from tracker.models import Pledge, PledgeImport
from tracker.pledges.funding import summarize_funding
from tracker.pledges.funding_json import funding_as_dict
from tracker.pledges.imports import ImportNeedsConfirmation

TODAY = date(2026, 5, 10)
pytestmark = pytest.mark.campaign(
    goal_minor=50_000, starts_on=date(2026, 4, 20), ends_on=date(2026, 5, 30)
)


@pytest.fixture
def mixed(session, campaign):
    import_file(session, campaign, "pledges/kickstarter_eur_usd.csv")
    import_file(session, campaign, "pledges/kickstarter_d.csv", other_currency_ok=True)
    return summarize_funding(session, campaign, today=TODAY)


def test_every_figure_counts_the_campaigns_currency_only(mixed):
    assert (mixed.net_minor, mixed.backers, mixed.average_minor) == (10_000, 2, 5_000)
    assert mixed.percent_of_goal == 20.0
    assert (mixed.fulfilment_sent, mixed.fulfilment_known) == (1, 2)
    assert {s.name for s in mixed.by_tier} == {"Core Box", "Deluxe Box"}
    assert {(s.name, s.pledges, s.amount_minor) for s in mixed.by_country} == {
        ("DE", 1, 4_000),
        ("AT", 1, 6_000),
    }
    assert mixed.addons == []  # the add-ons were bought in CAD
    assert [(p.amount_minor, p.backers) for p in mixed.curve] == [(4_000, 1), (10_000, 2)]
    assert mixed.projection.daily_rate_minor == round(10_000 / 10)  # 1 to 10 May


def test_other_currencies_are_listed_apart_with_their_retrying_payments(mixed):
    others = {o.currency: o for o in mixed.other_currencies}
    assert set(others) == {"CAD", "USD"}
    cad = others["CAD"]
    # collected 89 + 144, pledged 79, retrying 59; the dropped CA$1 counts nowhere
    assert (cad.pledges, cad.net_minor, cad.retrying_minor) == (4, 37_100, 5_900)
    assert (others["USD"].pledges, others["USD"].net_minor) == (1, 2_500)


def test_retrying_payments_are_a_total_of_their_own(session, campaign):
    import_file(session, campaign, "ledger/kickstarter_v1.csv")
    summary = summarize_funding(session, campaign, today=TODAY)
    # kickstarter_v1: one errored pledge of EUR 134, still counted as pledged
    assert (summary.retrying_minor, summary.retrying) == (13_400, 1)
    assert summary.net_minor == 135_900
    assert summary.collected_minor == 122_500


def test_summary_json_keeps_its_keys_and_adds_the_apart_figures(mixed):
    data = funding_as_dict(mixed)
    for key in (
        "currency",
        "goal_minor",
        "source",
        "gross_minor",
        "collected_minor",
        "net_minor",
        "backers",
        "by_status",
        "by_tier",
        "by_country",
        "addons",
        "other_currencies",
        "curve",
        "stretch_goals",
        "fulfilment_sent",
        "fulfilment_known",
        "days_left",
        "projection",
        "misdated",
        "percent_of_goal",
        "average_minor",
        "fulfilment_share",
    ):
        assert key in data, key
    assert (data["backers"], data["average_minor"], data["retrying_minor"]) == (2, 5_000, 0)
    assert data["other_currencies"] == [
        {"currency": "CAD", "pledges": 4, "net_minor": 37_100, "retrying_minor": 5_900},
        {"currency": "USD", "pledges": 1, "net_minor": 2_500, "retrying_minor": 0},
    ]
    assert {s["name"]: s["pledges"] for s in data["by_status"]} == {"collected": 2}
    json.dumps(data, default=str)


def test_import_counts_the_rows_in_another_currency(session, campaign):
    result = import_file(session, campaign, "pledges/kickstarter_eur_usd.csv")
    assert result.other_currency_rows == {"USD": 1}
    assert "1 row in USD: listed apart, not counted in the EUR figures" in result.summary()
    record = session.execute(select(PledgeImport)).scalar_one()
    assert json.loads(record.other_currency_rows) == {"USD": 1}


def test_a_report_entirely_in_another_currency_waits_for_confirmation(session, campaign):
    with pytest.raises(ImportNeedsConfirmation) as asked:
        import_file(session, campaign, "pledges/kickstarter_d.csv", other_currency_ok=False)
    assert asked.value.rows == {"CAD": 5}
    assert "Every row of kickstarter_d.csv is in CAD, none in EUR" in str(asked.value)
    assert session.execute(select(func.count()).select_from(Pledge)).scalar_one() == 0
    assert session.execute(select(func.count()).select_from(PledgeImport)).scalar_one() == 0
    result = import_file(session, campaign, "pledges/kickstarter_d.csv", other_currency_ok=True)
    assert (result.created, result.other_currency_rows) == (5, {"CAD": 5})
