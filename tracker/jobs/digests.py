"""The backers' weekly digest (tracker/mail/digest.py), written by tracker/views/mail_letters.py."""

from __future__ import annotations

import logging

from sqlmodel import Session

from tracker.jobs.registry import JobContext, periodic
from tracker.mail.digest import Compose, queue_digests
from tracker.mail.messages import Letter, with_link
from tracker.models import utcnow
from tracker.views.mail_letters import digest_letter, unsubscribe_urls

log = logging.getLogger(__name__)
# Stands for each subscriber's own link in a digest rendered once per campaign and language.
_MARK = "https://unsubscribe.invalid/digest"


def digest_composer() -> Compose:
    """Return a composer that renders each campaign's digest once per language."""
    rendered: dict[tuple[int, str], Letter] = {}
    link_of = unsubscribe_urls()

    def compose(campaign, week, news, subscriber) -> Letter:
        key = (campaign.id, subscriber.language)
        if key not in rendered:
            rendered[key] = digest_letter(
                campaign, week, news, language=subscriber.language, unsubscribe=_MARK
            )
        return with_link(rendered[key], mark=_MARK, link=link_of(subscriber))

    return compose


# Hourly, not at one minute of the week: see tracker/jobs/team_mail.py.
@periodic("mail.digest", minute="17")
def weekly_digest(context: JobContext) -> None:
    """Queue last week's digest to the subscribers who chose it, once per campaign and week."""
    with Session(context.engine, expire_on_commit=False) as session, context.app_context():
        count = queue_digests(session, now=utcnow(), compose=digest_composer())
        session.commit()
    if count:
        log.info("mail.digest: %s e-mail(s) queued", count)
        context.enqueue("mail.deliver")
