"""The pledge ledger: idempotent, atomic imports that never store personal data."""

import io
import json
from datetime import date

import pytest
from sqlalchemy import func, inspect, select, text

from tests.factories.pledges import DATA, import_file
from tracker.models import Actor, Pledge, PledgeAddon, PledgeImport, PledgeStatusChange
from tracker.pledges.funding import summarize_funding
from tracker.pledges.imports import ImportRefused, ImportRejected, import_pledges

TODAY = date(2026, 11, 26)
pytestmark = pytest.mark.campaign(goal_minor=4_800_000)


def _count(session, model):
    return session.execute(select(func.count()).select_from(model)).scalar_one()


def test_first_import_totals_to_the_cent(session, campaign):
    result = import_file(session, campaign, "ledger/kickstarter_v1.csv")
    assert (result.created, result.updated, result.unchanged, result.rejected) == (5, 0, 0, 0)
    summary = summarize_funding(session, campaign, today=TODAY)
    assert summary.gross_minor == 140_850
    assert summary.collected_minor == 122_500
    assert summary.net_minor == 135_900
    assert summary.backers == 4
    assert {(s.name, s.pledges, s.amount_minor) for s in summary.by_status} == {
        ("collected", 3, 122_500),
        ("failed", 1, 13_400),
        ("dropped", 1, 4_950),
    }
    assert summary.addons == [("Sticker pack", 3)]
    assert {s.name: s.amount_minor for s in summary.by_country} == {
        "DE": 8_800,
        "FR": 113_700,
        "US": 13_400,
    }
    record = session.execute(select(PledgeImport)).scalar_one()
    assert (record.format, record.generation, record.created) == ("kickstarter", "kickstarter-d", 5)
    assert len(record.sha256) == 64


def test_reimport_of_the_same_file_changes_nothing(session, campaign):
    import_file(session, campaign, "ledger/kickstarter_v1.csv")
    result = import_file(session, campaign, "ledger/kickstarter_v1.csv")
    assert (result.created, result.updated, result.unchanged) == (0, 0, 5)
    assert _count(session, Pledge) == 5
    assert summarize_funding(session, campaign, today=TODAY).net_minor == 135_900
    assert _count(session, PledgeImport) == 2


def test_newer_export_updates_in_place_and_records_status_changes(session, campaign):
    import_file(session, campaign, "ledger/kickstarter_v1.csv")
    result = import_file(session, campaign, "ledger/kickstarter_v2.csv")
    assert (result.created, result.updated, result.unchanged) == (1, 3, 2)
    assert result.status_changes == 2
    changes = session.execute(
        select(Pledge.platform_key, PledgeStatusChange.old_status, PledgeStatusChange.new_status)
        .join(Pledge, Pledge.id == PledgeStatusChange.pledge_id)
        .order_by(Pledge.platform_key)
    ).all()
    assert changes == [("5003", "collected", "dropped"), ("5005", "failed", "collected")]
    summary = summarize_funding(session, campaign, today=TODAY)
    assert (summary.gross_minor, summary.net_minor, summary.collected_minor) == (
        145_250,
        135_900,
        135_900,
    )
    assert summary.backers == 4
    assert (summary.fulfilment_sent, summary.fulfilment_known) == (1, 4)
    assert _count(session, Pledge) == 6


def test_bad_rows_import_nothing_and_list_every_bad_row(session, campaign):
    import_file(session, campaign, "ledger/kickstarter_v1.csv")
    before = _snapshot(session)
    with pytest.raises(ImportRejected) as caught:
        import_file(session, campaign, "ledger/kickstarter_bad.csv")
    session.rollback()
    errors = [(e.line, e.column, e.value) for e in caught.value.errors]
    assert errors == [
        (3, "Pledge Amount", "lots of money"),
        (4, "Pledged At", "yesterday"),
        (5, "key", "5001"),
    ]
    assert "already on line 2" in caught.value.errors[2].reason
    assert _snapshot(session) == before


def test_skip_bad_rows_imports_the_good_and_keeps_the_rejected(session, campaign):
    result = import_file(session, campaign, "ledger/kickstarter_bad.csv", skip_bad_rows=True)
    assert (result.created, result.rejected) == (1, 3)
    record = session.execute(select(PledgeImport)).scalar_one()
    kept = json.loads(record.rejected_rows)
    assert [row["line"] for row in kept] == [3, 4, 5]
    assert kept[0] == {
        "source": "kickstarter_bad.csv",
        "line": 3,
        "column": "Pledge Amount",
        "value": "lots of money",
        "reason": kept[0]["reason"],
    }


def test_a_pledge_dated_outside_the_sane_range_is_refused_with_line_and_reason(session, campaign):
    data = (
        "external_id,amount,currency,pledged_at,tier,status\n"
        "g-1,5.00,EUR,2026-11-03,Kit,collected\n"
        "g-2,5.00,EUR,0001-01-01,Kit,collected\n"
    )
    before = _snapshot(session)
    with pytest.raises(ImportRejected) as caught:
        import_pledges(
            session,
            campaign=campaign,
            fileobj=io.BytesIO(data.encode()),
            filename="old.csv",
            actor=Actor(label="test"),
        )
    session.rollback()
    assert [str(error) for error in caught.value.errors] == [
        "old.csv:3: pledged_at '0001-01-01': must lie between 2000-01-01 and 2100-01-01"
    ]
    assert _snapshot(session) == before


@pytest.mark.parametrize("name", ["pledges/mixed_formats.zip", "pledges/mixed_encoding.csv"])
def test_structural_errors_import_nothing(session, campaign, name):
    before = _snapshot(session)
    with pytest.raises(ImportRefused):
        import_file(session, campaign, name, skip_bad_rows=True)
    session.rollback()
    assert _snapshot(session) == before


def test_unknown_header_is_refused_with_expected_columns(session, campaign, tmp_path):
    path = tmp_path / "odd.csv"
    path.write_text("when,how much\n2026-01-01,5\n")
    with path.open("rb") as fileobj, pytest.raises(ImportRefused, match="Backer") as caught:
        import_pledges(
            session,
            campaign=campaign,
            fileobj=fileobj,
            filename="odd.csv",
            actor=Actor(label="test"),
        )
    assert "external_id" in str(caught.value)


def test_empty_file_is_refused(session, campaign, tmp_path):
    (tmp_path / "empty.csv").write_bytes(b"")
    with (tmp_path / "empty.csv").open("rb") as fileobj, pytest.raises(ImportRefused):
        import_pledges(
            session,
            campaign=campaign,
            fileobj=fileobj,
            filename="empty.csv",
            actor=Actor(label="test"),
        )


PERSONAL = (
    "Quinn",
    "Quartz",
    "quinn.quartz@example.com",
    "Rivera",
    "rosa.rivera",
    "Musterweg",
    "Beispielstr",
    "+49 30 5550101",
    "Call before delivery",
    "Ring twice",
    "Tia Teal",
    "LS1 1AA",
    "Example Rd",
    "Hamburg",
    "Lyon",
)


@pytest.mark.parametrize(
    "names",
    [
        ["ledger/kickstarter_v1.csv", "ledger/kickstarter_v2.csv"],
        [
            "pledges/kickstarter_b.csv",
            "pledges/kickstarter_c.csv",
            "pledges/kickstarter_d.csv",
            "pledges/indiegogo_contributions.csv",
            "pledges/opencollective_labels.csv",
        ],
    ],
)
def test_no_personal_data_reaches_the_database(session, campaign, names):
    for name in names:
        import_file(session, campaign, name, skip_bad_rows=True)
    dump = _dump_everything(session)
    found = [word for word in PERSONAL if word.lower() in dump.lower()]
    assert found == []
    for name in names:  # every email address of the files, whatever the column
        emails = {
            w.strip('",')
            for w in (DATA / name).read_text(errors="ignore").split(",")
            if "@example.com" in w
        }
        assert not [e for e in emails if e in dump]


def _dump_everything(session) -> str:
    connection = session.connection()
    parts = []
    for table in inspect(connection).get_table_names():
        rows = connection.execute(text(f"SELECT * FROM {table}")).all()  # noqa: S608
        parts.append(f"{table}: {rows!r}")
    return "\n".join(parts)


def _snapshot(session):
    return (
        session.execute(
            select(Pledge.platform_key, Pledge.status, Pledge.amount_minor).order_by(
                Pledge.platform_key
            )
        ).all(),
        _count(session, PledgeImport),
        _count(session, PledgeAddon),
        _count(session, PledgeStatusChange),
    )
