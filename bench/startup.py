"""Time how long the tracker takes to start, against `flask --version` in the same run.

    .venv/bin/python bench/startup.py [--runs 10]

Runs, as a shell or cron would, `tracker --help`, `tracker feeds poll` on a migrated
SQLite database whose channels are all scheduled later (nothing due), and the baseline
`flask --version`, one after the other in each round so that the load of a busy machine
falls on all three alike, and prints the median of each with its ratio to the baseline.
Targets (issue 11): `tracker --help` <= 3 x the baseline, an empty poll <= 4 x.
Exits 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from timing import time_command

BIN = Path(sys.executable).parent
TARGETS = {"tracker --help": 3.0, "tracker feeds poll": 4.0}
CHANNELS = 50


def make_database(url: str) -> None:
    """Migrate a fresh database and give it channels that are due only tomorrow."""
    # Imported here: the benchmark's own process may pay for the app, the runs may not.
    from sqlalchemy import update
    from sqlmodel import Session

    from tracker.accounts.users import create_user
    from tracker.campaigns.campaigns import CampaignInput, create_campaign
    from tracker.db import make_engine
    from tracker.feeds.channels import create_channel
    from tracker.models import Channel
    from tracker.schema import upgrade

    engine = make_engine(url)
    upgrade(engine)
    with Session(engine) as session:
        secret = "bench password 1"  # noqa: S105  (a throwaway database)
        owner = create_user(session, email="bench@example.com", password=secret)
        campaign = create_campaign(
            session,
            owner=owner,
            data=CampaignInput(
                slug="bench",
                title="Bench",
                goal_minor=100,
                currency="EUR",
                starts_on=date(2026, 11, 1),
                ends_on=date(2026, 12, 1),
            ),
        )
        for n in range(CHANNELS):
            url = f"http://127.0.0.1:9/{n}.xml"
            create_channel(session, campaign, role="updates", kind="direct", feed_url=url)
        tomorrow = datetime.now(UTC) + timedelta(days=1)
        session.execute(update(Channel).values(next_poll_at=tomorrow))
        session.commit()
    engine.dispose()


def run(command: list[str], env: dict[str, str], cwd: str) -> float:
    """Run `command` to completion; return its wall-clock seconds."""
    return time_command(command, env, cwd)[0]


def load() -> str:
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'bench.sqlite3'}"
        make_database(url)
        env = {**os.environ, "TRACKER_DATABASE_URL": url}
        env.pop("FLASK_APP", None)
        commands = {
            "flask --version": [str(BIN / "flask"), "--version"],
            "tracker --help": [str(BIN / "tracker"), "--help"],
            "tracker feeds poll": [str(BIN / "tracker"), "feeds", "poll"],
        }
        for command in commands.values():  # once, unmeasured: bytecode and page cache warm
            run(command, env, folder)
        print(f"load average before: {load()}")
        times: dict[str, list[float]] = {name: [] for name in commands}
        for _round in range(args.runs):
            for name, command in commands.items():
                times[name].append(run(command, env, folder))
        print(f"load average after:  {load()}")

    medians = {name: statistics.median(values) for name, values in times.items()}
    baseline = medians["flask --version"]
    missed = []
    print(f"median of {args.runs} runs (min-max)")
    for name, values in times.items():
        line = f"  {name:<20} {medians[name]:6.3f} s  ({min(values):.3f}-{max(values):.3f})"
        if name in TARGETS:
            ratio = medians[name] / baseline
            verdict = "met" if ratio <= TARGETS[name] else "MISSED"
            line += f"  {ratio:4.2f} x baseline (target <= {TARGETS[name]:g} x: {verdict})"
            if verdict != "met":
                missed.append(name)
        else:
            line += "  baseline"
        print(line)
    sys.exit(1 if missed else 0)


if __name__ == "__main__":
    main()
