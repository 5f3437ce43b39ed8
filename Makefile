# Pathshala: `make run` serves the app, `make test` runs every test. `make help` lists the rest.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help
.DELETE_ON_ERROR:

PYTHON ?= python3.11
VENV := .venv
BIN := $(CURDIR)/$(VENV)/bin
# Stamps: reinstall only when the dependency manifest is newer than the last install.
BACKEND_STAMP := $(VENV)/.pathshala-backend-installed
FRONTEND_STAMP := frontend/node_modules/.pathshala-installed

# PORT: command line, then the environment, then PORT= in .env (read, never executed), then 5000.
ifndef PORT
PORT := $(shell bash scripts/dotenv-get.sh PORT 5000)
endif
export PORT

# Never let an npm install try to download Playwright's own browser: e2e uses Debian's Chromium.
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD := 1

# $(call apt-ensure,COMMAND,DEBIAN_PACKAGE): install the package unless COMMAND is on PATH.
apt-ensure = bash scripts/apt-ensure.sh $(1) $(2)

.PHONY: help run dev test lint test-backend test-frontend test-e2e migrate seed build deps worker media-tools \
	backend-deps frontend-deps clean

help: ## list the targets
	@grep -E '^[a-z0-9-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-14s %s\n", $$1, $$2}'

# ---- install ---------------------------------------------------------------------------------
$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(BACKEND_STAMP): backend/pyproject.toml | $(BIN)/python
	$(BIN)/pip install --disable-pip-version-check -e './backend[dev]'
	touch $@

$(FRONTEND_STAMP): frontend/package-lock.json
	bash scripts/npm-ci.sh
	touch $@

backend-deps: $(BACKEND_STAMP) ## create .venv and install the backend (when pyproject.toml changed)
frontend-deps: $(FRONTEND_STAMP) ## npm ci in frontend/ (when package-lock.json changed)
deps: backend-deps frontend-deps

build: frontend-deps ## build the SPA into frontend/dist (Vite reads VITE_* from the root .env)
	cd frontend && npm run build

# ---- run -------------------------------------------------------------------------------------
migrate: backend-deps ## apply database migrations
	cd backend && $(BIN)/flask --app wsgi db upgrade

seed: migrate ## migrate, then add the demo accounts (idempotent) and print them
	@if [ "$$(bash scripts/dotenv-get.sh BACKEND_ENV development | tr -d "[:space:]" | tr "[:upper:]" "[:lower:]")" = production ]; then \
		echo "BACKEND_ENV=production: no demo data (create an admin with create-admin)"; \
	else \
		echo "cd backend && $(BIN)/flask --app wsgi seed-demo"; \
		cd backend && $(BIN)/flask --app wsgi seed-demo; \
	fi

run: deps media-tools build seed ## install, build, migrate, seed, serve API + SPA on http://localhost:$(PORT)
	@echo "Pathshala: http://localhost:$(PORT)  (Ctrl-C stops it)"
	$(BIN)/gunicorn --chdir backend wsgi:app -b 0.0.0.0:$(PORT) -w 2 --access-logfile -

worker: backend-deps migrate ## background jobs from Redis + periodic ones (needs BACKEND_REDIS_URL)
	cd backend && $(BIN)/flask --app wsgi worker

dev: deps migrate ## Flask debug server :5000 + Vite dev server :5173, Ctrl-C stops both
	bash scripts/dev.sh

# ---- checks ----------------------------------------------------------------------------------
lint: deps ## ruff on backend/, db/ and bench/; the TypeScript check (npm run lint) on frontend/
	cd backend && $(BIN)/ruff check . ../db ../bench
	cd frontend && npm run lint

test: ## lint, backend, frontend unit, browser end-to-end; stops at the first failure
	$(MAKE) lint
	$(MAKE) test-backend
	$(MAKE) test-frontend
	$(MAKE) test-e2e

test-backend: backend-deps media-tools ## pytest (Postgres/Redis on 127.0.0.1 when reachable, else SQLite)
	cd backend && $(BIN)/pytest -n 2

# Debian's ffmpeg transcodes lesson videos; nginx's secure_link config is tested for real.
media-tools:
	$(call apt-ensure,ffmpeg,ffmpeg)
	$(call apt-ensure,nginx,nginx-light)

test-frontend: frontend-deps ## vitest (npm test)
	cd frontend && npm test

test-e2e: backend-deps build ## Playwright in Debian's Chromium against gunicorn on :5055
	$(call apt-ensure,chromium,chromium)
	$(call apt-ensure,curl,curl)
	bash scripts/e2e.sh

# ---- housekeeping ----------------------------------------------------------------------------
clean: ## remove .venv, node_modules, build and test output (keeps backend/instance: your data)
	rm -rf $(VENV) frontend/node_modules frontend/dist frontend/e2e/artifacts \
		frontend/test-results frontend/playwright-report test-results playwright-report \
		.pytest_cache .ruff_cache backend/.pytest_cache backend/.ruff_cache
	find backend db -name __pycache__ -type d -prune -exec rm -rf {} + 2>/dev/null || true
	find backend -maxdepth 2 -name '*.egg-info' -type d -prune -exec rm -rf {} + 2>/dev/null || true
