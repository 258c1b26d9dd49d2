"""CSRF, access checks, no state change on GET, security headers, harmless Markdown."""

from datetime import date

import pytest
from sqlmodel import func, select

from tests.factories import make_campaign, make_milestone, make_user
from tracker.models import Campaign, Milestone


@pytest.fixture
def alice(session):
    return make_user(session, email="alice@example.com")


@pytest.fixture
def draft(session, alice):
    campaign = make_campaign(session, owner=alice, slug="alices-draft", is_public=False)
    return campaign


def test_post_without_csrf_token_is_refused(client, session, alice):
    client.login(alice.email)
    response = client.raw.post(
        "/dashboard/new",
        data={
            "title": "x",
            "slug": "x",
            "goal": "1",
            "currency": "EUR",
            "starts_on": "2026-11-01",
            "ends_on": "2026-12-01",
        },
    )
    assert response.status_code == 400
    assert "The form expired or did not come from this site" in response.get_data(as_text=True)
    assert session.exec(select(func.count()).select_from(Campaign)).one() == 0


def test_login_without_csrf_token_is_refused(client, session, alice):
    response = client.raw.post("/auth/login", data={"email": alice.email, "password": "x"})
    assert response.status_code == 400


def test_other_founder_gets_404_for_drafts_private_milestones_and_edit_urls(
    client, session, alice, draft
):
    public = make_campaign(session, owner=alice, slug="alices-public", is_public=True)
    secret = make_milestone(session, public, title="Secret supplier deal", is_public=False)
    draft_milestone = make_milestone(session, draft)
    bob = make_user(session, email="bob@example.com")
    client.login(bob.email)
    for url in (
        "/c/alices-draft",
        "/dashboard/alices-draft/",
        "/dashboard/alices-draft/edit",
        "/dashboard/alices-public/",
        "/dashboard/alices-public/team",
        f"/dashboard/alices-public/milestones/{secret.id}/edit",
        f"/dashboard/alices-draft/milestones/{draft_milestone.id}/edit",
        # Bob's own campaign cannot reach Alice's milestone through its id either.
        f"/dashboard/{make_campaign(session, owner=bob).slug}/milestones/{secret.id}/edit",
    ):
        assert client.get(url).status_code == 404, url
    for url in (
        f"/dashboard/alices-public/milestones/{secret.id}/status",
        f"/dashboard/alices-public/milestones/{secret.id}/move/up",
    ):
        assert client.post(url, {"status": "dropped"}).status_code == 404, url
    session.refresh(secret)
    assert secret.status == "planned"
    page = client.get_text("/c/alices-public")
    assert "Secret supplier deal" not in page


def test_anonymous_gets_404_for_draft_and_login_redirect_for_dashboard(client, draft):
    assert client.get("/c/alices-draft").status_code == 404
    response = client.get("/dashboard/alices-draft/")
    assert response.status_code == 302
    assert "/auth/login" in response.headers["Location"]


def test_team_sees_own_draft_and_private_milestone(client, session, alice, draft):
    make_milestone(session, draft, title="Private step", is_public=False)
    client.login(alice.email)
    page = client.get_text("/c/alices-draft")
    assert "Draft: only your team sees this page." in page
    assert "Private step" not in page  # the public page shows what backers will see


def test_no_state_change_on_get(client, session, alice, draft):
    milestone = make_milestone(session, draft)
    client.login(alice.email)
    for url in (
        f"/dashboard/alices-draft/milestones/{milestone.id}/status?status=done",
        f"/dashboard/alices-draft/milestones/{milestone.id}/move/up",
        "/auth/logout",
    ):
        assert client.get(url).status_code == 405
    session.refresh(milestone)
    assert milestone.status == "planned"


def test_security_headers(client):
    response = client.get("/")
    assert response.status_code == 200
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert "<script>" not in response.get_data(as_text=True)  # no inline script at all


def test_markdown_with_script_and_javascript_links_is_harmless(client, session, alice):
    campaign = make_campaign(
        session,
        owner=alice,
        slug="xss",
        description_md="<script>alert(1)</script> [click](javascript:alert(2)) "
        "<img src=x onerror=alert(3)> [ok](https://example.org)",
    )
    make_milestone(
        session,
        campaign,
        title="<b>bold</b>",
        due_on=date(2027, 1, 1),
        description_md="[x](JaVaScRiPt:alert(4)) <iframe src=//evil>",
    )
    page = client.get_text("/c/xss")
    assert "<script>alert" not in page
    assert 'href="javascript' not in page.lower()  # shown as text at most, never a link
    assert "onerror" not in page.replace("&lt;img src=x onerror=alert(3)&gt;", "")
    assert "<iframe" not in page
    assert "<b>bold</b>" not in page and "&lt;b&gt;bold&lt;/b&gt;" in page
    assert '<a href="https://example.org" rel="nofollow noopener noreferrer">ok</a>' in page


def test_unknown_page_is_a_clear_404_without_trace(client):
    response = client.get("/c/nothing-here")
    assert response.status_code == 404
    assert "There is nothing here, or it is not yours to see." in response.get_data(as_text=True)
    assert "Traceback" not in response.get_data(as_text=True)


def test_public_page_shows_public_milestones(client, session, alice):
    campaign = make_campaign(session, owner=alice, slug="open", is_public=True)
    make_milestone(session, campaign, title="Shown step")
    make_milestone(session, campaign, title="Hidden step", is_public=False)
    page = client.get_text("/c/open")
    assert "Shown step" in page
    assert "Hidden step" not in page
    assert session.exec(select(func.count()).select_from(Milestone)).one() == 2
