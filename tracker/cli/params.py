"""Click parameter types for ids and counts (checked by tracker.validation) and text."""

import click

from tracker.errors import InvalidInput
from tracker.text import strip_forbidden_chars
from tracker.validation import COUNT_MAX, parse_id, parse_int


class IdType(click.ParamType):
    """A database id: ASCII digits from 1 to the largest id the database holds."""

    name = "id"

    def convert(self, value, param, ctx):
        try:
            return parse_id(value, field=param.name if param else "id")
        except InvalidInput as error:
            self.fail(str(error), param, ctx)


class CountType(click.ParamType):
    """A count: ASCII digits from 0 to COUNT_MAX."""

    name = "count"

    def __init__(self, minimum: int = 0, maximum: int = COUNT_MAX) -> None:
        self.minimum = minimum
        self.maximum = maximum

    def convert(self, value, param, ctx):
        try:
            field = param.name if param else "count"
            return parse_int(value, field=field, minimum=self.minimum, maximum=self.maximum)
        except InvalidInput as error:
            self.fail(str(error), param, ctx)


class TextType(click.ParamType):
    """Text to store: the characters XML forbids are dropped, as from every form."""

    name = "text"

    def convert(self, value, param, ctx):
        return strip_forbidden_chars(value)


ID = IdType()
COUNT = CountType()
TEXT = TextType()
