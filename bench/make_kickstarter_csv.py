"""Write a realistic Kickstarter (d) backer report and time how fast it parses.

Run `python bench/make_kickstarter_csv.py [ROWS]`: it writes ROWS (default 100,000) rows
of invented example.com backers to a temporary file and prints parse rows/s.
"""

import csv
import random
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

HEADER = [
    "Backer Number", "Backer UID", "Backer Name", "Email", "Shipping Country",
    "Shipping Amount", "Reward Title", "Backing Minimum", "Reward ID", "Bonus Support",
    "Pledge Amount", "Pledged At", "Fulfillment Status", "Pledged Status", "Notes",
    "[Addon: 101] Extra dice", "[Addon: 102] Card sleeves", "[Addon: 103] Playmat",
    "Survey Response", "Shipping Name", "Shipping Address 1", "Shipping Address 2",
    "Shipping City", "Shipping State", "Shipping Postal Code", "Shipping Country Name",
    "Shipping Country Code", "Shipping Phone Number", "Shipping Delivery Notes",
    "Which colour should the meeples be?", "T-shirt size",
]  # fmt: skip
TIERS = [("Digital edition", 1500, 4101), ("Core box", 5900, 4102), ("Deluxe box", 9900, 4103)]
ADDONS = [900, 1500, 2500]
COUNTRIES = [
    ("US", "United States", 1000),
    ("DE", "Germany", 1500),
    ("GB", "United Kingdom", 1500),
    ("CA", "Canada", 1200),
    ("FR", "France", 1500),
    ("AU", "Australia", 2000),
]
FIRST = ["Ada", "Bram", "Chiara", "Dev", "Elif", "Femi", "Gus", "Hana", "Ilya", "Jo"]
LAST = ["Example", "Sample", "Tester", "Placeholder", "Doe", "Roe", "Fictional"]
STATUS_MIX = {
    "collected": 0.90,
    "dropped": 0.04,
    "errored": 0.03,
    "canceled": 0.02,
    "authentication_required": 0.01,
}


def _money(minor: int) -> str:
    return f"${minor // 100:,}.{minor % 100:02d} USD"


def write_kickstarter_csv(path, rows: int, *, seed: int = 1, status_mix=STATUS_MIX) -> None:
    """Write `rows` invented backers as a Kickstarter generation (d) report to `path`."""
    rng = random.Random(seed)
    statuses, weights = list(status_mix), list(status_mix.values())
    start = datetime(2026, 10, 1, 9, 0)
    number = 0
    with open(path, "w", newline="", encoding="utf-8-sig") as out:
        writer = csv.writer(out)
        writer.writerow(HEADER)
        for i in range(rows):
            number += 1 + (rng.random() < 0.05)  # numbers have gaps after cancellations
            title, minimum, reward_id = rng.choice(TIERS)
            code, country, shipping = rng.choice(COUNTRIES)
            if reward_id == 4101:
                shipping = 0
            bonus = rng.choice([0, 0, 0, 500, 1000])
            addons = [rng.choice([0, 0, 0, 1, 2]) for _ in ADDONS]
            total = (
                minimum + shipping + bonus + sum(q * c for q, c in zip(addons, ADDONS, strict=True))
            )
            name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
            at = start + timedelta(minutes=rng.randrange(30 * 24 * 60))
            surveyed = rng.random() < 0.8
            writer.writerow([
                number, 100000000 + i * 7 + rng.randrange(7), name,
                f"{name.lower().replace(' ', '.')}{i}@example.com", code, _money(shipping),
                title, _money(minimum), reward_id, _money(bonus), _money(total),
                at.strftime("%Y/%m/%d, %H:%M"), rng.choice(["Unfulfilled", "Fulfilled"]),
                rng.choices(statuses, weights)[0],
                rng.choice(["", "", "", "Please ship after June, thanks!"]),
                *[q or "" for q in addons],
                at.strftime("%Y/%m/%d, %H:%M") if surveyed else "",
                name if surveyed else "", f"{rng.randrange(1, 999)} Example Street",
                rng.choice(["", "Apt 4", "Unit 12"]), "Springfield", "IL",
                f"{rng.randrange(10000, 99999)}", country, code,
                f"+1 555 01{rng.randrange(100):02d}", rng.choice(["", "Leave at the door"]),
                rng.choice(["Red", "Blue, please", ""]), rng.choice(["S", "M", "L", "XL"]),
            ])  # fmt: skip


def measure(path: Path) -> tuple[int, float, float]:
    """Return rows parsed, wall seconds and CPU seconds of read_export over the file."""
    from tracker.pledges.reader import read_export

    began, cpu = time.perf_counter(), time.process_time()
    with open(path, "rb") as fileobj:
        parsed = read_export(fileobj, filename=path.name, default_currency="USD")
        count = sum(1 for _ in parsed.rows)
    return count, time.perf_counter() - began, time.process_time() - cpu


def main() -> None:
    """Write a report, parse it five times and print the best rows/s."""
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "Kickstarter Backer Report - All reward tiers.csv"
        write_kickstarter_csv(path, rows)
        size = path.stat().st_size
        runs = [measure(path) for _ in range(5)]
        assert all(count == rows for count, _, _ in runs)
        wall, cpu = min(run[1] for run in runs), min(run[2] for run in runs)
        # CPU time as well as wall time: on a shared machine other work inflates the wall.
        print(
            f"{rows:,} rows, {size / 1e6:.1f} MB, best of {len(runs)}: "
            f"{rows / wall:,.0f} rows/s wall ({wall:.2f} s), {rows / cpu:,.0f} rows/s CPU"
        )


if __name__ == "__main__":
    main()
