# Pantau Stunting — the two commands: `make run` (demo on http://127.0.0.1:8000) and `make test`.
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml constraints.txt | sha1sum | cut -c1-12)
# Development defaults; production reads its own environment (see README).
DEV_ENV := DEBUG=true
DEBIAN_PACKAGES := chromium libharfbuzz-subset0 poppler-utils fonts-dejavu-core

.PHONY: install run test system-deps clean-db deps-outdated

$(STAMP):
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]" -c constraints.txt
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

install: $(STAMP)

# Debian packages for PDF rendering and browser tests (skipped when already present).
system-deps:
	@if ! command -v chromium >/dev/null || ! command -v pdftotext >/dev/null || ! ldconfig -p | grep -q libharfbuzz-subset; then \
		echo "Installing Debian packages: $(DEBIAN_PACKAGES)"; \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq -o DPkg::Lock::Timeout=600 $(DEBIAN_PACKAGES); \
	fi

run: install
	$(DEV_ENV) $(PY) manage.py migrate --noinput
	$(DEV_ENV) $(PY) manage.py demo_data
	@echo "Pantau Stunting berjalan di http://127.0.0.1:8000 (Ctrl+C untuk berhenti)"
	trap 'kill 0' EXIT INT TERM; \
	$(DEV_ENV) $(PY) manage.py db_worker --no-reload & \
	$(DEV_ENV) $(PY) manage.py runserver 127.0.0.1:8000

test: install system-deps
	$(DEV_ENV) $(PY) -m pytest $(PYTEST_ARGS)

# Throw away the embedded database (it is recreated, migrated and filled by `make run`).
clean-db:
	rm -rf var/pgdata

# The monthly dependency check (README, "Dependencies"): what has a newer release than we pin.
deps-outdated: install
	$(PY) -m pip list --outdated
