"""Category rules on comments that are not in the shared development file.

heldout-*.csv (40 per language) was written and labelled before the rules were run on
it, then used to find general fixes; fresh-*.csv (20 per language) was written after
that round, so it measured the fixes on unseen comments once (55% per language) before a
second round of general fixes. Both now guard against regressions. blind-*.csv (120 per
language) was written independently and measured rules v3 once (sentiment 65/62.5%,
category 58/57%) before it became development data for rules v4. blind2-*.csv (80 per
language, in the style of the shared file) was written independently and measured rules v4
once (sentiment 78.8/81.2%, category 75/72.5%) before its misses led to rules v5.
blind3-*.csv (80 per language, German written apart from English) measured rules v5 once,
untuned: sentiment 83.8% EN / 86.2% DE, category 81.2% / 77.5%. Keep it as the guard of
the issue's targets; do not tune on it without writing a new blind set first.
"""

import csv
from pathlib import Path

import pytest

from tracker.feedback.rules import categorize_feedback
from tracker.feedback.scoring import score_feedback

DATA = Path(__file__).parent.parent / "data" / "feedback"


@pytest.mark.parametrize(
    "name",
    [
        "heldout-en.csv",
        "heldout-de.csv",
        "fresh-en.csv",
        "fresh-de.csv",
        "blind-en.csv",
        "blind-de.csv",
        "blind2-en.csv",
        "blind2-de.csv",
        "blind3-en.csv",
        "blind3-de.csv",
    ],
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
        ("blind-en.csv", 0.8),
        ("blind-de.csv", 0.8),
        ("blind2-en.csv", 0.8),
        ("blind2-de.csv", 0.75),
        ("blind3-en.csv", 0.8),
        ("blind3-de.csv", 0.75),
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
        ("Since the patch my controller won't turn on at all.", "problem", "negative"),
        ("The shop doesn't accept my Swiss address.", "problem", "negative"),
        ("The video link keeps timing out for me.", "problem", "negative"),
        ("I got the red cover instead of the green one I picked.", "problem", "negative"),
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


@pytest.mark.parametrize(
    ("text", "category"),
    [
        # a fault told without a fault word: what came without something, a carrier's or
        # survey's claim, damage by its shape, a payment that bounced
        ("My copy came without the dice tray.", "problem"),
        ("Bei mir fehlte die Anleitung.", "problem"),
        ("Im Karton lag bei mir die englische Anleitung.", "problem"),
        ("The box arrived with a dent in the lid.", "problem"),
        ("Die Box hat einen Knick im Deckel.", "problem"),
        ("UPS says delivered but nothing is here.", "problem"),
        ("Laut DPD zugestellt, hier ist aber nichts.", "problem"),
        ("The survey says my payment is missing even though it bounced once.", "problem"),
        ("Meine Zahlung wurde zweimal abgebucht.", "problem"),
        ("Die Karte hat einen Druckfehler auf der Rückseite.", "problem"),
        ("The gamepad isn't recognised on Linux.", "problem"),
        ("Das Gamepad wird unter Linux nicht erkannt.", "problem"),
        ("The codes don't work in the store.", "problem"),
        # sarcasm and rhetorical questions are criticism
        ("Three months late and now a price rise. Thanks for nothing.", "criticism"),
        ("Drei Monate zu spät und jetzt teurer. Danke für nix.", "criticism"),
        ("New merch before the game ships? Priorities??", "criticism"),
        ("Is anyone even reading these comments?", "criticism"),
        ("Hört man überhaupt noch was von euch? Arbeitet überhaupt jemand dran?", "criticism"),
        ("If the date moves again, at least explain why.", "criticism"),
        # an offer on a condition, a wish named as such, a German imperative with "doch"
        ("If you add a Mac build, I'd upgrade to the deluxe tier.", "suggestion"),
        ("Wenn ihr ein Vinyl anbietet, kaufe ich zwei.", "suggestion"),
        ("A Switch port and I'd double my pledge.", "suggestion"),
        ("Ein Mac-Build und ich verdoppel meinen Pledge.", "suggestion"),
        ("One small wish: bigger text on the cards.", "suggestion"),
        ("Ein Poster wär mega.", "suggestion"),
        ("Macht doch einen Newsletter für die Updates.", "suggestion"),
        ("Would happily pay extra for metal coins.", "suggestion"),
        # praise without praise words
        ("The trailer gave me goosebumps.", "praise"),
        ("Der neue Trailer ist der Hammer.", "praise"),
        ("Kudos for patching the crash so quickly.", "praise"),
        ("Daumen hoch, dass ihr den Absturz so schnell gefixt habt.", "praise"),
        # sharing, fan content, greetings and public service notes
        ("PSA: the giveaway accounts in the comments are fake.", "other"),
        ("Made some fan art of the captain!", "other"),
        ("Frohe Weihnachten an alle!", "other"),
        ("Noch wer aus Hamburg hier?", "other"),
        # questions without "?"
        ("Gibts die Erweiterung auch einzeln", "question"),
        ("Mit wem verschickt ihr nach Österreich", "question"),
    ],
)
def test_general_rules_of_version_4(text, category):
    score = score_feedback(text)
    assert score.category == category, score.reason


@pytest.mark.parametrize(
    ("text", "category"),
    [
        # idioms and words that only contain a keyword
        ("Fehlerfrei angekommen, danke!", "praise"),
        ("Let us know when the survey goes out", "question"),
        ("What are your priorities for the next update?", "question"),
        ("Hab damals die erste Kampagne gebacken, die Box ist wunderschön!", "praise"),
        ("Die Bestellungen sind raus, wann kommt Tracking?", "question"),
    ],
)
def test_version_4_keywords_do_not_overreach(text, category):
    score = score_feedback(text)
    assert score.category == category, score.reason


@pytest.mark.parametrize(
    ("text", "label"),
    [
        # sarcastic thanks is negative, whatever the lexicon says
        ("The web store is cheaper than the early bird. Thanks for nothing.", "negative"),
        ("Im Shop günstiger als unser Early Bird. Danke für nix.", "negative"),
        # crying at a beautiful box is no complaint
        ("It came today and the box alone is a work of art 😭", "positive"),
    ],
)
def test_sentiment_rules_of_version_4(text, label):
    assert score_feedback(text).label == label


def test_quoted_keyword_counts():
    assert score_feedback("The code comes up as 'invalid' in the store").category == "problem"


def test_reason_quotes_the_opening_after_a_masked_term():
    assert score_feedback("Let us know when the survey goes out").reason == (
        "starts with the question word 'when'"
    )
