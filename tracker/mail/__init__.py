"""E-mail: backers' subscriptions, the outbox the worker sends from, SMTP or .eml files."""
