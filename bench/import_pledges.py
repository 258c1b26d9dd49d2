"""Time pledge imports: 100,000 Kickstarter (d) rows into a fresh SQLite database.

Run `python bench/import_pledges.py`. Prints rows/s for a first import and for a re-import
of the same file, next to the bare parse of the same file as the baseline, and the peak
memory of an import of 10,000 and of 100,000 rows (each in its own process, so one does not
inherit the other's heap). Rates are given by wall clock and by the process's CPU time, which
stays steady when other work shares the machine. Targets: >= 25,000 rows/s first import,
>= 50,000 rows/s re-import, < 100 MB memory growth between 10k and 100k rows.
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


def _timed(work) -> tuple[object, float, float]:
    wall, cpu = time.perf_counter(), time.process_time()
    value = work()
    return value, time.perf_counter() - wall, time.process_time() - cpu


def _import_in_this_process(db_path: Path, csv_path: Path, runs: int) -> dict:
    from sqlmodel import Session

    from tracker.accounts.users import create_user
    from tracker.campaigns.campaigns import CampaignInput, create_campaign
    from tracker.db import make_engine
    from tracker.models import Actor
    from tracker.pledges.imports import import_pledges
    from tracker.pledges.reader import read_export
    from tracker.schema import upgrade

    engine = make_engine(f"sqlite:///{db_path}")
    upgrade(engine)
    measured = {}
    with Session(engine) as session:
        owner = create_user(session, email="bench@example.com", password="bench-password")  # noqa: S106
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

        def parse():
            with csv_path.open("rb") as fileobj:
                rows = read_export(fileobj, filename=csv_path.name, default_currency="USD").rows
                return sum(1 for _ in rows)

        def import_once():
            with csv_path.open("rb") as fileobj:
                result = import_pledges(
                    session,
                    campaign=campaign,
                    fileobj=fileobj,
                    filename=csv_path.name,
                    actor=Actor(label="bench"),
                )
            session.commit()
            return [result.created, result.updated, result.unchanged]

        measured["rows"], *measured["parse"] = _timed(parse)
        measured["imports"] = [_timed(import_once) for _ in range(runs)]
    measured["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return measured


def _in_child(db_path: Path, csv_path: Path, runs: int) -> dict:
    command = [sys.executable, __file__, "--child", str(db_path), str(csv_path), str(runs)]
    return json.loads(subprocess.run(command, check=True, capture_output=True, text=True).stdout)


def _rate(rows: int, seconds: list[float]) -> str:
    wall, cpu = seconds
    return f"{rows / wall:>9,.0f} rows/s wall, {rows / cpu:>9,.0f} rows/s CPU ({wall:.2f} s)"


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
    (first_counts, *first), (again_counts, *again) = hundred["imports"]
    print(f"{rows:,} rows of Kickstarter (d) into a fresh SQLite database")
    print(f"bare parse (baseline)  {_rate(rows, hundred['parse'])}")
    print(
        f"first import           {_rate(rows, first)}  created/updated/unchanged "
        f"{first_counts}  target >= 25,000"
    )
    print(
        f"re-import, same file   {_rate(rows, again)}  created/updated/unchanged "
        f"{again_counts}  target >= 50,000"
    )
    print(
        f"import / parse time: first {first[0] / hundred['parse'][0]:.1f}x, "
        f"re-import {again[0] / hundred['parse'][0]:.1f}x"
    )
    print(
        f"peak RSS: no import {baseline['peak_rss_mb']:.0f} MB, 10k import "
        f"{ten['peak_rss_mb']:.0f} MB, 100k import and re-import {hundred['peak_rss_mb']:.0f} MB"
        f"; growth 10k -> 100k {hundred['peak_rss_mb'] - ten['peak_rss_mb']:.0f} MB"
        f"  target < 100 MB"
    )


if __name__ == "__main__":
    if len(sys.argv) == 5 and sys.argv[1] == "--child":
        path_db, path_csv, count = Path(sys.argv[2]), Path(sys.argv[3]), int(sys.argv[4])
        print(json.dumps(_import_in_this_process(path_db, path_csv, count)))
    else:
        main()
