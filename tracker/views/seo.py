"""Site-wide routes for crawlers and visitors: robots.txt, sitemap.xml, favicon, language."""

from xml.etree import ElementTree

from flask import Blueprint, abort, current_app, request, send_from_directory, url_for

from tracker.db import get_session
from tracker.public.freshness import public_campaign_lastmods
from tracker.views.absolute_urls import absolute_url
from tracker.views.i18n import remember_locale
from tracker.views.redirects import same_site_path
from tracker.views.rendering import see_other

bp = Blueprint("seo", __name__)

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
CRAWL_MAX_AGE = 3600


@bp.get("/robots.txt")
def robots():
    lines = [
        "User-agent: *",
        "Allow: /",
        "Disallow: /dashboard/",
        "Disallow: /auth/",
        "Disallow: /lang/",
        f"Sitemap: {absolute_url('seo.sitemap')}",
    ]
    response = current_app.response_class("\n".join(lines) + "\n", mimetype="text/plain")
    response.cache_control.public = True
    response.cache_control.max_age = CRAWL_MAX_AGE
    return response


@bp.get("/favicon.ico")
def favicon():
    # Asked for by browsers and feed readers that never read the page's <link rel="icon">.
    response = send_from_directory(
        current_app.static_folder, "icons/favicon-32.png", mimetype="image/png"
    )
    response.cache_control.public = True
    response.cache_control.max_age = CRAWL_MAX_AGE * 24
    return response


@bp.get("/sitemap.xml")
def sitemap():
    urlset = ElementTree.Element("urlset", xmlns=SITEMAP_NS)
    _add_url(urlset, absolute_url("public.index"))
    for slug, changed_at in public_campaign_lastmods(get_session()):
        _add_url(urlset, absolute_url("public.campaign", slug=slug), changed_at)
    body = ElementTree.tostring(urlset, encoding="utf-8", xml_declaration=True)
    response = current_app.response_class(body, mimetype="application/xml")
    response.cache_control.public = True
    response.cache_control.max_age = CRAWL_MAX_AGE
    return response


def _add_url(urlset, loc, changed_at=None) -> None:
    url = ElementTree.SubElement(urlset, "url")
    ElementTree.SubElement(url, "loc").text = loc
    if changed_at is not None:
        ElementTree.SubElement(url, "lastmod").text = changed_at.strftime("%Y-%m-%dT%H:%M:%SZ")


@bp.get("/lang/<language>")
def choose_language(language):
    # A GET link, not a form: it only sets a preference, needs no session or CSRF token,
    # and so public pages stay cookie-free and cacheable for anonymous backers.
    if language not in current_app.config["LANGUAGES"]:
        abort(404)
    response = see_other(same_site_path(request.args.get("next")) or url_for("public.index"))
    response.headers["Cache-Control"] = "no-store"
    return remember_locale(response, language)
