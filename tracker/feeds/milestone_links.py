"""Link a founder's own updates to the milestones they tell the story of.

An update links automatically when its title or text mentions the milestone's tag
(`#beta`, any case, as a whole hashtag) or its title (the whole phrase, any case).
Founders link and unlink by hand; an unlink is remembered (`unlinked_at`) and
automatic linking only ever inserts missing rows, so it never undoes a founder's choice.
Automatic linking runs for new entries as they are stored, for one milestone when it is
created or its tag or title changes (`relink_milestone`, called by the milestone views
and CLI), and for the whole campaign on demand (`relink_campaign`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from sqlalchemy import and_, delete, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session

from tracker.errors import InvalidInput, NotFound
from tracker.feeds.content import plain_text
from tracker.models import Campaign, Channel, Entry, EntryMilestone, Milestone, utcnow
from tracker.validation import parse_id


def _tag_pattern(tag: str) -> re.Pattern[str]:
    # The same boundaries as a hashtag: "#beta" but not "#beta2", "a#beta" or "##beta".
    return re.compile(rf"(?<![\w&/#])#{re.escape(tag)}(?![\w-])", re.IGNORECASE)


def _title_pattern(title: str) -> re.Pattern[str] | None:
    words = title.split()
    if not words:
        return None
    phrase = r"\s+".join(re.escape(word) for word in words)
    return re.compile(rf"(?<!\w){phrase}(?!\w)", re.IGNORECASE)


def match_kind(milestone: Milestone, *, text: str, tags: Iterable[str] = ()) -> str | None:
    """Return "tag" or "title" when `text` mentions the milestone, else None."""
    if milestone.tag and (
        milestone.tag.lower() in {tag.lower() for tag in tags}
        or _tag_pattern(milestone.tag).search(text)
    ):
        return "tag"
    pattern = _title_pattern(milestone.title)
    if pattern is not None and pattern.search(text):
        return "title"
    return None


def _entry_text(entry: Entry) -> str:
    return f"{entry.title}\n{plain_text(entry.content_html, is_html=True)}"


def _insert_missing(session: Session, rows: list[dict]) -> None:
    if not rows:
        return
    name = session.get_bind().dialect.name
    insert = (postgresql.insert if name == "postgresql" else sqlite.insert)(
        EntryMilestone.__table__
    )
    session.execute(insert.on_conflict_do_nothing(), rows)


def _matches(entries: Iterable[Entry], milestones: Sequence[Milestone]) -> list[dict]:
    now = utcnow()
    rows = []
    for entry in entries:
        text, tags = _entry_text(entry), entry.tags.split()
        for milestone in milestones:
            how = match_kind(milestone, text=text, tags=tags)
            if how:
                rows.append(
                    {
                        "entry_id": entry.id,
                        "milestone_id": milestone.id,
                        "how": how,
                        "linked_at": now,
                    }
                )
    return rows


def _milestones(session: Session, campaign_id: int) -> list[Milestone]:
    return list(session.scalars(select(Milestone).where(Milestone.campaign_id == campaign_id)))


def link_entries(session: Session, *, campaign_id: int, entry_ids: Sequence[int]) -> int:
    """Link the given entries to the milestones they mention; return the links found."""
    milestones = _milestones(session, campaign_id)
    if not milestones or not entry_ids:
        return 0
    entries = session.scalars(select(Entry).where(Entry.id.in_(list(entry_ids))))
    rows = _matches(entries, milestones)
    _insert_missing(session, rows)
    return len(rows)


def _update_entries(session: Session, campaign_id: int):
    return (
        select(Entry)
        .join(Channel, Channel.id == Entry.channel_id)
        .where(
            Entry.campaign_id == campaign_id, Channel.role == "updates", Entry.parent_id.is_(None)
        )
    )


def relink_campaign(session: Session, campaign: Campaign) -> int:
    """Redo automatic links of all own updates: drop stale ones, add new; keep manual ones."""
    milestones = _milestones(session, campaign.id)
    ids = [m.id for m in milestones]
    if ids:
        # Automatic links that still stand are re-added below; unlinks stay as they are.
        session.execute(
            delete(EntryMilestone).where(
                EntryMilestone.milestone_id.in_(ids),
                EntryMilestone.how.in_(("tag", "title")),
                EntryMilestone.unlinked_at.is_(None),
            )
        )
    rows = _matches(session.scalars(_update_entries(session, campaign.id)), milestones)
    _insert_missing(session, rows)
    session.flush()
    return len(rows)


def relink_milestone(session: Session, milestone: Milestone) -> int:
    """Redo one milestone's automatic links, after it was created or its tag or title changed."""
    session.flush()
    session.execute(
        delete(EntryMilestone).where(
            EntryMilestone.milestone_id == milestone.id,
            EntryMilestone.how.in_(("tag", "title")),
            EntryMilestone.unlinked_at.is_(None),
        )
    )
    rows = _matches(session.scalars(_update_entries(session, milestone.campaign_id)), [milestone])
    _insert_missing(session, rows)
    session.flush()
    return len(rows)


def get_entry(session: Session, campaign: Campaign, entry_id: int) -> Entry:
    """Return the campaign's entry with this id; NotFound for any other."""
    try:
        entry = session.get(Entry, parse_id(entry_id))
    except InvalidInput:
        raise NotFound(f"entry {entry_id}") from None
    if entry is None or entry.campaign_id != campaign.id:
        raise NotFound(f"entry {entry_id}")
    return entry


def _milestone_of(session: Session, campaign: Campaign, milestone_id: int) -> Milestone:
    try:
        milestone = session.get(Milestone, parse_id(milestone_id))
    except InvalidInput:  # a form value past what the id column holds
        raise NotFound(f"milestone {milestone_id}") from None
    if milestone is None or milestone.campaign_id != campaign.id:
        raise NotFound(f"milestone {milestone_id}")
    return milestone


def link_by_hand(
    session: Session, campaign: Campaign, *, entry_id: int, milestone_id: int
) -> EntryMilestone:
    """Link an entry to a milestone because the founder said so (undoing an unlink)."""
    entry = get_entry(session, campaign, entry_id)
    milestone = _milestone_of(session, campaign, milestone_id)
    link = session.get(EntryMilestone, (entry.id, milestone.id))
    if link is None:
        link = EntryMilestone(entry_id=entry.id, milestone_id=milestone.id, how="manual")
    link.how, link.unlinked_at, link.linked_at = "manual", None, utcnow()
    session.add(link)
    session.flush()
    return link


def unlink_by_hand(
    session: Session, campaign: Campaign, *, entry_id: int, milestone_id: int
) -> None:
    """Remove a link and remember it, so automatic linking does not bring it back."""
    entry = get_entry(session, campaign, entry_id)
    milestone = _milestone_of(session, campaign, milestone_id)
    link = session.get(EntryMilestone, (entry.id, milestone.id))
    if link is None:
        link = EntryMilestone(entry_id=entry.id, milestone_id=milestone.id, how="manual")
    link.unlinked_at = utcnow()
    session.add(link)
    session.flush()


def updates_by_milestone(
    session: Session, campaign: Campaign, *, public_only: bool = True
) -> dict[int, list[Entry]]:
    """Return, per milestone id, the updates linked to it, newest first."""
    query = (
        select(EntryMilestone.milestone_id, Entry)
        .join(Entry, Entry.id == EntryMilestone.entry_id)
        .join(Milestone, Milestone.id == EntryMilestone.milestone_id)
        .join(Channel, Channel.id == Entry.channel_id)
        .where(
            Milestone.campaign_id == campaign.id,
            EntryMilestone.unlinked_at.is_(None),
            Channel.role == "updates",
        )
        .order_by(Entry.published_at.desc(), Entry.id.desc())
    )
    if public_only:
        query = query.where(Milestone.is_public)
    grouped: dict[int, list[Entry]] = {}
    for milestone_id, entry in session.execute(query).all():
        grouped.setdefault(milestone_id, []).append(entry)
    return grouped


def links_of_entries(session: Session, entry_ids: Sequence[int]) -> dict[int, list[int]]:
    """Return, per entry id, the milestone ids it is linked to (unlinks left out)."""
    links: dict[int, list[int]] = {entry_id: [] for entry_id in entry_ids}
    if not entry_ids:
        return links
    rows = session.execute(
        select(EntryMilestone.entry_id, EntryMilestone.milestone_id).where(
            and_(EntryMilestone.entry_id.in_(list(entry_ids)), EntryMilestone.unlinked_at.is_(None))
        )
    )
    for entry_id, milestone_id in rows:
        links[entry_id].append(milestone_id)
    return links
