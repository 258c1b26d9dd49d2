"""The app's in-memory caches: one implementation, created with the app (#11)."""

import threading

from tests.factories import make_campaign
from tracker.caches import LruCache

CACHES = ("tracker.rendered_bodies", "tracker.microcache", "tracker.funding_cache")


def test_the_app_creates_its_caches_before_the_first_request(app, client, session):
    app.config["PUBLIC_MICROCACHE_SECONDS"] = 60
    made = {name: app.extensions[name] for name in CACHES}
    assert {type(cache) for cache in made.values()} == {LruCache}
    campaign = make_campaign(session)
    assert client.get(f"/c/{campaign.slug}").status_code == 200
    assert {name: app.extensions[name] for name in CACHES} == made
    # each one was used by the request, and kept
    assert all(made[name] is app.extensions[name] for name in CACHES)
    assert [len(cache) for cache in made.values()] == [1, 1, 1]


def test_the_least_recently_used_entry_goes_first():
    cache = LruCache(2)
    cache.put("a", 1)
    cache.put("b", 2)
    assert cache.get("a") == 1
    cache.put("c", 3)
    assert (cache.get("a"), cache.get("b"), cache.get("c")) == (1, None, 3)
    assert len(cache) == 2


def test_threads_share_one_cache_without_losing_its_bound():
    cache = LruCache(50)

    def fill(start):
        for key in range(start, start + 1000):
            cache.put(key, key)
            cache.get(key - 1)

    threads = [threading.Thread(target=fill, args=(n * 1000,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(cache) == 50
