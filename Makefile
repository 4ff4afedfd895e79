# Deskbase: `make run` starts it on SQLite with a demo workspace; `make test` runs every check.
# Both install what they need first (uv from PyPI, then the locked dependencies; the web app's
# from the npm registry with `npm ci`, and Chromium from Debian's packages for the browser tests).

PYTHON ?= python3
UV := $(PYTHON) -m uv
UV_VERSION := 0.13.9
export UV_PYTHON_DOWNLOADS := never
export UV_PYTHON_PREFERENCE := only-system
export UV_LINK_MODE := copy

HOST ?= 127.0.0.1
PORT ?= 8000
export DESKBASE_ADMIN_EMAIL ?= admin@example.com
export DESKBASE_ADMIN_PASSWORD ?= deskbase-admin1

.PHONY: install run test lint typecheck pytest clean

.venv/.installed: pyproject.toml uv.lock
	@$(UV) --version >/dev/null 2>&1 || $(PYTHON) -m pip install --quiet "uv==$(UV_VERSION)"
	$(UV) sync --frozen
	@touch $@

install: .venv/.installed

run: install web-build
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

test: lint typecheck pytest web-test

# The benchmark suite of docs/benchmarks.md (1M rows on SQLite and PostgreSQL; needs wrk).
# A quick run: make bench BENCH_ARGS="--rows 100000 --db sqlite"
.PHONY: bench
bench: install
	$(UV) run --frozen python bench/run.py $(BENCH_ARGS)

# The web app (web/): React + TypeScript + Vite, served by `deskbase serve` from web/dist.
# Browsers are never downloaded: the browser tests drive Debian's Chromium (/usr/bin/chromium).
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD := 1
WEB_SOURCES := $(shell find web/src web/public -type f 2>/dev/null) web/index.html web/vite.config.ts \
	web/tsconfig.json web/scripts/postbuild.mjs

.PHONY: web-install web-build web-check web-test chromium

web/node_modules/.installed: web/package.json web/package-lock.json
	cd web && npm ci --no-audit --no-fund
	@touch $@

web-install: web/node_modules/.installed

web/dist/index.html: web/node_modules/.installed $(WEB_SOURCES)
	cd web && npm run build

web-build: web/dist/index.html

# Strict TypeScript, ESLint and the Vitest component tests.
web-check: web-install
	cd web && npm run typecheck && npm run lint && npm test

# Debian's Chromium, and a font with Chinese glyphs for the screenshots (we run as root).
chromium:
	@if [ ! -x /usr/bin/chromium ] || ! fc-list :lang=zh 2>/dev/null | grep -q .; then \
		apt-get install -y chromium fonts-wqy-zenhei || \
		(apt-get update && apt-get install -y chromium fonts-wqy-zenhei); \
	fi

# Playwright against a real `deskbase serve` on SQLite; screenshots in web/test-results/screens/.
web-test: web-check web-build install chromium
	cd web && npm run e2e

clean:
	rm -rf .venv .mypy_cache .pytest_cache .ruff_cache web/node_modules web/dist web/test-results
