"""Messages are built from a skeleton made once per letter: the same bytes a mail reader
would read from the email package's own output, at a fraction of its cost per recipient."""

import uuid
from datetime import UTC, datetime
from email import message_from_bytes, policy
from email.generator import BytesGenerator

import pytest

from tracker.mail.messages import Attachment, Letter, build_message

SENDER = "Synth Fabrik <news@synth.example>"
DATE = datetime(2026, 11, 27, 10, 0, tzinfo=UTC)
TEXT = (
    "Grüße aus der Werkstatt!\n"
    ".a line that starts with a dot\n"
    "From the start of a line\n"
    "trailing space   \n"
    "a=b and 100% ünïcödé " + "long words " * 20 + "\n"
    "\n"
    "Unsubscribe: https://tracker.example/mail/unsubscribe/" + "t" * 120 + "\n"
)
HTML = '<p>Grüße</p>\n<p><a href="https://tracker.example/u?a=1&amp;b=2">weg</a></p>'


def _parse(data: bytes):
    # As a mail server stores it: local line ends.
    return message_from_bytes(data.replace(b"\r\n", b"\n"), policy=policy.default)


def _build(letter: Letter, recipient: str = "backer@example.com", number: int = 1) -> bytes:
    return build_message(
        letter,
        sender=SENDER,
        recipient=recipient,
        message_id=f"<outbox-{number}@synth.example>",
        date=DATE,
    )


@pytest.mark.parametrize("html", [HTML, None])
@pytest.mark.parametrize("subject", ["Synth: November 2026", "Synth: Bericht für November"])
def test_a_message_reads_back_as_its_letter(subject, html):
    link = "https://tracker.example/mail/unsubscribe/" + "x" * 150
    letter = Letter(subject=subject, text=TEXT, html=html, language="de", unsubscribe_url=link)

    data = _build(letter)

    assert b"\r\n" in data and b"\n" not in data.replace(b"\r\n", b"")
    assert all(len(line) <= 998 for line in data.split(b"\r\n"))
    message = _parse(data)
    assert message["From"] == SENDER
    assert message["To"] == "backer@example.com"
    assert message["Subject"] == subject
    assert message["Message-ID"] == "<outbox-1@synth.example>"
    assert message["Date"] == "Fri, 27 Nov 2026 10:00:00 +0000"
    assert message["Content-Language"] == "de"
    assert message["Auto-Submitted"] == "auto-generated"
    assert message["List-Unsubscribe"] == f"<{link}>"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message.get_body(("plain",)).get_content() == TEXT
    if html is None:
        assert message.get_content_type() == "text/plain"
    else:
        assert message.get_content_type() == "multipart/alternative"
        assert message.get_body(("html",)).get_content().rstrip("\n") == HTML
    assert message.defects == [] and all(not part.defects for part in message.walk())


def test_a_letter_without_unsubscribe_or_with_an_attachment_keeps_its_shape():
    pdf = Attachment(filename="synth-report-v1.pdf", data=b"%PDF-1.7\n" + bytes(range(256)))
    plain = _parse(_build(Letter(subject="Hi", text="Only text.")))
    assert plain["List-Unsubscribe"] is None and plain["List-Unsubscribe-Post"] is None
    assert plain.get_content().rstrip("\n") == "Only text."

    letter = Letter(subject="Report", text="See the PDF.", html="<p>PDF</p>", attachments=(pdf,))
    mixed = _parse(_build(letter))
    assert mixed.get_content_type() == "multipart/mixed"
    (attached,) = list(mixed.iter_attachments())
    assert attached.get_filename() == "synth-report-v1.pdf"
    assert attached.get_content() == pdf.data
    assert mixed.get_body(("plain",)).get_content().rstrip("\n") == "See the PDF."


def test_recipients_of_one_letter_get_their_own_headers_and_link():
    template = "https://tracker.example/mail/unsubscribe/{}"
    messages = []
    for number in range(3):
        link = template.format(f"token{number}")
        letter = Letter(
            subject="Synth", text=f"News.\nLeave: {link}\n", html=f'<a href="{link}">x</a>',
            unsubscribe_url=link,
        )  # fmt: skip
        messages.append(_parse(_build(letter, f"b{number}@example.com", number)))
    for number, message in enumerate(messages):
        assert message["To"] == f"b{number}@example.com"
        assert message["Message-ID"] == f"<outbox-{number}@synth.example>"
        assert message["List-Unsubscribe"] == f"<{template.format(f'token{number}')}>"
        assert f"token{number}" in message.get_body(("plain",)).get_content()
        assert f"token{number}" in message.get_body(("html",)).get_content()


def test_an_address_the_fast_path_cannot_write_is_still_encoded():
    letter = Letter(subject="Hi", text="Text.")
    message = _parse(_build(letter, recipient="Jürgen <j@example.com>"))
    assert message["To"] == "Jürgen <j@example.com>"


def test_the_email_generator_runs_once_per_letter_not_once_per_recipient(monkeypatch):
    flattened = []
    flatten = BytesGenerator.flatten

    def counting(self, message, *args, **kwargs):
        flattened.append(message.get_content_type())
        return flatten(self, message, *args, **kwargs)

    monkeypatch.setattr(BytesGenerator, "flatten", counting)
    subject = f"Synth: Bericht für November ({uuid.uuid4().hex})"  # a letter no test built
    for number in range(50):
        link = f"https://tracker.example/mail/unsubscribe/token{number}"
        letter = Letter(
            subject=subject, text=f"News.\n{link}\n",
            html=f'<a href="{link}">weg</a>', language="de", unsubscribe_url=link,
        )  # fmt: skip
        _build(letter, f"b{number}@example.com", number)
    # Once: the message and its two parts (each part is flattened by a clone).
    assert flattened == ["multipart/alternative", "text/plain", "text/html"], len(flattened)
