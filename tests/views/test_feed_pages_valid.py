"""The feeds dashboard pages, full of the demo's entries, are valid HTML in English and German."""

import pytest
from sqlalchemy import select

from tracker.campaigns.campaigns import find_campaign
from tracker.demo.loader import load_demo
from tracker.models import Channel, utcnow


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_feeds_pages_have_no_html_errors(client, session, nu_checker):
    result = load_demo(session, today=utcnow().date())
    session.commit()
    campaign = find_campaign(session, result.slug)
    polled = session.scalars(select(Channel).where(Channel.campaign_id == campaign.id)).first()
    polled.last_polled_at = utcnow()  # microseconds, as a real poll leaves them
    session.add(polled)
    session.commit()
    client.login(result.owner_email, result.owner_password)
    channel_ids = session.scalars(select(Channel.id).where(Channel.campaign_id == campaign.id))
    urls = [f"/dashboard/{campaign.slug}/feeds/"] + [
        f"/dashboard/{campaign.slug}/feeds/channels/{channel_id}" for channel_id in channel_ids
    ]
    assert len(urls) > 2  # the demo's channels, each with its page
    pages = {}
    for language in ("en", "de"):
        for url in urls:
            response = client.get(url, headers={"Accept-Language": language})
            assert response.status_code == 200, url
            pages[f"{url} ({language})"] = response.get_data()
    errors = nu_checker.errors(pages)
    assert not errors, "\n".join(errors)
