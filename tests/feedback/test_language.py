"""Language detection on the golden sets, short texts and other languages."""

import csv
from pathlib import Path

import pytest

from tracker.feedback.language import detect_language

GOLDEN = Path(__file__).parent.parent / "data" / "feedback"


def read_golden(name: str) -> list[dict[str, str]]:
    """Return the rows of one golden CSV."""
    with (GOLDEN / name).open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


@pytest.mark.parametrize("name", ["golden-en.csv", "golden-de.csv"])
def test_golden_languages_are_detected(name):
    rows = read_golden(name)
    hits = sum(detect_language(row["text"]) == row["language"] for row in rows)
    assert hits / len(rows) >= 0.95


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Awesome!!", "en"),
        ("Thanks!", "en"),
        ("Hi guys", "en"),
        ("Danke!", "de"),
        ("Schade.", "de"),
        ("Gut gemacht", "de"),
        ("Hallo zusammen", "de"),
        ("Größe passt", "de"),
        ("Absolut beeindruckende Verarbeitung", "de"),
    ],
)
def test_short_texts(text, language):
    assert detect_language(text) == language


@pytest.mark.parametrize(
    "text",
    [
        "Merci beaucoup pour la mise à jour, c'est très bien",
        "¿Cuándo llegan las recompensas? Gracias",
        "Quando arrivano le ricompense? Grazie mille",
        "Wanneer worden de beloningen verzonden? Bedankt",
        "Quando chegam as recompensas? Muito obrigado",
        "🔥🔥🔥",
        "",
        "12345",
        "いつ届きますか",
    ],
)
def test_other_languages_and_no_words_are_other(text):
    assert detect_language(text) == "other"
