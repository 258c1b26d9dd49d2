"""What a hook sends for an event: a Discord or Slack message, or our own JSON body.

Events are stored as plain dicts (tracker/webhooks/events.py) and formatted when sent,
so a retry sends the same words. Texts are English: the receiver is a team's chat or a
script, not a backer's page in the campaign's language.
"""

from __future__ import annotations

import json
from datetime import date

from tracker.dates import format_day

DISCORD_CONTENT_MAX = 2000  # Discord refuses longer messages
DISCORD_EMBED_DESCRIPTION_MAX = 4096
DISCORD_EMBED_TITLE_MAX = 256
SLACK_TEXT_MAX = 3000  # a section block's text


def headline(event: dict) -> str:
    """Return one sentence saying what happened."""
    campaign = event["campaign"]["title"]
    kind = event["event"]
    if kind == "update.published":
        return f"{campaign} posted an update: {event['update']['title'] or 'untitled'}"
    if kind == "milestone.changed":
        milestone, change = event["milestone"], event["change"]
        if change["field"] == "due_on":
            old, new = _day(change["from"]), _day(change["to"])
            moved = f"{campaign}: “{milestone['title']}” moved from {old} to {new}"
            return f"{moved} ({change['reason']})" if change["reason"] else moved
        state = change["to"].replace("_", " ")
        return f"{campaign}: “{milestone['title']}” is now {state}"
    if kind == "report.published":
        return f"{campaign} published a report: {event['report']['title']}"
    return f"Test message from the tracker for {campaign}"


def _day(iso: str | None) -> str:
    return format_day(date.fromisoformat(iso), locale="en") if iso else "no date"


def link(event: dict) -> str:
    """Return the URL where the event can be read."""
    for key in ("update", "report"):
        if event.get(key, {}).get("url"):
            return event[key]["url"]
    return event["campaign"]["url"]


def discord_body(event: dict) -> dict:
    """Return a Discord webhook message: the headline, the link, an update's summary."""
    content = f"{headline(event)}\n{link(event)}"[:DISCORD_CONTENT_MAX]
    # No @everyone, @here or role pings, whatever an update's title says.
    body: dict = {"content": content, "allowed_mentions": {"parse": []}}
    update = event.get("update")
    if update and update.get("summary"):
        body["embeds"] = [
            {
                "title": (update["title"] or "Update")[:DISCORD_EMBED_TITLE_MAX],
                "url": link(event),
                "description": update["summary"][:DISCORD_EMBED_DESCRIPTION_MAX],
            }
        ]
    return body


def _slack_escape(text: str) -> str:
    # Slack's mrkdwn reads <...> as links and mentions: only these three are escaped.
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def slack_body(event: dict) -> dict:
    """Return a Slack incoming-webhook message: text, and one section block with the link."""
    text = f"{_slack_escape(headline(event))}\n<{_slack_escape(link(event))}>"[:SLACK_TEXT_MAX]
    return {
        "text": text,
        "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": text}}],
    }


def encode_body(kind: str, event: dict) -> bytes:
    """Return the body a hook of this kind sends for the event."""
    if kind == "discord":
        payload = discord_body(event)
    elif kind == "slack":
        payload = slack_body(event)
    else:
        payload = event
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()
