"""Print how well feedback scoring matches a labelled CSV, and how fast it runs.

Usage: python bench/feedback_quality.py [CSV] [--misses]

The CSV needs the columns text, language, sentiment, category; by default the shared
development set ../shared/feedback-dev.csv beside the repository is used.
"""

import argparse
import csv
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEFAULT_CSV = REPO.parent / "shared" / "feedback-dev.csv"
REQUIRED_COLUMNS = {"text", "language", "sentiment", "category"}
THROUGHPUT_ENTRIES = 20_000
TARGETS = {"sentiment en": 0.80, "sentiment de": 0.75, "category": 0.70, "entries/s": 5_000}

sys.path.insert(0, str(REPO))  # run from a checkout without installing the package
from tracker.feedback.rules import CATEGORIES  # noqa: E402
from tracker.feedback.scoring import FeedbackScore, score_feedback  # noqa: E402

LABELS = ("positive", "neutral", "negative")


def read_rows(path: Path) -> list[dict[str, str]]:
    """Return the rows of a labelled CSV, or exit with a clear message."""
    if not path.is_file():
        sys.exit(f"error: no labelled CSV at {path} (pass a path: feedback_quality.py FILE.csv)")
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        missing = REQUIRED_COLUMNS - set(reader.fieldnames or ())
        if missing:
            sys.exit(f"error: {path} lacks the column(s) {', '.join(sorted(missing))}")
        rows = [row for row in reader if row["text"].strip()]
    if not rows:
        sys.exit(f"error: {path} has no rows")
    return rows


def print_accuracy(title: str, pairs: list[tuple[str, str, str]]) -> None:
    """Print accuracy overall and per gold language for (language, gold, predicted)."""
    by_language: dict[str, list[bool]] = defaultdict(list)
    for language, gold, predicted in pairs:
        by_language[language].append(gold == predicted)
    hits = sum(gold == predicted for _, gold, predicted in pairs)
    parts = [f"all {percent(hits, len(pairs))}"]
    for language, results in sorted(by_language.items()):
        parts.append(f"{language} {percent(sum(results), len(results))}")
    print(f"{title:<22}" + "   ".join(parts))


def percent(hits: int, total: int) -> str:
    """Format hits out of total as a percentage with the counts."""
    return f"{100 * hits / total:5.1f}% ({hits}/{total})"


def print_confusion(title: str, labels: tuple[str, ...], pairs: list[tuple[str, str]]) -> None:
    """Print a confusion matrix of gold rows against predicted columns."""
    counts = Counter(pairs)
    width = max(len(label) for label in labels) + 2
    print(f"\n{title} (rows: gold, columns: predicted)")
    print(" " * width + "".join(f"{label[:9]:>10}" for label in labels))
    for gold in labels:
        cells = "".join(f"{counts[(gold, predicted)]:>10}" for predicted in labels)
        print(f"{gold:<{width}}{cells}")


def measure_throughput(texts: list[str]) -> float:
    """Return entries scored per second over a batch of at least THROUGHPUT_ENTRIES."""
    score_feedback(texts[0])  # load VADER and the German lexicon outside the timing
    repeats = -(-THROUGHPUT_ENTRIES // len(texts))
    batch = texts * repeats
    started = time.perf_counter()
    for text in batch:
        score_feedback(text)
    return len(batch) / (time.perf_counter() - started)


def main() -> None:
    """Score the CSV and print accuracy, confusion matrices and throughput."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("csv", nargs="?", type=Path, default=DEFAULT_CSV)
    parser.add_argument("--misses", action="store_true", help="list every wrong label")
    args = parser.parse_args()
    rows = read_rows(args.csv)
    scores: list[FeedbackScore] = [score_feedback(row["text"]) for row in rows]

    print(f"{args.csv}: {len(rows)} entries\n")
    language_pairs = [
        (r["language"], r["language"], s.language) for r, s in zip(rows, scores, strict=True)
    ]
    sentiment_pairs = [
        (r["language"], r["sentiment"], s.label) for r, s in zip(rows, scores, strict=True)
    ]
    category_pairs = [
        (r["language"], r["category"], s.category) for r, s in zip(rows, scores, strict=True)
    ]
    print_accuracy("language detection", language_pairs)
    print_accuracy("sentiment", sentiment_pairs)
    print_accuracy("category", category_pairs)
    print_confusion("sentiment", LABELS, [(gold, got) for _, gold, got in sentiment_pairs])
    print_confusion("category", CATEGORIES, [(gold, got) for _, gold, got in category_pairs])

    if args.misses:
        print("\nmisses (gold -> predicted):")
        for row, score in zip(rows, scores, strict=True):
            if (row["sentiment"], row["category"]) != (score.label, score.category):
                print(
                    f"  {row['sentiment']}->{score.label} {score.sentiment:+.2f} | "
                    f"{row['category']}->{score.category} ({score.reason}) | {row['text']}"
                )

    rate = measure_throughput([row["text"] for row in rows])
    print(f"\nthroughput: {rate:,.0f} entries/s (score_feedback, no caching of texts)")
    print("targets: " + ", ".join(f"{name} >= {value:g}" for name, value in TARGETS.items()))


if __name__ == "__main__":
    main()
