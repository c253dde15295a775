"""Shared code for the benchmarks that drive gunicorn over HTTP (load.py, throughput.py,
active.py).

A throwaway database (an SQLite file, or a PostgreSQL database waypoint_bench_<pid> on
127.0.0.1:5432 that is dropped afterwards), migrated, with the shipped content and learners
enrolled in ROADMAP; gunicorn in the production profile on a free port; and a tiny HTTP client
that logs in and keeps its cookies and CSRF token.
"""

import contextlib
import http.client
import io
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import urllib.parse
from collections import Counter
from http.cookies import SimpleCookie
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

# The fault tests' way of running gunicorn serves the benchmarks too.
from tests.scale import servers  # noqa: E402

ROADMAP = "machine-learning-engineer"
PASSWORD = "bench-password-42"
POSTGRES = "postgres://postgres@127.0.0.1:5432"
# The tests' production profile, without Redis: each worker caches in its own memory.
PRODUCTION = {name: value for name, value in servers.PRODUCTION.items() if name != "REDIS_URL"}
PRODUCTION["LOG_LEVEL"] = os.environ.get("LOG_LEVEL", "WARNING")  # errors reach the server log
FAILURE = r"^[\w.]*(?:Error|Exception): .*$|^.*WORKER TIMEOUT.*$"


def percentile(values, percent):
    """The `percent`-th percentile of sorted `values`, interpolated between neighbours."""
    if not values:
        return float("nan")
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[percent - 1]


@contextlib.contextmanager
def database(kind):
    """A fresh, migrated database with the shipped roadmaps; Django is set up against it.

    Yields the DATABASE_URL. The environment is left in the production profile, so that a
    Server started inside the block uses the same database and settings.
    """
    folder, name = None, f"waypoint_bench_{os.getpid()}"
    if kind == "sqlite":
        folder = tempfile.mkdtemp(prefix="waypoint-bench-")
        url = f"sqlite:///{folder}/bench.sqlite3"
    elif kind == "postgres":
        _postgres(f"CREATE DATABASE {name}")
        url = f"{POSTGRES}/{name}"
    else:
        raise ValueError(f"unknown database {kind!r}: sqlite or postgres")
    os.environ.update(PRODUCTION, DATABASE_URL=url, DJANGO_SETTINGS_MODULE="config.settings")
    try:
        import django

        django.setup()
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        content = str(ROOT / "content" / "roadmaps")
        call_command("loadroadmap", content, verbosity=0, stdout=io.StringIO())
        yield url
    finally:
        from django.db import connections

        connections.close_all()
        if folder:
            shutil.rmtree(folder, ignore_errors=True)
        else:
            _postgres(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def _postgres(sql):
    import psycopg

    with psycopg.connect(f"{POSTGRES}/postgres", autocommit=True) as connection:
        connection.execute(sql)


def create_learners(count, prefix="learner"):
    """`count` learners enrolled in ROADMAP, made in bulk; returns their usernames.

    Passwords use the production hasher (the server checks them), so hash once and share it.
    """
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password

    from roadmap.models import Enrollment, Roadmap

    User = get_user_model()
    password = make_password(PASSWORD)
    names = [f"{prefix}{number:04}" for number in range(count)]
    User.objects.bulk_create(
        User(username=name, email=f"{name}@example.com", password=password) for name in names
    )
    roadmap = Roadmap.objects.get(slug=ROADMAP)
    users = User.objects.filter(username__in=names)
    Enrollment.objects.bulk_create(Enrollment(user=user, roadmap=roadmap) for user in users)
    return names


class Server:
    """gunicorn in the production profile on 127.0.0.1 (static files collected first)."""

    def __init__(self, workers, settings_module="config.settings"):
        self.env = {
            **os.environ,
            **PRODUCTION,
            "DJANGO_SETTINGS_MODULE": settings_module,
            "PYTHONPATH": str(ROOT),
        }
        self.workers = workers
        self.log = self.process = self.url = self.port = None

    def __enter__(self):
        command = [sys.executable, "manage.py", "collectstatic", "--no-input", "-v0"]
        subprocess.run(command, cwd=ROOT, env=self.env, check=True)
        self.log = Path(tempfile.mkstemp(prefix="waypoint-bench-gunicorn-", suffix=".log")[1])
        try:
            with self.log.open("wb") as log:
                self.process, self.url = servers.start_gunicorn(
                    self.env, log, self.workers, timeout=30
                )
        except AssertionError as error:
            tail = self.log_tail()
            self.log.unlink()
            raise RuntimeError(f"{error}:\n{tail}") from None
        self.port = int(self.url.rsplit(":", 1)[1])
        return self

    def __exit__(self, *exc):
        servers.stop(self.process, timeout=15)
        self.log.unlink()

    def exceptions(self):
        """What went wrong in the server log: exception lines and worker timeouts, counted."""
        text = self.log.read_text(errors="replace")
        return Counter(line[:120] for line in re.findall(FAILURE, text, re.M))

    def log_tail(self, lines=30):
        return "".join(self.log.read_text(errors="replace").splitlines(True)[-lines:])


class Client:
    """One browser: a new connection per request (gunicorn's sync workers close them anyway),
    cookies kept, CSRF token from its cookie, redirects not followed."""

    def __init__(self, port, timeout=60):
        self.port, self.timeout = port, timeout
        self.cookies = {}

    def cookie_header(self):
        return "; ".join(f"{name}={value}" for name, value in self.cookies.items())

    def request(self, method, path, form=None, headers=None):
        """Returns (status, headers, body bytes); `headers` adds request headers."""
        headers = {"Host": f"127.0.0.1:{self.port}", "Connection": "close", **(headers or {})}
        if self.cookies:
            headers["Cookie"] = self.cookie_header()
        body = None
        if form is not None:
            body = urllib.parse.urlencode(
                {**form, "csrfmiddlewaretoken": self.cookies.get("csrftoken", "")}
            )
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=self.timeout)
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            content = response.read()
        finally:
            connection.close()
        for header in response.headers.get_all("Set-Cookie") or ():
            for name, morsel in SimpleCookie(header).items():
                if morsel["max-age"] == "0" or not morsel.value:
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value
        return response.status, response.headers, content

    def login(self, username, password=PASSWORD):
        """GET the form (for the CSRF cookie) and POST it; fails loudly unless it worked."""
        self.request("GET", "/accounts/login/")
        form = {"username": username, "password": password}
        status, __, __ = self.request("POST", "/accounts/login/", form)
        if status != 302 or "sessionid" not in self.cookies:
            raise RuntimeError(f"logging in as {username} answered {status}")
