import csv
import io
import re
import zipfile
from collections import Counter, defaultdict
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tracker.pledges.formats import normalise
from tracker.pledges.reader import ExportError, PledgeRow, RowError, read_export

DATA = Path(__file__).parent.parent / "data" / "pledges"


def parse(name, *, currency="USD", fmt="auto"):
    with open(DATA / name, "rb") as fileobj:
        parsed = read_export(fileobj, filename=name, fmt=fmt, default_currency=currency)
        return parsed.format, parsed.generation, list(parsed.rows)


def parse_bytes(data, *, name="upload.csv", currency="USD", fmt="auto"):
    parsed = read_export(io.BytesIO(data), filename=name, fmt=fmt, default_currency=currency)
    return list(parsed.rows)


def totals(rows):
    """Return {status: {currency: minor units}} and {status: count} of pledge rows."""
    sums = defaultdict(Counter)
    for row in rows:
        sums[row.status][row.currency] += row.amount_minor
    return {status: dict(by) for status, by in sums.items()}, Counter(r.status for r in rows)


GOLDEN = [
    ("kickstarter_a.csv", "USD", "kickstarter", "kickstarter-a",
     {"collected": {"USD": 104000}, "dropped": {"USD": 3000}, "failed": {"USD": 100}}),
    ("kickstarter_b.csv", "USD", "kickstarter", "kickstarter-b",
     {"collected": {"USD": 9000}, "dropped": {"USD": 5000}, "failed": {"USD": 500}}),
    ("kickstarter_c.csv", "EUR", "kickstarter", "kickstarter-c",
     {"collected": {"EUR": 128150}, "dropped": {"EUR": 4400}, "refunded": {"EUR": 100}}),
    ("kickstarter_d.csv", "CAD", "kickstarter", "kickstarter-d",
     {"collected": {"CAD": 23300}, "pledged": {"CAD": 7900}, "dropped": {"CAD": 100},
      "failed": {"CAD": 5900}}),
    ("kickstarter_cp1252.csv", "EUR", "kickstarter", "kickstarter-b",
     {"collected": {"EUR": 6500}}),
    ("kickstarter_tiers.zip", "USD", "kickstarter", "kickstarter-c",
     {"collected": {"USD": 7400}, "dropped": {"USD": 5900}}),
    ("indiegogo_contributions.csv", "USD", "indiegogo", "indiegogo-contributions",
     {"collected": {"USD": 128500}}),
    ("indiegogo_payments.csv", "EUR", "indiegogo", "indiegogo-payments",
     {"collected": {"EUR": 3000, "GBP": 1500}, "pledged": {"EUR": 4550},
      "failed": {"EUR": 2999}, "dropped": {"EUR": 1000}}),
    ("opencollective_fields.csv", "USD", "opencollective", "opencollective-fields",
     {"collected": {"USD": 105000}, "refunded": {"USD": 2500}}),
    ("opencollective_labels.csv", "EUR", "opencollective", "opencollective-labels",
     {"collected": {"EUR": 2000}, "refunded": {"EUR": 3550}}),
    ("generic.csv", "USD", "generic", None,
     {"collected": {"USD": 2500, "JPY": 5000}, "pledged": {"USD": 10000},
      "refunded": {"USD": 100000}}),
    ("generic_semicolon.csv", "EUR", "generic", None,
     {"collected": {"EUR": 249406}, "failed": {"EUR": 100000}, "dropped": {"EUR": 1000}}),
]  # fmt: skip


@pytest.mark.parametrize(("name", "currency", "fmt", "generation", "expected"), GOLDEN)
def test_golden_file_totals_to_the_cent(name, currency, fmt, generation, expected):
    found_fmt, found_generation, rows = parse(name, currency=currency)
    assert (found_fmt, found_generation) == (fmt, generation)
    assert all(isinstance(row, PledgeRow) for row in rows)
    sums, _ = totals(rows)
    assert sums == expected


@pytest.mark.parametrize(
    ("name", "counts"),
    [
        ("kickstarter_a.csv", {"collected": 2, "dropped": 1, "failed": 1}),
        ("kickstarter_b.csv", {"collected": 3, "dropped": 1, "failed": 1}),
        ("kickstarter_c.csv", {"collected": 2, "dropped": 1, "refunded": 1}),
        ("kickstarter_d.csv", {"collected": 2, "pledged": 1, "dropped": 1, "failed": 1}),
        ("kickstarter_tiers.zip", {"collected": 3, "dropped": 1}),
        ("indiegogo_payments.csv", {"collected": 2, "pledged": 1, "failed": 2, "dropped": 1}),
        ("opencollective_fields.csv", {"collected": 2, "refunded": 1}),
        ("opencollective_labels.csv", {"collected": 1, "refunded": 1}),
    ],
)
def test_golden_file_counts_per_status(name, counts):
    _, _, rows = parse(name)
    assert totals(rows)[1] == counts


@pytest.mark.parametrize(("name", "fmt"), [(g[0], g[2]) for g in GOLDEN])
def test_a_forced_format_reads_the_same_rows(name, fmt):
    assert parse(name, fmt=fmt)[2] == parse(name)[2]


def test_kickstarter_d_reads_addons_tiers_fulfilment_and_ignores_pledge_over_time():
    _, _, rows = parse("kickstarter_d.csv", currency="CAD")
    first, second, late, no_reward, _ = rows
    assert first.addons == (("Extra dice", 1), ("Metal coins", 1))
    assert second.addons == (("Extra dice", 2),)
    assert late.addons == ()
    assert (first.tier, no_reward.tier) == ("Core Box", "CA$ 1.00 CAD")
    assert [r.fulfilment for r in rows] == ["unsent", "sent", "unsent", None, "unsent"]
    assert (late.status, late.amount_minor) == ("pledged", 7900)
    assert [r.platform_key for r in rows] == ["90000001", "90000002", "90000004", "90000005",
                                              "90000006"]  # fmt: skip
    assert first.pledged_at == datetime(2026, 5, 1, 15, 0, tzinfo=UTC)


def test_kickstarter_b_reads_bom_twitter_and_quoted_commas():
    _, _, rows = parse("kickstarter_b.csv")
    assert [r.platform_key for r in rows] == ["1", "2", "3", "4", "5"]
    assert [r.line for r in rows] == [2, 3, 4, 5, 6]
    assert rows[0] == PledgeRow(
        line=2, source="kickstarter_b.csv", platform_key="1", amount_minor=1000,
        currency="USD", status="collected", status_raw="collected",
        pledged_at=datetime(2014, 4, 24, 5, 37, tzinfo=UTC), tier="$5.00 USD", country="US",
        fulfilment="unsent", addons=(),
    )  # fmt: skip
    assert rows[3].status_raw == "canceled"


def test_kickstarter_a_keys_by_backer_id_and_reads_rewards_sent():
    _, _, rows = parse("kickstarter_a.csv")
    assert [r.platform_key for r in rows] == ["1001", "1002", "1003", "1004"]
    assert [r.fulfilment for r in rows] == ["sent", "unsent", "unsent", "unsent"]
    assert rows[3].tier is None


def test_line_numbers_count_newlines_inside_quotes():
    _, _, rows = parse("kickstarter_c.csv", currency="EUR")
    assert [r.line for r in rows] == [2, 3, 5, 6]
    assert [r.tier for r in rows] == ["Starter Set", "Collector's Edition", "Starter Set",
                                      "Thank you"]  # fmt: skip
    assert [r.country for r in rows] == ["NO", "DE", "PL", "FR"]


def test_zip_of_tiers_names_each_member_and_skips_mac_junk():
    _, _, rows = parse("kickstarter_tiers.zip")
    where = [f"{r.source}:{r.line}" for r in rows]
    assert where == [
        "Kickstarter Backer Report - $5 - Aug 18 07am.csv:2",
        "Kickstarter Backer Report - $5 - Aug 18 07am.csv:3",
        "Kickstarter Backer Report - $59 - Aug 18 07am.csv:2",
        "Kickstarter Backer Report - $59 - Aug 18 07am.csv:3",
    ]


def test_windows_1252_file_is_detected():
    _, _, rows = parse("kickstarter_cp1252.csv", currency="EUR")
    assert [r.tier for r in rows] == ["€25.00 EUR", "€40.00 EUR"]


def test_indiegogo_contributions_imply_completed_and_map_fulfilment():
    _, _, rows = parse("indiegogo_contributions.csv")
    assert [r.platform_key for r in rows] == ["88001", "88002", "88003"]
    assert {r.status_raw for r in rows} == {"Completed"}
    assert [r.fulfilment for r in rows] == ["unsent", "sent", "preparing"]
    assert [r.country for r in rows] == ["US", "CA", "DE"]
    assert [r.tier for r in rows] == ["Early Bird", "Backer Edition", None]
    assert rows[2].pledged_at == datetime(2016, 4, 26, 16, 0, tzinfo=UTC)


def test_indiegogo_payments_keep_raw_status_and_currency():
    _, _, rows = parse("indiegogo_payments.csv", currency="EUR")
    assert [(r.status_raw, r.status) for r in rows] == [
        ("Completed", "collected"), ("Completed", "collected"), ("Deferred", "pledged"),
        ("Incomplete", "failed"), ("Deferred with error", "failed"), ("Canceled", "dropped"),
    ]  # fmt: skip
    assert rows[1].currency == "GBP"


def test_opencollective_keeps_credit_contributions_and_marks_refunds():
    _, _, rows = parse("opencollective_fields.csv")
    assert [(r.platform_key, r.status, r.status_raw, r.line) for r in rows] == [
        ("f7e6d5c4", "collected", "PAID", 2),
        ("e5d4c3b2", "refunded", "REFUNDED", 4),
        ("a1b2c3d4", "collected", "PAID", 7),
    ]
    _, _, rows = parse("opencollective_labels.csv", currency="EUR")
    assert [(r.platform_key, r.status) for r in rows] == [("t-102", "refunded"),
                                                          ("t-101", "collected")]  # fmt: skip


@pytest.mark.parametrize(
    "key_column",
    ["id", "Transaction GraphQL ID", "shortId", "Short Transaction ID"],
)
def test_opencollective_keys_are_the_short_id_the_api_connector_stores(key_column):
    # The export's shortId is the first eight characters of the transaction's GraphQL id.
    graphql_id = "8vw5bgpm-dxkd4lzy-6yyqjaro-nm0e7y3a"
    cell = graphql_id if "short" not in key_column.lower() else graphql_id[:8]
    header = f"datetime,{key_column},Transaction ID,type,kind,amount,currency"
    data = f"{header}\n2026-11-03T10:00:00,{cell},4711,CREDIT,CONTRIBUTION,50.00,USD\n"
    [row] = parse_bytes(data.encode())
    assert row.platform_key == "8vw5bgpm"


def test_opencollective_legacy_transaction_id_alone_stays_the_key():
    data = "Date & Time,Transaction ID,Credit/Debit,Kind,Gross Amount,Currency\n"
    data += "2026-11-03 10:00:00,4711,CREDIT,CONTRIBUTION,50.00,USD\n"
    [row] = parse_bytes(data.encode())
    assert row.platform_key == "4711"


def test_generic_reads_optional_columns_and_zones():
    _, _, rows = parse("generic.csv")
    assert [r.country for r in rows] == ["US", "DE", "GB", "JP"]
    assert [r.fulfilment for r in rows] == ["sent", "unsent", None, "preparing"]
    assert rows[1].currency == "USD"  # blank currency cell: the campaign's
    assert rows[3].pledged_at == datetime(2026, 11, 5, 0, 0, tzinfo=UTC)
    assert rows[3].tier is None


def test_generic_semicolon_file_reads_decimal_commas():
    _, _, rows = parse("generic_semicolon.csv", currency="EUR")
    assert [r.amount_minor for r in rows] == [2550, 123456, 100000, 1000, 123400]
    assert rows[0].tier == "Unterstützer"


def test_each_kind_of_bad_row_is_reported_and_parsing_goes_on():
    _, _, rows = parse("kickstarter_bad_rows.csv")
    errors = [r for r in rows if isinstance(r, RowError)]
    assert [r.platform_key for r in rows if isinstance(r, PledgeRow)] == ["70000001",
                                                                          "70000009"]  # fmt: skip
    assert [(e.line, e.column, e.value, e.reason) for e in errors] == [
        (3, "Pledge Amount", "$12.3x USD", "not a money amount"),
        (4, "Pledged At", "2026/02/30, 10:00", "not a date"),
        (5, "Pledge Amount", "$10.00 XYZ", "unknown currency 'XYZ'"),
        (6, "Backer UID", "", "missing value"),
        (7, "Pledged Status", "exploded", "unknown status"),
        (8, "[Addon: 501] Extra dice", "two", "not a whole number"),
        (9, "Pledge Amount", "-$10.00 USD", "negative amount"),
    ]  # fmt: skip
    assert (
        str(errors[0])
        == "kickstarter_bad_rows.csv:3: Pledge Amount '$12.3x USD': not a money amount"
    )


def test_row_error_value_is_truncated():
    data = "external_id,amount,currency,pledged_at,tier,status\nx,1,USD,2026-01-01,,{}\n"
    (error,) = parse_bytes(data.format("z" * 500).encode())
    assert error.column == "status"
    assert len(error.value) == 80


def test_currency_column_must_agree_with_the_amount():
    data = b"external_id,amount,currency,pledged_at,tier,status\nx,EUR 5.00,USD,,,collected\n"
    (error,) = parse_bytes(data)
    assert (error.column, error.reason) == (
        "amount",
        "amount in EUR but the currency column says USD",
    )


def test_blank_lines_and_trailing_empty_cells_are_tolerated():
    data = (
        b"external_id,amount,currency,pledged_at,tier,status,country\n\nx,5,,,,collected,,,\n,,,\n"
    )
    (row,) = parse_bytes(data)
    assert (row.line, row.amount_minor, row.country, row.pledged_at) == (3, 500, None, None)


def test_shifted_rows_are_refused_without_showing_any_cell():
    header = "Backer UID,Backer Name,Email,Pledge Amount,Pledged At,Pledged Status\n"
    short = "1,Uma Underwood,$5.00 USD,2026/01/01,collected\n"
    long = "2,Underwood, Uma,uma@example.com,$5.00 USD,2026/01/01,collected\n"
    errors = parse_bytes((header + short + long).encode())
    assert [str(e) for e in errors] == [
        "upload.csv:2: 5 cells where the header has 6",
        "upload.csv:3: 7 cells where the header has 6",
    ]
    assert all(e.value == "" for e in errors)


def test_rows_are_produced_lazily():
    header = "external_id,amount,currency,pledged_at,tier,status\n"
    body = "".join(f"id-{i},{i}.00,USD,2026-01-01T00:00:00,Tier,collected\n" for i in range(20000))
    fileobj = io.BytesIO((header + body).encode())
    parsed = read_export(fileobj, filename="big.csv", default_currency="USD")
    first = next(parsed.rows)
    assert first.platform_key == "id-0"
    assert fileobj.tell() < len(fileobj.getvalue()) // 10
    assert sum(1 for _ in parsed.rows) == 19999


BAD_FILES = [
    (b"", "upload.csv is empty."),
    (b"  \r\n\r\n", "upload.csv is empty."),
    (b"\xef\xbb\xbf", "upload.csv is empty."),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "not a CSV text file: it holds binary data at byte 8"),
    (bytes(range(128, 256)) * 3, "neither UTF-8 nor Windows-1252"),
    ("external_id,amount\n".encode("utf-16"), "UTF-16"),
    (b"PK\x03\x04garbage", "cannot be opened"),
]


@pytest.mark.parametrize(("data", "message"), BAD_FILES)
def test_bad_files_are_refused_before_any_row(data, message):
    with pytest.raises(ExportError, match=re.escape(message)):
        read_export(io.BytesIO(data), filename="upload.csv", default_currency="USD")


def test_unknown_header_lists_the_columns_each_format_expects():
    data = b"Name,Email,Total\nUma Underwood,uma@example.com,5\n"
    with pytest.raises(ExportError) as caught:
        read_export(io.BytesIO(data), filename="upload.csv", default_currency="USD")
    message = str(caught.value)
    expected = ["Backer UID", "Pledged Status", "Pledge ID", "Funding Date", "shortId"]
    expected += ["Credit/Debit", "external_id, amount, currency, pledged_at, tier, status"]
    assert [column for column in expected if column not in message] == []


def test_a_headerless_file_is_refused_without_echoing_its_first_row():
    data = b"13,1,Uma Underwood,uma.underwood@example.com,US,$5.00 USD\n"
    with pytest.raises(ExportError) as caught:
        read_export(io.BytesIO(data), filename="upload.csv", default_currency="USD")
    assert "Underwood" not in str(caught.value)
    assert "example.com" not in str(caught.value)


def test_missing_required_column_is_named():
    data = b"Backer UID,Pledge Amount,Pledged Status\n1,$5.00 USD,collected\n"
    with pytest.raises(ExportError, match="has no 'Pledged At' column"):
        read_export(io.BytesIO(data), filename="upload.csv", default_currency="USD")
    wanted = "has no 'Backer UID' or 'Backer Id' or 'Backer Number' column"
    with open(DATA / "generic.csv", "rb") as fileobj, pytest.raises(ExportError, match=wanted):
        read_export(fileobj, filename="g.csv", fmt="kickstarter", default_currency="USD")


def test_unknown_format_name_is_refused():
    with pytest.raises(ExportError, match="Unknown format 'xlsx'"):
        read_export(io.BytesIO(b"a\n"), filename="x.csv", fmt="xlsx", default_currency="USD")


def test_mixed_zip_is_refused_naming_both_members():
    with pytest.raises(ExportError, match="mixes formats") as caught:
        parse("mixed_formats.zip")
    assert "indiegogo.csv is indiegogo" in str(caught.value)


def test_mixed_encoding_is_refused_naming_offset_and_line():
    with pytest.raises(ExportError, match=r"mixes UTF-8 .* offset \d+ \(line 3\)"):
        parse("mixed_encoding.csv")


def _zip(members):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def test_zip_without_csv_and_workbooks_are_refused():
    with pytest.raises(ExportError, match="no CSV file"):
        parse_bytes(_zip({"readme.txt": b"hi"}), name="a.zip")
    with pytest.raises(ExportError, match="spreadsheet workbook"):
        parse_bytes(_zip({"[Content_Types].xml": b"<x/>", "xl/a.xml": b""}), name="a.xlsx")


PERSONAL = {
    "backer name", "email", "twitter", "notes", "name", "shipping name", "shipping address",
    "shipping address 1", "shipping address 2", "shipping city", "shipping state",
    "shipping postal code", "shipping zip/postal code", "shipping phone number",
    "shipping delivery notes", "what size?", "which expansion first?", "description",
    "oppositeaccountname", "opposite account name", "oppositeaccountslug",
    "opposite account handle", "ordermemo", "contribution memo", "billing state/province",
}  # fmt: skip


def _personal_values(path):
    raw = path.read_bytes()
    texts = []
    if raw.startswith(b"PK"):
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            texts = [archive.read(n).decode("utf-8-sig") for n in archive.namelist()
                     if n.endswith(".csv") and not n.startswith("__MACOSX")]  # fmt: skip
    else:
        try:
            texts = [raw.decode("utf-8-sig")]
        except UnicodeDecodeError:
            texts = [raw.decode("cp1252")]
    values = set()
    for text in texts:
        rows = list(csv.reader(io.StringIO(text), delimiter=";" if ";" in text[:80] else ","))
        personal = [i for i, name in enumerate(rows[0]) if normalise(name) in PERSONAL]
        values |= {row[i] for row in rows[1:] for i in personal if i < len(row)}
    values |= set(re.findall(r"[\w.+-]+@example\.com", "\n".join(texts)))
    return {v for v in values if len(v) >= 4}


@pytest.mark.parametrize("name", sorted(p.name for p in DATA.iterdir() if "mixed" not in p.name))
def test_no_personal_data_reaches_any_parsed_result(name):
    secrets = _personal_values(DATA / name)
    assert secrets, "the golden file should carry invented personal data"
    with open(DATA / name, "rb") as fileobj:
        parsed = read_export(fileobj, filename=name, default_currency="EUR")
        shown = repr(parsed) + "".join(repr(row) + str(row) for row in parsed.rows)
    leaked = {secret for secret in secrets if secret in shown}
    assert not leaked


OUT_OF_BOUNDS = [
    # amount, pledged_at, country, fulfilment -> column, value, reason
    ("99999999999999999999999999", "", "", "", "amount", "99999999999999999999999999",
     "more than the largest amount, 100,000,000,000 USD"),
    ("9" * 5000, "", "", "", "amount", "9" * 80,
     "more than the largest amount, 100,000,000,000 USD"),
    ("5", "0001-01-01", "", "", "pledged_at", "0001-01-01",
     "must lie between 2000-01-01 and 2100-01-01"),
    ("5", "0001-01-01T00:00:00+01:00", "", "", "pledged_at", "0001-01-01T00:00:00+01:00",
     "must lie between 2000-01-01 and 2100-01-01"),
    ("5", "9999-12-31T23:59:59-14:00", "", "", "pledged_at", "9999-12-31T23:59:59-14:00",
     "must lie between 2000-01-01 and 2100-01-01"),
    ("5", "2099-01-01T00:00:00Z", "", "", "pledged_at", "2099-01-01T00:00:00Z",
     "2099-01-01 00:00 UTC lies in the future"),
    ("\u0661\u0662", "", "", "", "amount", "\u0661\u0662", "digits other than 0-9"),
    ("\uff11\uff12.00", "", "", "", "amount", "\uff11\uff12.00", "digits other than 0-9"),
    ("5", "\uff12\uff10\uff12\uff16-11-03", "", "", "pledged_at", "\uff12\uff10\uff12\uff16-11-03",
     "digits other than 0-9"),
    ("5", "", "XX", "", "country", "XX", "unknown country"),
    ("5", "", "Narnia", "", "country", "Narnia", "unknown country"),
    ("5", "", "", "lost at sea", "fulfilment", "lost at sea", "unknown fulfilment state"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("amount", "at", "country", "fulfilment", "column", "value", "reason"), OUT_OF_BOUNDS
)
def test_values_the_ledger_cannot_hold_are_refused_naming_line_column_and_reason(
    amount, at, country, fulfilment, column, value, reason
):
    header = "external_id,amount,currency,pledged_at,tier,status,country,fulfilment\n"
    good = "g-1,5.00,USD,2026-11-03,Kit,collected,US,sent\n"
    bad = f'g-2,"{amount}",USD,{at},Kit,collected,{country},{fulfilment}\n'
    first, error = parse_bytes((header + good + bad).encode())
    assert isinstance(first, PledgeRow)
    assert (error.line, error.column, error.value, error.reason) == (3, column, value, reason)


def test_foreign_digits_in_addon_quantities_and_long_keys_are_refused():
    header = "Backer UID,Pledge Amount,Pledged At,Pledged Status,[Addon: 7] Dice\n"
    rows = f"1,$5.00 USD,,collected,\u0663\n{'k' * 101},$5.00 USD,,collected,1\n"
    errors = parse_bytes((header + rows).encode())
    assert [(e.line, e.column, e.reason) for e in errors] == [
        (2, "[Addon: 7] Dice", "digits other than 0-9"),
        (3, "Backer UID", "longer than 100 characters"),
    ]


def test_a_column_the_importer_reads_may_appear_only_once():
    data = b"external_id,amount,currency,pledged_at,tier,Amount,status\nx,5,USD,,,6,collected\n"
    with pytest.raises(ExportError) as caught:
        parse_bytes(data)
    assert str(caught.value) == (
        "upload.csv:1: the column 'amount' appears twice (columns 2 and 6): keep the one to import."
    )
