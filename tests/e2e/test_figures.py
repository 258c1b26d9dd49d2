"""A backer and a founder read the figures in chromium, on a desktop and on a phone: the chart
and the bar say what the JSON summary says, and their labels neither collide nor shrink."""

from itertools import pairwise

import pytest
from playwright.sync_api import expect

from tests.e2e.browser import log_in
from tests.factories import make_milestone
from tests.factories.figures import make_running_campaign

pytestmark = pytest.mark.e2e
VIEWPORTS = {"desktop": (1280, 900), "phone": (390, 844)}


@pytest.fixture
def founder_campaign(session):
    """A campaign 20 days in, pledges on most of its days, a stretch goal past the goal."""
    pledges = [(n // 2, 2500 if n < 4 else 700 + 37 * n) for n in range(40)]
    owner, campaign = make_running_campaign(session, slug="figures", pledges=pledges)
    make_milestone(session, campaign, title="Aluminium case", threshold_minor=7_500_000)
    return owner, campaign


def _summary(page, base):
    response = page.request.get(f"{base}/api/campaigns/figures.json")
    assert response.status == 200
    return response.json()


def _visible_chart(page, figure):
    wide, narrow = figure.locator(".chart-wide svg"), figure.locator(".chart-narrow svg")
    return wide if wide.is_visible() else narrow


def _box(locator):
    box = locator.bounding_box()
    assert box is not None
    return box


def _check_labels_apart_and_readable(chart, css):
    labels = chart.locator(f"text.{css}")
    boxes = [_box(labels.nth(i)) for i in range(labels.count())]
    assert len(boxes) >= 2
    for box in boxes:
        assert box["height"] >= 11, box  # type a phone can read, not 5 px
    for left, right in pairwise(boxes):
        assert left["x"] + left["width"] <= right["x"], (left, right)


def _check_chart_against(chart, summary):
    """The line ends where the JSON's total is, against the goal line and the zero line."""
    zero = _box(chart.locator(".grid line").first)
    goal = _box(chart.locator("line.goal"))
    end = _box(chart.locator("circle.total-end"))
    zero_y, goal_y = zero["y"] + zero["height"] / 2, goal["y"] + goal["height"] / 2
    end_y = end["y"] + end["height"] / 2
    shown = (zero_y - end_y) / (zero_y - goal_y)
    assert shown == pytest.approx(summary["pledged_minor"] / summary["goal_minor"], abs=0.02)
    plot = _box(chart.locator(".grid line").first)
    assert goal["x"] == pytest.approx(plot["x"], abs=1)  # the goal line, whole
    assert goal["width"] == pytest.approx(plot["width"], abs=1)


@pytest.mark.parametrize("viewport", VIEWPORTS, ids=list(VIEWPORTS))
def test_the_public_page_shows_the_json_figures(browser, live_server, founder_campaign, viewport):
    width, height = VIEWPORTS[viewport]
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    summary = _summary(page, live_server)
    page.goto(f"{live_server}/c/figures")
    percent = int(summary["percent_of_goal"])  # rounded down where shown
    figures = page.locator("section.funding dl.figures")
    expect(figures).to_contain_text(f"{percent}%")
    expect(figures).to_contain_text(f"{summary['backers']}")
    pledged = f"€{summary['pledged_minor'] / 100:,.2f}"
    expect(figures).to_contain_text(pledged)
    # The bar: its goal track filled to the total, 100 % being the goal.
    bar = _visible_chart(page, page.locator("figure.progress"))
    fill, track = _box(bar.locator("rect.fill")), _box(bar.locator("rect.track"))
    ratio = min(summary["pledged_minor"] / summary["goal_minor"], 1)
    assert fill["width"] / track["width"] == pytest.approx(ratio, abs=0.005)
    expect(bar.locator("text.marker-label")).to_contain_text("Aluminium case")
    # The chart: the same total, labels apart and readable at this width.
    figure = page.locator("figure.funding-figure")
    chart = _visible_chart(page, figure)
    assert chart.get_attribute("width") == ("360" if viewport == "phone" else "720")
    _check_chart_against(chart, summary)
    _check_labels_apart_and_readable(chart, "x-label")
    expect(figure.locator("figcaption")).to_contain_text(f"{pledged} pledged of the €50,000.00")
    context.close()


@pytest.mark.parametrize("viewport", VIEWPORTS, ids=list(VIEWPORTS))
def test_the_funding_tab_shows_the_json_figures(browser, live_server, founder_campaign, viewport):
    owner, _campaign = founder_campaign
    width, height = VIEWPORTS[viewport]
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    summary = _summary(page, live_server)
    log_in(page, live_server, owner.email)
    page.goto(f"{live_server}/dashboard/figures/funding/")
    percent = int(summary["percent_of_goal"])
    expect(page.locator("dl.figures")).to_contain_text(f"{percent}%")
    chart = _visible_chart(page, page.locator("figure.funding-figure"))
    _check_chart_against(chart, summary)
    _check_labels_apart_and_readable(chart, "x-label")
    context.close()
