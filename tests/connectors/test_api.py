"""JSON through the guarded fetch: refusals, rate limits and malformed answers."""

import json
from datetime import UTC, datetime, timedelta

import pytest

from tests.factories.feeds import LOCAL
from tests.feed_server import FeedServer
from tracker.connectors.api import Api, ApiError
from tracker.feeds.cache_hints import parse_rate_limit_reset
from tracker.feeds.fetch_policy import DEFAULT_POLICY, FetchPolicy, fetch_policy

JSON = {"Content-Type": "application/json"}
NOW = datetime(2026, 11, 27, 12, tzinfo=UTC)


@pytest.fixture(scope="module")
def server():
    with FeedServer() as running:
        yield running


def test_get_json_decodes_and_sends_the_validators(server):
    server.route("/doc", body=b'{"a": 1}', headers=JSON, etag='"v1"')
    api = Api(LOCAL)
    first = api.get_json(server.url("/doc"), conditional=True)
    assert first.data == {"a": 1} and first.fetched.etag == '"v1"'
    assert server.requests_to("/doc")[-1].headers["Accept"] == "application/json"
    again = Api(LOCAL, etag='"v1"').get_json(server.url("/doc"), conditional=True)
    assert again.data is None and again.fetched.status == 304


def test_post_json_sends_the_payload(server):
    server.route("/graphql", body=b'{"data": {"ok": true}}', headers=JSON)
    answer = Api(LOCAL).post_json(server.url("/graphql"), {"query": "{ ok }"})
    assert answer.data == {"data": {"ok": True}}
    sent = server.requests_to("/graphql")[-1]
    assert sent.method == "POST" and json.loads(sent.body) == {"query": "{ ok }"}
    assert sent.headers["Content-Type"] == "application/json"


def test_429_with_retry_after_says_when_to_come_back(server):
    server.route("/limited", status=429, headers={**JSON, "Retry-After": "600"}, body=b"{}")
    before = datetime.now(UTC)
    with pytest.raises(ApiError) as raised:
        Api(LOCAL).get_json(server.url("/limited"))
    assert raised.value.reason.startswith("rate limited by the platform (HTTP 429); next try after")
    assert before + timedelta(seconds=590) < raised.value.retry_after
    assert raised.value.retry_after < before + timedelta(seconds=610)


def test_an_exhausted_rate_limit_on_an_error_moves_the_next_try(server):
    reset = int((datetime.now(UTC) + timedelta(hours=1)).timestamp())
    headers = {**JSON, "X-RateLimit-Remaining": "0", "X-RateLimit-Reset": str(reset)}
    server.route("/exhausted", status=403, headers=headers, body=b"{}")
    with pytest.raises(ApiError) as raised:
        Api(LOCAL).get_json(server.url("/exhausted"))
    assert raised.value.retry_after == datetime.fromtimestamp(reset, UTC)


@pytest.mark.parametrize(
    ("status", "reason"),
    [
        (404, "not found (HTTP 404): the URL is wrong or it was deleted"),
        (401, "the platform asks for authentication (HTTP 401)"),
        (403, "the platform refused access (HTTP 403): it may block automated requests"),
        (500, "HTTP 500"),
    ],
)
def test_refusals_read_as_one_sentence(server, status, reason):
    server.route(f"/status/{status}", status=status, body=b"nope")
    with pytest.raises(ApiError) as raised:
        Api(LOCAL).get_json(server.url(f"/status/{status}"))
    assert raised.value.reason == reason


def test_malformed_json_is_an_error(server):
    server.route("/broken", body=b'{"project": ', headers=JSON)
    with pytest.raises(ApiError) as raised:
        Api(LOCAL).get_json(server.url("/broken"))
    assert raised.value.reason.startswith("the API answered with malformed JSON")


def test_the_guard_applies_to_apis_too():
    with pytest.raises(ApiError) as raised:
        Api(FetchPolicy()).get_json("http://127.0.0.1:9/x")
    assert "refused" in raised.value.reason


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        ({"x-ratelimit-remaining": "5", "x-ratelimit-reset": "60"}, None),
        ({"x-ratelimit-remaining": "0", "x-ratelimit-reset": "60"}, NOW + timedelta(seconds=60)),
        ({"ratelimit-remaining": "0", "ratelimit-reset": "1795780800"}, NOW),
        (
            {"x-ratelimit-remaining": "0", "x-ratelimit-reset": "2026-11-27T12:05:00.000Z"},
            NOW + timedelta(minutes=5),
        ),
        ({"x-ratelimit-remaining": "0.0", "x-ratelimit-reset": "30"}, NOW + timedelta(seconds=30)),
        ({"x-ratelimit-remaining": "0", "x-ratelimit-reset": "soon"}, None),
    ],
)
def test_rate_limit_headers_of_each_platform(headers, expected):
    assert parse_rate_limit_reset(headers, now=NOW) == expected


def test_fixed_api_hosts_come_from_the_configuration():
    assert DEFAULT_POLICY.api_url("opencollective") == "https://api.opencollective.com/graphql/v2"
    policy = fetch_policy({"OPENCOLLECTIVE_API_URL": "http://127.0.0.1:8000/graphql/"})
    assert policy.api_url("opencollective") == "http://127.0.0.1:8000/graphql"
    assert policy.api_url("github") == "https://api.github.com"
