"""The export follows its documented JSON Schema and holds no backer personal data."""

import csv
import json
from datetime import date
from pathlib import Path

import jsonschema

from tests.factories import make_milestone
from tests.factories.feedback import comment, make_feedback_channel, post_comments
from tests.factories.pledges import DATA, import_file
from tracker.campaigns.campaigns import find_campaign
from tracker.campaigns.rewards import add_reward_tier
from tracker.demo.loader import load_demo
from tracker.export import export_campaign
from tracker.feeds.channel_jobs import add_channel_later
from tracker.feeds.fetch_policy import FetchPolicy
from tracker.models import Feedback, PublishedReport, Subscriber, Webhook, utcnow

SCHEMA = json.loads((Path(__file__).parent.parent / "docs" / "export-schema.json").read_text())
# What a backer report says about a person; the ledger keeps the figures only.
PERSONAL = (
    "Backer Name",
    "Email",
    "Notes",
    "Shipping Name",
    "Shipping Address 1",
    "Shipping Phone Number",
    "Shipping Delivery Notes",
)


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


DISCORD = "https://discord.com/api/webhooks/1234567890/Sup3rSecretT0kenXyZ"


def test_export_holds_the_page_settings_rewards_answers_summaries_and_masked_hooks(
    session, campaign
):
    campaign.platform_url = "https://www.kickstarter.com/projects/ana/synth"
    campaign.late_pledge_url = "https://synth.example/preorder"
    campaign.video_url = "https://www.youtube.com/watch?v=dQw4w9WgXcQ"
    campaign.video_embed = True
    campaign.public_feedback = False
    campaign.public_rewards = False
    campaign.image_key, campaign.image_width, campaign.image_height = "ab" * 16, 1600, 900
    campaign.image_alt = "The synth on a workbench"
    add_reward_tier(session, campaign, title="Early bird", price="99", limit="100", backers="7")
    add_reward_tier(session, campaign, title="Kit", price="149.50")
    channel = make_feedback_channel(session, campaign)
    post_comments(session, channel, [comment("When does the beta ship?")])
    feedback = session.query(Feedback).one()
    feedback.state, feedback.answer_text = "answered", "In March, to every backer."
    feedback.answer_url = "https://social.example/@team/42"
    session.add(
        PublishedReport(
            campaign_id=campaign.id,
            version=1,
            title="November",
            period_start=date(2026, 11, 1),
            period_end=date(2026, 11, 30),
            language="en",
            sha256="0" * 64,
            size=4,
            pages=1,
            pdf=b"%PDF",
            summary="EUR 1,200 from 12 backers, 2 % of the goal.",
        )
    )
    for kind, url, secret in (
        ("json", "https://hooks.example/in/x9y8", "whsec-export-test"),
        ("discord", DISCORD, None),
    ):
        session.add(
            Webhook(
                campaign_id=campaign.id, kind=kind, url=url, secret=secret, events_until=utcnow()
            )
        )
        session.flush()  # ids in this order
    session.add(
        Subscriber(
            campaign_id=campaign.id,
            address="ben.backer@example.org",
            language="en",
            receives="both",
            state="confirmed",
        )
    )
    session.commit()

    document = export_campaign(session, campaign)
    jsonschema.validate(document, SCHEMA)
    exported = document["campaign"]
    assert exported["platform_url"] == "https://www.kickstarter.com/projects/ana/synth"
    assert exported["late_pledge_url"] == "https://synth.example/preorder"
    assert exported["video"] == {
        "url": "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
        "embed": True,
    }
    assert (exported["public_feedback"], exported["public_rewards"]) == (False, False)
    assert exported["hero_image"] == {
        "file": "ab" * 16 + "-1600.webp",
        "width": 1600,
        "height": 900,
        "description": "The synth on a workbench",
    }
    assert [
        (t["title"], t["price_minor"], t["limit"], t["backers"]) for t in document["reward_tiers"]
    ] == [("Early bird", 9900, 100, 7), ("Kit", 14950, None, None)]
    [answered] = document["feedback"]
    assert answered["answer_text"] == "In March, to every backer."
    assert answered["answer_url"] == "https://social.example/@team/42"
    assert document["reports"][0]["summary"] == "EUR 1,200 from 12 backers, 2 % of the goal."
    assert [(h["kind"], h["url"], h["state"]) for h in document["webhooks"]] == [
        ("json", "https://hooks.example/…x9y8", "active"),
        ("discord", "https://discord.com/…nXyZ", "active"),
    ]
    text = json.dumps(document, ensure_ascii=False)
    assert "Sup3rSecretT0ken" not in text and "whsec-export-test" not in text
    assert "ben.backer" not in text and document["subscribers"]["confirmed"]["en"] == 1
