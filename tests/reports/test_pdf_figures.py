"""The PDF report states the figures the public page states, and its chart reads the same:
the key figures in words, the goal named, ticks at regular places on the paper."""

import html
import itertools
import re
import subprocess

import pytest

from tests.factories.figures import make_running_campaign
from tests.factories.reports import pdf_text
from tracker.models import utcnow

TODAY = utcnow().date()


@pytest.fixture
def campaign(client, session):
    pledges = [(n * 2 // 3, 900 + 41 * n) for n in range(30)]
    owner, campaign = make_running_campaign(session, slug="paper", pledges=pledges)
    assert client.login(owner.email).status_code == 303
    return campaign


def _figure(page: str, name: str) -> str:
    match = re.search(rf"<dt>{name}</dt><dd>([^<]+)", page)
    return html.unescape(match.group(1)).strip()


def _words(text: str) -> str:
    return " ".join(text.split())


def test_the_pdf_states_the_figures_of_the_page(client, campaign, tmp_path):
    page = client.get("/c/paper")
    assert page.status_code == 200
    shown = page.get_data(as_text=True)
    pledged, percent = _figure(shown, "Pledged"), _figure(shown, "Of the goal")
    backers = _figure(shown, "Backers")
    caption = html.unescape(
        re.search(r'<figcaption class="chart-caption">([^<]+)</figcaption>', shown).group(1)
    )
    response = client.post(
        "/dashboard/paper/reports/export", {"kind": "month", "month": f"{TODAY:%Y-%m}"}
    )
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    text = _words(pdf_text(response.data, tmp_path))
    overall = text.split("Overall, as of", 1)[1].split("Pledged by day", 1)[0]
    for label, figure in (("Pledged", pledged), ("Backers", backers), ("Of the goal", percent)):
        assert label in overall and figure in overall, (label, figure, overall)
    assert _words(caption) in text  # the chart's key figures, word for word
    assert "Goal: €50,000" in text  # the goal line, named on the chart


def test_the_pdf_chart_ticks_sit_at_regular_places(client, campaign, tmp_path):
    response = client.post(
        "/dashboard/paper/reports/export", {"kind": "month", "month": f"{TODAY:%Y-%m}"}
    )
    assert response.status_code == 200
    path = tmp_path / "report.pdf"
    path.write_bytes(response.data)
    boxes = subprocess.run(
        ["pdftotext", "-bbox", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    words = [
        (float(x0), float(y0), float(x1), word)
        for x0, y0, x1, word in re.findall(
            r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="[\d.]+">([^<]+)</word>',
            boxes,
        )
    ]
    months = r"Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec"
    rows: dict[float, list[float]] = {}
    for (x0, y0, _x1, word), (_, y_next, x1_next, following) in itertools.pairwise(words):
        if re.fullmatch(months, word) and following.isdigit() and y_next == y0:
            rows.setdefault(round(y0, 1), []).append((x0 + x1_next) / 2)
    axis = max(rows.values(), key=len)  # the x axis: the row with the most "Nov 7" labels
    assert len(axis) >= 4, rows
    steps = [b - a for a, b in itertools.pairwise(axis)]
    assert max(steps) - min(steps) <= 1.5, steps  # points on paper; labels differ in width
