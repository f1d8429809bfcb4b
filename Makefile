# Pantau Stunting — the two commands: `make run` (demo on http://127.0.0.1:8000) and `make test`.
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml constraints.txt | sha1sum | cut -c1-12)
# Test defaults; production reads its own environment (see README).
DEV_ENV := DEBUG=true
# Test processes (pytest-xdist; each has its own test database): one per core here. 0 = one process.
PYTEST_WORKERS ?= 2
# `make run` runs as in production (DEBUG off, gunicorn, WhiteNoise, Indonesian error pages) on plain
# HTTP on this computer: a generated local secret key, no HTTPS redirect or secure-only cookies.
PORT ?= 8000
SECRET_KEY_FILE ?= var/secret_key
RUN_ENV := DEBUG=false SECRET_KEY_FILE=$(SECRET_KEY_FILE) ALLOWED_HOSTS=127.0.0.1,localhost \
	SECURE_SSL_REDIRECT=false SESSION_COOKIE_SECURE=false CSRF_COOKIE_SECURE=false \
	SECURE_HSTS_SECONDS=0 SECURE_HSTS_PRELOAD=false BEHIND_PROXY=false
DEBIAN_PACKAGES := chromium libharfbuzz-subset0 poppler-utils fonts-dejavu-core

.PHONY: install run test system-deps clean-db deps-outdated panduan-gambar

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

# Migrates, loads the demo, serves http://127.0.0.1:$(PORT) with the background worker; Ctrl+C stops
# everything, the embedded PostgreSQL too (tpps/management/commands/jalankan.py). RUN_ARGS: e.g. --tanpa-demo.
run: install
	$(RUN_ENV) $(PY) manage.py jalankan --port $(PORT) $(RUN_ARGS)

test: install system-deps
	$(DEV_ENV) $(PY) -m pytest -n $(PYTEST_WORKERS) --dist worksteal $(PYTEST_ARGS)

# The user guide's screenshots (static/panduan/*.webp), remade in Chromium from the demo data by the
# browser test that checks them (tests/panduan/test_gambar.py); commit the changed images.
panduan-gambar: install system-deps
	$(DEV_ENV) PANDUAN_GAMBAR=1 $(PY) -m pytest tests/panduan/test_gambar.py $(PYTEST_ARGS)

# Throw away the embedded database (it is recreated, migrated and filled by `make run`).
clean-db:
	rm -rf var/pgdata

# The monthly dependency check (README, "Dependencies"): what has a newer release than we pin.
deps-outdated: install
	$(PY) -m pip list --outdated
