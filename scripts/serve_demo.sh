#!/usr/bin/env bash
# Serve the demo: the task worker (imports run there) beside the web server.
set -euo pipefail
cd "$(dirname "$0")/.."
export JICENG_ENV=demo
HOST="${HOST:-127.0.0.1}"
PORT="${PORT:-8000}"
.venv/bin/python manage.py db_worker --interval 1 --no-reload &
worker=$!
trap 'kill "$worker" 2>/dev/null || true' EXIT INT TERM
.venv/bin/python manage.py runserver "$HOST:$PORT"
