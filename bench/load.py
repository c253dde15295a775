"""Load benchmark: many learners ticking at once, then an integrity check of every write.

Run from the project folder:  make bench-load [DB=postgres]
                          or  .venv/bin/python bench/load.py [--learners 50] [--seconds 60]
                                  [--db sqlite|postgres] [--workers 2*cores+1]

It builds a throwaway database (see bench/support.py), enrols --learners learners in the
shipped ML roadmap and starts gunicorn in the production profile. Each learner (a thread)
logs in (all at once: the production password hasher makes this the slow part), and once
all are in, until time is up: opens the roadmap page, ticks a random milestone it has not
done (or, one time in four, unticks one it ticked), opens the roadmap's dashboard. There is no
think time: this is a stress test, so latencies include queueing.

Every answer must be 2xx or 3xx (a redirect to the login page counts as an error), every page
must show exactly the milestones the learner has had acknowledged (and the dashboard the
matching percent), and at the end the database must hold exactly those milestones as done,
with one activity-log entry per acknowledged change. It prints a table per request kind and
exits non-zero on any error, stale page or mismatch.
"""

import argparse
import os
import random
import re
import threading
import time
from collections import Counter, defaultdict

from support import PASSWORD, ROADMAP, Client, Server, create_learners, database, percentile

ROADMAP_PAGE = f"/roadmaps/{ROADMAP}/"
DASHBOARD = f"/dashboard/{ROADMAP}/"
KINDS = ("login-form", "login", "roadmap", "tick", "untick", "dashboard")
FORM = re.compile(
    rf'action="(/roadmaps/{ROADMAP}/milestones/(\d+)/)".*?name="done" value="([01])"', re.S
)
PERCENT = re.compile(rb'id="dashboard-percent">(\d+)%<')
UNTICK_SHARE = 0.25


class Learner(threading.Thread):
    def __init__(self, username, port, start, seed):
        super().__init__(daemon=True)
        self.username, self.start_line = username, start
        self.client = Client(port)
        self.random = random.Random(seed)
        self.latencies = defaultdict(list)
        self.errors = Counter()
        self.stale = Counter()
        self.done = set()  # milestones the server acknowledged as done
        self.doubtful = set()  # milestones whose tick or untick failed: state unknown
        self.changes = 0  # acknowledged ticks and unticks, each a real change

    def call(self, kind, method, path, form=None):
        """The response body, or None after recording an error."""
        began = time.perf_counter()
        try:
            status, headers, body = self.client.request(method, path, form)
        except Exception as error:
            self.errors[kind, type(error).__name__] += 1
            return None
        finally:
            self.latencies[kind].append(time.perf_counter() - began)
        if not 200 <= status < 400:
            self.errors[kind, f"HTTP {status}"] += 1
            return None
        if (headers.get("Location") or "").startswith("/accounts/login/") and kind != "login":
            self.errors[kind, "redirected to login"] += 1
            return None
        return body

    def run(self):
        self.call("login-form", "GET", "/accounts/login/")
        form = {"username": self.username, "password": PASSWORD}
        logged_in = self.call("login", "POST", "/accounts/login/", form) is not None
        deadline = self.start_line.wait()  # everyone starts the loop together
        while logged_in and time.monotonic() < deadline:
            page = self.call("roadmap", "GET", ROADMAP_PAGE)
            if page is None:
                continue
            forms = {int(pk): (action, value) for action, pk, value in FORM.findall(page.decode())}
            if not forms:
                self.errors["roadmap", "no milestone forms"] += 1
                continue
            shown = {pk for pk, (__, value) in forms.items() if value == "0"}
            if shown - self.doubtful != self.done - self.doubtful:
                self.stale["roadmap"] += 1
            undone = sorted(set(forms) - self.done)
            untick = self.done and (not undone or self.random.random() < UNTICK_SHARE)
            pk = self.random.choice(sorted(self.done) if untick else undone)
            kind = "untick" if untick else "tick"
            if self.call(kind, "POST", forms[pk][0], {"done": "0" if untick else "1"}) is None:
                self.doubtful.add(pk)
            else:
                (self.done.discard if untick else self.done.add)(pk)
                self.changes += 1
            dashboard = self.call("dashboard", "GET", DASHBOARD)
            match = dashboard and PERCENT.search(dashboard)
            percent = len(self.done) * 100 // len(forms)
            if dashboard and not self.doubtful and (not match or int(match[1]) != percent):
                self.stale["dashboard"] += 1


def integrity(learners):
    """Compare what the server acknowledged with what the database holds; returns problems."""
    from django.db.models import Count

    from roadmap.models import Activity, MilestoneProgress

    in_database = defaultdict(set)
    rows = MilestoneProgress.objects.filter(
        enrollment__roadmap__slug=ROADMAP, done_at__isnull=False
    )
    for username, pk in rows.values_list("enrollment__user__username", "milestone_id"):
        in_database[username].add(pk)
    entries = dict(
        Activity.objects.filter(kind__in=[Activity.Kind.TICKED, Activity.Kind.UNTICKED])
        .values_list("enrollment__user__username")
        .annotate(Count("pk"))
    )
    problems = []
    for learner in learners:
        name, expected, found = learner.username, learner.done, in_database[learner.username]
        for pk in sorted(expected - found):
            doubt = " (after a failed request)" if pk in learner.doubtful else ""
            problems.append(f"{name}: milestone {pk} acknowledged done, not done{doubt}")
        for pk in sorted(found - expected):
            doubt = " (after a failed request)" if pk in learner.doubtful else ""
            problems.append(f"{name}: milestone {pk} done, not acknowledged{doubt}")
        if entries.get(name, 0) != learner.changes:
            doubt = f" ({len(learner.doubtful)} failed requests)" if learner.doubtful else ""
            problems.append(
                f"{name}: {entries.get(name, 0)} log entries for {learner.changes} changes{doubt}"
            )
    done = sum(len(found) for found in in_database.values())
    expected = sum(len(learner.done) for learner in learners)
    logged, changes = sum(entries.values()), sum(learner.changes for learner in learners)
    return (
        problems,
        f"{done} milestones done, {expected} expected; {logged} log entries, {changes} changes",
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--learners", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1) + 1)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    with database(args.db):
        names = create_learners(args.learners)
        from django.db import connection

        vendor = connection.vendor
        connection.close()
        with Server(args.workers) as server:
            print(
                f"{args.learners} learners, {args.seconds:g} s, {vendor}, "
                f"gunicorn {args.workers} sync workers, {os.cpu_count()} cores, "
                f"load average {os.getloadavg()[0]:.1f}"
            )
            start = StartLine(len(names), args.seconds)
            learners = [
                Learner(name, server.port, start, args.seed * 100_000 + number)
                for number, name in enumerate(names)
            ]
            for learner in learners:
                learner.start()
            for learner in learners:
                learner.join()
            elapsed = time.monotonic() - start.began
            server_errors = server.exceptions()
        report(learners, start.began - start.logins, elapsed)
        problems, summary = integrity(learners)

    errors = sum((learner.errors for learner in learners), Counter())
    stale = sum((learner.stale for learner in learners), Counter())
    for (kind, what), count in sorted(errors.items()):
        print(f"error: {kind}: {what} x {count}")
    for what, count in sorted(server_errors.items()):
        print(f"server log: {what} x {count}")
    for kind, count in sorted(stale.items()):
        print(f"stale: {count} {kind} pages did not show the acknowledged progress")
    if problems:
        print(f"integrity: FAILED ({summary})")
        for problem in problems[:50]:
            print(f"  {problem}")
        if len(problems) > 50:
            print(f"  … and {len(problems) - 50} more")
    else:
        print(f"integrity: OK ({summary})")
    raise SystemExit(1 if errors or stale or problems else 0)


class StartLine(threading.Barrier):
    """Learners log in together, then loop together for `seconds` once the last is in."""

    def __init__(self, parties, seconds):
        super().__init__(parties, action=self.go)
        self.seconds, self.logins = seconds, time.monotonic()

    def go(self):
        self.began = time.monotonic()

    def wait(self):
        super().wait()
        return self.began + self.seconds


def report(learners, login_phase, elapsed):
    print(f"{'kind':<12}{'count':>8}{'errors':>8}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}")
    total = 0
    for kind in KINDS:
        if kind == "roadmap":
            print(f"{total} login requests in {login_phase:.1f} s, then every learner loops:")
            total = 0
        times = sorted(t * 1000 for learner in learners for t in learner.latencies[kind])
        errors = sum(
            n for learner in learners for (k, __), n in learner.errors.items() if k == kind
        )
        total += len(times)
        p50, p95, p99 = (percentile(times, p) for p in (50, 95, 99))
        print(f"{kind:<12}{len(times):>8}{errors:>8}{p50:>9.0f}{p95:>9.0f}{p99:>9.0f}")
    print(f"{total} requests in {elapsed:.1f} s: {total / elapsed:.1f} requests/s overall")
    print(f"load average now: {' '.join(f'{load:.1f}' for load in os.getloadavg())}")


if __name__ == "__main__":
    main()
