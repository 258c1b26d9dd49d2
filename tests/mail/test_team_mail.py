"""Team members opt in to e-mails about their campaign: the storm-of-criticism alert, once
per storm, and a weekly summary, once per week; a real SMTP server receives them (#15)."""

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlmodel import select

from tests.factories import make_milestone, make_user
from tests.factories.feedback import comment, make_feedback_channel, post_comments
from tests.factories.feeds import make_channel
from tests.factories.reports import import_csv
from tests.worker import run_jobs
from tracker.campaigns.invitations import accept_invitation, invite_editor
from tracker.campaigns.milestones import change_milestone
from tracker.feeds.poller import receive_entries
from tracker.mail.team import queue_storm_alerts, queue_weekly_summaries
from tracker.models import Actor, CampaignMember, FundingSnapshot, MailRound
from tracker.views.team_letters import alert_letter, summary_letter

ANGRY = "This is a scam, I want my money back. Terrible, dishonest team."
STORM = datetime(2026, 11, 20, 12, tzinfo=UTC)
MONDAY = datetime(2026, 11, 23, 9, tzinfo=UTC)  # the week before: Nov 16 to 22


@pytest.fixture
def mail(app, smtp_sink):
    app.config.update(SMTP_URL=smtp_sink.url, MAIL_FROM="Tracker <tracker@tracker.example>")
    return smtp_sink


def _member(session, campaign, user_id) -> CampaignMember:
    session.expire_all()
    return session.get(CampaignMember, (campaign.id, user_id))


def _opt_in(session, campaign, user, **choices):
    member = _member(session, campaign, user.id)
    for name, value in choices.items():
        setattr(member, name, value)
    session.add(member)
    session.commit()


def _editor(session, campaign, owner):
    editor = make_user(session, email="editor@example.com")
    invitation = invite_editor(session, campaign, email=editor.email, invited_by=owner.id)
    accept_invitation(session, invitation.id, user_id=editor.id)
    session.commit()
    return editor


def _start_schedule(session, *, now=MONDAY - timedelta(days=7)):
    # The first look starts the schedule (see the test below): the week after is the first.
    assert queue_weekly_summaries(session, now=now, compose=summary_letter) == 0
    session.commit()


def _body(message, part="plain") -> str:
    return message.get_body((part,)).get_content()


def test_members_choose_what_they_get_by_email(client, session, founder, campaign):
    page = client.get_text("/dashboard/synth/team")
    assert "Alert me when a storm of criticism starts" in page and 'id="mail"' in page
    saved = client.post("/dashboard/synth/team/mail", {"alerts": "y"})
    assert saved.status_code == 303 and saved.headers["Location"].endswith("/team#mail")
    member = _member(session, campaign, founder.id)
    assert (member.mail_alerts, member.mail_summary) == (True, False)
    assert client.post("/dashboard/synth/team/mail", {"summary": "y"}).status_code == 303
    member = _member(session, campaign, founder.id)
    assert (member.mail_alerts, member.mail_summary) == (False, True)
    no_token = client.raw.post("/dashboard/synth/team/mail", data={"alerts": "y"})
    assert no_token.status_code == 400
    assert client.post("/dashboard/other/team/mail", {"alerts": "y"}).status_code == 404


def test_a_storm_is_mailed_once_to_the_members_who_asked(app, session, mail, campaign, owner):
    _editor(session, campaign, owner)  # not opted in: gets nothing
    _opt_in(session, campaign, owner, mail_alerts=True)
    channel = make_feedback_channel(session, campaign, title="Mastodon")
    angry = [
        comment(f"{ANGRY} #{i}", at=STORM - timedelta(minutes=10 * i), author=f"@a{i}")
        for i in range(8)
    ]
    post_comments(session, channel, angry, now=STORM)

    with app.app_context():
        assert queue_storm_alerts(session, now=STORM, compose=alert_letter) == 1
        session.commit()
        # The storm goes on: no second e-mail within 24 hours of the first.
        assert (
            queue_storm_alerts(session, now=STORM + timedelta(hours=5), compose=alert_letter) == 0
        )
    session.commit()
    run_jobs(app)

    [message] = mail.messages
    assert message["To"] == "founder@example.com"
    assert message["Subject"] == (
        f"Storm of criticism on {campaign.title}: 8 negative comments in 24 hours"
    )
    text = _body(message)
    assert f"@a0 (Mastodon): {ANGRY} #0" in text
    assert "http://localhost/dashboard/synth/feedback/" in text
    assert "http://localhost/dashboard/synth/team" in text  # where to change it
    assert f"{ANGRY} #7" in _body(message, "html")
    assert message["List-Unsubscribe"] is None  # a team setting, not a subscription
    [round_] = session.exec(select(MailRound)).all()
    assert (round_.kind, round_.messages) == ("alert", 1)


def test_no_storm_no_alert(app, session, mail, campaign, owner):
    _opt_in(session, campaign, owner, mail_alerts=True)
    channel = make_feedback_channel(session, campaign)
    post_comments(session, channel, [comment(ANGRY, at=STORM)], now=STORM)  # one is no storm
    with app.app_context():
        assert queue_storm_alerts(session, now=STORM, compose=alert_letter) == 0


def test_the_weekly_summary_tells_the_week_once(app, session, mail, campaign, owner):
    editor = _editor(session, campaign, owner)
    _opt_in(session, campaign, editor, mail_summary=True)
    updates = make_channel(session, campaign, role="updates")
    from tests.factories.reports import update_entry

    receive_entries(
        session,
        updates,
        [update_entry("beta", "Beta build is out", date(2026, 11, 18))],
        now=datetime(2026, 11, 18, 13, tzinfo=UTC),
    )
    milestone = make_milestone(session, campaign, title="Beta", due_on=date(2027, 2, 1))
    change_milestone(
        session,
        milestone,
        actor=Actor(label="t"),
        due_on=date(2027, 3, 1),
        reason="Windows MIDI",
        now=datetime(2026, 11, 19, 10, tzinfo=UTC),
    )
    session.commit()

    with app.app_context():
        _start_schedule(session)
        assert queue_weekly_summaries(session, now=MONDAY, compose=summary_letter) == 1
        session.commit()
        again = MONDAY + timedelta(hours=5)
        assert queue_weekly_summaries(session, now=again, compose=summary_letter) == 0
    session.commit()
    run_jobs(app)

    [message] = mail.messages
    assert message["To"] == "editor@example.com"
    assert message["Subject"] == f"{campaign.title}: your week"
    text = _body(message)
    assert "Nov 16, 2026 \u2013 Nov 22, 2026" in text  # an en dash
    assert "- Nov 18, 2026: Beta build is out (https://blog.example/beta)" in text
    assert "“Beta” moved from Feb 1, 2027 to Mar 1, 2027 (Windows MIDI)" in text
    assert "0 comments, 0 of them negative." in text
    assert "Pledged so far: €0.00 of €50,000.00." in text


def test_a_quiet_week_says_so_in_the_campaigns_language(app, session, mail, owner):
    from tests.factories import make_campaign

    campaign = make_campaign(session, owner=owner, slug="leise", language="de")
    _opt_in(session, campaign, owner, mail_summary=True)
    with app.app_context():
        _start_schedule(session)
        assert queue_weekly_summaries(session, now=MONDAY, compose=summary_letter) == 1
    session.commit()
    run_jobs(app)
    [message] = mail.messages
    assert message["Subject"] == f"{campaign.title}: deine Woche"
    assert "Kein Update und keine Änderung an Meilensteinen" in _body(message)


def _summary_text(app, session, mail, campaign, owner) -> str:
    _opt_in(session, campaign, owner, mail_summary=True)
    with app.app_context():
        _start_schedule(session)
        assert queue_weekly_summaries(session, now=MONDAY, compose=summary_letter) == 1
    session.commit()
    run_jobs(app)
    [message] = mail.messages
    return _body(message)


def test_the_summary_tells_the_weeks_funding_change_from_the_backer_report(
    app, session, mail, campaign, owner
):
    rows = ["external_id,amount,currency,pledged_at,tier,status"]
    for n, (day, euros) in enumerate([(10, 100), (17, 250), (18, 40), (21, 60), (24, 999)]):
        rows.append(f"p-{n},{euros}.00,EUR,2026-11-{day}T10:00:00Z,Kit,collected")
    import_csv(session, campaign, "\n".join(rows) + "\n")

    text = _summary_text(app, session, mail, campaign, owner)
    # Nov 17, 18 and 21 fall in the week (Nov 16-22); Nov 10 before it, Nov 24 after it.
    assert "Funding this week: +€350.00, +3 backers (from the backer report)." in text


def test_the_summary_tells_the_weeks_live_funding_change_in_german(app, session, mail, owner):
    from tests.factories import make_campaign

    campaign = make_campaign(session, owner=owner, slug="live", language="de")
    for taken_at, amount, backers in [
        (datetime(2026, 11, 14, 9, tzinfo=UTC), 1_000_000, 10),
        (datetime(2026, 11, 19, 9, tzinfo=UTC), 1_200_000, 13),
        (datetime(2026, 11, 22, 20, tzinfo=UTC), 1_150_000, 12),  # a refund on Sunday
    ]:
        session.add(
            FundingSnapshot(
                campaign_id=campaign.id, taken_at=taken_at, amount_minor=amount,
                backers=backers, source="kickstarter",
            )
        )  # fmt: skip
    session.commit()

    text = _summary_text(app, session, mail, campaign, owner)
    assert "Finanzierung diese Woche: +1.500,00\xa0€, +2 Unterstützer (Live-Zahlen)." in text


def test_the_first_look_starts_the_summaries_and_a_late_week_is_not_sent(
    app, session, mail, campaign, owner
):
    # Opted in (or the feature deployed) on a Thursday: last week's summary is not sent
    # then; the schedule starts, and the first summary tells the week that follows.
    _opt_in(session, campaign, owner, mail_summary=True)
    thursday = MONDAY + timedelta(days=3)
    with app.app_context():
        assert queue_weekly_summaries(session, now=thursday, compose=summary_letter) == 0
        session.commit()
        next_monday = MONDAY + timedelta(days=7)
        assert queue_weekly_summaries(session, now=next_monday, compose=summary_letter) == 1
        session.commit()
        # A worker down from then until the Wednesday after: that week is not sent late.
        late = MONDAY + timedelta(days=16)
        assert queue_weekly_summaries(session, now=late, compose=summary_letter) == 0
    session.commit()
    run_jobs(app)
    [message] = mail.messages
    assert "Nov 23, 2026 \u2013 Nov 29, 2026" in _body(message)
