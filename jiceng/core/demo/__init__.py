"""Deterministic demo district: territory, residents, party organisations, units, accounts.

Entry points are the ``seed_demo`` and ``demo_accounts`` management commands; the
generator lives in :mod:`jiceng.core.demo.generator`, the account list in
:mod:`jiceng.core.demo.accounts` and the word lists in :mod:`jiceng.core.demo.names`.
"""
