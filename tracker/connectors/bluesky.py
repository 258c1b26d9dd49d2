"""Bluesky: an account's posts through the public AppView (TRACKER_BLUESKY_API_URL).

One poll: app.bsky.actor.getProfile (the followers count), app.bsky.feed.getAuthorFeed
(own posts with their replies, reposts, likes and quotes counts; pages followed by the
cursor while they are inside the window), app.bsky.feed.getPostThread only for a post
whose replies count changed since its thread was last read (the channel's memo), at most
MAX_THREADS a poll, and app.bsky.actor.getProfiles for the follower counts of the
replies' authors, 25 authors a call (a thread view does not carry them). The owner's
own replies in the feed say which follower replies they answered.
"""

from __future__ import annotations

import re
from datetime import datetime
from urllib.parse import quote, urlencode, urlsplit

from tracker.connectors.api import Api, ApiError, latest_hints
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
from tracker.errors import InvalidInput
from tracker.feeds.content import plain_text_to_html

MAX_PAGES = 3  # of 50 feed items
PAGE_SIZE = 50
THREAD_DEPTH = 6  # levels of replies below a post
PROFILES_PER_CALL = 25  # the API's maximum
MAX_TEXT = 3000  # a post is at most 300 graphemes: anything longer is not a post
_PROFILE = re.compile(r"/profile/([A-Za-z0-9._:-]{1,253})/?")
_THREAD_VIEW = "app.bsky.feed.defs#threadViewPost"


def source_url(url: str) -> str:
    """Return https://bsky.app/profile/<handle or did>; InvalidInput for another shape."""
    text = url.strip()
    try:
        parts = urlsplit(text if "://" in text else f"https://{text}")
    except ValueError:
        parts = None
    match = _PROFILE.fullmatch(parts.path) if parts and parts.hostname else None
    if match is None:
        raise InvalidInput(
            {"url": "Give the Bluesky profile URL, like https://bsky.app/profile/name.bsky.social."}
        )
    return f"https://bsky.app/profile/{match.group(1)}"


def _did_of(uri: str) -> str:
    # at://did:plc:abc/app.bsky.feed.post/rkey: the repository is the author.
    return uri.removeprefix("at://").split("/", 1)[0]


def _shape_error(what: str, error: Exception) -> ApiError:
    return ApiError(f"the Bluesky API answered {what} in an unexpected shape ({error!s:.120})")


class _Xrpc:
    def __init__(self, api: Api) -> None:
        self.api, self.base = api, api.base_url("bluesky").rstrip("/")
        self.answers = []

    def get(self, method: str, params: list[tuple[str, str]]):
        answer = self.api.get_json(f"{self.base}/xrpc/{method}?{urlencode(params)}")
        self.answers.append(answer)
        if not isinstance(answer.data, dict):
            raise _shape_error(method, TypeError("not an object"))
        return answer.data


def _post(view: dict, *, reply_to: str | None = None, author: Author | None = None) -> SocialPost:
    record = view["record"]
    text = " ".join(str(record.get("text") or "")[:MAX_TEXT].split())
    handle = str(view["author"].get("handle") or "")
    rkey = str(view["uri"]).rsplit("/", 1)[-1]
    return SocialPost(
        key=str(view["uri"]),
        link=f"https://bsky.app/profile/{quote(handle)}/post/{quote(rkey)}" if handle else None,
        text=text,
        html=plain_text_to_html(str(record.get("text") or "")[:MAX_TEXT]),
        published_at=parse_moment(record["createdAt"]),
        counts={
            "replies": count_or_none(view.get("replyCount")) or 0,
            "reposts": count_or_none(view.get("repostCount")) or 0,
            "likes": count_or_none(view.get("likeCount")) or 0,
            "quotes": count_or_none(view.get("quoteCount")) or 0,
        },
        reply_to=reply_to,
        author=author,
    )


def read(url: str, *, api: Api, now: datetime) -> Reading:
    """Read the account's followers, recent posts and the threads whose replies changed."""
    actor = source_url(url).rsplit("/", 1)[-1]
    xrpc = _Xrpc(api)
    profile = xrpc.get("app.bsky.actor.getProfile", [("actor", actor)])
    try:
        owner = str(profile["did"])
        followers = profile.get("followersCount")
        title = str(profile.get("displayName") or profile.get("handle") or "")
    except (KeyError, TypeError, AttributeError) as error:
        raise _shape_error("the profile", error) from None
    posts, answered = _read_posts(xrpc, owner, now=now)
    threads, found = _read_threads(xrpc, owner, posts, answered)
    replies = _with_followers(xrpc, found)
    data = SocialRead(
        title=title,
        followers=count_or_none(followers),
        posts=posts,
        replies=replies,
        answered=frozenset(answered),
        threads=threads,
    )
    return Reading(latest_hints([a.fetched for a in xrpc.answers]), data)


def _read_posts(xrpc: _Xrpc, owner: str, *, now: datetime):
    posts, answered, cursor = [], set(), None
    for _page in range(MAX_PAGES):
        params = [("actor", owner), ("limit", str(PAGE_SIZE)), ("filter", "posts_with_replies")]
        page = xrpc.get(
            "app.bsky.feed.getAuthorFeed", params + ([("cursor", cursor)] if cursor else [])
        )
        oldest = now
        try:
            for item in page["feed"]:
                view = item["post"]
                if item.get("reason") or view["author"].get("did") != owner:
                    continue  # a repost of someone else's post
                published = parse_moment(view["record"]["createdAt"])
                oldest = min(oldest, published)
                if published < now - WINDOW:
                    continue
                parent = ((view["record"].get("reply") or {}).get("parent") or {}).get("uri")
                if parent is None:
                    posts.append(_post(view))
                elif _did_of(str(parent)) != owner:
                    answered.add(str(parent))  # the owner answered a follower
        except (KeyError, TypeError, ValueError, AttributeError) as error:
            raise _shape_error("the author feed", error) from None
        cursor = page.get("cursor")
        if not cursor or not page["feed"] or oldest < now - WINDOW:
            break
    return posts, answered


def _walk(view: dict, depth: int = 0):
    """Yield the thread views below `view`, depth first; skip deleted and blocked posts."""
    for child in view.get("replies") or ():
        viewable = isinstance(child, dict) and child.get("$type", _THREAD_VIEW) == _THREAD_VIEW
        if viewable and "post" in child:
            yield child["post"]
            if depth < THREAD_DEPTH:
                yield from _walk(child, depth + 1)


def _read_threads(xrpc: _Xrpc, owner: str, posts: list[SocialPost], answered: set[str]):
    threads, due = threads_due(posts, xrpc.api.memo)
    found: list[tuple[dict, str]] = []
    for post in due:
        params = [("uri", post.key), ("depth", str(THREAD_DEPTH)), ("parentHeight", "0")]
        try:
            data = xrpc.get("app.bsky.feed.getPostThread", params)
        except ApiError as error:
            if error.status in (400, 404, 410):
                continue  # the AppView's NotFound: deleted since the feed was read
            raise
        thread = data.get("thread")
        if not isinstance(thread, dict) or thread.get("$type") != _THREAD_VIEW:
            continue  # a notFoundPost or blockedPost at the top
        try:
            for view in _walk(thread):
                if view["author"].get("did") != owner:
                    found.append((view, post.key))
                else:
                    parent = ((view["record"].get("reply") or {}).get("parent") or {}).get("uri")
                    if parent and _did_of(str(parent)) != owner:
                        answered.add(str(parent))
        except (KeyError, TypeError, AttributeError) as error:
            raise _shape_error("a thread", error) from None
        threads[post.key] = post.counts["replies"]
    return threads, found


def _with_followers(xrpc: _Xrpc, found: list[tuple[dict, str]]) -> list[SocialPost]:
    """Return the replies as posts, each author with the follower count getProfiles gives."""
    dids = sorted({str(view["author"].get("did")) for view, _key in found})
    followers: dict[str, int] = {}
    for start in range(0, len(dids), PROFILES_PER_CALL):
        chunk = dids[start : start + PROFILES_PER_CALL]
        data = xrpc.get("app.bsky.actor.getProfiles", [("actors", did) for did in chunk])
        for profile in data.get("profiles") or ():
            count = profile.get("followersCount") if isinstance(profile, dict) else None
            if isinstance(count, int) and count >= 0:
                followers[str(profile.get("did"))] = count
    replies = []
    try:
        for view, key in found:
            person = view["author"]
            author = Author(
                handle=f"@{person.get('handle') or person.get('did')}"[:300],
                name=str(person.get("displayName") or "")[:200],
                followers=followers.get(str(person.get("did"))),
            )
            replies.append(_post(view, reply_to=key, author=author))
    except (KeyError, TypeError, ValueError, AttributeError) as error:
        raise _shape_error("a reply", error) from None
    return replies
