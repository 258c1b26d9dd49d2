"""The hero image: uploaded on the settings page or with the CLI, served for a year, removable."""

import io
import json
from pathlib import Path

import pytest
from PIL import Image

from tests.factories.images import SVG_WITH_SCRIPT, bomb_png, image_bytes, truncated_jpeg
from tracker.models import Campaign

UPLOAD = "/dashboard/synth/image"


def _upload(client, data: bytes, name="hero.jpg"):
    return client.post(
        UPLOAD, {"image": (io.BytesIO(data), name)}, content_type="multipart/form-data"
    )


def _fresh(session, campaign) -> Campaign:
    session.expire_all()
    return session.get(Campaign, campaign.id)


def test_upload_stores_resized_files_and_serves_them_for_a_year(
    app, client, session, founder, campaign
):
    # A phone's portrait photo: stored 2400 by 1350, its EXIF says to show it turned.
    response = _upload(client, image_bytes("JPEG", (2400, 1350), exif_place=True))
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/dashboard/synth/edit")
    campaign = _fresh(session, campaign)
    assert (campaign.image_width, campaign.image_height) == (1350, 2400)
    media = Path(app.config["MEDIA_DIR"])
    names = sorted(p.name for p in media.iterdir())
    assert names == sorted(f"{campaign.image_key}-{w}.webp" for w in (480, 960, 1350))
    served = client.get(f"/media/{campaign.image_key}-960.webp")
    assert served.status_code == 200
    assert served.mimetype == "image/webp"
    assert "max-age=31536000" in served.headers["Cache-Control"]
    assert "immutable" in served.headers["Cache-Control"]
    with Image.open(io.BytesIO(served.data)) as image:
        assert image.width == 960 and not image.getexif()
    settings = client.get_text("/dashboard/synth/edit")
    assert f"/media/{campaign.image_key}-480.webp" in settings


@pytest.mark.parametrize(
    ("data", "name", "reason"),
    [
        (SVG_WITH_SCRIPT, "hero.svg", "SVG images are not accepted: they can carry scripts."),
        (b"\xff\xd8\xff" + b"\0" * (11 * 2**20), "huge.jpg", "larger than 10 MB"),
        ("bomb", "bomb.png", "at most 40 megapixels"),
        ("truncated", "cut.jpg", "damaged or incomplete"),
        (b"hello", "notes.txt", "not a JPEG, PNG or WebP image"),
    ],
    ids=["svg-with-script", "huge", "bomb", "truncated", "text"],
)
def test_bad_uploads_are_refused_next_to_the_field(
    app, client, session, founder, campaign, data, name, reason
):
    data = {"bomb": bomb_png, "truncated": truncated_jpeg}.get(data, lambda: data)()
    response = _upload(client, data, name)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    error = page.split('id="image-error"', 1)
    assert len(error) == 2, "no error next to the image field"
    assert reason in error[1][:300]
    assert _fresh(session, campaign).image_key is None
    media = Path(app.config["MEDIA_DIR"])
    assert not media.exists() or not any(media.iterdir())


def test_upload_without_a_file_asks_for_one(client, founder, campaign):
    response = client.post(UPLOAD, {}, content_type="multipart/form-data")
    assert response.status_code == 422
    assert "Choose a file to upload." in response.get_data(as_text=True)


def test_only_the_team_uploads(client, session, campaign):
    response = _upload(client, image_bytes())
    assert response.status_code in (302, 303)  # to the login page
    assert _fresh(session, campaign).image_key is None


def test_remove_takes_the_image_off_and_deletes_its_files(app, client, session, founder, campaign):
    assert _upload(client, image_bytes()).status_code == 303
    key = _fresh(session, campaign).image_key
    response = client.post("/dashboard/synth/image/remove")
    assert response.status_code == 303
    assert _fresh(session, campaign).image_key is None
    assert not any(Path(app.config["MEDIA_DIR"]).iterdir())
    assert client.get(f"/media/{key}-480.webp").status_code == 404


def test_a_new_image_replaces_the_old_files(app, client, session, founder, campaign):
    assert _upload(client, image_bytes(colour="#ff0000")).status_code == 303
    first = _fresh(session, campaign).image_key
    assert _upload(client, image_bytes(colour="#00ff00")).status_code == 303
    second = _fresh(session, campaign).image_key
    assert first != second
    names = {p.name.split("-")[0] for p in Path(app.config["MEDIA_DIR"]).iterdir()}
    assert names == {second}


@pytest.mark.parametrize("name", ["../secret", "x.webp", "0" * 32 + "-480.png", ".upload-x"])
def test_media_serves_nothing_but_its_own_names(client, name):
    assert client.get(f"/media/{name}").status_code == 404


def test_cli_sets_the_image_with_the_other_settings(app, cli, session, campaign, tmp_path, client):
    path = tmp_path / "hero.png"
    path.write_bytes(image_bytes("PNG", (1000, 500)))
    result = cli("campaigns", "set", "synth", "--image", path, "--tagline", "New")
    assert result.exit_code == 0, result.output
    campaign = _fresh(session, campaign)
    assert (campaign.image_width, campaign.tagline) == (1000, "New")
    summary = json.loads(client.get_text("/api/campaigns/synth.json"))
    assert summary["image_url"] == f"http://localhost/media/{campaign.image_key}-1000.webp"


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (SVG_WITH_SCRIPT, "image: SVG images are not accepted"),
        (None, "does not exist"),
    ],
)
def test_cli_refuses_a_bad_image_and_changes_nothing(
    app, cli, session, campaign, tmp_path, content, reason
):
    path = tmp_path / "hero.svg"
    if content is not None:
        path.write_bytes(content)
    result = cli("campaigns", "set", "synth", "--image", path, "--tagline", "New")
    assert result.exit_code != 0
    assert reason in result.output and "Traceback" not in result.output
    campaign = _fresh(session, campaign)
    assert (campaign.image_key, campaign.tagline) == (None, "")
    media = Path(app.config["MEDIA_DIR"])
    assert not media.exists() or not any(media.iterdir())


def test_cli_leaves_no_files_when_another_setting_is_refused(app, cli, session, campaign, tmp_path):
    path = tmp_path / "hero.png"
    path.write_bytes(image_bytes("PNG", (1000, 500)))
    result = cli("campaigns", "set", "synth", "--image", path, "--platform-url", "nope")
    assert result.exit_code == 1
    assert _fresh(session, campaign).image_key is None
    media = Path(app.config["MEDIA_DIR"])
    assert not media.exists() or not any(media.iterdir())
