"""What a poll did: each channel's outcome and the run's one-line summary.

Apart from the poller, so that a cron poll that finds nothing due can say so without
importing it (tracker.cli.feeds).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PollOutcome:
    """One channel's poll: updated, not_modified, failed or paused (after failing)."""

    channel_id: int
    status: str
    new: int = 0
    error: str | None = None


@dataclass
class PollSummary:
    """What a poll run did, for the one-line summary."""

    polled: int = 0
    updated: int = 0
    not_modified: int = 0
    failed: int = 0
    paused: int = 0
    new_entries: int = 0

    def add(self, outcome: PollOutcome) -> None:
        self.polled += 1
        self.new_entries += outcome.new
        if outcome.status == "updated":
            self.updated += 1
        elif outcome.status == "not_modified":
            self.not_modified += 1
        else:
            self.failed += 1
            self.paused += outcome.status == "paused"

    def line(self, seconds: float) -> str:
        return (
            f"polled {self.polled} channels in {seconds:.1f} s: {self.updated} changed, "
            f"{self.not_modified} not modified, {self.failed} failed "
            f"({self.paused} paused), {self.new_entries} new entries"
        )
