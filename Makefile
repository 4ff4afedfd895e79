# Deskbase: `make run` starts it on SQLite with a demo workspace; `make test` runs every check.
# Both install what they need first (uv from PyPI, then the locked dependencies).

PYTHON ?= python3
UV := $(PYTHON) -m uv
UV_VERSION := 0.13.9
export UV_PYTHON_DOWNLOADS := never
export UV_PYTHON_PREFERENCE := only-system
export UV_LINK_MODE := copy

HOST ?= 127.0.0.1
PORT ?= 8000
export DESKBASE_ADMIN_EMAIL ?= admin@example.com
export DESKBASE_ADMIN_PASSWORD ?= deskbase-admin

.PHONY: install run test lint typecheck pytest clean

.venv/.installed: pyproject.toml uv.lock
	@$(UV) --version >/dev/null 2>&1 || $(PYTHON) -m pip install --quiet "uv==$(UV_VERSION)"
	$(UV) sync --frozen
	@touch $@

install: .venv/.installed

run: install
	@echo "Sign in at http://$(HOST):$(PORT) as $(DESKBASE_ADMIN_EMAIL) / $(DESKBASE_ADMIN_PASSWORD)"
	$(UV) run --frozen deskbase serve --demo --host $(HOST) --port $(PORT)

lint: install
	$(UV) run --frozen ruff check src tests bench
	$(UV) run --frozen ruff format --check src tests bench
	$(UV) run --frozen lint-imports

typecheck: install
	$(UV) run --frozen mypy

pytest: install
	$(UV) run --frozen pytest

test: lint typecheck pytest

# The benchmark suite of docs/benchmarks.md (1M rows on SQLite and PostgreSQL; needs wrk).
# A quick run: make bench BENCH_ARGS="--rows 100000 --db sqlite"
.PHONY: bench
bench: install
	$(UV) run --frozen python bench/run.py $(BENCH_ARGS)

clean:
	rm -rf .venv .mypy_cache .pytest_cache .ruff_cache
