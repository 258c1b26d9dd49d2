"""The private alert feed's address: any token that is not the campaign's is a clear 404."""

import pytest

from tests.factories import make_campaign
from tracker.feedback.alert_settings import feedback_settings


@pytest.mark.parametrize(
    "token", ["%C3%A9", "%E2%80%AE", "a%00b", "x" * 300, "%F0%9F%98%80", "%FF", "%ED%A0%80"]
)
def test_a_token_of_any_characters_is_a_404(client, session, token):
    campaign = make_campaign(session)
    feedback_settings(session, campaign)
    session.commit()

    response = client.get(f"/dashboard/{campaign.slug}/feedback/alerts/{token}.atom")

    assert response.status_code == 404
    assert "There is nothing here" in response.get_data(as_text=True)
