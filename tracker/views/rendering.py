"""Decide between a whole page and an htmx fragment; redirect after a POST."""

from flask import current_app, make_response, redirect, render_template, request

# A standalone SVG (a pygal chart, the badge) keeps its own <style> and never runs script.
SVG_POLICY = "default-src 'none'; style-src 'unsafe-inline'"


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


def svg_response(svg: str):
    """Serve a standalone SVG under the SVG policy."""
    response = current_app.response_class(svg, mimetype="image/svg+xml")
    return with_svg_policy(response)


def with_svg_policy(response):
    """Let a standalone SVG response apply its own styles, and nothing else."""
    response.headers["Content-Security-Policy"] = SVG_POLICY
    return response
