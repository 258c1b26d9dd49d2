"""Feedback categories: golden accuracy, each rule with its reason, and precedence."""

import csv
import dataclasses
from pathlib import Path

import pytest

from tracker.feedback.rules import CATEGORIES, categorize_feedback
from tracker.feedback.scoring import FeedbackScore, score_feedback

GOLDEN = Path(__file__).parent.parent / "data" / "feedback"


@pytest.mark.parametrize("name", ["golden-en.csv", "golden-de.csv"])
def test_golden_category_accuracy(name):
    with (GOLDEN / name).open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert {row["category"] for row in rows} == set(CATEGORIES)
    hits = sum(score_feedback(row["text"]).category == row["category"] for row in rows)
    assert hits / len(rows) >= 0.85


@pytest.mark.parametrize(
    ("text", "category", "reason"),
    [
        ("When will the surveys go out?", "question", "ends with '?' and starts with 'When'"),
        ("Wann kommt der Versand?", "question", "ends with '?' and starts with 'Wann'"),
        ("When do surveys go out", "question", "starts with the question word 'When'"),
        ("The game crashes on Linux.", "problem", "mentions 'crashes' (problem keyword)"),
        ("Das Spiel stürzt ständig ab.", "problem", "mentions 'stürzt' (problem keyword)"),
        ("My parcel is delayed at the depot.", "problem", "mentions 'delayed' (delay keyword)"),
        ("I want a refund.", "criticism", "mentions 'refund' (criticism keyword)"),
        ("Das ist eine Frechheit.", "criticism", "mentions 'frechheit' (criticism keyword)"),
        (
            "It would be great if you added a dark mode.",
            "suggestion",
            "mentions 'would be great if' (suggestion phrase)",
        ),
        (
            "Vorschlag: ein Poster als Add-on.",
            "suggestion",
            "mentions 'vorschlag' (suggestion phrase)",
        ),
        ("Thanks for the update!", "praise", "mentions 'thanks' (praise keyword)"),
        ("Weiter so!", "praise", "mentions 'weiter so' (praise keyword)"),
        ("Watching the stream tonight.", "other", "no keyword and no clear tone (+0.00)"),
    ],
)
def test_rules_give_category_and_reason(text, category, reason):
    result = score_feedback(text)
    assert (result.category, result.reason) == (category, reason)


@pytest.mark.parametrize(
    ("text", "category"),
    [
        # a question about a concrete failure is a problem: it needs support work
        ("My reward is missing the poster, what should I do?", "problem"),
        ("Meine Karte wurde doppelt abgebucht, was nun?", "problem"),
        # a complaint beats a plain delay
        ("Another delay? You promised March.", "criticism"),
        ("Schon wieder eine Verzögerung, das ist enttäuschend.", "criticism"),
        ("The shipment is delayed again.", "problem"),
        # a proposal phrased as a question is a suggestion
        ("Any chance of adding a headphone jack?", "suggestion"),
        ("Wie wäre es mit einem Koop-Modus?", "suggestion"),
        # a question beats praise: it needs a reply
        ("Great update! When do surveys go out?", "question"),
        # a suggestion beats praise
        ("Love it! Would be nice to have a map in the box.", "suggestion"),
        # negated praise words are no praise
        ("Not great, the update raised more questions.", "criticism"),
        ("Das ist nicht gut.", "criticism"),
        # a solved problem, thanked for, is praise
        ("Thanks for replacing my damaged cards so quickly!", "praise"),
        ("Danke, das Problem ist gelöst!", "praise"),
        # sentiment breaks the tie when no keyword matches
        ("This is a sad day for backers.", "criticism"),
        ("Absolut beeindruckende Verarbeitung!", "praise"),
    ],
)
def test_precedence(text, category):
    assert score_feedback(text).category == category


def test_hostile_question_is_criticism():
    result = categorize_feedback("Why is nobody answering?", language="en", sentiment=-0.6)
    assert result.category == "criticism"
    assert "strongly negative" in result.reason


def test_other_language_uses_both_keyword_lists():
    result = categorize_feedback("Bug bei Android", language="other", sentiment=0.0)
    assert result.category == "problem"


def test_score_feedback_returns_a_frozen_score():
    result = score_feedback("Tolle Arbeit, danke!")
    assert isinstance(result, FeedbackScore)
    assert (result.language, result.label, result.category) == ("de", "positive", "praise")
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.category = "other"  # type: ignore[misc]
