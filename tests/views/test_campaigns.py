"""Creating and editing campaigns through the dashboard, with every kind of bad input."""

import pytest
from sqlmodel import func, select

from tests.factories import make_campaign, make_user
from tracker.models import Campaign, CampaignInvitation, CampaignMember

GOOD = {
    "title": "Lumen Deck",
    "slug": "lumen-deck",
    "tagline": "A pocket synth",
    "description_md": "Hello **backers**",
    "goal": "50000",
    "currency": "EUR",
    "starts_on": "2026-11-01",
    "ends_on": "2026-12-15",
    "platform": "kickstarter",
    "language": "en",
}


def test_create_campaign(client, session, founder):
    response = client.post("/dashboard/new", {**GOOD, "is_public": "y"})
    assert response.status_code == 303
    assert response.headers["Location"] == "/dashboard/lumen-deck/"
    campaign = session.exec(select(Campaign)).one()
    assert (campaign.goal_minor, campaign.currency, campaign.is_public) == (5_000_000, "EUR", True)
    assert session.get(CampaignMember, (campaign.id, founder.id)).role == "owner"


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("title", "", "This field is required."),
        ("starts_on", "2026-13-45", "Not a valid date value."),
        ("ends_on", "2026-10-01", "The end date is before the start date."),
        ("currency", "EUX", "'EUX' is not an ISO 4217 currency code."),
        ("goal", "0", "The goal must be more than zero."),
        ("goal", "-5", "The goal must be more than zero."),
        ("goal", "lots", "'lots' is not an amount"),
        ("title", "x" * 121, "Use at most 120 characters."),
        ("tagline", "x" * 201, "Use at most 200 characters."),
        ("slug", "Bad Slug!", "Use 1-60 lowercase letters"),
    ],
)
def test_bad_input_shows_error_next_to_field_and_saves_nothing(
    client, session, founder, field, value, message
):
    response = client.post("/dashboard/new", {**GOOD, field: value})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    error = page.split(f'id="{field}-error"', 1)
    assert len(error) == 2, f"no error next to {field}"
    assert message.replace("'", "&#39;") in error[1][:300]
    assert session.exec(select(func.count()).select_from(Campaign)).one() == 0


def test_duplicate_slug_is_refused(client, session, founder):
    make_campaign(session, slug="lumen-deck")
    response = client.post("/dashboard/new", GOOD)
    assert response.status_code == 422
    assert "The address &#39;lumen-deck&#39; is taken." in response.get_data(as_text=True)
    assert session.exec(select(func.count()).select_from(Campaign)).one() == 1


def test_edit_campaign(client, session, founder):
    campaign = make_campaign(session, owner=founder, slug="old", goal_minor=100)
    page = client.get_text("/dashboard/old/edit")
    assert 'value="1.00"' in page
    response = client.post("/dashboard/old/edit", {**GOOD, "slug": "old", "title": "New title"})
    assert response.status_code == 303
    session.refresh(campaign)
    assert campaign.title == "New title"
    assert campaign.goal_minor == 5_000_000


def test_owner_invites_an_editor_who_has_access_once_accepted(client, session, founder):
    # tests/test_invitations.py covers declining, strangers and CSRF.
    make_campaign(session, owner=founder, slug="team-test", is_public=False)
    editor = make_user(session, email="editor@example.com")
    response = client.post("/dashboard/team-test/team", {"email": "nobody@example.com"})
    assert response.status_code == 422
    assert "No registered user has this email." in response.get_data(as_text=True)
    response = client.post("/dashboard/team-test/team", {"email": "editor@example.com"})
    assert response.status_code == 303
    assert client.post("/auth/logout").status_code == 303
    client.login(editor.email)
    assert client.get("/dashboard/team-test/").status_code == 404
    invitation_id = session.exec(select(CampaignInvitation.id)).one()
    response = client.post(f"/dashboard/invitations/{invitation_id}/accept")
    assert response.status_code == 303
    assert client.get("/dashboard/team-test/").status_code == 200
    assert "team-test" in client.get_text("/dashboard/")
