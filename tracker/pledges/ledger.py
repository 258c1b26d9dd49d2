"""Write batches of parsed pledges into the ledger: insert new, update changed, skip same.

The hot path of an import. New pledges go in through the driver's own executemany with
positional parameters, because SQLAlchemy's per-row parameter processing costs more than
the database work itself; updates are rare and use the ordinary Core path.
"""

import hashlib
from dataclasses import replace
from datetime import UTC, datetime

from sqlalchemy import bindparam, delete, insert, select, update
from sqlmodel import Session

from tracker.models import Pledge, PledgeAddon, PledgeStatusChange
from tracker.pledges.reader import PledgeRow

_COLUMNS = (
    "campaign_id",
    "platform",
    "platform_key",
    "amount_minor",
    "currency",
    "status",
    "status_raw",
    "pledged_at",
    "tier",
    "country",
    "fulfilment",
    "digest",
    "import_id",
)


def digest_of(row: PledgeRow) -> str:
    """Return a short, stable fingerprint of everything stored about a pledge."""
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


def _sqlite_datetime(value: datetime | None) -> str | None:
    # The text form SQLAlchemy's SQLite DATETIME writes and reads: naive UTC, microseconds,
    # a four-digit year (strftime's %Y writes year 1 as '1', which SQLite's date() cannot read).
    if value is None:
        return None
    v = value.astimezone(UTC)
    return (
        f"{v.year:04d}-{v.month:02d}-{v.day:02d} "
        f"{v.hour:02d}:{v.minute:02d}:{v.second:02d}.{v.microsecond:06d}"
    )


class LedgerWriter:
    """Apply batches of rows of one import to one campaign's ledger."""

    def __init__(
        self, session: Session, *, campaign_id: int, platform: str, import_id: int, counts
    ):
        self.session, self.campaign_id, self.platform = session, campaign_id, platform
        self.import_id, self.counts = import_id, counts
        dialect = session.get_bind().dialect
        self.marker = marker = "?" if dialect.paramstyle == "qmark" else "%s"
        # Built from constants only (table and column names, the driver's marker).
        columns, markers = ", ".join(_COLUMNS), ", ".join([marker] * len(_COLUMNS))
        self.insert_sql = f"INSERT INTO pledges ({columns}) VALUES ({markers})"  # noqa: S608
        self.datetime_param = _sqlite_datetime if dialect.name == "sqlite" else (lambda v: v)
        # A first import into an empty ledger needs no look-ups of existing pledges. One
        # import runs per campaign at a time (PledgeImport's running index), and a live
        # poll stores nothing while one runs (pledges.live), so no other writer adds to
        # this ledger between the batches.
        self.empty = (
            session.execute(select(Pledge.id).where(*self._mine()).limit(1)).first() is None
        )
        # Keys an export may give in place of the ledger's (the legacy number of a pledge
        # that Open Collective's API connector stored under its short id): read as that key.
        self.aliases: dict[str, str] = {}
        if not self.empty:
            self.aliases = dict(
                session.execute(
                    select(Pledge.alias_key, Pledge.platform_key).where(
                        *self._mine(), Pledge.alias_key.is_not(None)
                    )
                ).all()
            )

    def _mine(self):
        return Pledge.campaign_id == self.campaign_id, Pledge.platform == self.platform

    @property
    def connection(self):
        # The batch's own: each batch is a transaction, and a commit returns the connection.
        return self.session.connection()

    def write(self, batch: list[PledgeRow]) -> None:
        """Insert, update or skip each row of the batch."""
        if self.aliases:
            batch = [self._unaliased(row) for row in batch]
        existing = {} if self.empty else self._existing([row.platform_key for row in batch])
        new, changed, addon_owners = [], [], []
        for row in batch:
            digest = digest_of(row)
            known = existing.get(row.platform_key)
            if known is None:
                new.append((row, digest))
            elif known[1] != digest:
                changed.append((row, digest, known))
            else:
                self.counts.unchanged += 1
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
            self.connection.execute(insert(PledgeAddon.__table__), addons)

    def _unaliased(self, row: PledgeRow) -> PledgeRow:
        key = self.aliases.get(row.platform_key)
        return row if key is None else replace(row, platform_key=key)

    def _existing(self, keys: list[str]) -> dict[str, tuple[int, str, str]]:
        # Driver-level like the insert: SQLAlchemy's expanding IN costs more than the query.
        markers = ", ".join([self.marker] * len(keys))
        rows = self.connection.exec_driver_sql(
            "SELECT platform_key, id, digest, status FROM pledges "  # noqa: S608 (constants)
            f"WHERE campaign_id = {self.marker} AND platform = {self.marker} "
            f"AND platform_key IN ({markers})",
            (self.campaign_id, self.platform, *keys),
        )
        return {key: (pid, digest, status) for key, pid, digest, status in rows}

    def _insert(self, new, addon_owners) -> None:
        to_db, campaign, platform, import_id = (
            self.datetime_param,
            self.campaign_id,
            self.platform,
            self.import_id,
        )
        self.connection.exec_driver_sql(
            self.insert_sql,
            [
                (
                    campaign,
                    platform,
                    row.platform_key[:100],
                    row.amount_minor,
                    row.currency,
                    row.status,
                    row.status_raw[:40],
                    to_db(row.pledged_at),
                    row.tier[:200] if row.tier else None,
                    row.country,
                    row.fulfilment,
                    digest,
                    import_id,
                )
                for row, digest in new
            ],
        )
        with_addons = {row.platform_key[:100]: row for row, _ in new if row.addons}
        if with_addons:
            ids = self._existing(list(with_addons))
            addon_owners.extend((ids[key][0], row) for key, row in with_addons.items())
        self.counts.created += len(new)

    def _update(self, changed, addon_owners) -> None:
        self.connection.execute(
            update(Pledge.__table__).where(Pledge.__table__.c.id == bindparam("pid")),
            [
                {
                    "pid": known[0],
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
                for row, digest, known in changed
            ],
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
            self.connection.execute(insert(PledgeStatusChange.__table__), moved)
            self.counts.status_changes += len(moved)
        ids = [known[0] for _, _, known in changed]
        self.connection.execute(delete(PledgeAddon).where(PledgeAddon.pledge_id.in_(ids)))
        addon_owners.extend((known[0], row) for row, _, known in changed if row.addons)
        self.counts.updated += len(changed)
