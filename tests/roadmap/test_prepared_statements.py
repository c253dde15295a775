"""On PostgreSQL the statements a learner's tick and page run again and again are prepared on
the server (config/settings.py), so it neither parses nor plans them again."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

from tests.roadmap.helpers import HTMX, enrolled_learner, milestone, tick_url

ROOT = Path(__file__).resolve().parents[2]
PAGE = "/roadmaps/test-roadmap/"


def database_options(**env):
    """The default database's settings as config/settings.py builds them in this environment."""
    script = (
        "import json, config.settings as s; d = s.DATABASES['default']; "
        "print(json.dumps([d['ENGINE'], d.get('OPTIONS', {})], default=str))"
    )
    ours = ("DATABASE_URL", "DATABASE_PREPARED_STATEMENTS")
    variables = {key: value for key, value in os.environ.items() if key not in ours}
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env={**variables, "DEBUG": "1", **env},
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(result.stdout)


def test_postgresql_binds_parameters_on_the_server_and_prepares_repeated_statements():
    engine, options = database_options(DATABASE_URL="postgres://someone@db.example/waypoint")

    assert engine == "django.db.backends.postgresql"
    assert options["server_side_binding"] is True
    assert options["prepare_threshold"] == 5


def test_prepared_statements_can_be_turned_off_for_a_pooler_that_cannot_keep_them():
    __, options = database_options(
        DATABASE_URL="postgres://someone@db.example/waypoint", DATABASE_PREPARED_STATEMENTS="0"
    )

    assert "server_side_binding" not in options
    assert "prepare_threshold" not in options


def test_sqlite_has_no_server_side_options():
    engine, options = database_options(DATABASE_URL="sqlite:///waypoint.sqlite3")

    assert engine == "django.db.backends.sqlite3"
    assert "server_side_binding" not in options


@pytest.mark.django_db
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="PostgreSQL only: SQLite prepares in-process"
)
def test_a_learners_ticks_and_pages_run_prepared_statements(client):
    enrolled_learner(client, steps=3, milestones=3)
    ticks = [milestone(f"step-0-{s}-m{m}") for s in range(3) for m in range(3)]
    for each in ticks:  # more than psycopg's threshold of five runs
        assert client.post(tick_url(each), {"done": "1"}, **HTMX).status_code == 200
        assert client.get(PAGE).status_code == 200

    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        prepared = [statement for (statement,) in cursor.fetchall()]

    # The learner's marks and history (pages.learner_rows) and the tick's progress row.
    assert any("roadmap_milestoneprogress" in sql and "UNION ALL" in sql for sql in prepared)
    assert any(sql.lstrip().startswith("INSERT INTO") and "ON CONFLICT" in sql for sql in prepared)
