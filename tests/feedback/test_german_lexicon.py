"""The German polarity lexicon ships inside the package, with its licence (#11)."""

import subprocess
import sys
from importlib import resources

DATA = resources.files("tracker.feedback").joinpath("data")


def test_the_lexicon_and_its_licence_are_package_data():
    assert DATA.joinpath("de-sentiment.xml").read_text(encoding="utf-8").count("<word ") > 7000
    assert "Apache License" in DATA.joinpath("LICENSE-Apache-2.0.txt").read_text(encoding="utf-8")
    notice = DATA.joinpath("NOTICE.md").read_text(encoding="utf-8")
    assert "Klenner" in notice and "Markus Killer" in notice


def test_words_are_scored_without_textblob_installed():
    # None in sys.modules: neither importing nor finding these packages succeeds.
    code = (
        "import sys\n"
        "for name in ('textblob_de', 'textblob', 'nltk'):\n"
        "    sys.modules[name] = None\n"
        "from tracker.feedback.german_lexicon import word_polarity\n"
        "print(word_polarity('schön'), word_polarity('lieferverzögerung'))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["1.0", "-0.7"]
