"""Migration operations that apply on PostgreSQL only."""

from django.db import migrations


class AddConstraintOnPostgres(migrations.AddConstraint):
    """AddConstraint for a PostgreSQL-only constraint (an exclusion constraint).

    The model state holds the constraint on every engine, so makemigrations sees
    no change; only PostgreSQL's schema gets it. SQLite has no equivalent: there
    the booking service serialises its overlap check (BEGIN IMMEDIATE).
    """

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)

    def describe(self):
        return f"{super().describe()} (PostgreSQL only)"
