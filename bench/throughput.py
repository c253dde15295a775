"""Throughput benchmark: requests/s and latency of the roadmap page and its dashboard under
gunicorn, each next to a bare Django view that returns the same number of bytes.

Run from the project folder:  make bench-throughput [DB=postgres]
                          or  .venv/bin/python bench/throughput.py [--seconds 10]
                                  [--connections 10] [--db sqlite|postgres]

It builds a throwaway database (see bench/support.py) with one learner enrolled in the shipped
ML roadmap who has ticked a quarter of its milestones over the last two months, and starts
gunicorn (2 workers) in the production profile with bench/settings.py, which adds the bare
view at /bench/bare/<size>/ (never part of the site's URLs). For each page it measures the
uncompressed size, warms up the page, the page as browsers ask for it (`Accept-Encoding:
gzip, deflate, br`) and the bare view (asked without Accept-Encoding), then runs each for
--seconds at --connections concurrent connections, in turns of --slice seconds so that the
machine's changing load hits them alike, and prints requests/s, p50 and p99 latency, the
ratio to the bare view, and PASS or FAIL against the target: at least 15% of the bare view's
requests/s uncompressed, 30% compressed, and p99 under 50 ms. It always exits 0: it is a
report.

The load generator is one thread per connection on a raw blocking socket: a minimal HTTP/1.1
GET (Host, Cookie, Connection: close, and Accept-Encoding for the gzip rows), read until the
server closes. Against the bare view it used less CPU per request than both asyncio streams
and threads with http.client (about 15% of one core at 800-1200 requests/s here, against
25-30% for the others at lower rates). The
`client CPU` column is its own CPU time over the wall time of each run: a figure near 100%
would mean the generator, not the server, was the limit.
"""

import argparse
import os
import socket
import threading
import time
from datetime import timedelta

from support import ROADMAP, Client, Server, create_learners, database, percentile

PAGES = {"roadmap": f"/roadmaps/{ROADMAP}/", "dashboard": f"/dashboard/{ROADMAP}/"}
TARGET_SHARE, TARGET_P99_MS = {"plain": 0.15, "gzip": 0.30}, 50
GZIP = "Accept-Encoding: gzip, deflate, br\r\n"


def seed_progress(username, days=60, share=4):
    """Tick every `share`-th milestone, one a day or so over the last `days` days."""
    from django.utils import timezone

    from roadmap import learning
    from roadmap.models import Enrollment, Milestone

    enrollment = Enrollment.objects.get(user__username=username, roadmap__slug=ROADMAP)
    milestones = list(Milestone.objects.filter(roadmap__slug=ROADMAP).order_by("pk"))[::share]
    start = timezone.now() - timedelta(days=days)
    for number, milestone in enumerate(milestones):
        when = start + timedelta(days=number * days / len(milestones), hours=1)
        learning.set_milestone(enrollment, milestone, True, now=when)
    return len(milestones)


def fetch(port, request):
    """One request on a new connection, read until the server closes; returns the status."""
    with socket.create_connection(("127.0.0.1", port), timeout=30) as connection:
        connection.sendall(request)
        answer = first = connection.recv(65536)
        while answer:
            answer = connection.recv(65536)
    return int(first[9:12]) if first.startswith(b"HTTP/1.") else 0


def run(port, request, connections, seconds):
    """`connections` threads sending `request` for `seconds`; returns latencies (s), errors."""
    latencies, errors = [], []
    deadline = time.perf_counter() + seconds

    def loop():
        while time.perf_counter() < deadline:
            began = time.perf_counter()
            try:
                status = fetch(port, request)
            except OSError as error:
                status = type(error).__name__
            if status == 200:
                latencies.append(time.perf_counter() - began)
            else:
                errors.append(status)

    threads = [threading.Thread(target=loop) for __ in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return latencies, errors


def measure(port, paths, cookie, args):
    """Warm each (path, extra headers) up, then run them in turns of --slice seconds until
    each has had --seconds (so that a change in the machine's load hits them alike); returns
    per path (req/s, p50 ms, p99 ms, client CPU share, errors)."""
    requests = [
        f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nCookie: {cookie}\r\n"
        f"{headers}Connection: close\r\n\r\n".encode()
        for path, headers in paths
    ]
    for request in requests:
        run(port, request, args.connections, args.warmup)
    totals = [{"latencies": [], "errors": [], "wall": 0.0, "cpu": 0.0} for __ in paths]
    for __ in range(max(1, round(args.seconds / args.slice))):
        for request, total in zip(requests, totals, strict=True):
            cpu, began = time.process_time(), time.perf_counter()
            latencies, errors = run(port, request, args.connections, args.slice)
            total["wall"] += time.perf_counter() - began
            total["cpu"] += time.process_time() - cpu
            total["latencies"] += latencies
            total["errors"] += errors
    results = []
    for total in totals:
        times = sorted(t * 1000 for t in total["latencies"])
        rate, cpu = len(times) / total["wall"], total["cpu"] / total["wall"]
        p50, p99 = percentile(times, 50), percentile(times, 99)
        results.append((rate, p50, p99, cpu, total["errors"]))
    return results


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--warmup", type=float, default=2)
    parser.add_argument("--slice", type=float, default=1)
    parser.add_argument("--connections", type=int, default=10)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    args = parser.parse_args()

    with database(args.db):
        from django.db import connection

        [username] = create_learners(1, prefix="reader")
        ticked = seed_progress(username)
        vendor = connection.vendor
        connection.close()
        with Server(args.workers, settings_module="bench.settings") as server:
            client = Client(server.port)
            client.login(username)
            rows = []
            for kind, path in PAGES.items():
                status, __, body = client.request("GET", path)
                assert status == 200, (path, status)
                size = len(body)
                status, headers, compressed = client.request(
                    "GET", path, headers={"Accept-Encoding": "gzip"}
                )
                assert status == 200, (path, status)
                assert headers["Content-Encoding"] == "gzip", (path, headers)
                paths = [(path, ""), (path, GZIP), (f"/bench/bare/{size}/", "")]
                page, gzipped, bare = measure(server.port, paths, client.cookie_header(), args)
                rows += [
                    (kind, "plain", size, page, bare),
                    (f"{kind}, gzip", "gzip", len(compressed), gzipped, bare),
                    ("  bare view", None, size, bare, bare),
                ]

    print(
        f"{vendor}, gunicorn {args.workers} sync workers, {os.cpu_count()} cores, "
        f"{args.connections} connections, {args.seconds:g} s each in {args.slice:g} s turns with "
        f"its bare view, after {args.warmup:g} s warm-up; "
        f"learner has {ticked} milestones ticked; client: threads, raw sockets; "
        f"load average {os.getloadavg()[0]:.1f}"
    )
    print(
        f"{'kind':<16}{'bytes':>8}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}"
        f"{'vs bare':>9}{'client CPU':>12}  target"
    )
    for kind, encoding, size, (rate, p50, p99, cpu, errors), bare in rows:
        ratio = rate / bare[0]
        verdict = ""
        if encoding:
            share = TARGET_SHARE[encoding]
            passed = ratio >= share and p99 < TARGET_P99_MS and not errors
            verdict = f"{'PASS' if passed else 'FAIL'} (≥ {share:.0%})"
        print(
            f"{kind:<16}{size:>8}{rate:>9.1f}{p50:>9.1f}{p99:>9.1f}"
            f"{ratio:>8.0%} {cpu:>11.0%}  {verdict}"
        )
        if errors:
            print(f"  {len(errors)} errors: {sorted(set(map(str, errors)))}")
    print(
        f"target: at least {TARGET_SHARE['plain']:.0%} of the bare view's requests/s "
        f"({TARGET_SHARE['gzip']:.0%} for the gzip rows, against the same uncompressed bare "
        f"view) and p99 under {TARGET_P99_MS} ms; bytes: as sent"
    )


if __name__ == "__main__":
    main()
