"""Score the sentiment of one comment in [-1, 1]: English through VADER, German by lexicon.

Labels: a score >= POSITIVE_THRESHOLD is positive, <= NEGATIVE_THRESHOLD is negative,
anything between is neutral (VADER's own recommended cut-offs, kept for German too because
the German score is normalised the same way). Texts in other languages go through VADER as
well: it knows emoji, emoticons and loanwords ("super", "wow", "cool") and scores words it
does not know as 0, so a French or Spanish comment comes out neutral unless it carries such
signals.
"""

import math
import re
from functools import cache

from tracker.feedback.german_lexicon import EXPECTED, word_polarity

POSITIVE_THRESHOLD = 0.05
NEGATIVE_THRESHOLD = -0.05

# Backer vocabulary VADER lacks, on VADER's scale (-4..4).
ENGLISH_DOMAIN_VALENCE = {
    "crashes": -1.7, "crashed": -1.7, "crashing": -1.7, "bug": -1.2, "bugs": -1.2,
    "buggy": -1.6, "glitch": -1.2, "glitches": -1.2, "glitchy": -1.4, "cracked": -1.5,
    "scratched": -1.0, "corrupted": -1.8, "invalid": -1.2, "refund": -1.2, "overdue": -1.2,
    "unresponsive": -1.6, "ghosted": -1.8, "declined": -1.2, "late": -0.9, "delays": -1.3,
    "cheap": -0.8, "ignoring": -1.3, "unprofessional": -1.8, "misleading": -1.8,
    "polished": 1.2, "gorgeous": 2.6, "congrats": 2.2, "kudos": 2.0, "transparent": 1.2,
    "transparency": 1.4, "unrealistic": -1.4, "overpriced": -1.5, "underwhelming": -1.6,
    "mediocre": -1.3, "laggy": -1.4, "clunky": -1.3, "flimsy": -1.4, "unplayable": -2.0,
    "unfinished": -0.8, "errored": -1.5, "lackluster": -1.5, "wobbly": -1.0, "freezes": -1.2,
    "froze": -1.2, "freezing": -1.2,
    # politeness and hedges, not feelings: "please add ...", "honestly, ..."
    "please": 0.0, "honestly": 0.0,
    # names of things in a campaign, not feelings: "rewards", "save files", "Discord"
    "reward": 0.0, "rewards": 0.0, "rewarded": 0.0, "save": 0.0, "saved": 0.0,
    "discord": 0.0, "number": 0.0, "charged": 0.0, "share": 0.0, "shared": 0.0, "sharing": 0.0,
    "support": 0.0, "supports": 0.0, "supported": 0.0, "credit": 0.0, "free": 0.8,
    # rules v3: what backers do with a campaign, not how they feel about it ("which
    # payment methods do you accept", "played the demo", "the key was redeemed", "any
    # chance of", "curious whether", "can someone help", "as a bonus", "you promised")
    "accept": 0.0, "accepted": 0.0, "play": 0.0, "played": 0.0, "playing": 0.0,
    "redeem": 0.0, "redeemed": 0.0, "chance": 0.0, "curious": 0.0, "help": 0.0,
    "bonus": 0.0, "promised": 0.0, "promise": 0.0, "promises": 0.0,
    # rules v4: "the box alone is a piece of art" means "by itself", not loneliness
    "alone": 0.0,
}  # fmt: skip
# Neutral words for what backers wait for; negated they are a complaint ("no update",
# "never arrived", "doesn't work"), a nuance VADER's negation cannot see on a 0 word.
ENGLISH_EXPECTED = frozenset(
    """update updates response reply replies answer answers news word communication
    progress received arrived shipped delivered working work works worked tracking refunded
    movement""".split()  # noqa: SIM905 -- word lists read best as text
)
ENGLISH_NEGATORS = frozenset(
    """no not never without nothing none nobody haven't hasn't didn't doesn't don't isn't
    wasn't aren't won't can't cannot couldn't havent hasnt didnt doesnt dont isnt wasnt""".split()  # noqa: SIM905
)
EXPECTATION_PENALTY = -1.0  # VADER scale
VADER_ALPHA = 15  # VADER's normalisation constant

# German modifiers on the lexicon's scale (-1..1).
GERMAN_NEGATORS = {
    "nicht": -0.74, "kein": -0.74, "keine": -0.74, "keinen": -0.74, "keinem": -0.74,
    "keiner": -0.74, "keines": -0.74, "nie": -0.74, "niemals": -0.74, "nichts": -0.74,
    "ohne": -0.74, "weder": -0.74, "kaum": -0.5,
}  # fmt: skip
# Flipping a negative word gives a weaker positive: "nicht schlecht" is faint praise.
NEGATED_NEGATIVE_SCALAR = -0.5
NEGATION_REACH = 3  # words after a negator that it still covers
GERMAN_BOOSTERS = {
    "sehr": 1.3, "total": 1.3, "extrem": 1.4, "echt": 1.2, "wirklich": 1.2, "richtig": 1.2,
    "absolut": 1.3, "voll": 1.2, "mega": 1.3, "super": 1.3, "besonders": 1.2, "äußerst": 1.4,
    "unglaublich": 1.3, "höchst": 1.3, "ziemlich": 1.1, "so": 1.1, "viel": 1.1,
    "etwas": 0.7, "bisschen": 0.7, "wenig": 0.7, "eher": 0.8, "relativ": 0.8,
    "halbwegs": 0.6, "einigermaßen": 0.7, "leicht": 0.7,
}  # fmt: skip
# After "aber" the clause that follows weighs more, as VADER does for "but".
GERMAN_CONTRASTS = frozenset({"aber", "jedoch", "allerdings", "sondern"})
EXPECTED_NEGATED = -0.5
# Sentence adverbs that a clause-final "nicht" does not negate: "Leider geht es nicht".
UNNEGATED = frozenset({"leider", "hoffentlich", "ehrlich"})
# "überhaupt nicht", "gar nicht": a negation said with emphasis.
NEGATION_EMPHASIS = frozenset({"überhaupt", "gar", "absolut", "ganz", "wirklich", "echt"})
NEGATION_EMPHASIS_SCALAR = 1.5
EXCLAMATION_BOOST = 0.15
MAX_EXCLAMATIONS = 3
CAPS_BOOST = 1.2
GERMAN_ALPHA = 4  # "gut" alone scores about like VADER's "good" (0.45)

# A category is evidence about the tone as well: a reported problem or a criticism is
# rarely meant positively, praise rarely negatively, and a question, a proposal or a
# remark is neutral unless it carries clear emotion ("love to know", "would be great" are
# politeness). The final score moves CATEGORY_WEIGHT of the way from the lexicon's score
# to the category's tone, and a neutral category shrinks the score, which widens the
# neutral band for it. Chosen by cross-validation between the tuned sets (shared, golden)
# and the unseen ones (held-out, fresh); see bench/feedback_quality.py.
CATEGORY_TONE = {"problem": -1.0, "criticism": -1.0, "praise": 1.0}
CATEGORY_WEIGHT = 0.4
NEUTRAL_CATEGORY_SHRINK = {"question": 0.9, "suggestion": 0.8, "other": 0.6}

EMOJI_POLARITY = {
    "😍": 0.9, "❤": 0.8, "💖": 0.8, "🥰": 0.9, "👍": 0.6, "👏": 0.7, "🙌": 0.7, "🎉": 0.7,
    "🥳": 0.7, "🔥": 0.5, "😀": 0.5, "😃": 0.5, "😄": 0.6, "😊": 0.6, "🙂": 0.4, "🤩": 0.8,
    ":)": 0.5, ":-)": 0.5, ":d": 0.6, ";)": 0.4, "😡": -0.9, "😠": -0.8, "🤬": -1.0,
    "👎": -0.6, "😞": -0.6, "😢": -0.6, "🙁": -0.5, "☹": -0.5, "💩": -0.7,
    "🤮": -0.9, ":(": -0.5, ":-(": -0.5, "😕": -0.5, "🥹": 0.7, "🙏": 0.4,
}  # fmt: skip
# Emoji whose reading differs from VADER's description: backers cry "😭" at a beautiful
# box as often as at a late one, so the words decide; "🥹" is moved, "🙏" is pleading.
ENGLISH_EMOJI_VALENCE = {"😭": "", "🥹": "grateful", "🙏": "hopeful"}
# Thanks said with contempt ("Thanks for nothing", "Danke für nix") means the opposite.
SARCASM = re.compile(
    r"\b(?:thanks|thank you|danke) (?:for|für) (?:nothing|nichts|nix)\b"
    r"|\b(?:real|how|very) classy\b|\bclassy\.|\bwell done,? (?:guys|team)\.\.\."
)
TOKEN = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*|[.,;:!?]")
ENGLISH_TOKEN = re.compile(r"[a-z]+(?:'[a-z]+)?")
EMOJI = re.compile("|".join(re.escape(key) for key in sorted(EMOJI_POLARITY, key=len)[::-1]))
CLAUSE_END = frozenset(".,;:!?")
LATECOMER = re.compile(r"\blate\s+(?=(?:pledge|backer)s?\b)", re.IGNORECASE)


def label_for(score: float) -> str:
    """Return 'positive', 'neutral' or 'negative' for a sentiment score."""
    if score >= POSITIVE_THRESHOLD:
        return "positive"
    if score <= NEGATIVE_THRESHOLD:
        return "negative"
    return "neutral"


def blend_with_category(score: float, category: str) -> float:
    """Return a lexicon score moved toward the usual tone of the comment's category."""
    if category in CATEGORY_TONE:
        return (1 - CATEGORY_WEIGHT) * score + CATEGORY_WEIGHT * CATEGORY_TONE[category]
    return score * (1 - NEUTRAL_CATEGORY_SHRINK.get(category, 0.0))


def score_sentiment(text: str, language: str) -> float:
    """Return the sentiment of a text in [-1, 1] using the scorer for its language."""
    score = score_german(text) if language == "de" else score_english(text)
    if score > 0 and SARCASM.search(text.lower()):
        return -score
    return score


@cache
def english_analyzer():
    """Return the one VADER analyzer of the process, with the backer vocabulary added."""
    # Imported with the first comment scored, as its lexicons load: not at startup.
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    analyzer = SentimentIntensityAnalyzer()
    analyzer.lexicon.update(ENGLISH_DOMAIN_VALENCE)
    analyzer.emojis.update(ENGLISH_EMOJI_VALENCE)
    return analyzer


def score_english(text: str) -> float:
    """Return VADER's compound score, adjusted for negated expectations."""
    # A "late pledge" or "late backer" is a latecomer, not a delay.
    text = LATECOMER.sub("", text)
    compound = english_analyzer().polarity_scores(text)["compound"]
    words = ENGLISH_TOKEN.findall(text.lower().replace("\u2019", "'"))
    penalty = 0.0
    for index, word in enumerate(words):
        if word in ENGLISH_EXPECTED and any(
            earlier in ENGLISH_NEGATORS for earlier in words[max(0, index - 3) : index]
        ):
            penalty += EXPECTATION_PENALTY
    if not penalty:
        return compound
    # Undo VADER's normalisation, add the penalty to its raw sum, normalise again.
    compound = max(min(compound, 0.9999), -0.9999)
    raw = compound * math.sqrt(VADER_ALPHA / (1 - compound * compound))
    return normalise(raw + penalty, VADER_ALPHA)


def normalise(raw: float, alpha: float) -> float:
    """Squash an unbounded sum of valences into [-1, 1]."""
    return max(-1.0, min(1.0, raw / math.sqrt(raw * raw + alpha)))


def score_german(text: str) -> float:
    """Return the lexicon score of a German text with negation and intensifiers."""
    shouting_allowed = not text.isupper()
    clauses: list[list[str]] = [[]]
    originals: list[list[str]] = [[]]
    for token in TOKEN.findall(text):
        if token in CLAUSE_END:
            if clauses[-1]:
                clauses.append([])
                originals.append([])
            continue
        # A hyphenated compound means what its last part means: "Download-Code".
        word = token.rsplit("-", 1)[-1]
        clauses[-1].append(word.lower())
        originals[-1].append(word)
    total = 0.0
    for words, original in zip(clauses, originals, strict=True):
        total += score_german_clause(words, original, shouting_allowed)
    total += sum(EMOJI_POLARITY[found] for found in EMOJI.findall(text.lower()))
    if total:
        exclamations = min(text.count("!"), MAX_EXCLAMATIONS)
        total += math.copysign(EXCLAMATION_BOOST * exclamations, total)
    return normalise(total, GERMAN_ALPHA)


def score_german_clause(words: list[str], original: list[str], shouting_allowed: bool) -> float:
    """Return the summed valence of one clause of lower-cased German words."""
    negators = [
        index
        for index, word in enumerate(words)
        if word in GERMAN_NEGATORS
        # "nicht nur ... sondern auch" does not negate.
        and not (word == "nicht" and index + 1 < len(words) and words[index + 1] == "nur")
    ]
    contrast = next((i for i, word in enumerate(words) if word in GERMAN_CONTRASTS), None)
    total = 0.0
    for index, word in enumerate(words):
        if word in GERMAN_NEGATORS:
            continue
        following = words[index + 1] if index + 1 < len(words) else ""
        if word in GERMAN_BOOSTERS and following and word_polarity(following):
            continue
        value = word_polarity(word)
        negator = find_negator(words, negators, index)
        if negator is not None:
            if value == 0 and (word in EXPECTED or is_failing_verb(words, index, negator)):
                value = EXPECTED_NEGATED
            else:
                scalar = GERMAN_NEGATORS[words[negator]]
                value *= scalar if value > 0 else max(scalar, NEGATED_NEGATIVE_SCALAR)
                if negator and words[negator - 1] in NEGATION_EMPHASIS:
                    value *= NEGATION_EMPHASIS_SCALAR
        if not value:
            continue
        for earlier in words[max(0, index - 2) : index]:
            value *= GERMAN_BOOSTERS.get(earlier, 1.0)
        if shouting_allowed and len(original[index]) > 1 and original[index].isupper():
            value *= CAPS_BOOST
        if contrast is not None:
            value *= 0.5 if index < contrast else 1.5
        total += value
    return total


def find_negator(words: list[str], negators: list[int], index: int) -> int | None:
    """Return the index of the negator that covers the word at index, if any."""
    for negator in negators:
        if 0 < index - negator <= NEGATION_REACH:
            return negator
        # German puts "nicht" at the end, after the verb's objects: "gefällt mir der neue
        # Stil nicht". A clause-final negator covers the nearest polar word before it.
        if negator > index and negator == len(words) - 1 and words[index] not in UNNEGATED:
            between = words[index + 1 : negator]
            if not any(word_polarity(word) for word in between):
                return negator
    return None


def is_failing_verb(words: list[str], index: int, negator: int) -> bool:
    """Tell whether a clause ends by saying that the verb at index does not happen."""
    # "die Taste klickt nicht", "ich kann mich nicht einloggen": in feedback a verb
    # negated at the end of its clause reports something that fails.
    if words[negator] != "nicht":
        return False
    if negator == index + 1 == len(words) - 1:
        return words[index].endswith("t")
    return index == negator + 1 == len(words) - 1 and words[index].endswith(("en", "t"))
