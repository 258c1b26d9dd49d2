"""Recognise the header of a crowdfunding export and map its columns once per file.

Formats and the generations told apart by their header:

- kickstarter: the backer report. kickstarter-a (Backer Id), kickstarter-b (Backer UID,
  Reward Minimum), kickstarter-c (adds Survey Response and shipping columns), kickstarter-d
  (Backing Minimum, Bonus Support, Fulfillment Status and `[Addon: 12345] Name` quantity
  columns). The key is Backer UID, else Backer Id, else Backer Number, chosen per file.
- indiegogo: the contributions export (indiegogo-contributions) and the newer payments
  export with Currency and Payment ID (indiegogo-payments), keyed by Pledge ID.
- opencollective: the transactions CSV with raw field names (opencollective-fields) or
  readable labels (opencollective-labels), keyed by the transaction's short id (shortId,
  Short Transaction ID: the first eight characters of its GraphQL id, which a full `id` or
  Transaction GraphQL ID column is cut to), else by Transaction ID (its legacy number).
  The API connector keys the contributions it polls the same way (`opencollective_keys`).
  Only CREDIT rows of kind CONTRIBUTION that are not themselves refunds are pledges;
  other rows are skipped.
- generic: our own CSV, comma- or semicolon-separated (semicolon files take decimal commas),
  one pledge per row, header names in any case:

    external_id  required, the pledge's id on its platform, unique per campaign
    amount       required, e.g. 25.00, 1234.5, $25.00 USD or 25,00 in a semicolon file
    currency     ISO 4217 code; blank means the campaign's currency
    pledged_at   ISO 8601 date or date-time (UTC when no offset is given); may be blank
    tier         reward name; may be blank
    status       pledged, collected, failed, dropped or refunded (platform words accepted)
    country      optional column: ISO 3166 alpha-2 code or English country name
    fulfilment   optional column: sent, unsent or preparing
"""

import re
from dataclasses import dataclass, field

# The export's shortId: the first characters of the transaction's id in the GraphQL API.
OPENCOLLECTIVE_SHORT_ID = 8
FORMATS = ("kickstarter", "indiegogo", "opencollective", "generic")

_ADDON = re.compile(r"\[\s*add-?on\s*:\s*([^\]]*)\]\s*(.*)", re.IGNORECASE)

# What each format needs, to name in the refusal of an unknown header.
EXPECTED = {
    "kickstarter": "Backer UID (or Backer Id), Pledge Amount, Pledged At, Pledged Status",
    "indiegogo": "Pledge ID, Amount, Funding Date, Perk",
    "opencollective": "shortId, type, kind, amount, currency, datetime "
    "(or Transaction ID, Credit/Debit, Kind, Gross Amount, Currency, Date & Time)",
    "generic": "external_id, amount, currency, pledged_at, tier, status",
}


class ExportError(Exception):
    """Refuse a file whose structure cannot be read, in one clear sentence."""


@dataclass(frozen=True, slots=True)
class Layout:
    """Say where each value a pledge needs sits in one file's rows."""

    format: str
    generation: str | None
    names: tuple[str, ...]
    key: int
    amount: int
    pledged_at: int | None
    status: int | None = None
    currency: int | None = None
    tiers: tuple[int, ...] = ()
    countries: tuple[int, ...] = ()
    fulfilment: int | None = None
    addons: tuple[tuple[int, str], ...] = ()
    # Status used when the file has no state column: (mapped, raw in the platform's words).
    implied_status: tuple[str, str] | None = None
    # What a blank fulfilment cell means.
    blank_fulfilment: str | None = None
    # Open Collective columns that decide whether a row is a pledge and whether refunded.
    transaction: dict[str, int | None] = field(default_factory=dict)
    # Keys are cut to this length (an Open Collective GraphQL id to its short id).
    key_length: int | None = None


def normalise(name: str) -> str:
    """Return a header name folded for matching: no BOM, single spaces, case-folded."""
    return " ".join(name.replace("\ufeff", "").split()).casefold()


class _Header:
    """Look up columns of one header by any of several names."""

    def __init__(self, names: list[str], source: str, label: str) -> None:
        self.names = tuple(names)
        self.source = source
        self.label = label
        self.index: dict[str, int] = {}
        self.again: dict[str, int] = {}  # the second column of a name given twice
        for i, name in enumerate(names):
            first = self.index.setdefault(normalise(name), i)
            if first != i:
                self.again.setdefault(normalise(name), i)

    def has(self, *aliases: str) -> bool:
        """Tell whether any alias names a column, to tell generations apart."""
        return any(normalise(alias) in self.index for alias in aliases)

    def find(self, *aliases: str) -> int | None:
        """Return the column to read for the first alias found; refuse one given twice."""
        for alias in aliases:
            key = normalise(alias)
            found = self.index.get(key)
            if found is not None:
                if key in self.again:
                    # Real exports repeat columns the importer ignores (Indiegogo's item
                    # options); a column it reads, given twice, leaves the value in doubt.
                    raise ExportError(
                        f"{self.source}:1: the column {self.names[found]!r} appears twice "
                        f"(columns {found + 1} and {self.again[key] + 1}): keep the one to "
                        "import."
                    )
                return found
        return None

    def require(self, *aliases: str) -> int:
        found = self.find(*aliases)
        if found is None:
            wanted = " or ".join(repr(a) for a in aliases)
            raise ExportError(f"{self.source} has no {wanted} column, which {self.label} needs.")
        return found

    def present(self, *aliases: str) -> tuple[int, ...]:
        found = (self.find(alias) for alias in aliases)
        return tuple(i for i in found if i is not None)


def _addons(h: _Header) -> tuple[tuple[int, str], ...]:
    found = []
    for i, name in enumerate(h.names):
        match = _ADDON.fullmatch(name.strip())
        if match:
            h.find(name)  # refuses an add-on column given twice
            addon_id, title = match.group(1).strip(), match.group(2).strip()
            found.append((i, title or f"Add-on {addon_id}", addon_id))
    counts: dict[str, int] = {}
    for _, title, _ in found:
        counts[title] = counts.get(title, 0) + 1
    # Two add-ons may share a name; their ids keep them apart.
    return tuple((i, f"{t} [{a}]" if counts[t] > 1 else t) for i, t, a in found)


def _kickstarter(h: _Header) -> Layout:
    key = h.require("Backer UID", "Backer Id", "Backer Number")
    addons = _addons(h)
    if addons or h.has("Backing Minimum", "Bonus Support", "Fulfillment Status"):
        generation = "kickstarter-d"
    elif h.has("Survey Response"):
        generation = "kickstarter-c"
    elif h.has("Backer UID"):
        generation = "kickstarter-b"
    else:
        generation = "kickstarter-a"
    # 'Rewards Sent?' is blank until sent; a blank 'Fulfillment Status' says nothing.
    sent_only = not h.has("Fulfillment Status") and h.has("Rewards Sent?")
    return Layout(
        format="kickstarter",
        generation=generation,
        names=h.names,
        key=key,
        amount=h.require("Pledge Amount"),
        pledged_at=h.require("Pledged At"),
        status=h.require("Pledged Status"),
        tiers=h.present("Reward Title", "Reward Minimum", "Backing Minimum", "Reward ID"),
        countries=h.present("Shipping Country Code", "Shipping Country", "Billing Country"),
        fulfilment=h.find("Fulfillment Status", "Rewards Sent?"),
        addons=addons,
        blank_fulfilment="unsent" if sent_only else None,
    )


def _indiegogo(h: _Header) -> Layout:
    payments = h.has("Payment ID", "Currency")
    status = h.find("Payment Status", "Status", "Contribution Status")
    return Layout(
        format="indiegogo",
        generation="indiegogo-payments" if payments else "indiegogo-contributions",
        names=h.names,
        key=h.require("Pledge ID"),
        amount=h.require("Amount"),
        pledged_at=h.require("Funding Date"),
        status=status,
        currency=h.find("Currency"),
        tiers=h.present("Perk", "Perk ID"),
        countries=h.present("Shipping Country"),
        fulfilment=h.find("Fulfillment Status"),
        # The contributions export lists money already taken, with no payment state.
        implied_status=None if status is not None else ("collected", "Completed"),
    )


def opencollective_keys(graphql_id: str, legacy_id: int | None = None) -> tuple[str, ...]:
    """Return an Open Collective transaction's ledger key, then the other ids exports use."""
    keys = (graphql_id[:OPENCOLLECTIVE_SHORT_ID], graphql_id)
    return keys if legacy_id is None else (*keys, str(legacy_id))


def _opencollective_key(h: _Header) -> tuple[int, int | None]:
    short = h.find("shortId", "Short Transaction ID")
    if short is not None:
        return short, None
    full = h.find("id", "Transaction GraphQL ID")
    if full is not None:
        return full, OPENCOLLECTIVE_SHORT_ID
    return h.require("shortId", "id", "Transaction ID"), None


def _opencollective(h: _Header) -> Layout:
    fields_ = h.has("shortId", "type")
    key, key_length = _opencollective_key(h)
    return Layout(
        format="opencollective",
        generation="opencollective-fields" if fields_ else "opencollective-labels",
        names=h.names,
        key=key,
        key_length=key_length,
        amount=h.require("amount", "Gross Amount", "Amount Single Column"),
        pledged_at=h.require("datetime", "Date & Time", "Effective Date & Time", "Date"),
        currency=h.require("currency"),
        implied_status=("collected", "PAID"),
        transaction={
            "type": h.require("type", "Credit/Debit"),
            "kind": h.require("kind"),
            "is_refund": h.find("isRefund", "Is Refund", "Is Reverse"),
            "is_refunded": h.find("isRefunded", "Is Refunded", "Is Reversed"),
            "refund_id": h.find(
                "shortRefundId",
                "refundId",
                "Refund ID",
                "Refund Transaction ID",
                "Reverse Transaction ID",
            ),
        },
    )


def _generic(h: _Header) -> Layout:
    return Layout(
        format="generic",
        generation=None,
        names=h.names,
        key=h.require("external_id"),
        amount=h.require("amount"),
        currency=h.require("currency"),
        pledged_at=h.require("pledged_at"),
        tiers=(h.require("tier"),),
        status=h.require("status"),
        countries=h.present("country"),
        fulfilment=h.find("fulfilment", "fulfillment"),
    )


_BUILDERS = {
    "kickstarter": (_kickstarter, "a Kickstarter backer report"),
    "indiegogo": (_indiegogo, "an Indiegogo contributions export"),
    "opencollective": (_opencollective, "an Open Collective transactions CSV"),
    "generic": (_generic, "a generic pledge CSV"),
}


def detect_format(names: list[str]) -> str | None:
    """Return the format whose signature columns the header has, or None."""
    have = {normalise(name) for name in names}
    if {"pledge amount", "pledged status"} <= have:
        return "kickstarter"
    if "pledge id" in have and have & {"perk", "perk id", "funding date"}:
        return "indiegogo"
    if "kind" in have and have & {"type", "credit/debit"} and have & {"currency"}:
        return "opencollective"
    if {"external_id", "amount"} <= have:
        return "generic"
    return None


def map_columns(names: list[str], *, fmt: str, source: str) -> Layout:
    """Return the Layout of a header, detecting the format when `fmt` is 'auto'."""
    if fmt == "auto":
        found = detect_format(names)
        if found is None:
            expected = "; ".join(f"{name}: {cols}" for name, cols in EXPECTED.items())
            # The columns found are not echoed: a file without a header would leak a backer.
            raise ExportError(
                f"{source} is not a known pledge export: its first line has "
                f"{len(names)} columns but none of the expected headers ({expected})."
            )
        fmt = found
    elif fmt not in _BUILDERS:
        raise ExportError(f"Unknown format {fmt[:40]!r}: choose auto, {', '.join(FORMATS)}.")
    build, label = _BUILDERS[fmt]
    return build(_Header(names, source, label))
