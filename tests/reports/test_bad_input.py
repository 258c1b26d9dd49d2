"""Bad input to reports, the timeline cursor and the feedback pages: a clear 4xx or a
one-line CLI error, never a 500 or a traceback, and nothing changed."""

import pytest
from sqlalchemy import func, select

from tests.factories.reports import make_report_campaign
from tracker.feedback.alert_settings import peek_settings
from tracker.models import PublishedReport

HUGE = "9" * 23  # past every integer the database holds
BEYOND_ID = str(2**31)  # one past PostgreSQL's INTEGER
RANGE_REASON = "must lie between 2000-01-01 and 2100-01-01"
SLUG = "lumen"
DASHBOARD = f"/dashboard/{SLUG}"
MOMENT = "2026-11-20T12:00:00+00:00"

# (method, path, form or query, status, text the answer holds)
WEB_CASES = [
    ("GET", f"/c/{SLUG}/reports/{BEYOND_ID}.pdf", None, 404, None),
    ("GET", f"/c/{SLUG}/reports/{HUGE}.pdf", None, 404, None),
    ("GET", f"/c/{SLUG}/timeline", {"before": f"{MOMENT}~2~{HUGE}"}, 400, None),
    ("GET", f"/c/{SLUG}/timeline", {"before": f"{MOMENT}~2~{BEYOND_ID}"}, 400, None),
    ("GET", f"/c/{SLUG}/timeline", {"before": f"{MOMENT}~2~0"}, 400, None),
    ("GET", f"/c/{SLUG}/timeline", {"before": f"{MOMENT}~{HUGE}~1"}, 400, None),
    ("GET", f"/c/{SLUG}/timeline", {"before": f"{MOMENT}~٢~1"}, 400, None),
    ("GET", f"/c/{SLUG}/timeline", {"before": "9999-12-31T23:59:59-14:00~2~1"}, 400, None),
    ("GET", f"/c/{SLUG}/timeline", {"before": "0001-01-01T00:00:00+01:00~2~1"}, 400, None),
    ("GET", f"/c/{SLUG}/timeline", {"before": "yesterday~2~1"}, 400, None),
    ("GET", f"{DASHBOARD}/reports/", {"kind": "month", "month": "9999-12"}, 422, RANGE_REASON),
    ("GET", f"{DASHBOARD}/reports/", {"kind": "month", "month": "1999-12"}, 422, RANGE_REASON),
    ("GET", f"{DASHBOARD}/reports/", {"kind": "month", "month": "2100-01"}, 422, RANGE_REASON),
    (
        "GET",
        f"{DASHBOARD}/reports/",
        {"kind": "range", "start": "9999-12-01", "end": "9999-12-31"},
        422,
        RANGE_REASON,
    ),
    (
        "GET",
        f"{DASHBOARD}/reports/",
        {"kind": "range", "start": "0001-01-01", "end": "0001-01-31"},
        422,
        RANGE_REASON,
    ),
    ("POST", f"{DASHBOARD}/reports/preview", {"kind": "month", "month": "9999-12"}, 422, None),
    ("POST", f"{DASHBOARD}/reports/export", {"kind": "month", "month": "9999-12"}, 422, None),
    ("POST", f"{DASHBOARD}/reports/publish", {"kind": "month", "month": "9999-12"}, 422, None),
    (
        "POST",
        f"{DASHBOARD}/reports/export",
        {"kind": "range", "start": "9999-12-01", "end": "9999-12-31"},
        422,
        RANGE_REASON,
    ),
    (
        "POST",
        f"{DASHBOARD}/reports/publish",
        {"kind": "range", "start": "0001-01-01", "end": "0001-01-31"},
        422,
        RANGE_REASON,
    ),
    # The inbox reads unknown filter values as "any" (old bookmarks): no error, no 500.
    ("GET", f"{DASHBOARD}/feedback/", {"page": HUGE}, 200, None),
    ("GET", f"{DASHBOARD}/feedback/", {"page": "9" * 5000}, 200, None),
    ("GET", f"{DASHBOARD}/feedback/", {"channel": BEYOND_ID, "milestone": HUGE}, 200, None),
    ("GET", f"{DASHBOARD}/feedback/insights", {"days": HUGE}, 200, None),
    ("GET", f"{DASHBOARD}/feedback/charts/sentiment.svg", {"days": HUGE}, 200, None),
    ("POST", f"{DASHBOARD}/feedback/{BEYOND_ID}/state", {"state": "answered"}, 404, None),
]
SETTINGS = {"negative_share": "60", "share_min_volume": "10", "spike_min_count": "5"}
THRESHOLD_CASES = [
    {**SETTINGS, "share_min_volume": HUGE},
    {**SETTINGS, "spike_min_count": HUGE},
    {**SETTINGS, "spike_min_count": "9" * 5000},
    {**SETTINGS, "spike_min_count": "٣"},  # a digit, but not an ASCII one
    {**SETTINGS, "negative_share": HUGE},
    {**SETTINGS, "negative_share": "1e400"},
    {**SETTINGS, "negative_share": "NaN"},
    {**SETTINGS, "negative_share": "sNaN"},
    {**SETTINGS, "negative_share": "\u0666\u0660"},
]


@pytest.fixture
def report_campaign(app, session, owner):
    app.config["PROPAGATE_EXCEPTIONS"] = False  # a bug answers 500 here, as in production
    return make_report_campaign(session, owner=owner, slug=SLUG)


def test_bad_web_input_gets_a_clear_4xx(client, session, founder, report_campaign):
    for method, path, values, status, text in WEB_CASES:
        if method == "GET":
            response = client.get(path, query_string=values)
        else:
            response = client.post(path, values)
        assert response.status_code == status, (method, path, values)
        if text:
            assert text in response.get_data(as_text=True), (method, path, values)
    assert session.scalar(select(func.count()).select_from(PublishedReport)) == 0


def test_alert_thresholds_past_any_count_are_refused(client, session, founder, report_campaign):
    before = peek_settings(session, report_campaign)
    kept = (before.negative_share, before.share_min_volume, before.spike_min_count)
    for values in THRESHOLD_CASES:
        response = client.post(f"{DASHBOARD}/feedback/alerts/settings", values)
        assert response.status_code == 422, values
    session.expire_all()
    after = peek_settings(session, report_campaign)
    assert (after.negative_share, after.share_min_volume, after.spike_min_count) == kept


CLI_CASES = [
    (("--period", "9999-12"), RANGE_REASON),
    (("--period", "2100-01"), RANGE_REASON),
    (("--period", "0000-01"), "is not a month"),
    (("--period", "\u0662\u0660\u0662\u0666-11"), "is not a month"),
    (("--from", "9999-12-01", "--to", "9999-12-31"), RANGE_REASON),
    (("--from", "0001-01-01", "--to", "0001-01-31"), RANGE_REASON),
    (("--from", f"{HUGE}-01-01", "--to", "2026-11-30"), "is not a date"),
    (("--from", "2026-11-01", "--to", "2026-11-3\u0660"), "is not a date"),
]


def test_bad_cli_periods_fail_with_one_line(cli, session, report_campaign, tmp_path):
    output = tmp_path / "report.pdf"
    for args, reason in CLI_CASES:
        result = cli("report", SLUG, *args, "-o", output, "--publish")
        assert result.exit_code == 1, (args, result.output)
        assert reason in result.output, (args, result.output)
        assert len(result.output.strip().splitlines()) == 1, result.output
        assert "Traceback" not in result.output and not output.exists()
    assert session.scalar(select(func.count()).select_from(PublishedReport)) == 0


def test_a_note_that_is_not_utf8_names_the_file_and_the_byte(cli, report_campaign, tmp_path):
    note = tmp_path / "note.md"
    note.write_bytes("Grüße aus der Werkstatt: ".encode() + b"\xff\xfe and more")
    output = tmp_path / "report.pdf"
    result = cli("report", SLUG, "--period", "2026-11", "--note", note, "-o", output)
    assert result.exit_code == 1, result.output
    assert result.output.strip() == f"Error: {note}: not UTF-8 text (byte 27 is 0xff)"
    assert not output.exists()
    note.write_text("x" * 20_001)
    result = cli("report", SLUG, "--period", "2026-11", "--note", note, "-o", output)
    assert result.exit_code == 1, result.output
    assert result.output.strip() == f"Error: {note}: a note is at most 20000 characters"
    assert not output.exists()
