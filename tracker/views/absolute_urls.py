"""Absolute URLs of this site, built from the configured public address, never from Host.

The Host header is whatever a client sends. Anything printed from it into a cached body
(the microcache, the rendered-body cache, a shared proxy) would be served to every later
visitor, so canonical links, Open Graph, JSON-LD, the API, Atom, the sitemap, the share card
and reports all go through `absolute_url`. Not to be confused with `tracker.feeds.addresses`,
which decides which IP addresses feeds may be fetched from.
"""

from urllib.parse import quote, urlsplit

from flask import Flask, current_app
from werkzeug.exceptions import SecurityError

TEST_URL = "http://localhost"  # the host Flask's test client sends


class MissingPublicUrl(RuntimeError):
    """Serving without a usable public address is refused (but in tests and local debug)."""


def init_app(app: Flask) -> None:
    """Settle TRUSTED_HOSTS and PUBLIC_URL; refuse to serve without a public address."""
    app.config["TRUSTED_HOSTS"] = _host_list(app.config.get("TRUSTED_HOSTS"))
    # `tracker run --debug` (make run) sets http://host:port itself (tracker.cli.serve);
    # debug flags in a server's environment relax nothing here either.
    base = _configured_base(app.config)
    if base is None and app.testing:
        base = TEST_URL
    elif base is None and app.config.get("REQUIRE_PUBLIC_URL", True):
        raise MissingPublicUrl(
            "TRACKER_PUBLIC_URL is not set (nor SERVER_NAME or TRACKER_TRUSTED_HOSTS): "
            "refusing to serve without the public address, e.g. https://tracker.example"
        )
    app.config["PUBLIC_URL"] = base
    app.add_template_global(absolute_url)
    app.register_error_handler(SecurityError, _untrusted_host)


def absolute_url(endpoint: str, **values) -> str:
    """Return the absolute URL of a full endpoint name at the configured public address."""
    base = current_app.config.get("PUBLIC_URL")
    if not base:
        raise MissingPublicUrl("TRACKER_PUBLIC_URL is not set: no absolute URL can be made")
    parts = urlsplit(base)
    anchor = values.pop("_anchor", None)
    current_app.inject_url_defaults(endpoint, values)
    adapter = current_app.url_map.bind(
        parts.netloc, script_name=parts.path or "/", url_scheme=parts.scheme
    )
    url = adapter.build(endpoint, values, force_external=True)
    return f"{url}#{quote(anchor, safe='-_.~!$&()*+,;=:@/?')}" if anchor else url


def public_host() -> str:
    """Return the host name of the configured public address, e.g. for tag: URIs."""
    return urlsplit(absolute_url("public.index")).hostname


def _untrusted_host(error):
    # Plain text: with an untrusted Host no URL can be built, so no page template works.
    return current_app.response_class(
        "This site does not answer to that host name.\n", status=400, mimetype="text/plain"
    )


def _configured_base(config) -> str | None:
    if config.get("PUBLIC_URL"):
        return _normalised(str(config["PUBLIC_URL"]), "TRACKER_PUBLIC_URL")
    # Derived addresses are https: production cookies are Secure anyway. Flask's own
    # PREFERRED_URL_SCHEME is not used, its default is http (and it sets the test client's).
    if config.get("SERVER_NAME"):
        root = (config.get("APPLICATION_ROOT") or "/").rstrip("/")
        return _normalised(f"https://{config['SERVER_NAME']}{root}", "SERVER_NAME")
    # An entry starting with a dot allows a whole domain: it names no one host to link to.
    exact = [host for host in config.get("TRUSTED_HOSTS") or () if not host.startswith(".")]
    if exact:
        return _normalised(f"https://{exact[0]}", "TRACKER_TRUSTED_HOSTS")
    return None


def _normalised(url: str, source: str) -> str:
    """Return url as scheme://host[:port][/path] without a trailing slash, or refuse it."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        parts, port = None, None
    if (
        parts is None
        or parts.scheme.lower() not in ("http", "https")
        or not parts.hostname
        or parts.username is not None
        or parts.query
        or parts.fragment
        or "#" in url
        or "?" in url
    ):
        raise MissingPublicUrl(
            f"{source} must be an http(s) address without query or fragment, "
            f"e.g. https://tracker.example (got {url!r})"
        )
    host = f"[{parts.hostname}]" if ":" in parts.hostname else parts.hostname
    netloc = f"{host}:{port}" if port is not None else host
    return f"{parts.scheme.lower()}://{netloc}{parts.path.rstrip('/')}"


def _host_list(value) -> list[str] | None:
    # From the environment TRACKER_TRUSTED_HOSTS is a string: "a.example, b.example".
    if not value:
        return None
    if isinstance(value, str):
        value = value.split(",")
    hosts = [str(host).strip() for host in value if str(host).strip()]
    return hosts or None
