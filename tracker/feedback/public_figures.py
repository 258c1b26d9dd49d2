"""Feedback figures a public page may show: aggregates, and what authors already published.

Nothing here reads the team's private notes, and of the reply states only "answered" is
used (to count answered questions and list them with the team's public answer); "needs
reply" and "ignored" stay private. Authors' own posts (text and link to the original) are
public already; their platform's boilerplate is dropped and authors are shown by name.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import case, func, select
from sqlmodel import Session

from tracker.feedback.public_text import author_name, without_boilerplate
from tracker.feedback.stats import DailySentiment, daily_sentiment
from tracker.models import Campaign, Entry, Feedback

ANSWERED_QUESTIONS = 20


@dataclass(frozen=True)
class AnsweredQuestion:
    """A follower's question the team answered, as its author published it."""

    text: str  # the author's own words (plain text, at most 2,000 characters)
    link: str | None  # the original post, an http(s) URL sanitised when stored
    author: str | None  # a name or handle, never a profile URL
    published_at: datetime
    language: str = "other"  # en, de or other (tracker.feedback.language)
    answer_text: str = ""  # the team's public answer
    answer_url: str | None = None  # and where the team replied


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
    language: str | None = None,
) -> PublicFeedback:
    """Return the campaign's public feedback figures (the caller checks it is public);
    answered questions in `language` first."""
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
    first = (case((Feedback.language == language, 0), else_=1),) if language else ()
    rows = session.execute(
        select(
            Entry.summary_text,
            Entry.link,
            Entry.author,
            Entry.published_at,
            Feedback.language,
            Feedback.answer_text,
            Feedback.answer_url,
        )
        .join(Feedback, Feedback.entry_id == Entry.id)
        .where(
            Feedback.campaign_id == campaign.id,
            is_question,
            Feedback.state == "answered",
        )
        .order_by(*first, Entry.published_at.desc(), Entry.id.desc())
        .limit(limit)
    ).all()
    return PublicFeedback(
        trend=daily_sentiment(session, campaign, since=since),
        volume=int(volume),
        questions=int(questions),
        questions_answered=int(answered),
        answered_share=int(answered) / int(questions) if questions else None,
        answered_questions=[
            AnsweredQuestion(
                text=without_boilerplate(text),
                link=link,
                author=author_name(author),
                published_at=at,
                language=lang,
                answer_text=answer_text,
                answer_url=answer_url,
            )
            for text, link, author, at, lang, answer_text, answer_url in rows
        ],
    )
