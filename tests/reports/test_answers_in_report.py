"""The report's answered questions: the author's words without the platform's boilerplate,
and the team's public answer beside them."""

from sqlalchemy import select

from tests.factories.feedback import comment, make_feedback_channel, post_comments
from tests.factories.reports import NOVEMBER, make_report_campaign
from tracker.feedback.replies import set_answer, set_state
from tracker.models import Feedback

LEMMY = "submitted by patchbay to synthdiy 31 points | 8 comments When does the beta ship?"


def test_the_report_shows_the_answer_and_no_boilerplate(client, session, founder):
    campaign = make_report_campaign(session, owner=founder)
    post_comments(session, make_feedback_channel(session, campaign), [comment(LEMMY)])
    question = session.execute(
        select(Feedback).where(Feedback.campaign_id == campaign.id, Feedback.category == "question")
    ).scalar_one()
    set_state(session, question, "answered")
    set_answer(session, question, text="In March, with the second batch.", url="")
    session.commit()
    response = client.post(
        f"/dashboard/{campaign.slug}/reports/preview", {"kind": "month", "month": NOVEMBER}
    )
    assert response.status_code == 200
    preview = response.get_data(as_text=True)
    assert "When does the beta ship?" in preview and "In March, with the second batch." in preview
    assert "submitted by" not in preview and "31 points" not in preview
