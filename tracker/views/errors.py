"""Error pages: a clear message, never a stack trace."""

from flask import Flask, current_app, jsonify, make_response, render_template, request
from flask_wtf.csrf import CSRFError

from tracker.views.rendering import wants_fragment

MESSAGES = {
    400: "The request could not be understood.",
    401: "This needs a signed-in user or a valid API token.",
    403: "You may not do this.",
    404: "There is nothing here, or it is not yours to see.",
    405: "This address does not accept that kind of request.",
    413: "The upload is larger than the limit.",
    429: "Too many attempts. Wait a few minutes, then try again.",
    500: "Something went wrong on our side. Nothing was changed.",
}


def init_app(app: Flask) -> None:
    """Render every error code in MESSAGES with the error page."""
    for code in MESSAGES:
        app.register_error_handler(code, _render_error)
    app.register_error_handler(CSRFError, _render_csrf_error)


def _render_error(error):
    code = getattr(error, "code", 500) or 500
    message = MESSAGES.get(code, MESSAGES[500])
    if code == 413:
        limit = int(current_app.config["MAX_CONTENT_LENGTH"]) // 2**20
        message = f"The upload is larger than the limit of {limit} MB."
    return _error_response(code, message)


def _render_csrf_error(error):
    message = f"The form expired or did not come from this site ({error.description}) Reload it."
    return _error_response(400, message)


def _error_response(code: int, message: str):
    if request.path.startswith("/api/"):
        # Scripts read the API: its errors are JSON like its answers, routing ones too.
        return jsonify(error=message, status=code), code
    if not wants_fragment():
        return render_template("errors/error.html", code=code, message=message), code
    # htmx swaps error responses too (see base.html): show the message in the flash region.
    response = make_response(render_template("errors/_message.html", message=message), code)
    response.headers["HX-Retarget"] = "#flash"
    response.headers["HX-Reswap"] = "innerHTML"
    return response
