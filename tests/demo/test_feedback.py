"""The demo's follower feedback: scored through the store path, idempotent, with its burst;
and the feedback sections of the export."""

import json
from pathlib import Path

import jsonschema
from sqlalchemy import func, select

from tests.factories import make_campaign
from tests.factories.feedback import comment, make_feedback_channel, post_comments
from tracker.campaigns.campaigns import find_campaign
from tracker.demo.loader import load_demo
from tracker.export import export_campaign
from tracker.feedback.alert_settings import feedback_settings
from tracker.feedback.alerts import current_alert
from tracker.feedback.public_figures import public_feedback
from tracker.feedback.replies import set_note, set_state
from tracker.models import Channel, Feedback, utcnow

SCHEMA = json.loads((Path(__file__).parents[2] / "docs" / "export-schema.json").read_text())


def test_demo_feedback_is_scored_idempotent_and_shows_a_storm(session):
    today = utcnow().date()
    slug = load_demo(session, today=today).slug
    session.commit()
    campaign = find_campaign(session, slug)
    count = select(func.count()).select_from(Feedback).where(Feedback.campaign_id == campaign.id)
    scored = session.scalar(count)
    assert scored == 39
    load_demo(session, today=today)
    session.commit()
    assert session.scalar(count) == scored
    roles = session.scalars(select(Channel.role).where(Channel.campaign_id == campaign.id))
    assert list(roles).count("feedback") == 3
    languages = set(
        session.scalars(select(Feedback.language).where(Feedback.campaign_id == campaign.id))
    )
    assert {"en", "de"} <= languages
    assessment = current_alert(
        session, campaign, feedback_settings(session, campaign), now=utcnow()
    )
    assert assessment.spike and assessment.share_exceeded, assessment.describe()
    figures = public_feedback(session, campaign)
    assert figures.questions_answered >= 5 and figures.answered_questions[0].link
    linked = select(func.count()).where(
        Feedback.campaign_id == campaign.id, Feedback.milestone_id.is_not(None)
    )
    assert session.scalar(linked) >= 3  # the #beta comments


def test_export_carries_feedback_and_marks_the_note_private(session):
    campaign = make_campaign(session)
    channel = make_feedback_channel(session, campaign)
    post_comments(session, channel, [comment("When do surveys go out?"), comment("Love it!")])
    first = session.scalars(select(Feedback).order_by(Feedback.entry_id)).first()
    set_state(session, first, "answered")
    set_note(session, first, "answered on Mastodon")
    settings = feedback_settings(session, campaign)
    session.commit()
    document = export_campaign(session, campaign)
    jsonschema.validate(document, SCHEMA)
    rows = document["feedback"]
    assert [r["state"] for r in rows] == ["answered", "new"]
    assert rows[0]["private_note"] == "answered on Mastodon"
    assert rows[0]["category"] == "question" and rows[0]["key"].startswith("guid:")
    assert document["feedback_settings"]["negative_share"] == 0.6
    assert settings.alert_token not in json.dumps(document)
    assert (
        "PRIVATE"
        in SCHEMA["properties"]["feedback"]["items"]["properties"]["private_note"]["description"]
    )
