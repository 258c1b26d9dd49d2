"""Reward tiers on the public page: entered by the founder or counted from the last backer
report (counts only), sold out at their limit, hidden when the founder chooses."""

from sqlalchemy import func, select

from tests.factories.reports import import_csv
from tracker.models import RewardTier

ROWS = ["external_id,amount,currency,pledged_at,tier,status"] + [
    f"p-{n},{amount}.00,EUR,2026-11-0{1 + n % 5}T10:00:00Z,{tier},collected"
    for n, (tier, amount) in enumerate([("Early bird kit", 89)] * 3 + [("Assembled deck", 149)] * 2)
]


def _count(session):
    return session.execute(select(func.count()).select_from(RewardTier)).scalar_one()


def test_the_founder_adds_and_removes_tiers(client, founder, session, campaign):
    url = "/dashboard/synth/rewards/"
    page = client.get_text(url)
    assert 'name="title"' in page and 'name="price"' in page
    for bad, field in [
        ({"title": "", "price": "89"}, "title"),
        ({"title": "Kit", "price": "minus one"}, "is not an amount"),
        ({"title": "Kit", "price": "-5"}, "at least"),
        ({"title": "Kit", "price": "89", "limit": "0"}, "at least 1"),
    ]:
        response = client.post(url, bad)
        assert response.status_code == 422, bad
        assert field in response.get_data(as_text=True)
    assert _count(session) == 0
    response = client.post(url, {"title": "Early bird kit", "price": "89", "limit": "3"})
    assert response.status_code == 303
    response = client.post(url, {"title": "Signed case", "price": "250", "backers": "4"})
    assert response.status_code == 303
    assert _count(session) == 2
    tier_id = session.execute(select(RewardTier.id).where(RewardTier.title == "Signed case"))
    response = client.post(f"{url}{tier_id.scalar_one()}/delete")
    assert response.status_code == 303
    assert _count(session) == 1


def test_a_stranger_cannot_see_or_change_the_tiers(client, session, campaign):
    assert client.get_checked("/dashboard/synth/rewards/", 302).status_code == 302


def test_the_public_page_counts_backers_from_the_last_report(client, founder, session, campaign):
    import_csv(session, campaign, "\n".join(ROWS) + "\n")
    page = client.get_text("/c/synth")
    # No tier entered: the report's tiers, with their counts only.
    rewards = page.split('id="rewards"', 1)[1].split("</section>", 1)[0]
    assert "Early bird kit" in rewards and "3 backers" in rewards
    assert "Assembled deck" in rewards and "2 backers" in rewards
    assert "p-0" not in page  # never a backer's key
    for tier in (
        {"title": "Early bird kit", "price": "89", "limit": "3"},
        {"title": "Signed case", "price": "250", "limit": "10"},
    ):
        assert client.post("/dashboard/synth/rewards/", tier).status_code == 303
    page = client.get_text("/c/synth")
    rewards = page.split('id="rewards"', 1)[1].split("</section>", 1)[0]
    assert "€89.00" in rewards and "Sold out" in rewards  # 3 of 3 taken
    assert "10 left of 10" in rewards  # Signed case: none counted yet
    assert "Assembled deck" not in rewards  # the founder's tiers replace the report's list


def test_the_founder_hides_the_rewards(client, founder, session, campaign):
    # Followed, as a browser does: the page it leads to shows (and spends) the message.
    response = client.post(
        "/dashboard/synth/rewards/", {"title": "Kit", "price": "89"}, follow_redirects=True
    )
    assert response.status_code == 200
    campaign.public_rewards = False
    session.add(campaign)
    session.commit()
    page = client.get_text("/c/synth")
    assert 'id="rewards"' not in page and "Kit" not in page
