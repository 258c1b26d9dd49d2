"""OPML, the feed readers' way to hand over subscriptions: import many channels, export them.

OPML is XML from outside: a document that declares entities is refused before the
standard library's parser sees it (the same check as for feeds), and the parser
resolves no external entities.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from email.utils import format_datetime

from sqlmodel import Session

from tracker.channels import create_channel
from tracker.errors import InvalidInput
from tracker.models import Campaign, Channel
from tracker.xml_entities import declares_entities


class OpmlError(ValueError):
    """The file is not OPML we can read."""


@dataclass(frozen=True)
class Outline:
    """One <outline>: its position among all outlines, its label and its feed URL."""

    number: int
    text: str
    xml_url: str | None
    has_children: bool


@dataclass
class OpmlImport:
    """The channels an OPML file added and the outlines it could not use."""

    added: list[Channel] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def read_opml(data: bytes) -> list[Outline]:
    """Return every outline of an OPML document, in document order."""
    if declares_entities(data, content_type="text/x-opml"):
        raise OpmlError("refused: the document declares XML entities")
    try:
        root = ET.fromstring(data)  # noqa: S314
    except ET.ParseError as error:
        raise OpmlError(f"not valid XML: {error}") from None
    if root.tag != "opml" or root.find("body") is None:
        raise OpmlError("not an OPML document (no <opml><body>)")
    outlines = []
    for number, element in enumerate(root.find("body").iter("outline"), start=1):
        text = element.get("title") or element.get("text") or ""
        outlines.append(
            Outline(
                number=number,
                text=" ".join(text.split())[:200],
                xml_url=(element.get("xmlUrl") or "").strip() or None,
                has_children=len(element) > 0,
            )
        )
    return outlines


def import_opml(session: Session, campaign: Campaign, data: bytes, *, role: str) -> OpmlImport:
    """Follow every feed of the OPML file; report each outline that could not be used."""
    result = OpmlImport()
    for outline in read_opml(data):
        label = f"outline {outline.number}" + (f" ({outline.text!r})" if outline.text else "")
        if outline.xml_url is None:
            if not outline.has_children:  # folders hold feeds; they are no problem themselves
                result.problems.append(f"{label}: no xmlUrl")
            continue
        try:
            channel = create_channel(
                session,
                campaign,
                role=role,
                kind="opml",
                feed_url=outline.xml_url,
                source_url=outline.xml_url,
                title=outline.text,
            )
        except InvalidInput as error:
            result.problems.append(f"{label}: {'; '.join(error.errors.values())}")
            continue
        result.added.append(channel)
    if not result.added and not result.problems:
        result.problems.append("the file has no outlines")
    return result


def write_opml(title: str, channels: Iterable[Channel], *, now: datetime) -> bytes:
    """Return the channels that have feeds as an OPML 2.0 document."""
    root = ET.Element("opml", version="2.0")
    head = ET.SubElement(root, "head")
    ET.SubElement(head, "title").text = title
    ET.SubElement(head, "dateCreated").text = format_datetime(now, usegmt=True)
    body = ET.SubElement(root, "body")
    for channel in channels:
        if channel.feed_url is None:
            continue
        label = channel.title or channel.feed_url
        attributes = {"type": "rss", "text": label, "title": label, "xmlUrl": channel.feed_url}
        if channel.source_url.startswith(("http://", "https://")):
            attributes["htmlUrl"] = channel.source_url
        attributes["category"] = channel.role
        ET.SubElement(body, "outline", attributes)
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"
