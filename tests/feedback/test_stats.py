"""Sentiment per day, share of voice, top voices and the public figures."""

from dataclasses import fields
from datetime import date, timedelta

from sqlalchemy import select

from tests.factories import make_campaign
from tests.factories.feedback import NOW, comment, make_feedback_channel, post_comments
from tracker.feedback.public_figures import AnsweredQuestion, public_feedback
from tracker.feedback.replies import set_note, set_state
from tracker.feedback.stats import channel_volume, daily_sentiment, top_voices
from tracker.models import Feedback

YESTERDAY = NOW - timedelta(days=1)


def _seed(session):
    campaign = make_campaign(session)
    mastodon = make_feedback_channel(session, campaign, title="Mastodon")
    lemmy = make_feedback_channel(session, campaign, title="Lemmy")
    post_comments(
        session,
        mastodon,
        [
            comment("Love the new trailer, great work!", author="@ana", at=YESTERDAY),
            comment("When do surveys go out?", author="@ana"),
            comment("Where is my refund? This is a scam.", author="@bo"),
        ],
    )
    post_comments(
        session,
        lemmy,
        [
            comment("Is there a solo mode?", author="cy", engagement={"points": 40}),
            comment("Beautiful art", author="cy", engagement={"points": 3, "comments": 2}),
        ],
    )
    # A later poll saw the points change: only the latest observation counts.
    post_comments(
        session,
        lemmy,
        [comment("Is there a solo mode?", author="cy", engagement={"points": 55})],
        now=NOW + timedelta(hours=1),
    )
    return campaign


def test_daily_sentiment_counts_each_label_per_day(session):
    campaign = _seed(session)
    days = daily_sentiment(session, campaign)
    assert [d.day for d in days] == [YESTERDAY.date(), NOW.date()]
    assert (days[0].positive, days[0].total) == (1, 1)
    assert days[1].total == 4 and days[1].negative >= 1
    assert -1 <= days[1].average <= 1


def test_share_of_voice_per_channel(session):
    campaign = _seed(session)
    volume = channel_volume(session, campaign)
    assert [(v.title, v.count) for v in volume] == [("Mastodon", 3), ("Lemmy", 2)]
    assert abs(sum(v.share for v in volume) - 1) < 1e-9


def test_top_voices_by_posts_and_by_latest_engagement(session):
    campaign = _seed(session)
    by_posts = top_voices(session, campaign)
    assert [(v.author, v.posts) for v in by_posts][:2] in (
        [("@ana", 2), ("cy", 2)],
        [("cy", 2), ("@ana", 2)],
    )
    by_engagement = top_voices(session, campaign, by="engagement")
    assert [(v.author, v.engagement, v.measured_posts) for v in by_engagement] == [("cy", 60, 2)]
    assert by_posts[0].last_posted_at.tzinfo is not None


def test_public_figures_show_only_answered_questions_and_no_notes(session):
    campaign = _seed(session)
    rows = {f.entry_id: f for f in session.scalars(select(Feedback))}
    questions = [f for f in rows.values() if f.category == "question"]
    assert len(questions) == 2
    answered, waiting = questions
    set_state(session, answered, "answered")
    set_note(session, answered, "SECRET-NOTE")
    set_state(session, waiting, "needs_reply")
    session.commit()

    figures = public_feedback(session, campaign)
    assert (figures.volume, figures.questions, figures.questions_answered) == (5, 2, 1)
    assert figures.answered_share == 0.5
    (shown,) = figures.answered_questions
    assert shown.link.startswith("https://") and shown.text
    # What a public page may show: the author's post and the team's public answer.
    assert {f.name for f in fields(AnsweredQuestion)} == {
        "text",
        "link",
        "author",
        "published_at",
        "language",
        "answer_text",
        "answer_url",
    }
    assert "SECRET-NOTE" not in repr(figures) and "needs_reply" not in repr(figures)
    assert figures.trend[0].day == date(2026, 11, 19)


def test_daily_sentiment_counts_the_campaigns_local_days(session):
    campaign = make_campaign(session, timezone="Europe/Berlin")
    channel = make_feedback_channel(session, campaign, title="Mastodon")
    late = NOW.replace(hour=23, minute=30)  # 00:30 the next day in Berlin
    post_comments(
        session,
        channel,
        [comment("Love it", at=NOW), comment("Great work", at=late)],
        now=late,
    )
    days = daily_sentiment(session, campaign)
    assert [(d.day, d.total) for d in days] == [
        (NOW.date(), 1),
        (NOW.date() + timedelta(days=1), 1),
    ]


def test_a_zone_a_quarter_hour_off_splits_its_days_at_its_own_midnight(session):
    campaign = make_campaign(session, timezone="Asia/Kathmandu")  # UTC+05:45
    channel = make_feedback_channel(session, campaign, title="Mastodon")
    before, after = NOW.replace(hour=18, minute=14), NOW.replace(hour=18, minute=16)
    post_comments(session, channel, [comment("Nice", at=before), comment("Neat", at=after)])
    days = daily_sentiment(session, campaign)
    assert [(d.day, d.total) for d in days] == [
        (NOW.date(), 1),
        (NOW.date() + timedelta(days=1), 1),
    ]
