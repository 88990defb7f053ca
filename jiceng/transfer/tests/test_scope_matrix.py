"""Transfer in the shared scope matrix: it has no scoped model of its own.

Import jobs (and their rejected rows) belong to the person who started them, not
to a place: someone else's job is 404 (transfer.views, tests in people's import
tests). The exports at /transfer/export/<kind>.xlsx list other apps' rows and are
checked with them, in people's and party's test_scope_matrix.py.
"""

SURFACES: list = []
