"""URL converters: an id in a route is a database id, or the route does not match (404)."""

from flask import Flask
from werkzeug.routing import IntegerConverter

from tracker.validation import ID_MAX


class IdConverter(IntegerConverter):
    """Match only ASCII digits from 1 to ID_MAX: larger values are 404, never a 500."""

    regex = r"[0-9]+"

    def __init__(self, map, *args, **kwargs):
        kwargs.setdefault("min", 1)
        kwargs.setdefault("max", ID_MAX)
        super().__init__(map, *args, **kwargs)


def init_app(app: Flask) -> None:
    """Make `<int:...>` in every route a bounded database id."""
    app.url_map.converters["int"] = IdConverter
