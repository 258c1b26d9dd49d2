"""The founder's reply queue: where a comment stands (new, needs a reply, answered,
ignored), the team's private note on it and its public answer."""

from sqlmodel import Session

from tracker.errors import InvalidInput, NotFound
from tracker.models import FEEDBACK_STATES, Campaign, Feedback, utcnow
from tracker.text import strip_forbidden_chars
from tracker.validation import parse_web_address

MAX_NOTE_LENGTH = 5000
MAX_ANSWER_LENGTH = 2000


def get_feedback(session: Session, campaign: Campaign, entry_id: int) -> Feedback:
    """Return the campaign's feedback on this entry; NotFound for any other."""
    feedback = session.get(Feedback, entry_id)
    if feedback is None or feedback.campaign_id != campaign.id:
        raise NotFound(f"feedback {entry_id}")
    return feedback


def set_state(session: Session, feedback: Feedback, state: str) -> Feedback:
    """Move a feedback entry in the reply queue: new, needs_reply, answered or ignored."""
    if state not in FEEDBACK_STATES:
        raise InvalidInput({"state": f"Choose one of: {', '.join(FEEDBACK_STATES)}."})
    if feedback.state != state:
        feedback.state, feedback.state_changed_at = state, utcnow()
        session.add(feedback)
        session.flush()
    return feedback


def set_note(session: Session, feedback: Feedback, note: str) -> Feedback:
    """Replace the team's private note on a feedback entry."""
    note = (note or "").strip()
    if len(note) > MAX_NOTE_LENGTH:
        raise InvalidInput({"note": f"Use at most {MAX_NOTE_LENGTH} characters."})
    feedback.note = note
    session.add(feedback)
    session.flush()
    return feedback


def set_answer(session: Session, feedback: Feedback, *, text: str, url: str) -> Feedback:
    """Replace the team's public answer: the reply's words, a link to it, or both."""
    text = " ".join((strip_forbidden_chars(text) or "").split())
    if len(text) > MAX_ANSWER_LENGTH:
        raise InvalidInput({"answer_text": f"Use at most {MAX_ANSWER_LENGTH} characters."})
    feedback.answer_url = parse_web_address(url, field="answer_url") or None
    feedback.answer_text = text
    # The public pages' freshness stamp follows reply-state changes: an answer is one.
    feedback.state_changed_at = utcnow()
    session.add(feedback)
    session.flush()
    return feedback
