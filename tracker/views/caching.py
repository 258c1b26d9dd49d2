"""Conditional GET for public pages: ETag and Last-Modified from a version, 304 on a repeat."""

import hashlib
from collections.abc import Callable
from datetime import datetime
from functools import wraps
from pathlib import Path
from time import monotonic as time_now

from flask import Flask, current_app, make_response, request, session
from flask_login import current_user
from werkzeug.http import is_resource_modified

from tracker.caches import LruCache
from tracker.dates import local_midnight, today_in
from tracker.models import utcnow
from tracker.views.i18n import current_locale
from tracker.views.rendering import htmx

PUBLIC_MAX_AGE = 60  # seconds a browser or proxy may reuse an anonymous page unasked
# The body depends on the language (cookie or Accept-Language) and on who is logged in.
VARY = ("Cookie", "Accept-Language")
_CODE_SUFFIXES = (".py", ".html", ".mo", ".css", ".js")


def init_app(app: Flask) -> None:
    """Create the app's caches: rendered bodies, microcached responses, funding figures."""
    app.extensions["tracker.rendered_bodies"] = LruCache(256)
    app.extensions["tracker.microcache"] = LruCache(512)
    app.extensions["tracker.funding_cache"] = LruCache(64)


def conditional_page(
    version: tuple,
    render: Callable[[], object],
    *,
    changed_at: datetime | None = None,
    zone_name: str | None = None,
):
    """Answer 304 when the client holds this version, else render; set the cache headers.

    version holds plain values that change whenever the content does (newest
    updated_at, row counts); render is only called when the page must be sent.
    """
    today = today_in(zone_name, now=utcnow())
    etag = _etag(version, today)
    # Pages show "N days late" against the campaign's today: they change at its midnight.
    last_modified = None
    if changed_at is not None:
        last_modified = max(changed_at, local_midnight(today, zone_name))
    if "_flashes" not in session and not is_resource_modified(
        request.environ, etag=etag, last_modified=last_modified
    ):
        response = make_response("", 304)
    else:
        response = _rendered(etag, render)
        if response.status_code != 200:
            return response
    response.set_etag(etag, weak=True)  # weak: a logged-in body carries a fresh CSRF signature
    if last_modified is not None:
        response.last_modified = last_modified
    if current_user.is_authenticated:
        # Team members see drafts and a logout form: never share, always revalidate.
        response.cache_control.private = True
        response.cache_control.no_cache = True
    else:
        response.cache_control.public = True
        response.cache_control.max_age = PUBLIC_MAX_AGE
    response.vary.update(VARY)
    return response


def _rendered(etag: str, render: Callable[[], object]):
    """Render, reusing the body an anonymous visitor got for the same ETag.

    Anonymous pages carry no per-visitor data (no CSRF token, no session), so one rendered
    body serves every such visitor until the content, language, code or day changes.
    """
    if current_user.is_authenticated or "_flashes" in session:
        return make_response(render())
    bodies = current_app.extensions["tracker.rendered_bodies"]
    cached = bodies.get(etag)
    if cached is not None:
        body, mimetype = cached
        return current_app.response_class(body, mimetype=mimetype)
    response = make_response(render())
    if response.status_code == 200 and not response.direct_passthrough:
        bodies.put(etag, (response.get_data(), response.mimetype))
    return response


def _etag(version: tuple, today) -> str:
    viewer = _viewer_key()
    material = repr((_code_version(), viewer, today.isoformat(), _request_shape(), version))
    return hashlib.sha256(material.encode()).hexdigest()[:32]


def _request_shape() -> tuple:
    """Return what of the request shapes a public body: one key for both caches.

    Absolute URLs come from the configured address (views/absolute_urls.py), so the Host
    header is not here; login state is decided by the callers (the viewer, or no caching).
    """
    return (
        request.script_root,  # relative links start with where the app is mounted
        request.full_path,  # the resource, its query included
        current_locale(),
        # Whether htmx asked for a fragment of it.
        bool(htmx),
        htmx.boosted,
        htmx.history_restore_request,
    )


def _viewer_key() -> str:
    if not current_user.is_authenticated:
        return "anonymous"
    # A cached copy is only reusable while its CSRF token still validates for this session.
    token = session.get("csrf_token", "")
    return f"user:{current_user.id}:{hashlib.sha256(token.encode()).hexdigest()[:12]}"


def _code_version() -> str:
    """Hash the package's code, templates and catalogues once, so a deploy changes every ETag."""
    version = current_app.extensions.get("tracker.code_version")
    if version is None:
        digest = hashlib.sha256()
        app = current_app
        roots = (app.root_path, app.template_folder, app.static_folder)
        for root in (Path(app.root_path, folder) for folder in roots):
            for path in sorted(root.rglob("*")):
                if path.suffix in _CODE_SUFFIXES and "__pycache__" not in path.parts:
                    digest.update(path.relative_to(root).as_posix().encode())
                    digest.update(path.read_bytes())
        version = current_app.extensions["tracker.code_version"] = digest.hexdigest()[:16]
    return version


def microcached(view):
    """Serve an anonymous GET from a response kept for PUBLIC_MICROCACHE_SECONDS.

    Under a rush of backers most requests then cost no query at all; what they see is at
    most that many seconds old (proxies may keep it for PUBLIC_MAX_AGE anyway).
    """

    @wraps(view)
    def wrapper(*args, **kwargs):
        ttl = current_app.config.get("PUBLIC_MICROCACHE_SECONDS", 0)
        if (
            not ttl
            or request.method != "GET"
            or current_user.is_authenticated
            or ("_flashes" in session)
        ):
            return view(*args, **kwargs)
        cache = current_app.extensions["tracker.microcache"]
        key = _request_shape()
        now = time_now()
        hit = cache.get(key)
        if hit is not None and hit[0] > now:
            _, status, headers, body = hit
            response = current_app.response_class(body, status=status, headers=headers)
            return response.make_conditional(request)
        response = view(*args, **kwargs)
        if response.status_code == 200 and not response.direct_passthrough:
            cache.put(key, (now + ttl, 200, list(response.headers.items()), response.get_data()))
        return response

    return wrapper
