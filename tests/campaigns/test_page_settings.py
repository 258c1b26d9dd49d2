"""What the public page shows besides figures: links, video, sections; the CLI sets them."""

import json

import pytest

from tracker.models import Campaign

SET = ("campaigns", "set", "synth")


def _fresh(session, campaign) -> Campaign:
    session.expire_all()
    return session.get(Campaign, campaign.id)


def test_cli_sets_the_page_settings(cli, session, campaign):
    result = cli(
        *SET,
        "--title",
        "Synth Two",
        "--tagline",
        "Now louder",
        "--platform-url",
        "https://www.kickstarter.com/projects/someone/synth",
        "--late-pledge-url",
        "https://shop.example/synth",
        "--video-url",
        "https://youtu.be/dQw4w9WgXcQ",
        "--public-feedback",
        "off",
        "--public-rewards",
        "off",
    )
    assert result.exit_code == 0, result.output
    campaign = _fresh(session, campaign)
    assert (campaign.title, campaign.tagline) == ("Synth Two", "Now louder")
    assert campaign.platform_url == "https://www.kickstarter.com/projects/someone/synth"
    assert campaign.late_pledge_url == "https://shop.example/synth"
    assert campaign.video_url == "https://youtu.be/dQw4w9WgXcQ"
    assert (campaign.public_feedback, campaign.public_rewards) == (False, False)
    on = cli(*SET, "--public-feedback", "on", "--platform-url", "")
    assert on.exit_code == 0, on.output
    campaign = _fresh(session, campaign)
    assert (campaign.public_feedback, campaign.platform_url) == (True, "")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--platform-url", "not a url at all"], "platform_url: 'not a url at all' is not"),
        (["--platform-url", "javascript:alert(1)"], "https://"),
        (["--late-pledge-url", "ftp://shop.example/x"], "late_pledge_url"),
        (["--platform-url", "https://user:secret@example.com/"], "password"),
        (["--platform-url", "https://example.com/" + "x" * 500], "at most 500"),
        (["--video-url", "https://vimeo.com/123456"], "YouTube or PeerTube"),
        (["--video-url", "https://www.youtube.com/watch?v=short"], "YouTube or PeerTube"),
        (["--title", ""], "title: This field is required"),
    ],
)
def test_cli_refuses_bad_settings_in_one_line_and_changes_nothing(
    cli, session, campaign, args, message
):
    result = cli(*SET, "--tagline", "Changed", *args)
    assert result.exit_code != 0, result.output
    assert message in result.output
    assert "Traceback" not in result.output
    assert len(result.output.strip().splitlines()) == 1, result.output
    campaign = _fresh(session, campaign)
    assert (campaign.tagline, campaign.platform_url, campaign.video_url) == ("", "", "")
    assert campaign.public_feedback is True


def test_cli_switches_are_on_or_off(cli, session, campaign):
    result = cli(*SET, "--public-feedback", "maybe")
    assert result.exit_code == 2
    assert "'maybe' is not one of 'on', 'off'" in result.output
    assert _fresh(session, campaign).public_feedback is True


@pytest.mark.parametrize(
    ("url", "kind"),
    [
        ("https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=42", "youtube"),
        ("https://youtube.com/shorts/dQw4w9WgXcQ", "youtube"),
        ("https://m.youtube.com/watch?v=dQw4w9WgXcQ", "youtube"),
        ("https://framatube.org/w/9c9de5e8-0a1e-484a-b099-e80766180a6d", "peertube"),
        ("https://video.example/videos/watch/9c9de5e8-0a1e-484a-b099-e80766180a6d", "peertube"),
        ("https://tube.example/w/kkGMgK9ZtnKfYAgnEtQxbv", "peertube"),
    ],
)
def test_cli_takes_youtube_and_peertube_links(cli, session, campaign, url, kind):
    from tracker.campaigns.video import parse_video

    result = cli(*SET, "--video-url", url)
    assert result.exit_code == 0, result.output
    assert _fresh(session, campaign).video_url == url
    assert parse_video(url).platform == kind


def test_summary_json_names_links_image_and_zone(client, session, campaign, cli):
    url = "/api/campaigns/synth.json"
    before = json.loads(client.get_text(url))
    assert (before["platform_url"], before["late_pledge_url"], before["image_url"]) == (
        None,
        None,
        None,
    )
    assert before["timezone"] == "UTC"
    result = cli(
        *SET,
        "--platform-url",
        "https://www.kickstarter.com/projects/someone/synth",
        "--late-pledge-url",
        "https://shop.example/synth",
        "--timezone",
        "Europe/Berlin",
    )
    assert result.exit_code == 0, result.output
    after = json.loads(client.get_text(url))
    assert after["platform_url"] == "https://www.kickstarter.com/projects/someone/synth"
    assert after["late_pledge_url"] == "https://shop.example/synth"
    assert after["timezone"] == "Europe/Berlin"


FORM = {
    "title": "Synth",
    "slug": "synth",
    "goal": "50000",
    "currency": "EUR",
    "starts_on": "2026-11-01",
    "ends_on": "2026-12-15",
    "platform": "kickstarter",
    "language": "en",
    "timezone": "UTC",
    "is_public": "y",
}


def test_form_saves_links_and_switches(client, session, founder, campaign):
    response = client.post(
        "/dashboard/synth/edit",
        {
            **FORM,
            "platform_url": "https://www.kickstarter.com/projects/someone/synth",
            "video_url": "https://youtu.be/dQw4w9WgXcQ",
            "video_embed": "y",
            "public_rewards": "y",
        },
    )
    assert response.status_code == 303
    campaign = _fresh(session, campaign)
    assert campaign.platform_url == "https://www.kickstarter.com/projects/someone/synth"
    assert (campaign.video_embed, campaign.public_feedback, campaign.public_rewards) == (
        True,
        False,
        True,
    )
    page = client.get_text("/dashboard/synth/edit")
    assert 'value="https://youtu.be/dQw4w9WgXcQ"' in page


def test_form_refuses_a_bad_link_next_to_the_field(client, session, founder, campaign):
    response = client.post("/dashboard/synth/edit", {**FORM, "video_url": "https://vimeo.com/1"})
    assert response.status_code == 422
    error = response.get_data(as_text=True).split('id="video_url-error"', 1)
    assert len(error) == 2, "no error next to the video link"
    assert "YouTube or PeerTube" in error[1][:300]
    assert _fresh(session, campaign).video_url == ""
