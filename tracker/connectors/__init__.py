"""Connectors: channels whose data comes from a platform's API rather than a feed.

`kinds` names the kinds and tells one from a URL; `registry` finds the module of a kind;
`api` speaks JSON through the guarded fetch; one module per platform reads its API into
our dataclasses (`read`) and stores them (`store`). The feeds poller schedules, claims
and backs off for every kind alike (tracker.feeds.poller).
"""
