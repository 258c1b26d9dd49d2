"""Backer reports into the pledge ledger, pushed totals and funding figures."""
