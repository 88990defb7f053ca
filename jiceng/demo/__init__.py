"""Deterministic demo district: territory, residents, party organisations, units,
accounts, cases and volunteering.

The top app: it seeds every app below it and nothing imports it. Entry points are
the ``seed_demo`` and ``demo_accounts`` management commands; ``generator`` orders
the parts. The district is written in bulk by ``places``, ``units``, ``people`` and
``party`` (helpers in ``common`` and ``identity``, word lists in ``names``,
``place_names`` and ``unit_names``); ``accounts`` makes the demo users and the
departments; ``registry``, ``cases``, ``volunteer`` and ``volunteer_needs`` add each
app's demo rows through its services. Each module also purges what it seeded.
"""
