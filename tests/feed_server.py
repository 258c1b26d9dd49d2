"""A scriptable HTTP server on 127.0.0.1 for tests that fetch feeds.

    with FeedServer() as server:
        server.route("/feed.xml", body=FEED, headers={"Content-Type": "application/rss+xml"})
        server.route("/old", status=301, headers={"Location": "/feed.xml"})
        server.route("/slow", trickle=b".")           # one byte per tick, until stopped
        result = fetch(server.url("/feed.xml"), policy=FetchPolicy(allow_private=True))
        assert server.requests[-1].headers["User-Agent"]

A route may also be a callable taking the `RecordedRequest` and returning a `Route`,
for responses that depend on the request (conditional GET, counters, ...). Routes
with `etag` or `last_modified` answer 304 by themselves when the request matches.
"""

from __future__ import annotations

import gzip
import socket
import ssl
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass(frozen=True)
class Route:
    """One scripted response."""

    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""
    gzip: bool = False  # compress `body` and say so in Content-Encoding
    etag: str | None = None  # answer 304 when If-None-Match carries it
    last_modified: str | None = None  # answer 304 when If-Modified-Since equals it
    trickle: bytes | None = None  # after the headers, send this every tick, forever
    stall: bool = False  # read the request, then send nothing at all until the server stops
    tick: float = 0.02  # seconds between trickled chunks


@dataclass(frozen=True)
class RecordedRequest:
    """A request the server received."""

    method: str
    path: str
    headers: dict[str, str]
    body: bytes = b""  # what a POST sent


Responder = Route | Callable[[RecordedRequest], Route]


class FeedServer:
    """Serve scripted routes from a thread; use as a context manager."""

    def __init__(self, *, tls: ssl.SSLContext | None = None) -> None:
        self._routes: dict[str, Responder] = {}
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self.requests: list[RecordedRequest] = []
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        self._httpd.daemon_threads = True
        self.port = self._httpd.server_address[1]
        # An https:// server (a PeerTube instance) when given a server-side TLS context.
        self.scheme = "http" if tls is None else "https"
        if tls is not None:
            self._httpd.socket = tls.wrap_socket(self._httpd.socket, server_side=True)
        # A short poll interval keeps shutdown, hence every test's teardown, quick.
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True
        )

    def __enter__(self) -> FeedServer:
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._stopping.set()
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join()

    def url(self, path: str = "/", *, host: str = "127.0.0.1") -> str:
        """Return the absolute URL of `path` on this server."""
        return f"{self.scheme}://{host}:{self.port}{path}"

    def route(self, path: str, responder: Responder | None = None, **route_fields: object) -> None:
        """Script the response for `path` (query string included when given)."""
        self._routes[path] = responder if responder is not None else Route(**route_fields)

    def requests_to(self, path: str) -> list[RecordedRequest]:
        """Return the recorded requests for `path`."""
        with self._lock:
            return [request for request in self.requests if request.path == path]

    def _respond(self, request: RecordedRequest) -> Route:
        with self._lock:
            self.requests.append(request)
        responder = self._routes.get(request.path) or self._routes.get(request.path.split("?")[0])
        if responder is None:
            return Route(status=404, body=b"not found")
        return responder(request) if callable(responder) else responder

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def setup(self) -> None:
                super().setup()
                # Headers and body go out in separate writes; without this, Nagle and
                # delayed ACKs add ~40 ms to every keep-alive request.
                self.request.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

            def do_GET(self) -> None:
                request = RecordedRequest("GET", self.path, dict(self.headers.items()))
                server._send(self, server._respond(request), request)

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length)
                request = RecordedRequest("POST", self.path, dict(self.headers.items()), body)
                server._send(self, server._respond(request), request)

            def log_message(self, format: str, *args: object) -> None:
                pass  # keep pytest output clean

        return Handler

    def _send(
        self, handler: BaseHTTPRequestHandler, route: Route, request: RecordedRequest
    ) -> None:
        if route.stall:
            self._stopping.wait()
            handler.close_connection = True
            return
        if _not_modified(route, request.headers):
            handler.send_response(304)
            for name, value in _validators(route).items():
                handler.send_header(name, value)
            handler.send_header("Content-Length", "0")
            handler.end_headers()
            return
        body = gzip.compress(route.body) if route.gzip else route.body
        handler.send_response(route.status)
        headers = {**_validators(route), **route.headers}
        if route.gzip:
            headers["Content-Encoding"] = "gzip"
        if route.trickle is None:
            headers.setdefault("Content-Length", str(len(body)))
        for name, value in headers.items():
            handler.send_header(name, value)
        if route.trickle is not None:
            handler.send_header("Connection", "close")
        handler.end_headers()
        try:
            handler.wfile.write(body)
            handler.wfile.flush()
            while route.trickle is not None and not self._stopping.wait(route.tick):
                handler.wfile.write(route.trickle)
                handler.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up, which is what these routes are for
        if route.trickle is not None:
            handler.close_connection = True


def _validators(route: Route) -> dict[str, str]:
    headers = {}
    if route.etag:
        headers["ETag"] = route.etag
    if route.last_modified:
        headers["Last-Modified"] = route.last_modified
    return headers


def _not_modified(route: Route, headers: dict[str, str]) -> bool:
    lowered = {name.lower(): value for name, value in headers.items()}
    if route.etag and lowered.get("if-none-match") == route.etag:
        return True
    return bool(route.last_modified and lowered.get("if-modified-since") == route.last_modified)
