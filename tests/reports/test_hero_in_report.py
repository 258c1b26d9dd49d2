"""The report's cover shows the hero image and where to back the project."""

import subprocess
from pathlib import Path

from tests.factories.images import image_bytes
from tests.factories.reports import NOVEMBER, make_report_campaign, pdf_text
from tracker.campaigns.hero import check_hero_image, set_hero_image

NOVEMBER_ARGS = {"kind": "month", "month": NOVEMBER}
PLEDGE = "https://www.kickstarter.com/projects/someone/lumen-deck"


def test_the_cover_shows_the_hero_and_the_pledge_link(app, client, session, founder, tmp_path):
    # Issued after November: the campaign ran until 2026-12-15, the report is made today.
    campaign = make_report_campaign(session, owner=founder, platform_url=PLEDGE)
    image = check_hero_image(image_bytes("JPEG", (1600, 900), "#c03000"))
    set_hero_image(session, campaign, image, media_dir=Path(app.config["MEDIA_DIR"]))
    session.commit()
    preview = _preview(client, campaign)
    assert f'<img class="hero" src="/media/{campaign.image_key}-960.webp" alt="">' in preview
    response = client.post(f"/dashboard/{campaign.slug}/reports/export", NOVEMBER_ARGS)
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    path = tmp_path / "report.pdf"
    path.write_bytes(response.data)
    images = subprocess.run(
        ["pdfimages", "-list", str(path)], capture_output=True, text=True, check=True
    ).stdout.splitlines()[2:]
    assert any(line.split()[3:5] == ["1600", "900"] for line in images), images
    text = " ".join(pdf_text(response.data, tmp_path).split())
    assert PLEDGE in text


def test_no_image_and_no_link_leave_the_cover_as_it_was(client, session, founder):
    campaign = make_report_campaign(session, owner=founder)
    preview = _preview(client, campaign)
    assert 'class="hero"' not in preview and "Back this project" not in preview


def _preview(client, campaign) -> str:
    response = client.post(f"/dashboard/{campaign.slug}/reports/preview", NOVEMBER_ARGS)
    assert response.status_code == 200
    return response.get_data(as_text=True)
