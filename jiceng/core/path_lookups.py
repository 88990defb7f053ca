"""Byte-order comparisons of tree paths (core.scope.path_prefix).

PostgreSQL compares strings by the database's collation with < and >=, which a
path index built with the pattern operator class (places.models.PATH_OPCLASS)
cannot serve; its ~<~ and ~>=~ compare bytes and can. SQLite's < and >= compare
bytes already.
"""

from django.db.models import CharField, Lookup


class _PathCompare(Lookup):
    pattern_operator = plain_operator = ""

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        operator = (
            self.pattern_operator
            if connection.vendor == "postgresql"
            else self.plain_operator
        )
        return f"{lhs} {operator} {rhs}", (*lhs_params, *rhs_params)


@CharField.register_lookup
class PathFrom(_PathCompare):
    lookup_name = "path_gte"
    pattern_operator, plain_operator = "~>=~", ">="


@CharField.register_lookup
class PathBefore(_PathCompare):
    lookup_name = "path_lt"
    pattern_operator, plain_operator = "~<~", "<"
