"""Click parameter types for ids and counts, checked by tracker.validation."""

import click

from tracker.errors import InvalidInput
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


ID = IdType()
COUNT = CountType()
