"""Flat defaults; every key can be overridden with a TRACKER_* environment variable."""

DATABASE_URL = None  # None: a SQLite file in the instance folder
SECRET_KEY = None  # required to serve; only `tracker run --debug` makes one up when unset
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = True  # relaxed by `tracker run --debug` and in tests only
REMEMBER_COOKIE_HTTPONLY = True
REMEMBER_COOKIE_SAMESITE = "Lax"
MAX_CONTENT_LENGTH = 50 * 1024 * 1024  # uploads: backer reports, OPML
# A backer report with no row in the campaign's currency waits here (up to an hour) for
# the founder to confirm it. None: held-uploads/ in the instance folder.
HELD_UPLOADS_DIR = None
# Hero images and video thumbnails, resized (tracker/media/): served at
# /media/<content-hash>-<width>.webp with a year's caching. None: media/ in the instance
# folder. Back it up with the database.
MEDIA_DIR = None
# The worker fetches a YouTube video's thumbnail from <this>/<video id>/hqdefault.jpg (a
# PeerTube one from its instance's /api/v1/videos/<id>); the page serves it from /media/.
YOUTUBE_THUMBNAIL_URL = "https://i.ytimg.com/vi"
WTF_CSRF_TIME_LIMIT = None  # tied to the session instead of a clock
# Logins (tracker/accounts/login_throttle.py): failures per (email, address) within the window; past
# LOGIN_BACKOFF_AFTER failures on one email from anywhere, each try waits 1, 2, 4 ... seconds
# up to LOGIN_BACKOFF_MAX_SECONDS; one address gets LOGIN_MAX_ADDRESS_FAILURES over all emails.
LOGIN_MAX_FAILURES = 5
LOGIN_WINDOW_SECONDS = 15 * 60
LOGIN_BACKOFF_AFTER = 5
LOGIN_BACKOFF_MAX_SECONDS = 300
LOGIN_MAX_ADDRESS_FAILURES = 30
# How many reverse proxies in front of the app append to X-Forwarded-For/-Proto. 0: none;
# the headers are then ignored, as any client can send them.
PROXY_COUNT = 0
BABEL_DEFAULT_LOCALE = "en"
LANGUAGES = ("en", "de")
# Feeds: private, loopback and link-local addresses are refused unless allowed (intranets,
# tests); FEED_ALLOWED_HOSTS lets named hosts through (comma-separated in the environment).
ALLOW_PRIVATE_FEEDS = False
FEED_ALLOWED_HOSTS = ""
FEED_POLL_WORKERS = 4
# Every channel is polled and listed: one OPML file of 50,000 outlines made 50,000 channels.
MAX_CHANNELS_PER_CAMPAIGN = 200
# Connectors (tracker/connectors/): BLUESKY_API_URL, OPENCOLLECTIVE_API_URL, HN_API_URL,
# GITHUB_API_URL and YOUTUBE_API_URL move a fixed-host API (tests, a proxy); unset, the
# public hosts in tracker.feeds.fetch_policy.API_URLS. Instance-relative APIs (Mastodon,
# Kickstarter's stats.json) are derived from the channel's URL instead. YOUTUBE_API_KEY
# (YouTube Data API v3, optional): comments on a youtube channel's videos become feedback.
YOUTUBE_API_KEY = None
# GITHUB_TOKEN (optional): sent as "Authorization: Bearer" to GITHUB_API_URL's origin only
# (5,000 requests an hour instead of 60); never after a redirect to another origin.
GITHUB_TOKEN = None
# Background jobs (tracker/jobs/): the queue `tracker worker` takes them from. None: a
# SQLite file beside a SQLite database (else queue.sqlite3 in the instance folder), for one
# worker process; postgresql://user:password@host/database lets N workers share one queue.
QUEUE_URL = None
WORKER_THREADS = 4  # jobs one worker process runs at once (`tracker worker --threads`)
# Webhooks (tracker/webhooks/): each POST may take this long; their URLs obey the feeds'
# address rule (ALLOW_PRIVATE_FEEDS, FEED_ALLOWED_HOSTS).
WEBHOOK_TIMEOUT_SECONDS = 10
# E-mail (tracker/mail/): smtp://host:port, smtps://host:port or smtp+starttls://host:port,
# optionally user:password@. None: messages are written as .eml files to MAIL_DIR (None:
# mail/ in the instance folder), listed at /dev/mail when debugging or with DEV_MAIL.
SMTP_URL = None
MAIL_FROM = None  # the From address; None: tracker@<host of PUBLIC_URL>
MAIL_DIR = None
DEV_MAIL = False
MAIL_BATCH_SIZE = 100  # messages one worker claims at once
MAIL_LEASE_SECONDS = 300  # a claim older than this (its worker died) is taken over
MAIL_RETRY_SECONDS = 60  # first retry after a 4xx; doubling each time, at most 6 hours
MAIL_MAX_ATTEMPTS = 10
PUBLIC_MICROCACHE_SECONDS = 2  # anonymous public responses reused this long (0: never)
# Reports: WeasyPrint has no time limit of its own; a render running longer is stopped.
# Keep it well below the server's worker timeout (gunicorn.conf.py: 60 s), or the server
# kills the worker first and the founder gets a bare 502 instead of the clear message.
REPORT_TIMEOUT_SECONDS = 20
# The public address every absolute URL is built from (canonical, Open Graph, JSON-LD, API,
# Atom, sitemap, reports), e.g. https://tracker.example; never the request's Host header.
# Unset: https:// and SERVER_NAME or the first TRUSTED_HOSTS entry; `tracker run --debug`
# uses http://host:port; serving without any of them is refused.
PUBLIC_URL = None
# Host names the app answers to; any other Host header gets 400 (comma-separated in the
# environment, a leading dot allows a domain's subdomains). None: every host.
TRUSTED_HOSTS = None
