"""Faults under gunicorn: Redis stops, PostgreSQL restarts, a worker dies mid-transaction.

Every server here is a throwaway of the test's own on a free port (never the machine's
PostgreSQL or Redis), stopped and removed afterwards even when a test fails.
"""

import os
import re
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass

import psycopg
import pytest

from roadmap import learning
from tests.factories import load_roadmap, make_user, roadmap_data
from tests.scale.servers import (
    PRODUCTION,
    ROOT,
    Browser,
    PostgresCluster,
    database_url,
    percent,
    start_gunicorn,
    stop,
    tick_urls,
    wait_until,
)

pytestmark = pytest.mark.faults

ROADMAP = "/roadmaps/test-roadmap/"
DASHBOARD = "/dashboard/test-roadmap/"
OVERVIEW = "/dashboard/"
SEED = (
    "from roadmap import learning\n"
    "from tests.factories import load_roadmap, make_user, roadmap_data\n"
    "learning.enrol(make_user(), load_roadmap(roadmap_data(phases=1, steps=1, milestones=4)))\n"
)


@pytest.fixture
def gunicorn(tmp_path):
    """gunicorn(**env) starts a production-profile server; all are stopped after the test."""
    started = []

    def start(**env):
        log = (tmp_path / f"gunicorn-{len(started)}.log").open("w")
        settings = {**os.environ, **PRODUCTION, **env}
        process, url = start_gunicorn({k: v for k, v in settings.items() if v is not None}, log)
        started.append(process)
        return process, url

    yield start
    for process in started:
        stop(process)


def error_lines(tmp_path):
    logs = "".join(path.read_text() for path in tmp_path.glob("gunicorn-*.log"))
    return [line for line in logs.splitlines() if "Internal Server Error" in line]


def answers_ok(browser, url, path):
    status, __, body = browser.fetch(url + path)
    assert status == 200, f"{path} answered {status} (expected 200)"
    return body


def test_with_redis_stopped_pages_and_ticks_still_work(
    transactional_db, static_files, redis_server, gunicorn, tmp_path
):
    roadmap = load_roadmap(roadmap_data(phases=1, steps=1, milestones=4))
    learning.enrol(make_user(), roadmap)
    __, url = gunicorn(DATABASE_URL=database_url(), REDIS_URL=redis_server.url)
    browser = Browser()
    browser.log_in(url)

    def visit_and_tick(expected):
        page = answers_ok(browser, url, ROADMAP)
        answers_ok(browser, url, DASHBOARD)
        answers_ok(browser, url, OVERVIEW)
        status, __, page = browser.fetch(url + tick_urls(page)[expected - 1], {"done": "1"}, page)
        assert status == 200  # after the redirect back to the roadmap
        assert percent(page) == 25 * expected
        assert percent(answers_ok(browser, url, ROADMAP)) == 25 * expected
        assert f'id="dashboard-percent">{25 * expected}%<' in answers_ok(browser, url, DASHBOARD)
        answers_ok(browser, url, OVERVIEW)

    visit_and_tick(1)
    redis_server.stop()
    visit_and_tick(2)
    visit_and_tick(3)
    redis_server.start()
    visit_and_tick(4)
    assert error_lines(tmp_path) == []


@pytest.fixture(scope="module")
def cluster():
    """A throwaway PostgreSQL with Waypoint migrated, a learner and an enrolment."""
    cluster = PostgresCluster()
    try:
        cluster.create()
        env = {**os.environ, **PRODUCTION, "DATABASE_URL": cluster.url}
        for command in (["migrate", "--no-input", "-v0"], ["shell", "-v0", "-c", SEED]):
            subprocess.run(
                [sys.executable, "manage.py", *command],
                cwd=ROOT,
                env=env,
                check=True,
                capture_output=True,
                timeout=120,
            )
        yield cluster
    finally:
        cluster.destroy()


@pytest.fixture
def cluster_server(cluster, static_files, gunicorn):
    """One gunicorn worker on the throwaway cluster, keeping connections for a minute."""
    if not cluster.running():
        cluster.start()
    return gunicorn(DATABASE_URL=cluster.url, CONN_MAX_AGE="60", REDIS_URL=None)


@dataclass
class Answer:
    at: float
    seconds: float
    path: str
    status: object
    retry_after: str | None
    styled: bool


def keep_requesting(browser, url, answers, done):
    markers = {ROADMAP: '<span class="percent">', DASHBOARD: 'id="dashboard-percent"'}
    while not done.is_set():
        for path in (ROADMAP, DASHBOARD):
            started = time.monotonic()
            try:
                status, headers, body = browser.fetch(url + path, timeout=10)
            except OSError as error:  # a reset or a timeout: the test fails on it below
                status, headers, body = repr(error), {}, ""
            marker = markers[path] if status == 200 else "Waypoint is back in a moment"
            answers.append(
                Answer(
                    at=time.monotonic(),
                    seconds=time.monotonic() - started,
                    path=path,
                    status=status,
                    retry_after=headers.get("Retry-After"),
                    styled=marker in body,
                )
            )
        time.sleep(0.05)


def test_postgres_restarting_under_requests_is_a_503_then_back_without_a_restart(
    cluster, cluster_server, tmp_path
):
    process, url = cluster_server
    browser = Browser()
    browser.log_in(url)
    answers, done = [], threading.Event()
    requester = threading.Thread(target=keep_requesting, args=(browser, url, answers, done))
    requester.start()
    try:
        wait_until(lambda: len(answers) >= 4, 10, "no answers before the database stopped")
        stopping = time.monotonic()
        cluster.stop("fast")
        time.sleep(2)
        starting = time.monotonic()
        cluster.start()
        started = time.monotonic()

        def back():
            later = [a for a in answers if a.at > started and a.status == 200]
            return {a.path for a in later} == {ROADMAP, DASHBOARD}

        wait_until(back, 15, "pages did not answer 200 again once the database was back")
    finally:
        done.set()
        requester.join(timeout=15)

    assert process.poll() is None, "gunicorn kept running"
    assert {a.status for a in answers} <= {200, 503}, [a.status for a in answers]
    down = [a for a in answers if a.status == 503]
    assert [a for a in down if stopping < a.at < starting + 1], "no 503 while the database was down"
    assert all(a.retry_after == "30" for a in down)
    assert all(a.styled for a in answers), "every 200 is the page, every 503 the styled one"
    assert max(a.seconds for a in answers) < 5, "no request hung"
    assert error_lines(tmp_path) == []


def workers(master):
    command = ["ps", "--ppid", str(master.pid), "-o", "pid="]
    return [int(pid) for pid in subprocess.check_output(command, text=True).split()]


def count(db, query, *args):
    return db.execute(query, args).fetchone()[0]


def test_a_request_killed_mid_transaction_leaves_no_half_written_progress(cluster, cluster_server):
    process, url = cluster_server
    browser = Browser()
    browser.log_in(url)
    page = browser.get(url + ROADMAP)
    tick = tick_urls(page)[-1]
    milestone = int(re.search(r"/milestones/(\d+)/", tick).group(1))
    done_progress = (
        "SELECT count(*) FROM roadmap_milestoneprogress WHERE milestone_id = %s "
        "AND done_at IS NOT NULL"
    )
    activity = "SELECT count(*) FROM roadmap_activity WHERE milestone_id = %s"

    with psycopg.connect(cluster.dsn, autocommit=True) as db, psycopg.connect(cluster.dsn) as lock:
        assert count(db, done_progress, milestone) == count(db, activity, milestone) == 0
        lock.execute("LOCK TABLE roadmap_activity IN ACCESS EXCLUSIVE MODE")
        outcome = []

        def post_tick():
            try:
                outcome.append(browser.fetch(url + tick, {"done": "1"}, page)[0])
            except OSError as error:
                outcome.append(error)

        poster = threading.Thread(target=post_tick)
        poster.start()
        blocked = wait_until(
            lambda: db.execute(
                "SELECT pid, query, xact_start IS NOT NULL FROM pg_stat_activity "
                "WHERE datname = 'waypoint' AND backend_type = 'client backend' "
                "AND wait_event_type = 'Lock'"
            ).fetchone(),
            10,
            "the tick never waited for the lock",
        )
        backend, query, in_transaction = blocked
        assert query.lstrip().startswith('INSERT INTO "roadmap_activity"'), query
        assert in_transaction
        assert count(db, done_progress, milestone) == 0  # written, but not committed

        (worker,) = workers(process)
        os.kill(worker, signal.SIGKILL)
        poster.join(timeout=10)
        assert len(outcome) == 1
        assert isinstance(outcome[0], OSError), outcome
        lock.rollback()

        gone = "SELECT count(*) = 0 FROM pg_stat_activity WHERE pid = %s"
        wait_until(lambda: count(db, gone, backend), 10, "the dead request's backend lingered")
        assert count(db, done_progress, milestone) == 0
        assert count(db, activity, milestone) == 0

        page = browser.get(url + ROADMAP)  # served by the worker gunicorn started instead
        status, __, page = browser.fetch(url + tick, {"done": "1"}, page)
        assert status == 200
        assert count(db, done_progress, milestone) == 1
        assert count(db, activity, milestone) == 1
        assert worker not in workers(process)
