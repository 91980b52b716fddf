# Hersteldagboek: `make run` serves the app, `make test` runs every test. See README.md.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
FLASK  := $(BIN)/flask --app journal
SUDO   := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
# Where `make run` listens: `make run PORT=5001` (macOS's AirPlay receiver holds 5000), or
# `make run HOST=0.0.0.0` to try it from a phone on the same network (README).
PORT   ?= 5000
HOST   ?= 127.0.0.1
# The interactive debugger runs code for whoever reaches it: only on this machine's own address.
DEBUGGER := $(if $(filter 127.0.0.1 localhost ::1,$(HOST)),,--no-debugger)
CATALOGS := $(wildcard journal/translations/*/LC_MESSAGES/messages.po)
COMPILED := $(CATALOGS:.po=.mo)

.PHONY: run test bench lint translations translations-update browser pdf test-packages clean \
	lighthouse

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed-run: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[test,dev]"
	touch $@ $(VENV)/.installed-run

%.mo: %.po | $(VENV)/.installed-run
	$(BIN)/pybabel compile --statistics -i $< -o $@

translations: $(COMPILED)

# The reminder scheduler is its own process next to the web server; Ctrl-C stops both.
# Links in e-mails point at this port unless JOURNAL_APP_BASE_URL says otherwise.
run: export JOURNAL_APP_BASE_URL ?= http://127.0.0.1:$(PORT)
run: $(VENV)/.installed-run translations pdf
	$(FLASK) db upgrade
	@echo "Hersteldagboek runs at http://$(HOST):$(PORT) and sends reminders (Ctrl-C stops both)"
	@$(FLASK) reminders run & scheduler=$$!; \
	trap 'kill -TERM $$scheduler 2>/dev/null; wait $$scheduler' EXIT; \
	trap 'exit 130' INT TERM; \
	$(FLASK) run --debug $(DEBUGGER) --no-reload --host $(HOST) --port $(PORT)

# Debian's Chromium drives the browser tests; Playwright's own browser download cannot work here.
BROWSER_PACKAGES := chromium chromium-driver
# WeasyPrint's libraries and poppler (pdftotext, pdftoppm) for the coach summary's PDF and its tests.
PDF_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core poppler-utils
# Redis, for the rate-limit tests against a shared store (.ci/run starts it if it is not running).
REDIS_PACKAGES := redis-server

# Installs whichever of these Debian packages are missing, with a single apt-get update.
# dpkg-query needs no root and no /sbin on the PATH. Without apt-get and dpkg-query (macOS,
# Fedora) it says what it skipped and succeeds: $(2) is what is then missing, in a few words.
define debian_packages
@if ! command -v apt-get >/dev/null 2>&1 || ! command -v dpkg-query >/dev/null 2>&1; then echo "apt-get not found: skipping $(strip $(1)); $(2)"; exit 0; fi; missing=$$(for package in $(1); do   dpkg-query -W -f='$${Status}' $$package 2>/dev/null | grep -q "install ok installed" || echo $$package; done); [ -z "$$missing" ] || { $(SUDO) apt-get update -qq &&   $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; }
endef

browser:
	$(call debian_packages,$(BROWSER_PACKAGES),the browser tests need Chromium (CHROMIUM_PATH).)

pdf:
	$(call debian_packages,$(PDF_PACKAGES),the coach summary has no PDF until Pango is installed (README).)

test-packages:
	$(call debian_packages,$(BROWSER_PACKAGES) $(PDF_PACKAGES) $(REDIS_PACKAGES),install them yourself for the tests that use them (README).)

# One worker per CPU (pytest-xdist): each has its own PostgreSQL schema, SQLite files, Redis
# database and browser, so the tests never meet.
test: $(VENV)/.installed-test translations test-packages
	$(BIN)/python -m pytest -n auto

bench: $(VENV)/.installed-test translations
	$(BIN)/python benchmarks/evaluate.py
	$(BIN)/python benchmarks/checkin_write.py
	$(BIN)/python benchmarks/week_view.py
	$(BIN)/python benchmarks/share.py
	$(BIN)/python benchmarks/reminder_tick.py
	$(BIN)/python benchmarks/caseload.py
	$(BIN)/python benchmarks/checkin_taps.py

# Lighthouse 13 (npm, into node_modules) in Debian's Chromium on /checkin and /, phone,
# median of 3 runs; exits 1 below target. Not part of `make test`.
lighthouse: $(VENV)/.installed-run translations browser
	$(BIN)/python benchmarks/lighthouse.py

lint: $(VENV)/.installed-test
	$(BIN)/ruff check journal tests benchmarks
	$(BIN)/mypy

# After changing user-facing text: collect the messages and merge them into both catalogs.
translations-update: $(VENV)/.installed-run
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext --no-location --sort-output \
	  -o journal/translations/messages.pot .
	$(BIN)/pybabel update -i journal/translations/messages.pot -d journal/translations --no-fuzzy-matching
	$(BIN)/python -m journal.i18n_catalogs fill-english

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache test-results node_modules
