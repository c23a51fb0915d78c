# Two commands on a fresh machine: `make demo` and `make test`. Everything installs into .venv.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
MANAGE := $(BIN)/python manage.py

# The real services the integration suite and a production-like run use.
SERVICES_ENV := DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/lms} \
	CELERY_BROKER_URL=$${CELERY_BROKER_URL:-redis://127.0.0.1:6379/0} \
	REDIS_URL=$${REDIS_URL:-redis://127.0.0.1:6379/1}

# The suite runs in this many processes (pytest-xdist); 0 runs it in this one.
TEST_WORKERS ?= 2

.PHONY: install demo serve migrate seed test test-integration lint format worker beat bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(INSTALLED): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(INSTALLED)

install: $(INSTALLED)

migrate: install
	$(MANAGE) migrate --noinput
	$(MANAGE) createcachetable

seed: migrate
	$(MANAGE) seed_demo

demo: seed
	$(MANAGE) runserver 127.0.0.1:8000

serve: install
	$(MANAGE) runserver 127.0.0.1:8000

test: install
	$(BIN)/pytest -m "not integration" -n $(TEST_WORKERS)

test-integration: install
	$(SERVICES_ENV) $(BIN)/pytest -m "not browser" -n $(TEST_WORKERS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(MANAGE) makemigrations --check --dry-run
	DJANGO_SETTINGS_MODULE=lms.settings.production SECRET_KEY=lint-only-$$(date +%s)-0123456789abcdefghijklmnopqrstuvwxyz \
		ALLOWED_HOSTS=lms.example.org $(SERVICES_ENV) \
		$(BIN)/python manage.py check --deploy --fail-level WARNING

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

worker: install
	$(BIN)/celery -A lms worker --loglevel=INFO

beat: install
	$(BIN)/celery -A lms beat --loglevel=INFO

bench: install
	$(BIN)/python bench/roster_import.py
	$(BIN)/python bench/assignment_rule.py
	$(BIN)/python bench/my_team.py
	$(BIN)/python bench/quiz_submissions.py
	$(BIN)/python bench/competence_reports.py
	$(BIN)/python bench/campaign_delivery.py
	$(BIN)/python bench/recognition_ledger.py

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles
