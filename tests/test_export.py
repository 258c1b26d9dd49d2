"""The export follows its documented JSON Schema and holds no backer personal data."""

import csv
import json
from pathlib import Path

import jsonschema

from tests.factories import make_milestone
from tests.factories.pledges import DATA, import_file
from tracker.campaigns.campaigns import find_campaign
from tracker.demo.loader import load_demo
from tracker.export import export_campaign
from tracker.feeds.channel_jobs import add_channel_later
from tracker.feeds.fetch_policy import FetchPolicy
from tracker.models import utcnow

SCHEMA = json.loads((Path(__file__).parent.parent / "docs" / "export-schema.json").read_text())
# What a backer report says about a person; the ledger keeps the figures only.
PERSONAL = ("Backer Name", "Email", "Notes", "Shipping Name", "Shipping Address 1",
            "Shipping Phone Number", "Shipping Delivery Notes")  # fmt: skip


def test_export_of_demo_matches_schema(session):
    result = load_demo(session, today=utcnow().date())
    session.commit()
    document = export_campaign(session, find_campaign(session, result.slug))
    jsonschema.validate(document, SCHEMA)
    assert document["campaign"]["slug"] == result.slug
    assert any(m["history"] for m in document["milestones"])
    assert document["pledges"] and document["entries"] and document["feedback"]


def test_export_holds_the_ledger_but_no_backer_personal_data(session, campaign):
    make_milestone(session, campaign, title="Firmware beta")
    import_file(session, campaign, "ledger/kickstarter_v1.csv")
    document = export_campaign(session, campaign)
    jsonschema.validate(document, SCHEMA)
    assert document["campaign"]["slug"] == "synth"
    assert [m["title"] for m in document["milestones"]] == ["Firmware beta"]
    assert len(document["pledges"]) == 5
    with (DATA / "ledger/kickstarter_v1.csv").open(newline="", encoding="utf-8") as report:
        personal = {row[column] for row in csv.DictReader(report) for column in PERSONAL}
    personal.discard("")
    text = json.dumps(document, ensure_ascii=False)
    assert "quinn.quartz@example.com" in personal
    assert not [value for value in personal if value in text]


def test_a_channel_whose_feed_is_looked_for_exports_as_documented(session, campaign):
    add_channel_later(
        session,
        campaign,
        text="https://blog.example/devlog",
        role="updates",
        policy=FetchPolicy(),
        now=utcnow(),
        max_channels=10,
    )
    session.commit()
    document = export_campaign(session, campaign)
    jsonschema.validate(document, SCHEMA)
    [channel] = document["channels"]
    assert (channel["kind"], channel["origin"], channel["feed_url"]) == ("feed", "pending", None)
    origin = SCHEMA["properties"]["channels"]["items"]["properties"]["origin"]
    assert "pending" in origin["description"]
