#!/usr/bin/env bash
# Run the whole suite on SQLite, then on PostgreSQL when reachable.
# With CI=true PostgreSQL and Chromium are mandatory: missing means failure, not a skip.
set -uo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
PG_URL="${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/test}"
export PG_URL

if [ "${CI:-}" = "true" ]; then
  export JICENG_REQUIRE_BROWSER=1
fi
# Install Debian's Chromium for the browser tests when we can (root); never a downloaded build.
bash scripts/ensure_chromium.sh || [ "${CI:-}" != "true" ] || { echo "Chromium missing in CI"; exit 1; }

# One pytest-xdist worker per CPU (JICENG_TEST_WORKERS=0 runs in one process); the
# browser flows stay together in one worker (jiceng/conftest.py).
PARALLEL=(-n "${JICENG_TEST_WORKERS:-auto}" --dist loadgroup)

status=0
echo "== pytest on SQLite =="
env -u DATABASE_URL "$PY" -m pytest "${PARALLEL[@]}" "$@" || status=$?

if "$PY" - <<'PYEOF'
import os, sys
import psycopg
try:
    psycopg.connect(os.environ["PG_URL"].replace("postgres://", "postgresql://"), connect_timeout=3).close()
except Exception as exc:
    print(f"PostgreSQL not reachable at {os.environ['PG_URL']}: {exc}")
    sys.exit(1)
PYEOF
then
  echo "== pytest on PostgreSQL ($PG_URL) =="
  DATABASE_URL="$PG_URL" "$PY" -m pytest "${PARALLEL[@]}" "$@" || status=$?
elif [ "${CI:-}" = "true" ]; then
  echo "CI=true: PostgreSQL is required but not reachable" >&2
  status=1
else
  echo "== PostgreSQL not reachable: skipped the PostgreSQL pass (set DATABASE_URL) =="
fi
exit $status
