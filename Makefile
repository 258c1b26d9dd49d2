# Two commands on a fresh Debian/Ubuntu machine with Python 3.11+:
#   make run    venv, install, migrate SQLite, load the demo, serve on http://127.0.0.1:5000
#   make test   venv with dev extras, Debian's chromium and poppler if missing, the whole suite
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
HOST ?= 127.0.0.1
PORT ?= 5000
PYTEST_ARGS ?=

.PHONY: run test lint bench system-deps test-system-deps clean

run: $(VENV)/.installed-run system-deps
	$(BIN)/tracker db upgrade
	$(BIN)/tracker demo
	$(BIN)/tracker --debug run --host $(HOST) --port $(PORT)

test: $(VENV)/.installed-dev system-deps test-system-deps
	$(BIN)/pytest $(PYTEST_ARGS)

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .

$(VENV)/.created:
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Python 3.11 or newer is needed"'
	@$(PYTHON) -m venv --help >/dev/null 2>&1 && $(PYTHON) -c 'import ensurepip' 2>/dev/null \
		|| { $(SUDO) apt-get update && $(SUDO) apt-get install -y python3-venv; }
	$(PYTHON) -m venv $(VENV)
	touch $@

$(VENV)/.installed-run: $(VENV)/.created pyproject.toml
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: $(VENV)/.created pyproject.toml
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@ $(VENV)/.installed-run

# WeasyPrint needs Pango; the app needs nothing else from the system.
system-deps:
	@ldconfig -p | grep -q 'libpango-1.0.so' && ldconfig -p | grep -q 'libpangoft2-1.0.so' \
		|| { $(SUDO) apt-get update && $(SUDO) apt-get install -y libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core; }

# The browser tests drive Debian's chromium; report tests read PDFs with poppler-utils.
test-system-deps:
	@command -v chromium >/dev/null && command -v pdftotext >/dev/null \
		|| { $(SUDO) apt-get update && $(SUDO) apt-get install -y chromium poppler-utils; }

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
