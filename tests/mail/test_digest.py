"""The backers' weekly digest: the week's updates and milestone changes to the confirmed
subscribers who chose it, each in their language with their own unsubscribe link; once per
week; nothing when nothing happened. A real SMTP server receives them (#15)."""

from datetime import UTC, date, datetime, timedelta

from sqlmodel import select

from tests.factories import make_milestone
from tests.factories.feeds import make_channel
from tests.factories.reports import update_entry
from tests.worker import run_jobs
from tracker.campaigns.milestones import change_milestone
from tracker.feeds.poller import receive_entries
from tracker.jobs.digests import digest_composer
from tracker.mail.digest import queue_digests
from tracker.models import Actor, MailRound, Subscriber

MONDAY = datetime(2026, 11, 23, 9, tzinfo=UTC)  # the week before: Nov 16 to 22


LONG_AGO = datetime(2026, 10, 1, tzinfo=UTC)


def _subscribe(session, campaign, address, *, receives="digest", state="confirmed", **values):
    if state == "confirmed":
        values.setdefault("confirmed_at", LONG_AGO)
    subscriber = Subscriber(
        campaign_id=campaign.id,
        address=address,
        language=values.pop("language", "en"),
        receives=receives,
        state=state,
        **values,
    )
    session.add(subscriber)
    session.commit()
    return subscriber


def _news(session, campaign):
    updates = make_channel(session, campaign, role="updates")
    receive_entries(
        session,
        updates,
        [
            update_entry("beta", "Beta build is out", date(2026, 11, 18)),
            update_entry("old", "Last week's news", date(2026, 11, 12)),  # the week before
        ],
        now=datetime(2026, 11, 18, 13, tzinfo=UTC),
    )
    milestone = make_milestone(session, campaign, title="Beta")
    change_milestone(
        session,
        milestone,
        actor=Actor(label="t"),
        status="done",
        now=datetime(2026, 11, 20, tzinfo=UTC),
    )
    session.commit()


def _queue(app, session, now):
    with app.app_context():
        count = queue_digests(session, now=now, compose=digest_composer())
    session.commit()
    return count


def test_the_digest_goes_to_confirmed_readers_once(app, session, smtp_sink, campaign):
    app.config.update(SMTP_URL=smtp_sink.url, MAIL_FROM="Synth <news@synth.example>")
    _subscribe(session, campaign, "digest@example.com")
    _subscribe(session, campaign, "beide@example.com", receives="both", language="de")
    _subscribe(session, campaign, "reports@example.com", receives="reports")
    _subscribe(session, campaign, "pending@example.com", state="pending")
    _subscribe(session, campaign, "gone@example.com", bounced_at=MONDAY - timedelta(days=3))
    _news(session, campaign)

    assert _queue(app, session, MONDAY) == 2
    assert _queue(app, session, MONDAY + timedelta(hours=3)) == 0  # this week's is sent
    run_jobs(app)

    messages = {message["To"]: message for message in smtp_sink.messages}
    assert sorted(messages) == ["beide@example.com", "digest@example.com"]
    english, german = messages["digest@example.com"], messages["beide@example.com"]
    assert english["Subject"] == f"{campaign.title}: the news of the week"
    assert german["Subject"] == f"{campaign.title}: die Neuigkeiten der Woche"
    text = english.get_body(("plain",)).get_content()
    assert "Nov 16, 2026 \u2013 Nov 22, 2026" in text
    assert "- Nov 18, 2026: Beta build is out (https://blog.example/beta)" in text
    assert "- Nov 20, 2026: “Beta” is now Done" in text  # the status as the roadmap names it
    assert "Last week's news" not in text
    assert "http://localhost/c/synth" in text
    assert (
        '<a href="https://blog.example/beta">Beta build is out</a>'
        in english.get_body(("html",)).get_content()
    )
    german_text = german.get_body(("plain",)).get_content()
    assert "„Beta“ ist jetzt" in german_text and "Beta build is out" in german_text
    # Each reader's own one-click unsubscribe link, in the header and in the text.
    links = {to: m["List-Unsubscribe"].strip("<>") for to, m in messages.items()}
    assert links["digest@example.com"] != links["beide@example.com"]
    assert links["digest@example.com"] in text
    assert all("unsubscribe.invalid" not in m.as_string() for m in messages.values())
    [round_] = session.exec(select(MailRound)).all()
    assert (round_.kind, round_.period, round_.messages) == ("digest", "2026-W47", 2)


def test_a_week_without_news_sends_nothing(app, session, smtp_sink, campaign):
    app.config.update(SMTP_URL=smtp_sink.url)
    _subscribe(session, campaign, "digest@example.com")
    assert _queue(app, session, MONDAY) == 0
    run_jobs(app)
    assert smtp_sink.messages == []
    assert session.exec(select(MailRound)).all() == []


def test_a_digest_covers_only_weeks_the_reader_was_subscribed_for(
    app, session, smtp_sink, campaign
):
    app.config.update(SMTP_URL=smtp_sink.url)
    _subscribe(session, campaign, "early@example.com", confirmed_at=MONDAY - timedelta(days=8))
    # Confirmed on the Wednesday of the week: its digest is not theirs, the next one is.
    _subscribe(
        session, campaign, "late@example.com", confirmed_at=datetime(2026, 11, 18, tzinfo=UTC)
    )
    _news(session, campaign)
    assert _queue(app, session, MONDAY) == 1
    run_jobs(app)
    assert [message["To"] for message in smtp_sink.messages] == ["early@example.com"]


def test_a_weeks_digest_is_not_sent_days_late(app, session, smtp_sink, campaign):
    # The first run after a deploy (or a worker down since the weekend) on a Thursday
    # does not send the week before last Monday: it is no news any more.
    app.config.update(SMTP_URL=smtp_sink.url)
    _subscribe(session, campaign, "digest@example.com")
    _news(session, campaign)
    assert _queue(app, session, MONDAY + timedelta(days=3)) == 0
    assert _queue(app, session, MONDAY + timedelta(hours=12)) == 1  # the day after the week
