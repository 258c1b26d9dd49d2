"""Show flashed messages after htmx requests too, as an out-of-band swap of #flash."""

from flask import Flask, get_flashed_messages, render_template, session

from tracker.views.rendering import wants_fragment


def init_app(app: Flask) -> None:
    """Append pending messages to every htmx fragment the app returns."""
    app.after_request(append_flashes)


def append_flashes(response):
    """Add the pending messages to an HTML fragment, for htmx to swap into #flash."""
    # A redirect or a whole page leaves them to the page that shows them (base.html).
    if not wants_fragment() or response.status_code >= 300 or response.is_streamed:
        return response
    if response.mimetype != "text/html" or not session.get("_flashes"):
        return response
    region = render_template("_flash.html", messages=get_flashed_messages(), oob=True)
    response.set_data(response.get_data() + region.encode())
    return response
