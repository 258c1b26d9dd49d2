"""`tracker rewards`: list, add, set, remove and move a campaign's reward tiers, with the
founder form's checks (one-line reason, exit non-zero, nothing changed)."""

import json

import pytest
from sqlalchemy import select

from tests.factories import make_campaign
from tests.factories.rewards import make_tiers
from tracker.models import RewardTier


@pytest.fixture
def tiers(session, campaign):
    """Return the ids of three tiers of the campaign, in the founder's order."""
    return make_tiers(session, campaign)


def _rows(session):
    """Return (title, position, price_minor, limit, backers) of every tier, in order."""
    session.expire_all()
    query = select(RewardTier).order_by(RewardTier.position, RewardTier.id)
    return [
        (t.title, t.position, t.price_minor, t.limit, t.backers)
        for t in session.execute(query).scalars()
    ]


def _refused(result, message):
    assert result.exit_code != 0, result.output
    assert message in result.output, result.output
    if result.exit_code == 1:  # a refused value; click's usage errors (2) show the usage too
        assert len(result.output.strip().splitlines()) == 1, result.output


def test_list_shows_the_tiers_in_order(cli, tiers):
    result = cli("rewards", "list", "synth")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].split() == ["POS", "ID", "PRICE", "LIMIT", "BACKERS", "TITLE"]
    assert lines[1].split() == ["1", str(tiers[0]), "€89.00", "3", "report", "Early", "bird", "kit"]
    assert lines[2].split()[2:5] == ["€149.00", "none", "report"]
    assert lines[3].split()[2:5] == ["€250.00", "none", "4"]


def test_list_as_json(cli, tiers):
    result = cli("rewards", "list", "synth", "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)[0] == {
        "id": tiers[0],
        "position": 1,
        "title": "Early bird kit",
        "price_minor": 8900,
        "currency": "EUR",
        "limit": 3,
        "backers": None,
    }
    assert [t["title"] for t in json.loads(result.output)] == [
        "Early bird kit",
        "Assembled deck",
        "Signed case",
    ]


def test_list_of_a_campaign_without_tiers(cli, campaign):
    result = cli("rewards", "list", "synth")
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "synth has no reward tiers"
    assert json.loads(cli("rewards", "list", "synth", "--json").output) == []


def test_add(cli, session, campaign):
    result = cli("rewards", "add", "synth", "--title", "Kit", "--price", "89.50", "--limit", "10")
    assert result.exit_code == 0, result.output
    result = cli("rewards", "add", "synth", "--title", "Case", "--price", "5", "--backers", "2")
    assert result.exit_code == 0, result.output
    assert "position 2" in result.output
    assert _rows(session) == [("Kit", 0, 8950, 10, None), ("Case", 1, 500, None, 2)]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--title", " ", "--price", "89"), "title: Give the reward a title."),
        (("--title", "x" * 201, "--price", "89"), "title: Use at most 200 characters."),
        (("--title", "Kit", "--price", "lots"), "price:"),
        (("--title", "Kit", "--price", "-5"), "price: must be at least 0"),
        (("--title", "Kit", "--price", "89", "--limit", "0"), "limit:"),
        (("--title", "Kit", "--price", "89", "--backers", "-1"), "backers:"),
        (("--title", "Kit"), "Missing option '--price'"),
    ],
)
def test_add_refusals(cli, session, campaign, args, message):
    _refused(cli("rewards", "add", "synth", *args), message)
    assert _rows(session) == []


def test_add_to_a_missing_campaign(cli, session):
    result = cli("rewards", "add", "nope", "--title", "Kit", "--price", "1")
    _refused(result, "not found: campaign 'nope'")


def test_set_changes_only_what_is_given(cli, session, tiers):
    result = cli("rewards", "set", "synth", tiers[0], "--price", "95", "--limit", "none")
    assert result.exit_code == 0, result.output
    result = cli("rewards", "set", "synth", tiers[2], "--title", "Signed case, boxed")
    assert result.exit_code == 0, result.output
    assert _rows(session)[0] == ("Early bird kit", 0, 9500, None, None)
    assert _rows(session)[2] == ("Signed case, boxed", 2, 25000, None, 4)
    result = cli("rewards", "set", "synth", tiers[2], "--backers", "report", "--limit", "7")
    assert result.exit_code == 0, result.output
    assert _rows(session)[2] == ("Signed case, boxed", 2, 25000, 7, None)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--title", ""), "title: Give the reward a title."),
        (("--price", "many", "--title", "New"), "price:"),
        (("--limit", "unlimited"), "limit:"),
        (("--backers", "some"), "backers:"),
        ((), "give at least one of"),
    ],
)
def test_set_refusals(cli, session, tiers, args, message):
    before = _rows(session)
    _refused(cli("rewards", "set", "synth", tiers[0], *args), message)
    assert _rows(session) == before


def test_an_id_of_another_campaign_is_not_found(cli, session, tiers):
    make_campaign(session, slug="other")
    before = _rows(session)
    for args in (
        ("set", "other", tiers[0], "--title", "Mine now"),
        ("remove", "other", tiers[0]),
        ("move", "other", tiers[0], "down"),
    ):
        _refused(cli("rewards", *args), f"not found: reward tier {tiers[0]}")
    _refused(cli("rewards", "remove", "synth", "999999"), "not found: reward tier 999999")
    _refused(cli("rewards", "remove", "synth", "0"), "Invalid value for 'ID'")
    assert _rows(session) == before


def test_remove_keeps_the_positions_dense(cli, session, tiers):
    result = cli("rewards", "remove", "synth", tiers[0])
    assert result.exit_code == 0, result.output
    assert [(title, pos) for title, pos, *_ in _rows(session)] == [
        ("Assembled deck", 0),
        ("Signed case", 1),
    ]
    result = cli("rewards", "add", "synth", "--title", "Poster", "--price", "20")
    assert result.exit_code == 0, result.output
    assert [pos for _, pos, *_ in _rows(session)] == [0, 1, 2]


def test_move_up_down_and_to(cli, session, tiers):
    def titles():
        return [title for title, *_ in _rows(session)]

    result = cli("rewards", "move", "synth", tiers[2], "up")
    assert result.exit_code == 0, result.output
    assert "position 2 of 3" in result.output
    assert titles() == ["Early bird kit", "Signed case", "Assembled deck"]
    assert cli("rewards", "move", "synth", tiers[0], "down").exit_code == 0
    assert titles() == ["Signed case", "Early bird kit", "Assembled deck"]
    assert cli("rewards", "move", "synth", tiers[1], "--to", "1").exit_code == 0
    assert titles() == ["Assembled deck", "Signed case", "Early bird kit"]
    assert [pos for _, pos, *_ in _rows(session)] == [0, 1, 2]
    result = cli("rewards", "move", "synth", tiers[1], "up")  # already the first
    assert result.exit_code == 0, result.output
    assert "already the first" in result.output
    assert titles() == ["Assembled deck", "Signed case", "Early bird kit"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--to", "4"), "to: must be between 1 and 3"),
        (("--to", "0"), "Invalid value for '--to'"),
        (("sideways",), "Invalid value for '[up|down]'"),
        ((), "give up, down or --to N"),
        (("up", "--to", "2"), "give up, down or --to N"),
    ],
)
def test_move_refusals(cli, session, tiers, args, message):
    before = _rows(session)
    _refused(cli("rewards", "move", "synth", tiers[0], *args), message)
    assert _rows(session) == before
