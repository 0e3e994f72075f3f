# Casework: `make run` sets up and starts the app, `make test` sets up and runs every check.
# Both install what is missing and are safe to run again.

VENV        ?= .venv
PY          := $(VENV)/bin/python
HOST        ?= 127.0.0.1
PORT        ?= 8000
PYTEST_ARGS ?=
# Compiled modules are kept in var/pycache (ignored by git), as `make serve` keeps them, even
# where PYTHONDONTWRITEBYTECODE is set: each process after the first (the checks, every test
# worker, the app) then loads bytecode instead of compiling Django and the libraries again.
# Collecting the tests took 15.6 s of CPU without it and 6.4 s with it, in each test worker.
export PYTHONPYCACHEPREFIX ?= $(CURDIR)/var/pycache
unexport PYTHONDONTWRITEBYTECODE
# Debian packages the app needs: Chromium (chart images), fonts for PDFs (Noto CJK for Chinese,
# HanaMin for the rarer characters of CJK Extension B such as 𪚥, Noto Color Emoji for emoji),
# gettext (compiling translations) and Pango (WeasyPrint's text layout).
APT_PACKAGES := chromium fonts-noto-cjk fonts-hanazono fonts-noto-color-emoji gettext libpango-1.0-0 libpangoft2-1.0-0

.PHONY: help run serve serve-up test setup system-deps deps node-deps messages migrate frameworks demo lint format check pytest audit makemessages bench clean

help:
	@echo "make run   - set up and start the app on http://$(HOST):$(PORT)"
	@echo "make serve - the production shape: gunicorn + job worker on PostgreSQL and Redis (docs/deploy.md)"
	@echo "make test  - set up and run the linters, Django checks and every test"

run: setup migrate frameworks demo
	@echo "Casework: open http://$(HOST):$(PORT)/ and log in as analyst, manager or admin (passwords above, or DEMO_PASSWORD / ADMIN_PASSWORD)."
	@# A development server: DEBUG on (unless set) so that it serves the static files itself.
	DEBUG=$${DEBUG:-True} $(PY) manage.py runserver $(HOST):$(PORT)

# The production shape on this machine (DEBUG off, gunicorn, whitenoise, PostgreSQL, Redis
# and the huey worker), in the foreground; Ctrl-C stops it. See docs/deploy.md.
serve: setup serve-up

# The same without the set-up step (dependencies already installed).
serve-up:
	HOST=$(HOST) PORT=$(PORT) $(PY) -m casework.serve

test: setup lint check pytest audit

setup: system-deps deps node-deps messages

system-deps:
	@missing=""; \
	command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 || missing="$$missing chromium"; \
	fc-list :lang=zh 2>/dev/null | grep -q . || missing="$$missing fonts-noto-cjk"; \
	fc-list ':charset=2a6a5' 2>/dev/null | grep -q . || missing="$$missing fonts-hanazono"; \
	fc-list 'Noto Color Emoji' 2>/dev/null | grep -q . || missing="$$missing fonts-noto-color-emoji"; \
	command -v msgfmt >/dev/null 2>&1 || missing="$$missing gettext"; \
	command -v pdfinfo >/dev/null 2>&1 || missing="$$missing poppler-utils"; \
	command -v npm >/dev/null 2>&1 || missing="$$missing npm"; \
	ldconfig -p 2>/dev/null | grep -q 'libpango-1.0.so' || missing="$$missing libpango-1.0-0"; \
	ldconfig -p 2>/dev/null | grep -q 'libpangoft2-1.0.so' || missing="$$missing libpangoft2-1.0-0"; \
	if [ -z "$$missing" ]; then exit 0; fi; \
	if [ "$$(id -u)" = 0 ]; then SUDO=""; elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then SUDO="sudo"; \
	else echo "Missing system packages; please run: sudo apt-get install -y$$missing"; exit 1; fi; \
	if ! command -v apt-get >/dev/null 2>&1; then echo "Missing system packages (install them with your package manager):$$missing"; exit 1; fi; \
	echo "Installing system packages:$$missing"; \
	$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends $$missing >/dev/null

# pip --user puts uv in ~/.local/bin, which is often not on PATH: look there too, quietly.
deps: export PATH := $(HOME)/.local/bin:$(PATH)
deps:
	@command -v uv >/dev/null 2>&1 || python3 -m pip install --quiet --user uv 2>/dev/null || python3 -m pip install --quiet uv
	@uv sync --frozen --quiet

# axe-core (package.json, pinned in package-lock.json), which the accessibility browser tests
# inject into each page. Without npm those tests are skipped, with the reason in the test report.
node-deps:
	@if [ -f node_modules/axe-core/axe.min.js ]; then exit 0; fi; \
	if command -v npm >/dev/null 2>&1; then npm ci --no-audit --no-fund --silent; \
	else echo "npm is missing (apt-get install npm): the accessibility tests will be skipped."; fi

messages:
	@$(PY) manage.py compilemessages --ignore=.venv --verbosity 0

migrate:
	$(PY) manage.py migrate --no-input

frameworks:
	$(PY) manage.py load_frameworks

demo:
	$(PY) manage.py seed_demo

lint:
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format:
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

check:
	$(PY) manage.py check
	$(PY) manage.py makemigrations --check --dry-run

pytest:
	$(VENV)/bin/pytest -n 2 --dist worksteal $(PYTEST_ARGS); status=$$?; [ $$status -eq 0 ]

# Known vulnerabilities in the locked dependencies (pip-audit, against PyPI's advisory data).
# Fails on a finding; when the advisory service can't be reached it says so in one line and
# lets the build go on.
audit:
	@$(PY) .ci/audit.py

makemessages:
	$(PY) manage.py makemessages -l zh_Hans --ignore=.venv --ignore=node_modules --ignore=staticfiles --no-obsolete

bench:
	$(PY) bench/run.py

clean:
	rm -rf staticfiles .pytest_cache .ruff_cache
