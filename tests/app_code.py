"""Compiled code the test run's apps share: Jinja templates and werkzeug's URL builders.

Every test makes a new app, as a server process makes one; the code that app compiles from
the same templates and the same URL rules is the same every time, so the run compiles it once.
"""

from jinja2 import BytecodeCache
from werkzeug.routing import Rule


class SharedTemplateCode(BytecodeCache):
    """Compiled templates kept for the whole run, by name and source checksum."""

    def __init__(self):
        self.code: dict[str, bytes] = {}

    def load_bytecode(self, bucket):
        if (code := self.code.get(bucket.key)) is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket):
        self.code[bucket.key] = bucket.bytecode_to_string()


# Each test's new app would compile every template it renders again (a third of a page's
# cost); the apps of the run share the compiled code, as one server process reuses it.
TEMPLATE_CODE = SharedTemplateCode()


class SharedUrlBuilders:
    """werkzeug's URL builder functions kept for the whole run, by what they are made of."""

    def __init__(self):
        self.builders: dict[tuple, object] = {}
        self.compiled = 0  # builders compiled, not taken from the run's store
        self.original = Rule._compile_builder  # werkzeug's own, for the check of the store

    def install(self) -> None:
        """Let every Rule of the run take its builders from this store."""
        # werkzeug compiles two builders per rule through ast and compile() in every new
        # Map: nine tenths of create_app's time, paid again by each test's app. A builder
        # reads the rule's converters through its bound self when called, so a function
        # made from the same rule text, trace and defaults serves every app's Rule.
        original, store = self.original, self

        def compile_builder(rule, append_unknown=True):
            defaults = rule.defaults or {}
            if any(name in rule._converters for name in defaults):
                return original(rule, append_unknown)  # a default folded in through a converter
            key = (
                rule.rule,
                append_unknown,
                tuple(rule._trace),
                tuple(sorted((name, repr(value)) for name, value in defaults.items())),
            )
            if (builder := store.builders.get(key)) is None:
                builder = store.builders[key] = original(rule, append_unknown)
                store.compiled += 1
            return builder

        Rule._compile_builder = compile_builder


URL_BUILDERS = SharedUrlBuilders()
