"""Sentiment scores: golden accuracy, negation, intensifiers and labels in both languages."""

import csv
from pathlib import Path

import pytest

from tracker.feedback.sentiment import (
    NEGATIVE_THRESHOLD,
    POSITIVE_THRESHOLD,
    label_for,
    score_sentiment,
)

GOLDEN = Path(__file__).parent.parent / "data" / "feedback"


@pytest.mark.parametrize(("name", "minimum"), [("golden-en.csv", 0.85), ("golden-de.csv", 0.85)])
def test_golden_sentiment_accuracy(name, minimum):
    with (GOLDEN / name).open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    hits = sum(
        label_for(score_sentiment(row["text"], row["language"])) == row["sentiment"] for row in rows
    )
    assert hits / len(rows) >= minimum


@pytest.mark.parametrize(
    ("text", "language", "label"),
    [
        ("Das ist gut.", "de", "positive"),
        ("Das ist nicht gut.", "de", "negative"),
        ("Das ist schlecht.", "de", "negative"),
        ("Nicht schlecht!", "de", "positive"),
        ("Kein Fortschritt seit Wochen.", "de", "negative"),
        ("Kein Problem, danke!", "de", "positive"),
        ("Der neue Stil gefällt mir überhaupt nicht.", "de", "negative"),
        ("Die Taste klickt nicht.", "de", "negative"),
        ("Mein Paket ist nie angekommen.", "de", "negative"),
        ("Seit Monaten kein Update.", "de", "negative"),
        ("Die Lieferverzögerung ist ärgerlich.", "de", "negative"),
        ("Leider kann ich mich nicht einloggen.", "de", "negative"),
        ("Ist der Versandpreis inklusive Mehrwertsteuer?", "de", "neutral"),
        ("Wann werden die Umfragen verschickt?", "de", "neutral"),
        ("This is good.", "en", "positive"),
        ("This is not good.", "en", "negative"),
        ("Not bad at all.", "en", "positive"),
        ("Still no update after months.", "en", "negative"),
        ("My package never arrived.", "en", "negative"),
        ("The app doesn't work on my phone.", "en", "negative"),
        ("The game crashes on start.", "en", "negative"),
        ("Does the game support controllers?", "en", "neutral"),
        ("Please add a dark mode.", "en", "neutral"),
    ],
)
def test_negation_and_domain_words(text, language, label):
    assert label_for(score_sentiment(text, language)) == label


@pytest.mark.parametrize(
    ("weaker", "stronger", "language"),
    [
        ("Das ist gut.", "Das ist sehr gut.", "de"),
        ("Das ist gut.", "Das ist wirklich extrem gut.", "de"),
        ("Das ist gut.", "Das ist gut!", "de"),
        ("Das ist etwas gut.", "Das ist gut.", "de"),
        ("This is good.", "This is very good.", "en"),
    ],
)
def test_intensifiers_and_exclamations_strengthen(weaker, stronger, language):
    assert score_sentiment(stronger, language) > score_sentiment(weaker, language)


def test_intensifiers_strengthen_negative_words_too():
    assert score_sentiment("Das ist total schlecht.", "de") < score_sentiment(
        "Das ist schlecht.", "de"
    )


def test_german_downtoner_weakens():
    assert (
        0
        < score_sentiment("Das ist ein bisschen enttäuschend.", "de") * -1
        < (score_sentiment("Das ist enttäuschend.", "de") * -1)
    )


def test_inflected_forms_reach_the_lemma():
    assert score_sentiment("Eine tolle, großartige und wunderschöne Kampagne.", "de") > 0.5
    assert score_sentiment("Die schlechteste Kommunikation überhaupt.", "de") < 0


@pytest.mark.parametrize(
    "text", ["", "!!!", "😍😍😍", "ALLES KAPUTT!!!", "gut " * 200, "nicht " * 50]
)
@pytest.mark.parametrize("language", ["en", "de", "other"])
def test_scores_stay_in_range(text, language):
    assert -1.0 <= score_sentiment(text, language) <= 1.0


def test_other_language_falls_back_to_vader():
    assert score_sentiment("Génial 😍", "other") > 0
    assert label_for(score_sentiment("Merci pour la mise à jour", "other")) == "neutral"


def test_label_thresholds():
    assert label_for(POSITIVE_THRESHOLD) == "positive"
    assert label_for(NEGATIVE_THRESHOLD) == "negative"
    assert label_for(0.0) == "neutral"
    assert label_for(0.9) == "positive"
    assert label_for(-0.9) == "negative"
