"""The feedback inbox on the dashboard: filter, page, mark reply states, keep private notes,
write the public answer to a question."""

from urllib.parse import parse_qsl

from flask import Blueprint, abort, request, url_for

from tracker.db import get_session
from tracker.errors import InvalidInput, NotFound
from tracker.feedback.inbox import (
    LANGUAGES,
    filter_choices,
    inbox_item,
    inbox_page,
    parse_filter,
)
from tracker.feedback.replies import get_feedback, set_answer, set_note, set_state
from tracker.feedback.rules import CATEGORIES
from tracker.forms import attach_errors
from tracker.forms.feedback import AnswerForm, NoteForm, StateForm
from tracker.models import FEEDBACK_STATES, SENTIMENT_LABELS
from tracker.views.access import team_campaign
from tracker.views.rendering import render_page_or_fragment, see_other, wants_fragment

bp = Blueprint("feedback", __name__, url_prefix="/dashboard/<slug>/feedback")


@bp.get("/")
@team_campaign
def inbox(campaign):
    session = get_session()
    filters = parse_filter(request.args)
    return render_page_or_fragment(
        "feedback/inbox.html",
        "feedback/_list.html",
        campaign=campaign,
        filters=filters,
        inbox=inbox_page(session, campaign, filters),
        choices=filter_choices(session, campaign),
        languages=LANGUAGES,
        labels=SENTIMENT_LABELS,
        categories=CATEGORIES,
        states=FEEDBACK_STATES,
        back=request.query_string.decode("ascii", "replace"),
    )


def _feedback(campaign, entry_id):
    try:
        return get_feedback(get_session(), campaign, entry_id)
    except NotFound:
        abort(404)


def _back_to_inbox(campaign, back: str):
    # Rebuilt from the parsed filter, never echoed: no open redirect through "back".
    filters = parse_filter(dict(parse_qsl(back or "")))
    url = url_for("feedback.inbox", slug=campaign.slug, **filters.query_args())
    return see_other(url)


def _render_item(campaign, feedback, form, *, status=200):
    return render_page_or_fragment(
        "feedback/item.html",
        "feedback/_item.html",
        status,
        campaign=campaign,
        item=inbox_item(get_session(), feedback),
        states=FEEDBACK_STATES,
        back=form.back.data or "",
        note_form=form if isinstance(form, NoteForm) else None,
        answer_form=form if isinstance(form, AnswerForm) else None,
    )


def _item_or_back(campaign, feedback, form):
    if wants_fragment():
        return _render_item(campaign, feedback, form)
    return _back_to_inbox(campaign, form.back.data)


@bp.post("/<int:entry_id>/state")
@team_campaign
def change_state(campaign, entry_id):
    feedback = _feedback(campaign, entry_id)
    form = StateForm()
    if not form.validate_on_submit():
        abort(400)
    session = get_session()
    set_state(session, feedback, form.state.data)
    session.commit()
    return _item_or_back(campaign, feedback, form)


@bp.post("/<int:entry_id>/note")
@team_campaign
def change_note(campaign, entry_id):
    return _save_text(
        campaign, entry_id, NoteForm(), lambda s, f, form: set_note(s, f, form.note.data)
    )


@bp.post("/<int:entry_id>/answer")
@team_campaign
def change_answer(campaign, entry_id):
    return _save_text(
        campaign,
        entry_id,
        AnswerForm(),
        lambda s, f, form: set_answer(s, f, text=form.answer_text.data, url=form.answer_url.data),
    )


def _save_text(campaign, entry_id, form, save):
    """Save a note or an answer with `save(session, feedback, form)`; errors beside the field."""
    feedback = _feedback(campaign, entry_id)
    session = get_session()
    if form.validate_on_submit():
        try:
            save(session, feedback, form)
        except InvalidInput as error:
            attach_errors(form, error.errors)
        else:
            session.commit()
            return _item_or_back(campaign, feedback, form)
    session.rollback()
    return _render_item(campaign, feedback, form, status=422)
