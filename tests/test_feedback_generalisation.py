"""Category rules on comments that are not in the shared development file.

heldout-*.csv (40 per language) was written and labelled before the rules were run on
it, then used to find general fixes; fresh-*.csv (20 per language) was written after
that round, so it measured the fixes on unseen comments once (55% per language) before a
second round of general fixes. Both now guard against regressions.
"""

import csv
from pathlib import Path

import pytest

from tracker.feedback_rules import categorize_feedback
from tracker.feedback_scoring import score_feedback

DATA = Path(__file__).parent / "data" / "feedback"


@pytest.mark.parametrize(
    "name", ["heldout-en.csv", "heldout-de.csv", "fresh-en.csv", "fresh-de.csv"]
)
def test_category_accuracy_beyond_the_shared_file(name):
    with (DATA / name).open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    hits = sum(score_feedback(row["text"]).category == row["category"] for row in rows)
    assert hits / len(rows) >= 0.70, f"{hits}/{len(rows)}"


@pytest.mark.parametrize(
    ("name", "minimum"),
    [
        ("heldout-en.csv", 0.85),
        ("heldout-de.csv", 0.85),
        ("fresh-en.csv", 0.8),
        ("fresh-de.csv", 0.75),
    ],
)
def test_sentiment_label_accuracy_beyond_the_shared_file(name, minimum):
    # Rules v3 weigh in the category (before: 62/72% held-out, 50/65% fresh).
    with (DATA / name).open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    hits = sum(score_feedback(row["text"]).label == row["sentiment"] for row in rows)
    assert hits / len(rows) >= minimum, f"{hits}/{len(rows)}"


@pytest.mark.parametrize(
    ("text", "category", "label"),
    [
        # something expected that does not happen, without a problem keyword
        ("The Android build won't even install on my tablet.", "problem", "negative"),
        (
            "Die Android-Version lässt sich auf meinem Tablet nicht installieren.",
            "problem",
            "negative",
        ),
        # a negative tone about the backer's own things is a support case
        ("My tracking number has shown no movement for three weeks.", "problem", "negative"),
        # a sentence opened by an auxiliary or finite verb asks, even without "?"
        ("Is the deluxe box compatible with standard sleeves", "question", "neutral"),
        ("Passen Standardhüllen auch in die Deluxe-Box", "question", "neutral"),
        # politeness in a question or proposal is no praise
        ("Curious whether the soundtrack will be on Bandcamp too", "question", "neutral"),
        # a latecomer is no delay, for the tone either
        ("When will the pledge manager open for late backers?", "question", "neutral"),
        # a problem or criticism without strong words is still negative
        (
            "The login button in the companion app does nothing when I tap it.",
            "problem",
            "negative",
        ),
        ("You promised weekly devlogs and we got two in six months.", "criticism", "negative"),
    ],
)
def test_general_rules_of_version_3(text, category, label):
    score = score_feedback(text)
    assert (score.category, score.label) == (category, label), score.reason


def test_never_played_is_no_failure():
    assert score_feedback("Never played the first one, but this looks great!").category == "praise"


@pytest.mark.parametrize(
    ("text", "category"),
    [
        # "late pledge" is a shop for latecomers, not a delay
        ("Which payment methods does the late pledge store accept?", "question"),
        ("My parcel is late.", "problem"),
        # asking without a question mark
        ("Curious whether the art book ships separately", "question"),
        ("Mich würde interessieren, wer die Musik macht.", "question"),
        # a proposal phrased as a question is still a proposal
        ("Have you thought about a print-and-play version?", "suggestion"),
        ("Der Aufpreis ist viel zu hoch.", "criticism"),
    ],
)
def test_general_rules_of_version_2(text, category):
    assert score_feedback(text).category == category


def test_masking_keeps_the_reason_quoting_the_comment():
    match = categorize_feedback("Late pledge: still no tracking", language="en", sentiment=0.0)
    assert (match.category, match.reason) == ("problem", "mentions 'still no' (delay keyword)")
