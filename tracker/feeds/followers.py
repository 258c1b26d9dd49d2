"""Follower counts per channel, as founders read them off their profiles (no feed has them)."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import func, select
from sqlmodel import Session

from tracker.errors import InvalidInput, NotFound
from tracker.feeds.channels import find_channel
from tracker.models import Campaign, Channel, FollowerSnapshot
from tracker.validation import check_moment, parse_int

MAX_COUNT = 10**12
CSV_COLUMNS = ("channel", "taken_at", "count")
MAX_CSV_ROWS = 100_000


def _check(count: int, taken_at: datetime, now: datetime) -> dict[str, str]:
    errors = {}
    if count < 0 or count > MAX_COUNT:
        errors["count"] = f"Use a whole number from 0 to {MAX_COUNT}."
    if taken_at.tzinfo is None:
        errors["taken_at"] = "Give the time in UTC."
    elif taken_at > now:
        errors["taken_at"] = "The time is in the future."
    else:
        try:
            check_moment(taken_at, field="taken_at")
        except InvalidInput as error:
            errors.update(error.errors)
    return errors


def record_followers(
    session: Session,
    channel: Channel,
    *,
    count: int,
    taken_at: datetime | None,
    source: str,
    now: datetime,
) -> FollowerSnapshot:
    """Record how many followers the channel had at `taken_at` (default now)."""
    taken_at = taken_at or now
    errors = _check(count, taken_at, now)
    if errors:
        raise InvalidInput(errors)
    snapshot = FollowerSnapshot(
        channel_id=channel.id, taken_at=taken_at, count=count, source=source
    )
    session.add(snapshot)
    session.flush()
    return snapshot


def latest_snapshots(session: Session, channel_ids: Sequence[int]) -> dict[int, FollowerSnapshot]:
    """Return each channel's most recent follower snapshot."""
    if not channel_ids:
        return {}
    # Newest by the time counted, not stored; two counts at one moment: the later stored.
    ranked = (
        select(
            FollowerSnapshot.id,
            func.row_number()
            .over(
                partition_by=FollowerSnapshot.channel_id,
                order_by=(FollowerSnapshot.taken_at.desc(), FollowerSnapshot.id.desc()),
            )
            .label("rank"),
        )
        .where(FollowerSnapshot.channel_id.in_(list(channel_ids)))
        .subquery()
    )
    newest = session.scalars(
        select(FollowerSnapshot)
        .join(ranked, ranked.c.id == FollowerSnapshot.id)
        .where(ranked.c.rank == 1)
    )
    return {snapshot.channel_id: snapshot for snapshot in newest}


def latest_followers(session: Session, channel_ids: Sequence[int]) -> dict[int, int]:
    """Return each channel's most recent follower count."""
    return {
        channel_id: snapshot.count
        for channel_id, snapshot in latest_snapshots(session, channel_ids).items()
    }


@dataclass(frozen=True)
class RowError:
    """A bad CSV row: where it is and why it was refused."""

    line: int
    column: str
    value: str
    reason: str

    def __str__(self) -> str:
        return f"line {self.line}, column {self.column!r} ({self.value!r}): {self.reason}"


class FollowerCsvRejected(ValueError):
    """The CSV had bad rows; nothing was saved."""

    def __init__(self, errors: list[RowError]) -> None:
        self.errors = errors
        first = str(errors[0]) if errors else ""
        more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
        super().__init__(f"{len(errors)} bad rows, nothing saved: {first}{more}")


def _parse_time(value: str) -> datetime:
    moment = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    return check_moment(moment if moment.tzinfo else moment.replace(tzinfo=UTC), field="taken_at")


def _read_rows(data: bytes) -> list[tuple[int, dict[str, str]]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise FollowerCsvRejected([RowError(1, "", "", "the file is not UTF-8 text")]) from None
    reader = csv.DictReader(io.StringIO(text))
    header = [name.strip().lower() for name in reader.fieldnames or []]
    missing = [name for name in CSV_COLUMNS if name not in header]
    if missing:
        reason = f"the header needs the columns {', '.join(CSV_COLUMNS)}"
        raise FollowerCsvRejected([RowError(1, missing[0], ",".join(header), reason)])
    reader.fieldnames = header
    rows = []
    for row in reader:
        if len(rows) >= MAX_CSV_ROWS:
            raise FollowerCsvRejected([RowError(reader.line_num, "", "", "too many rows")])
        if any((value or "").strip() for value in row.values() if isinstance(value, str)):
            rows.append((reader.line_num, row))
    return rows


def import_followers_csv(
    session: Session, campaign: Campaign, data: bytes, *, now: datetime
) -> list[FollowerSnapshot]:
    """Record the snapshots of a CSV (channel,taken_at,count); any bad row saves nothing."""
    errors: list[RowError] = []
    parsed: list[tuple[Channel, datetime, int]] = []
    for line, row in _read_rows(data):
        ref, when, count = (row.get(name) or "" for name in CSV_COLUMNS)
        row_errors = len(errors)
        try:
            channel = find_channel(session, campaign, ref)
        except NotFound:
            errors.append(RowError(line, "channel", ref, "no such channel in this campaign"))
        try:
            taken_at = _parse_time(when)
        except InvalidInput as error:
            errors.append(RowError(line, "taken_at", when, error.errors["taken_at"]))
        except ValueError:
            errors.append(RowError(line, "taken_at", when, "not an ISO 8601 date or time"))
        try:
            number = parse_int(count.replace("_", ""), field="count", maximum=MAX_COUNT)
        except InvalidInput as error:
            errors.append(RowError(line, "count", count, error.errors["count"]))
        else:
            if len(errors) == row_errors and taken_at > now:
                errors.append(RowError(line, "taken_at", when, "in the future"))
        if len(errors) == row_errors:
            parsed.append((channel, taken_at, number))
    if errors:
        raise FollowerCsvRejected(errors)
    if not parsed:
        raise FollowerCsvRejected([RowError(2, "", "", "the file has no rows")])
    return [
        record_followers(session, channel, count=count, taken_at=taken_at, source="csv", now=now)
        for channel, taken_at, count in parsed
    ]
