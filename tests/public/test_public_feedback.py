"""Feedback on the public page and in the report: answered questions with their answers, the
page's language first, no platform boilerplate, authors by name, and the founder's switch."""

import pytest
from sqlalchemy import select

from tests.factories.feedback import comment, make_feedback_channel, post_comments
from tracker.errors import InvalidInput
from tracker.feedback.public_figures import public_feedback
from tracker.feedback.public_text import author_name, without_boilerplate
from tracker.feedback.replies import set_answer, set_state
from tracker.models import Entry, Feedback, utcnow

LEMMY = "submitted by patchbay to synthdiy 31 points | 8 comments When does the beta ship?"


@pytest.fixture
def answered(session, campaign):
    """Two answered questions, an English one from Lemmy and a German one; one answer each."""
    now = utcnow()
    channel = make_feedback_channel(session, campaign)
    post_comments(
        session,
        channel,
        [
            comment(LEMMY, at=now, author="https://lemmy.example/u/patchbay"),
            comment("Wann kommt die Beta für Unterstützer?", at=now, author="@ute@social.example"),
        ],
        now=now,
    )
    rows = session.execute(select(Feedback, Entry).join(Entry, Entry.id == Feedback.entry_id)).all()
    by_language = {}
    for feedback, _entry in rows:
        set_state(session, feedback, "answered")
        by_language[feedback.language] = feedback
    set_answer(
        session,
        by_language["en"],
        text="In March, with the second batch.",
        url="https://social.example/@team/1",
    )
    set_answer(session, by_language["de"], text="Im März, mit der zweiten Charge.", url="")
    session.commit()
    return by_language


def test_boilerplate_goes_and_authors_are_names():
    assert without_boilerplate(LEMMY) == "When does the beta ship?"
    reddit = "Will it ship to Canada? submitted by /u/maple to r/synthesizers [link] [comments]"
    assert without_boilerplate(reddit) == "Will it ship to Canada?"
    hn = "Article URL: https://a.example/ Comments URL: https://n.example/i?id=1"
    hn += " Points: 120 # Comments: 45"
    assert without_boilerplate(hn) == ""
    assert author_name("https://lemmy.example/u/patchbay") == "patchbay"
    assert author_name("https://social.example/@ana") == "ana"
    assert author_name("Ana Example") == "Ana Example"
    assert author_name("  ") is None


def test_answered_questions_show_their_answers_in_the_pages_language_first(
    client, session, campaign, answered
):
    page = client.get_text("/c/synth")
    assert "submitted by" not in page and "31 points" not in page and "8 comments" not in page
    assert "When does the beta ship?" in page and "https://lemmy.example/u/patchbay" not in page
    assert "patchbay" in page
    assert "In March, with the second batch." in page
    assert 'href="https://social.example/@team/1"' in page
    english, german = page.index("When does the beta ship?"), page.index("Wann kommt die Beta")
    assert english < german
    assert '<span class="other-language">(German)</span>' in page
    page = client.get_text("/c/synth", headers={"Accept-Language": "de"})
    english, german = page.index("When does the beta ship?"), page.index("Wann kommt die Beta")
    assert german < english
    assert '<span class="other-language">(Englisch)</span>' in page
    figures = public_feedback(session, campaign)
    assert {q.text for q in figures.answered_questions} == {
        "When does the beta ship?",
        "Wann kommt die Beta für Unterstützer?",
    }


def test_an_answer_is_checked(session, campaign, answered):
    with pytest.raises(InvalidInput) as error:
        set_answer(session, answered["en"], text="ok", url="javascript:alert(1)")
    assert "answer_url" in error.value.errors
    with pytest.raises(InvalidInput):
        set_answer(session, answered["en"], text="x" * 2001, url="")


def test_the_founder_switches_public_feedback_off(client, session, campaign, answered):
    campaign.public_feedback = False
    session.add(campaign)
    session.commit()
    page = client.get_text("/c/synth")
    assert 'id="feedback"' not in page and 'href="#feedback"' not in page
    assert "When does the beta ship?" not in page


def test_the_founder_writes_an_answer_in_the_inbox(client, founder, session, campaign, answered):
    entry_id = answered["en"].entry_id
    url = f"/dashboard/synth/feedback/{entry_id}/answer"
    response = client.post(url, {"answer_text": "Soon.", "answer_url": "not a url"})
    assert response.status_code == 422
    assert "is not a web address" in response.get_data(as_text=True)
    response = client.post(url, {"answer_text": "Soon.", "answer_url": "https://x.example/1"})
    assert response.status_code == 303
    session.expire_all()
    feedback = session.get(Feedback, entry_id)
    assert (feedback.answer_text, feedback.answer_url) == ("Soon.", "https://x.example/1")
