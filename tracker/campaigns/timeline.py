"""One public timeline per campaign: own updates, milestone changes and published reports."""

import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from sqlalchemy import and_, func, or_, select
from sqlmodel import Session

from tracker.dates import local_day, local_midnight
from tracker.models import (
    Campaign,
    Channel,
    Entry,
    EntryMilestone,
    Milestone,
    MilestoneChange,
    PublishedReport,
)
from tracker.public.sources import source_platform
from tracker.reports.publishing import ReportListing, published_reports
from tracker.validation import parse_id, parse_int

PAGE_SIZE = 20
SUMMARY_LENGTH = 280
# Markup a plain-text summary loses: such an update is worth opening in full.
_RICH = re.compile(r"<(?:img|ul|ol|pre|blockquote|table|figure)\b")


@dataclass(frozen=True)
class TimelineItem:
    """Something that happened, as a backer sees it."""

    kind: str  # "update", "milestone" or "report"
    at: datetime
    title: str
    key: str  # unique across kinds: the cursor of "load more" and the Atom entry id
    url: str | None = None
    summary: str = ""  # of a milestone change: the team's public reason, if any
    content_html: str = ""  # sanitised when stored (own updates only)
    source: str = ""  # an own update's platform (tracker.public.sources)
    titled: bool = True  # False: the title is only the start of the summary
    # An own update whose text says more than its summary (cut, or lists, images, quotes):
    # the page offers to read it in place.
    expandable: bool = False
    milestone_id: int | None = None
    change: tuple[str, str | None, str] | None = None  # field, from, to
    report_version: int | None = None  # a published report: its stable URL names it
    report: ReportListing | None = None  # and which version of its period it is
    sort_id: int = 0  # breaks ties between items of one kind at the same time


@dataclass
class TimelinePage:
    items: list[TimelineItem] = field(default_factory=list)
    next_before: str | None = None  # cursor for the next page, or None at the end


# Items sort by (time, kind rank, id), newest first, so a page boundary never falls
# between items that share a time (a feed without dates stores a batch at one moment).
RANKS = {"update": 2, "milestone": 1, "report": 0}


@dataclass(frozen=True)
class Cursor:
    """Where the next page starts: strictly after this (time, rank, id), going back."""

    at: datetime
    rank: int
    id: int

    def encode(self) -> str:
        return f"{self.at.isoformat()}~{self.rank}~{self.id}"

    @classmethod
    def decode(cls, text: str) -> "Cursor":
        """Parse a cursor; ValueError (InvalidInput is one) when it is not one."""
        moment, rank, ident = text.split("~")
        at = datetime.fromisoformat(moment)
        # Not check_moment's sane range: feeds date entries 1970 and earlier, and the
        # next page after one must load. Any moment UTC can hold will do.
        try:
            at = at.astimezone(UTC) if at.tzinfo else at.replace(tzinfo=UTC)
        except OverflowError:
            raise ValueError(f"{moment[:40]!r} lies outside the calendar") from None
        rank = parse_int(rank, field="before", maximum=max(RANKS.values()))
        return cls(at, rank, parse_id(ident, field="before"))


def _older(cursor: Cursor | None, kind: str, at_column, id_column):
    """Return the SQL condition 'sorts after the cursor' for one source, or None."""
    if cursor is None:
        return None
    rank = RANKS[kind]
    if rank < cursor.rank:
        same_time = at_column == cursor.at
    elif rank == cursor.rank:
        same_time = and_(at_column == cursor.at, id_column < cursor.id)
    else:
        return at_column < cursor.at
    return or_(at_column < cursor.at, same_time)


def _sort_key(item: TimelineItem) -> tuple:
    return item.at, RANKS[item.kind], item.sort_id


def _own_updates(session, campaign, before, limit, milestone_id) -> list[TimelineItem]:
    query = (
        select(
            Entry.id,
            Entry.title,
            Entry.link,
            Entry.summary_text,
            Entry.content_html,
            Entry.published_at,
            Channel.kind,
            Channel.origin,
        )
        .join(Channel, Channel.id == Entry.channel_id)
        .where(
            Entry.campaign_id == campaign.id, Channel.role == "updates", Entry.parent_id.is_(None)
        )
    )
    if milestone_id is not None:
        query = query.join(
            EntryMilestone,
            and_(
                EntryMilestone.entry_id == Entry.id,
                EntryMilestone.milestone_id == milestone_id,
                EntryMilestone.unlinked_at.is_(None),
            ),
        )
    if (older := _older(before, "update", Entry.published_at, Entry.id)) is not None:
        query = query.where(older)
    rows = session.execute(query.order_by(Entry.published_at.desc(), Entry.id.desc()).limit(limit))
    return [
        TimelineItem(
            kind="update",
            at=at,
            title=title,
            # An untitled post (Mastodon, Bluesky) is titled with the start of its text.
            titled=not _starts(summary, title),
            key=f"update-{entry_id}",
            url=link,
            summary=_trim(summary),
            content_html=content,
            source=source_platform(kind, origin, link),
            expandable=_says_more(summary, content),
            sort_id=entry_id,
        )
        for entry_id, title, link, summary, content, at, kind, origin in rows
    ]


def _milestone_changes(session, campaign, before, limit, milestone_id) -> list[TimelineItem]:
    query = (
        select(
            MilestoneChange.id,
            MilestoneChange.field,
            MilestoneChange.old_value,
            MilestoneChange.new_value,
            MilestoneChange.changed_at,
            MilestoneChange.reason,
            Milestone.id,
            Milestone.title,
        )
        .join(Milestone, Milestone.id == MilestoneChange.milestone_id)
        .where(
            Milestone.campaign_id == campaign.id,
            Milestone.is_public,
            # The first status of a new milestone is its creation, not news.
            MilestoneChange.old_value.is_not(None),
        )
    )
    if milestone_id is not None:
        query = query.where(Milestone.id == milestone_id)
    older = _older(before, "milestone", MilestoneChange.changed_at, MilestoneChange.id)
    if older is not None:
        query = query.where(older)
    rows = session.execute(
        query.order_by(MilestoneChange.changed_at.desc(), MilestoneChange.id.desc()).limit(limit)
    )
    return [
        TimelineItem(
            kind="milestone",
            at=at,
            title=title,
            key=f"change-{change_id}",
            summary=reason,
            milestone_id=mid,
            change=(field_name, old, new),
            sort_id=change_id,
        )
        for change_id, field_name, old, new, at, reason, mid, title in rows
    ]


def _published_reports(session, campaign, before, limit) -> list[TimelineItem]:
    older = _older(before, "report", PublishedReport.issued_at, PublishedReport.version)
    conditions = () if older is None else (older,)
    return [
        TimelineItem(
            kind="report",
            at=report.issued_at,
            title=report.title,
            key=f"report-{report.version}",
            report_version=report.version,
            report=report,
            sort_id=report.version,
        )
        for report in published_reports(session, campaign, *conditions, limit=limit)
    ]


def timeline_page(
    session: Session,
    campaign: Campaign,
    *,
    before: Cursor | None = None,
    milestone_id: int | None = None,
    limit: int = PAGE_SIZE,
) -> TimelinePage:
    """Return up to `limit` items older than `before`, newest first, optionally for one
    milestone (its updates and its changes)."""
    items = _own_updates(session, campaign, before, limit + 1, milestone_id)
    items += _milestone_changes(session, campaign, before, limit + 1, milestone_id)
    if milestone_id is None:
        items += _published_reports(session, campaign, before, limit + 1)
    items.sort(key=_sort_key, reverse=True)
    page = TimelinePage(items=items[:limit])
    if len(items) > limit:
        last = page.items[-1]
        page.next_before = Cursor(last.at, RANKS[last.kind], last.sort_id).encode()
    return page


def last_update_at(session: Session, campaign: Campaign) -> datetime | None:
    """Return when the founder last posted an own update, so silence is visible."""
    return session.execute(
        select(func.max(Entry.published_at))
        .join(Channel, Channel.id == Entry.channel_id)
        .where(
            Entry.campaign_id == campaign.id, Channel.role == "updates", Entry.parent_id.is_(None)
        )
    ).scalar()


def linked_updates(
    session: Session, campaign: Campaign, *, per_milestone: int = 3
) -> dict[int, tuple[list[TimelineItem], int]]:
    """Return, per public milestone, its newest linked updates and how many there are."""
    linked = (
        select(
            EntryMilestone.milestone_id.label("milestone_id"),
            Entry.id.label("entry_id"),
            Entry.title,
            Entry.link,
            Entry.published_at,
            func.row_number()
            .over(
                partition_by=EntryMilestone.milestone_id,
                order_by=(Entry.published_at.desc(), Entry.id.desc()),
            )
            .label("rank"),
            func.count().over(partition_by=EntryMilestone.milestone_id).label("total"),
        )
        .join(Entry, Entry.id == EntryMilestone.entry_id)
        .join(Channel, Channel.id == Entry.channel_id)
        .join(Milestone, Milestone.id == EntryMilestone.milestone_id)
        .where(
            Milestone.campaign_id == campaign.id,
            Milestone.is_public,
            EntryMilestone.unlinked_at.is_(None),
            Channel.role == "updates",
        )
        .subquery()
    )
    rows = session.execute(
        select(linked)
        .where(linked.c.rank <= per_milestone)
        .order_by(linked.c.milestone_id, linked.c.rank)
    )
    result: dict[int, tuple[list[TimelineItem], int]] = {}
    for milestone_id, entry_id, title, link, at, _rank, total in rows:
        items, _ = result.get(milestone_id, ([], 0))
        items.append(
            TimelineItem(kind="update", at=at, title=title, key=f"update-{entry_id}", url=link)
        )
        result[milestone_id] = (items, total)
    return result


def update_days(session: Session, campaign: Campaign) -> list[tuple[date, str]]:
    """Return the days of own updates with their titles, for markers on the funding chart."""
    rows = session.execute(
        select(Entry.published_at, Entry.title)
        .join(Channel, Channel.id == Entry.channel_id)
        .where(
            Entry.campaign_id == campaign.id,
            Channel.role == "updates",
            Entry.parent_id.is_(None),
            Entry.published_at >= local_midnight(campaign.starts_on, campaign.timezone),
        )
        .order_by(Entry.published_at)
        .limit(200)
    )
    return [(local_day(at, campaign.timezone), title) for at, title in rows]


def _starts(text: str, title: str) -> bool:
    """Tell whether the title is only the start of the text (ellipsis and spacing aside)."""
    start = " ".join(title.split()).rstrip("…").rstrip(".").rstrip()
    return bool(start) and " ".join((text or "").split()).startswith(start)


def _says_more(summary: str, content: str) -> bool:
    """Tell whether the full text says more than the page's summary of it."""
    return len(" ".join((summary or "").split())) > SUMMARY_LENGTH or bool(_RICH.search(content))


def _trim(text: str) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= SUMMARY_LENGTH else text[: SUMMARY_LENGTH - 1].rstrip() + "…"
