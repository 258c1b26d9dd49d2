# Two commands on a fresh Debian/Ubuntu machine with Python 3.11+:
#   make run    venv, install, migrate SQLite, load the demo, serve on http://127.0.0.1:5000
#               with one background worker (Procfile.dev, through honcho; Ctrl-C stops both)
#   make test   venv with dev extras, Debian's chromium and poppler if missing, the whole suite
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
HOST ?= 127.0.0.1
PORT ?= 5000
PYTEST_ARGS ?= -n 2

.PHONY: run test lint wheel bench system-deps test-system-deps node-deps translations clean

run: $(VENV)/.installed-run system-deps
	$(BIN)/tracker db upgrade
	$(BIN)/tracker demo
	HOST=$(HOST) $(BIN)/honcho start --procfile Procfile.dev --port $(PORT)

test: $(VENV)/.installed-dev system-deps test-system-deps node-deps
	$(BIN)/pytest $(PYTEST_ARGS)

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .

# dist/tracker-*.tar.gz and the wheel built from it, to install on a server outside the
# checkout: `pip install dist/tracker-*.whl` (tests/test_wheel.py proves that install).
wheel: $(VENV)/.installed-dev
	$(BIN)/python -m build --no-isolation --outdir dist .

# The start and poll benchmarks (bench/*.py print their figures beside their baseline);
# the others run the same way: $(BIN)/python bench/<name>.py --help
bench: $(VENV)/.installed-dev
	$(BIN)/pip install --quiet -e '.[dev,bench]'
	$(BIN)/python bench/startup.py
	$(BIN)/python bench/poll_feeds.py
	$(BIN)/python bench/connectors.py

$(VENV)/.created:
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Python 3.11 or newer is needed"'
	@$(PYTHON) -m venv --help >/dev/null 2>&1 && $(PYTHON) -c 'import ensurepip' 2>/dev/null \
		|| { $(SUDO) apt-get update && $(SUDO) apt-get install -y python3-venv; }
	$(PYTHON) -m venv $(VENV)
	touch $@

$(VENV)/.installed-run: $(VENV)/.created pyproject.toml
	$(BIN)/pip install --quiet -e '.[run]'
	touch $@

$(VENV)/.installed-dev: $(VENV)/.created pyproject.toml
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@ $(VENV)/.installed-run

# WeasyPrint needs Pango; the app needs nothing else from the system.
system-deps:
	@ldconfig -p | grep -q 'libpango-1.0.so' && ldconfig -p | grep -q 'libpangoft2-1.0.so' \
		|| { $(SUDO) apt-get update && $(SUDO) apt-get install -y libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core; }

# The browser tests drive Debian's chromium; report tests read PDFs with poppler-utils;
# the share card test reads the card with tesseract.
test-system-deps:
	@command -v chromium >/dev/null && command -v pdftotext >/dev/null \
		&& command -v tesseract >/dev/null \
		|| { $(SUDO) apt-get update && $(SUDO) apt-get install -y chromium poppler-utils \
			tesseract-ocr; }

# axe-core and the Nu HTML Checker (vnu-jar, run with the system's Java) for the quality tests.
# --ignore-scripts: vnu-jar's postinstall would download a Java runtime we do not need.
node-deps: node_modules/.package-lock.json

node_modules/.package-lock.json: package.json package-lock.json
	@command -v npm >/dev/null && command -v java >/dev/null \
		|| { $(SUDO) apt-get update && $(SUDO) apt-get install -y nodejs npm default-jre-headless; }
	npm ci --ignore-scripts --no-audit --no-fund
	touch $@

# Extract every message of the code and templates, merge it into each catalogue, compile.
# Then translate the new or fuzzy entries of tracker/translations/*/LC_MESSAGES/messages.po
# and run it again; tests/test_i18n.py fails while any entry is missing or the .mo is stale.
translations: $(VENV)/.installed-run
	mkdir -p build
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext --no-location --sort-output \
		--project tracker --copyright-holder "tracker authors" -o build/messages.pot .
	$(BIN)/pybabel update -i build/messages.pot -d tracker/translations -l de --init-missing \
		--ignore-obsolete --no-wrap
	$(BIN)/pybabel compile -d tracker/translations --statistics

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
