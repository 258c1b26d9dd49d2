"""`tracker pledges import|snapshot|summary` through the CLI runner."""

import json

import pytest
from sqlalchemy import func, select

from tests.factories.pledges import DATA
from tracker.models import FundingSnapshot, Pledge


def test_import_prints_a_summary_and_reimport_is_unchanged(cli, session, campaign):
    result = cli("pledges", "import", "synth", DATA / "ledger/kickstarter_v1.csv")
    assert result.exit_code == 0, result.output
    assert "kickstarter_v1.csv (kickstarter): 5 created, 0 updated, 0 unchanged, 0 rejected" in (
        result.output
    )
    result = cli("pledges", "import", "synth", DATA / "ledger/kickstarter_v1.csv")
    assert result.exit_code == 0, result.output
    assert "0 created, 0 updated, 5 unchanged" in result.output


def test_import_failures_exit_non_zero_with_reasons(cli, session, campaign):
    result = cli("pledges", "import", "synth", DATA / "ledger/kickstarter_bad.csv")
    assert result.exit_code == 1
    assert "kickstarter_bad.csv:3: column 'Pledge Amount', value 'lots of money'" in result.output
    assert "3 bad rows: nothing was imported" in result.output
    assert session.execute(select(func.count()).select_from(Pledge)).scalar_one() == 0
    result = cli(
        "pledges", "import", "synth", DATA / "ledger/kickstarter_bad.csv", "--skip-bad-rows"
    )
    assert result.exit_code == 0 and "1 created" in result.output and "3 rejected" in result.output
    assert cli("pledges", "import", "nope", DATA / "ledger/kickstarter_v1.csv").exit_code == 1
    assert cli("pledges", "import", "synth", DATA / "missing.csv").exit_code == 2
    result = cli(
        "pledges", "import", "synth", DATA / "ledger/kickstarter_v1.csv", "--format", "indiegogo"
    )
    assert result.exit_code == 1 and "Error:" in result.output


def test_snapshot_and_summary(cli, session, campaign):
    result = cli(
        "pledges",
        "snapshot",
        "synth",
        "--amount",
        "12345",
        "--backers",
        "210",
        "--at",
        "2026-11-20T18:00:00",
    )
    assert result.exit_code == 0, result.output
    snapshot = session.execute(select(FundingSnapshot)).scalar_one()
    assert (snapshot.amount_minor, snapshot.backers) == (1_234_500, 210)
    assert cli("pledges", "snapshot", "synth", "--amount", "x", "--backers", "1").exit_code == 1
    assert cli("pledges", "snapshot", "synth", "--amount", "1", "--backers", "-1").exit_code == 2
    result = cli("pledges", "summary", "synth", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert (data["net_minor"], data["backers"], data["source"]) == (1_234_500, 210, "snapshots")
    result = cli("pledges", "summary", "synth")
    assert result.exit_code == 0 and "€12,345.00" in result.output


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["--amount", "1", "--backers", "99999999999999999999"], 2, "backers"),
        (["--amount", "1", "--backers", "\u0661"], 2, "backers"),
        (["--amount", "99999999999999999999999999", "--backers", "1"], 1, "amount"),
        (["--amount", "1e999999999", "--backers", "1"], 1, "amount"),
        (["--amount", "1", "--backers", "1", "--at", "0001-01-01"], 1, "at: must lie between"),
        (["--amount", "1", "--backers", "1", "--at", "2099-01-01"], 1, "lies in the future"),
    ],
)
def test_snapshot_arguments_past_the_limits_fail_in_one_line(
    cli, session, campaign, args, code, message
):
    result = cli("pledges", "snapshot", "synth", *args)
    assert result.exit_code == code, result.output
    assert message in result.output
    assert isinstance(result.exception, SystemExit), result.exception
    assert session.execute(select(func.count()).select_from(FundingSnapshot)).scalar_one() == 0
