"""What moves pledges: per channel and per kind of update, the number of updates and the
median pledges, amount and engagement in the 24 h after them; no ranking from too few."""

import json
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select, update

from tests.factories.feedback import comment
from tests.factories.feeds import make_channel
from tests.factories.reports import import_csv
from tracker.feeds.store import store_entries
from tracker.models import EngagementObservation, Entry, FundingSnapshot, PledgeImport
from tracker.pledges.update_effects import update_effects

NOW = datetime(2026, 11, 30, 12, tzinfo=UTC)
PLEDGES = """external_id,amount,currency,pledged_at,tier,status
a-1,10.00,EUR,2026-11-01T13:00:00Z,Kit,collected
a-2,20.00,EUR,2026-11-01T14:00:00Z,Kit,collected
a-3,50.00,EUR,2026-11-05T20:00:00Z,Kit,collected
a-4,70.00,EUR,2026-11-06T13:00:00Z,Kit,collected
v-1,100.00,EUR,2026-11-12T13:00:00Z,Kit,collected
v-2,100.00,EUR,2026-11-12T14:00:00Z,Kit,collected
v-3,100.00,EUR,2026-11-12T15:00:00Z,Kit,refunded
b-1,5.00,EUR,2026-11-15T15:00:00Z,Kit,collected
"""


def day(n, hour=12):
    return datetime(2026, 11, n, hour, tzinfo=UTC)


def _posts(session, channel, *moments):
    entries = [comment(f"{channel.title} {m:%d %H}", at=m, author="Founder") for m in moments]
    store_entries(session, channel, entries, now=NOW)
    session.commit()
    return session.scalars(
        select(Entry).where(Entry.channel_id == channel.id).order_by(Entry.published_at)
    ).all()


def _import(session, campaign):
    import_csv(session, campaign, PLEDGES)
    session.execute(update(PledgeImport).values(imported_at=NOW - timedelta(hours=1)))
    session.commit()


def _observe(session, entry, after, metric, value):
    observed_at = entry.published_at + after
    session.add(
        EngagementObservation(
            entry_id=entry.id, observed_at=observed_at, metric=metric, value=value
        )
    )
    session.commit()


@pytest.fixture
def seeded(session, campaign):
    _import(session, campaign)
    mastodon = make_channel(
        session, campaign, kind="mastodon", origin="mastodon-profile", title="@synth"
    )
    first, second, _third = _posts(session, mastodon, day(1), day(5), day(9))
    _observe(session, first, timedelta(hours=2), "replies", 2)
    _observe(session, first, timedelta(hours=3), "favourites", 3)
    _observe(session, first, timedelta(days=3), "boosts", 10)  # after its first day
    _observe(session, second, timedelta(hours=1), "replies", 1)
    youtube = make_channel(session, campaign, origin="youtube", title="Synth videos")
    _posts(session, youtube, day(12))
    blog = make_channel(session, campaign, title="Devlog")
    _posts(session, blog, day(15), day(20), day(25), day(29, 22))  # the last: 24 h not over
    return campaign


def test_by_kind_and_by_channel_with_medians_in_the_24_hours_after(session, seeded):
    effects = update_effects(session, seeded, now=NOW)

    assert effects.window_hours == 24 and effects.pending == 1
    rows = {g.key: g for g in effects.by_kind}
    short = rows["short_post"]
    # 2 pledges (€30), 1 (€50; the next day's €70 is too late), 0: medians 1 and €30.
    assert (short.updates, short.median_pledges, short.median_amount_minor) == (3, 1, 3_000)
    # First-day engagement 5 and 1; the third post was never seen counted.
    assert (short.engagement_counted, short.median_engagement) == (2, 3)
    assert short.comparable
    article = rows["article"]
    assert (article.updates, article.median_pledges, article.median_amount_minor) == (3, 0, 0)
    assert (article.engagement_counted, article.median_engagement) == (0, None)
    video = rows["video"]  # the refunded pledge does not count
    assert (video.updates, video.median_pledges, video.median_amount_minor) == (1, 2, 20_000)
    assert not video.comparable
    # Ranked among the comparable by median amount; the one-update kind comes after, unranked.
    assert [g.key for g in effects.by_kind] == ["short_post", "article", "video"]
    assert effects.leader(effects.by_kind).key == "short_post"
    assert [(g.label, g.platform, g.updates) for g in effects.by_channel] == [
        ("@synth", "mastodon", 3),
        ("Devlog", "feed", 3),
        ("Synth videos", "youtube", 1),
    ]


def test_no_leader_from_one_comparable_group(session, campaign):
    _import(session, campaign)
    blog = make_channel(session, campaign, title="Devlog")
    _posts(session, blog, day(1), day(5), day(12))
    effects = update_effects(session, campaign, now=NOW)
    assert effects.leader(effects.by_kind) is None
    assert update_effects(session, campaign, now=day(1)).by_kind == ()


def test_dashboard_table_in_both_languages(client, founder, session, seeded):
    page = " ".join(client.get_text("/dashboard/synth/insights/impact").split())
    assert 'id="what-moves-pledges"' in page
    assert "Short posts" in page and "Videos" in page and "Articles" in page
    assert "too few to compare" in page
    german = client.get_text("/dashboard/synth/insights/impact", headers={"Accept-Language": "de"})
    assert "Kurze Beiträge" in german and "zu wenige zum Vergleich" in german


def test_export_carries_the_same_figures(cli, session, seeded):
    result = cli("export", "synth")
    assert result.exit_code == 0, result.output
    effects = json.loads(result.output)["update_effects"]
    assert effects["window_hours"] == 24 and effects["min_updates_to_compare"] == 3
    short = next(g for g in effects["by_kind"] if g["kind"] == "short_post")
    assert short["updates"] == 3 and short["median_amount_minor"] == 3_000
    assert short["currency"] == "EUR" and short["comparable"] is True
    assert {g["title"] for g in effects["by_channel"]} == {"@synth", "Devlog", "Synth videos"}


def test_updates_after_the_newest_report_are_not_counted(client, founder, session, seeded):
    # The report was imported on Nov 10 at midnight: the 24 h after the Nov 9 post and
    # every later update are not in the ledger yet, so they count as nothing rather than 0.
    session.execute(update(PledgeImport).values(imported_at=day(10, 0)))
    session.commit()
    effects = update_effects(session, seeded, now=NOW)
    assert (effects.uncovered, effects.pending) == (5, 1)
    assert effects.pledges_known_until == day(10, 0)
    assert [(g.key, g.updates) for g in effects.by_kind] == [("short_post", 2)]
    page = " ".join(client.get_text("/dashboard/synth/insights/impact").split())
    assert "5 updates after the newest backer report (imported Nov 10, 2026" in page
    # Pledges a connector polls (Open Collective) keep the ledger current: all count.
    session.execute(update(PledgeImport).values(status="live"))
    session.commit()
    effects = update_effects(session, seeded, now=NOW)
    assert (effects.uncovered, effects.pledges_known_until) == (0, NOW)


def test_no_pledge_data_counts_no_update(session, campaign):
    blog = make_channel(session, campaign, title="Devlog")
    _posts(session, blog, day(1), day(5), day(12))
    effects = update_effects(session, campaign, now=NOW)
    assert (effects.by_kind, effects.uncovered, effects.pledges_known_until) == ((), 3, None)


def _totals(session, campaign, *points, source="kickstarter"):
    for at, backers, amount_minor in points:
        session.add(
            FundingSnapshot(
                campaign_id=campaign.id,
                taken_at=at,
                backers=backers,
                amount_minor=amount_minor,
                source=source,
            )
        )
    session.commit()


@pytest.fixture
def live_only(session, campaign):
    mastodon = make_channel(
        session, campaign, kind="mastodon", origin="mastodon-profile", title="@synth"
    )
    _posts(session, mastodon, day(1), day(5), day(9))
    _totals(
        session,
        campaign,
        (day(1, 10), 0, 0),  # 2 h before the first post
        (day(2, 14), 4, 4_000),  # 2 h after its 24 h
        (day(5, 12), 3, 5_000),  # at the second post
        (day(6, 17), 5, 12_000),  # 5 h after its 24 h
        (day(9, 7), 8, 20_000),  # 5 h before the third
        (day(10, 19), 9, 25_000),  # 7 h after its 24 h: too far to say
    )
    # A script's pushed total beside the platform's is never mixed with it.
    _totals(session, campaign, (day(10, 13), 1, 1), source="api")
    return campaign


def test_without_a_ledger_recorded_totals_count(session, live_only):
    effects = update_effects(session, live_only, now=NOW)
    assert (effects.uncovered, effects.from_totals, effects.totals_slack_hours) == (1, 2, 6)
    (short,) = effects.by_kind
    # Changes of 4 backers and €40, then 2 and €70: medians 3 and €55.
    assert (short.updates, short.from_totals) == (2, 2)
    assert (short.median_pledges, short.median_amount_minor) == (3, 5_500)
    assert not short.comparable


def test_the_ledger_is_preferred_where_it_covers(session, live_only):
    # The report (imported Nov 4) covers the first post's 24 h: its €10 and €20, not the
    # totals' €30 change over a longer window; the second post is read off the totals.
    import_csv(session, live_only, PLEDGES)
    session.execute(update(PledgeImport).values(imported_at=day(4, 0)))
    session.commit()
    effects = update_effects(session, live_only, now=NOW)
    (short,) = effects.by_kind
    assert (short.updates, short.from_totals, effects.uncovered) == (2, 1, 1)
    assert (short.median_pledges, short.median_amount_minor) == (2, 5_000)


def test_totals_are_labelled_on_the_page_and_in_the_export(client, founder, cli, live_only):
    page = " ".join(client.get_text("/dashboard/synth/insights/impact").split())
    assert "2 updates are counted from recorded totals" in page
    assert "within 6 hours" in page and "1 update is covered neither" in page
    assert "2 of them from totals" in page
    german = " ".join(
        client.get_text(
            "/dashboard/synth/insights/impact", headers={"Accept-Language": "de"}
        ).split()
    )
    assert "2 Updates sind aus aufgezeichneten Gesamtständen gezählt" in german
    result = cli("export", "synth")
    assert result.exit_code == 0, result.output
    effects = json.loads(result.output)["update_effects"]
    assert (effects["updates_from_totals"], effects["totals_slack_hours"]) == (2, 6)
    assert effects["updates_after_the_ledger"] == 1
    assert effects["by_kind"][0]["updates_from_totals"] == 2
