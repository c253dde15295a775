"""Two gunicorn servers on one database (and Redis): a tick through A shows at once on B.

The servers run the production profile against the test database, so this runs on SQLite
(one shared file in WAL mode) and, in CI, on PostgreSQL.
"""

import http.cookiejar
import os
import re
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from django.db import connection

from roadmap import learning
from tests.factories import load_roadmap, make_user, roadmap_data

ROOT = Path(__file__).resolve().parents[2]
GUNICORN = Path(sys.executable).with_name("gunicorn")


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def database_url():
    settings = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{settings['NAME']}"
    user, host = settings["USER"] or "postgres", settings["HOST"] or "127.0.0.1"
    return f"postgres://{user}@{host}:{settings['PORT'] or 5432}/{settings['NAME']}"


PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": "two-servers-test-" + "0123456789abcdef" * 3,
    "ALLOWED_HOSTS": "127.0.0.1",
    "SECURE_SSL_REDIRECT": "0",
    "SECURE_COOKIES": "0",
    "REDIS_URL": "redis://127.0.0.1:6379/15",
}


@pytest.fixture
def fast_password_hashing():
    """The servers check passwords with the production hashers, so keep them here too."""


@pytest.fixture(scope="module")
def static_files():
    command = [sys.executable, "manage.py", "collectstatic", "--no-input", "-v0"]
    subprocess.run(command, cwd=ROOT, env={**os.environ, **PRODUCTION}, check=True)


@pytest.fixture
def servers(transactional_db, static_files):
    env = {**os.environ, **PRODUCTION, "DATABASE_URL": database_url()}
    processes, urls = [], []
    for __ in range(2):
        port = free_port()
        processes.append(
            subprocess.Popen(
                [str(GUNICORN), "config.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "1"],
                cwd=ROOT,
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
            )
        )
        urls.append(f"http://127.0.0.1:{port}")
    for url in urls:
        for __ in range(100):
            try:
                urllib.request.urlopen(f"{url}/healthz", timeout=2)
                break
            except OSError:
                time.sleep(0.1)
    yield urls
    for process in processes:
        process.terminate()
    for process in processes:
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


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
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        body = urllib.parse.urlencode({**data, "csrfmiddlewaretoken": token}).encode()
        request = urllib.request.Request(url, data=body, headers={"Referer": url})
        with self.opener.open(request, timeout=10) as response:
            return response.read().decode()


def percent(html):
    return int(re.search(r'<span class="percent">(\d+)%</span>', html).group(1))


def test_a_tick_on_server_a_shows_at_once_on_server_b(servers):
    a, b = servers
    roadmap = load_roadmap(roadmap_data(phases=1, steps=1, milestones=4))
    user = make_user()
    learning.enrol(user, roadmap)
    browser = Browser()
    login = browser.get(f"{a}/accounts/login/")
    browser.post(
        f"{a}/accounts/login/", {"username": "learner", "password": "correct horse 42"}, login
    )

    assert percent(browser.get(f"{b}/roadmaps/test-roadmap/")) == 0  # B knows my session
    page = browser.get(f"{a}/roadmaps/test-roadmap/")
    tick_url = re.search(r'action="(/roadmaps/test-roadmap/milestones/\d+/)"', page).group(1)
    browser.post(f"{a}{tick_url}", {"done": "1"}, page)

    assert percent(browser.get(f"{b}/roadmaps/test-roadmap/")) == 25
    assert 'id="dashboard-percent">25%<' in browser.get(f"{b}/dashboard/test-roadmap/")
