#!/usr/bin/env bash
# Run every benchmark in benchmarks/ (each *.py not starting with "_"): on SQLite, then
# on PostgreSQL when reachable. Figures print as they are measured and are written to
# benchmarks/results/<name>.json (one section per engine).
#
# Sizes are small by default: foundation, import_residents and reconcile take 10–15
# minutes on 2 cores (the first run also seeds and caches the demo databases); other
# benchmarks add their own. BENCH_FULL=1 runs the issues' sizes (1,000,000-row imports
# in CSV and xlsx, a 100k django-import-export subset, 400 samples per latency): about
# 50 minutes for those three. Figures and findings: docs/performance.md.
#
# Environment:
#   BENCH_FULL=1           the full sizes above
#   BENCH_ROWS=N           rows of the generated resident file (default 20000)
#   BENCH_IEX_ROWS=N       rows given to django-import-export (default BENCH_ROWS/10)
#   BENCH_IMPORT_FORMATS   "csv,xlsx" (default) or one of them
#   BENCH_ROSTER=N         people per roster in the reconciliation (default 100000)
#   BENCH_SAMPLES=N        requests/queries per latency figure (default 150)
#   BENCH_ENGINES          "sqlite postgres" (default; postgres only when reachable)
#   BENCH_PG_URL           PostgreSQL server and database (default
#                          postgres://postgres@127.0.0.1:5432/bench; created if missing)
#   BENCH_ONLY="a b"       run only benchmarks/a.py and b.py
#   BENCH_TMP=dir          scratch databases and files (default /tmp/jiceng-bench)
#
# A benchmark that does not use the database says so with the line
# "# bench: engine-independent" and runs once. Cached seeded databases and generated
# files live in benchmarks/.data (gitignored); delete it to start from nothing.
set -uo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
export BENCH_PG_URL="${BENCH_PG_URL:-postgres://postgres@127.0.0.1:5432/bench}"
export BENCH_TMP="${BENCH_TMP:-/tmp/jiceng-bench}"
export JICENG_ENV=demo DJANGO_DEBUG=0 JICENG_VAR_DIR="$BENCH_TMP/var"
mkdir -p "$BENCH_TMP/var" benchmarks/results benchmarks/.data

# Benchmark-only packages, installed into the project's venv when missing.
if ! "$PY" -c "import import_export, recordlinkage" 2>/dev/null; then
  echo "== installing requirements-bench.txt =="
  "$PY" -m pip install --quiet -r requirements-bench.txt \
    || "$PY" -m pip install --quiet "$(grep -i '^django-import-export' requirements-bench.txt)" \
    || { echo "cannot install django-import-export" >&2; exit 1; }
fi

engines=()
for engine in ${BENCH_ENGINES:-sqlite postgres}; do
  if [ "$engine" = postgres ]; then
    if "$PY" -c "import sys; sys.path.insert(0, 'benchmarks'); import _common as b; sys.exit(0 if b.pg_reachable() else 1)"; then
      engines+=(postgres)
    else
      echo "== PostgreSQL not reachable at $BENCH_PG_URL: PostgreSQL runs skipped =="
    fi
  else
    engines+=("$engine")
  fi
done

started=$(date +%s)
failed=()
for script in benchmarks/*.py; do
  name=$(basename "$script" .py)
  case "$name" in _*) continue ;; esac
  if [ -n "${BENCH_ONLY:-}" ] && [[ " ${BENCH_ONLY//,/ } " != *" $name "* ]]; then continue; fi
  if grep -q "^# bench: engine-independent" "$script"; then
    runs=(none)
  else
    runs=("${engines[@]}")
  fi
  for engine in "${runs[@]}"; do
    if [ "$engine" = postgres ]; then
      url="$BENCH_PG_URL"
    else
      url="sqlite:///$BENCH_TMP/bench.sqlite3"
    fi
    label="$name on $engine"
    [ "$engine" = none ] && label="$name (no database engine)"
    echo ""
    echo "######## $label ########"
    t0=$(date +%s)
    if [ "$engine" = none ]; then
      env BENCH_ENGINE=sqlite DATABASE_URL="$url" "$PY" "$script" || failed+=("$name")
    else
      env BENCH_ENGINE="$engine" DATABASE_URL="$url" "$PY" "$script" || failed+=("$name/$engine")
    fi
    echo "######## $label: $(( $(date +%s) - t0 )) s ########"
  done
done

echo ""
echo "== benchmarks done in $(( $(date +%s) - started )) s; results in benchmarks/results/ =="
if [ ${#failed[@]} -gt 0 ]; then
  echo "failed: ${failed[*]}" >&2
  exit 1
fi
