"""Logs go to stdout, one line per record: a request error and its traceback are one line."""

import io
import logging
import os
import re
import subprocess
import sys

import pytest
from django.db import OperationalError
from django.test import Client
from django.urls import path

from tests.scale.servers import ROOT


def boom(request):
    raise ValueError("boom")


def database_down(request):
    raise OperationalError("connection refused")


urlpatterns = [path("boom/", boom), path("database-down/", database_down)]


@pytest.fixture
def console():
    """What the root handler settings.LOGGING configures writes, instead of to stdout."""
    (handler,) = [h for h in logging.getLogger().handlers if h.name == "console"]
    previous = handler.setStream(io.StringIO())
    yield handler.stream
    handler.setStream(previous)


@pytest.mark.urls(__name__)
def test_a_request_error_is_one_log_line_with_its_path_and_traceback(console):
    response = Client(raise_request_exception=False).get("/boom/?page=2")

    assert response.status_code == 500
    out = console.getvalue()
    assert out.count("\n") == 1, out
    assert "ERROR django.request: Internal Server Error: /boom/" in out
    assert "Traceback (most recent call last):\\n" in out
    assert 'raise ValueError("boom")' in out
    assert out.rstrip("\n").endswith("ValueError: boom")


@pytest.mark.urls(__name__)
def test_a_database_outage_is_one_log_line_with_its_cause(console):
    response = Client(raise_request_exception=False).post("/database-down/")

    assert response.status_code == 503
    out = console.getvalue()
    assert out.count("\n") == 1, out
    assert "ERROR django.request: Database unavailable: POST /database-down/: " in out
    assert out.rstrip("\n").endswith("connection refused")


def run_python(script, **env):
    """Run `script` in a fresh Python in the project folder, with `env` added."""
    return subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, **env},
    )


@pytest.mark.parametrize("logger", ["waypoint", "django.request"])
def test_logs_go_to_stdout_one_line_per_record_and_nothing_else(logger):
    """In development too (DEBUG=1): Django's own console handler would print a second,
    multi-line copy of its records to stderr. Starting the app logs nothing."""
    script = (
        "import django, logging; django.setup(); "
        f"logging.getLogger({logger!r}).error('first line\\nsecond line')"
    )
    result = run_python(script, DEBUG="1")

    assert result.stderr == ""
    [line] = result.stdout.splitlines()
    assert re.match(r"\d{4}-\d\d-\d\d \d\d:", line), line
    assert line.endswith(f" ERROR {logger}: first line\\nsecond line")


def test_log_level_applies_to_djangos_records_too():
    script = (
        "import django, logging; django.setup(); "
        "logging.getLogger('django.server').info('a request'); "
        "logging.getLogger('django.request').warning('Not Found: /nope/')"
    )
    result = run_python(script, LOG_LEVEL="WARNING")

    assert result.stderr == ""
    [line] = result.stdout.splitlines()
    assert line.endswith(" WARNING django.request: Not Found: /nope/")
