"""Decide between a whole page and an htmx fragment; redirect after a POST."""

from flask import make_response, redirect, render_template, request


def wants_fragment() -> bool:
    """Tell whether htmx asked for a fragment (not a boosted link or a history restore)."""
    headers = request.headers
    return (
        headers.get("HX-Request") == "true"
        and headers.get("HX-Boosted") != "true"
        and headers.get("HX-History-Restore-Request") != "true"
    )


def render_page_or_fragment(page: str, fragment: str, status: int = 200, **context):
    """Render the fragment for htmx and the page otherwise, varying on HX-Request."""
    template = fragment if wants_fragment() else page
    response = make_response(render_template(template, **context), status)
    response.vary.add("HX-Request")
    return response


def see_other(url: str):
    """Redirect with 303 so the browser follows with a GET."""
    return redirect(url, code=303)
