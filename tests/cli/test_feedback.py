"""`tracker feedback rescore` and `tracker feedback alerts` (exit 0 calm, 1 alert, 2 bad input)."""

from datetime import timedelta

from sqlalchemy import select, update

from tests.factories import make_campaign
from tests.factories.feedback import comment, make_feedback_channel, post_comments
from tracker.feedback.scoring import RULES_VERSION
from tracker.models import Feedback, utcnow

ANGRY = [
    "This is a scam, I want my money back.",
    "Worst campaign I ever backed, terrible communication.",
    "Unacceptable. Where is my refund?",
    "You lied to us about the shipping date, disgusting.",
    "Awful quality, I regret backing this.",
    "Ridiculous. Nobody answers our emails.",
]


def test_rescore_only_touches_older_rules_unless_all(cli, session):
    campaign = make_campaign(session)
    channel = make_feedback_channel(session, campaign)
    post_comments(session, channel, [comment("When do surveys go out?"), comment("Great!")])
    session.execute(update(Feedback).values(rules_version=0, category="other"))
    session.commit()
    result = cli("feedback", "rescore", campaign.slug)
    assert result.exit_code == 0, result.output
    assert (
        result.output.strip()
        .splitlines()[-1]
        .startswith(f"rescored 2 comments with rules v{RULES_VERSION}, 0 already current")
    )
    session.expire_all()
    assert {f.rules_version for f in session.scalars(select(Feedback))} == {RULES_VERSION}
    assert "question" in {f.category for f in session.scalars(select(Feedback))}
    assert "rescored 0 comments" in cli("feedback", "rescore").output
    assert "rescored 2 comments" in cli("feedback", "rescore", "--all").output
    missing = cli("feedback", "rescore", "no-such-campaign")
    assert missing.exit_code == 1 and "not found" in missing.output


def test_alerts_exit_status_tells_cron_what_happened(cli, session):
    campaign = make_campaign(session)
    channel = make_feedback_channel(session, campaign)
    now = utcnow()
    post_comments(session, channel, [comment("Love it!", at=now - timedelta(hours=2))], now=now)
    calm = cli("feedback", "alerts", campaign.slug)
    assert calm.exit_code == 0 and "calm" in calm.output
    assert cli("feedback", "alerts", campaign.slug, "--quiet").output == ""

    storm = [
        comment(text, at=now - timedelta(hours=1 + i), author=f"@angry{i}")
        for i, text in enumerate(ANGRY)
    ]
    post_comments(session, channel, storm, now=now)
    alert = cli("feedback", "alerts", campaign.slug)
    assert alert.exit_code == 1, alert.output
    first, *entries = alert.output.strip().splitlines()
    assert first.startswith(f"ALERT {campaign.slug}: 6 negative comments in 24 h")
    assert len(entries) == 6 and "https://social.example/" in entries[0]

    bad = cli("feedback", "alerts", "no-such-campaign")
    assert bad.exit_code == 2 and "not found" in bad.output
