"""The Nu HTML Checker (vnu.jar on the system's Java), one JVM for each batch of pages."""

import json
import subprocess
import tempfile
from pathlib import Path

# Exactly one error: a checker that reports nothing for it did not really check.
KNOWN_BAD = '<!doctype html><html lang="en"><title>c</title><p id="a"></p><p id="a"></p></html>'


class NuChecker:
    """Check pages with the Nu HTML Checker; every batch proves itself on a known-bad page."""

    def __init__(self, command: list[str], folder: Path):
        self.command = command
        self.folder = folder

    def errors(self, pages: dict[str, bytes]) -> list[str]:
        """Return one line per error the checker finds in pages (a label for each page's HTML)."""
        batch = Path(tempfile.mkdtemp(dir=self.folder))
        labels = {"known-bad.html": "the known-bad page"}
        (batch / "known-bad.html").write_text(KNOWN_BAD)
        for number, (label, html) in enumerate(pages.items()):
            (batch / f"{number}.html").write_bytes(html)
            labels[f"{number}.html"] = label
        # One JVM for all pages: starting it costs more than checking them.
        result = subprocess.run(
            [*self.command, *(str(batch / name) for name in labels)],
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        found = {}
        for message in json.loads(result.stderr or result.stdout)["messages"]:
            if message["type"] in ("error", "non-document-error"):
                name = message.get("url", "").rsplit("/", 1)[-1]
                found.setdefault(name, []).append(
                    f"{labels.get(name, name)} line {message.get('lastLine')}: "
                    f"{message['message']}\n    {message.get('extract', '').strip()}"
                )
        known = found.pop("known-bad.html", [])
        assert len(known) == 1 and "Duplicate ID" in known[0], (
            f"the Nu HTML Checker did not report the one error of the known-bad page: {known}"
        )
        return [line for lines in found.values() for line in lines]
