"""Deterministic demo district: territory, residents, party organisations, units,
accounts, cases and volunteering.

The top app: it seeds every app below it and nothing imports it. Entry points are
the ``seed_demo`` and ``demo_accounts`` management commands.
"""
