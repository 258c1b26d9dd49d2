"""Import backer reports into the pledge ledger: idempotent, atomic, no personal data."""

import hashlib
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice
from typing import BinaryIO

from sqlalchemy import delete, insert, select, update
from sqlmodel import Session

from tracker.milestones import Actor
from tracker.models import Campaign, Pledge, PledgeAddon, PledgeImport, PledgeStatusChange
from tracker.pledge_csv import ExportError, PledgeRow, RowError, read_export

BATCH = 2000
MAX_KEPT_ERRORS = 10_000  # an import record keeps this many rejected rows, counting all


class ImportRefused(ValueError):
    """The file as a whole cannot be imported (structure, encoding, format)."""


class ImportRejected(ValueError):
    """Some rows are bad, so nothing was imported; every bad row is listed."""

    def __init__(self, errors: list[RowError], total: int):
        self.errors = errors
        self.total = total
        super().__init__(f"{total} bad row{'s' if total != 1 else ''}: nothing was imported")


@dataclass
class ImportResult:
    """What an import changed, for the one-line summary and the import record."""

    record: PledgeImport
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    status_changes: int = 0
    errors: list[RowError] = field(default_factory=list)
    rejected: int = 0

    def summary(self) -> str:
        """Return the one-line summary of the import."""
        return (
            f"{self.record.filename} ({self.record.format}): {self.created} created, "
            f"{self.updated} updated, {self.unchanged} unchanged, {self.rejected} rejected"
        )


def file_sha256(fileobj: BinaryIO) -> str:
    """Return the sha256 of a seekable file, leaving it at the start."""
    digest = hashlib.sha256()
    fileobj.seek(0)
    for chunk in iter(lambda: fileobj.read(1 << 20), b""):
        digest.update(chunk)
    fileobj.seek(0)
    return digest.hexdigest()


def import_pledges(
    session: Session,
    *,
    campaign: Campaign,
    fileobj: BinaryIO,
    filename: str,
    fmt: str = "auto",
    skip_bad_rows: bool = False,
    actor: Actor,
    on_rows: Callable[[int], None] | None = None,
) -> ImportResult:
    """Import a backer report; on any bad row import nothing unless skip_bad_rows."""
    sha256 = file_sha256(fileobj)
    try:
        parsed = read_export(
            fileobj, filename=filename, fmt=fmt, default_currency=campaign.currency
        )
    except ExportError as error:
        raise ImportRefused(str(error)) from None
    record = PledgeImport(
        campaign_id=campaign.id,
        filename=filename[:255],
        sha256=sha256,
        format=parsed.format,
        generation=parsed.generation,
        actor_id=actor.user_id,
        actor_label=actor.label,
    )
    session.add(record)
    session.flush()
    result = ImportResult(record=record)
    writer = _LedgerWriter(session, campaign.id, parsed.format, record.id, result)
    try:
        for batch in _batches(_good_rows(parsed.rows, result), BATCH):
            writer.write(batch)
            if on_rows:
                on_rows(len(batch))
    except ExportError as error:  # a ZIP member or a later part turned out unreadable
        raise ImportRefused(str(error)) from None
    if result.rejected and not skip_bad_rows:
        raise ImportRejected(result.errors, result.rejected)
    record.created, record.updated = result.created, result.updated
    record.unchanged, record.rejected = result.unchanged, result.rejected
    record.rejected_rows = json.dumps([_error_dict(e) for e in result.errors])
    session.add(record)
    session.flush()
    return result


def _good_rows(rows: Iterable[PledgeRow | RowError], result: ImportResult) -> Iterator[PledgeRow]:
    seen: dict[str, int] = {}
    for row in rows:
        if isinstance(row, RowError):
            _reject(result, row)
            continue
        first = seen.setdefault(row.platform_key, row.line)
        if first != row.line:
            _reject(
                result,
                RowError(
                    row.line,
                    row.source,
                    "key",
                    row.platform_key[:80],
                    f"the same pledge is already on line {first}",
                ),
            )
            continue
        yield row


def _reject(result: ImportResult, error: RowError) -> None:
    result.rejected += 1
    if len(result.errors) < MAX_KEPT_ERRORS:
        result.errors.append(error)


def _batches(rows: Iterator[PledgeRow], size: int) -> Iterator[list[PledgeRow]]:
    while batch := list(islice(rows, size)):
        yield batch


def _digest(row: PledgeRow) -> str:
    material = (
        row.amount_minor,
        row.currency,
        row.status_raw,
        row.status,
        row.pledged_at.isoformat() if row.pledged_at else "",
        row.tier,
        row.country,
        row.fulfilment,
        row.addons,
    )
    return hashlib.blake2b(repr(material).encode(), digest_size=8).hexdigest()


def _error_dict(error: RowError) -> dict:
    return {
        "source": error.source,
        "line": error.line,
        "column": error.column,
        "value": error.value,
        "reason": error.reason,
    }


class _LedgerWriter:
    """Write batches of rows: insert new pledges, update changed ones, skip the same."""

    def __init__(self, session, campaign_id, platform, import_id, result):
        self.session, self.campaign_id, self.platform = session, campaign_id, platform
        self.import_id, self.result = import_id, result

    def write(self, batch: list[PledgeRow]) -> None:
        existing = self._existing([row.platform_key for row in batch])
        new, changed, addon_owners = [], [], []
        for row in batch:
            digest = _digest(row)
            known = existing.get(row.platform_key)
            if known is None:
                new.append((row, digest))
            elif known[1] != digest:
                changed.append((row, digest, known))
            else:
                self.result.unchanged += 1
        if new:
            self._insert(new, addon_owners)
        if changed:
            self._update(changed, addon_owners)
        addons = [
            {"pledge_id": pid, "name": name[:200], "quantity": qty}
            for pid, row in addon_owners
            for name, qty in row.addons
        ]
        if addons:
            self.session.execute(insert(PledgeAddon), addons)

    def _existing(self, keys: list[str]) -> dict[str, tuple[int, str, str]]:
        rows = self.session.execute(
            select(Pledge.platform_key, Pledge.id, Pledge.digest, Pledge.status).where(
                Pledge.campaign_id == self.campaign_id,
                Pledge.platform == self.platform,
                Pledge.platform_key.in_(keys),
            )
        )
        return {key: (pid, digest, status) for key, pid, digest, status in rows}

    def _values(self, row: PledgeRow, digest: str) -> dict:
        return {
            "amount_minor": row.amount_minor,
            "currency": row.currency,
            "status": row.status,
            "status_raw": row.status_raw[:40],
            "pledged_at": row.pledged_at,
            "tier": row.tier[:200] if row.tier else None,
            "country": row.country,
            "fulfilment": row.fulfilment,
            "digest": digest,
            "import_id": self.import_id,
        }

    def _insert(self, new, addon_owners) -> None:
        values = [
            {
                "campaign_id": self.campaign_id,
                "platform": self.platform,
                "platform_key": row.platform_key[:100],
                **self._values(row, digest),
            }
            for row, digest in new
        ]
        ids = (
            self.session.execute(
                insert(Pledge).returning(Pledge.id, sort_by_parameter_order=True), values
            )
            .scalars()
            .all()
        )
        addon_owners.extend(
            (pid, row) for pid, (row, _) in zip(ids, new, strict=True) if row.addons
        )
        self.result.created += len(new)

    def _update(self, changed, addon_owners) -> None:
        self.session.execute(
            update(Pledge),
            [{"id": known[0], **self._values(row, digest)} for row, digest, known in changed],
        )
        moved = [
            {
                "pledge_id": known[0],
                "import_id": self.import_id,
                "old_status": known[2],
                "new_status": row.status,
            }
            for row, _, known in changed
            if known[2] != row.status
        ]
        if moved:
            self.session.execute(insert(PledgeStatusChange), moved)
            self.result.status_changes += len(moved)
        ids = [known[0] for _, _, known in changed]
        self.session.execute(delete(PledgeAddon).where(PledgeAddon.pledge_id.in_(ids)))
        addon_owners.extend((known[0], row) for row, _, known in changed if row.addons)
        self.result.updated += len(changed)
