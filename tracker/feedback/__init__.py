"""Follower feedback: language, sentiment, categories, inbox, alerts, figures."""
