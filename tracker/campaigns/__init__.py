"""Campaigns, their team, milestones and the public timeline."""
