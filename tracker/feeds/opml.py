"""OPML, the feed readers' way to hand over subscriptions: import many channels, export them.

OPML is XML from outside: a document that declares entities is refused before the
standard library's parser sees it (the same check as for feeds), and the parser
resolves no external entities. The file is read within limits of size, outline count
and nesting depth, each checked while parsing, and a file that would take a campaign
past its channel limit is refused whole: nothing is added, the message says how many
feeds it has and how many fit.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from email.utils import format_datetime

from sqlalchemy import select
from sqlmodel import Session

from tracker.errors import InvalidInput
from tracker.feeds.channels import (
    DEFAULT_MAX_CHANNELS,
    MAX_URL_LENGTH,
    count_channels,
    create_channel,
)
from tracker.feeds.content import http_url
from tracker.feeds.xml_entities import declares_entities
from tracker.models import Campaign, Channel
from tracker.text import strip_forbidden_chars

MAX_OPML_BYTES = 1024 * 1024  # 200 feeds take about 40 KB
MAX_OUTLINES = 2000
MAX_OUTLINE_DEPTH = 20
_CHUNK = 64 * 1024


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


def _parse_within_limits(data: bytes) -> ET.Element:
    """Parse `data`, stopping as soon as it nests too deep or holds too many outlines."""
    parser = ET.XMLPullParser(events=("start", "end"))
    depth = outlines = 0
    root = None
    try:
        for start in range(0, len(data), _CHUNK):
            parser.feed(data[start : start + _CHUNK])
            for event, element in parser.read_events():
                if event == "end":
                    depth -= 1
                    continue
                root = element if root is None else root
                depth += 1
                outlines += element.tag == "outline"
                if depth > MAX_OUTLINE_DEPTH + 2:  # <opml><body> and the outlines
                    raise OpmlError(f"refused: outlines nest deeper than {MAX_OUTLINE_DEPTH}")
                if outlines > MAX_OUTLINES:
                    raise OpmlError(f"refused: more than {MAX_OUTLINES} outlines")
        parser.close()
    except ET.ParseError as error:
        raise OpmlError(f"not valid XML: {error}") from None
    return root


def read_opml(data: bytes) -> list[Outline]:
    """Return every outline of an OPML document, in document order."""
    if len(data) > MAX_OPML_BYTES:
        raise OpmlError(f"refused: the file is larger than {MAX_OPML_BYTES // 2**20} MB")
    if declares_entities(data, content_type="text/x-opml"):
        raise OpmlError("refused: the document declares XML entities")
    root = _parse_within_limits(data)
    if root is None or root.tag != "opml" or root.find("body") is None:
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


def _check_room(session: Session, campaign: Campaign, outlines: list[Outline], limit: int):
    """Refuse the file if its new, usable feeds do not fit under the campaign's limit."""
    followed = set(
        session.scalars(select(Channel.feed_url).where(Channel.campaign_id == campaign.id))
    )
    new = {
        outline.xml_url
        for outline in outlines
        if outline.xml_url
        and outline.xml_url not in followed
        and len(outline.xml_url) <= MAX_URL_LENGTH
        and http_url(outline.xml_url, base=outline.xml_url)
    }
    count = count_channels(session, campaign)
    if count + len(new) > limit:
        raise OpmlError(
            f"{_counted(len(new), 'new feed')}, but the campaign follows "
            f"{_counted(count, 'channel')} and may follow at most {limit}: nothing was added"
        )


def _counted(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def import_opml(
    session: Session,
    campaign: Campaign,
    data: bytes,
    *,
    role: str,
    max_channels: int = DEFAULT_MAX_CHANNELS,
) -> OpmlImport:
    """Follow every feed of the OPML file; report each outline that could not be used."""
    outlines = read_opml(data)
    _check_room(session, campaign, outlines, max_channels)
    result = OpmlImport()
    for outline in outlines:
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
                origin="opml",
                feed_url=outline.xml_url,
                source_url=outline.xml_url,
                title=outline.text,
                max_channels=max_channels,
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
    # Rows stored before text was cleaned on entry may still hold characters XML forbids.
    ET.SubElement(head, "title").text = strip_forbidden_chars(title)
    ET.SubElement(head, "dateCreated").text = format_datetime(now, usegmt=True)
    body = ET.SubElement(root, "body")
    for channel in channels:
        if channel.feed_url is None:
            continue
        label = strip_forbidden_chars(channel.title) or channel.feed_url
        attributes = {"type": "rss", "text": label, "title": label, "xmlUrl": channel.feed_url}
        if channel.source_url.startswith(("http://", "https://")):
            attributes["htmlUrl"] = channel.source_url
        attributes["category"] = channel.role
        ET.SubElement(body, "outline", attributes)
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"
