# modelatlas: `make run` serves the API on the shipped data, `make test` runs the tests.
# Both bootstrap a local virtualenv (.venv) on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint install system-deps node-tools deploy-deps bench bench-scale clean help

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F ':.*## ' '{printf "  %-10s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test,bench]'
	touch $(STAMP)

install: $(STAMP) ## create .venv and install modelatlas with its test tools

run: $(STAMP) ## start the service: the explorer on http://127.0.0.1:8000/, GraphQL (with GraphiQL) at /graphql
	$(BIN)/modelatlas serve --dev

GRAPHQL_HTTP := 1.23.1
node-tools: ## the GraphQL-over-HTTP audit (npm graphql-http) in .ci/node; node and npm with apt when missing (root)
	@if [ -d .ci/node/node_modules/graphql-http ] && command -v node >/dev/null 2>&1; then :; \
	else \
		if ! command -v npm >/dev/null 2>&1 && [ "$$(id -u)" = 0 ]; then \
			apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q nodejs npm; fi; \
		if command -v npm >/dev/null 2>&1; then npm install --silent --no-audit --no-fund --no-save \
			--prefix .ci/node graphql-http@$(GRAPHQL_HTTP) graphql@16.15.0; \
		else echo "npm missing: run 'sudo apt-get install -y nodejs npm' (tests/api/test_conformance.py skips)"; fi; \
	fi

test: $(STAMP) system-deps node-tools ## run the whole test suite
	$(BIN)/python -m pytest

lint: $(STAMP) ## ruff over the tree, mypy --strict over every package
	$(BIN)/ruff check .
	bash .ci/typecheck

bench: $(STAMP) ## HTTP benchmark of the service against its own ceiling (wrk), writes bench-results/
	$(BIN)/modelatlas bench

REMOTE_SIZES ?= 1000000
bench-scale: $(STAMP) ## 1k, 10k and 100k synthetic models in memory, then the Oxigraph-server row at 1M (REMOTE_SIZES=10000: a quick one)
	$(BIN)/modelatlas bench-scale --remote-sizes $(REMOTE_SIZES)

# What the browser, replica and conformance tests need from Debian: command -> package.
SYSTEM_PACKAGES := chromium:chromium redis-server:redis-server nginx:nginx node:nodejs npm:npm
system-deps: ## apt-get install what the tests need (chromium, redis-server, nginx, node) when missing and root
	@missing=""; for pair in $(SYSTEM_PACKAGES); do cmd=$${pair%%:*}; pkg=$${pair#*:}; \
		command -v $$cmd >/dev/null 2>&1 || test -x /usr/sbin/$$cmd || missing="$$missing $$pkg"; done; \
	if [ -z "$$missing" ]; then echo "system packages: present"; \
	elif [ "$$(id -u)" = 0 ]; then apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
		$$missing fonts-dejavu-core; \
	else echo "missing:$$missing (sudo apt-get install -y$$missing fonts-dejavu-core); their tests skip (fail under CI=true)"; fi

deploy-deps: system-deps ## (the same as system-deps; kept for the README's replica commands)

clean: ## remove the virtualenv and caches
	rm -rf $(VENV) .pytest_cache .hypothesis .mypy_cache .ruff_cache *.egg-info
