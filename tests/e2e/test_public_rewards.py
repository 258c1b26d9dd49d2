"""A backer sees the reward tiers on a desktop and a phone: price, backers, limited and sold
out, every card inside the window."""

import pytest
from playwright.sync_api import expect

from tests.e2e.browser import open_page
from tests.factories.reports import import_csv
from tests.public.test_rewards import ROWS
from tracker.campaigns.rewards import add_reward_tier

pytestmark = [pytest.mark.e2e, pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)]
VIEWPORTS = {"desktop": (1280, 900), "phone": (390, 844)}


@pytest.fixture
def tiers(session, campaign):
    import_csv(session, campaign, "\n".join(ROWS) + "\n")
    add_reward_tier(session, campaign, title="Early bird kit", price="89", limit="3")
    add_reward_tier(session, campaign, title="Assembled deck", price="149", limit="100")
    add_reward_tier(
        session, campaign, title="A name in the manual, printed on recycled paper", price="5"
    )
    session.commit()


@pytest.mark.parametrize("viewport", VIEWPORTS, ids=list(VIEWPORTS))
def test_the_rewards_block(browser, live_server, tiers, viewport):
    width, height = VIEWPORTS[viewport]
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    open_page(page, f"{live_server}/c/synth")
    block = page.locator("#rewards")
    expect(block.get_by_role("heading", name="Rewards")).to_be_visible()
    cards = block.locator("li.reward")
    expect(cards).to_have_count(3)
    early = cards.filter(has_text="Early bird kit")
    expect(early).to_contain_text("€89.00")
    expect(early).to_contain_text("3 backers")
    expect(early.get_by_text("Sold out")).to_be_visible()
    expect(cards.filter(has_text="Assembled deck")).to_contain_text("Limited: 98 left of 100")
    for n in range(3):
        box = cards.nth(n).bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= width, (n, box)
    if viewport == "phone":  # one column
        assert cards.nth(0).bounding_box()["x"] == cards.nth(1).bounding_box()["x"]
    context.close()
