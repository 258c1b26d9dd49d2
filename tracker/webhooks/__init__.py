"""Webhooks: a campaign's news sent to Discord, Slack or any JSON receiver.

`hooks` keeps a campaign's hooks; `events` turns new updates, milestone changes and
published reports into deliveries; `delivery` sends them from the worker, retried with
backoff and logged; `messages` formats each kind's body; `signing` documents and
implements the HMAC-SHA256 signature of the json kind.
"""
