"""`make serve` in a scratch copy of the project: its key file is private, and stopping make
stops gunicorn, whether by Ctrl-C in the terminal or by the PID of make."""

import contextlib
import os
import signal
import socket
import stat
import subprocess

import pytest

from tests.scale.servers import ROOT, free_port, wait_until

KEEP_OUT = {".secret-key", "db.sqlite3", "db.sqlite3-wal", "db.sqlite3-shm", ".git"}


def listening(port):
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) == 0


@pytest.fixture
def project(tmp_path):
    """The project's files as symlinks, so make's own files (.secret-key) land in tmp_path."""
    for entry in ROOT.iterdir():
        if entry.name not in KEEP_OUT:
            (tmp_path / entry.name).symlink_to(entry)
    return tmp_path


@pytest.fixture
def serving(project):
    """`make serve` running in its own process group, as a terminal runs it: (process, port)."""
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{project / 'db.sqlite3'}",
        "WEB_CONCURRENCY": "1",
    }
    env.pop("SECRET_KEY", None)
    make = subprocess.Popen(
        ["make", "--no-print-directory", "serve", f"PORT={port}", "HOST=127.0.0.1"],
        cwd=project,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        wait_until(
            lambda: listening(port) or make.poll() is not None, 120, "make serve never listened"
        )
        assert make.poll() is None, f"make serve exited with {make.returncode}"
        yield make, port
    finally:
        with contextlib.suppress(ProcessLookupError):  # whatever is left of this test's group
            os.killpg(make.pid, signal.SIGKILL)
        make.wait()


def test_the_generated_secret_key_is_readable_by_its_owner_only(serving, project):
    assert stat.S_IMODE((project / ".secret-key").stat().st_mode) == 0o600


@pytest.mark.parametrize("how", ["ctrl-c", "make-pid"])
def test_stopping_make_serve_stops_gunicorn(how, serving):
    make, port = serving

    if how == "ctrl-c":
        os.killpg(make.pid, signal.SIGINT)  # what the terminal sends the foreground group
    else:
        os.kill(make.pid, signal.SIGTERM)

    wait_until(lambda: not listening(port), 15, f"gunicorn still listens after {how}")
