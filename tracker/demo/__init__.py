"""The demo campaign, loaded from files shipped in this package."""
