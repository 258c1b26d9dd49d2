"""Time pledge imports: 100,000 Kickstarter (d) rows into a fresh SQLite database.

Run `python bench/import_pledges.py`. Prints rows/s for a first import and for a re-import
of the same file, and the peak memory of an import of 10,000 and of 100,000 rows (each in
its own process, so one does not inherit the other's heap), next to the bare parse speed
of the same file as the baseline. Targets: >= 25,000 rows/s first import, >= 50,000 rows/s
re-import, < 100 MB memory growth between 10k and 100k rows.
"""

import json
import resource
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from make_kickstarter_csv import write_kickstarter_csv


def _import_once(db_path: Path, csv_path: Path, runs: int) -> dict:
    """Import csv_path `runs` times into a fresh database; report times and peak memory."""
    from sqlmodel import Session

    from tracker.accounts import create_user
    from tracker.campaigns import CampaignInput, create_campaign
    from tracker.db import make_engine
    from tracker.milestones import Actor
    from tracker.pledge_csv import read_export
    from tracker.pledges import import_pledges
    from tracker.schema import upgrade

    engine = make_engine(f"sqlite:///{db_path}")
    upgrade(engine)
    with Session(engine) as session:
        owner = create_user(session, email="bench@example.com", password="bench password")  # noqa: S106
        campaign = create_campaign(
            session,
            owner=owner,
            data=CampaignInput(
                slug="bench",
                title="Bench",
                goal_minor=10**9,
                currency="USD",
                starts_on=date(2026, 1, 1),
                ends_on=date(2026, 12, 31),
            ),
        )
        session.commit()
        with csv_path.open("rb") as fileobj:
            started = time.perf_counter()
            parsed = sum(
                1 for _ in read_export(fileobj, filename=csv_path.name, default_currency="USD").rows
            )
            parse_seconds = time.perf_counter() - started
        times, results = [], []
        for _ in range(runs):
            with csv_path.open("rb") as fileobj:
                started = time.perf_counter()
                result = import_pledges(
                    session,
                    campaign=campaign,
                    fileobj=fileobj,
                    filename=csv_path.name,
                    actor=Actor(label="bench"),
                )
                session.commit()
                times.append(time.perf_counter() - started)
                results.append((result.created, result.updated, result.unchanged))
    return {
        "rows": parsed,
        "parse_seconds": parse_seconds,
        "times": times,
        "results": results,
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def _in_child(db_path: Path, csv_path: Path, runs: int) -> dict:
    output = subprocess.run(
        [sys.executable, __file__, "--child", str(db_path), str(csv_path), str(runs)],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return json.loads(output)


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        small, large = tmp / "ks-10k.csv", tmp / "ks-100k.csv"
        write_kickstarter_csv(small, 10_000)
        write_kickstarter_csv(large, 100_000)
        baseline = _in_child(tmp / "baseline.sqlite3", small, 0)
        ten = _in_child(tmp / "small.sqlite3", small, 1)
        hundred = _in_child(tmp / "large.sqlite3", large, 2)
    rows = hundred["rows"]
    first, again = hundred["times"]
    print(f"file: {rows:,} rows of Kickstarter (d), {large.name}")
    print(f"bare parse (baseline)   {rows / hundred['parse_seconds']:>10,.0f} rows/s")
    print(
        f"first import            {rows / first:>10,.0f} rows/s  ({first:.2f} s; "
        f"created/updated/unchanged {hundred['results'][0]})   target >= 25,000"
    )
    print(
        f"re-import, same file    {rows / again:>10,.0f} rows/s  ({again:.2f} s; "
        f"created/updated/unchanged {hundred['results'][1]})   target >= 50,000"
    )
    print(
        f"peak RSS: process without import {baseline['peak_rss_mb']:.0f} MB, "
        f"10k import {ten['peak_rss_mb']:.0f} MB, 100k import (and re-import) "
        f"{hundred['peak_rss_mb']:.0f} MB"
    )
    growth = hundred["peak_rss_mb"] - ten["peak_rss_mb"]
    print(f"growth 10k -> 100k: {growth:.0f} MB   target < 100 MB")


if __name__ == "__main__":
    if len(sys.argv) == 5 and sys.argv[1] == "--child":
        print(json.dumps(_import_once(Path(sys.argv[2]), Path(sys.argv[3]), int(sys.argv[4]))))
    else:
        main()
