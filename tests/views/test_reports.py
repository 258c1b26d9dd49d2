"""The reports dashboard, the PDF it exports, publishing, and the public report URLs."""

import hashlib
import re

import pypdf
import pytest

from tests.factories import make_user
from tests.factories.reports import (
    MORE_PLEDGES_CSV,
    NOVEMBER,
    import_csv,
    make_report_campaign,
    pdf_text,
    pdf_tool,
    recording_server,
)

NOVEMBER_ARGS = {"kind": "month", "month": NOVEMBER}
PUBLISH_ARGS = {**NOVEMBER_ARGS, "confirmed": "yes"}  # past the confirmation step


def _report_campaign(session, founder, **overrides):
    """Return a report campaign (see make_report_campaign) of the signed-in founder."""
    return make_report_campaign(session, owner=founder, **overrides)


def _export(client, campaign, **values) -> bytes:
    """Export the campaign's November report (values change the form) and return the PDF."""
    response = client.post(
        f"/dashboard/{campaign.slug}/reports/export", {**NOVEMBER_ARGS, **values}
    )
    assert response.status_code == 200 and response.mimetype == "application/pdf", response.status
    return response.data


def _dashboard_figure(page: str, figure: str) -> str:
    match = re.search(rf'<dd id="{figure}">([^<]+)</dd>', page)
    return match.group(1)


def test_exported_pdf_shows_the_period_as_the_dashboard_does(client, session, tmp_path, founder):
    campaign = _report_campaign(session, founder)
    base = f"/dashboard/{campaign.slug}/reports"
    page = client.get_text(f"{base}/", query_string=NOVEMBER_ARGS)
    amount = _dashboard_figure(page, "period-amount")
    assert amount == "€1,250.00" and _dashboard_figure(page, "period-backers") == "2"
    response = client.post(f"{base}/export", {**NOVEMBER_ARGS, "note": "Thanks, *everyone*!"})
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert "attachment" in response.headers["Content-Disposition"]
    text = pdf_text(response.data, tmp_path)
    assert "Lumen Deck" in text and "November 2026" in text
    assert amount in text and "Thanks, everyone!" in text
    line = next(line for line in text.splitlines() if "Firmware beta" in line and "first" in line)
    assert "Nov 10, 2026" in line and "Dec 5, 2026" in line
    assert "Prototype board" in text and "Case design" in text
    assert "Beta build 3 is out" in text and "Supplier call went well" in text
    assert "Secret supplier deal" not in text  # private milestone
    assert "Launch day recap" not in text  # October


# What the PDF itself is (metadata, tags, fonts, language, a hostile note as text) does not
# depend on the database: these render on SQLite only. The figures a report takes from the
# database are checked on both by the test above and the publishing tests below.
@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_pdf_metadata_language_tags_and_embedded_fonts(client, session, tmp_path, founder):
    data = _export(client, _report_campaign(session, founder))
    info = pdf_tool("pdfinfo", data, tmp_path)
    assert "Title:           Lumen Deck: progress report, November 2026" in info
    assert "Author:          Lumen Deck" in info
    assert "Subject:         Progress of Lumen Deck from Nov 1, 2026 to Nov 30, 2026" in info
    assert "Tagged:          yes" in info and "JavaScript:      no" in info
    assert 'pdfuaid:part="1"' in pdf_tool("pdfinfo", data, tmp_path, "-meta")
    assert pypdf.PdfReader(tmp_path / "report.pdf").trailer["/Root"]["/Lang"] == "en"
    fonts = pdf_tool("pdffonts", data, tmp_path).splitlines()[2:]
    assert fonts and all("Source-Sans-3" in line for line in fonts)
    assert all(line.split()[-5] == "yes" for line in fonts)  # emb


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_german_report(client, session, tmp_path, founder):
    campaign = _report_campaign(session, founder, language="de")
    data = _export(client, campaign)
    text = pdf_text(data, tmp_path)
    assert "FORTSCHRITTSBERICHT" in text and "November 2026" in text
    assert "1.250,00 €" in text
    line = next(
        line for line in text.splitlines() if "Firmware beta" in line and "ursprünglich" in line
    )
    assert "10. Nov. 2026" in line and "5. Dez. 2026" in line
    assert "Seite 2 von" in text
    assert pypdf.PdfReader(tmp_path / "report.pdf").trailer["/Root"]["/Lang"] == "de"
    # An English version of the same campaign's report, when asked for.
    data = _export(client, campaign, language="en")
    assert "Progress report" in pdf_text(data, tmp_path).replace(
        "PROGRESS REPORT", "Progress report"
    )


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_a_hostile_note_renders_as_text_and_fetches_nothing(client, session, tmp_path, founder):
    campaign = _report_campaign(session, founder)
    with recording_server() as (base, hits):
        note = (
            "<script>alert('x')</script>\n\n"
            f"![passwd](file:///etc/passwd) ![remote]({base}/pixel.png)\n\n"
            '<img src="file:///etc/passwd">'
        )
        response = client.post(
            f"/dashboard/{campaign.slug}/reports/export", {**NOVEMBER_ARGS, "note": note}
        )
    assert response.status_code == 200 and hits == []
    text = pdf_text(response.data, tmp_path)
    assert "<script>alert('x')</script>" in text  # shown as the text it is, never run
    assert "root:" not in text
    assert "JavaScript:      no" in pdf_tool("pdfinfo", response.data, tmp_path)
    preview = client.post(
        f"/dashboard/{campaign.slug}/reports/preview", {**NOVEMBER_ARGS, "note": note}
    )
    assert preview.status_code == 200
    html = preview.get_data(as_text=True)
    assert "<script" not in html and '<img src="file:' not in html
    assert "&lt;script&gt;" in html


def test_an_empty_period_gives_a_short_report(client, session, tmp_path, founder):
    campaign = _report_campaign(session, founder)
    args = {"kind": "month", "month": "2027-06"}
    response = client.post(f"/dashboard/{campaign.slug}/reports/export", args)
    assert response.status_code == 200
    text = pdf_text(response.data, tmp_path)
    assert "A quiet period" in text and "June 2027" in text
    assert "Pages:           2" in pdf_tool("pdfinfo", response.data, tmp_path)
    assert "Contents" not in text


def test_preview_is_the_same_template_as_html(client, session, founder):
    campaign = _report_campaign(session, founder)
    response = client.post(f"/dashboard/{campaign.slug}/reports/preview", NOVEMBER_ARGS)
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and '<html lang="en">' in html
    assert "/static/css/report.css" in html and "€1,250.00" in html
    assert '<svg xmlns="http://www.w3.org/2000/svg"' in html  # the chart, inline


def test_bad_period_is_refused_with_a_reason(client, session, founder):
    campaign = _report_campaign(session, founder)
    base = f"/dashboard/{campaign.slug}/reports"
    page = client.get(f"{base}/", query_string={"kind": "month", "month": "2026-13"})
    assert page.status_code == 422 and "is not a month" in page.get_data(as_text=True)
    response = client.post(
        f"{base}/export", {"kind": "range", "start": "2026-11-20", "end": "2026-11-01"}
    )
    assert response.status_code == 422
    assert "The last day comes before the first day." in response.get_data(as_text=True)


def test_htmx_export_hands_over_a_download(client, session, founder):
    campaign = _report_campaign(session, founder)
    response = client.post(
        f"/dashboard/{campaign.slug}/reports/export", NOVEMBER_ARGS, headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    url = re.search(r'href="([^"]+)" download>', response.get_data(as_text=True)).group(1)
    download = client.get(url)
    assert download.status_code == 200 and download.data.startswith(b"%PDF-")
    assert client.get(url.replace("/exports/", "/exports/x")).status_code == 404


def test_published_report_is_public_immutable_and_versioned(client, session, founder):
    campaign = _report_campaign(session, founder)
    base = f"/dashboard/{campaign.slug}/reports"
    response = client.post(f"{base}/publish", PUBLISH_ARGS)
    assert response.status_code == 303
    assert "Published as version 1." in client.get_text(response.location)
    client.logout()
    listing = client.get_text(f"/c/{campaign.slug}/reports")
    assert "Lumen Deck: progress report, November 2026" in listing
    assert f"/c/{campaign.slug}/reports/1.pdf" in listing
    first = client.get(f"/c/{campaign.slug}/reports/1.pdf")
    assert first.status_code == 200 and first.mimetype == "application/pdf"
    digest = hashlib.sha256(first.data).hexdigest()
    assert first.headers["ETag"] == f'"{digest}"'
    assert (
        "immutable" in first.headers["Cache-Control"] and "public" in first.headers["Cache-Control"]
    )
    assert (
        client.get(
            f"/c/{campaign.slug}/reports/1.pdf", headers={"If-None-Match": f'"{digest}"'}
        ).status_code
        == 304
    )
    import_csv(session, campaign, MORE_PLEDGES_CSV, "more.csv")  # new data arrives
    again = client.get(f"/c/{campaign.slug}/reports/1.pdf")
    assert again.status_code == 200 and again.data == first.data
    client.login(founder.email)
    assert client.post(f"{base}/publish", PUBLISH_ARGS).status_code == 303
    assert client.get_checked(f"/c/{campaign.slug}/reports/1.pdf").data == first.data
    second = client.get(f"/c/{campaign.slug}/reports/2.pdf")
    assert second.status_code == 200 and second.data != first.data
    assert client.get(f"/c/{campaign.slug}/reports/3.pdf").status_code == 404


def test_other_founders_and_drafts_get_404(client, session, founder):
    campaign = _report_campaign(session, founder, is_public=False)
    base = f"/dashboard/{campaign.slug}/reports"
    assert client.post(f"{base}/publish", PUBLISH_ARGS).status_code == 303
    assert client.get(f"/c/{campaign.slug}/reports/1.pdf").status_code == 200  # the team
    client.logout()
    assert client.get(f"/c/{campaign.slug}/reports/1.pdf").status_code == 404
    assert client.get(f"/c/{campaign.slug}/reports").status_code == 404
    stranger = make_user(session)
    client.login(stranger.email)
    assert client.get(f"{base}/").status_code == 404
    assert client.post(f"{base}/export", NOVEMBER_ARGS).status_code == 404
    assert client.post(f"{base}/publish", PUBLISH_ARGS).status_code == 404
    assert client.get(f"/c/{campaign.slug}/reports/1.pdf").status_code == 404


def test_a_render_over_the_limit_fails_with_a_clear_error(client, session, app, founder):
    app.config["REPORT_TIMEOUT_SECONDS"] = 0.01
    campaign = _report_campaign(session, founder)
    response = client.post(f"/dashboard/{campaign.slug}/reports/export", NOVEMBER_ARGS)
    assert response.status_code == 503
    assert "rendering the PDF took longer than 0.01 s and was stopped" in response.get_data(
        as_text=True
    )
