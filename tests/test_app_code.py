"""The run's apps share werkzeug's compiled URL builders and build every URL as werkzeug does."""

from werkzeug.routing.converters import AnyConverter, NumberConverter

from tests.app_code import URL_BUILDERS
from tracker import create_app


def _make_app(tmp_path):
    return create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "k",
            "DATABASE_URL": f"sqlite:///{tmp_path / 'a.sqlite3'}",
            "QUEUE_URL": f"sqlite:///{tmp_path / 'queue.sqlite3'}",
        }
    )


def test_a_new_app_compiles_no_url_builder_again_and_builds_the_same_urls(tmp_path):
    first = _make_app(tmp_path)
    compiled = URL_BUILDERS.compiled
    second = _make_app(tmp_path)
    assert URL_BUILDERS.compiled == compiled
    rules = list(second.url_map.iter_rules())
    assert len(rules) > 50
    for earlier, rule in zip(first.url_map.iter_rules(), rules, strict=True):
        assert rule._build.__func__ is earlier._build.__func__, rule.rule  # the first app's
        values = {
            name: _sample(rule._converters.get(name))
            for name in rule.arguments - set(rule.defaults or {})
        }
        for append_unknown in (False, True):
            own = URL_BUILDERS.original(rule, append_unknown).__get__(rule, None)
            shared = rule._build_unknown if append_unknown else rule._build
            extra = {"page": "2", "q": "ä&"} if append_unknown else {}
            assert shared(**values, **extra) == own(**values, **extra), rule.rule
    for app in (first, second):
        app.extensions["tracker.engine"].dispose()


def _sample(converter):
    if isinstance(converter, NumberConverter):
        return 7
    if isinstance(converter, AnyConverter):
        return sorted(converter.items)[0]
    return "a b/ü"  # quoted by the builder
