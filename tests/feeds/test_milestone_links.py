"""Own updates linked to milestones: tags and titles, by hand, remembered unlinks, relinks."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from tests.factories import make_campaign, make_milestone
from tests.factories.feeds import make_channel
from tracker.campaigns.milestones import MilestoneInput, update_milestone
from tracker.errors import NotFound
from tracker.feeds.milestone_links import (
    link_by_hand,
    match_kind,
    relink_campaign,
    relink_milestone,
    unlink_by_hand,
    updates_by_milestone,
)
from tracker.feeds.parsing import FeedEntry
from tracker.feeds.store import store_entries
from tracker.models import Actor, EntryMilestone, Milestone

DAY = datetime(2026, 11, 20, 12, tzinfo=UTC)


def _entry(key, title, text="", *, days_ago=0, tags=()):
    return FeedEntry(
        key=key,
        title=title,
        link=None,
        author=None,
        content_html=f"<p>{text}</p>",
        summary_text=text,
        published_at=DAY - timedelta(days=days_ago),
        published_guessed=False,
        engagement={},
        tags=tuple(tags),
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The #beta is out", "tag"),
        ("the #BETA is out", "tag"),
        ("#beta.", "tag"),
        ("#beta2 is something else", None),
        ("a#beta is not a hashtag", None),
        ("##beta is not either", None),
        ("see beta notes", None),
        ("Our firmware beta for backers ships", "title"),
        ("FIRMWARE  BETA for Backers", "title"),
        ("firmware betas for backers", None),
        ("firmware beta", None),
    ],
)
def test_match_kind_tag_and_title(text, expected):
    milestone = Milestone(title="Firmware beta for backers", tag="beta")
    assert match_kind(milestone, text=text) == expected


def test_feed_categories_count_as_tags():
    milestone = Milestone(title="Launch", tag="launch")
    assert match_kind(milestone, text="nothing here", tags=["Launch"]) == "tag"


def test_updates_by_milestone_newest_first_and_public_only(session):
    campaign = make_campaign(session)
    beta = make_milestone(session, campaign, title="Beta", tag="beta")
    hidden = make_milestone(session, campaign, title="Secret case", tag="case", is_public=False)
    updates = make_channel(session, campaign)
    feedback = make_channel(session, campaign, role="feedback")
    store_entries(
        session,
        updates,
        [
            _entry("a", "Old #beta news", days_ago=5),
            _entry("b", "New #beta news", days_ago=1),
            _entry("c", "The secret case", "#case"),
            _entry("d", "Nothing"),
        ],
        now=DAY,
    )
    store_entries(session, feedback, [_entry("e", "Love the #beta")], now=DAY)
    session.commit()

    public = updates_by_milestone(session, campaign)
    assert [e.title for e in public[beta.id]] == ["New #beta news", "Old #beta news"]
    assert hidden.id not in public
    everything = updates_by_milestone(session, campaign, public_only=False)
    assert [e.title for e in everything[hidden.id]] == ["The secret case"]


def test_unlink_is_remembered_and_link_by_hand_undoes_it(session):
    campaign = make_campaign(session)
    beta = make_milestone(session, campaign, title="Beta", tag="beta")
    channel = make_channel(session, campaign)
    new = store_entries(session, channel, [_entry("a", "#beta")], now=DAY).new_ids
    entry_id = new[0]

    unlink_by_hand(session, campaign, entry_id=entry_id, milestone_id=beta.id)
    relink_campaign(session, campaign)
    relink_milestone(session, beta)
    session.commit()
    assert updates_by_milestone(session, campaign) == {}

    link_by_hand(session, campaign, entry_id=entry_id, milestone_id=beta.id)
    session.commit()
    link = session.get(EntryMilestone, (entry_id, beta.id))
    assert (link.how, link.unlinked_at) == ("manual", None)
    assert list(updates_by_milestone(session, campaign)) == [beta.id]


def test_tag_change_relinks_and_keeps_manual_links(session):
    campaign = make_campaign(session)
    milestone = make_milestone(session, campaign, title="Public beta", tag="beta")
    other = make_milestone(session, campaign, title="Case", tag="case")
    channel = make_channel(session, campaign)
    ids = store_entries(
        session, channel, [_entry("a", "#beta build"), _entry("b", "#firmware build")], now=DAY
    ).new_ids
    link_by_hand(session, campaign, entry_id=ids[1], milestone_id=other.id)
    update_milestone(
        session,
        milestone,
        MilestoneInput(title="Public beta", tag="firmware", due_on=milestone.due_on),
        actor=Actor(label="test"),
    )
    relink_milestone(session, milestone)
    session.commit()
    links = {
        (link.entry_id, link.milestone_id, link.how)
        for link in session.scalars(
            select(EntryMilestone).where(EntryMilestone.unlinked_at.is_(None))
        )
    }
    assert links == {(ids[1], milestone.id, "tag"), (ids[1], other.id, "manual")}


def test_a_new_milestone_links_the_updates_that_already_mention_it(
    client, session, founder, campaign
):
    channel = make_channel(session, campaign)
    store_entries(session, channel, [_entry("a", "Our Firmware Beta is out")], now=DAY)
    session.commit()
    response = client.post(
        "/dashboard/synth/milestones/new",
        {"title": "Firmware beta", "due_on": "2027-02-01", "status": "planned"},
    )
    assert response.status_code == 303
    assert [link.how for link in session.scalars(select(EntryMilestone))] == ["title"]


def test_links_across_campaigns_are_refused(session):
    mine, theirs = make_campaign(session), make_campaign(session)
    milestone = make_milestone(session, mine)
    channel = make_channel(session, theirs)
    entry_id = store_entries(session, channel, [_entry("a", "x")], now=DAY).new_ids[0]
    with pytest.raises(NotFound):
        link_by_hand(session, mine, entry_id=entry_id, milestone_id=milestone.id)
    with pytest.raises(NotFound):
        unlink_by_hand(session, theirs, entry_id=entry_id, milestone_id=milestone.id)
