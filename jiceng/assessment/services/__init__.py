"""Assessment's domain rules: every page, API call and command goes through these."""

from . import bulletins, funds, honours, projects, property, supervision  # noqa: F401
