"""Mastodon: an account's public API on any instance, from its profile URL.

One poll: `accounts/lookup` (the followers count), `accounts/:id/statuses` (own posts
with their replies, boosts, favourites and quotes counts; pages followed by the Link
header while they are inside the window), and `statuses/:id/context` only for a post
whose replies count changed since its thread was last read (the channel's memo), at
most MAX_THREADS a poll. The owner's own replies in the list say which follower replies
they answered, without reading those threads again.
"""

from __future__ import annotations

import re
from datetime import datetime
from urllib.parse import quote, urlsplit

from tracker.connectors.api import Api, ApiError, latest_hints, next_link
from tracker.connectors.registry import Reading
from tracker.connectors.social import (
    WINDOW,
    Author,
    SocialPost,
    SocialRead,
    count_or_none,
    parse_moment,
    store,  # noqa: F401 (the connector's store, tracker.connectors.registry)
    threads_due,
)
from tracker.connectors.urls import match_path
from tracker.errors import InvalidInput
from tracker.feeds.content import clean_html, http_url, make_html_cleaner, plain_text
from tracker.feeds.discovery import fediverse_profile
from tracker.feeds.nesting import TooDeep, text_of

MAX_PAGES = 3  # of 40 statuses: the window's posts of a busy account, bounded
PAGE_SIZE = 40  # the API's maximum
# A fediverse name as Mastodon accepts it from other servers (Account::USERNAME_RE):
# letters, digits and _, with dots and hyphens between them (first.last, first-last).
_NAME = r"[A-Za-z0-9_]+(?:[.-]+[A-Za-z0-9_]+)*"
_PROFILE = re.compile(rf"/@({_NAME})/?")
MAX_NAME_LENGTH = 100  # Mastodon's own are at most 30; other servers' may be longer


def source_url(url: str) -> str:
    """Return the canonical profile URL https://host/@name of a profile URL or an address."""
    shape = match_path(fediverse_profile(url) or url, _PROFILE)
    if shape is None or len(shape[2].group(1)) > MAX_NAME_LENGTH:
        raise InvalidInput({"url": "Give the Mastodon profile URL, like https://host/@name."})
    scheme, netloc, match = shape
    return f"{scheme}://{netloc}/@{match.group(1)}"


def _base_and_name(url: str) -> tuple[str, str, str]:
    canonical = source_url(url)
    parts = urlsplit(canonical)
    return f"{parts.scheme}://{parts.netloc}", parts.path[2:], parts.hostname or ""


def _handle(account: dict, host: str) -> str:
    acct = str(account.get("acct") or account.get("username") or "?")
    return f"@{acct}" if "@" in acct else f"@{acct}@{host}"


class _Statuses:
    """Turns statuses into our posts: sanitised against the instance, keyed by id."""

    def __init__(self, base: str, host: str, owner_id: str) -> None:
        self.base, self.host, self.owner_id = base, host, owner_id
        self.cleaner = make_html_cleaner(base)

    def key(self, status_id: object) -> str:
        return f"mastodon:{status_id}"

    def post(self, status: dict, *, reply_to: str | None = None) -> SocialPost:
        content = str(status.get("content") or "")
        try:
            html = clean_html(self.cleaner, content)
        except TooDeep:
            html = ""
        text = plain_text(html, is_html=True) if html else text_of(content)
        account = status.get("account") or {}
        author = None
        if reply_to is not None:
            followers = account.get("followers_count")
            author = Author(
                handle=_handle(account, self.host)[:300],
                name=str(account.get("display_name") or "")[:200],
                followers=count_or_none(followers),
            )
        counts = {
            "replies": count_or_none(status.get("replies_count")) or 0,
            "boosts": count_or_none(status.get("reblogs_count")) or 0,
            "favourites": count_or_none(status.get("favourites_count")) or 0,
        }
        if "quotes_count" in status:  # Mastodon 4.4 and later
            counts["quotes"] = count_or_none(status.get("quotes_count")) or 0
        return SocialPost(
            key=self.key(status["id"]),
            link=http_url(status.get("url") or status.get("uri"), base=self.base),
            text=text,
            html=html,
            published_at=parse_moment(status["created_at"]),
            counts=counts,
            reply_to=reply_to,
            author=author,
        )

    def is_owner(self, status: dict) -> bool:
        return str((status.get("account") or {}).get("id")) == self.owner_id


def _shape_error(what: str, error: Exception) -> ApiError:
    return ApiError(f"the Mastodon API answered {what} in an unexpected shape ({error!s:.120})")


def read(url: str, *, api: Api, now: datetime) -> Reading:
    """Read the account's followers, recent posts and the threads whose replies changed."""
    base, name, host = _base_and_name(url)
    account = api.get_json(f"{base}/api/v1/accounts/lookup?acct={quote(name)}")
    answers = [account]
    try:
        owner_id = str(account.data["id"])
        followers = account.data.get("followers_count")
        title = str(account.data.get("display_name") or account.data.get("username") or "")
    except (KeyError, TypeError, AttributeError) as error:
        raise _shape_error("the account", error) from None
    statuses = _Statuses(base, host, owner_id)
    posts, answered = _read_posts(api, statuses, answers, now=now)
    threads, replies = _read_threads(api, statuses, posts, answered, answers, url=url)
    data = SocialRead(
        title=title,
        followers=count_or_none(followers),
        posts=posts,
        replies=replies,
        answered=frozenset(answered),
        threads=threads,
    )
    return Reading(latest_hints([a.fetched for a in answers]), data)


def _read_posts(api, statuses, answers, *, now):
    posts, answered = [], set()
    page_url = (
        f"{statuses.base}/api/v1/accounts/{quote(statuses.owner_id)}/statuses"
        f"?limit={PAGE_SIZE}&exclude_reblogs=true"
    )
    for _page in range(MAX_PAGES):
        answer = api.get_json(page_url)
        answers.append(answer)
        if not isinstance(answer.data, list):
            raise _shape_error("the statuses", TypeError("not a list"))
        oldest = now
        try:
            for status in answer.data:
                published = parse_moment(status["created_at"])
                oldest = min(oldest, published)
                if status.get("reblog") or published < now - WINDOW:
                    continue
                reply_to = status.get("in_reply_to_id")
                if reply_to is None:
                    posts.append(statuses.post(status))
                elif str(status.get("in_reply_to_account_id")) != statuses.owner_id:
                    answered.add(statuses.key(reply_to))  # the owner answered a follower
        except (KeyError, TypeError, ValueError, AttributeError) as error:
            raise _shape_error("a status", error) from None
        page_url = next_link(answer.fetched)
        # The next page on the same instance only: a Link elsewhere is not followed.
        if page_url is None or not page_url.startswith(f"{statuses.base}/"):
            break
        if oldest < now - WINDOW or not answer.data:
            break
    return posts, answered


def _read_threads(api, statuses, posts, answered, answers, *, url):
    threads, due = threads_due(posts, api.memo)
    replies = []
    for post in due:
        status_id = post.key.removeprefix("mastodon:")
        try:
            answer = api.get_json(f"{statuses.base}/api/v1/statuses/{quote(status_id)}/context")
        except ApiError as error:
            if error.status in (404, 410):
                continue  # deleted since the list was read: the next list will not have it
            raise
        answers.append(answer)
        try:
            for status in answer.data["descendants"]:
                if not statuses.is_owner(status):
                    replies.append(statuses.post(status, reply_to=post.key))
                elif (
                    status.get("in_reply_to_account_id") is not None
                    and str(status["in_reply_to_account_id"]) != statuses.owner_id
                ):
                    answered.add(statuses.key(status["in_reply_to_id"]))
        except (KeyError, TypeError, ValueError, AttributeError) as error:
            raise _shape_error("a thread", error) from None
        threads[post.key] = post.counts["replies"]
    return threads, replies
