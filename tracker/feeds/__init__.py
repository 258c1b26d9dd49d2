"""Channels and their feeds: fetch safely, parse, store, poll, link to milestones."""
