"""What a hook sends for an event: a Discord or Slack message, or our own JSON body.

Events are stored as plain dicts (tracker/webhooks/events.py) and formatted when sent,
so a retry sends the same words. A chat message's headline is written by the caller in
the campaign's language (tracker/views/webhook_texts.py); the generic body is the event.
"""

from __future__ import annotations

import json
from collections.abc import Callable

DISCORD_CONTENT_MAX = 2000  # Discord refuses longer messages
DISCORD_EMBED_DESCRIPTION_MAX = 4096
DISCORD_EMBED_TITLE_MAX = 256
SLACK_TEXT_MAX = 3000  # a section block's text

# describe(event) -> the one sentence a chat message opens with
Describe = Callable[[dict], str]


def link(event: dict) -> str:
    """Return the URL where the event can be read."""
    for key in ("update", "report"):
        if event.get(key, {}).get("url"):
            return event[key]["url"]
    return event["campaign"]["url"]


def discord_body(event: dict, headline: str) -> dict:
    """Return a Discord webhook message: the headline, the link, an update's summary."""
    content = f"{headline}\n{link(event)}"[:DISCORD_CONTENT_MAX]
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


def slack_body(event: dict, headline: str) -> dict:
    """Return a Slack incoming-webhook message: text, and one section block with the link."""
    text = f"{_slack_escape(headline)}\n<{_slack_escape(link(event))}>"[:SLACK_TEXT_MAX]
    return {
        "text": text,
        "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": text}}],
    }


def encode_body(kind: str, event: dict, *, describe: Describe) -> bytes:
    """Return the body a hook of this kind sends for the event."""
    if kind == "discord":
        payload = discord_body(event, describe(event))
    elif kind == "slack":
        payload = slack_body(event, describe(event))
    else:
        payload = event
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()
