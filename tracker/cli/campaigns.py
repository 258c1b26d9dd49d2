"""`tracker campaigns` and `tracker milestones`: the same domain functions as the dashboard."""

from pathlib import Path

import click
from flask.cli import with_appcontext

from tracker.accounts.users import find_user
from tracker.campaigns.campaigns import (
    CampaignInput,
    create_campaign,
    find_campaign,
    input_of,
    update_campaign,
)
from tracker.campaigns.hero import check_hero_image, set_hero_image
from tracker.campaigns.milestone_changes import clean_reason
from tracker.campaigns.milestones import (
    MilestoneInput,
    add_milestone,
    change_milestone,
    find_by_tag,
)
from tracker.campaigns.video_thumbnails import request_thumbnail
from tracker.cli import fail_on_bad_input
from tracker.cli.params import TEXT
from tracker.db import get_session
from tracker.errors import InvalidInput, NotFound
from tracker.feeds.milestone_links import relink_milestone
from tracker.media.storage import remove_files
from tracker.models import MILESTONE_STATUSES, PLATFORMS, Actor, utcnow
from tracker.money import format_money, parse_major_amount, to_major
from tracker.validation import parse_day
from tracker.views.media import media_dir
from tracker.views.video_thumbnails import follow_video_change

DATE = click.DateTime(formats=["%Y-%m-%d"])
CLI_ACTOR = Actor(label="cli")


@click.group("campaigns", help="Manage campaigns.")
def campaigns_group():
    pass


@campaigns_group.command("create")
@click.argument("slug")
@click.option("--title", required=True, type=TEXT)
@click.option("--goal", required=True, help="Funding goal in whole currency units.")
@click.option("--currency", required=True, help="ISO 4217 code, e.g. EUR.")
@click.option("--starts", required=True, type=DATE)
@click.option("--ends", required=True, type=DATE)
@click.option("--owner", required=True, help="Email of a registered user.")
@click.option("--tagline", default="", type=TEXT)
@click.option("--platform", type=click.Choice(PLATFORMS), default="other", show_default=True)
@click.option("--language", type=click.Choice(["en", "de"]), default="en", show_default=True)
@click.option("--public", "is_public", is_flag=True, help="Publish it (default: draft).")
@with_appcontext
def create_command(
    slug, title, goal, currency, starts, ends, owner, tagline, platform, language, is_public
):
    """Create a campaign owned by a registered user."""
    session = get_session()
    user = find_user(session, owner)
    try:
        if user is None:
            raise InvalidInput({"owner": f"no registered user '{owner}'"})
        data = CampaignInput(
            slug=slug,
            title=title,
            tagline=tagline,
            goal_minor=_amount(goal, currency, "goal"),
            currency=currency.upper(),
            starts_on=starts.date(),
            ends_on=ends.date(),
            platform=platform,
            language=language,
            is_public=is_public,
        )
        campaign = create_campaign(session, owner=user, data=data)
    except InvalidInput as error:
        raise fail_on_bad_input(error) from None
    session.commit()
    click.echo(f"created campaign {campaign.slug} ({'public' if is_public else 'draft'})")


ON_OFF = click.Choice(["on", "off"])
# option name -> CampaignInput field, for the options that take a value as it is given
PLAIN_SETTINGS = {
    "title": "title",
    "tagline": "tagline",
    "timezone": "timezone",
    "platform_url": "platform_url",
    "late_pledge_url": "late_pledge_url",
    "video_url": "video_url",
    "image_alt": "image_alt",
}
SWITCHES = ("video_embed", "public_feedback", "public_rewards", "attach_report_pdf")


@campaigns_group.command("set")
@click.argument("slug")
@click.option("--title", type=TEXT)
@click.option("--tagline", type=TEXT, help='Short line under the title ("" for none).')
@click.option("--currency", help="ISO 4217 code; refused once pledges exist.")
@click.option("--timezone", help="IANA time zone, e.g. Europe/Berlin (default of a campaign: UTC).")
@click.option("--goal", help="Funding goal in whole currency units.")
@click.option("--ends", help="End date, YYYY-MM-DD.")
@click.option("--platform-url", help='The pledge page: "Back this project" ("" for none).')
@click.option("--late-pledge-url", help="Late-pledge or pre-order page, once it has ended.")
@click.option(
    "--image",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Hero image: a JPEG, PNG or WebP file.",
)
@click.option("--image-alt", type=TEXT, help="What the hero image shows, in a sentence.")
@click.option("--video-url", help='A YouTube or PeerTube video ("" for none).')
@click.option("--video-embed", type=ON_OFF, help="Play the video on the page (default: off).")
@click.option("--public-feedback", type=ON_OFF, help="Show the feedback section.")
@click.option("--public-rewards", type=ON_OFF, help="Show the reward tiers.")
@click.option(
    "--attach-report-pdf", type=ON_OFF, help="Attach the PDF to report e-mails (default: off)."
)
@with_appcontext
def set_campaign_command(slug, currency, goal, ends, image, **settings):
    """Change a campaign's settings, with the dashboard's checks: all or nothing changes."""
    given = {name: value for name, value in settings.items() if value is not None}
    if not given and currency is None and goal is None and ends is None and image is None:
        raise click.UsageError("give at least one of the settings to change (see --help)")
    session = get_session()
    try:
        campaign = _campaign(session, slug)
        # Checked before anything changes: a refused image leaves the campaign as it was.
        hero = check_hero_image(image.read_bytes()) if image is not None else None
        currency = (currency or campaign.currency).strip().upper()
        # Like the form, the goal is read in whole units of the currency it ends up in.
        goal = goal if goal is not None else str(to_major(campaign.goal_minor, campaign.currency))
        changes = {"currency": currency, "goal_minor": _amount(goal, currency, "goal")}
        changes |= {PLAIN_SETTINGS[name]: v for name, v in given.items() if name in PLAIN_SETTINGS}
        changes |= {name: given[name] == "on" for name in SWITCHES if name in given}
        if ends is not None:
            changes["ends_on"] = parse_day(ends, field="ends")
        update_campaign(session, campaign, input_of(campaign, **changes))
    except (InvalidInput, NotFound) as error:
        raise fail_on_bad_input(error) from None
    unused = set_hero_image(session, campaign, hero, media_dir=media_dir()) if hero else []
    thumbnail = request_thumbnail(session, campaign, now=utcnow())
    session.commit()
    remove_files(media_dir(), unused)
    follow_video_change(session, campaign, thumbnail)
    goal_text = format_money(campaign.goal_minor, campaign.currency)
    click.echo(
        f"campaign {campaign.slug}: goal {goal_text}, ends {campaign.ends_on.isoformat()}, "
        f"time zone {campaign.timezone}"
    )
    if thumbnail.fetch_url:
        click.echo("video thumbnail: queued for `tracker worker` to fetch")


@click.group("milestones", help="Manage a campaign's milestones.")
def milestones_group():
    pass


@milestones_group.command("add")
@click.argument("slug")
@click.argument("title", type=TEXT)
@click.option("--due", required=True, type=DATE, help="Planned date, YYYY-MM-DD.")
@click.option(
    "--status", type=click.Choice(MILESTONE_STATUSES), default="planned", show_default=True
)
@click.option("--threshold", help="Funding threshold (stretch goal) in whole currency units.")
@click.option("--tag", type=TEXT, help="Short tag that posts can mention, e.g. beta for #beta.")
@click.option("--progress", type=click.IntRange(0, 100))
@click.option("--private", "is_private", is_flag=True, help="Hide it from the public page.")
@with_appcontext
def add_command(slug, title, due, status, threshold, tag, progress, is_private):
    """Add a milestone at the end of the roadmap."""
    session = get_session()
    try:
        campaign = _campaign(session, slug)
        data = MilestoneInput(
            title=title,
            due_on=due.date(),
            status=status,
            progress=progress,
            tag=tag,
            is_public=not is_private,
            threshold_minor=_amount(threshold, campaign.currency, "threshold")
            if threshold
            else None,
        )
        milestone = add_milestone(session, campaign, data, actor=CLI_ACTOR)
    except (InvalidInput, NotFound) as error:
        raise fail_on_bad_input(error) from None
    relink_milestone(session, milestone)  # updates that already mention it
    session.commit()
    click.echo(f"added milestone {milestone.title!r} to {slug}")


@milestones_group.command("set")
@click.argument("slug")
@click.argument("tag")
@click.option("--status", type=click.Choice(MILESTONE_STATUSES))
@click.option("--due", type=DATE, help="New planned date, YYYY-MM-DD.")
@click.option("--progress", type=click.IntRange(0, 100))
@click.option("--reason", type=TEXT, help="Why the planned date moves; public, with --due.")
@with_appcontext
def set_command(slug, tag, status, due, progress, reason):
    """Change a milestone's status, planned date or progress; changes land in its history."""
    if reason and due is None:
        raise click.UsageError("--reason goes with --due: it says why the planned date moves")
    if status is None and due is None and progress is None:
        raise click.UsageError("give at least one of --status, --due, --progress")
    session = get_session()
    try:
        milestone = find_by_tag(session, _campaign(session, slug), tag)
        change_milestone(
            session,
            milestone,
            status=status,
            due_on=due.date() if due else None,
            progress=progress,
            reason=reason or "",
            actor=CLI_ACTOR,
        )
    except (InvalidInput, NotFound) as error:
        raise fail_on_bad_input(error) from None
    session.commit()
    why = f" ({clean_reason(reason)})" if reason else ""
    click.echo(f"milestone #{milestone.tag}: {milestone.status}, due {milestone.due_on}{why}")


def _campaign(session, slug):
    campaign = find_campaign(session, slug)
    if campaign is None:
        raise NotFound(f"campaign '{slug}'")
    return campaign


def _amount(text, currency, field):
    try:
        return parse_major_amount(text, currency.upper())
    except (ValueError, KeyError) as error:
        raise InvalidInput({field: str(error)}) from None


COMMANDS = (campaigns_group, milestones_group)
