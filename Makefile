# Waypoint's entry points. `make run` and `make test` are all a newcomer needs.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run serve test lint format migrate content check-python clean bench-load bench-throughput bench-active bench-scale

$(BIN)/activate:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Waypoint needs Python 3.11 or newer (found %s). Set PYTHON=python3.x." % sys.version.split()[0])'
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml | $(BIN)/activate
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $@

migrate: $(VENV)/.installed
	$(BIN)/python manage.py migrate --no-input

content: migrate
	$(BIN)/python manage.py loadroadmap content/roadmaps

run: content
	@echo "Waypoint is starting on http://$(HOST):$(PORT)/"
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

# The production profile on this machine: gunicorn, DEBUG off, collected static files.
# Plain http on 127.0.0.1, so HTTPS redirects and secure-only cookies are switched off here;
# behind a TLS proxy leave them on (see README, "Deploying").
PRODUCTION = DEBUG=0 SECRET_KEY="$${SECRET_KEY:-$$(cat .secret-key)}" \
	ALLOWED_HOSTS="$${ALLOWED_HOSTS:-127.0.0.1,localhost}" SECURE_SSL_REDIRECT=0 SECURE_COOKIES=0

# The key file is the owner's alone (umask 077; chmod for one made before that). `exec` lets
# gunicorn replace the recipe's shell, so the signal make passes on when stopped by its PID
# reaches gunicorn itself rather than only a shell that would leave it running.
serve: content
	@umask 077; test -f .secret-key || $(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(50))' > .secret-key
	@chmod 600 .secret-key
	$(PRODUCTION) $(BIN)/python manage.py collectstatic --no-input -v0
	$(PRODUCTION) exec $(BIN)/gunicorn config.wsgi --bind $(HOST):$(PORT) --workers $${WEB_CONCURRENCY:-2} \
	  --access-logfile - --error-logfile -

test: $(VENV)/.installed
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# Benchmarks (scripts, not tests; see README, "Benchmarks"): DB=sqlite (a temporary file) or
# DB=postgres (a throwaway database on 127.0.0.1:5432, dropped afterwards); BENCH_ARGS for more.
DB ?= sqlite

bench-load: $(VENV)/.installed
	$(BIN)/python bench/load.py --db $(DB) $(BENCH_ARGS)

bench-throughput: $(VENV)/.installed
	$(BIN)/python bench/throughput.py --db $(DB) $(BENCH_ARGS)

# 10 learners ticking with htmx and opening the roadmap page after each tick, against a bare
# view in the same run; integrity and worker memory checked afterwards.
bench-active: $(VENV)/.installed
	$(BIN)/python bench/active.py --db $(DB) $(BENCH_ARGS)

# PostgreSQL only (127.0.0.1:5432): 20,000 learners, one learner's query time vs an empty database.
bench-scale: $(VENV)/.installed
	$(BIN)/python bench/scale.py $(BENCH_ARGS)

lint: $(VENV)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(VENV)/.installed
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache .hypothesis
