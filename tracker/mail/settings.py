"""Mail settings: TRACKER_SMTP_URL checked at start, the sender, the development folder.

Light on purpose: create_app checks the settings here without loading smtplib or the ORM.
"""

from __future__ import annotations

from collections.abc import MutableMapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

SCHEMES = {"smtp": 25, "smtps": 465, "smtp+starttls": 587}


@dataclass(frozen=True)
class SmtpSettings:
    """Where and how to hand messages over, read from TRACKER_SMTP_URL."""

    scheme: str
    host: str
    port: int
    username: str | None = None
    password: str | None = None


def parse_smtp_url(url: str) -> SmtpSettings:
    """Return the settings of smtp://, smtps:// or smtp+starttls:// URL; ValueError otherwise."""
    example = "smtp+starttls://user:password@mail.example:587"
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError as error:
        raise ValueError(f"TRACKER_SMTP_URL {url!r}: {error}; e.g. {example}") from None
    scheme = parts.scheme.lower()
    if scheme not in SCHEMES or not parts.hostname or parts.path not in ("", "/"):
        raise ValueError(
            f"TRACKER_SMTP_URL {url!r}: use smtp://host:port, smtps://host:port or "
            f"smtp+starttls://host:port, optionally with user:password@; e.g. {example}"
        )
    if (
        parts.password is not None
        and parts.scheme == "smtp"
        and parts.hostname
        not in (
            "localhost",
            "127.0.0.1",
            "::1",
        )
    ):
        raise ValueError(
            f"TRACKER_SMTP_URL: a password over plain smtp:// to {parts.hostname} would cross "
            "the network unencrypted; use smtps:// or smtp+starttls://"
        )
    return SmtpSettings(
        scheme=scheme,
        host=parts.hostname,
        port=port or SCHEMES[scheme],
        username=unquote(parts.username) if parts.username else None,
        password=unquote(parts.password) if parts.password else None,
    )


def settle_mail_config(config: MutableMapping, instance_path: str) -> None:
    """Check SMTP_URL (ValueError names the problem) and fill in MAIL_FROM and MAIL_DIR."""
    if config.get("SMTP_URL"):
        parse_smtp_url(str(config["SMTP_URL"]))
    if not config.get("MAIL_DIR"):
        config["MAIL_DIR"] = str(Path(instance_path) / "mail")
    if not config.get("MAIL_FROM"):
        host = urlsplit(config.get("PUBLIC_URL") or "").hostname or "localhost"
        config["MAIL_FROM"] = f"tracker@{host}"
    elif "@" not in str(config["MAIL_FROM"]):
        raise ValueError(
            f"TRACKER_MAIL_FROM {config['MAIL_FROM']!r} is not an address, "
            "e.g. 'Synth Team <news@synth.example>'"
        )
