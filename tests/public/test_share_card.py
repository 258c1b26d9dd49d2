"""The share card (og:image): every character drawn has a glyph, titles wrap at words."""

import io
import subprocess
from datetime import timedelta
from pathlib import Path

import pytest
from babel.numbers import get_currency_symbol
from fontTools.ttLib import TTFont
from PIL import Image

from tests.factories import make_campaign
from tests.factories.images import image_bytes
from tracker.campaigns.hero import check_hero_image, set_hero_image
from tracker.models import utcnow
from tracker.pledges.snapshots import record_snapshot
from tracker.public.progress import ProgressBar
from tracker.public.share_card import (
    ELLIPSIS,
    MARGIN,
    ShareCard,
    font_file,
    layout_card,
    render_share_card,
)
from tracker.views.public import cached_funding
from tracker.views.syndication import share_card_content

TODAY = utcnow().date()
UMLAUT_TITLE = "Größenwahn für Klangbastler: Übermütige Äpfel"
LONG_TITLE = (  # 120 characters, the most a title may have
    "Lumen Deck, an eight-voice analogue pocket synthesizer with a step sequencer, "
    "built in public by two friends in Leipzig"
)
TAGLINE = "Überall spielbar: a synth that fits in a jacket pocket"


def _campaign(session, **overrides):
    values = {
        "slug": "card",
        "title": UMLAUT_TITLE,
        "tagline": TAGLINE,
        "goal_minor": 5_000_000,
        "starts_on": TODAY - timedelta(days=20),
        "ends_on": TODAY + timedelta(days=12),
        **overrides,
    }
    return make_campaign(session, **values)


def _bar(fill: float) -> ProgressBar:
    return ProgressBar(int(fill * 100), fill, fill >= 1, 100, int(fill * 100))


def _cmap(bold: bool) -> set[int]:
    return set(TTFont(str(font_file(bold=bold))).getBestCmap())


def _content(app, session, campaign):
    with app.test_request_context(f"/c/{campaign.slug}/card.png"):
        return share_card_content(campaign, cached_funding(session, campaign), today=TODAY)


# Drawing a card does not depend on the database (the funding figures are tested on both in
# tests/pledges/): the glyph and OCR checks run on one.
@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
@pytest.mark.parametrize("language", ["en", "de"])
@pytest.mark.parametrize("currency", ["EUR", "GBP", "JPY", "INR", "PLN", "CHF"])
def test_the_font_has_a_glyph_for_every_character_on_the_card(
    app, client, session, currency, language
):
    campaign = _campaign(session, currency=currency, language=language)
    record_snapshot(session, campaign, amount_minor=4_161_600, backers=1_412, source="test")
    session.commit()
    response = client.get("/c/card/card.png")
    assert response.status_code == 200
    with Image.open(io.BytesIO(response.data)) as image:
        assert image.size == (1200, 630)
    card = _content(app, session, campaign)
    layout = layout_card(card)
    cmaps = {True: _cmap(True), False: _cmap(False)}
    drawn = " ".join(run.text for run in layout.runs)
    for run in layout.runs:
        missing = {ch for ch in run.text if ord(ch) not in cmaps[run.bold]}
        assert not missing, (run.text, missing)
    # Nothing was left out to get there: the figures and the umlaut title are whole.
    for text in (card.raised, card.goal_line, UMLAUT_TITLE, TAGLINE):
        assert text in drawn, (text, drawn)
    assert get_currency_symbol(currency, locale=language) in card.raised


def test_a_long_title_wraps_at_word_boundaries(app, session):
    campaign = _campaign(session, title=LONG_TITLE)
    layout = layout_card(_content(app, session, campaign))
    lines = [run.text for run in layout.runs if run.bold and run.y < 320]
    assert len(lines) == 2, lines
    words = LONG_TITLE.split()
    shown = " ".join(lines).removesuffix(ELLIPSIS).split()
    assert shown == words[: len(shown)], "a word was cut or changed"
    assert lines[-1].endswith(ELLIPSIS) == (len(shown) < len(words))
    assert all(_fits(run) for run in layout.runs)


def test_one_very_long_word_shrinks_instead_of_breaking():
    word = "Donaudampfschifffahrtsgesellschaftskapitänsmützenfabrikantenvereinigung"
    layout = layout_card(ShareCard(word, "", "€1.00 pledged", "", _bar(0.1), "x/c/y"))
    assert layout.runs[0].text == word
    assert all(_fits(run) for run in layout.runs)


def _fits(run) -> bool:
    from PIL import ImageFont

    font = ImageFont.truetype(str(font_file(bold=run.bold)), run.size)
    return run.x + font.getlength(run.text) <= 1200 - MARGIN + 0.5


def test_polish_and_indian_signs_have_glyphs_too():
    # Our pages speak English and German; a Polish reader's "zł" is drawn all the same.
    card = ShareCard("Syntezator", "Łódź", "41\xa0616,00\xa0zł", "₹50,000.00", _bar(0.5), "x")
    for run in layout_card(card).runs:
        assert not {ch for ch in run.text if ord(ch) not in _cmap(run.bold)}, run.text
    assert "41\xa0616,00\xa0zł" in [run.text for run in layout_card(card).runs]


def test_characters_no_shipped_font_draws_are_left_out_not_boxed():
    card = ShareCard("Synth 音 Deck 🎹", "Ελληνικά и русский", "€1.00 pledged", "", _bar(0), "x")
    layout = layout_card(card)
    assert [run.text for run in layout.runs[:2]] == ["Synth Deck", "Ελληνικά и русский"]


def test_the_bar_ends_at_the_goal_as_on_the_page(app, session):
    campaign = _campaign(session)
    record_snapshot(session, campaign, amount_minor=4_350_000, backers=10, source="test")
    session.commit()
    layout = layout_card(_content(app, session, campaign))
    left, _top, right, _bottom = layout.bar
    assert (layout.fill_right - left) / (right - left) == pytest.approx(0.87)


def test_a_hero_image_fills_the_right_side_and_the_text_keeps_clear():
    hero = io.BytesIO()
    Image.new("RGB", (800, 800), "#c03000").save(hero, format="PNG")
    card = ShareCard(
        LONG_TITLE, TAGLINE, "€1.00 pledged", "1%", _bar(0.01), "x", hero_png=hero.getvalue()
    )
    layout = layout_card(card)
    assert layout.hero_box == (760, 0, 1200, 630)
    with Image.open(io.BytesIO(render_share_card(card))) as image:
        assert image.getpixel((1000, 300)) == (0xC0, 0x30, 0x00)
    assert layout.bar[2] <= 760
    assert all(_fits_before(run, 760) for run in layout.runs)


def _fits_before(run, right) -> bool:
    from PIL import ImageFont

    font = ImageFont.truetype(str(font_file(bold=run.bold)), run.size)
    return run.x + font.getlength(run.text) <= right


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_ocr_reads_the_euro_amount_on_the_card(client, session, tmp_path):
    campaign = _campaign(session, title="Lumen Deck", tagline="", language="en")
    record_snapshot(session, campaign, amount_minor=4_161_600, backers=412, source="test")
    session.commit()
    response = client.get("/c/card/card.png")
    assert response.status_code == 200
    path = tmp_path / "card.png"
    path.write_bytes(response.data)
    text = subprocess.run(
        ["tesseract", str(path), "-", "--psm", "3"], capture_output=True, text=True, check=True
    ).stdout
    assert "€41,616.00 pledged" in text, text
    assert "€50,000.00" in text, text


def test_the_hero_and_the_call_to_action_are_on_the_card(app, client, session):
    campaign = _campaign(
        session, title="Lumen Deck", platform_url="https://www.kickstarter.com/projects/a/b"
    )
    image = check_hero_image(image_bytes("PNG", (1600, 900), "#c03000"))
    set_hero_image(session, campaign, image, media_dir=Path(app.config["MEDIA_DIR"]))
    session.commit()
    card = _content(app, session, campaign)
    assert card.call_to_action == "Back this project on kickstarter.com"
    layout = layout_card(card)
    assert layout.hero_box == (760, 0, 1200, 630)
    assert layout.button is not None and layout.button[2] <= 760
    assert "Back this project on kickstarter.com" in [run.text for run in layout.runs]
    assert all(_fits_before(run, 760) for run in layout.runs)
    response = client.get("/c/card/card.png")
    assert response.status_code == 200
    with Image.open(io.BytesIO(response.data)) as drawn:
        assert drawn.getpixel((1000, 300)) == pytest.approx((0xC0, 0x30, 0x00), abs=6)
        left, _top, _right, bottom = layout.button
        assert drawn.getpixel((int(left) + 6, int(bottom) - 6)) == (0x1F, 0x5F, 0xBF)


def test_after_the_end_the_card_asks_for_a_late_pledge(app, session):
    campaign = _campaign(
        session,
        starts_on=TODAY - timedelta(days=40),
        ends_on=TODAY - timedelta(days=2),
        platform_url="https://www.kickstarter.com/projects/a/b",
        late_pledge_url="https://shop.example/pre-order",
    )
    card = _content(app, session, campaign)
    assert card.call_to_action == "Pledge late or pre-order on shop.example"


@pytest.mark.campaign(title="Synth 音 Deck 🎹")
def test_the_founder_is_told_which_title_characters_the_card_leaves_out(client, founder, campaign):
    page = client.get("/dashboard/synth/edit")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "The share card has no glyph for 音 🎹 and leaves them out." in html
