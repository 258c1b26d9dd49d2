"""The figures pages show: the campaign's currency only, retrying payments apart, imports
that say what happened to rows in another currency, and a confirmation for a report with
no row in the campaign's currency."""

import io
import json
import re
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from tests.factories import make_campaign
from tests.factories.pledges import DATA, import_file
from tracker.models import Pledge, PledgeImport

# Still running whenever the suite runs, but ending soon: the funding chart labels every day
# of the campaign's range, and a range to 2099 (26,000 days) cost 3-8 s per page drawn.
ENDS_ON = date.today() + timedelta(days=60)

pytestmark = [
    pytest.mark.usefixtures("founder"),
    pytest.mark.campaign(goal_minor=50_000, starts_on=date(2026, 4, 20), ends_on=ENDS_ON),
]


@pytest.fixture(autouse=True)
def held_uploads(app, tmp_path):
    app.config["HELD_UPLOADS_DIR"] = str(tmp_path / "held")
    return tmp_path / "held"


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def _figure(page: str, label: str) -> str:
    match = re.search(rf"<dt>{label}</dt>\s*<dd>([^<]*)</dd>", page)
    assert match, f"no figure {label!r}"
    return match.group(1).strip()


def _upload(client, name, headers=None, **fields):
    data = {
        "report": (io.BytesIO((DATA / name).read_bytes()), name.split("/")[-1]),
        "format": "auto",
        **fields,
    }
    return client.post(
        "/dashboard/synth/funding/import",
        data,
        content_type="multipart/form-data",
        headers=headers or {},
    )


def _count(session, model):
    return session.execute(select(func.count()).select_from(model)).scalar_one()


@pytest.fixture
def mixed(session, campaign):
    """The issue's example: EUR 100 from two backers and $25, then a report in CAD."""
    import_file(session, campaign, "pledges/kickstarter_eur_usd.csv")
    import_file(session, campaign, "pledges/kickstarter_d.csv")
    return campaign


def test_funding_tab_counts_the_campaigns_currency_only(client, mixed):
    page = client.get_text("/dashboard/synth/funding/")
    assert _figure(page, "Backers") == "2"
    assert _figure(page, "Average pledge") == "€50.00"
    assert _figure(page, "Of the goal") == "20%"  # rounded down, in the page's locale
    text = _text(page)
    assert "Rewards sent: 1 of 2 (50 %)." in text
    assert "Extra dice" not in text  # an add-on bought in CAD
    assert "Also pledged in other currencies, not converted and counted in no figure:" in text
    assert "CA$371.00 (4 backers, CA$59.00 of it retrying payment)" in text
    assert "$25.00 (1 backer)" in text


def test_public_page_and_json_count_the_campaigns_currency_only(client, mixed):
    page = client.get_text("/c/synth")
    assert _figure(page, "Backers") == "2"
    assert _figure(page, "Pledged") == "€100.00"
    text = _text(page)
    assert "Also pledged in other currencies: CA$371.00 (4 backers), $25.00 (1 backer)." in text
    data = json.loads(client.get_text("/api/campaigns/synth.json"))
    assert (data["backers"], data["pledged_minor"], data["retrying_minor"]) == (2, 10_000, 0)
    assert data["other_currencies"] == [
        {"currency": "CAD", "pledges": 4, "pledged_minor": 37_100, "retrying_minor": 5_900},
        {"currency": "USD", "pledges": 1, "pledged_minor": 2_500, "retrying_minor": 0},
    ]


def test_retrying_payments_are_shown_apart_wherever_the_net_total_is(client, session, campaign):
    import_file(session, campaign, "ledger/kickstarter_v1.csv")  # one errored: EUR 134
    dashboard = _text(client.get_text("/dashboard/synth/funding/"))
    assert "€1,359.00" in dashboard
    assert "€1,359.00 of it €134.00 retrying payment (1 pledge)" in dashboard
    public = _text(client.get_text("/c/synth"))
    assert "€1,359.00 of it €134.00 retrying payment" in public
    data = json.loads(client.get_text("/api/campaigns/synth.json"))
    assert (data["pledged_minor"], data["retrying_minor"]) == (135_900, 13_400)


def test_import_result_and_history_say_what_became_of_rows_in_another_currency(
    client, session, campaign
):
    response = _upload(client, "pledges/kickstarter_eur_usd.csv")
    assert response.status_code == 200
    text = _text(response.get_data(as_text=True))
    assert "3 new, 0 updated, 0 unchanged, 0 rejected" in text
    assert "1 row in USD: listed apart, not counted in the EUR figures." in text
    history = _text(client.get_text("/dashboard/synth/funding/imports"))
    assert "1 row in USD: listed apart, not counted in the EUR figures." in history


def test_a_report_with_no_row_in_the_campaigns_currency_asks_first(
    client, session, campaign, held_uploads
):
    response = _upload(client, "pledges/kickstarter_d.csv", headers={"HX-Request": "true"})
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Every row of kickstarter_d.csv is in CAD, none in EUR" in _text(page)
    assert _count(session, Pledge) == 0 and _count(session, PledgeImport) == 0
    held = re.search(r'name="held"[^>]*value="([^"]+)"', page).group(1)
    confirm = client.post(
        "/dashboard/synth/funding/import/confirm",
        {"held": held, "filename": "kickstarter_d.csv", "format": "auto"},
        headers={"HX-Request": "true"},
    )
    assert confirm.status_code == 200
    text = _text(confirm.get_data(as_text=True))
    assert "5 new, 0 updated, 0 unchanged, 0 rejected" in text
    assert "5 rows in CAD: listed apart, not counted in the EUR figures." in text
    assert _count(session, Pledge) == 5
    assert list(held_uploads.iterdir()) == []
    again = client.post(
        "/dashboard/synth/funding/import/confirm",
        {"held": held, "filename": "kickstarter_d.csv", "format": "auto"},
    )
    assert again.status_code == 422
    assert "no longer held" in again.get_data(as_text=True)
    assert _count(session, PledgeImport) == 1


@pytest.mark.parametrize("held", ["", "../../etc/passwd", "a" * 24])
def test_a_confirmation_without_a_held_file_imports_nothing(client, session, campaign, held):
    response = client.post(
        "/dashboard/synth/funding/import/confirm",
        {"held": held, "filename": "x.csv", "format": "auto"},
    )
    assert response.status_code == 422
    assert "no longer held" in response.get_data(as_text=True)
    assert _count(session, PledgeImport) == 0


def test_a_held_file_cannot_be_confirmed_into_another_campaign(client, session, founder, campaign):
    make_campaign(session, owner=founder, slug="other")
    response = _upload(client, "pledges/kickstarter_d.csv")
    assert response.status_code == 200
    held = re.search(r'name="held"[^>]*value="([^"]+)"', response.get_data(as_text=True)).group(1)
    response = client.post(
        "/dashboard/other/funding/import/confirm",
        {"held": held, "filename": "kickstarter_d.csv", "format": "auto"},
    )
    assert response.status_code == 422
    assert _count(session, PledgeImport) == 0
