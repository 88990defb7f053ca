# jiceng — the two commands: `make demo` (set up + run the demo) and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
DEMO_ENV := JICENG_ENV=demo
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: demo setup venv test test-sqlite test-postgres bench load lint lock collectstatic worker clean

$(VENV)/.installed: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

venv: $(VENV)/.installed

setup: venv
	mkdir -p var
	$(DEMO_ENV) $(PY) manage.py migrate --noinput
	$(DEMO_ENV) $(PY) manage.py seed_demo --size small --seed 1

demo: setup
	@echo ""
	@echo "== 演示账号 / demo accounts =="
	@$(DEMO_ENV) $(PY) manage.py demo_accounts
	@echo ""
	@echo "== 打开 http://$(HOST):$(PORT)/ 登录 (Ctrl+C 停止) =="
	@HOST=$(HOST) PORT=$(PORT) bash scripts/serve_demo.sh

test: venv
	@bash scripts/run_tests.sh

bench: venv
	@bash scripts/run_bench.sh

# The whole site under load (locust, gunicorn + task worker, PostgreSQL): see the
# docstring of benchmarks/load/run.py; LOAD_ARGS="--size small --workers 2" etc.
load: venv
	$(PY) benchmarks/load/run.py $(LOAD_ARGS)

lint: venv
	$(VENV)/bin/ruff check .

collectstatic: venv
	$(PY) manage.py collectstatic --noinput

worker: venv
	$(PY) manage.py db_worker

lock:
	$(PYTHON) -m venv /tmp/jiceng-lock && /tmp/jiceng-lock/bin/pip install --quiet -r requirements.in
	( echo "# Pinned lock of requirements.in. Regenerate with: make lock"; /tmp/jiceng-lock/bin/pip freeze ) > requirements.txt

clean:
	rm -rf $(VENV) var
