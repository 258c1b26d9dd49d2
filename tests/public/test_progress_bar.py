"""The progress bar: 100 % is the goal, stretch goals beyond it are labelled markers, and the
page, the badge, the share card and the JSON summary say the same."""

import re
from datetime import timedelta
from xml.etree import ElementTree

import pytest

from tests.factories import make_campaign, make_milestone
from tracker.charts.progress import BarText, progress_bar_svg
from tracker.charts.svg import text_width
from tracker.models import utcnow
from tracker.pledges.funding import FundingSummary, StretchGoal
from tracker.pledges.snapshots import record_snapshot
from tracker.public.progress import funded_percent, progress_bar
from tracker.views.public import cached_funding
from tracker.views.syndication import share_card_content

SVG = "{http://www.w3.org/2000/svg}"
TODAY = utcnow().date()


def _campaign(session, amount_minor, *stretch_goals):
    campaign = make_campaign(
        session,
        slug="bar",
        title="Lumen Deck",
        goal_minor=5_000_000,
        starts_on=TODAY - timedelta(days=20),
        ends_on=TODAY + timedelta(days=10),
    )
    for title, threshold in stretch_goals:
        make_milestone(session, campaign, title=title, threshold_minor=threshold)
    record_snapshot(session, campaign, amount_minor=amount_minor, backers=412, source="test")
    session.commit()
    return campaign


def _bar_svgs(html: str):
    figure = re.search(r'<figure class="[^"]*\bprogress\b[^"]*">(.*?)</figure>', html, re.S).group(
        1
    )
    return [
        ElementTree.fromstring(svg)  # noqa: S314 (our own page)
        for svg in re.findall(r"<svg.*?</svg>", figure, re.S)
    ]


def _local(root, tag):
    return [el for el in root.iter() if el.tag.rpartition("}")[2] == tag]


def _width(root, css):
    rect = next(el for el in _local(root, "rect") if css in (el.get("class") or "").split())
    return float(rect.get("width"))


def test_87_percent_funded_fills_87_percent_of_the_bar_whatever_the_stretch_goals(client, session):
    _campaign(session, 4_350_000, ("Second oscillator", 6_000_000), ("Aluminium case", 8_000_000))
    response = client.get("/c/bar")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    for root in _bar_svgs(html):
        assert _width(root, "fill") / _width(root, "track") == pytest.approx(0.87, abs=0.002)
        labels = [el.text or "" for el in _local(root, "text")]
        assert any(label.startswith("Second oscillator") for label in labels), labels
        assert any(label.startswith("Aluminium case") for label in labels), labels
    assert "<dd>87%</dd>" in html


def test_the_stretch_goals_labels_never_overlap():
    goals = [
        StretchGoal(f"Stretch goal number {n}", 5_000_000 + n * 100_000, False) for n in range(1, 9)
    ]
    funding = FundingSummary(
        currency="EUR",
        goal_minor=5_000_000,
        source="pledges",
        net_minor=5_250_000,
        stretch_goals=goals,
    )
    bar = progress_bar(funding)
    labels = [f"{g.title} · €{g.threshold_minor // 100:,}" for g in goals]
    for narrow in (False, True):
        root = ElementTree.fromstring(  # noqa: S314 (our own output)
            progress_bar_svg(bar, BarText("n", "Goal", "Stretch goals", labels, []), narrow=narrow)
        )
        size, width = float(root.get("font-size")), float(root.get("width"))
        boxes = []
        for el in root.iter(f"{SVG}text"):
            if el.get("class") != "marker-label":
                continue
            x, y = float(el.get("x")), float(el.get("y"))
            boxes.append((x, x + text_width(el.text, size), y))
        assert len(boxes) == 8
        for i, (left, right, y) in enumerate(boxes):
            assert left >= 0 and right <= width
            for other_left, other_right, other_y in boxes[i + 1 :]:
                assert y != other_y or right <= other_left or other_right <= left


def test_percent_is_rounded_down_so_100_means_the_goal_is_met():
    assert funded_percent(4_999_800, 5_000_000) == 99
    assert funded_percent(5_000_000, 5_000_000) == 100
    assert funded_percent(6_830_000, 5_000_000) == 136
    assert funded_percent(100, 0) == 0


def test_page_badge_card_and_json_agree(app, client, session):
    campaign = _campaign(session, 4_998_000, ("Second oscillator", 6_000_000))
    page = client.get("/c/bar")
    badge = client.get("/c/bar/badge.svg")
    summary = client.get("/api/campaigns/bar.json")
    assert (page.status_code, badge.status_code, summary.status_code) == (200, 200, 200)
    percent = int(summary.get_json()["percent_of_goal"])  # 99.96: rounded down where shown
    assert percent == 99
    assert f"<dd>{percent}%</dd>" in page.get_data(as_text=True)
    assert f"{percent}% · €49,980.00" in badge.get_data(as_text=True)
    with app.test_request_context("/c/bar/card.png"):
        card = share_card_content(campaign, cached_funding(session, campaign), today=TODAY)
    assert card.goal_line.startswith(f"{percent}% of €50,000.00")
    assert card.bar.fill == pytest.approx(0.9996)
    assert [m.label for m in card.bar.stretch] == ["Second oscillator"]
