"""Every CLI command through the test CLI runner, including its failures."""

import json

import pytest
from sqlmodel import select

from tests.factories import make_campaign, make_milestone, make_user
from tracker.models import Campaign, Milestone, MilestoneChange, User


def test_db_upgrade_is_idempotent(cli):
    result = cli("db", "upgrade")
    assert result.exit_code == 0, result.output
    assert "database at revision" in result.output


def test_users_create_with_password_stdin_and_prompt(cli, session):
    result = cli(
        "users", "create", "ada@example.com", "--password-stdin", input="a long password\n"
    )
    assert result.exit_code == 0, result.output
    result = cli("users", "create", "bob@example.com", input="another password\nanother password\n")
    assert result.exit_code == 0, result.output
    assert {u.email for u in session.exec(select(User))} == {"ada@example.com", "bob@example.com"}


@pytest.mark.parametrize(
    ("args", "stdin", "message"),
    [
        (("not-an-email", "--password-stdin"), "a long password\n", "email"),
        (("x@example.com", "--password-stdin"), "short\n", "Use at least 10 characters."),
    ],
)
def test_users_create_failures(cli, args, stdin, message):
    result = cli("users", "create", *args, input=stdin)
    assert result.exit_code == 1
    assert message in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_campaigns_create(cli, session):
    make_user(session, email="owner@example.com")
    result = cli(
        "campaigns",
        "create",
        "synth",
        "--title",
        "Synth",
        "--goal",
        "50000",
        "--currency",
        "eur",
        "--starts",
        "2026-11-01",
        "--ends",
        "2026-12-15",
        "--owner",
        "owner@example.com",
        "--public",
    )
    assert result.exit_code == 0, result.output
    campaign = session.exec(select(Campaign)).one()
    assert (campaign.goal_minor, campaign.currency, campaign.is_public) == (5_000_000, "EUR", True)


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"--owner": "nobody@example.com"}, "no registered user"),
        ({"--currency": "XYZ"}, "not an ISO 4217 currency code"),
        ({"--goal": "0"}, "more than zero"),
        ({"--goal": "many"}, "is not an amount"),
        ({"--ends": "2026-10-01"}, "end date is before the start date"),
        ({"--starts": "2026-02-30"}, "Invalid value for '--starts'"),
        ({"--title": "x" * 121}, "at most 120 characters"),
    ],
)
def test_campaigns_create_failures(cli, session, overrides, message):
    make_user(session, email="owner@example.com")
    options = {
        "--title": "Synth",
        "--goal": "50000",
        "--currency": "EUR",
        "--starts": "2026-11-01",
        "--ends": "2026-12-15",
        "--owner": "owner@example.com",
        **overrides,
    }
    result = cli("campaigns", "create", "synth", *[x for kv in options.items() for x in kv])
    assert result.exit_code != 0
    assert message in result.output
    assert session.exec(select(Campaign)).all() == []


def test_duplicate_slug_fails(cli, session):
    owner = make_user(session, email="owner@example.com")
    make_campaign(session, owner=owner, slug="synth")
    result = cli(
        "campaigns",
        "create",
        "synth",
        "--title",
        "T",
        "--goal",
        "1",
        "--currency",
        "EUR",
        "--starts",
        "2026-11-01",
        "--ends",
        "2026-12-15",
        "--owner",
        owner.email,
    )
    assert result.exit_code == 1
    assert "'synth' is taken" in result.output


def test_milestones_add_and_set_record_history(cli, session):
    make_campaign(session, slug="synth")
    result = cli(
        "milestones",
        "add",
        "synth",
        "Beta",
        "--due",
        "2027-02-01",
        "--tag",
        "beta",
        "--threshold",
        "75000",
        "--private",
    )
    assert result.exit_code == 0, result.output
    result = cli(
        "milestones",
        "set",
        "synth",
        "#beta",
        "--status",
        "delayed",
        "--due",
        "2027-03-01",
        "--progress",
        "40",
    )
    assert result.exit_code == 0, result.output
    milestone = session.exec(select(Milestone)).one()
    assert (milestone.status, str(milestone.due_on), milestone.progress) == (
        "delayed",
        "2027-03-01",
        40,
    )
    assert (milestone.threshold_minor, milestone.is_public) == (7_500_000, False)
    changes = session.exec(select(MilestoneChange).order_by(MilestoneChange.id)).all()
    assert [(c.field, c.old_value, c.new_value, c.actor_label) for c in changes] == [
        ("status", None, "planned", "cli"),
        ("status", "planned", "delayed", "cli"),
        ("due_on", "2027-02-01", "2027-03-01", "cli"),
    ]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("add", "nope", "T", "--due", "2027-01-01"), "not found: campaign 'nope'"),
        (("add", "synth", "", "--due", "2027-01-01"), "This field is required."),
        (("add", "synth", "T", "--due", "someday"), "Invalid value for '--due'"),
        (("add", "synth", "T", "--due", "2027-01-01", "--status", "finished"), "Invalid value"),
        (("add", "synth", "T", "--due", "2027-01-01", "--threshold", "-3"), "more than zero"),
        (("set", "synth", "nope", "--status", "done"), "not found: nope"),
        (("set", "synth", "beta"), "give at least one of"),
        (("set", "synth", "beta", "--progress", "101"), "Invalid value for '--progress'"),
    ],
)
def test_milestones_failures(cli, session, args, message):
    campaign = make_campaign(session, slug="synth")
    make_milestone(session, campaign, tag="beta")
    result = cli("milestones", *args)
    assert result.exit_code != 0
    assert message in result.output


def test_export_writes_json_to_file_and_refuses_unknown_slug(cli, session, tmp_path):
    campaign = make_campaign(session, slug="synth")
    make_milestone(session, campaign, tag="beta")
    target = tmp_path / "export.json"
    result = cli("export", "synth", "-o", str(target))
    assert result.exit_code == 0, result.output
    document = json.loads(target.read_text())
    assert document["campaign"]["slug"] == "synth"
    assert document["milestones"][0]["tag"] == "beta"
    result = cli("export", "nope")
    assert result.exit_code == 1
    assert "not found: campaign 'nope'" in result.output


# Loading the demo takes seconds; tests/demo/test_story.py loads it on both databases and
# loads it again there (still one report), so the command's answers are checked on one.
@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_demo_is_idempotent(cli, session):
    first = cli("demo")
    second = cli("demo")
    assert first.exit_code == 0 and "loaded" in first.output
    assert second.exit_code == 0 and "already loaded" in second.output
    assert len(session.exec(select(Campaign)).all()) == 1
    milestones = session.exec(select(Milestone)).all()
    assert len(milestones) >= 6
    assert any(not m.is_public for m in milestones)
    summary = json.loads(cli("pledges", "summary", "lumen-deck", "--json").output)
    assert summary["source"] == "pledges"
    assert 0.5 < summary["percent_of_goal"] / 100 < 1.0  # running, not funded yet
    assert summary["projection"] is not None
