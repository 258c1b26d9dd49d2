"""The feedback section of a report, from the public aggregates of tracker.feedback.public_figures.

Only what a public page may show: counts, the sentiment per week, the share of questions
answered and answered questions as their authors published them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlmodel import Session

from tracker.feedback.public_figures import AnsweredQuestion, public_feedback
from tracker.models import Campaign
from tracker.reports.periods import Period

NOTABLE_QUESTIONS = 5
# public_feedback lists answered questions newest first over the whole campaign; read
# enough of them to find the period's own in a past month too.
QUESTIONS_READ = 200


@dataclass(frozen=True)
class SentimentWeek:
    """Feedback of one week (Monday first; the first may start later) within the period."""

    starts_on: date
    comments: int
    average: float  # in [-1, 1]
    positive: int
    neutral: int
    negative: int


@dataclass(frozen=True)
class FeedbackDigest:
    volume: int  # comments in the period
    average: float | None  # mean sentiment of the period's comments
    weeks: list[SentimentWeek]
    questions: int  # over the whole campaign, as the public page shows it
    questions_answered: int
    answered_share: float | None
    answered: list[AnsweredQuestion]  # answered questions published in the period


def feedback_digest(session: Session, campaign: Campaign, period: Period) -> FeedbackDigest:
    """Summarise the period's follower feedback from the public aggregates."""
    figures = public_feedback(session, campaign, since=period.starts_at, limit=QUESTIONS_READ)
    days = [day for day in figures.trend if period.contains(day.day)]
    weeks: dict[date, list] = {}
    for day in days:
        # A week that began before the period is shown from the period's first day.
        monday = day.day - timedelta(days=day.day.weekday())
        weeks.setdefault(max(monday, period.start), []).append(day)
    volume = sum(day.total for day in days)
    return FeedbackDigest(
        volume=volume,
        average=(sum(d.average * d.total for d in days) / volume) if volume else None,
        weeks=[_week(start, items) for start, items in sorted(weeks.items())],
        questions=figures.questions,
        questions_answered=figures.questions_answered,
        answered_share=figures.answered_share,
        answered=[q for q in figures.answered_questions if period.contains(q.published_at)][
            :NOTABLE_QUESTIONS
        ],
    )


def _week(starts_on: date, days: list) -> SentimentWeek:
    comments = sum(day.total for day in days)
    return SentimentWeek(
        starts_on=starts_on,
        comments=comments,
        average=round(sum(d.average * d.total for d in days) / comments, 2) if comments else 0.0,
        positive=sum(d.positive for d in days),
        neutral=sum(d.neutral for d in days),
        negative=sum(d.negative for d in days),
    )
