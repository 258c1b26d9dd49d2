"""`tracker report` through the CLI runner: PDFs, publishing, and one-line failures."""

import pytest

from tests.factories.reports import make_report_campaign, pdf_text
from tracker.reports.publishing import published_reports


@pytest.fixture
def report_campaign(session, owner):
    return make_report_campaign(session, owner=owner, slug="lumen")


def test_report_writes_and_publishes_a_pdf(cli, session, report_campaign, tmp_path):
    output = tmp_path / "november.pdf"
    result = cli("report", "lumen", "--period", "2026-11", "-o", output, "--lang", "de")
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"{output}: ") and " pages, " in result.output
    text = pdf_text(output.read_bytes(), tmp_path)
    assert "1.250,00 €" in text and "Firmware beta" in text
    assert published_reports(session, report_campaign) == []
    note = tmp_path / "note.md"
    note.write_text("Thanks for **everything**.")
    result = cli(
        "report", "lumen", "--from", "2026-11-01", "--to", "2026-11-15",
        "--note", note, "-o", output, "--publish",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "published as version 1" in result.output
    assert "Thanks for everything." in pdf_text(output.read_bytes(), tmp_path)
    [listed] = published_reports(session, report_campaign)
    assert (listed.period_start.isoformat(), listed.period_end.isoformat()) == (
        "2026-11-01",
        "2026-11-15",
    )
    result = cli("report", "lumen", "--since-last", "-o", output)
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize(
    ("args", "reason"),
    [
        (("lumen", "--period", "2026-13"), "'2026-13' is not a month"),
        (("lumen", "--from", "2026-11-20", "--to", "2026-11-01"), "comes before the first day"),
        (("lumen", "--from", "2026-11-31", "--to", "2026-12-01"), "is not a date"),
        (("nope", "--period", "2026-11"), "not found: campaign 'nope'"),
        (("lumen",), "choose one period"),
        (("lumen", "--period", "2026-11", "--since-last"), "choose one period"),
    ],
)
def test_bad_input_fails_with_one_line(cli, report_campaign, tmp_path, args, reason):
    result = cli("report", *args, "-o", tmp_path / "x.pdf")
    assert result.exit_code == 1
    assert reason in result.output and len(result.output.strip().splitlines()) == 1
    assert not (tmp_path / "x.pdf").exists()


def test_unwritable_output_fails_before_rendering(cli, report_campaign, tmp_path):
    result = cli("report", "lumen", "--period", "2026-11", "-o", tmp_path / "missing" / "x.pdf")
    assert result.exit_code == 1 and "cannot write" in result.output
    result = cli("report", "lumen", "--period", "2026-11", "-o", tmp_path)
    assert result.exit_code == 2 and "is a directory" in result.output  # click's usage error
