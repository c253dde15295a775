"""Two `sendreminders` processes started together on one database deliver each e-mail once.

Runs on SQLite (one shared file) and, in CI, on PostgreSQL: both are real separate processes
talking to the test database and to an SMTP server the test starts.
"""

import io
import os
import re
import signal
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.db import OperationalError

from reminders.management.commands import sendreminders as command
from reminders.models import SentReminder
from tests.factories import load_roadmap, roadmap_data
from tests.reminders.conftest import SmtpServer
from tests.reminders.helpers import learner, reminders, tick
from tests.scale.servers import ROOT, database_url

LEARNERS = 15


def midday_zone(now):
    """A fixed-offset zone where it is now about noon: a digest due since 11:00 there stays
    due for the whole test, however late in the UTC day or week the test runs."""
    offset = 12 - now.hour  # -11..+12 hours
    return "UTC" if offset == 0 else f"Etc/GMT{-offset:+d}"  # Etc/ names have the sign flipped


@pytest.fixture
def smtp(transactional_db):
    """A real SMTP server that takes a moment over each message, so the senders overlap."""
    server = SmtpServer(delay=0.05)
    server.controller.start()
    yield server
    server.controller.stop()


def sendreminders(smtp, *args):
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "EMAIL_URL": smtp.url,
        "SITE_URL": "https://waypoint.example",
        "LOG_LEVEL": "WARNING",
    }
    return subprocess.Popen(
        [sys.executable, "manage.py", "sendreminders", *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_two_senders_started_together_deliver_each_message_exactly_once(smtp):
    now = datetime.now(UTC)
    zone = midday_zone(now)
    roadmap = load_roadmap(roadmap_data(phases=1, steps=2, milestones=2))
    local_weekday = now.astimezone(ZoneInfo(zone)).weekday()
    addresses = []
    for number in range(LEARNERS):
        user, enrollment = learner(
            f"learner{number}", roadmap, enrolled_at=now - timedelta(days=30), time_zone=zone
        )
        tick(enrollment, now - timedelta(days=3))
        reminders(user, digest=True, digest_weekday=local_weekday, hour=11, nudge_days=2)
        addresses.append(user.email)

    senders = [sendreminders(smtp), sendreminders(smtp)]
    outputs = [sender.communicate(timeout=120) for sender in senders]

    for sender, (__, err) in zip(senders, outputs, strict=True):
        assert sender.returncode == 0, err
    sent = [int(re.search(r"sendreminders: (\d+) sent", out).group(1)) for out, __ in outputs]
    assert sum(sent) == 2 * LEARNERS, sent
    for address in addresses:
        subjects = sorted(m["Subject"] for m in smtp.inbox.to(address))
        assert len(subjects) == 2, (address, subjects)
        assert subjects[0].startswith("3 days without a tick"), subjects
        assert subjects[1].startswith("Your week on Waypoint"), subjects
    assert SentReminder.objects.filter(sent_at__isnull=False).count() == 2 * LEARNERS


def test_the_loop_stops_cleanly_on_sigterm(smtp):
    sender = sendreminders(smtp, "--loop")
    try:
        first = sender.stdout.readline()
        assert first.startswith("sendreminders: 0 sent"), first
        sender.send_signal(signal.SIGTERM)
        out, err = sender.communicate(timeout=10)
    finally:
        if sender.poll() is None:
            sender.kill()
            sender.wait()
    assert sender.returncode == 0, err
    assert "finishing" in out


def test_the_loop_survives_a_failed_pass(monkeypatch, db, caplog):
    """A database or mail outage fails one pass, not the process."""
    passes = []

    def send(should_stop):
        passes.append(1)
        if len(passes) == 1:
            raise OperationalError("the database restarted")
        signal.raise_signal(signal.SIGTERM)  # stop after the second pass
        return 0

    monkeypatch.setattr(command, "send_due_reminders", send)
    monkeypatch.setattr(command, "LOOP_SECONDS", 0)
    previous = signal.getsignal(signal.SIGTERM), signal.getsignal(signal.SIGINT)
    try:
        call_command("sendreminders", "--loop", stdout=io.StringIO())
    finally:
        signal.signal(signal.SIGTERM, previous[0])
        signal.signal(signal.SIGINT, previous[1])

    assert len(passes) == 2
    assert "the pass failed; trying again in a minute" in caplog.text
