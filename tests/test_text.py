"""Characters XML forbids: stripped where text enters, harmless in rows already stored."""

import importlib
import pkgutil
from datetime import date, timedelta
from xml.etree import ElementTree

import pytest
from flask_wtf import FlaskForm
from sqlmodel import select

from tests.factories import make_campaign, make_milestone, make_user
from tests.factories.feedback import comment, make_feedback_channel, post_comments
from tests.factories.feeds import make_channel
from tests.factories.reports import import_csv
from tracker.campaigns.milestones import change_milestone
from tracker.cli import main
from tracker.forms import TrackerForm
from tracker.models import Actor, Campaign, Milestone, Pledge, utcnow
from tracker.text import strip_forbidden_chars

BAD = "\x00\x01\x08\x0b\x0c\x0e\x1f\ud800\udfff\ufffe\uffff"


def test_strip_forbidden_chars_keeps_what_xml_allows():
    kept = "tab\there\nnew\rline é ✓ 𝄞 \x7f\x85 \ue000\ufffd"
    assert strip_forbidden_chars(kept) == kept
    assert strip_forbidden_chars(f"a{BAD}b") == "ab"
    assert strip_forbidden_chars(None) is None


XML_PATHS = ("/feed.atom", "/badge.svg", "/funding.svg", "/sentiment.svg")
OTHER_PATHS = ("", "/timeline", "/card.png")


def test_stored_control_characters_never_break_a_public_response(client, session):
    # Rows stored before the boundaries stripped these (or by a path that forgets to).
    campaign = make_campaign(
        session,
        slug="ctl",
        title="Lumen\x01 Deck",
        tagline="Pocket\x0b synth",
        starts_on=date.today() - timedelta(days=5),
        ends_on=date.today() + timedelta(days=20),
    )
    milestone = make_milestone(session, campaign, title="Beta\x02", tag="beta")
    change_milestone(session, milestone, actor=Actor(label="t\x03"), status="in_progress")
    session.commit()
    now = utcnow()
    post_comments(
        session, make_channel(session, campaign), [comment("Update\x01 #beta", at=now)], now=now
    )
    post_comments(
        session, make_feedback_channel(session, campaign), [comment("Meh\x01", at=now)], now=now
    )
    for path in XML_PATHS:
        response = client.get(f"/c/ctl{path}")
        assert response.status_code == 200, path
        ElementTree.fromstring(response.get_data())  # noqa: S314 (our own output, well-formed)
    for path in OTHER_PATHS:
        assert client.get(f"/c/ctl{path}").status_code == 200, path
    for path in ("/", "/sitemap.xml", "/api/campaigns/ctl.json"):
        assert client.get(path).status_code == 200, path
    feed = client.get_text("/c/ctl/feed.atom")
    assert "Lumen Deck" in feed and "Update #beta" in feed


@pytest.mark.parametrize("raw", ["&#1;", "\x01"])
def test_feed_entries_lose_forbidden_characters(raw):
    from tracker.feeds.parsing import parse_feed

    document = (
        '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>'
        f"<title>Dev{raw}log</title><link>https://blog.example/</link>"
        f"<item><guid>g{raw}1</guid><title>Beta{raw} is out</title>"
        f"<author>a@b.example (Ana{raw})</author><category>t{raw}ag</category>"
        f"<link>https://blog.example/1</link><description>&lt;p&gt;Body{raw}&lt;/p&gt;"
        "</description></item></channel></rss>"
    ).encode()
    parsed = parse_feed(
        document, content_type="application/rss+xml", url="https://blog.example/", now=utcnow()
    )
    (entry,) = parsed.entries
    texts = [parsed.title, entry.key, entry.title, entry.author, entry.content_html]
    texts += [entry.summary_text, *entry.tags]
    assert all(strip_forbidden_chars(text) == text for text in texts), texts
    assert entry.title == "Beta is out"


GOOD_CAMPAIGN = {
    "slug": "lumen-deck",
    "goal": "50000",
    "currency": "EUR",
    "starts_on": "2026-11-01",
    "ends_on": "2026-12-15",
    "platform": "kickstarter",
    "language": "en",
}


def test_form_text_loses_forbidden_characters(client, session):
    owner = make_user(session)
    client.login(owner.email)
    response = client.post(
        "/dashboard/new",
        {**GOOD_CAMPAIGN, "title": "Lumen\x01 Deck", "tagline": "Po\x00cket\x0b synth"},
    )
    assert response.status_code == 303, response.get_data(as_text=True)
    campaign = session.exec(select(Campaign)).one()
    assert (campaign.title, campaign.tagline) == ("Lumen Deck", "Pocket synth")


def test_every_form_strips_its_text_fields():
    import tracker.forms as forms_package

    for module in pkgutil.iter_modules(forms_package.__path__):
        importlib.import_module(f"tracker.forms.{module.name}")
    pending, forms = [FlaskForm], []
    while pending:
        for subclass in pending.pop().__subclasses__():
            pending.append(subclass)
            if subclass.__module__.startswith("tracker."):
                forms.append(subclass)
    assert len(forms) > 15
    assert [form for form in forms if not issubclass(form, TrackerForm)] == []


CAMPAIGN_OPTIONS = ("--goal", "500", "--currency", "EUR", "--owner", "owner@example.com")
CAMPAIGN_OPTIONS += ("--starts", "2026-11-01", "--ends", "2026-12-15")


def test_cli_text_loses_forbidden_characters(app, session):
    make_user(session, email="owner@example.com")
    runner = app.test_cli_runner()
    texts = ("--title", "Syn\x01th", "--tagline", "a\x1fb")
    created = runner.invoke(main, ["campaigns", "create", "synth", *texts, *CAMPAIGN_OPTIONS])
    assert created.exit_code == 0, created.output
    added = runner.invoke(
        main, ["milestones", "add", "synth", "Be\x02ta", "--due", "2027-01-01", "--tag", "be\x03ta"]
    )
    assert added.exit_code == 0, added.output
    campaign = session.exec(select(Campaign)).one()
    milestone = session.exec(select(Milestone)).one()
    assert (campaign.title, campaign.tagline) == ("Synth", "ab")
    assert (milestone.title, milestone.tag) == ("Beta", "beta")


def test_csv_text_loses_forbidden_characters(session):
    campaign = make_campaign(session)
    import_csv(
        session,
        campaign,
        "external_id,amount,currency,pledged_at,tier,status\n"
        "g\x01-1,25.00,EUR,2026-11-03T10:00:00Z,Gold\x01 tier\x0b,collected\n",
    )
    pledge = session.exec(select(Pledge)).one()
    assert (pledge.platform_key, pledge.tier) == ("g-1", "Gold tier")
