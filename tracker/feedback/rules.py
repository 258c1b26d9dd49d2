"""Put a comment into a feedback category by transparent rules, with the reason why.

Precedence, first rule that fires wins:

0. praise: a problem reported as solved alongside praise, in a comment that is not
   negative ("thanks for replacing my damaged cards");
1. problem: a concrete failure for this backer (bug, damage, missing item, payment) or
   something expected said not to happen ("won't even install") -- even when asked as
   a question, since it needs support work, not just an answer;
2. criticism: a judgement of the team or campaign (refund, disappointed, promised);
3. problem: a delay mentioned without such a judgement ("my parcel is delayed");
4. question: asking without a question form ("Curious whether ...", "Mich würde
   interessieren ..."), checked before suggestions so "I'd love to know" is no wish;
5. suggestion: a wish or proposal, also when phrased as a question ("Any chance of ...?"),
   as an offer on a condition ("A Linux build and I'd double my pledge") or as a German
   imperative with "doch" ("Pinnt doch mal ...");
5b. other: sharing, fan content, greetings, public service notes ("PSA: ...", "fan art");
6. question: a "?" or an opening question word; a question in a strongly negative tone
   ("Why is nobody answering?") counts as criticism;
7. praise: a praise keyword, not negated ("not great" is no praise), in a comment that
   is not negative overall;
8. sentiment as the tie-breaker: clearly positive is praise, clearly negative is a
   problem when it is about the backer's own things ("my tracking number ..."), else
   criticism;
9. other.
"""

import re
from dataclasses import dataclass
from functools import cache

from tracker.feedback import keywords
from tracker.feedback.sentiment import NEGATIVE_THRESHOLD

CATEGORIES = ("question", "problem", "praise", "criticism", "suggestion", "other")
# Sentiment beyond these decides when no keyword did; a negative comment without a problem
# keyword is most often a complaint, so the negative side needs less.
TIE_BREAK_POSITIVE = 0.3
TIE_BREAK_NEGATIVE = -0.1
HOSTILE_QUESTION = -0.5

KEYWORD_TABLES = {
    "problem": keywords.PROBLEM,
    "delay": keywords.DELAY,
    "criticism": keywords.CRITICISM,
    "suggestion": keywords.SUGGESTION,
    "suggestion opener": keywords.SUGGESTION_OPENERS,
    "question opener": keywords.QUESTION_OPENERS,
    "question word": keywords.QUESTION_WITHOUT_MARK,
    "question phrase": keywords.QUESTION_PHRASES,
    "praise": keywords.PRAISE,
    "resolved": keywords.RESOLVED,
    "own": keywords.OWN,
    "sharing": keywords.SHARING,
}
# "Pinnt doch mal ...", "Versendet doch aus ...": a plural imperative softened by "doch".
DOCH_IMPERATIVE = re.compile(r"\s*[a-zäöüß]+t\s+doch(?!\w)")
# An offer on a condition: "If you add a Linux build, I'd back higher", "Wenn ihr Vinyl
# anbietet, nehme ich zwei".
CONDITIONAL_OFFER = {
    "en": re.compile(r"(?<!\w)if you [^.!?]*?(?:,|then)\s*i(?:'d|'ll|'m| would| will)(?!\w)"),
    "de": re.compile(r"(?<!\w)wenn ihr [^.!?]*?,\s*(?:dann\s+)?[a-zäöüß]+e?\s+ich(?!\w)"),
}


@dataclass(frozen=True)
class CategoryMatch:
    """A feedback category and the human-readable reason it was chosen."""

    category: str
    reason: str


def categorize_feedback(text: str, *, language: str, sentiment: float) -> CategoryMatch:
    """Return the category of a comment and why, from keywords, '?' and sentiment."""
    lowered = mask_neutral_terms(text.lower().replace("\u2019", "'"))
    stripped = lowered.strip()
    languages = (language,) if language in ("en", "de") else ("en", "de")

    def find(table: str, *, opening: bool = False) -> str | None:
        for lang in languages:
            pattern = keyword_pattern(table, lang, opening)
            found = pattern.match(stripped) if opening else pattern.search(lowered)
            if found:
                return found.group(0).strip()
        return None

    if (
        sentiment > NEGATIVE_THRESHOLD
        and (found := find("resolved"))
        and (thanks := find_praise(lowered, languages))
    ):
        return CategoryMatch("praise", f"mentions '{found}' with '{thanks}' (a solved problem)")
    if found := find("problem"):
        return CategoryMatch("problem", f"mentions '{found}' (problem keyword)")
    if found := find_failure(lowered, languages):
        return CategoryMatch("problem", f"says '{found}' (something that should work fails)")
    if found := find("criticism"):
        return CategoryMatch("criticism", f"mentions '{found}' (criticism keyword)")
    if found := find("delay"):
        return CategoryMatch("problem", f"mentions '{found}' (delay keyword)")
    if (found := find("question phrase")) and sentiment > HOSTILE_QUESTION:
        return CategoryMatch("question", f"mentions '{found}' (asks without a question mark)")
    if found := find("suggestion"):
        return CategoryMatch("suggestion", f"mentions '{found}' (suggestion phrase)")
    if found := find("suggestion opener", opening=True):
        return CategoryMatch("suggestion", f"starts with '{found}' (a proposal)")
    if "de" in languages and "?" not in stripped and (found := DOCH_IMPERATIVE.match(stripped)):
        return CategoryMatch("suggestion", f"starts with '{found.group(0).strip()}' (a proposal)")
    for lang in languages:
        if found := CONDITIONAL_OFFER[lang].search(lowered):
            offer = " ".join(found.group(0).split())
            return CategoryMatch("suggestion", f"says '{offer}' (an offer on a condition)")
    if found := find("sharing"):
        return CategoryMatch("other", f"mentions '{found}' (sharing, fan content or a note)")
    if question := describe_question(text, find):
        if sentiment <= HOSTILE_QUESTION:
            return CategoryMatch(
                "criticism", f"{question}, in a strongly negative tone ({sentiment:+.2f})"
            )
        return CategoryMatch("question", question)
    if sentiment > NEGATIVE_THRESHOLD and (found := find_praise(lowered, languages)):
        return CategoryMatch("praise", f"mentions '{found}' (praise keyword)")
    if sentiment >= TIE_BREAK_POSITIVE:
        return CategoryMatch("praise", f"no keyword; clearly positive tone ({sentiment:+.2f})")
    if sentiment <= TIE_BREAK_NEGATIVE and (found := find("own")):
        return CategoryMatch(
            "problem", f"no keyword; negative tone ({sentiment:+.2f}) about '{found}' own things"
        )
    if sentiment <= TIE_BREAK_NEGATIVE:
        return CategoryMatch("criticism", f"no keyword; clearly negative tone ({sentiment:+.2f})")
    return CategoryMatch("other", f"no keyword and no clear tone ({sentiment:+.2f})")


def mask_neutral_terms(lowered: str) -> str:
    """Blank out domain terms that only look like keywords, keeping every offset."""
    for term in keywords.NEUTRAL_TERMS:
        if term in lowered:
            lowered = re.sub(rf"(?<!\w){re.escape(term)}(?!\w)", " " * len(term), lowered)
    return lowered


def describe_question(text: str, find) -> str | None:
    """Return why a text reads as a question, or None when it does not."""
    stripped = text.strip()
    if "?" in stripped:
        mark = "ends with '?'" if stripped.endswith("?") else "contains '?'"
        if opener := find("question opener", opening=True):
            return f"{mark} and starts with '{quote_opening(stripped, opener)}'"
        return mark
    if "!" not in stripped and (opener := find("question word", opening=True)):
        return f"starts with the question word '{quote_opening(stripped, opener)}'"
    return None


def quote_opening(stripped: str, opener: str) -> str:
    """Return the opening words as written, after any masked term before them."""
    start = max(stripped.lower().find(opener), 0)
    return stripped[start : start + len(opener)]


def find_praise(lowered: str, languages: tuple[str, ...]) -> str | None:
    """Return the first praise keyword that no negator right before it turns around."""
    for lang in languages:
        for found in keyword_pattern("praise", lang, False).finditer(lowered):
            before = lowered[: found.start()].split()[-2:]
            if not any(word in keywords.PRAISE_NEGATORS for word in before):
                return found.group(0)
    return None


def find_failure(lowered: str, languages: tuple[str, ...]) -> str | None:
    """Return the words saying that something expected does not happen, if any."""
    for lang in languages:
        if found := failure_pattern(lang).search(lowered):
            return " ".join(found.group(0).split())
    return None


@cache
def failure_pattern(language: str) -> re.Pattern[str]:
    """Compile 'negator, up to one or three words, expected verb' for a language."""
    negators = "|".join(re.escape(word) for word in keywords.FAILURE_NEGATORS[language])
    verbs = "|".join(
        r"\s+".join(map(re.escape, verb.split())) for verb in keywords.FAILING_VERBS[language]
    )
    if language == "de":
        # German puts the negator before an infinitive at the end ("lässt sich auf dem
        # Tablet nicht installieren") or after a finite verb ("startet seit dem Patch
        # nicht"), within one clause.
        return re.compile(
            rf"(?<!\w)(?:(?:{negators})\s+(?:{verbs})|(?:{verbs})(?:\s+[^\s.,;:!?]+){{0,3}}"
            rf"\s+(?:{negators}))(?![\w'])"
        )
    return re.compile(
        rf"(?<![\w'])(?:{negators})(?:\s+[a-z]+)?\s+(?:{verbs})(?:s|es|ed|ing)?(?![\w'])"
    )


@cache
def keyword_pattern(table: str, language: str, opening: bool) -> re.Pattern[str]:
    """Compile one category's keywords for a language into a single regex."""
    alternatives = []
    # Longest first, so "would be great if" wins over "great" in the reason.
    for keyword in sorted(KEYWORD_TABLES[table][language], key=len, reverse=True):
        body = r"\s+".join(re.escape(part) for part in keyword.strip("*").split())
        # A leading "*" matches German compounds ending in the word ("Pixelfehler").
        head = r"\w*" if keyword.startswith("*") else ""
        alternatives.append(head + body + (r"[\w'-]*" if keyword.endswith("*") else ""))
    # An apostrophe counts as part of a word ("don't"), not as a quote ("'invalid'").
    prefix = r"\s*" if opening else r"(?<!\w)(?<!\w')"
    return re.compile(prefix + "(?:" + "|".join(alternatives) + r")(?!\w|'\w)")
