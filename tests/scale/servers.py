"""Helpers for tests that run real servers: gunicorn in the production profile, a browser."""

import glob
import http.cookiejar
import os
import pwd
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import psycopg
import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
GUNICORN = Path(sys.executable).with_name("gunicorn")
PASSWORD = "correct horse 42"  # tests.factories.make_user's
# Debian keeps initdb and pg_ctl off PATH.
PG_BIN = os.pathsep.join(["/usr/local/bin", *sorted(glob.glob("/usr/lib/postgresql/*/bin"))])

PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": "two-servers-test-" + "0123456789abcdef" * 3,
    "ALLOWED_HOSTS": "127.0.0.1",
    "SECURE_SSL_REDIRECT": "0",
    "SECURE_COOKIES": "0",
    "REDIS_URL": "redis://127.0.0.1:6379/15",
}


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def database_url():
    """The pytest test database, as a DATABASE_URL for servers started by the test."""
    settings = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{settings['NAME']}"
    user, host = settings["USER"] or "postgres", settings["HOST"] or "127.0.0.1"
    return f"postgres://{user}@{host}:{settings['PORT'] or 5432}/{settings['NAME']}"


def collect_static():
    command = [sys.executable, "manage.py", "collectstatic", "--no-input", "-v0"]
    subprocess.run(command, cwd=ROOT, env={**os.environ, **PRODUCTION}, check=True)


def wait_until(condition, timeout, message, step=0.05):
    """Poll condition() until it returns something truthy; return that or fail."""
    deadline = time.monotonic() + timeout
    while True:
        result = condition()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(message)
        time.sleep(step)


def start_gunicorn(env, log=subprocess.DEVNULL, workers=1, timeout=15):
    """Start gunicorn on a free port with this environment; return (process, url) once up.
    Also the benchmarks' server (bench/support.py)."""
    port = free_port()
    process = subprocess.Popen(
        [str(GUNICORN), "config.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", str(workers)],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"

    def answers():
        try:
            urllib.request.urlopen(f"{url}/healthz", timeout=2)
        except OSError:
            return process.poll() is not None  # stop waiting for a server that died
        return True

    try:
        wait_until(answers, timeout, f"gunicorn on {url} did not answer /healthz")
    except AssertionError:
        stop(process)
        raise
    assert process.poll() is None, f"gunicorn on {url} exited with {process.returncode}"
    return process, url


def stop(process, timeout=10):
    if process.poll() is None:
        process.terminate()
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


class Browser:
    """Just enough of a browser: cookies, CSRF tokens from forms, POSTs."""

    def __init__(self):
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )

    def get(self, url):
        with self.opener.open(url, timeout=10) as response:
            return response.read().decode()

    def post(self, url, data, page):
        with self.opener.open(self._form(url, data, page), timeout=10) as response:
            return response.read().decode()

    def fetch(self, url, data=None, page=None, timeout=10):
        """GET (or POST data with page's CSRF token): (status, headers, body), errors too."""
        request = url if data is None else self._form(url, data, page)
        try:
            with self.opener.open(request, timeout=timeout) as response:
                return response.status, response.headers, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.headers, error.read().decode()

    def log_in(self, url, username="learner", password=PASSWORD):
        page = self.get(f"{url}/accounts/login/")
        self.post(f"{url}/accounts/login/", {"username": username, "password": password}, page)

    @staticmethod
    def _form(url, data, page):
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        body = urllib.parse.urlencode({**data, "csrfmiddlewaretoken": token}).encode()
        return urllib.request.Request(url, data=body, headers={"Referer": url})


def percent(html):
    return int(re.search(r'<span class="percent">(\d+)%</span>', html).group(1))


def tick_urls(html):
    """The tick forms' actions on a roadmap page, in page order."""
    return re.findall(r'action="(/roadmaps/[\w-]+/milestones/\d+/)"', html)


def unavailable(message):
    """Skip a test this machine cannot run; in CI, which must run it, fail loudly instead."""
    if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        pytest.fail(f"CI must run the fault tests. {message}", pytrace=False)
    pytest.skip(message)


def require(*binaries):
    """The paths of these programs; without one, the test is unavailable."""
    paths = [shutil.which(binary) or shutil.which(binary, path=PG_BIN) for binary in binaries]
    missing = [binary for binary, path in zip(binaries, paths, strict=True) if path is None]
    if missing:
        unavailable(
            f"Needs {', '.join(missing)}: install redis-server and PostgreSQL's server "
            "programs (`sudo apt-get install redis-server postgresql`)."
        )
    return paths


class RedisServer:
    """A throwaway redis-server on a free port, without persistence, to stop and start again."""

    def __init__(self):
        (self.binary,) = require("redis-server")
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process = None

    def start(self):
        options = ["--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--daemonize", "no"]
        self.process = subprocess.Popen(
            [self.binary, "--port", str(self.port), *options],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.STDOUT,
        )
        wait_until(self.answers, 10, f"redis-server on port {self.port} did not start")
        return self

    def stop(self):
        if self.process is not None:
            stop(self.process)
            self.process = None

    def answers(self):
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=1) as ping:
                ping.sendall(b"PING\r\n")
                return ping.recv(16).startswith(b"+PONG")
        except OSError:
            return False


def user_exists(name):
    try:
        pwd.getpwnam(name)
    except KeyError:
        return False
    return True


class PostgresCluster:
    """A throwaway PostgreSQL cluster in a temporary folder, on a free port, trusting local users.

    initdb refuses to run as root, so as root the cluster runs as the `postgres` user.
    """

    def __init__(self):
        self.initdb, self.pg_ctl = require("initdb", "pg_ctl")
        self.as_postgres = os.geteuid() == 0
        if self.as_postgres and not (shutil.which("runuser") and user_exists("postgres")):
            unavailable("initdb refuses root: as root, the tests need runuser and a postgres user.")
        self.folder = Path(tempfile.mkdtemp(prefix="waypoint-pg-"))
        self.data = self.folder / "data"
        self.port = free_port()
        self.dsn = f"host=127.0.0.1 port={self.port} user=postgres dbname=waypoint"
        self.url = f"postgres://postgres@127.0.0.1:{self.port}/waypoint"

    def run(self, *command):
        if self.as_postgres:
            command = ("runuser", "-u", "postgres", "--", *command)
        subprocess.run(command, cwd=self.folder, check=True, capture_output=True, timeout=60)

    def create(self):
        if self.as_postgres:
            shutil.chown(self.folder, "postgres", "postgres")
        locale = ["--locale=C", "--encoding=UTF8", "--no-sync"]
        self.run(self.initdb, "-D", str(self.data), "-U", "postgres", "--auth=trust", *locale)
        self.start()
        with psycopg.connect(self.dsn.replace("dbname=waypoint", "dbname=postgres")) as admin:
            admin.autocommit = True
            admin.execute("CREATE DATABASE waypoint")
        return self

    def start(self):
        options = (
            f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 "
            "-c fsync=off -c shared_buffers=16MB -c max_connections=20"
        )
        log = str(self.folder / "postgres.log")
        self.run(self.pg_ctl, "-D", str(self.data), "-l", log, "-o", options, "-w", "start")

    def stop(self, mode="fast"):
        self.run(self.pg_ctl, "-D", str(self.data), "-m", mode, "-w", "stop")

    def running(self):
        command = [self.pg_ctl, "-D", str(self.data), "status"]
        if self.as_postgres:
            command = ["runuser", "-u", "postgres", "--", *command]
        return subprocess.run(command, cwd=self.folder, capture_output=True).returncode == 0

    def destroy(self):
        try:
            if self.data.exists() and self.running():
                self.stop("immediate")
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)
