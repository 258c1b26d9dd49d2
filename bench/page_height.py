"""Measure how tall the demo campaign's public page is on a desktop and on a phone.

    .venv/bin/python bench/page_height.py

Loads the demo campaign (`tracker demo`) into a fresh SQLite database, serves the app on
127.0.0.1 and opens /c/<demo> in chromium at 1280 and 390 px wide, in English and German,
with and without JavaScript, and prints the page's height in CSS pixels. Baseline (issue
13, before the section navigation and the collapsed lists): 5,000 px at 1280, 7,400 at 390.
"""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
CHROMIUM = "/usr/lib/chromium/chromium"
WIDTHS = (1280, 390)


def main() -> None:
    from playwright.sync_api import sync_playwright
    from werkzeug.serving import make_server

    from tracker import create_app

    logging.getLogger("werkzeug").setLevel(logging.WARNING)

    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{folder}/bench.sqlite3"
        env = {**os.environ, "TRACKER_DATABASE_URL": url, "TRACKER_SECRET_KEY": "bench"}
        tracker = Path(sys.executable).parent / "tracker"
        subprocess.run([tracker, "db", "upgrade"], env=env, check=True, capture_output=True)
        done = subprocess.run([tracker, "demo"], env=env, check=True, capture_output=True)
        slug = done.stdout.decode().split("/c/")[1].split()[0]
        app = create_app(
            {"DATABASE_URL": url, "SECRET_KEY": "bench", "PUBLIC_URL": "http://127.0.0.1"}
        )
        server = make_server("127.0.0.1", 0, app, threaded=True)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        base = f"http://127.0.0.1:{server.server_port}"
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
            print(f"{'width':>6} {'language':>8} {'script':>7} {'height px':>10}")
            for width in WIDTHS:
                for locale in ("en-US", "de-DE"):
                    for script in (True, False):
                        context = browser.new_context(
                            viewport={"width": width, "height": 800},
                            locale=locale,
                            java_script_enabled=script,
                        )
                        page = context.new_page()
                        page.goto(f"{base}/c/{slug}")
                        height = page.evaluate("document.documentElement.scrollHeight")
                        print(
                            f"{width:>6} {locale[:2]:>8} {'on' if script else 'off':>7} "
                            f"{height:>10,}"
                        )
                        context.close()
            browser.close()
        server.shutdown()


if __name__ == "__main__":
    main()
