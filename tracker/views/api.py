"""The JSON API for scripts: push funding totals with a per-campaign token."""

from datetime import datetime

from flask import Blueprint, jsonify, request

from tracker.api_tokens import is_valid_token
from tracker.campaigns import find_campaign
from tracker.db import get_session
from tracker.errors import InvalidInput
from tracker.money import parse_major_amount
from tracker.security import csrf
from tracker.snapshots import record_snapshot

bp = Blueprint("api", __name__, url_prefix="/api")


@bp.post("/campaigns/<slug>/snapshots")
@csrf.exempt  # no cookies: a bearer token authenticates each request
def push_snapshot(slug):
    session = get_session()
    campaign = find_campaign(session, slug)
    scheme, _, secret = request.headers.get("Authorization", "").partition(" ")
    if (
        campaign is None
        or scheme.lower() != "bearer"
        or not is_valid_token(session, campaign, secret.strip())
    ):
        return _error(
            401, "A valid API token of this campaign is required (Authorization: Bearer <token>)."
        )
    data = request.get_json(silent=True) if request.is_json else request.form
    if data is None:
        return _error(400, "The body is not valid JSON.")
    try:
        snapshot = record_snapshot(
            session, campaign, source="api", **_snapshot_values(data, campaign.currency)
        )
    except InvalidInput as error:
        return _error(422, str(error), fields=error.errors)
    session.commit()
    return jsonify(
        id=snapshot.id,
        taken_at=snapshot.taken_at.isoformat(),
        amount_minor=snapshot.amount_minor,
        currency=campaign.currency,
        backers=snapshot.backers,
    ), 201


def _snapshot_values(data, currency: str) -> dict:
    errors, values = {}, {}
    try:
        values["amount_minor"] = parse_major_amount(str(data.get("amount", "")), currency)
    except ValueError as error:
        errors["amount"] = f"{error} (give the total in whole units, e.g. 12345.50)"
    try:
        values["backers"] = int(str(data.get("backers", "")))
    except ValueError:
        errors["backers"] = "Give the number of backers as a whole number."
    if data.get("at"):
        try:
            values["taken_at"] = datetime.fromisoformat(str(data["at"]))
        except ValueError:
            errors["at"] = "Give the time as ISO 8601 with a zone, e.g. 2026-11-20T18:00:00Z."
    if errors:
        raise InvalidInput(errors)
    return values


def _error(status: int, message: str, **extra):
    response = jsonify(error=message, **extra)
    response.status_code = status
    if status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="tracker"'
    return response
