import socket
import time
import zlib
from datetime import UTC, datetime, timedelta

import pytest

from tests.feed_server import FeedServer
from tracker.feeds.addresses import AddressRefused, refusal_reason, resolve_global
from tracker.feeds.cache_hints import parse_max_age, parse_retry_after
from tracker.feeds.fetch import FetchError, FetchPolicy, fetch, fetch_page, make_client
from tracker.feeds.inflate import BodyTooLarge, BoundedInflater

OPEN = FetchPolicy(allow_private=True, total_timeout=5.0)
RSS = b'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title></channel></rss>'
LAST_MODIFIED = "Tue, 04 Jun 2024 09:30:00 GMT"


@pytest.fixture
def server():
    with FeedServer() as running:
        yield running


def gzip_bomb(inflated_mib: int) -> bytes:
    compressor = zlib.compressobj(9, zlib.DEFLATED, 31)
    zeros = b"\0" * (1024 * 1024)
    return b"".join(compressor.compress(zeros) for _ in range(inflated_mib)) + compressor.flush()


def test_fetch_returns_body_validators_and_cache_hints(server):
    server.route(
        "/feed.xml",
        body=RSS,
        etag='"v1"',
        last_modified=LAST_MODIFIED,
        headers={
            "Content-Type": "application/rss+xml; charset=utf-8",
            "Cache-Control": "public, max-age=600",
            "Expires": "Wed, 05 Jun 2024 10:00:00 GMT",
        },
    )
    result = fetch(server.url("/feed.xml"), policy=OPEN)
    assert (result.status, result.body, result.url) == (200, RSS, server.url("/feed.xml"))
    assert result.content_type == "application/rss+xml; charset=utf-8"
    assert (result.etag, result.last_modified) == ('"v1"', LAST_MODIFIED)
    assert result.max_age == 600
    assert result.expires == datetime(2024, 6, 5, 10, 0, tzinfo=UTC)
    sent = server.requests_to("/feed.xml")[0].headers
    assert sent["User-Agent"].startswith("tracker-feed-poller/")
    assert "application/rss+xml" in sent["Accept"]
    assert "If-None-Match" not in sent


def test_conditional_get_answered_with_304_costs_no_body(server):
    server.route("/feed.xml", body=RSS, etag='"v1"', last_modified=LAST_MODIFIED)
    result = fetch(server.url("/feed.xml"), etag='"v1"', last_modified=LAST_MODIFIED, policy=OPEN)
    assert (result.status, result.body) == (304, None)
    assert (result.etag, result.last_modified) == ('"v1"', LAST_MODIFIED)
    sent = server.requests_to("/feed.xml")[0].headers
    assert sent["If-None-Match"] == '"v1"'
    assert sent["If-Modified-Since"] == LAST_MODIFIED


def test_gzip_body_is_decoded(server):
    server.route("/feed.xml", body=RSS, gzip=True)
    assert fetch(server.url("/feed.xml"), policy=OPEN).body == RSS
    assert "gzip" in server.requests[0].headers["Accept-Encoding"]


def test_raw_deflate_body_is_decoded(server):
    compressor = zlib.compressobj(6, zlib.DEFLATED, -15)
    raw = compressor.compress(RSS) + compressor.flush()
    server.route("/feed.xml", body=raw, headers={"Content-Encoding": "deflate"})
    assert fetch(server.url("/feed.xml"), policy=OPEN).body == RSS


def test_declared_oversized_body_is_refused(server):
    server.route("/big", body=b"x" * 4096)
    policy = FetchPolicy(allow_private=True, max_bytes=1024)
    with pytest.raises(FetchError, match="body larger than 1 KiB"):
        fetch(server.url("/big"), policy=policy)


def test_limit_counts_decompressed_bytes(server):
    server.route("/big", body=b"<rss>" + b" " * 200_000 + b"</rss>", gzip=True)
    policy = FetchPolicy(allow_private=True, max_bytes=100 * 1024)
    with pytest.raises(FetchError, match="body larger than 100 KiB"):
        fetch(server.url("/big"), policy=policy)


def test_gzip_bomb_is_refused(server):
    bomb = gzip_bomb(64)
    assert len(bomb) < 100 * 1024
    server.route("/bomb", body=bomb, headers={"Content-Encoding": "gzip"})
    policy = FetchPolicy(allow_private=True, max_bytes=1024 * 1024)
    with pytest.raises(FetchError, match="body larger than 1 MiB"):
        fetch(server.url("/bomb"), policy=policy)


def test_inflater_stops_one_byte_past_the_limit_whatever_the_chunk():
    inflater = BoundedInflater("gzip", limit=1000)
    with pytest.raises(BodyTooLarge):
        inflater.decode(gzip_bomb(8))  # the whole bomb in one chunk
    assert inflater.size == 1001


def test_unsupported_content_encoding_is_refused(server):
    server.route("/br", body=b"\x0b\x02\x80hello\x03", headers={"Content-Encoding": "br"})
    with pytest.raises(FetchError, match="unsupported content encoding"):
        fetch(server.url("/br"), policy=OPEN)


def test_server_that_trickles_forever_fails_at_total_timeout(server):
    server.route("/slow", body=b"<rss>", trickle=b" ", tick=0.02)
    policy = FetchPolicy(allow_private=True, total_timeout=0.5)
    started = time.monotonic()
    with pytest.raises(FetchError, match=r"timed out after 0\.5 s"):
        fetch(server.url("/slow"), policy=policy)
    assert time.monotonic() - started < 2.0


def test_server_that_never_answers_fails_at_total_timeout(server):
    server.route("/hang", stall=True)
    policy = FetchPolicy(allow_private=True, total_timeout=0.5)
    started = time.monotonic()
    with pytest.raises(FetchError, match="timed out"):
        fetch(server.url("/hang"), policy=policy)
    assert time.monotonic() - started < 2.0


def redirect_chain(server: FeedServer, hops: int) -> str:
    for hop in range(hops):
        server.route(f"/r{hop}", status=302, headers={"Location": f"/r{hop + 1}"})
    server.route(f"/r{hops}", body=RSS)
    return server.url("/r0")


def test_redirects_are_followed_up_to_the_limit(server):
    result = fetch(redirect_chain(server, 5), policy=OPEN)
    assert (result.body, result.url) == (RSS, server.url("/r5"))


def test_too_many_redirects_are_refused(server):
    with pytest.raises(FetchError, match="more than 5 redirects"):
        fetch(redirect_chain(server, 6), policy=OPEN)
    assert not server.requests_to("/r6")


def test_redirect_to_another_scheme_is_refused(server):
    server.route("/r", status=301, headers={"Location": "file:///etc/passwd"})
    with pytest.raises(FetchError, match="refused: file URLs"):
        fetch(server.url("/r"), policy=OPEN)


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://example.com/feed", "gopher://x/"])
def test_only_http_and_https_are_fetched(url):
    with pytest.raises(FetchError, match="only http and https"):
        fetch(url)


@pytest.mark.parametrize(
    ("status", "retry_after"),
    [(503, "120"), (429, "Wed, 21 Oct 2099 07:28:00 GMT")],
)
def test_error_status_keeps_retry_after(server, status, retry_after):
    server.route("/busy", status=status, headers={"Retry-After": retry_after})
    before = datetime.now(UTC)
    with pytest.raises(FetchError, match=f"HTTP {status}") as caught:
        fetch(server.url("/busy"), policy=OPEN)
    assert caught.value.status == status
    assert caught.value.retry_after is not None
    assert caught.value.retry_after >= before + timedelta(seconds=119)


def test_retry_after_and_max_age_parsing():
    now = datetime(2024, 6, 4, tzinfo=UTC)
    assert parse_retry_after("30", now=now) == now + timedelta(seconds=30)
    assert parse_retry_after("Tue, 04 Jun 2024 01:00:00 GMT", now=now) == now + timedelta(hours=1)
    assert parse_retry_after("soon", now=now) is None
    assert parse_max_age('no-cache, max-age="90"') == 90
    assert parse_max_age("no-store") is None


def test_client_is_reusable_across_fetches(server):
    server.route("/a", body=b"a")
    server.route("/b", body=b"b")
    with make_client(OPEN) as client:
        bodies = [
            fetch(server.url(path), policy=OPEN, client=client).body for path in ["/a", "/b", "/a"]
        ]
    assert bodies == [b"a", b"b", b"a"]


def test_fetch_page_returns_final_url_body_and_type(server):
    server.route("/p", status=301, headers={"Location": "/page"})
    server.route("/page", body=b"<html></html>", headers={"Content-Type": "text/html"})
    assert fetch_page(server.url("/p"), policy=OPEN) == (
        server.url("/page"),
        b"<html></html>",
        "text/html",
    )


# SSRF -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("host", "kind"),
    [
        ("127.0.0.1", "loopback"),
        ("10.1.2.3", "private"),
        ("192.168.0.1", "private"),
        ("169.254.169.254", "link-local"),
        ("0.0.0.0", "unspecified"),  # noqa: S104 (the address under test)
        ("224.0.0.1", "multicast"),
        ("100.64.0.1", "non-global"),
        ("[::1]", "loopback"),
        ("[::ffff:127.0.0.1]", "loopback"),
        ("[::ffff:10.0.0.1]", "private"),
        ("[fe80::1]", "link-local"),
        ("[fc00::1]", "private"),
        ("[64:ff9b::7f00:1]", "loopback"),
    ],
)
def test_private_addresses_are_refused(host, kind):
    with pytest.raises(FetchError, match=f"refused: .* is an? {kind} address"):
        fetch(f"http://{host}:8080/feed.xml")


def test_direct_loopback_is_refused_before_connecting(server):
    server.route("/feed.xml", body=RSS)
    with pytest.raises(FetchError, match=r"refused: 127\.0\.0\.1 is a loopback address"):
        fetch(server.url("/feed.xml"))
    assert server.requests == []


def test_hostname_resolving_to_loopback_is_refused(server):
    server.route("/feed.xml", body=RSS)
    with pytest.raises(FetchError, match=r"refused: localhost resolves to 127\.0\.0\.1"):
        fetch(server.url("/feed.xml", host="localhost"))
    assert server.requests == []


def fake_resolver(monkeypatch, answers: dict[str, list[list[str]]]) -> list[str]:
    """Answer getaddrinfo for the given names, one answer list per call; log the calls."""
    calls: list[str] = []
    real = socket.getaddrinfo

    def getaddrinfo(host, port, *args, **kwargs):
        if host not in answers:
            return real(host, port, *args, **kwargs)
        calls.append(host)
        addresses = answers[host][min(len(calls), len(answers[host])) - 1]
        return [
            (socket.AF_INET6 if ":" in a else socket.AF_INET, socket.SOCK_STREAM, 6, "", (a, port))
            for a in addresses
        ]

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    return calls


def test_hostname_resolving_to_ipv6_loopback_is_refused(monkeypatch):
    fake_resolver(monkeypatch, {"feeds.example.test": [["::1"]]})
    with pytest.raises(FetchError, match=r"resolves to ::1, a loopback address"):
        fetch("http://feeds.example.test/feed.xml")


def test_any_private_answer_refuses_the_name(monkeypatch):
    fake_resolver(monkeypatch, {"mixed.example.test": [["93.184.216.34", "10.0.0.7"]]})
    with pytest.raises(FetchError, match=r"resolves to 10\.0\.0\.7, a private address"):
        fetch("http://mixed.example.test/feed.xml")


def test_rebinding_cannot_swap_the_address_after_the_check(monkeypatch):
    # First answer public, every later one loopback: a rebinding DNS server.
    calls = fake_resolver(monkeypatch, {"rebind.example.test": [["93.184.216.34"], ["127.0.0.1"]]})
    connected: list[tuple[str, int]] = []

    def create_connection(address, *args, **kwargs):
        connected.append(address)
        raise ConnectionRefusedError("no network in tests")

    monkeypatch.setattr(socket, "create_connection", create_connection)
    with pytest.raises(FetchError, match=r"could not connect: "):
        fetch("http://rebind.example.test/feed.xml")
    # One lookup, and the socket was pointed at the very address that was checked.
    assert calls == ["rebind.example.test"]
    assert connected == [("93.184.216.34", 80)]


def test_allowed_host_cannot_redirect_to_a_private_one(server):
    server.route("/start", status=302, headers={"Location": server.url("/feed", host="localhost")})
    server.route("/feed", body=RSS)
    policy = FetchPolicy(allowed_hosts=frozenset({"127.0.0.1"}))
    with pytest.raises(FetchError, match=r"refused: localhost resolves to 127\.0\.0\.1"):
        fetch(server.url("/start"), policy=policy)
    assert [request.path for request in server.requests] == ["/start"]


def test_allowed_hosts_and_allow_private_let_intranets_through(server):
    server.route("/feed", body=RSS)
    assert fetch(server.url("/feed"), policy=FetchPolicy(allowed_hosts=frozenset({"127.0.0.1"})))
    assert fetch(server.url("/feed"), policy=FetchPolicy(allow_private=True))


@pytest.mark.parametrize(
    ("address", "is_global"),
    [
        ("93.184.216.34", True),
        ("2606:4700::1111", True),
        ("2002:7f00:1::", False),  # 6to4 wrapping 127.0.0.1
        ("2001:db8::1", False),  # documentation range
        ("240.0.0.1", False),
    ],
)
def test_refusal_reason(address, is_global):
    assert (refusal_reason(address) is None) is is_global


def test_ip_literals_resolve_to_themselves_when_global():
    assert resolve_global("[2606:4700::1111]", 443) == ["2606:4700::1111"]
    with pytest.raises(AddressRefused, match=r"refused: 100\.64\.0\.1 is a non-global address"):
        resolve_global("100.64.0.1", 443)
