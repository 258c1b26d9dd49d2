"""Read a test run's JUnit XML and print where its time goes, against the CI baseline.

    .venv/bin/pytest -n 2 --junitxml=/tmp/ci-junit.xml    (or .ci/run with PYTEST_ARGS)
    .venv/bin/python bench/test_times.py /tmp/ci-junit.xml [--top 25]

Prints the run's wall-clock time beside the baseline (724 s, the CI run of 27 November
before the speed-up; house target: well under 10 minutes, below 480 s), the summed test
time per file and per database half (setup, call and teardown: what the xdist workers
spend), the slowest tests, and how many tests a file has. Exits 1 above the target.
"""

from __future__ import annotations

import argparse
import sys
import xml.etree.ElementTree as ET
from collections import Counter, defaultdict

BASELINE_SECONDS = 724.0
TARGET_SECONDS = 480.0


def read_cases(path: str) -> tuple[float, list[tuple[str, str, float]]]:
    """Return the run's wall-clock seconds and (file, test id, seconds) per test."""
    root = ET.parse(path).getroot()  # noqa: S314 (our own test run's report)
    suites = [root] if root.tag == "testsuite" else list(root.iter("testsuite"))
    wall = max(float(suite.get("time") or 0) for suite in suites)
    cases = []
    for case in root.iter("testcase"):
        module = ".".join(p for p in case.get("classname", "").split(".") if not p[:1].isupper())
        name = f"{module.replace('.', '/')}.py::{case.get('name')}"
        cases.append((f"{module.replace('.', '/')}.py", name, float(case.get("time") or 0)))
    return wall, cases


def database_half(test_id: str) -> str:
    if "[postgresql" in test_id or "-postgresql" in test_id:
        return "PostgreSQL"
    return "SQLite" if "sqlite" in test_id else "no database"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("junit")
    parser.add_argument("--top", type=int, default=25)
    args = parser.parse_args()
    wall, cases = read_cases(args.junit)
    per_file, count, halves = defaultdict(float), Counter(), defaultdict(float)
    for file, test_id, seconds in cases:
        per_file[file] += seconds
        count[file] += 1
        halves[database_half(test_id)] += seconds
    total = sum(seconds for _, _, seconds in cases)
    baseline, target = BASELINE_SECONDS, TARGET_SECONDS
    print(f"run: {wall:.0f} s wall (baseline {baseline:.0f} s, target < {target:.0f} s)")
    print(f"tests: {len(cases)}, summed test time {total:.0f} s")
    for half, seconds in sorted(halves.items(), key=lambda item: -item[1]):
        print(f"  {half}: {seconds:.0f} s")
    print("\nslowest files (summed seconds, tests):")
    for file, seconds in sorted(per_file.items(), key=lambda item: -item[1])[: args.top]:
        print(f"  {seconds:7.1f} {count[file]:4d}  {file}")
    print("\nslowest tests:")
    for _, test_id, seconds in sorted(cases, key=lambda case: -case[2])[: args.top]:
        print(f"  {seconds:7.1f}  {test_id}")
    sys.exit(1 if wall > target else 0)


if __name__ == "__main__":
    main()
