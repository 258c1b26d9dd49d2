"""The campaign video's thumbnail: fetched by the worker, re-encoded, served from /media/ (#13)."""

import io
import json
import ssl
import subprocess
from datetime import timedelta
from pathlib import Path

import pytest
from PIL import Image

from tests.factories import make_campaign
from tests.factories.images import bomb_png, image_bytes, truncated_jpeg
from tests.feed_server import FeedServer
from tests.worker import TRACKER, run_jobs, worker_env
from tracker.models import VideoThumbnail, utcnow

TODAY = utcnow().date()
VIDEO_ID = "dQw4w9WgXcQ"
YOUTUBE = f"https://www.youtube.com/watch?v={VIDEO_ID}"
PEERTUBE_ID = "9c9de5e8-0a1e-484a-b099-e80766180a6d"
JPEG = {"Content-Type": "image/jpeg"}
HTML = {"Content-Type": "text/html; charset=utf-8"}
THUMBNAIL_PATH = f"/vi/{VIDEO_ID}/hqdefault.jpg"


@pytest.fixture
def thumbnails(app):
    """Serve YouTube's thumbnails from 127.0.0.1, as TRACKER_YOUTUBE_THUMBNAIL_URL points."""
    app.config["ALLOW_PRIVATE_FEEDS"] = True  # the test server listens on 127.0.0.1
    with FeedServer() as server:
        app.config["YOUTUBE_THUMBNAIL_URL"] = server.url("/vi")
        yield server


def _form(campaign, **changes):
    return {
        "title": campaign.title,
        "slug": campaign.slug,
        "goal": "50000",
        "currency": "EUR",
        "starts_on": (TODAY - timedelta(days=5)).isoformat(),
        "ends_on": (TODAY + timedelta(days=25)).isoformat(),
        "platform": "other",
        "language": "en",
        "timezone": "UTC",
        "is_public": "y",
        **changes,
    }


def _save_video(client, campaign, url: str) -> None:
    response = client.post(f"/dashboard/{campaign.slug}/edit", _form(campaign, video_url=url))
    assert response.status_code == 303, response.get_data(as_text=True)


def _video_link(page: str) -> str:
    return page.split('class="video-link', 1)[1].split("</a>", 1)[0]


def _thumbnail(session, campaign) -> VideoThumbnail | None:
    session.expire_all()
    return session.get(VideoThumbnail, campaign.id)


def _settings(client, slug="synth") -> str:
    return client.get_text(f"/dashboard/{slug}/edit")


def test_the_worker_fetches_the_youtube_thumbnail_and_the_page_shows_it_from_media(
    app, client, session, founder, campaign, thumbnails
):
    thumbnails.route(
        THUMBNAIL_PATH, body=image_bytes("JPEG", (480, 360), exif_place=True), headers=JPEG
    )
    _save_video(client, campaign, YOUTUBE)
    assert thumbnails.requests == []  # the request queued the fetch, it fetched nothing
    link = _video_link(client.get_text("/c/synth"))
    assert "<img" not in link and "<svg" in link  # the placeholder until the worker ran
    assert "Waiting for the worker" in _settings(client)

    run_jobs(app)

    assert [request.path for request in thumbnails.requests] == [THUMBNAIL_PATH]
    thumbnail = _thumbnail(session, campaign)
    assert thumbnail.state == "fetched" and thumbnail.error == ""
    link = _video_link(client.get_text("/c/synth"))
    # The picture's EXIF block turns it upright (360 by 480) and is then left behind.
    name = f"{thumbnail.image_key}-360.webp"
    assert f'src="/media/{name}"' in link
    assert 'alt="Still from the video: ' in link and "video-play" in link
    assert "127.0.0.1" not in link and "ytimg" not in link
    stored = Image.open(io.BytesIO((Path(app.config["MEDIA_DIR"]) / name).read_bytes()))
    assert stored.format == "WEBP" and stored.size == (360, 480)
    assert not stored.getexif() and "exif" not in stored.info
    served = client.get(f"/media/{name}")
    assert served.status_code == 200 and served.mimetype == "image/webp"
    assert "Thumbnail fetched" in _settings(client)


@pytest.mark.parametrize(
    ("route", "reason"),
    [
        ({"body": b"<!doctype html><title>Consent</title>", "headers": HTML}, "not an image"),
        ({"body": b"\xff\xd8\xff" + b"\0" * (11 * 2**20), "headers": JPEG}, "larger than 10 MiB"),
        ({"body": truncated_jpeg(), "headers": JPEG}, "damaged or incomplete"),
        ({"body": bomb_png(), "headers": {"Content-Type": "image/png"}}, "at most 40 megapixels"),
        ({"status": 404, "body": b"gone"}, "HTTP 404"),
    ],
    ids=["html", "oversized", "broken", "bomb", "missing"],
)
def test_a_bad_thumbnail_leaves_the_placeholder_and_tells_the_founder_why(
    app, client, session, founder, campaign, thumbnails, route, reason
):
    thumbnails.route(THUMBNAIL_PATH, **route)
    assert (
        client.post("/dashboard/synth/edit", _form(campaign, video_url=YOUTUBE)).status_code == 303
    )

    run_jobs(app)

    thumbnail = _thumbnail(session, campaign)
    assert thumbnail.state == "failed" and thumbnail.image_key is None
    assert reason in thumbnail.error and "\n" not in thumbnail.error
    link = _video_link(client.get_text("/c/synth"))
    assert "<img" not in link and "<svg" in link
    settings = _settings(client)
    assert "Thumbnail not fetched" in settings and reason in settings
    assert not list(Path(app.config["MEDIA_DIR"]).glob("*.webp"))
    # Saving the same link again tries once more: the picture is there now.
    thumbnails.route(THUMBNAIL_PATH, body=image_bytes("JPEG", (480, 360)), headers=JPEG)
    assert (
        client.post("/dashboard/synth/edit", _form(campaign, video_url=YOUTUBE)).status_code == 303
    )
    run_jobs(app)
    assert _thumbnail(session, campaign).state == "fetched"


# The markup does not depend on the database (the pages' content is tested on both above).
@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_pages_with_a_thumbnail_or_its_failure_have_no_html_errors(
    app, client, session, founder, campaign, thumbnails, nu_checker
):
    thumbnails.route(THUMBNAIL_PATH, body=image_bytes("JPEG", (480, 360)), headers=JPEG)
    _save_video(client, campaign, YOUTUBE)
    failing = make_campaign(session, owner=founder, slug="failing")
    _save_video(client, failing, "https://youtu.be/aaaaaaaaaaa")  # no route: HTTP 404
    run_jobs(app)
    assert _thumbnail(session, failing).state == "failed"
    pages = {
        f"{url} ({language})": client.get_checked(url, headers={"Accept-Language": language}).data
        for url in ("/c/synth", "/dashboard/synth/edit", "/dashboard/failing/edit")
        for language in ("en", "de")
    }
    assert "Vorschaubild geladen" in pages["/dashboard/synth/edit (de)"].decode()
    assert nu_checker.errors(pages) == []


def test_a_video_saved_before_thumbnails_gets_one_when_the_form_is_saved_again(
    app, client, session, founder, thumbnails
):
    campaign = make_campaign(session, owner=founder, slug="older", video_url=YOUTUBE)
    assert _thumbnail(session, campaign) is None  # as the migration leaves such a campaign
    assert "No thumbnail yet: save the form to fetch it." in _settings(client, "older")
    thumbnails.route(THUMBNAIL_PATH, body=image_bytes("JPEG", (480, 360)), headers=JPEG)
    _save_video(client, campaign, YOUTUBE)
    run_jobs(app)
    assert _thumbnail(session, campaign).state == "fetched"


def test_cli_queues_the_fetch_and_clearing_the_video_removes_the_thumbnail(
    app, cli, session, campaign, thumbnails
):
    thumbnails.route(THUMBNAIL_PATH, body=image_bytes("JPEG", (480, 360)), headers=JPEG)
    result = cli("campaigns", "set", "synth", "--video-url", f"https://youtu.be/{VIDEO_ID}")
    assert result.exit_code == 0, result.output
    assert "thumbnail" in result.output and thumbnails.requests == []
    run_jobs(app)
    thumbnail = _thumbnail(session, campaign)
    assert thumbnail.state == "fetched"
    media = Path(app.config["MEDIA_DIR"])
    assert (media / f"{thumbnail.image_key}-480.webp").is_file()

    cleared = cli("campaigns", "set", "synth", "--video-url", "")
    assert cleared.exit_code == 0, cleared.output
    assert _thumbnail(session, campaign) is None
    assert not list(media.glob("*.webp"))


def test_a_job_for_a_link_the_founder_replaced_stores_nothing(
    app, client, session, founder, campaign, thumbnails
):
    thumbnails.route(THUMBNAIL_PATH, body=image_bytes("JPEG", (480, 360)), headers=JPEG)
    assert (
        client.post("/dashboard/synth/edit", _form(campaign, video_url=YOUTUBE)).status_code == 303
    )
    _save_video(client, campaign, "")
    run_jobs(app)
    assert thumbnails.requests == [] and _thumbnail(session, campaign) is None
    assert not Path(app.config["MEDIA_DIR"]).exists() or not any(
        Path(app.config["MEDIA_DIR"]).glob("*.webp")
    )


@pytest.fixture(scope="module")
def instance_tls(tmp_path_factory):
    """Return (server context, CA file) of a certificate for 127.0.0.1, made by openssl."""
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        [
            *(
                "openssl",
                "req",
                "-x509",
                "-newkey",
                "ec",
                "-pkeyopt",
                "ec_paramgen_curve:prime256v1",
            ),
            *("-nodes", "-days", "1", "-subj", "/CN=127.0.0.1", "-keyout", str(key)),
            *("-out", str(cert), "-addext", "subjectAltName=IP:127.0.0.1"),
        ],
        check=True,
        capture_output=True,
        timeout=60,
    )
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    return context, str(cert)


def _run_worker_once(app, **env: str) -> None:
    """Run `tracker worker --once` as its own process (its TLS trust comes from env)."""
    result = subprocess.run(
        [str(TRACKER), "worker", "--once"],
        env=worker_env(app, TRACKER_MEDIA_DIR=app.config["MEDIA_DIR"], **env),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


# A worker process and a TLS server: on SQLite alone. Which addresses are asked and trusted
# does not depend on the database; storing a fetched or failed thumbnail runs on both above.
@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_a_peertube_thumbnail_comes_from_the_instances_video_api_and_only_its_host(
    app, client, session, founder, instance_tls
):
    app.config["ALLOW_PRIVATE_FEEDS"] = True
    context, ca_file = instance_tls
    elsewhere_id = "kkGMgK9ZtnKfYAgnEtQxbv"
    with FeedServer(tls=context) as instance:
        video = {
            "uuid": PEERTUBE_ID,
            "name": "The synth, first sounds",
            "thumbnailPath": "/lazy-static/thumbnails/small.jpg",
            "previewPath": "/lazy-static/previews/large.jpg",
        }
        elsewhere = {"previewPath": "//tracker.example/pixel.jpg", "thumbnailPath": None}
        for video_id, answer in ((PEERTUBE_ID, video), (elsewhere_id, elsewhere)):
            instance.route(
                f"/api/v1/videos/{video_id}",
                body=json.dumps(answer).encode(),
                headers={"Content-Type": "application/json"},
            )
        instance.route(
            "/lazy-static/previews/large.jpg", body=image_bytes("JPEG", (850, 480)), headers=JPEG
        )
        campaign = make_campaign(session, owner=founder, slug="tube")
        other = make_campaign(session, owner=founder, slug="other-tube")
        _save_video(client, campaign, instance.url(f"/w/{PEERTUBE_ID}"))
        _save_video(client, other, instance.url(f"/w/{elsewhere_id}"))

        # Its own process: it trusts the instance's certificate through SSL_CERT_FILE.
        _run_worker_once(app, SSL_CERT_FILE=ca_file)

    assert sorted(r.path for r in instance.requests) == [
        f"/api/v1/videos/{PEERTUBE_ID}",
        f"/api/v1/videos/{elsewhere_id}",
        "/lazy-static/previews/large.jpg",
    ]
    thumbnail = _thumbnail(session, campaign)
    assert thumbnail.state == "fetched", thumbnail.error
    link = _video_link(client.get_text("/c/tube"))
    assert f'src="/media/{thumbnail.image_key}-480.webp"' in link
    assert "Watch the video on PeerTube" in link
    refused = _thumbnail(session, other)
    assert refused.state == "failed" and "names no thumbnail on https://127.0.0.1" in refused.error


def test_a_peertube_instance_on_a_private_address_is_not_fetched(
    app, client, session, founder, campaign
):
    # ALLOW_PRIVATE_FEEDS is off: the guarded fetch refuses before any connection.
    _save_video(client, campaign, f"https://127.0.0.1:9/w/{PEERTUBE_ID}")
    run_jobs(app)
    thumbnail = _thumbnail(session, campaign)
    assert thumbnail.state == "failed" and "refused" in thumbnail.error, thumbnail.error
    assert "<img" not in _video_link(client.get_text("/c/synth"))
