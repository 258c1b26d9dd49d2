"""The funding chart's SVG, parsed: ticks unique, ordered, regular and apart; locale formats;
the campaign's own range; the goal line whole; projection, markers, legend, text alternative."""

from datetime import date, timedelta
from itertools import pairwise
from xml.etree import ElementTree

import pytest

from tests.factories import make_campaign, make_milestone
from tests.factories.feedback import comment
from tests.factories.feeds import make_channel
from tracker.campaigns.milestones import change_milestone
from tracker.charts.funding import ChartText, FundingChart, Marker, funding_chart_svg
from tracker.charts.svg import text_width
from tracker.feeds.store import store_entries
from tracker.models import Actor, utcnow
from tracker.pledges.funding import CurvePoint, Projection
from tracker.pledges.snapshots import record_snapshot

SVG = "{http://www.w3.org/2000/svg}"
START = date(2026, 11, 2)


def _curve(days: int, *, start: date = START, per_day: int = 150_000) -> list[CurvePoint]:
    return [
        CurvePoint(start + timedelta(days=n), per_day * (n + 1), 10 * (n + 1)) for n in range(days)
    ]


def _chart(span: int, *, today_offset: int | None = None, **overrides) -> FundingChart:
    ends_on = START + timedelta(days=span - 1)
    today = START + timedelta(days=today_offset if today_offset is not None else span // 2)
    values = {
        "starts_on": START,
        "ends_on": ends_on,
        "today": today,
        "curve": _curve((today - START).days + 1),
        "goal_minor": 5_000_000,
        "currency": "EUR",
        **overrides,
    }
    return FundingChart(**values)


def _render(chart, locale="en", *, narrow=False, **text):
    svg = funding_chart_svg(
        chart,
        ChartText(text.get("title", "Pledged by day"), "Key figures.", locale),
        narrow=narrow,
    )
    return _parse(svg)


def _parse(svg: str | bytes):
    return ElementTree.fromstring(svg)  # noqa: S314 (our own output)


def _texts(root, css):
    # Babel puts a no-break space between amount and sign ("20.000 €"): compared as a space.
    return [
        (
            float(el.get("x")),
            float(el.get("y")),
            el.text.replace("\xa0", " "),
            el.get("text-anchor") or "start",
        )
        for el in root.iter(f"{SVG}text")
        if el.get("class") == css
    ]


def _extent(x, text, anchor, size):
    width = text_width(text, size)
    left = {"start": x, "middle": x - width / 2, "end": x - width}[anchor]
    return left, left + width


RANGES = [3, 5, 10, 31, 45, 60, 120, 400]


@pytest.mark.parametrize("narrow", [False, True], ids=["wide", "narrow"])
@pytest.mark.parametrize("locale", ["en", "de"])
@pytest.mark.parametrize("span", RANGES)
def test_x_ticks_are_unique_ordered_regular_apart_and_inside(span, locale, narrow):
    root = _render(_chart(span), locale, narrow=narrow)
    size, width = float(root.get("font-size")), float(root.get("width"))
    labels = _texts(root, "x-label")
    assert len(labels) >= 2, labels
    texts = [text for _, _, text, _ in labels]
    assert len(set(texts)) == len(texts), texts  # no label twice ("Nov 2, Nov 2")
    xs = [x for x, *_ in labels]
    assert xs == sorted(xs) and len(set(xs)) == len(xs)
    extents = [_extent(x, text, anchor, size) for x, _, text, anchor in labels]
    for (_, right), (left, _) in pairwise(extents):
        assert right + 4 <= left, texts  # apart, by their computed widths
    assert extents[0][0] >= 0 and extents[-1][1] <= width
    if span <= 120:  # days apart, not months: the same step between every two ticks
        steps = [b - a for a, b in pairwise(xs)]
        assert max(steps) - min(steps) <= 0.2, steps  # coordinates have one decimal


@pytest.mark.parametrize("locale", ["en", "de"])
@pytest.mark.parametrize("narrow", [False, True], ids=["wide", "narrow"])
def test_y_labels_are_unique_ordered_and_apart(locale, narrow):
    root = _render(_chart(45, today_offset=30), locale, narrow=narrow)
    size = float(root.get("font-size"))
    for css in ("y-label", "bar-label"):
        labels = _texts(root, css)
        ys = [y for _, y, _, _ in labels]
        assert ys == sorted(ys, reverse=True)  # 0 at the bottom, rising
        assert len({text for *_, text, _ in labels}) == len(labels)
        assert all(b + size <= a for a, b in pairwise(ys))
    # The two panels' labels do not touch either.
    main, bars = _texts(root, "y-label"), _texts(root, "bar-label")
    assert main[0][1] + size <= bars[-1][1]


def test_amounts_and_dates_follow_the_locale():
    english = _render(_chart(45), "en")
    german = _render(_chart(45), "de")
    assert [t for *_, t, _ in _texts(english, "y-label")][:3] == ["€0", "€20,000", "€40,000"]
    assert [t for *_, t, _ in _texts(german, "y-label")][:3] == ["0 €", "20.000 €", "40.000 €"]
    assert _texts(english, "x-label")[0][2] == "Nov 2"
    assert _texts(german, "x-label")[0][2] == "2. Nov."
    assert _texts(german, "goal-label")[0][2] == "Goal: 50.000 €"  # the caller words it


def _plot(root):
    grid = [el for el in root.iter(f"{SVG}line") if el.get("stroke") == "#d9d9e0"]
    return float(grid[0].get("x1")), float(grid[0].get("x2"))


def _value_at(root, y):
    """Read a y position back as an amount from the first two y labels' positions."""
    (_, y0, *_), (_, y1, text, _) = _texts(root, "y-label")[:2]
    step = float(text.replace("€", "").replace(",", ""))
    return (y0 - y) / (y0 - y1) * step


def test_the_goal_line_spans_the_whole_plot_at_the_goal():
    root = _render(_chart(45, today_offset=3))
    left, right = _plot(root)
    goal = next(el for el in root.iter(f"{SVG}line") if el.get("class") == "goal")
    assert (float(goal.get("x1")), float(goal.get("x2"))) == (left, right)
    # Label baselines sit 0.35 em below their grid line.
    size = float(root.get("font-size"))
    # Coordinates have one decimal: a tenth of a pixel is 40 euros at this scale.
    assert _value_at(root, float(goal.get("y1")) + 0.35 * size) == pytest.approx(50_000, abs=60)


def test_the_campaign_range_is_drawn_and_days_to_come_stay_empty():
    chart = _chart(45, today_offset=20)
    root = _render(chart)
    left, right = _plot(root)
    line = next(el for el in root.iter(f"{SVG}polyline") if el.get("class") == "total")
    points = [tuple(map(float, p.split(","))) for p in line.get("points").split()]
    slot = (right - left) / 45
    assert points[0][0] == pytest.approx(left + slot / 2, abs=0.1)
    assert points[-1][0] == pytest.approx(left + 20.5 * slot, abs=0.1)  # today, not the end
    bars = [el for el in root.iter(f"{SVG}rect") if el.get("class") == "bar"]
    assert len(bars) == 21 and max(float(b.get("x")) for b in bars) < left + 21 * slot
    assert _texts(root, "x-label")[0][2] == "Nov 2"  # the start, whatever the data


def test_pledges_before_the_start_count_in_the_first_day():
    curve = [CurvePoint(START - timedelta(days=2), 300_000, 3), *_curve(3)]
    root = _render(_chart(30, today_offset=2, curve=curve))
    line = next(el for el in root.iter(f"{SVG}polyline") if el.get("class") == "total")
    first_y = float(line.get("points").split()[0].split(",")[1])
    size = float(root.get("font-size"))
    assert _value_at(root, first_y + 0.35 * size) == pytest.approx(1_500, abs=20)


def test_projection_is_dashed_with_its_band_while_the_campaign_runs():
    projection = Projection(6_000_000, 5_000_000, 7_000_000, 100_000)
    running = _render(_chart(45, today_offset=20, projection=projection))
    group = next(el for el in running.iter(f"{SVG}g") if el.get("class") == "projection")
    assert group.find(f"{SVG}title").text.startswith("Projection: €60,000.00")
    assert group.find(f"{SVG}line").get("stroke-dasharray")
    assert group.find(f"{SVG}path").get("class") == "band"
    ended = _render(_chart(45, today_offset=50, projection=projection))
    assert not [el for el in ended.iter(f"{SVG}g") if el.get("class") == "projection"]


def test_markers_say_what_they_are_and_the_legend_names_them():
    markers = (
        Marker(START + timedelta(days=3), "Prototype video", "update"),
        Marker(START + timedelta(days=3), "Devlog 2", "update"),
        Marker(START + timedelta(days=5), "PCB rev B", "milestone"),
    )
    root = _render(_chart(45, today_offset=10, markers=markers))
    titles = [
        el.find(f"{SVG}title").text
        for el in root.iter()
        if (el.get("class") or "").startswith("marker ")
    ]
    assert titles == [
        "Update, Nov 5, 2026: Prototype video; Devlog 2",
        "Milestone, Nov 7, 2026: PCB rev B",
    ]
    legend = [t for *_, t, _ in _texts(root, "legend-label")]
    assert legend == ["Pledged in total", "Pledged per day", "Goal", "Update", "Milestone"]


def test_the_narrow_chart_keeps_its_type_large():
    wide, narrow = _render(_chart(45)), _render(_chart(45), narrow=True)
    assert (wide.get("width"), narrow.get("width")) == ("720", "360")
    assert float(narrow.get("font-size")) >= 13
    assert len(_texts(narrow, "x-label")) < len(_texts(wide, "x-label"))


def test_the_svg_names_and_describes_itself():
    root = _parse(
        funding_chart_svg(
            _chart(45), ChartText("Pledged by day", "€7.00 of €50.00", "en"), id_prefix="p"
        )
    )
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "p-title" and root.get("aria-describedby") == "p-desc"
    assert root.find(f"{SVG}title").text == "Pledged by day"
    assert root.find(f"{SVG}desc").text == "€7.00 of €50.00"


TODAY = utcnow().date()


def _running_campaign(session, **overrides):
    campaign = make_campaign(
        session,
        slug="chart",
        title="Lumen Deck",
        goal_minor=5_000_000,
        starts_on=TODAY - timedelta(days=20),
        ends_on=TODAY + timedelta(days=24),
        **overrides,
    )
    record_snapshot(session, campaign, amount_minor=4_161_600, backers=412, source="test")
    session.commit()
    return campaign


def test_the_public_chart_speaks_the_readers_language(client, session):
    _running_campaign(session)
    response = client.get("/c/chart/funding.svg", headers={"Accept-Language": "de"})
    assert response.status_code == 200
    root = _parse(response.data)
    assert _texts(root, "goal-label")[0][2] == "Ziel: 50.000 €"
    assert {t for *_, t, _ in _texts(root, "y-label")} >= {"0 €", "20.000 €"}


def test_the_page_and_the_funding_tab_show_the_chart_inline_with_its_key_figures(client, session):
    owner_email = "chart-owner@example.com"
    from tests.factories import make_user

    owner = make_user(session, email=owner_email)
    campaign = _running_campaign(session, owner=owner)
    channel = make_channel(session, campaign)
    store_entries(
        session, channel, [comment("Prototype video", at=utcnow(), author="Team")], now=utcnow()
    )
    milestone = make_milestone(session, campaign, title="PCB rev B")
    change_milestone(session, milestone, status="done", actor=Actor(label="test"))
    session.commit()
    page = client.get("/c/chart")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    caption = "€41,616.00 pledged of the €50,000.00 goal (83%), by 412 backers."
    assert caption in html  # the <figcaption>
    assert html.count(f'<desc id="funding-wide-desc">{caption}') == 1
    assert 'class="marker update"' in html and "Prototype video" in html
    assert client.login(owner_email).status_code == 303
    tab = client.get("/dashboard/chart/funding/")
    assert tab.status_code == 200
    assert caption in tab.get_data(as_text=True)


def test_the_bars_and_the_funding_tab_count_the_campaigns_local_days(client, session, owner):
    from tests.factories.pledges import import_file

    campaign = make_campaign(
        session,
        owner=owner,
        slug="auckland",
        timezone="Pacific/Auckland",
        starts_on=date(2026, 11, 1),
        ends_on=date(2026, 11, 30),
    )
    import_file(session, campaign, "ledger/kickstarter_v2.csv")
    # 11:40 UTC on Nov 2 is 00:40 on Nov 3 in Auckland: a day of its own.
    chart = client.get("/c/auckland/funding.svg")
    assert chart.status_code == 200
    bars = [
        rect.find(f"{SVG}title").text.replace("\xa0", " ")
        for rect in _parse(chart.data).iter(f"{SVG}rect")
        if rect.get("class") == "bar"
    ]
    assert bars[:2] == ["Nov 2, 2026: €44.00", "Nov 3, 2026: €1,137.00"]
    assert client.login(owner.email).status_code == 303
    tab = client.get("/dashboard/auckland/funding/")
    assert tab.status_code == 200
    assert "Nov 3, 2026: €1,137.00" in tab.get_data(as_text=True)
