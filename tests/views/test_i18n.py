"""English and German: complete catalogue, locale choice, the remembered switch, formats."""

import gettext
import io
from pathlib import Path

import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from tests.showcase import seed_showcase
from tracker import create_app

ROOT = Path(__file__).resolve().parents[2]
CATALOG = ROOT / "tracker/translations/de/LC_MESSAGES"
KEYWORDS = {**DEFAULT_KEYWORDS, "_l": None, "lazy_gettext": None}  # as `make translations`
NBSP = "\xa0"

# The database does not matter here: run these on SQLite only.
sqlite_only = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)


def _read_catalog():
    with (CATALOG / "messages.po").open("rb") as f:
        return read_po(f, locale="de")


def _extracted_messages():
    with (ROOT / "babel.cfg").open() as f:
        method_map, options_map = parse_mapping_cfg(f)
    found = {}
    for filename, lineno, message, _comments, _context in extract_from_dir(
        str(ROOT), method_map, options_map, keywords=KEYWORDS
    ):
        msgid = message[0] if isinstance(message, tuple) else message
        found.setdefault(msgid, f"{filename}:{lineno}")
    return found


def test_every_message_in_templates_and_forms_has_a_german_translation():
    catalog = _read_catalog()
    extracted = _extracted_messages()
    # Extraction that finds nothing would leave nothing to miss: it must reach templates,
    # forms and views, as babel.cfg and `make translations` name them.
    for source in ("templates/", "tracker/forms/", "tracker/views/"):
        assert any(where.startswith(source) for where in extracted.values()), source
    missing = []
    for msgid, where in sorted(extracted.items()):
        entry = catalog.get(msgid)
        if entry is None or entry.fuzzy or not _translated(entry):
            missing.append(f"{where}: {msgid!r}")
    assert not missing, "untranslated: run `make translations`, translate:\n" + "\n".join(missing)


def _translated(entry) -> bool:
    strings = entry.string if isinstance(entry.string, tuple) else (entry.string,)
    return all(strings)


def test_german_catalogue_keeps_every_placeholder():
    problems = [(message.id, errors) for message, errors in _read_catalog().check() if errors]
    assert not problems


def test_compiled_catalogue_is_not_stale():
    buffer = io.BytesIO()
    write_mo(buffer, _read_catalog())
    buffer.seek(0)
    fresh = gettext.GNUTranslations(buffer)
    with (CATALOG / "messages.mo").open("rb") as f:
        committed = gettext.GNUTranslations(f)
    fresh_messages = {k: v for k, v in fresh._catalog.items() if k != ""}
    committed_messages = {k: v for k, v in committed._catalog.items() if k != ""}
    assert committed_messages == fresh_messages, "messages.mo is stale: run `make translations`"


@sqlite_only
def test_public_page_in_german_from_accept_language(client, session):
    seed_showcase(session)
    text = client.get_text("/c/lumen-deck", headers={"Accept-Language": "de-DE,de;q=0.9,en;q=0.5"})
    assert '<html lang="de">' in text
    assert f"48.000,00{NBSP}€" in text
    assert "1. März 2027" in text  # the campaign's end and the beta's first planned date
    assert "geplant für 1. März 2027, verschoben auf 20. Apr. 2027" in text
    assert "Roadmap" in text and "Erledigt" in text and "Verzögert" in text
    assert "3 Tage zu spät" in text  # the prototype: planned 10, done 13 January
    assert "Zum Inhalt springen" in text
    assert '<meta property="og:locale" content="de_DE">' in text


@sqlite_only
def test_public_page_in_english_by_default_and_for_other_languages(client, session):
    seed_showcase(session)
    for header in ({}, {"Accept-Language": "fr-FR,fr;q=0.9"}, {"Accept-Language": "en-GB"}):
        text = client.get_text("/c/lumen-deck", headers=header)
        assert '<html lang="en">' in text
        assert "€48,000.00" in text
        assert "planned Mar 1, 2027, moved to Apr 20, 2027" in text
        assert "3 days late" in text


@sqlite_only
def test_switch_sets_a_remembered_cookie_and_returns_to_the_page(client, session):
    seed_showcase(session)
    response = client.get("/lang/de?next=/c/lumen-deck")
    assert response.status_code == 303
    assert response.headers["Location"] == "/c/lumen-deck"
    cookie = response.headers["Set-Cookie"]
    for part in ("lang=de", "Max-Age=31536000", "HttpOnly", "SameSite=Lax", "Path=/"):
        assert part in cookie
    # Remembered: the choice beats the browser's Accept-Language on later visits.
    for url in ("/c/lumen-deck", "/", "/auth/login"):
        text = client.get_text(url, headers={"Accept-Language": "en"})
        assert '<html lang="de">' in text
    assert client.get("/lang/en?next=/").status_code == 303
    text = client.get_text("/c/lumen-deck", headers={"Accept-Language": "de"})
    assert '<html lang="en">' in text


@sqlite_only
def test_switch_links_on_every_page_point_back_to_it(client, session):
    seed_showcase(session)
    text = client.get_text("/c/lumen-deck?x=1")
    assert 'href="/lang/de?next=/c/lumen-deck?x%3D1"' in text
    assert 'lang="de" rel="nofollow">Deutsch</a>' in text
    assert 'aria-current="true">English</a>' in text


@pytest.mark.parametrize(
    "target",
    ["//evil.example", "https://evil.example/", "/\\evil.example", "javascript:x", "", "/\r\nX: 1"],
)
def test_switch_redirects_only_to_same_site_paths(tmp_path, target):
    app = _plain_app(tmp_path, TESTING=True)
    response = app.test_client().get("/lang/de", query_string={"next": target})
    assert response.status_code == 303
    assert response.headers["Location"] == "/"


def test_unknown_language_is_refused(tmp_path):
    app = _plain_app(tmp_path, TESTING=True)
    response = app.test_client().get("/lang/fr?next=/")
    assert response.status_code == 404
    assert "lang=" not in response.headers.get("Set-Cookie", "")


def test_preference_cookie_is_secure_outside_debug(tmp_path):
    app = _plain_app(tmp_path)  # neither debug nor testing: as served by gunicorn
    response = app.test_client().get("/lang/de?next=/")
    assert response.status_code == 303
    assert "Secure" in response.headers["Set-Cookie"]


@sqlite_only
def test_form_labels_choices_and_validation_messages_in_german(client, session):
    owner, _campaign = seed_showcase(session)
    headers = {"Accept-Language": "de"}
    text = client.get_text("/auth/register", headers=headers)
    assert ">E-Mail</label>" in text and ">Passwort wiederholen</label>" in text
    response = client.post(
        "/auth/register", {"email": "", "password": "a", "confirm": "b"}, headers=headers
    )
    assert response.status_code == 422
    text = response.get_data(as_text=True)
    assert "Die Passwörter stimmen nicht überein." in text  # ours
    assert "Dieses Feld wird benötigt." in text  # WTForms' own catalogue
    client.login(owner.email)
    text = client.get_text("/dashboard/lumen-deck/", headers=headers)
    assert ">In Arbeit</option>" in text and ">Gestrichen</option>" in text
    assert ">Geplantes Datum</label>" in text
    text = client.get_text("/dashboard/new", headers=headers)
    assert ">Andere</option>" in text and ">Deutsch</option>" in text


def _plain_app(tmp_path, **config):
    return create_app(
        {
            "SECRET_KEY": "test-secret-key",
            "DATABASE_URL": f"sqlite:///{tmp_path}/t.db",
            "PUBLIC_URL": "https://tracker.example",
            **config,
        }
    )
