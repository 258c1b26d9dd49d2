"""Score one feedback entry: language, sentiment, label, category and the reason."""

from dataclasses import dataclass

from tracker.feedback.language import detect_language
from tracker.feedback.rules import categorize_feedback
from tracker.feedback.sentiment import blend_with_category, label_for, score_sentiment

# Bump whenever keywords, lexicon adjustments or thresholds change, so that entries scored
# under an older version can be found and rescored.
RULES_VERSION = 5


@dataclass(frozen=True)
class FeedbackScore:
    """What the scoring layer says about one comment."""

    language: str
    sentiment: float
    label: str
    category: str
    reason: str


def score_feedback(text: str) -> FeedbackScore:
    """Return the language, sentiment, label and category of a comment."""
    language = detect_language(text)
    # The rules see the lexicon's tone; the stored score also weighs in the category.
    tone = score_sentiment(text, language)
    match = categorize_feedback(text, language=language, sentiment=tone)
    sentiment = round(blend_with_category(tone, match.category), 4)
    return FeedbackScore(
        language=language,
        sentiment=sentiment,
        label=label_for(sentiment),
        category=match.category,
        reason=match.reason,
    )
