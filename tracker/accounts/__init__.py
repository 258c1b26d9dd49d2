"""Founder accounts: registration, passwords, sessions and login throttling."""
