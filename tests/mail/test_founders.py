"""Founders see counts, never addresses: the subscribers page, the delivery log (masked for
the owner, without addresses for editors), a test to themselves, erasure by typing the
address; `tracker subscribers` and the export give counts only."""

import json

from sqlmodel import select

from tests.factories import make_user
from tests.worker import run_jobs
from tracker.mail.messages import Letter
from tracker.mail.outbox import queue_letter
from tracker.models import CampaignMember, Subscriber

PAGE = "/dashboard/synth/subscribers/"


def _add(session, campaign, address, state="confirmed", language="en"):
    session.add(
        Subscriber(
            campaign_id=campaign.id, address=address, language=language, receives="both",
            state=state,
        )
    )  # fmt: skip
    session.commit()


def _subscribers(session, campaign):
    return [
        (s.campaign_id, s.address)
        for s in session.exec(select(Subscriber).order_by(Subscriber.id)).all()
    ]


def test_the_page_counts_and_the_log_masks_addresses_for_the_owner_only(
    app, client, session, founder, campaign, smtp_sink
):
    app.config["SMTP_URL"] = smtp_sink.url
    _add(session, campaign, "alice.backer@example.com")
    _add(session, campaign, "bernd@example.de", language="de")
    _add(session, campaign, "carol@example.com", state="pending")
    smtp_sink.refuse("bernd@example.de")
    for address in ("alice.backer@example.com", "bernd@example.de"):
        letter = Letter(subject="News", text="News.")
        queue_letter(
            session, recipient=address, kind="news", letter=letter, campaign_id=campaign.id
        )
    session.commit()
    run_jobs(app)

    dashboard = client.get_text("/dashboard/synth/")
    assert "2 e-mail subscribers" in dashboard
    page = client.get_text(PAGE)
    assert "<td>1</td><td>1</td>" in page  # confirmed: one English, one German
    assert "Sent: 1" in page and "bounced: 1" in page
    assert "a***@example.com" in page and "b***@example.de" in page
    for address in ("alice.backer@example.com", "bernd@example.de", "carol@example.com"):
        assert address not in page

    editor = make_user(session, email="editor@example.com")
    session.add(CampaignMember(campaign_id=campaign.id, user_id=editor.id, role="editor"))
    session.commit()
    client.logout()
    client.login("editor@example.com")
    as_editor = client.get_text(PAGE)
    assert "Sent: 1" in as_editor and "***@" not in as_editor and "@example.de" not in as_editor


def test_send_a_test_to_me_reaches_the_founders_own_address(
    app, client, session, founder, campaign, smtp_sink
):
    app.config["SMTP_URL"] = smtp_sink.url
    sent = client.post(f"{PAGE}test")
    assert sent.status_code == 303
    run_jobs(app)
    (message,) = smtp_sink.messages
    assert message["To"] == founder.email
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message.get_body(("html",)) is not None
    link = message["List-Unsubscribe"].strip("<>").removeprefix("http://localhost")
    assert client.raw.post(link).status_code == 200  # unsubscribes nobody
    assert "test" in client.get_text(PAGE)


def test_an_address_is_deleted_by_typing_it_with_one_answer_either_way(
    client, session, founder, campaign
):
    _add(session, campaign, "gone@example.com")
    _add(session, campaign, "stays@example.com")
    deleted = client.post(f"{PAGE}delete", {"address": "Gone@Example.com"})
    unknown = client.post(f"{PAGE}delete", {"address": "never@example.com"})
    assert deleted.status_code == unknown.status_code == 303
    first = client.get_text(PAGE)
    assert "not among the subscribers any more" in first
    assert [a for _, a in _subscribers(session, campaign)] == ["stays@example.com"]
    bad = client.post(f"{PAGE}delete", {"address": "not an address"})
    assert bad.status_code == 400


def test_other_founders_get_404(client, session, campaign):
    make_user(session, email="stranger@example.com")
    client.login("stranger@example.com")
    assert client.get(PAGE).status_code == 404
    assert client.post(f"{PAGE}test").status_code == 404


def test_tracker_subscribers_prints_counts_never_addresses(cli, session, campaign):
    _add(session, campaign, "alice@example.com")
    _add(session, campaign, "bernd@example.de", language="de")
    _add(session, campaign, "carol@example.com", state="pending")
    text = cli("subscribers", "synth")
    assert text.exit_code == 0, text.output
    assert text.output.splitlines() == ["pending: 1 (en 1, de 0)", "confirmed: 2 (en 1, de 1)"]
    as_json = cli("subscribers", "synth", "--json")
    assert json.loads(as_json.output) == {
        "campaign": "synth",
        "confirmed": {"en": 1, "de": 1},
        "pending": {"en": 1, "de": 0},
    }
    assert "@" not in text.output + as_json.output.replace('"campaign"', "")
    missing = cli("subscribers", "nope")
    assert missing.exit_code != 0 and "not found: campaign 'nope'" in missing.output


def test_the_export_counts_subscribers_and_holds_no_address(cli, session, campaign):
    _add(session, campaign, "alice@example.com")
    result = cli("export", "synth")
    assert result.exit_code == 0, result.output
    assert "alice@example.com" not in result.output
    assert json.loads(result.output)["subscribers"]["confirmed"] == {"en": 1, "de": 0}
