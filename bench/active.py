"""Active-learner benchmark: learners ticking with htmx and opening the roadmap page after each
tick, against a bare Django view in the same run; then integrity and memory checks.

Run from the project folder:  make bench-active [DB=postgres]
                          or  .venv/bin/python bench/active.py [--learners 10] [--seconds 20]
                                  [--db sqlite|postgres] [--workers 2]

It builds a throwaway database (see bench/support.py) with --learners learners enrolled in the
shipped ML roadmap, each with some history (a quarter of its milestones ticked over the last
two months), and starts gunicorn (2 workers) in the production profile with bench/settings.py,
which adds the bare view at /bench/bare/<size>/. Each learner is one thread with its own
connection at a time (a new one per request, as gunicorn's sync workers close them) and, with
no think time, loops: an htmx tick (POST with HX-Request and the CSRF token in its header),
alternately ticking the next milestone it has not done, in roadmap order, and unticking one
it has done; then GET the roadmap page, with `Accept-Encoding: gzip` as browsers ask (a cache
miss: the progress changed). The bare view returns as many bytes as the uncompressed page,
to the same number of connections, without Accept-Encoding (as in bench/throughput.py). The
two run in turns of --slice seconds until each has had --seconds, so that the machine's
changing load hits both alike; the report gives requests/s, p50 and p99 and the share of the
bare view's requests/s, with PASS or FAIL against the target (at least 10%, p99 under
100 ms, no errors). It also gives the server's CPU time per request while the learners ran
(the gunicorn workers', and PostgreSQL's processes'), against the workers' per bare-view
request: a steadier ratio than requests/s on a shared machine, since it does not depend on
what else the cores are doing meanwhile.

Checks, each making the exit status non-zero when it fails:
- every answer is a 200, every tick response shows the state asked for, and every page shows
  exactly the milestones the learner has had acknowledged when it arrived (no stale page;
  pages are checked between slices, not between requests: see Learner.check_pages);
- integrity, as bench/load.py: at the end the database holds exactly the milestones each
  learner believes done, one activity-log entry per acknowledged change, and no duplicate
  progress rows;
- memory: each gunicorn worker's resident memory (VmRSS) after start-up plus a view of each
  page (roadmap page, step page, dashboard, map) by every learner, and again after the
  benchmark, must stay within 20%.
"""

import argparse
import gzip
import os
import re
import sys
import threading
import time
from collections import Counter, defaultdict
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from support import ROADMAP, Client, Server, create_learners, database, percentile
from throughput import run as run_bare
from throughput import seed_progress

ROADMAP_PAGE = f"/roadmaps/{ROADMAP}/"
FORM = re.compile(
    rf'action="(/roadmaps/{ROADMAP}/milestones/(\d+)/)".*?name="done" value="([01])"', re.S
)
PERCENT = re.compile(r'<span class="percent">(\d+)%</span>')
PRESSED = re.compile(r'aria-pressed="(true|false)"')
TARGET_SHARE, TARGET_P99_MS, MEMORY_GROWTH = 0.10, 100, 0.20


class Learner:
    """One learner's loop; runs in a thread per slice and keeps its state between slices."""

    def __init__(self, username, port):
        self.username = username
        self.client = Client(port)
        self.latencies = defaultdict(list)
        self.errors = Counter()
        self.stale = 0
        self.forms = {}  # milestone id -> tick URL, in roadmap order
        self.done = set()  # milestones the server acknowledged as done
        self.doubtful = set()  # milestones whose tick failed: state unknown
        self.changes = 0  # acknowledged ticks and unticks, each a real change
        self.loops = 0
        self.pages = []  # (body, gzipped, done, doubtful) of pages not yet checked

    def prepare(self, milestones, done):
        """Log in; `milestones`: the roadmap's milestone ids in roadmap order, `done`: those
        this learner has done (read from the database before the run)."""
        self.client.login(self.username)
        self.forms = {pk: f"{ROADMAP_PAGE}milestones/{pk}/" for pk in milestones}
        self.done = set(done)

    def call(self, kind, method, path, form=None, headers=None):
        """(headers, body), or None after recording an error."""
        began = time.perf_counter()
        try:
            status, answer, body = self.client.request(method, path, form, headers)
        except Exception as error:
            self.errors[kind, type(error).__name__] += 1
            return None
        finally:
            self.latencies[kind].append(time.perf_counter() - began)
        if status != 200:
            self.errors[kind, f"HTTP {status}"] += 1
            return None
        return answer, body

    def loop(self, deadline):
        while time.perf_counter() < deadline:
            self.step()

    def step(self):
        undone = [pk for pk in self.forms if pk not in self.done]
        tick = bool(undone) and (self.loops % 2 == 0 or not self.done)
        self.loops += 1
        if tick:
            pk = undone[0]
        else:  # the learner's done milestones, oldest history first, in turn
            done = sorted(self.done)
            pk = done[self.loops // 2 % len(done)]
        headers = {"HX-Request": "true", "X-CSRFToken": self.client.cookies.get("csrftoken", "")}
        answer = self.call("tick", "POST", self.forms[pk], {"done": "1" if tick else "0"}, headers)
        pressed = answer and PRESSED.search(answer[1].decode())
        if not pressed or pressed[1] != ("true" if tick else "false"):
            self.doubtful.add(pk)
            if answer:
                self.errors["tick", "response does not show the state asked for"] += 1
        else:
            (self.done.add if tick else self.done.discard)(pk)
            self.changes += 1
        answer = self.call("roadmap", "GET", ROADMAP_PAGE, headers={"Accept-Encoding": "gzip"})
        if answer is not None:
            gzipped = answer[0].get("Content-Encoding") == "gzip"
            state = frozenset(self.done), frozenset(self.doubtful)
            self.pages.append((answer[1], gzipped, *state))

    def check_pages(self):
        """Check the pages this learner received since the last check against what it
        believed done when each arrived: between slices, so that no learner holds the
        client's interpreter (decompressing and searching a page) while another's answer
        waits to be read and its connection closed, which the server's worker waits for."""
        for body, gzipped, done, doubtful in self.pages:  # as the learner knew them then
            html = (gzip.decompress(body) if gzipped else body).decode()
            # The page shows the overall percent, and the next step's milestones to tick.
            forms = {int(pk): value == "0" for __, pk, value in FORM.findall(html)}
            shown = PERCENT.search(html)
            percent = len(done) * 100 // len(self.forms)
            wrong = any(
                is_done != (pk in done) for pk, is_done in forms.items() if pk not in doubtful
            )
            if wrong or not shown or (not doubtful and int(shown[1]) != percent):
                self.stale += 1
        self.pages.clear()


def server_cpu(master, database):
    """[CPU seconds of the gunicorn master's workers, of the PostgreSQL processes serving
    `database` (none for SQLite, which runs in the workers)], from /proc."""
    used = [0.0, 0.0]
    tick = os.sysconf("SC_CLK_TCK")
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
            command = (stat.parent / "cmdline").read_bytes().decode(errors="replace")
        except OSError:  # the process ended meanwhile
            continue
        fields = text.rsplit(")", 1)[1].split()
        seconds = (int(fields[11]) + int(fields[12])) / tick  # utime, stime
        if int(fields[1]) == master:
            used[0] += seconds
        elif command.startswith("postgres:") and f" {database} " in command:
            used[1] += seconds  # a backend: "postgres: 15/main: user database host state"
    return used


def in_turns(learners, port, size, args, measure=lambda: [0.0, 0.0]):
    """Alternate slices of the learners' loop and of the bare view; returns (active wall
    time, bare latencies, bare errors, bare wall time, client CPU share while active,
    [server CPU seconds while active: workers, database], workers' CPU seconds while the bare
    view ran), the server's CPU as `measure()` reads it (server_cpu)."""
    request = (
        f"GET /bench/bare/{size}/ HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n"
    ).encode()
    active_wall = bare_wall = cpu = bare_cpu = 0.0
    active_cpu = [0.0, 0.0]
    bare_latencies, bare_errors = [], []
    for __ in range(max(1, round(args.seconds / args.slice))):
        before = measure()
        began, process = time.perf_counter(), time.process_time()
        deadline = began + args.slice
        threads = [threading.Thread(target=learner.loop, args=(deadline,)) for learner in learners]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        active_wall += time.perf_counter() - began
        cpu += time.process_time() - process
        after = measure()
        for learner in learners:
            learner.check_pages()
        active_cpu = [
            total + now - then for total, now, then in zip(active_cpu, after, before, strict=True)
        ]
        began = time.perf_counter()
        latencies, errors = run_bare(port, request, len(learners), args.slice)
        bare_wall += time.perf_counter() - began
        bare_cpu += measure()[0] - after[0]
        bare_latencies += latencies
        bare_errors += errors
    return (
        active_wall,
        bare_latencies,
        bare_errors,
        bare_wall,
        cpu / active_wall,
        active_cpu,
        bare_cpu,
    )


def roadmap_progress():
    """(The roadmap's live milestone ids in roadmap order, {username: ids done})."""
    from roadmap.models import Milestone, MilestoneProgress

    milestones = list(
        Milestone.objects.live()
        .filter(roadmap__slug=ROADMAP)
        .order_by("step__phase__position", "step__position", "position", "pk")
        .values_list("pk", flat=True)
    )
    done = defaultdict(set)
    rows = MilestoneProgress.objects.filter(
        enrollment__roadmap__slug=ROADMAP, done_at__isnull=False
    )
    for username, pk in rows.values_list("enrollment__user__username", "milestone_id"):
        done[username].add(pk)
    return milestones, done


def workers(master):
    """{pid: VmRSS in KiB} of the gunicorn master's worker processes."""
    children = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:  # the process ended meanwhile
            continue
        if int(fields[1]) == master:  # the parent's pid, after the state
            children.add(int(stat.parent.name))
    rss = {}
    for pid in sorted(children):
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                rss[pid] = int(line.split()[1])
    return rss


def view_each_page(learners, pids, tries=400):
    """View each page until every worker (pids) has served it at least once: the memory
    baseline is of warm workers, each with every page's code and caches loaded."""
    from roadmap.models import Step

    step = Step.objects.filter(roadmap__slug=ROADMAP).order_by("phase__position", "position")[0]
    paths = (
        ROADMAP_PAGE,
        f"{ROADMAP_PAGE}steps/{step.key}/",
        f"/dashboard/{ROADMAP}/",
        f"{ROADMAP_PAGE}map/",
    )
    served = {path: set() for path in paths}

    def view(learner, path):
        status, headers, __ = learner.client.request(
            "GET", path, headers={"Accept-Encoding": "gzip"}
        )
        assert status == 200, (path, status)
        served[path].add(int(headers["X-Bench-Worker"]))

    # Concurrent views: while one worker is busy, the next request goes to another.
    with ThreadPoolExecutor(len(learners)) as pool:
        for __ in range(tries):
            for path in paths:
                list(pool.map(view, learners, [path] * len(learners)))
            if all(set(pids) <= workers_seen for workers_seen in served.values()):
                return
    raise SystemExit(f"not every worker served each page after {tries} tries: {served}")


def integrity(learners, first_entry):
    """Compare what the server acknowledged with what the database holds; returns problems."""
    from django.db.models import Count

    from roadmap.models import Activity, MilestoneProgress

    in_database = defaultdict(set)
    rows = MilestoneProgress.objects.filter(enrollment__roadmap__slug=ROADMAP)
    for username, pk in rows.filter(done_at__isnull=False).values_list(
        "enrollment__user__username", "milestone_id"
    ):
        in_database[username].add(pk)
    duplicates = (
        rows.values("enrollment_id", "milestone_id").annotate(n=Count("pk")).filter(n__gt=1)
    )
    entries = dict(
        Activity.objects.filter(
            pk__gt=first_entry, kind__in=[Activity.Kind.TICKED, Activity.Kind.UNTICKED]
        )
        .values_list("enrollment__user__username")
        .annotate(Count("pk"))
    )
    problems = [f"{len(duplicates)} duplicate progress rows"] if duplicates.exists() else []
    for learner in learners:
        name, expected, found = learner.username, learner.done, in_database[learner.username]
        for pk in sorted(expected ^ found):
            doubt = " (after a failed request)" if pk in learner.doubtful else ""
            state = "acknowledged done, not done" if pk in expected else "done, not acknowledged"
            problems.append(f"{name}: milestone {pk} {state}{doubt}")
        if entries.get(name, 0) != learner.changes:
            problems.append(f"{name}: {entries.get(name, 0)} log entries for {learner.changes}")
    done = sum(len(found) for found in in_database.values())
    expected = sum(len(learner.done) for learner in learners)
    logged, changes = sum(entries.values()), sum(learner.changes for learner in learners)
    return problems, (
        f"{done} milestones done, {expected} expected; {logged} log entries, {changes} changes"
    )


def main():
    # The learners are threads of this one process: with Python's default 5 ms switch
    # interval a thread whose answer has arrived waits for another's page check, and the
    # server's worker waits on it to hang up. Browsers do not make servers wait like that.
    sys.setswitchinterval(0.0005)
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--learners", type=int, default=10)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--slice", type=float, default=2)
    parser.add_argument("--warmup", type=float, default=2)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    args = parser.parse_args()

    with database(args.db):
        from django.db import connection

        from roadmap.models import Activity

        names = create_learners(args.learners, prefix="active")
        history = sum(seed_progress(name) for name in names)
        vendor = connection.vendor
        connection.close()
        with Server(args.workers, settings_module="bench.settings") as server:
            learners = [Learner(name, server.port) for name in names]
            milestones, done = roadmap_progress()
            for learner in learners:
                learner.prepare(milestones, done[learner.username])
            view_each_page(learners, workers(server.process.pid))
            before = workers(server.process.pid)
            __, __, page = learners[0].client.request("GET", ROADMAP_PAGE)
            size = len(page)
            first_entry = Activity.objects.order_by("-pk").values_list("pk", flat=True).first()
            connection.close()
            warm = argparse.Namespace(**{**vars(args), "seconds": args.warmup, "slice": 1})
            in_turns(learners, server.port, size, warm)
            for learner in learners:  # the warm-up's requests are not timed
                learner.latencies.clear()
            master, name = server.process.pid, connection.settings_dict["NAME"]
            active_wall, bare, bare_errors, bare_wall, cpu, active_cpu, bare_cpu = in_turns(
                learners, server.port, size, args, lambda: server_cpu(master, name)
            )
            after = workers(server.process.pid)
            server_errors = server.exceptions()
        problems, summary = integrity(learners, first_entry or 0)

    print(
        f"{vendor}, gunicorn {args.workers} sync workers, {os.cpu_count()} cores, "
        f"{args.learners} learners (one connection each, {history} milestones of history), "
        f"{args.seconds:g} s each in {args.slice:g} s turns with the bare view, after "
        f"{args.warmup:g} s warm-up; load average {os.getloadavg()[0]:.1f}"
    )
    print(f"{'kind':<22}{'count':>7}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}{'vs bare':>9}  target")
    every = sorted(
        t * 1000 for learner in learners for ts in learner.latencies.values() for t in ts
    )
    bare_rate = len(bare) / bare_wall
    rate = len(every) / active_wall
    errors = sum((learner.errors for learner in learners), Counter())
    stale = sum(learner.stale for learner in learners)
    p99 = percentile(every, 99)
    passed = rate / bare_rate >= TARGET_SHARE and p99 < TARGET_P99_MS and not errors
    for kind in ("tick", "roadmap"):
        times = sorted(t * 1000 for learner in learners for t in learner.latencies[kind])
        label = "  htmx tick (POST)" if kind == "tick" else "  roadmap page (gzip)"
        print(
            f"{label:<22}{len(times):>7}{len(times) / active_wall:>9.1f}"
            f"{percentile(times, 50):>9.1f}{percentile(times, 99):>9.1f}"
        )
    print(
        f"{'tick, then page':<22}{len(every):>7}{rate:>9.1f}{percentile(every, 50):>9.1f}"
        f"{p99:>9.1f}{rate / bare_rate:>8.1%}  {'PASS' if passed else 'FAIL'}"
    )
    bare_times = sorted(t * 1000 for t in bare)
    print(
        f"{'bare view':<22}{len(bare):>7}{bare_rate:>9.1f}{percentile(bare_times, 50):>9.1f}"
        f"{percentile(bare_times, 99):>9.1f}  ({size} bytes, client CPU {cpu:.0%} while active)"
    )
    # Server CPU per request: steadier than requests/s on a shared machine (it does not
    # depend on what else the cores are doing), so a change's effect shows in one run.
    workers_ms, database_ms = (used * 1000 / max(1, len(every)) for used in active_cpu)
    bare_ms = bare_cpu * 1000 / max(1, len(bare))
    print(
        f"server CPU per request: tick or page {workers_ms + database_ms:.2f} ms (workers "
        f"{workers_ms:.2f} + database {database_ms:.2f}), bare view {bare_ms:.3f} ms: "
        f"{bare_ms / (workers_ms + database_ms):.1%}"
    )
    print(
        f"target: at least {TARGET_SHARE:.0%} of the bare view's requests/s, p99 under "
        f"{TARGET_P99_MS} ms, no errors"
    )
    for (kind, what), count in sorted(errors.items()):
        print(f"error: {kind}: {what} x {count}")
    if bare_errors:
        print(f"error: bare view: {len(bare_errors)} x {sorted(set(map(str, bare_errors)))}")
    for what, count in sorted(server_errors.items()):
        print(f"server log: {what} x {count}")
    if stale:
        print(f"stale: {stale} roadmap pages did not show the acknowledged progress")
    print(f"integrity: {'FAILED' if problems else 'OK'} ({summary})")
    for problem in problems[:50]:
        print(f"  {problem}")

    grown = False
    for pid, rss in before.items():
        now = after.get(pid)
        if now is None:
            print(f"memory: worker {pid} ({rss / 1024:.1f} MiB before) is gone")
            grown = True
            continue
        growth = now / rss - 1
        verdict = "OK" if growth <= MEMORY_GROWTH else "FAIL"
        grown |= growth > MEMORY_GROWTH
        print(
            f"memory: worker {pid}: {rss / 1024:.1f} MiB after start-up and a view of each page, "
            f"{now / 1024:.1f} MiB after the benchmark ({growth:+.0%}; at most "
            f"{MEMORY_GROWTH:+.0%}) {verdict}"
        )
    failed = errors or bare_errors or stale or problems or grown or server_errors
    raise SystemExit(1 if failed else 0)


if __name__ == "__main__":
    main()
