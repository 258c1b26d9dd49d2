"""The httpx transport behind `fetch`: an address check at connection time.

How the SSRF rule holds at connection time: httpx.HTTPTransport offers no way to swap
its network backend, so `GuardedTransport` runs an httpcore.ConnectionPool whose
backend is `_GuardedBackend`. Whenever the pool opens a TCP connection, the backend
resolves the host itself (`resolve_global`), refuses it if any answer is loopback,
private, link-local, multicast, reserved or unspecified (IPv4-mapped and other
embedded IPv4 included), then asks httpcore's SyncBackend to connect to the checked
IP *literal*: no second DNS lookup happens, so DNS rebinding between check and
connect has nothing to race. The connected socket's peer address is checked again.
TLS still verifies the certificate against the hostname, because httpcore passes the
URL's host as server_hostname whatever address the socket reached.
"""

from __future__ import annotations

import functools
import ssl
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

import httpcore
import httpx

from tracker.feeds.addresses import AddressRefused, refusal_reason, resolve_global

# The wall-clock deadline of the fetch running in this thread; every socket operation
# clamps its timeout to it, so a server trickling headers or body cannot outlast it.
_deadline: ContextVar[float | None] = ContextVar("tracker_fetch_deadline", default=None)


@contextmanager
def fetch_deadline(deadline: float) -> Iterator[None]:
    """Bound every socket operation in this block by the monotonic `deadline`."""
    token = _deadline.set(deadline)
    try:
        yield
    finally:
        _deadline.reset(token)


def _clamp(timeout: float | None) -> float | None:
    """Return `timeout` shortened to the current fetch's deadline."""
    deadline = _deadline.get()
    if deadline is None:
        return timeout
    remaining = deadline - time.monotonic()
    if remaining <= 0:
        raise httpcore.ReadTimeout("total time limit reached")
    return remaining if timeout is None else min(timeout, remaining)


class _DeadlineStream(httpcore.NetworkStream):
    """Wrap a network stream so that every operation respects the fetch deadline."""

    def __init__(self, inner: httpcore.NetworkStream) -> None:
        self._inner = inner

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._inner.read(max_bytes, _clamp(timeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._inner.write(buffer, _clamp(timeout))

    def close(self) -> None:
        self._inner.close()

    def start_tls(
        self,
        ssl_context: ssl.SSLContext,
        server_hostname: str | None = None,
        timeout: float | None = None,
    ) -> httpcore.NetworkStream:
        return _DeadlineStream(self._inner.start_tls(ssl_context, server_hostname, _clamp(timeout)))

    def get_extra_info(self, info: str) -> Any:
        return self._inner.get_extra_info(info)


class _GuardedBackend(httpcore.NetworkBackend):
    """Open TCP connections only to addresses that passed the SSRF check."""

    def __init__(self, *, allow_private: bool, allowed_hosts: Iterable[str]) -> None:
        self._inner = httpcore.SyncBackend()
        self._open_to_all = allow_private
        self._allowed = frozenset(host.lower().strip("[]") for host in allowed_hosts)

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.NetworkStream:
        if self._open_to_all or host.lower() in self._allowed:
            stream = self._inner.connect_tcp(
                host, port, _clamp(timeout), local_address, socket_options
            )
            return _DeadlineStream(stream)
        try:
            # AddressRefused propagates untouched through httpcore and httpx.
            addresses = resolve_global(host, port)
        except OSError as exc:
            raise httpcore.ConnectError(str(exc)) from exc
        error: Exception | None = None
        for address in addresses:
            try:
                stream = self._inner.connect_tcp(
                    address, port, _clamp(timeout), local_address, socket_options
                )
            except httpcore.ConnectError as exc:
                error = exc
                continue
            peer = stream.get_extra_info("server_addr")[0]
            reason = refusal_reason(peer)
            if reason is not None:  # belt and braces: ask the socket whom it reached
                stream.close()
                raise AddressRefused(f"refused: {host} connected to {peer}, {reason}")
            return _DeadlineStream(stream)
        raise error or httpcore.ConnectError(f"could not connect to {host}")


_CORE_TO_HTTPX = (
    (httpcore.ConnectTimeout, httpx.ConnectTimeout),
    (httpcore.ReadTimeout, httpx.ReadTimeout),
    (httpcore.WriteTimeout, httpx.WriteTimeout),
    (httpcore.PoolTimeout, httpx.PoolTimeout),
    (httpcore.ConnectError, httpx.ConnectError),
    (httpcore.ReadError, httpx.ReadError),
    (httpcore.WriteError, httpx.WriteError),
    (httpcore.RemoteProtocolError, httpx.RemoteProtocolError),
    (httpcore.LocalProtocolError, httpx.LocalProtocolError),
    (httpcore.UnsupportedProtocol, httpx.UnsupportedProtocol),
)


@contextmanager
def _httpx_errors() -> Iterator[None]:
    """Re-raise httpcore errors as the httpx errors a transport is expected to raise."""
    try:
        yield
    except Exception as exc:
        for core_error, httpx_error in _CORE_TO_HTTPX:
            if isinstance(exc, core_error):
                raise httpx_error(str(exc)) from exc
        raise


class _CoreBody(httpx.SyncByteStream):
    """Expose an httpcore response body as an httpx byte stream."""

    def __init__(self, stream: Iterable[bytes]) -> None:
        self._stream = stream

    def __iter__(self) -> Iterator[bytes]:
        with _httpx_errors():
            yield from self._stream

    def close(self) -> None:
        close = getattr(self._stream, "close", None)
        if close is not None:
            close()


@functools.cache
def _ssl_context() -> ssl.SSLContext:
    """Return the shared TLS context; loading the CA bundle costs ~40 ms, so do it once."""
    return httpx.create_ssl_context()


class GuardedTransport(httpx.BaseTransport):
    """Send requests through a connection pool that uses the guarded backend."""

    def __init__(self, *, allow_private: bool = False, allowed_hosts: Iterable[str] = ()) -> None:
        self._pool = httpcore.ConnectionPool(
            ssl_context=_ssl_context(),
            max_connections=100,
            max_keepalive_connections=20,
            keepalive_expiry=5.0,
            network_backend=_GuardedBackend(
                allow_private=allow_private, allowed_hosts=allowed_hosts
            ),
        )

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        url = request.url
        core_request = httpcore.Request(
            method=request.method,
            url=httpcore.URL(
                scheme=url.raw_scheme, host=url.raw_host, port=url.port, target=url.raw_path
            ),
            headers=request.headers.raw,
            content=request.stream,
            extensions=request.extensions,
        )
        with _httpx_errors():
            core_response = self._pool.handle_request(core_request)
        return httpx.Response(
            status_code=core_response.status,
            headers=core_response.headers,
            stream=_CoreBody(core_response.stream),
            extensions=core_response.extensions,
        )

    def close(self) -> None:
        self._pool.close()
