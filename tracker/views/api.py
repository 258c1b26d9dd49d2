"""The JSON API for scripts: push funding totals with a per-campaign token."""

from collections.abc import Mapping

from flask import Blueprint, jsonify, request

from tracker.campaigns.api_tokens import is_valid_token
from tracker.campaigns.campaigns import find_campaign
from tracker.db import get_session
from tracker.errors import InvalidInput
from tracker.pledges.snapshots import parse_backers, parse_taken_at, parse_total, record_snapshot
from tracker.views.security import csrf

bp = Blueprint("api", __name__, url_prefix="/api")


@bp.post("/campaigns/<slug>/snapshots")
@csrf.exempt  # no cookies: a bearer token authenticates each request
def push_snapshot(slug):
    session = get_session()
    campaign = _token_campaign(session, slug)
    if campaign is None:
        return _error(
            401, "A valid API token of this campaign is required (Authorization: Bearer <token>)."
        )
    data = request.get_json(silent=True) if request.is_json else request.form
    if not isinstance(data, Mapping):
        return _error(
            400, 'The body must be a JSON object, e.g. {"amount": "12345.50", "backers": 210}.'
        )
    try:
        snapshot = record_snapshot(
            session, campaign, source="api", **_snapshot_values(data, campaign.currency)
        )
    except InvalidInput as error:
        return _error(422, str(error), fields=error.errors)
    session.commit()
    return _snapshot_json(snapshot, campaign.currency), 201


def _token_campaign(session, slug: str):
    """Return the campaign whose API token the request bears; None for any other request."""
    campaign = find_campaign(session, slug)
    scheme, _, secret = request.headers.get("Authorization", "").partition(" ")
    if (
        campaign is None
        or scheme.lower() != "bearer"
        or not is_valid_token(session, campaign, secret.strip())
    ):
        return None
    return campaign


def _snapshot_json(snapshot, currency: str):
    return jsonify(
        id=snapshot.id,
        taken_at=snapshot.taken_at.isoformat(),
        amount_minor=snapshot.amount_minor,
        currency=currency,
        backers=snapshot.backers,
    )


def _snapshot_values(data: Mapping, currency: str) -> dict:
    errors, values = {}, {}
    for key, parse in (
        ("amount_minor", lambda: parse_total(data.get("amount"), currency)),
        ("backers", lambda: parse_backers(data.get("backers"))),
        ("taken_at", lambda: parse_taken_at(data.get("at"))),
    ):
        try:
            values[key] = parse()
        except InvalidInput as error:
            errors.update(error.errors)
    if errors:
        raise InvalidInput(errors)
    return values


def _error(status: int, message: str, **extra):
    response = jsonify(error=message, status=status, **extra)
    response.status_code = status
    if status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="tracker"'
    return response
