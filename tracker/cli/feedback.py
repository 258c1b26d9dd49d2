"""`tracker feedback`: rescore comments after the rules changed, check for spike alerts."""

import sys
import time

import click
from flask.cli import with_appcontext

from tracker.campaigns.campaigns import find_campaign
from tracker.cli import fail_on_bad_input
from tracker.db import get_session
from tracker.errors import NotFound
from tracker.feedback.alert_settings import peek_settings
from tracker.feedback.alerts import alert_entries, current_alert
from tracker.feedback.scoring import RULES_VERSION, plan_rescore, rescore_in_batches
from tracker.models import utcnow

BAD_INPUT = 2  # exit status: 0 calm, 1 alert, 2 the command could not check


@click.group("feedback", help="Score follower feedback and watch for storms of criticism.")
def feedback_group():
    pass


def _campaign(session, slug, *, exit_code=1):
    campaign = find_campaign(session, slug)
    if campaign is None:
        error = fail_on_bad_input(NotFound(f"campaign '{slug}'"))
        error.exit_code = exit_code
        raise error
    return campaign


@feedback_group.command("rescore")
@click.argument("slug", required=False)
@click.option("--all", "everything", is_flag=True, help="Also entries scored by these rules.")
@with_appcontext
def rescore_command(slug, everything):
    """Score again the comments scored under older rules (of one campaign, or all)."""
    session = get_session()
    campaign = _campaign(session, slug) if slug else None
    started = time.perf_counter()
    plan = plan_rescore(session, campaign, everything=everything)
    done = 0
    with click.progressbar(
        length=len(plan.entry_ids), label="rescoring", file=sys.stderr
    ) as progress:
        for batch in rescore_in_batches(session, plan.entry_ids):
            session.commit()  # per batch: an interrupted run keeps what it did
            done += batch
            progress.update(batch)
    click.echo(
        f"rescored {done} comments with rules v{RULES_VERSION}, "
        f"{plan.unchanged} already current, in {time.perf_counter() - started:.1f} s"
    )


@feedback_group.command("alerts")
@click.argument("slug")
@click.option("-q", "--quiet", is_flag=True, help="Print nothing when calm (for cron mail).")
@with_appcontext
def alerts_command(slug, quiet):
    """Print an active spike alert and exit 1; exit 0 when calm, 2 on bad input."""
    session = get_session()
    campaign = _campaign(session, slug, exit_code=BAD_INPUT)
    now = utcnow()
    assessment = current_alert(session, campaign, peek_settings(session, campaign), now=now)
    if not assessment.active:
        if not quiet:
            click.echo(f"{campaign.slug}: {assessment.describe()}")
        return
    click.echo(f"ALERT {campaign.slug}: {assessment.describe()}")
    for entry in alert_entries(session, campaign, now=now)[:20]:
        text = " ".join(entry.text.split())[:160]
        where = f" <{entry.link}>" if entry.link else ""
        click.echo(
            f"- {entry.published_at:%Y-%m-%d %H:%M} UTC {entry.author or '?'} "
            f"[{entry.channel}]: {text}{where}"
        )
    sys.exit(1)


COMMANDS = (feedback_group,)
