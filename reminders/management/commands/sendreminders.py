"""Send the reminder e-mails that are due: once (from cron) or in a loop (--loop).

Any number of copies may run at once, on any number of servers: each message is claimed in
the database before it is sent (reminders/sending.py), so nobody gets one twice.
"""

import logging
import signal
import time

from django.core.management.base import BaseCommand
from django.db import close_old_connections

from reminders.sending import send_due_reminders

LOOP_SECONDS = 60

log = logging.getLogger(__name__)


class Command(BaseCommand):
    help = "Send the weekly digests and nudges that are due."

    def add_arguments(self, parser):
        parser.add_argument(
            "--loop",
            action="store_true",
            help=f"Keep running, looking for due e-mails every {LOOP_SECONDS} seconds, "
            "until SIGTERM or SIGINT.",
        )

    def on_signal(self, signum, frame):
        self.stdout.write(f"{signal.strsignal(signum)}, finishing…")
        self.shutdown = True

    def handle(self, *args, loop=False, **options):
        self.shutdown = False
        signal.signal(signal.SIGTERM, self.on_signal)
        signal.signal(signal.SIGINT, self.on_signal)
        while not self.shutdown:
            # A long-lived process gets no request signals: drop a connection the database
            # closed (a restart) or that outlived CONN_MAX_AGE before each pass.
            close_old_connections()
            try:
                sent = send_due_reminders(should_stop=lambda: self.shutdown)
            except Exception:
                if not loop:
                    raise
                # The loop outlives a database or mail outage; claims make the retry safe.
                log.exception("sendreminders: the pass failed; trying again in a minute")
            else:
                self.stdout.write(f"sendreminders: {sent} sent")
                self.stdout.flush()  # one line per pass, at once, also into a pipe or a log
            if not loop:
                break
            # Sleep in short naps so that SIGTERM is answered within a second.
            deadline = time.monotonic() + LOOP_SECONDS
            while not self.shutdown and time.monotonic() < deadline:
                time.sleep(min(1.0, deadline - time.monotonic()))
