"""Errors that domain functions raise for bad input, carrying a reason per field."""


class InvalidInput(ValueError):
    """Refuse input with one clear reason per field; nothing was saved."""

    def __init__(self, errors: dict[str, str]):
        self.errors = errors
        super().__init__("; ".join(f"{field}: {reason}" for field, reason in errors.items()))


class NotFound(LookupError):
    """The thing asked for does not exist, or is not visible to the asker."""
