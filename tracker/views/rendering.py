"""Decide between a whole page and an htmx fragment; redirect after a POST."""

from flask import current_app, make_response, redirect, render_template
from flask_htmx import HTMX

# What htmx asked for (HX-Request, HX-Boosted, HX-History-Restore-Request), read by
# flask-htmx; views.register_blueprints wires it to the app.
htmx = HTMX()
# A standalone SVG (a chart, the badge) keeps its own styles and never runs script.
SVG_POLICY = "default-src 'none'; style-src 'unsafe-inline'"


def wants_fragment() -> bool:
    """Tell whether htmx asked for a fragment (not a boosted link or a history restore)."""
    return bool(htmx) and not htmx.boosted and not htmx.history_restore_request


def render_page_or_fragment(page: str, fragment: str, status: int = 200, **context):
    """Render the fragment for htmx and the page otherwise, varying on HX-Request."""
    template = fragment if wants_fragment() else page
    response = make_response(render_template(template, **context), status)
    response.vary.add("HX-Request")
    return response


def see_other(url: str):
    """Redirect with 303 so the browser follows with a GET."""
    return redirect(url, code=303)


def svg_response(svg: str):
    """Serve a standalone SVG under the SVG policy."""
    response = current_app.response_class(svg, mimetype="image/svg+xml")
    return with_svg_policy(response)


def with_svg_policy(response):
    """Let a standalone SVG response apply its own styles, and nothing else."""
    response.headers["Content-Security-Policy"] = SVG_POLICY
    return response
