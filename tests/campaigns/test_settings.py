"""Campaign settings: the time zone, and `tracker campaigns set` with the form's checks."""

import json
import os
from datetime import date

import pytest
from sqlalchemy import text
from sqlmodel import select

from tests.conftest import drop_schema, postgres_schema_url
from tests.factories import make_campaign, make_milestone
from tests.factories.pledges import import_file
from tracker.campaigns.campaigns import input_of, update_campaign
from tracker.db import make_engine
from tracker.errors import InvalidInput
from tracker.models import Campaign
from tracker.pledges.snapshots import record_snapshot
from tracker.schema import upgrade

GOOD = {
    "title": "Lumen Deck",
    "slug": "lumen-deck",
    "goal": "50000",
    "currency": "EUR",
    "starts_on": "2026-11-01",
    "ends_on": "2026-12-15",
    "platform": "kickstarter",
    "language": "en",
}


def _input(campaign, **changes):
    return input_of(campaign, **changes)


def test_a_new_campaign_runs_on_utc(session):
    assert make_campaign(session).timezone == "UTC"


@pytest.fixture(params=["sqlite", "postgresql"])
def engine_at_0011(request, tmp_path):
    if request.param == "sqlite":
        engine = make_engine(f"sqlite:///{tmp_path / 'at-0011.sqlite3'}")
    else:
        schema = f"tz_{os.getpid()}"
        engine = make_engine(postgres_schema_url(schema))
    upgrade(engine, "0011")
    yield engine
    engine.dispose()
    if request.param == "postgresql":
        drop_schema(schema)


def test_migration_puts_existing_campaigns_on_utc(engine_at_0011):
    with engine_at_0011.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO users (id, email, password_hash, created_at) "
                "VALUES (1, 'a@example.com', 'x', '2026-11-01 00:00:00+00:00')"
            )
        )
        connection.execute(
            text(
                "INSERT INTO campaigns (slug, title, tagline, description_md, goal_minor, "
                "currency, starts_on, ends_on, platform, language, is_public, owner_id, "
                "created_at, updated_at) VALUES ('old', 'Old', '', '', 100, 'EUR', "
                "'2026-11-01', '2026-12-01', 'other', 'en', false, 1, "
                "'2026-11-01 00:00:00+00:00', '2026-11-01 00:00:00+00:00')"
            )
        )
    upgrade(engine_at_0011)
    with engine_at_0011.connect() as connection:
        zone = connection.execute(text("SELECT timezone FROM campaigns")).scalar_one()
    assert zone == "UTC"


def test_time_zone_is_an_iana_name_in_its_own_spelling(session):
    campaign = make_campaign(session)
    update_campaign(session, campaign, _input(campaign, timezone="europe/berlin"))
    assert campaign.timezone == "Europe/Berlin"


@pytest.mark.parametrize(
    "zone", ["", "Berlin", "Mars/Olympus_Mons", "../../etc/passwd", "localtime"]
)
def test_unknown_time_zone_is_refused(session, zone):
    campaign = make_campaign(session)
    with pytest.raises(InvalidInput) as caught:
        update_campaign(session, campaign, _input(campaign, timezone=zone))
    assert "timezone" in caught.value.errors


def test_form_saves_the_time_zone(client, session, founder):
    response = client.post("/dashboard/new", {**GOOD, "timezone": "America/Toronto"})
    assert response.status_code == 303
    campaign = session.exec(select(Campaign)).one()
    assert campaign.timezone == "America/Toronto"


def test_form_offers_the_zones_with_the_campaigns_selected(client, session, founder):
    make_campaign(session, owner=founder, slug="zoned", timezone="Asia/Tokyo")
    page = client.get_text("/dashboard/zoned/edit")
    assert '<option selected value="Asia/Tokyo">' in page
    assert '<option value="Europe/Berlin">' in page


def test_form_refuses_an_unknown_time_zone_next_to_the_field(client, session, founder):
    response = client.post("/dashboard/new", {**GOOD, "timezone": "Mars/Olympus_Mons"})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    error = page.split('id="timezone-error"', 1)
    assert len(error) == 2, "no error next to the time zone"
    assert "is not a time zone" in error[1][:300]


def test_german_form_names_the_time_zone_field(client, session, founder):
    page = client.get_text("/dashboard/new", headers={"Accept-Language": "de"})
    assert "Zeitzone" in page


# `tracker campaigns set`


def test_cli_sets_zone_goal_end_and_currency(cli, session, campaign):
    result = cli(
        "campaigns",
        "set",
        "synth",
        "--timezone",
        "Europe/Vienna",
        "--goal",
        "600",
        "--ends",
        "2026-12-20",
        "--currency",
        "chf",
    )
    assert result.exit_code == 0, result.output
    session.refresh(campaign)
    assert (campaign.timezone, campaign.goal_minor, campaign.ends_on, campaign.currency) == (
        "Europe/Vienna",
        60_000,
        date(2026, 12, 20),
        "CHF",
    )
    assert "synth" in result.output


def test_cli_currency_change_keeps_the_goal_in_whole_units(cli, session, campaign):
    result = cli("campaigns", "set", "synth", "--currency", "JPY")
    assert result.exit_code == 0, result.output
    session.refresh(campaign)
    assert (campaign.currency, campaign.goal_minor) == ("JPY", 50_000)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--timezone", "Mars/Olympus_Mons"], "timezone"),
        (["--currency", "EUX"], "ISO 4217"),
        (["--goal", "0"], "more than zero"),
        (["--goal", "lots"], "not an amount"),
        (["--ends", "2026-13-45"], "not a date"),
        (["--ends", "2026-10-01"], "before the start date"),
        (["--ends", "9999-01-01"], "must lie between"),
    ],
)
def test_cli_refuses_bad_values_in_one_line_and_changes_nothing(
    cli, session, campaign, args, message
):
    result = cli("campaigns", "set", "synth", *args)
    assert result.exit_code == 1, result.output
    assert message in result.output
    assert "Traceback" not in result.output and len(result.output.strip().splitlines()) == 1
    session.expire_all()
    campaign = session.get(Campaign, campaign.id)
    assert (campaign.timezone, campaign.goal_minor, campaign.currency, campaign.ends_on) == (
        "UTC",
        5_000_000,
        "EUR",
        date(2026, 12, 15),
    )


def test_cli_set_needs_a_change_and_a_known_campaign(cli, campaign):
    nothing = cli("campaigns", "set", "synth")
    assert nothing.exit_code == 2
    assert "give at least one of" in nothing.output
    unknown = cli("campaigns", "set", "nope", "--timezone", "UTC")
    assert unknown.exit_code == 1
    assert "not found: campaign 'nope'" in unknown.output


# The currency once pledges or totals exist


def test_form_refuses_a_currency_change_once_pledges_exist(client, session, founder):
    campaign = make_campaign(session, owner=founder, slug="lumen-deck", currency="USD")
    import_file(session, campaign, "pledges/kickstarter_a.csv")
    response = client.post("/dashboard/lumen-deck/edit", {**GOOD, "currency": "EUR"})
    assert response.status_code == 422
    error = response.get_data(as_text=True).split('id="currency-error"', 1)
    assert len(error) == 2, "no error next to the currency"
    assert "cannot change to EUR once pledges in another one are recorded" in error[1][:400]
    session.expire_all()
    assert session.get(Campaign, campaign.id).currency == "USD"


def test_cli_refuses_a_currency_change_once_totals_were_pushed(cli, session, campaign):
    record_snapshot(session, campaign, amount_minor=90_000, backers=3, source="test")
    session.commit()
    result = cli("campaigns", "set", "synth", "--currency", "USD", "--timezone", "Asia/Tokyo")
    assert result.exit_code == 1, result.output
    assert "currency: The currency cannot change to USD once" in result.output
    assert "pushed total" in result.output
    session.expire_all()
    campaign = session.get(Campaign, campaign.id)
    assert (campaign.currency, campaign.timezone) == ("EUR", "UTC")


def test_other_changes_stay_possible_once_pledges_exist(cli, session, campaign):
    import_file(session, campaign, "pledges/kickstarter_d.csv")
    result = cli("campaigns", "set", "synth", "--currency", "eur", "--goal", "700")
    assert result.exit_code == 0, result.output
    session.refresh(campaign)
    assert (campaign.currency, campaign.goal_minor) == ("EUR", 70_000)


def test_stretch_goals_keep_their_whole_units_when_the_currency_changes(cli, session, campaign):
    milestone = make_milestone(session, campaign, threshold_minor=123_456)
    result = cli("campaigns", "set", "synth", "--currency", "JPY")
    assert result.exit_code == 0, result.output
    session.refresh(milestone)
    assert milestone.threshold_minor == 1_234  # EUR 1,234.56 -> JPY 1,234


def test_a_campaign_whose_pledges_all_came_in_another_currency_can_take_it(cli, session, campaign):
    # A CAD report confirmed into a EUR campaign by mistake: switching to CAD drops nothing,
    # it brings every pledge into the figures.
    import_file(session, campaign, "pledges/kickstarter_d.csv")
    result = cli("campaigns", "set", "synth", "--currency", "CAD")
    assert result.exit_code == 0, result.output
    summary = json.loads(cli("pledges", "summary", "synth", "--json").output)
    assert (summary["currency"], summary["backers"], summary["other_currencies"]) == (
        "CAD",
        4,
        [],
    )


def test_a_currency_that_would_set_some_pledges_apart_is_refused(cli, session, campaign):
    import_file(session, campaign, "pledges/kickstarter_eur_usd.csv")  # 2 in EUR, 1 in USD
    result = cli("campaigns", "set", "synth", "--currency", "USD")
    assert result.exit_code == 1
    assert "2 imported pledges in EUR" in result.output
    session.expire_all()
    assert session.get(Campaign, campaign.id).currency == "EUR"
