"""The public page's hero: image, video link, and "Back this project" as the main action."""

from datetime import timedelta
from pathlib import Path

import pytest

from tests.factories import make_campaign
from tests.factories.images import image_bytes
from tracker.campaigns.hero import check_hero_image, set_hero_image
from tracker.models import utcnow

TODAY = utcnow().date()
RUNNING = {"starts_on": TODAY - timedelta(days=20), "ends_on": TODAY + timedelta(days=10)}
ENDED = {"starts_on": TODAY - timedelta(days=40), "ends_on": TODAY - timedelta(days=3)}
PLEDGE = "https://www.kickstarter.com/projects/someone/synth"
LATE = "https://shop.example/synth/pre-order"
YOUTUBE = "https://www.youtube.com/watch?v=dQw4w9WgXcQ"


# Resized once per module and shared: set_hero_image only writes the files, no test changes them.
@pytest.fixture(scope="module")
def wide_image():
    return check_hero_image(image_bytes("JPEG", (2000, 1000)))


@pytest.fixture(scope="module")
def photo():
    return check_hero_image(image_bytes("JPEG", (1200, 800)))


def _hero(page: str) -> str:
    parts = page.split('<section class="hero"', 1)
    assert len(parts) == 2, "no hero section"
    return parts[1].split("</section>", 1)[0]


def test_no_hero_without_image_video_or_link(client, session, owner):
    make_campaign(session, owner=owner, slug="plain", **RUNNING)
    assert 'class="hero"' not in client.get_text("/c/plain")


def test_the_image_comes_in_every_stored_width(app, client, session, owner, wide_image):
    campaign = make_campaign(session, owner=owner, slug="pic", **RUNNING)
    set_hero_image(session, campaign, wide_image, media_dir=Path(app.config["MEDIA_DIR"]))
    session.commit()
    hero = _hero(client.get_text("/c/pic"))
    key = campaign.image_key
    for width in (480, 960, 1600):
        assert f"/media/{key}-{width}.webp {width}w" in hero
    assert 'width="1600" height="800"' in hero
    assert 'sizes="' in hero


def test_back_this_project_leads_to_the_platform_while_it_runs(client, session, owner):
    make_campaign(
        session, owner=owner, slug="run", platform_url=PLEDGE, late_pledge_url=LATE, **RUNNING
    )
    hero = _hero(client.get_text("/c/run"))
    assert f'<a class="button cta" href="{PLEDGE}"' in hero
    assert "Back this project" in hero
    assert LATE not in hero
    german = _hero(client.get_text("/c/run", headers={"Accept-Language": "de"}))
    assert "Dieses Projekt unterstützen" in german


def test_after_the_end_it_leads_to_the_late_pledge_page(client, session, owner):
    make_campaign(
        session, owner=owner, slug="late", platform_url=PLEDGE, late_pledge_url=LATE, **ENDED
    )
    hero = _hero(client.get_text("/c/late"))
    assert f'<a class="button cta" href="{LATE}"' in hero
    assert "Pledge late or pre-order" in hero
    assert f'href="{PLEDGE}"' not in hero


def test_after_the_end_without_a_late_pledge_page_there_is_no_button(client, session, owner):
    make_campaign(session, owner=owner, slug="over", platform_url=PLEDGE, **ENDED)
    page = client.get_text("/c/over")
    assert 'class="button cta"' not in page


def test_a_video_is_a_link_with_a_local_thumbnail_and_no_third_party_frame(client, session, owner):
    make_campaign(session, owner=owner, slug="vid", video_url=YOUTUBE, **RUNNING)
    response = client.get("/c/vid")
    assert response.status_code == 200
    hero = _hero(response.get_data(as_text=True))
    assert f'href="{YOUTUBE}"' in hero and "YouTube" in hero
    assert "<iframe" not in hero
    assert "ytimg" not in hero and "youtube-nocookie" not in hero
    assert "frame-src" not in response.headers["Content-Security-Policy"]


def test_an_embedded_video_allows_exactly_its_host_on_that_page_only(client, session, owner):
    make_campaign(session, owner=owner, slug="emb", video_url=YOUTUBE, video_embed=True, **RUNNING)
    make_campaign(session, owner=owner, slug="other", **RUNNING)
    response = client.get("/c/emb")
    assert response.status_code == 200
    hero = _hero(response.get_data(as_text=True))
    assert '<iframe src="https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"' in hero
    policy = response.headers["Content-Security-Policy"]
    assert "frame-src https://www.youtube-nocookie.com;" in policy + ";"
    assert "script-src 'self'" in policy
    other = client.get("/c/other")
    assert other.status_code == 200
    assert "frame-src" not in other.headers["Content-Security-Policy"]


@pytest.mark.parametrize("url", ["https://peertube.example/w/9c9de5e8-0a1e-484a-b099-e80766180a6d"])
def test_a_peertube_embed_allows_that_instance(client, session, owner, url):
    make_campaign(session, owner=owner, slug="pt", video_url=url, video_embed=True, **RUNNING)
    response = client.get("/c/pt")
    assert response.status_code == 200
    assert "frame-src https://peertube.example" in response.headers["Content-Security-Policy"]


# The markup does not depend on the database (the other hero tests run on both): one JVM run.
@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_pages_with_a_hero_have_no_html_errors(app, client, session, founder, nu_checker, photo):
    campaign = make_campaign(
        session,
        owner=founder,
        slug="full",
        platform_url=PLEDGE,
        video_url=YOUTUBE,
        video_embed=True,
        **RUNNING,
    )
    set_hero_image(session, campaign, photo, media_dir=Path(app.config["MEDIA_DIR"]))
    session.commit()
    pages = {
        f"{url} ({language})": client.get_checked(url, headers={"Accept-Language": language}).data
        for url in ("/c/full", "/dashboard/full/edit")
        for language in ("en", "de")
    }
    assert nu_checker.errors(pages) == []


def test_the_image_is_described_by_the_founders_words(app, client, session, founder, photo):
    campaign = make_campaign(session, owner=founder, slug="alt", **RUNNING)
    set_hero_image(session, campaign, photo, media_dir=Path(app.config["MEDIA_DIR"]))
    session.commit()
    assert 'alt=""' in _hero(client.get_text("/c/alt"))  # decorative until described
    form = {
        "title": campaign.title,
        "slug": "alt",
        "goal": "50000",
        "currency": "EUR",
        "starts_on": RUNNING["starts_on"].isoformat(),
        "ends_on": RUNNING["ends_on"].isoformat(),
        "platform": "other",
        "language": "en",
        "timezone": "UTC",
        "is_public": "y",
        "image_alt": "The synth on a wooden desk, its eight knobs lit",
    }
    assert client.post("/dashboard/alt/edit", form).status_code == 303
    assert 'alt="The synth on a wooden desk, its eight knobs lit"' in _hero(
        client.get_text("/c/alt")
    )
    too_long = client.post("/dashboard/alt/edit", {**form, "image_alt": "x" * 251})
    assert too_long.status_code == 422
    assert 'id="image_alt-error"' in too_long.get_data(as_text=True)


def test_cli_describes_the_image(cli, session, campaign):
    result = cli("campaigns", "set", "synth", "--image-alt", "A synth")
    assert result.exit_code == 0, result.output
    session.expire_all()
    assert session.get(type(campaign), campaign.id).image_alt == "A synth"
