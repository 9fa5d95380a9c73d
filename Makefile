# The two commands a user needs: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
DEMO_ENV := DJANGO_DEBUG=1
# Tests run with production-like settings (debug off), so they need a key and hosts.
TEST_ENV := DJANGO_SECRET_KEY=test-only-secret-key-not-for-production \
	DJANGO_ALLOWED_HOSTS=testserver,localhost,127.0.0.1

.PHONY: demo test install browser lint serve clean

$(VENV)/.installed: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -r requirements.txt
	touch $@

install: $(VENV)/.installed

# Browser tests drive Debian's chromium; install it once if it is missing.
browser:
	@command -v chromium >/dev/null 2>&1 || { \
		echo "Installing Debian's chromium for the browser tests..."; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

demo: install
	$(DEMO_ENV) $(PY) manage.py migrate --noinput
	$(DEMO_ENV) $(PY) manage.py load_demo
	$(DEMO_ENV) $(PY) manage.py create_demo_editors
	@echo "Serving on http://127.0.0.1:8000 (admin: http://127.0.0.1:8000/admin/)"
	$(DEMO_ENV) $(PY) manage.py runserver 127.0.0.1:8000

test: install browser
	$(TEST_ENV) $(PY) -m pytest

lint: install
	$(VENV)/bin/ruff check .

clean:
	rm -rf $(VENV) db.sqlite3 media staticfiles .pytest_cache
