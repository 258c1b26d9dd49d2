"""The German catalogue calls backers one thing throughout: Unterstützer."""

import re
from pathlib import Path

from babel.messages.pofile import read_po

CATALOG = Path(__file__).resolve().parents[1] / "tracker/translations/de/LC_MESSAGES/messages.po"
# The English loan word, the participle and the gendered spellings were mixed before; the
# plain "Unterstützer" (dative plural "Unterstützern", compounds like "Unterstützerbericht")
# is the one form.
OTHER_FORMS = re.compile(r"Backer|Unterstützend|Unterstützer(?:[:*_/]in|In)")


def _translations():
    with CATALOG.open("rb") as f:
        catalog = read_po(f, locale="de")
    for message in catalog:
        if message.id:
            ids = message.id if isinstance(message.id, tuple) else (message.id,)
            strings = message.string if isinstance(message.string, tuple) else (message.string,)
            yield ids[0], strings


def test_backers_are_unterstuetzer_in_every_german_message():
    wrong = [
        (msgid, text)
        for msgid, strings in _translations()
        for text in strings
        if OTHER_FORMS.search(text)
    ]
    assert not wrong, "\n".join(f"{msgid!r}: {text!r}" for msgid, text in wrong)


def test_every_message_about_backers_says_unterstuetzer():
    missing = [
        (msgid, text)
        for msgid, strings in _translations()
        for text in strings
        if "backer" in msgid.lower() and "Unterstützer" not in text
    ]
    assert not missing, missing
