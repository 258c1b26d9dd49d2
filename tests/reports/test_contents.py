"""Report periods and the report's data: figures of the period, public data only."""

from datetime import date

from sqlalchemy import select

from tests.factories import make_user
from tests.factories.feedback import comment, make_feedback_channel, post_comments
from tests.factories.reports import NOVEMBER, at, make_report_campaign
from tracker.feedback.replies import set_note, set_state
from tracker.models import Feedback
from tracker.reports.contents import gather_report
from tracker.reports.periods import month_period
from tracker.views.report_document import render_report_html


def test_report_data_of_a_month(session):
    campaign = make_report_campaign(session, owner=make_user(session))
    report = gather_report(
        session, campaign, period=month_period(NOVEMBER), issued_on=date(2026, 11, 30)
    )
    assert (report.in_period.amount_minor, report.in_period.backers) == (125_000, 2)
    assert (report.funding.net_minor, report.funding.backers) == (139_000, 4)
    moves = report.milestones
    assert [m.title for m in moves.reached] == ["Prototype board"]
    assert [m.title for m in moves.started] == ["Case design"]
    assert [(m.title, m.first_planned, m.planned) for m in moves.slipped] == [
        ("Firmware beta", date(2026, 11, 10), date(2026, 12, 5))
    ]
    assert [m.title for m in moves.upcoming] == ["Firmware beta", "Case design", "Shipping"]
    groups = {group.milestone: [u.title for u in group.updates] for group in report.updates}
    # The update about the private milestone is listed, without naming that milestone.
    assert groups == {
        "Prototype board": ["Prototype board works #proto"],
        "Firmware beta": ["Beta build 3 is out #beta"],
        None: ["Behind the scenes at the studio", "Supplier call went well #secret"],
    }
    assert report.update_count == 4
    assert not report.is_quiet


def test_a_quiet_month_has_nothing_to_report(session):
    campaign = make_report_campaign(session, owner=make_user(session))
    report = gather_report(
        session, campaign, period=month_period("2027-06"), issued_on=date(2027, 7, 1)
    )
    assert report.is_quiet
    assert report.in_period.amount_minor == 0 and report.updates == []
    assert report.milestones.upcoming == []


def test_feedback_section_holds_aggregates_and_answered_questions_only(app, session):
    campaign = make_report_campaign(session, owner=make_user(session))
    channel = make_feedback_channel(session, campaign)
    november = [
        comment("When will the beta reach backers?", at=at(date(2026, 11, 10))),
        comment("Is shipping to Austria included?", at=at(date(2026, 11, 11))),
        comment("I love the new sequencer video, great work!", at=at(date(2026, 11, 17))),
        comment("This delay is really disappointing.", at=at(date(2026, 11, 18))),
    ]
    ids = post_comments(
        session, channel, [*november, comment("Old news?", at=at(date(2026, 10, 2)))]
    )
    rows = {
        f.entry_id: f for f in session.scalars(select(Feedback).where(Feedback.entry_id.in_(ids)))
    }
    first, second = rows[ids[0]], rows[ids[1]]
    assert first.category == second.category == "question"
    set_state(session, first, "answered")
    set_state(session, second, "needs_reply")
    set_note(session, first, "PRIVATE NOTE: call the factory first")
    session.commit()
    report = gather_report(
        session, campaign, period=month_period(NOVEMBER), issued_on=date(2026, 11, 30)
    )
    feedback = report.feedback
    assert feedback.volume == 4
    assert sum(week.comments for week in feedback.weeks) == 4
    assert [week.starts_on for week in feedback.weeks] == [date(2026, 11, 9), date(2026, 11, 16)]
    october = gather_report(
        session,
        campaign,
        period=month_period("2026-10"),  # 2026-10-01 is a Thursday
        issued_on=date(2026, 11, 30),
    )
    assert [week.starts_on for week in october.feedback.weeks] == [date(2026, 10, 1)]
    assert [q.text for q in feedback.answered] == ["When will the beta reach backers?"]
    assert feedback.answered[0].link.startswith("https://social.example/")
    html = render_in_app(app, report)
    assert "When will the beta reach backers?" in html
    for private in ("PRIVATE NOTE", "Is shipping to Austria included?", "disappointing"):
        assert private not in html


def render_in_app(app, report) -> str:
    with app.app_context():
        return render_report_html(report, for_pdf=True, toc=True)
