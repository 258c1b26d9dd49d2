"""The funding dashboard: uploads with and without htmx, limits, history, totals, tokens, API."""

import io
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, insert, select, text

from tests.factories import make_campaign, make_user
from tests.factories.pledges import DATA
from tracker.models import FundingSnapshot, Pledge, PledgeImport

HX = {"HX-Request": "true"}
pytestmark = pytest.mark.usefixtures("founder")


def _upload(client, name, headers=None, **fields):
    data = {
        "report": (io.BytesIO((DATA / name).read_bytes()), name.split("/")[-1]),
        "format": "auto",
        **fields,
    }
    return client.post(
        "/dashboard/synth/funding/import",
        data,
        content_type="multipart/form-data",
        headers=headers or {},
    )


def _new_token_page(client) -> str:
    """Create an API token named cron and return the page that shows its secret once."""
    response = client.post("/dashboard/synth/funding/tokens", {"name": "cron"})
    assert response.status_code == 200
    return response.get_data(as_text=True)


def _count(session, model):
    return session.execute(select(func.count()).select_from(model)).scalar_one()


def test_upload_with_htmx_returns_the_result_fragment(client, session, campaign):
    response = _upload(client, "ledger/kickstarter_v1.csv", headers=HX)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert page.lstrip().startswith('<section id="upload"')
    assert "5 new, 0 updated, 0 unchanged, 0 rejected" in page
    assert _count(session, Pledge) == 5
    overview = client.get_text("/dashboard/synth/funding/")
    assert "€1,359.00" in overview
    assert "Sticker pack" in overview


def test_upload_without_js_renders_a_page(client, session, campaign):
    response = _upload(client, "ledger/kickstarter_v1.csv")
    assert response.status_code == 200
    assert "<html" in response.get_data(as_text=True)


def test_bad_rows_are_listed_and_nothing_saved(client, session, campaign):
    response = _upload(client, "ledger/kickstarter_bad.csv", headers=HX)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Nothing was imported: 3 bad rows" in page
    assert "lots of money" in page and "kickstarter_bad.csv:4" in page
    assert _count(session, Pledge) == 0 and _count(session, PledgeImport) == 0


def test_structural_error_message(client, session, campaign):
    response = _upload(client, "pledges/mixed_formats.zip", headers=HX)
    assert response.status_code == 422
    assert "mixes formats" in response.get_data(as_text=True)


def test_upload_over_the_limit_is_refused_clearly(app, client, session, campaign):
    app.config["MAX_CONTENT_LENGTH"] = 1024
    big = io.BytesIO(b"x" * 4096)
    response = client.raw.post(
        "/dashboard/synth/funding/import",
        headers=HX,
        data={"report": (big, "big.csv")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 413
    assert "larger than the limit" in response.get_data(as_text=True)
    assert response.headers["HX-Retarget"] == "#flash"
    assert _count(session, PledgeImport) == 0


def test_import_history_lists_records_and_rejected_rows(client, session, campaign):
    assert _upload(client, "ledger/kickstarter_bad.csv", skip_bad_rows="y").status_code == 200
    assert _upload(client, "ledger/kickstarter_v2.csv").status_code == 200
    page = client.get_text("/dashboard/synth/funding/imports")
    assert "kickstarter_bad.csv" in page and "kickstarter_v2.csv" in page
    assert "lots of money" in page


def test_snapshot_form(client, session, campaign):
    response = client.post(
        "/dashboard/synth/funding/snapshots", {"amount": "12,345.50", "backers": "210"}
    )
    assert response.status_code == 303
    snapshot = session.execute(select(FundingSnapshot)).scalar_one()
    assert (snapshot.amount_minor, snapshot.backers, snapshot.source) == (
        1_234_550,
        210,
        "dashboard",
    )
    response = client.post(
        "/dashboard/synth/funding/snapshots", {"amount": "a lot", "backers": "2"}
    )
    assert response.status_code == 422
    assert "&#39;a lot&#39; is not an amount" in response.get_data(as_text=True)


def test_api_token_accepted_revoked_and_refused(client, session, campaign):
    page = _new_token_page(client)
    secret = page.split('<code class="secret">', 1)[1].split("<", 1)[0]
    assert secret.startswith("trk_")
    api = "/api/campaigns/synth/snapshots"
    auth = {"Authorization": f"Bearer {secret}"}
    response = client.raw.post(api, json={"amount": "1500.25", "backers": 42}, headers=auth)
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["amount_minor"] == 150_025
    bad = client.raw.post(api, json={"amount": "abc", "backers": "x"}, headers=auth)
    assert bad.status_code == 422
    assert set(bad.get_json()["fields"]) == {"amount", "backers"}
    assert client.raw.post(api, json={"amount": "1", "backers": 1}).status_code == 401
    wrong = {"Authorization": "Bearer trk_not-a-token"}
    assert (
        client.raw.post(api, json={"amount": "1", "backers": 1}, headers=wrong).status_code == 401
    )
    other = make_campaign(session, slug="other")
    assert (
        client.raw.post(
            f"/api/campaigns/{other.slug}/snapshots",
            headers=auth,
            json={"amount": "1", "backers": 1},
        ).status_code
        == 401
    )
    token_id = page.split("/tokens/", 1)[1].split("/revoke", 1)[0]
    assert client.post(f"/dashboard/synth/funding/tokens/{token_id}/revoke").status_code == 303
    assert client.raw.post(api, json={"amount": "1", "backers": 1}, headers=auth).status_code == 401
    assert _count(session, FundingSnapshot) == 1


def test_funding_pages_are_404_for_other_founders(client, session, campaign):
    client.logout()
    client.login(make_user(session).email)
    for url in (
        "/dashboard/synth/funding/",
        "/dashboard/synth/funding/imports",
        "/dashboard/synth/funding/tokens",
        "/dashboard/synth/funding/chart.svg",
    ):
        assert client.get(url).status_code == 404, url
    assert _upload(client, "ledger/kickstarter_v1.csv").status_code == 404
    assert _count(session, Pledge) == 0


def test_chart_is_an_svg_without_script(client, session, campaign):
    assert _upload(client, "ledger/kickstarter_v1.csv").status_code == 200
    response = client.get_checked("/dashboard/synth/funding/chart.svg")
    assert response.mimetype == "image/svg+xml"
    assert "<script" not in response.get_data(as_text=True)
    assert "default-src 'none'" in response.headers["Content-Security-Policy"]


def _rows_an_older_import_let_through(session, campaign):
    """Write pledges dated year 1 and 9999, as imports stored them before dates were checked."""
    record = PledgeImport(
        campaign_id=campaign.id, filename="old.csv", sha256="0" * 64, format="generic"
    )
    session.add(record)
    session.flush()
    rows = [
        ("ok", 1000, datetime(2026, 11, 20, 12, tzinfo=UTC)),
        ("year-1", 500, datetime(1, 1, 1, tzinfo=UTC)),
        ("year-9999", 250, datetime(9999, 12, 31, 23, tzinfo=UTC)),
    ]
    session.execute(
        insert(Pledge.__table__),
        [
            {
                "campaign_id": campaign.id, "platform": "generic", "platform_key": key,
                "amount_minor": amount, "currency": "EUR", "status": "collected",
                "status_raw": "collected", "pledged_at": at, "digest": key[:16],
                "import_id": record.id,
            }
            for key, amount, at in rows
        ],
    )  # fmt: skip
    if session.get_bind().dialect.name == "sqlite":
        # The import's fast path wrote year 1 without padding, which SQLite's date() reads
        # as NULL.
        session.execute(
            text(
                "UPDATE pledges SET pledged_at = '1-01-01 00:00:00.000000' "
                "WHERE platform_key = 'year-1'"
            )
        )
    session.commit()


def _snapshots_an_older_api_let_through(session, campaign):
    for at, amount in [
        (datetime(1, 1, 1, tzinfo=UTC), 100),
        (datetime(2026, 11, 20, 12, tzinfo=UTC), 9000),
        (datetime(9999, 12, 31, tzinfo=UTC), 1),
    ]:
        session.add(
            FundingSnapshot(
                campaign_id=campaign.id, taken_at=at, amount_minor=amount, backers=3, source="api"
            )
        )
    session.commit()


PAGES = [
    "/c/{slug}",
    "/api/campaigns/{slug}.json",
    "/c/{slug}/badge.svg",
    "/c/{slug}/funding.svg",
    "/c/{slug}/card.png",
    "/dashboard/{slug}/",
    "/dashboard/{slug}/funding/",
    "/dashboard/{slug}/funding/chart.svg",
    "/dashboard/{slug}/reports/",
    "/dashboard/{slug}/insights/impact",
]


def test_rows_dated_outside_the_sane_range_no_longer_break_any_page(
    client, session, campaign, founder
):
    _rows_an_older_import_let_through(session, campaign)
    other = make_campaign(session, owner=founder, slug="pushed", currency="EUR")
    _snapshots_an_older_api_let_through(session, other)
    for slug in ("synth", "pushed"):
        for page in PAGES:
            url = page.format(slug=slug)
            assert client.get(url).status_code == 200, url
    # The money is real and counts; only the chart and the projection leave the dates out.
    assert client.get_checked("/api/campaigns/synth.json").get_json()["pledged_minor"] == 1750
    page = client.get_text("/dashboard/synth/funding/")
    assert "2 pledges are dated outside 2000 to 2100" in page
    # Totals pushed with an impossible date are left out; the sane one is the total.
    assert client.get_checked("/api/campaigns/pushed.json").get_json()["pledged_minor"] == 9000


@pytest.fixture
def api(client, session, campaign):
    page = _new_token_page(client)
    secret = page.split('<code class="secret">', 1)[1].split("<", 1)[0]
    headers = {"Authorization": f"Bearer {secret}"}

    def post(**kwargs):
        return client.raw.post("/api/campaigns/synth/snapshots", headers=headers, **kwargs)

    return post


@pytest.mark.parametrize("body", ["[1, 2]", '"str"', "123", "null", "{not json"])
def test_the_api_answers_a_body_that_is_no_object_in_json(api, session, body):
    response = api(data=body, content_type="application/json")
    assert response.status_code == 400
    assert response.is_json and "JSON object" in response.get_json()["error"]
    assert _count(session, FundingSnapshot) == 0


BAD_SNAPSHOTS = [
    ({"amount": "99999999999999999999999999", "backers": 1}, "amount"),
    ({"amount": "9" * 5000, "backers": 1}, "amount"),
    ({"amount": "1e999999999", "backers": 1}, "amount"),
    ({"amount": 1e300, "backers": 1}, "amount"),
    ({"amount": "5", "backers": 99999999999999999999}, "backers"),
    ({"amount": "5", "backers": "1" * 5000}, "backers"),
    ({"amount": "5", "backers": 1.5}, "backers"),
    ({"amount": "5", "backers": True}, "backers"),
    ({"amount": "5", "backers": 1, "at": "0001-01-01T00:00:00+01:00"}, "at"),
    ({"amount": "5", "backers": 1, "at": "9999-12-31T23:59:59-14:00"}, "at"),
    ({"amount": "5", "backers": 1, "at": "0001-01-01T00:00:00Z"}, "at"),
    ({"amount": "5", "backers": 1, "at": "2099-01-01T00:00:00Z"}, "at"),
    ({"amount": "5", "backers": 1, "at": 12}, "at"),
    ({"amount": "5", "backers": 1, "at": "2026-11-20T18:00:00"}, "at"),
]


@pytest.mark.parametrize(("body", "field"), BAD_SNAPSHOTS)
def test_the_api_refuses_values_the_ledger_cannot_hold(api, session, body, field):
    response = api(json=body)
    assert response.status_code == 422, response.get_data(as_text=True)
    assert list(response.get_json()["fields"]) == [field]
    assert _count(session, FundingSnapshot) == 0


def test_every_api_error_is_json(api, client, session):
    response = client.raw.get("/api/campaigns/synth/snapshots")
    assert response.status_code == 405
    assert response.is_json and response.get_json()["error"]
    response = api(json={"amount": "5", "backers": 1, "at": "2026-11-20T18:00:00Z"})
    assert response.status_code == 201
    assert response.get_json()["taken_at"] == "2026-11-20T18:00:00+00:00"


@pytest.mark.campaign(timezone="Europe/Berlin")
def test_the_snapshot_time_is_typed_in_the_campaigns_zone(client, session, campaign):
    page = client.get("/dashboard/synth/funding/")
    assert page.status_code == 200
    assert "As of (Europe/Berlin time, optional)" in page.get_data(as_text=True)
    response = client.post(
        "/dashboard/synth/funding/snapshots",
        {"amount": "100", "backers": "2", "taken_at": "2026-11-03T00:30"},
    )
    assert response.status_code == 303
    snapshot = session.execute(select(FundingSnapshot)).scalar_one()
    assert snapshot.taken_at == datetime(2026, 11, 2, 23, 30, tzinfo=UTC)


def test_formats_go_by_the_names_founders_know(client, session, campaign):
    form = client.get("/dashboard/synth/funding/")
    assert form.status_code == 200
    assert ">Open Collective</option>" in form.get_data(as_text=True)
    with (DATA / "ledger/kickstarter_v2.csv").open("rb") as report:
        uploaded = client.post(
            "/dashboard/synth/funding/import",
            {"report": (report, "backers.csv"), "format": "auto"},
            content_type="multipart/form-data",
        )
    assert uploaded.status_code in (200, 303)
    history = client.get("/dashboard/synth/funding/imports")
    assert history.status_code == 200
    html = history.get_data(as_text=True)
    assert "Kickstarter backer report (2024 format)" in html and "kickstarter-d" not in html
