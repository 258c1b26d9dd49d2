"""The founder's rewards page: move a tier up or down (a redirect back without JavaScript,
the list swapped by htmx), edit a tier; another campaign's tier is not found."""

import re

import pytest
from sqlalchemy import select

from tests.factories import make_campaign
from tests.factories.rewards import make_tiers
from tracker.campaigns.rewards import add_reward_tier
from tracker.models import Campaign, RewardTier

HX = {"HX-Request": "true"}
URL = "/dashboard/synth/rewards/"
pytestmark = pytest.mark.usefixtures("founder")


@pytest.fixture
def tiers(session, campaign):
    """Return the ids of three tiers of the campaign, in the founder's order."""
    return make_tiers(session, campaign)


def _titles(session):
    session.expire_all()
    synth = select(Campaign.id).where(Campaign.slug == "synth").scalar_subquery()
    query = (
        select(RewardTier.title)
        .where(RewardTier.campaign_id == synth)
        .order_by(RewardTier.position, RewardTier.id)
    )
    return list(session.execute(query).scalars())


def _buttons(html):
    """Return the accessible names of the move buttons, in page order."""
    names = re.findall(
        r'<button[^>]*>(Move (?:up|down))<span class="visually-hidden">(.*?)</span>', html
    )
    return [f"{label}{hidden}" for label, hidden in names]


def test_each_tier_has_the_moves_it_can_make(client, tiers):
    html = client.get_text(URL)
    assert _buttons(html) == [
        "Move down: Early bird kit",
        "Move up: Assembled deck",
        "Move down: Assembled deck",
        "Move up: Signed case",
    ]


def test_move_without_javascript_redirects_back(client, session, tiers):
    response = client.post(f"{URL}{tiers[2]}/move/up")
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"{URL}#tier-{tiers[2]}")
    assert _titles(session) == ["Early bird kit", "Signed case", "Assembled deck"]
    response = client.post(f"{URL}{tiers[0]}/move/down")
    assert response.status_code == 303
    assert _titles(session) == ["Signed case", "Early bird kit", "Assembled deck"]


def test_move_with_htmx_returns_the_list(client, session, tiers):
    response = client.post(f"{URL}{tiers[1]}/move/up", headers=HX)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert html.lstrip().startswith('<div id="reward-tiers"')
    assert "<h1" not in html
    assert html.index("Assembled deck") < html.index("Early bird kit") < html.index("Signed case")
    assert "HX-Request" in response.headers["Vary"]
    assert _titles(session) == ["Assembled deck", "Early bird kit", "Signed case"]


def test_move_past_the_end_changes_nothing(client, session, tiers):
    response = client.post(f"{URL}{tiers[0]}/move/up")
    assert response.status_code == 303
    assert _titles(session) == ["Early bird kit", "Assembled deck", "Signed case"]


def test_a_tier_of_another_campaign_is_not_found(client, session, owner, tiers):
    other = make_campaign(session, owner=owner, slug="other")
    foreign = add_reward_tier(session, other, title="Other kit", price="10")
    session.commit()
    for url in (
        f"{URL}{foreign.id}/move/up",
        f"{URL}{foreign.id}/move/down",
        f"{URL}{foreign.id}/edit",
        f"/dashboard/other/rewards/{tiers[0]}/move/down",
    ):
        assert client.post(url, {"title": "Mine", "price": "1"}).status_code == 404, url
    assert client.get_checked(f"{URL}{foreign.id}/edit", 404).status_code == 404
    assert client.post(f"{URL}{tiers[0]}/move/sideways").status_code == 404
    assert _titles(session) == ["Early bird kit", "Assembled deck", "Signed case"]


def test_a_stranger_cannot_move_a_tier(client, session, tiers):
    client.logout()
    response = client.post(f"{URL}{tiers[1]}/move/up")
    assert response.status_code in (302, 303, 404)
    assert _titles(session) == ["Early bird kit", "Assembled deck", "Signed case"]


def test_move_needs_the_csrf_token(client, session, tiers):
    assert client.raw.post(f"{URL}{tiers[1]}/move/up").status_code == 400
    assert _titles(session) == ["Early bird kit", "Assembled deck", "Signed case"]


def test_edit_a_tier(client, session, tiers):
    page = client.get_text(f"{URL}{tiers[0]}/edit")
    assert 'value="Early bird kit"' in page and 'value="89.00"' in page and 'value="3"' in page
    bad = client.post(f"{URL}{tiers[0]}/edit", {"title": "", "price": "nine", "limit": "3"})
    assert bad.status_code == 422
    assert "Give the reward a title." in bad.get_data(as_text=True)
    saved = client.post(
        f"{URL}{tiers[0]}/edit", {"title": "Early bird kit, v2", "price": "95", "limit": ""}
    )
    assert saved.status_code == 303
    assert saved.headers["Location"].endswith(f"{URL}#tier-{tiers[0]}")
    session.expire_all()
    tier = session.get(RewardTier, tiers[0])
    assert (tier.title, tier.price_minor, tier.limit, tier.backers) == (
        "Early bird kit, v2",
        9500,
        None,
        None,
    )
    assert "The reward Early bird kit, v2 is saved." in client.get_text(URL)


def test_adding_a_tier_says_so(client, session, campaign):
    response = client.post(URL, {"title": "Poster", "price": "20"}, follow_redirects=True)
    assert response.status_code == 200
    assert "The reward Poster is added." in response.get_data(as_text=True)
