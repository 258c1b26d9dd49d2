"""Import backer reports into the pledge ledger: idempotent, atomic, no personal data."""

import hashlib
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice
from typing import BinaryIO

from sqlmodel import Session

from tracker.bounded_inflate import format_size
from tracker.milestones import Actor
from tracker.models import Campaign, PledgeImport
from tracker.pledge_csv import ExportError, PledgeRow, RowError, read_export
from tracker.pledge_ledger import LedgerWriter
from tracker.pledge_limits import DEFAULT_LIMITS, ReadLimits

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


def file_sha256(fileobj: BinaryIO, *, filename: str, limit: int) -> str:
    """Return the sha256 of a seekable file, leaving it at the start; refuse one over limit."""
    digest, size = hashlib.sha256(), 0
    fileobj.seek(0)
    for chunk in iter(lambda: fileobj.read(1 << 20), b""):
        size += len(chunk)
        if size > limit:
            raise ImportRefused(f"{filename} is larger than the limit of {format_size(limit)}.")
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
    limits: ReadLimits = DEFAULT_LIMITS,
) -> ImportResult:
    """Import a backer report; on any bad row import nothing unless skip_bad_rows."""
    sha256 = file_sha256(fileobj, filename=filename, limit=limits.text_bytes)
    try:
        parsed = read_export(
            fileobj,
            filename=filename,
            fmt=fmt,
            default_currency=campaign.currency,
            limits=limits,
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
    writer = LedgerWriter(
        session.connection(),
        campaign_id=campaign.id,
        platform=parsed.format,
        import_id=record.id,
        counts=result,
    )
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


def _error_dict(error: RowError) -> dict:
    return {
        "source": error.source,
        "line": error.line,
        "column": error.column,
        "value": error.value,
        "reason": error.reason,
    }
