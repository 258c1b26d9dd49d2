"""Feedback domain: scoring on arrival, rescoring, reply states, notes and alert settings."""

import pytest
from sqlalchemy import select, update

from tests.factories import make_campaign, make_milestone
from tests.factories.feedback import comment, make_feedback_channel, post_comments
from tests.factories.feeds import make_channel
from tracker.errors import InvalidInput, NotFound
from tracker.feedback.alert_settings import (
    feedback_settings,
    regenerate_token,
    settings_for_token,
    update_settings,
)
from tracker.feedback.replies import get_feedback, set_note, set_state
from tracker.feedback.scoring import RULES_VERSION, plan_rescore, rescore_in_batches
from tracker.models import Feedback


def _feedback(session):
    return list(session.scalars(select(Feedback).order_by(Feedback.entry_id)))


def test_comments_of_feedback_channels_are_scored_when_stored(session):
    campaign = make_campaign(session)
    channel = make_feedback_channel(session, campaign)
    post_comments(
        session,
        channel,
        [
            comment("When will the beta builds go out to early backers?"),
            comment("Das Spiel stürzt unter Linux jedes Mal beim Speichern ab.", author="@bo"),
        ],
    )
    question, problem = _feedback(session)
    assert (question.language, question.category, question.state) == ("en", "question", "new")
    assert "?" in question.reason
    assert (problem.language, problem.label, problem.category) == ("de", "negative", "problem")
    assert problem.rules_version == RULES_VERSION
    assert problem.campaign_id == campaign.id and problem.channel_id == channel.id


def test_entries_of_updates_channels_are_not_scored(session):
    campaign = make_campaign(session)
    updates = make_channel(session, campaign, role="updates")
    post_comments(session, updates, [comment("Our beta is out, thank you all!")])
    assert _feedback(session) == []


def test_a_comment_links_to_the_milestone_it_names(session):
    campaign = make_campaign(session)
    make_milestone(session, campaign, title="Firmware beta", tag="beta")
    pcb = make_milestone(session, campaign, title="PCB revision")
    channel = make_feedback_channel(session, campaign)
    post_comments(
        session,
        channel,
        [
            comment("Is the #beta still on track for March?"),
            comment("The PCB revision photos look great", author="@cy"),
            comment("Love it", author="@di"),
        ],
    )
    by_tag, by_title, none = _feedback(session)
    assert by_tag.milestone_how == "tag"
    assert (by_title.milestone_id, by_title.milestone_how) == (pcb.id, "title")
    assert none.milestone_id is None


def test_rescore_touches_only_older_rules_and_keeps_state_and_note(session):
    campaign = make_campaign(session)
    channel = make_feedback_channel(session, campaign)
    post_comments(session, channel, [comment("Where do I change my address?"), comment("ok")])
    first, _ = _feedback(session)
    set_state(session, first, "answered")
    set_note(session, first, "Replied on Mastodon")
    session.execute(
        update(Feedback)
        .where(Feedback.entry_id == first.entry_id)
        .values(rules_version=0, category="other", reason="old")
    )
    session.commit()

    plan = plan_rescore(session, campaign)
    assert (plan.entry_ids, plan.unchanged) == ([first.entry_id], 1)
    assert sum(rescore_in_batches(session, plan.entry_ids)) == 1
    session.commit()
    session.expire_all()
    first = session.get(Feedback, first.entry_id)
    assert (first.category, first.rules_version) == ("question", RULES_VERSION)
    assert (first.state, first.note) == ("answered", "Replied on Mastodon")
    assert len(plan_rescore(session, campaign, everything=True).entry_ids) == 2


def test_states_and_notes_are_checked(session):
    campaign = make_campaign(session)
    other = make_campaign(session)
    post_comments(session, make_feedback_channel(session, campaign), [comment("Nice!")])
    (feedback,) = _feedback(session)
    with pytest.raises(InvalidInput):
        set_state(session, feedback, "archived")
    with pytest.raises(InvalidInput):
        set_note(session, feedback, "x" * 5001)
    set_state(session, feedback, "needs_reply")
    assert feedback.state_changed_at is not None
    assert get_feedback(session, campaign, feedback.entry_id) is feedback
    with pytest.raises(NotFound):
        get_feedback(session, other, feedback.entry_id)


def test_alert_settings_and_token(session):
    campaign = make_campaign(session)
    settings = feedback_settings(session, campaign)
    assert settings.negative_share == 0.6 and len(settings.alert_token) >= 40
    with pytest.raises(InvalidInput) as error:
        update_settings(
            session, campaign, negative_share=1.5, share_min_volume=0, spike_min_count=5
        )
    assert set(error.value.errors) == {"negative_share", "share_min_volume"}
    update_settings(session, campaign, negative_share=0.5, share_min_volume=8, spike_min_count=3)
    old = settings.alert_token
    assert settings_for_token(session, campaign.slug, old)[0].id == campaign.id
    regenerate_token(session, campaign)
    session.commit()
    with pytest.raises(NotFound):
        settings_for_token(session, campaign.slug, old)
    with pytest.raises(NotFound):
        settings_for_token(session, campaign.slug, "")
