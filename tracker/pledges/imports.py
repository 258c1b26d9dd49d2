"""Import backer reports into the pledge ledger: idempotent, in committed batches, no personal data.

An import reads the file twice. The first pass checks every row and writes nothing, so a
file with a bad row still imports nothing (unless skip_bad_rows). The second pass writes
the good rows in batches, each committed on its own behind a running import record
(tracker.pledges.runs): other writers never wait on an import for longer than one batch.
Unlike other domain functions, import_pledges therefore commits the session it is given.
"""

import hashlib
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice
from typing import BinaryIO

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from tracker.feeds.inflate import format_size
from tracker.models import Actor, Campaign, PledgeImport, utcnow
from tracker.pledges.ledger import LedgerWriter
from tracker.pledges.limits import DEFAULT_LIMITS, ReadLimits
from tracker.pledges.reader import ExportError, ParsedExport, PledgeRow, RowError, read_export
from tracker.pledges.runs import RunBusy, commit_with_retry, fail_run, finish_run, start_run

BATCH = 2000
MAX_KEPT_ERRORS = 10_000  # an import record keeps this many rejected rows, counting all


class ImportRefused(ValueError):
    """The file as a whole cannot be imported (structure, encoding, format)."""


class ImportBusy(ImportRefused):
    """Another import of the same campaign is running: try again when it has finished."""


class ImportNeedsConfirmation(ImportRefused):
    """No row is in the campaign's currency: the founder confirms before anything is written."""

    def __init__(self, *, filename: str, campaign_currency: str, rows: dict[str, int]):
        self.filename = filename
        self.campaign_currency = campaign_currency
        self.rows = rows
        super().__init__(
            f"Every row of {filename} is in {_codes(rows)}, none in {campaign_currency}: its "
            f"pledges would be listed apart and count in none of the {campaign_currency} "
            "figures. Import it only if that is what you want; if the campaign runs in "
            f"{_codes(rows)}, change its currency first."
        )


class ImportRejected(ValueError):
    """Some rows are bad, so nothing was imported; every bad row is listed."""

    def __init__(self, errors: list[RowError], total: int):
        self.errors = errors
        self.total = total
        super().__init__(f"{total} bad row{'s' if total != 1 else ''}: nothing was imported")


@dataclass
class Counts:
    """What writing some rows changed in the ledger."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    status_changes: int = 0

    def add(self, other: "Counts") -> None:
        """Add the counts of another batch to these."""
        self.created += other.created
        self.updated += other.updated
        self.unchanged += other.unchanged
        self.status_changes += other.status_changes


@dataclass
class ImportResult(Counts):
    """What an import changed, for the one-line summary and the import record."""

    record: PledgeImport | None = None
    errors: list[RowError] = field(default_factory=list)
    rejected: int = 0
    currency: str = ""  # the campaign's
    other_currency_rows: dict[str, int] = field(default_factory=dict)  # code: good rows

    def summary(self) -> str:
        """Return the one-line summary of the import."""
        line = (
            f"{self.record.filename} ({self.record.format}): {self.created} created, "
            f"{self.updated} updated, {self.unchanged} unchanged, {self.rejected} rejected"
        )
        if self.other_currency_rows:
            line += f"; {other_currency_note(self.other_currency_rows, self.currency)}"
        return line


def other_currency_note(rows: dict[str, int], currency: str) -> str:
    """Say in English how many rows were in other currencies and what that means."""
    counted = ", ".join(f"{n} row{'s' if n != 1 else ''} in {code}" for code, n in rows.items())
    return f"{counted}: listed apart, not counted in the {currency} figures"


def _codes(rows: dict[str, int]) -> str:
    return " and ".join(rows)


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
    other_currency_ok: bool = False,
    actor: Actor,
    on_rows: Callable[[int], None] | None = None,
    limits: ReadLimits = DEFAULT_LIMITS,
) -> ImportResult:
    """Import a backer report; on any bad row import nothing unless skip_bad_rows.

    A report with no row in the campaign's currency raises ImportNeedsConfirmation
    unless other_currency_ok: its pledges would count in none of the figures.
    """
    sha256 = file_sha256(fileobj, filename=filename, limit=limits.text_bytes)
    try:
        parsed = read_export(
            fileobj,
            filename=filename,
            fmt=fmt,
            default_currency=campaign.currency,
            limits=limits,
        )
        result = ImportResult(currency=campaign.currency)
        currencies: dict[str, int] = {}
        for row in _good_rows(parsed.rows, lambda error: _reject(result, error)):
            currencies[row.currency] = currencies.get(row.currency, 0) + 1
    except ExportError as error:
        raise ImportRefused(str(error)) from None
    if result.rejected and not skip_bad_rows:
        raise ImportRejected(result.errors, result.rejected)
    result.other_currency_rows = {
        code: currencies[code] for code in sorted(currencies) if code != campaign.currency
    }
    if currencies and campaign.currency not in currencies and not other_currency_ok:
        raise ImportNeedsConfirmation(
            filename=filename, campaign_currency=campaign.currency, rows=result.other_currency_rows
        )
    record = PledgeImport(
        campaign_id=campaign.id,
        filename=filename[:255],
        sha256=sha256,
        format=parsed.format,
        generation=parsed.generation,
        actor_id=actor.user_id,
        actor_label=actor.label,
        rejected=result.rejected,
        rejected_rows=json.dumps([_error_dict(e) for e in result.errors]),
        other_currency_rows=json.dumps(result.other_currency_rows),
    )
    try:
        result.record = start_run(session, record)
    except RunBusy as busy:
        raise ImportBusy(_busy_reason(busy.running)) from None
    try:
        _write(session, parsed, result, on_rows)
    except BaseException as error:
        fail_run(session, result.record)
        if isinstance(error, ExportError):  # the file changed between the two passes
            raise ImportRefused(str(error)) from None
        if isinstance(error, IntegrityError):
            raise ImportRefused(
                "Another import changed these pledges at the same time, and this one stopped "
                "halfway: import the file again."
            ) from None
        raise
    finish_run(session, result.record)
    return result


def _write(session, parsed: ParsedExport, result: ImportResult, on_rows) -> None:
    record = result.record
    writer = LedgerWriter(
        session,
        campaign_id=record.campaign_id,
        platform=parsed.format,
        import_id=record.id,
        counts=Counts(),
    )
    # The first pass counted and kept the bad rows; this one only skips them.
    for batch in _batches(_good_rows(parsed.reread(), lambda _error: None), BATCH):

        def work(batch=batch) -> None:
            writer.counts = Counts()  # a retried batch counts afresh
            writer.write(batch)
            record.created = result.created + writer.counts.created
            record.updated = result.updated + writer.counts.updated
            record.unchanged = result.unchanged + writer.counts.unchanged
            record.last_batch_at = utcnow()
            session.add(record)

        commit_with_retry(session, work, what=record.filename)
        result.add(writer.counts)
        if on_rows:
            on_rows(len(batch))


def _busy_reason(running: PledgeImport | None) -> str:
    if running is None:
        return "An import of this campaign is running; try again when it has finished."
    return (
        f"An import of this campaign is running ({running.filename}, started "
        f"{running.imported_at:%Y-%m-%d %H:%M} UTC); try again when it has finished."
    )


def _good_rows(
    rows: Iterable[PledgeRow | RowError], reject: Callable[[RowError], None]
) -> Iterator[PledgeRow]:
    seen: dict[str, int] = {}
    for row in rows:
        if isinstance(row, RowError):
            reject(row)
            continue
        first = seen.setdefault(row.platform_key, row.line)
        if first != row.line:
            reject(
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
