"""Logs go to stdout, one line per record: a request error and its traceback are one line."""

import io
import logging
import re
import subprocess
import sys

import pytest
from django.test import Client
from django.urls import path

from tests.scale.servers import ROOT


def boom(request):
    raise ValueError("boom")


urlpatterns = [path("boom/", boom)]


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


def test_logs_go_to_stdout_one_line_per_record():
    script = (
        "import django, logging; django.setup(); "
        "logging.getLogger('waypoint').error('first line\\nsecond line')"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True
    )

    assert result.stderr == ""
    lines = result.stdout.splitlines()
    assert lines[-1].endswith(" ERROR waypoint: first line\\nsecond line")
    assert all(re.match(r"\d{4}-\d\d-\d\d \d\d:", line) for line in lines), lines
