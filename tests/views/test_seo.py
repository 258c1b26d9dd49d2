"""robots.txt, sitemap.xml and the sharing meta of a campaign page (Open Graph, JSON-LD)."""

import json
import re
from html.parser import HTMLParser
from xml.etree import ElementTree

from tests.factories import make_campaign
from tests.showcase import SECRET_TITLE, seed_showcase

NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}


class HeadParser(HTMLParser):
    """Collect meta tags, link tags and the JSON-LD scripts of a page."""

    def __init__(self):
        super().__init__()
        self.meta, self.links, self.json_ld = {}, {}, []
        self._in_json = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "meta" and "content" in attrs:
            self.meta.setdefault(attrs.get("property") or attrs.get("name"), attrs["content"])
        elif tag == "link":
            self.links[attrs.get("rel")] = attrs.get("href")
        elif tag == "script" and attrs.get("type") == "application/ld+json":
            self._in_json = True
            self.json_ld.append("")

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_json = False

    def handle_data(self, data):
        if self._in_json:
            self.json_ld[-1] += data


def _head(client, url, **headers):
    response = client.get(url, headers=headers)
    assert response.status_code == 200, url
    parser = HeadParser()
    parser.feed(response.get_data(as_text=True))
    return parser


def test_robots_allows_public_pages_and_points_to_the_sitemap(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response.mimetype == "text/plain"
    lines = response.get_data(as_text=True).splitlines()
    assert {"User-agent: *", "Allow: /", "Disallow: /dashboard/", "Disallow: /auth/"} <= set(lines)
    assert "Sitemap: http://localhost/sitemap.xml" in lines


def test_sitemap_lists_public_campaigns_with_absolute_urls_and_lastmod(client, session):
    owner, _ = seed_showcase(session)
    make_campaign(session, owner, slug="hidden-draft", is_public=False)
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    assert response.mimetype == "application/xml"
    root = ElementTree.fromstring(response.get_data())  # noqa: S314 (our own output)
    urls = {
        url.findtext("s:loc", namespaces=NS): url.findtext("s:lastmod", namespaces=NS)
        for url in root
    }
    assert set(urls) == {"http://localhost/", "http://localhost/c/lumen-deck"}
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", urls["http://localhost/c/lumen-deck"])
    assert "hidden-draft" not in response.get_data(as_text=True)


def test_campaign_page_has_canonical_open_graph_and_twitter_tags(client, session):
    seed_showcase(session)
    head = _head(client, "/c/lumen-deck")
    url = "http://localhost/c/lumen-deck"
    assert head.links["canonical"] == url
    assert head.meta["og:url"] == url
    assert head.meta["og:type"] == "website"
    assert head.meta["og:title"] == "Lumen Deck"
    assert head.meta["og:description"] == "A pocket synth for tinkerers"
    assert head.meta["description"] == "A pocket synth for tinkerers"
    assert head.meta["og:locale"] == "en_US"
    assert head.meta["og:locale:alternate"] == "de_DE"
    assert head.meta["twitter:card"] == "summary_large_image"
    assert head.meta["twitter:title"] == "Lumen Deck"
    assert head.meta["og:image"] == "http://localhost/c/lumen-deck/card.png"
    assert head.meta["twitter:image"] == head.meta["og:image"]
    assert (head.meta["og:image:width"], head.meta["og:image:height"]) == ("1200", "630")
    assert _head(client, "/c/lumen-deck", **{"Accept-Language": "de"}).meta["og:locale"] == "de_DE"


def test_json_ld_is_data_that_a_title_cannot_break_out_of(client, session):
    owner, _ = seed_showcase(session)
    title = 'Synth</script><script>alert("x")</script> & co'
    make_campaign(session, owner, slug="tricky", title=title, tagline="<b>bold</b>")
    response = client.get("/c/tricky")
    assert response.status_code == 200
    text = response.get_data(as_text=True)
    block = text.split('<script type="application/ld+json">', 1)[1].split("</script>", 1)[0]
    data = json.loads(block)  # the element ended where we meant it to
    assert data["name"] == title
    assert data["mainEntity"] == {
        "@type": "Project",
        "name": title,
        "description": "<b>bold</b>",
        "url": "http://localhost/c/tricky",
        "inLanguage": "en",
    }
    assert data["@context"] == "https://schema.org"
    assert "<script>alert" not in text
    # A data block is not script: script-src 'self' does not apply to it, and the page
    # allows no inline script (checked in a browser by tests/e2e/test_page_checks.py).
    policy = dict(
        directive.strip().split(" ", 1)
        for directive in response.headers["Content-Security-Policy"].split(";")
    )
    assert policy["script-src"] == "'self'"


def test_summary_falls_back_when_there_is_no_tagline(client, session):
    owner, _ = seed_showcase(session)
    make_campaign(session, owner, slug="plain", title="Plain", tagline="")
    head = _head(client, "/c/plain")
    assert head.meta["og:description"] == "Milestones and progress of Plain, built in public."


def test_private_milestones_and_drafts_stay_off_public_routes(client, session):
    owner, _ = seed_showcase(session)
    make_campaign(session, owner, slug="hidden-draft", title="Hidden draft", is_public=False)
    for url in ("/", "/c/lumen-deck", "/sitemap.xml", "/robots.txt"):
        response = client.get(url)
        assert response.status_code == 200, url
        text = response.get_data(as_text=True)
        assert SECRET_TITLE not in text
        assert "Hidden draft" not in text and "hidden-draft" not in text
