"""The report's money figures: pledged and collected once there are collections, payments
the platform retries shown apart, other currencies listed apart (PDF text and dashboard)."""

from tests.factories import make_campaign
from tests.factories.reports import NOVEMBER, import_csv, make_report_campaign, pdf_text

NOVEMBER_ARGS = {"kind": "month", "month": NOVEMBER}
# On top of make_report_campaign's pledges (net EUR 1,390.00, collected EUR 390.00).
RETRYING_AND_CAD = """external_id,amount,currency,pledged_at,tier,status
p-7,59.00,EUR,2026-11-26T10:00:00Z,Kit,errored
p-8,59.00,CAD,2026-11-26T11:00:00Z,Kit,collected
"""
PROMISED_ONLY = """external_id,amount,currency,pledged_at,tier,status
q-1,75.00,EUR,2026-11-03T10:00:00Z,Kit,pledged
"""


def _pdf(client, campaign, tmp_path) -> str:
    response = client.post(f"/dashboard/{campaign.slug}/reports/export", NOVEMBER_ARGS)
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    return " ".join(pdf_text(response.data, tmp_path).split())


def test_pdf_shows_pledged_collected_retrying_and_other_currencies(
    client, session, tmp_path, founder
):
    campaign = make_report_campaign(session, owner=founder)
    import_csv(session, campaign, RETRYING_AND_CAD, name="more.csv")
    text = _pdf(client, campaign, tmp_path)
    overall = text[text.index("Overall") :]
    # The figures stand side by side: pdftotext reads their labels, then their values.
    assert "€1,449.00" in overall and "of it €59.00 retrying payment" in overall
    assert "Collected" in overall and "€390.00" in overall
    assert "Also pledged in other currencies: CA$59.00 (1 backer)." in overall
    page = client.get_text(f"/dashboard/{campaign.slug}/reports/", query_string=NOVEMBER_ARGS)
    assert "of it €59.00 retrying payment" in page


def test_pdf_leaves_collected_out_before_any_collection(client, session, tmp_path, founder):
    campaign = make_campaign(session, owner=founder, slug="promised", title="Promised")
    import_csv(session, campaign, PROMISED_ONLY)
    text = _pdf(client, campaign, tmp_path)
    overall = text[text.index("Overall") :]
    assert "Pledged" in overall and "€75.00" in overall
    assert "Collected" not in overall and "retrying" not in overall
