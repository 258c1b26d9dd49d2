"""Update every feed of a lemon24/reader database, as a cron job would: the peer poller.

    .venv/bin/python bench/reader_update.py DATABASE [--workers 8]

bench/poll_feeds.py times this command beside `tracker feeds poll` on the same feeds.
Every feed is updated whatever reader's schedule says (scheduled=False), as every tracker
channel is due in the benchmark. Prints how long update_feeds itself took.
"""

import argparse
import time

from reader import make_reader


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("database")
    parser.add_argument("--workers", type=int, default=8)
    args = parser.parse_args()
    started = time.perf_counter()
    reader = make_reader(args.database)
    reader.update_feeds(workers=args.workers, scheduled=False)
    reader.close()
    print(f"updated in {time.perf_counter() - started:.2f} s")


if __name__ == "__main__":
    main()
