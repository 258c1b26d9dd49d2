"""Demo pledges: a realistic live Kickstarter campaign, imported like a real backer report.

The report is generated from tracker/demo/data/pledges.json with a fixed seed, dated
relative to today, and carries no personal data at all (name and email columns stay empty).
"""

import csv
import io
import json
import random
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

from sqlmodel import Session

from tracker.models import Actor, Campaign
from tracker.pledges.imports import import_pledges

HEADER = [
    "Backer Number", "Backer UID", "Backer Name", "Email", "Shipping Country",
    "Shipping Amount", "Reward Title", "Backing Minimum", "Reward ID", "Bonus Support",
    "Pledge Amount", "Pledged At", "Fulfillment Status", "Pledged Status", "Notes",
]  # fmt: skip


def demo_backer_report(spec: dict, *, currency: str, launched: date) -> bytes:
    """Write the demo campaign's backer report as Kickstarter (d) CSV bytes."""
    rng = random.Random(spec["seed"])  # noqa: S311 (reproducible demo data, not secrets)
    addons = spec["addons"]
    header = HEADER + [f"[Addon: {a['id']}] {a['name']}" for a in addons]
    countries, weights = zip(*spec["countries"].items(), strict=True)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    number = 0
    for day, backers in enumerate(spec["backers_per_day"]):
        tiers = [t for t in spec["tiers"] if day <= t.get("limit_day", day)]
        for _ in range(backers):
            number += 1
            tier = rng.choices(tiers, weights=[t["weight"] for t in tiers])[0]
            minimum = Decimal(tier["minimum"])
            bonus = Decimal(rng.choice((5, 10, 20))) if rng.random() < spec["bonus_share"] else 0
            quantities = [1 if rng.random() < a["share"] else 0 for a in addons]
            extra = sum(Decimal(a["price"]) * q for a, q in zip(addons, quantities, strict=True))
            at = datetime.combine(launched + timedelta(days=day), time(0), tzinfo=UTC) + timedelta(
                minutes=rng.randrange(24 * 60)
            )
            status = "canceled" if rng.random() < spec["dropped_share"] else "pledged"
            writer.writerow(
                [
                    number,
                    700000 + number,
                    "",
                    "",
                    rng.choices(countries, weights)[0],
                    _money(0, currency),
                    tier["title"],
                    _money(minimum, currency),
                    4000 + spec["tiers"].index(tier),
                    _money(bonus, currency),
                    _money(minimum + bonus + extra, currency),
                    at.strftime("%Y/%m/%d, %H:%M"),
                    "",
                    status,
                    "",
                    *quantities,
                ]
            )
    return out.getvalue().encode()


def _money(amount, currency: str) -> str:
    return f"{Decimal(amount):,.2f} {currency}"


def load_demo_pledges(
    session: Session, campaign: Campaign, *, spec_bytes: bytes, actor: Actor
) -> None:
    """Import the generated demo report into the campaign's ledger."""
    spec = json.loads(spec_bytes)
    report = demo_backer_report(spec, currency=campaign.currency, launched=campaign.starts_on)
    import_pledges(
        session,
        campaign=campaign,
        fileobj=io.BytesIO(report),
        filename="Kickstarter Backer Report - demo.csv",
        actor=actor,
    )
