"""Feedback figures a public page may show: aggregates, and what authors already published.

Nothing here reads the team's private notes, and of the reply states only "answered" is
used (to count answered questions and list them); "needs reply" and "ignored" stay
private. Authors' own posts (text and link to the original) are public already.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import case, func, select
from sqlmodel import Session

from tracker.feedback.stats import DailySentiment, daily_sentiment
from tracker.models import Campaign, Entry, Feedback

ANSWERED_QUESTIONS = 20


@dataclass(frozen=True)
class AnsweredQuestion:
    """A follower's question the team answered, as its author published it."""

    text: str  # the author's own words (plain text, at most 2,000 characters)
    link: str | None  # the original post, an http(s) URL sanitised when stored
    author: str | None
    published_at: datetime


@dataclass(frozen=True)
class PublicFeedback:
    """Public feedback figures of one campaign.

    trend: one item per UTC day with feedback, oldest first (average score in [-1, 1],
      counts per sentiment label);
    volume: all feedback comments counted;
    questions: comments in the category "question";
    questions_answered: of those, the ones the team marked answered;
    answered_share: questions_answered / questions, None without questions;
    answered_questions: the latest answered questions, newest first, with their links.
    """

    trend: list[DailySentiment]
    volume: int
    questions: int
    questions_answered: int
    answered_share: float | None
    answered_questions: list[AnsweredQuestion]


def public_feedback(
    session: Session,
    campaign: Campaign,
    *,
    since: datetime | None = None,
    limit: int = ANSWERED_QUESTIONS,
) -> PublicFeedback:
    """Return the campaign's public feedback figures (the caller checks it is public)."""
    is_question = Feedback.category == "question"
    volume, questions, answered = session.execute(
        select(
            func.count(),
            func.coalesce(func.sum(case((is_question, 1), else_=0)), 0),
            func.coalesce(
                func.sum(case(((is_question) & (Feedback.state == "answered"), 1), else_=0)), 0
            ),
        ).where(Feedback.campaign_id == campaign.id)
    ).one()
    rows = session.execute(
        select(Entry.summary_text, Entry.link, Entry.author, Entry.published_at)
        .join(Feedback, Feedback.entry_id == Entry.id)
        .where(
            Feedback.campaign_id == campaign.id,
            is_question,
            Feedback.state == "answered",
        )
        .order_by(Entry.published_at.desc(), Entry.id.desc())
        .limit(limit)
    ).all()
    return PublicFeedback(
        trend=daily_sentiment(session, campaign, since=since),
        volume=int(volume),
        questions=int(questions),
        questions_answered=int(answered),
        answered_share=int(answered) / int(questions) if questions else None,
        answered_questions=[AnsweredQuestion(*row) for row in rows],
    )
