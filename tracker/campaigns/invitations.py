"""Editors join a team by invitation: the owner invites, the invitee accepts or declines."""

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from tracker.accounts.users import find_user
from tracker.campaigns.campaigns import is_member
from tracker.errors import InvalidInput, NotFound
from tracker.models import Campaign, CampaignInvitation, CampaignMember, User

ALREADY_INVITED = "This user is already invited."


def invite_editor(
    session: Session, campaign: Campaign, *, email: str, invited_by: int
) -> CampaignInvitation:
    """Invite a registered user to the campaign's team; nothing changes until they accept."""
    user_id = _check_invitee(session, campaign, email, invited_by)
    invitation = CampaignInvitation(campaign_id=campaign.id, user_id=user_id, invited_by=invited_by)
    session.add(invitation)
    try:
        session.flush()
    except IntegrityError:
        # The owner's second tab invited the same person after our check: the failed flush
        # ended the transaction, so roll back and answer as the check would have.
        session.rollback()
        _check_invitee(session, campaign, email, invited_by)
        raise
    return invitation


def _check_invitee(session: Session, campaign: Campaign, email: str, invited_by: int) -> int:
    if campaign.owner_id != invited_by:
        raise InvalidInput({"team": "Only the owner can invite editors."})
    user = find_user(session, email or "")
    if user is None:
        raise InvalidInput({"email": "No registered user has this email."})
    if is_member(session, campaign, user.id):
        raise InvalidInput({"email": "This user is already on the team."})
    if _invitation_of(session, campaign.id, user.id) is not None:
        raise InvalidInput({"email": ALREADY_INVITED})
    return user.id


def _invitation_of(session, campaign_id: int, user_id: int) -> CampaignInvitation | None:
    query = select(CampaignInvitation).where(
        CampaignInvitation.campaign_id == campaign_id, CampaignInvitation.user_id == user_id
    )
    return session.exec(query).first()


def invitations_for(
    session: Session, user_id: int
) -> list[tuple[CampaignInvitation, Campaign, User]]:
    """Return the user's open invitations with their campaign and who sent them, newest first."""
    rows = session.exec(
        select(CampaignInvitation, Campaign, User)
        .join(Campaign, Campaign.id == CampaignInvitation.campaign_id)
        .join(User, User.id == CampaignInvitation.invited_by)
        .where(CampaignInvitation.user_id == user_id)
        .order_by(CampaignInvitation.created_at.desc(), CampaignInvitation.id.desc())
    )
    return list(rows)


def pending_invitees(session: Session, campaign: Campaign) -> list[User]:
    """Return the users invited to the campaign's team who have not answered yet."""
    rows = session.exec(
        select(User)
        .join(CampaignInvitation, CampaignInvitation.user_id == User.id)
        .where(CampaignInvitation.campaign_id == campaign.id)
        .order_by(User.email)
    )
    return list(rows)


def accept_invitation(session: Session, invitation_id: int, *, user_id: int) -> Campaign:
    """Join the team the invitation is for; NotFound unless it is the user's own."""
    invitation = _own_invitation(session, invitation_id, user_id)
    campaign = session.get(Campaign, invitation.campaign_id)
    if not is_member(session, campaign, user_id):
        session.add(CampaignMember(campaign_id=campaign.id, user_id=user_id, role="editor"))
    session.delete(invitation)
    try:
        session.flush()
    except IntegrityError:
        # A second click accepted at the same time: the user is on the team all the same.
        session.rollback()
        if not is_member(session, campaign, user_id):
            raise
    return campaign


def decline_invitation(session: Session, invitation_id: int, *, user_id: int) -> None:
    """Drop the invitation; NotFound unless it is the user's own."""
    session.delete(_own_invitation(session, invitation_id, user_id))
    session.flush()


def _own_invitation(session, invitation_id: int, user_id: int) -> CampaignInvitation:
    invitation = session.get(CampaignInvitation, invitation_id)
    if invitation is None or invitation.user_id != user_id:
        raise NotFound(invitation_id)
    return invitation
