"""The founder's feedback inbox: filter a campaign's scored comments and page through them."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import aliased
from sqlmodel import Session

from tracker.errors import InvalidInput
from tracker.feedback.rules import CATEGORIES
from tracker.models import (
    FEEDBACK_STATES,
    SENTIMENT_LABELS,
    Campaign,
    Channel,
    Entry,
    Feedback,
    Milestone,
)
from tracker.validation import COUNT_MAX, parse_int, parse_optional_id

LANGUAGES = ("en", "de", "other")
PER_PAGE = 50
# Keeps the page's offset a database integer; no inbox holds that many comments.
MAX_PAGE = COUNT_MAX // PER_PAGE
NO_MILESTONE = "none"


@dataclass(frozen=True)
class InboxFilter:
    """What the founder narrowed the inbox to; None means any."""

    channel: int | None = None
    language: str | None = None
    label: str | None = None
    category: str | None = None
    milestone: int | str | None = None  # a milestone id, or NO_MILESTONE
    state: str | None = None
    page: int = 1

    def query_args(self, **changes) -> dict[str, str]:
        """Return the filter as query-string arguments, leaving out what is not set."""
        values = {**asdict(self), **changes}
        if values["page"] == 1:
            values.pop("page")
        return {key: str(value) for key, value in values.items() if value not in (None, "")}


def _choice(value: str | None, allowed) -> str | None:
    return value if value in allowed else None


def _page(value: str | None) -> int:
    try:
        return parse_int(value, field="page", minimum=1, maximum=MAX_PAGE)
    except InvalidInput:
        return 1


def parse_filter(args: Mapping[str, str]) -> InboxFilter:
    """Read a filter from query-string values; unknown values mean "any" (old bookmarks)."""
    milestone = args.get("milestone") or None
    return InboxFilter(
        channel=parse_optional_id(args.get("channel")),
        language=_choice(args.get("language"), LANGUAGES),
        label=_choice(args.get("label"), SENTIMENT_LABELS),
        category=_choice(args.get("category"), CATEGORIES),
        milestone=NO_MILESTONE if milestone == NO_MILESTONE else parse_optional_id(milestone),
        state=_choice(args.get("state"), FEEDBACK_STATES),
        page=_page(args.get("page")),
    )


@dataclass(frozen=True)
class InboxItem:
    """One comment in the inbox with what the founder needs to triage it."""

    feedback: Feedback
    title: str
    text: str
    link: str | None
    author: str | None
    channel: str
    milestone: str | None
    reply_to: str | None = None  # a reply's own post: its title
    reply_to_link: str | None = None


@dataclass(frozen=True)
class InboxPage:
    """One page of the inbox."""

    items: list[InboxItem]
    page: int
    per_page: int
    total: int

    @property
    def pages(self) -> int:
        return max(-(-self.total // self.per_page), 1)

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def has_previous(self) -> bool:
        return self.page > 1


def _conditions(campaign: Campaign, filters: InboxFilter) -> list:
    where = [Feedback.campaign_id == campaign.id]
    for column, value in (
        (Feedback.channel_id, filters.channel),
        (Feedback.language, filters.language),
        (Feedback.label, filters.label),
        (Feedback.category, filters.category),
        (Feedback.state, filters.state),
    ):
        if value is not None:
            where.append(column == value)
    if filters.milestone == NO_MILESTONE:
        where.append(Feedback.milestone_id.is_(None))
    elif filters.milestone is not None:
        where.append(Feedback.milestone_id == filters.milestone)
    return where


def inbox_page(
    session: Session, campaign: Campaign, filters: InboxFilter, *, per_page: int = PER_PAGE
) -> InboxPage:
    """Return one page of the campaign's feedback matching the filter, newest first."""
    where = _conditions(campaign, filters)
    total = session.scalar(select(func.count()).select_from(Feedback).where(*where)) or 0
    post = aliased(Entry)
    rows = session.execute(
        select(
            Feedback,
            Entry,
            Channel.title,
            Channel.source_url,
            Milestone.title,
            post.title,
            post.link,
        )
        .join(Entry, Entry.id == Feedback.entry_id)
        .join(Channel, Channel.id == Feedback.channel_id)
        .outerjoin(Milestone, Milestone.id == Feedback.milestone_id)
        .outerjoin(post, post.id == Entry.parent_id)
        .where(*where)
        .order_by(Feedback.published_at.desc(), Feedback.entry_id.desc())
        .offset((filters.page - 1) * per_page)
        .limit(per_page)
    ).all()
    items = [
        InboxItem(
            feedback=feedback,
            title=entry.title,
            text=entry.summary_text,
            link=entry.link,
            author=entry.author,
            channel=channel or url,
            milestone=milestone,
            reply_to=post,
            reply_to_link=post_link,
        )
        for feedback, entry, channel, url, milestone, post, post_link in rows
    ]
    return InboxPage(items, filters.page, per_page, total)


def inbox_item(session: Session, feedback: Feedback) -> InboxItem:
    """Return one comment as the inbox shows it (after a state change or a note)."""
    entry = session.get(Entry, feedback.entry_id)
    channel = session.get(Channel, feedback.channel_id)
    milestone = session.get(Milestone, feedback.milestone_id) if feedback.milestone_id else None
    post = session.get(Entry, entry.parent_id) if entry.parent_id else None
    return InboxItem(
        feedback=feedback,
        title=entry.title,
        text=entry.summary_text,
        link=entry.link,
        author=entry.author,
        channel=channel.title or channel.source_url,
        milestone=milestone.title if milestone else None,
        reply_to=post.title if post else None,
        reply_to_link=post.link if post else None,
    )


@dataclass(frozen=True)
class FilterChoices:
    """The channels and milestones a campaign's inbox can be narrowed to."""

    channels: list[tuple[int, str]]
    milestones: list[tuple[int, str]]


def filter_choices(session: Session, campaign: Campaign) -> FilterChoices:
    """Return the campaign's feedback channels and its milestones, for the filter form."""
    # Channels of own posts count too once replies under their posts arrived.
    replied = select(Feedback.channel_id).where(Feedback.campaign_id == campaign.id)
    channels = session.execute(
        select(Channel.id, Channel.title, Channel.source_url, Channel.feed_url)
        .where(
            Channel.campaign_id == campaign.id,
            (Channel.role == "feedback") | Channel.id.in_(replied),
        )
        .order_by(Channel.id)
    ).all()
    milestones = session.execute(
        select(Milestone.id, Milestone.title)
        .where(Milestone.campaign_id == campaign.id)
        .order_by(Milestone.position, Milestone.id)
    ).all()
    return FilterChoices(
        channels=[(cid, title or url or feed) for cid, title, url, feed in channels],
        milestones=[(mid, title) for mid, title in milestones],
    )
