"""Editors join by invitation: the owner invites, only the invitee accepts or declines."""

import re

import pytest
from sqlmodel import func, select

from tests.conftest import FormClient
from tests.factories import make_user
from tracker.models import CampaignInvitation, CampaignMember

INVITATION_RE = re.compile(r'action="/dashboard/invitations/(\d+)/accept"')
pytestmark = pytest.mark.campaign(title="Team Test")


@pytest.fixture
def invitee(session):
    return make_user(session, email="invitee@example.com")


def _invite(app, owner, email):
    client = FormClient(app.test_client())
    client.login(owner.email)
    return client, client.post("/dashboard/synth/team", {"email": email})


def _invitation_id(client):
    page = client.get("/dashboard/")
    assert page.status_code == 200
    return int(INVITATION_RE.search(page.get_data(as_text=True)).group(1))


def _members(session, campaign):
    query = select(CampaignMember.user_id).where(CampaignMember.campaign_id == campaign.id)
    return set(session.exec(query))


def test_the_invitee_joins_only_by_accepting(app, client, session, owner, invitee, campaign):
    owner_client, response = _invite(app, owner, "nobody@example.com")
    assert response.status_code == 422
    assert "No registered user has this email." in response.get_data(as_text=True)
    response = owner_client.post("/dashboard/synth/team", {"email": "Invitee@Example.com"})
    assert response.status_code == 303
    team = owner_client.get("/dashboard/synth/team")
    assert team.status_code == 200
    assert "invitee@example.com" in team.get_data(as_text=True)
    assert _members(session, campaign) == {owner.id}

    client.login(invitee.email)
    assert client.get("/dashboard/synth/").status_code == 404
    page = client.get("/dashboard/")
    assert page.status_code == 200
    assert "Team Test" in page.get_data(as_text=True)
    assert "founder@example.com" in page.get_data(as_text=True)
    response = client.post(f"/dashboard/invitations/{_invitation_id(client)}/accept")
    assert response.status_code == 303
    assert response.headers["Location"] == "/dashboard/synth/"
    assert client.get("/dashboard/synth/").status_code == 200
    assert _members(session, campaign) == {owner.id, invitee.id}
    assert session.exec(select(func.count()).select_from(CampaignInvitation)).one() == 0


def test_the_invitee_declines(app, client, session, owner, invitee, campaign):
    assert _invite(app, owner, invitee.email)[1].status_code == 303
    client.login(invitee.email)
    invitation_id = _invitation_id(client)
    response = client.post(f"/dashboard/invitations/{invitation_id}/decline")
    assert response.status_code == 303
    assert response.headers["Location"] == "/dashboard/"
    page = client.get("/dashboard/")
    assert page.status_code == 200
    assert "Team Test" not in page.get_data(as_text=True)
    assert _members(session, campaign) == {owner.id}
    assert client.post(f"/dashboard/invitations/{invitation_id}/accept").status_code == 404


def test_nobody_else_answers_an_invitation(app, client, session, owner, invitee, campaign):
    owner_client, response = _invite(app, owner, invitee.email)
    assert response.status_code == 303
    invitation_id = session.exec(select(CampaignInvitation.id)).one()
    stranger = make_user(session)
    client.login(stranger.email)
    for action in ("accept", "decline"):
        url = f"/dashboard/invitations/{invitation_id}/{action}"
        assert client.post(url).status_code == 404
        assert owner_client.post(url).status_code == 404
    for url in (
        f"/dashboard/invitations/{invitation_id + 1}/accept",
        "/dashboard/invitations/2147483648/accept",
        "/dashboard/invitations/0/decline",
    ):
        assert client.post(url).status_code == 404
    assert _members(session, campaign) == {owner.id}
    assert session.exec(select(func.count()).select_from(CampaignInvitation)).one() == 1


def test_answers_need_a_post_with_the_csrf_token(app, client, session, owner, invitee, campaign):
    assert _invite(app, owner, invitee.email)[1].status_code == 303
    client.login(invitee.email)
    url = f"/dashboard/invitations/{_invitation_id(client)}/accept"
    assert client.get(url).status_code == 405
    assert client.raw.post(url).status_code == 400
    assert _members(session, campaign) == {owner.id}


def test_one_invitation_per_person_and_only_from_the_owner(
    app, client, session, owner, invitee, campaign
):
    owner_client, response = _invite(app, owner, invitee.email)
    assert response.status_code == 303
    response = owner_client.post("/dashboard/synth/team", {"email": invitee.email})
    assert response.status_code == 422
    assert "This user is already invited." in response.get_data(as_text=True)
    response = owner_client.post("/dashboard/synth/team", {"email": owner.email})
    assert response.status_code == 422
    assert "This user is already on the team." in response.get_data(as_text=True)

    client.login(invitee.email)
    assert client.post(f"/dashboard/invitations/{_invitation_id(client)}/accept").status_code == 303
    other = make_user(session)
    response = client.post("/dashboard/synth/team", {"email": other.email})
    assert response.status_code == 422
    assert "Only the owner can invite editors." in response.get_data(as_text=True)
    assert session.exec(select(func.count()).select_from(CampaignInvitation)).one() == 0
